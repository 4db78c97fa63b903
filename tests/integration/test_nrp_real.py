"""Nationalities, religions and political affiliations with the real detector (the NER
model and the NRP recognizer together), in the six languages, on messages written for
this test."""

from __future__ import annotations

import pytest

import pii_mapper as pm
from pii_mapper.detection.engine import PresidioDetector

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def mapper() -> pm.PiiMapper:
    return pm.PiiMapper(detector=PresidioDetector())


def _nrp(result: pm.MaskResult, text: str) -> set[str]:
    return {text[s.start : s.end] for s in result.spans if s.entity == "NRP"}


# message, the NRP values that must be masked as NRP, words that must not be NRP
CASES = [
    (
        "en",
        "HR note: the applicant is Eritrean and a practising Orthodox Christian, she asked "
        "for a prayer break. The Italian restaurant booking stays.",
        {"Eritrean"},
        ["Italian"],
    ),
    (
        "en",
        "Tenant complaint: Mr Haddad says the caretaker insulted him for being Jewish.",
        {"Jewish"},
        [],
    ),
    (
        "de",
        "Personalakte: Staatsangehörigkeit kroatisch, Konfession evangelisch. Die Anleitung "
        "gibt es auf Deutsch.",
        {"kroatisch", "evangelisch"},
        ["Deutsch"],
    ),
    (
        "fr",
        "Le stagiaire est soudanais et musulman pratiquant ; le clavier français lui pose "
        "problème.",
        {"soudanais", "musulman"},
        ["français"],
    ),
    (
        "es",
        "La inquilina colombiana dice que la echaron por ser evangélica. El contrato está en "
        "inglés.",
        {"colombiana", "evangélica"},
        ["inglés"],
    ),
    (
        "it",
        "Il candidato ha cittadinanza albanese ed è iscritto a Forza Italia; la cucina "
        "albanese non c'entra.",
        {"albanese", "Forza Italia"},
        [],
    ),
    (
        "nl",
        "De medewerker is Eritrees en heeft de Nederlandse nationaliteit aangevraagd; het "
        "contract is in het Engels.",
        {"Eritrees", "Nederlandse"},
        ["Engels"],
    ),
]


@pytest.mark.parametrize(("language", "text", "expected", "not_nrp"), CASES)
def test_nrp_said_of_a_person_is_masked_and_things_are_not(
    mapper: pm.PiiMapper, language: str, text: str, expected: set[str], not_nrp: list[str]
) -> None:
    result = mapper.mask(text, pm.parse_headers({"X-Auto-Pii-Mapping": f"language={language}"}))
    found = _nrp(result, text)
    assert expected <= found
    assert not any(word in found for word in not_nrp)


def test_a_person_noun_beside_a_nationality_is_not_a_name(mapper: pm.PiiMapper) -> None:
    text = "Please prepare the visa letter for our Kenyan national, passport pending."
    result = mapper.mask(text, pm.parse_headers({}))
    assert "Kenyan" in _nrp(result, text)
    assert not any("national" in text[s.start : s.end] for s in result.spans)
