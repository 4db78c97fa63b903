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
from dataclasses import dataclass
from functools import lru_cache

from pii_mapper._data import model_file
from pii_mapper.errors import DetectionError

__all__ = ["Lexicon", "lexicon"]


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
