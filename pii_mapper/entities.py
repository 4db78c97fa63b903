"""The entity catalogue: one table of data.

Each row names a canonical entity type (Presidio's upper snake case where Presidio has one),
the short aliases a header may use, how a value is normalised so that the same value gets the
same placeholder everywhere in a conversation, and which kind of detector finds it.
Adding an entity type is a row here plus, if no detector finds it yet, a recognizer.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CATALOGUE",
    "ENTITY_NAMES",
    "GENERIC_ENTITY",
    "DetectorKind",
    "EntitySpec",
    "Normalization",
    "closest_entities",
    "lookup_entity",
    "normalize_value",
]


class DetectorKind(StrEnum):
    """Which detector finds an entity type."""

    PATTERN = "pattern"  # regular expressions, checksums and context words; no NLP model
    NER = "ner"  # spaCy's named-entity recogniser
    DECLARED = "declared"  # only spans the caller declares (X-Pii-Positions)


class Normalization(StrEnum):
    """How a value is reduced before values are compared for consistency."""

    TEXT = "text"  # whitespace collapsed, case-folded (names, places, free text)
    CASEFOLD = "casefold"  # case-folded, surrounding whitespace stripped (e-mail, URL, IP)
    DIGITS = "digits"  # digits only (phone, card, SSN)
    ALNUM = "alnum"  # letters and digits only, upper-cased (IBAN, passport, licences)
    EXACT = "exact"  # as written (secrets and crypto addresses are case-sensitive)


@dataclass(frozen=True, slots=True)
class EntitySpec:
    name: str
    aliases: tuple[str, ...]
    normalization: Normalization
    detector: DetectorKind
    description: str


_P, _N, _D = DetectorKind.PATTERN, DetectorKind.NER, DetectorKind.DECLARED
_TEXT, _FOLD, _DIG, _ALN, _EXA = (
    Normalization.TEXT,
    Normalization.CASEFOLD,
    Normalization.DIGITS,
    Normalization.ALNUM,
    Normalization.EXACT,
)

GENERIC_ENTITY = "PII"

# name, aliases, normalisation, detector, description
_ROWS: tuple[tuple[str, tuple[str, ...], Normalization, DetectorKind, str], ...] = (
    ("PERSON", ("person", "name", "per"), _TEXT, _N, "a person's name"),
    ("EMAIL_ADDRESS", ("email", "e-mail", "mail"), _FOLD, _P, "an e-mail address"),
    ("PHONE_NUMBER", ("phone", "telephone", "tel", "mobile"), _DIG, _P, "a phone number"),
    ("US_SSN", ("ssn", "social_security_number"), _DIG, _P, "a US social security number"),
    ("CREDIT_CARD", ("credit_card", "card", "cc"), _DIG, _P, "a payment card number"),
    ("IBAN_CODE", ("iban",), _ALN, _P, "an international bank account number"),
    ("IP_ADDRESS", ("ip", "ip_address"), _FOLD, _P, "an IPv4 or IPv6 address"),
    ("MAC_ADDRESS", ("mac",), _FOLD, _P, "a network hardware address"),
    (
        "LOCATION",
        ("location", "address", "place", "loc", "gpe"),
        _TEXT,
        _N,
        "a place or a postal address",
    ),
    (
        "ORGANIZATION",
        ("org", "organization", "organisation", "company"),
        _TEXT,
        _N,
        "an organisation's name",
    ),
    ("DATE_TIME", ("date", "time", "datetime", "dob"), _TEXT, _N, "an absolute date or time"),
    ("URL", ("url", "link", "website"), _FOLD, _P, "a web address"),
    (
        "NRP",
        ("nrp", "nationality", "religion"),
        _TEXT,
        _N,
        "a nationality, religious or political group",
    ),
    ("US_PASSPORT", ("passport",), _ALN, _P, "a US passport number"),
    (
        "US_DRIVER_LICENSE",
        ("driver_license", "drivers_license", "license"),
        _ALN,
        _P,
        "a US driver's licence number",
    ),
    (
        "US_BANK_NUMBER",
        ("bank_number", "bank_account", "account_number"),
        _DIG,
        _P,
        "a US bank account number",
    ),
    ("US_ITIN", ("itin",), _DIG, _P, "a US individual taxpayer identification number"),
    ("CRYPTO", ("crypto", "bitcoin", "wallet"), _EXA, _P, "a cryptocurrency wallet address"),
    ("MEDICAL_LICENSE", ("medical_license", "dea"), _ALN, _P, "a medical licence number"),
    ("UK_NHS", ("nhs",), _DIG, _P, "a UK NHS number"),
    (
        "API_KEY",
        ("api_key", "apikey", "secret", "token", "access_token"),
        _EXA,
        _P,
        "an API key, access token or other credential",
    ),
    (
        "PASSWORD",
        ("password", "passwd", "pwd", "passphrase"),
        _EXA,
        _P,
        "a password written after a password cue",
    ),
    (GENERIC_ENTITY, ("pii", "generic"), _TEXT, _D, "a span declared by the caller"),
)

CATALOGUE: dict[str, EntitySpec] = {
    name: EntitySpec(name, aliases, normalization, detector, description)
    for name, aliases, normalization, detector, description in _ROWS
}

ENTITY_NAMES: tuple[str, ...] = tuple(CATALOGUE)


def _key(name: str) -> str:
    """Header spelling -> lookup key: case-insensitive, '-', '_' and spaces equivalent."""
    return re.sub(r"[\s_-]+", "_", name.strip()).casefold()


_LOOKUP: dict[str, str] = {}
for _spec in CATALOGUE.values():
    for _spelling in (_spec.name, *_spec.aliases):
        _existing = _LOOKUP.setdefault(_key(_spelling), _spec.name)
        if _existing != _spec.name:  # pragma: no cover - guards the table itself
            raise RuntimeError(f"alias {_spelling!r} names both {_existing} and {_spec.name}")


def lookup_entity(name: str) -> str | None:
    """The canonical name for a header spelling of an entity type, or None if unknown."""
    return _LOOKUP.get(_key(name))


def closest_entities(name: str, limit: int = 3) -> list[str]:
    """Canonical names closest to an unknown spelling, best first (for error messages)."""
    matches = difflib.get_close_matches(_key(name)[:64], list(_LOOKUP), n=limit * 3, cutoff=0.5)
    seen: list[str] = []
    for match in matches:
        canonical = _LOOKUP[match]
        if canonical not in seen:
            seen.append(canonical)
    return seen[:limit]


_SPACES = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D+")
_NOT_ALNUM = re.compile(r"[\W_]+")


def _text(value: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold()


_NORMALIZERS: dict[Normalization, Callable[[str], str]] = {
    Normalization.TEXT: _text,
    Normalization.CASEFOLD: lambda value: value.strip().casefold(),
    Normalization.DIGITS: lambda value: _NOT_DIGIT.sub("", value),
    Normalization.ALNUM: lambda value: _NOT_ALNUM.sub("", value).upper(),
    Normalization.EXACT: lambda value: value,
}


def normalize_value(entity: str, value: str) -> str:
    """The form of ``value`` under which equal values of ``entity`` are recognised as one.

    An unknown entity type is normalised as free text. A value that normalises to nothing
    (a phone number written without digits, say) is compared as written.
    """
    spec = CATALOGUE.get(entity)
    normalization = spec.normalization if spec is not None else Normalization.TEXT
    return _NORMALIZERS[normalization](value) or value
