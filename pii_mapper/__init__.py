"""pii_mapper: header-driven PII masking for LLM chat APIs.

>>> import pii_mapper as pm
>>> policy = pm.parse_headers({"X-Pii-Mapping": "email=mask"})
>>> mapper = pm.PiiMapper(pm.StaticDetector({"ada@example.com": "EMAIL_ADDRESS"}))
>>> result = mapper.mask("Write to ada@example.com", policy)
>>> result.text
'Write to <EMAIL_ADDRESS_1>'
>>> mapper.unmask("Sent to <EMAIL_ADDRESS_1>.", result.mapping)
'Sent to ada@example.com.'

This is the one documented import path: everything public is re-exported here, resolved on
first use. Importing it loads neither Presidio nor spaCy (nor pydantic, until a name that
needs it is used); the model loads on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pii_mapper.batch import DaskMasker, MaskFileOptions
    from pii_mapper.chat import ChatMessage
    from pii_mapper.detection import Detection, Detector, StaticDetector
    from pii_mapper.errors import (
        ClusterError,
        DetectionError,
        MappingSealError,
        PiiHeaderError,
        PiiInputError,
        PiiMapperError,
    )
    from pii_mapper.headers import parse_headers, render_headers
    from pii_mapper.mapper import MaskResult, PiiMapper
    from pii_mapper.mapping import ConversationMapping, MappingEncoding, generate_seal_key
    from pii_mapper.masking import ResultSpan
    from pii_mapper.policy import Action, AutoDetection, DeclaredSpan, PiiPolicy, Rule, Units
    from pii_mapper.preview import PiiPreview, PreviewSpan
    from pii_mapper.unmasking import (
        StreamUnmasker,
        UnmaskItem,
        UnmaskReport,
        UnmaskStatus,
        unmask,
        unmask_json,
        unmask_stream,
        unmask_with_report,
    )

# Public name -> the module that defines it. Names resolve on first use (PEP 562), so
# `import pii_mapper` stays cheap: pydantic and the parsers load when first needed.
_EXPORTS: dict[str, str] = {
    "Action": "pii_mapper.policy",
    "AutoDetection": "pii_mapper.policy",
    "ChatMessage": "pii_mapper.chat",
    "ClusterError": "pii_mapper.errors",
    "DaskMasker": "pii_mapper.batch",
    "ConversationMapping": "pii_mapper.mapping",
    "DeclaredSpan": "pii_mapper.policy",
    "Detection": "pii_mapper.detection",
    "DetectionError": "pii_mapper.errors",
    "Detector": "pii_mapper.detection",
    "generate_seal_key": "pii_mapper.mapping",
    "MappingEncoding": "pii_mapper.mapping",
    "MappingSealError": "pii_mapper.errors",
    "MaskFileOptions": "pii_mapper.batch",
    "MaskResult": "pii_mapper.mapper",
    "parse_headers": "pii_mapper.headers",
    "PiiHeaderError": "pii_mapper.errors",
    "PiiInputError": "pii_mapper.errors",
    "PiiMapper": "pii_mapper.mapper",
    "PiiMapperError": "pii_mapper.errors",
    "PiiPolicy": "pii_mapper.policy",
    "PiiPreview": "pii_mapper.preview",
    "PreviewSpan": "pii_mapper.preview",
    "render_headers": "pii_mapper.headers",
    "ResultSpan": "pii_mapper.masking",
    "Rule": "pii_mapper.policy",
    "StaticDetector": "pii_mapper.detection",
    "StreamUnmasker": "pii_mapper.unmasking",
    "Units": "pii_mapper.policy",
    "unmask": "pii_mapper.unmasking",
    "unmask_json": "pii_mapper.unmasking",
    "unmask_stream": "pii_mapper.unmasking",
    "unmask_with_report": "pii_mapper.unmasking",
    "UnmaskItem": "pii_mapper.unmasking",
    "UnmaskReport": "pii_mapper.unmasking",
    "UnmaskStatus": "pii_mapper.unmasking",
}

__version__ = "0.1.0"

__all__ = [
    "Action",
    "AutoDetection",
    "ChatMessage",
    "ClusterError",
    "ConversationMapping",
    "DaskMasker",
    "DeclaredSpan",
    "Detection",
    "DetectionError",
    "Detector",
    "MappingEncoding",
    "MappingSealError",
    "MaskFileOptions",
    "MaskResult",
    "PiiHeaderError",
    "PiiInputError",
    "PiiMapper",
    "PiiMapperError",
    "PiiPolicy",
    "PiiPreview",
    "PreviewSpan",
    "ResultSpan",
    "Rule",
    "StaticDetector",
    "StreamUnmasker",
    "Units",
    "UnmaskItem",
    "UnmaskReport",
    "UnmaskStatus",
    "__version__",
    "generate_seal_key",
    "parse_headers",
    "render_headers",
    "unmask",
    "unmask_json",
    "unmask_stream",
    "unmask_with_report",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pii_mapper' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
