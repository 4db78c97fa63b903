"""Hypothesis strategies private to the library's own tests (one place, as attrs does).

Strategies a user's test suite needs as well (values, messages, conversations, valid and
invalid header values, spellings of entity types and actions) are public, in
:mod:`pii_mapper.testing`; this module keeps what only our own laws use: policies and
mappings built from the models, garbage header text, placeholder forms a model might write.
Append new strategies in their own section; do not reshape existing ones that others use.
"""

from __future__ import annotations

import itertools
import string

from hypothesis import strategies as st

from pii_mapper.entities import CATALOGUE, ENTITY_NAMES, DetectorKind
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
    "header_values",
    "history_values",
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
    alphabet = string.ascii_letters + string.digits if ascii_only else st.characters()
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
    "true", "off", "action", "entities", "threshold", "language", "en", "de", "nan", "inf",
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
    "passport": "US_PASSPORT",
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
