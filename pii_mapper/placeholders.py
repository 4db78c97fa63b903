"""The placeholder grammar, in one place.

Canonical forms written by the library:

* mask:   ``<ENTITY_N>``         e.g. ``<EMAIL_ADDRESS_1>`` (N from 1, no leading zero)
* redact: ``<ENTITY_REDACTED>``  e.g. ``<US_SSN_REDACTED>``
* hash:   ``<ENTITY#hhhhhhhh>``  e.g. ``<PERSON#3f2a9c01>``

This module formats and parses them, finds the library's own markers in a text
(:func:`marker_regions`), and names the entity of a placeholder (:func:`placeholder_entity`).

Models rewrite placeholders. A *variant form* is what a model may write for ``<ENTITY_N>``:
the entity name in any case, each ``_`` (and the one before the number) written as ``_``,
``-`` or a space (:data:`SEPARATORS`), then the number; around it ``<>``, ``[]``, ``{}`` or no
brackets (:data:`BRACKET_PAIRS`). The name and number stand as a whole word (no letter, digit
or ``_`` touches them), so ``<PERSON_12>`` is never ``<PERSON_1>``. :func:`variant_pattern`
matches the forms of some entity types; :func:`reversed_forms` is the fast scanner that
unmasking reads them with (ASCII case only); :func:`fold_form` turns a form back into its
canonical key. Nothing else in the package spells this grammar.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from pii_mapper.entities import CATALOGUE, Catalogue, active_catalogue

__all__ = [
    "BRACKET_PAIRS",
    "MAX_NUMBER_DIGITS",
    "SEPARATORS",
    "bracketed",
    "find_markers",
    "fold_form",
    "form_ends",
    "format_placeholder",
    "hash_marker",
    "longest_form",
    "marker_regions",
    "name_spellings",
    "parse_placeholder",
    "placeholder_entity",
    "placeholder_forms",
    "redaction_marker",
    "reversed_forms",
    "unbracketed",
    "variant_pattern",
]

# Placeholder numbers have at most this many digits (a conversation never needs 10**9).
MAX_NUMBER_DIGITS = 9

# An entity name as the library writes it, and a placeholder number (no leading zero).
_NAME = r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*"
_NUMBER = rf"[1-9][0-9]{{0,{MAX_NUMBER_DIGITS - 1}}}"
_REDACTED = "_REDACTED"
_HASH_DIGITS = 8

_CANONICAL = re.compile(rf"<({_NAME})_({_NUMBER})>")
# Text the library itself writes: canonical placeholders, redaction and hash markers.
_MARKER = re.compile(
    rf"<(?P<entity>{_NAME})(?:_(?P<number>{_NUMBER})|{_REDACTED}|#[0-9a-f]{{{_HASH_DIGITS}}})>"
)

# Brackets a model may put around a placeholder: opener -> closer. They belong to the
# placeholder only when they pair up; a lone bracket stays in the text.
BRACKET_PAIRS = {"<": ">", "[": "]", "{": "}"}
# What a model may write for each "_" of a placeholder.
SEPARATORS = "_- "
_SEPARATOR = r"[_\- ]"


def format_placeholder(entity: str, number: int) -> str:
    return f"<{entity}_{number}>"


def redaction_marker(entity: str) -> str:
    return f"<{entity}{_REDACTED}>"


def hash_marker(entity: str, digest: str) -> str:
    return f"<{entity}#{digest}>"


def parse_placeholder(text: str) -> tuple[str, int] | None:
    """``(entity, number)`` if ``text`` is exactly a canonical placeholder of a known type."""
    match = _CANONICAL.fullmatch(text)
    if match is None or match.group(1) not in active_catalogue().specs:
        return None
    return match.group(1), int(match.group(2))


def placeholder_entity(placeholder: str) -> str:
    """The entity type of a canonical placeholder, with or without its brackets:
    ``<EMAIL_ADDRESS_1>`` and ``EMAIL_ADDRESS_1`` are both ``EMAIL_ADDRESS``."""
    return unbracketed(placeholder).rpartition("_")[0]


def unbracketed(placeholder: str) -> str:
    """``<PERSON_1>`` -> ``PERSON_1``: the key unmasking indexes a placeholder by."""
    return placeholder.removeprefix("<").removesuffix(">")


def bracketed(key: str) -> str:
    """``PERSON_1`` -> ``<PERSON_1>``: the inverse of :func:`unbracketed`."""
    return f"<{key}>"


def find_markers(text: str) -> Iterator[re.Match[str]]:
    """The library's own markers in ``text``, in order: canonical placeholders (group
    ``number`` set), redaction and hash markers (``number`` None); group ``entity``."""
    if "<" not in text:
        return iter(())
    return _MARKER.finditer(text)


def marker_regions(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds markers of the library's own making (never PII themselves)."""
    return [match.span() for match in find_markers(text)]


# --- variant forms -------------------------------------------------------------------------


def _entity_alternative(entity: str) -> str:
    # "EMAIL_ADDRESS" -> "EMAIL[_\- ]ADDRESS"; case is handled by the IGNORECASE flag.
    return _SEPARATOR.join(re.escape(word) for word in entity.split("_"))


@lru_cache(maxsize=64)
def variant_pattern(entities: frozenset[str]) -> re.Pattern[str]:
    """The tolerant placeholder pattern for ``entities``.

    Groups: ``open`` (an opening bracket or None), ``entity`` (as written), ``number``,
    ``close`` (a closing bracket or None); see :data:`BRACKET_PAIRS`. The entity and number
    stand as a whole word: no letter, digit or ``_`` touches them.
    """
    names = "|".join(_entity_alternative(e) for e in sorted(entities, key=lambda e: (-len(e), e)))
    return re.compile(
        r"(?P<open>[<\[{])?(?<!\w)"
        rf"(?P<entity>{names}){_SEPARATOR}(?P<number>[0-9]{{1,{MAX_NUMBER_DIGITS}}})"
        r"(?!\w)(?P<close>[>\]}])?",
        re.IGNORECASE,
    )


def longest_form(entities: Iterable[str]) -> int:
    """The length of the longest text :func:`variant_pattern` can match, plus the one
    character of look-ahead that decides a match: what a stream must hold back."""
    longest_name = max((len(e) for e in entities), default=0)
    return longest_name + 1 + MAX_NUMBER_DIGITS + 2 + 1


def name_spellings(entity: str) -> list[str]:
    """``entity`` and the separator after it, as a stream may meet them (upper case):
    ``"US_SSN"`` -> ``["US_SSN_", "US_SSN-", "US_SSN ", "US-SSN_", ...]``."""
    spellings = [""]
    for word in entity.split("_"):
        spellings = [s + word + sep for s in spellings for sep in SEPARATORS]
    return spellings


@lru_cache(maxsize=64)
def form_ends(entities: frozenset[str]) -> re.Pattern[str]:
    """Matches where a form of one of ``entities`` ends: its name's last word, a separator
    and a digit (a quick test; the scanner decides)."""
    last_words = sorted({entity.rpartition("_")[2] for entity in entities})
    return re.compile(rf"(?:{'|'.join(last_words)}){_SEPARATOR}[0-9]", re.IGNORECASE)


# ASCII lower case -> upper case, '-' and ' ' -> '_'.
_FOLD = str.maketrans("abcdefghijklmnopqrstuvwxyz- ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ__")


def fold_form(form: str) -> str:
    """A variant form without brackets, as its canonical key: ``person-1`` -> ``PERSON_1``."""
    return form.translate(_FOLD)


def _reversed_name(entity: str) -> str:
    # "EMAIL_ADDRESS" -> "[Ss][Ss][Ee]...[_\- ]...[Ee]": the name backwards, any ASCII case.
    return "".join(f"[{c}{c.lower()}]" if c.isalpha() else _SEPARATOR for c in reversed(entity))


# The forms, matched in the REVERSED text with every digit written as 0: a number (backwards)
# standing as a word end, a separator, a name (backwards, longest first) standing as a word
# start. So the pattern starts with a literal, which the regex engine skips to at memchr speed
# (a character class it tests one character at a time, ~20x slower; the forward pattern would
# be tried at every letter). Entity names hold no digit, so forms never overlap: both
# directions find the same forms.
@lru_cache(maxsize=64)
def _reversed_form(entities: tuple[str, ...]) -> re.Pattern[str]:
    longest_first = sorted(entities, key=lambda e: (-len(e), e))
    return re.compile(
        rf"0(?<!\w0)0{{0,{MAX_NUMBER_DIGITS - 1}}}{_SEPARATOR}"
        rf"({'|'.join(_reversed_name(e) for e in longest_first)})"
        r"(?!\w)"
    )


@lru_cache(maxsize=64)
def _catalogue_form(catalogue: Catalogue) -> re.Pattern[str]:
    # Keyed by the catalogue object (an identity hash, cheaper per call than the names).
    return _reversed_form(catalogue.names)


# The built-in catalogue's scanner, compiled at import; a mapper with custom entity types
# compiles its own on first use (cached by the tuple of names, not by any text).
_reversed_form(tuple(CATALOGUE))
_NONZERO_DIGITS = "123456789"


def reversed_forms(text: str, cut: int) -> list[re.Match[str]]:
    """The variant forms (of any type of the active catalogue, brackets aside) that end at
    ``cut`` or before, as matches in the reversed text, in reversed-text order: a match's ``span()``
    ``(a, b)`` is ``text[len(text) - b : len(text) - a]``. The search starts one character
    after ``cut``: the engine does not look behind where a search starts."""
    folded = text
    for digit in _NONZERO_DIGITS:  # nine C-speed passes that keep every position
        if digit in folded:
            folded = folded.replace(digit, "0")
    if "0" not in folded:
        return []
    size = len(text)
    pattern = _catalogue_form(active_catalogue())
    return list(pattern.finditer(folded[::-1], max(0, size - cut - 1)))


def placeholder_forms(text: str) -> Iterator[tuple[str, int]]:
    """``(entity, number)`` of every placeholder form in ``text`` (any tolerated variant, of
    any catalogue type), as unmasking reads them — the last one first: what masking must not
    number anew."""
    size = len(text)
    for match in reversed_forms(text, size):
        form = fold_form(text[size - match.end() : size - match.start()])
        entity, _, number = form.rpartition("_")
        yield entity, int(number)
