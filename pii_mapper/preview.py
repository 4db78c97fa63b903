"""The dry run report of ``pii_preview``.

:class:`PiiPreview` is what :meth:`pii_mapper.PiiMapper.preview` returns: the whole pipeline's
result, without calling any model and without changing any state. It serialises to JSON with
``model_dump_json()``. Redacted and hashed originals never appear in it: spans carry offsets
and replacements, not the text they cover.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from pii_mapper.detection import Span
from pii_mapper.policy import PiiPolicy

__all__ = ["PiiPreview", "PreviewSpan"]


# The preview's span is the pipeline's one span type (the name is kept for existing imports).
PreviewSpan = Span


class PiiPreview(BaseModel):
    """What masking would do to a message and its history.

    ``spans`` are those of the history messages, in order, then the current message's; each
    says which text it belongs to (``message``: None for the current message, else the index
    of the history message), its offsets in code points and in UTF-16 code units, and the
    recognizer that found it.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    message: str
    history: list[dict[str, Any]]
    spans: list[Span]
    policy: PiiPolicy
    mapping: dict[str, str]
    counts: dict[str, int]
    warnings: list[str]
