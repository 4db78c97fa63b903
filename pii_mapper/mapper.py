"""``PiiMapper``: the facade that ties the stages together (SPEC §7).

One call of :meth:`PiiMapper.mask` does, in order:

1. read the history's texts and check sizes;
2. work the policy out once into a :class:`~pii_mapper.plan.MaskPlan`: the action of each
   entity type, the threshold, the types to detect, and the declared positions resolved
   against the message (X-Pii-Positions); the steps after read the plan, not the policy;
3. run the detector once over all texts of the conversation, as one batch, and only for the
   entity types the policy asks for (no types asked: no detector call at all);
4. keep detections above the threshold whose type the policy processes, dropping any that
   touch a marker of the library's own (a placeholder in a history message, say);
5. merge overlapping spans (union, strictest action);
6. find every known value again wherever it recurs in the conversation — the history
   mapping's values, every detected value, every redacted or hashed one — and merge again;
7. replace the spans with one mapping, seeded from the policy's history mapping.

A ``PiiMapper`` holds no per-conversation state: it can be shared between threads. The
detector is created on first use, once, under a lock.

Custom entity types (``PiiMapper(custom_entities=…)``) are the mapper's own: its catalogue
(the built-in one plus them) is the active one while any of its methods runs
(:func:`pii_mapper.entities.using`), so its header parsing, masking and unmasking know them
and no other mapper does. Their recognizers, and any given as ``recognizers=…``, run next to
the detector (:class:`~pii_mapper.registry.RecognizerDetector`); the detector is never asked
for a custom type.
"""

from __future__ import annotations

import bisect
import logging
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pii_mapper.chat import HistoryItem, history_texts, with_contents
from pii_mapper.custom import CustomEntity, custom_catalogue
from pii_mapper.detection import (
    Detection,
    Detector,
    KnownValues,
    Source,
    Span,
    merge_spans,
)
from pii_mapper.entities import Catalogue, using
from pii_mapper.errors import DetectionError, PiiInputError, PiiMapperError
from pii_mapper.mapping import ConversationMapping, SealKey
from pii_mapper.masking import Masker, reserved_numbers
from pii_mapper.placeholders import marker_regions, placeholder_entity
from pii_mapper.plan import MaskPlan
from pii_mapper.policy import Action, PiiPolicy
from pii_mapper.preview import PiiPreview
from pii_mapper.registry import Recognizer, RecognizerDetector, RecognizerRegistry

if TYPE_CHECKING:
    from pii_mapper.unmasking import UnmaskReport

__all__ = ["DEFAULT_MAX_TEXT_CHARS", "MaskResult", "PiiMapper"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_TEXT_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class MaskResult:
    """The masked message and history, the conversation's mapping, and what was replaced.

    ``spans`` are the current message's; ``history_spans[i]`` those of history message ``i``.
    ``mapping.to_header()`` is the value to send back as X-Chat-History-Pii-Mapping.
    """

    text: str
    history: tuple[HistoryItem, ...]
    mapping: ConversationMapping
    spans: tuple[Span, ...]
    history_spans: tuple[tuple[Span, ...], ...]


class PiiMapper:
    """Masks conversations as a policy says, and unmasks model output.

    ``detector`` defaults to the Presidio + spaCy detector, created on first use.
    ``hash_key`` keys the ``hash`` action's HMAC; without one, a random key is drawn for this
    instance, so hashes are stable for its lifetime only (configure a key to keep them stable
    across processes). ``max_text_chars`` bounds each message; longer ones are an error.
    ``custom_entities`` are this mapper's own entity types (:class:`~pii_mapper.CustomEntity`);
    ``recognizers`` are extra recognizers (:class:`~pii_mapper.Recognizer`) run next to the
    detector for the types they find, built-in or custom.
    """

    def __init__(
        self,
        detector: Detector | None = None,
        *,
        hash_key: bytes | str | None = None,
        max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
        custom_entities: Iterable[CustomEntity] = (),
        recognizers: Iterable[Recognizer] = (),
    ) -> None:
        custom = tuple(custom_entities)
        self._catalogue: Catalogue = custom_catalogue(custom)
        self._custom_entities = custom
        self._custom_names = frozenset(entity.name for entity in custom)
        self._recognizers = tuple(recognizers)
        registry = RecognizerRegistry({entity.name: (entity.recognizer(),) for entity in custom})
        for recognizer in self._recognizers:
            registry = registry.with_recognizer(recognizer)
        self._own = RecognizerDetector(registry) if registry.entities else None
        self._detector = detector
        self._detector_lock = threading.Lock()
        if isinstance(hash_key, str):
            hash_key = hash_key.encode("utf-8")
        self._hash_key = hash_key if hash_key is not None else os.urandom(32)
        self._max_text_chars = max_text_chars

    def __repr__(self) -> str:
        detector = type(self._detector).__name__ if self._detector is not None else "lazy"
        custom = f", custom_entities={sorted(self._custom_names)}" if self._custom_names else ""
        return f"PiiMapper(detector={detector}, max_text_chars={self._max_text_chars}{custom})"

    @property
    def custom_entities(self) -> tuple[CustomEntity, ...]:
        """This mapper's own entity types, as given."""
        return self._custom_entities

    def with_custom_entities(self, custom_entities: Iterable[CustomEntity]) -> PiiMapper:
        """A mapper like this one — the same detector (or, for a default one not yet made, a
        new one), hash key, text bound and extra recognizers — that knows ``custom_entities``
        instead of this one's."""
        return PiiMapper(
            self._detector,
            hash_key=self._hash_key,
            max_text_chars=self._max_text_chars,
            custom_entities=custom_entities,
            recognizers=self._recognizers,
        )

    @property
    def catalogue(self) -> Catalogue:
        """The entity types this mapper knows: the built-in catalogue and its custom types."""
        return self._catalogue

    def parse_headers(
        self,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        seal_key: SealKey | None = None,
        **options: Any,
    ) -> PiiPolicy:
        """:func:`pii_mapper.parse_headers` (the same arguments: ``conversation_id``,
        ``default`` …), knowing this mapper's custom entity types too: as names and aliases,
        in suggestions for a misspelling, and as placeholders in the history mapping."""
        from pii_mapper.headers import parse_headers

        with using(self._catalogue):
            return parse_headers(headers, seal_key, **options)

    @property
    def detector(self) -> Detector:
        """The detector, created on first use (loading the NLP model only when asked to)."""
        if self._detector is None:
            with self._detector_lock:
                if self._detector is None:
                    try:
                        from pii_mapper._presidio import PresidioDetector
                    except ImportError as exc:  # fail closed, with a reason a user can act on
                        raise DetectionError(
                            f"the default detector cannot be loaded ({exc.name} is missing)"
                        ) from None
                    self._detector = PresidioDetector(max_text_chars=self._max_text_chars)
        return self._detector

    def mask(
        self, message: str, policy: PiiPolicy, history: Sequence[HistoryItem] = ()
    ) -> MaskResult:
        """Mask ``message`` and ``history`` with one policy and one mapping."""
        with using(self._catalogue):
            return self._mask(message, policy, history)[0]

    def _mask(
        self, message: str, policy: PiiPolicy, history: Sequence[HistoryItem]
    ) -> tuple[MaskResult, MaskPlan]:
        """:meth:`mask`, and the plan it worked out from ``policy`` (once)."""
        contents = history_texts(history)
        texts = [text for text in contents if text is not None]
        texts.append(self._checked(message))
        for text in texts[:-1]:
            self._checked(text)
        plan = MaskPlan.build(policy, message)
        spans = self._spans(texts, plan)
        # Only types that get new placeholders need their numbers checked against the text.
        masked_types = {s.entity for found in spans for s in found if s.action is Action.MASK}
        masker = Masker(plan.history, self._hash_key, reserved_numbers(texts, masked_types))
        # Which text each one is: the index of its history message, None for the message.
        where = [i for i, content in enumerate(contents) if content is not None] + [None]
        masked: list[tuple[str, list[Span]]] = [
            masker.apply(text, text_spans, index)
            for text, text_spans, index in zip(texts, spans, where, strict=True)
        ]
        masked_iter = iter(masked[:-1])
        new_contents: list[str | None] = []
        history_spans: list[tuple[Span, ...]] = []
        for content in contents:
            if content is None:
                new_contents.append(None)
                history_spans.append(())
            else:
                text, handled = next(masked_iter)
                new_contents.append(text)
                history_spans.append(tuple(handled))
        message_text, message_spans = masked[-1]
        logger.debug("masked %d texts, %d spans", len(texts), sum(len(s) for _, s in masked))
        result = MaskResult(
            text=message_text,
            history=with_contents(history, new_contents),
            mapping=masker.mapping,
            spans=tuple(message_spans),
            history_spans=tuple(history_spans),
        )
        return result, plan

    def preview(
        self, message: str, policy: PiiPolicy, history: Sequence[HistoryItem] = ()
    ) -> PiiPreview:
        """What :meth:`mask` would do, as a report; calls no model and changes no state."""
        with using(self._catalogue):
            return self._preview(message, policy, history)

    def _preview(
        self, message: str, policy: PiiPolicy, history: Sequence[HistoryItem]
    ) -> PiiPreview:
        result, plan = self._mask(message, policy, history)
        spans = [*(s for handled in result.history_spans for s in handled), *result.spans]
        counts: dict[str, int] = {}
        for span in spans:
            counts[span.entity] = counts.get(span.entity, 0) + 1
        return PiiPreview(
            message=result.text,
            history=[_as_dict(item) for item in result.history],
            spans=spans,
            policy=policy,
            mapping=result.mapping.to_dict(),
            counts=counts,
            warnings=_warnings(message, plan, result.spans),
        )

    def unmask(self, text: str, mapping: ConversationMapping | dict[str, str]) -> str:
        """``text`` with every placeholder of ``mapping`` restored (tolerating variants)."""
        from pii_mapper.unmasking import unmask

        with using(self._catalogue):
            return unmask(text, mapping)

    def unmask_with_report(
        self, text: str, mapping: ConversationMapping | dict[str, str]
    ) -> tuple[str, UnmaskReport]:
        """:meth:`unmask`, and a report of every placeholder form met; no original in it."""
        from pii_mapper.unmasking import unmask_with_report

        with using(self._catalogue):
            return unmask_with_report(text, mapping)

    def unmask_stream(
        self, chunks: Iterable[str], mapping: ConversationMapping | dict[str, str]
    ) -> Iterator[str]:
        """Unmask a stream of chunks; the joined output equals :meth:`unmask` of the whole."""
        from pii_mapper.unmasking import unmask_stream

        with using(self._catalogue):  # the mapping's placeholders are checked here
            stream = unmask_stream(chunks, mapping)
        return self._in_catalogue(stream)

    def _in_catalogue(self, stream: Iterator[str]) -> Iterator[str]:
        """``stream`` with this mapper's catalogue active while each piece is computed (a
        generator runs where it is consumed, not where it was made)."""
        while True:
            with using(self._catalogue):
                piece = next(stream, None)
            if piece is None:
                return
            yield piece

    def unmask_json(self, value: Any, mapping: ConversationMapping | dict[str, str]) -> Any:
        """Unmask every string (keys included) inside a JSON-like value; same shape back."""
        from pii_mapper.unmasking import unmask_json

        with using(self._catalogue):
            return unmask_json(value, mapping)

    def _checked(self, text: object) -> str:
        if not isinstance(text, str):
            raise PiiInputError(f"a message must be a string, not {type(text).__name__}")
        if len(text) > self._max_text_chars:
            raise PiiInputError(
                f"a message of {len(text)} characters exceeds the limit of "
                f"{self._max_text_chars} (PiiMapper(max_text_chars=…))",
                code="text_too_long",
            )
        return text

    def _spans(self, texts: list[str], plan: MaskPlan) -> list[list[Span]]:
        """Merged spans for each text; declared positions apply to the last (the message)."""
        detections = self._detect(texts, plan.detect)
        threshold = plan.threshold
        markers = [marker_regions(text) for text in texts]
        spans: list[list[Span]] = []
        for found, marks in zip(detections, markers, strict=True):
            candidates = []
            for detection in found:
                action = plan.actions.get(detection.entity)
                if action is None or detection.score < threshold:
                    continue
                if _overlaps_marker(marks, detection.start, detection.end):
                    continue
                candidates.append(
                    Span(
                        detection.start,
                        detection.end,
                        detection.entity,
                        action,
                        Source.DETECTED,
                        detection.score,
                        recognizer=detection.recognizer,
                    )
                )
            spans.append(candidates)
        spans[-1].extend(plan.declared)
        merged = [merge_spans(candidates) for candidates in spans]
        known = _known_values(texts, merged, plan)
        if not known:
            return merged
        return [
            merge_spans(
                [
                    *found,
                    *(c for c in known.find(text) if not _overlaps_marker(marks, c.start, c.end)),
                ]
            )
            for text, found, marks in zip(texts, merged, markers, strict=True)
        ]

    def _detect(self, texts: list[str], entities: frozenset[str]) -> list[list[Detection]]:
        """The detector's findings (and the mapper's own recognizers'); fails closed on
        anything unexpected. The detector is never asked for a custom type."""
        if not entities:
            return [[] for _ in texts]
        for_detector = entities - self._custom_names
        detector = self.detector if for_detector else None
        own = self._own
        try:
            found = (
                detector.detect(texts, for_detector)
                if detector is not None
                else [[] for _ in texts]
            )
            if own is not None and entities & own.registry.entities:
                extra = own.detect(texts, entities & own.registry.entities)
                if len(found) == len(texts):
                    found = [[*a, *b] for a, b in zip(found, extra, strict=True)]
        except PiiMapperError:
            raise
        except Exception as exc:
            raise DetectionError(f"the detector failed ({type(exc).__name__})") from None
        if len(found) != len(texts):
            raise DetectionError(
                f"the detector returned {len(found)} results for {len(texts)} texts"
            )
        for text, detections in zip(texts, found, strict=True):
            for detection in detections:
                if not 0 <= detection.start < detection.end <= len(text):
                    raise DetectionError(
                        f"the detector returned a span {detection.start}-{detection.end} "
                        f"outside a text of {len(text)} characters"
                    )
        return found


def _overlaps_marker(markers: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) shares a character with one of the sorted, disjoint markers."""
    index = bisect.bisect_left(markers, (end,))
    return index > 0 and markers[index - 1][1] > start


def _known_values(texts: list[str], merged: list[list[Span]], plan: MaskPlan) -> KnownValues:
    """Values to find again everywhere: the history mapping's, every detected value, and
    every value whose action is strict (a redacted original must not recur in the clear).
    A declared span that only masks stays where it was declared (SPEC §6)."""
    known = KnownValues()
    for placeholder, original in plan.history.items():
        entity = placeholder_entity(placeholder)
        known.add(original, entity, plan.actions.get(entity, Action.MASK), 1.0)
    for text, found in zip(texts, merged, strict=True):
        for span in found:
            if span.source is Source.DETECTED or span.action.strictness >= Action.HASH.strictness:
                known.add(text[span.start : span.end], span.entity, span.action, span.score)
    return known


def _as_dict(item: HistoryItem) -> dict[str, Any]:
    return item.model_dump() if hasattr(item, "model_dump") else dict(item)


_LOW_CONFIDENCE = 0.6


def _warnings(message: str, plan: MaskPlan, spans: Sequence[Span]) -> list[str]:
    """Things a person checking the dry run should look at. Never quotes span text."""
    warnings: list[str] = []

    def is_word(index: int) -> bool:
        return 0 <= index < len(message) and message[index].isalnum()

    for span in spans:
        where = f"span {span.start}-{span.end} ({span.entity})"
        if span.source is Source.DECLARED and (
            (is_word(span.start - 1) and is_word(span.start))
            or (is_word(span.end - 1) and is_word(span.end))
        ):
            warnings.append(f"declared {where} cuts a word")
        if span.source is Source.DETECTED and span.score < _LOW_CONFIDENCE:
            warnings.append(f"detected {where} has a low score ({span.score:.2f})")
    if not plan.detect and not plan.declared:
        warnings.append("the policy processes no entity type and declares no span")
    return warnings
