"""Ordinary words of the six languages the detector reads, to tell them from names.

The lists are data, ``models/lexicon/<lang>.txt.gz`` (shipped in the wheel as
``pii_mapper/models/lexicon/``), built once by ``models/lexicon/build.py`` from the lookup
tables of the ``spacy-lookups-data`` package (MIT): the most frequent words of each
language's dictionary, less those that are names or places somewhere (``john``, ``paris``,
``müller``), case-folded: the *plain* words (never capitalised but at a sentence's start),
the others (``mark``, ``grace``: a name as often as a word), German's nouns, and for French,
Italian and Dutch the *rare* forms of their dictionaries, which no frequency table ranks
(``richiesti``, ``geldig``, ``supprimée``), taken as plain words. English's plain words
also take ``models/lexicon/jargon.txt``, words of work chat written by hand that the
dictionaries leave out (``backend``, ``webinar``); English's list counts in every language.

Each language's list is read on first use, once per process: 60,000 words (120,000 for
German) as sets, tens of milliseconds each; French, Italian and Dutch add 220,000 to
340,000 rare forms, kept as a sorted array of 32-bit hashes (about 1.3 MB each, 0.2-0.35 s to
load). A hash may collide: about one word in 12,000 not in the list is taken for a rare
one. Nothing is downloaded.
"""

from __future__ import annotations

import gzip
import json
import zlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from pii_mapper._data import model_file
from pii_mapper.errors import DetectionError
from pii_mapper.language import SUPPORTED_LANGUAGES

__all__ = [
    "Lexicon",
    "NrpCues",
    "is_jargon",
    "is_plain",
    "is_plain_anywhere",
    "lexicon",
    "nrp_cues",
]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One language's ordinary words, case-folded."""

    words: frozenset[str]  # the ranked words: plain, other and nouns
    plain: frozenset[str]  # ranked words never capitalised but at a sentence's start
    nouns: frozenset[str]  # German: nouns (written capitalised in German)
    rare: _Hashes  # fr, it, nl: the dictionary's unranked forms, all plain

    def knows(self, folded: str) -> bool:
        """Whether the case-folded ``folded`` is a word of the language."""
        return folded in self.words or folded in self.rare

    def knows_plain(self, folded: str) -> bool:
        """Whether the case-folded ``folded`` is a word never used as a name."""
        return folded in self.plain or folded in self.rare


class _Hashes:
    """A set of words held as the sorted CRC-32 of their UTF-8 bytes: a tenth of a set's
    memory, at the price of rare collisions (see the module's docstring)."""

    __slots__ = ("_keys",)

    def __init__(self, words: list[str]) -> None:
        self._keys = array("I", sorted({zlib.crc32(w.encode("utf-8")) for w in words}))

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = zlib.crc32(word.encode("utf-8"))
        i = bisect_left(self._keys, key)
        return i < len(self._keys) and self._keys[i] == key

    def __len__(self) -> int:
        return len(self._keys)


@lru_cache(maxsize=8)
def lexicon(language: str) -> Lexicon:
    """The ordinary words of ``language`` (``en``, ``fr``, ``de``, ``es``, ``it``, ``nl``)."""
    name = f"lexicon/{language}.txt.gz"
    try:
        text = gzip.decompress(model_file(name).read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DetectionError(f"cannot read the word list models/{name}: {exc}") from None
    blocks = text.split("\n\n")
    if len(blocks) != 4:
        raise DetectionError(f"the word list models/{name} must hold four blocks")
    plain, other, nouns = (frozenset(block.split()) for block in blocks[:3])
    if language == "en":
        plain |= _jargon()  # English's list speaks for every language (see is_plain)
    return Lexicon(plain | other | nouns, plain, nouns, _Hashes(blocks[3].split()))


def is_jargon(word: str) -> bool:
    """Whether ``word`` is one of the hand-written words of work chat (a tool, a technical
    word: ``HubSpot``, ``backend``), which no one is named."""
    return word.casefold() in _jargon()


@lru_cache(maxsize=1)
def _jargon() -> frozenset[str]:
    """The hand-written words of work chat that the dictionaries leave out
    (``models/lexicon/jargon.txt``: "backend", "webinar", "payslip")."""
    try:
        text = model_file(_JARGON_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DetectionError(f"cannot read models/{_JARGON_NAME}: {exc}") from None
    return frozenset(
        word.casefold() for line in text.splitlines() for word in line.partition("#")[0].split()
    )


def is_plain(word: str, language: str) -> bool:
    """Whether ``word`` is a word never used as a name in ``language`` or in English (chat
    mixes English in)."""
    folded = word.casefold()
    return lexicon(language).knows_plain(folded) or folded in lexicon("en").plain


def is_plain_anywhere(word: str) -> bool:
    """Whether ``word`` is a plain word (:func:`is_plain`) of any of the six languages: what a
    text in capitals or a short line says, whose language cannot be told."""
    return any(is_plain(word, language) for language in SUPPORTED_LANGUAGES)


@dataclass(frozen=True, slots=True)
class NrpCues:
    """When a nationality or language word is not said of a person (``models/lexicon/nrp.json``)."""

    things: frozenset[str]  # "format", "payroll": nouns that such an adjective describes
    language_cues: frozenset[str]  # "in", "auf", "en": words before a language's name


@lru_cache(maxsize=8)
def nrp_cues(language: str) -> NrpCues:
    """The cues of ``language`` (English's are part of every language's: chat mixes it in)."""
    try:
        data = json.loads(model_file(_NRP_NAME).read_text(encoding="utf-8"))
        things = {str(w).casefold() for lang in {language, "en"} for w in data["things"][lang]}
        cues = {str(w).casefold() for w in data["language_cues"][language]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DetectionError(f"cannot read models/{_NRP_NAME}: {exc!r}") from None
    return NrpCues(frozenset(things), frozenset(cues))


_NRP_NAME = "lexicon/nrp.json"
_JARGON_NAME = "lexicon/jargon.txt"
