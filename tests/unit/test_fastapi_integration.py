"""pii_mapper.integrations.fastapi and the example chat API, in process.

Requests go through httpx's ASGI transport rather than Starlette's TestClient, which warns
(an error here) when it finds httpx instead of httpx2. No ``from __future__ import
annotations``: the routes' ``Annotated[…, Depends(local)]`` must be evaluated where they stand.
"""

import asyncio
import doctest
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI, Request

from examples.chat_api import (
    ModelReply,
    ModelRequest,
    create_app,
    create_app_from_env,
    echo_model,
)
from pii_mapper import (
    Action,
    AutoDetection,
    ConfigurationError,
    ConversationMapping,
    Detection,
    DetectionError,
    MappingSealError,
    PiiInputError,
    PiiMapper,
    PiiPolicy,
    Rule,
    StaticDetector,
    generate_seal_key,
)
from pii_mapper.integrations.fastapi import (
    HISTORY_HEADER,
    install_error_handlers,
    mapping_headers,
    pii_policy,
    pii_warnings,
    policy_dependency,
    unmask_tool_calls,
    warning_headers,
)

ADA = "Ada Lovelace"
ADA_MAIL = "ada@example.com"
VALUES = {ADA: "PERSON", ADA_MAIL: "EMAIL_ADDRESS"}
CHAT = "/v1/spaces/space-1/chat"


class InProcessClient:
    """A synchronous client of an ASGI app, in process."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


def policy_app(dependency: Any = pii_policy) -> InProcessClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/policy/{thread}")
    def show(thread: str, policy: Annotated[PiiPolicy, Depends(dependency)]) -> dict[str, Any]:
        return {
            "rules": {rule.entity: rule.action.value for rule in policy.rules},
            "auto": policy.auto.enabled,
            "history": dict(policy.history),
        }

    return InProcessClient(app)


# --- the dependency ------------------------------------------------------------------------


def test_dependency_reads_the_headers_into_a_policy() -> None:
    got = policy_app().get("/policy/t", headers={"x-pii-mapping": "email=mask, ssn=redact"})
    assert got.status_code == 200
    assert got.json()["rules"] == {"EMAIL_ADDRESS": "mask", "US_SSN": "redact"}
    assert got.json()["auto"] is False


def test_dependency_joins_a_repeated_header() -> None:
    headers = [("X-Pii-Mapping", "email=mask"), ("X-Pii-Mapping", "ssn=redact")]
    got = policy_app().get("/policy/t", headers=headers)
    assert got.json()["rules"] == {"EMAIL_ADDRESS": "mask", "US_SSN": "redact"}


def test_no_header_gives_the_deployment_default() -> None:
    default = PiiPolicy(
        rules=(Rule(entity="PERSON", action=Action.HASH),), auto=AutoDetection(enabled=False)
    )
    client = policy_app(policy_dependency(default_policy=default))
    assert client.get("/policy/t").json()["rules"] == {"PERSON": "hash"}
    assert policy_app().get("/policy/t").json()["auto"] is True  # the library's default


def test_a_mapper_with_custom_types_parses_the_headers() -> None:
    from pii_mapper import CustomEntity

    project = CustomEntity("PROJECT", deny_list=["Bluebird"], aliases=("codename",))
    mapper = PiiMapper(StaticDetector({}), custom_entities=[project])
    client = policy_app(policy_dependency(mapper=mapper))
    got = client.get("/policy/t", headers={"X-Pii-Mapping": "codename=redact"})
    assert got.json()["rules"] == {"PROJECT": "redact"}
    unknown = policy_app().get("/policy/t", headers={"X-Pii-Mapping": "codename=redact"})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["type"] == "unknown_entity"


def test_bad_header_is_a_422_naming_it() -> None:
    got = policy_app().get("/policy/t", headers={"X-Pii-Mapping": "emial=mask"})
    assert got.status_code == 422
    [detail] = got.json()["detail"]
    assert detail["loc"] == ["header", "X-Pii-Mapping"]
    assert detail["type"] == "unknown_entity"
    assert "EMAIL_ADDRESS" in detail["msg"]
    assert detail["input"] == "emial=mask"


def test_sealed_history_opens_only_for_its_conversation() -> None:
    key = generate_seal_key()
    client = policy_app(policy_dependency(key, conversation_id=lambda r: r.path_params["thread"]))
    token = ConversationMapping({"<PERSON_1>": ADA}).to_header(key, conversation_id="t-1")
    opened = client.get("/policy/t-1", headers={HISTORY_HEADER: token})
    assert opened.status_code == 200
    assert opened.json()["history"] == {"<PERSON_1>": ADA}
    refused = client.get("/policy/t-2", headers={HISTORY_HEADER: token})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["header", HISTORY_HEADER]
    assert ADA not in refused.text


def test_with_a_seal_key_the_dependency_refuses_unsealed_mappings() -> None:
    key = generate_seal_key()
    plain = ConversationMapping({"<PERSON_1>": ADA}).to_header()
    refused = policy_app(policy_dependency(key)).get("/policy/t", headers={HISTORY_HEADER: plain})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "mapping_not_sealed"
    assert ADA not in refused.text
    lenient = policy_app(policy_dependency(key, allow_unsealed=True))
    allowed = lenient.get("/policy/t", headers={HISTORY_HEADER: plain})
    assert allowed.status_code == 200
    assert allowed.json()["history"] == {"<PERSON_1>": ADA}


# --- the error handlers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status", "loc"),
    [
        (PiiInputError("a message must be a string", code="invalid_input"), 422, ["body"]),
        (DetectionError("the detector failed (OSError)"), 503, []),
        (MappingSealError("a seal key must be 32 bytes", code="bad_seal_key"), 500, []),
    ],
)
def test_library_errors_become_json_errors(error: Exception, status: int, loc: list[str]) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/fail")
    def fail() -> None:
        raise error

    got = InProcessClient(app).get("/fail")
    assert got.status_code == status
    [detail] = got.json()["detail"]
    assert detail["loc"] == loc
    assert detail["type"] == error.code  # type: ignore[attr-defined]
    assert detail["msg"]


def test_mapping_headers_seal_and_bind_the_mapping() -> None:
    mapping = ConversationMapping({"<PERSON_1>": ADA})
    plain = mapping_headers(mapping)[HISTORY_HEADER]
    assert ConversationMapping({"<PERSON_1>": ADA}).to_header() == plain
    key = generate_seal_key()
    sealed = mapping_headers(mapping, key, conversation_id="t")[HISTORY_HEADER]
    assert sealed.startswith("v1.")
    assert ADA not in sealed


def test_unmask_tool_calls_keeps_json_arguments_valid() -> None:
    mapper = PiiMapper(StaticDetector({}))
    mapping = {"<PERSON_1>": 'Ada "The Countess" Lovelace'}
    calls = [
        {"id": "c1", "function": {"name": "f", "arguments": '{"to": "<PERSON_1>"}'}},
        {"id": "c2", "function": {"name": "g", "arguments": "not json: <PERSON_1>"}},
        {"id": "c3", "input": {"<PERSON_1>": ["[PERSON_1]"]}},
        {"id": "c4", "function": {"name": "h", "arguments": '{"n":  1}'}},
    ]
    got = unmask_tool_calls(mapper, calls, mapping)
    original = mapping["<PERSON_1>"]
    assert json.loads(got[0]["function"]["arguments"]) == {"to": original}
    assert got[1]["function"]["arguments"] == f"not json: {original}"
    assert got[2]["input"] == {original: [original]}
    assert got[3]["function"]["arguments"] == '{"n":  1}'  # nothing restored: text kept
    assert calls[0]["function"]["arguments"] == '{"to": "<PERSON_1>"}'  # input not mutated


# --- the example chat API ------------------------------------------------------------------


class Recorder:
    """A model that records what it is given and answers as the echo model does."""

    def __init__(self) -> None:
        self.calls: list[ModelRequest] = []

    def __call__(self, request: ModelRequest) -> ModelReply:
        self.calls.append(request)
        return echo_model(request)


class BrokenDetector:
    def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        raise OSError("model files missing")


def chat_client(
    model: Recorder, detector: Any = None, seal_key: str | None = None
) -> InProcessClient:
    mapper = PiiMapper(detector if detector is not None else StaticDetector(VALUES))
    return InProcessClient(create_app(model=model, mapper=mapper, seal_key=seal_key))


def test_missing_message_is_fastapis_validation_422() -> None:
    model = Recorder()
    got = chat_client(model).post(CHAT, json={"thread_id": "t"})
    assert got.status_code == 422
    [detail] = got.json()["detail"]
    assert detail["loc"] == ["body", "message"]
    assert detail["type"] == "missing"
    assert model.calls == []


def test_bad_header_names_it_and_calls_no_model() -> None:
    model = Recorder()
    got = chat_client(model).post(
        CHAT, json={"message": f"hi {ADA}"}, headers={"X-Auto-Pii-Mapping": "treshold=0.5"}
    )
    assert got.status_code == 422
    assert got.json()["detail"][0]["loc"] == ["header", "X-Auto-Pii-Mapping"]
    assert model.calls == []


def test_preview_reports_and_calls_no_model() -> None:
    model = Recorder()
    message = f"Mail {ADA} at {ADA_MAIL}"
    got = chat_client(model).post(
        CHAT,
        json={"message": message, "pii_preview": True},
        headers={"X-Pii-Mapping": "person=mask, email=redact"},
    )
    assert got.status_code == 200
    assert model.calls == []
    preview = got.json()
    assert preview["message"] == "Mail <PERSON_1> at <EMAIL_ADDRESS_REDACTED>"
    assert preview["mapping"] == {"<PERSON_1>": ADA}
    assert [(s["start"], s["end"], s["action"]) for s in preview["spans"]] == [
        (5, 17, "mask"),
        (21, 36, "redact"),
    ]
    assert ADA_MAIL not in got.text
    assert HISTORY_HEADER not in got.headers


def test_detection_failure_is_a_503_and_nothing_reaches_the_model() -> None:
    model = Recorder()
    message = f"Mail {ADA} at {ADA_MAIL}"
    got = chat_client(model, BrokenDetector()).post(CHAT, json={"message": message})
    assert got.status_code == 503
    assert got.json()["detail"][0]["type"] == "detection_failed"
    assert model.calls == []
    assert ADA not in got.text


def test_a_detector_that_cannot_load_fails_closed() -> None:
    class Unloadable(PiiMapper):
        @property
        def detector(self) -> Any:
            raise ModuleNotFoundError("no module named pii_mapper.detection.engine")

    model = Recorder()
    app = create_app(model=model, mapper=Unloadable())
    got = InProcessClient(app).post(CHAT, json={"message": f"hi {ADA}"})
    assert got.status_code == 503
    assert model.calls == []


def test_the_model_sees_masked_text_only() -> None:
    model = Recorder()
    message = f"Mail {ADA} at {ADA_MAIL}"
    history = [{"role": "user", "content": f"I am {ADA}"}, {"role": "assistant"}]
    got = chat_client(model).post(
        CHAT, json={"message": message, "history": history, "metadata": {"k": [1]}}
    )
    assert got.status_code == 200
    [call] = model.calls
    assert call.message == "Mail <PERSON_1> at <EMAIL_ADDRESS_1>"
    assert call.history == [
        {"role": "user", "content": "I am <PERSON_1>"},
        {"role": "assistant", "content": None},
    ]
    assert call.placeholders == ["<PERSON_1>", "<EMAIL_ADDRESS_1>"]
    body = got.json()
    assert body["response"] == message
    assert body["metadata"] == {"k": [1]}
    assert body["thread_id"]
    assert body["message_id"]
    arguments = json.loads(body["tool_calls"][0]["function"]["arguments"])
    assert arguments == {"message": message, "placeholders": [ADA, ADA_MAIL]}


def test_a_failing_model_is_a_502() -> None:
    def broken(request: ModelRequest) -> ModelReply:
        raise ConnectionError(f"upstream said no to {request.message}")

    app = create_app(model=broken, mapper=PiiMapper(StaticDetector(VALUES)))
    got = InProcessClient(app).post(CHAT, json={"message": f"hi {ADA}"})
    assert got.status_code == 502
    assert got.json()["detail"][0]["type"] == "model_failed"
    assert "PERSON_1" not in got.text


def test_declared_span_past_the_message_names_the_positions_header() -> None:
    got = chat_client(Recorder()).post(
        CHAT, json={"message": "short"}, headers={"X-Pii-Positions": "0-50:person"}
    )
    assert got.status_code == 422
    assert got.json()["detail"][0]["loc"] == ["header", "X-Pii-Positions"]


def test_request_is_available_to_custom_dependencies() -> None:
    # conversation_id may come from any part of the request, e.g. a header.
    dependency = policy_dependency(conversation_id=lambda r: r.headers.get("x-thread"))
    seen: list[PiiPolicy] = []
    app = FastAPI()

    @app.get("/")
    def index(request: Request, policy: Annotated[PiiPolicy, Depends(dependency)]) -> str:
        seen.append(policy)
        return "ok"

    assert InProcessClient(app).get("/", headers={"x-thread": "t"}).status_code == 200
    assert seen == [PiiPolicy()]


def test_a_model_failing_mid_stream_ends_with_an_error_event() -> None:

    def failing(request: ModelRequest) -> ModelReply:
        def chunks() -> Iterator[str]:
            yield "Hello <PERS"
            yield "ON_1>, "
            raise ConnectionError(f"upstream dropped {request.message}")

        return ModelReply(chunks())

    app = create_app(model=failing, mapper=PiiMapper(StaticDetector(VALUES)))
    got = InProcessClient(app).post(CHAT, json={"message": f"hi {ADA}", "stream": True})
    assert got.status_code == 200
    blocks = [block.split("\n") for block in got.text.split("\n\n") if block]
    names = [lines[0].removeprefix("event: ") for lines in blocks]
    assert names[-1] == "error"
    assert "done" not in names
    texts = [json.loads(lines[1].removeprefix("data: ")) for lines in blocks]
    assert "".join(t["text"] for t in texts[:-1]) == f"Hello {ADA}, "
    assert texts[-1]["detail"][0]["type"] == "model_failed"
    assert "PERSON_1" not in got.text


def test_the_module_doctest_runs() -> None:
    import pii_mapper.integrations.fastapi as module

    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


# --- a misspelt PII header is warned about, never ignored in silence ----------------------


def test_a_misspelt_header_is_warned_about_in_the_preview_a_header_and_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    model = Recorder()
    client = chat_client(model)
    with caplog.at_level("WARNING", logger="pii_mapper.integrations.fastapi"):
        preview = client.post(
            CHAT,
            json={"message": f"Mail {ADA_MAIL}", "pii_preview": True},
            headers={"X-Pii-Maping": "email=keep"},
        )
    assert preview.status_code == 200
    # HTTP names are case-insensitive; ASGI hands them over in lower case.
    [warning] = [w for w in preview.json()["warnings"] if "'x-pii-maping'" in w.casefold()]
    assert "did you mean X-Pii-Mapping?" in warning
    assert preview.headers["X-Pii-Warning"] == warning
    [record] = [r for r in caplog.records if "x-pii-maping" in r.getMessage().casefold()]
    assert "email=keep" not in record.getMessage()  # names the header, never its value
    assert preview.json()["message"] == "Mail <EMAIL_ADDRESS_1>"  # the default policy applied

    turn = client.post(CHAT, json={"message": "hi"}, headers={"x-pii-positions-": "0-2"})
    assert turn.status_code == 200
    assert "did you mean X-Pii-Positions?" in turn.headers["X-Pii-Warning"]
    quiet = client.post(CHAT, json={"message": "hi"}, headers={"X-Request-Id": "7"})
    assert "X-Pii-Warning" not in quiet.headers


def test_the_dependency_warns_too() -> None:
    seen: list[list[str]] = []
    app = FastAPI()

    @app.get("/")
    def show(request: Request, policy: Annotated[PiiPolicy, Depends(pii_policy)]) -> dict[str, str]:
        seen.append(pii_warnings(request))
        return warning_headers(request)

    got = InProcessClient(app).get("/", headers={"X-Pii-Mappin": "email=mask"})
    assert got.status_code == 200
    assert "'x-pii-mappin'" in got.json()["X-Pii-Warning"].casefold()
    assert len(seen[0]) == 1


# --- configuration errors stop start-up ------------------------------------------------------


def test_a_bad_seal_key_stops_the_app_factory() -> None:
    with pytest.raises(ConfigurationError, match=r"create_app\(seal_key=…\)"):
        create_app(mapper=PiiMapper(StaticDetector(VALUES)), seal_key="too-short")


def test_a_bad_seal_key_variable_stops_the_app_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PII_MAPPER_SEAL_KEY", "too-short")
    with pytest.raises(ConfigurationError) as caught:
        create_app_from_env()
    assert caught.value.variable == "PII_MAPPER_SEAL_KEY"
    assert "too-short" not in str(caught.value)


def test_uvicorn_exits_non_zero_naming_the_variable() -> None:
    env = {**os.environ, "PII_MAPPER_SEAL_KEY": "too-short"}
    env.pop("PII_MAPPER_HASH_KEY", None)
    ran = subprocess.run(
        [sys.executable, "-m", "uvicorn", "examples.chat_api:app", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert ran.returncode != 0
    assert "PII_MAPPER_SEAL_KEY" in ran.stderr
    assert "too-short" not in ran.stderr


# --- async models stream through aunmask_stream ----------------------------------------------


def test_an_async_model_streams_and_answers_like_a_sync_one() -> None:
    def async_echo(request: ModelRequest) -> ModelReply:
        reply = echo_model(request)

        async def chunks() -> AsyncIterator[str]:
            for chunk in reply.chunks:
                await asyncio.sleep(0)
                # Cut each chunk in two so placeholders straddle chunks.
                yield chunk[: len(chunk) // 2]
                yield chunk[len(chunk) // 2 :]

        return ModelReply(chunks(), reply.tool_calls)

    message = f"Mail {ADA} at {ADA_MAIL}, {ADA}!"
    client = InProcessClient(create_app(model=async_echo, mapper=PiiMapper(StaticDetector(VALUES))))
    plain = client.post(CHAT, json={"message": message})
    assert plain.status_code == 200
    assert plain.json()["response"] == message
    streamed = client.post(CHAT, json={"message": message, "stream": True})
    blocks = [block.split("\n") for block in streamed.text.split("\n\n") if block]
    data = [json.loads(lines[1].removeprefix("data: ")) for lines in blocks]
    assert blocks[-1][0] == "event: done"
    assert "".join(d["text"] for d in data[:-1]) == message
