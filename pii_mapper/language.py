"""Which language a message is written in: en, fr, de, es, it or nl.

A message's language decides how its phone numbers, dates and relative time words are
read. When the caller names no language (``X-Auto-Pii-Mapping: language=…``), each message
is identified on its own by a small scorer, offline and in microseconds:

* each word of the message that is one of a language's most frequent short words
  ("the", "le", "der", "el", "il", "het" …) scores 1 for that language, split evenly
  between the languages that share it ("de" is French, Spanish and Dutch);
* letters and letter groups typical of a spelling (é, ß, ñ, ij …) add a little, so that
  "Grüße aus München" or "¿Mañana?" still leans the right way.

Only whole words count, as people write them: a key, a code or an e-mail address lends
none of its fragments to a language. Letters are only counted when the words leave the
question open. Only the first 1,200 characters of a message are read.

The word lists are data, ``models/languages.json``. A message with too little evidence
(``"OK"``, ``"+33 6 12 34 56 78"``) takes the language of the nearest message before it
that has one, else of the nearest after it, else English. A conversation may mix
languages: each message with enough evidence keeps its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pii_mapper._data import model_file
from pii_mapper.errors import DetectionError

__all__ = [
    "DEFAULT_LANGUAGE",
    "SUPPORTED_LANGUAGES",
    "LanguageProfile",
    "NameCues",
    "function_words",
    "identify_language",
    "identify_languages",
    "language_profiles",
]

# The languages detection knows, sorted; ``models/languages.json`` has one entry for each.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("de", "en", "es", "fr", "it", "nl")
DEFAULT_LANGUAGE = "en"

_DATA_NAME = "languages.json"
# Only the start of a long message is read: enough words to tell, and a bound on the time.
_SAMPLE_CHARS = 1200
# A language needs at least this score, and must lead the runner-up, to be named.
_MIN_SCORE = 0.6
# Typical letters count this much per occurrence (at most _MAX_CHAR_HITS occurrences each).
_CHAR_WEIGHT = 0.3
_MAX_CHAR_HITS = 3
# Words as people write them are what is left between spaces once punctuation is gone:
# letters, with apostrophes and hyphens inside. Tokens with digits or symbols (keys, codes,
# e-mail addresses) and overlong runs are not words of any language.
_MAX_WORD_CHARS = 24
_PUNCTUATION_TO_SPACE = str.maketrans(dict.fromkeys('.,;:!?()[]{}"«»“”¿¡…', " ") | {"\u2019": "'"})
# Words alone decide when the leader is this far ahead of the runner-up.
_CLEAR_LEAD = 1.0


@dataclass(frozen=True, slots=True)
class NameCues:
    """Where a message in the language announces a name (``models/languages.json``)."""

    greetings: tuple[str, ...]  # "bonjour", "hallo" … + Name
    introductions: tuple[str, ...]  # "je m'appelle", "ich heiße" … + Name
    signoffs: tuple[str, ...]  # "cordialement", "viele Grüße" … + line break + Name
    particles: tuple[str, ...]  # "de", "van", "von" … inside a name ("Sanne de Vries")
    titles: frozenset[str]  # "madame", "Herr" … before a name: skipped
    not_names: frozenset[str]  # "tous", "zusammen" … after a cue, not a name
    roles: tuple[str, ...]  # "son fils", "Teamleiter", "vragen naar" … + a first name


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """One language's word lists (``models/languages.json``)."""

    code: str
    name: str
    function_words: frozenset[str]
    characters: tuple[str, ...]
    months: tuple[tuple[str, ...], ...]  # every spelling of each month, January first
    weekdays: tuple[str, ...]  # names and abbreviations of the days of the week
    relative_time_words: frozenset[str]
    phone_region: str  # ISO 3166 country whose national numbers are read first
    phone_words: frozenset[str]
    not_phone_words: frozenset[str]  # "facture", "Rechnung" … before a number: not a phone
    name_cues: NameCues


def _name_cues(entry: dict[str, list[str]]) -> NameCues:
    # Cues become patterns matched without regard to case: lower case, not case-folded
    # (case folding spells "heiße" as "heisse"). Words compared one by one are case-folded.
    def phrases(key: str) -> tuple[str, ...]:
        return tuple(str(w).lower() for w in entry[key])

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in entry[key])

    return NameCues(
        greetings=phrases("greetings"),
        introductions=phrases("introductions"),
        signoffs=phrases("signoffs"),
        particles=phrases("particles"),
        titles=words("titles"),
        not_names=words("not_names"),
        roles=phrases("roles"),
    )


@lru_cache(maxsize=1)
def language_profiles() -> dict[str, LanguageProfile]:
    """The word lists of every supported language, read once."""
    try:
        data = json.loads(model_file(_DATA_NAME).read_text(encoding="utf-8"))
        profiles = {
            code: LanguageProfile(
                code=code,
                name=str(entry["name"]),
                function_words=frozenset(w.casefold() for w in entry["function_words"]),
                characters=tuple(c.casefold() for c in entry["characters"]),
                months=tuple(tuple(m.casefold() for m in forms) for forms in entry["months"]),
                weekdays=tuple(str(w).lower() for w in entry["weekdays"]),
                relative_time_words=frozenset(w.casefold() for w in entry["relative_time_words"]),
                phone_region=str(entry["phone_region"]).upper(),
                phone_words=frozenset(w.casefold() for w in entry["phone_words"]),
                not_phone_words=frozenset(w.lower() for w in entry["not_phone_words"]),
                name_cues=_name_cues(entry["name_cues"]),
            )
            for code, entry in data["languages"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DetectionError(f"cannot read the language data {_DATA_NAME}: {exc}") from None
    if tuple(sorted(profiles)) != SUPPORTED_LANGUAGES or any(
        len(p.months) != 12 for p in profiles.values()
    ):
        raise DetectionError(
            f"the language data {_DATA_NAME} must describe exactly "
            f"{', '.join(SUPPORTED_LANGUAGES)}, with twelve months each"
        )
    return profiles


@dataclass(frozen=True, slots=True)
class _Scorer:
    words: dict[str, tuple[tuple[int, float], ...]]  # word -> (language index, weight)
    characters: tuple[tuple[str, tuple[tuple[int, float], ...]], ...]
    single_characters: frozenset[str]


@lru_cache(maxsize=8)
def function_words(language: str | None = None) -> frozenset[str]:
    """The short, frequent words (articles, prepositions, pronouns: ``function_words`` of
    ``models/languages.json``) of ``language`` and English, which chat mixes in; without a
    language, of all six."""
    profiles = language_profiles()
    codes = SUPPORTED_LANGUAGES if language is None else (language, DEFAULT_LANGUAGE)
    return frozenset(word for code in codes for word in profiles[code].function_words)


@lru_cache(maxsize=1)
def _scorer() -> _Scorer:
    profiles = language_profiles()
    index = {code: i for i, code in enumerate(SUPPORTED_LANGUAGES)}
    owners: dict[str, list[int]] = {}
    for code, profile in profiles.items():
        for word in profile.function_words:
            owners.setdefault(word, []).append(index[code])
    words = {w: tuple((i, 1.0 / len(ids)) for i in ids) for w, ids in owners.items()}
    char_owners: dict[str, list[int]] = {}
    for code, profile in profiles.items():
        for chars in profile.characters:
            char_owners.setdefault(chars, []).append(index[code])
    characters = tuple(
        (c, tuple((i, _CHAR_WEIGHT / len(ids)) for i in ids)) for c, ids in char_owners.items()
    )
    singles = frozenset(c for c in char_owners if len(c) == 1)
    return _Scorer(words, characters, singles)


def _scores(text: str) -> list[float]:
    """Each supported language's score for ``text`` (in SUPPORTED_LANGUAGES order).

    Only words as people write them count: a token, key or code ("eyJhbGciOiJIUzI1NiJ9",
    "sk_live_…") has fragments that look like words of some language. Letters are only
    looked at when the words leave the question open (most messages have enough words):
    they cost more to count than the words do.
    """
    scorer = _scorer()
    head = text[:_SAMPLE_CHARS]
    # Whole tokens only: a key or a code ("eyJhbGciOiJIUzI1NiJ9") is no word of any
    # language, but its fragments could look like some.
    tokens = head.casefold().translate(_PUNCTUATION_TO_SPACE).split()
    scores = [0.0] * len(SUPPORTED_LANGUAGES)
    for token in tokens:
        owners = scorer.words.get(token)
        if owners is not None:
            for language, weight in owners:
                scores[language] += weight
    first, second = sorted(scores, reverse=True)[:2]
    if first >= _MIN_SCORE + second + _CLEAR_LEAD:
        return scores
    # Letter groups within those words; letters with diacritics, "¿" and "¡" anywhere.
    sample = " ".join(
        w
        for w in tokens
        if len(w) <= _MAX_WORD_CHARS and w.replace("'", "").replace("-", "").isalpha()
    )
    folded = head.casefold()
    present = scorer.single_characters.intersection(folded)
    for chars, owners in scorer.characters:
        if len(chars) == 1 and chars not in present:
            continue  # the cheap test first: most single letters are absent
        hits = min((folded if len(chars) == 1 else sample).count(chars), _MAX_CHAR_HITS)
        if hits:
            for language, weight in owners:
                scores[language] += hits * weight
    return scores


def _verdict(scores: Sequence[float]) -> str | None:
    ranked = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
    best, second = ranked[0], ranked[1]
    if scores[best] < _MIN_SCORE or scores[best] <= scores[second]:
        return None
    return SUPPORTED_LANGUAGES[best]


def identify_language(text: str) -> str | None:
    """The language ``text`` is written in, or None when it has too little to tell.

    >>> identify_language("Bonjour, je suis à Paris demain avec ma sœur.")
    'fr'
    >>> identify_language("OK") is None
    True
    """
    return _verdict(_scores(text))


def identify_languages(texts: Sequence[str]) -> list[str]:
    """The language of each message of one conversation.

    A message that cannot be told on its own (``"OK"``, a bare phone number) takes the
    language of the nearest message before it that can, else of the nearest after it (a
    short reply is in the language of what it answers), else English.

    >>> identify_languages(["Hallo, ich bin morgen in Berlin.", "OK", "See you there!"])
    ['de', 'de', 'en']
    """
    verdicts = [identify_language(text) for text in texts]
    known = [(i, v) for i, v in enumerate(verdicts) if v is not None]
    if not known:
        return [DEFAULT_LANGUAGE] * len(verdicts)
    languages: list[str] = []
    last = known[0][1]  # before the first identified message: the nearest after it
    for verdict in verdicts:
        last = verdict if verdict is not None else last
        languages.append(last)
    return languages
