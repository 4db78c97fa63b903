"""Every exception that pii_mapper raises.

The tree::

    PiiMapperError                      root; catch this to catch everything of ours
    ├── PiiHeaderError(ValueError)      a request header was rejected -> HTTP 422
    ├── PiiInputError(ValueError)       a message, history or value cannot be processed: not
    │                                   valid Unicode (a lone surrogate), too long, not a
    │                                   message, nested too deep -> HTTP 422
    ├── MappingSealError(ValueError)    a mapping cannot be rendered as asked (e.g. no seal key)
    ├── EntityConfigError(ValueError)   a custom entity type or a configuration file is invalid
    ├── ConfigurationError(ValueError)  an environment variable or key is wrong (at start-up)
    ├── DetectionError(RuntimeError)    a detector failed; nothing is passed on unmasked
    └── ClusterError(RuntimeError)      the Dask cluster of a batch cannot be reached, or was lost

Every class carries a stable ``code`` slug. Messages say what was expected, what came and
where, and never contain a PII value: where the offending input could be PII (the history
mapping, a message) they describe it by its position and length, not its content.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ClusterError",
    "ConfigurationError",
    "DetectionError",
    "EntityConfigError",
    "MappingSealError",
    "PiiHeaderError",
    "PiiInputError",
    "PiiMapperError",
]

# The longest excerpt of a (non-secret) header value that an error may echo.
_MAX_ECHO = 80


class PiiMapperError(Exception):
    """Root of every exception raised by pii_mapper."""

    code: str = "pii_mapper_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class PiiHeaderError(PiiMapperError, ValueError):
    """A PII request header was rejected.

    ``header`` is the canonical header name, ``item`` the offending list item (or ``None``
    when the header as a whole is wrong, and always ``None`` for the history mapping, whose
    items may be PII). ``to_detail()`` gives the ``detail`` list of the API's 422 body.
    """

    code = "invalid_header"

    def __init__(
        self,
        header: str,
        message: str,
        *,
        code: str | None = None,
        item: str | None = None,
    ) -> None:
        self.header = header
        self.item = _echo(item) if item is not None else None
        where = f" (item {self.item!r})" if self.item is not None else ""
        super().__init__(f"{header}{where}: {message}", code=code)
        self.reason = message

    def to_detail(self) -> list[dict[str, Any]]:
        """The ``detail`` list of the 422 response body."""
        return [
            {
                "loc": ["header", self.header],
                "msg": self.reason,
                "type": self.code,
                "input": self.item,
            }
        ]


class PiiInputError(PiiMapperError, ValueError):
    """A message, a history entry or a value to unmask cannot be processed.

    Codes include ``invalid_unicode`` (text holding a lone surrogate), ``text_too_long``,
    ``invalid_history``, ``invalid_mapping``, ``too_deep`` and ``span_too_long`` (overlapping
    detections merged into one span longer than a mapping value may be). The message names the field
    and the character offset, never the text.
    """

    code = "invalid_input"


class MappingSealError(PiiMapperError, ValueError):
    """A conversation mapping cannot be rendered in the requested encoding."""

    code = "mapping_seal"


class EntityConfigError(PiiMapperError, ValueError):
    """A custom entity type (:class:`~pii_mapper.CustomEntity`) or a configuration file that
    defines them was rejected; the message names the type or the file, table and key."""

    code = "invalid_entity_config"


class ConfigurationError(PiiMapperError, ValueError):
    """The deployment's configuration is wrong (an environment variable, a key): raised at
    start-up by :meth:`pii_mapper.Settings.from_env`. ``variable`` names what to fix."""

    code = "bad_configuration"

    def __init__(self, message: str, *, variable: str, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.variable = variable


class DetectionError(PiiMapperError, RuntimeError):
    """A detector failed. The text it was given is not returned in any form."""

    code = "detection_failed"


class ClusterError(PiiMapperError, RuntimeError):
    """The Dask cluster of a batch run cannot be reached, or was lost during the run (a
    worker that dies is not this: Dask replaces it and runs its work again)."""

    code = "cluster_unavailable"


def _echo(item: str) -> str:
    """A printable, bounded excerpt of a (non-secret) header item for an error message."""
    cleaned = "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        for ch in item[:_MAX_ECHO]
    )
    return cleaned + ("…" if len(item) > _MAX_ECHO else "")
