"""Declared spans, the merge rule, and the StaticDetector double."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_mapper.detection import (
    Candidate,
    Detector,
    KnownValues,
    Source,
    StaticDetector,
    declared_spans,
    merge_spans,
)
from pii_mapper.errors import PiiHeaderError
from pii_mapper.policy import Action, DeclaredSpan, PiiPolicy, Units

DET, DEC = Source.DETECTED, Source.DECLARED


def cand(start: int, end: int, entity: str = "PERSON", action: Action = Action.MASK,
         source: Source = DET, score: float = 0.8) -> Candidate:  # fmt: skip
    return Candidate(start, end, entity, action, source, score)


def test_static_detector_is_a_detector_and_filters_entities() -> None:
    detector = StaticDetector({"Ada": "PERSON", "ada@x.org": "EMAIL_ADDRESS"})
    assert isinstance(detector, Detector)
    [found] = detector.detect(["Ada wrote to ada@x.org"], frozenset({"EMAIL_ADDRESS"}))
    assert [(d.start, d.end, d.entity) for d in found] == [(13, 22, "EMAIL_ADDRESS")]
    assert detector.calls == 1


def test_disjoint_and_touching_spans_stay_apart() -> None:
    spans = [cand(5, 9), cand(0, 5), cand(12, 14)]
    assert [(s.start, s.end) for s in merge_spans(spans)] == [(0, 5), (5, 9), (12, 14)]


def test_overlapping_spans_merge_to_their_union_with_strictest_action() -> None:
    merged = merge_spans(
        [
            cand(0, 10, "PERSON", Action.MASK, score=0.9),
            cand(8, 20, "LOCATION", Action.REDACT, score=0.6),
            cand(19, 25, "URL", Action.KEEP, score=0.5),
        ]
    )
    assert merged == [Candidate(0, 25, "PERSON", Action.REDACT, DET, 0.9)]


def test_declared_entity_wins_then_score_then_length() -> None:
    declared = merge_spans(
        [cand(0, 4, "PII", source=DEC, score=1.0), cand(2, 9, "PERSON", score=1.0)]
    )
    assert declared[0].entity == "PII"
    assert declared[0].source is DEC
    by_score = merge_spans([cand(0, 4, "PERSON", score=0.5), cand(2, 9, "LOCATION", score=0.7)])
    assert by_score[0].entity == "LOCATION"
    by_length = merge_spans([cand(0, 4, "PERSON"), cand(2, 12, "LOCATION")])
    assert by_length[0].entity == "LOCATION"


def test_all_keep_stays_keep() -> None:
    merged = merge_spans([cand(0, 4, action=Action.KEEP), cand(2, 6, action=Action.KEEP)])
    assert merged[0].action is Action.KEEP


def test_declared_spans_in_code_points() -> None:
    policy = PiiPolicy(positions=(DeclaredSpan(start=0, end=3, entity="PERSON", action="redact"),))
    [span] = declared_spans(policy, "Bob is here")
    assert (span.start, span.end, span.entity, span.action, span.source) == (
        0, 3, "PERSON", Action.REDACT, DEC,
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


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="abAB -+.@1ßİ", min_size=1, max_size=6), max_size=5),
    st.text(alphabet="abAB -+.@1ßİx", max_size=60),
)
def test_known_values_are_found_alike_by_both_scans(values: list[str], text: str) -> None:
    known = KnownValues()
    for value in values:
        known.add(value, "PERSON", Action.REDACT, 1.0)
    by_words = sorted(known._find_by_words(text), key=lambda c: (c.start, c.end))
    assert known.find(text) == sorted(known.find(text), key=lambda c: c.start)
    assert sorted(known.find(text), key=lambda c: (c.start, c.end)) == by_words
