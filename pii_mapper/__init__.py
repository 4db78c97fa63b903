"""pii_mapper: header-driven PII masking for LLM chat APIs.

>>> import pii_mapper as pm
>>> policy = pm.parse_headers({"X-Pii-Mapping": "email=mask"})
>>> mapper = pm.PiiMapper(pm.StaticDetector({"ada@example.com": "EMAIL_ADDRESS"}))
>>> result = mapper.mask("Write to ada@example.com", policy)
>>> result.text
'Write to <EMAIL_ADDRESS_1>'
>>> mapper.unmask("Sent to <EMAIL_ADDRESS_1>.", result.mapping)
'Sent to ada@example.com.'

This is the one documented import path: everything public is re-exported here. Importing it
loads neither Presidio nor spaCy; the model loads on first use.
"""

from __future__ import annotations

from pii_mapper.chat import ChatMessage
from pii_mapper.detection import Detection, Detector, StaticDetector
from pii_mapper.errors import (
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

__version__ = "0.1.0"

__all__ = [
    "Action",
    "AutoDetection",
    "ChatMessage",
    "ConversationMapping",
    "DeclaredSpan",
    "Detection",
    "DetectionError",
    "Detector",
    "MappingEncoding",
    "MappingSealError",
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
