"""The README's example runs, with the real model, and prints what its comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
EXPECTED = re.compile(r"^\s*print\(.*\)\s*#\s?(?P<expected>.*)$")


@pytest.mark.integration
def test_readme_python_blocks_print_what_they_promise() -> None:
    blocks = BLOCK.findall(README.read_text(encoding="utf-8"))
    assert blocks, "the README has no python example"
    for block in blocks:
        expected = [m.group("expected") for m in map(EXPECTED.match, block.splitlines()) if m]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(README), "exec"), {})
        assert out.getvalue().splitlines() == expected
