"""A reference chat API steered by the PII headers: ``POST /v1/spaces/{space_id}/chat``.

Run it with ``uvicorn examples.chat_api:app`` (from the project root, with the ``api`` extra
installed). The default model echoes what it was given, so anyone can see what a model would
see. docs/api.md describes the request, the response, the headers, the preview, the
streaming events and the errors.

The module-level ``app`` is :func:`create_app_from_env`: configured by ``PII_MAPPER_SEAL_KEY``
(a 32-byte key as base64url, from ``pii-mapper keygen``; when set, the returned
X-Chat-History-Pii-Mapping is sealed and bound to the thread id) and ``PII_MAPPER_HASH_KEY``
(the key of the ``hash`` action, else a random one per process), read once at import: a bad
value stops start-up with a :class:`~pii_mapper.ConfigurationError` naming the variable.

``PII_MAPPER_CONFIG`` names a TOML file of custom entity types (``[[entity]]`` tables, as the
CLI's ``--config`` reads them; docs/custom_entities.md).

``/docs`` (Swagger UI) and ``/redoc`` are served with their scripts from the
``fastapi-offline`` package, so they work without network access.

Use :func:`create_app` to plug in a real model, a mapper or a key.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import iterate_in_threadpool

from pii_mapper import (
    ConversationMapping,
    DetectionError,
    PiiInputError,
    PiiMapper,
    PiiMapperError,
    PiiPolicy,
    PiiPreview,
    Settings,
    load_config,
)
from pii_mapper.chat import check_json_value
from pii_mapper.integrations.fastapi import (
    HISTORY_HEADER,
    WARNING_HEADER,
    error_body,
    install_error_handlers,
    mapping_headers,
    pii_headers,
    pii_warnings,
    request_policy,
    unmask_tool_calls,
    warning_headers,
)
from pii_mapper.mapping import SealKey
from pii_mapper.settings import seal_key_bytes

__all__ = [
    "ChatModel",
    "ChatRequest",
    "ChatResponse",
    "ErrorDetail",
    "ErrorResponse",
    "HistoryMessage",
    "ModelReply",
    "ModelRequest",
    "ToolCall",
    "ToolFunction",
    "app",
    "create_app",
    "create_app_from_env",
    "echo_model",
]


class ToolFunction(BaseModel):
    """The function a tool call calls; ``arguments`` is JSON text (OpenAI's shape)."""

    name: str
    arguments: str


class ToolCall(BaseModel):
    """A tool call of an earlier assistant message. Other keys are ignored."""

    id: str
    type: str = "function"
    function: ToolFunction


class HistoryMessage(BaseModel):
    """One earlier message of the thread: its content, an assistant's tool calls (their
    arguments are masked too), a tool message's ``tool_call_id``. Other keys are ignored
    (never passed on)."""

    role: str
    content: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The message as the mapper and the model get it: the tool-call fields only where
        the message has them."""
        unset = {name for name in ("tool_calls", "tool_call_id") if getattr(self, name) is None}
        return self.model_dump(exclude=unset)


class ChatRequest(BaseModel):
    """The request body. Unknown keys are ignored (never passed to the model)."""

    # What /docs's "Try it out" starts from: a first turn, as a dry run.
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"message": "Mail John Smith at john@example.com", "pii_preview": True}]
        }
    )

    message: str
    thread_id: str | None = None
    history: list[HistoryMessage] = Field(default_factory=list)
    pii_preview: bool = False
    model: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    stream: bool = False


class ChatResponse(BaseModel):
    """The answer of a (non-streamed, non-preview) turn."""

    model_config = ConfigDict(extra="forbid")

    response: str
    thread_id: str
    message_id: str
    metadata: dict[str, Any]
    tool_calls: list[dict[str, Any]]


class ErrorDetail(BaseModel):
    """One error: where (``loc``), what (``msg``), a stable code (``type``); ``input`` is
    always null (the rejected value may be PII)."""

    loc: list[str | int]
    msg: str
    type: str
    input: None = None


class ErrorResponse(BaseModel):
    """Every error's body, whatever the status: FastAPI's validation-error shape."""

    detail: list[ErrorDetail]


@dataclass(frozen=True)
class ModelRequest:
    """What the model is given: masked text only. ``metadata`` is not passed (not masked)."""

    space_id: str
    thread_id: str
    message: str
    history: list[dict[str, Any]]
    model: str | None
    placeholders: list[str]


@dataclass
class ModelReply:
    """A model's reply: its text as chunks (one chunk is fine), and its tool calls.

    ``chunks`` may be an async iterable (an async model client's stream); a sync one is
    read in the thread pool when streaming, so a slow model never blocks the event loop.

    ``tool_calls`` is read after ``chunks`` is exhausted, so a streaming model may fill it in
    as it goes. Tool calls are dicts; OpenAI's shape (``function.arguments`` as a JSON
    string) is unmasked in its string tokens, the rest kept byte for byte.
    """

    chunks: Iterable[str] | AsyncIterable[str]
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


ChatModel = Callable[[ModelRequest], ModelReply]


def echo_model(request: ModelRequest) -> ModelReply:
    """The default model: says back exactly the (masked) message it received, in word-sized
    chunks, and calls a tool ``echo`` whose arguments list the placeholders it saw."""
    words = request.message.split(" ")
    chunks = [word + " " for word in words[:-1]] + [words[-1]]
    arguments = {"message": request.message, "placeholders": request.placeholders}
    call = {
        "id": "call_echo_1",
        "type": "function",
        "function": {"name": "echo", "arguments": json.dumps(arguments)},
    }
    return ModelReply(chunks=chunks, tool_calls=[call])


def create_app(
    *,
    model: ChatModel = echo_model,
    mapper: PiiMapper | None = None,
    seal_key: SealKey | None = None,
    default_policy: PiiPolicy | None = None,
    allow_unsealed: bool = False,
    config: str | Path | None = None,
) -> FastAPI:
    """The chat API, with a pluggable model, mapper (shared by all requests) and seal key.

    With a ``seal_key``, only sealed history mappings are accepted (a client cannot hand in
    a mapping of its own making) unless ``allow_unsealed`` is true.

    Without ``mapper``, a :class:`PiiMapper` with the real detector is made now and loads
    its model on the first request that needs it; it knows the custom entity types of
    ``config`` (a TOML file). A given ``mapper`` gets those of ``config`` only when ``config``
    is given. A bad ``seal_key`` raises :class:`~pii_mapper.ConfigurationError` here, not on
    the first request.
    """
    if seal_key is not None:
        seal_key = seal_key_bytes(seal_key, "create_app(seal_key=…)")
    custom = load_config(config) if config is not None else ()
    if mapper is None:
        shared = PiiMapper(custom_entities=custom)
    else:
        shared = mapper.with_custom_entities(custom) if custom else mapper
    # Swagger UI and ReDoc from the fastapi-offline package, not a CDN: /docs works offline.
    app = FastAPIOffline(
        title="pii_mapper reference chat API",
        description=(
            "A chat endpoint steered by the four PII headers: the model sees placeholders, "
            "the caller gets the reply unmasked and the conversation's mapping in "
            f"`{HISTORY_HEADER}` to send back with the next turn."
        ),
        # One endpoint: show it open, headers and all, ready for "Try it out".
        swagger_ui_parameters={"docExpansion": "full"},
    )
    install_error_handlers(app)
    app.add_exception_handler(RequestValidationError, _invalid_body)

    @app.post(
        "/v1/spaces/{space_id}/chat",
        response_model=None,
        dependencies=[Depends(pii_headers)],
        responses={
            200: {
                "model": ChatResponse,
                "description": (
                    "The unmasked reply (with `pii_preview: true`: the PiiPreview instead; "
                    "with `stream: true`: server-sent events `delta`, then `done` or `error`)."
                ),
                "headers": {
                    HISTORY_HEADER: {
                        "description": "the conversation's mapping: send it back next turn",
                        "schema": {"type": "string"},
                    },
                    WARNING_HEADER: {
                        "description": "a request header that looks like a misspelt PII header",
                        "schema": {"type": "string"},
                    },
                },
                "content": {
                    "text/event-stream": {"schema": {"type": "string"}},
                },
            },
            422: {
                "model": ErrorResponse,
                "description": "a rejected PII header (`loc: [header, name]`) or body",
            },
            502: {"model": ErrorResponse, "description": "the model failed (`model_failed`)"},
            503: {
                "model": ErrorResponse,
                "description": "PII detection failed; nothing was sent to the model",
            },
        },
    )
    def chat(space_id: str, body: ChatRequest, request: Request) -> Response:
        # Text that is not valid Unicode (a lone surrogate, which JSON's \ud800 escapes can
        # carry) anywhere in the body is the caller's error: a 422 that says where, before
        # anything is masked or echoed (it could not be written out as UTF-8 anyway).
        check_json_value(body.model_dump(), "body")
        thread_id = body.thread_id or uuid.uuid4().hex
        policy = request_policy(
            request,
            seal_key=seal_key,
            conversation_id=thread_id,
            default=default_policy,
            allow_unsealed=allow_unsealed,
            mapper=shared,
        )
        history = [message.as_dict() for message in body.history]
        warned = warning_headers(request)
        if body.pii_preview:
            preview = _fail_closed(lambda: shared.preview(body.message, policy, history))
            preview = _with_warnings(preview, pii_warnings(request))
            return JSONResponse(preview.model_dump(mode="json"), headers=warned)
        # The thread as the model gets it: the history, then the new message as the last one.
        messages = [*history, {"role": "user", "content": body.message}]
        result = _fail_closed(lambda: shared.mask_messages(messages, policy))
        headers = mapping_headers(result.mapping, seal_key, conversation_id=thread_id) | warned
        *masked_history, masked_message = (dict(item) for item in result.messages)
        given = ModelRequest(
            space_id=space_id,
            thread_id=thread_id,
            message=masked_message["content"],
            history=masked_history,
            model=body.model,
            placeholders=_placeholders(masked_message["content"], result.mapping),
        )
        message_id = uuid.uuid4().hex
        try:
            reply = model(given)
            if body.stream:
                events = _events(
                    shared, reply, result.mapping, thread_id, message_id, body.metadata
                )
                return StreamingResponse(events, media_type="text/event-stream", headers=headers)
            masked_reply = _joined(reply.chunks)
        except Exception as exc:
            return JSONResponse({"detail": [_model_failed(exc)]}, status_code=502, headers=warned)
        text = shared.unmask(masked_reply, result.mapping)
        answer = ChatResponse(
            response=text,
            thread_id=thread_id,
            message_id=message_id,
            metadata=body.metadata,
            tool_calls=unmask_tool_calls(shared, reply.tool_calls, result.mapping),
        )
        dumped = answer.model_dump(mode="json")
        problem = _invalid_output(dumped)
        if problem is not None:
            return JSONResponse({"detail": [problem]}, status_code=502, headers=warned)
        return JSONResponse(dumped, headers=headers)

    return app


def create_app_from_env(*, model: ChatModel = echo_model) -> FastAPI:
    """:func:`create_app` configured from the environment (``PII_MAPPER_SEAL_KEY``,
    ``PII_MAPPER_HASH_KEY``, ``PII_MAPPER_CONFIG``; see :class:`pii_mapper.Settings`), read
    once, now. Raises
    :class:`~pii_mapper.ConfigurationError` naming the variable whose value is wrong.
    ``uvicorn --factory examples.chat_api:create_app_from_env`` runs it."""
    settings = Settings.from_env()
    return create_app(model=model, mapper=PiiMapper.from_env(), seal_key=settings.seal_key)


def _joined(chunks: Iterable[str] | AsyncIterable[str]) -> str:
    """The whole reply. The endpoint runs in a worker thread: an async stream is read on the
    event loop through anyio, a sync one right here."""
    if isinstance(chunks, AsyncIterable):
        import anyio.from_thread

        async def join() -> str:
            return "".join([chunk async for chunk in chunks])

        return anyio.from_thread.run(join)
    return "".join(chunks)


def _with_warnings(preview: PiiPreview, warnings: list[str]) -> PiiPreview:
    """The preview with the request's header warnings first (a misspelt header name)."""
    if not warnings:
        return preview
    return preview.model_copy(update={"warnings": [*warnings, *preview.warnings]})


_T = TypeVar("_T")


def _fail_closed(step: Callable[[], _T]) -> _T:
    """Run a masking step; anything but the library's own errors becomes a DetectionError
    (a detector that cannot even be loaded must not let text through)."""
    try:
        return step()
    except PiiMapperError:
        raise
    except Exception as exc:
        raise DetectionError(f"the detector could not run ({type(exc).__name__})") from None


def _placeholders(message: str, mapping: ConversationMapping) -> list[str]:
    """The placeholders of the mapping that the masked message mentions, in mapping order."""
    return [placeholder for placeholder in mapping if placeholder in message]


async def _events(
    mapper: PiiMapper,
    reply: ModelReply,
    mapping: ConversationMapping,
    thread_id: str,
    message_id: str,
    metadata: dict[str, Any],
) -> AsyncIterator[str]:
    """Server-sent events: ``delta`` events of unmasked text, then one ``done`` event (or an
    ``error`` event if the model or the unmasking fails once the response has started).

    Runs on the event loop: a sync model's chunks are pulled in the thread pool (a slow
    model must not block the loop), an async model's directly; each chunk is unmasked as it
    comes (:meth:`PiiMapper.aunmask_stream`, linear in the chunk)."""
    chunks = reply.chunks
    source = chunks if isinstance(chunks, AsyncIterable) else iterate_in_threadpool(chunks)
    try:
        async for text in mapper.aunmask_stream(source, mapping):
            if text:
                problem = _invalid_output(text)
                if problem is not None:  # an error event, never a cut stream
                    yield _event("error", {"detail": [problem]})
                    return
                yield _event("delta", {"text": text})
        tool_calls = unmask_tool_calls(mapper, reply.tool_calls, mapping)
        problem = _invalid_output(tool_calls)
        if problem is not None:
            yield _event("error", {"detail": [problem]})
            return
    except PiiMapperError as exc:
        yield _event("error", error_body(exc)[1])
        return
    except Exception as exc:
        yield _event("error", {"detail": [_model_failed(exc)]})
        return
    done = {
        "thread_id": thread_id,
        "message_id": message_id,
        "metadata": metadata,
        "tool_calls": tool_calls,
    }
    yield _event("done", done)


async def _invalid_body(request: Request, exc: Exception) -> JSONResponse:
    """A body that does not fit :class:`ChatRequest`: FastAPI's 422, but without ``input``
    (the rejected value may be PII) and with text that can always be written out (a lone
    surrogate in a key or message is escaped, not a 500)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [
        {
            "loc": [_printable(part) for part in error.get("loc", ())],
            "msg": _printable(error.get("msg", "")),
            "type": _printable(error.get("type", "")),
            "input": None,
        }
        for error in errors
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def _printable(part: object) -> object:
    if isinstance(part, str):
        return part.encode("utf-8", "backslashreplace").decode("utf-8")
    return part if isinstance(part, int) else str(part)


def _invalid_output(value: object) -> dict[str, Any] | None:
    """The error detail when the model's (unmasked) output cannot be sent: not valid Unicode
    (a lone surrogate) or not JSON-like. Says where, never what."""
    try:
        check_json_value(value, "the model's output")
    except PiiInputError as exc:
        return {"loc": [], "msg": exc.message, "type": "model_failed"}
    return None


def _model_failed(exc: Exception) -> dict[str, Any]:
    """The error detail of a failed model call: its type only (its message may quote text)."""
    return {"loc": [], "msg": f"the model failed ({type(exc).__name__})", "type": "model_failed"}


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


app = create_app_from_env()
