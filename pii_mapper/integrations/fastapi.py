"""FastAPI glue: request headers -> :class:`~pii_mapper.PiiPolicy`, errors -> JSON responses.

>>> from typing import Annotated
>>> from fastapi import Depends, FastAPI
>>> from pii_mapper import PiiPolicy
>>> from pii_mapper.integrations.fastapi import install_error_handlers, pii_policy
>>> app = FastAPI()
>>> install_error_handlers(app)
>>> @app.post("/entities")
... def entities(policy: Annotated[PiiPolicy, Depends(pii_policy)]) -> list[str]:
...     return sorted(policy.detected_entities())

:func:`install_error_handlers` answers every error of the library in the shape of FastAPI's
own validation errors, ``{"detail": [{"loc": …, "msg": …, "type": …, "input": …}]}``:

============================  ======  =====================================================
exception                     status  ``loc``
============================  ======  =====================================================
:class:`PiiHeaderError`       422     ``["header", "<the header's name>"]``
:class:`PiiInputError`        422     ``["body"]``: a message or history the mapper rejects
:class:`DetectionError`       503     ``[]``: detection failed; nothing was passed on
other :class:`PiiMapperError`  500     ``[]``: a configuration error (a bad seal key, say)
============================  ======  =====================================================

Custom entity types: pass the mapper that knows them (``PiiMapper(custom_entities=…)``, e.g.
from :func:`pii_mapper.load_config`, which reads the TOML file named by
``$PII_MAPPER_CONFIG``) as ``mapper=`` to :func:`request_policy` or :func:`policy_dependency`,
so that the headers may name them and the history mapping may hold their placeholders.

Messages of the library's errors never contain a PII value, so the bodies are safe to send.

A request header that looks like a misspelt PII header (``X-Pii-Maping``) is ignored, as any
other header, but never in silence: :func:`request_policy` logs a warning (naming the header,
never its value) and keeps it for :func:`pii_warnings` and :func:`warning_headers`
(``X-Pii-Warning``), by the rule the command line warns by
(:func:`pii_mapper.headers.misspelt_pii_header`).

Importing this module imports FastAPI (the ``api`` extra); ``import pii_mapper`` does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse

from pii_mapper.errors import DetectionError, PiiHeaderError, PiiInputError, PiiMapperError
from pii_mapper.headers import (
    AUTO_HEADER,
    MAPPING_HEADER,
    POSITIONS_HEADER,
    header_warnings,
    parse_headers,
)
from pii_mapper.mapper import PiiMapper
from pii_mapper.mapping import HISTORY_HEADER, ConversationMapping, SealKey
from pii_mapper.policy import PiiPolicy

__all__ = [
    "HISTORY_HEADER",
    "WARNING_HEADER",
    "error_body",
    "error_response",
    "install_error_handlers",
    "mapping_headers",
    "pii_headers",
    "pii_policy",
    "pii_warnings",
    "policy_dependency",
    "request_policy",
    "unmask_tool_calls",
    "warning_headers",
]

logger = logging.getLogger(__name__)

WARNING_HEADER = "X-Pii-Warning"
"""The response header that carries the request's PII warnings (a misspelt header name)."""


def pii_headers(
    x_pii_mapping: Annotated[
        str | None,
        Header(
            alias=MAPPING_HEADER,
            description=(
                "Explicit actions per entity type: `entity=action` items, comma-separated. "
                "Actions: mask, redact, hash, keep; `*=action` turns automatic detection on "
                "for every other type."
            ),
            examples=["email=mask, ssn=redact, person=mask"],
        ),
    ] = None,
    x_auto_pii_mapping: Annotated[
        str | None,
        Header(
            alias=AUTO_HEADER,
            description=(
                "Automatic detection: `true`/`false`, or `;`-separated parameters "
                "`action=…; entities=a|b; threshold=0..1; language=en`."
            ),
            examples=["true", "action=mask; entities=email|phone; threshold=0.5"],
        ),
    ] = None,
    x_pii_positions: Annotated[
        str | None,
        Header(
            alias=POSITIONS_HEADER,
            description=(
                "Declared spans of the current message: `start-end[:entity][=action]`, "
                "comma-separated, 0-based, end-exclusive code-point offsets; or JSON "
                '`{"units": "utf16", "spans": [...]}` for UTF-16 offsets.'
            ),
            examples=["11-21:person, 36-58:email=redact"],
        ),
    ] = None,
    x_chat_history_pii_mapping: Annotated[
        str | None,
        Header(
            alias=HISTORY_HEADER,
            description=(
                "The conversation's mapping, exactly as the previous response returned it "
                "(base64url, JSON, or a sealed `v1.` token). Omit it on a first turn."
            ),
        ),
    ] = None,
) -> None:
    """A dependency that declares the four PII headers in the OpenAPI schema (with
    descriptions and examples, so that ``/docs``'s "Try it out" can send them).

    It reads nothing itself: :func:`request_policy` reads the headers (a repeated header is
    one comma-joined list, which a declared parameter would not give). :func:`pii_policy`
    and :func:`policy_dependency` include it; an endpoint that calls :func:`request_policy`
    itself adds ``dependencies=[Depends(pii_headers)]``.
    """


def pii_warnings(request: Request) -> list[str]:
    """The warnings about ``request``'s headers: one per name that looks like a misspelt PII
    header. Worked out (and logged) once per request."""
    warnings: list[str] | None = getattr(request.state, "pii_warnings", None)
    if warnings is None:
        warnings = header_warnings(request.headers)
        for warning in warnings:  # names a header, never a value
            logger.warning("%s %s: %s", request.method, request.url.path, warning)
        request.state.pii_warnings = warnings
    return warnings


def warning_headers(request: Request) -> dict[str, str]:
    """``{"X-Pii-Warning": …}`` (the warnings joined by ``"; "``) when :func:`pii_warnings`
    has any, else ``{}``: merge it into the response's headers."""
    warnings = pii_warnings(request)
    if not warnings:
        return {}
    # Header values must be latin-1; a name came in as latin-1, so it goes back out as such.
    return {WARNING_HEADER: "; ".join(warnings)}


def request_policy(
    request: Request,
    *,
    seal_key: SealKey | None = None,
    conversation_id: str | None = None,
    default: PiiPolicy | None = None,
    allow_unsealed: bool = False,
    mapper: PiiMapper | None = None,
) -> PiiPolicy:
    """The policy of ``request``'s PII headers (repeated headers joined, as HTTP says).

    ``seal_key`` and ``conversation_id`` open a sealed X-Chat-History-Pii-Mapping; with a
    ``seal_key``, an unsealed mapping is rejected unless ``allow_unsealed`` is true.
    ``default`` is the deployment's policy for a request that names no entity type;
    ``mapper``, if given, parses them (knowing its custom entity types). Raises
    :class:`PiiHeaderError` for a rejected header. A header that looks like a misspelt PII
    header is logged as a warning (see :func:`pii_warnings`).
    """
    pii_warnings(request)
    parse = mapper.parse_headers if mapper is not None else parse_headers
    return parse(
        request.headers,
        seal_key=seal_key,
        conversation_id=conversation_id,
        default=default,
        allow_unsealed=allow_unsealed,
    )


def policy_dependency(
    seal_key: SealKey | None = None,
    *,
    default_policy: PiiPolicy | None = None,
    conversation_id: Callable[[Request], str | None] | None = None,
    allow_unsealed: bool = False,
    mapper: PiiMapper | None = None,
) -> Callable[..., PiiPolicy]:
    """A FastAPI dependency that reads the request's PII headers into a policy.

    ``conversation_id(request)``, if given, names the conversation a sealed history mapping is
    bound to (a path parameter or a header, say: the body is not parsed yet when dependencies
    run). With a ``seal_key``, only sealed history mappings are accepted unless
    ``allow_unsealed`` is true. ``mapper``, if given, parses the headers (knowing its custom
    entity types). Use with ``Depends(policy_dependency(...))``; install
    :func:`install_error_handlers` so that a rejected header becomes a 422 naming it.
    """

    def pii_policy(
        request: Request, _documented: Annotated[None, Depends(pii_headers)]
    ) -> PiiPolicy:
        conversation = conversation_id(request) if conversation_id is not None else None
        return request_policy(
            request,
            seal_key=seal_key,
            conversation_id=conversation,
            default=default_policy,
            allow_unsealed=allow_unsealed,
            mapper=mapper,
        )

    return pii_policy


pii_policy = policy_dependency()
"""The dependency for the common case: no seal key, the library's default policy."""


def error_body(exc: PiiMapperError) -> tuple[int, dict[str, Any]]:
    """The HTTP status and JSON body for one of the library's errors (as tabled above)."""
    if isinstance(exc, PiiHeaderError):
        return 422, {"detail": exc.to_detail()}
    if isinstance(exc, PiiInputError):
        status, loc, msg = 422, ["body"], exc.message
    elif isinstance(exc, DetectionError):
        status, loc = 503, []
        msg = f"PII detection failed; the text was not passed on: {exc.message}"
    else:
        status, loc = 500, []
        msg = "the server is misconfigured for PII handling (see its logs)"
    return status, {"detail": [{"loc": loc, "msg": msg, "type": exc.code, "input": None}]}


def error_response(exc: PiiMapperError) -> JSONResponse:
    """:func:`error_body` as a response."""
    status, body = error_body(exc)
    return JSONResponse(body, status_code=status)


async def _handle(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, PiiMapperError):  # pragma: no cover - registered for ours only
        raise exc
    status, body = error_body(exc)
    if status >= 500:  # the library's messages hold no PII value: safe to log
        logger.error("%s %s: %s (%s)", request.method, request.url.path, exc.message, exc.code)
    return JSONResponse(body, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Register handlers that answer the library's errors as :func:`error_response` says."""
    for error in (PiiHeaderError, PiiInputError, DetectionError, PiiMapperError):
        app.add_exception_handler(error, _handle)


def mapping_headers(
    mapping: ConversationMapping,
    seal_key: SealKey | None = None,
    *,
    conversation_id: str | None = None,
) -> dict[str, str]:
    """``{"X-Chat-History-Pii-Mapping": …}``: the mapping to send back with a response.

    Sealed (and bound to ``conversation_id``) when a seal key is given or came with the
    mapping; else in the encoding the request used (base64url for a first turn).
    """
    return {HISTORY_HEADER: mapping.to_header(seal_key, conversation_id=conversation_id)}


def unmask_tool_calls(
    mapper: PiiMapper,
    tool_calls: Sequence[Mapping[str, Any]],
    mapping: ConversationMapping | dict[str, str],
) -> list[dict[str, Any]]:
    """Tool calls with every placeholder restored, in every string, keys included.

    ``function.arguments`` given as a JSON string (as OpenAI-style APIs send them) is
    unmasked in its string tokens only, each re-escaped if anything was restored
    (:func:`pii_mapper.unmask_json` does this for every string holding a JSON object or
    array): an original containing a quote or a backslash cannot break the JSON, and the
    rest of the text (numbers, key order) comes back byte for byte. Arguments that are not
    JSON are unmasked as text.
    """
    return [mapper.unmask_json(dict(call), mapping) for call in tool_calls]
