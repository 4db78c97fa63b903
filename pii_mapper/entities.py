"""The entity catalogue: one table of data.

Each row names a canonical entity type (Presidio's upper snake case where Presidio has one),
the short aliases a header may use, how a value is normalised so that the same value gets the
same placeholder everywhere in a conversation, and which kind of detector finds it.
Adding an entity type is a row here plus, if no detector finds it yet, a recognizer.

The table is global data and never changes. A :class:`~pii_mapper.PiiMapper` built with
custom entity types (:class:`~pii_mapper.CustomEntity`) holds its own :class:`Catalogue`:
the built-in rows plus its own. While one of its calls runs, that catalogue is the *active*
one (:func:`using`, a context variable: per thread and per asyncio task, reset when the call
returns), and the functions here (:func:`lookup_entity`, :func:`normalize_value`,
:func:`active_catalogue` …) answer from it. Two mappers with different custom types never
see each other's types; code outside a mapper's call sees the built-in table only.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from pii_mapper.normalize import fold_for_detection

__all__ = [
    "BUILTIN_CATALOGUE",
    "CATALOGUE",
    "ENTITY_NAMES",
    "GENERIC_ENTITY",
    "MAX_ENTITY_NAME_CHARS",
    "Catalogue",
    "DetectorKind",
    "EntitySpec",
    "Normalization",
    "active_catalogue",
    "closest_entities",
    "entity_key",
    "lookup_entity",
    "normalize_value",
    "using",
]

# The longest entity name (built-in or custom): what a stream of model output must keep to
# see a placeholder's name whole.
MAX_ENTITY_NAME_CHARS = 40


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
    ("US_PASSPORT", (), _ALN, _P, "a US passport number"),
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
    # National identifiers (pii_mapper.detection.national_ids), checked by checksum where they
    # have one.
    ("FR_NIR", ("nir", "insee"), _ALN, _P, "a French social security number (NIR)"),
    (
        "UK_NINO",
        ("nino", "national_insurance", "ni_number"),
        _ALN,
        _P,
        "a UK National Insurance number",
    ),
    (
        "DE_TAX_ID",
        ("steuer_id", "steuerid", "steueridentifikationsnummer", "idnr"),
        _DIG,
        _P,
        "a German tax identification number (Steuer-ID)",
    ),
    ("ES_NIF", ("dni", "nie", "nif"), _ALN, _P, "a Spanish DNI or NIE number"),
    (
        "IT_FISCAL_CODE",
        ("codice_fiscale", "fiscal_code"),
        _ALN,
        _P,
        "an Italian fiscal code (codice fiscale)",
    ),
    ("NL_BSN", ("bsn", "burgerservicenummer"), _DIG, _P, "a Dutch citizen service number (BSN)"),
    (
        "PASSPORT",
        ("passport", "passport_number"),
        _ALN,
        _P,
        "a passport number of any country, written after a passport cue",
    ),
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


def entity_key(name: str) -> str:
    """Header spelling -> lookup key: case-insensitive, '-', '_' and spaces equivalent."""
    return re.sub(r"[\s_-]+", "_", name.strip()).casefold()


class Catalogue:
    """The entity types one mapper knows: the built-in table, plus its custom types.

    Immutable: :meth:`extended` returns a new catalogue. ``lookup`` maps every spelling's key
    (:func:`entity_key`) to its canonical name; a spelling that would name two types is a
    ``ValueError`` naming both (the caller wraps it in its own error).
    """

    __slots__ = ("_lookup", "names", "specs")

    def __init__(self, specs: Iterable[EntitySpec]) -> None:
        table: dict[str, EntitySpec] = {}
        lookup: dict[str, str] = {}
        for spec in specs:
            if spec.name in table:
                raise ValueError(f"the entity type {spec.name} is defined twice")
            table[spec.name] = spec
            for spelling in (spec.name, *spec.aliases):
                existing = lookup.setdefault(entity_key(spelling), spec.name)
                if existing != spec.name:
                    raise ValueError(
                        f"the name or alias {spelling!r} of {spec.name} already names {existing}"
                    )
        self.specs: Mapping[str, EntitySpec] = MappingProxyType(table)
        self.names: tuple[str, ...] = tuple(table)
        self._lookup = lookup

    def __repr__(self) -> str:
        return f"Catalogue({len(self.names)} entity types)"

    def extended(self, specs: Iterable[EntitySpec]) -> Catalogue:
        """This catalogue with ``specs`` added after its own rows."""
        return Catalogue([*self.specs.values(), *specs])

    def lookup(self, name: str) -> str | None:
        """The canonical name for a header spelling, or None if unknown."""
        return self._lookup.get(entity_key(name))

    def closest(self, name: str, limit: int = 3) -> list[str]:
        """Canonical names closest to an unknown spelling, best first (for error messages)."""
        matches = difflib.get_close_matches(
            entity_key(name)[:64], list(self._lookup), n=limit * 3, cutoff=0.5
        )
        seen: list[str] = []
        for match in matches:
            canonical = self._lookup[match]
            if canonical not in seen:
                seen.append(canonical)
        return seen[:limit]


BUILTIN_CATALOGUE = Catalogue(CATALOGUE.values())

_ACTIVE: ContextVar[Catalogue] = ContextVar("pii_mapper_catalogue", default=BUILTIN_CATALOGUE)


def active_catalogue() -> Catalogue:
    """The catalogue in force: a mapper's own during its calls, else the built-in one."""
    return _ACTIVE.get()


@contextmanager
def using(catalogue: Catalogue) -> Iterator[Catalogue]:
    """Make ``catalogue`` the active one for the current thread or task, until the block ends."""
    token = _ACTIVE.set(catalogue)
    try:
        yield catalogue
    finally:
        _ACTIVE.reset(token)


def lookup_entity(name: str) -> str | None:
    """The canonical name for a header spelling of an entity type, or None if unknown."""
    return _ACTIVE.get().lookup(name)


def closest_entities(name: str, limit: int = 3) -> list[str]:
    """Canonical names closest to an unknown spelling, best first (for error messages)."""
    return _ACTIVE.get().closest(name, limit)


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

    Width variants are folded and invisible characters dropped first (except for values
    compared exactly, such as secrets). An unknown entity type is normalised as free text.
    A value that normalises to nothing (a phone number written without digits, say) is
    compared as written.
    """
    spec = _ACTIVE.get().specs.get(entity)
    normalization = spec.normalization if spec is not None else Normalization.TEXT
    if normalization is not Normalization.EXACT:
        # Width variants and invisible characters do not make another value (a full-width
        # "\uff11" is the digit 1; a zero-width space inside a name changes nothing).
        value = fold_for_detection(value).text
    return _NORMALIZERS[normalization](value) or value
