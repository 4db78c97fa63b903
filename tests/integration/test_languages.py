"""Detection in French, German, Spanish, Italian and Dutch with the real detector: phone
numbers, dates, national identifiers, relative times left alone, mixed conversations."""

from __future__ import annotations

import pytest

import pii_mapper as pm
from pii_mapper.detection.engine import PresidioDetector
from pii_mapper.entities import CATALOGUE, GENERIC_ENTITY
from pii_mapper.errors import DetectionError
from pii_mapper.language import identify_language

pytestmark = pytest.mark.integration

# Structured types and dates; names and places depend on the NER model, tested elsewhere.
ENTITIES = "phone|date|nir|nino|steuer_id|dni|codice_fiscale|bsn|passport|email|iban|credit_card"
AUTO = {"X-Auto-Pii-Mapping": f"entities={ENTITIES}"}


@pytest.fixture(scope="module")
def mapper() -> pm.PiiMapper:
    return pm.PiiMapper(detector=PresidioDetector())


# message, the values that must be masked, words that must stay (relative times …)
CASES = {
    "fr": [
        (
            "Bonjour, appelez-moi au 06 12 34 56 78 demain matin, ou la semaine prochaine.",
            {"06 12 34 56 78"},
            ["demain", "la semaine prochaine"],
        ),
        (
            "Je suis née le 3 mars 1990, mon numéro de sécurité sociale est "
            "2 90 03 2B 045 123 78.",
            {"3 mars 1990", "2 90 03 2B 045 123 78"},
            ["née le"],
        ),
        (
            "Mon numéro de passeport est 18AV12345, il expire bientôt.",
            {"18AV12345"},
            ["bientôt"],
        ),
    ],
    "de": [
        (
            "Hallo, Sie erreichen mich unter 030 1234567 oder mobil 0171 1234567, "
            "am besten morgen oder nächste Woche.",
            {"030 1234567", "0171 1234567"},
            ["morgen", "nächste Woche"],
        ),
        (
            "Ich bin am 3. März 1990 geboren, meine Steuer-ID ist 86 095 742 719.",
            {"3. März 1990", "86 095 742 719"},
            ["geboren"],
        ),
        ("Meine Reisepass-Nr. lautet C01X00T47, danke!", {"C01X00T47"}, ["danke"]),
    ],
    "es": [
        (
            "Hola, mi móvil es 612 34 56 78, llámame mañana o la semana que viene.",
            {"612 34 56 78"},
            ["mañana", "la semana que viene"],
        ),
        (
            "Nací el 3 de marzo de 1990 y mi DNI es 12345678-Z.",
            {"3 de marzo de 1990", "12345678-Z"},
            ["Nací"],
        ),
        ("Mi NIE es X1234567L, ¿lo necesita hoy?", {"X1234567L"}, ["hoy"]),
    ],
    "it": [
        (
            "Ciao, chiamami al 347 123 4567 o in ufficio allo 02 1234 5678, anche domani.",
            {"347 123 4567", "02 1234 5678"},
            ["domani"],
        ),
        (
            "Sono nato il 3 marzo 1990, il mio codice fiscale è RSSMRA85T10A562S.",
            {"3 marzo 1990", "RSSMRA85T10A562S"},
            ["Sono nato"],
        ),
        ("Il numero del passaporto è YA1234567, scade la settimana prossima.",
         {"YA1234567"}, ["la settimana prossima"]),
    ],
    "nl": [
        (
            "Hoi, bel me op 06-12345678, morgen of volgende week.",
            {"06-12345678"},
            ["morgen", "volgende week"],
        ),
        (
            "Ik ben geboren op 3 maart 1990 en mijn BSN is 111222333.",
            {"3 maart 1990", "111222333"},
            ["geboren"],
        ),
        ("Mijn paspoortnummer is NW1234567, vanavond stuur ik een kopie.",
         {"NW1234567"}, ["vanavond"]),
    ],
}  # fmt: skip


def _masked(result: pm.MaskResult) -> set[str]:
    return set(result.mapping.values())


@pytest.mark.parametrize(
    ("language", "message", "expected", "kept"),
    [(lang, *case) for lang, cases in CASES.items() for case in cases],
)
def test_each_language_identified_and_read(
    mapper: pm.PiiMapper, language: str, message: str, expected: set[str], kept: list[str]
) -> None:
    assert identify_language(message) == language
    result = mapper.mask(message, pm.parse_headers(AUTO))
    assert _masked(result) == expected
    for word in kept:
        assert word in result.text


@pytest.mark.parametrize("language", sorted(CASES))
def test_a_named_language_reads_the_same(mapper: pm.PiiMapper, language: str) -> None:
    headers = {"X-Auto-Pii-Mapping": f"entities={ENTITIES}; language={language}"}
    for message, expected, _ in CASES[language]:
        assert _masked(mapper.mask(message, pm.parse_headers(headers))) == expected


def test_a_mixed_conversation_reads_each_message_in_its_language(mapper: pm.PiiMapper) -> None:
    history = [
        {"role": "user", "content": "Hallo, meine Nummer ist 0171 1234567, bis morgen."},
        {"role": "assistant", "content": "Merci, je vous rappelle au 06 12 34 56 78 demain."},
        {"role": "user", "content": "OK"},
    ]
    result = mapper.mask(
        "Mi DNI es 12345678Z y nací el 5 de mayo de 1985.", pm.parse_headers(AUTO), history=history
    )
    assert _masked(result) == {"0171 1234567", "06 12 34 56 78", "12345678Z", "5 de mayo de 1985"}
    assert "morgen" in result.history[0]["content"]
    assert "demain" in result.history[1]["content"]


def test_english_reads_as_before() -> None:
    detector = PresidioDetector(cache_size=0)
    texts = [
        "Call me on (415) 555-2671 tomorrow or next week, born March 3, 1990.",
        "My SSN is 536-22-8726 and my card 4111 1111 1111 1111.",
        "Passport number 533380006; NI number AB 12 34 56 C.",
        "ok",
    ]
    entities = frozenset(CATALOGUE) - {GENERIC_ENTITY}
    assert detector.detect(texts, entities) == detector.detect(
        texts, entities, languages=["en"] * len(texts)
    )


def test_languages_must_be_supported_and_one_per_text() -> None:
    detector = PresidioDetector(cache_size=0)
    with pytest.raises(DetectionError):
        detector.detect(["a", "b"], frozenset({"PHONE_NUMBER"}), languages=["fr"])
    with pytest.raises(DetectionError):
        detector.detect(["a"], frozenset({"PHONE_NUMBER"}), languages=["pt"])


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("Bonjour, je m'appelle Sophie Martin et j'ai une question.", "Sophie Martin"),
        ("Guten Tag, ich heiße Jonas Becker und habe eine Frage.", "Jonas Becker"),
        ("Hola, me llamo Lucía Fernández y tengo una pregunta.", "Lucía Fernández"),
        ("Buongiorno, mi chiamo Marco Rossi e ho una domanda.", "Marco Rossi"),
        ("Goedemorgen, ik heet Sanne de Vries en ik heb een vraag.", "Sanne de Vries"),
    ],
)
def test_names_introduced_in_each_language(mapper: pm.PiiMapper, message: str, name: str) -> None:
    result = mapper.mask(message, pm.parse_headers({"X-Auto-Pii-Mapping": "entities=person"}))
    assert name in _masked(result)
    assert name not in result.text
