"""pii_mapper.testing: drawn values are valid, spans exact, headers parse (or, for the invalid
strategies, are rejected), and the checks never quote a value."""

from __future__ import annotations

import base64
import datetime
import ipaddress
import re
from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    CryptoRecognizer,
    IbanRecognizer,
    MedicalLicenseRecognizer,
    NhsRecognizer,
    UsSsnRecognizer,
)

import pii_mapper as pm
from pii_mapper import testing as pt
from pii_mapper.detection import national_ids
from pii_mapper.detection.patterns import has_public_suffix
from pii_mapper.entities import CATALOGUE
from pii_mapper.headers import AUTO_HEADER, MAPPING_HEADER, PII_HEADERS, POSITIONS_HEADER
from pii_mapper.mapping import HISTORY_HEADER, decode_history_header

KEY = pm.generate_seal_key()
# Presidio's own validators, as a second opinion on every checksum (made once: slow to make).
PRESIDIO_CARD = CreditCardRecognizer()
PRESIDIO_IBAN = IbanRecognizer()
PRESIDIO_SSN = UsSsnRecognizer()
PRESIDIO_NHS = NhsRecognizer()
PRESIDIO_DEA = MedicalLicenseRecognizer()
PRESIDIO_CRYPTO = CryptoRecognizer()
NOT_KEEP = {pm.Action.MASK, pm.Action.REDACT, pm.Action.HASH}


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def mod97_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


# --- values --------------------------------------------------------------------------------


@given(st.data())
def test_every_supported_type_draws_trimmed_non_empty_values(data: st.DataObject) -> None:
    entity = data.draw(st.sampled_from(pt.SUPPORTED_ENTITIES))
    value = data.draw(pt.pii_values(entity))
    assert value
    assert value == value.strip()
    assert "\n" not in value


def test_every_catalogue_type_has_a_row_and_aliases_work() -> None:
    assert set(pt.SUPPORTED_ENTITIES) == set(CATALOGUE)
    assert set(pt.RELIABLE_ENTITIES) <= set(pt.SUPPORTED_ENTITIES)
    assert pt.pii_values("iban") is not None
    assert pt.pii_values("credit card") is not None


def test_an_unknown_type_is_an_error_that_lists_the_supported_ones() -> None:
    with pytest.raises(ValueError, match="no strategy for entity type 'EMPLOYEE_ID'") as info:
        pt.pii_values("EMPLOYEE_ID")
    assert "EMAIL_ADDRESS" in str(info.value)
    assert "values={name: strategy}" in str(info.value)


@given(pt.pii_values("CREDIT_CARD"))
def test_card_numbers_pass_luhn_and_presidio(value: str) -> None:
    digits = re.sub(r"[ -]", "", value)
    assert digits.isdigit()
    assert len(digits) in (15, 16)
    assert luhn_ok(digits)
    assert PRESIDIO_CARD.validate_result(value)


@given(pt.pii_values("IBAN_CODE"))
def test_ibans_pass_mod_97_and_presidio(value: str) -> None:
    assert re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+|[A-Z]{2}\d{2}(?: [A-Z0-9]{1,4})+", value)
    assert mod97_ok(value)
    assert PRESIDIO_IBAN.validate_result(value)


@given(pt.pii_values("US_SSN"))
def test_ssns_are_in_issued_ranges(value: str) -> None:
    match = re.fullmatch(r"(\d{3})([- ])(\d{2})\2(\d{4})", value)
    assert match is not None
    area, _, group, serial = match.groups()
    assert area not in ("000", "666")
    assert int(area) < 900
    assert group != "00"
    assert serial != "0000"
    assert not PRESIDIO_SSN.invalidate_result(value)


@given(pt.pii_values("UK_NHS"))
def test_nhs_numbers_pass_mod_11(value: str) -> None:
    digits = re.sub(r"[ -]", "", value)
    assert len(digits) == 10
    assert digits.isdigit()
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    assert (11 - total % 11) % 11 == int(digits[9])
    assert PRESIDIO_NHS.validate_result(value)


@given(pt.pii_values("MEDICAL_LICENSE"))
def test_dea_numbers_have_their_check_digit(value: str) -> None:
    assert re.fullmatch(r"[ABFGMPRX][A-Z]\d{7}", value)
    d = [int(c) for c in value[2:]]
    assert (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]
    assert PRESIDIO_DEA.validate_result(value)


@given(pt.pii_values("CRYPTO"))
def test_bitcoin_addresses_pass_base58check(value: str) -> None:
    assert value.startswith("1")
    assert PRESIDIO_CRYPTO.validate_result(value)


@given(pt.pii_values("US_ITIN"))
def test_itins_are_in_the_irs_ranges(value: str) -> None:
    match = re.fullmatch(r"9\d{2}-(\d{2})-\d{4}", value)
    assert match is not None
    assert int(match.group(1)) in {*range(70, 89), 90, 91, 92, *range(94, 100)}


@given(pt.pii_values("PHONE_NUMBER"))
def test_phone_numbers_are_valid_numbers(value: str) -> None:
    number = phonenumbers.parse(value, "US")
    assert phonenumbers.is_valid_number(number)


@given(pt.pii_values("IP_ADDRESS"))
def test_ip_addresses_parse(value: str) -> None:
    address = ipaddress.ip_address(value)
    assert not address.is_loopback


@given(pt.pii_values("EMAIL_ADDRESS"))
def test_email_domains_end_in_a_public_suffix(value: str) -> None:
    local, _, domain = value.partition("@")
    assert local
    assert has_public_suffix(domain)


@given(pt.pii_values("DATE_TIME"))
def test_dates_are_real_dates(value: str) -> None:
    for layout in ("%d %B %Y", "%B %d, %Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            datetime.datetime.strptime(value, layout)
        except ValueError:
            continue
        return
    raise AssertionError(f"not a date in a known layout: {value!r}")


@given(pt.pii_values("MAC_ADDRESS"))
def test_mac_addresses_have_six_octets(value: str) -> None:
    assert re.fullmatch(r"[0-9a-fA-F]{2}([:-])(?:[0-9a-fA-F]{2}\1){4}[0-9a-fA-F]{2}", value)


# --- messages and conversations ------------------------------------------------------------


@given(pt.messages(list(pt.SUPPORTED_ENTITIES), languages=pt.LANGUAGES))
def test_planted_spans_are_exact_sorted_and_disjoint(message: pt.Message) -> None:
    assert 1 <= len(message.planted) <= 4
    end = 0
    for span in message.planted:
        assert message.text[span.start : span.end] == span.value
        assert span.start >= end
        assert span.turn is None
        end = span.end
    assert message.language in pt.LANGUAGES


@given(pt.messages(list(pt.SUPPORTED_ENTITIES)))
def test_reprs_show_types_and_offsets_never_values(message: pt.Message) -> None:
    shown = repr(message)
    for span in message.planted:
        assert span.value not in shown
        assert f"⟦{span.entity} {span.start}-{span.end}⟧" in shown


@given(pt.conversations(["EMAIL_ADDRESS", "PII"], headers=False))
def test_without_headers_nothing_needs_a_declaration(conv: pt.Conversation) -> None:
    assert conv.headers == {}
    assert all(p.entity == "EMAIL_ADDRESS" for p in conv.planted)


def test_custom_types_are_planted_from_the_values_given() -> None:
    employee = st.from_regex(r"EMP-\d{6}", fullmatch=True)
    message = find(pt.messages(values={"EMPLOYEE_ID": employee}), lambda m: True)
    assert message.planted[0].entity == "EMPLOYEE_ID"
    conv = find(
        pt.conversations(["EMAIL_ADDRESS"], values={"EMPLOYEE_ID": employee}),
        lambda c: any(p.entity == "EMPLOYEE_ID" for p in c.planted),
    )
    # X-Pii-Mapping cannot name a type the built-in catalogue lacks: automatic detection
    # is on instead, so a mapper that knows the type finds it.
    assert pm.parse_headers(conv.headers).auto.enabled


@pytest.mark.parametrize(
    "strategy",
    [
        pt.messages(["EMAIL_ADDRESS", "PERSON", "IBAN_CODE"], languages=pt.LANGUAGES),
        pt.conversations(["EMAIL_ADDRESS", "PERSON", "IBAN_CODE", "PII"], languages=["en", "fr"]),
    ],
)
def test_a_failure_shrinks_to_one_planted_value_in_a_short_text(
    strategy: st.SearchStrategy[pt.Message] | st.SearchStrategy[pt.Conversation],
) -> None:
    def has_an_iban(drawn: pt.Message | pt.Conversation) -> bool:
        return any(p.entity == "IBAN_CODE" for p in drawn.planted)

    smallest = find(strategy, has_an_iban, settings=settings(derandomize=True, database=None))
    message = smallest if isinstance(smallest, pt.Message) else smallest.message
    assert len(smallest.planted) == 1
    assert message.text == smallest.planted[0].value
    if isinstance(smallest, pt.Conversation):
        assert smallest.history == []


def test_bad_arguments_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="languages: expected some of en, fr"):
        pt.messages(languages=["xx"])
    with pytest.raises(ValueError, match="actions must be some of mask, redact, hash"):
        pt.conversations(actions=["keep"])
    with pytest.raises(ValueError, match="need headers"):
        pt.conversations(["PII"], headers=False)
    with pytest.raises(ValueError, match="unknown header 'X-Nope'"):
        pt.header_values("X-Nope")


# --- header fuzzing ------------------------------------------------------------------------


@given(st.data())
def test_header_values_parse(data: st.DataObject) -> None:
    header = data.draw(st.sampled_from(PII_HEADERS))
    spelled = data.draw(st.sampled_from([header, header.lower(), header.upper()]))
    value = data.draw(pt.header_values(spelled))
    pm.parse_headers({header: value})


@given(pt.header_values(HISTORY_HEADER, seal_key=KEY, conversation_id="t1"))
def test_sealed_history_values_open_with_their_key(value: str) -> None:
    policy = pm.parse_headers({HISTORY_HEADER: value}, seal_key=KEY, conversation_id="t1")
    assert len(policy.history) >= 1


@given(st.data())
def test_invalid_header_values_are_rejected_with_a_header_error(data: st.DataObject) -> None:
    header = data.draw(st.sampled_from(PII_HEADERS))
    value = data.draw(pt.invalid_header_values(header))
    with pytest.raises(pm.PiiHeaderError) as info:
        pm.parse_headers({header: value})
    assert info.value.to_detail()[0]["loc"] == ["header", header]


@given(pt.invalid_header_values(HISTORY_HEADER, seal_key=KEY))
def test_invalid_history_values_are_rejected_by_a_deployment_with_a_key(value: str) -> None:
    with pytest.raises(pm.PiiHeaderError):
        pm.parse_headers({HISTORY_HEADER: value}, seal_key=KEY)


@pytest.mark.parametrize("header", [MAPPING_HEADER, AUTO_HEADER, POSITIONS_HEADER])
def test_each_kind_of_invalid_value_is_drawn(header: str) -> None:
    # The forbidden-character and too-long families are reached, not just the first branch.
    find(pt.invalid_header_values(header), lambda v: not v.isascii())
    find(pt.invalid_header_values(header), lambda v: len(v) > 8192)


@pytest.mark.parametrize(
    ("header", "value"),
    [
        *((MAPPING_HEADER, v) for v in pt._CONFLICTING_RULES),
        *((AUTO_HEADER, v) for v in pt._BAD_AUTO),
        *((POSITIONS_HEADER, v) for v in pt._BAD_POSITIONS_JSON),
        *((HISTORY_HEADER, v) for v in pt._BAD_HISTORY_DOCUMENTS),
        *((HISTORY_HEADER, v) for v in pt._BAD_HISTORY_TOKENS),
    ],
)
def test_every_fixed_invalid_value_is_rejected(header: str, value: str) -> None:
    # The strategies sample these lists; each entry is checked here, not only those drawn.
    with pytest.raises(pm.PiiHeaderError):
        pm.parse_headers({header: value})
    if header == HISTORY_HEADER:
        encoded = base64.urlsafe_b64encode(value.encode()).rstrip(b"=").decode()
        with pytest.raises(pm.PiiHeaderError):
            pm.parse_headers({header: encoded})


def test_history_header_strategy_decodes_to_a_mapping() -> None:
    value = find(pt.header_values(HISTORY_HEADER), lambda v: v.startswith("{"))
    assert len(decode_history_header(value)) >= 1


# --- checks --------------------------------------------------------------------------------

TEXT = "Mail ada.k@example.org or call +1 415 823 4410, card 4111 1111 1111 1111."
PLANTED = (
    pt.Planted("EMAIL_ADDRESS", 5, 22, "ada.k@example.org"),
    pt.Planted("PHONE_NUMBER", 31, 46, "+1 415 823 4410"),
    pt.Planted("CREDIT_CARD", 53, 72, "4111 1111 1111 1111"),
)


def test_planted_example_is_consistent() -> None:
    for span in PLANTED:
        assert TEXT[span.start : span.end] == span.value


def test_assert_masked_passes_when_every_value_is_gone() -> None:
    masked = "Mail <EMAIL_ADDRESS_1> or call <PHONE_NUMBER_1>, card <CREDIT_CARD#1a2b3c4d>."
    pt.assert_masked(masked, PLANTED)
    pt.assert_masked([{"role": "user", "content": "nothing here"}], PLANTED)


@pytest.mark.parametrize(
    "sent",
    [
        TEXT,
        [{"role": "user", "content": "ok"}, {"role": "user", "content": TEXT}],
        {"messages": [{"content": "card 4111111111111111"}]},  # reformatted, still the card
        {"ada.k@example.org": "a key"},
    ],
)
def test_assert_masked_fails_naming_type_and_offsets_never_the_value(sent: object) -> None:
    with pytest.raises(AssertionError) as info:
        pt.assert_masked(sent, PLANTED)
    message = str(info.value)
    assert "reached the model" in message
    assert re.search(r"(EMAIL_ADDRESS at 5-22|CREDIT_CARD at 53-72) of the message", message)
    for span in PLANTED:
        assert span.value not in message
        digits = re.sub(r"\D", "", span.value)
        assert len(digits) < 6 or digits not in message


def test_assert_round_trip_passes_and_fails_without_quoting() -> None:
    mapping = {"<EMAIL_ADDRESS_1>": "ada.k@example.org"}
    pt.assert_round_trip(TEXT[:22], "Mail <EMAIL_ADDRESS_1>", mapping)
    pt.assert_round_trip(TEXT, TEXT)
    with pytest.raises(AssertionError) as info:
        pt.assert_round_trip(TEXT, "Mail <EMAIL_ADDRESS_1>" + TEXT[22:], planted=PLANTED)
    message = str(info.value)
    assert "from code point 5" in message
    assert "EMAIL_ADDRESS at 5-22 of the message" in message
    assert "placeholder <EMAIL_ADDRESS_1>" in message
    assert all(span.value not in message for span in PLANTED)


def test_import_pii_mapper_does_not_import_hypothesis() -> None:
    import subprocess
    import sys

    code = "import sys, pii_mapper; pii_mapper.PiiMapper; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("entity", "valid"),
    [
        ("FR_NIR", national_ids.fr_nir_valid),
        ("UK_NINO", national_ids.uk_nino_valid),
        ("DE_TAX_ID", national_ids.de_tax_id_valid),
        ("ES_NIF", national_ids.es_nif_valid),
        ("IT_FISCAL_CODE", national_ids.it_fiscal_code_valid),
        ("NL_BSN", national_ids.nl_bsn_valid),
    ],
)
def test_national_identifiers_pass_their_checks(entity: str, valid: Callable[[str], bool]) -> None:
    @settings(max_examples=60, deadline=None)
    @given(pt.pii_values(entity))
    def check(value: str) -> None:
        assert valid(value)

    check()
