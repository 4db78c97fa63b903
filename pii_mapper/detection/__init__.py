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
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from operator import attrgetter
from typing import Protocol, runtime_checkable

from pii_mapper.normalize import fold_for_search
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

    ``languages``, when given, is each text's language (``en``, ``fr``, ``de``, ``es``,
    ``it``, ``nl``: the caller named one); without it, the detector decides (the default
    detector identifies each text's language, the texts being one conversation).
    """

    def detect(
        self,
        texts: Sequence[str],
        entities: frozenset[str],
        *,
        languages: Sequence[str] | None = None,
    ) -> list[list[Detection]]:
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


# Every field of a Span after its offsets, read at once: a span moved to other offsets.
_SPAN_REST = attrgetter(*(f.name for f in fields(Span)[2:]))
if [f.name for f in fields(Span)[:2]] != ["start", "end"]:  # pragma: no cover
    raise AssertionError("Span's first two fields must be its offsets")


class StaticDetector:
    """A detector that finds fixed literal values: the test double of :class:`Detector`.

    >>> detector = StaticDetector({"Ada Lovelace": "PERSON", "ada@example.com": "EMAIL_ADDRESS"})
    >>> detector.detect(["Mail Ada Lovelace at ada@example.com"], frozenset({"PERSON"}))
    [[Detection(start=5, end=17, entity='PERSON', score=1.0, recognizer='static')]]

    Values are matched case-sensitively wherever they occur; ``score`` is given to every
    detection. ``calls`` counts the texts it was asked about; ``languages`` is the
    ``languages`` argument of the last call.
    """

    def __init__(self, values: Mapping[str, str], *, score: float = 1.0) -> None:
        self._values = dict(values)
        self._score = score
        ordered = sorted(self._values, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self.calls = 0
        self.languages: list[str] | None = None  # what the last call was told

    def detect(
        self,
        texts: Sequence[str],
        entities: frozenset[str],
        *,
        languages: Sequence[str] | None = None,
    ) -> list[list[Detection]]:
        # Literal values are found alike in any language: ``languages`` is only recorded.
        self.calls += len(texts)
        self.languages = list(languages) if languages is not None else None
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
_WORD_CHAR = re.compile(r"\w")
# Tokens for the known-value search: a run of word characters, or one other character.
_TOKEN = re.compile(r"\w+|\W")
# Up to this many known values, a text of up to this many characters is searched value by
# value (str.find, then a look at the characters around each hit): on a chat message and
# its few values that is several times faster than building the automaton. Past either
# bound the automaton keeps the search linear whatever the values.
_DIRECT_VALUES = 8
_DIRECT_CHARS = 4096

# Known values shorter than this are not searched for again unless their action is strict:
# two-letter names would otherwise mask every "Al" of a conversation.
MIN_RECURRING_CHARS = 3


class KnownValues:
    """Values already known to be PII in a conversation, found again wherever they recur.

    A detector can find a value in one message and miss it in the next; the history mapping
    holds values that must keep their placeholder. Every occurrence of a known value (as a
    whole word, compared on :func:`~pii_mapper.normalize.fold_for_search`'s form: full
    Unicode case folding, width variants folded, invisible characters ignored) becomes a
    span over the original characters, so the same value is handled the same way everywhere,
    and a redacted or hashed original is not left in the clear elsewhere.

    The search is linear in the text whatever the values: text and values are cut into
    tokens (a run of word characters, or one other character) — so a token-for-token match
    is exactly a whole-word match — and one Aho-Corasick automaton over token sequences
    reads each text's tokens once. Where several known values end at the same place (one is
    a suffix of the other), only the longest of each action is reported: the shorter lie
    inside it, so merging gives the same span and the same strictest action, and the number
    of spans stays linear in the text.
    """

    def __init__(self) -> None:
        self._actions: dict[str, Span] = {}  # folded value -> its span template
        self._automaton: _TokenAutomaton | None = None

    def __bool__(self) -> bool:
        return bool(self._actions)

    def add(self, value: str, entity: str, action: Action, score: float) -> None:
        folded = fold_for_search(value).text
        if _WORD.search(folded) is None:
            return  # no word to anchor on
        if action is Action.KEEP or (
            len(value.strip()) < MIN_RECURRING_CHARS and action.strictness < Action.HASH.strictness
        ):
            return
        known = self._actions.get(folded)
        if known is not None and known.action.strictness >= action.strictness:
            return
        self._actions[folded] = Span(
            0, 0, entity, action, Source.DETECTED, score, recognizer=KNOWN_VALUE_RECOGNIZER
        )
        self._automaton = None

    def find(self, text: str) -> list[Span]:
        """Whole-word occurrences of known values in ``text``, sorted by start, with offsets
        in ``text`` itself."""
        if not self._actions:
            return []
        folded = fold_for_search(text)
        matches: Iterable[tuple[int, int, Span]]
        if len(self._actions) <= _DIRECT_VALUES and len(folded.text) <= _DIRECT_CHARS:
            matches = _direct_matches(folded.text, self._actions)
        else:
            if self._automaton is None:
                self._automaton = _TokenAutomaton(self._actions)
            matches = self._automaton.matches(folded.text)
        found = []
        for start, end, template in matches:
            start, end = folded.span(start, end)
            # not dataclasses.replace: that is several times slower
            found.append(Span(start, end, *_SPAN_REST(template)))
        # No two matches share both ends: each folded value is one key of ``_actions``.
        found.sort(key=lambda c: (c.start, -c.end))
        return found


def _direct_matches(text: str, values: Mapping[str, Span]) -> list[tuple[int, int, Span]]:
    """What :meth:`_TokenAutomaton.matches` reports, found value by value: every occurrence
    of a value that starts and ends on a token boundary of ``text`` (a token is a run of
    word characters or one other character, so a hit is a token-for-token match exactly
    when no word character runs across either of its ends), and of those that end at the
    same place, the longest of each action."""
    longest: dict[tuple[int, Action], tuple[int, Span]] = {}
    n = len(text)
    for value, template in values.items():
        size = len(value)
        word_first = _WORD_CHAR.match(value) is not None
        word_last = _WORD_CHAR.match(value, size - 1) is not None
        start = text.find(value)
        while start >= 0:
            end = start + size
            if not (
                (word_first and start > 0 and _WORD_CHAR.match(text, start - 1) is not None)
                or (word_last and end < n and _WORD_CHAR.match(text, end) is not None)
            ):
                kept = longest.get((end, template.action))
                if kept is None or kept[0] < size:
                    longest[(end, template.action)] = (size, template)
            start = text.find(value, start + 1)
    return [(end - size, end, template) for (end, _), (size, template) in longest.items()]


class _TokenAutomaton:
    """Aho-Corasick over token sequences. Each state keeps, per action, the longest value
    that ends there (its own or one reached by suffix links), computed once when built."""

    def __init__(self, values: Mapping[str, Span]) -> None:
        self._goto: list[dict[str, int]] = [{}]
        own: list[dict[Action, tuple[int, Span]]] = [{}]
        for folded, template in values.items():
            state = 0
            for token in _TOKEN.findall(folded):
                following = self._goto[state].get(token)
                if following is None:
                    following = self._goto[state][token] = len(self._goto)
                    self._goto.append({})
                    own.append({})
                state = following
            own[state][template.action] = (len(folded), template)
        # Breadth first: a state's suffix link points to a shallower state, already done.
        fail = [0] * len(self._goto)
        self._out: list[tuple[tuple[int, Span], ...]] = [()] * len(self._goto)
        self._out[0] = tuple(own[0].values())
        queue = deque(self._goto[0].values())
        while queue:
            state = queue.popleft()
            best = dict(own[state])
            for length, template in self._out[fail[state]]:
                kept = best.get(template.action)
                if kept is None or kept[0] < length:
                    best[template.action] = (length, template)
            self._out[state] = tuple(best.values())
            for token, following in self._goto[state].items():
                link = fail[state]
                while link and token not in self._goto[link]:
                    link = fail[link]
                target = self._goto[link].get(token, 0)
                fail[following] = target if target != following else 0
                queue.append(following)
        self._fail = fail

    def matches(self, text: str) -> Iterator[tuple[int, int, Span]]:
        """(start, end, template) of every reported match in ``text``."""
        goto, fail, out = self._goto, self._fail, self._out
        root = goto[0]
        state = 0
        end = 0
        for token in _TOKEN.findall(text):
            end += len(token)
            if state == 0:
                state = root.get(token, 0)
            else:
                while True:
                    following = goto[state].get(token)
                    if following is not None:
                        state = following
                        break
                    if state == 0:
                        break
                    state = fail[state]
            for length, template in out[state]:
                yield end - length, end, template


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
