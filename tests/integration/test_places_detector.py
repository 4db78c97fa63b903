"""Towns named with little context are masked (the list of cities beside the NER model),
and where the model reads the same words as a name, its span and type stand."""

from __future__ import annotations

import pytest

import pii_mapper as pm
from pii_mapper.detection.engine import PresidioDetector

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def mapper() -> pm.PiiMapper:
    return pm.PiiMapper(PresidioDetector(cache_size=0))


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("dank @jesse, de cijfers van Zwolle zijn een stuk beter", "Zwolle"),
        ("stuck behind a lorry outside swindon, start without me", "swindon"),
        ("Trein Eindhoven \u2013 Groningen om 7:42", "Groningen"),
        ("grazie @simone, i numeri di Bergamo sono molto meglio", "Bergamo"),
    ],
)
def test_a_town_named_in_passing_is_masked(mapper: pm.PiiMapper, text: str, town: str) -> None:
    result = mapper.mask(text, pm.parse_headers({}))
    assert town not in result.text  # as a LOCATION, or inside what the model calls a name
    assert any(text[s.start : s.end].endswith(town) for s in result.spans)


def test_a_word_that_is_also_a_town_is_left(mapper: pm.PiiMapper) -> None:
    text = "Nice to meet you! The porto was great."
    assert mapper.mask(text, pm.parse_headers({})).text == text


def test_the_models_person_keeps_its_span_over_a_listed_town(mapper: pm.PiiMapper) -> None:
    detector = PresidioDetector(cache_size=0)
    text = "Please send the contract to Florence Dupont before Friday."
    [found] = detector.detect([text], frozenset({"PERSON", "LOCATION"}))
    person = [d for d in found if d.entity == "PERSON"]
    assert [text[d.start : d.end] for d in person] == ["Florence Dupont"]
    result = mapper.mask(text, pm.parse_headers({}))
    assert [(s.entity, text[s.start : s.end]) for s in result.spans] == [
        ("PERSON", "Florence Dupont")
    ]
