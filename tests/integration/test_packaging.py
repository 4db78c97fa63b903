"""The wheel carries what an installation elsewhere needs: the NLP configuration, the NER
model, the demo's sample conversation and py.typed (and not the model's training code)."""

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
    model = ROOT / "models" / "pii-ner"
    # every data file at the top of models/ (configuration, word lists, identifier cues)
    expected = {p.relative_to(ROOT).as_posix() for p in (ROOT / "models").glob("*.json")} | {
        p.relative_to(ROOT).as_posix() for p in model.rglob("*") if p.is_file()
    }
    # the word lists of the NER clean-up, not the script that builds them
    lexicon = ROOT / "models" / "lexicon"
    expected |= {p.relative_to(ROOT).as_posix() for p in lexicon.glob("*.txt.gz")}
    expected.add("models/lexicon/nrp.json")
    expected.add("models/lexicon/jargon.txt")
    assert len(expected) > 3  # the configuration and the NER model's files
    assert expected <= shipped
    assert not any("training" in n for n in shipped)  # the generator is not shipped
    assert not any(n.endswith(".py") for n in shipped)  # nor the lexicon's build script
    assert "pii_mapper/examples/sample_conversation.json" in names  # for `pii-mapper demo`
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
