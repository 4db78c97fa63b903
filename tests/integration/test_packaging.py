"""The wheel carries what an installation elsewhere needs: the NLP configuration, the demo's
sample conversation and py.typed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.integration
def test_wheel_ships_model_configuration_and_type_marker(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("pii_mapper-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "pii_mapper/py.typed" in names
    shipped = {n.removeprefix("pii_mapper/") for n in names if n.startswith("pii_mapper/models/")}
    expected = {f"models/{p.name}" for p in (ROOT / "models").iterdir() if p.is_file()}
    assert expected
    assert expected <= shipped
    assert "pii_mapper/examples/sample_conversation.json" in names  # for `pii-mapper demo`
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
