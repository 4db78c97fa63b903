"""Laws of the header parsers (SPEC §3): render/parse round trips, totality, no leaks, speed."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pii_mapper import testing as pt
from pii_mapper.entities import ENTITY_NAMES
from pii_mapper.errors import PiiHeaderError
from pii_mapper.headers import (
    AUTO_HEADER,
    HISTORY_HEADER,
    MAPPING_HEADER,
    MAX_HEADER_CHARS,
    PII_HEADERS,
    POSITIONS_HEADER,
    parse_headers,
    render_headers,
)
from pii_mapper.mapping import (
    MAX_HISTORY_HEADER_BYTES,
    ConversationMapping,
    MappingEncoding,
    generate_seal_key,
)
from pii_mapper.policy import Action, PiiPolicy, Rule
from tests.strategies import (
    DETECTABLE_ENTITIES,
    action_spellings,
    conversation_mappings,
    header_values,
    history_values,
    pii_policies,
    spelled_entities,
)

SEAL_KEY = generate_seal_key()


def outcome(headers: Any, **kwargs: Any) -> PiiPolicy | PiiHeaderError:
    """The policy, or the PiiHeaderError; any other exception fails the test."""
    try:
        return parse_headers(headers, **kwargs)
    except PiiHeaderError as error:
        return error


def random_case(data: st.DataObject, name: str) -> str:
    return "".join(c.swapcase() if data.draw(st.booleans()) else c for c in name)


# --- round trips ----------------------------------------------------------------------------


@settings(max_examples=200)
@given(pii_policies())
def test_parse_inverts_render(policy: PiiPolicy) -> None:
    assert parse_headers(render_headers(policy)) == policy


@settings(max_examples=100)
@given(pii_policies(), st.none() | st.text(max_size=10))
def test_parse_inverts_render_sealed(policy: PiiPolicy, conversation: str | None) -> None:
    headers = render_headers(policy, SEAL_KEY, conversation_id=conversation)
    if len(policy.history):
        assert headers[HISTORY_HEADER].startswith("v1.")
    assert parse_headers(headers, SEAL_KEY, conversation_id=conversation) == policy


@settings(max_examples=200)
@given(st.data())
def test_any_spelling_of_the_rules_means_the_same(data: st.DataObject) -> None:
    items = data.draw(st.lists(st.tuples(spelled_entities(), action_spellings()), max_size=8))
    chosen: dict[str, Action] = {}
    written = []
    for (spelling, entity), (action_text, action) in items:
        if chosen.setdefault(entity, action) is action:
            pad = data.draw(st.sampled_from(["", " ", "\t", "  "]))
            written.append(f"{pad}{spelling}{pad}={pad}{action_text}{pad}")
    if data.draw(st.booleans()):
        written.append("")  # empty items are ignored
    header = random_case(data, "x-pii-mapping")
    policy = parse_headers({header: ",".join(written)})
    expected = tuple(Rule(entity=e, action=a) for e, a in chosen.items())
    assert policy == PiiPolicy(rules=expected, auto=policy.auto)
    assert policy.rules == PiiPolicy(rules=expected).rules


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(PII_HEADERS[:3]), header_values(), max_size=3))
def test_whatever_parses_is_a_fixpoint_of_render(headers: dict[str, str]) -> None:
    result = outcome(headers)
    if isinstance(result, PiiPolicy):
        assert parse_headers(render_headers(result)) == result


@settings(max_examples=200)
@given(st.data())
def test_valid_header_values_are_fixpoints_of_render(data: st.DataObject) -> None:
    # Valid one by one (together too, but for '*' with 'false', which contradict each other).
    name = data.draw(st.sampled_from(PII_HEADERS))
    result = outcome({name: data.draw(pt.header_values(name))})
    assert isinstance(result, PiiPolicy)
    assert parse_headers(render_headers(result)) == result


# --- totality: a policy or a PiiHeaderError, for any value ----------------------------------


@settings(max_examples=500)
@given(st.data(), st.sampled_from(PII_HEADERS), header_values())
def test_any_value_gives_a_policy_or_a_header_error(
    data: st.DataObject, header: str, value: str
) -> None:
    result = outcome({random_case(data, header): value}, seal_key=SEAL_KEY)
    if isinstance(result, PiiHeaderError):
        assert result.header == header
        detail = result.to_detail()
        assert detail[0]["loc"] == ["header", header]
        json.dumps({"detail": detail})
    else:
        assert isinstance(result, PiiPolicy)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from([*PII_HEADERS, "Other"]), header_values()), max_size=6))
def test_any_set_of_headers_gives_a_policy_or_a_header_error(pairs: list[tuple[str, str]]) -> None:
    result = outcome(pairs)
    if isinstance(result, PiiHeaderError):
        assert result.header in PII_HEADERS
    else:
        assert isinstance(result, PiiPolicy)


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 40),
            st.integers(1, 10),
            st.sampled_from(ENTITY_NAMES),
            st.sampled_from(Action),
        ),
        max_size=6,
    )
)
def test_declared_spans_parse_exactly_when_disjoint(
    spans: list[tuple[int, int, str, Action]],
) -> None:
    value = ", ".join(f"{s}-{s + n}:{e}={a.value}" for s, n, e, a in spans)
    distinct = set(spans)
    overlapping = any(
        a != b and a[0] < b[0] + b[1] and b[0] < a[0] + a[1] for a in distinct for b in distinct
    )
    result = outcome({POSITIONS_HEADER: value})
    if overlapping:
        assert isinstance(result, PiiHeaderError)
        assert result.code == "overlapping_spans"
    else:
        assert isinstance(result, PiiPolicy)
        assert [(d.start, d.end) for d in result.positions] == sorted(
            (s, s + n) for s, n, _, _ in distinct
        )


# --- the history header never leaks a value -------------------------------------------------

STRUCTURAL = [
    "swap_key_and_value",
    "empty_value",
    "value_as_number",
    "value_in_a_list",
    "nested_object",
    "duplicate_key",
    "value_as_key",
    "top_level_list",
    "truncate_json",
]


def corrupt_items(items: dict[str, str], how: str, index: int) -> str:
    """A JSON document derived from ``items`` that is not a valid mapping (or may not be)."""
    pairs: list[tuple[str, Any]] = list(items.items())
    key, value = pairs[index % len(pairs)]
    if how == "swap_key_and_value":
        pairs.append((value, key))
    elif how == "empty_value":
        pairs.append(("<PERSON_999>", ""))
    elif how == "value_as_number":
        pairs[index % len(pairs)] = (key, 7)
        pairs.append(("<URL_999>", [value]))
    elif how == "value_in_a_list":
        pairs[index % len(pairs)] = (key, [value])
    elif how == "nested_object":
        pairs[index % len(pairs)] = (key, {value: value})
    elif how == "duplicate_key":
        pairs.append((key, value + "!"))
    elif how == "value_as_key":
        pairs.append((f"<{value}_1>", value))
    elif how == "top_level_list":
        return json.dumps([value, key])
    text = "{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in pairs) + "}"
    return text[: max(1, len(text) - 1 - index % 7)] if how == "truncate_json" else text


def sealed(document: str) -> str:
    """``document`` sealed as a token, valid or not as a mapping (mapping.py's own sealing:
    the public API only seals valid mappings)."""
    from pii_mapper.mapping import _key_bytes, _seal

    return _seal(document.encode("utf-8"), _key_bytes(SEAL_KEY), None)


def assert_no_leak(result: PiiPolicy | PiiHeaderError, values: list[str]) -> None:
    if isinstance(result, PiiHeaderError):
        assert result.header == HISTORY_HEADER
        assert result.item is None
        shown = f"{result} {result!r} {result.reason} {result.to_detail()} {result.args}"
        leaked = [v for v in values if v in shown]
        assert not leaked, shown


@settings(max_examples=300)
@given(
    conversation_mappings(history_values(ascii_only=True), min_size=1, max_size=4),
    st.sampled_from(STRUCTURAL),
    st.integers(0, 100),
    st.sampled_from(MappingEncoding),
)
def test_history_errors_never_contain_a_value_structural(
    mapping: ConversationMapping, how: str, index: int, encoding: MappingEncoding
) -> None:
    document = corrupt_items(mapping.to_dict(), how, index)
    if encoding is MappingEncoding.SEALED:
        header = sealed(document)
    elif encoding is MappingEncoding.JSON:
        header = document
    else:
        header = base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")
    values = list(mapping.values())
    assert_no_leak(outcome({HISTORY_HEADER: header}, seal_key=SEAL_KEY), values)


TEXT_EDITS = ["delete", "insert", "replace", "truncate", "duplicate", "append", "prefix"]


@settings(max_examples=300)
@given(
    conversation_mappings(history_values(ascii_only=True), min_size=1, max_size=4),
    st.sampled_from(MappingEncoding),
    st.lists(
        st.tuples(
            st.sampled_from(TEXT_EDITS),
            st.integers(0, 10_000),
            st.sampled_from(['"', "{", "}", ",", ":", "\\", "=", "A", "_", "-", " ", "\x00", "é"]),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_history_errors_never_contain_a_value_textual(
    mapping: ConversationMapping,
    encoding: MappingEncoding,
    edits: list[tuple[str, int, str]],
) -> None:
    key = SEAL_KEY if encoding is MappingEncoding.SEALED else None
    header = ConversationMapping(mapping, encoding=encoding).to_header(seal_key=key)
    for edit, position, char in edits:
        i = position % (len(header) + 1)
        header = {
            "delete": header[:i] + header[i + 1 :],
            "insert": header[:i] + char + header[i:],
            "replace": header[:i] + char + header[i + 1 :],
            "truncate": header[:i],
            "duplicate": header[:i] + header[i // 2 : i] + header[i:],
            "append": header + char * (1 + position % 5),
            "prefix": char + header,
        }[edit]
    result = outcome({HISTORY_HEADER: header}, seal_key=SEAL_KEY)
    assert_no_leak(result, list(mapping.values()))


# --- sealed tokens --------------------------------------------------------------------------

TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=. {1v"


@settings(max_examples=200)
@given(
    conversation_mappings(history_values(ascii_only=True), min_size=1),
    st.none() | st.text(max_size=8),
    st.integers(0, 10_000),
    st.sampled_from(TOKEN_CHARS),
)
def test_sealed_tokens_round_trip_and_reject_any_one_character_change(
    mapping: ConversationMapping, conversation: str | None, position: int, char: str
) -> None:
    token = mapping.to_header(seal_key=SEAL_KEY, conversation_id=conversation)
    opened = parse_headers({HISTORY_HEADER: token}, SEAL_KEY, conversation_id=conversation)
    assert opened.history == mapping
    i = position % len(token)
    assume(token[i] != char)
    changed = token[:i] + char + token[i + 1 :]
    result = outcome({HISTORY_HEADER: changed}, seal_key=SEAL_KEY, conversation_id=conversation)
    # Base64url is read in canonical form only, so even the unused low bits of the last
    # character count: every change is an error.
    assert isinstance(result, PiiHeaderError)
    assert_no_leak(result, list(mapping.values()))


# --- bounded, linear time -------------------------------------------------------------------

N = MAX_HEADER_CHARS
ADVERSARIAL = [
    (MAPPING_HEADER, "1-" * (N // 2)),
    (MAPPING_HEADER, "a=" * (N // 2)),
    (MAPPING_HEADER, "," * N),
    (MAPPING_HEADER, "=" * N),
    (MAPPING_HEADER, "email=mask," * (N // 11)),
    (MAPPING_HEADER, "-_ " * (N // 3 - 2) + "=mask"),
    (MAPPING_HEADER, "x" * (N - 5) + "=mask"),
    (AUTO_HEADER, ";" * N),
    (AUTO_HEADER, "entities=" + "email|" * ((N - 9) // 6)),
    (AUTO_HEADER, "threshold=" + "1" * (N - 10)),
    (AUTO_HEADER, "true," * (N // 5)),
    (AUTO_HEADER, "entities=" + "x" * (N - 9)),
    (POSITIONS_HEADER, "1-" * (N // 2)),
    (POSITIONS_HEADER, "[" * N),
    (POSITIONS_HEADER, "{" * N),
    (POSITIONS_HEADER, '{"spans":' * (N // 9)),
    (POSITIONS_HEADER, '[{"start":' * (N // 10)),
    (POSITIONS_HEADER, "[" + "1" * (N - 2) + "]"),
    (POSITIONS_HEADER, "9" * N),
    (POSITIONS_HEADER, "1-2," * (N // 4)),
    (POSITIONS_HEADER, ",".join(f"{i}-{i + 1}" for i in range(900))),
    (POSITIONS_HEADER, ",".join(f"{900 - i}-{901 - i}" for i in range(900))),
    (HISTORY_HEADER, "{" * MAX_HISTORY_HEADER_BYTES),
    (HISTORY_HEADER, "[" * MAX_HISTORY_HEADER_BYTES),
    (HISTORY_HEADER, "A" * MAX_HISTORY_HEADER_BYTES),
    (HISTORY_HEADER, "v1." + "A" * (MAX_HISTORY_HEADER_BYTES - 3)),
    (HISTORY_HEADER, '{"<PERSON_1>":"' + "a" * (MAX_HISTORY_HEADER_BYTES - 20) + '"}'),
    (HISTORY_HEADER, '{"<PERSON_1>":[' + "[" * (MAX_HISTORY_HEADER_BYTES - 20) + '"}'),
]


@pytest.mark.parametrize(("header", "value"), ADVERSARIAL, ids=lambda x: str(x)[:24])
def test_adversarial_values_at_the_bound_finish_quickly(header: str, value: str) -> None:
    for attempt in (value, value + "x" * 10):  # at the bound, and just past it
        started = time.perf_counter()
        result = outcome({header: attempt}, seal_key=SEAL_KEY)
        assert time.perf_counter() - started < 2.0
        assert isinstance(result, PiiPolicy | PiiHeaderError)


def test_many_repeats_and_huge_other_headers_finish_quickly() -> None:
    started = time.perf_counter()
    repeated = outcome([(MAPPING_HEADER, "email=mask")] * 100_000)
    assert isinstance(repeated, PiiHeaderError)
    assert repeated.code == "too_long"
    positions = [(POSITIONS_HEADER, "0-1")] * 2_000
    assert isinstance(outcome(positions), PiiPolicy)  # 2000 repeats of one span: one span
    assert outcome({"X-Other": "x" * 10_000_000}) == PiiPolicy()
    huge = outcome({AUTO_HEADER: "\x00" * 10_000_000})
    assert isinstance(huge, PiiHeaderError)
    assert huge.code == "too_long"
    assert time.perf_counter() - started < 2.0


def test_parsing_time_grows_linearly() -> None:
    """Ten times the items takes well under a hundred times as long (no quadratic path)."""

    def cost(n: int) -> float:
        value = ", ".join(f"{name}=mask" for name in (DETECTABLE_ENTITIES * n)[:n])
        spans = ", ".join(f"{2 * i}-{2 * i + 1}:email" for i in range(n))
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            parse_headers({MAPPING_HEADER: value, POSITIONS_HEADER: spans})
            best = min(best, time.perf_counter() - started)
        return best

    assert cost(300) < 30 * max(cost(30), 1e-3)
