"""Fuzzing the library's entry points with hostile input (hypothesis, StaticDetector double).

Laws: every header parser answers a policy or a ``PiiHeaderError``; ``mask`` and ``preview``
answer a result or one of the library's input errors, and the preview always serialises to
JSON; no redacted or hashed original appears in any output (text, history, mapping, header,
preview, error); ``unmask_json`` is the identity on JSON without placeholders, byte for byte
for JSON text held in strings, and otherwise restores inside string tokens only.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pii_mapper import (
    ConversationMapping,
    PiiHeaderError,
    PiiInputError,
    PiiMapper,
    StaticDetector,
    parse_headers,
    unmask_json,
)
from pii_mapper.headers import parse_auto_mapping, parse_pii_mapping, parse_positions
from pii_mapper.mapping import HISTORY_HEADER, decode_history_header, generate_seal_key
from tests.strategies import (
    header_values,
    history_items,
    hostile_texts,
    json_documents,
    json_values,
)

SEAL_KEY = generate_seal_key()
# Values the detector finds, by the action the policy below gives their type. None holds a
# character a marker of the library can hold all around it, so no marker can hide one.
REDACTED = {"536-22-8726": "US_SSN", "sk-live-9f8e7d6c5b4a": "API_KEY"}
HASHED = {"ada@example.com": "EMAIL_ADDRESS"}
MASKED = {"Grace Hopper": "PERSON"}
PLANTED = (*REDACTED, *HASHED, *MASKED)
POLICY_HEADERS = {"X-Pii-Mapping": "ssn=redact, api_key=redact, email=hash, person=mask"}
SECRETS = (*REDACTED, *HASHED)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mapper() -> PiiMapper:
    return PiiMapper(StaticDetector({**REDACTED, **HASHED, **MASKED}), hash_key=b"k" * 32)


MAPPER = mapper()


# --- the four header parsers ------------------------------------------------------------------


def hostile_header_values() -> st.SearchStrategy[str]:
    return header_values() | hostile_texts(("email=mask", "0-3", '{"<PERSON_1>": "x"}', "v1."))


@FUZZ
@given(hostile_header_values())
def test_each_header_parser_answers_only_header_errors(value: str) -> None:
    for parse in (parse_pii_mapping, parse_auto_mapping, parse_positions):
        with contextlib.suppress(PiiHeaderError):
            parse(value)
    for key in (None, SEAL_KEY):
        error = None
        try:
            decode_history_header(value, seal_key=key)
        except PiiHeaderError as caught:
            error = caught
        assert error is None or error.item is None  # never echoes the mapping


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["X-Pii-Mapping", "x-auto-pii-mapping", "X-PII-POSITIONS", HISTORY_HEADER]),
        hostile_header_values(),
    ),
    st.booleans(),
)
def test_parse_headers_answers_a_policy_or_a_header_error(
    headers: dict[str, str], sealed: bool
) -> None:
    try:
        policy = parse_headers(headers, seal_key=SEAL_KEY if sealed else None)
    except PiiHeaderError as error:
        json.dumps(error.to_detail(), ensure_ascii=False).encode("utf-8")  # always writable
    else:
        policy.model_dump_json()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["email=mask,", "0-1,", "{", "v1.", "A", "\ud800", "\x00", " a", "é"]),
    st.integers(270_000, 400_000),  # past every bound (the history mapping: 256 KiB)
    st.sampled_from(["X-Pii-Mapping", "X-Auto-Pii-Mapping", "X-Pii-Positions", HISTORY_HEADER]),
)
def test_huge_header_values_are_header_errors(piece: str, count: int, header: str) -> None:
    with pytest.raises(PiiHeaderError) as info:
        parse_headers({header: piece * count}, seal_key=SEAL_KEY)
    assert info.value.header == header
    assert len(str(info.value)) < 1_000  # says how long, never echoes it


# --- mask and preview with hostile history ----------------------------------------------------


def texts() -> st.SearchStrategy[str]:
    return hostile_texts(PLANTED)


def outputs(result: Any) -> str:
    """Everything a mask result hands back, as one searchable text."""
    history = json.dumps([dict(item) for item in result.history], default=repr)
    header = result.mapping.to_header()
    return "\n".join([result.text, history, header, json.dumps(dict(result.mapping)), repr(result)])


@FUZZ
@given(texts(), st.lists(history_items(texts()), max_size=4), st.booleans())
def test_mask_and_preview_of_hostile_conversations(
    message: str, history: list[Any], with_mapping: bool
) -> None:
    headers = dict(POLICY_HEADERS)
    if with_mapping:  # a mapping whose SSN entry the policy now redacts
        headers[HISTORY_HEADER] = json.dumps(
            {"<US_SSN_1>": "536-22-8726", "<PERSON_1>": "Grace Hopper"}
        )
    policy = parse_headers(headers)
    try:
        result = MAPPER.mask(message, policy, history)
    except PiiInputError as error:
        result = error
    if isinstance(result, PiiInputError):
        shown = f"{result} {result!r} {result.code}"
        assert not [secret for secret in PLANTED if secret in shown]
        shown.encode("utf-8")  # no lone surrogate quoted
        with_preview_too = False
    else:
        everything = outputs(result)
        assert not [secret for secret in SECRETS if secret in everything], everything
        decoded = decode_history_header(result.mapping.to_header())
        assert not set(SECRETS) & set(decoded.values())
        with_preview_too = True
    try:
        preview = MAPPER.preview(message, policy, history)
    except PiiInputError:
        assert not with_preview_too  # the preview fails exactly when masking does
        return
    assert with_preview_too
    dumped = preview.model_dump_json()
    dumped.encode("utf-8")  # valid Unicode throughout
    json.loads(dumped)
    assert not [secret for secret in SECRETS if secret in dumped]


# --- unmask_json ---------------------------------------------------------------------------

MAPPING = ConversationMapping({"<PERSON_1>": 'Zoë "Q" \\ \x01\n', "<EMAIL_ADDRESS_1>": "a@b.c"})


def plain_texts() -> st.SearchStrategy[str]:
    """Strings that hold no placeholder form (no digit can end one)."""
    return st.text(st.characters(exclude_categories=("Nd",), exclude_characters="0123456789"))


@FUZZ
@given(json_values(plain_texts()))
def test_unmask_json_without_placeholders_is_the_identity(value: object) -> None:
    assert unmask_json(value, MAPPING) == value


@FUZZ
@given(json_documents(plain_texts()))
def test_json_text_without_placeholders_comes_back_byte_for_byte(document: str) -> None:
    assert unmask_json(document, MAPPING) == document
    assert unmask_json({"arguments": document}, MAPPING) == {"arguments": document}


def with_placeholders() -> st.SearchStrategy[str]:
    return st.lists(
        plain_texts() | st.sampled_from(["<PERSON_1>", "<EMAIL_ADDRESS_1>", " ", "<URL_7>"]),
        max_size=5,
    ).map("".join)


@FUZZ
@given(json_documents(with_placeholders()))
def test_json_text_is_restored_in_its_strings_only_and_stays_valid(document: str) -> None:
    restored = unmask_json(document, MAPPING)
    assert json.loads(restored, object_pairs_hook=list) == unmask_json(
        json.loads(document, object_pairs_hook=list), MAPPING
    )
    # Outside string tokens, nothing changed: the same number tokens in the same order.
    assert _outside_strings(restored) == _outside_strings(document)


def _outside_strings(document: str) -> str:
    """``document`` without its string tokens (the parts no unmasking may touch)."""
    kept, position = [], 0
    while (quote := document.find('"', position)) >= 0:
        kept.append(document[position:quote])
        _, position = json.decoder.scanstring(document, quote + 1)  # type: ignore[attr-defined]
    kept.append(document[position:])
    return "".join(kept)
