"""Hypothesis strategies and checks for property-based tests of a system that uses pii_mapper.

A team that puts the library in front of a model can prove, in its own test suite, that no
PII reaches the model whatever the conversation, the headers or the streaming::

    from hypothesis import given
    from pii_mapper import testing as pt

    @given(pt.conversations(entities=["EMAIL_ADDRESS", "IBAN_CODE", "PII"]))
    def test_model_never_sees_pii(conv):
        sent = my_server_preprocess(conv.history, conv.message, headers=conv.headers)
        pt.assert_masked(sent, conv.planted)

What is here (docs/testing.md explains each, with a worked FastAPI example):

* :func:`pii_values` — realistic values of one entity type, valid where a checksum exists;
* :func:`messages` and :func:`conversations` — chat text with planted values and their exact
  spans, optional history, and request headers valid by construction;
* :func:`header_values` and :func:`invalid_header_values` — for fuzzing header handling;
* :func:`assert_masked` and :func:`assert_round_trip` — checks whose messages name entity
  types and offsets, never a value;
* :data:`RELIABLE_ENTITIES` — the types the default detector is guaranteed to find.

Every value is built here from digits, letters and syllables; nothing is drawn from a list
of real people or places. Drawn objects print without their values (a falsifying example
shows ``⟦EMAIL_ADDRESS 12-29⟧`` where the address was), so a failing test's report holds no
planted value. This module needs hypothesis (``pip install 'pii-mapper[testing]'``);
``import pii_mapper`` does not import it.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache

from hypothesis import assume
from hypothesis import strategies as st

from pii_mapper.entities import (
    CATALOGUE,
    ENTITY_NAMES,
    GENERIC_ENTITY,
    DetectorKind,
    lookup_entity,
    normalize_value,
)
from pii_mapper.headers import (
    AUTO_HEADER,
    MAPPING_HEADER,
    MAX_HEADER_CHARS,
    MAX_OFFSET_DIGITS,
    PII_HEADERS,
    SUPPORTED_LANGUAGES,
)
from pii_mapper.mapping import HISTORY_HEADER, ConversationMapping, MappingEncoding, SealKey
from pii_mapper.placeholders import format_placeholder, variant_pattern
from pii_mapper.policy import Action
from pii_mapper.positions import POSITIONS_HEADER
from pii_mapper.unmasking import unmask

__all__ = [
    "LANGUAGES",
    "PII_HEADERS",
    "RELIABLE_ENTITIES",
    "SUPPORTED_ENTITIES",
    "Conversation",
    "Message",
    "Planted",
    "action_spellings",
    "assert_masked",
    "assert_round_trip",
    "conversations",
    "entity_spellings",
    "header_values",
    "invalid_header_values",
    "messages",
    "pii_values",
]


# --- building blocks -----------------------------------------------------------------------

_ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
           "br", "dr", "gr", "kl", "st", "tr", "sh", "ch")  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ei", "ou", "ia")
_CODAS = ("", "", "", "n", "r", "l", "s", "m", "th")
_SYLLABLES = tuple(o + v + c for o in _ONSETS for v in _VOWELS for c in dict.fromkeys(_CODAS))


def _spell(number: int, min_syllables: int, max_syllables: int) -> str:
    """The word numbered ``number``: its syllable count, then its syllables, as digits of
    ``number`` in base len(_SYLLABLES). 0 is the simplest word ("ba" * min_syllables)."""
    number, extra = divmod(number, max_syllables - min_syllables + 1)
    parts = []
    for _ in range(min_syllables + extra):
        number, index = divmod(number, len(_SYLLABLES))
        parts.append(_SYLLABLES[index])
    return "".join(parts)


@cache
def _word(min_syllables: int = 2, max_syllables: int = 3) -> st.SearchStrategy[str]:
    """An invented lower-case word, e.g. ``brailon``: one integer choice, which the shrinker
    lowers in one step (a list of syllables would take it many)."""
    span = max_syllables - min_syllables + 1
    top = span * len(_SYLLABLES) ** max_syllables - 1
    # Multiplying by a prime modulo the range is a bijection that keeps 0 at 0 but spreads
    # the small numbers hypothesis favours over all syllables.
    return st.integers(0, top).map(
        lambda n: _spell(n * _SPREAD % (top + 1), min_syllables, max_syllables)
    )


_SPREAD = 1_000_000_007


@cache
def _name_word() -> st.SearchStrategy[str]:
    return _word().map(str.capitalize)


@cache
def _digits(count: int, first: str = string.digits) -> st.SearchStrategy[str]:
    """``count`` digits, the first one of ``first`` (two draws: cheap, and shrinks to 0s)."""
    return st.builds(
        lambda head, tail: head + str(tail).zfill(count - 1)[-(count - 1) :] * (count > 1),
        st.sampled_from(first),
        st.integers(0, 10 ** (count - 1) - 1),
    )


def _group(value: str, sizes: Sequence[int], separator: str) -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(value[at : at + size])
        at += size
    if at < len(value):
        parts.append(value[at:])
    return separator.join(part for part in parts if part)


# --- checksums (the tests check every value against these and against the detectors) -------


def _luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(payload)):
        digit = int(char)
        if index % 2 == 0:  # doubled once the check digit is appended
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str(-total % 10)


def _iban(country: str, bban: str) -> str:
    """The IBAN of ``bban`` in ``country``, with its mod-97 check digits."""
    number = int("".join(str(int(char, 36)) for char in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


def _nhs_check_digit(payload: str) -> int:
    """The NHS number check digit of 9 digits (mod 11); 10 means no valid number."""
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(payload)) % 11
    return (11 - remainder) % 11


_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58check(payload: bytes) -> str:
    checksum = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    data = payload + checksum
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, digit = divmod(number, 58)
        encoded = _BASE58[digit] + encoded
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + encoded


# --- values of each entity type ------------------------------------------------------------


def _person() -> st.SearchStrategy[str]:
    return st.builds(lambda given, family: f"{given} {family}", _name_word(), _name_word())


@st.composite
def _email(draw: st.DrawFn) -> str:
    local = draw(_word())
    if draw(st.booleans()):
        local += draw(st.sampled_from(".-_")) + draw(_word(1, 2))
    if draw(st.booleans()):
        local += draw(_digits(2))
    domain = draw(_word()) + "." + draw(st.sampled_from(("com", "org", "net", "io", "de", "fr",
                                                         "co.uk", "es", "it", "nl")))  # fmt: skip
    address = f"{local}@{domain}"
    return address.capitalize() if draw(st.booleans()) else address


_US_AREA_CODES = ("201", "202", "206", "212", "213", "214", "303", "305", "310", "312", "404",
                  "415", "503", "512", "602", "617", "646", "702", "713", "718", "773", "804",
                  "808", "818", "917", "919")  # fmt: skip
# Country code, national prefix digits, national length after them, grouping.
_FOREIGN_PHONES = (
    # country code, area code, first digits of the local number, local length, grouping
    ("+44", "20", "78", 8, (4, 4)),  # London
    ("+33", "1", "234567", 8, (2, 2, 2, 2)),  # Paris
    ("+49", "30", "2345678", 8, (4, 4)),  # Berlin
    ("+31", "20", "2345678", 7, (3, 4)),  # Amsterdam
    ("+34", "91", "2345678", 7, (3, 2, 2)),  # Madrid
    ("+39", "06", "2345678", 8, (4, 4)),  # Rome
)


@st.composite
def _phone(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        area = draw(st.sampled_from(_US_AREA_CODES))
        exchange = draw(_digits(3, "23456789").filter(lambda e: e[1:] != "11" and e != "555"))
        line = draw(_digits(4))
        layout = draw(st.sampled_from(("({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}",
                                       "+1 {a} {e} {l}", "+1-{a}-{e}-{l}")))  # fmt: skip
        return layout.format(a=area, e=exchange, l=line)
    code, prefix, first, length, sizes = draw(st.sampled_from(_FOREIGN_PHONES))
    rest = draw(_digits(length, first))
    return f"{code} {prefix} {_group(rest, sizes, ' ')}"


@st.composite
def _ssn(draw: st.DrawFn) -> str:
    area = draw(st.integers(1, 899).filter(lambda a: a != 666))
    group, serial = draw(st.integers(1, 99)), draw(st.integers(1, 9999))
    digits = f"{area:03d}{group:02d}{serial:04d}"
    # Numbers the Social Security Administration never issues, or that are famous examples.
    assume(len(set(digits)) > 1 and digits not in ("123456789", "078051120"))
    separator = draw(st.sampled_from("- "))
    return _group(digits, (3, 2, 4), separator)


# Issuer prefix and total length of a card number.
_CARD_KINDS = (("4", 16), ("51", 16), ("52", 16), ("55", 16), ("34", 15),
               ("37", 15), ("6011", 16))  # fmt: skip


@st.composite
def _card(draw: st.DrawFn) -> str:
    prefix, length = draw(st.sampled_from(_CARD_KINDS))
    payload = prefix + draw(_digits(length - len(prefix) - 1))
    number = payload + _luhn_check_digit(payload)
    separator = draw(st.sampled_from(("", " ", "-")))
    sizes = (4, 6, 5) if length == 15 else (4, 4, 4, 4)
    return _group(number, sizes, separator) if separator else number


_LETTERS = string.ascii_uppercase
_UPPER_ALNUM = _LETTERS + string.digits


@cache
def _chars(count: int, alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=count, max_size=count)


# Country -> the shape of its BBAN (national account number).
_BBANS: dict[str, Callable[[], st.SearchStrategy[str]]] = {
    "DE": lambda: _chars(18, string.digits),
    "GB": lambda: st.builds(str.__add__, _chars(4, _LETTERS), _chars(14, string.digits)),
    "FR": lambda: st.builds(lambda a, b, c: a + b + c, _chars(10, string.digits),
                            _chars(11, _UPPER_ALNUM), _chars(2, string.digits)),
    "NL": lambda: st.builds(str.__add__, _chars(4, _LETTERS), _chars(10, string.digits)),
    "ES": lambda: _chars(20, string.digits),
    "IT": lambda: st.builds(lambda a, b, c: a + b + c, _chars(1, string.ascii_uppercase),
                            _chars(10, string.digits), _chars(12, string.digits)),
    "BE": lambda: _chars(12, string.digits),
}  # fmt: skip


@st.composite
def _iban_value(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(sorted(_BBANS)))
    iban = _iban(country, draw(_BBANS[country]()))
    return _group(iban, [4] * 8, " ") if draw(st.booleans()) else iban


@st.composite
def _ip(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 3)):
        first = draw(st.integers(1, 223).filter(lambda o: o != 127))
        rest = draw(st.lists(st.integers(0, 255), min_size=3, max_size=3))
        return ".".join(str(octet) for octet in (first, *rest))
    groups = draw(st.lists(st.integers(0, 0xFFFF), min_size=8, max_size=8))
    groups[0] = 0x2001 if groups[0] < 0x2000 else groups[0] % 0x1000 + 0x2000
    address = ipaddress.IPv6Address(":".join(f"{g:x}" for g in groups))
    return address.compressed if draw(st.booleans()) else address.exploded


@st.composite
def _mac(draw: st.DrawFn) -> str:
    octets = draw(st.lists(st.integers(0, 255), min_size=6, max_size=6))
    if len(set(octets)) == 1 and octets[0] in (0, 255):  # null and broadcast: not a device's
        octets[-1] ^= 1
    text = draw(st.sampled_from(":-")).join(f"{octet:02x}" for octet in octets)
    return text.upper() if draw(st.booleans()) else text


@st.composite
def _url(draw: st.DrawFn) -> str:
    start = draw(st.sampled_from(("https://", "http://", "https://www.", "www.")))
    host = draw(_word()) + "." + draw(st.sampled_from(("com", "org", "net", "io", "de", "fr")))
    path = "".join("/" + draw(_word(1, 2)) for _ in range(draw(st.integers(0, 2))))
    if draw(st.booleans()):
        path += f"?id={draw(_digits(4))}"
    return start + host + path


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


@st.composite
def _date(draw: st.DrawFn) -> str:
    year, month, day = (
        draw(st.integers(1940, 2025)),
        draw(st.integers(1, 12)),
        draw(st.integers(1, 28)),
    )
    layout = draw(st.sampled_from(("{d} {M} {y}", "{M} {d}, {y}", "{y}-{m:02d}-{d:02d}",
                                   "{d:02d}/{m:02d}/{y}")))  # fmt: skip
    return layout.format(d=day, m=month, y=year, M=_MONTHS[month - 1])


@st.composite
def _location(draw: st.DrawFn) -> str:
    number = draw(st.integers(1, 250))
    street = draw(_name_word())
    kind = draw(st.sampled_from(("Street", "Road", "Avenue", "Lane", "Drive")))
    return f"{number} {street} {kind}"


def _organization() -> st.SearchStrategy[str]:
    suffix = st.sampled_from(("Ltd", "Inc.", "GmbH", "LLC", "Corp", "S.A.", "B.V."))
    return st.builds(lambda name, s: f"{name} {s}", _name_word(), suffix)


# Written for this module: groups a person can be identified by (the NRP type).
_NRP = ("Catholic", "Protestant", "Orthodox", "Muslim", "Jewish", "Buddhist", "Hindu", "Sikh",
        "French", "German", "Spanish", "Italian", "Dutch", "Nigerian", "Brazilian", "Japanese",
        "Republican", "Democrat")  # fmt: skip


@st.composite
def _dea(draw: st.DrawFn) -> str:
    letters = draw(st.sampled_from("ABFGMPRX")) + draw(st.sampled_from(string.ascii_uppercase))
    six = draw(_digits(6))
    odd, even = sum(map(int, six[0::2])), sum(map(int, six[1::2]))
    return letters + six + str((odd + 2 * even) % 10)


@st.composite
def _nhs(draw: st.DrawFn) -> str:
    payload = draw(_digits(9, "123456789"))
    check = _nhs_check_digit(payload)
    if check == 10:  # no valid number with these digits: change the last one
        payload = payload[:8] + str((int(payload[8]) + 1) % 10)
        check = _nhs_check_digit(payload)
    assume(check != 10)
    separator = draw(st.sampled_from((" ", "-", "")))
    return _group(payload + str(check), (3, 3, 4), separator)


@st.composite
def _itin(draw: st.DrawFn) -> str:
    middle = draw(st.sampled_from((*range(70, 89), 90, 91, 92, *range(94, 100))))
    return f"9{draw(_digits(2))}-{middle}-{draw(_digits(4))}"


@st.composite
def _crypto(draw: st.DrawFn) -> str:
    payload = bytes(draw(st.lists(st.integers(0, 255), min_size=20, max_size=20)))
    return _base58check(b"\0" + payload)


_KEY_ALPHABET = string.ascii_letters + string.digits


@st.composite
def _api_key(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("sk", "ghp", "aws", "glpat", "slack")))
    if kind == "sk":
        mode = draw(st.sampled_from(("live", "test", "proj")))
        return f"sk-{mode}-{draw(_chars(24, _KEY_ALPHABET))}"
    if kind == "ghp":
        return "ghp_" + draw(_chars(36, _KEY_ALPHABET))
    if kind == "aws":
        return "AKIA" + draw(_chars(16, _UPPER_ALNUM))
    if kind == "glpat":
        return "glpat-" + draw(_chars(20, _KEY_ALPHABET))
    return f"xoxb-{draw(_digits(11))}-{draw(_chars(24, _KEY_ALPHABET))}"


@st.composite
def _password(draw: st.DrawFn) -> str:
    body = draw(st.text(_KEY_ALPHABET + "!#$%&*+-?@^_", min_size=7, max_size=15))
    return draw(_name_word())[:3] + draw(st.sampled_from("!#$%&*?@")) + body + draw(_digits(2))


# --- national identifiers (each built valid by its own rule) ---------------------------------


@st.composite
def _fr_nir(draw: st.DrawFn) -> str:
    sex = draw(st.sampled_from("12"))
    year, month = draw(_digits(2)), f"{draw(st.integers(1, 12)):02d}"
    department = f"{draw(st.integers(1, 95)):02d}".replace("20", "75")  # 20 is Corsica's 2A/2B
    commune, order = f"{draw(st.integers(1, 990)):03d}", f"{draw(st.integers(1, 999)):03d}"
    number = sex + year + month + department + commune + order
    key = f"{97 - int(number) % 97:02d}"
    return _group(number + key, (1, 2, 2, 2, 3, 3, 2), draw(st.sampled_from([" ", ""])))


_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"  # not D, F, I, Q, U, V
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"  # nor O
_NINO_RESERVED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


@st.composite
def _uk_nino(draw: st.DrawFn) -> str:
    prefix = draw(
        st.tuples(st.sampled_from(_NINO_FIRST), st.sampled_from(_NINO_SECOND))
        .map("".join)
        .filter(lambda pair: pair not in _NINO_RESERVED)
    )
    value = prefix + draw(_digits(6)) + draw(st.sampled_from("ABCD"))
    return _group(value, (2, 2, 2, 2, 1), draw(st.sampled_from([" ", ""])))


@st.composite
def _de_tax_id(draw: st.DrawFn) -> str:
    # Ten digits, no leading zero, in which one digit appears twice and one not at all (two
    # copies can never stand three in a row); then the ISO 7064 mod 11,10 check digit.
    digits = draw(st.permutations("0123456789").filter(lambda p: p[0] != "0"))
    body = list(digits[:9])
    body.insert(draw(st.integers(1, 9)), draw(st.sampled_from(body)))
    product = 10
    for digit in body:
        total = (int(digit) + product) % 10 or 10
        product = (total * 2) % 11
    return "".join(body) + str((11 - product) % 10)


_NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


@st.composite
def _es_nif(draw: st.DrawFn) -> str:
    if draw(st.booleans()):  # a DNI
        number = draw(_digits(8))
        return number + _NIF_LETTERS[int(number) % 23]
    prefix, number = draw(st.sampled_from("XYZ")), draw(_digits(7))  # an NIE
    return prefix + number + _NIF_LETTERS[int(str("XYZ".index(prefix)) + number) % 23]


_CF_ODD_DIGITS = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21)
_CF_ODD = dict(
    zip(
        string.digits + string.ascii_uppercase,
        _CF_ODD_DIGITS
        + _CF_ODD_DIGITS
        + (2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23),
        strict=True,
    )
)


@st.composite
def _it_fiscal_code(draw: st.DrawFn) -> str:
    letters = draw(_chars(6, _LETTERS))
    year, day = draw(_digits(2)), f"{draw(st.integers(1, 31)) + draw(st.sampled_from([0, 40])):02d}"
    month = draw(st.sampled_from("ABCDEHLMPRST"))
    place = draw(st.sampled_from(_LETTERS)) + draw(_digits(3))
    body = letters + year + month + day + place
    total = sum(
        _CF_ODD[c] if i % 2 == 0 else (int(c) if c.isdigit() else ord(c) - ord("A"))
        for i, c in enumerate(body)
    )
    return body + chr(ord("A") + total % 26)


@st.composite
def _nl_bsn(draw: st.DrawFn) -> str:
    # Eight digits, then the ninth that makes the 11-proof hold (drawn again if none does).
    body = draw(_digits(8, "123456789"))
    weighted = sum(int(d) * w for d, w in zip(body, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
    last = weighted % 11
    assume(last < 10 and weighted != last)  # the proof's sum must not be zero
    return body + str(last)


def _passport() -> st.SearchStrategy[str]:
    """Passport numbers in the shapes of several countries' (no checksum to honour)."""
    return st.one_of(
        st.builds(str.__add__, _chars(2, _LETTERS), _digits(7)),  # FR, IT, ES
        st.builds(str.__add__, st.sampled_from("CFGHJK"), _chars(8, "CFGHJKLMNPRTVWXYZ0123456789")),
        st.builds(str.__add__, _chars(2, _LETTERS), _chars(7, _UPPER_ALNUM)),  # NL
        _digits(9, "123456789"),  # UK
    )


# Entity type -> the strategy of its values. A row per catalogue type (a unit test checks
# that every type of the catalogue has one): a type added to the catalogue (a national id
# such as FR_NIR or NL_BSN, say) adds its row here, valid by its checksum. Types the
# catalogue does not know (a deployment's own) come in through ``values=`` of messages()
# and conversations().
_VALUE_STRATEGIES: dict[str, Callable[[], st.SearchStrategy[str]]] = {
    "PERSON": _person,
    "EMAIL_ADDRESS": _email,
    "PHONE_NUMBER": _phone,
    "US_SSN": _ssn,
    "CREDIT_CARD": _card,
    "IBAN_CODE": _iban_value,
    "IP_ADDRESS": _ip,
    "MAC_ADDRESS": _mac,
    "LOCATION": _location,
    "ORGANIZATION": _organization,
    "DATE_TIME": _date,
    "URL": _url,
    "NRP": lambda: st.sampled_from(_NRP),
    "US_PASSPORT": lambda: (
        _digits(9, "123456789")
        | st.builds(str.__add__, st.sampled_from(string.ascii_uppercase), _digits(8))
    ),
    "US_DRIVER_LICENSE": lambda: st.builds(
        str.__add__, st.sampled_from(string.ascii_uppercase), _digits(7)
    ),
    "US_BANK_NUMBER": lambda: st.integers(8, 17).flatmap(lambda n: _digits(n, "123456789")),
    "US_ITIN": _itin,
    "CRYPTO": _crypto,
    "MEDICAL_LICENSE": _dea,
    "UK_NHS": _nhs,
    "API_KEY": _api_key,
    "PASSWORD": _password,
    "FR_NIR": _fr_nir,
    "UK_NINO": _uk_nino,
    "DE_TAX_ID": _de_tax_id,
    "ES_NIF": _es_nif,
    "IT_FISCAL_CODE": _it_fiscal_code,
    "NL_BSN": _nl_bsn,
    "PASSPORT": _passport,
    # Values only a declaration (X-Pii-Positions) can mark: invented lower-case code names.
    GENERIC_ENTITY: lambda: _word(3, 3),
}

SUPPORTED_ENTITIES: tuple[str, ...] = tuple(
    name for name in ENTITY_NAMES if name in _VALUE_STRATEGIES
)
"""The catalogue types :func:`pii_values` can draw, in catalogue order."""

RELIABLE_ENTITIES: tuple[str, ...] = (
    "EMAIL_ADDRESS",
    "US_SSN",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "MAC_ADDRESS",
    "URL",
    "CRYPTO",
    "UK_NHS",
    "API_KEY",
)
"""Types whose drawn values the default detector finds every time, in any message drawn by
:func:`messages` (structured and checksum-validated; each claim is checked by the library's
own integration tests over many drawn examples). A property over these is not flaky; names,
places, organisations and dates are found by a statistical model that can miss one."""


def pii_values(entity: str) -> st.SearchStrategy[str]:
    """Realistic values of the catalogue type ``entity`` (a canonical name or an alias).

    Values are in the formats people write (grouped or not, several layouts) and valid where
    a checksum exists: Luhn for cards, mod 97 for IBANs, mod 11 for NHS numbers, the issued
    ranges of SSNs and ITINs, the DEA check digit, Base58Check for Bitcoin addresses. ``PII``
    (the type of declared spans) gives invented code names that no detector finds.
    """
    canonical = lookup_entity(entity) if isinstance(entity, str) else None
    if canonical is None or canonical not in _VALUE_STRATEGIES:
        raise ValueError(
            f"pii_values: no strategy for entity type {entity!r}; supported: "
            f"{', '.join(SUPPORTED_ENTITIES)}. Values of your own types (a custom entity, "
            "say) are passed to messages() and conversations() as values={name: strategy}"
        )
    return _VALUE_STRATEGIES[canonical]()


# --- planted values and the objects drawn --------------------------------------------------


def _hidden(text: str, planted: Iterable[Planted]) -> str:
    """``text`` with each planted span shown as ``⟦ENTITY start-end⟧`` instead of its value."""
    out, at = [], 0
    for span in sorted(planted, key=lambda p: p.start):
        out.append(text[at : span.start])
        out.append(f"⟦{span.entity} {span.start}-{span.end}⟧")
        at = span.end
    out.append(text[at:])
    return "".join(out)


class Planted:
    """One planted value: its entity type and span (code points) in the text of its message.

    ``turn`` is ``None`` for the current message, ``i`` for the history message ``i``. The
    value is available as ``.value`` but never shown by ``repr``.
    """

    __slots__ = ("end", "entity", "start", "turn", "value")

    def __init__(
        self, entity: str, start: int, end: int, value: str, turn: int | None = None
    ) -> None:
        self.entity, self.start, self.end, self.value, self.turn = entity, start, end, value, turn

    def where(self) -> str:
        """``"EMAIL_ADDRESS at 12-29 of the message"`` — no value."""
        place = "the message" if self.turn is None else f"history message {self.turn}"
        return f"{self.entity} at {self.start}-{self.end} of {place}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Planted):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[str, int, int, str, int | None]:
        return (self.entity, self.start, self.end, self.value, self.turn)

    def __repr__(self) -> str:
        turn = "" if self.turn is None else f", turn={self.turn}"
        return f"Planted({self.entity!r}, {self.start}, {self.end}{turn})"


class Message(str):
    """A chat message with planted values: a ``str`` (its text, also as ``.text``) that
    carries its ``planted`` spans and its ``language``, so it goes wherever text goes.

    Its repr shows the text with ``⟦ENTITY start-end⟧`` in place of each value.
    """

    planted: tuple[Planted, ...]
    language: str

    def __new__(cls, text: str, planted: tuple[Planted, ...], language: str) -> Message:
        message = super().__new__(cls, text)
        message.planted, message.language = planted, language
        return message

    @property
    def text(self) -> str:
        """The text as a plain ``str``."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return (
            f"Message({_hidden(self.text, self.planted)!r}, language={self.language!r}, "
            f"planted={list(self.planted)!r})"
        )

    __str__ = str.__str__  # str(message) is the text, not the repr


class Conversation:
    """A conversation to send to a chat server.

    ``message`` is the current :class:`Message`; ``history`` the earlier messages as
    ``{"role", "content"}`` dicts (``history_messages`` as :class:`Message` objects);
    ``headers`` the four PII request headers, valid by construction (empty when drawn with
    ``headers=False``); ``planted`` every planted value, history first. With the headers
    sent, every planted value must be masked, redacted or hashed before a model sees it.
    """

    __slots__ = ("headers", "history_messages", "message")

    def __init__(
        self,
        message: Message,
        history_messages: tuple[Message, ...],
        headers: dict[str, str],
    ) -> None:
        self.message, self.history_messages, self.headers = message, history_messages, headers

    @property
    def history(self) -> list[dict[str, str]]:
        roles = ("user", "assistant")
        return [
            {"role": roles[i % 2], "content": m.text} for i, m in enumerate(self.history_messages)
        ]

    @property
    def planted(self) -> tuple[Planted, ...]:
        return (*(p for m in self.history_messages for p in m.planted), *self.message.planted)

    def __repr__(self) -> str:
        # The history mapping holds values (in JSON or base64url): shown by its size only.
        shown = {
            name: f"<{len(value)} characters>" if name == HISTORY_HEADER else value
            for name, value in self.headers.items()
        }
        return (
            f"Conversation(message={self.message!r}, history={list(self.history_messages)!r}, "
            f"headers={shown!r})"
        )


# --- chat text -----------------------------------------------------------------------------

LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es", "it", "nl")
"""Languages of the filler text around planted values."""

# Written for this module: everyday chat sentences without any PII.
_FILLER: dict[str, tuple[str, ...]] = {
    "en": ("Hi there.", "Thanks for your help.", "Can you draft a short reply?",
           "I need this by the end of the day.", "Please keep it polite.",
           "Let me know if anything is missing.", "Here are the details.",
           "The meeting went well."),
    "fr": ("Bonjour.", "Merci pour votre aide.", "Pouvez-vous rédiger une réponse courte ?",
           "J'en ai besoin avant ce soir.", "Voici les détails.",
           "Dites-moi s'il manque quelque chose."),
    "de": ("Hallo.", "Danke für die Hilfe.", "Kannst du eine kurze Antwort schreiben?",
           "Hier sind die Angaben.", "Sag mir, ob etwas fehlt.", "Das Treffen lief gut."),
    "es": ("Hola.", "Gracias por tu ayuda.", "¿Puedes escribir una respuesta corta?",
           "Aquí están los datos.", "Avísame si falta algo."),
    "it": ("Ciao.", "Grazie per l'aiuto.", "Puoi scrivere una risposta breve?",
           "Ecco i dettagli.", "Fammi sapere se manca qualcosa."),
    "nl": ("Hallo.", "Bedankt voor je hulp.", "Kun je een kort antwoord schrijven?",
           "Hier zijn de gegevens.", "Laat me weten of er iets ontbreekt."),
}  # fmt: skip
# Words that introduce a value in any language, then the English cues of particular types.
_LEAD_INS: dict[str, tuple[str, ...]] = {
    "en": ("here it is:", "note:", "use"),
    "fr": ("voici :", "note :", "utilisez"),
    "de": ("hier:", "Notiz:", "nimm"),
    "es": ("aquí:", "nota:", "usa"),
    "it": ("ecco:", "nota:", "usa"),
    "nl": ("hier:", "notitie:", "gebruik"),
}
_CUES: dict[str, tuple[str, ...]] = {
    "PERSON": ("my name is", "please ask"),
    "EMAIL_ADDRESS": ("write to", "my email is"),
    "PHONE_NUMBER": ("call me on", "my phone number is"),
    "US_SSN": ("my SSN is",),
    "CREDIT_CARD": ("my card number is",),
    "IBAN_CODE": ("please transfer it to",),
    "IP_ADDRESS": ("the server is at",),
    "MAC_ADDRESS": ("the device's MAC is",),
    "LOCATION": ("I live at",),
    "ORGANIZATION": ("I work for",),
    "DATE_TIME": ("I was born on",),
    "URL": ("see",),
    "US_PASSPORT": ("my passport number is",),
    "US_DRIVER_LICENSE": ("my driver license is",),
    "US_BANK_NUMBER": ("my bank account is",),
    "US_ITIN": ("my ITIN is",),
    "CRYPTO": ("my bitcoin wallet is",),
    "MEDICAL_LICENSE": ("my DEA number is",),
    "UK_NHS": ("my NHS number is",),
    "API_KEY": ("the api key is",),
    "PASSWORD": ("my password is", "password:"),
    GENERIC_ENTITY: ("the project is called",),
}
# A password is only a password after a cue: its cue is not optional.
_CUE_REQUIRED = frozenset({"PASSWORD"})


def _check_languages(languages: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(languages)
    unknown = [code for code in chosen if code not in _FILLER]
    if not chosen or unknown:
        raise ValueError(
            f"languages: expected some of {', '.join(LANGUAGES)}, got {list(chosen)!r}"
        )
    return chosen


def _value_table(
    entities: Sequence[str] | None, values: Mapping[str, st.SearchStrategy[str]] | None
) -> dict[str, st.SearchStrategy[str]]:
    """Entity type -> strategy: the catalogue's rows for ``entities``, plus ``values``."""
    table: dict[str, st.SearchStrategy[str]] = {}
    names = list(RELIABLE_ENTITIES if entities is None and not values else entities or ())
    for name in names:
        if values is not None and name in values:
            continue
        strategy = pii_values(name)
        table[lookup_entity(name) or name] = strategy
    for name, strategy in (values or {}).items():
        if not isinstance(strategy, st.SearchStrategy):
            raise TypeError(f"values[{name!r}] must be a hypothesis strategy of str")
        table[lookup_entity(name) or name] = strategy
    return table


@st.composite
def _segment(
    draw: st.DrawFn, table: Mapping[str, st.SearchStrategy[str]], language: str, entity: str
) -> tuple[str, str, str, str]:
    """``(before, entity, value, after)``: one planted value with what surrounds it. Every
    part shrinks to nothing but the value."""
    # The choices do not depend on the language or the type (an index into whichever list
    # applies), so that removing a segment or changing the language leaves the others as
    # they were: the shrinker can then delete segments one by one.
    fillers = _FILLER[language]
    cues = (*_LEAD_INS[language], *(_CUES.get(entity, ()) if language == "en" else ()))
    filler_index = draw(st.none() | st.integers(0, 7))
    cue_index = draw(st.none() | st.integers(0, 7))
    if entity in _CUE_REQUIRED:
        cues, cue_index = _CUES[entity], cue_index or 0
    filler = fillers[filler_index % len(fillers)] if filler_index is not None else None
    cue = cues[cue_index % len(cues)] if cue_index is not None else None
    before = " ".join(part for part in (filler, cue) if part)
    after = draw(st.sampled_from(("", ".", ",", "!", "?")))
    value = draw(table[entity])
    return before, entity, value, after


def _draw_message(
    draw: st.DrawFn,
    table: Mapping[str, st.SearchStrategy[str]],
    languages: tuple[str, ...],
    min_planted: int,
    max_planted: int,
    turn: int | None = None,
) -> Message:
    language = draw(st.sampled_from(languages))
    segments: list[tuple[str, str, str, str]] = []
    if table:
        # A list without a minimum size, topped up after: hypothesis deletes any element of
        # such a list cleanly, so a failure shrinks to the one segment that matters.
        # The types come first, as a list of small choices that the shrinker deletes with
        # ease; each segment's details are drawn after, and shrink to the same minimum.
        names = st.sampled_from(tuple(sorted(table)))
        types = draw(st.lists(names, max_size=max_planted))
        while len(types) < min_planted:
            types.append(draw(names))
        segments = [draw(_segment(table, language, entity)) for entity in types]
    pieces: list[str] = []
    planted: list[Planted] = []
    length = 0
    for before, entity, value, after in segments:
        if pieces:
            pieces.append(" ")
            length += 1
        if before:
            pieces.append(before + " ")
            length += len(before) + 1
        planted.append(Planted(entity, length, length + len(value), value, turn))
        pieces.append(value + after)
        length += len(value) + len(after)
    closing_index = draw(st.none() | st.integers(0, 7)) if segments else 0
    if closing_index is not None:
        closing = _FILLER[language][closing_index % len(_FILLER[language])]
        pieces.append((" " if pieces else "") + closing)
    text = "".join(pieces)
    # A value must stand only where it was planted (not inside another value or a filler
    # word), so that "the value reached the model" means exactly this planted one.
    for span in planted:
        at = text.find(span.value)
        while at != -1:
            assume(any(p.start == at and p.value == span.value for p in planted))
            at = text.find(span.value, at + 1)
    _assume_one_form_per_value(planted)
    return Message(text, tuple(planted), language)


def _assume_one_form_per_value(planted: Iterable[Planted]) -> None:
    """Reject a draw where one value appears in two forms ("900 000 0009" and "9000000009"):
    the library gives both one placeholder, which unmasks to the first form, so a round-trip
    property would fail by design."""
    forms: dict[tuple[str, str], str] = {}
    for span in planted:
        key = (span.entity, normalize_value(span.entity, span.value))
        assume(forms.setdefault(key, span.value) == span.value)


def messages(
    entities: Sequence[str] | None = None,
    *,
    languages: Sequence[str] = ("en",),
    values: Mapping[str, st.SearchStrategy[str]] | None = None,
    min_planted: int = 1,
    max_planted: int = 4,
) -> st.SearchStrategy[Message]:
    """A chat message in one of ``languages`` with ``min_planted``..``max_planted`` planted
    values of ``entities`` (default: :data:`RELIABLE_ENTITIES`).

    ``values`` maps further entity types (your own custom types, say) to strategies of their
    values; a name in both uses ``values``. A message is a list of segments — optional filler
    sentence, optional cue ("my SSN is"), the value, optional punctuation — and shrinks to
    one bare value.
    """
    table = _value_table(entities, values)
    if not table and min_planted > 0:
        raise ValueError("messages: no entity type to plant; pass entities or values")
    chosen = _check_languages(languages)
    if not 0 <= min_planted <= max_planted:
        raise ValueError("messages: expected 0 <= min_planted <= max_planted")

    @st.composite
    def build(draw: st.DrawFn) -> Message:
        return _draw_message(draw, table, chosen, min_planted, max_planted)

    return build()


# --- conversations and their headers -------------------------------------------------------


def _random_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.integers(0, 2 ** len(text) - 1))  # one draw; shrinks to no flips
    return "".join(c.swapcase() if flips >> i & 1 else c for i, c in enumerate(text))


@st.composite
def entity_spellings(
    draw: st.DrawFn, names: Sequence[str] = ENTITY_NAMES, separators: str = "-_ "
) -> tuple[str, str]:
    """``(spelling, canonical)``: a canonical name or an alias of one of ``names``, in random
    case, with any of ``separators`` between its words (headers treat them alike)."""
    canonical = draw(st.sampled_from(list(names)))
    spec = CATALOGUE[canonical]
    base = draw(st.sampled_from((spec.name, *spec.aliases)))
    words = base.replace("-", "_").replace(" ", "_").split("_")
    joiners = draw(
        st.lists(st.sampled_from(separators), min_size=len(words) - 1, max_size=len(words) - 1)
    )
    spelled = words[0] + "".join(j + w for j, w in zip(joiners, words[1:], strict=True))
    return _random_case(draw, spelled), canonical


_ACTION_SPELLINGS = [(a.value, a) for a in Action] + [("allow", Action.KEEP), ("none", Action.KEEP)]


@st.composite
def action_spellings(
    draw: st.DrawFn, actions: Sequence[Action] = tuple(Action)
) -> tuple[str, Action]:
    """``(spelling, action)`` for one of ``actions``, aliases included, in random case."""
    spelling, action = draw(st.sampled_from(tuple(s for s in _ACTION_SPELLINGS if s[1] in actions)))
    return _random_case(draw, spelling), action


def _utf16_offset(text: str, index: int) -> int:
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


@st.composite
def _positions_header(draw: st.DrawFn, message: Message, declare: Sequence[Planted]) -> str:
    """X-Pii-Positions declaring ``declare`` (spans of ``message``), text or JSON form."""
    form = draw(st.sampled_from(("text", "json", "utf16")))
    if form == "text":
        items = []
        for span in declare:
            spelling = draw(entity_spellings([span.entity]))[0]
            items.append(f"{span.start}-{span.end}:{spelling}")
        return ", ".join(draw(st.permutations(items)))
    text = message.text
    offset = (lambda i: _utf16_offset(text, i)) if form == "utf16" else (lambda i: i)
    spans = [
        {"start": offset(span.start), "end": offset(span.end), "entity": span.entity}
        for span in declare
    ]
    return json.dumps({"units": "utf16" if form == "utf16" else "codepoint", "spans": spans})


def _history_mapping(history: Sequence[Message]) -> ConversationMapping:
    """Placeholders numbered per type in order of first appearance -> the history's values
    (one per normalised value), as the library would have handed back after those turns."""
    counts: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    items = []
    for message in history:
        for span in message.planted:
            key = (span.entity, normalize_value(span.entity, span.value))
            if key in seen:
                continue
            seen.add(key)
            counts[span.entity] = counts.get(span.entity, 0) + 1
            items.append((format_placeholder(span.entity, counts[span.entity]), span.value))
    return ConversationMapping(items)


def conversations(
    entities: Sequence[str] | None = None,
    *,
    languages: Sequence[str] = ("en",),
    values: Mapping[str, st.SearchStrategy[str]] | None = None,
    max_history: int = 3,
    max_planted: int = 3,
    headers: bool = True,
    actions: Sequence[Action | str] = (Action.MASK, Action.REDACT, Action.HASH),
) -> st.SearchStrategy[Conversation]:
    """A conversation: a current message (at least one planted value), up to ``max_history``
    earlier messages, and request headers that ask for every planted value to be handled
    with one of ``actions`` (never ``keep``).

    The headers (``conv.headers``, valid by construction) vary as clients send them:
    X-Pii-Mapping naming the planted types in any spelling, X-Auto-Pii-Mapping on, off or
    with parameters, X-Pii-Positions declaring planted spans of the current message (text,
    JSON or UTF-16 JSON form; every ``PII`` value is declared, since only a declaration can
    mark it), and X-Chat-History-Pii-Mapping holding the history's values as an earlier turn
    would have returned them (JSON or base64url). ``PII`` values appear in the history only
    when that mapping is sent. Types in ``values`` that the catalogue does not know are left
    to automatic detection (X-Pii-Mapping names built-in types only).

    With ``headers=False``, ``conv.headers`` is empty and no ``PII`` value is planted (no
    declaration could mark it).
    """
    table = _value_table(entities, values)
    chosen = _check_languages(languages)
    wanted = tuple(Action(a) for a in actions)
    if not wanted or Action.KEEP in wanted:
        raise ValueError("conversations: actions must be some of mask, redact, hash")
    if not table:
        raise ValueError("conversations: no entity type to plant; pass entities or values")
    undeclared = {k: v for k, v in table.items() if k != GENERIC_ENTITY}
    if not headers and not undeclared:
        raise ValueError("conversations: PII values need headers (X-Pii-Positions) to be marked")

    @st.composite
    def build(draw: st.DrawFn) -> Conversation:
        send_mapping = headers and draw(st.booleans())
        history_table = table if send_mapping else undeclared
        turns = draw(st.integers(0, max_history))
        history = tuple(
            _draw_message(draw, history_table, chosen, 0, max_planted, turn=i) for i in range(turns)
        )
        message = _draw_message(draw, table if headers else undeclared, chosen, 1, max_planted)
        _assume_values_stand_alone((*history, message))
        drawn = _draw_headers(draw, message, history, wanted, send_mapping) if headers else {}
        return Conversation(message, history, drawn)

    return build()


def _assume_values_stand_alone(conversation: Sequence[Message]) -> None:
    """Reject a draw where a value of one message occurs in another outside a planted span
    of the same value (an invented word inside another language's filler, say), or in
    another form."""
    _assume_one_form_per_value(span for message in conversation for span in message.planted)
    for message in conversation:
        for span in message.planted:
            for other in conversation:
                at = other.text.find(span.value)
                while at != -1:
                    assume(any(p.start == at and p.value == span.value for p in other.planted))
                    at = other.text.find(span.value, at + 1)


def _draw_headers(
    draw: st.DrawFn,
    message: Message,
    history: tuple[Message, ...],
    actions: tuple[Action, ...],
    send_mapping: bool,
) -> dict[str, str]:
    planted = [*(p for m in history for p in m.planted), *message.planted]
    types = sorted({p.entity for p in planted})
    named = [t for t in types if t in CATALOGUE and t != GENERIC_ENTITY]
    custom = [t for t in types if t not in CATALOGUE]
    result: dict[str, str] = {}

    wildcard = draw(st.booleans())
    items = []
    for entity in named:
        spelling = draw(entity_spellings([entity]))[0]
        action = draw(action_spellings(actions))[0]
        items.append(f"{spelling}{draw(st.sampled_from(('=', ' = ')))}{action}")
    if wildcard:
        items.append("*=" + draw(action_spellings(actions))[0])
    if items:
        result[MAPPING_HEADER] = ", ".join(draw(st.permutations(items)))

    # Automatic detection: needed for custom types (X-Pii-Mapping cannot name them); optional
    # otherwise, since every planted type is named. Never a threshold (it could drop a value)
    # and never off together with a '*' rule (a contradiction the parser rejects).
    auto_choices = ["true", "on", "action"]
    if not custom and not wildcard:
        auto_choices += ["absent", "false"]
    if not items:
        auto_choices = [c for c in auto_choices if c not in ("absent", "false")]
    auto = draw(st.sampled_from(auto_choices))
    if auto == "action":
        result[AUTO_HEADER] = "action=" + draw(action_spellings(actions))[0]
    elif auto != "absent":
        result[AUTO_HEADER] = draw(st.sampled_from((auto, auto.upper())))

    declare = [
        span for span in message.planted if span.entity == GENERIC_ENTITY or draw(st.booleans())
    ]
    # A declared span takes the action of its type's rule, else the automatic default, else
    # mask: none of them is keep here, since every action drawn is in ``actions``.
    if declare:
        result[POSITIONS_HEADER] = draw(_positions_header(message, declare))
    if send_mapping and any(m.planted for m in history):
        mapping = _history_mapping(history)
        encoding = draw(st.sampled_from((MappingEncoding.JSON, MappingEncoding.BASE64URL)))
        result[HISTORY_HEADER] = ConversationMapping(mapping.items(), encoding=encoding).to_header()
    return result


# --- header fuzzing ------------------------------------------------------------------------

_CANONICAL = {name.casefold(): name for name in PII_HEADERS}


def _header_name(header: str) -> str:
    canonical = _CANONICAL.get(header.casefold()) if isinstance(header, str) else None
    if canonical is None:
        raise ValueError(f"unknown header {header!r}; expected one of {', '.join(PII_HEADERS)}")
    return canonical


_DETECTABLE = tuple(n for n, s in CATALOGUE.items() if s.detector is not DetectorKind.DECLARED)
_SPACE = st.sampled_from(("", " ", "  ", "\t"))


@st.composite
def _mapping_value(draw: st.DrawFn) -> str:
    chosen = draw(st.lists(st.sampled_from(ENTITY_NAMES), min_size=1, max_size=6, unique=True))
    items = []
    for entity in chosen:
        spelling = draw(entity_spellings([entity]))[0]
        action = draw(action_spellings())[0]
        items.append(f"{draw(_SPACE)}{spelling}{draw(_SPACE)}={draw(_SPACE)}{action}")
    if draw(st.booleans()):
        items.append(f"*={draw(action_spellings())[0]}")
    return ",".join(draw(st.permutations(items)))


_DECIMALS = st.sampled_from(("0", "1", "0.5", ".25", "0.75", "1.0", "5e-1", "0.0"))


@st.composite
def _auto_value(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return _random_case(draw, draw(st.sampled_from(("true", "false", "on", "off", "yes",
                                                        "no", "1", "0"))))  # fmt: skip
    parameters = []
    if draw(st.booleans()):
        parameters.append("action=" + draw(action_spellings())[0])
    if draw(st.booleans()):
        names = draw(st.lists(entity_spellings(_DETECTABLE, "-_"), min_size=1, max_size=4))
        parameters.append("entities=" + draw(st.sampled_from("| ")).join(n for n, _ in names))
    if draw(st.booleans()):
        parameters.append("threshold=" + draw(_DECIMALS))
    if draw(st.booleans()) or not parameters:
        parameters.append("language=" + draw(st.sampled_from(sorted(SUPPORTED_LANGUAGES))))
    return (draw(_SPACE) + ";" + draw(_SPACE)).join(draw(st.permutations(parameters)))


@st.composite
def _positions_value(draw: st.DrawFn) -> str:
    bounds = sorted(draw(st.sets(st.integers(0, 10**6), min_size=2, max_size=12)))
    pairs = list(zip(bounds[::2], bounds[1::2], strict=False))
    if draw(st.booleans()):
        spans = [{"start": a, "end": b, "entity": draw(st.sampled_from(ENTITY_NAMES))}
                 for a, b in pairs]  # fmt: skip
        units = draw(st.sampled_from(("codepoint", "utf16")))
        return json.dumps({"units": units, "spans": spans} if draw(st.booleans()) else spans)
    items = []
    for start, end in pairs:
        item = f"{start}{draw(_SPACE)}-{draw(_SPACE)}{end}"
        if draw(st.booleans()):
            item += ":" + draw(entity_spellings())[0]
        if draw(st.booleans()):
            item += "=" + draw(action_spellings())[0]
        items.append(item)
    return ", ".join(draw(st.permutations(items)))


_PLACEHOLDER_TYPES = tuple(ENTITY_NAMES)


@st.composite
def _history_value(draw: st.DrawFn, seal_key: SealKey | None, conversation_id: str | None) -> str:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(_PLACEHOLDER_TYPES), st.integers(1, 999)),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    originals = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20)
    items = [(format_placeholder(e, n), draw(originals)) for e, n in keys]
    if seal_key is not None:
        return ConversationMapping(items).to_header(seal_key, conversation_id=conversation_id)
    encoding = draw(st.sampled_from((MappingEncoding.JSON, MappingEncoding.BASE64URL)))
    value = ConversationMapping(items, encoding=encoding).to_header()
    if encoding is MappingEncoding.BASE64URL and draw(st.booleans()):
        value += "=" * (-len(value) % 4)  # padding is optional
    return value


def header_values(
    header: str, *, seal_key: SealKey | None = None, conversation_id: str | None = None
) -> st.SearchStrategy[str]:
    """Values of ``header`` (one of the four, any case) that ``parse_headers`` accepts.

    Spellings vary as clients write them: aliases, case, ``-``/``_``/space, spaces around
    ``=`` and ``,``, JSON forms. X-Pii-Positions offsets are valid for the header alone (a
    message must be long enough for them). With ``seal_key``, X-Chat-History-Pii-Mapping
    values are sealed (for ``conversation_id``), as such a deployment requires.
    """
    name = _header_name(header)
    if name == MAPPING_HEADER:
        return _mapping_value()
    if name == AUTO_HEADER:
        return _auto_value()
    if name == POSITIONS_HEADER:
        return _positions_value()
    return _history_value(seal_key, conversation_id)


def _unknown_word() -> st.SearchStrategy[str]:
    return _word(2, 4).filter(lambda w: lookup_entity(w) is None and Action.parse(w) is None)


def _unicode_broken(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid value with a character the grammar forbids (non-ASCII or control) inserted."""
    bad = st.sampled_from(("é", "\x00", "\n", "\r", "\x7f", "\u202e", "😀", "\u00a0"))
    return st.builds(
        lambda value, char, at: (
            value[: at % (len(value) + 1)] + char + value[at % (len(value) + 1) :]
        ),
        valid,
        bad,
        st.integers(0, 1000),
    )


def _too_long(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return valid.map(
        lambda v: v + "," * (MAX_HEADER_CHARS + 1 - len(v)) if len(v) <= MAX_HEADER_CHARS else v
    )


# Two actions for one type (aliases and spellings included).
_CONFLICTING_RULES = (
    "email=mask, EMAIL_ADDRESS=redact",
    "ssn=hash,US-SSN=keep",
    "*=mask, *=redact",
)
_BAD_AUTO = (
    "entities=", "entities=PII", "entities=email|pii", "threshold=1.5", "threshold=-0.1",
    "threshold=nan", "threshold=abc", "threshold=", "language=zz", "language=klingon",
    "language=", "false; action=mask", "true, off", "action=mask; action=redact",
    "threshold=0.5;threshold=1",
)  # fmt: skip
_AUTO_WORDS = frozenset({"true", "false", "on", "off", "yes", "no", "action", "entities",
                         "threshold", "language"})  # fmt: skip
_BAD_POSITIONS_JSON = (
    '{"spans": [{"start": 3, "end": 1}]}', '[{"start": 0}]', '{"units": "bytes", "spans": []}',
    '[{"start": 0, "end": 2, "x": 1}]', '{"spans": [{"start": "0", "end": 2}]}', "[", "{",
    '[{"start": -1, "end": 2}]',
    '{"units": "utf16", "spans": [{"start": 0, "end": 2, "entity": "nope"}]}',
)  # fmt: skip


def _invalid_mapping() -> st.SearchStrategy[str]:
    spelled = entity_spellings().map(lambda pair: pair[0])
    action = action_spellings().map(lambda pair: pair[0])
    return st.one_of(
        st.builds(lambda w, a: f"{w}={a}", _unknown_word(), action),  # unknown type
        spelled,  # no '='
        st.builds(lambda e, w: f"{e}={w}", spelled, _unknown_word()),  # unknown action
        action.map(lambda a: f"={a}"),  # no type
        st.sampled_from(_CONFLICTING_RULES),
        _unicode_broken(_mapping_value()),
        _too_long(_mapping_value()),
    )


def _invalid_auto() -> st.SearchStrategy[str]:
    word = _unknown_word().filter(lambda w: w not in _AUTO_WORDS)
    return st.one_of(
        word,  # neither a boolean nor a parameter
        word.map(lambda w: f"{w}=1"),  # unknown parameter
        word.map(lambda w: f"action={w}"),
        word.map(lambda w: f"entities={w}"),
        st.sampled_from(_BAD_AUTO),
        _unicode_broken(_auto_value()),
        _too_long(_auto_value()),
    )


@st.composite
def _bad_span(draw: st.DrawFn) -> str:
    start = draw(st.integers(0, 10**6))
    kind = draw(st.sampled_from(("empty", "reversed", "negative", "overlap", "digits", "type",
                                 "action", "no_dash", "not_number")))  # fmt: skip
    if kind == "empty":
        return f"{start}-{start}"
    if kind == "reversed":
        return f"{start + draw(st.integers(1, 99))}-{start}"
    if kind == "negative":
        return f"-{start + 1}-{start + 5}"
    if kind == "overlap":
        end = start + draw(st.integers(2, 50))
        return f"{start}-{end}, {start + 1}-{end + draw(st.integers(0, 5))}"
    if kind == "digits":
        return f"{start}-{'9' * (MAX_OFFSET_DIGITS + 1)}"
    if kind == "type":
        return f"{start}-{start + 3}:{draw(_unknown_word())}"
    if kind == "action":
        return f"{start}-{start + 3}={draw(_unknown_word())}"
    if kind == "no_dash":
        return str(start)
    return f"{draw(_unknown_word())}-{start}"


def _invalid_positions() -> st.SearchStrategy[str]:
    return st.one_of(
        _bad_span(),
        st.sampled_from(_BAD_POSITIONS_JSON),
        _unicode_broken(_positions_value()),
        _too_long(_positions_value()),
    )


_BAD_HISTORY_DOCUMENTS = (
    '{"PERSON_1": "x"}', '{"<PERSON_1>": ""}', '{"<PERSON_1>": 5}', '{"<NOSUCH_1>": "x"}',
    '{"<PERSON_0>": "x"}', '["<PERSON_1>", "x"]', '{"<PERSON_1>": "x"', "{}}", "null",
)  # fmt: skip
_BAD_HISTORY_TOKENS = ("!!!", "v1.", "v1.AAAA", "v1.not-a-token", "%%%%", "{")


def _encoded(document: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [document, base64.urlsafe_b64encode(document.encode()).rstrip(b"=").decode()]
    )


def _invalid_history(seal_key: SealKey | None) -> st.SearchStrategy[str]:
    bad_documents = st.sampled_from(
        ['{"PERSON_1": "x"}', '{"<PERSON_1>": ""}', '{"<PERSON_1>": 5}', '{"<NOSUCH_1>": "x"}',
         '{"<PERSON_0>": "x"}', '["<PERSON_1>", "x"]', '{"<PERSON_1>": "x"', "{}}", "null"]
    )  # fmt: skip
    structural = bad_documents.flatmap(_encoded)
    garbage = st.sampled_from(("!!!", "v1.", "v1.AAAA", "v1.not-a-token", "%%%%", "{"))
    # A token sealed with a key the deployment does not hold.
    other_keys = [base64.urlsafe_b64encode(bytes([byte]) * 32).decode() for byte in b"kq"]
    other = other_keys[0] if other_keys[0] != seal_key else other_keys[1]
    choices = [structural, garbage, _history_value(other, None)]
    return st.one_of(choices)


def invalid_header_values(
    header: str, *, seal_key: SealKey | None = None
) -> st.SearchStrategy[str]:
    """Values of ``header`` that ``parse_headers`` rejects with ``PiiHeaderError``, each by
    construction: unknown types, actions and parameters, missing parts, contradictions,
    empty, reversed, negative or overlapping spans, offsets with too many digits, forbidden
    characters, values past the size bound, and history mappings that are not JSON, hold a
    key that is not a placeholder or an empty or non-string value, or are sealed with another
    key. Sealed tokens are sealed with a key other than ``seal_key`` (the deployment's).
    """
    name = _header_name(header)
    if name == MAPPING_HEADER:
        return _invalid_mapping()
    if name == AUTO_HEADER:
        return _invalid_auto()
    if name == POSITIONS_HEADER:
        return _invalid_positions()
    return _invalid_history(seal_key)


# --- checks --------------------------------------------------------------------------------


_SHOWN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,31}")


def _strings(value: object, hidden: frozenset[str], path: str = "") -> Iterator[tuple[str, str]]:
    """``(path, text)`` for every string in a JSON-like value (keys included). A key is
    named in the path only if it is a short identifier holding none of ``hidden``."""
    if isinstance(value, str):
        yield path or "text", value
    elif isinstance(value, Mapping):
        for index, (key, item) in enumerate(value.items()):
            shown = (
                repr(key)
                if isinstance(key, str)
                and _SHOWN_KEY.fullmatch(key)
                and not any(form in key for form in hidden)
                else f"key #{index}"
            )
            if isinstance(key, str):
                yield f"{path}[{shown}] (the key)", key
            yield from _strings(item, hidden, f"{path}[{shown}]")
    elif isinstance(value, Iterable) and not isinstance(value, bytes | bytearray):
        for index, item in enumerate(value):
            yield from _strings(item, hidden, f"{path}[{index}]")
    elif isinstance(getattr(value, "text", None), str):  # a Message, say
        yield f"{path}.text", value.text  # type: ignore[attr-defined]


def _forms(planted: Planted) -> set[str]:
    """The surface form, and the compact form of types whose separators are decoration
    (a card number sent without its spaces has still reached the model)."""
    forms = {planted.value}
    spec = CATALOGUE.get(planted.entity)
    if spec is not None and spec.normalization.value in ("digits", "alnum"):
        compact = "".join(c for c in planted.value if c.isalnum())
        if len(compact) >= 6:
            forms.add(compact)
    return forms


def assert_masked(text_or_messages: object, planted: Iterable[Planted]) -> None:
    """Assert that no planted value appears in what was sent to a model.

    ``text_or_messages`` is a string, or any JSON-like value holding strings (a list of
    messages, a request body, a recorded call): every string in it is searched, keys
    included. A value counts as present as written and, for digit or letter-digit types
    (cards, IBANs, phone numbers …), without its spaces and dashes. The AssertionError names
    each leaked value's entity type, its span and where it was found — never the value.
    """
    spans = list(planted)
    texts = list(_strings(text_or_messages, frozenset(f for s in spans for f in _forms(s))))
    leaks = []
    for span in spans:
        for path, text in texts:
            for form in _forms(span):
                at = text.find(form)
                if at != -1:
                    leaks.append(f"{span.where()} reached the model: found in {path} at "
                                 f"{at}-{at + len(form)}")  # fmt: skip
                    break
            else:
                continue
            break
    if leaks:
        raise AssertionError(f"{len(leaks)} planted value(s) not masked: " + "; ".join(leaks))


def _placeholder_at(text: str, index: int) -> str | None:
    """A placeholder form (``<EMAIL_ADDRESS_1>``, ``[person-2]`` …) covering ``index``."""
    for match in _FORMS.finditer(text, max(0, index - 64), min(len(text), index + 64)):
        if match.start() <= index < match.end() or match.start() == index:
            return match.group()
    return None


_FORMS = variant_pattern(frozenset(ENTITY_NAMES))


def assert_round_trip(
    original: str,
    masked: str,
    mapping: Mapping[str, str] | None = None,
    *,
    planted: Iterable[Planted] = (),
) -> None:
    """Assert that ``masked`` comes back to ``original``.

    With ``mapping``, ``masked`` is unmasked with it first (``pm.unmask``); without, it is
    taken as already unmasked (what your system returned to its user). On a difference the
    AssertionError gives the first differing offset, the planted value it falls in (type and
    span, from ``planted``), and any placeholder left at that place — never a value.
    """
    restored = unmask(masked, mapping) if mapping is not None else masked
    if restored == original:
        return
    at = next(
        (i for i, (a, b) in enumerate(zip(original, restored, strict=False)) if a != b),
        min(len(original), len(restored)),
    )
    details = [f"the text differs from the original from code point {at} "
               f"(lengths {len(original)} and {len(restored)})"]  # fmt: skip
    inside = [p for p in planted if p.start <= at < p.end or (p.start == at == p.end)]
    if inside:
        details.append("inside the planted " + ", ".join(p.where() for p in inside))
    placeholder = _placeholder_at(restored, at)
    if placeholder is not None:
        details.append(f"where the returned text still holds the placeholder {placeholder}")
    raise AssertionError("; ".join(details))
