"""``PiiMapper``: the facade that ties the stages together (SPEC §7).

One call of :meth:`PiiMapper.mask` does, in order:

1. read the history's texts and check sizes;
2. resolve the declared positions against the message (X-Pii-Positions);
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
"""

from __future__ import annotations

import bisect
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pii_mapper.chat import HistoryItem, history_texts, with_contents
from pii_mapper.detection import (
    DEFAULT_THRESHOLD,
    Candidate,
    Detection,
    Detector,
    KnownValues,
    Source,
    declared_spans,
    merge_spans,
)
from pii_mapper.errors import DetectionError, PiiInputError, PiiMapperError
from pii_mapper.mapping import ConversationMapping
from pii_mapper.masking import Masker, ResultSpan, marker_regions, reserved_numbers
from pii_mapper.policy import Action, PiiPolicy
from pii_mapper.preview import PiiPreview, PreviewSpan

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
    spans: tuple[ResultSpan, ...]
    history_spans: tuple[tuple[ResultSpan, ...], ...]


class PiiMapper:
    """Masks conversations as a policy says, and unmasks model output.

    ``detector`` defaults to the Presidio + spaCy detector, created on first use.
    ``hash_key`` keys the ``hash`` action's HMAC; without one, a random key is drawn for this
    instance, so hashes are stable for its lifetime only (configure a key to keep them stable
    across processes). ``max_text_chars`` bounds each message; longer ones are an error.
    """

    def __init__(
        self,
        detector: Detector | None = None,
        *,
        hash_key: bytes | str | None = None,
        max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
    ) -> None:
        self._detector = detector
        self._detector_given = detector is not None
        self._detector_lock = threading.Lock()
        if isinstance(hash_key, str):
            hash_key = hash_key.encode("utf-8")
        self._hash_key = hash_key if hash_key is not None else os.urandom(32)
        self._max_text_chars = max_text_chars

    def __getstate__(self) -> dict[str, Any]:
        # Pickling ships the configuration (to Dask workers, say), never a loaded model: the
        # default detector is created again, lazily, where the copy is used. The hash key
        # travels with it, so every copy hashes a value to the same marker.
        state = self.__dict__.copy()
        del state["_detector_lock"]
        if not self._detector_given:
            state["_detector"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._detector_lock = threading.Lock()

    def __repr__(self) -> str:
        detector = type(self._detector).__name__ if self._detector is not None else "lazy"
        return f"PiiMapper(detector={detector}, max_text_chars={self._max_text_chars})"

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
        contents = history_texts(history)
        texts = [text for text in contents if text is not None]
        texts.append(self._checked(message))
        for text in texts[:-1]:
            self._checked(text)
        spans = self._spans(texts, policy)
        # Only types that get new placeholders need their numbers checked against the text.
        masked_types = {s.entity for found in spans for s in found if s.action is Action.MASK}
        masker = Masker(policy.history, self._hash_key, reserved_numbers(texts, masked_types))
        masked: list[tuple[str, list[ResultSpan]]] = [
            masker.apply(text, text_spans) for text, text_spans in zip(texts, spans, strict=True)
        ]
        masked_iter = iter(masked[:-1])
        new_contents: list[str | None] = []
        history_spans: list[tuple[ResultSpan, ...]] = []
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
        return MaskResult(
            text=message_text,
            history=with_contents(history, new_contents),
            mapping=masker.mapping,
            spans=tuple(message_spans),
            history_spans=tuple(history_spans),
        )

    def preview(
        self, message: str, policy: PiiPolicy, history: Sequence[HistoryItem] = ()
    ) -> PiiPreview:
        """What :meth:`mask` would do, as a report; calls no model and changes no state."""
        result = self.mask(message, policy, history)
        originals = [*(c for c in history_texts(history)), message]
        spans: list[PreviewSpan] = []
        for index, (text, handled) in enumerate(
            zip(originals, [*result.history_spans, result.spans], strict=True)
        ):
            if text is None:
                continue
            position = None if index == len(originals) - 1 else index
            utf16 = _utf16_offsets(text)
            spans.extend(_preview_span(position, utf16, span) for span in handled)
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
            warnings=_warnings(message, policy, result.spans),
        )

    def unmask(self, text: str, mapping: ConversationMapping | dict[str, str]) -> str:
        """``text`` with every placeholder of ``mapping`` restored (tolerating variants)."""
        from pii_mapper.unmasking import unmask

        return unmask(text, mapping)

    def unmask_with_report(
        self, text: str, mapping: ConversationMapping | dict[str, str]
    ) -> tuple[str, UnmaskReport]:
        """:meth:`unmask`, and a report of every placeholder form met; no original in it."""
        from pii_mapper.unmasking import unmask_with_report

        return unmask_with_report(text, mapping)

    def unmask_stream(
        self, chunks: Iterable[str], mapping: ConversationMapping | dict[str, str]
    ) -> Iterator[str]:
        """Unmask a stream of chunks; the joined output equals :meth:`unmask` of the whole."""
        from pii_mapper.unmasking import unmask_stream

        return unmask_stream(chunks, mapping)

    def unmask_json(self, value: Any, mapping: ConversationMapping | dict[str, str]) -> Any:
        """Unmask every string (keys included) inside a JSON-like value; same shape back."""
        from pii_mapper.unmasking import unmask_json

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

    def _spans(self, texts: list[str], policy: PiiPolicy) -> list[list[Candidate]]:
        """Merged spans for each text; declared positions apply to the last (the message)."""
        detections = self._detect(texts, policy.detected_entities())
        threshold = (
            policy.auto.threshold if policy.auto.threshold is not None else DEFAULT_THRESHOLD
        )
        markers = [marker_regions(text) for text in texts]
        spans: list[list[Candidate]] = []
        for found, marks in zip(detections, markers, strict=True):
            candidates = []
            for detection in found:
                action = policy.action_for(detection.entity)
                if action is None or detection.score < threshold:
                    continue
                if _overlaps_marker(marks, detection.start, detection.end):
                    continue
                candidates.append(
                    Candidate(
                        detection.start,
                        detection.end,
                        detection.entity,
                        action,
                        Source.DETECTED,
                        detection.score,
                    )
                )
            spans.append(candidates)
        spans[-1].extend(declared_spans(policy, texts[-1]))
        merged = [merge_spans(candidates) for candidates in spans]
        known = _known_values(texts, merged, policy)
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
        """The detector's findings; fails closed on anything unexpected."""
        if not entities:
            return [[] for _ in texts]
        detector = self.detector
        try:
            found = detector.detect(texts, entities)
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


def _known_values(
    texts: list[str], merged: list[list[Candidate]], policy: PiiPolicy
) -> KnownValues:
    """Values to find again everywhere: the history mapping's, every detected value, and
    every value whose action is strict (a redacted original must not recur in the clear).
    A declared span that only masks stays where it was declared (SPEC §6)."""
    known = KnownValues()
    for placeholder, original in policy.history.items():
        entity = placeholder[1:].rsplit("_", 1)[0]
        known.add(original, entity, policy.action_for(entity) or Action.MASK, 1.0)
    for text, found in zip(texts, merged, strict=True):
        for span in found:
            if span.source is Source.DETECTED or span.action.strictness >= Action.HASH.strictness:
                known.add(text[span.start : span.end], span.entity, span.action, span.score)
    return known


def _utf16_offsets(text: str) -> Callable[[int], int]:
    """Code point index -> UTF-16 offset for ``text``, in O(1) per lookup after O(n) set-up."""
    if text.isascii() or max(text) <= "\uffff":
        return lambda index: index
    prefix = [0]
    for ch in text:
        prefix.append(prefix[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return prefix.__getitem__


def _preview_span(
    message: int | None, utf16: Callable[[int], int], span: ResultSpan
) -> PreviewSpan:
    return PreviewSpan(
        message=message,
        start=span.start,
        end=span.end,
        start_utf16=utf16(span.start),
        end_utf16=utf16(span.end),
        entity=span.entity,
        action=span.action,
        source=span.source,
        score=span.score,
        replacement=span.replacement,
    )


def _as_dict(item: HistoryItem) -> dict[str, Any]:
    return item.model_dump() if hasattr(item, "model_dump") else dict(item)


_LOW_CONFIDENCE = 0.6


def _warnings(message: str, policy: PiiPolicy, spans: Sequence[ResultSpan]) -> list[str]:
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
    if not policy.detected_entities() and not policy.positions:
        warnings.append("the policy processes no entity type and declares no span")
    return warnings
