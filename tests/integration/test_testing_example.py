"""docs/testing.md's example: it is examples/property_tests.py verbatim, it passes on the
correct server, and it FAILS — shrunk to one planted value, with no planted value in the
report — on a server that forgets the headers or forgets to unmask the reply.

No ``from __future__ import annotations``: the broken routes' ``Annotated[…]`` must be
evaluated where they stand (FastAPI reads them at run time).
"""

import re
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse, Response, StreamingResponse

import pii_mapper as pm
from examples import property_tests as example
from pii_mapper import testing as pt
from pii_mapper.integrations.fastapi import install_error_handlers, mapping_headers, pii_policy

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
MAPPER = pm.PiiMapper()


def test_the_doc_shows_the_example_file_verbatim() -> None:
    doc = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.DOTALL)
    source = (ROOT / "examples" / "property_tests.py").read_text(encoding="utf-8")
    assert source in blocks


def test_the_example_passes_on_a_correct_server() -> None:
    example.test_model_never_sees_pii()
    example.test_bad_header_is_a_422_naming_it()
    example.test_streamed_reply_is_unmasked()


def forgetful_app(model: example.FakeModel) -> FastAPI:
    """Reads no request header: uses the library's default policy whatever the client says."""
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/chat", response_model=None)
    def chat(body: example.Chat) -> Response:
        result = MAPPER.mask(body.message, pm.parse_headers({}), body.history)
        chunks = model(result.text, [dict(message) for message in result.history])
        return JSONResponse({"response": MAPPER.unmask("".join(chunks), result.mapping)})

    return app


def non_unmasking_app(model: example.FakeModel) -> FastAPI:
    """Masks correctly but streams the model's reply back as it came: placeholders and all."""
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/chat", response_model=None)
    def chat(body: example.Chat, policy: Annotated[pm.PiiPolicy, Depends(pii_policy)]) -> Response:
        result = MAPPER.mask(body.message, policy, body.history)
        chunks: Iterator[str] = model(result.text, list(result.history))
        headers = mapping_headers(result.mapping)
        return StreamingResponse(chunks, media_type="text/plain", headers=headers)

    return app


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[pt.Planted, ...]]:
    """The planted values of every check the example runs; the last is the shrunk case."""
    calls: list[tuple[pt.Planted, ...]] = []
    assert_masked, assert_round_trip = pt.assert_masked, pt.assert_round_trip

    def masked(sent: object, planted: Any) -> None:
        calls.append(tuple(planted))
        assert_masked(sent, planted)

    def round_trip(original: str, text: str, mapping: Any = None, *, planted: Any = ()) -> None:
        calls.append(tuple(planted))
        assert_round_trip(original, text, mapping, planted=planted)

    monkeypatch.setattr(pt, "assert_masked", masked)
    monkeypatch.setattr(pt, "assert_round_trip", round_trip)
    return calls


@pytest.mark.parametrize(
    ("make_app", "test", "expected"),
    [
        (forgetful_app, "test_model_never_sees_pii", "PII at 0-"),
        (non_unmasking_app, "test_streamed_reply_is_unmasked", "still holds the placeholder <"),
    ],
    ids=["forgets-the-headers", "forgets-to-unmask"],
)
def test_the_example_fails_on_a_broken_server_without_quoting_pii(
    make_app: Callable[[example.FakeModel], FastAPI],
    test: str,
    expected: str,
    recorded: list[tuple[pt.Planted, ...]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(example, "app", make_app(example.model))
    function = getattr(example, test)
    # One fixed seed (what hypothesis.seed(0) sets): the search and its shrinking are random,
    # and a run of 40 examples now and then plants no value the broken server leaks, or
    # shrinks to two planted values; this test checks what a failure reports, not how often
    # the search finds one.
    monkeypatch.setattr(function, "_hypothesis_internal_use_seed", 0, raising=False)
    with pytest.raises(AssertionError) as info:
        function()
    report = "".join(traceback.format_exception(info.value)) + capsys.readouterr().out
    shrunk = recorded[-1]
    assert len(shrunk) == 1  # a failure shrinks to one planted value…
    assert expected in report  # …named by type and offsets…
    assert "⟦" in report  # …in a falsifying example that shows where values were…
    drawn = {span.value for planted in recorded for span in planted}
    assert not [value for value in drawn if value in report]  # …and never what they were.
