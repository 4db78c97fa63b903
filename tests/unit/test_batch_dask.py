"""``mask-file`` and ``pii_mapper.batch`` on real Dask clusters: a LocalCluster of worker
processes, and ``dask scheduler`` / ``dask worker`` processes started here. The detector is
a StaticDetector double (tests/integration/test_batch_real.py runs the real model)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client

import pii_mapper as pm
from pii_mapper.batch import (
    DaskMasker,
    InputLine,
    MaskFileOptions,
    dask_client,
    mask_conversation,
    mask_line,
)
from pii_mapper.cli import main
from pii_mapper.mapping import decode_history_header
from tests.dask_support import ExitingDetector, SlowDetector

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "a.b@example.com"
SSN = "536-22-8726"
NAME = "Maria Gonzalez"
VALUES = {EMAIL: "EMAIL_ADDRESS", SSN: "US_SSN", NAME: "PERSON"}
RULES = "X-Pii-Mapping: email=mask, ssn=hash, person=redact"
OPTIONS = MaskFileOptions(headers=(("X-Pii-Mapping", "email=mask, ssn=hash, person=redact"),))
KEY = b"k" * 32


def _mapper() -> pm.PiiMapper:
    return pm.PiiMapper(pm.StaticDetector(VALUES), hash_key=KEY)


def _conversations(count: int) -> list[str]:
    lines = []
    for n in range(count):
        messages = [
            {"role": "user", "content": f"I am {NAME}, mail {EMAIL} ({n})"},
            {"role": "assistant", "content": f"Noted {NAME}."},
            {"role": "user", "content": f"SSN {SSN}"},
        ]
        lines.append(json.dumps({"id": n, "messages": messages}))
    return lines


def _input_lines(lines: list[str]) -> list[InputLine]:
    return [InputLine(None, n, (line + "\n").encode()) for n, line in enumerate(lines, start=1)]


def _with_bad_lines(lines: list[str]) -> list[str]:
    lines = list(lines)
    lines[3] = '{"messages": [{"role": "user", "content": "' + EMAIL + '"}'  # cut short
    lines[7] = ""
    lines[11] = json.dumps(
        {"messages": [{"role": "user", "content": "x"}], "headers": {"X-Pii-Mapping": "emial=mask"}}
    )
    return lines


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with dask_client(workers=2) as client:
        client.wait_for_workers(2, timeout=120)
        yield client


def test_workers_2_is_byte_identical_to_the_plain_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(_with_bad_lines(_conversations(60))) + "\n", encoding="utf-8")
    plain, on_dask = tmp_path / "plain.jsonl", tmp_path / "dask.jsonl"
    common = ["mask-file", str(source), "-H", RULES]
    assert main([*common, "-o", str(plain)], mapper=_mapper()) == 1
    plain_err = capsys.readouterr().err
    argv = [*common, "-o", str(on_dask), "--workers", "2", "--partition-lines", "7"]
    assert main(argv, mapper=_mapper()) == 1
    dask_err = capsys.readouterr().err
    assert on_dask.read_bytes() == plain.read_bytes()
    assert len(plain.read_bytes().splitlines()) == 60
    # The same error lines and summary, whatever Dask logged around them.
    assert _error_lines(dask_err) == _error_lines(plain_err)
    assert "60 lines: 57 masked, 3 failed" in dask_err


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("line ")]


def _wait_for(path: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not (path.exists() and path.stat().st_size > 0):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear in {seconds} s")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_scheduler_option_uses_a_running_cluster(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    dask_cli = str(Path(sys.executable).with_name("dask"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    scheduler_file = tmp_path / "scheduler.json"
    logs = tmp_path / "logs"
    logs.mkdir()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with open(logs / "scheduler.log", "wb") as log:
            processes.append(
                subprocess.Popen(
                    [
                        dask_cli,
                        "scheduler",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--no-dashboard",
                        "--scheduler-file",
                        str(scheduler_file),
                    ],
                    env=env,
                    cwd=tmp_path,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        _wait_for(scheduler_file, 60)
        address = json.loads(scheduler_file.read_text())["address"]
        with open(logs / "worker.log", "wb") as log:
            processes.append(
                subprocess.Popen(
                    [
                        dask_cli,
                        "worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nworkers",
                        "2",
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--death-timeout",
                        "60",
                    ],
                    env=env,
                    cwd=tmp_path,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        with Client(address, timeout=60) as probe:
            probe.wait_for_workers(2, timeout=120)

        source = tmp_path / "in.jsonl"
        source.write_text("\n".join(_with_bad_lines(_conversations(40))) + "\n", encoding="utf-8")
        plain, on_dask = tmp_path / "plain.jsonl", tmp_path / "dask.jsonl"
        common = ["mask-file", str(source), "-H", RULES, "-q"]
        assert main([*common, "-o", str(plain)], mapper=_mapper()) == 1
        argv = [*common, "-o", str(on_dask), "--scheduler", address, "--partition-lines", "5"]
        assert main(argv, mapper=_mapper()) == 1
        capsys.readouterr()
        assert on_dask.read_bytes() == plain.read_bytes()
    finally:
        for process in reversed(processes):
            _stop(process)
    assert all(process.returncode is not None for process in processes)


def test_one_mapper_per_worker_serves_every_partition(client: Client) -> None:
    lines = _input_lines(_conversations(48))
    expected = [mask_line(line, _mapper(), OPTIONS) for line in lines]
    with DaskMasker(client, _mapper(), OPTIONS) as masker:
        done: list[int] = []
        records = list(masker.mask_lines(lines, partition_lines=4, progress=done.append))
        states = masker.worker_states()
    assert records == expected
    assert sorted(done) == [4] * 12
    assert len(states) == 2
    assert sum(state.partitions for state in states.values()) == 12
    # Each worker's one detector saw every text of the partitions it ran: one mapper, kept.
    for state in states.values():
        detector = state.mapper.detector
        assert isinstance(detector, pm.StaticDetector)
        assert detector.calls == 3 * 4 * state.partitions


def test_closing_the_masker_removes_its_plugin(client: Client) -> None:
    masker = DaskMasker(client, _mapper(), OPTIONS)
    masker.close()
    names = client.run(lambda dask_worker: list(dask_worker.plugins))
    assert all(masker.name not in found for found in names.values())


def test_bag_of_conversations(client: Client) -> None:
    decoded: list[object] = [json.loads(line) for line in _conversations(20)]
    decoded[5] = "not a conversation"
    decoded[6] = _conversations(1)[0] + "\n"  # a JSON line, as db.read_text gives them
    with DaskMasker(client, _mapper(), OPTIONS) as masker:
        records = masker.mask_bag(db.from_sequence(decoded, npartitions=3)).compute()
    assert records == [mask_conversation(item, _mapper(), OPTIONS) for item in decoded]
    assert records[5]["error"]["code"] == "bad_json"
    assert (
        records[0]["messages"][0]["content"] == "I am <PERSON_REDACTED>, mail <EMAIL_ADDRESS_1> (0)"
    )


def test_dataframe_column_of_messages(client: Client) -> None:
    texts = [f"mail {EMAIL} now", f"SSN {SSN}", None, "nothing here", "x" * 50]
    frame = pd.DataFrame({"message": texts, "n": range(5)}, index=range(10, 15))
    ddf = dd.from_pandas(frame, npartitions=2)
    small = pm.PiiMapper(pm.StaticDetector(VALUES), hash_key=KEY, max_text_chars=40)
    with DaskMasker(client, small, OPTIONS) as masker:
        result = masker.mask_series(ddf["message"]).compute()
    policy = pm.parse_headers(OPTIONS.headers)
    assert list(result.index) == list(range(10, 15))
    assert list(result["text"])[:2] == [
        "mail <EMAIL_ADDRESS_1> now",
        small.mask(f"SSN {SSN}", policy).text,
    ]
    assert result["text"][13] == "nothing here"
    assert [e if isinstance(e, str) else None for e in result["error"]] == [
        None,
        None,
        "not_text",
        None,
        "text_too_long",
    ]
    header = result["mapping_header"][10]
    assert dict(decode_history_header(header)) == {"<EMAIL_ADDRESS_1>": EMAIL}


def test_a_worker_killed_mid_run_is_replaced_and_no_line_is_lost_or_repeated(
    tmp_path: Path,
) -> None:
    lines = _input_lines(_conversations(120))
    expected = [mask_line(line, _mapper(), OPTIONS) for line in lines]
    slow = pm.PiiMapper(SlowDetector(VALUES, delay=0.005), hash_key=KEY)
    with dask_client(workers=2) as client:
        client.wait_for_workers(2, timeout=120)
        pids = client.run(os.getpid)
        victim = next(iter(pids.values()))
        killed: list[int] = []

        def kill_once(_: int) -> None:
            if not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        with DaskMasker(client, slow, OPTIONS) as masker:
            records = list(masker.mask_lines(lines, partition_lines=5, progress=kill_once))
            client.wait_for_workers(2, timeout=120)
            after = client.run(os.getpid)
            states = masker.worker_states()
    assert killed == [victim]
    assert records == expected  # complete, in order, each line once
    assert victim not in after.values()
    assert set(states) == set(after)  # the replacement worker received the plugin too


def test_a_line_that_kills_its_worker_every_time_becomes_an_error_record() -> None:
    raw = _conversations(16)
    raw[9] = json.dumps({"messages": [{"role": "user", "content": "POISON"}]})
    lines = _input_lines(raw)
    expected = [mask_line(line, _mapper(), OPTIONS) for line in lines]
    deadly = pm.PiiMapper(ExitingDetector(VALUES, poison="POISON"), hash_key=KEY)
    # Give up on a task after its second dead worker (Dask's default is the fourth).
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        dask_client(workers=2) as client,
    ):
        client.wait_for_workers(2, timeout=120)
        with DaskMasker(client, deadly, OPTIONS) as masker:
            records = list(masker.mask_lines(lines, partition_lines=4))
    assert [r["line"] for r in records] == list(range(1, 17))
    assert records[9] == {
        "line": 10,
        "error": {
            "type": "WorkerDied",
            "code": "worker_died",
            "message": "the Dask worker masking this line died each time it was tried",
        },
    }
    assert records[:9] + records[10:] == expected[:9] + expected[10:]


def test_an_unreachable_scheduler_is_a_cluster_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = tmp_path / "in.jsonl"
    source.write_text(_conversations(1)[0] + "\n")
    argv = ["mask-file", str(source), "-q", "--scheduler", f"tcp://127.0.0.1:{port}"]
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        assert main(argv, mapper=_mapper()) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"cannot reach the Dask scheduler at 'tcp://127.0.0.1:{port}'" in err
    assert "[cluster_unavailable]" in err
    assert "Traceback" not in err


def test_the_local_cluster_s_workers_do_not_profile(client: Client) -> None:
    def profiling() -> bool:
        return bool(dask.config.get("distributed.worker.profile.enabled"))

    assert set(client.run(profiling).values()) == {False}


def test_the_profiler_setting_ends_with_the_local_cluster() -> None:
    with dask.config.set({"distributed.worker.profile.enabled": True}):
        with dask_client(workers=1):
            assert not dask.config.get("distributed.worker.profile.enabled")
        assert dask.config.get("distributed.worker.profile.enabled")
