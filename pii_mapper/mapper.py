"""``PiiMapper``: the facade that ties the stages together.

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
the detector (:class:`~pii_mapper.detection.registry.RecognizerDetector`); the detector is
never asked for a custom type.
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
import os
import threading
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pii_mapper.chat import (
    ChatMessage,
    HistoryItem,
    ToolArguments,
    check_json_value,
    check_text,
    read_history,
    rebuild_history,
)
from pii_mapper.detection import (
    KNOWN_VALUE_RECOGNIZER,
    Detection,
    Detector,
    KnownValues,
    Source,
    Span,
    merge_spans,
)
from pii_mapper.detection.custom import CustomEntity, custom_catalogue
from pii_mapper.detection.registry import Recognizer, RecognizerDetector, RecognizerRegistry
from pii_mapper.entities import Catalogue, using
from pii_mapper.errors import DetectionError, PiiInputError, PiiMapperError
from pii_mapper.mapping import ConversationMapping, SealKey
from pii_mapper.masking import Masker, reserved_numbers
from pii_mapper.placeholders import marker_regions, placeholder_entity
from pii_mapper.plan import MaskPlan
from pii_mapper.policy import Action, PiiPolicy
from pii_mapper.positions import codepoint_to_utf16
from pii_mapper.preview import PiiPreview

if TYPE_CHECKING:
    from pii_mapper.unmasking import UnmaskReport

__all__ = ["DEFAULT_MAX_TEXT_CHARS", "ConversationResult", "MaskResult", "PiiMapper"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_TEXT_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class MaskResult:
    """The masked message and history, the conversation's mapping, and what was replaced.

    ``spans`` are the current message's; ``history_spans[i]`` those of the content of history
    message ``i``, and ``tool_call_spans[i]`` those of its tool calls' arguments, as pairs
    (index of the tool call, span with offsets in that call's ``function.arguments`` text).
    ``mapping.to_header()`` is the value to send back as X-Chat-History-Pii-Mapping.
    """

    text: str
    history: tuple[HistoryItem, ...]
    mapping: ConversationMapping
    spans: tuple[Span, ...]
    history_spans: tuple[tuple[Span, ...], ...]
    tool_call_spans: tuple[tuple[tuple[int, Span], ...], ...] = ()


@dataclass(frozen=True, slots=True)
class ConversationResult:
    """A whole conversation masked by :meth:`PiiMapper.mask_messages`.

    ``messages`` are the masked messages, each in the shape it came in (a dict keeps its
    other keys, a :class:`~pii_mapper.chat.ChatMessage` stays one). ``spans`` are every span
    of the conversation in the order the preview lists them — the messages' contents, then
    their tool calls' arguments, then the current message — each with ``message`` set to
    its index in ``messages``. ``counts`` is the number of spans per entity type, in order
    of first appearance in ``spans``. ``mapping.to_header()`` is the value to send back as
    X-Chat-History-Pii-Mapping.
    """

    messages: tuple[HistoryItem, ...]
    mapping: ConversationMapping
    spans: tuple[Span, ...]
    counts: Mapping[str, int]


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
        self._own = _own_detector(custom, self._recognizers)
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
        # The catalogue and the custom types' recognizers are made again from their definitions.
        state = self.__dict__.copy()
        del state["_detector_lock"], state["_own"], state["_catalogue"]
        if not self._detector_given:
            state["_detector"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._detector_lock = threading.Lock()
        self._catalogue = custom_catalogue(self._custom_entities)
        self._own = _own_detector(self._custom_entities, self._recognizers)

    @classmethod
    def from_env(
        cls,
        detector: Detector | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
    ) -> PiiMapper:
        """A mapper configured from the environment (``PII_MAPPER_HASH_KEY``, and the custom
        entity types of the TOML file named by ``PII_MAPPER_CONFIG``), for servers and the
        command line. ``PiiMapper(...)`` itself never reads the environment.

        Raises :class:`~pii_mapper.errors.ConfigurationError` naming a variable whose value
        is wrong (see :class:`~pii_mapper.settings.Settings`).
        """
        from pii_mapper.config import load_config
        from pii_mapper.settings import Settings

        settings = Settings.from_env(environ)
        return cls(
            detector,
            hash_key=settings.hash_key,
            max_text_chars=max_text_chars,
            custom_entities=load_config(environ=environ),
        )

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
                        from pii_mapper.detection.engine import PresidioDetector
                    except ImportError as exc:  # fail closed, with a reason a user can act on
                        raise DetectionError(
                            f"the default detector cannot be loaded ({exc.name} is missing)"
                        ) from None
                    self._detector = PresidioDetector(max_text_chars=self._max_text_chars)
        return self._detector

    def mask(
        self, message: str, policy: PiiPolicy, history: Sequence[HistoryItem] = ()
    ) -> MaskResult:
        """Mask ``message`` and ``history`` with one policy and one mapping.

        Of each history message, its content and its tool calls' arguments are masked.
        """
        with using(self._catalogue):
            return self._mask(message, policy, history)[0]

    def mask_messages(
        self, messages: Sequence[HistoryItem], policy: PiiPolicy
    ) -> ConversationResult:
        """Mask a whole conversation (messages in, masked messages out) with one policy and
        one mapping.

        The last message is the current one: its content is masked as :meth:`mask`'s
        ``message`` (X-Pii-Positions apply to it) and the messages before it as the history.
        When the last message has tool calls, or no text content, there is no current
        message: every message is history (its content and its tool calls' arguments are
        masked alike, and declared positions have no message to apply to).
        """
        if isinstance(messages, str | bytes) or not isinstance(messages, Sequence):
            raise PiiInputError(
                f"messages must be a sequence of messages, not {type(messages).__name__}",
                code="invalid_history",
            )
        if not messages:
            raise PiiInputError("the list of messages is empty", code="invalid_history")
        last = messages[-1]
        content, calls = _content_and_calls(last)
        current_index = len(messages) - 1
        with using(self._catalogue):
            if isinstance(content, str) and not calls:
                # Its other keys are returned as they came: checked as a history item's are.
                check_json_value(_as_dict(last), f"history[{current_index}]")
                result = self._mask(content, policy, messages[:-1])[0]
                current = _with_content(last, result.text)
                masked = (*result.history, current)
            else:  # the last message has tool calls (or no text): every text is history
                result = self._mask("", policy, messages)[0]
                masked = result.history
        spans = tuple(
            span if span.message is not None else dataclasses.replace(span, message=current_index)
            for span in _conversation_spans(result)
        )
        return ConversationResult(masked, result.mapping, spans, _counts(spans))

    def _mask(
        self, message: str, policy: PiiPolicy, history: Sequence[HistoryItem]
    ) -> tuple[MaskResult, MaskPlan]:
        """:meth:`mask`, and the plan it worked out from ``policy`` (once)."""
        self._checked(message, "the message")
        read = read_history(history)
        # Every text, in conversation order: per history message its content, then the
        # texts of its tool calls' arguments; the current message last. ``where`` says which
        # history message each text belongs to (None for the current message).
        texts: list[str] = []
        where: list[int | None] = []
        for index, message_texts in enumerate(read):
            if message_texts.content is not None:
                texts.append(self._checked(message_texts.content, f"history[{index}].content"))
                where.append(index)
            for tool in message_texts.arguments:
                field = f"history[{index}].tool_calls[{tool.call}].function.arguments"
                self._checked(tool.text, field)
                tokens = tool.texts()
                texts.extend(tokens)
                where.extend([index] * len(tokens))
        texts.append(message)
        where.append(None)
        plan = MaskPlan.build(policy, message)
        spans = self._spans(texts, plan)
        # Only types that get new placeholders need their numbers checked against the text.
        masked_types = {s.entity for found in spans for s in found if s.action is Action.MASK}
        masker = Masker(
            plan.history, self._hash_key, reserved_numbers(texts, masked_types), plan.withheld
        )
        masked: list[tuple[str, list[Span]]] = [
            masker.apply(text, text_spans, index)
            for text, text_spans, index in zip(texts, spans, where, strict=True)
        ]
        masked_iter = iter(masked[:-1])
        new_contents: list[str | None] = []
        new_arguments: list[list[str]] = []
        history_spans: list[tuple[Span, ...]] = []
        tool_call_spans: list[tuple[tuple[int, Span], ...]] = []
        for message_texts in read:
            if message_texts.content is None:
                new_contents.append(None)
                history_spans.append(())
            else:
                text, handled = next(masked_iter)
                new_contents.append(text)
                history_spans.append(tuple(handled))
            rebuilt: list[str] = []
            call_spans: list[tuple[int, Span]] = []
            for tool in message_texts.arguments:
                pieces = []
                utf16 = codepoint_to_utf16(tool.text)
                for token in range(len(tool.texts())):
                    text, handled = next(masked_iter)
                    pieces.append(text)
                    call_spans.extend(
                        (tool.call, _moved(span, tool, token, utf16)) for span in handled
                    )
                rebuilt.append(tool.rebuilt(pieces))
            new_arguments.append(rebuilt)
            tool_call_spans.append(tuple(call_spans))
        message_text, message_spans = masked[-1]
        logger.debug("masked %d texts, %d spans", len(texts), sum(len(s) for _, s in masked))
        result = MaskResult(
            text=message_text,
            history=rebuild_history(history, read, new_contents, new_arguments),
            mapping=masker.mapping,
            spans=tuple(message_spans),
            history_spans=tuple(history_spans),
            tool_call_spans=tuple(tool_call_spans),
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
        spans = _conversation_spans(result)
        counts = _counts(spans)
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

    def aunmask_stream(
        self, chunks: AsyncIterable[str], mapping: ConversationMapping | dict[str, str]
    ) -> AsyncIterator[str]:
        """:meth:`unmask_stream` for an async iterable (an async model client's stream): an
        async iterator whose joined output equals :meth:`unmask` of the whole."""
        from pii_mapper.unmasking import aunmask_stream

        with using(self._catalogue):  # the mapping's placeholders are checked here
            stream = aunmask_stream(chunks, mapping)
        return self._in_catalogue_async(stream)

    async def _in_catalogue_async(self, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        """:meth:`_in_catalogue` for an async stream."""
        while True:
            with using(self._catalogue):
                try:
                    piece = await anext(stream)
                except StopAsyncIteration:
                    return
            yield piece

    def unmask_json(self, value: Any, mapping: ConversationMapping | dict[str, str]) -> Any:
        """Unmask every string (keys included) inside a JSON-like value; same shape back."""
        from pii_mapper.unmasking import unmask_json

        with using(self._catalogue):
            return unmask_json(value, mapping)

    def _checked(self, text: object, where: str) -> str:
        """``text`` if it is a string within the size bound and valid Unicode."""
        if not isinstance(text, str):
            raise PiiInputError(f"{where} must be a string, not {type(text).__name__}")
        if len(text) > self._max_text_chars:
            raise PiiInputError(
                f"{where}: a text of {len(text)} characters exceeds the limit of "
                f"{self._max_text_chars} (PiiMapper(max_text_chars=…))",
                code="text_too_long",
            )
        return check_text(text, where)

    def _spans(self, texts: list[str], plan: MaskPlan) -> list[list[Span]]:
        """Merged spans for each text; declared positions apply to the last (the message).
        A placeholder of a withheld history entry is a span too: it gets its entry's marker."""
        detections = self._detect(texts, plan.detect, plan.language)
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
        if plan.withheld:
            for text, candidates, marks in zip(texts, spans, markers, strict=True):
                candidates.extend(_withheld_spans(text, marks, plan.withheld))
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

    def _detect(
        self, texts: list[str], entities: frozenset[str], language: str | None = None
    ) -> list[list[Detection]]:
        """The detector's findings (and the mapper's own recognizers'); fails closed on
        anything unexpected. The detector is never asked for a custom type.

        A language named by the policy applies to every text; without one, the detector
        is not told and decides (the default detector identifies each text's language).
        """
        if not entities:
            return [[] for _ in texts]
        for_detector = entities - self._custom_names
        detector = self.detector if for_detector else None
        own = self._own
        try:
            if detector is None:
                found: list[list[Detection]] = [[] for _ in texts]
            elif language is None:
                found = detector.detect(texts, for_detector)
            else:
                found = detector.detect(texts, for_detector, languages=[language] * len(texts))
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


def _own_detector(
    custom: Sequence[CustomEntity], recognizers: Sequence[Recognizer]
) -> RecognizerDetector | None:
    """What finds the custom types and the extra recognizers of a mapper, if it has any."""
    registry = RecognizerRegistry({entity.name: (entity.recognizer(),) for entity in custom})
    for recognizer in recognizers:
        registry = registry.with_recognizer(recognizer)
    return RecognizerDetector(registry) if registry.entities else None


def _overlaps_marker(markers: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) shares a character with one of the sorted, disjoint markers."""
    index = bisect.bisect_left(markers, (end,))
    return index > 0 and markers[index - 1][1] > start


def _withheld_spans(
    text: str, markers: list[tuple[int, int]], withheld: Mapping[str, tuple[str, Action]]
) -> Iterator[Span]:
    """The placeholders of withheld entries in ``text``, as spans of their entry's action."""
    for start, end in markers:
        entry = withheld.get(text[start:end])
        if entry is not None:
            entity = placeholder_entity(text[start:end])
            yield Span(
                start,
                end,
                entity,
                entry[1],
                Source.DETECTED,
                1.0,
                recognizer=KNOWN_VALUE_RECOGNIZER,
            )


def _known_values(texts: list[str], merged: list[list[Span]], plan: MaskPlan) -> KnownValues:
    """Values to find again everywhere: the history mapping's, every detected value, and
    every value whose action is strict (a redacted original must not recur in the clear).
    A declared span that only masks stays where it was declared."""
    known = KnownValues()
    for placeholder, original in plan.history.items():
        entity = placeholder_entity(placeholder)
        known.add(original, entity, plan.actions.get(entity, Action.MASK), 1.0)
    for text, found in zip(texts, merged, strict=True):
        for span in found:
            if span.source is Source.DETECTED or span.action.strictness >= Action.HASH.strictness:
                known.add(text[span.start : span.end], span.entity, span.action, span.score)
    return known


def _moved(span: Span, tool: ToolArguments, token: int, utf16: Callable[[int], int]) -> Span:
    """``span`` of text ``token`` of ``tool``, at its offsets in the tool call's arguments."""
    start, end = tool.offset(token, span.start), tool.offset(token, span.end)
    return dataclasses.replace(
        span,
        start=start,
        end=end,
        tool_call=tool.call,
        start_utf16=utf16(start),
        end_utf16=utf16(end),
    )


def _conversation_spans(result: MaskResult) -> list[Span]:
    """Every span of ``result`` in the preview's order: the history messages' contents, their
    tool calls' arguments, then the current message."""
    return [
        *(s for handled in result.history_spans for s in handled),
        *(s for calls in result.tool_call_spans for _, s in calls),
        *result.spans,
    ]


def _counts(spans: Iterable[Span]) -> dict[str, int]:
    """The number of spans per entity type, in order of first appearance."""
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.entity] = counts.get(span.entity, 0) + 1
    return counts


def _content_and_calls(item: HistoryItem) -> tuple[object, object]:
    """The ``content`` and ``tool_calls`` of a message (None for what it lacks; anything else
    is checked when the message is read as history)."""
    if isinstance(item, ChatMessage):
        return item.content, item.tool_calls
    if isinstance(item, Mapping):
        return item.get("content"), item.get("tool_calls")
    return None, None


def _with_content(item: HistoryItem, content: str) -> HistoryItem:
    """``item`` with its content replaced, in the shape it came in."""
    if isinstance(item, ChatMessage):
        return item.model_copy(update={"content": content})
    return {**item, "content": content}


def _as_dict(item: HistoryItem) -> dict[str, Any]:
    if isinstance(item, ChatMessage):  # the tool-call fields only where the message has them
        unset = {name for name in ("tool_calls", "tool_call_id") if getattr(item, name) is None}
        return item.model_dump(exclude=unset)
    return dict(item)


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
