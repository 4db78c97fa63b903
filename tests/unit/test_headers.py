"""The header parsers (SPEC §1-3): X-Pii-Mapping, X-Auto-Pii-Mapping, parse_headers, render.

X-Pii-Positions has its own file, test_positions.py.
"""

from __future__ import annotations

import base64
import contextlib
import doctest
import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.datastructures import Headers

import pii_mapper
from pii_mapper import headers as h
from pii_mapper import positions
from pii_mapper.detection import StaticDetector
from pii_mapper.entities import CATALOGUE, ENTITY_NAMES
from pii_mapper.errors import MappingSealError, PiiHeaderError
from pii_mapper.headers import header_warnings, misspelt_pii_header, parse_headers
from pii_mapper.mapper import PiiMapper
from pii_mapper.mapping import (
    MAX_HISTORY_HEADER_BYTES,
    ConversationMapping,
    MappingEncoding,
    generate_seal_key,
)
from pii_mapper.policy import Action, AutoDetection, DeclaredSpan, PiiPolicy, Rule, Units
from tests.strategies import SPEC_ALIASES

MAPPING, AUTO = h.MAPPING_HEADER, h.AUTO_HEADER
POSITIONS, HISTORY = h.POSITIONS_HEADER, h.HISTORY_HEADER

HeadersArg = Mapping[str, str] | Iterable[tuple[str, str]]


def reject(headers: HeadersArg, header: str, code: str, **kwargs: Any) -> PiiHeaderError:
    """Parse, expect a PiiHeaderError about ``header`` with ``code``, check its 422 shape."""
    with pytest.raises(PiiHeaderError) as info:
        h.parse_headers(headers, **kwargs)
    return check_error(info.value, header, code)


def check_error(error: PiiHeaderError, header: str, code: str) -> PiiHeaderError:
    assert isinstance(error, ValueError)
    assert (error.header, error.code) == (header, code), str(error)
    detail = error.to_detail()
    assert len(detail) == 1
    assert set(detail[0]) == {"loc", "msg", "type", "input"}
    assert detail[0]["loc"] == ["header", header]
    assert detail[0]["type"] == code
    assert isinstance(detail[0]["msg"], str)
    assert len(detail[0]["msg"]) > 10
    assert detail[0]["input"] is None or isinstance(detail[0]["input"], str)
    assert str(error).startswith(header)
    json.dumps({"detail": detail})  # the 422 body serialises
    return error


@pytest.mark.parametrize(("module", "examples"), [(h, 3), (positions, 2)])
def test_doctests_of_the_header_parsers_run(module: ModuleType, examples: int) -> None:
    result = doctest.testmod(module)
    assert result.attempted >= examples
    assert result.failed == 0


def test_public_names() -> None:
    assert pii_mapper.parse_headers is h.parse_headers
    assert pii_mapper.render_headers is h.render_headers
    assert h.PII_HEADERS == (
        "X-Pii-Mapping",
        "X-Auto-Pii-Mapping",
        "X-Pii-Positions",
        "X-Chat-History-Pii-Mapping",
    )


# --- X-Pii-Mapping -------------------------------------------------------------------------


def test_rules_with_whitespace_and_empty_items() -> None:
    rules, wildcard = h.parse_pii_mapping(" , email = mask ,, ssn=REDACT ,\t")
    assert rules == (
        Rule(entity="EMAIL_ADDRESS", action=Action.MASK),
        Rule(entity="US_SSN", action=Action.REDACT),
    )
    assert wildcard is None


@pytest.mark.parametrize("name", ENTITY_NAMES)
def test_every_canonical_name_in_any_case(name: str) -> None:
    for spelling in (name, name.lower(), name.replace("_", "-").title(), name.replace("_", " ")):
        assert h.parse_pii_mapping(f"{spelling}=hash")[0] == (Rule(entity=name, action="hash"),)


@pytest.mark.parametrize(("alias", "canonical"), SPEC_ALIASES.items())
def test_spec_aliases(alias: str, canonical: str) -> None:
    for spelling in (alias, alias.upper(), alias.replace("_", "-"), alias.replace("_", " ")):
        rules, _ = h.parse_pii_mapping(f"{spelling} = keep")
        assert rules == (Rule(entity=canonical, action=Action.KEEP),)


def test_table_aliases_all_resolve() -> None:
    for spec in CATALOGUE.values():
        for alias in spec.aliases:
            assert h.parse_pii_mapping(f"{alias}=mask")[0][0].entity == spec.name


@pytest.mark.parametrize(
    ("spelling", "action"),
    [
        ("mask", "mask"),
        ("Redact", "redact"),
        ("HASH", "hash"),
        ("keep", "keep"),
        ("allow", "keep"),
        ("None", "keep"),
        (" ALLOW ", "keep"),
    ],
)
def test_action_spellings(spelling: str, action: str) -> None:
    assert h.parse_pii_mapping(f"url={spelling}")[0] == (Rule(entity="URL", action=action),)


def test_wildcard_and_generic_pii() -> None:
    rules, wildcard = h.parse_pii_mapping("*=hash, pii=redact, *=HASH")
    assert rules == (Rule(entity="PII", action=Action.REDACT),)
    assert wildcard is Action.HASH


def test_same_entity_twice_with_one_action_is_fine() -> None:
    rules, _ = h.parse_pii_mapping("email=mask, E-Mail=mask, EMAIL_ADDRESS=mask")
    assert rules == (Rule(entity="EMAIL_ADDRESS", action=Action.MASK),)


def test_same_entity_twice_with_two_actions_names_both_items() -> None:
    error = reject({MAPPING: "ssn=mask, url=keep, US-SSN=redact"}, MAPPING, "conflicting_rules")
    assert "item 3" in error.reason
    assert "item 1" in error.reason
    assert "US_SSN" in error.reason
    assert error.item == "US-SSN=redact"
    reject({MAPPING: "*=mask, *=keep"}, MAPPING, "conflicting_rules")


@pytest.mark.parametrize(
    ("typo", "suggested"),
    [
        ("emial", "EMAIL_ADDRESS"),
        ("phon", "PHONE_NUMBER"),
        ("creditcard", "CREDIT_CARD"),
        ("adress", "LOCATION"),
        ("pasport", "PASSPORT"),
        ("us-pasport", "US_PASSPORT"),
        ("EMAIL_ADRESS", "EMAIL_ADDRESS"),
    ],
)
def test_unknown_entity_suggests_the_closest(typo: str, suggested: str) -> None:
    error = reject({MAPPING: f"url=mask, {typo}=mask"}, MAPPING, "unknown_entity")
    assert "item 2" in error.reason
    assert "did you mean" in error.reason
    assert suggested in error.reason
    assert error.to_detail()[0]["input"] == f"{typo}=mask"


def test_unknown_entity_without_close_match_lists_valid_names() -> None:
    error = reject({MAPPING: "qqqqqqqq=mask"}, MAPPING, "unknown_entity")
    assert all(name in error.reason for name in ENTITY_NAMES)


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("email", "bad_rule", ["item 1", "entity=action", "'='"]),
        ("email=mask, ssn", "bad_rule", ["item 2"]),
        ("=mask", "unknown_entity", ["missing"]),
        ("email=", "unknown_action", ["mask, redact, hash, keep", "allow, none"]),
        ("email=erase", "unknown_action", ["'erase'", "mask, redact, hash, keep"]),
        ("email=mask=redact", "unknown_action", ["'mask=redact'"]),
        ("email:mask", "bad_rule", ["item 1"]),
    ],
)
def test_mapping_errors(value: str, code: str, words: list[str]) -> None:
    error = reject({MAPPING: value}, MAPPING, code)
    for word in words:
        assert word in error.reason


# --- X-Auto-Pii-Mapping --------------------------------------------------------------------


@pytest.mark.parametrize("word", ["true", "on", "yes", "1", "TRUE", "On", " Yes "])
def test_auto_true(word: str) -> None:
    assert h.parse_auto_mapping(word) == AutoDetection()


@pytest.mark.parametrize("word", ["false", "off", "no", "0", "FALSE", "Off", "NO"])
def test_auto_false(word: str) -> None:
    assert h.parse_auto_mapping(word) == AutoDetection(enabled=False)


def test_auto_parameters() -> None:
    auto = h.parse_auto_mapping(
        " action = Redact ; entities = email|Phone  credit-card| ; THRESHOLD=.75; language=EN-us"
    )
    assert auto == AutoDetection(
        action=Action.REDACT,
        entities=frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD"}),
        threshold=0.75,
        language="en",
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0.0),
        ("1", 1.0),
        ("0.5", 0.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("1e-3", 0.001),
        ("1E-3", 0.001),
        ("0.0001e+2", 0.01),
        ("1.000", 1.0),
    ],
)
def test_auto_threshold_forms(text: str, value: float) -> None:
    assert h.parse_auto_mapping(f"threshold={text}").threshold == value


@pytest.mark.parametrize("code", ["en", "fr", "de", "es", "it", "nl"])
def test_auto_language_codes(code: str) -> None:
    auto = h.parse_auto_mapping(f"language={code.upper()}-XX")
    assert auto.language == code
    assert h.render_auto_mapping(auto) == f"language={code}"
    assert h.parse_auto_mapping(h.render_auto_mapping(auto)) == auto


def test_without_a_language_each_message_is_identified() -> None:
    assert h.parse_auto_mapping("true").language is None
    assert h.parse_auto_mapping("action=redact").language is None
    assert "language" not in h.render_auto_mapping(AutoDetection(action=Action.REDACT))


def test_a_policy_refuses_an_unsupported_language() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        AutoDetection(language="pt")


def test_auto_repeats_with_one_value_and_redundant_true_are_fine() -> None:
    assert h.parse_auto_mapping("action=hash; ACTION=hash, true, on") == AutoDetection(
        action=Action.HASH
    )
    both = h.parse_auto_mapping("entities=email|phone; entities=phone email")
    assert both.entities == frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER"})
    assert h.parse_auto_mapping("no, off, 0") == AutoDetection(enabled=False)


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("maybe", "bad_value", ["true, false", "name=value"]),
        ("entities=email,phone", "bad_value", ["item 2", "entities=email|phone"]),
        ("treshold=0.5", "unknown_parameter", ["did you mean threshold", "action, entities"]),
        ("mode=fast", "unknown_parameter", ["action, entities, threshold, language"]),
        ("action=erase", "unknown_action", ["mask, redact, hash, keep"]),
        ("action=", "unknown_action", ["nothing"]),
        ("entities=", "bad_value", ["at least one"]),
        ("entities=| |", "bad_value", ["at least one"]),
        ("entities=emial", "unknown_entity", ["EMAIL_ADDRESS"]),
        ("entities=pii", "not_detectable", ["X-Pii-Positions"]),
        ("language=pt", "unsupported_language", ["'pt'", "de, en, es, fr, it, nl"]),
        ("language=ja-JP", "unsupported_language", ["'ja'", "de, en, es, fr, it, nl"]),
        ("language=english", "unsupported_language", ["language code"]),
        ("language=en-", "unsupported_language", ["language code"]),
        ("action=hash; action=mask", "conflicting_parameters", ["item 2", "twice"]),
        ("true; false", "conflicting_parameters", ["item 2"]),
        ("false; threshold=0.2", "conflicting_parameters", ["off", "threshold"]),
    ],
)
def test_auto_errors(value: str, code: str, words: list[str]) -> None:
    error = reject({AUTO: value}, AUTO, code)
    for word in words:
        assert word in error.reason, error.reason


@pytest.mark.parametrize(
    "text",
    [
        "nan",
        "NaN",
        "inf",
        "-inf",
        "infinity",
        "-0.1",
        "-0",
        "1.01",
        "2",
        "1e1",
        "0x1",
        "1e",
        "e5",
        ".",
        "",
        "1_0",
        "0.5.5",
        "+0.5",
        "5%",
        "1" * 33,
        "0." + "0" * 31,
    ],
)
def test_auto_threshold_rejects(text: str) -> None:
    error = reject({AUTO: f"threshold={text}"}, AUTO, "bad_threshold")
    assert "0 to 1" in error.reason


# --- parse_headers: names, repeats, bounds, characters --------------------------------------


@pytest.mark.parametrize(
    "name", ["X-Pii-Mapping", "x-pii-mapping", "X-PII-MAPPING", "x-Pii-mApping"]
)
def test_header_names_are_case_insensitive(name: str) -> None:
    policy = h.parse_headers({name: "ssn=redact"})
    assert policy.rules == (Rule(entity="US_SSN", action=Action.REDACT),)


def test_every_form_of_headers_argument() -> None:
    expected = h.parse_headers({MAPPING: "ssn=redact, email=keep"})
    pairs = [("x-pii-mapping", "ssn=redact"), ("Content-Type", "text/plain")]
    pairs.append(("X-PII-Mapping", "email=keep"))
    assert h.parse_headers(pairs) == expected
    assert h.parse_headers(iter(pairs)) == expected
    raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in pairs]
    assert h.parse_headers(raw) == expected  # type: ignore[arg-type]  # ASGI's raw bytes
    assert h.parse_headers(Headers(raw=raw)) == expected  # repeats via multi_items()
    with pytest.raises(TypeError):
        h.parse_headers("X-Pii-Mapping: ssn=redact")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        h.parse_headers([(1, "x")])  # type: ignore[list-item]


def test_other_headers_are_ignored_whatever_they_hold() -> None:
    policy = h.parse_headers({"X-Pii-Maping": "\x00 bogus", "Authorization": "é" * 100_000})
    assert policy == PiiPolicy()


def test_repeated_list_headers_are_one_comma_joined_list() -> None:
    policy = h.parse_headers(
        [
            (MAPPING, "email=mask"),
            (MAPPING, "ssn=redact"),
            (AUTO, "action=hash"),
            (AUTO, "threshold=0.3"),
            (POSITIONS, "0-4"),
            (POSITIONS, "10-12:person"),
        ]
    )
    assert {r.entity for r in policy.rules} == {"EMAIL_ADDRESS", "US_SSN"}
    assert policy.auto == AutoDetection(action=Action.HASH, threshold=0.3)
    assert [(s.start, s.entity) for s in policy.positions] == [(0, "PII"), (10, "PERSON")]
    reject([(MAPPING, "email=mask"), (MAPPING, "email=keep")], MAPPING, "conflicting_rules")


def test_repeated_history_header_is_an_error() -> None:
    header = ConversationMapping({"<PERSON_1>": "Ada Lovelace"}).to_header()
    error = reject([(HISTORY, header), (HISTORY.lower(), header)], HISTORY, "repeated")
    assert "2 times" in error.reason
    reject({HISTORY: header, HISTORY.upper(): header}, HISTORY, "repeated")


@pytest.mark.parametrize("header", [MAPPING, AUTO, POSITIONS])
def test_size_bound_of_the_list_headers(header: str) -> None:
    within = {MAPPING: "email=mask", AUTO: "true", POSITIONS: "0-1"}[header]
    h.parse_headers({header: within + " " * (h.MAX_HEADER_CHARS - len(within))})
    error = reject({header: "\x00" * (h.MAX_HEADER_CHARS + 1)}, header, "too_long")
    assert str(h.MAX_HEADER_CHARS) in error.reason  # checked before the characters
    half = within + " " * (h.MAX_HEADER_CHARS // 2)
    reject([(header, half), (header, half)], header, "too_long")  # the joined value counts


def test_size_bound_of_the_history_header() -> None:
    reject({HISTORY: "A" * (MAX_HISTORY_HEADER_BYTES + 4)}, HISTORY, "too_long")


@pytest.mark.parametrize("header", [MAPPING, AUTO, POSITIONS])
@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\x00", "control"),
        ("\r", "control"),
        ("\n", "control"),
        ("\x7f", "control"),
        ("\u202e", "not ASCII"),
        ("\ud800", "not ASCII"),
        ("é", "not ASCII"),
        ("\u00a0", "not"),
    ],
)
def test_only_printable_ascii_spaces_and_tabs(header: str, char: str, kind: str) -> None:
    error = reject({header: f"ab{char}c"}, header, "bad_character")
    assert "character 3" in error.reason
    assert f"U+{ord(char):04X}" in error.reason
    assert kind in error.reason
    assert char not in str(error)


def test_tabs_are_whitespace() -> None:
    policy = h.parse_headers({MAPPING: "\temail\t=\tmask\t", AUTO: "action=\thash"})
    assert policy.rules == (Rule(entity="EMAIL_ADDRESS", action=Action.MASK),)


def test_non_string_values_are_header_errors() -> None:
    reject({MAPPING: None}, MAPPING, "bad_type")  # type: ignore[arg-type]
    reject([(HISTORY, 5)], HISTORY, "bad_type")  # type: ignore[list-item]


# --- parse_headers: which types are processed (SPEC §3.2) ----------------------------------

OFF = AutoDetection(enabled=False)
SSN_REDACT = (Rule(entity="US_SSN", action=Action.REDACT),)
CUSTOM_DEFAULT = PiiPolicy(rules=SSN_REDACT, auto=AutoDetection(action=Action.HASH))


@pytest.mark.parametrize(
    ("headers", "rules", "auto"),
    [
        ({}, (), AutoDetection()),
        ({POSITIONS: "0-3"}, (), AutoDetection()),
        ({MAPPING: " , "}, (), AutoDetection()),
        ({AUTO: " ; "}, (), AutoDetection()),
        ({MAPPING: "ssn=redact"}, SSN_REDACT, OFF),
        ({MAPPING: "ssn=redact, *=hash"}, SSN_REDACT, AutoDetection(action=Action.HASH)),
        ({MAPPING: "*=keep"}, (), AutoDetection(action=Action.KEEP)),
        ({AUTO: "true"}, (), AutoDetection()),
        ({AUTO: "false"}, (), OFF),
        ({AUTO: "action=hash"}, (), AutoDetection(action=Action.HASH)),
        ({MAPPING: "ssn=redact", AUTO: "yes"}, SSN_REDACT, AutoDetection()),
        ({MAPPING: "ssn=redact", AUTO: "off"}, SSN_REDACT, OFF),
        (
            {MAPPING: "ssn=redact, *=keep", AUTO: "entities=email; action=hash; threshold=0.7"},
            SSN_REDACT,
            AutoDetection(action=Action.KEEP, entities=frozenset({"EMAIL_ADDRESS"}), threshold=0.7),
        ),
    ],
)
def test_merge_table(headers: dict[str, str], rules: tuple[Rule, ...], auto: AutoDetection) -> None:
    policy = h.parse_headers(headers)
    assert (policy.rules, policy.auto) == (rules, auto)


def test_default_policy_applies_only_when_no_type_is_named() -> None:
    assert h.parse_headers({}, default=CUSTOM_DEFAULT) == CUSTOM_DEFAULT
    with_span = h.parse_headers({POSITIONS: "0-3"}, default=CUSTOM_DEFAULT)
    assert (with_span.rules, with_span.auto) == (CUSTOM_DEFAULT.rules, CUSTOM_DEFAULT.auto)
    assert h.parse_headers({MAPPING: "email=mask"}, default=CUSTOM_DEFAULT).auto == OFF
    assert h.parse_headers({AUTO: "true"}, default=CUSTOM_DEFAULT).rules == ()


def test_explicit_rules_win_over_the_automatic_default() -> None:
    policy = h.parse_headers({MAPPING: "person=keep, *=redact", AUTO: "action=hash"})
    assert policy.action_for("PERSON") is Action.KEEP
    assert policy.action_for("EMAIL_ADDRESS") is Action.REDACT
    only_named = h.parse_headers({MAPPING: "person=keep"})
    assert only_named.detected_entities() == {"PERSON"}
    assert only_named.action_for("EMAIL_ADDRESS") is None


def test_wildcard_contradicting_auto_false() -> None:
    error = reject({MAPPING: "*=mask", AUTO: "false"}, AUTO, "conflicting_headers")
    assert "X-Pii-Mapping" in error.reason
    assert "'*'" in error.reason


def test_errors_of_each_header_name_that_header() -> None:
    reject({MAPPING: "x=y", AUTO: "true"}, MAPPING, "unknown_entity")
    reject({MAPPING: "email=mask", AUTO: "nope"}, AUTO, "bad_value")
    reject({MAPPING: "email=mask", POSITIONS: "3-1"}, POSITIONS, "empty_span")
    reject({MAPPING: "email=mask", HISTORY: "%%%"}, HISTORY, "bad_encoding")


def test_validation_errors_become_header_errors() -> None:
    # Every field is checked before pydantic sees it; this is the net under that.
    with pytest.raises(PiiHeaderError) as info:
        h._build(h._FIELD_HEADERS, PiiPolicy, units="utf8")
    check_error(info.value, POSITIONS, "invalid_header")
    with pytest.raises(PiiHeaderError) as info:
        h._build(h._FIELD_HEADERS, PiiPolicy, history={"Ada Lovelace": "<PERSON_1>"})
    error = check_error(info.value, HISTORY, "invalid_mapping")
    assert "Ada" not in str(error)
    assert "Ada" not in repr(error.to_detail())


# --- X-Chat-History-Pii-Mapping -------------------------------------------------------------

ITEMS = {"<PERSON_1>": "Zoë Ångström", "<EMAIL_ADDRESS_1>": "zoe@example.org"}
VALUES = ("Zo", "ngstr", "zoe@", "example.org")


def test_history_as_json() -> None:
    header = json.dumps(ITEMS)
    policy = h.parse_headers({HISTORY: f"  {header} "})
    assert policy.history == ConversationMapping(ITEMS)
    assert policy.history.encoding is MappingEncoding.JSON
    assert list(policy.history) == list(ITEMS)


def test_history_as_base64url_padded_and_unpadded() -> None:
    raw = base64.urlsafe_b64encode(json.dumps(ITEMS, ensure_ascii=False).encode())
    for header in (raw.decode(), raw.decode().rstrip("=")):
        policy = h.parse_headers({HISTORY: header})
        assert policy.history == ConversationMapping(ITEMS)
        assert policy.history.encoding is MappingEncoding.BASE64URL


def test_history_sealed_with_a_key_and_a_conversation() -> None:
    key = generate_seal_key()
    token = ConversationMapping(ITEMS).to_header(seal_key=key, conversation_id="conv-7")
    policy = h.parse_headers({HISTORY: token}, key, conversation_id="conv-7")
    assert policy.history == ConversationMapping(ITEMS)
    assert policy.history.encoding is MappingEncoding.SEALED
    unbound = ConversationMapping(ITEMS).to_header(seal_key=key)
    assert h.parse_headers({HISTORY: unbound}, seal_key=key).history == ConversationMapping(ITEMS)


def test_history_sealed_rejections_never_echo_values() -> None:
    key, other = generate_seal_key(), generate_seal_key()
    token = ConversationMapping(ITEMS).to_header(seal_key=key, conversation_id="conv-7")
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    errors = [
        reject({HISTORY: token}, HISTORY, "bad_seal", seal_key=other, conversation_id="conv-7"),
        reject({HISTORY: token}, HISTORY, "bad_seal", seal_key=key, conversation_id="conv-8"),
        reject({HISTORY: token}, HISTORY, "bad_seal", seal_key=key),
        reject({HISTORY: tampered}, HISTORY, "bad_seal", seal_key=key, conversation_id="conv-7"),
        reject({HISTORY: token}, HISTORY, "seal_key_missing"),
    ]
    for error in errors:
        assert error.item is None
        assert not any(v in f"{error} {error!r} {error.to_detail()}" for v in VALUES)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ('{"<PERSON_1>": "Zoë"}', "not_ascii"),
        ('{"<PERSON_1>": "Zo', "bad_json"),
        ('{"<PERSON_1>": ""}', "invalid_mapping"),
        ('{"Zoe Angstrom": "<PERSON_1>"}', "invalid_mapping"),
        ('{"<PERSON_1>": "Zoe", "<PERSON_1>": "Zoey"}', "duplicate"),
        ("not base64!", "bad_encoding"),
    ],
)
def test_history_errors_do_not_echo_the_mapping(value: str, code: str) -> None:
    error = reject({HISTORY: value}, HISTORY, code)
    assert "Zo" not in f"{error} {error!r} {error.to_detail()}"


def test_empty_history_is_no_history() -> None:
    assert h.parse_headers({HISTORY: "  "}).history == ConversationMapping()


# --- render ---------------------------------------------------------------------------------


def test_render_headers_example() -> None:
    policy = PiiPolicy(
        rules=(Rule(entity="US_SSN", action="redact"), Rule(entity="EMAIL_ADDRESS", action="mask")),
        auto=AutoDetection(action=Action.HASH, entities=frozenset({"PERSON", "URL"})),
        positions=(DeclaredSpan(start=0, end=4), DeclaredSpan(start=5, end=9, entity="PERSON")),
    )
    assert h.render_headers(policy) == {
        MAPPING: "EMAIL_ADDRESS=mask, US_SSN=redact",
        AUTO: "action=hash; entities=PERSON|URL",
        POSITIONS: "0-4, 5-9:PERSON",
    }
    assert h.parse_headers(h.render_headers(policy)) == policy


def test_render_always_states_auto_and_omits_what_is_empty() -> None:
    assert h.render_headers(PiiPolicy()) == {AUTO: "true"}
    assert h.render_headers(PiiPolicy(auto=OFF)) == {AUTO: "false"}
    # With X-Auto-Pii-Mapping stated, a deployment default cannot change the meaning.
    off = PiiPolicy(auto=OFF)
    assert h.parse_headers(h.render_headers(off), default=CUSTOM_DEFAULT) == off


def test_render_positions_in_utf16_uses_the_json_form() -> None:
    spans = (DeclaredSpan(start=1, end=3, entity="URL", action="keep"),)
    value = h.render_positions(spans, Units.UTF16)
    assert json.loads(value) == {
        "units": "utf16",
        "spans": [{"start": 1, "end": 3, "entity": "URL", "action": "keep"}],
    }
    assert h.parse_positions(value) == (spans, Units.UTF16)
    assert h.render_positions((), Units.UTF16) == '{"units":"utf16","spans":[]}'
    assert h.parse_positions(h.render_positions((), Units.UTF16)) == ((), Units.UTF16)


def test_render_pii_mapping_with_wildcard() -> None:
    value = h.render_pii_mapping([Rule(entity="URL", action="keep")], Action.REDACT)
    assert value == "URL=keep, *=redact"
    assert h.parse_pii_mapping(value) == ((Rule(entity="URL", action="keep"),), Action.REDACT)


def test_render_auto_threshold_round_trips_exactly() -> None:
    for threshold in (0.0, 1.0, 0.1 + 0.2, 1e-05, 5e-324, -0.0):
        auto = AutoDetection(threshold=threshold)
        assert h.parse_auto_mapping(h.render_auto_mapping(auto)) == auto


@pytest.mark.parametrize("encoding", [MappingEncoding.JSON, MappingEncoding.BASE64URL])
def test_with_a_seal_key_only_sealed_mappings_are_accepted(encoding: MappingEncoding) -> None:
    key = generate_seal_key()
    plain = ConversationMapping(ITEMS, encoding=encoding).to_header()
    error = reject({HISTORY: plain}, HISTORY, "mapping_not_sealed", seal_key=key)
    assert error.item is None
    assert not any(v in f"{error} {error!r} {error.to_detail()}" for v in VALUES)
    allowed = h.parse_headers({HISTORY: plain}, key, allow_unsealed=True)
    assert allowed.history == ConversationMapping(ITEMS)
    assert h.parse_headers({HISTORY: plain}).history == ConversationMapping(ITEMS)  # no key
    # The mapping that comes back is sealed: the next turn is accepted.
    token = allowed.history.to_header()
    assert token.startswith("v1.")
    assert h.parse_headers({HISTORY: token}, key).history == ConversationMapping(ITEMS)


def test_a_history_value_that_is_not_valid_unicode_is_named_not_quoted() -> None:
    value = '{"<PERSON_1>": "Zo\\u00eb", "<EMAIL_ADDRESS_1>": "ada\\ud800@example.com"}'
    error = reject({HISTORY: value}, HISTORY, "invalid_unicode")
    assert "entry #2" in error.reason
    assert "character 3" in error.reason
    assert "ada" not in str(error)
    assert error.item is None


def test_no_conversation_and_the_empty_conversation_are_different_seals() -> None:
    key = generate_seal_key()
    unbound = ConversationMapping(ITEMS).to_header(seal_key=key)
    empty = ConversationMapping(ITEMS).to_header(seal_key=key, conversation_id="")
    reject({HISTORY: unbound}, HISTORY, "bad_seal", seal_key=key, conversation_id="")
    reject({HISTORY: empty}, HISTORY, "bad_seal", seal_key=key)
    opened = h.parse_headers({HISTORY: empty}, key, conversation_id="")
    assert opened.history == ConversationMapping(ITEMS)
    assert h.parse_headers({HISTORY: unbound}, key).history == ConversationMapping(ITEMS)


def test_render_refuses_what_the_header_cannot_say() -> None:
    for entities in (frozenset(), frozenset({"PII"})):
        with pytest.raises(PiiHeaderError) as info:
            h.render_auto_mapping(AutoDetection(entities=entities))
        check_error(info.value, AUTO, "not_renderable")


def test_render_history_sealed_or_in_its_encoding() -> None:
    key = generate_seal_key()
    policy = PiiPolicy(history=ConversationMapping(ITEMS, encoding=MappingEncoding.JSON))
    assert json.loads(h.render_headers(policy)[HISTORY]) == ITEMS
    sealed = h.render_headers(policy, key, conversation_id="c")[HISTORY]
    assert sealed.startswith("v1.")
    assert h.parse_headers({HISTORY: sealed}, key, conversation_id="c").history == policy.history
    opened = h.parse_headers({HISTORY: sealed}, key, conversation_id="c")
    resealed = h.render_headers(opened)[HISTORY]  # the mapping keeps its key and conversation
    assert h.parse_headers({HISTORY: resealed}, key, conversation_id="c") == opened
    keyless = PiiPolicy(history=ConversationMapping(ITEMS, encoding=MappingEncoding.SEALED))
    with pytest.raises(MappingSealError):
        h.render_headers(keyless)


# --- the user documentation ------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "headers.md"


def test_docs_python_examples_print_what_they_promise() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 2
    for block in blocks:
        expected = re.findall(r"^\s*print\(.*\)\s*#\s?(.*)$", block, re.MULTILINE)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(DOCS), "exec"), {})
        assert out.getvalue().splitlines() == expected


ERROR_CODES = [
    *["too_long", "bad_character", "bad_type", "repeated", "invalid_header", "invalid_mapping"],
    *["bad_rule", "unknown_entity", "unknown_action", "conflicting_rules"],
    *["bad_value", "unknown_parameter", "not_detectable", "bad_threshold"],
    *["unsupported_language", "conflicting_parameters", "conflicting_headers"],
    *["bad_span", "bad_offset", "empty_span", "overlapping_spans", "bad_json", "bad_units"],
    *["span_out_of_range", "span_splits_character", "not_renderable"],
    *["bad_encoding", "not_ascii", "duplicate", "seal_key_missing", "bad_seal"],
    *["mapping_not_sealed", "invalid_unicode"],
]


def test_docs_list_every_error_code() -> None:
    documented = DOCS.read_text(encoding="utf-8")
    assert [code for code in ERROR_CODES if f"`{code}`" not in documented] == []
    raised_here = re.findall(r'"([a-z]+_[a-z_]+|repeated)",\n', Path(h.__file__).read_text())
    assert set(raised_here) - set(h.__all__) <= set(ERROR_CODES)


# --- misspelt header names (the rule of the CLI's and the API's warnings) -------------------


@pytest.mark.parametrize(
    ("name", "guess"),
    [
        ("X-Pii-Maping", "X-Pii-Mapping"),
        ("x-piimapping", "X-Pii-Mapping"),
        ("Pii-Mapping", "X-Pii-Mapping"),
        ("X-Pii-Position", "X-Pii-Positions"),
        ("X-Auto-PII", "X-Auto-Pii-Mapping"),
        ("X-Chat-History-Pii-Maping", "X-Chat-History-Pii-Mapping"),
        ("X_PII_MAPPING", "X-Pii-Mapping"),
    ],
)
def test_a_name_close_to_a_pii_header_is_a_misspelling(name: str, guess: str) -> None:
    assert misspelt_pii_header(name) == guess


@pytest.mark.parametrize(
    "name",
    [
        "X-Pii-Mapping",
        "x-chat-history-pii-mapping",
        "X-Request-Id",
        "Authorization",
        "X-Api-Key",
        "Content-Type",
        "User-Agent",
        "",
    ],
)
def test_pii_headers_and_common_headers_are_not_misspellings(name: str) -> None:
    assert misspelt_pii_header(name) is None


def test_header_warnings_name_the_header_never_its_value() -> None:
    headers = [
        ("X-Pii-Maping", "email=keep"),
        ("x-pii-maping", "ssn=keep"),
        ("Accept", "*/*"),
        ("X-Pii-Mapping", "email=mask"),
    ]
    [warning] = header_warnings(headers)
    assert "'X-Pii-Maping'" in warning
    assert "X-Pii-Mapping?" in warning
    assert "keep" not in warning
    assert header_warnings({"X-Pii-Mapping": "email=mask"}) == []


# --- the conversation a first turn's mapping is sealed for ----------------------------------


def test_a_first_turn_mapping_seals_for_the_conversation_it_was_parsed_for() -> None:
    key = generate_seal_key()
    mapper = PiiMapper(StaticDetector({"ada@example.com": "EMAIL_ADDRESS"}))
    first = parse_headers({"X-Pii-Mapping": "email=mask"}, seal_key=key, conversation_id="c1")
    result = mapper.mask("mail ada@example.com", first)
    header = result.mapping.to_header(seal_key=key)  # no conversation_id repeated
    second = parse_headers(
        {"X-Pii-Mapping": "email=mask", HISTORY: header},
        seal_key=key,
        conversation_id="c1",
    )
    assert dict(second.history) == {"<EMAIL_ADDRESS_1>": "ada@example.com"}
    with pytest.raises(PiiHeaderError, match="cannot be opened"):
        parse_headers({HISTORY: header}, seal_key=key, conversation_id="other")
    # The policy itself is the same with or without the conversation it was parsed for.
    assert first == parse_headers({"X-Pii-Mapping": "email=mask"})
