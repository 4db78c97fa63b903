"""National identifiers and passport numbers (pii_mapper.detection.national_ids): checksums,
formats, cues in each language (no spaCy model involved)."""

from __future__ import annotations

import time

import pytest

from pii_mapper.detection.national_ids import (
    NATIONAL_ID_ENTITIES,
    PassportRecognizer,
    de_tax_id_valid,
    es_nif_valid,
    fr_nir_valid,
    it_fiscal_code_valid,
    national_id_recognizer,
    nl_bsn_valid,
    uk_nino_valid,
)
from tests.timing_support import best_time

THRESHOLD = 0.4


def found(entity: str, text: str, threshold: float = THRESHOLD) -> list[str]:
    recognizer = national_id_recognizer(entity)()
    return [text[d.start : d.end] for d in recognizer.find(text) if d.score >= threshold]


def scores(entity: str, text: str) -> list[float]:
    return [d.score for d in national_id_recognizer(entity)().find(text)]


@pytest.mark.parametrize(
    ("check", "valid", "invalid"),
    [
        (fr_nir_valid, "1 84 12 76 451 089 46", "1 84 12 76 451 089 47"),
        (fr_nir_valid, "184127645108946", "184127645108964"),
        (fr_nir_valid, "1 85 05 2A 123 456 33", "1 85 05 2B 123 456 33"),  # Corsica
        (fr_nir_valid, "2 90 03 2B 045 123 78", "5 84 12 76 451 089 46"),  # 2B; sex 5
        (uk_nino_valid, "AB 12 34 56 C", "AB 12 34 56 E"),
        (uk_nino_valid, "JG123456A", "QQ123456C"),  # Q cannot lead
        (uk_nino_valid, "CE123456D", "GB123456A"),  # a reserved pair
        (uk_nino_valid, "TA123456B", "AO123456B"),  # O cannot be second
        (de_tax_id_valid, "86095742719", "86095742711"),
        (de_tax_id_valid, "12 185 746 396", "12345678903"),  # no digit repeated
        (de_tax_id_valid, "20342698526", "01234567891"),  # a leading zero
        (de_tax_id_valid, "28174956445", "11123456789"),  # three in a row
        (es_nif_valid, "12345678Z", "12345678A"),
        (es_nif_valid, "87.654.321-X", "87.654.321-T"),
        (es_nif_valid, "X1234567L", "X1234567T"),
        (es_nif_valid, "Y-7654321-G", "W7654321G"),
        (it_fiscal_code_valid, "RSSMRA85T10A562S", "RSSMRA85T10A562T"),
        (it_fiscal_code_valid, "rss mra 85t10 a562s", "RSSMRA85Z10A562S"),  # no month Z
        (nl_bsn_valid, "111222333", "111222334"),
        (nl_bsn_valid, "1112.22.333", "000000000"),
        (nl_bsn_valid, "799 642 630", "79964263"),
    ],
)
def test_checksums(check: object, valid: str, invalid: str) -> None:
    assert callable(check)
    assert check(valid) is True
    assert check(invalid) is False


@pytest.mark.parametrize(
    ("entity", "text", "expected"),
    [
        ("FR_NIR", "NIR 1 84 12 76 451 089 46.", ["1 84 12 76 451 089 46"]),
        ("FR_NIR", "n° 1.84.12.76.451.089.46", ["1.84.12.76.451.089.46"]),
        ("FR_NIR", "code 184127645108946 ok", ["184127645108946"]),
        ("FR_NIR", "code 184127645108947 ok", []),
        ("UK_NINO", "NI: AB 12 34 56 C", ["AB 12 34 56 C"]),
        ("UK_NINO", "NI: AB-12-34-56-C", ["AB-12-34-56-C"]),
        ("UK_NINO", "see QQ 12 34 56 C", []),
        ("DE_TAX_ID", "Steuer-ID: 86 095 742 719", ["86 095 742 719"]),
        ("DE_TAX_ID", "Steuer-ID: 86095742711", []),
        ("ES_NIF", "DNI 12345678-Z", ["12345678-Z"]),
        ("ES_NIF", "NIE X-1234567-L.", ["X-1234567-L"]),
        ("ES_NIF", "DNI 12.345.678-A", []),
        ("IT_FISCAL_CODE", "CF RSSMRA85T10A562S", ["RSSMRA85T10A562S"]),
        ("IT_FISCAL_CODE", "code RSSMRA85T10A562T", []),
        ("NL_BSN", "BSN 1112.22.333", ["1112.22.333"]),
        ("NL_BSN", "BSN 111-222-334", []),
    ],
)
def test_formats_with_spaces_dots_and_dashes(entity: str, text: str, expected: list[str]) -> None:
    assert found(entity, text) == expected


def test_identifiers_inside_longer_codes_are_not_found() -> None:
    assert found("ES_NIF", "ref A12345678Z9") == []
    assert found("IT_FISCAL_CODE", "xRSSMRA85T10A562S") == []
    assert found("DE_TAX_ID", "order 860957427190") == []


# A cue in each of the six languages, for each identifier: the score rises to the cued one.
CUES = {
    "FR_NIR": (
        "1 84 12 76 451 089 46",
        ["social security number", "numéro de sécurité sociale", "Sozialversicherungsnummer",
         "número de la seguridad social", "numero di previdenza sociale",
         "sociaal-zekerheidsnummer"],
    ),
    "UK_NINO": (
        "AB 12 34 56 C",
        ["National Insurance number", "numéro d'assurance nationale",
         "britische Sozialversicherungsnummer", "número de seguro nacional",
         "numero di assicurazione nazionale", "brits verzekeringsnummer"],
    ),
    "DE_TAX_ID": (
        "86095742719",
        ["tax ID", "numéro fiscal", "Steuer-ID", "número de identificación fiscal",
         "numero di identificazione fiscale", "fiscaal nummer"],
    ),
    "ES_NIF": (
        "12345678Z",
        ["ID card", "carte d'identité", "Personalausweis", "DNI", "carta d'identità",
         "identiteitskaart"],
    ),
    "IT_FISCAL_CODE": (
        "RSSMRA85T10A562S",
        ["fiscal code", "code fiscal", "italienische Steuernummer", "código fiscal",
         "codice fiscale", "fiscale code"],
    ),
    "NL_BSN": (
        "111222333",
        ["citizen service number", "numéro BSN", "Bürgerservicenummer",
         "número de servicio al ciudadano", "numero di servizio al cittadino",
         "burgerservicenummer"],
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("entity", "cue"),
    [(entity, cue) for entity, (_, cues) in CUES.items() for cue in cues],
)
def test_a_cue_in_any_language_raises_the_score(entity: str, cue: str) -> None:
    value = CUES[entity][0]
    without = scores(entity, f"reference {value} attached")
    with_cue = scores(entity, f"my {cue}: {value}")
    assert len(with_cue) == 1
    assert with_cue[0] >= 0.95
    assert not without or without[0] < with_cue[0]


def test_a_bsn_needs_a_cue_a_tax_id_scores_low_without_one() -> None:
    assert found("NL_BSN", "order 111222333 shipped") == []
    assert found("NL_BSN", "mijn BSN is 111222333") == ["111222333"]
    assert found("DE_TAX_ID", "order 86095742719 shipped") == []
    assert found("DE_TAX_ID", "meine Steueridentifikationsnummer lautet 86095742719") == [
        "86095742719"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My passport number is 12AB34567.", ["12AB34567"]),
        ("Passport no: 533380006", ["533380006"]),
        ("N° de passeport : 18AV12345", ["18AV12345"]),
        ("Reisepass-Nr. C01X00T47", ["C01X00T47"]),
        ("meine Passnummer ist C01X00T47", ["C01X00T47"]),
        ("número de pasaporte PAA123456", ["PAA123456"]),
        ("passaporto n. YA1234567", ["YA1234567"]),
        ("paspoortnummer: NW1234567", ["NW1234567"]),
        ("US passport 123456789", []),  # US_PASSPORT's
        ("passport photo booth 2024", []),
        ("passport renewal form B1234", []),  # another word comes first
        ("send the PASSPORT scan", []),
        ("123456789 passport", []),  # the number comes after the cue
        ("Passport for Kenji: TZ4183907.", ["TZ4183907"]),  # other words, same sentence
        ("Reisepass Katharina Vogel: C4F7L9X21, gültig bis", ["C4F7L9X21"]),
        ("Passport:\nC01X00T47", ["C01X00T47"]),  # a form's next line
        ("passport photo booth. Ticket 123456789", []),  # another sentence
        ("my passport is expired\nref 12345678", []),  # another line after other words
    ],
)
def test_passport_numbers_after_a_cue_in_each_language(text: str, expected: list[str]) -> None:
    assert [text[d.start : d.end] for d in PassportRecognizer().find(text)] == expected


def test_every_identifier_has_a_recognizer() -> None:
    for entity in NATIONAL_ID_ENTITIES:
        assert national_id_recognizer(entity)().entity == entity


@pytest.mark.parametrize("entity", NATIONAL_ID_ENTITIES)
def test_linear_on_adversarial_text(entity: str) -> None:
    recognizer = national_id_recognizer(entity)()
    for text in (
        "1 2 3 4 5 6 7 8 9 " * 5000,
        "1.2-3/4 " * 10000,
        "passport " * 10000 + "1",
        "AB 12 34 56 " * 5000,
        "X-1234567-" * 5000,
        "RSSMRA85T10A562" * 3000,
    ):
        started = time.perf_counter()
        list(recognizer.find(text))
        assert time.perf_counter() - started < 2.0


def test_a_passport_number_after_other_words_scores_lower() -> None:
    [direct] = PassportRecognizer().find("Passport number: TZ4183907")
    [later] = PassportRecognizer().find("Passport for Kenji: TZ4183907")
    assert later.score < direct.score
    assert later.score >= THRESHOLD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("also my drivers lisence D412-7730-5821 (IL)", ["D412-7730-5821"]),  # as typed
        ("from Brianna Kowalski: TX DL 40918273, SSN 509-62-1743", ["40918273"]),
        ("Driver's license: B7284910", ["B7284910"]),
        ("my US driver's license is F2560-1234-5678", ["F2560-1234-5678"]),  # a US one is
        ("UK driving licence MORGA657054SM9IJ", ["MORGA657054SM9IJ"]),
        ("the DL list is long: 12 people", []),  # a distribution list
        ("driver's license renewal is due in 2026", []),  # no number of five digits
    ],
)
def test_driver_license_numbers_after_a_cue(text: str, expected: list[str]) -> None:
    from pii_mapper.detection.national_ids import DriverLicenseRecognizer

    assert [text[d.start : d.end] for d in DriverLicenseRecognizer().find(text)] == expected


def test_the_driver_license_recognizer_is_linear_on_adversarial_text() -> None:
    from pii_mapper.detection.national_ids import DriverLicenseRecognizer

    recognizer = DriverLicenseRecognizer()
    small = best_time(lambda: list(recognizer.find("DL " * 2000 + "D-1-2-3 " * 2000)))
    large = best_time(lambda: list(recognizer.find("DL " * 8000 + "D-1-2-3 " * 8000)))
    assert large < max(small, 0.01) * 10
