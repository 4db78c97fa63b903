"""National identifiers and passport numbers: found by pattern, checked by checksum.

One recognizer per type of the catalogue, each a :class:`NationalIdRecognizer`: a bounded
pattern finds candidates, the type's checksum (where it has one) keeps the valid ones, and
a cue word nearby — in English, French, German, Spanish, Italian or Dutch, listed in
``models/national_ids.json`` — raises the score:

============== ===================================================== ========================
type           format                                                check
============== ===================================================== ========================
FR_NIR         sex, year, month, département (2A/2B: Corsica),       key = 97 - (number
               commune, order: 13 characters, then a 2-digit key      mod 97)
UK_NINO        2 letters, 6 digits, A-D                              letters allowed, no
                                                                     reserved prefix
DE_TAX_ID      11 digits (Steuer-ID)                                 ISO 7064 mod 11,10 and
                                                                     one digit repeated
ES_NIF         DNI: 8 digits + letter; NIE: X/Y/Z + 7 digits + letter letter = number mod 23
IT_FISCAL_CODE 16 characters (surname, name, birth, place)           check character
NL_BSN         9 digits                                              11-proof; needs a cue
PASSPORT       6-10 letters and digits right after a passport cue     none; needs the cue
============== ===================================================== ========================

A BSN needs its cue because one 9-digit number in eleven passes the 11-proof; a passport
number has no checksum at all, so only the cue ("passport", "passeport", "Reisepass",
"pasaporte", "passaporto", "paspoort" …) makes one. Every pattern has bounded repetitions
and no nested quantifiers: matching is linear in the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from pii_mapper._data import model_file
from pii_mapper.detection import Detection
from pii_mapper.detection.patterns import Recognizer
from pii_mapper.errors import DetectionError

__all__ = [
    "NATIONAL_ID_ENTITIES",
    "DriverLicenseRecognizer",
    "NationalIdRecognizer",
    "PassportRecognizer",
    "de_tax_id_valid",
    "es_nif_valid",
    "fr_nir_valid",
    "it_fiscal_code_valid",
    "national_id_recognizer",
    "nl_bsn_valid",
    "uk_nino_valid",
]

NATIONAL_ID_ENTITIES: tuple[str, ...] = (
    "DE_TAX_ID",
    "ES_NIF",
    "FR_NIR",
    "IT_FISCAL_CODE",
    "NL_BSN",
    "PASSPORT",
    "UK_NINO",
)

_DATA_NAME = "national_ids.json"
# A cue counts within this many characters before a number, or half as many after it.
_CUE_WINDOW = 48
_SEPARATOR = r"[ .\-/]?"
_NOT_SEPARATOR = re.compile(r"[\s.\-/]")


def _compact(value: str) -> str:
    return _NOT_SEPARATOR.sub("", value).upper()


# --- checksums (on the value without spaces, dots, dashes or slashes) ---------------------

_NIR_KEY_FREE = re.compile(r"[1-478]\d{4}(?:\d{2}|2[AB])\d{6}")


def fr_nir_valid(value: str) -> bool:
    """A French social security number (NIR): 13 characters and a 2-digit key.

    The key is 97 minus the 13-digit number mod 97; Corsica's départements 2A and 2B count
    as 19 and 18.

    >>> fr_nir_valid("2 55 08 14 168 025 38"), fr_nir_valid("2 55 08 14 168 025 39")
    (True, False)
    """
    compact = _compact(value)
    if len(compact) != 15 or not _NIR_KEY_FREE.fullmatch(compact[:13]):
        return False
    month = int(compact[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False  # 20, 30-42 and 50-99 are used when the month of birth is unknown
    number = compact[:13].replace("2A", "19").replace("2B", "18")
    return compact[13:].isdigit() and int(compact[13:]) == 97 - int(number) % 97


_NINO_LETTERS = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]")
_NINO_RESERVED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def uk_nino_valid(value: str) -> bool:
    """A UK National Insurance number: two letters (not D, F, I, Q, U or V, O not second, no
    reserved pair such as BG or GB), six digits and A, B, C or D. It has no checksum.

    >>> uk_nino_valid("AB 12 34 56 C"), uk_nino_valid("GB 12 34 56 C")
    (True, False)
    """
    compact = _compact(value)
    return bool(_NINO_LETTERS.fullmatch(compact)) and compact[:2] not in _NINO_RESERVED


def de_tax_id_valid(value: str) -> bool:
    """A German tax identification number (Steuer-ID): 11 digits, no leading zero; in the
    first ten, one digit appears twice or three times (never three in a row) and the others
    at most once; the last digit is the ISO 7064 mod 11,10 check digit.

    >>> de_tax_id_valid("86095742719"), de_tax_id_valid("86095742711")
    (True, False)
    """
    compact = _compact(value)
    if len(compact) != 11 or not compact.isdigit() or compact[0] == "0":
        return False
    body = compact[:10]
    counts = sorted((body.count(d) for d in set(body)), reverse=True)
    if counts[0] not in (2, 3) or (len(counts) > 1 and counts[1] > 1):
        return False
    if any(body[i] == body[i + 1] == body[i + 2] for i in range(8)):
        return False
    product = 10
    for digit in body:
        total = (int(digit) + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    return check == int(compact[10])


_NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_NIF_SHAPE = re.compile(r"(?:\d{8}|[XYZ]\d{7})[A-Z]")


def es_nif_valid(value: str) -> bool:
    """A Spanish DNI (8 digits and a letter) or NIE (X, Y or Z, 7 digits and a letter): the
    letter is the number mod 23 in TRWAGMYFPDXBNJZSQVHLCKE (X, Y, Z count as 0, 1, 2).

    >>> es_nif_valid("12345678-Z"), es_nif_valid("X1234567L"), es_nif_valid("12345678A")
    (True, True, False)
    """
    compact = _compact(value)
    if not _NIF_SHAPE.fullmatch(compact):
        return False
    digits = str("XYZ".index(compact[0])) + compact[1:8] if compact[0] in "XYZ" else compact[:8]
    return _NIF_LETTERS[int(digits) % 23] == compact[8]


# Odd positions (1st, 3rd …) of a codice fiscale weigh by this table; even ones by value.
_CF_ODD_DIGITS = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21)  # 0-9, and A-J alike
_CF_ODD_K_TO_Z = (2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23)
_CF_ODD = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        _CF_ODD_DIGITS + _CF_ODD_DIGITS + _CF_ODD_K_TO_Z,
        strict=True,
    )
)
_CF_EVEN = {c: (int(c) if c.isdigit() else ord(c) - ord("A")) for c in _CF_ODD}
# Digits may be replaced by L-V (omocodia) when two people would share a code.
_CF_DIGIT = "[0-9LMNPQRSTUV]"
_CF_SHAPE = re.compile(
    rf"[A-Z]{{6}}{_CF_DIGIT}{{2}}[ABCDEHLMPRST]{_CF_DIGIT}{{2}}[A-Z]{_CF_DIGIT}{{3}}[A-Z]"
)


def it_fiscal_code_valid(value: str) -> bool:
    """An Italian codice fiscale: 16 characters whose last is the check character.

    >>> it_fiscal_code_valid("RSSMRA85T10A562S"), it_fiscal_code_valid("RSSMRA85T10A562T")
    (True, False)
    """
    compact = _compact(value)
    if not _CF_SHAPE.fullmatch(compact):
        return False
    total = sum(_CF_ODD[c] if i % 2 == 0 else _CF_EVEN[c] for i, c in enumerate(compact[:15]))
    return chr(ord("A") + total % 26) == compact[15]


def nl_bsn_valid(value: str) -> bool:
    """A Dutch citizen service number (BSN): 9 digits passing the 11-proof (weights 9 to 2,
    then -1; the sum divisible by 11 and not zero).

    >>> nl_bsn_valid("1112.22.333"), nl_bsn_valid("111222334")
    (True, False)
    """
    compact = _compact(value)
    if len(compact) != 9 or not compact.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(compact, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total != 0 and total % 11 == 0


# --- cues ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _cue_words() -> dict[str, tuple[str, ...]]:
    try:
        cues = json.loads(model_file(_DATA_NAME).read_text(encoding="utf-8"))["cues"]
        table = {entity: tuple(str(w).casefold() for w in cues[entity]) for entity in cues}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DetectionError(f"cannot read the identifier cues {_DATA_NAME}: {exc}") from None
    missing = set(NATIONAL_ID_ENTITIES) - set(table)
    if missing:
        raise DetectionError(f"{_DATA_NAME} has no cues for {sorted(missing)}")
    return table


@cache
def _cue_pattern(entity: str) -> re.Pattern[str]:
    """One alternation of the entity's cues; a space, dot or dash between a cue's words
    stands for any one of them (``steuer-id``, ``Steuer ID``)."""
    words = sorted(set(_cue_words()[entity]), key=len, reverse=True)
    alternatives = "|".join(
        r"[\s.\-]?".join(re.escape(part) for part in re.split(r"[\s.\-]+", w) if part)
        + (r"\.?" if w.endswith(".") else "")
        for w in words
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _has_cue(cue: re.Pattern[str], text: str, start: int, end: int) -> bool:
    if cue.search(text, max(0, start - _CUE_WINDOW), start) is not None:
        return True
    return cue.search(text, end, min(len(text), end + _CUE_WINDOW // 2)) is not None


# --- the recognizers ----------------------------------------------------------------------


_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class NationalIdRecognizer:
    """Candidates of one identifier type by pattern, kept when ``valid``; ``score`` without
    a cue nearby (0 means a cue is required), ``cued_score`` with one."""

    name: str
    entity: str
    pattern: re.Pattern[str]
    valid: Callable[[str], bool]
    score: float
    cued_score: float

    def find(self, text: str) -> Iterator[Detection]:
        if _DIGIT.search(text) is None:
            return
        cue = _cue_pattern(self.entity)
        for match in self.pattern.finditer(text):
            start, end = match.span()
            if not self.valid(match.group()):
                continue
            score = self.cued_score if _has_cue(cue, text, start, end) else self.score
            if score > 0:
                yield Detection(start, end, self.entity, score, self.name)


_S = _SEPARATOR
# The boundary of an identifier: no letter, digit or joining character on either side.
_BEFORE = r"(?<![\w\-./])"
_AFTER = r"(?![\w]|[\-./]\w)"

_PATTERNS: dict[str, re.Pattern[str]] = {
    # 1 84 12 76 451 089 46 · 184127645108946 · 2 90 03 2A 123 456 78
    "FR_NIR": re.compile(
        rf"{_BEFORE}[1-478]{_S}\d\d{_S}\d\d{_S}(?:\d\d|2[ABab]){_S}\d{{3}}{_S}\d{{3}}{_S}\d\d{_AFTER}"
    ),
    # AB 12 34 56 C · AB123456C
    "UK_NINO": re.compile(
        rf"{_BEFORE}[A-Za-z]{{2}}[ \-]?\d\d[ \-]?\d\d[ \-]?\d\d[ \-]?[A-Da-d]{_AFTER}"
    ),
    # 86 095 742 719 · 86095742719 · 860 957 427 19
    "DE_TAX_ID": re.compile(rf"{_BEFORE}[1-9](?:{_S}\d){{10}}{_AFTER}"),
    # 12345678Z · 12.345.678-Z · X-1234567-L · Y 1234567 X
    "ES_NIF": re.compile(
        rf"{_BEFORE}(?:\d{{2}}\.?\d{{3}}\.?\d{{3}}|[XYZxyz]{_S}\d{{7}}){_S}[A-Za-z]{_AFTER}"
    ),
    # RSSMRA85T10A562S (also in lower case, or in groups: RSS MRA 85T10 A562S)
    "IT_FISCAL_CODE": re.compile(
        rf"{_BEFORE}[A-Za-z]{{3}} ?[A-Za-z]{{3}} ?[0-9LMNPQRSTUVlmnpqrstuv]{{2}}[A-Za-z]"
        rf"[0-9LMNPQRSTUVlmnpqrstuv]{{2}} ?[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{{3}}[A-Za-z]{_AFTER}"
    ),
    # 111222333 · 1112.22.333 · 111 222 333
    "NL_BSN": re.compile(rf"{_BEFORE}\d(?:{_S}\d){{8}}{_AFTER}"),
}

# name, validator, score without a cue, score with one
_SETTINGS: dict[str, tuple[Callable[[str], bool], float, float]] = {
    # A key that checks on a date-and-place shape: sure without a cue.
    "FR_NIR": (fr_nir_valid, 0.85, 1.0),
    # Letters and digits in a fixed shape, but no checksum.
    "UK_NINO": (uk_nino_valid, 0.6, 0.95),
    # 11 digits pass both rules about once in thirty: other numbers (orders, accounts) too.
    "DE_TAX_ID": (de_tax_id_valid, 0.35, 1.0),
    "ES_NIF": (es_nif_valid, 0.85, 1.0),
    "IT_FISCAL_CODE": (it_fiscal_code_valid, 0.9, 1.0),
    # One 9-digit number in eleven passes: only with a cue.
    "NL_BSN": (nl_bsn_valid, 0.0, 0.95),
}


# --- passports ----------------------------------------------------------------------------

# A US passport after "US passport" is US_PASSPORT's, not the generic type's.
_US_BEFORE = re.compile(
    r"(?i:\b(?:u\.?s\.?a?\.?|american|américain|amerikanische[nr]?|estadounidense"
    r"|americano|statunitense|amerikaans(?:e)?)[\s\-]*)$"
)
# Words between a passport cue and its number: "number", "n°", "is", "de", ":" …
_PASSPORT_FILLER = frozenset(
    [
        "n", "nº", "no", "n°", "nr", "num", "number", "nummer", "numéro", "numero", "número", "is",
        "est", "ist", "es", "è", "de", "du", "del", "di", "van", "my", "mon", "ma", "mein",
        "meine", "mi", "mio", "mijn", "his", "her", "son", "sa", "sein", "seine", "su", "suo",
        "zijn", "haar", "id", "lautet", "lautete", "ist:", "",
    ]
)  # fmt: skip
_PASSPORT_TOKEN = re.compile(r"[^\s,;()]{1,24}")
# How far after a cue its number may start.
_PASSPORT_REACH = 48


class PassportRecognizer:
    """A passport number of any country shortly after a passport cue (in any of the six
    languages): 6 to 10 capital letters and digits, at least two of them digits, in the
    same sentence. Right after the cue, or after filler words only ("number", "n°", "is",
    "lautet" …), it scores 0.85; after other words ("Passport for Kenji: TZ4183907",
    "passport number if needed 19CV48215") 0.6."""

    name = "PassportRecognizer"
    entity = "PASSPORT"

    def find(self, text: str) -> Iterator[Detection]:
        if not any(c.isdigit() for c in text):
            return
        done = 0
        for cue in _cue_pattern(self.entity).finditer(text):
            if cue.start() < done or (
                self.us_is_other and _US_BEFORE.search(text, max(0, cue.start() - 24), cue.start())
            ):
                continue
            found = self._number_after(text, cue.end())
            if found is not None:
                start, end, score = found
                yield Detection(start, end, self.entity, score, self.name)
                done = end

    # A passport number: 6 to 10 capital letters and digits, two digits at least.
    number = re.compile(r"[A-Z0-9]{6,10}")
    digits = 2
    us_is_other = True  # "US passport …" is US_PASSPORT's

    def _number_after(self, text: str, position: int) -> tuple[int, int, float] | None:
        limit = min(len(text), position + _PASSPORT_REACH)
        other_words = False
        previous_end = position
        for token in _PASSPORT_TOKEN.finditer(text, position, limit):
            if other_words and "\n" in text[previous_end : token.start()]:
                return None  # a form may put the number on the next line, prose may not
            value = token.group().rstrip(".:")
            if self.number.fullmatch(value) and sum(c.isdigit() for c in value) >= self.digits:
                end = token.start() + len(value)
                return token.start(), end, 0.6 if other_words else 0.85
            if value.casefold().strip("-#\u2013") not in _PASSPORT_FILLER:
                if other_words and token.group()[-1] in ".?!":
                    return None  # the sentence ended without a number
                other_words = True
            previous_end = token.end()
        return None


class DriverLicenseRecognizer(PassportRecognizer):
    """A driver's licence number shortly after a licence cue ("drivers license D412-7730-5821",
    "TX DL 40918273", "CA DL B7284910"), as for passports (see :class:`PassportRecognizer`):
    5 to 20 capital letters, digits and dashes, five digits at least. US states give their
    licences many shapes; the cue, not the shape, says what the number is. Complements the
    shape-only US pattern, which knows few of them."""

    name = "DriverLicenseRecognizer"
    entity = "US_DRIVER_LICENSE"
    number = re.compile(r"[A-Z0-9][A-Z0-9\-]{3,18}[A-Z0-9]")
    digits = 5
    us_is_other = False


def national_id_recognizer(entity: str) -> Callable[[], Recognizer]:
    """A factory of the recognizer of ``entity`` (one of :data:`NATIONAL_ID_ENTITIES`)."""
    if entity == "PASSPORT":
        return PassportRecognizer
    valid, score, cued_score = _SETTINGS[entity]
    pattern = _PATTERNS[entity]
    name = "".join(part.capitalize() for part in entity.split("_")) + "Recognizer"

    def build() -> NationalIdRecognizer:
        return NationalIdRecognizer(name, entity, pattern, valid, score, cued_score)

    return build
