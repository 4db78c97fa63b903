"""The placeholder grammar (SPEC §2, §5).

Canonical forms written by the library:

* mask:   ``<ENTITY_N>``         e.g. ``<EMAIL_ADDRESS_1>`` (N from 1, no leading zero)
* redact: ``<ENTITY_REDACTED>``  e.g. ``<US_SSN_REDACTED>``
* hash:   ``<ENTITY#hhhhhhhh>``  e.g. ``<PERSON#3f2a9c01>``

Models rewrite placeholders; :func:`variant_pattern` matches the forms unmasking tolerates:
any case, ``<>``/``[]``/``{}`` or no brackets (then as a whole word), and ``-`` or a space
for ``_``. It never matches a prefix of a longer number: ``<PERSON_12>`` is not ``<PERSON_1>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pii_mapper.entities import CATALOGUE

__all__ = [
    "BRACKET_PAIRS",
    "MAX_NUMBER_DIGITS",
    "format_placeholder",
    "hash_marker",
    "longest_form",
    "parse_placeholder",
    "redaction_marker",
    "variant_pattern",
]

# Placeholder numbers have at most this many digits (a conversation never needs 10**9).
MAX_NUMBER_DIGITS = 9

_CANONICAL = re.compile(r"<([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)_([1-9][0-9]{0,8})>")

# Brackets a model may put around a placeholder: opener -> closer. They belong to the
# placeholder only when they pair up; a lone bracket stays in the text.
BRACKET_PAIRS = {"<": ">", "[": "]", "{": "}"}


def format_placeholder(entity: str, number: int) -> str:
    return f"<{entity}_{number}>"


def redaction_marker(entity: str) -> str:
    return f"<{entity}_REDACTED>"


def hash_marker(entity: str, digest: str) -> str:
    return f"<{entity}#{digest}>"


def parse_placeholder(text: str) -> tuple[str, int] | None:
    """``(entity, number)`` if ``text`` is exactly a canonical placeholder of a known type."""
    match = _CANONICAL.fullmatch(text)
    if match is None or match.group(1) not in CATALOGUE:
        return None
    return match.group(1), int(match.group(2))


def _entity_alternative(entity: str) -> str:
    # "EMAIL_ADDRESS" -> "EMAIL[_\- ]ADDRESS"; case is handled by the IGNORECASE flag.
    return r"[_\- ]".join(re.escape(word) for word in entity.split("_"))


@lru_cache(maxsize=64)
def variant_pattern(entities: frozenset[str]) -> re.Pattern[str]:
    """The tolerant placeholder pattern for ``entities`` (SPEC §5).

    Groups: ``open`` (an opening bracket or None), ``entity`` (as written), ``number``,
    ``close`` (a closing bracket or None); see :data:`BRACKET_PAIRS`. The entity and number
    stand as a whole word: no letter, digit or ``_`` touches them.
    """
    names = "|".join(_entity_alternative(e) for e in sorted(entities, key=lambda e: (-len(e), e)))
    return re.compile(
        r"(?P<open>[<\[{])?(?<!\w)"
        rf"(?P<entity>{names})[_\- ](?P<number>[0-9]{{1,{MAX_NUMBER_DIGITS}}})"
        r"(?!\w)(?P<close>[>\]}])?",
        re.IGNORECASE,
    )


def longest_form(entities: Iterable[str]) -> int:
    """The length of the longest text :func:`variant_pattern` can match, plus the one
    character of look-ahead that decides a match: what a stream must hold back."""
    longest_name = max((len(e) for e in entities), default=0)
    return longest_name + 1 + MAX_NUMBER_DIGITS + 2 + 1
