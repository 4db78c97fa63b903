"""A seeded corpus of chat conversations with gold PII spans (exact code-point offsets).

Every message is built from one of the templates below: literal text with ``{slot}`` fields.
A slot is filled with a generated value and, where the slot names an entity type, a gold
span ``(start, end, entity)`` is recorded at exactly the offsets where the value was
inserted. Slots of hard negatives (relative dates, acronyms, order codes, prices, versions…)
record a *negative* span instead: text that must not be flagged.

Within one conversation a slot keeps its value (the user's name, e-mail, address recur
across turns, as in real chats); ``other_*`` slots name a second person. Values come from
Faker instances seeded per locale plus a ``random.Random(seed)``; the same seed and Faker
version give the same corpus byte for byte. Checksummed types are valid: Luhn for cards,
mod-97 for IBANs, mod-11 for NHS numbers, the DEA check digit for medical licences,
base58check / bech32 for bitcoin addresses, SSA ranges for SSNs, IRS ranges for ITINs, and
phone numbers that libphonenumber holds valid.

Gold conventions (also in docs/evaluation.md):

* PERSON is the name only: no title ("Dr.", "Ms."), no greeting ("Hi"), no trailing comma;
  a first name alone, or in lower case ("hi maria"), is a PERSON.
* LOCATION is a city, country or a whole postal address as ONE span, line breaks included.
* DATE_TIME is an absolute date (with its year or day-and-month); relative expressions
  ("tomorrow", "next week", "last Friday") are hard negatives.
* PASSWORD is the value after the cue, not the cue ("password: hunter2!" -> "hunter2!").
* API_KEY is the token itself, without "Bearer" or the header name.
* An e-mail address is one EMAIL_ADDRESS span; its domain is not a URL.
* URL is a full web address (with scheme or ``www.``).

CLI: ``python -m benchmarks.corpus --seed 7 --conversations 200 -o corpus.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import string
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_SEED",
    "FAMILIES",
    "SLOTS",
    "TEMPLATES",
    "Conversation",
    "GoldSpan",
    "Message",
    "NegativeSpan",
    "bitcoin_valid",
    "dea_valid",
    "generate",
    "iban_valid",
    "itin_valid",
    "luhn_valid",
    "main",
    "nhs_valid",
    "read_jsonl",
    "ssn_valid",
    "write_jsonl",
]

DEFAULT_SEED = 7


# --- data model -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """A span that a PII system must flag: code points, end-exclusive."""

    start: int
    end: int
    entity: str
    template: str  # name of the template the span came from (never the value)
    slot: str


@dataclass(frozen=True, slots=True)
class NegativeSpan:
    """A span that looks like PII but is not; flagging any of it is a false positive."""

    start: int
    end: int
    kind: str
    template: str
    slot: str


@dataclass(frozen=True, slots=True)
class Message:
    role: str
    content: str
    template: str
    spans: tuple[GoldSpan, ...] = ()
    negatives: tuple[NegativeSpan, ...] = ()
    lang: str = "en"  # language of the message (ISO 639-1), for per-language reporting

    def as_chat(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    messages: tuple[Message, ...]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Conversation:
        return cls(
            id=data["id"],
            messages=tuple(
                Message(
                    role=m["role"],
                    content=m["content"],
                    template=m["template"],
                    spans=tuple(GoldSpan(**s) for s in m["spans"]),
                    negatives=tuple(NegativeSpan(**n) for n in m["negatives"]),
                    lang=m.get("lang", "en"),
                )
                for m in data["messages"]
            ),
        )


# --- checksums ------------------------------------------------------------------------------


def _luhn_sum(digits: str) -> int:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def luhn_valid(number: str) -> bool:
    digits = "".join(c for c in number if c.isdigit())
    return len(digits) >= 12 and _luhn_sum(digits) % 10 == 0


def _iban_number(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text))


def iban_valid(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    return (
        len(compact) >= 15
        and compact[:2].isalpha()
        and _iban_number(compact[4:] + compact[:4]) % 97 == 1
    )


def nhs_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


def ssn_valid(ssn: str) -> bool:
    """Area 001-899 but not 666, group 01-99, serial 0001-9999 (SSA rules)."""
    digits = "".join(c for c in ssn if c.isdigit())
    if len(digits) != 9:
        return False
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    return 0 < area < 900 and area != 666 and group > 0 and serial > 0


_ITIN_GROUPS = (*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100))


def itin_valid(itin: str) -> bool:
    digits = "".join(c for c in itin if c.isdigit())
    return len(digits) == 9 and digits[0] == "9" and int(digits[3:5]) in _ITIN_GROUPS


def dea_valid(number: str) -> bool:
    """Two letters and seven digits; (d1+d3+d5) + 2*(d2+d4+d6) ends in d7."""
    if len(number) != 9 or not number[:2].isalpha() or not number[2:].isdigit():
        return False
    d = [int(c) for c in number[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + number.to_bytes((number.bit_length() + 7) // 8, "big")


def _sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def _bech32_polymod(values: Sequence[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if (top >> i) & 1 else 0
    return checksum


def _bech32_hrp(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bitcoin_valid(address: str) -> bool:
    """A P2PKH/P2SH address with a valid base58check checksum, or a bech32 (v0) address."""
    if address.startswith("bc1"):
        data = [_BECH32.find(c) for c in address[3:]]
        return -1 not in data and _bech32_polymod([*_bech32_hrp("bc"), *data]) == 1
    if address[:1] not in ("1", "3") or any(c not in _B58 for c in address):
        return False
    raw = _b58decode(address)
    return len(raw) == 25 and _sha256d(raw[:-4])[:4] == raw[-4:]


# --- value generators -----------------------------------------------------------------------


class _Context:
    """Random sources of one corpus: a ``random.Random`` and seeded Faker instances."""

    LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR")

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.rng = random.Random(seed)
        self.fakers: dict[str, Any] = {}
        for offset, locale in enumerate(self.LOCALES):
            fake = Faker(locale)
            fake.seed_instance(seed * 101 + offset)
            self.fakers[locale] = fake

    @property
    def us(self) -> Any:
        return self.fakers["en_US"]

    def any_faker(self) -> Any:
        return self.fakers[self.rng.choice(self.LOCALES)]

    def digits(self, count: int, *, first_nonzero: bool = False) -> str:
        out = "".join(self.rng.choice(string.digits) for _ in range(count))
        if first_nonzero and out[0] == "0":
            out = self.rng.choice("123456789") + out[1:]
        return out


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in "-'"))


def _first(ctx: _Context) -> str:
    return str(ctx.any_faker().first_name())


def _last(ctx: _Context) -> str:
    return str(ctx.any_faker().last_name())


_CITIES = (
    "London", "Manchester", "Edinburgh", "Berlin", "Munich", "Hamburg", "Paris", "Lyon",
    "Marseille", "Madrid", "Barcelona", "Rome", "Milan", "Amsterdam", "Rotterdam", "Vienna",
    "Zurich", "Dublin", "Lisbon", "Brussels", "Copenhagen", "Stockholm", "Oslo", "Warsaw",
    "Prague", "New York", "Chicago", "San Francisco", "Los Angeles", "Seattle", "Boston",
    "Austin", "Denver", "Atlanta", "Toronto", "Vancouver", "Sydney", "Melbourne", "Tokyo",
    "Singapore", "Mumbai", "Nairobi", "Cape Town", "Mexico City", "São Paulo",
)  # fmt: skip
_COUNTRIES = (
    "Germany", "France", "Spain", "Italy", "Portugal", "Ireland", "Poland", "the Netherlands",
    "Canada", "Mexico", "Brazil", "Japan", "India", "Kenya", "Australia", "Sweden", "Norway",
)  # fmt: skip
_COMPANIES = (
    "Northwind Traders", "Contoso Ltd", "Globex Corporation", "Initech", "Acme Corp",
    "Umbrella Health", "Fabrikam Inc.", "Wayne Enterprises", "Tyrell Systems", "Hooli",
    "Soylent Foods", "Vandelay Industries", "Cyberdyne Labs", "Aperture Science",
    "Blue Harbor Logistics", "Meridian Capital Partners", "Brightline Insurance",
)  # fmt: skip
_NRP = (
    "Catholic", "Muslim", "Jewish", "Buddhist", "Hindu", "Protestant", "Sikh", "German",
    "French", "Mexican", "Nigerian", "Brazilian", "Irish", "Polish", "Vietnamese",
    "Democrat", "Republican", "Lutheran",
)  # fmt: skip
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_MAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.co.uk", "proton.me", "web.de", "orange.fr")


def _person(ctx: _Context) -> str:
    return f"{_first(ctx)} {_last(ctx)}"


def _email(ctx: _Context) -> str:
    first, last = _ascii(_first(ctx)).lower(), _ascii(_last(ctx)).lower()
    domain = ctx.rng.choice(_MAIL_DOMAINS) if ctx.rng.random() < 0.6 else str(ctx.us.domain_name())
    local = ctx.rng.choice(
        (f"{first}.{last}", f"{first[:1]}{last}", f"{first}_{last}{ctx.digits(2)}", first)
    )
    return f"{local}@{domain}"


def _phone_us(ctx: _Context) -> str:
    import phonenumbers

    while True:
        area = ctx.rng.choice(("212", "312", "415", "617", "206", "512", "303", "404", "646"))
        exchange = ctx.rng.choice("23456789") + ctx.digits(2)
        number = f"{area}{exchange}{ctx.digits(4)}"
        parsed = phonenumbers.parse(number, "US")
        if exchange != "555" and phonenumbers.is_valid_number(parsed):
            break
    a, e, s = number[:3], number[3:6], number[6:]
    return ctx.rng.choice((f"({a}) {e}-{s}", f"{a}-{e}-{s}", f"{a}.{e}.{s}", f"+1 {a} {e} {s}"))


_INTL = (
    ("GB", "+44 20 7{}", 7),
    ("GB", "+44 161 {}", 7),
    ("GB", "+44 7700 9{}", 5),
    ("DE", "+49 30 {}", 7),
    ("DE", "+49 89 {}", 8),
    ("DE", "+49 151 {}", 8),
    ("FR", "+33 1 {}", 8),
    ("FR", "+33 6 {}", 8),
)


def _phone_intl(ctx: _Context) -> str:
    import phonenumbers

    while True:
        region, pattern, count = ctx.rng.choice(_INTL)
        raw = pattern.format(ctx.digits(count, first_nonzero=True))
        parsed = phonenumbers.parse(raw, region)
        if phonenumbers.is_valid_number(parsed):
            return str(
                phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            )


def _ssn(ctx: _Context) -> str:
    while True:
        area = ctx.rng.randint(1, 899)
        if area != 666 and area not in (78, 123):  # 078-05-1120 and 123-45-6789 are famous fakes
            break
    group, serial = ctx.rng.randint(1, 99), ctx.rng.randint(1, 9999)
    sep = ctx.rng.choice(("-", "-", "-", " "))
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


def _card(ctx: _Context) -> str:
    kind = ctx.rng.choice(("visa", "mc", "amex"))
    if kind == "amex":
        payload = ctx.rng.choice(("34", "37")) + ctx.digits(12)
    elif kind == "mc":
        payload = str(ctx.rng.randint(51, 55)) + ctx.digits(13)
    else:
        payload = "4" + ctx.digits(14)
    check = (10 - _luhn_sum(payload + "0") % 10) % 10
    number = payload + str(check)
    sep = ctx.rng.choice((" ", "-", ""))
    if kind == "amex":
        return sep.join((number[:4], number[4:10], number[10:]))
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def _iban(ctx: _Context) -> str:
    country = ctx.rng.choice(("DE", "GB", "FR", "NL", "ES"))
    letters = string.ascii_uppercase
    if country == "DE":
        bban = ctx.digits(18)
    elif country == "GB":
        bban = "".join(ctx.rng.choice(letters) for _ in range(4)) + ctx.digits(14)
    elif country == "FR":
        bban = ctx.digits(23)
    elif country == "NL":
        bban = "".join(ctx.rng.choice(letters) for _ in range(4)) + ctx.digits(10)
    else:
        bban = ctx.digits(20)
    check = 98 - _iban_number(bban + country + "00") % 97
    compact = f"{country}{check:02d}{bban}"
    if ctx.rng.random() < 0.5:
        return compact
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _ipv4(ctx: _Context) -> str:
    first = ctx.rng.choice((10, 172, 192, *range(11, 224)))
    return ".".join(str(p) for p in (first, *(ctx.rng.randint(1, 254) for _ in range(3))))


def _ip(ctx: _Context) -> str:
    return _ipv4(ctx) if ctx.rng.random() < 0.8 else str(ctx.us.ipv6())


def _mac(ctx: _Context) -> str:
    mac = str(ctx.us.mac_address())
    return mac.upper().replace(":", "-") if ctx.rng.random() < 0.3 else mac


def _address_us(ctx: _Context) -> str:
    fake = ctx.us
    return (
        f"{fake.building_number()} {fake.street_name()}\n"
        f"{ctx.rng.choice(_CITIES[25:34])}, {fake.state_abbr(include_territories=False)} "
        f"{fake.zipcode()}"
    )


def _address_uk(ctx: _Context) -> str:
    fake = ctx.fakers["en_GB"]
    city = ctx.rng.choice(("London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff"))
    return f"{fake.building_number()} {fake.street_name()}\n{city}\n{fake.postcode()}"


def _address_eu(ctx: _Context) -> str:
    if ctx.rng.random() < 0.5:
        fake = ctx.fakers["de_DE"]
        city = ctx.rng.choice(("Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main"))
        return f"{fake.street_name()} {ctx.rng.randint(1, 120)}\n{fake.postcode()} {city}"
    fake = ctx.fakers["fr_FR"]
    city = ctx.rng.choice(("Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux"))
    return f"{ctx.rng.randint(1, 99)} {fake.street_name()}\n{fake.postcode()} {city}"


def _address_line(ctx: _Context) -> str:
    return _address_us(ctx).replace("\n", ", ")


def _date(ctx: _Context) -> str:
    year = ctx.rng.randint(1950, 2026)
    month, day = ctx.rng.randint(1, 12), ctx.rng.randint(1, 28)
    return ctx.rng.choice(
        (
            f"{day} {_MONTHS[month - 1]} {year}",
            f"{_MONTHS[month - 1]} {day}, {year}",
            f"{year}-{month:02d}-{day:02d}",
            f"{month:02d}/{day:02d}/{year}",
            f"{day:02d}.{month:02d}.{year}",
            f"{_MONTHS[month - 1][:3]} {day}, {year}",
        )
    )


def _url(ctx: _Context) -> str:
    fake = ctx.us
    slug = _ascii(_first(ctx)).lower() + "-" + _ascii(_last(ctx)).lower()
    return ctx.rng.choice(
        (
            f"https://www.linkedin.com/in/{slug}-{ctx.digits(4)}",
            f"https://{fake.domain_name()}/{fake.uri_path()}",
            f"http://www.{fake.domain_name()}",
            f"https://github.com/{slug}",
        )
    )


def _passport(ctx: _Context) -> str:
    return ctx.digits(9, first_nonzero=True) if ctx.rng.random() < 0.5 else "A" + ctx.digits(8)


# National identifiers: valid by each one's own check, computed here from the published
# rules (not by the library under test).


def _nir(ctx: _Context) -> str:
    department = ctx.rng.choice(("2A", "2B", f"{ctx.rng.randint(1, 95):02d}"))
    if department == "20":
        department = "21"
    body = (
        f"{ctx.rng.choice('12')}{ctx.digits(2)}{ctx.rng.randint(1, 12):02d}{department}"
        f"{ctx.rng.randint(1, 990):03d}{ctx.rng.randint(1, 999):03d}"
    )
    key = 97 - int(body.replace("2A", "19").replace("2B", "18")) % 97
    nir = f"{body}{key:02d}"
    if ctx.rng.random() < 0.5:
        return nir
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


def _nino(ctx: _Context) -> str:
    while True:
        prefix = ctx.rng.choice("ABCEGHJKLMNOPRSTWXYZ") + ctx.rng.choice("ABCEGHJKLMNPRSTWXYZ")
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    digits, suffix = ctx.digits(6), ctx.rng.choice("ABCD")
    if ctx.rng.random() < 0.5:
        return f"{prefix}{digits}{suffix}"
    return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"


def _de_tax_id(ctx: _Context) -> str:
    while True:
        chosen = ctx.rng.sample(string.digits, 9)  # nine distinct digits, one repeated
        body = [*chosen, ctx.rng.choice(chosen)]
        ctx.rng.shuffle(body)
        if body[0] == "0" or any(body[i] == body[i + 1] == body[i + 2] for i in range(8)):
            continue
        product = 10
        for digit in body:
            total = (int(digit) + product) % 10 or 10
            product = (total * 2) % 11
        number = "".join(body) + str((11 - product) % 10)
        if ctx.rng.random() < 0.5:
            return number
        return f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:]}"


def _es_nif(ctx: _Context) -> str:
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    if ctx.rng.random() < 0.6:
        number = ctx.digits(8)
        return number + letters[int(number) % 23]
    prefix, number = ctx.rng.choice("XYZ"), ctx.digits(7)
    return f"{prefix}{number}{letters[int(str('XYZ'.index(prefix)) + number) % 23]}"


_CF_ODD = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22,
           25, 24, 23)  # fmt: skip


def _it_fiscal_code(ctx: _Context) -> str:
    letters = string.ascii_uppercase
    code = (
        "".join(ctx.rng.choice(letters) for _ in range(6))
        + ctx.digits(2)
        + ctx.rng.choice("ABCDEHLMPRST")
        + f"{ctx.rng.choice((ctx.rng.randint(1, 31), ctx.rng.randint(41, 71))):02d}"
        + ctx.rng.choice(letters)
        + ctx.digits(3)
    )
    total = 0
    for index, char in enumerate(code):
        value = int(char) if char.isdigit() else letters.index(char)
        total += _CF_ODD[value] if index % 2 == 0 else value
    return code + letters[total % 26]


def _nl_bsn(ctx: _Context) -> str:
    while True:
        digits = ctx.digits(8, first_nonzero=True)
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return digits + str(check)


def _passport_any(ctx: _Context) -> str:
    shapes = (
        lambda: (
            ctx.digits(2)
            + "".join(ctx.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in "ab")
            + ctx.digits(5)
        ),  # French
        lambda: (
            "".join(ctx.rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8)) + ctx.digits(1)
        ),  # German
        lambda: "".join(ctx.rng.choice(string.ascii_uppercase) for _ in "abc") + ctx.digits(6),
        lambda: ctx.digits(9, first_nonzero=True),  # British
    )
    while True:
        value = ctx.rng.choice(shapes)()
        if sum(c.isdigit() for c in value) >= 2:
            return value


def _driver_license(ctx: _Context) -> str:
    if ctx.rng.random() < 0.6:  # California: a letter and seven digits
        return ctx.rng.choice(string.ascii_uppercase) + ctx.digits(7)
    return ctx.digits(9, first_nonzero=True)  # New York: nine digits


def _bank_number(ctx: _Context) -> str:
    return ctx.digits(ctx.rng.randint(10, 12), first_nonzero=True)


def _itin(ctx: _Context) -> str:
    return f"9{ctx.digits(2)}-{ctx.rng.choice(_ITIN_GROUPS)}-{ctx.digits(4)}"


def _crypto(ctx: _Context) -> str:
    payload = bytes(ctx.rng.getrandbits(8) for _ in range(20))
    if ctx.rng.random() < 0.6:
        raw = ctx.rng.choice((b"\x00", b"\x05")) + payload
        return _b58encode(raw + _sha256d(raw)[:4])
    bits = int.from_bytes(payload, "big")
    data = [0] + [(bits >> (5 * i)) & 31 for i in range(31, -1, -1)]
    polymod = _bech32_polymod([*_bech32_hrp("bc"), *data, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return "bc1" + "".join(_BECH32[d] for d in data + checksum)


def _medical_license(ctx: _Context) -> str:
    letters = ctx.rng.choice("ABFGMPR") + ctx.rng.choice(string.ascii_uppercase)
    d = [int(c) for c in ctx.digits(6)]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return letters + "".join(map(str, d)) + str(check)


def _nhs(ctx: _Context) -> str:
    while True:
        digits = ctx.digits(9, first_nonzero=True)
        check = 11 - sum(int(c) * w for c, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            number = digits + str(check)
            return f"{number[:3]} {number[3:6]} {number[6:]}"


def _alnum(ctx: _Context, count: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(ctx.rng.choice(alphabet) for _ in range(count))


def _api_key(ctx: _Context) -> str:
    kind = ctx.rng.choice(("sk-live", "sk_live", "ghp", "akia", "xoxb", "sk-proj"))
    if kind == "sk-live":
        return "sk-live-" + _alnum(ctx, 32)
    if kind == "sk_live":
        return "sk_live_" + _alnum(ctx, 24)
    if kind == "ghp":
        return "ghp_" + _alnum(ctx, 36)
    if kind == "akia":
        return "AKIA" + _alnum(ctx, 16, string.ascii_uppercase + string.digits)
    if kind == "xoxb":
        return f"xoxb-{ctx.digits(12)}-{ctx.digits(13)}-{_alnum(ctx, 24)}"
    return "sk-proj-" + _alnum(ctx, 48, string.ascii_letters + string.digits + "_-")


def _bearer(ctx: _Context) -> str:
    b64 = string.ascii_letters + string.digits + "-_"
    return f"eyJhbGciOiJIUzI1NiJ9.eyJ{_alnum(ctx, 40, b64)}.{_alnum(ctx, 43, b64)}"


def _password(ctx: _Context) -> str:
    word = ctx.rng.choice(("hunter", "sunshine", "dragon", "Tr0ub4dor", "letmein", "Summer"))
    return word + ctx.digits(ctx.rng.randint(1, 4)) + ctx.rng.choice("!#$%&*?@")


# hard negatives


def _relative_date(ctx: _Context) -> str:
    return ctx.rng.choice(
        (
            "tomorrow", "next week", "last Friday", "this morning", "next month",
            "in two days", "yesterday", "later today", "over the weekend", "end of the month",
        )
    )  # fmt: skip


def _acronym(ctx: _Context) -> str:
    return ctx.rng.choice(("SSN", "IBAN", "API", "PDF", "CSV", "VPN", "FAQ", "DOB"))


def _order_code(ctx: _Context) -> str:
    return ctx.rng.choice(
        (
            f"ORD-{ctx.rng.randint(2019, 2026)}-{ctx.digits(5, first_nonzero=True)}",
            f"SKU {ctx.rng.choice(string.ascii_uppercase)}{ctx.rng.choice(string.ascii_uppercase)}"
            f"-{ctx.digits(4, first_nonzero=True)}",
            f"INV-{ctx.digits(6)}",
            f"#{ctx.digits(5, first_nonzero=True)}",
        )
    )


def _quantity(ctx: _Context) -> str:
    return ctx.rng.choice(
        (
            f"{ctx.rng.randint(2, 500)} units",
            f"{ctx.rng.randint(2, 40)} items",
            f"{ctx.rng.randint(1, 90)} kg",
            f"{ctx.rng.randint(100, 99999)} words",
        )
    )


def _price(ctx: _Context) -> str:
    amount = f"{ctx.rng.randint(1, 9999):,}.{ctx.digits(2)}"
    return ctx.rng.choice((f"${amount}", f"€{amount}", f"£{amount}", f"{amount} EUR"))


def _version(ctx: _Context) -> str:
    a, b, c = ctx.rng.randint(1, 12), ctx.rng.randint(0, 30), ctx.rng.randint(0, 20)
    return ctx.rng.choice(
        (f"{a}.{b}.{c}", f"v{a}.{b}.{c}", f"{a}.{b}.{c}-rc{ctx.rng.randint(1, 4)}")
    )


def _count(ctx: _Context) -> str:
    return str(ctx.rng.randint(1000, 999999))


@dataclass(frozen=True, slots=True)
class Slot:
    """How to fill a ``{name}`` field: the generator and what the value is."""

    make: Callable[[Any], str]  # given the generator's context (a _Context here)
    entity: str | None = None  # gold entity type
    negative: str | None = None  # hard-negative kind
    fresh: bool = False  # a new value at every use (else one per conversation)

    def __post_init__(self) -> None:
        if (self.entity is None) == (self.negative is None):
            raise ValueError("a slot is either gold or a hard negative")


def _lower_first(ctx: _Context) -> str:
    return _first(ctx).lower()


SLOTS: dict[str, Slot] = {
    "name": Slot(_person, "PERSON"),
    "first": Slot(_first, "PERSON"),
    "last": Slot(_last, "PERSON"),
    "first_lower": Slot(_lower_first, "PERSON"),
    "other_name": Slot(_person, "PERSON"),
    "other_first": Slot(_first, "PERSON"),
    "email": Slot(_email, "EMAIL_ADDRESS"),
    "other_email": Slot(_email, "EMAIL_ADDRESS"),
    "phone": Slot(_phone_us, "PHONE_NUMBER"),
    "phone_intl": Slot(_phone_intl, "PHONE_NUMBER"),
    "ssn": Slot(_ssn, "US_SSN"),
    "card": Slot(_card, "CREDIT_CARD"),
    "iban": Slot(_iban, "IBAN_CODE"),
    "ip": Slot(_ip, "IP_ADDRESS"),
    "mac": Slot(_mac, "MAC_ADDRESS"),
    "city": Slot(lambda ctx: ctx.rng.choice(_CITIES), "LOCATION"),
    "country": Slot(lambda ctx: ctx.rng.choice(_COUNTRIES), "LOCATION"),
    "address_us": Slot(_address_us, "LOCATION"),
    "address_uk": Slot(_address_uk, "LOCATION"),
    "address_eu": Slot(_address_eu, "LOCATION"),
    "address_line": Slot(_address_line, "LOCATION"),
    "company": Slot(lambda ctx: ctx.rng.choice(_COMPANIES), "ORGANIZATION"),
    "faker_company": Slot(lambda ctx: str(ctx.us.company()), "ORGANIZATION"),
    "date": Slot(_date, "DATE_TIME", fresh=True),
    "dob": Slot(_date, "DATE_TIME"),
    "url": Slot(_url, "URL"),
    "nrp": Slot(lambda ctx: ctx.rng.choice(_NRP), "NRP"),
    "passport": Slot(_passport, "US_PASSPORT"),
    "driver_license": Slot(_driver_license, "US_DRIVER_LICENSE"),
    "bank_number": Slot(_bank_number, "US_BANK_NUMBER"),
    "itin": Slot(_itin, "US_ITIN"),
    "crypto": Slot(_crypto, "CRYPTO"),
    "medical_license": Slot(_medical_license, "MEDICAL_LICENSE"),
    "nhs": Slot(_nhs, "UK_NHS"),
    "nir": Slot(_nir, "FR_NIR"),
    "nino": Slot(_nino, "UK_NINO"),
    "de_tax_id": Slot(_de_tax_id, "DE_TAX_ID"),
    "es_nif": Slot(_es_nif, "ES_NIF"),
    "it_fiscal_code": Slot(_it_fiscal_code, "IT_FISCAL_CODE"),
    "nl_bsn": Slot(_nl_bsn, "NL_BSN"),
    "passport_any": Slot(_passport_any, "PASSPORT"),
    "api_key": Slot(_api_key, "API_KEY"),
    "bearer": Slot(_bearer, "API_KEY"),
    "password": Slot(_password, "PASSWORD"),
    # hard negatives
    "relative_date": Slot(_relative_date, negative="relative_date", fresh=True),
    "acronym": Slot(_acronym, negative="acronym", fresh=True),
    "order_code": Slot(_order_code, negative="order_code", fresh=True),
    "quantity": Slot(_quantity, negative="number", fresh=True),
    "price": Slot(_price, negative="number", fresh=True),
    "count": Slot(_count, negative="number", fresh=True),
    "version": Slot(_version, negative="version", fresh=True),
}


# --- templates ------------------------------------------------------------------------------

# name -> (role, text). Names are what the report cites for leaks; values never are.
TEMPLATES: dict[str, tuple[str, str]] = {
    # greetings, signatures, names
    "greeting_lower": ("user", "hi {first_lower}, can you help me rewrite this email?"),
    "intro_full_name": ("user", "Hello! My name is {name} and I need help with my account."),
    "signature_first": (
        "user",
        "Can you summarise the attached {acronym} for me? I need it {relative_date}.\n\n"
        "Thanks,\n{first}",
    ),
    "signature_full": (
        "user",
        "Please draft a short reply saying I'll be late.\n\nBest regards,\n{name}\n{company}",
    ),
    "title_doctor": (
        "user",
        "I have an appointment with Dr. {last} {relative_date}. What should I bring?",
    ),
    "assistant_greeting": (
        "assistant",
        "Of course, {first}! Here is a draft you can send to {other_name}:",
    ),
    "assistant_thanks": ("assistant", "Thanks, {first}. I have noted your details."),
    "forwarded_colleague": (
        "user",
        "My colleague {other_first} said {other_email} is the right contact. Is that right?",
    ),
    # contact data
    "contact_email": ("user", "You can reach me at {email} if anything is unclear."),
    "contact_phone_us": ("user", "Call me on {phone} after 5pm, I'm ordering {quantity}."),
    "contact_phone_intl": (
        "user",
        "Our London office is on {phone_intl}, and the price was {price}.",
    ),
    "contact_block": (
        "user",
        "Update my profile please:\nName: {name}\nEmail: {email}\nPhone: {phone_intl}",
    ),
    "assistant_confirm_contact": (
        "assistant",
        "I've updated the record: {name}, {email}, {phone}. Anything else?",
    ),
    "email_domain": (
        "user",
        "Why does mail to {email} bounce? The server runs version {version}.",
    ),
    # addresses
    "address_us_multiline": ("user", "Ship it to:\n{address_us}\nOrder {order_code}."),
    "address_uk_multiline": ("user", "My new address is\n{address_uk}\nplease update it."),
    "address_eu_multiline": ("user", "Rechnungsadresse / billing address:\n{address_eu}"),
    "address_inline": ("user", "I live at {address_line} and moved in {relative_date}."),
    "assistant_address": (
        "assistant",
        "Got it. The parcel ({order_code}) will go to {address_line}.",
    ),
    "city_trip": ("user", "I'm flying from {city} to {country} on {date} for a conference."),
    "city_move": ("user", "we just moved to {city}, any tips for finding a doctor?"),
    # organisations, nationality, dates
    "work_at": ("user", "I work as an analyst at {company} and report to {other_name}."),
    "faker_company": (
        "user",
        "Draft a complaint letter to {faker_company} about invoice {order_code}.",
    ),
    "assistant_company": ("assistant", "Here is a cover letter for the role at {company}:"),
    "nrp_statement": ("user", "As a {nrp} living in {city}, am I eligible for this grant?"),
    "dob": ("user", "My date of birth is {dob}, and I was born in {city}."),
    "meeting_date": ("user", "Can we move the meeting from {date} to {relative_date}?"),
    "assistant_date": ("assistant", "Noted: your appointment is on {date}."),
    # government and financial ids
    "ssn_form": ("user", "For the form: SSN {ssn}, date of birth {dob}."),
    "ssn_sentence": ("user", "my social security number is {ssn} is that safe to share here?"),
    "card_payment": ("user", "Charge my card {card} for the {quantity} please."),
    "card_assistant": (
        "assistant",
        "Please don't share full card numbers like {card} in chat; I've ignored it.",
    ),
    "iban_transfer": ("user", "Send the refund of {price} to IBAN {iban}, account holder {name}."),
    "iban_plain": ("user", "Is {iban} a valid {acronym}? My bank says it isn't."),
    "passport": ("user", "My US passport number is {passport}, it expires on {date}."),
    "driver_license": ("user", "Driver's license: {driver_license}, issued in {city}."),
    "bank_account": ("user", "Please wire it to my checking account number {bank_number}."),
    "itin": ("user", "I don't have an SSN, my ITIN is {itin}. Can I still file?"),
    "crypto_wallet": ("user", "Send the {price} in bitcoin to my wallet {crypto}."),
    "medical_license": (
        "user",
        "The prescriber's DEA number is {medical_license}, does that look right?",
    ),
    "nhs_number": ("user", "My NHS number is {nhs} and my GP is Dr. {last}."),
    "nir": ("user", "My social security number (NIR) is {nir}, I was born in {city}."),
    "nino": ("user", "National Insurance number: {nino}. Is that enough for the form?"),
    "de_tax_id": ("user", "For the tax return: Steuer-ID {de_tax_id}, born {dob}."),
    "es_nif": ("user", "My DNI is {es_nif}, do you need anything else?"),
    "it_fiscal_code": ("user", "Here is my codice fiscale {it_fiscal_code} for the contract."),
    "nl_bsn": ("user", "My BSN is {nl_bsn} and I live in {city}."),
    "passport_any": ("user", "Passport number {passport_any}, issued in {country} on {date}."),
    # network
    "ip_log": ("user", "Login attempts from {ip} failed {count} times, running {version}."),
    "mac_device": ("user", "The printer's MAC address is {mac}; it's on firmware {version}."),
    "url_profile": ("user", "Here is my profile: {url} - can you review it?"),
    "assistant_url": ("assistant", "I looked at {url}; the summary could be shorter."),
    # secrets
    "api_key_env": ("user", "My code fails with {api_key}, is the {acronym} down?"),
    "api_key_config": ("user", "config:\nAPI_KEY={api_key}\nTIMEOUT=30\nVERSION={version}"),
    "bearer_curl": (
        "user",
        'curl -H "Authorization: Bearer {bearer}" https://api.example.com/v1/items',
    ),
    "password_cue": ("user", "my password: {password} - why won't it let me in?"),
    "password_sentence": ("user", "I changed the wifi password to {password} {relative_date}."),
    "assistant_secret_warning": (
        "assistant",
        "Please rotate that key ({api_key}) now; it was posted in plain text.",
    ),
    # hard-negative heavy, no gold
    "neg_order_status": (
        "user",
        "Where is order {order_code}? It had {quantity} and cost {price}.",
    ),
    "neg_versions": ("user", "After upgrading to {version} the {acronym} export breaks."),
    "neg_schedule": ("assistant", "I'll remind you {relative_date} about the {quantity}."),
    "neg_numbers": ("user", "The report has {count} rows and the total is {price}."),
}


# Template families: templates written in one sitting, by one author, for one scenario.
# Every family here is a TUNING family: the library's recognizers were written and adjusted
# against these templates, so a score on them measures the tuning, not the protection.
# `make eval` shows them on one separate line only; held-out families, never tuned on, are
# in benchmarks/heldout.py.
FAMILIES: dict[str, tuple[str, ...]] = {
    "names_and_greetings": (
        "greeting_lower", "intro_full_name", "signature_first", "signature_full",
        "title_doctor", "assistant_greeting", "assistant_thanks", "forwarded_colleague",
    ),
    "contact_data": (
        "contact_email", "contact_phone_us", "contact_phone_intl", "contact_block",
        "assistant_confirm_contact", "email_domain",
    ),
    "addresses": (
        "address_us_multiline", "address_uk_multiline", "address_eu_multiline",
        "address_inline", "assistant_address", "city_trip", "city_move",
    ),
    "organisations_and_dates": (
        "work_at", "faker_company", "assistant_company", "nrp_statement", "dob",
        "meeting_date", "assistant_date",
    ),
    "us_and_financial_ids": (
        "ssn_form", "ssn_sentence", "card_payment", "card_assistant", "iban_transfer",
        "iban_plain", "passport", "driver_license", "bank_account", "itin", "crypto_wallet",
        "medical_license", "nhs_number",
    ),
    "national_ids": (
        "nir", "nino", "de_tax_id", "es_nif", "it_fiscal_code", "nl_bsn", "passport_any",
    ),
    "network": ("ip_log", "mac_device", "url_profile", "assistant_url"),
    "secrets": (
        "api_key_env", "api_key_config", "bearer_curl", "password_cue", "password_sentence",
        "assistant_secret_warning",
    ),
    "hard_negatives": ("neg_order_status", "neg_versions", "neg_schedule", "neg_numbers"),
}  # fmt: skip


# --- generation -----------------------------------------------------------------------------


def _render(
    name: str, text: str, ctx: Any, cache: dict[str, str], slots: dict[str, Slot] = SLOTS
) -> tuple[str, list[GoldSpan], list[NegativeSpan]]:
    """Fill the template's fields from ``slots`` (values cached per conversation unless
    fresh), recording a gold or negative span exactly where each value lands."""
    parts: list[str] = []
    spans: list[GoldSpan] = []
    negatives: list[NegativeSpan] = []
    offset = 0
    for literal, field_name, _spec, _conv in string.Formatter().parse(text):
        parts.append(literal)
        offset += len(literal)
        if field_name is None:
            continue
        slot = slots[field_name]
        if slot.fresh or field_name not in cache:
            cache[field_name] = slot.make(ctx)
        value = cache[field_name]
        if slot.entity is not None:
            spans.append(GoldSpan(offset, offset + len(value), slot.entity, name, field_name))
        else:
            negatives.append(
                NegativeSpan(offset, offset + len(value), str(slot.negative), name, field_name)
            )
        parts.append(value)
        offset += len(value)
    return "".join(parts), spans, negatives


@dataclass
class _Deck:
    """Templates of one role dealt in shuffled rounds, so every template is used before any
    is used twice (small corpora still cover every template and entity type)."""

    names: list[str]
    rng: random.Random
    pile: list[str] = field(default_factory=list)

    def draw(self) -> str:
        if not self.pile:
            self.pile = list(self.names)
            self.rng.shuffle(self.pile)
        return self.pile.pop()


def generate(seed: int = DEFAULT_SEED, conversations: int = 200) -> list[Conversation]:
    """``conversations`` chat conversations of 2-6 messages, alternating user and assistant."""
    ctx = _Context(seed)
    decks = {
        role: _Deck(sorted(n for n, (r, _) in TEMPLATES.items() if r == role), ctx.rng)
        for role in ("user", "assistant")
    }
    out: list[Conversation] = []
    for index in range(conversations):
        cache: dict[str, str] = {}
        messages: list[Message] = []
        for turn in range(ctx.rng.randint(2, 6)):
            role = "user" if turn % 2 == 0 else "assistant"
            # Assistant turns mostly come from assistant templates; sometimes they quote the
            # user (a user template) so that values recur in replies too.
            deck = decks[role] if role == "user" or ctx.rng.random() < 0.6 else decks["user"]
            name = deck.draw()
            text, spans, negatives = _render(name, TEMPLATES[name][1], ctx, cache)
            messages.append(Message(role, text, name, tuple(spans), tuple(negatives)))
        out.append(Conversation(f"conv-{seed}-{index:05d}", tuple(messages)))
    return out


def write_jsonl(conversations: Sequence[Conversation], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for conversation in conversations:
            stream.write(json.dumps(conversation.to_json(), ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> Iterator[Conversation]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield Conversation.from_json(json.loads(line))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.corpus", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("-o", "--output", type=Path, help="JSONL file (default: stdout)")
    args = parser.parse_args(argv)
    corpus = generate(args.seed, args.conversations)
    if args.output is None:
        for conversation in corpus:
            sys.stdout.write(json.dumps(conversation.to_json(), ensure_ascii=False) + "\n")
    else:
        write_jsonl(corpus, args.output)
        spans = sum(len(m.spans) for c in corpus for m in c.messages)
        print(f"wrote {len(corpus)} conversations, {spans} gold spans to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
