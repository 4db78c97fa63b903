"""pii_mapper: header-driven PII masking for LLM chat APIs."""

from __future__ import annotations

from pii_mapper.errors import (
    DetectionError,
    MappingSealError,
    PiiHeaderError,
    PiiInputError,
    PiiMapperError,
)

__version__ = "0.1.0"

__all__ = [
    "DetectionError",
    "MappingSealError",
    "PiiHeaderError",
    "PiiInputError",
    "PiiMapperError",
    "__version__",
]
