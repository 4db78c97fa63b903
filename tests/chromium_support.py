"""Headless Chromium for the tests that render the project's HTML (``tests.chromium_support``).

One command line for every such test: no sandbox, GPU, QUIC, first-run screens, background
networking, component updates or sync, and a fresh profile per call.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

__all__ = ["CHROMIUM", "chromium", "needs_chromium"]

CHROMIUM = Path("/usr/bin/chromium")

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium)"
)


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Runs headless Chromium with the profile folder ``profile`` and ``args``; raises if it
    fails or takes over two minutes."""
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
