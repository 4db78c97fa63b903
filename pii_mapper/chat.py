"""Chat messages and history (SPEC §6).

History comes as a sequence of ``{"role": ..., "content": ...}`` dicts or :class:`ChatMessage`
objects. Masked history is returned in the shape it came in: a dict keeps its other keys
(``name``, ``tool_call_id`` …) with ``content`` replaced; a message without text content
(``content`` None, as an assistant's tool call has) passes through untouched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from pii_mapper.errors import PiiInputError

__all__ = [
    "ChatMessage",
    "HistoryItem",
    "history_texts",
    "json_type_name",
    "messages_problem",
    "with_contents",
]


class ChatMessage(BaseModel):
    """One message of a conversation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: str
    content: str | None = None


HistoryItem = ChatMessage | Mapping[str, Any]


def _content(item: HistoryItem, index: int) -> str | None:
    if isinstance(item, ChatMessage):
        return item.content
    if isinstance(item, Mapping):
        content = item.get("content")
        if content is None or isinstance(content, str):
            return content
        raise PiiInputError(
            f"history[{index}].content must be a string or null, not {type(content).__name__}",
            code="invalid_history",
        )
    raise PiiInputError(
        f"history[{index}] must be a ChatMessage or a mapping with 'role' and 'content', "
        f"not {type(item).__name__}",
        code="invalid_history",
    )


def history_texts(history: Sequence[HistoryItem]) -> list[str | None]:
    """The text content of each history message (None where it has none)."""
    if isinstance(history, str | bytes):
        raise PiiInputError("history must be a sequence of messages, not a string")
    return [_content(item, index) for index, item in enumerate(history)]


def with_contents(
    history: Sequence[HistoryItem], contents: Sequence[str | None]
) -> tuple[HistoryItem, ...]:
    """History with each message's content replaced, each item keeping its own shape."""
    result: list[HistoryItem] = []
    for item, content in zip(history, contents, strict=True):
        if isinstance(item, ChatMessage):
            result.append(item.model_copy(update={"content": content}))
        else:
            result.append({**item, "content": content} if content is not None else dict(item))
    return tuple(result)


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
