"""The installed ``pii-mapper`` console script, in a subprocess, with the real model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ["-H", "X-Pii-Mapping: email=mask, ssn=redact"]
MESSAGE = "mail a.b@example.com SSN 536-22-8726"


def script() -> str:
    found = shutil.which("pii-mapper", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the pii-mapper console script is not installed next to this Python")
    return found


def run(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("PII_MAPPER_SEAL_KEY", None)
    return subprocess.run(
        [script(), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )


def test_preview_of_the_readme_example() -> None:
    done = run("preview", *HEADERS, MESSAGE)
    assert done.returncode == 0, done.stderr
    assert "mail [a.b@example.com]¹ SSN [<US_SSN_REDACTED>]²" in done.stdout
    assert "mail <EMAIL_ADDRESS_1> SSN <US_SSN_REDACTED>" in done.stdout
    assert "536-22-8726" not in done.stdout
    assert "X-Chat-History-Pii-Mapping: " in done.stdout


def test_preview_json_with_the_real_model() -> None:
    done = run("preview", "--json", *HEADERS, MESSAGE)
    assert done.returncode == 0, done.stderr
    preview = json.loads(done.stdout)
    assert preview["message"] == "mail <EMAIL_ADDRESS_1> SSN <US_SSN_REDACTED>"
    assert [(s["start"], s["end"], s["entity"], s["action"]) for s in preview["spans"]] == [
        (5, 20, "EMAIL_ADDRESS", "mask"),
        (25, 36, "US_SSN", "redact"),
    ]
    assert preview["mapping"] == {"<EMAIL_ADDRESS_1>": "a.b@example.com"}


def test_mask_then_unmask_through_a_pipe(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.txt"
    masked = run("mask", *HEADERS, "--mapping-out", str(mapping), "-", stdin=MESSAGE + "\n")
    assert masked.returncode == 0, masked.stderr
    assert masked.stdout == "mail <EMAIL_ADDRESS_1> SSN <US_SSN_REDACTED>\n"
    reply = "I wrote to <email_address_1>; the SSN stays <US_SSN_REDACTED>."
    unmasked = run("unmask", "--mapping-file", str(mapping), stdin=reply)
    assert unmasked.returncode == 0, unmasked.stderr
    assert unmasked.stdout == "I wrote to a.b@example.com; the SSN stays <US_SSN_REDACTED>."


def test_bad_header_exits_2_without_a_traceback() -> None:
    done = run("preview", "-H", "X-Pii-Mapping: email=obliterate", MESSAGE)
    assert done.returncode == 2
    assert "X-Pii-Mapping" in done.stderr
    assert "unknown action 'obliterate'" in done.stderr
    assert "Traceback" not in done.stderr


def test_make_demo_runs_end_to_end() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pii_mapper.cli", "demo", "--color", "never"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    sent = done.stdout.split("4. what the model is sent")[1].split("6. the reply unmasked")[0]
    for original in ("Maria Gonzalez", "maria.gonzalez@example.com", "536-22-8726"):
        assert original not in sent
    assert "hello Maria Gonzalez!" in done.stdout.split("6. the reply unmasked")[1]
