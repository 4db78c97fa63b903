"""A chat endpoint and the property tests that prove no PII reaches its model.

Run with ``pytest examples/property_tests.py`` (extras ``api`` and ``testing``).
"""

import asyncio
import itertools
from collections.abc import Iterator
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse, Response, StreamingResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

import pii_mapper as pm
from pii_mapper import testing as pt
from pii_mapper.integrations.fastapi import install_error_handlers, mapping_headers, pii_policy

# --- the server under test ----------------------------------------------------------------


class Chat(BaseModel):
    message: str
    history: list[dict[str, str]] = Field(default_factory=list)
    stream: bool = False


class FakeModel:
    """Stands in for the LLM: records what it is sent and echoes the message back, in chunks
    of the sizes in ``chunk_sizes`` (a test sets them to try other cuts of the stream)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.chunk_sizes = [1000]

    def __call__(self, message: str, history: list[dict[str, Any]]) -> Iterator[str]:
        self.calls.append({"message": message, "history": history})
        sizes = itertools.cycle(self.chunk_sizes)
        at = 0
        while at < len(message):
            size = next(sizes)
            yield message[at : at + size]
            at += size


def create_app(model: FakeModel, mapper: pm.PiiMapper) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/chat", response_model=None)
    def chat(body: Chat, policy: Annotated[pm.PiiPolicy, Depends(pii_policy)]) -> Response:
        result = mapper.mask(body.message, policy, body.history)
        chunks = model(result.text, [dict(message) for message in result.history])
        headers = mapping_headers(result.mapping)
        if body.stream:
            unmasked = mapper.unmask_stream(chunks, result.mapping)
            return StreamingResponse(unmasked, media_type="text/plain", headers=headers)
        text = mapper.unmask("".join(chunks), result.mapping)
        return JSONResponse({"response": text}, headers=headers)

    return app


model = FakeModel()
app = create_app(model, pm.PiiMapper())


def post(path: str, **kwargs: Any) -> httpx.Response:
    """A request to ``app``, in process, through httpx's ASGI transport."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(path, **kwargs)

    return asyncio.run(send())


# --- the property tests -------------------------------------------------------------------

# The types the default detector always finds, and PII: values only X-Pii-Positions marks.
ENTITIES = [*pt.RELIABLE_ENTITIES, "PII"]
# Only these types, masked: the round trip is then exact. (Detecting every type could flag an
# ordinary word that recurs in another case, "Aquí … aquí", which unmasks to the first form.)
MASK_RELIABLE = {"X-Pii-Mapping": ", ".join(f"{name}=mask" for name in pt.RELIABLE_ENTITIES)}
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(pt.conversations(ENTITIES, languages=["en", "fr", "de"]))
def test_model_never_sees_pii(conv: pt.Conversation) -> None:
    model.calls.clear()
    body = {"message": conv.message.text, "history": conv.history}
    response = post("/chat", json=body, headers=conv.headers)
    assert response.status_code == 200
    pt.assert_masked(model.calls, conv.planted)


@EXAMPLES
@given(st.data())
def test_bad_header_is_a_422_naming_it(data: st.DataObject) -> None:
    header = data.draw(st.sampled_from(pt.PII_HEADERS))
    # Values an HTTP client can send: latin-1 text (a non-ASCII character is still invalid).
    value = data.draw(pt.invalid_header_values(header).filter(latin1_printable))
    response = post("/chat", json={"message": "hi"}, headers={header: value.encode("latin-1")})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", header]


def latin1_printable(value: str) -> bool:
    return all(char == "\t" or (" " <= char <= "\xff" and char != "\x7f") for char in value)


@EXAMPLES
@given(pt.messages(pt.RELIABLE_ENTITIES, languages=["en", "es"]), st.data())
def test_streamed_reply_is_unmasked(message: pt.Message, data: st.DataObject) -> None:
    model.chunk_sizes = data.draw(st.lists(st.integers(1, 12), min_size=1, max_size=5))
    reply = post("/chat", json={"message": message.text, "stream": True}, headers=MASK_RELIABLE)
    assert reply.status_code == 200
    pt.assert_round_trip(message.text, reply.text, planted=message.planted)
