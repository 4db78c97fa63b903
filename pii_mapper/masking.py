"""Applying actions to spans with one conversation mapping (SPEC §2, §4).

A :class:`Masker` serves one call: it is seeded with the conversation's mapping, replaces the
spans of each text in conversation order (history first, then the message) and hands back
the extended mapping. Consistency: equal values (after the entity's normalisation) get the
same placeholder everywhere, including values already in the seed; numbers continue after
the seed's, skip any number a placeholder-like text in the conversation already uses, and
are never reused for another value. Redaction and hashing never put the original into the
mapping.

Entries of the seed whose type the policy now redacts or hashes are *withheld*: they are not
handed back, their numbers stay taken, and their placeholders in the text are replaced by
the redaction or hash marker of their original (:func:`withheld_entries`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pii_mapper.detection import Candidate, Source
from pii_mapper.entities import normalize_value
from pii_mapper.mapping import ConversationMapping
from pii_mapper.placeholders import (
    format_placeholder,
    hash_marker,
    parse_placeholder,
    redaction_marker,
)
from pii_mapper.policy import Action
from pii_mapper.unmasking import placeholder_forms

__all__ = ["Masker", "ResultSpan", "marker_regions", "reserved_numbers", "withheld_entries"]

# Text the library itself writes: canonical placeholders, redaction and hash markers.
_MARKER = re.compile(r"<[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?:_[1-9][0-9]{0,8}|_REDACTED|#[0-9a-f]{8})>")


@dataclass(frozen=True, slots=True)
class ResultSpan:
    """A span as it was handled: code points of its text, and what replaced it."""

    start: int
    end: int
    entity: str
    action: Action
    source: Source
    score: float
    replacement: str


def marker_regions(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds markers of the library's own making (never PII themselves)."""
    if "<" not in text:
        return []
    return [match.span() for match in _MARKER.finditer(text)]


def reserved_numbers(texts: Iterable[str], entities: Iterable[str]) -> dict[str, set[int]]:
    """Placeholder numbers of ``entities`` that placeholder-like text (any tolerated variant)
    already uses: a new placeholder must not take one, or unmasking would confuse them."""
    wanted = frozenset(entities)
    reserved: dict[str, set[int]] = defaultdict(set)
    if not wanted:
        return reserved
    for text in texts:  # with the very scanner unmasking reads forms with
        for entity, number in placeholder_forms(text):
            if entity in wanted:
                reserved[entity].add(number)
    return reserved


def withheld_entries(
    seed: ConversationMapping, action_for: Callable[[str], Action | None]
) -> dict[str, tuple[str, Action]]:
    """Placeholder -> (original, action) of the seed entries whose type ``action_for`` redacts
    or hashes: their originals must not leave again, not even in the returned mapping."""
    withheld: dict[str, tuple[str, Action]] = {}
    for placeholder, original in seed.items():
        entity = parse_placeholder(placeholder)[0]  # type: ignore[index]
        action = action_for(entity)
        if action is not None and action.strictness >= Action.HASH.strictness:
            withheld[placeholder] = (original, action)
    return withheld


class Masker:
    """Replaces spans with one growing mapping. One instance serves one call; not shared.

    ``withheld`` (from :func:`withheld_entries`) are seed entries left out of the mapping
    handed back; a span that covers one of their placeholders is hashed from its original.
    """

    def __init__(
        self,
        seed: ConversationMapping,
        hash_key: bytes,
        reserved: dict[str, set[int]],
        withheld: Mapping[str, tuple[str, Action]] | None = None,
    ) -> None:
        self._withheld = dict(withheld or {})
        self._seed = seed.without(self._withheld)
        self._hash_key = hash_key
        self._reserved = reserved
        self._by_value: dict[tuple[str, str], str] = {}
        self._last_number: dict[str, int] = defaultdict(int)
        for placeholder, original in seed.items():
            entity, number = parse_placeholder(placeholder)  # type: ignore[misc]
            # A withheld number stays taken (never reused for another value).
            self._last_number[entity] = max(self._last_number[entity], number)
            if placeholder not in self._withheld:
                self._by_value.setdefault((entity, normalize_value(entity, original)), placeholder)
        self._new: list[tuple[str, str]] = []

    @property
    def mapping(self) -> ConversationMapping:
        """The seed mapping extended by every placeholder this masker has handed out."""
        return self._seed.extended(self._new) if self._new else self._seed

    def apply(self, text: str, spans: Sequence[Candidate]) -> tuple[str, list[ResultSpan]]:
        """``text`` with each of the disjoint, sorted ``spans`` replaced as its action says."""
        pieces: list[str] = []
        handled: list[ResultSpan] = []
        cursor = 0
        for span in spans:
            original = text[span.start : span.end]
            replacement = self._replacement(span.entity, span.action, original)
            pieces.append(text[cursor : span.start])
            pieces.append(replacement)
            cursor = span.end
            handled.append(
                ResultSpan(
                    span.start,
                    span.end,
                    span.entity,
                    span.action,
                    span.source,
                    span.score,
                    replacement,
                )
            )
        pieces.append(text[cursor:])
        return "".join(pieces), handled

    def _replacement(self, entity: str, action: Action, original: str) -> str:
        if action is Action.KEEP:
            return original
        if action is Action.REDACT:
            return redaction_marker(entity)
        if action is Action.HASH and original in self._withheld:
            original = self._withheld[original][0]  # a withheld placeholder: hash its original
        normalized = normalize_value(entity, original)
        if action is Action.HASH:
            digest = hmac.new(
                self._hash_key, normalized.encode("utf-8", "surrogatepass"), hashlib.sha256
            )
            return hash_marker(entity, digest.hexdigest()[:8])
        key = (entity, normalized)
        placeholder = self._by_value.get(key)
        if placeholder is None:
            placeholder = self._allocate(entity)
            self._by_value[key] = placeholder
            self._new.append((placeholder, original))
        return placeholder

    def _allocate(self, entity: str) -> str:
        number = self._last_number[entity] + 1
        taken = self._reserved.get(entity, set())
        while number in taken:
            number += 1
        self._last_number[entity] = number
        return format_placeholder(entity, number)
