"""Spans: where they come from and how they are merged.

Two sources produce candidate spans of a message: the caller's declared positions
(:func:`pii_mapper.positions.declared_spans`) and a :class:`Detector`. :func:`merge_spans`
folds overlapping candidates into one span over their union: entity from a declared span if
any, else the highest score, then the longest; action the strictest (redact > hash > mask >
keep).

``Detector`` is the one seam to NLP: a one-method protocol. :class:`StaticDetector` is its
test double, shipped in the package, so unit and property tests run without spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol, runtime_checkable

from pii_mapper.policy import Action

__all__ = [
    "DECLARED_RECOGNIZER",
    "DEFAULT_THRESHOLD",
    "KNOWN_VALUE_RECOGNIZER",
    "MIN_RECURRING_CHARS",
    "Detection",
    "Detector",
    "KnownValues",
    "Source",
    "Span",
    "StaticDetector",
    "merge_spans",
]

# Detections scoring below this are dropped unless the policy sets its own threshold.
# Detector backends calibrate their scores so that this one cut suits every entity type.
DEFAULT_THRESHOLD = 0.4


class Source(StrEnum):
    DECLARED = "declared"
    DETECTED = "detected"


@dataclass(frozen=True, slots=True)
class Detection:
    """What a detector reports: a span of one text, in code points, end-exclusive."""

    start: int
    end: int
    entity: str
    score: float
    recognizer: str = ""


@runtime_checkable
class Detector(Protocol):
    """Finds PII in texts. Implementations must be safe to call from several threads.

    ``detect`` returns, for each text, the detections of the requested ``entities`` (any
    order, overlaps allowed). It raises on failure; it never returns a partial result.
    """

    def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        """One list of detections per text."""
        ...


# The recognizer of spans that no detector found: declared by the caller (X-Pii-Positions),
# or a value already known to be PII found again where it recurs.
DECLARED_RECOGNIZER = "declared"
KNOWN_VALUE_RECOGNIZER = "known-value"


@dataclass(frozen=True, slots=True)
class Span:
    """One span of one text of a conversation: the one value the pipeline hands along.

    Offsets are code points of its text, end-exclusive. A span is found (by a recognizer,
    declared by the caller, or a known value found again), merged with the spans it overlaps,
    then replaced. ``recognizer`` says what found it (a recognizer's name,
    :data:`DECLARED_RECOGNIZER` or :data:`KNOWN_VALUE_RECOGNIZER`; a merged span keeps its
    leader's). Masking fills the rest: ``replacement`` (what stands in its place),
    ``message`` (None for the current message, else the index of its history message),
    ``tool_call`` (None for a message's content, else the index of the tool call whose
    ``function.arguments`` text the offsets are in) and the offsets in UTF-16 code units (what
    JavaScript counts).
    """

    start: int
    end: int
    entity: str
    action: Action
    source: Source
    score: float
    replacement: str = ""
    recognizer: str = ""
    message: int | None = None
    tool_call: int | None = None
    start_utf16: int | None = None
    end_utf16: int | None = None


class StaticDetector:
    """A detector that finds fixed literal values: the test double of :class:`Detector`.

    >>> detector = StaticDetector({"Ada Lovelace": "PERSON", "ada@example.com": "EMAIL_ADDRESS"})
    >>> detector.detect(["Mail Ada Lovelace at ada@example.com"], frozenset({"PERSON"}))
    [[Detection(start=5, end=17, entity='PERSON', score=1.0, recognizer='static')]]

    Values are matched case-sensitively wherever they occur; ``score`` is given to every
    detection. ``calls`` counts the texts it was asked about.
    """

    def __init__(self, values: Mapping[str, str], *, score: float = 1.0) -> None:
        self._values = dict(values)
        self._score = score
        ordered = sorted(self._values, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self.calls = 0

    def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        self.calls += len(texts)
        results: list[list[Detection]] = []
        for text in texts:
            found: list[Detection] = []
            if self._pattern is not None:
                for match in self._pattern.finditer(text):
                    entity = self._values[match.group()]
                    if entity in entities:
                        found.append(
                            Detection(match.start(), match.end(), entity, self._score, "static")
                        )
            results.append(found)
        return results


_WORD = re.compile(r"\w+")
# Up to this many (values x characters), known values are found by one str.find scan each.
_DIRECT_SCAN_WORK = 20_000_000

# Known values shorter than this are not searched for again unless their action is strict:
# two-letter names would otherwise mask every "Al" of a conversation.
MIN_RECURRING_CHARS = 3


class KnownValues:
    """Values already known to be PII in a conversation, found again wherever they recur.

    A detector can find a value in one message and miss it in the next; the history mapping
    holds values that must keep their placeholder. Every occurrence of a known value (case
    folded, as a whole word) becomes a span, so the same value is handled the same way
    everywhere, and a redacted or hashed original is not left in the clear elsewhere.

    The search is one pass over each text's words with a dictionary lookup per word: linear
    in the text, whatever the number of values.
    """

    def __init__(self) -> None:
        # first word of a value (case-folded) -> [(folded value, offset of that word, span)]
        self._by_first_word: dict[str, list[tuple[str, int, Span]]] = {}
        self._actions: dict[str, Span] = {}

    def __bool__(self) -> bool:
        return bool(self._actions)

    def add(self, value: str, entity: str, action: Action, score: float) -> None:
        folded = value.casefold()
        first = _WORD.search(folded)
        if first is None or len(folded) != len(value):
            return  # no word to anchor on, or case folding changes the length
        if action is Action.KEEP or (
            len(value.strip()) < MIN_RECURRING_CHARS and action.strictness < Action.HASH.strictness
        ):
            return
        known = self._actions.get(folded)
        if known is not None and known.action.strictness >= action.strictness:
            return
        template = Span(
            0, len(value), entity, action, Source.DETECTED, score, recognizer=KNOWN_VALUE_RECOGNIZER
        )
        self._actions[folded] = template
        self._by_first_word.setdefault(first.group(), []).append((folded, first.start(), template))

    def find(self, text: str) -> list[Span]:
        """Every whole-word occurrence of a known value in ``text``.

        Few values in a short text: one ``str.find`` scan per value (C speed). Otherwise,
        or when case folding changes the text's length: one pass over the text's words.
        Both give the same spans.
        """
        folded_text = text.casefold()
        if len(folded_text) == len(text) and len(self._actions) * len(text) <= _DIRECT_SCAN_WORK:
            return self._find_direct(text, folded_text)
        return self._find_by_words(text)

    def _find_direct(self, text: str, folded_text: str) -> list[Span]:
        found: list[tuple[int, int, Span]] = []
        for order, (folded, template) in enumerate(self._actions.items()):
            start = folded_text.find(folded)
            while start != -1:
                end = start + len(folded)
                if not (
                    start > 0 and _is_word_char(text[start - 1]) and _is_word_char(folded[0])
                ) and not (
                    end < len(text) and _is_word_char(text[end]) and _is_word_char(folded[-1])
                ):
                    found.append((start, order, replace(template, start=start, end=end)))
                start = folded_text.find(folded, start + 1)
        found.sort(key=lambda item: (item[0], item[1]))
        return [candidate for _, _, candidate in found]

    def _find_by_words(self, text: str) -> list[Span]:
        found: list[Span] = []
        index = self._by_first_word
        for word in _WORD.finditer(text):
            entries = index.get(word.group().casefold())
            if entries is None:
                continue
            for folded, offset, template in entries:
                start = word.start() - offset
                end = start + len(folded)
                if (
                    start >= 0
                    and self._actions[folded] is template
                    and text[start:end].casefold() == folded
                    and not (
                        start > 0 and _is_word_char(text[start - 1]) and _is_word_char(folded[0])
                    )
                    and not (
                        end < len(text) and _is_word_char(text[end]) and _is_word_char(folded[-1])
                    )
                ):
                    found.append(replace(template, start=start, end=end))
        return found


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def merge_spans(candidates: Iterable[Span]) -> list[Span]:
    """Fold overlapping candidates into disjoint spans, sorted by start.

    Overlap means sharing at least one character; spans that merely touch stay apart.
    """
    ordered = sorted(candidates, key=lambda c: (c.start, -c.end))
    merged: list[Span] = []
    group: list[Span] = []
    group_end = -1
    for candidate in ordered:
        if group and candidate.start >= group_end:
            merged.append(_fold(group, group_end))
            group = []
        group.append(candidate)
        group_end = max(group_end, candidate.end) if len(group) > 1 else candidate.end
    if group:
        merged.append(_fold(group, group_end))
    return merged


def _fold(group: list[Span], end: int) -> Span:
    if len(group) == 1:
        return group[0]
    leader = max(group, key=lambda c: (c.source is Source.DECLARED, c.score, c.end - c.start))
    action = max((c.action for c in group), key=lambda a: a.strictness)
    source = Source.DECLARED if any(c.source is Source.DECLARED for c in group) else Source.DETECTED
    return Span(
        group[0].start,
        end,
        leader.entity,
        action,
        source,
        leader.score,
        recognizer=leader.recognizer,
    )
