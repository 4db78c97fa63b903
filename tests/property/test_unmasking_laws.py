"""Laws of unmasking (SPEC §5): it inverts masking, tolerates variants exactly as the
placeholder grammar says, and streams, JSON values and the report agree with plain text."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pii_mapper import (
    ConversationMapping,
    PiiMapper,
    PiiPolicy,
    StaticDetector,
    StreamUnmasker,
    UnmaskStatus,
    unmask,
    unmask_json,
    unmask_stream,
    unmask_with_report,
)
from pii_mapper.entities import CATALOGUE
from pii_mapper.placeholders import (
    longest_form,
    parse_placeholder,
    placeholder_forms,
    variant_pattern,
)
from tests.strategies import conversation_mappings, history_values, model_outputs

VALUES = {
    "Ada Lovelace": "PERSON",
    "Grace Hopper": "PERSON",
    "ada@example.com": "EMAIL_ADDRESS",
    "+1 202-555-0173": "PHONE_NUMBER",
    "DE89 3704 0044 0532 0130 00": "IBAN_CODE",
    "D1234567": "US_DRIVER_LICENSE",
    "Rue de Rivoli": "LOCATION",
}
FILLER = ["hi", "x", ",", "<", ">", "[", "]", "person", "PERSON 2", "[email-address-1]", "é"]
MAPPER = PiiMapper(StaticDetector(VALUES))
CATALOGUE_FORMS = variant_pattern(frozenset(CATALOGUE))


def mappings() -> st.SearchStrategy[ConversationMapping]:
    return conversation_mappings(min_size=1, max_size=4)


def messages() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from([*VALUES, *FILLER]), max_size=20).map(" ".join)


@st.composite
def variant_of(draw: st.DrawFn, placeholder: str) -> str:
    """``placeholder`` rewritten as a model might, keeping paired brackets (so that it is a
    form wherever it stands)."""
    entity, number = parse_placeholder(placeholder)  # type: ignore[misc]
    words = [*entity.split("_"), str(number)]
    seps = draw(st.lists(st.sampled_from("_- "), min_size=len(words) - 1, max_size=len(words) - 1))
    body = words[0] + "".join(s + w for s, w in zip(seps, words[1:], strict=True))
    body = "".join(c.swapcase() if draw(st.booleans()) else c for c in body)
    opener, closer = draw(st.sampled_from(["<>", "[]", "{}"]))
    return opener + body + closer


@given(messages(), st.data())
def test_unmask_inverts_mask_even_through_variants(message: str, data: st.DataObject) -> None:
    result = MAPPER.mask(message, PiiPolicy())
    assert unmask(result.text, result.mapping) == message
    rewritten = result.text
    for placeholder in result.mapping:
        rewritten = rewritten.replace(placeholder, data.draw(variant_of(placeholder)))
    assert unmask(rewritten, result.mapping) == message


@given(mappings(), st.data())
def test_any_chunking_of_a_stream_unmasks_as_the_whole(
    mapping: ConversationMapping, data: st.DataObject
) -> None:
    text = data.draw(model_outputs(mapping))
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=12)))
    chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    assert "".join(unmask_stream(chunks, mapping)) == unmask(text, mapping)


@given(mappings(), st.data())
def test_one_character_chunks_unmask_as_the_whole_and_hold_back_little(
    mapping: ConversationMapping, data: st.DataObject
) -> None:
    text = data.draw(model_outputs(mapping))
    unmasker = StreamUnmasker(mapping)
    bound = longest_form({p[1:-1].rsplit("_", 1)[0] for p in mapping})
    out = []
    for char in text:
        out.append(unmasker.feed(char))
        assert unmasker.held <= bound
    out.append(unmasker.flush())
    assert "".join(out) == unmask(text, mapping)


@given(mappings(), st.text())
def test_text_without_placeholder_like_content_is_unchanged(
    mapping: ConversationMapping, text: str
) -> None:
    assume(CATALOGUE_FORMS.search(text) is None)
    assert unmask(text, mapping) == text
    assert "".join(unmask_stream(list(text), mapping)) == text


@given(mappings(), st.data())
def test_the_forms_met_are_exactly_the_placeholder_grammar_s(
    mapping: ConversationMapping, data: st.DataObject
) -> None:
    text = data.draw(model_outputs(mapping))
    assume(text.isascii())  # the grammar's regex folds case beyond ASCII; unmasking does not
    _, report = unmask_with_report(text, mapping)
    grammar = [
        (
            m.start("entity"),
            m.end("number"),
            f"<{re.sub('[ -]', '_', m['entity']).upper()}_{m['number']}>",
        )
        for m in CATALOGUE_FORMS.finditer(text)
    ]
    # A form includes its brackets only when they pair up; the grammar's span is the bare one.
    met = [
        (i.start + (i.form[0] in "<[{"), i.end - (i.form[-1] in ">]}"), i.placeholder)
        for i in report.items
    ]
    assert met == grammar
    # Masking reserves the numbers of these very forms (same scanner, last form first).
    assert list(placeholder_forms(text))[::-1] == [
        (entity, int(number))
        for entity, _, number in (form[1:-1].rpartition("_") for _, _, form in grammar)
    ]


@given(mappings(), st.data())
def test_report_agrees_with_the_mapping_and_holds_no_original(
    mapping: ConversationMapping, data: st.DataObject
) -> None:
    text = data.draw(model_outputs(mapping))
    restored, report = unmask_with_report(text, mapping)
    assert restored == unmask(text, mapping)
    for item in report.items:
        assert text[item.start : item.end] == item.form
        assert (item.status is UnmaskStatus.UNKNOWN) == (item.placeholder not in mapping)
        if item.status is not UnmaskStatus.UNKNOWN:
            assert (item.status is UnmaskStatus.EXACT) == (item.form == item.placeholder)
    rendered = repr(report)
    for original in mapping.values():
        if original not in text:
            assert original not in rendered


def json_values(mapping: ConversationMapping) -> st.SearchStrategy[Any]:
    leaves = model_outputs(mapping, max_pieces=4) | st.integers() | st.none() | st.booleans()
    return st.recursive(
        leaves,
        lambda children: (
            st.lists(children, max_size=4)
            | st.lists(children, max_size=3).map(tuple)
            | st.dictionaries(st.text(max_size=5), children, max_size=4)
        ),
        max_leaves=12,
    )


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return ("dict", [shape(v) for v in value.values()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [shape(v) for v in value])
    return type(value).__name__


def looks_like_json(text: str) -> bool:
    return text.strip()[:1] in ("{", "[")


@settings(max_examples=150)
@given(mappings(), st.data())
def test_unmask_json_keeps_the_shape_and_unmasks_every_string(
    mapping: ConversationMapping, data: st.DataObject
) -> None:
    value = data.draw(json_values(mapping))
    restored = unmask_json(value, mapping)
    assert shape(restored) == shape(value)

    def check(before: Any, after: Any) -> None:
        if isinstance(before, str) and not looks_like_json(before):
            assert after == unmask(before, mapping)
        elif isinstance(before, dict):
            assert list(after) == [
                unmask(k, mapping) if not looks_like_json(k) else after_k
                for k, after_k in zip(before, after, strict=True)
            ]
            for b, a in zip(before.values(), after.values(), strict=True):
                check(b, a)
        elif isinstance(before, list | tuple):
            for b, a in zip(before, after, strict=True):
                check(b, a)

    check(value, restored)


@settings(max_examples=150)
@given(conversation_mappings(values=history_values(), min_size=1, max_size=3), st.data())
def test_json_text_unmasks_like_its_parsed_value(
    mapping: ConversationMapping, data: st.DataObject
) -> None:
    placeholders = st.sampled_from(list(mapping))
    value = data.draw(
        st.dictionaries(
            st.sampled_from(["to", "cc", "body"]),
            placeholders | st.lists(placeholders, max_size=3) | st.text(max_size=5),
            max_size=3,
        )
    )
    arguments = json.dumps(value)
    restored = unmask_json({"function": {"arguments": arguments}}, mapping)
    assert json.loads(restored["function"]["arguments"]) == unmask_json(value, mapping)


# --- streams: the quick look at a chunk's end --------------------------------------------

STREAM_MAPPING = ConversationMapping(
    {
        "<PERSON_1>": "Ada",
        "<PERSON_12>": "Grace",
        "<EMAIL_ADDRESS_1>": "ada@example.com",
        "<US_DRIVER_LICENSE_2>": "D1234567",
        "<IP_ADDRESS_3>": "10.0.0.1",
    }
)
STREAM_FORMS = [
    "<PERSON_1>", "[person-12]", "PERSON 1", "<PERSON_123>", "EMAIL ADDRESS 1",
    "{email-Address_1}", "us driver license 2", "<US-DRIVER-LICENSE_2>", "IP ADDRESS 3",
    "ADDRESS 1", "<PERSON_1", "PERSON_1>", "<US_SSN_REDACTED>", "PERSON_1234567890",
]  # fmt: skip
STREAM_NOISE = [
    "", " ", "a ", "the ", "x", "é", "_", "-", "<", "[", "(", ".", "12 ", "us ", "email ",
    "per", "Us", "address", "7",
]  # fmt: skip


def open_tail_reference(entities: frozenset[str]) -> re.Pattern[str]:
    """The tail a stream must hold, stated as one regex (the grammar of forms, cut short):
    an opening bracket, then nothing, a name's beginning, or a name, a separator and up to
    9 digits, standing as a word start, at the end of the text."""

    def beginnings(entity: str) -> str:
        tokens = [f"[{c}{c.lower()}]" if c.isalpha() else r"[_\- ]" for c in entity]
        inner = r"[_\- ](?:[0-9]{0,9})?"
        for token in reversed(tokens):
            inner = f"{token}(?:{inner})?"
        return inner

    names = "|".join(beginnings(e) for e in sorted(entities, key=lambda e: (-len(e), e)))
    return re.compile(rf"(?:[<\[{{]|(?<![\w<\[{{]))(?<!\w)(?:{names})?\Z")


STREAM_TAIL = open_tail_reference(frozenset(p[1:-1].rsplit("_", 1)[0] for p in STREAM_MAPPING))


def stream_texts() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(STREAM_FORMS + STREAM_NOISE), max_size=8).map("".join)


@settings(max_examples=300)
@given(stream_texts(), st.data())
def test_forms_cut_anywhere_unmask_as_the_whole(text: str, data: st.DataObject) -> None:
    """Cuts right after a bracket, inside a multi-word name, between separator and digits,
    between digits: the joined output is always the whole text's."""
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    unmasker = StreamUnmasker(STREAM_MAPPING)
    out = []
    for chunk in chunks:
        out.append(unmasker.feed(chunk))
        assert unmasker.held <= unmasker.max_held
    out.append(unmasker.flush())
    assert "".join(out) == unmask(text, STREAM_MAPPING)


@settings(max_examples=300)
@given(stream_texts(), st.data())
def test_a_stream_holds_exactly_the_tail_that_could_still_become_a_form(
    text: str, data: st.DataObject
) -> None:
    """Output is passed on as early as the guarantee allows: after every chunk, what is held
    is the longest end of the input that the grammar says could still start a form."""
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=8)))
    unmasker = StreamUnmasker(STREAM_MAPPING)
    for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True):
        unmasker.feed(text[a:b])
        seen = text[:b]
        tails = [m for i in range(len(seen) + 1) if (m := STREAM_TAIL.match(seen, i))]
        expected = len(seen) - tails[0].start() if tails else 0
        # A form that just ended is passed on restored, so what is held is its tail only.
        assert unmasker.held == expected, (seen, unmasker.held, expected)


@settings(max_examples=200)
@given(st.data())
def test_a_longer_number_arriving_later_is_another_placeholder(data: st.DataObject) -> None:
    """``<PERSON_1`` then ``2>``: ``<PERSON_12>``, never ``<PERSON_1>`` then ``2>``."""
    mapping = {"<PERSON_1>": "Ada"}
    head = data.draw(st.sampled_from(["<PERSON_1", "PERSON 1", "[person-1", "person_1"]))
    rest = data.draw(st.sampled_from(["2>", "2", "23]", "0 and", "1>"]))
    text = "Hi " + head + rest + " bye"
    split = len("Hi ") + len(head)
    chunks = [text[:split], text[split:]]
    streamed = "".join(unmask_stream(chunks, mapping))
    assert streamed == unmask(text, mapping) == text


async def _agen(chunks: list[str]) -> AsyncIterator[str]:
    for chunk in chunks:
        await asyncio.sleep(0)  # a real await between chunks, as a network stream has
        yield chunk


async def _collect(pieces: AsyncIterator[str]) -> list[str]:
    return [piece async for piece in pieces]


@given(mappings(), st.data())
def test_any_chunking_of_an_async_stream_unmasks_as_the_whole(
    mapping: ConversationMapping, data: st.DataObject
) -> None:
    text = data.draw(model_outputs(mapping))
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=12)))
    chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    pieces = asyncio.run(_collect(MAPPER.aunmask_stream(_agen(chunks), mapping)))
    assert "".join(pieces) == unmask(text, mapping)
    assert "" not in pieces
    assert pieces == list(unmask_stream(chunks, mapping))  # the same pieces as the sync one


def test_the_sync_stream_points_an_async_iterable_to_the_async_one() -> None:
    chunks = _agen(["a"])
    with pytest.raises(TypeError, match="aunmask_stream"):
        unmask_stream(chunks, {"<PERSON_1>": "Ada"})  # type: ignore[arg-type]
    asyncio.run(chunks.aclose())
