"""The README's example type-checks under ``mypy --strict``, as a newcomer's code would."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pii_mapper as pm

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_the_readme_example_passes_mypy_strict(tmp_path: Path) -> None:
    if shutil.which("mypy", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("mypy is not installed next to this Python")
    blocks = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert blocks
    for number, block in enumerate(blocks):
        example = tmp_path / f"readme_example_{number}.py"
        example.write_text(block, encoding="utf-8")
        ran = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--config-file",
                str(ROOT / "pyproject.toml"),
                str(example),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr


def test_chat_messages_read_by_key_like_dicts() -> None:
    message = pm.ChatMessage(role="user", content="hi")
    assert message["content"] == "hi"
    assert message["tool_calls"] is None
    with pytest.raises(KeyError):
        message["name"]
