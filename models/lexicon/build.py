"""Build the common-word lists of ``models/lexicon/`` from spaCy's lookup tables.

Run at build time only, never at run time (the lists are committed and shipped in the
wheel; ``spacy-lookups-data`` is not a dependency of the library):

    pip download --no-deps spacy-lookups-data==1.0.5 -d /tmp/sld
    python -m models.lexicon.build /tmp/sld/spacy_lookups_data-1.0.5-py2.py3-none-any.whl

Source: the PyPI package ``spacy-lookups-data`` 1.0.5 (MIT licence, Explosion AI). It has
word-probability tables (``<lang>_lexeme_prob``: a million word forms each, with the case
they were written in) for English, German and Spanish, and lemma tables (every inflected
form of a dictionary word) for all six languages. What is kept, per language:

* a form of the language's dictionary (its lemma table: keys and lemmas), made of letters,
  at least two of them;
* ranked by how often it is written: the language's own probability table for en, de, es;
  for fr, it and nl (no table of their own) the highest probability the form has in the
  en, de and es tables, which hold much foreign text — a rough ranking, but one that puts
  ``appelez`` far above ``gémîtes``; forms that appear in none of them are left out;
* the ``LIMIT`` most frequent;
* for fr, it and nl, also the rest of the dictionary's forms (the *rare* block): most of
  their words are in none of the three tables (``richiesti``, ``geldig``, ``actuellement``),
  so a ranking keeps too few of them; a dictionary form that no table knows is taken for a
  plain word;
* minus likely proper nouns: a word that the en or es table (or, for a word German writes
  in lower case, the de table) holds more often capitalised than in lower case is a name
  or a place somewhere ("john", "paris", "koch", "müller", "pierre"); it is left out.

A word whose capitalised form is common too ("mark", "grace", "hope": within ``_PLAIN`` of
its lower-case form) is not *plain*: capitalised, it may be a name even where a sentence
starts. Each list is ``<lang>.txt.gz``, gzip-compressed UTF-8 text of four blocks separated
by an empty line, each a sorted, space-separated list of case-folded words: the plain words,
the other words, (German only) the nouns, and (fr, it, nl only) the rare plain words.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "fr", "de", "es", "it", "nl")
PROB_LANGUAGES = ("en", "de", "es")
# Words kept per language: enough for chat's vocabulary, small enough to ship (~50 KB each).
LIMIT = 60_000
_WORD = re.compile(r"[^\W\d_]{2,}")


def _table(wheel: zipfile.ZipFile, name: str) -> dict[str, object]:
    with wheel.open(f"spacy_lookups_data/data/{name}.json.gz") as raw:
        data = json.loads(gzip.decompress(raw.read()))
    assert isinstance(data, dict)
    return data


def _dictionary(lemmas: dict[str, object]) -> set[str]:
    words: set[str] = set()
    for form, lemma in lemmas.items():
        for word in (form, *(lemma if isinstance(lemma, list) else [lemma])):
            if isinstance(word, str) and _WORD.fullmatch(word):
                words.add(word)
    return words


def _more_often_capitalised(word: str, probs: dict[str, float], margin: float) -> bool:
    """Whether ``probs`` holds ``word`` capitalised more often than in lower case, by more
    than ``margin`` (natural-log units): a name or a place somewhere."""
    lower = probs.get(word.lower())
    title = probs.get(word[:1].upper() + word[1:].lower())
    return title is not None and (lower is None or title > lower + margin)


def _english_dictionary(wheel: zipfile.ZipFile, probs: dict[str, float]) -> set[str]:
    """English lemmas (the lemma index, lookup and exceptions) and their regular
    inflections (-s, -es, -ies, -ed, -d, -ing) as found in the probability table."""
    lemmas: set[str] = set()
    for words in _table(wheel, "en_lemma_index").values():
        assert isinstance(words, list)
        lemmas.update(w for w in words if _WORD.fullmatch(w))
    lemmas |= _dictionary(_table(wheel, "en_lemma_lookup"))
    for forms in _table(wheel, "en_lemma_exc").values():
        assert isinstance(forms, dict)
        lemmas |= _dictionary(dict(forms))
    found = set(lemmas)
    for word in probs:
        if not word.islower() or not _WORD.fullmatch(word):
            continue
        for suffix, replacement in _EN_SUFFIXES:
            if word.endswith(suffix) and word[: -len(suffix)] + replacement in lemmas:
                found.add(word)
                break
    return found


_EN_SUFFIXES = (
    ("ies", "y"),
    ("ied", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("d", ""),
    ("ing", ""),
    ("ing", "e"),
)
# A German noun whose most frequent form appears in English or Spanish text at least this
# close (natural-log units) to its frequency in German is a name that travels ("Müller",
# "Koch", "Fischer", "Berlin"), not an ordinary noun ("Kreditkarte", "Passwort").
_TRAVEL = 5.0


# A word its own language's table holds capitalised more than e (~2.7) times as often as
# in lower case is a name or a place; within that, sentence starts explain the capitals
# ("Agreed.", "Gracias", "Tengo que ...").
_OWN_MARGIN = 1.0


def _is_name(lang: str, word: str, noun: bool, probs: dict[str, dict[str, float]]) -> bool:
    """Whether ``word`` of ``lang`` is likely a proper noun (see the module's docstring)."""
    if noun:  # German writes every noun capitalised: compare languages, not cases
        home = probs["de"].get(word)
        abroad = max((probs[o].get(word, -99.0) for o in ("en", "es")), default=-99.0)
        return home is None or abroad > home - _TRAVEL
    judges: list[tuple[dict[str, float], float]] = {
        "en": [(probs["en"], _OWN_MARGIN)],
        "es": [(probs["es"], _OWN_MARGIN), (probs["en"], 1.0)],
        "de": [(probs["de"], _OWN_MARGIN), (probs["en"], 1.0)],
    }.get(lang, [(probs["en"], 1.0), (probs["es"], 1.0)])
    return any(_more_often_capitalised(word, table, margin) for table, margin in judges)


def _german_words(probs: dict[str, dict[str, float]]) -> set[str]:
    """German's candidates: its probability table's words (its lemma table lacks many
    nouns: "Kreditkarte", "Passwort"), nouns capitalised; a capitalised form whose lower
    case is more frequent starts a sentence ("Jedoch") and is not a noun."""
    german = probs["de"]
    words: set[str] = set()
    for word, prob in german.items():
        if not _WORD.fullmatch(word):
            continue
        if word.islower() or (word[1:].islower() and german.get(word.lower(), -99.0) < prob):
            words.add(word)
    return words


# A word whose capitalised form is at least this rare next to its lower-case form (natural
# log units, ~12x) is plain: capitalised, it starts a sentence, it does not name someone.
_PLAIN = 2.5


def _plain(lang: str, word: str, probs: dict[str, dict[str, float]]) -> bool:
    """Whether ``word`` is written capitalised only where a sentence starts ("Start",
    "Strong"), unlike "Mark", "Grace" or "Young" (see ``_PLAIN``)."""
    tables = [probs[lang]] if lang in PROB_LANGUAGES else [probs["en"], probs["es"]]
    title = word[:1].upper() + word[1:]
    for table in tables:
        lower = table.get(word)
        if lower is None:
            continue
        if table.get(title, -99.0) > lower - _PLAIN:
            return False
    return True


def build(wheel_path: Path) -> dict[str, list[str]]:
    """Each language's four blocks (see the module's docstring)."""
    with zipfile.ZipFile(wheel_path) as wheel:
        probs = {lang: _table(wheel, f"{lang}_lexeme_prob") for lang in PROB_LANGUAGES}
        lists: dict[str, list[str]] = {}
        for lang in LANGUAGES:
            if lang == "en":
                words = _english_dictionary(wheel, probs["en"])
            elif lang == "de":
                words = _german_words(probs)
            else:
                words = _dictionary(_table(wheel, f"{lang}_lemma_lookup"))
            # German keeps LIMIT nouns and LIMIT other words; the others LIMIT words.
            ranked: dict[bool, list[tuple[float, str]]] = {False: [], True: []}
            rare: set[str] = set()
            for word in words:
                noun = lang == "de" and word[0].isupper() and word[1:] == word[1:].lower()
                if word != word.lower() and not noun:
                    continue  # acronyms, and capitalised entries of the other languages
                if lang in PROB_LANGUAGES:
                    score = probs[lang].get(word)
                else:
                    found = [p[word] for p in probs.values() if word in p]
                    score = max(found) if found else None
                if score is None:
                    if lang not in PROB_LANGUAGES:
                        rare.add(word)
                    continue
                if _is_name(lang, word, noun, probs):
                    continue
                ranked[noun].append((score, word))

            def noun_form(word: str, lang: str = lang) -> bool:
                return lang == "de" and word[0].isupper()

            kept: set[str] = set()
            for group in ranked.values():
                group.sort(key=lambda item: (-item[0], item[1]))
                kept.update(word for _, word in group[:LIMIT])
                if lang not in PROB_LANGUAGES:
                    rare.update(word for _, word in group[LIMIT:] if _plain(lang, word, probs))
            # Four blocks, case-folded as the detector compares words: plain words,
            # other words, German nouns, rare plain words.
            blocks: tuple[list[str], list[str], list[str], list[str]] = ([], [], [], [])
            for word in kept:
                block = 2 if noun_form(word) else 0 if _plain(lang, word, probs) else 1
                blocks[block].append(word.casefold())
            blocks[3].extend(word.casefold() for word in rare)
            lists[lang] = [" ".join(sorted(set(block))) for block in blocks]
    return lists


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    for lang, blocks in build(Path(argv[0])).items():
        data = ("\n\n".join(blocks) + "\n").encode("utf-8")
        target = HERE / f"{lang}.txt.gz"
        # mtime=0: the same input gives the same bytes.
        target.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        count = sum(len(block.split()) for block in blocks)
        print(f"{lang}: {count} words, {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
