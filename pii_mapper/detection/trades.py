"""Small companies named by their trade: "Boulangerie Martin", "Spedition Lindner",
"Carpintería Solana", "panificio Greco", "Timmerbedrijf Veenstra", "Aqualine Plumbing".

Most of Europe's small businesses carry no legal form in a chat ("chez Menuiserie Paquet",
"bei der Bäckerei Schäfer"): their name is a trade word and the owner's name or a place's,
the trade first in French, German, Spanish, Italian and Dutch, last in English. The trade
words are data, ``models/trade_words.json``, written for this project.
:class:`TradeNameRecognizer` takes a trade word (any case before a name, capitalised after
one) with one to three capitalised words beside it, particles between them ("Bistrot du
Port", "bakkerij Van Leeuwen"), of which at least one is no word of the six languages
(a name, not "Hotel Reservation" or "Bäckerei Öffnungszeiten"). Scored 0.6: above the NER's
person or place guesses over the same owner's name, the company keeps the whole span.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from pii_mapper._data import model_file
from pii_mapper.detection import Detection
from pii_mapper.detection.places import NAME_WORD
from pii_mapper.errors import DetectionError
from pii_mapper.language import SUPPORTED_LANGUAGES, function_words

__all__ = ["TRADE_SCORE", "TradeNameRecognizer"]

TRADE_SCORE = 0.6
_NAME = "trade_words.json"
_MAX_NAME_WORDS = 3
# Words of a name are places.NAME_WORD ("Lindner", "Saint-Pierre"); capitalised: checked apart.
# Little words inside a business's name: "Bistrot du Port", "Trattoria da Mario",
# "bakkerij van Leeuwen", "Gasthaus zum Löwen", "Schäfer & Söhne". Not the conjunctions of
# a sentence ("en", "y", "und"), which would join the next place or name to the company's.
_PARTICLES = frozenset(
    "du de des la le les d' da di del della dei degli van von der den het zum zur am 't &".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class _Trades:
    before: re.Pattern[str]  # a trade word that comes before the name, any case
    after: re.Pattern[str]  # one that comes after it, capitalised


class TradeNameRecognizer:
    """A business named by its trade and a name (``models/trade_words.json``)."""

    name = "TradeNameRecognizer"
    entity = "ORGANIZATION"

    def find(self, text: str) -> Iterator[Detection]:
        trades = _trades()
        for match in trades.before.finditer(text):
            end = _name_after(text, match.end())
            if end is not None:
                yield Detection(match.start(), end, self.entity, TRADE_SCORE, self.name)
        for match in trades.after.finditer(text):
            start = _name_before(text, match.start())
            if start is not None:
                yield Detection(start, match.end(), self.entity, TRADE_SCORE, self.name)


def _name_after(text: str, position: int) -> int | None:
    """The end of a name after a trade word ending at ``position``: one space, then up to
    three capitalised words with particles between them; None without one."""
    if not text.startswith(" ", position):
        return None
    cursor = position + 1
    end: int | None = None
    names = 0
    has_a_name = False
    while names < _MAX_NAME_WORDS:
        word = _capitalised(NAME_WORD.match(text, cursor))
        particle = None if word else _particle_at(text, cursor)
        if word is None and particle is None:
            break
        if word is not None:
            names += 1
            end = word.end()
            has_a_name = has_a_name or _is_a_name(word.group())
            cursor = word.end()
        else:
            assert particle is not None
            cursor = particle
        if not text.startswith(" ", cursor):
            break
        cursor += 1
    return end if has_a_name else None


def _name_before(text: str, position: int) -> int | None:
    """The start of the capitalised words right before a trade word at ``position`` (one
    space apart), at least one of them a name; None without one."""
    start: int | None = None
    cursor = position
    has_a_name = False
    for _ in range(_MAX_NAME_WORDS):
        if cursor < 2 or text[cursor - 1] != " ":
            break
        word = _last_capitalised(text, cursor - 1)
        if word is None or word[1].casefold() in function_words():
            break
        start, cursor = word[0], word[0]
        has_a_name = has_a_name or _is_a_name(word[1])
    return start if has_a_name else None


def _last_capitalised(text: str, end: int) -> tuple[int, str] | None:
    begin = end
    while begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] in "'\u2019-"):
        begin -= 1
    word = _capitalised(NAME_WORD.fullmatch(text, begin, end))
    return None if word is None else (begin, word.group())


def _capitalised(word: re.Match[str] | None) -> re.Match[str] | None:
    return word if word is not None and word.group()[0].isupper() else None


def _particle_at(text: str, position: int) -> int | None:
    """The end of a particle ("du", "van", "'t") at ``position``, if one is there."""
    space = text.find(" ", position, position + 5)
    if space < 0:
        return None
    return space if text[position:space].casefold() in _PARTICLES else None


def _is_a_name(word: str) -> bool:
    """Whether ``word`` is no word of the six languages (so a name), nor a little word."""
    from pii_mapper.detection.lexicon import lexicon

    folded = word.casefold()
    if folded in _PARTICLES or folded in function_words() or len(folded) < 2:
        return False
    return not any(lexicon(language).knows(folded) for language in SUPPORTED_LANGUAGES)


@lru_cache(maxsize=1)
def _trades() -> _Trades:
    try:
        data = json.loads(model_file(_NAME).read_text(encoding="utf-8"))
        before = sorted({w for words in data["before"].values() for w in words}, key=len)
        after = sorted({w for words in data["after"].values() for w in words}, key=len)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise DetectionError(f"cannot read models/{_NAME}: {exc}") from None
    return _Trades(
        re.compile(
            rf"(?<![\w'\u2019-])(?:{'|'.join(re.escape(w) for w in reversed(before))})(?=\s)",
            re.IGNORECASE,
        ),
        re.compile(rf"(?<= )(?:{'|'.join(re.escape(w) for w in reversed(after))})(?![\w'-])"),
    )
