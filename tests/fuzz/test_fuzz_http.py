"""Fuzzing the reference chat API over real HTTP (uvicorn on loopback, bounded examples).

Laws: whatever the body and the PII headers, the answer is a 200 (a JSON body, or an event
stream that ends with ``done`` or ``error``), a 400 (a body that is not JSON) or a 422 in
the one error shape — never a 500, never a cut stream — and no redacted or hashed original
appears anywhere in it: body, events, error messages, the returned mapping header.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from examples.chat_api import create_app
from pii_mapper.mapping import HISTORY_HEADER, decode_history_header
from tests.fuzz.test_fuzz_library import PLANTED, POLICY_HEADERS, SECRETS, mapper, texts
from tests.integration.test_chat_api_http import CHAT, events, serving
from tests.strategies import header_values, history_items, history_values, json_values


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with serving(create_app(mapper=mapper())) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


def sendable(value: str) -> str:
    """``value`` with what HTTP cannot carry in a header removed (controls, non-latin-1,
    whitespace at either end)."""
    kept = "".join(c for c in value if " " <= c <= "~" or "\xa0" <= c <= "\xff" or c == "\t")
    return kept.strip(" \t")


@st.composite
def history_headers(draw: st.DrawFn) -> str:
    mapping = draw(st.dictionaries(
        st.sampled_from(["<PERSON_1>", "<EMAIL_ADDRESS_2>", "<US_SSN_1>", "<person_1>", "x"]),
        history_values(ascii_only=True) | st.sampled_from(["", "\\ud800"]),
        max_size=3,
    ))  # fmt: skip
    return json.dumps(mapping) if draw(st.booleans()) else draw(header_values())


def chat_texts() -> st.SearchStrategy[str]:
    """Mostly ordinary chat text around the planted values; now and then hostile text."""
    words = st.sampled_from([*PLANTED, "hi", "mail", "to", "é", "😀", "<PERSON_1>", "\n"])
    return st.lists(words, max_size=12).map(" ".join) | texts()


@st.composite
def requests(draw: st.DrawFn) -> tuple[dict[str, str], str]:
    """PII headers (X-Pii-Mapping fixed, so the planted values keep their actions) and a
    JSON body (a chat request, usually well formed, or any JSON value)."""
    headers = dict(POLICY_HEADERS)
    for name, values in (
        ("X-Auto-Pii-Mapping", header_values()),
        ("X-Pii-Positions", header_values() | st.sampled_from(["0-3", "0-11:ssn=keep", "2-1"])),
        (HISTORY_HEADER, history_headers()),
    ):
        if draw(st.integers(0, 3)) == 0:
            headers[name] = sendable(draw(values))
    body: Any = {"message": draw(chat_texts())}
    if draw(st.booleans()):
        body["history"] = draw(st.lists(history_items(chat_texts()), max_size=3))
    optional = {
        "pii_preview": st.booleans(),
        "stream": st.booleans(),
        "thread_id": st.text(max_size=5),
        "metadata": json_values(),
    }
    for key, value in optional.items():
        if draw(st.booleans()):
            body[key] = draw(value)
    if draw(st.integers(0, 9)) == 0:
        body = draw(json_values(texts()))
    return headers, json.dumps(body, default=repr)  # \u escapes: lone surrogates travel


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(requests())
def test_the_api_answers_in_its_shape_and_never_leaks(
    http: httpx.Client, request: tuple[dict[str, str], str]
) -> None:
    headers, body = request
    sent = [(name, value.encode("latin-1")) for name, value in headers.items()]
    sent.append(("content-type", b"application/json"))
    response = http.post(CHAT, content=body, headers=sent)
    assert response.status_code in (200, 400, 422), response.text
    event(f"status {response.status_code}")
    shown = response.text
    if response.headers["content-type"].startswith("text/event-stream"):
        received = events(response)
        assert received
        assert received[-1][0] in ("done", "error")
        assert {name for name, _ in received[:-1]} <= {"delta"}
    else:
        answer = response.json()
        if response.status_code == 422:
            for detail in answer["detail"]:
                assert set(detail) == {"loc", "msg", "type", "input"}
    if HISTORY_HEADER in response.headers:
        returned = response.headers[HISTORY_HEADER]
        shown += "\n" + "\n".join(decode_history_header(returned).values())
    leaked = [secret for secret in SECRETS if secret in shown]
    assert not leaked, shown
