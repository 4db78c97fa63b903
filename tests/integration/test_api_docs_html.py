"""The reference API's ``/docs`` page works offline: headless Chromium, with every host but
loopback unreachable, renders Swagger UI from the locally served scripts, with the four PII
headers as the endpoint's parameters. No spaCy: the app has a StaticDetector."""

from __future__ import annotations

from pathlib import Path

import httpx

from examples.chat_api import create_app
from pii_mapper import PiiMapper, StaticDetector
from pii_mapper.headers import PII_HEADERS
from tests.chromium_support import chromium, needs_chromium
from tests.integration.test_chat_api_http import serving

pytestmark = needs_chromium


def rendered_dom(url: str, profile: Path) -> str:
    """The DOM Chromium built for ``url`` after its scripts ran, with no network but loopback."""
    return chromium(
        profile,
        # Offline: every host name fails to resolve, except the loopback server's.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=127.0.0.1:9",  # and anything that still tries goes nowhere
        "--proxy-bypass-list=127.0.0.1",
        "--virtual-time-budget=15000",
        "--dump-dom",
        url,
    ).stdout


def test_docs_page_renders_swagger_ui_with_the_pii_headers_offline(tmp_path: Path) -> None:
    app = create_app(mapper=PiiMapper(StaticDetector({})))
    with serving(app) as url:
        page = httpx.get(f"{url}/docs", timeout=10).text
        assert "cdn." not in page  # the page names no outside host for its assets
        dom = rendered_dom(f"{url}/docs", tmp_path / "profile")
    assert 'class="swagger-ui' in dom  # Swagger UI's script ran and built its view
    assert "/v1/spaces/{space_id}/chat" in dom
    for name in PII_HEADERS:
        assert name in dom, name
    assert "Try it out" in dom


def test_openapi_lists_the_pii_headers_and_every_response() -> None:
    app = create_app(mapper=PiiMapper(StaticDetector({})))
    with serving(app) as url:
        schema = httpx.get(f"{url}/openapi.json", timeout=10).json()
    operation = schema["paths"]["/v1/spaces/{space_id}/chat"]["post"]
    headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
    assert set(headers) == set(PII_HEADERS)
    for parameter in headers.values():
        assert parameter["description"]
        assert not parameter["required"]
    responses = operation["responses"]
    assert {"200", "422", "502", "503"} <= set(responses)
    ok = responses["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/ChatResponse")
    for status in ("422", "502", "503"):
        ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ErrorResponse")
    assert "X-Chat-History-Pii-Mapping" in responses["200"]["headers"]
