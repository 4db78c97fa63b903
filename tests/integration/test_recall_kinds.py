"""Kinds of leak the pattern recognizers close, through the real detector (spaCy model,
language identification, overlap folding): secrets in configuration, e-mail addresses on
internal domains, phone numbers in local and international forms, dates the code guard
used to drop, and values written against Chinese or Japanese text."""

from __future__ import annotations

import pytest

import pii_mapper as pm
from pii_mapper.detection.engine import PresidioDetector

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def mapper() -> pm.PiiMapper:
    return pm.PiiMapper(detector=PresidioDetector())


def masked(mapper: pm.PiiMapper, text: str) -> dict[str, str]:
    result = mapper.mask(text, pm.parse_headers({}))
    return {text[s.start : s.end]: s.entity for s in result.spans}


@pytest.mark.parametrize(
    ("text", "secret", "entity"),
    [
        ('{"service": "billing", "password": "Tangerine!904"}', "Tangerine!904", "PASSWORD"),
        ("db:\n  user: ledger\n  password: Quill_Stone_62\n", "Quill_Stone_62", "PASSWORD"),
        ("export SMTP_PASS=Harbor7Lights", "Harbor7Lights", "PASSWORD"),
        ("DSN=postgresql://ledger:Walnut%2153@pg.example.net/ledger", "Walnut%2153", "PASSWORD"),
        ("curl -u deploy:Slate-Otter-88 https://api.example.org", "Slate-Otter-88", "PASSWORD"),
        # base64 of "ops:Amber-Fox-19"
        ("Authorization: Basic b3BzOkFtYmVyLUZveC0xOQ==", "b3BzOkFtYmVyLUZveC0xOQ==", "PASSWORD"),
        ("the new passphrase is 'copper lantern quietly hums'", "copper lantern quietly hums",
         "PASSWORD"),
        ("Bonjour, mon mot de passe est Girafe#2031.", "Girafe#2031", "PASSWORD"),
        ("Mein Passwort: Lindenblatt!5", "Lindenblatt!5", "PASSWORD"),
    ],
)  # fmt: skip
def test_secrets_in_configuration_and_commands(
    mapper: pm.PiiMapper, text: str, secret: str, entity: str
) -> None:
    assert masked(mapper, text).get(secret) == entity


def test_a_private_key_block_is_one_api_key(mapper: pm.PiiMapper) -> None:
    block = (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUA\n"
        "AAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n-----END OPENSSH PRIVATE KEY-----"
    )
    assert masked(mapper, f"here is the key:\n{block}\nthanks") == {block: "API_KEY"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Please write to r.okafor@finance.corp.local about it.", "r.okafor@finance.corp.local"),
        ("Alerts go to oncall@build.internal now.", "oncall@build.internal"),
    ],
)
def test_e_mail_addresses_on_internal_domains(mapper: pm.PiiMapper, text: str, value: str) -> None:
    assert masked(mapper, text).get(value) == "EMAIL_ADDRESS"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("You can reach me on 0131 496 0822 after six.", "0131 496 0822"),
        ("Office: +44 (0)20 7946 0958, ask for the desk.", "+44 (0)20 7946 0958"),
        ("my new number is (212) 941-0077, save it", "(212) 941-0077"),
        ("Rufen Sie mich unter +49 (0)30 1234567 an.", "+49 (0)30 1234567"),
    ],
)
def test_phone_numbers_in_local_and_international_forms(
    mapper: pm.PiiMapper, text: str, value: str
) -> None:
    assert masked(mapper, text).get(value) == "PHONE_NUMBER"


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-14 09:31:07 INFO worker started, invoice 2025-0042-7781 queued",
        "Please upgrade to version 4.18.2.19044 and restart 192.168.100.200.",
    ],
)
def test_timestamps_invoices_versions_and_addresses_are_not_phones(
    mapper: pm.PiiMapper, text: str
) -> None:
    assert "PHONE_NUMBER" not in masked(mapper, text).values()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Name: Grace Mbeki\nDOB: 14-sep-1981\n", "14-sep-1981"),
        ("Can we move the appointment to Thursday 9th?", "Thursday 9th"),
    ],
)
def test_dates_the_code_guard_used_to_drop(mapper: pm.PiiMapper, text: str, value: str) -> None:
    assert masked(mapper, text).get(value) == "DATE_TIME"


def test_file_numbers_are_not_dates(mapper: pm.PiiMapper) -> None:
    found = masked(mapper, "The invoice 2023-4417 and the file 207/2024 are still open.")
    assert "2023-4417" not in found
    assert "207/2024" not in found


def test_values_glued_to_chinese_and_japanese_text(mapper: pm.PiiMapper) -> None:
    found = masked(mapper, "请联系李娜li.na@example.cn谢谢 服务器10.20.30.40。電話06-6345-7781まで")
    assert found.get("li.na@example.cn") == "EMAIL_ADDRESS"
    assert found.get("10.20.30.40") == "IP_ADDRESS"
    assert found.get("06-6345-7781") == "PHONE_NUMBER"


@pytest.mark.parametrize(
    ("text", "again"),
    [
        ("Ingrid Solberg joins on Monday. Solberg needs a laptop and a badge.", "Solberg"),
        (
            "Spoke with Bartholomew Nwosu today; Bartholomew wants the quote by Friday.",
            "Bartholomew",
        ),
    ],
)
def test_a_name_said_again_in_part_is_masked(mapper: pm.PiiMapper, text: str, again: str) -> None:
    # "A surname alone after a first mention": the model often misses the part alone.
    second = text.rindex(again)
    result = mapper.mask(text, pm.parse_headers({}))
    assert any(s.start <= second and second + len(again) <= s.end for s in result.spans)


def test_a_plain_word_of_a_name_is_not_looked_for_again(mapper: pm.PiiMapper) -> None:
    text = "Will Smith called. Will you call him back?"
    result = mapper.mask(text, pm.parse_headers({}))
    assert not any(s.start == text.rindex("Will") for s in result.spans)
