"""Unmasking model output (SPEC §5): variants, partial matches, brackets, markers, JSON,
streams and the report."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from pii_mapper import (
    ConversationMapping,
    PiiInputError,
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
from pii_mapper.placeholders import longest_form

MAPPING = ConversationMapping(
    {
        "<PERSON_1>": "Ada Lovelace",
        "<PERSON_12>": "Grace Hopper",
        "<EMAIL_ADDRESS_1>": "ada@example.com",
        "<US_DRIVER_LICENSE_2>": "D1234567",
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<PERSON_1>", "Ada Lovelace"),
        ("<person_1>", "Ada Lovelace"),
        ("<Person_1>", "Ada Lovelace"),
        ("[PERSON_1]", "Ada Lovelace"),
        ("{PERSON_1}", "Ada Lovelace"),
        ("PERSON_1", "Ada Lovelace"),
        ("person 1", "Ada Lovelace"),
        ("<PERSON-1>", "Ada Lovelace"),
        ("<EMAIL-ADDRESS-1>", "ada@example.com"),
        ("EMAIL ADDRESS 1", "ada@example.com"),
        ("[email address-1]", "ada@example.com"),
        ("<EMAIL_ADDRESS 1>", "ada@example.com"),
        ("us-driver license_2", "D1234567"),
        ("<PERSON_12>", "Grace Hopper"),
    ],
)
def test_every_tolerated_variant_is_restored(text: str, expected: str) -> None:
    assert unmask(f"Hi {text}.", MAPPING) == f"Hi {expected}."


@pytest.mark.parametrize(
    "text",
    [
        "<PERSON_123>",  # a longer number is another placeholder
        "<PERSON_01>",  # a leading zero is another number
        "PERSON_1x",  # the number must end a word
        "xPERSON_1",  # the name must start a word
        "PERSON_1_REDACTED",
        "2PERSON_1",
        "<PERSON__1>",  # one separator only
        "<PERSON_1234567890>",  # past the longest number
        "<PERSONS_1>",
        "<ERSON_1>",
        "<PERSON1>",  # a separator is needed
        "<PERSON_>",
    ],
)
def test_never_a_partial_match(text: str) -> None:
    assert unmask(f"see {text} now", MAPPING) == f"see {text} now"


def test_brackets_belong_to_the_placeholder_only_when_they_pair_up() -> None:
    assert unmask("[PERSON_1>", MAPPING) == "[Ada Lovelace>"
    assert unmask("<PERSON_1]", MAPPING) == "<Ada Lovelace]"
    assert unmask("{PERSON_1>", MAPPING) == "{Ada Lovelace>"
    assert unmask("(<PERSON_1", MAPPING) == "(<Ada Lovelace"
    assert unmask("PERSON_1>)", MAPPING) == "Ada Lovelace>)"
    assert unmask("<[PERSON_1]>", MAPPING) == "<Ada Lovelace>"
    assert unmask("<<PERSON_1>>", MAPPING) == "<Ada Lovelace>"


def test_unknown_placeholders_and_markers_stay_as_written() -> None:
    text = (
        "<PERSON_7> [person-7] <US_SSN_REDACTED> <PERSON_REDACTED> <PERSON#0a1b2c3d> "
        "<EMAIL_ADDRESS#12345678> <US_SSN_1> <LOCATION_1>"
    )
    assert unmask(text, MAPPING) == text


def test_adjacent_and_repeated_placeholders() -> None:
    text = "<PERSON_1><PERSON_12>,PERSON_1;person-12 <EMAIL_ADDRESS_1>"
    assert unmask(text, MAPPING) == (
        "Ada LovelaceGrace Hopper,Ada Lovelace;Grace Hopper ada@example.com"
    )


def test_word_boundaries_follow_python_word_characters() -> None:
    assert unmask("é<PERSON_1>", MAPPING) == "éAda Lovelace"  # the bracket is the boundary
    assert unmask("éPERSON_1", MAPPING) == "éPERSON_1"  # é is a letter
    assert unmask("PERSON_1٣", MAPPING) == "PERSON_1٣"  # an Arabic-Indic digit is a digit
    assert unmask("😀PERSON_1😀", MAPPING) == "😀Ada Lovelace😀"
    assert unmask("PERSON_1.", MAPPING) == "Ada Lovelace."


def test_only_ascii_case_is_tolerated() -> None:
    long_s = "<PER\u017fON_1>"  # a long s upper-cases to S, but is not an ASCII letter
    assert unmask(long_s, MAPPING) == long_s


def test_text_without_placeholders_comes_back_as_is() -> None:
    text = "Nothing to see here: 12 apples, 3 pears, version 2.0 and step-1."
    assert unmask(text, MAPPING) is text
    assert unmask("", MAPPING) == ""


def test_plain_dict_mapping_is_accepted_and_validated() -> None:
    assert unmask("<PERSON_1>", {"<PERSON_1>": "Ada"}) == "Ada"
    assert unmask("<PERSON_1>", {}) == "<PERSON_1>"
    with pytest.raises(PiiInputError) as caught:
        unmask("x", {"PERSON": "secret-value"})
    assert "secret-value" not in str(caught.value)
    with pytest.raises(PiiInputError):
        unmask("x", ["<PERSON_1>"])  # type: ignore[arg-type]
    with pytest.raises(PiiInputError):
        unmask(b"<PERSON_1>", MAPPING)  # type: ignore[arg-type]


def test_a_plain_dict_changed_between_calls_is_seen_fresh() -> None:
    mapping = {"<PERSON_1>": "Ada"}
    assert unmask("<PERSON_1>", mapping) == "Ada"
    mapping["<PERSON_1>"] = "Grace"
    assert unmask("<PERSON_1>", mapping) == "Grace"


def test_originals_with_special_characters_are_inserted_verbatim() -> None:
    mapping = {"<PERSON_1>": "\\1 $0 <PERSON_2> \\g<0>", "<PERSON_2>": "x"}
    assert unmask("<PERSON_1>|<PERSON_2>", mapping) == "\\1 $0 <PERSON_2> \\g<0>|x"


# --- report ------------------------------------------------------------------------------


def test_report_tells_exact_variant_and_unknown_and_holds_no_original() -> None:
    text = "<PERSON_1>, [person-12], PERSON 7 and <US_SSN_REDACTED>; [EMAIL_ADDRESS_1>"
    restored, report = unmask_with_report(text, MAPPING)
    assert restored == unmask(text, MAPPING)
    assert [(i.form, i.placeholder, i.status) for i in report.items] == [
        ("<PERSON_1>", "<PERSON_1>", UnmaskStatus.EXACT),
        ("[person-12]", "<PERSON_12>", UnmaskStatus.VARIANT),
        ("PERSON 7", "<PERSON_7>", UnmaskStatus.UNKNOWN),
        ("EMAIL_ADDRESS_1", "<EMAIL_ADDRESS_1>", UnmaskStatus.VARIANT),
    ]
    assert (report.exact, report.variant, report.unknown, report.restored) == (1, 2, 1, 3)
    for item in report.items:
        assert text[item.start : item.end] == item.form
    for original in MAPPING.values():
        assert original not in repr(report)


def test_report_of_text_without_forms_is_empty() -> None:
    restored, report = unmask_with_report("no placeholders, 42", MAPPING)
    assert restored == "no placeholders, 42"
    assert report.items == ()
    assert report.restored == 0


def test_mapper_exposes_the_report() -> None:
    mapper = PiiMapper(StaticDetector({"Ada Lovelace": "PERSON"}))
    result = mapper.mask("I am Ada Lovelace", PiiPolicy())
    text, report = mapper.unmask_with_report("Hello [person_1]!", result.mapping)
    assert text == "Hello Ada Lovelace!"
    assert report.variant == 1


# --- streams -----------------------------------------------------------------------------


def stream_pieces(text: str, size: int, mapping: Any = MAPPING) -> list[str]:
    return list(unmask_stream([text[i : i + size] for i in range(0, len(text), size)], mapping))


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 100])
def test_stream_equals_whole_text_for_any_chunk_size(size: int) -> None:
    text = (
        "Dear <PERSON_1>, [person-12] wrote to EMAIL ADDRESS 1 about <PERSON_123> "
        "and <PERSON_1]; us driver license 2 <US_SSN_REDACTED> PERSON_1"
    )
    assert "".join(stream_pieces(text, size)) == unmask(text, MAPPING)


def test_stream_emits_early_and_holds_only_a_possible_form() -> None:
    unmasker = StreamUnmasker(MAPPING)
    assert unmasker.feed("Hello there") == "Hello there"  # no name starts "there"
    assert unmasker.feed(", <PERS") == ", "
    assert unmasker.held == len("<PERS")
    assert unmasker.feed("ON_1") == ""
    assert unmasker.feed("> and") == "Ada Lovelace and"
    assert unmasker.feed(" PERSON_12") == " "
    assert unmasker.feed("3 bye") == "PERSON_123 bye"
    assert unmasker.feed(" <") == " "
    assert unmasker.flush() == "<"


def test_stream_hold_back_is_bounded() -> None:
    unmasker = StreamUnmasker(MAPPING)
    bound = longest_form({"PERSON", "EMAIL_ADDRESS", "US_DRIVER_LICENSE"})
    assert unmasker.max_held == bound
    for char in "<US DRIVER LICENSE 123456789":
        unmasker.feed(char)
        assert unmasker.held <= bound
    assert unmasker.feed("0") == "<US DRIVER LICENSE 1234567890"  # 10 digits: no form


def test_stream_with_empty_mapping_holds_nothing() -> None:
    unmasker = StreamUnmasker({})
    assert unmasker.feed("<PERSON_") == "<PERSON_"
    assert unmasker.flush() == ""


def test_stream_rejects_non_text_chunks() -> None:
    with pytest.raises(PiiInputError):
        StreamUnmasker(MAPPING).feed(b"<PERSON_1>")  # type: ignore[arg-type]


def test_stream_of_one_character_chunks_is_linear() -> None:
    text = ("hi <PERSON_1>, a note of 12 words for PERSON 12 and friends. " * 1700)[:100_000]
    started = time.perf_counter()
    out = "".join(unmask_stream(iter(text), MAPPING))
    elapsed = time.perf_counter() - started
    assert out == unmask(text, MAPPING)
    assert elapsed < 10  # ~0.5 s on a laptop; a quadratic buffer would take minutes


def test_unmasker_is_reusable_after_flush() -> None:
    unmasker = StreamUnmasker(MAPPING)
    assert unmasker.feed("x PERSO") == "x "
    assert unmasker.flush() == "PERSO"
    assert unmasker.feed("y") == "y"
    assert unmasker.flush() == ""
    assert unmasker.feed("PERSON_1 ") == "Ada Lovelace "  # "y" ended the stream before


# --- JSON-like values --------------------------------------------------------------------


def test_json_values_keys_and_shape() -> None:
    value = {
        "<PERSON_1>": ["<EMAIL_ADDRESS_1>", ("person 12", 3, 2.5, None, True)],
        "n": {"deep": [{"k": "PERSON_1"}]},
        7: "<PERSON_1>",
    }
    assert unmask_json(value, MAPPING) == {
        "Ada Lovelace": ["ada@example.com", ("Grace Hopper", 3, 2.5, None, True)],
        "n": {"deep": [{"k": "Ada Lovelace"}]},
        7: "Ada Lovelace",
    }
    assert value["<PERSON_1>"][0] == "<EMAIL_ADDRESS_1>"  # the input is not changed
    assert unmask_json("<PERSON_1>", MAPPING) == "Ada Lovelace"
    assert unmask_json(42, MAPPING) == 42


def test_tool_call_arguments_stay_valid_json() -> None:
    mapping = {"<EMAIL_ADDRESS_1>": 'ada "the countess"\\@example.com', "<PERSON_1>": "Ada"}
    call = {
        "id": "call_1",
        "type": "function",
        "function": {
            "name": "send_mail",
            "arguments": json.dumps({"to": "<EMAIL_ADDRESS_1>", "body": "Hi\n[PERSON_1]"}),
        },
    }
    restored = unmask_json(call, mapping)
    arguments = json.loads(restored["function"]["arguments"])
    assert arguments == {"to": 'ada "the countess"\\@example.com', "body": "Hi\nAda"}
    assert restored["function"]["name"] == "send_mail"


def test_json_text_without_placeholders_is_left_byte_for_byte() -> None:
    arguments = '{"a":1,  "b": [true, null]}'
    assert unmask_json({"arguments": arguments}, MAPPING)["arguments"] is arguments


@pytest.mark.parametrize(
    "template",
    [
        '{"big": 1e400, "precise": 12345678901234567890.5, "who": "%s"}',
        '{"k": "%s", "k": "again %s", "a": [1.0, -0, 1E+2]}',  # duplicate keys, in order
        '{ "z" : "%s" ,\n\t"a":null }',  # spacing and key order as written
        '{"%s": {"nested %s": [true, false]}}',  # keys included
        '["%s", NaN, -Infinity]',  # the constants Python's json accepts
    ],
)
def test_json_text_comes_back_byte_for_byte_but_for_restored_placeholders(
    template: str,
) -> None:
    mapping = {"<PERSON_1>": 'Zoë "Q" \\ \x01\n'}
    document = template.replace("%s", "<PERSON_1>")
    restored = unmask_json(document, mapping)
    escaped = json.dumps(mapping["<PERSON_1>"], ensure_ascii=True)[1:-1]
    assert restored == template.replace("%s", escaped)
    json.loads(restored)  # still valid JSON
    assert unmask_json(template.replace("%s", "x"), mapping) == template.replace("%s", "x")


def test_json_text_escapes_and_non_ascii_round_trip() -> None:
    mapping = {"<PERSON_1>": "Zoë", "<EMAIL_ADDRESS_1>": 'a"b\\c@example.com'}
    document = '{"é": "\\u00e9 <PERSON_1> \\"q\\"", "m": "<EMAIL_ADDRESS_1>", "n": 1.50}'
    restored = unmask_json(document, mapping)
    # A token that changed is written again as a whole (its own escapes in json's spelling).
    assert restored == '{"é": "é Zoë \\"q\\"", "m": "a\\"b\\\\c@example.com", "n": 1.50}'
    assert json.loads(restored)["m"] == mapping["<EMAIL_ADDRESS_1>"]
    untouched = '{"é": "\\u00e9 \\"q\\"", "n": 1.50}'
    assert unmask_json(untouched, mapping) is untouched


def test_text_that_only_looks_like_json_is_unmasked_as_text() -> None:
    assert unmask_json("{not json: <PERSON_1>}", MAPPING) == "{not json: Ada Lovelace}"


def test_json_depth_bound() -> None:
    deep: Any = "<PERSON_1>"
    for _ in range(100):
        deep = [deep]
    assert unmask_json(deep, MAPPING, max_depth=100) is not None
    with pytest.raises(PiiInputError) as caught:
        unmask_json([deep], MAPPING, max_depth=100)
    assert caught.value.code == "too_deep"
    very_deep: Any = {}
    for _ in range(100_000):
        very_deep = {"k": very_deep}
    with pytest.raises(PiiInputError):
        unmask_json(very_deep, MAPPING)
    with pytest.raises(PiiInputError):
        unmask_json("[" * 100_000 + "]" * 100_000, MAPPING)


def test_json_keys_that_collide_after_unmasking_are_an_error() -> None:
    with pytest.raises(PiiInputError) as caught:
        unmask_json({"<PERSON_1>": 1, "Ada Lovelace": 2}, MAPPING)
    assert "Ada" not in str(caught.value)


def test_json_text_keeps_its_style_when_restored() -> None:
    mapping = {"<PERSON_1>": "Zoë"}
    assert unmask_json('{"n":"<PERSON_1>"}', mapping) == '{"n":"Zo\\u00eb"}'
    assert unmask_json('{"n": "<PERSON_1>", "é": 1}', mapping) == '{"n": "Zoë", "é": 1}'


@pytest.mark.parametrize(
    ("chunks", "outputs"),
    [
        (["Hi <", "PERSON_1> x"], ["Hi ", "Ada Lovelace x", ""]),  # cut after the bracket
        (["to EMAIL ", "ADD", "RESS 1."], ["to ", "", "ada@example.com.", ""]),  # in the name
        (["EMAIL ADDRESS ", "1!"], ["", "ada@example.com!", ""]),  # before the digits
        (["<PERSON_1", "2> ok"], ["", "Grace Hopper ok", ""]),  # digits split
        (["<PERSON_12", "3> ok"], ["", "<PERSON_123> ok", ""]),  # a longer number: unknown
        (["a us ", "driver"], ["a ", "", "us driver"]),  # could still become a form: held
        (["one p", "erson 1 x"], ["one ", "Ada Lovelace x", ""]),  # "p" could begin PERSON
        (["one a", " dog"], ["one a", " dog", ""]),  # ADDRESS never begins a name
    ],
)
def test_stream_cut_at_the_edges_of_a_form(chunks: list[str], outputs: list[str]) -> None:
    unmasker = StreamUnmasker(MAPPING)
    assert [unmasker.feed(chunk) for chunk in chunks] + [unmasker.flush()] == outputs


def test_json_text_with_an_escaped_lone_surrogate_keeps_it_escaped() -> None:
    document = '{"é": "\\ud800 <PERSON_1>", "b": "\\ud800"}'
    restored = unmask_json(document, {"<PERSON_1>": "Zoë"})
    assert restored == '{"é": "\\ud800 Zoë", "b": "\\ud800"}'
    assert json.loads(restored) == {"é": "\ud800 Zoë", "b": "\ud800"}
