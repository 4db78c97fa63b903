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
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from pii_mapper.detection import Detection
from pii_mapper.detection.lexicon import is_plain, is_plain_anywhere, lexicon
from pii_mapper.detection.patterns import (
    _context_pattern,
    follows_version_cue,
    has_digit,
    phone_candidates,
    phone_score,
)
from pii_mapper.language import (
    DEFAULT_LANGUAGE,
    function_words,
    language_profiles,
)

__all__ = [
    "DateTimeRecognizer",
    "LocalCuedNameRecognizer",
    "LocalPhoneRecognizer",
    "LocalTextDateRecognizer",
    "RoleNameRecognizer",
    "TitledNameRecognizer",
    "date_time_pattern",
    "day_month_pattern",
    "is_local_date",
    "is_log_timestamp",
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
    names = _trie(
        (form for forms in language_profiles()[language].months for form in forms), space=r"\ "
    )
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
    weekdays = _trie(profile.weekdays, space=r"\ ")
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
    # Spaces inside a cue match any run of spaces or tabs; an apostrophe either form.
    return _trie(phrases, space=r"[ \t]+", apostrophe="['\u2019]")


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
        rf"(?P<name>{_CUED_WORD}(?:[ \t]+{particles}{_CUED_WORD}){{0,3}})"
        rf"(?![\w@])"
    )


# A name word as capitalised text writes it, or in capitals after a cue in capitals
# ("JE M'APPELLE GÉRARD PETITJEAN"): see LocalCuedNameRecognizer.
_CAPS_WORD = r"[^\W\d_a-zß-öø-ÿ]{2,30}(?:[-'][^\W\d_a-zß-öø-ÿ]{2,30})?"
_CUED_WORD = rf"(?:{_NAME_WORD}|{_CAPS_WORD})"


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
        position = 0
        while (match := self._pattern.search(text, position)) is not None:
            found = self._name(match, text)
            if found is None:
                # What was read as the name may hold the next cue: "BONJOUR, JE M'APPELLE …"
                position = match.start("name")
                continue
            position = match.end()
            yield found

    def _name(self, match: re.Match[str], text: str) -> Detection | None:
        """The name of a cue's match, or None when what follows the cue is no name."""
        cues = self._cues
        # Words of the name with their offsets; particles ("de", "van") are lower case.
        words = [
            (w.group(), w.start(), w.end()) for w in _TOKEN.finditer(text, *match.span("name"))
        ]
        # "Madame Dupont", "Herr Dr. Müller": the title goes, the name stays.
        while words and words[0][0].rstrip(".").casefold() in cues.titles:
            words = words[1:]
        if words and len(words[0][0]) > 1 and words[0][0].isupper():
            words = self._shouted(match, words)
        if not words or words[0][0].casefold() in cues.not_names:
            return None
        intro = match.group("intro")
        if (
            intro is not None
            and not _NAMING_INTRO.search(intro)
            and all(lexicon(self.language).knows(w.casefold()) for w, _, _ in words[:3])
        ):
            return None  # "ich bin Arzt", "je suis Content": what one is, not who
        start, end, capitalised = words[0][1], words[0][2], 1
        for word, _, word_end in words[1:]:
            if word[0].isupper():
                if word.casefold() in cues.not_names or capitalised == 3:
                    break
                if len(word) > 1 and word.isupper() and not _name_in_capitals(word):
                    break  # "Marie DUPONT" is a name; "Marie ET" is not
                capitalised += 1
                end = word_end
        score = 0.7 if intro is not None and " " not in intro.strip() else 0.9
        return Detection(start, end, self.entity, score, self.name)

    @staticmethod
    def _shouted(
        match: re.Match[str], words: list[tuple[str, int, int]]
    ) -> list[tuple[str, int, int]]:
        """The name's words in capitals, when the cue is in capitals too or says that a
        name follows ("je m'appelle GÉRARD"), and each word can be a name (no plain word or
        stop word of the six languages: "BONJOUR TOUT LE MONDE" names no one)."""
        intro = match.group("intro")
        cue = intro or match.group("greeting") or match.group("signoff") or ""
        if not cue.isupper() and (intro is None or _NAMING_INTRO.search(intro) is None):
            return []  # "Bonjour ATTENTION": only a cue that names says so in any case
        kept: list[tuple[str, int, int]] = []
        for word, start, end in words:
            if not _name_in_capitals(word):
                break
            kept.append((word, start, end))
        return kept


def _name_in_capitals(word: str) -> bool:
    """Whether ``word``, written in capitals, can be a name: no plain word or function word
    of any of the six languages (capitals hide the language)."""
    return not (is_plain_anywhere(word) or word.casefold() in function_words())


# English titles, read in every language (chat mixes English in).
_ENGLISH_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir")


def _name_after(cue: str, language: str) -> re.Pattern[str]:
    """A cue (a pattern) followed by a name: one to three capitalised words, the
    language's particles between them ("Sanne de Vries"), in group ``name``."""
    cues = language_profiles()[language].name_cues
    particles = rf"(?:(?:{_alternatives(cues.particles)})[ \t]+){{0,2}}" if cues.particles else ""
    return re.compile(
        rf"(?<![\w.]){cue}[ \t]+"
        rf"(?P<name>{_NAME_WORD}(?:[ \t]+{particles}{_NAME_WORD}){{0,2}})"
        rf"(?![\w@])"
    )


@cache
def _titled_name_pattern(language: str) -> re.Pattern[str]:
    cues = language_profiles()[language].name_cues
    # "M." is French for "Monsieur" only with its capital and its period ("5 m Abstand").
    titles = tuple(t for t in {*_ENGLISH_TITLES, *cues.titles} if len(t) > 1)
    title = rf"(?:(?i:{_alternatives(titles)})\.?|M\.)"
    return _name_after(rf"(?P<titles>{title}(?:[ \t]+{title})?)", language)


class TitledNameRecognizer:
    """Names after a title: "Mr Goldstein", "Dr. Anil Kapoor", "Mrs Akhtar", "Herr Dr.
    Müller", "Mevrouw Yildiz", "M. Rachid Amrani", "Señora García" (English titles in
    every language, the language's own in its messages). The title stays in the clear.
    Not a name: "Dr" after a capitalised word or a number (a street: "12 Oak Dr Tulsa"),
    or words that are only ordinary words of the language ("Dr Notes")."""

    name = "TitledNameRecognizer"
    entity = "PERSON"

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self._pattern = _titled_name_pattern(language)

    def find(self, text: str) -> Iterator[Detection]:
        for match in self._pattern.finditer(text):
            if match.group("titles")[:2].casefold() == "dr":
                before = text[max(0, match.start() - 40) : match.start()].split()
                if before and (before[-1][:1].isupper() or before[-1][:1].isdigit()):
                    continue  # "Oak Dr", "12 Dr": a street
            words = match.group("name").split()
            if all(is_plain(word, self.language) for word in words):
                continue
            yield Detection(match.start("name"), match.end("name"), self.entity, 0.85, self.name)


@cache
def _role_name_pattern(language: str) -> re.Pattern[str]:
    # English's roles in every language: chat mixes them in ("mon manager Paul").
    profiles = language_profiles()
    roles = {*profiles[DEFAULT_LANGUAGE].name_cues.roles, *profiles[language].name_cues.roles}
    return _name_after(rf"(?i:{_alternatives(tuple(sorted(roles)))})", language)


class RoleNameRecognizer:
    """A name after a role or family word, or a verb of asking for someone: "her son
    Gareth", "son responsable Franck", "ihr Teamleiter Jens", "su hija Noelia", "il figlio
    Fabio", "vragen naar Hennie", "covered by Nadia" (``roles`` of ``models/languages.json``,
    English's in every language). The role stays in the clear. Not a name: capitalised words
    that are all words of the language or of English ("Teamleiter Vertrieb", "manager
    Approval"). Scored 0.7: a cue, weaker than a title's."""

    name = "RoleNameRecognizer"
    entity = "PERSON"

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self._pattern = _role_name_pattern(language)

    def find(self, text: str) -> Iterator[Detection]:
        english, local = lexicon(DEFAULT_LANGUAGE), lexicon(self.language)
        for match in self._pattern.finditer(text):
            words = [w.casefold() for w in match.group("name").split()]
            if all(local.knows(w) or english.knows(w) for w in words):
                continue
            yield Detection(match.start("name"), match.end("name"), self.entity, 0.7, self.name)


_TOKEN = re.compile(r"\S+")
# Introductions that say a name follows ("je m'appelle", "mein Name ist"); the others ("je
# suis", "ich bin", "ik ben") may be followed by what one is ("ich bin Arzt").
_NAMING_INTRO = re.compile(r"(?i)nom|name|naam|nombre|chiam|appel|hei(?:ß|ss)|heet|llamo")


# --- dates with their weekday, their clock time, ranges -----------------------------------

# Words between a date and its clock time ("19.11.2024 gegen 17:10 Uhr", "mer. 19/03 à 16h",
# "22/05/2025 ore 11:40"); English ones are read in every language.
_TIME_LINKS: dict[str, tuple[str, ...]] = {
    "en": ("at", "around", "about", "approx.", "approximately", "circa", "by", "from",
           "between", "@", "-"),
    "fr": ("à", "a", "vers", "dès", "de", "entre", "à partir de"),
    "de": ("um", "gegen", "ab", "von", "zwischen", "bis", "ca."),
    "es": ("a las", "a la", "sobre las", "hacia las", "desde las", "de", "entre las", "entre"),
    "it": ("alle ore", "alle", "ore", "verso le", "dalle", "dalle ore", "tra le", "fra le",
           "entro le"),
    "nl": ("om", "rond", "omstreeks", "vanaf", "van", "tussen", "tegen"),
}  # fmt: skip
# Words that make a day and a month in figures without a year a date ("by 20/05", "du 10/02
# au 21/02", "vóór 28/02", "bis 03.02."): the last word before the figures.
_DATE_CUES: dict[str, tuple[str, ...]] = {
    "en": ("on", "by", "until", "till", "from", "since", "before", "after", "due", "dated",
           "date", "to", "through", "thru", "starting", "ending"),
    "fr": ("le", "du", "au", "jusqu'au", "dès le", "depuis le", "avant le", "après le",
           "date", "daté du", "échéance", "à partir du"),
    "de": ("am", "vom", "bis", "bis zum", "zum", "ab", "seit", "datum", "ab dem", "vor dem",
           "nach dem", "fällig", "termin"),
    "es": ("el", "del", "al", "hasta el", "desde el", "antes del", "después del", "fecha",
           "a partir del"),
    "it": ("il", "dal", "al", "entro il", "fino al", "data", "del", "prima del", "dopo il",
           "a partire dal", "scadenza"),
    "nl": ("op", "vóór", "voor", "tot", "tot en met", "t/m", "vanaf", "van", "per", "datum",
           "na"),
}  # fmt: skip
# Words before a month name alone that make it a date ("seit Oktober", "de diciembre", "en
# mai"); English only before a capitalised month ("since October"), never "May".
_MONTH_CUES: dict[str, tuple[str, ...]] = {
    "en": ("in", "since", "until", "till", "from", "before", "after", "during", "early",
           "late", "mid", "mid-"),
    "fr": ("en", "depuis", "dès", "jusqu'en", "début", "fin", "mi-", "de", "d'", "courant"),
    "de": ("seit", "ab", "bis", "im", "vom", "zum", "anfang", "ende", "mitte", "bis ende",
           "seit ende", "seit anfang"),
    "es": ("en", "desde", "hasta", "de", "a finales de", "a principios de", "a mediados de"),
    "it": ("a", "ad", "da", "di", "dal", "dallo", "fino a", "entro", "inizio", "fine", "metà",
           "a inizio", "a fine"),
    "nl": ("in", "sinds", "tot", "vanaf", "begin", "eind", "half", "medio", "per"),
}  # fmt: skip
# Words before a year alone that make it the date of someone's event ("since 2019", "seit
# 2019", "nato nel 1984"); "budget 2026" or "the 2024 return" name a period, not an event.
_SINCE: dict[str, tuple[str, ...]] = {
    "en": ("since", "born in", "moved in", "married in"),
    "fr": ("depuis", "né en", "née en", "depuis l'an"),
    "de": ("seit", "geboren", "seit dem jahr"),
    "es": ("desde", "nacido en", "nacida en", "desde el año"),
    "it": ("dal", "dall'anno", "nato nel", "nata nel", "sin dal"),
    "nl": ("sinds", "geboren in", "sinds het jaar"),
}
# After "<weekday> <day>": words that count things, so the number is no day of the month
# ("Freitag 3 Leute", "lunes 2 horas").
_COUNTED = frozenset(
    ["h", "hr", "hrs", "hours", "heures", "stunden", "std", "horas", "ore", "uur", "min",
     "minutes", "minuten", "minutos", "minuti", "personnes", "leute", "personen", "personas",
     "persone", "mensen", "people", "x", "mal", "fois", "veces", "volte", "keer", "euro",
     "eur", "€", "%"]
)  # fmt: skip
# "exp 09/27", "gültig bis 09/27": a card's expiry, not a date of a person.
_EXPIRY_CUE = re.compile(
    r"(?i:exp(?:iry|ires|iration)?\.?|valid(?:\s+(?:thru|through|until))?|mm/yy|"
    r"gültig\s+bis|ablauf(?:datum)?|scad(?:enza)?\.?|caducidad|vencimiento|vervaldatum|"
    r"geldig\s+tot|date\s+d'expiration|fin\s+de\s+validité)\s*:?\s*$"
)
_CLOCK = r"(?:[01]?\d|2[0-3])(?:[:.][0-5]\d(?::[0-5]\d)?|h(?:[0-5]\d)?)"
_HOUR = r"(?:[01]?\d|2[0-3])"
_TIME_MARK = r"[ \t]?(?:(?i:am|pm|a\.m\.|p\.m\.)|Uhr|uur|u|h)(?![\w])"
_ZONE = r"(?:[ \t]?(?:UTC|GMT|CES?T|CEST|[ECMP][SD]T|BST|IST|Z|[+\-](?:0\d|1[0-4]):?[0-5]\d))"
# "17:10", "16h", "5:40pm", "22 Uhr", "zwischen 7 und 9 Uhr", "14:00-15:00"; a bare hour
# ("um 7") only as the first end of a range whose second end is a time.
_DASH = r"[-\u2013]"  # a hyphen or an en dash
_TIME = (
    rf"(?:(?:{_CLOCK}|{_HOUR})(?:{_TIME_MARK})?(?:[ \t]*+{_DASH}[ \t]*+|[ \t]++(?:and|und|to"
    rf"|bis|et|à|a|y|e|en|tot|-)[ \t]++(?:(?:las|les|le)[ \t]++)?)(?:{_CLOCK}(?:{_TIME_MARK})?"
    rf"|{_HOUR}{_TIME_MARK})|{_CLOCK}(?:{_TIME_MARK})?|{_HOUR}{_TIME_MARK}){_ZONE}?"
)
_YEAR4 = r"(?:1[89]|20)\d{2}"
_DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])"


def _words(phrases: Iterable[str]) -> str:
    """An alternation of ``phrases``, lower-cased, a space matching a run of spaces and tabs
    (see :func:`_trie`)."""
    return _trie((p.lower() for p in phrases), space=r"[ \t]++")


def _trie(phrases: Iterable[str], *, space: str, apostrophe: str = "'") -> str:
    """An alternation of ``phrases`` written as a trie: phrases that begin alike share the
    test of their beginning, the longer tried first ("janv", "janvier" and "january" are one
    test of "jan", then of the rest). A space in a phrase becomes ``space`` (a pattern for
    spaces and tabs), an apostrophe ``apostrophe`` (a pattern).

    It matches what the plain alternation of the phrases, longest first, matches, and
    prefers the same phrase: at each branching the branches start with characters no text
    character matches two of, and a space is never followed by what may be a space (else
    the plain alternation is returned), so the phrases that can match at one place are
    prefixes of one another, tried longest first by both. The
    regular expression engine tries the alternatives of a plain alternation one by one: a
    list of a hundred month names was a hundred tests at every word of a text."""
    unique = set(phrases)
    tree: dict[str, Any] = {}
    for phrase in unique:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    # A run of spaces is one token only where what follows it cannot be a space: not in a
    # phrase with two spaces in a row or a space at its end (the engine could then share
    # the run out differently between the tokens).
    if not _exclusive(tree) or any("  " in p or p.endswith(" ") for p in unique):
        ordered = sorted(unique, key=len, reverse=True)
        return "|".join(
            re.escape(p).replace(r"\ ", space).replace("'", apostrophe) for p in ordered
        )
    return _trie_pattern(tree, {" ": space, "'": apostrophe})


_END = ""  # the key that marks the end of a phrase in a trie of _trie
# Characters one text character may match alike: a space pattern matches a tab, an
# apostrophe pattern the typographic apostrophe.
_ALIKE = {" ": " \t", "\t": " \t", "'": "'\u2019", "\u2019": "'\u2019"}


def _exclusive(node: dict[str, Any]) -> bool:
    """Whether at every branching of the trie no two branches start with characters that one
    text character could match, in any case."""
    seen: set[str] = set()
    for char in node:
        if char == _END:
            continue
        forms = {char, char.lower(), char.upper(), char.casefold(), *_ALIKE.get(char, "")}
        if seen & forms:
            return False
        seen |= forms
    return all(_exclusive(child) for child in node.values())


def _trie_pattern(node: dict[str, Any], special: dict[str, str]) -> str:
    """The alternation of the phrases below ``node`` (see :func:`_trie`)."""
    branches = [
        (special.get(char) or re.escape(char)) + _trie_pattern(child, special)
        for char, child in sorted(node.items(), key=lambda item: -_depth(item[1]))
        if char != _END
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if _END in node else body


def _depth(node: dict[str, Any]) -> int:
    """The length of the longest phrase below ``node``."""
    return max((1 + _depth(child) for key, child in node.items() if key != _END), default=0)


def _full_weekday(word: str) -> bool:
    return len(word) >= 5 and word not in {"thurs", "tues"}


@cache
def date_time_pattern(language: str) -> re.Pattern[str]:
    """A date as people write it in ``language`` (and in English), with what goes with it:
    a day of the week before it, a clock time after it, or a second day before it (a
    range). Named groups tell the parts apart for :class:`DateTimeRecognizer`."""
    profiles = language_profiles()
    codes = {language, DEFAULT_LANGUAGE}
    weekdays = _words(w for c in codes for w in profiles[c].weekdays)
    months = _words(form for c in codes for forms in profiles[c].months for form in forms)
    links = _words(w for c in codes for w in _TIME_LINKS[c])
    ordinal = r"(?:st|nd|rd|th|er|ème|°|º|\.)?"
    # Before a day after its weekday: "Freitag, den 21.", "le 3", "el 5", "op 4"; Dutch also
    # "vrijdag de 14e" (elsewhere "de" is "from": "viernes de 10 a 12").
    articles = "den|le|el|il|the|op" + ("|de" if language == "nl" else "")
    # A day number alone after its weekday: "21.", Dutch "14e", "1ste", "2de".
    day_only = r"(?:\.|e|ste|de)?" if language == "nl" else r"\.?"
    of = r"(?:(?:de|del|of)[ \t]++)?"
    month = rf"(?i:{months})\.?"
    year = rf"(?:{_YEAR4}|'\d\d)"
    numeric = (
        r"(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})(?!\d)|\d{4}-\d{1,2}-\d{1,2}"
        r"|\d{4}/\d{1,2}/\d{1,2})"
    )
    return re.compile(
        r"(?<![\w./:#=\-])"
        # a clock time before the date: "at 10:30 on 11 March", "um 9 Uhr am 03.03."
        rf"(?:(?P<lead_time>{_TIME})[ \t]++(?i:on|le|am|el|il|op|du|del|dem)[ \t]++)?"
        rf"(?:(?P<weekday>(?i:{weekdays}))\.?,?[ \t]++(?:(?i:{articles})[ \t]++)?)?"
        r"(?:"
        # git and e-mail headers: "Tue Mar 11 17:42:09 2025 +0100"
        rf"(?P<git>{month}[ \t]++{_DAY_NUMBER}[ \t]++[0-2]\d:[0-5]\d:[0-5]\d[ \t]++{_YEAR4}"
        r"(?:[ \t]++[+\-]\d{4})?)"
        # ranges, with a hyphen or an en dash: "1.4.-30.6.2025", "12-14 May 2025", "21-25 July"
        rf"|(?P<numeric_range>\d{{1,2}}[./]\d{{1,2}}\.?[ \t]*+{_DASH}[ \t]*+{numeric})"
        rf"|(?P<range>{_DAY_NUMBER}\.?[ \t]*+{_DASH}[ \t]*+{_DAY_NUMBER}{ordinal}[ \t]++{of}{month}"
        rf"(?:,?[ \t]++{of}{year})?)"
        rf"|(?P<numeric>{numeric})"
        rf"|(?P<day_first>{_DAY_NUMBER}{ordinal}[ \t]++{of}{month}(?:,?[ \t]++{of}{year})?)"
        rf"|(?P<month_first>{month}[ \t]++{_DAY_NUMBER}(?:st|nd|rd|th)?(?:,?[ \t]++{year})?)"
        r"|(?P<day_month>(?P<dm_day>\d{1,2})(?P<dm_sep>[./\-])(?P<dm_month>\d{1,2})\.?)"
        rf"|(?P<day_only>{_DAY_NUMBER}{day_only})"
        r")"
        rf"(?P<time>(?:[ \t]*+,[ \t]*+|[ \t]++)(?:(?i:{links})[ \t]++)?{_TIME})?"
        r"(?![\w]|[./:\-]\d)"
        rf"|(?<![\w])(?P<cue>(?i:{_words(_MONTH_CUES[language])}))(?:[ \t]++|(?<=['\-]))"
        rf"(?P<lone_month>(?i:{_words(forms[0] for forms in profiles[language].months)}))"
        rf"(?:[ \t]++{_YEAR4})?(?![\w])"
        rf"|(?<![\w])(?i:{_words(_SINCE[language] + _SINCE[DEFAULT_LANGUAGE])})[ \t]++"
        rf"(?P<lone_year>{_YEAR4})(?![\w]|[./:\-]\d)"
    )


@cache
def _date_cue_pattern(language: str) -> re.Pattern[str]:
    cues = _DATE_CUES[language] + (_DATE_CUES[DEFAULT_LANGUAGE] if language != "en" else ())
    return re.compile(rf"(?<![\w])(?i:{_words(cues)})[ \t]*+:?[ \t]*+$")


# A log line's own time stamp: the line opens with a date and a clock time with seconds
# ("2025-03-17 07:41:09 WARN …", "[2025-03-02 14:11:07] DEBUG", "Jan 14 03:22:17 host
# sshd…", "2025-02-11T08:14:55Z"). A machine wrote it; it dates an event of a system.
_LOG_LINE_START = re.compile(r"(?:^|\n)[ \t]*+\[?$")
_LOG_CLOCK_AFTER = re.compile(r"(?:[ \t]{1,4}|T)\d{1,2}:\d{2}:\d{2}")


# An ISO 8601 date and time to the second, "T" between them: "2025-03-18T07:44:10Z".
_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def is_log_timestamp(text: str, start: int, end: int) -> bool:
    """Whether the date at ``text[start:end]`` is a machine's time stamp: the one that opens
    a log line (the line starts with it and a clock time with seconds is in it or right
    after it), or an ISO 8601 instant to the second ("2025-03-18T07:44:10Z" in a JSON log
    record), which no one writes for a birthday or an appointment."""
    if _ISO_INSTANT.match(text, start) is not None:
        return True
    if _LOG_LINE_START.search(text, max(0, start - 8), start) is None:
        return False
    line_end = text.find("\n", start, end)
    stamp = text[start : end if line_end == -1 else min(end, line_end)]
    if re.search(r"\d:\d{2}:\d{2}", stamp):
        return True
    return _LOG_CLOCK_AFTER.match(text, end) is not None


class DateTimeRecognizer:
    """Dates with what goes with them, in ``language`` and in English:

    * a day of the week before the date ("Mo 03.03.", "sáb 19 de abril", "Tues 18/02/25");
    * a clock time after it ("19.11.2024 gegen 17:10 Uhr", "mer. 19/03 à 16h", "Fri, Mar
      7, 2025 at 4:02 PM");
    * a range ("12-14 May 2025", "1.4.-30.6.2025", with a hyphen or an en dash);
    * a git or e-mail header date ("Tue Mar 11 17:42:09 2025 +0100");
    * a full day of the week and a day number ("jueves 13", "donnerstag den 20.");
    * a day and a month in figures without a year where something makes them a date: a
      cue word ("du 10/02", "by 20/05", "vóór 28/02"), a day of the week, a clock time, a
      leading zero ("03/02"), the German closing dot ("03.02.");
    * a month or a year alone after a preposition ("seit Oktober", "de diciembre", "since
      2019"; in English only a capitalised month other than May: "since October").

    Never: a clock time alone, a relative word ("demain", "next Friday"), a version
    ("3.1"), a score or a fraction ("3/4", "10/10", "24/7"), a card's expiry ("exp
    09/27"), the time stamp opening a log line (:func:`is_log_timestamp`)."""

    name = "DateTimeRecognizer"
    entity = "DATE_TIME"

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self._pattern = date_time_pattern(language)
        self._cues = _date_cue_pattern(language)
        self._full_months = _full_months(language) | _full_months(DEFAULT_LANGUAGE)

    def find(self, text: str) -> Iterator[Detection]:
        for match in self._pattern.finditer(text):
            score = self._score(text, match)
            if score is None:
                continue
            start, end = match.span()
            if match.group("lone_month") is not None:
                start = match.start("lone_month")  # "seit Oktober": the cue is no date
            elif match.group("lone_year") is not None:
                start = match.start("lone_year")
            elif match.group("day_month") is not None and match.group("dm_sep") != ".":
                end -= text[end - 1] == "."  # "by 20/05.": the sentence's full stop
            elif (
                text[end - 1] == "."
                and text[end - 2].isalpha()
                and self._names_a_month(_LAST_WORD.findall(text, start, end)[-1])
            ):
                end -= 1  # "on 11 March.": a full month name takes no period
            yield Detection(start, end, self.entity, score, self.name)

    def _score(self, text: str, match: re.Match[str]) -> float | None:
        start, end = match.span()
        if match.group("lone_month") is not None:
            return self._lone_month_score(match)
        if match.group("lone_year") is not None:
            return 0.5
        if follows_version_cue(text, start) or is_log_timestamp(text, start, end):
            return None
        weekday = match.group("weekday")
        timed = match.group("time") is not None or match.group("lead_time") is not None
        named = next(
            (
                match.group(g)
                for g in ("git", "range", "day_first", "month_first")
                if match.group(g)
            ),
            None,
        )
        if named is not None:
            word = _MONTH_WORD.search(named)
            if word is None:
                return None
            month = word.group()
            year = _YEAR_IN_DATE.search(named) is not None
            if not year and weekday is None and not self._names_a_month(month):
                return None  # "3 set", "3 mar": a score, the sea
            if match.group("month_first") is not None and not year and not month[0].isupper():
                return None  # "you may 5 times"
            return 0.6
        if match.group("numeric") is not None or match.group("numeric_range") is not None:
            # A full numeric date is Presidio's; here it matters with a weekday or a time.
            return 0.6 if weekday is not None or timed or match.group("numeric_range") else None
        if match.group("day_only") is not None:
            return self._day_only_score(text, match)
        return self._day_month_score(text, match)

    def _names_a_month(self, month: str) -> bool:
        return month.casefold().rstrip(".") in self._full_months

    def _lone_month_score(self, match: re.Match[str]) -> float | None:
        month = match.group("lone_month")
        if self.language == DEFAULT_LANGUAGE and (
            not month[0].isupper() or month.casefold() == "may"
        ):
            return None  # "in may" is a verb as often as a month
        return 0.5

    def _day_only_score(self, text: str, match: re.Match[str]) -> float | None:
        """ "jueves 13", "donnerstag den 20.": a full day of the week and a day number, in a
        language other than English ("Friday 7" may be a time); not a count ("Freitag 3
        Leute")."""
        weekday = match.group("weekday")
        if weekday is None or not _full_weekday(weekday.casefold()):
            return None
        if self.language == DEFAULT_LANGUAGE and match.group("time") is None:
            return None
        if weekday.casefold() not in {
            w for w in language_profiles()[self.language].weekdays if _full_weekday(w)
        }:
            return None
        following = _NEXT_WORD.match(text, match.end())
        if following is not None and following.group(1).casefold() in _COUNTED:
            return None
        return 0.6

    def _day_month_score(self, text: str, match: re.Match[str]) -> float | None:
        """A day and a month in figures without a year ("20/05", "03.02.")."""
        first, second = int(match.group("dm_day")), int(match.group("dm_month"))
        day_first = 1 <= first <= 31 and 1 <= second <= 12
        month_first = 1 <= first <= 12 and 1 <= second <= 31
        if not day_first and not (self.language == DEFAULT_LANGUAGE and month_first):
            return None
        start, end = match.span()
        value = match.group("day_month")
        if _EXPIRY_CUE.search(text, max(0, start - 24), start) is not None:
            return None
        following = _NEXT_WORD.match(text, end)
        if following is not None and following.group(1).casefold() in {
            "uhr", "uur", "h", "am", "pm", *_COUNTED  # "um 11.05 Uhr": a time
        }:  # fmt: skip
            return None
        weekday = match.group("weekday")
        timed = match.group("time") is not None
        single = len(match.group("dm_day")) == 1 and len(match.group("dm_month")) == 1
        if weekday is not None or timed:
            return None if single and weekday is not None and len(weekday) <= 3 else 0.6
        if not day_first:
            # Month first ("02/14") only where a cue makes it a date.
            return 0.6 if self._cued(text, start) else None
        separator = match.group("dm_sep")
        two_figures = len(match.group("dm_day")) == 2 and len(match.group("dm_month")) == 2
        if separator == "." and value.endswith(".") and two_figures:
            return 0.6  # "ab 01.02.", "| 03.02. |": the German form, in any language's text
        if single:
            return None  # "3/4", "1/2": a fraction or a score
        if self._cued(text, start) and (separator != "." or value.endswith(".") or two_figures):
            return 0.6
        if separator == "/" and two_figures and "0" in (value[0], value[3]):
            return 0.5  # "03/02", "20/05"
        return None

    def _cued(self, text: str, start: int) -> bool:
        return self._cues.search(text, max(0, start - 24), start) is not None


_NEXT_WORD = re.compile(r"[ \t]{0,4}([^\s\d]{1,24}|\d)")
_MONTH_WORD = re.compile(r"[^\W\d_]{3,}")
_LAST_WORD = re.compile(r"[^\W\d_]+")
_YEAR_IN_DATE = re.compile(rf"(?<!\d){_YEAR4}(?!\d)|'\d\d")
