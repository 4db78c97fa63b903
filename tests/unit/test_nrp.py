"""Nationalities, religions and political affiliations said of a person
(pii_mapper.detection.nrp); no spaCy model involved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pii_mapper.detection.engine import DEFAULT_REGISTRY, localized_registry
from pii_mapper.detection.nrp import NrpRecognizer, nrp_words
from pii_mapper.errors import DetectionError
from pii_mapper.language import SUPPORTED_LANGUAGES
from tests.timing_support import best_time

ROOT = Path(__file__).resolve().parents[2]


def found(language: str, text: str) -> list[str]:
    return [text[d.start : d.end] for d in NrpRecognizer(language).find(text) if d.score >= 0.4]


# (language, message, the NRP values in it)
POSITIVES = [
    ("en", "The tenant says the landlord refused him because he is Tamil.", ["Tamil"]),
    ("en", "She's Hindu, so please no beef at the team lunch.", ["Hindu"]),
    ("en", "Our new Ghanaian colleague starts on Monday.", ["Ghanaian"]),
    ("en", "Citizenship: Brazilian. Work permit pending.", ["Brazilian"]),
    ("en", "He grew up as a Quaker and is of Lebanese descent.", ["Quaker", "Lebanese"]),
    ("en", "The claimant, a registered Republican, says he was demoted.", ["Republican"]),
    ("en", "She is a longtime member of Plaid Cymru.", ["Plaid Cymru"]),
    ("en", "Mr Ortiz asked for Friday prayers off; he's a devout Muslim.", ["Muslim"]),
    ("de", "Die Bewerberin ist Syrerin und spricht fließend Englisch.", ["Syrerin"]),
    ("de", "Religion: evangelisch, Familienstand ledig", ["evangelisch"]),
    ("de", "Er hat die marokkanische Staatsangehörigkeit.", ["marokkanische"]),
    ("de", "Der Kollege ist seit Jahren SPD-Mitglied.", ["SPD"]),
    ("de", "Als gläubige Muslimin trägt sie ein Kopftuch.", ["Muslimin"]),
    ("fr", "Le salarié est marocain et sa carte de séjour expire.", ["marocain"]),
    ("fr", "Nationalité : sénégalaise", ["sénégalaise"]),
    ("fr", "Un collègue tunisien a signalé des remarques sur sa foi.", ["tunisien"]),
    ("fr", "Elle est militante du Rassemblement national depuis 2019.", ["Rassemblement national"]),
    ("es", "La paciente es musulmana y pide una doctora.", ["musulmana"]),
    ("es", "Nacionalidad: venezolana. Pasaporte en trámite.", ["venezolana"]),
    ("es", "El trabajador peruano denuncia un trato distinto.", ["peruano"]),
    ("es", "Dice que es miembro del PSOE desde joven.", ["PSOE"]),
    ("it", "La dipendente è cattolica e chiede il giorno libero.", ["cattolica"]),
    ("it", "Cittadinanza: albanese, permesso di soggiorno valido.", ["albanese"]),
    ("it", "Il collega eritreo chiede ferie per il Natale copto.", ["eritreo"]),
    ("it", "È iscritto alla Lega da dieci anni.", ["Lega"]),
    ("nl", "De huurder is Pools en spreekt weinig Nederlands.", ["Pools"]),
    ("nl", "Nationaliteit: Surinaamse? Nee, Ghanese nationaliteit.", ["Ghanese"]),
    ("nl", "Een Syrische collega vroeg om een gebedsruimte.", ["Syrische"]),
    ("nl", "Zij is moslima en draagt een hoofddoek.", ["moslima"]),
    ("nl", "Hij is al jaren lid van de PVV.", ["PVV"]),
]

# Hard negatives: a nationality word said of a thing or a language, a country, a party in
# the news, a first name, an English word in lower case.
NEGATIVES = [
    ("en", "Please export the invoice in the German format."),
    ("en", "Can you translate this into Spanish?"),
    ("en", "We had lunch at the Italian place near the office."),
    ("en", "Please polish the draft before Friday."),
    ("en", "Christian Weber will join the call."),
    ("en", "The keyboard layout is French."),
    ("en", "The AfD gained seats in the last election."),
    ("en", "She moved from Germany to Ireland."),
    ("en", "Jewish holidays are on the shared calendar."),
    ("de", "Bitte die Rechnung auf Deutsch schicken."),
    ("de", "Das Formular ist deutsch, die Anleitung englisch."),
    ("de", "Wir waren in einem türkischen Restaurant."),
    ("de", "Die Linke hat einen Antrag gestellt."),
    ("de", "Die katholische Kirche ist gegenüber."),
    ("fr", "Le clavier français ne marche pas."),
    ("fr", "Il parle en anglais avec le client."),
    ("fr", "On a mangé dans un restaurant libanais."),
    ("es", "El teclado español tiene la ñ."),
    ("es", "Vox publicó un artículo sobre la economía."),
    ("es", "Trabajo con una empresa mexicana."),
    ("it", "La cucina giapponese è ottima."),
    ("it", "Il contratto è in inglese."),
    ("it", "Vive a Roma con la famiglia."),
    ("nl", "Het contract is in het Engels."),
    ("nl", "We aten in een Indiaas restaurant."),
    ("nl", "Het formulier is Duits."),
]


@pytest.mark.parametrize(("language", "text", "expected"), POSITIVES)
def test_a_word_said_of_a_person_is_found(language: str, text: str, expected: list[str]) -> None:
    assert found(language, text) == expected


@pytest.mark.parametrize(("language", "text"), NEGATIVES)
def test_a_word_said_of_a_thing_a_language_or_a_place_is_not(language: str, text: str) -> None:
    assert found(language, text) == []


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_english_words_count_in_every_language(language: str) -> None:
    text = "Note: the new hire is Sikh and Nigerian."
    assert found(language, text) == ["Sikh", "Nigerian"]


def test_spans_are_the_word_alone_with_exact_offsets() -> None:
    text = "Konfession: römisch-katholisch; Mitgliedschaft in der AfD."
    detections = list(NrpRecognizer("de").find(text))
    assert [(text[d.start : d.end], d.entity, d.score) for d in detections] == [
        ("römisch-katholisch", "NRP", 0.85),
        ("AfD", "NRP", 0.85),
    ]


def test_the_recognizer_is_registered_per_language() -> None:
    for language in SUPPORTED_LANGUAGES:
        registry = localized_registry(DEFAULT_REGISTRY, language)
        built = [factory() for factory in registry.factories("NRP")]
        assert [type(r).__name__ for r in built] == ["NrpRecognizer"]
        assert {getattr(r, "language", None) for r in built} == {language}


def test_the_word_list_names_no_country() -> None:
    # Countries are places (LOCATION): the list holds the adjectives and nouns of their people.
    countries = {
        "en": {"germany", "france", "turkey", "nigeria", "ukraine", "morocco", "syria"},
        "de": {"deutschland", "frankreich", "türkei", "syrien", "marokko", "ukraine"},
        "fr": {"allemagne", "france", "turquie", "maroc", "syrie", "ukraine"},
        "es": {"alemania", "españa", "turquía", "marruecos", "siria", "india", "ucrania"},
        "it": {"germania", "francia", "turchia", "marocco", "siria", "ucraina", "roma"},
        "nl": {"duitsland", "frankrijk", "turkije", "marokko", "syrië", "oekraïne"},
    }
    for language in SUPPORTED_LANGUAGES:
        listed = countries[language] & set(nrp_words(language).words)
        # Spanish "siria" and Italian "ucraina" are adjectives too: read only in lower case.
        assert listed <= nrp_words(language).also_places


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("it", "La collega è ucraina e cerca casa.", ["ucraina"]),
        ("it", "La collega è tornata dall'Ucraina, è Ucraina la sua casa.", []),
        ("es", "Mi compañera es siria.", ["siria"]),
        ("es", "Mi compañera es de Siria.", []),
    ],
)
def test_a_word_that_is_also_a_country_counts_in_lower_case(
    language: str, text: str, expected: list[str]
) -> None:
    assert found(language, text) == expected


def test_every_language_lists_each_part() -> None:
    data = json.loads((ROOT / "models" / "nrp_words.json").read_text(encoding="utf-8"))
    for key, value in data.items():
        if isinstance(value, dict) and key not in {"also_places", "english_words_not_read"}:
            assert set(value) == set(SUPPORTED_LANGUAGES), key
            assert all(value[code] for code in SUPPORTED_LANGUAGES), key


def test_an_unknown_language_is_the_librarys_error() -> None:
    with pytest.raises(DetectionError, match="no NRP words"):
        nrp_words("xx")


def test_long_texts_take_linear_time() -> None:
    recognizer = NrpRecognizer("fr")
    unit = "il est algérien, membre de la collègue musulmane et de nationalité "
    assert len(list(recognizer.find(unit * 4000))) >= 4000  # a candidate every few words
    small = best_time(lambda: list(recognizer.find(unit * 1000)))
    large = best_time(lambda: list(recognizer.find(unit * 4000)))
    # Four times the text: well under sixteen times the time (quadratic), with noise.
    assert large < max(small, 0.01) * 10


@pytest.mark.parametrize(
    ("language", "text", "word", "thing"),
    [
        ("en", "Book the Italian restaurant for Friday.", "Italian", True),
        ("en", "Our Dutch contractor starts on Monday.", "Dutch", False),  # a trade: a person
        ("en", "He is Kurdish.", "Kurdish", False),
        ("de", "Wir essen im türkischen Restaurant.", "türkischen", True),
        ("fr", "On réserve un restaurant italien.", "italien", True),
        ("it", "Il collega rumeno arriva domani.", "rumeno", False),
        ("nl", "We eten in een Indiaas restaurant.", "Indiaas", True),
        ("en", "Book the Bistro restaurant.", "Bistro", False),  # not a listed word
    ],
)
def test_the_ner_clean_up_asks_whether_a_listed_word_describes_a_thing(
    language: str, text: str, word: str, thing: bool
) -> None:
    start = text.index(word)
    assert NrpRecognizer(language).describes_a_thing(text, start, start + len(word)) is thing


def test_every_language_lists_language_names() -> None:
    from pii_mapper.detection.nrp import nrp_words

    for language, name in [("en", "english"), ("nl", "nederlands"), ("de", "deutsch")]:
        assert name in nrp_words(language).languages
