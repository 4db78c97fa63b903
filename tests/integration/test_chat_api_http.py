"""The example chat API over real HTTP: uvicorn on loopback, driven by httpx.

Most tests use a :class:`~pii_mapper.StaticDetector` and run in the fast suite; the one that
loads the real spaCy model is marked ``integration``.
"""

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from examples.chat_api import ModelReply, ModelRequest, create_app, echo_model
from pii_mapper import PiiMapper, StaticDetector, generate_seal_key
from pii_mapper.integrations.fastapi import HISTORY_HEADER

ADA = "Ada Lovelace"
ADA_MAIL = "ada@example.com"
BOB = "Bob Babbage"
VALUES = {ADA: "PERSON", ADA_MAIL: "EMAIL_ADDRESS", BOB: "PERSON"}
CHAT = "/v1/spaces/space-1/chat"


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port; yield its base URL; stop it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="off", ws="none", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class Recorder:
    """A model that records what it is given and answers as the echo model does."""

    def __init__(self, answer: Callable[[ModelRequest], ModelReply] = echo_model) -> None:
        self.calls: list[ModelRequest] = []
        self._answer = answer

    def __call__(self, request: ModelRequest) -> ModelReply:
        self.calls.append(request)
        return self._answer(request)


@pytest.fixture
def model() -> Recorder:
    return Recorder()


@pytest.fixture
def client(model: Recorder) -> Iterator[httpx.Client]:
    """A client of the chat API with a static detector, no seal key, the recording model."""
    app = create_app(model=model, mapper=PiiMapper(StaticDetector(VALUES)))
    with serving(app) as url, httpx.Client(base_url=url, timeout=10) as http:
        yield http


def events(response: httpx.Response) -> list[tuple[str, dict[str, Any]]]:
    """The server-sent events of a response: (event name, decoded data)."""
    parsed = []
    for block in response.text.split("\n\n"):
        if not block:
            continue
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        parsed.append((fields["event"], json.loads(fields["data"])))
    return parsed


# --- a conversation carried by the returned header ----------------------------------------


def test_three_turns_keep_their_placeholders(client: httpx.Client, model: Recorder) -> None:
    turns = [f"I am {ADA}.", f"Write to {ADA_MAIL}, and to {BOB}.", f"{BOB} and {ADA} agree."]
    header: dict[str, str] = {}
    thread_id = None
    for turn in turns:
        body: dict[str, Any] = {"message": turn}
        if thread_id is not None:
            body["thread_id"] = thread_id
        got = client.post(CHAT, json=body, headers=header)
        assert got.status_code == 200, got.text
        assert got.json()["response"] == turn  # the echo, unmasked
        thread_id = got.json()["thread_id"]
        header = {HISTORY_HEADER: got.headers[HISTORY_HEADER]}
    assert [call.message for call in model.calls] == [
        "I am <PERSON_1>.",
        "Write to <EMAIL_ADDRESS_1>, and to <PERSON_2>.",
        "<PERSON_2> and <PERSON_1> agree.",
    ]
    assert ADA not in header[HISTORY_HEADER]  # base64url, not JSON in the clear
    assert all(call.thread_id == thread_id for call in model.calls)


def test_sealed_conversation_binds_to_its_thread(model: Recorder) -> None:
    key = generate_seal_key()
    app = create_app(model=model, mapper=PiiMapper(StaticDetector(VALUES)), seal_key=key)
    with serving(app) as url, httpx.Client(base_url=url, timeout=10) as http:
        first = http.post(CHAT, json={"message": f"I am {ADA}.", "thread_id": "t-1"})
        sealed = first.headers[HISTORY_HEADER]
        assert sealed.startswith("v1.")
        second = http.post(
            CHAT,
            json={"message": f"{ADA} again.", "thread_id": "t-1"},
            headers={HISTORY_HEADER: sealed},
        )
        assert second.status_code == 200
        assert model.calls[-1].message == "<PERSON_1> again."
        other_thread = http.post(
            CHAT,
            json={"message": f"{ADA} again.", "thread_id": "t-2"},
            headers={HISTORY_HEADER: sealed},
        )
        tampered = sealed[:-2] + ("AA" if sealed[-2:] != "AA" else "BB")
        altered = http.post(
            CHAT,
            json={"message": f"{ADA} again.", "thread_id": "t-1"},
            headers={HISTORY_HEADER: tampered},
        )
    for refused in (other_thread, altered):
        assert refused.status_code == 422
        [detail] = refused.json()["detail"]
        assert detail["loc"] == ["header", HISTORY_HEADER]
        assert detail["type"] == "bad_seal"
        assert ADA not in refused.text
    assert len(model.calls) == 2


# --- preview and errors --------------------------------------------------------------------


def test_preview_calls_no_model(client: httpx.Client, model: Recorder) -> None:
    got = client.post(
        CHAT,
        json={"message": f"Mail {ADA} at {ADA_MAIL}", "pii_preview": True},
        headers={"X-Pii-Mapping": "person=mask, email=redact"},
    )
    assert got.status_code == 200
    assert got.json()["message"] == "Mail <PERSON_1> at <EMAIL_ADDRESS_REDACTED>"
    assert ADA_MAIL not in got.text
    assert model.calls == []


def test_missing_message_is_a_validation_422(client: httpx.Client, model: Recorder) -> None:
    got = client.post(CHAT, json={"history": []})
    assert got.status_code == 422
    assert got.json()["detail"][0]["loc"] == ["body", "message"]
    assert model.calls == []


def test_bad_mapping_header_is_named(client: httpx.Client, model: Recorder) -> None:
    got = client.post(CHAT, json={"message": ADA}, headers={"X-Pii-Mapping": "person=scramble"})
    assert got.status_code == 422
    [detail] = got.json()["detail"]
    assert detail["loc"] == ["header", "X-Pii-Mapping"]
    assert detail["type"] == "unknown_action"
    assert model.calls == []


def test_tampered_history_header_is_named(client: httpx.Client, model: Recorder) -> None:
    got = client.post(CHAT, json={"message": ADA}, headers={HISTORY_HEADER: "v1.AAAA"})
    assert got.status_code == 422
    assert got.json()["detail"][0]["loc"] == ["header", HISTORY_HEADER]
    assert model.calls == []


# --- streaming -----------------------------------------------------------------------------


def cut_placeholders(request: ModelRequest) -> ModelReply:
    """The echo, in chunks of three characters: every placeholder is cut across chunks."""
    reply = echo_model(request)
    text = "".join(reply.chunks)
    return ModelReply([text[i : i + 3] for i in range(0, len(text), 3)], reply.tool_calls)


def test_stream_joined_equals_the_plain_response() -> None:
    model = Recorder(cut_placeholders)
    app = create_app(model=model, mapper=PiiMapper(StaticDetector(VALUES)))
    message = f"Mail {ADA} at {ADA_MAIL}; {ADA} knows."
    with serving(app) as url, httpx.Client(base_url=url, timeout=10) as http:
        plain = http.post(CHAT, json={"message": message, "thread_id": "t"})
        with http.stream(
            "POST", CHAT, json={"message": message, "thread_id": "t", "stream": True}
        ) as streamed:
            streamed.read()
    assert streamed.status_code == 200
    assert streamed.headers["content-type"].startswith("text/event-stream")
    assert HISTORY_HEADER in streamed.headers
    received = events(streamed)
    names = [name for name, _ in received]
    assert names[-1] == "done"
    assert set(names[:-1]) == {"delta"}
    joined = "".join(data["text"] for name, data in received if name == "delta")
    assert joined == plain.json()["response"] == message
    done = received[-1][1]
    assert done["thread_id"] == "t"
    assert done["tool_calls"] == plain.json()["tool_calls"]
    assert [call.message for call in model.calls] == [model.calls[0].message] * 2


# --- bad Unicode, sealed mappings, tool calls ----------------------------------------------


def post(http: httpx.Client, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST ``body`` as ASCII JSON (``\\u`` escapes), as a client may send a lone surrogate."""
    sent = {"content-type": "application/json", **(headers or {})}
    return http.post(CHAT, content=json.dumps(body), headers=sent)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"message": f"{ADA} \ud800"}, "body.message: character 13"),
        ({"message": f"{ADA} \ud800", "pii_preview": True}, "body.message"),
        ({"message": f"{ADA} \ud800", "stream": True}, "body.message"),
        ({"message": "ok", "history": [{"role": "user", "content": f"{ADA}\udfff"}]},
         "body.history[0].content: character 12"),
        ({"message": "ok", "metadata": {"note": f"{ADA}\ud800"}}, "body.metadata.note"),
        ({"message": "ok", "thread_id": "\ud800"}, "body.thread_id"),
        ({"message": "ok", "history": [{"role": "assistant", "tool_calls": [
            {"id": "c", "function": {"name": "f", "arguments": '{"a": "\\ud800"}'}}]}]},
         "tool_calls[0].function.arguments"),
    ],
)  # fmt: skip
def test_text_that_is_not_valid_unicode_is_a_422(
    client: httpx.Client, model: Recorder, body: dict[str, Any], where: str
) -> None:
    got = post(client, body)
    assert got.status_code == 422, got.text
    assert got.headers["content-type"] == "application/json"
    [detail] = got.json()["detail"]
    assert detail["loc"] == ["body"]
    assert detail["type"] == "invalid_unicode"
    assert where in detail["msg"]
    assert detail["input"] is None
    assert ADA not in got.text
    assert model.calls == []


def test_a_body_validation_error_never_echoes_the_input(client: httpx.Client) -> None:
    got = post(client, {"message": 5, "metadata": f"{ADA} \ud800"})
    assert got.status_code == 422
    assert [d["loc"] for d in got.json()["detail"]] == [["body", "message"], ["body", "metadata"]]
    assert all(d["input"] is None for d in got.json()["detail"])
    assert ADA not in got.text


def bad_unicode_output(request: ModelRequest) -> ModelReply:
    return ModelReply(["fine so far, ", "then \ud800 broken"], [])


def test_model_output_that_is_not_valid_unicode_is_an_error_event_not_a_cut_stream() -> None:
    app = create_app(model=bad_unicode_output, mapper=PiiMapper(StaticDetector(VALUES)))
    with serving(app) as url, httpx.Client(base_url=url, timeout=10) as http:
        plain = http.post(CHAT, json={"message": "hi"})
        with http.stream("POST", CHAT, json={"message": "hi", "stream": True}) as streamed:
            streamed.read()
    assert plain.status_code == 502
    assert plain.json()["detail"][0]["type"] == "model_failed"
    received = events(streamed)
    assert [name for name, _ in received] == ["delta", "error"]
    assert received[1][1]["detail"][0]["type"] == "model_failed"
    assert "must be valid Unicode" in received[1][1]["detail"][0]["msg"]


def test_with_a_seal_key_an_unsealed_mapping_is_refused(model: Recorder) -> None:
    plain = {HISTORY_HEADER: json.dumps({"<PERSON_1>": "Mallory's own value"})}
    mapper = PiiMapper(StaticDetector(VALUES))
    strict = create_app(model=model, mapper=mapper, seal_key=generate_seal_key())
    lenient = create_app(
        model=model, mapper=mapper, seal_key=generate_seal_key(), allow_unsealed=True
    )
    with serving(strict) as url, httpx.Client(base_url=url, timeout=10) as http:
        refused = http.post(CHAT, json={"message": "<PERSON_1>"}, headers=plain)
    assert refused.status_code == 422
    [detail] = refused.json()["detail"]
    assert (detail["loc"], detail["type"]) == (["header", HISTORY_HEADER], "mapping_not_sealed")
    assert "Mallory" not in refused.text
    assert model.calls == []
    with serving(lenient) as url, httpx.Client(base_url=url, timeout=10) as http:
        allowed = http.post(CHAT, json={"message": "<PERSON_1>"}, headers=plain)
    assert allowed.status_code == 200
    assert allowed.headers[HISTORY_HEADER].startswith("v1.")  # and it comes back sealed


def test_tool_calls_in_history_are_masked_before_the_model(
    client: httpx.Client, model: Recorder
) -> None:
    arguments = f'{{"to": "{ADA_MAIL}", "n": 1e400, "cc": "{BOB}"}}'
    history = [
        {"role": "user", "content": f"mail {ADA_MAIL}"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "send", "arguments": arguments}}
        ]},
        {"role": "tool", "tool_call_id": "c1", "content": f"sent to {ADA_MAIL}"},
    ]  # fmt: skip
    got = client.post(CHAT, json={"message": "thanks", "history": history})
    assert got.status_code == 200, got.text
    [call] = model.calls
    masked = call.history[1]["tool_calls"][0]["function"]["arguments"]
    assert masked == '{"to": "<EMAIL_ADDRESS_1>", "n": 1e400, "cc": "<PERSON_1>"}'
    assert call.history[2] == {
        "role": "tool", "content": "sent to <EMAIL_ADDRESS_1>", "tool_call_id": "c1",
    }  # fmt: skip
    assert ADA_MAIL not in json.dumps(call.history)
    preview = client.post(CHAT, json={"message": "x", "history": history, "pii_preview": True})
    assert preview.status_code == 200
    spans = [s for s in preview.json()["spans"] if s["tool_call"] is not None]
    assert [arguments[s["start"] : s["end"]] for s in spans] == [ADA_MAIL, BOB]


# --- the real model ------------------------------------------------------------------------


@pytest.mark.integration
def test_real_detector_masks_before_the_model() -> None:
    model = Recorder()
    app = create_app(model=model, mapper=PiiMapper())
    message = "Please email John Smith at john.smith@example.com about the invoice."
    with serving(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        got = http.post(CHAT, json={"message": message}, headers={"X-Pii-Mapping": "*=mask"})
    assert got.status_code == 200, got.text
    [call] = model.calls
    assert "john.smith@example.com" not in call.message
    assert "John Smith" not in call.message
    assert "<EMAIL_ADDRESS_1>" in call.message
    assert "<PERSON_1>" in call.message
    assert got.json()["response"] == message


# --- custom entity types from a config file -----------------------------------------------

CUSTOM_CONFIG = """\
[[entity]]
name = "EMPLOYEE_ID"
patterns = ['\\bEMP-\\d{6}\\b']
aliases = ["employee"]

[[entity]]
name = "PROJECT"
deny_list = ["Bluebird", "Nightjar"]
"""


def test_custom_entity_types_from_a_config_file(
    model: Recorder, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "entities.toml"
    config.write_text(CUSTOM_CONFIG, encoding="utf-8")
    monkeypatch.setenv("PII_MAPPER_CONFIG", str(config))
    # The deployment's mapper (a static detector for the built-in types) with the types of
    # the file named by the environment, as create_app reads it.
    from pii_mapper import load_config

    mapper = PiiMapper(StaticDetector(VALUES), custom_entities=load_config())
    app = create_app(model=model, mapper=mapper)
    rules = {"X-Pii-Mapping": "employee=redact, project=mask, person=mask"}
    with serving(app) as url, httpx.Client(base_url=url, timeout=10) as http:
        first = http.post(
            CHAT, json={"message": f"{ADA} (EMP-004211) works on Bluebird"}, headers=rules
        )
        assert first.status_code == 200, first.text
        assert model.calls[-1].message == "<PERSON_1> (<EMPLOYEE_ID_REDACTED>) works on <PROJECT_1>"
        assert first.json()["response"] == f"{ADA} (<EMPLOYEE_ID_REDACTED>) works on Bluebird"
        history = {HISTORY_HEADER: first.headers[HISTORY_HEADER]}
        second = http.post(
            CHAT,
            json={"message": "bluebird or Nightjar?", "stream": True},
            headers={**rules, **history},
        )
        assert second.status_code == 200
        assert model.calls[-1].message == "<PROJECT_1> or <PROJECT_2>?"
        streamed = "".join(data["text"] for name, data in events(second) if name == "delta")
        assert streamed == "Bluebird or Nightjar?"  # the mapping keeps the first form
        unknown = http.post(CHAT, json={"message": "x"}, headers={"X-Pii-Mapping": "projekt=mask"})
        assert unknown.status_code == 422
        assert "did you mean PROJECT" in unknown.json()["detail"][0]["msg"]
    # A server without the file does not know the history's custom placeholders.
    plain = create_app(model=model, mapper=PiiMapper(StaticDetector(VALUES)))
    with serving(plain) as url, httpx.Client(base_url=url, timeout=10) as http:
        rejected = http.post(CHAT, json={"message": "hi"}, headers=history)
        assert rejected.status_code == 422
        assert rejected.json()["detail"][0]["loc"] == ["header", HISTORY_HEADER]
    # create_app reads the file itself when it makes the mapper (config=, else the variable).
    configured = create_app(model=model, mapper=PiiMapper(StaticDetector(VALUES)), config=config)
    with serving(configured) as url, httpx.Client(base_url=url, timeout=10) as http:
        again = http.post(CHAT, json={"message": "on Nightjar"}, headers=rules)
        assert again.json()["response"] == "on Nightjar"
        assert model.calls[-1].message == "on <PROJECT_1>"
