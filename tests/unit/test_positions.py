"""X-Pii-Positions (SPEC §3.3): the text form, the JSON form, their errors, and the spans
resolved against a message."""

from __future__ import annotations

import json

import pytest

from pii_mapper import headers as h
from pii_mapper import positions
from pii_mapper.detection import Source
from pii_mapper.errors import PiiHeaderError
from pii_mapper.policy import Action, DeclaredSpan, PiiPolicy, Units
from pii_mapper.positions import codepoint_to_utf16, declared_spans

POSITIONS = h.POSITIONS_HEADER


def span(start: int, end: int, entity: str = "PII", action: str | None = None) -> DeclaredSpan:
    return DeclaredSpan(start=start, end=end, entity=entity, action=action)


def reject(value: str, code: str, *words: str) -> PiiHeaderError:
    with pytest.raises(PiiHeaderError) as info:
        h.parse_headers({POSITIONS: value})
    error = info.value
    assert (error.header, error.code) == (POSITIONS, code), str(error)
    detail = error.to_detail()
    assert detail[0]["loc"] == ["header", POSITIONS]
    assert detail[0]["type"] == code
    for word in words:
        assert word in error.reason, error.reason
    return error


def test_headers_calls_the_one_parser() -> None:
    assert h.parse_positions is positions.parse_positions
    assert h.render_positions is positions.render_positions
    assert h.POSITIONS_HEADER == positions.POSITIONS_HEADER == "X-Pii-Positions"


# --- text form ------------------------------------------------------------------------------


def test_spec_example() -> None:
    spans, units = h.parse_positions("11-21:person, 36-58:email=redact")
    assert spans == (span(11, 21, "PERSON"), span(36, 58, "EMAIL_ADDRESS", "redact"))
    assert units is Units.CODEPOINT


def test_whitespace_empty_items_aliases_and_order() -> None:
    spans, _ = h.parse_positions(" , 40 - 45 = Allow ,, 0-3 : Credit Card = HASH ,\t5-9:pii, ")
    assert spans == (
        span(0, 3, "CREDIT_CARD", "hash"),
        span(5, 9),
        span(40, 45, action="keep"),
    )


def test_entity_names_with_dashes_are_not_ranges() -> None:
    assert h.parse_positions("1-5:credit-card")[0] == (span(1, 5, "CREDIT_CARD"),)


def test_touching_spans_and_exact_repeats() -> None:
    assert h.parse_positions("0-5, 5-9")[0] == (span(0, 5), span(5, 9))
    # A repeated header may send the same span twice: one span.
    assert h.parse_positions("0-5:person, 0-5:name")[0] == (span(0, 5, "PERSON"),)


def test_leading_zeros_and_the_largest_offset() -> None:
    top = "9" * h.MAX_OFFSET_DIGITS
    assert h.parse_positions("007-010")[0] == (span(7, 10),)
    assert h.parse_positions(f"0-{top}")[0] == (span(0, int(top)),)


def test_empty_value_is_no_spans() -> None:
    assert h.parse_positions("  , ,") == ((), Units.CODEPOINT)


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("5-3", "empty_span", ["item 1", "5-3", "start must be less than end"]),
        ("3-3", "empty_span", ["3-3"]),
        ("-1-5", "bad_offset", ["negative"]),
        ("1--5", "bad_offset", ["end is negative"]),
        ("a-5", "bad_offset", ["start", "non-negative integer", "'a'"]),
        ("1.5-3", "bad_offset", ["'1.5'"]),
        ("+1-3", "bad_offset", ["'+1'"]),
        ("0x1-0x9", "bad_offset", ["'0x1'"]),
        ("1 0-20", "bad_offset", ["'1 0'"]),
        ("1-2-3", "bad_offset", ["end", "'2-3'"]),
        ("0-1" + "0" * 12, "bad_offset", ["more than 12 digits"]),
        ("5", "bad_span", ["start-end[:entity][=action]"]),
        (":person", "bad_span", ["item 1"]),
        ("5-", "bad_offset", ["end is missing"]),
        ("-", "bad_offset", ["start is missing"]),
        ("0-5, 7-9, 3-8:email", "overlapping_spans", ["item 3, span 3-8", "item 1, span 0-5"]),
        ("0-5:person, 0-5:email", "overlapping_spans", ["item 2", "item 1"]),
        ("10-20, 0-30", "overlapping_spans", ["item 2, span 0-30", "item 1, span 10-20"]),
        ("1-2:emial", "unknown_entity", ["EMAIL_ADDRESS"]),
        ("1-2:", "unknown_entity", ["missing"]),
        ("1-2:*", "unknown_entity", ["'*'"]),
        ("1-2=erase", "unknown_action", ["mask, redact, hash, keep"]),
        ("1-2=", "unknown_action", ["nothing"]),
        ("1-2:person:x", "unknown_entity", ["'person:x'"]),
    ],
)
def test_text_form_errors(value: str, code: str, words: list[str]) -> None:
    reject(value, code, *words)


def test_overlap_error_echoes_the_later_item() -> None:
    error = reject("0-5, 3-8:email", "overlapping_spans")
    assert error.item == "3-8:email"


# --- JSON form ------------------------------------------------------------------------------


def test_json_object_form() -> None:
    value = json.dumps(
        {
            "units": "utf16",
            "spans": [
                {"start": 36, "end": 58, "entity": "email", "action": "redact"},
                {"start": 11, "end": 21, "entity": "person"},
                {"start": 0, "end": 2, "entity": None, "action": None},
            ],
        }
    )
    spans, units = h.parse_positions(value)
    assert spans == (span(0, 2), span(11, 21, "PERSON"), span(36, 58, "EMAIL_ADDRESS", "redact"))
    assert units is Units.UTF16


@pytest.mark.parametrize(
    ("written", "units"),
    [
        ("codepoint", Units.CODEPOINT),
        ("CodePoint", Units.CODEPOINT),
        ("code_points", Units.CODEPOINT),
        ("UTF-16", Units.UTF16),
        ("utf16", Units.UTF16),
    ],
)
def test_json_units_spellings(written: str, units: Units) -> None:
    assert h.parse_positions(json.dumps({"units": written, "spans": []})) == ((), units)


def test_json_bare_list_and_default_units() -> None:
    assert h.parse_positions(' [ {"start": 1, "end": 2} ] ') == ((span(1, 2),), Units.CODEPOINT)
    assert h.parse_positions('{"spans": [{"end": 2, "start": 1}]}')[1] is Units.CODEPOINT
    assert h.parse_positions("[]") == ((), Units.CODEPOINT)


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("[", "bad_json", ["not valid JSON"]),
        ('{"spans": [}', "bad_json", ["not valid JSON"]),
        ("[" * 4000 + "]" * 4000, "bad_json", ["nested too deeply"]),
        ("[1]", "bad_json", ["item 1", "expected an object", "an integer"]),
        ('{"spans": {}}', "bad_json", ["expected a list", "an object"]),
        ('{"units": "utf16"}', "bad_json", ['"spans"']),
        ('{"spans": [], "unit": "utf16"}', "bad_json", ["unknown key 'unit'", "units, spans"]),
        ('[{"start": 1, "end": 2, "type": "x"}]', "bad_json", ["unknown key 'type'"]),
        ('[{"start": 1, "end": 2, "start": 0}]', "bad_json", ["'start' appears twice"]),
        ('{"units": "bytes", "spans": []}', "bad_units", ['"codepoint" or "utf16"', "'bytes'"]),
        ('{"units": 16, "spans": []}', "bad_units", ["an integer"]),
        ('[{"start": true, "end": 2}]', "bad_offset", ['"start"', "a boolean"]),
        ('[{"start": 0, "end": 2.0}]', "bad_offset", ['"end"', "fraction"]),
        ('[{"start": "0", "end": 2}]', "bad_offset", ["a string"]),
        ('[{"start": null, "end": 2}]', "bad_offset", ["null"]),
        ('[{"end": 2}]', "bad_offset", ['"start"', "null"]),
        ('[{"start": -1, "end": 2}]', "bad_offset", ["negative"]),
        ('[{"start": 0, "end": 1e3}]', "bad_offset", ["fraction"]),
        ('[{"start": 0, "end": 1' + "0" * 12 + "}]", "bad_offset", ["more than 12 digits"]),
        ('[{"start": 0, "end": 1' + "0" * 5000 + "}]", "bad_offset", ["more than 12 digits"]),
        ('[{"start": 0, "end": NaN}]', "bad_offset", ["NaN"]),
        ('[{"start": 0, "end": Infinity}]', "bad_offset", ["Infinity"]),
        ('[{"start": 2, "end": 2}]', "empty_span", ["item 1", "2-2"]),
        ('[{"start": 0, "end": 2, "entity": 7}]', "bad_json", ['"entity" must be a string']),
        ('[{"start": 0, "end": 2, "action": []}]', "bad_json", ['"action"', "a list"]),
        ('[{"start": 0, "end": 2, "entity": "emial"}]', "unknown_entity", ["EMAIL_ADDRESS"]),
        ('[{"start": 0, "end": 2, "action": "erase"}]', "unknown_action", ["'erase'"]),
        ('[{"start": 0, "end": 5}, {"start": 4, "end": 6}]', "overlapping_spans", ["item 2"]),
        ('[{"start": 0, "end": 2, "entity": "\\ud800"}]', "unknown_entity", ["\\ud800"]),
    ],
)
def test_json_form_errors(value: str, code: str, words: list[str]) -> None:
    reject(value, code, *words)


# --- what is checked later, against the message ---------------------------------------------


def test_past_the_end_is_checked_against_the_message() -> None:
    policy = h.parse_headers({POSITIONS: "0-5, 6-100"})  # parses: no message yet
    with pytest.raises(PiiHeaderError) as info:
        declared_spans(policy, "Hello world")
    assert (info.value.header, info.value.code) == (POSITIONS, "span_out_of_range")


def test_surrogate_pairs_are_checked_against_the_message() -> None:
    policy = h.parse_headers({POSITIONS: '{"units": "utf16", "spans": [{"start": 1, "end": 2}]}'})
    with pytest.raises(PiiHeaderError) as info:
        declared_spans(policy, "😀x")
    assert info.value.code == "span_splits_character"
    fine = h.parse_headers({POSITIONS: '{"units": "utf16", "spans": [{"start": 2, "end": 3}]}'})
    assert [(c.start, c.end) for c in declared_spans(fine, "😀x")] == [(1, 2)]


def test_declared_action_precedence_after_parsing() -> None:
    policy = h.parse_headers(
        {
            "X-Pii-Mapping": "person=hash, *=redact",
            POSITIONS: "0-1, 2-3:person, 4-5:person=keep",
        }
    )
    actions = [policy.declared_action(s) for s in policy.positions]
    assert actions == [Action.REDACT, Action.HASH, Action.KEEP]
    assert isinstance(policy, PiiPolicy)


def test_declared_spans_in_code_points() -> None:
    policy = PiiPolicy(positions=(DeclaredSpan(start=0, end=3, entity="PERSON", action="redact"),))
    [span] = declared_spans(policy, "Bob is here")
    assert (span.start, span.end, span.entity, span.action, span.source) == (
        0, 3, "PERSON", Action.REDACT, Source.DECLARED,
    )  # fmt: skip


def test_declared_spans_in_utf16_units_skip_surrogate_pairs() -> None:
    message = "😀 Bob"  # the emoji is 1 code point, 2 UTF-16 units
    policy = PiiPolicy(positions=(DeclaredSpan(start=3, end=6),), units=Units.UTF16)
    [span] = declared_spans(policy, message)
    assert message[span.start : span.end] == "Bob"


def test_utf16_offset_inside_a_surrogate_pair_is_an_error() -> None:
    policy = PiiPolicy(positions=(DeclaredSpan(start=1, end=3),), units=Units.UTF16)
    with pytest.raises(PiiHeaderError) as info:
        declared_spans(policy, "😀 Bob")
    assert info.value.header == "X-Pii-Positions"
    assert info.value.code == "span_splits_character"


@pytest.mark.parametrize("units", list(Units))
def test_span_past_the_end_is_an_error_that_names_the_header(units: Units) -> None:
    policy = PiiPolicy(positions=(DeclaredSpan(start=2, end=40),), units=units)
    with pytest.raises(PiiHeaderError) as info:
        declared_spans(policy, "secret text")
    assert info.value.code == "span_out_of_range"
    detail = info.value.to_detail()[0]
    assert detail["loc"] == ["header", "X-Pii-Positions"]
    assert "secret" not in str(info.value)


def test_code_points_convert_to_utf16_offsets() -> None:
    ascii_only = codepoint_to_utf16("plain")
    assert [ascii_only(i) for i in range(6)] == [0, 1, 2, 3, 4, 5]
    text = "a😀b😀"  # each emoji: one code point, two UTF-16 units
    utf16 = codepoint_to_utf16(text)
    assert [utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6]
    assert utf16(len(text)) == len(text.encode("utf-16-le")) // 2
