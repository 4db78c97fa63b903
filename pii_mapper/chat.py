"""Chat messages and history.

History comes as a sequence of ``{"role": ..., "content": ...}`` dicts or :class:`ChatMessage`
objects. Masking reads, of each message, the texts a user or a tool wrote: its ``content``
and the ``function.arguments`` of its ``tool_calls`` (OpenAI's shape: a JSON document in a
string, masked in its string tokens so that it stays valid JSON, the rest byte for byte).
Masked history is returned in the shape it came in: a dict keeps its other keys (``name``,
``tool_call_id`` …) with those texts replaced; a message without any passes through.

Every item is checked before anything is detected: it must be a message whose values are
JSON-like (strings, numbers, booleans, null, lists and string-keyed objects), and every
string in it valid Unicode (no lone surrogate). A failure is a :class:`PiiInputError` that
says where (``history[2].tool_calls[0].function.arguments``, character 17), never what.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from pii_mapper.errors import PiiInputError
from pii_mapper.jsontext import JsonText, parse_json_text

__all__ = [
    "ChatMessage",
    "HistoryItem",
    "MessageTexts",
    "ToolArguments",
    "check_json_value",
    "check_text",
    "json_type_name",
    "messages_problem",
    "read_history",
    "rebuild_history",
]

# How deep the arguments of a tool call may nest (arrays and objects).
MAX_ARGUMENTS_DEPTH = 100


class ChatMessage(BaseModel):
    """One message of a conversation. ``tool_calls`` are OpenAI-style dicts
    (``{"id", "type": "function", "function": {"name", "arguments"}}``). Fields read as
    attributes or by key (``message["content"]``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: str
    content: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    tool_call_id: str | None = None

    def __getitem__(self, field: str) -> Any:
        """``message["content"]`` as for a dict message, so that code reading a masked
        history (whose items keep the type they came in) reads both kinds alike and
        type-checks. An unknown field is a ``KeyError``, as for a dict."""
        if field not in type(self).model_fields:
            raise KeyError(field)
        return getattr(self, field)


HistoryItem = ChatMessage | Mapping[str, Any]


def check_text(text: str, where: str) -> str:
    """``text`` if it is valid Unicode; else a :class:`PiiInputError` naming ``where`` and the
    offset (in code points) of the first lone surrogate, never the text."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # only a lone surrogate cannot be encoded
        raise PiiInputError(
            f"{where}: character {exc.start} is a lone surrogate "
            f"(U+{ord(text[exc.start]):04X}); text must be valid Unicode",
            code="invalid_unicode",
        ) from None
    return text


@dataclass(frozen=True, slots=True)
class ToolArguments:
    """The ``function.arguments`` of one tool call: JSON text (``document``) masked in its
    string and number tokens, or, when it is not a JSON object or array, one text masked as
    a whole."""

    call: int
    text: str
    document: JsonText | None

    def texts(self) -> tuple[str, ...]:
        return self.document.values if self.document is not None else (self.text,)

    def rebuilt(self, masked: Sequence[str]) -> str:
        return self.document.replaced(masked) if self.document is not None else masked[0]

    def offset(self, text_index: int, offset: int) -> int:
        """Where code point ``offset`` of text ``text_index`` of :meth:`texts` stands in
        ``text`` (for a JSON string token: after its opening quote, escapes counted as
        written)."""
        if self.document is None:
            return offset
        start, end = self.document.tokens[text_index]
        if not self.document.quoted[text_index]:
            return start + offset  # a number token: its text is its value
        return _raw_offset(self.text, start + 1, end - 1, offset)


@dataclass(frozen=True, slots=True)
class MessageTexts:
    """What masking reads of one history message."""

    content: str | None
    arguments: tuple[ToolArguments, ...]


def read_history(history: Sequence[HistoryItem]) -> list[MessageTexts]:
    """Check every history item (shape, JSON-like values, valid Unicode) and read its texts."""
    if isinstance(history, str | bytes) or not isinstance(history, Sequence):
        raise PiiInputError(
            f"history must be a sequence of messages, not {type(history).__name__}",
            code="invalid_history",
        )
    return [_read(item, index) for index, item in enumerate(history)]


def rebuild_history(
    history: Sequence[HistoryItem],
    read: Sequence[MessageTexts],
    contents: Sequence[str | None],
    arguments: Sequence[Sequence[str]],
) -> tuple[HistoryItem, ...]:
    """History with each message's content and tool-call arguments replaced (``arguments[i]``
    holds one text per :class:`ToolArguments` of message ``i``), each keeping its shape."""
    result: list[HistoryItem] = []
    for item, texts, content, new_arguments in zip(history, read, contents, arguments, strict=True):
        update: dict[str, Any] = {}
        if content is not None:
            update["content"] = content
        if texts.arguments:
            source = item.tool_calls if isinstance(item, ChatMessage) else item["tool_calls"]
            calls = list(source or ())
            for tool, new in zip(texts.arguments, new_arguments, strict=True):
                call = dict(calls[tool.call])
                call["function"] = {**call["function"], "arguments": new}
                calls[tool.call] = call
            update["tool_calls"] = calls
        if isinstance(item, ChatMessage):
            result.append(item.model_copy(update=update) if update else item)
        else:
            result.append({**item, **update} if update else dict(item))
    return tuple(result)


def _read(item: HistoryItem, index: int) -> MessageTexts:
    where = f"history[{index}]"
    if isinstance(item, ChatMessage):
        fields: Mapping[str, Any] = item.model_dump(exclude_none=True)
    elif isinstance(item, Mapping):
        fields = item
    else:
        raise PiiInputError(
            f"{where} must be a ChatMessage or a mapping with 'role' and 'content', "
            f"not {type(item).__name__}",
            code="invalid_history",
        )
    check_json_value(fields, where)
    content = fields.get("content")
    if content is not None and not isinstance(content, str):
        raise PiiInputError(
            f"{where}.content must be a string or null, not {type(content).__name__}",
            code="invalid_history",
        )
    return MessageTexts(content, _tool_arguments(fields.get("tool_calls"), where))


def _tool_arguments(tool_calls: object, where: str) -> tuple[ToolArguments, ...]:
    """The string ``function.arguments`` of ``tool_calls``; other shapes pass untouched (a
    call without a function holds no text a user or a tool wrote)."""
    if not isinstance(tool_calls, list | tuple):
        return ()
    found = []
    for number, call in enumerate(tool_calls):
        function = call.get("function") if isinstance(call, Mapping) else None
        arguments = function.get("arguments") if isinstance(function, Mapping) else None
        if isinstance(arguments, str):
            try:
                document = parse_json_text(arguments, MAX_ARGUMENTS_DEPTH, numbers=True)
            except PiiInputError as exc:
                raise PiiInputError(
                    f"{where}.tool_calls[{number}].function.arguments: {exc.message}",
                    code=exc.code,
                ) from None
            if document is not None:  # a \ud800 escape decodes to a lone surrogate
                for token, text in enumerate(document.values):
                    check_text(
                        text, f"{where}.tool_calls[{number}].function.arguments token #{token + 1}"
                    )
            found.append(ToolArguments(number, arguments, document))
    return tuple(found)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def check_json_value(value: object, where: str) -> None:
    """Check that ``value`` is JSON-like and every string in it valid Unicode, else raise a
    :class:`PiiInputError` that says where. Iterative, so deep nesting cannot exhaust the
    stack. Paths name keys only when they look like field names (a key could be PII)."""
    stack: list[tuple[object, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            check_text(item, path)
        elif item is None or isinstance(item, bool | int | float):
            continue
        elif isinstance(item, Mapping):
            for number, (key, child) in enumerate(item.items()):
                if not isinstance(key, str):
                    raise PiiInputError(
                        f"{path}: keys must be strings, not {type(key).__name__}",
                        code="invalid_history",
                    )
                named = f"{path}.{key}" if _NAME.fullmatch(key) else f"{path}[key #{number + 1}]"
                check_text(key, f"{named} (the key)")
                stack.append((child, named))
        elif isinstance(item, list | tuple):
            stack.extend((child, f"{path}[{n}]") for n, child in enumerate(item))
        else:
            raise PiiInputError(
                f"{path}: expected a JSON-like value (string, number, boolean, null, list or "
                f"object), not {type(item).__name__}",
                code="invalid_history",
            )


def _raw_offset(text: str, begin: int, end: int, offset: int) -> int:
    """The index in ``text`` where code point ``offset`` of the JSON string body
    ``text[begin:end]`` (escapes as written) starts once decoded."""
    body = text[begin:end]
    if "\\" not in body:
        return begin + offset
    position, decoded = begin, 0
    while decoded < offset and position < end:
        if text[position] != "\\":
            position += 1
        elif text[position + 1] != "u":
            position += 2
        else:
            high = int(text[position + 2 : position + 6], 16)
            position += 6
            pair = text[position : position + 2] == "\\u"
            if 0xD800 <= high < 0xDC00 and pair:
                low = int(text[position + 2 : position + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    position += 6  # a surrogate pair decodes to one code point
        decoded += 1
    return position


def messages_problem(value: object, *, allow_empty: bool = True) -> str | None:
    """Why ``value`` (decoded JSON) is not a list of {"role": str, "content": str | null}
    objects, if it isn't. The answer names positions and types, never content."""
    expected = 'expected a JSON list of {"role": ..., "content": ...} objects'
    if not isinstance(value, list):
        return f"{expected}, got {json_type_name(value)}"
    if not value and not allow_empty:
        return "the list of messages is empty"
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            return f"{expected}; item {index} is {json_type_name(item)}"
        if not isinstance(item.get("role"), str):
            return f"item {index} has no string 'role'"
        content = item.get("content")
        if content is not None and not isinstance(content, str):
            return (
                f"item {index}: 'content' must be a string or null, not {json_type_name(content)}"
            )
    return None


def json_type_name(value: object) -> str:
    """The JSON type of a decoded value, as an error message names it ("an object", "null")."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)
