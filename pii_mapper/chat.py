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

__all__ = ["ChatMessage", "HistoryItem", "history_texts", "with_contents"]


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
