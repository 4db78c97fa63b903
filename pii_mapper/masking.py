"""Applying actions to spans with one conversation mapping.

A :class:`Masker` serves one call: it is seeded with the conversation's mapping, replaces the
spans of each text in conversation order (history first, then the message) and hands back
the extended mapping. Consistency: equal values (after the entity's normalisation) get the
same placeholder everywhere, including values already in the seed; numbers continue after
the seed's, skip any number a placeholder-like text in the conversation already uses, and
are never reused for another value. Redaction and hashing never put the original into the
mapping.

Entries of the seed whose type the policy now redacts or hashes are *withheld*: they are not
handed back, their numbers stay taken, and their placeholders in the text are replaced by
the redaction or hash marker of their original (:func:`pii_mapper.plan.withheld_entries`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from pii_mapper.detection import Span
from pii_mapper.entities import normalize_value
from pii_mapper.errors import PiiInputError
from pii_mapper.mapping import MAX_VALUE_CHARS, ConversationMapping
from pii_mapper.placeholders import (
    format_placeholder,
    hash_marker,
    parse_placeholder,
    placeholder_forms,
    redaction_marker,
)
from pii_mapper.policy import Action
from pii_mapper.positions import codepoint_to_utf16

__all__ = ["Masker", "ResultSpan", "reserved_numbers"]


# The name a span had once it was replaced; it is the one span type (kept for existing imports).
ResultSpan = Span


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


class Masker:
    """Replaces spans with one growing mapping. One instance serves one call; not shared.

    ``withheld`` (:attr:`pii_mapper.plan.MaskPlan.withheld`) are seed entries left out of the
    mapping handed back; a span that covers one of their placeholders is hashed from its original.
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

    def apply(
        self, text: str, spans: Sequence[Span], message: int | None = None
    ) -> tuple[str, list[Span]]:
        """``text`` with each of the disjoint, sorted ``spans`` replaced as its action says,
        and the spans as handled: with their replacement, ``message`` (None for the current
        message, else the index of the history message ``text`` is) and UTF-16 offsets."""
        pieces: list[str] = []
        handled: list[Span] = []
        utf16 = codepoint_to_utf16(text)
        cursor = 0
        for span in spans:
            original = text[span.start : span.end]
            replacement = self._replacement(span.entity, span.action, original)
            pieces.append(text[cursor : span.start])
            pieces.append(replacement)
            cursor = span.end
            handled.append(  # not dataclasses.replace: that is several times slower
                Span(
                    span.start,
                    span.end,
                    span.entity,
                    span.action,
                    span.source,
                    span.score,
                    replacement=replacement,
                    recognizer=span.recognizer,
                    message=message,
                    start_utf16=utf16(span.start),
                    end_utf16=utf16(span.end),
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
            if len(original) > MAX_VALUE_CHARS:
                # Overlapping detections merge into one span, so a long run of one repeated
                # value can become a single span; no mapping may hold it, so no placeholder.
                raise PiiInputError(
                    f"one {entity} span is {len(original)} characters long (overlapping "
                    f"detections merge into one span); a masked value may be at most "
                    f"{MAX_VALUE_CHARS} characters: split the text or redact {entity}",
                    code="span_too_long",
                )
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
