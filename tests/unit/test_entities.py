"""The entity catalogue: spellings, suggestions, normalisation."""

import pytest

from pii_mapper.entities import (
    CATALOGUE,
    GENERIC_ENTITY,
    DetectorKind,
    closest_entities,
    lookup_entity,
    normalize_value,
)
from tests.strategies import SPEC_ALIASES


@pytest.mark.parametrize(("alias", "canonical"), SPEC_ALIASES.items())
def test_spec_aliases(alias: str, canonical: str) -> None:
    assert lookup_entity(alias) == canonical


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_canonical_name_in_any_spelling(name: str) -> None:
    assert lookup_entity(name) == name
    assert lookup_entity(name.lower()) == name
    assert lookup_entity(name.replace("_", "-")) == name
    assert lookup_entity(f"  {name.replace('_', ' ').title()} ") == name


def test_presidio_names_and_project_types_present() -> None:
    presidio = {
        "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN", "CREDIT_CARD", "IBAN_CODE",
        "IP_ADDRESS", "LOCATION", "ORGANIZATION", "DATE_TIME", "URL", "NRP", "US_PASSPORT",
        "US_DRIVER_LICENSE", "US_BANK_NUMBER", "US_ITIN", "CRYPTO", "MEDICAL_LICENSE", "UK_NHS",
    }  # fmt: skip
    assert presidio | {"API_KEY", GENERIC_ENTITY} <= set(CATALOGUE)
    national = {
        "FR_NIR", "UK_NINO", "DE_TAX_ID", "ES_NIF", "IT_FISCAL_CODE", "NL_BSN", "PASSPORT",
    }  # fmt: skip
    assert national <= set(CATALOGUE)
    assert CATALOGUE[GENERIC_ENTITY].detector is DetectorKind.DECLARED


def test_unknown_names_get_suggestions() -> None:
    assert lookup_entity("emial") is None
    assert closest_entities("emial")[0] == "EMAIL_ADDRESS"
    assert "PHONE_NUMBER" in closest_entities("phon")
    assert closest_entities("zzzzzzzz") == []


@pytest.mark.parametrize(
    ("entity", "a", "b"),
    [
        ("EMAIL_ADDRESS", "Ada@Example.COM", " ada@example.com"),
        ("PHONE_NUMBER", "(555) 010-1234", "555.010.1234"),
        ("CREDIT_CARD", "4111 1111 1111 1111", "4111-1111-1111-1111"),
        ("IBAN_CODE", "DE89 3704 0044 0532 0130 00", "de89370400440532013000"),
        ("PERSON", "John   Smith", "john smith"),
    ],
)
def test_equal_values_normalise_alike(entity: str, a: str, b: str) -> None:
    assert normalize_value(entity, a) == normalize_value(entity, b)


def test_secrets_are_case_sensitive_and_names_differ() -> None:
    assert normalize_value("API_KEY", "sk-AbC") != normalize_value("API_KEY", "sk-abc")
    assert normalize_value("PERSON", "John Smith") != normalize_value("PERSON", "Jane Smith")


def test_value_without_normalised_content_is_compared_as_written() -> None:
    assert normalize_value("PHONE_NUMBER", "call me") == "call me"


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("nir", "FR_NIR"),
        ("nino", "UK_NINO"),
        ("steuer_id", "DE_TAX_ID"),
        ("Steuer-ID", "DE_TAX_ID"),
        ("dni", "ES_NIF"),
        ("nie", "ES_NIF"),
        ("codice_fiscale", "IT_FISCAL_CODE"),
        ("codice fiscale", "IT_FISCAL_CODE"),
        ("bsn", "NL_BSN"),
        ("passport", "PASSPORT"),
        ("us_passport", "US_PASSPORT"),
        ("US-Passport", "US_PASSPORT"),
    ],
)
def test_national_identifier_aliases(alias: str, canonical: str) -> None:
    assert lookup_entity(alias) == canonical


@pytest.mark.parametrize(
    ("entity", "a", "b"),
    [
        ("FR_NIR", "1 84 12 76 451 089 46", "184127645108946"),
        ("FR_NIR", "1 85 05 2a 123 456 33", "185052A12345633"),
        ("DE_TAX_ID", "86 095 742 719", "86095742719"),
        ("ES_NIF", "12.345.678-z", "12345678Z"),
        ("IT_FISCAL_CODE", "rss mra 85t10 a562s", "RSSMRA85T10A562S"),
        ("NL_BSN", "1112.22.333", "111222333"),
        ("UK_NINO", "ab 12 34 56 c", "AB123456C"),
        ("PASSPORT", "c01x00t47", "C01X00T47"),
    ],
)
def test_national_identifiers_normalise_alike(entity: str, a: str, b: str) -> None:
    assert normalize_value(entity, a) == normalize_value(entity, b)
