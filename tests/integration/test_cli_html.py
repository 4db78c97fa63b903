"""The HTML page of ``pii-mapper preview --html``, rendered by headless Chromium.

Chromium loads the page as a browser would (under its Content-Security-Policy) and dumps
the DOM it built: the highlights must be in it. A screenshot checks that the highlight
colours are painted, which they are only if the inline stylesheet was applied. No spaCy:
the page is built with a StaticDetector.
"""

from __future__ import annotations

import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

import pii_mapper as pm
from pii_mapper.cli import main
from tests.chromium_support import chromium, needs_chromium

EMAIL = "a.b@example.com"
SSN = "536-22-8726"
# The mask highlight's background, #9be7f0 (pii_mapper/cli/render.py).
MASK_RGB = (0x9B, 0xE7, 0xF0)
REDACT_RGB = (0xF4, 0xA3, 0xA3)

pytestmark = needs_chromium


class _Marks(HTMLParser):
    """Collects each ``mark.pii`` element of the conversation: its attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str]] = []
        self._open: dict[str, str] | None = None
        self._in_sup = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "mark" and "data-span" in values:
            self._open = {**values, "text": "", "sup": ""}
        self._in_sup = tag == "sup" or self._in_sup

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup":
            self._in_sup = False
        elif tag == "mark" and self._open is not None:
            self.marks.append(self._open)
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["sup" if self._in_sup else "text"] += data


@pytest.fixture
def page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    mapper = pm.PiiMapper(pm.StaticDetector({EMAIL: "EMAIL_ADDRESS", SSN: "US_SSN"}))
    target = tmp_path / "preview.html"
    code = main(
        [
            "preview",
            "--html",
            str(target),
            "-H",
            "X-Pii-Mapping: email=mask, ssn=redact",
            f"mail {EMAIL} SSN {SSN} <b>not bold</b>",
        ],
        mapper=mapper,
    )
    capsys.readouterr()
    assert code == 0
    return target


def test_rendered_dom_has_the_highlights(page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    parser = _Marks()
    parser.feed(dom)
    assert [
        (m["class"], m["data-entity"], m["data-replacement"], m["text"], m["sup"])
        for m in parser.marks
    ] == [
        ("pii pii-mask", "EMAIL_ADDRESS", "<EMAIL_ADDRESS_1>", EMAIL, "1"),
        ("pii pii-redact", "US_SSN", "<US_SSN_REDACTED>", "<US_SSN_REDACTED>", "2"),
    ]
    assert SSN not in dom
    assert "<b>" not in dom  # the message's markup stayed text
    assert "&lt;b&gt;not bold&lt;/b&gt;" in dom


def test_screenshot_paints_the_highlight_colours(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=800,600", page.as_uri())
    colours = _colours(shot.read_bytes())
    assert MASK_RGB in colours
    assert REDACT_RGB in colours


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    """The RGB colours of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data = 8, b""
    width = height = channels = 0
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, interlace) == (8, 0)
            assert colour_type in (2, 6)
            channels = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels
    previous = bytearray(stride)
    found: set[tuple[int, int, int]] = set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        found.update((line[i], line[i + 1], line[i + 2]) for i in range(0, stride, channels))
        previous = line
    return found
