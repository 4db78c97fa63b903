"""Nationalities, religions and political affiliations said of a person (the NRP type).

:class:`NrpRecognizer` finds, in a message in one of the six languages (English's words
count in every language: chat mixes English in), the words of ``models/nrp_words.json``:

* a **religion** or its adherent (``Muslim``, ``jüdisch``, ``musulmanes``, ``evangélica``,
  ``hindoe``): NRP unless it describes a thing (``Jewish holidays``, ``islamitische
  school``, ``cuisine juive``). A word that is as often said of an idea or a thing
  (``orthodox``, ``Christian``, which is also a first name, ``catholique``) needs the cue
  a nationality needs;
* a **nationality** or a people (``Nigerian``, ``ukrainische``, ``algérienne``,
  ``oekraïense``, ``Kurdish``, ``Tamil``) and a **political adherent** (``Democrat``,
  ``communiste``, ``leghista``) only where something says it is a person's: next to a
  person noun (``Nigerian national``, ``türkische Kollegin``, ``la candidate algérienne``),
  next to a nationality or faith cue (``Nationality: American``, ``de oekraïense
  nationaliteit``, ``Konfession römisch-katholisch``, ``of Italian origin``), after a
  marker that only persons take (``I am``, ``being``, ``as a``, ``practising``, ``als``,
  ``comme``, ``soy``), or after a copula whose subject is a person (``he is``, ``she's``,
  ``Amira est``, ``que es``; a pronoun, a person noun, a name; in French, Spanish and
  Italian also a copula that opens a clause: ``: è ortodosso``);
* a **political party** (``AfD``, ``Sinn Féin``, ``Fratelli d'Italia``, ``Vox``), matched
  as written, only after a word of membership or support within three words (``member
  of``, ``Mitgliedschaft in der``, ``afiliado a``, ``candidato con``) or right before one
  (``AfD-Mitglied``, ``Labour voter``): a party named in the news is an organisation.

Never a country's name (a place), never a word that describes a thing or names a language
(``French format``, ``format français``, ``writes in English``, ``auf Deutsch``: the
``things`` and ``language_cues`` of ``models/lexicon/nrp.json``), and in English, German
and Dutch never an adjective before another noun than a person's (``Italian restaurant``,
``türkisches Restaurant``), in French, Spanish and Italian never one after another noun
(``restaurant italien``). Words are read one by one (and as runs of up to four, for
``Roman Catholic`` or ``Partij voor de Dieren``) with bounded looks around each: linear.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from pii_mapper._data import model_file
from pii_mapper.detection import Detection
from pii_mapper.detection.lexicon import lexicon, nrp_cues
from pii_mapper.errors import DetectionError
from pii_mapper.language import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    function_words,
)

__all__ = ["NrpRecognizer", "NrpWords", "nrp_words"]

_NAME = "nrp_words.json"
# A word with inner apostrophes or hyphens: "d'Italia", "römisch-katholisch", "he's".
_TOKEN = re.compile(r"\w+(?:['\u2019\-]\w+)*")
# The longest listed phrase, in words ("Partij voor de Dieren").
_MAX_WORDS = 4
# How many words back a cue may stand ("member of the AfD", "is a practising Muslim").
_LOOK_BACK = 3
# Between two words of one clause: spaces, a colon after a label, a comma, a hyphen.
_SAME_CLAUSE = re.compile(r"[ \t]*(?:[:,\-][ \t]*)?")
# Between an adjective and the noun it describes: spaces or a hyphen.
_BESIDE = re.compile(r"[ \t]+|[ \t]*-[ \t]*")
# What ends a clause before a copula (French, Spanish, Italian drop the subject there).
_CLAUSE_BREAK = re.compile(r"[.!?:;\n(]\s*$")
# Articles, quantifiers and adverbs that may stand between a cue and the word.
_FILLERS = frozenset(
    {
        *("a", "an", "the", "of", "very", "also", "not", "really", "quite", "proud", "from"),
        *("ein", "eine", "einen", "einer", "der", "die", "das", "den", "des", "auch", "nicht"),
        *("sehr", "von"),
        *("un", "une", "le", "la", "les", "de", "d", "du", "des", "aussi", "pas", "très"),
        *("el", "los", "las", "una", "del", "también", "muy", "no"),
        *("il", "lo", "gli", "uno", "di", "della", "del", "anche", "non", "molto"),
        *("een", "het", "de", "van", "ook", "niet", "heel", "zeer"),
    }
)
# Languages that put the adjective after its noun ("format français", "restaurant italien").
_NOUN_FIRST = frozenset({"fr", "es", "it"})

# What the words beside an NRP word make of it.
_PERSON, _THING = "person", "thing"
# The endings of nouns of agents and trades, which may be a person's ("Dutch contractor",
# "türkischer Elektriker", "l'ingénieur algérien", "un fontanero peruano"): beside one, an
# NRP word is neither a person's for sure nor a thing's.
_AGENT = re.compile(
    r"(?:er|or|ist|ian|ee|man|woman|person|erin|istin|eur|euse|ier|ière|iste"
    r"|ero|era|ista|ore|ora|trice|aar|ster)s?$",
    re.IGNORECASE,
)
# How far around another recognizer's span describes_a_thing reads.
_WINDOW = 80

# Kinds of listed words.
_NATIONALITY, _RELIGION, _CUED_RELIGION, _ADHERENT = "nationality", "religion", "cued", "adherent"


@dataclass(frozen=True, slots=True)
class NrpWords:
    """One language's NRP words and cues (English's included), case-folded but parties."""

    words: dict[str, str]  # case-folded word or phrase -> its kind
    parties: frozenset[str]  # as written
    person_nouns: frozenset[str]  # and nationality cues: "colleague", "nationaliteit"
    copulas: frozenset[str]  # "is", "est": need a person as subject
    markers: frozenset[str]  # "am", "being", "als", "comme": said of persons only
    subjects: frozenset[str]  # "he", "elle", "que": a person's subject
    not_subjects: frozenset[str]  # "it", "das", "ce": a thing's
    party_cues: frozenset[str]  # "member", "Mitglied", "afiliado"
    also_places: frozenset[str]  # "ucraina": the adjective in lower case, the country not
    function_words: frozenset[str]
    languages: frozenset[str]  # names of languages: "english", "nederlands", "deutsch"


@cache
def nrp_words(language: str) -> NrpWords:
    """The NRP words of ``language`` (``models/nrp_words.json``) with English's."""
    if language not in SUPPORTED_LANGUAGES:
        raise DetectionError(f"no NRP words for the language {language!r}")
    try:
        data = json.loads(model_file(_NAME).read_text(encoding="utf-8"))
        codes = (DEFAULT_LANGUAGE, language)

        def folded(key: str) -> frozenset[str]:
            return frozenset(str(w).casefold() for c in codes for w in data[key][c])

        words: dict[str, str] = {}
        for kind, key in ((_NATIONALITY, "nationalities"), (_ADHERENT, "adherents")):
            for code in codes:
                for group in data[key][code]:
                    for form in str(group).split():
                        words[form.casefold()] = kind
        for code in codes:
            for group in data["religions"][code]:
                # A group is one religion's forms; "Roman Catholic" is one phrase of two.
                for form in _phrases(str(group)):
                    words[form.casefold()] = _RELIGION
        for word in folded("ambiguous_religions"):
            words[word] = _CUED_RELIGION
        for word in data["english_words_not_read"][language]:  # "Roma" is Rome in Italian
            words.pop(str(word).casefold(), None)
        return NrpWords(
            words=words,
            parties=frozenset(str(p) for p in data["parties"]),
            person_nouns=folded("person_nouns") | folded("nationality_cues"),
            copulas=folded("copulas"),
            markers=folded("person_markers"),
            subjects=folded("person_subjects"),
            not_subjects=folded("not_person_subjects"),
            party_cues=folded("party_cues"),
            also_places=folded("also_places"),
            function_words=function_words(language),
            languages=folded("language_names"),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DetectionError(f"cannot read models/{_NAME}: {exc!r}") from None


@cache
def _starts(language: str) -> frozenset[str]:
    """The case-folded first words of ``language``'s listed words, phrases and parties."""
    words = nrp_words(language)
    firsts = set()
    for entry in (*words.words, *words.parties):
        first = _TOKEN.search(entry)
        if first is not None:
            firsts.add(first.group().casefold())
    return frozenset(firsts)


def _phrases(group: str) -> list[str]:
    """The forms of one religion's group: single words, but a listed phrase of several
    words stays whole ("Roman Catholic", "Jehovah's Witness", "témoin de Jéhovah")."""
    words = group.split()
    phrases: list[str] = []
    i = 0
    while i < len(words):
        # A phrase continues over a lower-case link ("de") or into a capitalised head
        # after a capitalised word ("Roman Catholic", "Jehovah's Witness").
        j = i + 1
        while j < len(words) and (
            words[j] in {"de", "di"}
            or (j - 1 >= i and words[j - 1] in {"de", "di"})
            or (words[j - 1] in {"Roman", "Jehovah's", "Jehova's"})
        ):
            j += 1
        phrases.append(" ".join(words[i:j]))
        i = j
    return phrases


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int


class NrpRecognizer:
    """Nationalities, religions and political affiliations said of a person, in
    ``language`` and English (see the module's docstring): 0.85 next to a person noun,
    a cue or a person's marker, 0.7 after a copula whose subject is a person or for a
    religion word alone."""

    name = "NrpRecognizer"
    entity = "NRP"

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self._words = nrp_words(language)
        self._cues = nrp_cues(language)
        self._starts = _starts(language)

    def find(self, text: str) -> Iterator[Detection]:
        starts = self._starts
        if not any(w.casefold() in starts or "-" in w for w in _TOKEN.findall(text)):
            return  # no listed word starts anywhere: most messages
        tokens = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        i = 0
        last = -_LOOK_BACK - 1  # the last word of the previous match
        while i < len(tokens):
            word = tokens[i].text
            if word.casefold() not in starts and "-" not in word:
                i += 1  # no listed word or phrase starts here: most words of a message
                continue
            found = self._match(text, tokens, i, _coordinated(text, tokens, last, i))
            if found is None:
                i += 1
                continue
            count, end, score = found
            yield Detection(tokens[i].start, end, self.entity, score, self.name)
            last = i + count - 1
            i += count

    def _match(
        self, text: str, tokens: list[_Token], i: int, linked: bool
    ) -> tuple[int, int, float] | None:
        """(words read, end of the match, score) for the word at ``i``, or None; ``linked``:
        the word follows a match and a conjunction ("Kurdish and Muslim")."""
        words = self._words
        for count in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            run = tokens[i : i + count]
            if count > 1 and not all(
                _SPACE.fullmatch(text, a.end, b.start) for a, b in pairwise(run)
            ):
                continue
            phrase = text[run[0].start : run[-1].end]
            if phrase in words.parties:
                cued = self._party_cued(text, tokens, i, count)
                return (count, run[-1].end, 0.85) if cued else None
            kind = words.words.get(" ".join(t.text.casefold() for t in run))
            if kind is not None:
                score = self._said_of_a_person(text, tokens, i, count, kind, linked)
                return None if score is None else (count, run[-1].end, score)
        token = tokens[i]
        if "-" in token.text:  # "AfD-Mitglied", "Italian-American"
            head, _, tail = token.text.partition("-")
            if head in words.parties and tail.casefold() in words.party_cues:
                return 1, token.start + len(head), 0.85  # the party, not the member
            parts = token.text.casefold().split("-")
            if all(words.words.get(p) == _NATIONALITY for p in parts):
                score = self._said_of_a_person(text, tokens, i, 1, _NATIONALITY, linked)
                return None if score is None else (1, token.end, score)
        return None

    # --- parties ---------------------------------------------------------------------

    def _party_cued(self, text: str, tokens: list[_Token], i: int, count: int) -> bool:
        cues = self._words.party_cues
        after = tokens[i + count] if i + count < len(tokens) else None
        if (
            after is not None
            and _SAME_CLAUSE.fullmatch(text, tokens[i + count - 1].end, after.start)
            and after.text.casefold() in cues
        ):
            return True  # "Labour voter", "AfD - Mitglied"
        for back in range(i - 1, max(-1, i - 1 - _LOOK_BACK), -1):
            if not _SAME_CLAUSE.fullmatch(text, tokens[back].end, tokens[back + 1].start):
                return False
            if tokens[back].text.casefold() in cues:
                return True  # "member of Sinn Féin", "Mitgliedschaft in der AfD"
        return False

    # --- nationalities, religions, adherents -------------------------------------------

    def _said_of_a_person(
        self, text: str, tokens: list[_Token], i: int, count: int, kind: str, linked: bool
    ) -> float | None:
        first = tokens[i]
        if first.text.casefold() in self._words.also_places and not first.text.islower():
            return None  # "Ucraina", "Siria": the country, not its people's adjective
        if self._english_word_in_lower_case(first.text):
            return None  # "polish the floor": an English verb, not a nationality
        context = self._neighbours(text, tokens, i, count)
        if context == _THING:
            return None
        if context == _PERSON:
            return 0.85  # "Nigerian national", "la candidate algérienne", "nationalité …"
        if linked:
            return 0.85  # "Sikh and Nigerian": the first one's cue holds for both
        cue = self._cue_before(text, tokens, i)
        if cue is not None:
            return cue
        return 0.7 if kind == _RELIGION else None

    def _neighbours(self, text: str, tokens: list[_Token], i: int, count: int) -> str | None:
        """What the words right beside ``tokens[i : i + count]`` make of it: ``_PERSON``
        (a person noun or a nationality cue), ``_THING`` (a noun it describes, a language
        cue), or None."""
        words = self._words
        first, last = tokens[i], tokens[i + count - 1]
        after = tokens[i + count] if i + count < len(tokens) else None
        if after is not None and not _BESIDE.fullmatch(text, last.end, after.start):
            after = None  # "Hindu, so …": a word after a comma is not one it describes
        before = tokens[i - 1] if i > 0 else None
        if before is not None and not _SAME_CLAUSE.fullmatch(text, before.end, first.start):
            before = None
        folded_after = after.text.casefold() if after is not None else None
        folded_before = before.text.casefold() if before is not None else None
        cues = self._cues
        if folded_after in cues.things or folded_before in cues.language_cues:
            return _THING  # "French format", "writes in English"
        if self.language in _NOUN_FIRST and folded_before in cues.things:
            return _THING  # "format français"
        if folded_after in words.person_nouns or folded_before in words.person_nouns:
            return _PERSON
        if (
            after is not None
            and _AGENT.search(after.text) is None
            and self._describes_a_noun(after)
        ):
            return _THING  # "Italian restaurant", "türkisches Restaurant", "Irish Times"
        if (
            self.language in _NOUN_FIRST
            and before is not None
            and _AGENT.search(before.text) is None
            and self._content_word(before)
            and folded_before not in words.copulas
            and folded_before not in words.markers
        ):
            return _THING  # "restaurant italien", "vino spagnolo"
        return None

    def describes_a_thing(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]``, a listed NRP word or phrase (another recognizer's
        span), describes a thing or names a language where it stands ("the Italian
        restaurant", "un restaurant italien"). Reads a bounded window around the span."""
        lo, hi = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
        tokens = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, lo, hi)]
        first = next((k for k, t in enumerate(tokens) if t.start == start), None)
        if first is None:
            return False
        count = next((k - first + 1 for k, t in enumerate(tokens) if t.end == end), 0)
        if not 1 <= count <= _MAX_WORDS:
            return False
        run = tokens[first : first + count]
        if " ".join(t.text.casefold() for t in run) not in self._words.words:
            return False
        return self._neighbours(text, tokens, first, count) == _THING

    def _english_word_in_lower_case(self, word: str) -> bool:
        """Whether ``word``, in lower case, is an ordinary English word that is not the
        message's language's NRP word ("polish", "french" fries, "swiss" roll)."""
        if not word.islower():
            return False
        folded = word.casefold()
        if self.language != DEFAULT_LANGUAGE and folded in _own_words(self.language):
            return False
        return folded in lexicon(DEFAULT_LANGUAGE).plain

    def _content_word(self, token: _Token) -> bool:
        folded = token.text.casefold()
        return (
            token.text[0].isalpha()
            and folded not in self._words.function_words
            and folded not in _FILLERS
            and folded not in self._words.words
        )

    def _describes_a_noun(self, after: _Token) -> bool:
        """Whether the word after an NRP word is a noun that it describes (English, German,
        Dutch put the adjective first): not a person's, not a function word."""
        if self.language in _NOUN_FIRST or not self._content_word(after):
            return False
        word = after.text
        folded = word.casefold()
        if self.language == "de":
            return word[0].isupper() and (
                folded in lexicon("de").nouns or not lexicon("de").knows_plain(folded)
            )
        # Not a participle: "a Sikh living in Leeds", "a Kurd raised in Berlin".
        return not word.endswith(("ing", "ed"))

    def _cue_before(self, text: str, tokens: list[_Token], i: int) -> float | None:
        """The score a cue before the word gives it (a nationality or faith cue, a person's
        marker, a copula after a person), over articles and adverbs; None without one."""
        words = self._words
        for back in range(i - 1, max(-1, i - 1 - _LOOK_BACK), -1):
            token = tokens[back]
            if not _SAME_CLAUSE.fullmatch(text, token.end, tokens[back + 1].start):
                return None
            folded = token.text.casefold()
            head, apostrophe, tail = folded.replace("\u2019", "'").partition("'")
            if apostrophe and head in words.subjects and tail in {"s", "m", "re"}:
                return 0.85  # "he's", "I'm", "they're"
            if folded in words.markers or folded in words.person_nouns:
                return 0.85  # "being", "as a", "als", "Nationality:", "Konfession"
            if folded in words.copulas:
                return 0.7 if self._person_subject(text, tokens, back) else None
            if folded not in _FILLERS:
                return None
        return None

    def _person_subject(self, text: str, tokens: list[_Token], copula: int) -> bool:
        """Whether the word before the copula at ``copula`` is a person: a pronoun, a
        person noun or a name (not a listed ordinary word); in French, Spanish and Italian
        also a copula that opens its clause (the subject is dropped)."""
        start = tokens[copula].start
        if copula == 0 or _CLAUSE_BREAK.search(text, max(0, start - 4), start):
            return self.language in _NOUN_FIRST and copula > 0
        subject = tokens[copula - 1]
        if not _SAME_CLAUSE.fullmatch(text, subject.end, start):
            return False
        folded = subject.text.casefold()
        words = self._words
        if folded in words.not_subjects or folded in self._cues.things:
            return False
        if folded in words.subjects or folded in words.person_nouns:
            return True
        own = lexicon(self.language)
        known = own.knows(folded) or lexicon(DEFAULT_LANGUAGE).knows(folded)
        if self.language == "de" and known:
            return False  # "Das Auto ist deutsch": German capitalises every noun
        return not known or (subject.text[0].isupper() and not _sentence_start(text, subject.start))


_SPACE = re.compile(r"[ \t]+")
# Words that join two NRP words said of the same person ("Kurdish and Muslim").
_CONJUNCTIONS = frozenset({"and", "or", "und", "oder", "et", "ou", "y", "e", "o", "en", "of"})


def _coordinated(text: str, tokens: list[_Token], last: int, i: int) -> bool:
    """Whether the word at ``i`` follows the match ending at ``last`` over a conjunction and
    at most one article or adverb, in the same clause ("Sikh and Nigerian", "Kurdish and
    a practising Muslim")."""
    between = tokens[last + 1 : i]
    if not 1 <= len(between) <= 2 or between[0].text.casefold() not in _CONJUNCTIONS:
        return False
    if any(t.text.casefold() not in _FILLERS for t in between[1:]):
        return False
    return all(
        _SAME_CLAUSE.fullmatch(text, a.end, b.start) for a, b in pairwise(tokens[last : i + 1])
    )


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start].rstrip()
    return not before or before[-1] in ".!?:\n"


@cache
def _own_words(language: str) -> frozenset[str]:
    """The NRP words of ``language`` alone (without English's)."""
    try:
        data = json.loads(model_file(_NAME).read_text(encoding="utf-8"))
        return frozenset(
            form.casefold()
            for key in ("nationalities", "religions", "adherents")
            for group in data[key][language]
            for form in str(group).split()
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DetectionError(f"cannot read models/{_NAME}: {exc!r}") from None
