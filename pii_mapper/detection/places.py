"""Cities and towns named alone, in any case: "the Valladolid numbers", "stuck outside
swindon", "taxi Schiphol → Hoofddorp".

The NER model finds a place by its context ("I live in …", an address); a chat names a
town with little or none ("trajet Bordeaux - Nantes", "dank @jesse, de cijfers van Zwolle"),
and lower-case chat gives it no capital either. :class:`CityRecognizer` finds the names of
``models/cities.txt``, a list written for this project: the larger towns of the six
languages' countries and their neighbours, capitals and large cities of the world, and the
airports and stations a chat names, in the spellings of the six languages.

A name counts in any case ("swindon", "AMERSFOORT"), except:

* a name marked ``*`` in the list, which is also a common word (``Nice``, ``Essen``,
  ``Tours``, ``Como``, ``Leiden``, ``Porto``) or made of common words (``La Défense``,
  ``Le Cap``): only written exactly as listed, and a one-word one not at the start of a
  sentence or line ("Nice to meet you" is no place, "back from Nice" is);
* a name inside a token: a domain, a path, an e-mail address, a user name, a hashtag, a
  hyphenated word (``paris.fr``, ``/berlin/``, ``lyon@…``, ``#london``, ``Leipzig-Post``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from pii_mapper._data import model_file
from pii_mapper.detection import Detection
from pii_mapper.errors import DetectionError

__all__ = ["CITY_SCORE", "NAME_WORD", "CityRecognizer", "city_names"]

# A listed name is evidence of a place, weaker than the NER's reading of a context (0.85):
# where the NER calls the same words a person or an organisation, the NER's span and type
# are kept; and below the detector's "confident pattern" (0.5), so a listed name inside an
# NER span ("Sparkasse Hannover") never cuts that span. Above the default threshold (0.4).
CITY_SCORE = 0.45
_NAME = "cities.txt"
_APOSTROPHES = "'\u2019"
# A word of a name: letters, apostrophes and hyphens inside ("Saint-Étienne", "L'Aquila").
NAME_WORD = re.compile(rf"[^\W\d_]+(?:[{_APOSTROPHES}\-][^\W\d_]+)*")
# Elided articles and prepositions glued to a name ("d'Amsterdam"); "L'Aquila" is listed.
_ELISION = re.compile(rf"[dlDL][{_APOSTROPHES}](?=[^\W\d_])")
# Characters that make a name part of a larger token when they touch it.
_GLUE_BEFORE = frozenset("@/\\._-#=&+~:")
_GLUE_AFTER = frozenset("@/\\_-=&+~")
# What may end a sentence before a word (a one-word name marked "*" is no name there).
_SENTENCE_END = frozenset(".!?:;\n\u2026")
_OPENERS = frozenset(" \t\"'«(\u201c\u2018")


@dataclass(frozen=True, slots=True)
class _Listed:
    """One spelling of a listed name: as written in the list, and whether it counts only
    written exactly so (marked ``*``)."""

    written: str
    exact: bool


@dataclass(frozen=True, slots=True)
class _Names:
    """The listed spellings by their first word in lower case, longest first."""

    by_first_word: dict[str, tuple[_Listed, ...]]


class CityRecognizer:
    """Listed city, town, airport and station names (``models/cities.txt``), as LOCATION."""

    name = "CityRecognizer"
    entity = "LOCATION"

    def find(self, text: str) -> Iterator[Detection]:
        listed = city_names().by_first_word
        covered = 0  # the end of the last name found: "York" of "New York" is not another
        for word in NAME_WORD.finditer(text):
            start = word.start()
            if start < covered:
                continue
            first = word.group().lower()
            if first not in listed:
                # "d'Amsterdam": the name after an elided article or preposition.
                if _ELISION.match(first) is None or first[2:] not in listed:
                    continue
                start, first = start + 2, first[2:]
            end = _listed_at(text, start, listed[first])
            if end is not None:
                yield Detection(start, end, self.entity, CITY_SCORE, self.name)
                covered = end


def _listed_at(text: str, start: int, spellings: tuple[_Listed, ...]) -> int | None:
    """The end of the longest of ``spellings`` (listed names that begin with the word at
    ``start``) that the text writes there as a name, if any."""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in _GLUE_BEFORE):
        return None
    for listed in spellings:
        end = start + len(listed.written)
        written = text[start:end]
        if written.lower() != listed.written.lower() or not _stands_alone(text, end):
            continue
        if not listed.exact:
            return end
        if written == listed.written and (" " in written or not _starts_sentence(text, start)):
            return end
    return None


def _stands_alone(text: str, end: int) -> bool:
    """Whether nothing glues the name ending at ``end`` to a larger token."""
    if end == len(text):
        return True
    after = text[end]
    if after.isalnum() or after in _GLUE_AFTER:
        return False
    return not (after == "." and end + 1 < len(text) and text[end + 1].isalnum())


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` is the first of the text, a line or a sentence."""
    index = start - 1
    while index >= 0 and text[index] in _OPENERS:  # spaces, quotes, brackets before it
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


@lru_cache(maxsize=1)
def city_names() -> _Names:
    """The names of ``models/cities.txt``, read once per process."""
    try:
        text = model_file(_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DetectionError(f"cannot read models/{_NAME}: {exc}") from None
    by_first_word: dict[str, dict[str, _Listed]] = {}
    for line in text.splitlines():
        for item in line.partition("#")[0].split("|"):
            spelling = item.strip()
            if not spelling:
                continue
            exact = spelling.endswith("*")
            spelling = spelling.removesuffix("*").lstrip(_APOSTROPHES)
            first = NAME_WORD.match(spelling)
            if first is None:
                raise DetectionError(f"models/{_NAME}: {spelling!r} does not start with a letter")
            group = by_first_word.setdefault(first.group().lower(), {})
            known = group.get(spelling.lower())
            # A spelling listed twice counts as freely as its freer listing.
            group[spelling.lower()] = _Listed(spelling, exact and (known is None or known.exact))
    return _Names(
        {
            word: tuple(sorted(group.values(), key=lambda n: len(n.written), reverse=True))
            for word, group in by_first_word.items()
        }
    )
