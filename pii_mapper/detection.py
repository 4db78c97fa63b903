"""Spans: where they come from and how they are merged (SPEC §3.3, §4).

Two sources produce candidate spans of a message: the caller's declared positions
(:func:`declared_spans`) and a :class:`Detector`. :func:`merge_spans` folds overlapping
candidates into one span over their union: entity from a declared span if any, else the
highest score, then the longest; action the strictest (redact > hash > mask > keep).

``Detector`` is the one seam to NLP: a one-method protocol. :class:`StaticDetector` is its
test double, shipped in the package, so unit and property tests run without spaCy.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol, runtime_checkable

from pii_mapper.errors import PiiHeaderError
from pii_mapper.normalize import fold_for_search
from pii_mapper.policy import Action, PiiPolicy, Units

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_RECURRING_CHARS",
    "POSITIONS_HEADER",
    "Candidate",
    "Detection",
    "Detector",
    "KnownValues",
    "Source",
    "StaticDetector",
    "declared_spans",
    "merge_spans",
]

POSITIONS_HEADER = "X-Pii-Positions"

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


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span before replacement: from a declared position or a detection."""

    start: int
    end: int
    entity: str
    action: Action
    source: Source
    score: float


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


def declared_spans(policy: PiiPolicy, message: str) -> list[Candidate]:
    """The policy's declared positions as spans of ``message``, in code points.

    Raises :class:`PiiHeaderError` naming X-Pii-Positions for a span past the end of the
    message or (in UTF-16 units) one that cuts a surrogate pair.
    """
    if not policy.positions:
        return []
    to_codepoint = _utf16_to_codepoint(message) if policy.units is Units.UTF16 else None
    length = len(message) if to_codepoint is None else _utf16_length(message)
    unit = "UTF-16 units" if to_codepoint is not None else "code points"
    spans = []
    for declared in policy.positions:
        item = f"{declared.start}-{declared.end}"
        if declared.end > length:
            raise PiiHeaderError(
                POSITIONS_HEADER,
                f"span ends at {declared.end}, past the end of the message ({length} {unit})",
                code="span_out_of_range",
                item=item,
            )
        start, end = declared.start, declared.end
        if to_codepoint is not None:
            try:
                start, end = to_codepoint[start], to_codepoint[end]
            except KeyError:
                raise PiiHeaderError(
                    POSITIONS_HEADER,
                    "a UTF-16 offset falls inside a surrogate pair (between the two halves "
                    "of one character)",
                    code="span_splits_character",
                    item=item,
                ) from None
        spans.append(
            Candidate(
                start, end, declared.entity, policy.declared_action(declared), Source.DECLARED, 1.0
            )
        )
    return spans


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _utf16_to_codepoint(text: str) -> dict[int, int]:
    """UTF-16 offset -> code point index, for every offset at a character boundary."""
    table: dict[int, int] = {}
    offset = 0
    for index, ch in enumerate(text):
        table[offset] = index
        offset += 2 if ord(ch) > 0xFFFF else 1
    table[offset] = len(text)
    return table


_WORD = re.compile(r"\w+")
# Tokens for the known-value search: a run of word characters, or one other character.
_TOKEN = re.compile(r"\w+|\W")

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
        self._actions: dict[str, Candidate] = {}  # folded value -> its span template
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
        self._actions[folded] = Candidate(0, 0, entity, action, Source.DETECTED, score)
        self._automaton = None

    def find(self, text: str) -> list[Candidate]:
        """Whole-word occurrences of known values in ``text``, sorted by start, with offsets
        in ``text`` itself."""
        if not self._actions:
            return []
        if self._automaton is None:
            self._automaton = _TokenAutomaton(self._actions)
        folded = fold_for_search(text)
        found = []
        for start, end, template in self._automaton.matches(folded.text):
            start, end = folded.span(start, end)
            found.append(replace(template, start=start, end=end))
        found.sort(key=lambda c: (c.start, -c.end))
        return found


class _TokenAutomaton:
    """Aho-Corasick over token sequences. Each state keeps, per action, the longest value
    that ends there (its own or one reached by suffix links), computed once when built."""

    def __init__(self, values: Mapping[str, Candidate]) -> None:
        self._goto: list[dict[str, int]] = [{}]
        own: list[dict[Action, tuple[int, Candidate]]] = [{}]
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
        self._out: list[tuple[tuple[int, Candidate], ...]] = [()] * len(self._goto)
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

    def matches(self, text: str) -> Iterator[tuple[int, int, Candidate]]:
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


def merge_spans(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Fold overlapping candidates into disjoint spans, sorted by start (SPEC §4).

    Overlap means sharing at least one character; spans that merely touch stay apart.
    """
    ordered = sorted(candidates, key=lambda c: (c.start, -c.end))
    merged: list[Candidate] = []
    group: list[Candidate] = []
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


def _fold(group: list[Candidate], end: int) -> Candidate:
    if len(group) == 1:
        return group[0]
    leader = max(group, key=lambda c: (c.source is Source.DECLARED, c.score, c.end - c.start))
    action = max((c.action for c in group), key=lambda a: a.strictness)
    source = Source.DECLARED if any(c.source is Source.DECLARED for c in group) else Source.DETECTED
    return Candidate(group[0].start, end, leader.entity, action, source, leader.score)
