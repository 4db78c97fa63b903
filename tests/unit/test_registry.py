"""The recognizer registry: immutable, lazy, the default detector's table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import pii_mapper as pm
from pii_mapper import Detection, Recognizer, RecognizerRegistry
from pii_mapper.detection.registry import RecognizerDetector


class Ticket:
    name = "TicketRecognizer"
    entity = "TICKET"

    def find(self, text: str) -> Iterator[Detection]:
        start = text.find("T-1")
        if start >= 0:
            yield Detection(start, start + 3, "TICKET", 0.9, self.name)
            yield Detection(start, start + 3, "OTHER", 0.9, self.name)


def test_a_recognizer_satisfies_the_protocol() -> None:
    assert isinstance(Ticket(), Recognizer)


def test_with_recognizer_returns_a_new_registry() -> None:
    empty = RecognizerRegistry()
    one = empty.with_recognizer(Ticket())
    assert empty.entities == frozenset()
    assert one.entities == {"TICKET"}
    both = one.with_recognizer(Ticket, entities=["TICKET", "OTHER"])
    assert both.entities == {"TICKET", "OTHER"}
    assert len(both.factories("TICKET")) == 2
    assert len(one.factories("TICKET")) == 1
    assert "2 entity types" in repr(both)


def test_a_factory_without_a_known_type_needs_entities() -> None:
    with pytest.raises(TypeError, match="entities="):
        RecognizerRegistry().with_recognizer(lambda: Ticket())
    with pytest.raises(TypeError, match="non-empty"):
        RecognizerRegistry().with_recognizer(Ticket(), entities=[])


def test_factories_are_built_once_on_first_need_and_only_asked_types_returned() -> None:
    built: list[str] = []

    def factory() -> Recognizer:
        built.append("x")
        return Ticket()

    registry = RecognizerRegistry().with_recognizer(factory, entities=["TICKET", "OTHER"])
    detector = RecognizerDetector(registry)
    assert built == []
    assert detector.detect(["a T-1"], frozenset({"TICKET"})) == [
        [Detection(2, 5, "TICKET", 0.9, "TicketRecognizer")]
    ]
    detector.detect(["a T-1"], frozenset({"TICKET", "OTHER"}))
    assert built == ["x"]
    assert detector.detect(["a T-1"], frozenset({"NOTHING"})) == [[]]


def test_the_default_registry_holds_the_built_in_pattern_types() -> None:
    registry = pm.default_registry()
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "API_KEY"} <= registry.entities
    assert registry is pm.default_registry()
    assert registry.with_recognizer(Ticket()).entities - registry.entities == {"TICKET"}


def test_the_default_detector_reads_the_registry_it_is_given() -> None:
    from pii_mapper.detection.engine import PresidioDetector

    registry = RecognizerRegistry().with_recognizer(Ticket())
    detector = PresidioDetector(registry=registry)
    assert "EMAIL_ADDRESS" not in detector.supported_entities
    assert detector.detect(["see T-1 or a@example.com"], frozenset({"TICKET", "EMAIL_ADDRESS"}))[
        0
    ] == [Detection(4, 7, "TICKET", 0.9, "TicketRecognizer")]


def test_the_recognizers_of_a_set_of_types_are_chosen_once() -> None:
    detector = RecognizerDetector(RecognizerRegistry({"TICKET": (Ticket,), "OTHER": (Ticket,)}))
    first = detector.recognizers(frozenset({"TICKET", "OTHER"}))
    assert len(first) == 1  # one factory for two types: built once
    assert detector.recognizers(frozenset({"OTHER", "TICKET"})) is first
    assert detector.recognizers({"TICKET", "OTHER"}) is first  # type: ignore[arg-type]
    assert detector.recognizers(frozenset({"NONE"})) == ()
    # The remembered choices are bounded; a choice made again is the same.
    for count in range(100):
        detector.recognizers(frozenset({"TICKET", f"T{count}"}))
    assert detector.recognizers(frozenset({"TICKET", "OTHER"})) == first
