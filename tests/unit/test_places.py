"""CityRecognizer: the listed names of models/cities.txt, in any case, as LOCATION, except
where a listed name is more often a word or part of a larger token."""

from __future__ import annotations

import pytest

from pii_mapper.detection.places import CITY_SCORE, CityRecognizer, city_names

RECOGNIZER = CityRecognizer()


def found(text: str) -> list[str]:
    return [text[d.start : d.end] for d in RECOGNIZER.find(text)]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("stuck behind a lorry outside swindon", ["swindon"]),
        ("taxi Schiphol → Hoofddorp, € 31", ["Schiphol", "Hoofddorp"]),
        ("trajet Bordeaux - Nantes demain", ["Bordeaux", "Nantes"]),
        ("dank @jesse, de cijfers van Zwolle zijn beter", ["Zwolle"]),
        ("BUREAU: AMERSFOORT", ["AMERSFOORT"]),
        ("flights to New York City and new york", ["New York City", "new york"]),
        (
            "Werk in Frankfurt am Main, wohne in Freiburg im Breisgau",
            ["Frankfurt am Main", "Freiburg im Breisgau"],
        ),
        ("le siège est à Saint-Étienne", ["Saint-Étienne"]),
        ("trasferta a L'Aquila", ["L'Aquila"]),
        ("le vol d'Amsterdam arrive à 9h", ["Amsterdam"]),
        ("Filiale St. Gallen", ["St. Gallen"]),
        ("kantoor in 's-Hertogenbosch", ["s-Hertogenbosch"]),
    ],
)
def test_listed_names_are_found_in_any_case(text: str, places: list[str]) -> None:
    assert found(text) == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Nice to meet you", []),  # marked: a word at a sentence's start
        ("nice one, thanks", []),  # marked: only as listed, capitalised
        ("we're back from Nice on Monday", ["Nice"]),
        ("Porto is fine. Ik ga naar Porto", ["Porto"]),
        ("un porto rouge", []),
        ("Como stai? Vivo a Como.", ["Como"]),
        ("la défense de nos intérêts", []),  # marked, several words: capitalised as listed
        ("bureau à La Défense", ["La Défense"]),
        ("wir essen in der Halle", []),  # German nouns are not listed
    ],
)
def test_names_that_are_also_words_count_only_written_as_names(
    text: str, places: list[str]
) -> None:
    assert found(text) == places


@pytest.mark.parametrize(
    "text",
    [
        "see paris.fr for details",
        "mail lyon@example.org",
        "https://intranet/berlin/reports",
        "#london trending",
        "Motel One Leipzig-Post",
        "user=madrid01",
        "Romania",  # a listed name inside a longer word
    ],
)
def test_a_name_inside_a_larger_token_is_none(text: str) -> None:
    assert found(text) == []


def test_detections_are_locations_below_the_ner_and_the_confident_patterns() -> None:
    [detection] = RECOGNIZER.find("on my way to Leeds")
    assert (detection.entity, detection.score, detection.recognizer) == (
        "LOCATION",
        CITY_SCORE,
        "CityRecognizer",
    )
    assert 0.4 <= CITY_SCORE < 0.5  # above the default threshold, cuts no NER span


def test_the_list_reads_every_spelling_longest_first() -> None:
    names = city_names().by_first_word
    assert {n.written for n in names["new"]} >= {"New York", "New York City", "New Delhi"}
    lengths = [len(n.written) for n in names["new"]]
    assert lengths == sorted(lengths, reverse=True)
    assert next(n for n in names["nice"] if n.written == "Nice").exact
    assert not next(n for n in names["paris"] if n.written == "Paris").exact
