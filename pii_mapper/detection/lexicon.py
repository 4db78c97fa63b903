"""Ordinary words of the six languages the detector reads, to tell them from names.

The lists are data, ``models/lexicon/<lang>.txt.gz`` (shipped in the wheel as
``pii_mapper/models/lexicon/``), built once by ``models/lexicon/build.py`` from the lookup
tables of the ``spacy-lookups-data`` package (MIT): the most frequent words of each
language's dictionary, less those that are names or places somewhere (``john``, ``paris``,
``müller``). German nouns are listed capitalised, as German writes them; a word whose
capitalised form is common too (``mark``, ``grace``) is marked with a trailing ``*``.

Each list is read on first use, once per process (about 20,000 words, a few
milliseconds); nothing is downloaded.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache

from pii_mapper._data import model_file
from pii_mapper.errors import DetectionError

__all__ = ["Lexicon", "NrpCues", "lexicon", "nrp_cues"]


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
        lines = gzip.decompress(model_file(name).read_bytes()).decode("utf-8").split()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DetectionError(f"cannot read the word list models/{name}: {exc}") from None
    words: set[str] = set()
    plain: set[str] = set()
    nouns: set[str] = set()
    for line in lines:
        word = line.removesuffix("*")
        folded = word.casefold()
        words.add(folded)
        if word[:1].isupper():
            nouns.add(folded)
        elif word == line:
            plain.add(folded)
    return Lexicon(frozenset(words), frozenset(plain), frozenset(nouns))


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
