"""The library's own pattern recognizers (no spaCy model involved)."""

from __future__ import annotations

import pytest

from pii_mapper.detection.patterns import (
    ApiKeyRecognizer,
    CuedNameRecognizer,
    EmailRecognizer,
    IpRecognizer,
    OrganizationRecognizer,
    PasswordRecognizer,
    PhoneRecognizer,
    Recognizer,
    TextDateRecognizer,
    UrlRecognizer,
    follows_version_cue,
)


def found(recognizer: Recognizer, text: str, threshold: float = 0.4) -> list[str]:
    return [text[d.start : d.end] for d in recognizer.find(text) if d.score >= threshold]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail a.b@example.com now", ["a.b@example.com"]),
        ("Write to Zoe.O'Neil+tag@mail.co.uk.", ["Zoe.O'Neil+tag@mail.co.uk"]),
        ("user@localhost is not an address", []),
        ("version@3.12.1 is not one either", []),
        ("no at sign here", []),
    ],
)
def test_email_addresses_need_a_known_public_suffix(text: str, expected: list[str]) -> None:
    assert found(EmailRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://acme.io/docs?a=1.", ["https://acme.io/docs?a=1"]),
        ("go to www.example.org, then", ["www.example.org"]),
        ("bare example.com/path works", ["example.com/path"]),
        ("mail a.b@example.com only", []),
        ("run setup.py and read README.md", []),
        ("python 3.12.1 is out", []),
    ],
)
def test_urls_skip_email_domains_files_and_versions(text: str, expected: list[str]) -> None:
    assert found(UrlRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("server 10.0.0.12 is down", ["10.0.0.12"]),
        ("subnet 192.168.0.0/24.", ["192.168.0.0/24"]),
        ("ipv6 2001:db8::8a2e:370:7334 ok", ["2001:db8::8a2e:370:7334"]),
        ("version 1.2.3.4.5 and 300.1.1.1", []),
        ("it is 10:30:00 now", []),
        ("see version 3.2.1.4 and build 10.4.1.7", []),
        ("we upgraded to 4.1.0.2 last week", []),
        ("upgraded to 10.0.0.5, the new host", ["10.0.0.5"]),  # an address cue wins
        ("ping 8.8.8.8", ["8.8.8.8"]),
    ],
)
def test_ip_addresses_are_checked_by_ipaddress(text: str, expected: list[str]) -> None:
    assert found(IpRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me at (415) 555-2671 today", ["(415) 555-2671"]),
        ("London office +44 20 7946 0958.", ["+44 20 7946 0958"]),
        ("Berlin: +49 30 901820", ["+49 30 901820"]),
        ("my phone: 4155552671", ["4155552671"]),
        ("order 4155552671 shipped", []),  # a bare digit run needs a context word
        ("SSN 536-22-8726", []),
        ("on 2024-03-15 we met", []),
        ("version 3.12.1", []),
    ],
)
def test_phone_numbers_are_validated_and_bare_digits_need_context(
    text: str, expected: list[str]
) -> None:
    assert found(PhoneRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key sk-live-abcdefghijklmnop1234 here", ["sk-live-abcdefghijklmnop1234"]),
        ("token ghp_" + "a1B2" * 9, ["ghp_" + "a1B2" * 9]),
        ("AWS AKIAIOSFODNN7EXAMPLE.", ["AKIAIOSFODNN7EXAMPLE"]),
        ("Authorization: Bearer abc123def456ghi789jkl", ["abc123def456ghi789jkl"]),
        ("the api key is in the vault", []),
        ("our API is documented", []),
    ],
)
def test_api_keys_by_format_or_after_a_cue(text: str, expected: list[str]) -> None:
    assert found(ApiKeyRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("password: hunter2!", ["hunter2!"]),
        ('pwd="s3cr3t pass"', ["s3cr3t"]),
        ("my password is Tr0ub4dor&3.", ["Tr0ub4dor&3"]),
        ("I forgot my password again", []),
        ("use a password manager", []),
    ],
)
def test_passwords_follow_a_cue(text: str, expected: list[str]) -> None:
    assert found(PasswordRecognizer(), text) == expected


def test_offsets_are_exact_on_non_ascii_text() -> None:
    text = "Grüße 👋 — mail zoë@example.de or call +33 1 42 68 53 00"
    spans = [*EmailRecognizer().find(text), *PhoneRecognizer().find(text)]
    assert sorted(text[s.start : s.end] for s in spans) == ["+33 1 42 68 53 00", "zoë@example.de"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hi maria, can you help", ["maria"]),
        ("Thanks Maria!", ["Maria"]),
        ("Best regards,\nJohn Smith\nAcme", ["John Smith"]),
        ("Cheers,\n-- Bob", ["Bob"]),
        ("my name is maria gonzalez", ["maria gonzalez"]),
        ("I'm Ann Lee and I'm fine", ["Ann Lee"]),
        ("Hi there, I am going home", []),
        ("Hello Team", []),
        ("thanks for the help", []),
        ("This is Acme Support", []),
    ],
)
def test_names_after_greetings_introductions_and_sign_offs(text: str, expected: list[str]) -> None:
    assert found(CuedNameRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from Feb 12, 1959 to", ["Feb 12, 1959"]),
        ("on 12th of March 2020.", ["12th of March 2020"]),
        ("born 3 May 1990", ["3 May 1990"]),
        ("you may 5 times", []),
        ("the 1st of may", []),
    ],
)
def test_dates_with_a_month_name(text: str, expected: list[str]) -> None:
    assert found(TextDateRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Best,\nJohn Smith\nGlobex Corporation", ["Globex Corporation"]),
        ("I work at Acme Inc. now.", ["Acme Inc."]),
        ("Smith, Jones and Brown LLC sued", ["Smith, Jones and Brown LLC"]),
        ("Wayne Enterprises called.", ["Wayne Enterprises"]),
        ("The Bank of England", []),
        ("Our Group is big", []),
    ],
)
def test_organizations_by_legal_or_trade_suffix(text: str, expected: list[str]) -> None:
    assert found(OrganizationRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "cued"),
    [
        ("version 1.13.19", True),
        ("Please upgrade to 1.13.19", True),
        ("bumped to 2.0.1", True),
        ("v2.0.1", True),
        ("release 2024.1", True),
        ("on 1.13.19", False),
        ("the dev 2.0.1", False),  # "v" only as a word of its own
        ("my version is 1.13.19", False),  # the cue must stand right before the number
    ],
)
def test_version_cues_stand_right_before_the_number(text: str, cued: bool) -> None:
    assert follows_version_cue(text, len(text.rstrip(".0123456789"))) is cued


def test_a_date_after_a_version_cue_is_not_a_date() -> None:
    from pii_mapper.detection.engine import is_absolute_date

    def date_in(text: str) -> bool:
        start = text.index("1.13.19")
        return is_absolute_date(text, start, start + len("1.13.19"))

    assert date_in("we met on 1.13.19")
    assert not date_in("please upgrade to 1.13.19 now")


def test_two_ibans_separated_by_a_space_are_both_found() -> None:
    # The pattern's optional spaces swallow the second IBAN; the search resumes after the
    # first one kept, not after the whole match (found by pii_mapper.testing's strategies).
    from pii_mapper.detection.patterns import IbanRecognizer

    text = "BE54000000000000 BE27000000000001 and BE54 0000 0000 0000 BE27 0000 0000 0001"
    found = [text[d.start : d.end] for d in IbanRecognizer().find(text)]
    assert found == [
        "BE54000000000000",
        "BE27000000000001",
        "BE54 0000 0000 0000",
        "BE27 0000 0000 0001",
    ]
