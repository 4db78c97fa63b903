"""The placeholder grammar's one home: formats, parsing, markers, entity of a placeholder."""

import pytest

from pii_mapper.placeholders import (
    bracketed,
    find_markers,
    fold_form,
    format_placeholder,
    hash_marker,
    marker_regions,
    parse_placeholder,
    placeholder_entity,
    placeholder_forms,
    redaction_marker,
    unbracketed,
)


def test_formats_parse_back() -> None:
    assert format_placeholder("EMAIL_ADDRESS", 12) == "<EMAIL_ADDRESS_12>"
    assert parse_placeholder("<EMAIL_ADDRESS_12>") == ("EMAIL_ADDRESS", 12)
    assert redaction_marker("US_SSN") == "<US_SSN_REDACTED>"
    assert hash_marker("PERSON", "3f2a9c01") == "<PERSON#3f2a9c01>"


@pytest.mark.parametrize(
    "text",
    ["<PERSON_0>", "<PERSON_01>", "<NOT_A_TYPE_1>", "<US_SSN_REDACTED>", "PERSON_1", "<PERSON_1> "],
)
def test_only_canonical_placeholders_of_known_types_parse(text: str) -> None:
    assert parse_placeholder(text) is None


def test_entity_of_a_placeholder_with_or_without_brackets() -> None:
    assert placeholder_entity("<EMAIL_ADDRESS_1>") == "EMAIL_ADDRESS"
    assert placeholder_entity("US_SSN_20") == "US_SSN"
    assert unbracketed("<PERSON_1>") == "PERSON_1"
    assert bracketed(unbracketed("<PERSON_1>")) == "<PERSON_1>"


def test_a_variant_folds_to_its_canonical_key() -> None:
    assert fold_form("email-address 3") == "EMAIL_ADDRESS_3"
    assert fold_form("Person_1") == "PERSON_1"


def test_markers_are_the_library_s_own_forms_only() -> None:
    text = "<PERSON_1> <US_SSN_REDACTED> <PERSON#3f2a9c01> [PERSON_2] <person_3> <PERSON#xyz>"
    found = [(m.group(), m.group("entity"), m.group("number")) for m in find_markers(text)]
    assert found == [
        ("<PERSON_1>", "PERSON", "1"),
        ("<US_SSN_REDACTED>", "US_SSN", None),
        ("<PERSON#3f2a9c01>", "PERSON", None),
    ]
    assert marker_regions(text) == [(0, 10), (11, 28), (29, 46)]
    assert marker_regions("no markers here") == []


def test_placeholder_forms_reads_variants_last_first() -> None:
    text = "<PERSON_1>, [email-address 2] and person 12 but not PERSON_1x"
    assert list(placeholder_forms(text)) == [("PERSON", 12), ("EMAIL_ADDRESS", 2), ("PERSON", 1)]
