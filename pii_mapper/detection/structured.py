"""Values named by their key: JSON, YAML, INI, forms, XML, vCards and tables pasted into chat.

A statistical NER model reads ``{"name":"Wiebke Thomsen","city":"Flensburg"}`` or a CSV
paste as prose and misses most of it. :class:`StructuredRecognizer` finds such values by the
key, field, column or property that labels them, in English, French, German, Spanish,
Italian and Dutch at once (a French message pastes English JSON keys):

* quoted pairs: JSON and JS objects (``"city": "Flensburg"``, ``city: 'Flensburg'``),
  attributes and keyword arguments (``name="Ada Lovelace"``), JSON escaped inside a string
  (``\\"name\\":\\"…\\"``), and a JSON number for a postcode or a PIN (``"zip": 24939``);
* field lines: ``Key: value`` and ``KEY = value`` at the start of a line (after indentation,
  a bullet or a quote mark) or after ``|``, ``;``, ``,``, a tab or two spaces: forms, YAML,
  INI and ``git config`` (``name = Ngọc Anh Đỗ``);
* XML elements: ``<Comune>Roma</Comune>``, ``<ns:CAP>00179</ns:CAP>``;
* vCards (between ``BEGIN:VCARD`` and ``END:VCARD``): ``N:`` (family, given and middle
  names, one PERSON each), ``FN:``, ``ORG:``, ``ADR:`` (one LOCATION from the first to the
  last address part) and ``BDAY:``;
* tables with a header row: CSV, TSV and semicolon-separated data (a quoted cell may hold the
  delimiter) and markdown tables; every cell of a column whose header names a type is read
  as that type. Rows count only while they have as many cells as the header. A two-cell row
  of a markdown or tab-separated table whose first cell is a key (``| Name | Ada Lovelace
  |``) is read as a field.

**Keys** are data (``models/structured_keys.json``), grouped by kind; matching ignores case
and accents, and ``snake_case``, ``kebab-case``, dotted and ``camelCase`` keys are split into
words. A longer key is read by its head word (``billing_city``, ``shippingAddress``,
``customer_first_name``; ``ciudad_envio``, ``code_postal_livraison``), unless a word before
the head makes it something else (``email_address``, ``ip_address``, ``file_name``) or a word
after it does (``city_id``, ``country_code``, ``password_hash``). ``<role> name`` keys
(``customer_name``, ``nombre_cliente``) are names.

**Values** must look like what the key promises, and end where the field ends (the closing
quote, the cell's delimiter, the line's end; on a field line also ``|``, ``;``, a tab or two
spaces):

* a *person* key needs a name of at least two words (``name`` labels products, files and
  hosts as often as people), a *name part* key (first, last, family name) one word; words
  are letters with inner ``'`` or ``-``, capitalised or in capitals (particles such as
  ``van``, ``de``, ``von`` may be lower case); a whole lower-case value counts only under a
  name part key in a quoted value or a table cell (``"first_name": "fatima"``). Titles
  (``Mr``, ``Frau``, ``Sra.``) are left out of the span; ``LAST, First`` is one name. On a
  field line the name ends at the first word that is not one (``Patient: Gerhard Zöllner,
  geb. 09.02.1949`` gives ``Gerhard Zöllner``). Words such as ``team``, ``admin``,
  ``support``, ``production`` make a value no name;
* a *place* (city, country, region) is capitalised words without digits; an *address*
  holds a letter and either a digit or two capitalised words; a *postcode* is 4 to 10 letters
  and digits with at least two digits; an *organisation* starts with a capital letter or a
  digit (lower case only in quoted values and cells); a *birth date* holds a digit and
  goes through the detector's date check like every date; a *password* is the value up to
  the first space on a field line, the whole value elsewhere (digits alone: four or more);
  a person's key whose value has a legal form (``GmbH``, ``S.L.``) gives an organisation;
* in a table, a bare ``Name`` column is read as people only beside a column that names a
  type or a way to reach someone (``| Name | Price |`` lists products);
* never found here: numbers, booleans and ``null`` (except a postcode or a PIN written as
  a number), values that are e-mail addresses, URLs or phone numbers (their own
  recognizers find them), placeholders (``<your-name>``, ``{{name}}``, ``${USER}``,
  ``N/A``, ``-``, ``unknown``, ``same as above``) and the stock example names of each
  language (``John Doe``, ``Max Mustermann``, ``Fulano de Tal``, ``Jan Modaal``; common real
  names used as examples, such as ``Mario Rossi``, are still found).

Scores: 0.85 for a value named by its key, 0.8 for a table cell: confident enough that an
NER span of another type over it gives way.

Time is linear in the text: every pattern starts at a fixed kind of position (a quote, a
word start, a line start or a separator) and reads a bounded number of characters from it
with possessive repetitions; tables are read one line at a time, each line once.
The recognizer holds no state and is safe to share between threads.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from pii_mapper._data import model_file
from pii_mapper.detection import Detection
from pii_mapper.errors import DetectionError

__all__ = [
    "KEY_SCORE",
    "STRUCTURED_ENTITIES",
    "TABLE_SCORE",
    "StructuredRecognizer",
    "key_kind",
]

KEY_SCORE = 0.85
TABLE_SCORE = 0.8

_DATA_NAME = "structured_keys.json"

# The kinds of keys in the data file and the entity type each one's values are.
_KIND_ENTITY = {
    "person": "PERSON",
    "name_part": "PERSON",
    "place": "LOCATION",
    "address": "LOCATION",
    "postcode": "LOCATION",
    "organization": "ORGANIZATION",
    "birth_date": "DATE_TIME",
    "password": "PASSWORD",
    "phone": "PHONE_NUMBER",
}
STRUCTURED_ENTITIES = frozenset(_KIND_ENTITY.values())


# --- the key vocabulary -------------------------------------------------------------------


def _fold(text: str) -> str:
    """Case- and accent-free form: ``Straße`` -> ``strasse``, ``Città`` -> ``citta``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_CAMEL = re.compile(
    r"(?<=[^\W\d_])(?=\d)|(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ])|(?<=[A-ZÀ-Þ])(?=[A-ZÀ-Þ][a-zß-ÿ])"
)
_KEY_WORD = re.compile(r"[^\W_]+")


def _key_words(key: str) -> list[str]:
    """``shippingAddress_line2`` -> ``['shipping', 'address', 'line']``."""
    if len(key) > 80:
        return []
    words = _KEY_WORD.findall(_fold(_CAMEL.sub(" ", key)))
    while words and words[-1].isdigit():
        words.pop()
    return words


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    keys: dict[str, str]  # folded key phrase -> kind
    compound: frozenset[str]  # kinds a longer key may be read by
    name_heads: frozenset[str]
    person_roles: frozenset[str]
    not_before: frozenset[str]
    not_after: frozenset[str]
    placeholders: frozenset[str]
    not_name_words: frozenset[str]
    titles: frozenset[str]
    particles: frozenset[str]
    legal_form: re.Pattern[str]  # "GmbH", "S.L.": a company, whatever its key says
    contact_columns: frozenset[str]  # e-mail, phone: a table of people, not of products


def _folded_set(data: dict[str, object], name: str) -> frozenset[str]:
    items = data[name]
    if not isinstance(items, list):
        raise TypeError(f"{name} must be a list")
    return frozenset(_fold(str(item)) for item in items)


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    try:
        data = json.loads(model_file(_DATA_NAME).read_text(encoding="utf-8"))
        keys: dict[str, str] = {}
        for kind, languages in data["kinds"].items():
            if kind not in _KIND_ENTITY:
                raise ValueError(f"unknown kind {kind!r}")
            for words in languages.values():
                for word in words:
                    phrase = " ".join(_key_words(str(word)))
                    # The first kind listed wins a key two languages share ("name").
                    keys.setdefault(phrase, kind)
        forms = sorted({str(f).rstrip(".") for f in data["legal_forms"]}, key=len, reverse=True)
        legal_form = re.compile(
            # after a space or a comma: the engine skips other positions with one test
            r"(?<=[ ,])(?:" + "|".join(re.escape(f) for f in forms) + r")\.?(?![\w])"
        )
        return _Vocabulary(
            keys=keys,
            legal_form=legal_form,
            contact_columns=frozenset(" ".join(_key_words(c)) for c in data["contact_columns"]),
            compound=frozenset(data["compound"]),
            **{
                name: _folded_set(data, name)
                for name in (
                    "name_heads",
                    "person_roles",
                    "not_before",
                    "not_after",
                    "placeholders",
                    "not_name_words",
                    "titles",
                    "particles",
                )
            },
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DetectionError(f"cannot read the structured-data keys {_DATA_NAME}: {exc}") from None


def key_kind(key: str) -> str | None:
    """The kind of value ``key`` labels (``person``, ``name_part``, ``place``, ``address``,
    ``postcode``, ``organization``, ``birth_date``, ``password``), or None.

    >>> key_kind("billingCity"), key_kind("Código Postal"), key_kind("email_address")
    ('place', 'postcode', None)
    """
    words = _key_words(key)
    if not words or len(words) > 6:
        return None
    vocabulary = _vocabulary()
    kind = vocabulary.keys.get(" ".join(words))
    if kind is not None or len(words) == 1:
        return kind
    heads, roles = vocabulary.name_heads, vocabulary.person_roles
    if (words[-1] in heads and words[-2] in roles) or (words[0] in heads and words[1] in roles):
        return "person"  # customer_name, nombre_cliente
    for size in (3, 2, 1):  # the head last: billing_city, customer_first_name
        if len(words) > size:
            kind = vocabulary.keys.get(" ".join(words[-size:]))
            # A person's role ends a longer key ("referring_physician", "primary contact");
            # a bare "name" does not ("product_name", "city_name").
            compound = kind in vocabulary.compound or (kind == "person" and words[-1] not in heads)
            if compound and (
                kind == "password" or not vocabulary.not_before.intersection(words[:-size])
            ):
                return kind
    for size in (3, 2, 1):  # the head first: ciudad_envio, code_postal_livraison
        if len(words) > size:
            kind = vocabulary.keys.get(" ".join(words[:size]))
            if (
                kind in vocabulary.compound
                and kind != "password"
                and not vocabulary.not_after.intersection(words[size:])
            ):
                return kind
    return None


# --- values -------------------------------------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_FILLER = re.compile(r"([xX*#\u2022._\-])\1*+")
_PHONE_SHAPE = re.compile(r"\+?[\d\s()./\-]{7,}+")
_EMAIL_SHAPE = re.compile(r"[^\s@]{1,64}+@[^\s@]{1,255}+\.[^\W\d_]{2,}")
_TEMPLATE = re.compile(r"^(?:<.*>|\{.*\}|\[.*\]|\(.*\)|\$\{.*|\$[A-Z_]+|%[sd(].*|\*+)$", re.DOTALL)
# A word of a name: letters with inner apostrophes or hyphens, an initial's dot.
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019\-](?=[^\W\d_]))*+\.?")
_PLACE_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019.\-](?=[^\W\d_]))*+\.?")
_POSTCODE = re.compile(r"(?:[A-Za-z]{1,2}-)?[A-Za-z0-9]{2,5}(?:[ \-][A-Za-z0-9]{2,4})?(?![\w\-])")
_QUOTES = "\"'\u201e\u201c\u201d\u00ab\u00bb\u2018\u2019\u201a"
_TRAILING = " \t.,;:" + _QUOTES


def _is_upper_start(word: str) -> bool:
    return word[:1].isupper()


class _Values:
    """Checks a value against what its key promises; returns the span of the value to
    report (offsets into the text) or None."""

    def __init__(self) -> None:
        self.vocabulary = _vocabulary()

    def check(
        self, text: str, start: int, end: int, kind: str, *, strict: bool
    ) -> tuple[int, int, str] | None:
        """``text[start:end]`` is a field's value; ``strict``: the value fills its field
        exactly (a quoted value, a cell) rather than running to a line's end. Returns the
        span to report and its kind (a person's key holding a company's name gives
        ``organization``)."""
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end and text[start] in _QUOTES and text[end - 1] in _QUOTES and end - start > 1:
            start, end = start + 1, end - 1
        if start >= end or end - start > 400:
            return None
        value = text[start:end]
        if _TEMPLATE.match(value) or "{{" in value or _FILLER.fullmatch(value):
            return None  # "<your-name>", "${USER}", "xxxx", "----"
        # Placeholders and keys are short; a long value is neither (and not folded for it).
        if len(value) <= 40 and (
            _fold(value) in self.vocabulary.placeholders
            or " ".join(_key_words(value)) in self.vocabulary.keys  # "First Name" under "name"
        ):
            return None
        if kind == "phone":  # a number as a phone column holds it: "0939255465", "(009) 424"
            digits = sum(c.isdigit() for c in value)
            if _PHONE_SHAPE.fullmatch(value) and 6 <= digits <= 15:
                return start, end, kind
            return None
        if kind == "password":
            span = self._password(value, strict)
            if span is None or _is_link(value[span[0] : span[1]]):
                return None
            return start + span[0], start + span[1], kind
        if kind not in {"postcode", "birth_date"} and _PHONE_SHAPE.fullmatch(value):
            return None
        if not _LETTER.search(value) and kind not in {"postcode", "birth_date"}:
            return None
        if kind in {"person", "name_part"} and (
            form := self.vocabulary.legal_form.search(value)
        ):  # "Destinatario: Reformas Levante S.L."
            kind = "organization"
            value = value[: form.end()]
        if kind in {"person", "name_part"}:
            found = self._name(value, kind, strict)
        elif kind == "place":
            found = self._place(value, strict)
        elif kind == "address":
            found = self._address(value, strict)
        elif kind == "postcode":
            found = self._postcode(value, strict)
        elif kind == "organization":
            found = self._organization(value, strict)
        else:
            found = self._date(value, strict)
        if found is None:
            return None
        a, b = found
        # What is reported holds no e-mail address or URL (on a field line the value may
        # run on to one: "Kontakt: Ada Byron <ada@example.org>" gives the name alone).
        if "@" in value[a:b] or _is_link(value[a:b]):
            return None
        return start + a, start + b, kind

    # Each check takes the value alone and returns offsets into it.

    def _password(self, value: str, strict: bool) -> tuple[int, int] | None:
        end = len(value) if strict else _first_space(value)
        if not strict:
            end = len(value[:end].rstrip(".,;"))
            for opening, closing in ("()", "[]", "{}"):  # "(password: hunter2)"
                if value[end - 1 : end] == closing and opening not in value[: end - 1]:
                    end -= 1
        word = value[:end]
        if (
            not word
            or len(word) > 128
            or _fold(word) in self.vocabulary.placeholders
            or _TEMPLATE.match(word)
            or _EMAIL_SHAPE.fullmatch(word)
            or not (_LETTER.search(word) or _DIGIT.search(word))
            or (word.isdigit() and len(word) < 4)  # "pin: 13" is a GPIO pin, no PIN
        ):
            return None
        return 0, end

    def _name(self, value: str, kind: str, strict: bool) -> tuple[int, int] | None:
        vocabulary = self.vocabulary
        words = _words(value, 0, _NAME_WORD)
        while len(words) > 1 and _fold(value[words[0][0] : words[0][1]]).rstrip(".") in (
            vocabulary.titles
        ):
            words = words[1:]
        if not words:
            return None
        lower_ok = strict and kind == "name_part" and value == value.lower()
        good: list[tuple[int, int]] = []
        for a, b in words:
            word = value[a:b]
            if _fold(word).rstrip(".") in vocabulary.not_name_words:
                return None
            if not (_is_upper_start(word) or lower_ok or _fold(word) in vocabulary.particles):
                break
            good.append((a, b))
        # "LAST, First": the part after the comma is a name to the field's end.
        if good and len(good) == len(words) and value.startswith(", ", good[-1][1]):
            after = _words(value, good[-1][1] + 2, _NAME_WORD)
            if (
                after
                and after[-1][1] == len(value.rstrip(_TRAILING))
                and all(_is_upper_start(value[a:b]) or lower_ok for a, b in after)
                and not any(_fold(value[a:b]) in vocabulary.not_name_words for a, b in after)
            ):
                good += after
        while good and _fold(value[good[-1][0] : good[-1][1]]) in vocabulary.particles:
            good.pop()  # a name does not end with "van"
        if not good:
            return None
        end = good[-1][1]
        if value[end - 1] == "." and end - good[-1][0] > 2:
            end -= 1  # a sentence's period, not an initial's
        if strict and value[end:].strip(". ") != "":
            return None
        named = [w for w in good if _fold(value[w[0] : w[1]]) not in vocabulary.particles]
        if len(named) < (2 if kind == "person" else 1) or len(named) > 6:
            return None
        if len(named) == 1 and good[-1][1] - good[0][0] < 2:
            return None
        if _fold(value[good[0][0] : end]) in vocabulary.placeholders:
            return None
        return good[0][0], end

    def _place(self, value: str, strict: bool) -> tuple[int, int] | None:
        words = _words(value, 0, _PLACE_WORD, commas=True)
        if not words or len(words) > 6 or not _is_upper_start(value[words[0][0] : words[0][1]]):
            return None
        end = words[-1][1]
        while end > 0 and value[end - 1] in _TRAILING:
            end -= 1
        if strict and value[end:].strip(_TRAILING) != "":
            return None
        return (0, end) if end >= 2 else None

    def _address(self, value: str, strict: bool) -> tuple[int, int] | None:
        # A quoted value or a cell is the address as written ("4º izq."); a line's end
        # may close a sentence.
        end = len(value) if strict else len(value.rstrip(_TRAILING))
        value = value[:end]
        if end < 3 or end > 160 or "0x" in value:
            return None
        first = value[:1]
        if not (first.isdigit() or first.isupper() or (strict and _DIGIT.search(value))):
            return None
        if " " not in value and "," not in value:
            return None
        if not _DIGIT.search(value):
            capitalised = [w for w in value.split() if _is_upper_start(w)]
            if len(capitalised) < 2:
                return None
        return 0, end

    def _postcode(self, value: str, strict: bool) -> tuple[int, int] | None:
        match = _POSTCODE.match(value)
        if match is None:
            return None
        code = match.group()
        if len(_DIGIT.findall(code)) < 2 or sum(c.isalnum() for c in code) < 4:
            return None
        if strict and match.end() != len(value.rstrip(_TRAILING)):
            return None
        return 0, match.end()

    def _organization(self, value: str, strict: bool) -> tuple[int, int] | None:
        if not strict:  # "Firma: Müller GmbH, Hauptstraße 5": the company ends at the comma
            remark = value.find(" (")  # "Acme Ltd (since 2019)"
            if remark > 0:
                value = value[:remark]
            comma = value.find(", ")  # "Acme Ltd, Am Markt 3" but "Smith, Jones & Co"
            if comma > 0 and (_DIGIT.search(value, comma) or len(value[comma:].split()) > 2):
                value = value[:comma]
        end = len(value.rstrip(_TRAILING))
        last = value[:end].rsplit(" ", 1)[-1]
        if value[end : end + 1] == "." and (strict or "." in last or len(last) <= 3):
            end += 1  # "S.L.", "Inc.": the period belongs to the legal form
        value = value[:end]
        if end < 2 or end > 80 or len(value.split()) > 10:
            return None
        first = value[:1]
        if not (first.isupper() or first.isdigit() or (strict and first.isalpha())):
            return None
        if _fold(value) in self.vocabulary.not_name_words:
            return None
        return 0, end

    def _date(self, value: str, strict: bool) -> tuple[int, int] | None:
        end = len(value)
        if not strict:
            for stop in ",;(":
                cut = value.find(stop)
                if cut > 0 and not (stop == "," and value[cut + 1 : cut + 2].isdigit()):
                    end = min(end, cut)
        end = len(value[:end].rstrip(_TRAILING))
        if end == 0 or end > 40 or not _DIGIT.search(value[:end]):
            return None
        return 0, end


def _is_link(value: str) -> bool:
    return "://" in value or value[:4].casefold() == "www."


def _first_space(value: str) -> int:
    for index, char in enumerate(value):
        if char.isspace():
            return index
    return len(value)


def _words(
    value: str, position: int, word: re.Pattern[str], *, commas: bool = False
) -> list[tuple[int, int]]:
    """The words of ``value`` from ``position`` separated by one space (or a hyphen, or
    with ``commas`` a comma and a space), up to the first thing that is not a word; a word
    glued to something else (``invoice.pdf``, ``Stadt:``) ends the run before it."""
    found: list[tuple[int, int]] = []
    n = len(value)
    while position < n and len(found) < 12:
        match = word.match(value, position)
        if match is None:
            break
        end = match.end()
        if end < n and not (value[end] in " \u00a0,;)" or value[end] in _QUOTES):
            break
        found.append((position, end))
        if value.startswith(" ", end) or value.startswith("\u00a0", end):
            position = end + 1
        elif commas and value.startswith(", ", end):
            position = end + 2
        else:
            break
    return found


# --- formats ------------------------------------------------------------------------------

# A quoted value after a key: JSON, JS, attributes, keyword arguments, escaped JSON.
_PAIR = re.compile(
    r"""(?:"(?P<k1>[^"\\\n\r]{1,60}+)"|'(?P<k2>[^'\\\n\r]{1,60}+)'"""
    r"""|\\"(?P<k4>[^"\\\n\r]{1,60}+)\\"|(?<![\w$.\-\\])(?P<k3>[^\W\d][\w\-]{0,59}+))"""
    r"""[ \t]{0,8}+[:=][ \t]{0,8}+"""
    r"""(?:"(?P<v1>(?:[^"\\\n\r]|\\[^"\n\r]){0,400}+)"|'(?P<v2>[^'\\\n\r]{0,400}+)'"""
    r"""|\\"(?P<v4>[^"\\\n\r]{0,400}+)\\"|(?P<v3>[0-9]{3,10}+)(?![\w.]))"""
)
_VALUE_GROUPS = ("v1", "v2", "v4", "v3")
_KEY_GROUPS = ("k1", "k2", "k4", "k3")

# A field line: "Key: value", "KEY = value" where a field starts.
_FIELD = re.compile(
    r"(?:^[ \t>*•·\-]{0,40}+|(?<=[|;,\t{(])[ \t]{0,4}+|(?<=[ \t]{2})|(?<=[.!?] ))"
    r"(?P<key>[^\W\d_][^\W_]{0,39}+(?:[ ._\-'\u2019/]{1,3}+[^\W_]{1,30}+){0,5}+)"
    r"[ \t]{0,4}+(?:\([^()\n]{0,30}+\)[ \t]{0,4}+)?[:=\uff1a][ \t]{0,8}+"
    # The value is read ahead, not consumed: the next field may start inside it (", Ort:").
    r"(?=(?P<value>[^\s|;\"'<>{}\[\]=](?:[^\n\r|;\t ]|[ ](?![ \t])){0,200}+))",
    re.MULTILINE,
)

# What stands between a key and its value in a pair or a field line: a text without one
# holds neither.
_KEY_SEPARATORS = (":", "=", "\uff1a")

_XML = re.compile(
    r"<(?:[A-Za-z_][\w.\-]{0,40}+:)?(?P<tag>[A-Za-z_][\w.\-]{0,40}+)(?:[ \t][^<>\n]{0,200}+)?>"
    r"(?P<value>[^<>\n]{1,300}+)</(?:[A-Za-z_][\w.\-]{0,40}+:)?(?P=tag)[ \t]{0,4}+>"
)

_VCARD_BEGIN = re.compile(r"^[ \t]{0,8}+BEGIN:VCARD[ \t\r]*+$", re.MULTILINE | re.IGNORECASE)
_VCARD_END = re.compile(r"^[ \t]{0,8}+END:VCARD", re.MULTILINE | re.IGNORECASE)
_VCARD_LINE = re.compile(
    r"^[ \t]{0,8}+(?:[\w\-]{1,20}+\.)?(?P<prop>N|FN|ORG|ADR|BDAY)(?:;[^:\n]{0,200}+)?:"
    r"(?P<value>[^\n\r]{1,500}+)",
    re.MULTILINE | re.IGNORECASE,
)
# N: family; given; additional names (the honorific prefix and suffix are not names).
_N_PARTS = 3

_HEADER_CELL = re.compile(r"[^\W\d_][\w .()/#'\u2019\-]{0,39}+")


class StructuredRecognizer:
    """PERSON, LOCATION, ORGANIZATION, DATE_TIME and PASSWORD values labelled by a key, a
    field name, a vCard property or a table header, in the six supported languages."""

    name = "StructuredRecognizer"
    entity = "PERSON"
    entities = STRUCTURED_ENTITIES

    def __init__(self) -> None:
        self._values = _Values()

    def find(self, text: str) -> Iterator[Detection]:
        found: dict[tuple[int, int, str], float] = {}
        if any(separator in text for separator in _KEY_SEPARATORS):
            self._pairs(text, found)
            self._fields(text, found)
        if "</" in text:
            self._xml(text, found)
        if _VCARD_BEGIN.search(text) is not None:
            self._vcards(text, found)
        if "\n" in text:
            self._tables(text, found)
        for (start, end, entity), score in sorted(found.items()):
            yield Detection(start, end, entity, score, self.name)

    def _add(
        self,
        found: dict[tuple[int, int, str], float],
        text: str,
        start: int,
        end: int,
        kind: str,
        *,
        strict: bool,
        score: float = KEY_SCORE,
    ) -> bool:
        """Adds the value of ``kind`` at ``text[start:end]`` if it is one; whether it is."""
        span = self._values.check(text, start, end, kind, strict=strict)
        if span is None:
            return False
        key = (span[0], span[1], _KIND_ENTITY[span[2]])
        found[key] = max(found.get(key, 0.0), score)
        return True

    def _pairs(self, text: str, found: dict[tuple[int, int, str], float]) -> None:
        for match in _PAIR.finditer(text):
            key = next(match.group(g) for g in _KEY_GROUPS if match.group(g) is not None)
            group = next((g for g in _VALUE_GROUPS if match.group(g) is not None), None)
            if group is None:
                continue
            kind = key_kind(key)
            if kind is None:
                continue
            if group == "v3" and not (
                kind == "postcode" or (kind == "password" and len(match.group(group)) <= 8)
            ):
                continue  # a number is no name, place or company
            self._add(found, text, match.start(group), match.end(group), kind, strict=True)

    def _fields(self, text: str, found: dict[tuple[int, int, str], float]) -> None:
        for match in _FIELD.finditer(text):
            kind = key_kind(match.group("key"))
            if kind is None:
                continue
            start, end = match.span("value")
            self._add(found, text, start, end, kind, strict=False)

    def _xml(self, text: str, found: dict[tuple[int, int, str], float]) -> None:
        for match in _XML.finditer(text):
            kind = key_kind(match.group("tag"))
            if kind is not None:
                self._add(found, text, *match.span("value"), kind, strict=True)

    def _vcards(self, text: str, found: dict[tuple[int, int, str], float]) -> None:
        position = 0
        while (begin := _VCARD_BEGIN.search(text, position)) is not None:
            end_match = _VCARD_END.search(text, begin.end())
            stop = end_match.start() if end_match is not None else len(text)
            for line in _VCARD_LINE.finditer(text, begin.end(), stop):
                self._vcard_line(text, line, found)
            position = max(stop, begin.end())

    def _vcard_line(
        self, text: str, line: re.Match[str], found: dict[tuple[int, int, str], float]
    ) -> None:
        prop = line.group("prop").upper()
        start, end = line.span("value")
        while end > start and text[end - 1] in " \r":
            end -= 1
        parts = _split_unescaped(text, start, end, ";")
        if prop == "FN":
            self._add(found, text, start, end, "person", strict=True)
        elif prop == "N":
            for a, b in parts[:_N_PARTS]:
                self._add(found, text, a, b, "name_part", strict=True)
        elif prop == "ORG":
            a, b = parts[0]
            self._add(found, text, a, b, "organization", strict=True)
        elif prop == "BDAY":
            self._add(found, text, start, end, "birth_date", strict=True)
        else:  # ADR: post box; extended; street; city; region; postcode; country
            filled = [(a, b) for a, b in parts if text[a:b].strip()]
            if filled and _LETTER.search(text, filled[0][0], filled[-1][1]):
                found[(filled[0][0], filled[-1][1], "LOCATION")] = KEY_SCORE

    def _tables(self, text: str, found: dict[tuple[int, int, str], float]) -> None:
        lines = _lines(text)
        # Header cells already looked up, for this text only (a long CSV repeats its cells).
        kinds: dict[str, str | None] = {}
        index = 0
        while index < len(lines):
            index = self._table_at(text, lines, index, found, kinds)

    def _table_at(
        self,
        text: str,
        lines: list[tuple[int, int]],
        index: int,
        found: dict[tuple[int, int, str], float],
        seen: dict[str, str | None],
    ) -> int:
        """Reads the table whose header is line ``index``, if it is one; returns the index
        of the next line to read."""
        start, end = lines[index]
        line = text[start:end]
        stripped = line.strip()
        if not stripped:
            return index + 1
        if stripped.startswith("|"):
            header = _pipe_cells(text, start, end)
            kinds = _column_kinds(text, header, seen)
            after = index + 1
            if kinds is not None and after < len(lines) and _is_rule(text, *lines[after]):
                row = after + 1
                while row < len(lines):
                    cells = _pipe_cells(text, *lines[row])
                    if len(cells) != len(header) or not text[slice(*lines[row])].strip():
                        break
                    self._row(text, cells, kinds, found)
                    row += 1
                return row
            self._key_value_row(text, header, found)
            return index + 1
        for delimiter in ("\t", ";", ","):
            if delimiter not in line:
                continue
            header = _csv_cells(text, start, end, delimiter)
            if delimiter == "\t" and self._key_value_row(text, header, found):
                return index + 1
            kinds = _column_kinds(text, header, seen)
            if kinds is None:
                continue
            row = index + 1
            while row < len(lines):
                cells = _csv_cells(text, *lines[row], delimiter)
                if len(cells) != len(header):
                    break
                self._row(text, cells, kinds, found)
                row += 1
            if row > index + 1:
                return row
        return index + 1

    def _row(
        self,
        text: str,
        cells: list[tuple[int, int]],
        kinds: list[str | None],
        found: dict[tuple[int, int, str], float],
    ) -> None:
        for (a, b), kind in zip(cells, kinds, strict=True):
            if kind is not None:
                self._add(found, text, a, b, kind, strict=True, score=TABLE_SCORE)

    def _key_value_row(
        self, text: str, cells: list[tuple[int, int]], found: dict[tuple[int, int, str], float]
    ) -> bool:
        """``| Name | Ada Lovelace |``, ``Name<TAB>Ada Lovelace``: a field in two cells;
        whether one was found."""
        if len(cells) != 2:
            return False
        (a, b), (c, d) = cells
        if _HEADER_CELL.fullmatch(text, a, b) is None:
            return False
        kind = key_kind(text[a:b])
        return kind is not None and self._add(found, text, c, d, kind, strict=True)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, its line break (and a carriage return) excluded."""
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        spans.append((position, end - 1 if line.endswith("\r") else end))
        position = end + 1
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pipe_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of a markdown table row ``| a | b |`` (an escaped ``\\|`` stays in)."""
    start, end = _trimmed(text, start, end)
    if start >= end or text[start] != "|":
        return []
    cells = _split_unescaped(text, start + 1, end, "|")
    if cells and text[end - 1] == "|" and cells[-1][0] == end:
        cells.pop()
    return [_trimmed(text, a, b) for a, b in cells]


def _split_unescaped(text: str, start: int, end: int, separator: str) -> list[tuple[int, int]]:
    """``text[start:end]`` split at each ``separator`` not preceded by a backslash."""
    parts: list[tuple[int, int]] = []
    cell = start
    position = text.find(separator, start, end)
    while position != -1:
        if position == start or text[position - 1] != "\\":
            parts.append((cell, position))
            cell = position + 1
        position = text.find(separator, position + 1, end)
    parts.append((cell, end))
    return parts


def _csv_cells(text: str, start: int, end: int, delimiter: str) -> list[tuple[int, int]]:
    """The cells of one CSV line, a quoted cell's quotes left out (``""`` inside stays)."""
    if '"' not in text[start:end]:
        return [_trimmed(text, a, b) for a, b in _split_plain(text, start, end, delimiter)]
    cells: list[tuple[int, int]] = []
    position = start
    while True:
        while position < end and text[position] in " \t" and text[position] != delimiter:
            position += 1
        if position < end and text[position] == '"':
            close = position + 1
            while True:
                close = text.find('"', close, end)
                if close == -1 or not text.startswith('""', close):
                    break
                close += 2
            if close == -1:
                return []  # an unclosed quote: not a CSV line
            cells.append((position + 1, close))
            following = text.find(delimiter, close, end)
            if text[close + 1 : following if following != -1 else end].strip():
                return []  # text after a closing quote: not a CSV line
            if following == -1:
                return cells
            position = following + 1
        else:
            following = text.find(delimiter, position, end)
            cells.append(_trimmed(text, position, following if following != -1 else end))
            if following == -1:
                return cells
            position = following + 1


def _split_plain(text: str, start: int, end: int, delimiter: str) -> list[tuple[int, int]]:
    parts: list[tuple[int, int]] = []
    cell = start
    for piece in text[start:end].split(delimiter):
        parts.append((cell, cell + len(piece)))
        cell += len(piece) + 1
    return parts


def _is_rule(text: str, start: int, end: int) -> bool:
    """A markdown table's rule line: ``|---|:--:|``."""
    line = text[start:end].strip()
    return "-" in line and line.startswith("|") and not line.strip("|-: \t")


def _column_kinds(
    text: str, header: list[tuple[int, int]], seen: dict[str, str | None]
) -> list[str | None] | None:
    """Each column's kind when ``header`` is a header row naming at least one type: two
    cells or more, each a short label (one may be empty); else None."""
    if len(header) < 2:
        return None
    empty = sum(1 for a, b in header if a == b)
    if empty > 1 or len(header) - empty < 2:
        return None
    if any(a != b and _HEADER_CELL.fullmatch(text, a, b) is None for a, b in header):
        return None
    kinds: list[str | None] = []
    for a, b in header:
        cell = text[a:b]
        if cell not in seen:
            seen[cell] = key_kind(cell) if cell else None
        kinds.append(seen[cell])
    # A bare "Name" column is a person's only in a table about people: another column
    # names a type or a way to reach someone ("| Name | Price |" lists products).
    vocabulary = _vocabulary()
    words = [" ".join(_key_words(text[a:b])) for a, b in header]
    bare = [i for i, w in enumerate(words) if w in vocabulary.name_heads]
    if bare and not any(
        (kinds[i] is not None or words[i] in vocabulary.contact_columns)
        for i in range(len(header))
        if i not in bare
    ):
        for i in bare:
            kinds[i] = None
    return kinds if any(kinds) else None
