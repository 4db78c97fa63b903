"""The dry run report of ``pii_preview`` (SPEC §6).

:class:`PiiPreview` is what :meth:`pii_mapper.PiiMapper.preview` returns: the whole pipeline's
result, without calling any model and without changing any state. It serialises to JSON with
``model_dump_json()``. Redacted and hashed originals never appear in it: spans carry offsets
and replacements, not the text they cover.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from pii_mapper.detection import Source
from pii_mapper.policy import Action, PiiPolicy

__all__ = ["PiiPreview", "PreviewSpan"]


class PreviewSpan(BaseModel):
    """One span of the preview. ``message`` is None for the current message, else the index
    of the history message it belongs to; ``tool_call`` is None for a message's content, else
    the index of the tool call whose ``function.arguments`` text the offsets are in. Offsets
    are end-exclusive, in code points and in UTF-16 code units (what JavaScript counts)."""

    model_config = ConfigDict(frozen=True)

    message: int | None
    tool_call: int | None = None
    start: int
    end: int
    start_utf16: int
    end_utf16: int
    entity: str
    action: Action
    source: Source
    score: float
    replacement: str


class PiiPreview(BaseModel):
    """What masking would do to a message and its history."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    message: str
    history: list[dict[str, Any]]
    spans: list[PreviewSpan]
    policy: PiiPolicy
    mapping: dict[str, str]
    counts: dict[str, int]
    warnings: list[str]
