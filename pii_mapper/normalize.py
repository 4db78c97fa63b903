"""Folded views of a text, with an exact way back to the original offsets.

Detection and the search for known values work on a *folded* copy of a text, so that a
value is not hidden by how it is written:

* :func:`fold_for_detection` — what the detectors see: compatibility forms folded the NFKC
  way (full-width digits and at sign become ``123`` and ``@``, ligatures and no-break spaces
  their plain forms) and invisible characters removed (zero-width space and joiners,
  word joiner, soft hyphen, byte-order mark), so ``4\u200b1\u200b5`` reads ``415``;
* :func:`fold_for_search` — what known values are compared on: the same, plus full Unicode
  case folding (``Weiß`` → ``weiss``, ``STRASSENBAHN`` and ``straßenbahn`` alike).

Each character is folded on its own (a base letter and a combining mark are not composed),
so a folded character comes from exactly one original character, and :class:`Folded` maps
any span of the folded text back to the original characters it came from: a span starts at
the original character of its first folded character and ends after the original character
of its last, so it covers invisible characters *inside* it and never cuts a character.

Cost: linear in the text. ASCII text is returned as is (lower-cased for the search); other
text costs one ``set`` of its characters, one ``str.translate`` and one step per character
whose folded form has another length (the map keeps only those).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["INVISIBLE", "Folded", "fold_for_detection", "fold_for_search"]

# Characters that render as nothing (or as a mere hyphenation point) and are dropped.
INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space, ZWNJ, ZWJ, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidirectional embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidirectional isolates
    "\ufeff"  # zero-width no-break space (byte-order mark)
)


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and the way back. Only characters whose folded form is not one
    character long are recorded (``anchors``): between them offsets shift by a constant."""

    text: str
    original_length: int
    # For each length-changing character, in order: where its folded form starts in
    # `text`, its index in the original, and the length of its folded form (0: removed).
    folded_at: tuple[int, ...] = ()
    original_at: tuple[int, ...] = ()
    widths: tuple[int, ...] = ()

    @property
    def is_identity(self) -> bool:
        """Whether offsets are the same in both texts (the folded text may differ)."""
        return not self.folded_at

    def origin(self, index: int) -> int:
        """The original index of the character at ``index`` of the folded text."""
        anchor = bisect_right(self.folded_at, index) - 1
        if anchor < 0:
            return index
        at, width = self.folded_at[anchor], self.widths[anchor]
        if index < at + width:
            return self.original_at[anchor]
        return self.original_at[anchor] + 1 + (index - at - width)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``[start, end)`` (``start < end``): from its
        first character's origin to just after its last character's origin."""
        if not self.folded_at:
            return start, end
        return self.origin(start), self.origin(end - 1) + 1


_Fold = Callable[[str], str]


def _detection_form(char: str) -> str:
    if char in INVISIBLE:
        return ""
    return unicodedata.normalize("NFKC", char)


def _search_form(char: str) -> str:
    if char in INVISIBLE:
        return ""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", char).casefold())


# Folded forms already computed, per fold (shared; dict updates are atomic under the GIL).
_DETECTION_FORMS: dict[str, str] = {}
_SEARCH_FORMS: dict[str, str] = {}


def _fold(text: str, form: _Fold, forms: dict[str, str]) -> Folded:
    changed: dict[int, str] = {}
    resized: list[str] = []
    for char in set(text):
        folded = forms.get(char)
        if folded is None:
            folded = forms[char] = form(char)
        if folded != char:
            changed[ord(char)] = folded
            if len(folded) != 1:
                resized.append(char)
    if not changed:
        return Folded(text, len(text))
    folded_text = text.translate(changed)
    if not resized:
        return Folded(folded_text, len(text))
    folded_at: list[int] = []
    original_at: list[int] = []
    widths: list[int] = []
    shift = 0  # folded offset minus original offset so far
    pattern = re.compile("[" + "".join(re.escape(char) for char in resized) + "]")
    for match in pattern.finditer(text):
        index = match.start()
        width = len(changed[ord(text[index])])
        folded_at.append(index + shift)
        original_at.append(index)
        widths.append(width)
        shift += width - 1
    return Folded(folded_text, len(text), tuple(folded_at), tuple(original_at), tuple(widths))


def fold_for_detection(text: str) -> Folded:
    """``text`` with compatibility forms folded (NFKC, per character) and invisible
    characters removed: what the detectors see."""
    if text.isascii():
        return Folded(text, len(text))
    return _fold(text, _detection_form, _DETECTION_FORMS)


def fold_for_search(text: str) -> Folded:
    """:func:`fold_for_detection`, plus full Unicode case folding: what known values are
    compared on."""
    if text.isascii():
        return Folded(text.lower(), len(text))
    return _fold(text, _search_form, _SEARCH_FORMS)
