"""Phone numbers and dates as each language writes them (fr, de, es, it, nl).

English text keeps the recognizers of :mod:`pii_mapper.detection.patterns`; a message in another
language is read with these instead:

* :class:`LocalPhoneRecognizer` reads a number first under the national plan of the
  language's country (``06 12 34 56 78`` in French, ``030 1234567`` in German,
  ``612 34 56 78`` in Spanish, ``347 123 4567`` in Italian, ``06-12345678`` in Dutch), then
  in international form (``+33 6 12 34 56 78``, ``0049 30 1234567``) and — with a phone
  word nearby, in that language or in English — under the other countries' plans;
* :class:`LocalTextDateRecognizer` finds dates written with the language's month names
  (``3 mars 1990``, ``3. März 1990``, ``3 de marzo de 1990``, ``3 marzo 1990``,
  ``3 maart 1990``, ``mars 1990``) and days and months after a day of the week (``Mo
  03.03.``, ``ma 10-03``); numeric dates with a year are Presidio's, in any order;
* :class:`LocalCuedNameRecognizer` finds a capitalised name where the message announces
  one: after a greeting (``Bonjour Marie``, ``Hallo Anna``), an introduction (``je
  m'appelle …``, ``ich heiße …``, ``me llamo …``, ``mi chiamo …``, ``ik heet …``) or on the
  line after a sign-off (``Cordialement,\nMarie Dupont``);
* :func:`is_local_date` tells such a date from a relative time (``demain``, ``la semaine
  prochaine``, ``morgen``, ``nächste Woche``, ``mañana``, ``domani``, ``volgende week``),
  which is not PII; :func:`relative_time_words` lists those words for every language.

Month names, phone words, name cues and relative time words are data:
``models/languages.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from pii_mapper.detection import Detection
from pii_mapper.detection.patterns import (
    _context_pattern,
    has_digit,
    phone_candidates,
    phone_score,
)
from pii_mapper.language import DEFAULT_LANGUAGE, language_profiles

__all__ = [
    "LocalCuedNameRecognizer",
    "LocalPhoneRecognizer",
    "LocalTextDateRecognizer",
    "day_month_pattern",
    "is_local_date",
    "local_date_pattern",
    "relative_time_words",
]


# --- phone numbers ------------------------------------------------------------------------


class LocalPhoneRecognizer:
    """Phone numbers of a message in ``language``: candidates by the same pattern as the
    English recognizer, each scored by :func:`~pii_mapper.detection.patterns.phone_score` under
    the national plan of the language's country first: a grouped or international number
    valid at home 0.75, an international one of possible length 0.45, a bare run of digits
    0.3, a number valid only abroad 0.35; a phone word nearby (in the language, in English,
    or a Chinese, Japanese or Korean one) lifts each."""

    name = "LocalPhoneRecognizer"
    entity = "PHONE_NUMBER"

    def __init__(self, language: str) -> None:
        profiles = language_profiles()
        self.language = language
        self.region = profiles[language].phone_region
        words = profiles[language].phone_words | profiles[DEFAULT_LANGUAGE].phone_words
        self.context = _context_pattern(words)
        others = profiles[language].not_phone_words | profiles[DEFAULT_LANGUAGE].not_phone_words
        self.other_numbers = _context_pattern(others)

    def find(self, text: str) -> Iterator[Detection]:
        for start, end, value, context in phone_candidates(text, self.context):
            if not context and self._other_number(text, value, start):
                continue
            score = phone_score(value, self.region, context=context)
            if score is not None:
                yield Detection(start, end, self.entity, score, self.name)

    def _other_number(self, text: str, value: str, start: int) -> bool:
        """Whether the number is announced as something else ("Steuernummer: 305/5174/2219",
        "factuur 2025-00417"), or starts with a year as invoice and file numbers do."""
        if _YEAR_CODE.fullmatch(value):
            return True
        if self.other_numbers is None:
            return False
        return (
            self.other_numbers.search(text, max(0, start - _OTHER_NUMBER_WINDOW), start) is not None
        )


# A year, a dash or slash and more figures: "2025-00417", "2024/1190".
_YEAR_CODE = re.compile(r"(?:19|20)\d\d[-/]\d{3,}")
# How close before a number a word must be to make it an invoice, order … number.
_OTHER_NUMBER_WINDOW = 24


# --- dates --------------------------------------------------------------------------------

_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_YEAR = r"(?:1[89]|20)[0-9]{2}"


@cache
def local_date_pattern(language: str) -> re.Pattern[str]:
    """Dates with a month name of ``language``: day and month (``3 mars``, ``1er mai``,
    ``3. März``, ``3 de marzo``), with an optional year (``de 1990`` in Spanish), or a
    month and a year (``mars 1990``, ``marzo de 1990``). Month names in any case, full or
    abbreviated (``févr.``, ``Okt.``); bounded, linear."""
    months = sorted(
        {form for forms in language_profiles()[language].months for form in forms},
        key=len,
        reverse=True,
    )
    names = "|".join(re.escape(m) for m in months)
    of = r"(?:(?:de|del)[ \t]+)?"  # Spanish "3 de marzo de 1990"
    return re.compile(
        rf"(?<![\w.])(?:"
        rf"(?P<day>{_DAY})(?:er|ème|°|º|\.)?[ \t]+{of}(?P<month>{names})\.?"
        rf"(?:,?[ \t]+{of}(?P<year>{_YEAR}))?"
        rf"|(?P<month_of_year>{names})\.?[ \t]+{of}(?P<year_only>{_YEAR})"
        rf")(?![\w])",
        re.IGNORECASE,
    )


@cache
def day_month_pattern(language: str) -> re.Pattern[str]:
    """A day and a month in figures, without a year, where the language marks them as a
    date: after a day of the week ("Mo 03.03.", "Fr. 18.07.", "ma 10-03", "mar 11/03",
    "Dienstag, 25.03."), and in German with the closing dot alone ("ab 01.02."). A full
    date with its year is Presidio's; a bare "10/10" (a rating) is not a date."""
    profile = language_profiles()[language]
    weekdays = "|".join(re.escape(w) for w in sorted(profile.weekdays, key=len, reverse=True))
    month = r"(?:1[0-2]|0?[1-9])"
    # German alone: two figures each, so that "Kapitel 1.2." stays a chapter.
    german = r"|(?:[12]\d|3[01]|0[1-9])\.(?:1[0-2]|0[1-9])\." if language == "de" else ""
    return re.compile(
        rf"(?<![\w.])(?:"
        rf"(?i:{weekdays})\.?,?[ \t]+(?:(?i:den|le|el|il)[ \t]+)?{_DAY}[./\-]{month}\.?"
        rf"{german}"
        rf")(?![\w]|[./\-]\d)"
    )


@cache
def _full_months(language: str) -> frozenset[str]:
    return frozenset(forms[0] for forms in language_profiles()[language].months)


def _is_date(match: re.Match[str], language: str) -> bool:
    """An abbreviated month ("set", "mar") counts only with a year: "3 set" is tennis, "3
    mar" the sea."""
    if match.group("year") or match.group("year_only"):
        return True
    return str(match.group("month")).casefold() in _full_months(language)


class LocalTextDateRecognizer:
    """Dates written with a month name of ``language``, and days and months in figures
    after a day of the week (:func:`day_month_pattern`), scored as in English (0.6)."""

    name = "LocalTextDateRecognizer"
    entity = "DATE_TIME"

    def __init__(self, language: str) -> None:
        self.language = language
        self._pattern = local_date_pattern(language)

    def find(self, text: str) -> Iterator[Detection]:
        if not has_digit(text):
            return
        for match in self._pattern.finditer(text):
            if _is_date(match, self.language):
                yield Detection(match.start(), match.end(), self.entity, 0.6, self.name)
        for match in day_month_pattern(self.language).finditer(text):
            yield Detection(match.start(), match.end(), self.entity, 0.6, self.name)


def is_local_date(value: str, language: str) -> bool:
    """Whether ``value`` holds a date written with a month name of ``language`` (relative
    times such as "demain" or "nächste Woche" hold none)."""
    if language == DEFAULT_LANGUAGE or not has_digit(value):
        return False
    return any(_is_date(m, language) for m in local_date_pattern(language).finditer(value))


@cache
def relative_time_words() -> frozenset[str]:
    """The single words of relative times of every supported language ("demain",
    "prochaine", "morgen", "mañana", "domani", "volgende" …), case-folded."""
    words: set[str] = set()
    for profile in language_profiles().values():
        for phrase in profile.relative_time_words:
            # "la semaine prochaine" ends a date as "prochaine" does; "la" would not.
            words.add(phrase.split()[-1])
    return frozenset(words)


# --- names after a cue --------------------------------------------------------------------

# A capitalised word of letters (with one inner hyphen or apostrophe: "Jean-Luc", "D'Amico").
_NAME_WORD = (
    r"[^\W\d_a-zß-öø-ÿ][^\W\d_A-ZÀ-ÖØ-Þ]{1,30}(?:[-'][^\W\d_a-zß-öø-ÿ][^\W\d_A-ZÀ-ÖØ-Þ]{1,30})?"
)


def _alternatives(phrases: tuple[str, ...]) -> str:
    if not phrases:
        return "(?!)"  # matches nothing
    ordered = sorted(set(phrases), key=len, reverse=True)
    # Spaces inside a cue match any run of spaces or tabs; an apostrophe either form.
    return "|".join(
        re.escape(p).replace(r"\ ", r"[ \t]+").replace("'", "['\u2019]") for p in ordered
    )


@cache
def _cued_name_pattern(language: str) -> re.Pattern[str]:
    cues = language_profiles()[language].name_cues
    # "Sanne de Vries", "Ludwig van Beethoven": at most two particles between two words.
    particles = rf"(?:(?:{_alternatives(cues.particles)})[ \t]+){{0,2}}" if cues.particles else ""
    return re.compile(
        # A sign-off first: "Liebe Grüße\nTom" is one, not the greeting "Liebe" + "Grüße".
        rf"(?i:(?<![\w])(?P<signoff>{_alternatives(cues.signoffs)})[ \t]*[,!.]?[ \t]*\n"
        rf"[ \t]*(?:-{{1,2}}[ \t]*)?"
        rf"|(?<![\w])(?P<intro>{_alternatives(cues.introductions)})[ \t]+"
        rf"|(?<![\w])(?P<greeting>{_alternatives(cues.greetings)})[ \t]*,?[ \t]+)"
        rf"(?:(?i:{_alternatives(tuple(cues.titles))})\.?[ \t]+)?"
        rf"(?P<name>{_NAME_WORD}(?:[ \t]+{particles}{_NAME_WORD}){{0,3}})"
        rf"(?![\w@])"
    )


class LocalCuedNameRecognizer:
    """Names where a message in ``language`` announces them: a capitalised name (one to
    three words, after an optional title such as "Madame" or "Herr") after a greeting, an
    introduction or on the line after a sign-off. An introduction of one word ("soy",
    "sono") scores as English "I'm" does (0.7): "Sono Stanco" happens; the others 0.9."""

    name = "LocalCuedNameRecognizer"
    entity = "PERSON"

    def __init__(self, language: str) -> None:
        self.language = language
        self._cues = language_profiles()[language].name_cues
        self._pattern = _cued_name_pattern(language)

    def find(self, text: str) -> Iterator[Detection]:
        cues = self._cues
        for match in self._pattern.finditer(text):
            # Words of the name with their offsets; particles ("de", "van") are lower case.
            words = [
                (w.group(), w.start(), w.end()) for w in _TOKEN.finditer(text, *match.span("name"))
            ]
            # "Madame Dupont", "Herr Dr. Müller": the title goes, the name stays.
            while words and words[0][0].rstrip(".").casefold() in cues.titles:
                words = words[1:]
            if not words or words[0][0].casefold() in cues.not_names:
                continue
            start, end, capitalised = words[0][1], words[0][2], 1
            for word, _, word_end in words[1:]:
                if word[0].isupper():
                    if word.casefold() in cues.not_names or capitalised == 3:
                        break
                    capitalised += 1
                    end = word_end
            intro = match.group("intro")
            score = 0.7 if intro is not None and " " not in intro.strip() else 0.9
            yield Detection(start, end, self.entity, score, self.name)


_TOKEN = re.compile(r"\S+")
