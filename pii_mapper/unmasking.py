"""Unmasking model output: text, JSON-like values, streams, and a report.

Placeholder forms (the variants a model may write for ``<ENTITY_N>``) are defined in
:mod:`pii_mapper.placeholders`, which also holds the scanner that finds them. Brackets belong
to the form only when they pair up: in ``[PERSON_1>`` the form is ``PERSON_1`` and both
brackets stay. Redaction and hash markers are never forms: no number follows their name.

Forms whose placeholder the mapping holds are restored; every other form is left as written.

How it is fast: no regex is tried at every position. The scanner
(:func:`pii_mapper.placeholders.reversed_forms`) reads the text backwards from its digits,
~45 MB/s for ``unmask`` on chat-like text with a placeholder every 200 characters, against
~5 MB/s for the forward pattern. It covers the whole catalogue and is compiled once, at
import; a mapping is indexed per call in time linear in its size, so no cache holds anyone's
originals.
"""

from __future__ import annotations

import re
import string
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pii_mapper.entities import MAX_ENTITY_NAME_CHARS
from pii_mapper.errors import PiiInputError
from pii_mapper.jsontext import parse_json_text
from pii_mapper.mapping import ConversationMapping
from pii_mapper.placeholders import (
    BRACKET_PAIRS,
    MAX_NUMBER_DIGITS,
    SEPARATORS,
    bracketed,
    fold_form,
    form_ends,
    longest_form,
    name_spellings,
    placeholder_entity,
    reversed_forms,
    unbracketed,
)

__all__ = [
    "DEFAULT_MAX_JSON_DEPTH",
    "StreamUnmasker",
    "UnmaskItem",
    "UnmaskReport",
    "UnmaskStatus",
    "aunmask_stream",
    "unmask",
    "unmask_json",
    "unmask_stream",
    "unmask_with_report",
]

DEFAULT_MAX_JSON_DEPTH = 100


_MAX_NAME = MAX_ENTITY_NAME_CHARS  # built-in and custom names alike
# How much input a stream keeps before its pending text: a name, and the character before it.
_CONTEXT = _MAX_NAME + 2
_DIGIT = re.compile("[0-9]")

MappingLike = Mapping[str, str]
_Index = dict[str, str]  # placeholder without its brackets ("PERSON_1") -> original


class UnmaskStatus(StrEnum):
    """What happened to one placeholder form."""

    EXACT = "exact"  # the canonical form, restored
    VARIANT = "variant"  # a tolerated variant, restored
    UNKNOWN = "unknown"  # a form of a known type the mapping does not hold: left as written


@dataclass(frozen=True, slots=True)
class UnmaskItem:
    """One placeholder form met in the text: where (code points), as written, as canonical
    placeholder, and what was done. Never holds an original value."""

    start: int
    end: int
    form: str
    placeholder: str
    status: UnmaskStatus


@dataclass(frozen=True, slots=True)
class UnmaskReport:
    """The placeholder forms met by one unmasking, in text order, and their counts."""

    items: tuple[UnmaskItem, ...] = ()

    def _count(self, status: UnmaskStatus) -> int:
        return sum(1 for item in self.items if item.status is status)

    @property
    def exact(self) -> int:
        """Forms restored as written canonically (``<PERSON_1>``)."""
        return self._count(UnmaskStatus.EXACT)

    @property
    def variant(self) -> int:
        """Forms restored from a variant (``[person-1]``, ``PERSON 1``)."""
        return self._count(UnmaskStatus.VARIANT)

    @property
    def unknown(self) -> int:
        """Forms left as written because the mapping does not hold their placeholder."""
        return self._count(UnmaskStatus.UNKNOWN)

    @property
    def restored(self) -> int:
        return self.exact + self.variant


def _index(mapping: object) -> _Index:
    """Index ``mapping`` by (entity, number); a plain mapping is validated first."""
    if not isinstance(mapping, ConversationMapping):
        if not isinstance(mapping, Mapping):
            raise PiiInputError(
                "expected a ConversationMapping or a mapping of placeholder -> original, "
                f"not {type(mapping).__name__}",
                code="invalid_mapping",
            )
        mapping = ConversationMapping(mapping)
    return {unbracketed(placeholder): original for placeholder, original in mapping.items()}


def _is_word(char: str) -> bool:
    """``\\w`` of Python's ``re`` for one character."""
    return char.isalnum() or char == "_"


def _restore(
    text: str,
    index: _Index,
    begin: int,
    cut: int,
    items: list[UnmaskItem] | None = None,
) -> list[str]:
    """The pieces of ``text[begin:cut]`` unmasked; no pieces if nothing was restored.

    Forms that lie in ``[begin, cut)`` (brackets aside) are considered; text before ``begin``
    is context only (already handled). ``items``, when given, collects a report item per form
    (of mapped and unmapped placeholders alike).
    """
    size = len(text)
    pieces: list[str] = []
    position = begin
    for match in reversed(reversed_forms(text, cut)):
        reversed_start, reversed_end = match.span()
        start = size - reversed_end  # where the name starts
        end = size - reversed_start  # where the number ends
        if start < begin or end > cut:
            continue
        key = text[start:end]  # "PERSON_1" as written, "person-1" for a variant
        original = index.get(key)
        if original is None:
            key = fold_form(key)
            original = index.get(key)
            if original is None and items is None:
                continue
        if start > begin and end < size:
            closer = BRACKET_PAIRS.get(text[start - 1])
            if closer is not None and text[end] == closer:
                start -= 1
                end += 1
        if original is not None:
            pieces.append(text[position:start])
            pieces.append(original)
            position = end
        if items is not None:
            form = text[start:end]
            placeholder = bracketed(key)
            if original is None:
                status = UnmaskStatus.UNKNOWN
            elif form == placeholder:
                status = UnmaskStatus.EXACT
            else:
                status = UnmaskStatus.VARIANT
            items.append(UnmaskItem(start, end, form, placeholder, status))
    if position != begin:
        pieces.append(text[position:cut])
    return pieces


def _checked_text(text: object, what: str = "the text to unmask") -> str:
    if not isinstance(text, str):
        raise PiiInputError(f"{what} must be a string, not {type(text).__name__}")
    return text


def unmask(text: str, mapping: MappingLike) -> str:
    """``text`` with every placeholder form that ``mapping`` holds restored.

    >>> unmask("Hi [person-1], not <PERSON_12>.", {"<PERSON_1>": "Ada"})
    'Hi Ada, not <PERSON_12>.'
    """
    text = _checked_text(text)
    index = _index(mapping)
    if not index:
        return text
    pieces = _restore(text, index, 0, len(text))
    return "".join(pieces) if pieces else text


def unmask_with_report(text: str, mapping: MappingLike) -> tuple[str, UnmaskReport]:
    """:func:`unmask`, and a report of every placeholder form met (restored or not).

    >>> text, report = unmask_with_report("<PERSON_1> and person 2", {"<PERSON_1>": "Ada"})
    >>> text, [(i.form, i.status.value) for i in report.items]
    ('Ada and person 2', [('<PERSON_1>', 'exact'), ('person 2', 'unknown')])
    """
    text = _checked_text(text)
    items: list[UnmaskItem] = []
    pieces = _restore(text, _index(mapping), 0, len(text), items)
    return ("".join(pieces) if pieces else text), UnmaskReport(tuple(items))


# --- streams -----------------------------------------------------------------------------


# A stream first looks at the last character of its text: only after a letter, a separator,
# an opening bracket or a digit can a tail still become a form.
_ENDS_LETTER, _ENDS_SEPARATOR, _ENDS_DIGIT, _ENDS_OPENER = 1, 2, 3, 4
_ENDS = {
    **dict.fromkeys(string.ascii_letters, _ENDS_LETTER),
    **dict.fromkeys(SEPARATORS, _ENDS_SEPARATOR),
    **dict.fromkeys(string.digits, _ENDS_DIGIT),
    **dict.fromkeys(BRACKET_PAIRS, _ENDS_OPENER),
}
_DIGIT_CHARS = string.digits
_SEPARATOR_SET = frozenset(SEPARATORS)
_DIGITS = frozenset(string.digits)
_LETTERS = string.ascii_letters
_NOTHING = re.compile("(?!)")
_NAME_CHARS = string.ascii_letters + SEPARATORS
_SHORT = 32  # text shorter than this is searched for digits by a set, longer by a regex
_PREFILTER = 32  # emitted text shorter than this is prefiltered before it is unmasked


@lru_cache(maxsize=64)
def _stream_tables(entities: frozenset[str]) -> tuple[frozenset[str], ...]:
    """What a stream of a mapping of ``entities`` looks up (no values in them), upper case:
    the words of the names; the beginnings of all words, of words that follow another in a
    name, of first words; every spelling of a name and a separator; their beginnings."""
    words = {word for entity in entities for word in entity.split("_")}
    later = {word for entity in entities for word in entity.split("_")[1:]}
    first = {entity.partition("_")[0] for entity in entities}
    spellings = {s for entity in entities for s in name_spellings(entity)}
    return (
        frozenset(words),
        frozenset(w[:n] for w in words for n in range(1, len(w) + 1)),
        frozenset(w[:n] for w in later for n in range(1, len(w) + 1)),
        frozenset(w[:n] for w in first for n in range(1, len(w) + 1)),
        frozenset(spellings),
        frozenset(s[:n] for s in spellings for n in range(1, len(s) + 1)),
    )


class StreamUnmasker:
    """Unmasks text that arrives in chunks (the incremental-decoder pattern).

    ``feed(chunk)`` returns what is safe to pass on; ``flush()`` the rest at the end. For
    every way of cutting a text into chunks, the joined outputs equal :func:`unmask` of the
    whole text. What is held back is only a tail that could still become a placeholder form
    of the mapping: at most :attr:`max_held` characters. Each chunk costs time linear in its
    length plus a small constant.
    """

    __slots__ = (
        "_context",
        "_first_starts",
        "_form_ends",
        "_index",
        "_later_starts",
        "_longest",
        "_name_starts",
        "_names",
        "_pending",
        "_word_starts",
        "_words",
        "max_held",
    )

    def __init__(self, mapping: MappingLike) -> None:
        self._index = _index(mapping)
        entities = frozenset(placeholder_entity(key) for key in self._index)
        tables = _stream_tables(entities)
        self._words, self._word_starts, self._later_starts, self._first_starts = tables[:4]
        self._names, self._name_starts = tables[4:]
        self._form_ends = form_ends(entities) if entities else _NOTHING
        self._longest = max(map(len, self._names), default=0)
        #: The most characters that :meth:`feed` ever holds back.
        self.max_held = longest_form(entities) if entities else 0
        # The input just before the pending text: enough to see a name that ends there.
        self._context = ""
        self._pending = ""

    def __repr__(self) -> str:
        return f"StreamUnmasker({len(self._index)} placeholders, holding {self.held})"

    @property
    def held(self) -> int:
        """How many characters of input are held back, not yet passed on."""
        return len(self._pending)

    def feed(self, chunk: str) -> str:
        """Take the next chunk; return the unmasked text that no later chunk can change."""
        if not isinstance(chunk, str):
            raise PiiInputError(f"a chunk must be a string, not {type(chunk).__name__}")
        pending = self._pending
        text = pending + chunk if pending else chunk
        if not text:
            return text
        # A quick look first. A tail never starts inside a word, nor before the pending text
        # (what could not start a form then cannot now). So when `text` ends in letters, they
        # are the tail's last word, whole, and begin a word of a name; after a separator, a
        # whole word of a name stands before it.
        ends = _ENDS.get(text[-1])
        if ends == _ENDS_LETTER:
            before, space, word = text.rpartition(" ")
            if not word.isalpha():  # (a false positive only costs the exact look below)
                word = text[len(text.rstrip(_LETTERS)) :]
                space = ""
            key = word.upper()
            if key in self._word_starts:
                if space and word.isascii():
                    # After a space: unless the word before it is a name's word, no name
                    # that began earlier can go on here, and the tail is this word or none.
                    if key in self._later_starts:
                        previous = before.rpartition(" ")[2]
                        if not previous.isalpha() or previous.upper() in self._words:
                            return self._feed_tail(text, self._tail_start(text))
                    if key in self._first_starts:
                        return self._feed_tail(text, len(before) + 1)
                    return self._feed_tail(text, len(text))
                return self._feed_tail(text, self._tail_start(text))
        elif ends == _ENDS_SEPARATOR:
            body = text[:-1]
            word = body.rpartition(" ")[2]
            if not word.isalpha():
                word = body[len(body.rstrip(_LETTERS)) :]
            if word.upper() in self._words:
                return self._feed_tail(text, self._tail_start(text))
        elif ends == _ENDS_DIGIT:
            # A name's last word, a separator and at most MAX_NUMBER_DIGITS digits.
            body = text.rstrip(_DIGIT_CHARS)
            if len(text) - len(body) <= MAX_NUMBER_DIGITS and body[-1:] in _SEPARATOR_SET:
                body = body[:-1]
                if body[len(body.rstrip(_LETTERS)) :].upper() in self._words:
                    return self._feed_tail(text, self._tail_start(text))
        elif ends is not None:  # an opening bracket
            return self._feed_tail(text, len(text) - 1 if self._index else len(text))
        # No tail: all of `text` goes out.
        context = self._context
        if not _DIGITS.isdisjoint(text) if len(text) < _SHORT else _DIGIT.search(text):
            out = self._unmasked(context + text, len(context), len(context) + len(text))
        else:
            out = text
        if pending:
            self._pending = ""
        context += text
        self._context = context if len(context) < 4 * _CONTEXT else context[-_CONTEXT:]
        return out

    def flush(self) -> str:
        """The rest, at the end of the stream. The unmasker is then ready for a new stream."""
        context = self._context
        text = context + self._pending
        out = self._unmasked(text, len(context), len(text)) if self._pending else ""
        self._context = self._pending = ""
        return out

    def _feed_tail(self, text: str, cut: int) -> str:
        """:meth:`feed` when the tail of ``text`` (the pending text and the chunk) that could
        still become a form starts at ``cut``."""
        context = self._context
        begin = len(context)
        full = context + text
        cut += begin
        self._context = full[cut - _CONTEXT if cut > _CONTEXT else 0 : cut]
        self._pending = full[cut:]
        if cut == begin:
            return ""
        if _DIGITS.isdisjoint(text) if len(text) < _SHORT else _DIGIT.search(text) is None:
            return full[begin:cut]
        return self._unmasked(full, begin, cut)

    def _tail_start(self, text: str) -> int:
        """Where the tail of ``text`` that could still become a form begins (``len(text)``
        if there is none): an opening bracket, or ``[bracket] name-start``, or ``[bracket]
        name separator digits`` (at most :data:`MAX_NUMBER_DIGITS`)."""
        size = len(text)
        if not self._index:
            return size
        if text[-1] in BRACKET_PAIRS:
            return size - 1
        body = text.rstrip(_DIGIT_CHARS)
        if len(body) == size:
            spellings = self._name_starts
        elif size - len(body) > MAX_NUMBER_DIGITS:
            return size
        else:
            spellings = self._names
        # The tail (without its bracket) lies in the run of letters and separators that ends
        # `body`, within the longest spelling, and starts a word: at the run's start if no
        # word character stands before it, or after a space or a hyphen.
        end = len(body)
        run = len(body.rstrip(_NAME_CHARS))
        position = end - self._longest
        if position <= run:
            position = run
            before = body[run - 1] if run else self._context[-1:]
            starts_word = not (before and _is_word(before))
        else:
            starts_word = body[position - 1] in " -"
        for part in body[position:].replace("-", " ").split(" "):
            if starts_word and part and body[position:].upper() in spellings:
                if position and body[position - 1] in BRACKET_PAIRS:
                    return position - 1
                return position
            starts_word = True
            position += len(part) + 1
        return size

    def _unmasked(self, text: str, begin: int, cut: int) -> str:
        """``text[begin:cut]`` unmasked (``text`` holds what comes before and after)."""
        if cut - begin < _PREFILTER and self._form_ends.search(text, begin, cut) is None:
            return text[begin:cut]
        pieces = _restore(text, self._index, begin, cut)
        return "".join(pieces) if pieces else text[begin:cut]


def unmask_stream(chunks: Iterable[str], mapping: MappingLike) -> Iterator[str]:
    """Unmask a stream of chunks: ``"".join(unmask_stream(c, m)) == unmask("".join(c), m)``.

    Empty pieces are not yielded. For an async iterable (an async model client's stream), use
    :func:`aunmask_stream`.
    """
    if not hasattr(chunks, "__iter__") and hasattr(chunks, "__aiter__"):
        raise TypeError("unmask_stream takes an iterable; for an async one use aunmask_stream")
    return _unmask_stream(chunks, mapping)


def _unmask_stream(chunks: Iterable[str], mapping: MappingLike) -> Iterator[str]:
    unmasker = StreamUnmasker(mapping)
    for chunk in chunks:
        out = unmasker.feed(chunk)
        if out:
            yield out
    rest = unmasker.flush()
    if rest:
        yield rest


async def aunmask_stream(chunks: AsyncIterable[str], mapping: MappingLike) -> AsyncIterator[str]:
    """:func:`unmask_stream` for an async iterable of chunks: an async iterator of unmasked
    pieces whose join equals :func:`unmask` of the joined chunks, however they are cut.

    Each chunk is unmasked as it arrives, in time linear in its length: the event loop is
    never blocked for long. Empty pieces are not yielded.
    """
    unmasker = StreamUnmasker(mapping)
    async for chunk in chunks:
        out = unmasker.feed(chunk)
        if out:
            yield out
    rest = unmasker.flush()
    if rest:
        yield rest


# --- JSON-like values --------------------------------------------------------------------


class _JsonUnmasker:
    """Unmasks every string of a JSON-like value, iteratively (no recursion on nesting)."""

    def __init__(self, index: _Index, max_depth: int) -> None:
        self._index = index
        self._max_depth = max_depth

    def string(self, text: str, depth: int) -> str:
        """A string value or key. One that holds JSON text of an object or array is unmasked
        in its string tokens only (keys included), each re-escaped if anything was restored:
        the rest of the text comes back byte for byte, and an original with a quote or a
        backslash keeps it valid JSON."""
        document = parse_json_text(text, self._max_depth - depth)
        if document is not None:
            restored = [self.string(value, depth + 1) for value in document.values]
            return document.replaced(restored)
        pieces = _restore(text, self._index, 0, len(text))
        return "".join(pieces) if pieces else text

    def value(self, value: Any, depth: int = 0) -> Any:
        if isinstance(value, str):
            return self.string(value, depth)
        if not isinstance(value, dict | list | tuple):
            return value
        # Frames of [source container, its children still to visit, results so far].
        root: list[Any] = []
        stack: list[tuple[Any, Iterator[Any], list[Any]]] = []
        self._push(stack, value, depth)
        while stack:
            source, children, results = stack[-1]
            for child in children:
                if isinstance(child, dict | list | tuple):
                    self._push(stack, child, depth + len(stack))
                    break
                if isinstance(child, str):
                    child = self.string(child, depth + len(stack))
                results.append(child)
            else:
                stack.pop()
                built = self._build(source, results, depth + len(stack) + 1)
                (stack[-1][2] if stack else root).append(built)
        return root[0]

    def _push(self, stack: list[tuple[Any, Iterator[Any], list[Any]]], value: Any, at: int) -> None:
        if at >= self._max_depth:
            raise self._too_deep()
        children = iter(value.values()) if isinstance(value, dict) else iter(value)
        stack.append((value, children, []))

    def _build(self, source: Any, results: list[Any], depth: int) -> Any:
        if isinstance(source, dict):
            built: dict[Any, Any] = {}
            for key, result in zip(source, results, strict=True):
                new_key = self.string(key, depth) if isinstance(key, str) else key
                if new_key in built:
                    raise PiiInputError(
                        f"two keys of an object at depth {depth} unmask to the same text",
                        code="duplicate_key",
                    )
                built[new_key] = result
            return built
        return tuple(results) if isinstance(source, tuple) else results

    def _too_deep(self) -> PiiInputError:
        return PiiInputError(
            f"a value to unmask is nested deeper than {self._max_depth} levels",
            code="too_deep",
        )


def unmask_json(
    value: Any, mapping: MappingLike, *, max_depth: int = DEFAULT_MAX_JSON_DEPTH
) -> Any:
    """``value`` with every string inside it unmasked, dict keys included; same shape back
    (dicts, lists and tuples rebuilt, other scalars as they are). A string holding JSON text
    of an object or array is unmasked in its string tokens (keys included) and otherwise
    comes back byte for byte: numbers, spacing, key order and duplicate keys as they were.
    Nesting deeper than ``max_depth`` containers is a :class:`PiiInputError`.

    >>> unmask_json({"to": ["<EMAIL_ADDRESS_1>"]}, {"<EMAIL_ADDRESS_1>": "ada@example.com"})
    {'to': ['ada@example.com']}
    """
    return _JsonUnmasker(_index(mapping), max_depth).value(value)
