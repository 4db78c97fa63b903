"""The merge rule, known values found again, and the StaticDetector double."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pii_mapper.detection import (
    Detector,
    KnownValues,
    Source,
    Span,
    StaticDetector,
    merge_spans,
)
from pii_mapper.policy import Action

DET, DEC = Source.DETECTED, Source.DECLARED


def cand(start: int, end: int, entity: str = "PERSON", action: Action = Action.MASK,
         source: Source = DET, score: float = 0.8) -> Span:  # fmt: skip
    return Span(start, end, entity, action, source, score)


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
    assert merged == [Span(0, 25, "PERSON", Action.REDACT, DET, 0.9)]


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
