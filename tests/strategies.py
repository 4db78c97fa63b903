"""Hypothesis strategies private to the library's own tests (one place, as attrs does).

Strategies a user's test suite needs as well (values, messages, conversations, valid and
invalid header values, spellings of entity types and actions) are public, in
:mod:`pii_mapper.testing`; this module keeps what only our own laws use: policies and
mappings built from the models, garbage header text, placeholder forms a model might write.
Append new strategies in their own section; do not reshape existing ones that others use.
"""

from __future__ import annotations

import itertools
import json
import string

from hypothesis import strategies as st

from pii_mapper.entities import CATALOGUE, ENTITY_NAMES, DetectorKind
from pii_mapper.language import SUPPORTED_LANGUAGES
from pii_mapper.mapping import ConversationMapping
from pii_mapper.placeholders import format_placeholder
from pii_mapper.policy import Action, AutoDetection, DeclaredSpan, PiiPolicy, Rule, Units
from pii_mapper.testing import action_spellings, entity_spellings

__all__ = [
    "DETECTABLE_ENTITIES",
    "action_spellings",
    "auto_detections",
    "conversation_mappings",
    "declared_span_lists",
    "deny_list_texts",
    "deny_list_values",
    "header_values",
    "history_items",
    "history_values",
    "hostile_texts",
    "json_documents",
    "json_values",
    "model_outputs",
    "pii_policies",
    "placeholder_forms",
    "rules",
    "spelled_entities",
]

# --- headers (pii_mapper.headers) ----------------------------------------------------------

# The public spellings strategies, under the names the laws use.
spelled_entities = entity_spellings

DETECTABLE_ENTITIES = tuple(
    name for name, spec in CATALOGUE.items() if spec.detector is not DetectorKind.DECLARED
)


def rules() -> st.SearchStrategy[tuple[Rule, ...]]:
    """Explicit rules, one action per entity type (PII included)."""
    return st.dictionaries(st.sampled_from(ENTITY_NAMES), st.sampled_from(Action), max_size=6).map(
        lambda chosen: tuple(Rule(entity=e, action=a) for e, a in chosen.items())
    )


def auto_detections() -> st.SearchStrategy[AutoDetection]:
    """Automatic detection as X-Auto-Pii-Mapping can state it (a disabled one has defaults)."""
    enabled = st.builds(
        AutoDetection,
        action=st.sampled_from(Action),
        entities=st.none() | st.frozensets(st.sampled_from(DETECTABLE_ENTITIES), min_size=1),
        threshold=st.none() | st.floats(min_value=0.0, max_value=1.0),
        language=st.none() | st.sampled_from(SUPPORTED_LANGUAGES),
    )
    return st.just(AutoDetection(enabled=False)) | enabled


@st.composite
def declared_span_lists(draw: st.DrawFn, max_spans: int = 6) -> tuple[DeclaredSpan, ...]:
    """Disjoint declared spans (touching allowed), sorted, with optional entity and action."""
    bounds = sorted(draw(st.sets(st.integers(0, 10**6), max_size=2 * max_spans + 1)))
    touching = draw(st.booleans())
    spans = []
    pairs = itertools.pairwise(bounds) if touching else zip(bounds[::2], bounds[1::2], strict=False)
    for start, end in pairs:
        spans.append(
            DeclaredSpan(
                start=start,
                end=end,
                entity=draw(st.sampled_from(ENTITY_NAMES)),
                action=draw(st.none() | st.sampled_from(Action)),
            )
        )
    return tuple(spans)


def history_values(*, ascii_only: bool = False) -> st.SearchStrategy[str]:
    """Mapping originals that are easy to search for in outputs (and never a substring of
    an error message): a fixed marker plus random text. ``ascii_only`` keeps them to letters
    and digits, so that no escaping can hide one from a substring search."""
    # No lone surrogate: a mapping value must be valid Unicode (PiiInputError otherwise).
    alphabet = (
        string.ascii_letters + string.digits
        if ascii_only
        else st.characters(exclude_categories=("Cs",))
    )
    return st.text(alphabet, min_size=1, max_size=12).map(lambda s: f"Zq{s}Xv")


@st.composite
def conversation_mappings(
    draw: st.DrawFn,
    values: st.SearchStrategy[str] | None = None,
    min_size: int = 0,
    max_size: int = 5,
) -> ConversationMapping:
    """A small history mapping: placeholders of random types -> distinct originals."""
    values = values if values is not None else history_values()
    originals = draw(st.lists(values, min_size=min_size, max_size=max_size, unique=True))
    placeholders = draw(
        st.lists(
            st.tuples(st.sampled_from(DETECTABLE_ENTITIES), st.integers(1, 999)),
            min_size=len(originals),
            max_size=len(originals),
            unique=True,
        )
    )
    return ConversationMapping(
        [(format_placeholder(e, n), v) for (e, n), v in zip(placeholders, originals, strict=True)]
    )


@st.composite
def pii_policies(draw: st.DrawFn, history: bool = True) -> PiiPolicy:
    """Policies that the headers can express."""
    positions = draw(declared_span_lists())
    return PiiPolicy(
        rules=draw(rules()),
        auto=draw(auto_detections()),
        positions=positions,
        units=draw(st.sampled_from(Units)),
        history=draw(conversation_mappings()) if history else ConversationMapping(),
    )


_HEADER_TOKENS = [
    *ENTITY_NAMES,
    "email", "e-mail", "credit card", "*", "mask", "REDACT", "allow", "none", "keep", "hash",
    "=", ",", ";", ":", "-", "|", " ", "\t", "0", "1", "7", "12", "999999999999", "0.5", "1e-3",
    "true", "off", "action", "entities", "threshold", "language", "en", "de", "fr", "es", "it",
    "nl", "pt", "nan", "inf",
    "{", "}", "[", "]", '"', '"start"', '"end"', '"units"', '"utf16"', '"spans"', "null",
    "v1.", "eyI8UEVSU09OXzE-Ijoi", "\x00", "\r\n", "\u202e", "\ud800", "é", "\U0001f600",
]  # fmt: skip


def header_values() -> st.SearchStrategy[str]:
    """Anything a header value could be: grammar fragments in any order, or any text."""
    fragments = st.lists(st.sampled_from(_HEADER_TOKENS), max_size=30).map("".join)
    return (
        fragments
        | st.text(st.characters(exclude_categories=()), max_size=60)
        | st.text(max_size=60)
    )


# The short aliases SPEC §1 requires, with the canonical name each one means.
SPEC_ALIASES = {
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "ssn": "US_SSN",
    "credit_card": "CREDIT_CARD",
    "card": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "ip": "IP_ADDRESS",
    "person": "PERSON",
    "name": "PERSON",
    "location": "LOCATION",
    "org": "ORGANIZATION",
    "organization": "ORGANIZATION",
    "date": "DATE_TIME",
    "url": "URL",
    "passport": "PASSPORT",
}


# --- unmasking (pii_mapper.unmasking) ------------------------------------------------------

_FORM_BRACKETS = ["<>", "[]", "{}", "", "", "[>", "<]", "{]", "<", ">", "]"]
_UNMASK_NOISE = [
    " ", "  ", "_", "-", "<", ">", "[", "]", "{", "}", "0", "1", "7", "12", "123456789",
    "1234567890", "x", "é", "٣", "😀", "\n", ".", ",", "PERS", "EMAIL ", "ADDRESS", "person",
    "US ", "DRIVER-", "<US_SSN_REDACTED>", "<PERSON#0a1b2c3d>", "<PERSON_REDACTED>",
]  # fmt: skip


@st.composite
def placeholder_forms(draw: st.DrawFn, entity: str, number: str) -> str:
    """A form a model might write for ``<entity_number>``: random ASCII case, ``_``/``-``/space
    separators, paired, unpaired or no brackets."""
    words = entity.split("_")
    seps = draw(st.lists(st.sampled_from("_- "), min_size=len(words), max_size=len(words)))
    body = "".join(w + s for w, s in zip(words, seps, strict=True)) + number
    if draw(st.booleans()):
        flips = draw(st.lists(st.booleans(), min_size=len(body), max_size=len(body)))
        body = "".join(c.swapcase() if flip else c for c, flip in zip(body, flips, strict=True))
    brackets = draw(st.sampled_from(_FORM_BRACKETS))
    if len(brackets) == 2:
        return brackets[0] + body + brackets[1]
    return body + brackets if brackets in (">", "]") else brackets + body


@st.composite
def model_outputs(draw: st.DrawFn, mapping: ConversationMapping, max_pieces: int = 12) -> str:
    """Text as a model might answer: placeholder forms of ``mapping`` (known), of numbers it
    does not hold (unknown, including longer numbers), markers and noise, glued together
    with or without spaces."""
    known = [p[1:-1].rsplit("_", 1) for p in mapping]
    pieces = []
    for _ in range(draw(st.integers(0, max_pieces))):
        kind = draw(st.sampled_from(["known", "known", "unknown", "noise", "text"]))
        if kind == "known" and known:
            entity, number = draw(st.sampled_from(known))
            pieces.append(draw(placeholder_forms(entity, number)))
        elif kind == "unknown":
            entity = draw(st.sampled_from(ENTITY_NAMES))
            number = draw(st.sampled_from(["1", "2", "12", "0", "01", "999999999"]))
            if known and draw(st.booleans()):
                entity, number = draw(st.sampled_from(known))
                number += draw(st.sampled_from("0123456789"))
            pieces.append(draw(placeholder_forms(entity, number)))
        elif kind == "noise":
            pieces.append(draw(st.sampled_from(_UNMASK_NOISE)))
        else:
            pieces.append(draw(st.text(max_size=6)))
    glue = draw(st.sampled_from(["", " ", "\n"]))
    return glue.join(pieces)


# --- hostile input (tests/fuzz) -----------------------------------------------------------

_HOSTILE_PIECES = [
    "\ud800", "\udfff", "\ud83d\ude00", "\x00", "\x1b[31m", "\r\n", "\u202e", "\ufeff",
    "\u200b", "\uff20", "é", "e\u0301", "İ", "ß", "😀", "<", ">", "<PERSON_1>", "[person-1]",
    "<US_SSN_REDACTED>", "<EMAIL_ADDRESS#0a1b2c3d>", '"', "\\", "{", "}", "[", "]", "\\u",
]  # fmt: skip


def hostile_texts(words: tuple[str, ...] = (), max_size: int = 30) -> st.SearchStrategy[str]:
    """Text as a hostile client sends it: any code point (lone surrogates and controls
    included), markers of the library, JSON-significant characters, ``words`` (values a test
    plants), and now and then a long run of one piece."""
    pieces = st.sampled_from(_HOSTILE_PIECES + list(words)) | st.text(
        st.characters(exclude_categories=()), max_size=8
    )
    mixed = st.lists(pieces | st.sampled_from([" ", " ", "a", "1"]), max_size=max_size).map("".join)
    long_run = st.tuples(pieces, st.integers(100, 3000)).map(lambda p: p[0] * p[1])
    return st.one_of(mixed, mixed, mixed, long_run)


def json_values(text: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[object]:
    """JSON-like Python values (no NaN: it is not equal to itself) with strings from ``text``."""
    strings = text if text is not None else st.text(max_size=12)
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | strings
    )
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(strings, children, max_size=4)
        ),
        max_leaves=12,
    )


@st.composite
def json_documents(draw: st.DrawFn, text: st.SearchStrategy[str] | None = None) -> str:
    """A JSON object or array as text, in one of the spellings real encoders use, now and
    then with number tokens Python would not write back as they were and a duplicate key."""
    value = draw(
        st.lists(json_values(text), max_size=4)
        | st.dictionaries(
            text if text is not None else st.text(max_size=8), json_values(text), max_size=4
        )
    )
    style = draw(st.sampled_from([
        {"ensure_ascii": True}, {"ensure_ascii": False}, {"separators": (",", ":")},
        {"indent": 2, "ensure_ascii": False},
    ]))  # fmt: skip
    document = json.dumps(value, **style)
    extra = draw(st.sampled_from(["", "1e400", "12345678901234567890.5", "-0", "1E+2", "0.10"]))
    if extra and document.endswith("]") and document.startswith("["):
        document = document[:-1] + (", " if value else "") + extra + "]"
    elif extra and document.startswith("{") and document.endswith("}"):
        document = document[:-1] + (", " if value else "") + f'"n": {extra}, "n": {extra}' + "}"
    return document


@st.composite
def history_items(draw: st.DrawFn, text: st.SearchStrategy[str]) -> object:
    """One item of a history as a hostile caller may send it: a message with content, tool
    calls (JSON arguments or not) or other keys; or something that is no message at all."""
    kind = draw(st.sampled_from(["message", "message", "tool_calls", "tool", "odd"]))
    if kind == "message":
        item: dict[object, object] = {"role": draw(st.sampled_from(["user", "assistant"]))}
        item["content"] = draw(st.none() | text)
        if draw(st.booleans()):
            item[draw(st.sampled_from(["name", "meta", "x"]))] = draw(json_values())
        return item
    if kind == "tool_calls":
        arguments = draw(json_documents(text) | text)
        function = {"name": "f", "arguments": arguments}
        call = draw(st.sampled_from([
            {"id": "c1", "type": "function", "function": function},
            {"id": "c1", "function": function}, {"id": "c2"}, {"function": "not a dict"},
        ]))  # fmt: skip
        return {"role": "assistant", "content": draw(st.none() | text), "tool_calls": [call]}
    if kind == "tool":
        return {"role": "tool", "tool_call_id": "c1", "content": draw(text)}
    return draw(st.sampled_from([
        3, "just a string", None, [], {"role": "user", "content": 5},
        {"role": "user", "content": "x", 7: "int key"}, {"role": "user", "content": ["part"]},
        {"role": "user", "content": "x", "when": object()}, {"content": "no role"},
    ]))  # fmt: skip


# --- custom entity types (pii_mapper.detection.custom) --------------------------------------------

# Letters whose lower and upper case map one to one (so re.IGNORECASE and casefold agree).
_DENY_LETTERS = "abcdefghijklmnopqrstuvwxyzéöå"
# Words around deny-list values: none made only of the letters above, so none is a value.
_DENY_FILLER = ["1", "42", "x1", "-", ",", ".", "!", "(", ")", "😀", "\n", "\t", "  ", "é9"]


def deny_list_values() -> st.SearchStrategy[list[str]]:
    """Deny-list values: one to three words of letters, joined by a space."""
    word = st.text(_DENY_LETTERS, min_size=1, max_size=8)
    value = st.lists(word, min_size=1, max_size=3).map(" ".join)
    return st.lists(value, min_size=1, max_size=8, unique_by=str.casefold)


@st.composite
def deny_list_texts(draw: st.DrawFn, values: list[str]) -> str:
    """A text of filler and ``values`` in random case, each value standing as whole words
    (filler pieces, spaces or line breaks around it)."""
    pieces = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            value = draw(st.sampled_from(values))
            value = "".join(c.upper() if draw(st.booleans()) else c for c in value)
            pieces.append(value)
        else:
            pieces.append(draw(st.sampled_from(_DENY_FILLER)))
        pieces.append(draw(st.sampled_from([" ", "\n", " ", ", "])))
    return "".join(pieces)
