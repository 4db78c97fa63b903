"""The code blocks of the docs run, and print what their comments say.

Each ```python block of a page runs on its own (as a reader would paste it); a line
``print(...)  # expected`` must print ``expected``. The pages whose examples load the real
spaCy model are marked ``integration``; the others run in the fast suite. The FastAPI
examples of docs/api.md are also served in process and called.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

import pii_mapper as pm

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
EXPECTED = re.compile(r"^\s*print\(.*\)\s*#\s?(?P<expected>.*)$")


def blocks(page: str) -> list[str]:
    found = BLOCK.findall((DOCS / page).read_text(encoding="utf-8"))
    assert found, f"docs/{page} has no python example"
    return found


def run_block(page: str, block: str) -> dict[str, Any]:
    """Run one block in a fresh namespace; check its prints; return the namespace."""
    expected = [m.group("expected") for m in map(EXPECTED.match, block.splitlines()) if m]
    namespace: dict[str, Any] = {"__name__": f"docs_{page.removesuffix('.md')}"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, str(DOCS / page), "exec"), namespace)
    assert out.getvalue().splitlines() == expected
    return namespace


def test_configuration_examples_run() -> None:
    for block in blocks("configuration.md"):
        run_block("configuration.md", block)


@pytest.mark.integration
def test_masking_examples_run_with_the_real_model() -> None:
    for block in blocks("masking.md"):
        run_block("masking.md", block)


def post(app: Any, url: str, **kwargs: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(url, **kwargs)

    return asyncio.run(send())


def test_api_examples_run_and_serve() -> None:
    mail = "ada@example.com"
    static = pm.PiiMapper(pm.StaticDetector({mail: "EMAIL_ADDRESS"}))
    own_app, async_app = blocks("api.md")

    namespace = run_block("api.md", own_app)
    namespace["mapper"] = static  # the example's shared mapper, without loading spaCy
    got = post(namespace["app"], "/ask", json={"message": f"mail {mail}"})
    assert got.status_code == 200
    assert got.json() == {"response": "You said: mail ada@example.com"}
    assert "X-Chat-History-Pii-Mapping" in got.headers

    namespace = run_block("api.md", async_app)
    namespace["mapper"] = static
    got = post(namespace["app"], "/ask-stream", params={"message": f"write to {mail} now"})
    assert got.status_code == 200
    assert got.text == f"write to {mail} now "  # the async model echoes word by word
    assert "X-Chat-History-Pii-Mapping" in got.headers
