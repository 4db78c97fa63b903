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

import ast
import importlib
from typing import TYPE_CHECKING, Any

# The public API, written once: each public name and the module that defines it. Type
# checkers read these imports (``X as X``: an explicit re-export). At run time they are not
# executed, so that ``import pii_mapper`` stays cheap; :func:`_exports` reads them instead, and
# each name is imported on first use (PEP 562).
if TYPE_CHECKING:
    from pii_mapper.batch import DaskMasker as DaskMasker
    from pii_mapper.batch import MaskFileOptions as MaskFileOptions
    from pii_mapper.chat import ChatMessage as ChatMessage
    from pii_mapper.config import load_config as load_config
    from pii_mapper.detection import Detection as Detection
    from pii_mapper.detection import Detector as Detector
    from pii_mapper.detection import Span as Span
    from pii_mapper.detection import StaticDetector as StaticDetector
    from pii_mapper.detection.custom import CustomEntity as CustomEntity
    from pii_mapper.detection.registry import Recognizer as Recognizer
    from pii_mapper.detection.registry import RecognizerRegistry as RecognizerRegistry
    from pii_mapper.detection.registry import default_registry as default_registry
    from pii_mapper.errors import ClusterError as ClusterError
    from pii_mapper.errors import ConfigurationError as ConfigurationError
    from pii_mapper.errors import DetectionError as DetectionError
    from pii_mapper.errors import EntityConfigError as EntityConfigError
    from pii_mapper.errors import MappingSealError as MappingSealError
    from pii_mapper.errors import PiiHeaderError as PiiHeaderError
    from pii_mapper.errors import PiiInputError as PiiInputError
    from pii_mapper.errors import PiiMapperError as PiiMapperError
    from pii_mapper.headers import parse_headers as parse_headers
    from pii_mapper.headers import render_headers as render_headers
    from pii_mapper.mapper import ConversationResult as ConversationResult
    from pii_mapper.mapper import MaskResult as MaskResult
    from pii_mapper.mapper import PiiMapper as PiiMapper
    from pii_mapper.mapping import ConversationMapping as ConversationMapping
    from pii_mapper.mapping import MappingEncoding as MappingEncoding
    from pii_mapper.mapping import generate_seal_key as generate_seal_key
    from pii_mapper.masking import ResultSpan as ResultSpan
    from pii_mapper.policy import Action as Action
    from pii_mapper.policy import AutoDetection as AutoDetection
    from pii_mapper.policy import DeclaredSpan as DeclaredSpan
    from pii_mapper.policy import PiiPolicy as PiiPolicy
    from pii_mapper.policy import Rule as Rule
    from pii_mapper.policy import Units as Units
    from pii_mapper.preview import PiiPreview as PiiPreview
    from pii_mapper.preview import PreviewSpan as PreviewSpan
    from pii_mapper.settings import Settings as Settings
    from pii_mapper.unmasking import StreamUnmasker as StreamUnmasker
    from pii_mapper.unmasking import UnmaskItem as UnmaskItem
    from pii_mapper.unmasking import UnmaskReport as UnmaskReport
    from pii_mapper.unmasking import UnmaskStatus as UnmaskStatus
    from pii_mapper.unmasking import aunmask_stream as aunmask_stream
    from pii_mapper.unmasking import unmask as unmask
    from pii_mapper.unmasking import unmask_json as unmask_json
    from pii_mapper.unmasking import unmask_stream as unmask_stream
    from pii_mapper.unmasking import unmask_with_report as unmask_with_report

__version__ = "0.1.0"


def _exports() -> dict[str, str]:
    """Public name -> the module that defines it, read from the ``TYPE_CHECKING`` block."""
    with open(__file__, encoding="utf-8") as source:
        tree = ast.parse(source.read(), __file__)
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            return {
                alias.name: str(statement.module)
                for statement in node.body
                if isinstance(statement, ast.ImportFrom)
                for alias in statement.names
            }
    raise ImportError("pii_mapper/__init__.py lost its TYPE_CHECKING block of public names")


_EXPORTS = _exports()

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pii_mapper' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
