"""Ordinary words of the six languages the detector reads, to tell them from names.

The lists are data, ``models/lexicon/<lang>.txt.gz`` (shipped in the wheel as
``pii_mapper/models/lexicon/``), built once by ``models/lexicon/build.py`` from the lookup
tables of the ``spacy-lookups-data`` package (MIT): the most frequent words of each
language's dictionary, less those that are names or places somewhere (``john``, ``paris``,
``müller``), case-folded: the *plain* words (never capitalised but at a sentence's start),
the others (``mark``, ``grace``: a name as often as a word), and German's nouns.

Each language's list is read on first use, once per process (20,000 words, 40,000 for
German; a few milliseconds each); nothing is downloaded.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache

from pii_mapper._data import model_file
from pii_mapper.errors import DetectionError

__all__ = ["Lexicon", "NrpCues", "is_plain", "lexicon", "nrp_cues"]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One language's ordinary words, case-folded."""

    words: frozenset[str]  # every listed word
    plain: frozenset[str]  # words never capitalised but at a sentence's start
    nouns: frozenset[str]  # German: nouns (written capitalised in German)


@lru_cache(maxsize=8)
def lexicon(language: str) -> Lexicon:
    """The ordinary words of ``language`` (``en``, ``fr``, ``de``, ``es``, ``it``, ``nl``)."""
    name = f"lexicon/{language}.txt.gz"
    try:
        text = gzip.decompress(model_file(name).read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DetectionError(f"cannot read the word list models/{name}: {exc}") from None
    blocks = text.split("\n\n")
    if len(blocks) != 3:
        raise DetectionError(f"the word list models/{name} must hold three blocks")
    plain, other, nouns = (frozenset(block.split()) for block in blocks)
    return Lexicon(plain | other | nouns, plain, nouns)


def is_plain(word: str, language: str) -> bool:
    """Whether ``word`` is a word never used as a name in ``language`` or in English (chat
    mixes English in)."""
    folded = word.casefold()
    return folded in lexicon(language).plain or folded in lexicon("en").plain


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
