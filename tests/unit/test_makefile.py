"""The set-up the docs promise: a plain ``make`` installs the project with what the docs use."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(tmp_path: Path, *targets: str) -> list[str]:
    """The commands ``make`` would run for a fresh virtualenv in ``tmp_path``."""
    out = subprocess.run(
        ["make", "-n", "-C", str(ROOT), f"VENV={tmp_path / 'venv'}", *targets],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return out.stdout.splitlines()


@pytest.mark.parametrize("targets", [(), ("install",), ("demo",), ("test",)])
def test_each_entry_point_creates_the_venv_and_installs_every_extra_the_docs_use(
    tmp_path: Path, targets: tuple[str, ...]
) -> None:
    commands = dry_run(tmp_path, *targets)
    assert any(" -m venv " in c for c in commands), commands
    [install] = [c for c in commands if "pip install" in c and " -e " in c]
    extras = install.split("-e '.[", 1)[1].split("]", 1)[0].split(",")
    # api: uvicorn for docs/api.md; cli: rich for the command line; dev: the test tools.
    assert {"api", "cli", "dev"} <= set(extras)


def test_plain_make_only_sets_up(tmp_path: Path) -> None:
    commands = dry_run(tmp_path)
    assert not any(" -m pytest" in c or " -m pii_mapper" in c for c in commands)
