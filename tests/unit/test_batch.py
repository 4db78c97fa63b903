"""``pii_mapper.batch`` without a cluster: line records, input files, pickled mappers."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import pii_mapper as pm
from pii_mapper.batch import InputFiles, InputLine, MaskFileOptions, mask_conversation, mask_line
from pii_mapper.cli import main

EMAIL = "a.b@example.com"
SSN = "536-22-8726"
VALUES = {EMAIL: "EMAIL_ADDRESS", SSN: "US_SSN"}
RULES = "X-Pii-Mapping: email=mask, ssn=hash"
OPTIONS = MaskFileOptions(headers=(("X-Pii-Mapping", "email=mask, ssn=hash"),))


@pytest.fixture
def mapper() -> pm.PiiMapper:
    return pm.PiiMapper(pm.StaticDetector(VALUES), hash_key=b"k" * 32)


def _line(content: str) -> str:
    return json.dumps({"messages": [{"role": "user", "content": content}]})


def test_importing_batch_imports_no_dask() -> None:
    code = (
        "import sys, pii_mapper.batch\n"
        "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_pickled_mapper_keeps_its_detector_and_hash_key(mapper: pm.PiiMapper) -> None:
    copy = pickle.loads(pickle.dumps(mapper))
    policy = pm.parse_headers({"X-Pii-Mapping": "email=mask, ssn=hash"})
    message = f"mail {EMAIL} SSN {SSN}"
    assert copy.mask(message, policy).text == mapper.mask(message, policy).text
    assert "#" in copy.mask(message, policy).text  # the hash marker, with the same key


def test_a_pickled_default_mapper_carries_no_detector() -> None:
    mapper = pm.PiiMapper(hash_key="key")
    mapper._detector = pm.StaticDetector({})  # stands in for a loaded default model
    state = pickle.loads(pickle.dumps(mapper)).__getstate__()
    assert state["_detector"] is None
    assert state["_hash_key"] == b"key"


def test_options_repr_shows_no_header_value_and_no_key() -> None:
    options = MaskFileOptions((("X-Chat-History-Pii-Mapping", "secret-mapping"),), "seal-key")
    assert "secret-mapping" not in repr(options)
    assert "seal-key" not in repr(options)


def test_mask_line_is_the_mask_file_record(mapper: pm.PiiMapper) -> None:
    record = mask_line(
        InputLine(None, 3, (_line(f"mail {EMAIL}") + "\n").encode()), mapper, OPTIONS
    )
    assert record["line"] == 3
    assert record["messages"] == [{"role": "user", "content": "mail <EMAIL_ADDRESS_1>"}]
    assert mask_line(InputLine("a.jsonl", 4, b"\xff\n"), mapper, OPTIONS) == {
        "file": "a.jsonl",
        "line": 4,
        "error": {"type": "InvalidLine", "code": "not_utf8", "message": "not UTF-8 (byte 0)"},
    }


def test_mask_conversation_takes_decoded_values_and_json_lines(mapper: pm.PiiMapper) -> None:
    decoded = {"id": 1, "messages": [{"role": "user", "content": f"SSN {SSN}"}]}
    as_line = json.dumps(decoded) + "\n"
    expected = mask_conversation(decoded, mapper, OPTIONS)
    assert expected["id"] == 1
    assert expected["messages"][0]["content"].startswith("SSN <US_SSN#")
    assert mask_conversation(as_line, mapper, OPTIONS) == expected
    assert mask_conversation(as_line.encode(), mapper, OPTIONS) == expected
    assert mask_conversation(7, mapper, OPTIONS)["error"]["code"] == "bad_shape"
    assert mask_conversation("\ud800", mapper, OPTIONS)["error"]["code"] == "not_utf8"


def test_a_glob_reads_its_files_in_order_and_names_them(tmp_path: Path) -> None:
    (tmp_path / "b.jsonl").write_text("3\n")
    (tmp_path / "a.jsonl").write_text("1\n2\n")
    (tmp_path / "sub").mkdir()
    inputs = InputFiles.of(str(tmp_path / "*.jsonl"))
    assert inputs.named
    assert inputs.count_lines() == 3
    assert [(Path(f or "").name, n, raw) for f, n, raw in inputs.lines()] == [
        ("a.jsonl", 1, b"1\n"),
        ("a.jsonl", 2, b"2\n"),
        ("b.jsonl", 1, b"3\n"),
    ]
    assert not InputFiles.of(str(tmp_path / "a.jsonl")).named


def test_a_glob_that_matches_nothing_is_the_library_error(tmp_path: Path) -> None:
    with pytest.raises(pm.PiiInputError, match="no file matches") as info:
        InputFiles.of(str(tmp_path / "*.jsonl"))
    assert info.value.code == "no_input_files"


def test_mask_file_over_a_glob_names_each_line_s_file(
    capsys: pytest.CaptureFixture[str],
    mapper: pm.PiiMapper,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # rich wraps stderr lines at the terminal width
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "1.jsonl").write_text(_line(f"mail {EMAIL}") + "\n")
    (tmp_path / "in" / "2.jsonl").write_text("{oops\n")
    target = tmp_path / "out.jsonl"
    code = main(
        ["mask-file", str(tmp_path / "in" / "*.jsonl"), "-o", str(target), "-H", RULES],
        mapper=mapper,
    )
    err = capsys.readouterr().err
    assert code == 1
    records = [json.loads(line) for line in target.read_text().splitlines()]
    assert [(Path(r["file"]).name, r["line"]) for r in records] == [("1.jsonl", 1), ("2.jsonl", 1)]
    assert records[1]["error"]["code"] == "bad_json"
    assert f"{tmp_path / 'in' / '2.jsonl'}:1: InvalidLine (bad_json)" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--workers", "0"], "--workers must be at least 1"),
        (["--partition-lines", "0"], "--partition-lines must be at least 1"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not allowed with"),
    ],
)
def test_bad_dask_options_are_usage_errors(
    capsys: pytest.CaptureFixture[str],
    mapper: pm.PiiMapper,
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(_line("hi") + "\n")
    assert main(["mask-file", str(source), "-q", *argv], mapper=mapper) == 2
    assert message in capsys.readouterr().err


def test_a_glob_without_match_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    assert main(["mask-file", str(tmp_path / "*.jsonl")], mapper=mapper) == 2
    assert "no file matches" in capsys.readouterr().err
