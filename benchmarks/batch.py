"""Throughput of ``mask-file`` with and without Dask: ``python -m benchmarks.batch``.

One seeded JSON Lines file of chat conversations (:mod:`benchmarks._texts`; 2,000 by
default) is masked three times, each run in a fresh process and timed from the outside, so
that interpreter start, imports, cluster start and every model load are included:

* ``plain`` — the run without Dask (``masked_records`` with neither workers nor scheduler);
* ``dask-1`` and ``dask-2`` — a local cluster of 1 and 2 worker processes (``--workers N``).

Reported: conversations per second, the speed-up over the plain run, the CPU seconds of
the run's whole process tree (less sensitive than wall time to other load), the peak resident
memory of the plain process and of each Dask worker process (``ru_maxrss``, read inside the
worker at the end of the run), and whether the three outputs are byte-identical (they must
be). A table goes to stdout, everything to a JSON file (docs/batch.md shows the figures).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["TARGET_SPEEDUP", "generate", "main"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "batch.json"
HASH_KEY = "benchmark-hash-key"
TARGET_SPEEDUP = 1.4  # 2 local workers against the plain run, on a 2-core machine


def generate(path: Path, count: int, seed: int) -> None:
    """``count`` conversations, one JSON object a line: 0, 2 or 4 history messages and a new one,
    with the default policy (every detectable type masked, NER included)."""
    from benchmarks._texts import ChatTextGenerator

    texts = ChatTextGenerator(seed)
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            history, message = texts.conversation(rng.choice((0, 2, 4)), rng.randint(80, 400))
            messages = [*history, {"role": "user", "content": message}]
            handle.write(json.dumps({"id": number, "messages": messages}) + "\n")


def _child(mode: str, source: str, target: str, partition_lines: int) -> dict[str, Any]:
    """One run, inside the measured process: mask ``source`` into ``target``."""
    from pii_mapper.batch import DaskMasker, InputFiles, MaskFileOptions, dask_client, mask_line
    from pii_mapper.mapper import PiiMapper

    mapper = PiiMapper(hash_key=HASH_KEY)
    options = MaskFileOptions()
    lines = InputFiles.of(source).lines()
    with open(target, "w", encoding="utf-8", newline="\n") as sink:
        if mode == "plain":
            for line in lines:
                sink.write(json.dumps(mask_line(line, mapper, options), ensure_ascii=False) + "\n")
            return {"peak_rss_mb": [_peak_rss_mb()]}
        with dask_client(workers=int(mode)) as client, DaskMasker(client, mapper, options) as m:
            for record in m.mask_lines(lines, partition_lines=partition_lines):
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            workers = client.run(_peak_rss_mb)
            partitions = {a: s.partitions for a, s in m.worker_states().items()}
        return {"peak_rss_mb": sorted(workers.values()), "partitions": sorted(partitions.values())}


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _measure(mode: str, source: Path, target: Path, partition_lines: int) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [
            *(sys.executable, "-m", "benchmarks.batch", "--child", mode, str(source), str(target)),
            *("--partition-lines", str(partition_lines)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    # CPU of the run's whole process tree (workers and nannies are reaped by their parents):
    # less sensitive than wall time to other load on a shared machine.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"] = round(seconds, 2)
    result["cpu_seconds"] = round(cpu, 2)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--partition-lines", type=int, default=50)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        mode, source, target = args.child
        print(json.dumps(_child(mode, source, target, args.partition_lines)))
        return 0

    runs: dict[str, Any] = {}
    load_start = list(os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="pii-batch-bench-") as tmp:
        source = Path(tmp) / "chats.jsonl"
        generate(source, args.conversations, args.seed)
        outputs = {}
        for mode in ("plain", "1", "2"):
            name = "plain" if mode == "plain" else f"dask-{mode}"
            print(f"  … {name}", file=sys.stderr, flush=True)
            outputs[name] = Path(tmp) / f"{name}.jsonl"
            runs[name] = _measure(mode, source, outputs[name], args.partition_lines)
            runs[name]["conversations_per_s"] = round(args.conversations / runs[name]["seconds"], 1)
        plain_bytes = outputs["plain"].read_bytes()
        identical = all(path.read_bytes() == plain_bytes for path in outputs.values())
        size_mb = round(source.stat().st_size / 1e6, 2)
    base = runs["plain"]["conversations_per_s"]
    for run in runs.values():
        run["speedup"] = round(run["conversations_per_s"] / base, 2)
    results = {
        "conversations": args.conversations,
        "input_mb": size_mb,
        "seed": args.seed,
        "partition_lines": args.partition_lines,
        "cpu_count": os.cpu_count(),
        "load_average_start": load_start,
        "load_average_end": list(os.getloadavg()),
        "runs": runs,
        "outputs_identical": identical,
        "target": {"speedup_2_workers": TARGET_SPEEDUP, "met": runs["dask-2"]["speedup"] >= 1.4},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(
        f"{args.conversations} conversations ({size_mb} MB), partitions of "
        f"{args.partition_lines} lines, load average {load_start[0]:.1f} at the start, "
        f"{results['load_average_end'][0]:.1f} at the end"
    )
    print(
        f"{'run':8} {'seconds':>8} {'conv/s':>8} {'speed-up':>9} {'CPU s':>8}"
        "  peak RSS per process (MB)"
    )
    for name, run in runs.items():
        peaks = ", ".join(f"{p:.0f}" for p in run["peak_rss_mb"])
        print(
            f"{name:8} {run['seconds']:8.1f} {run['conversations_per_s']:8.1f} "
            f"{run['speedup']:8.2f}x {run['cpu_seconds']:8.1f}  {peaks}"
        )
    print(f"outputs byte-identical: {identical}")
    met = "PASS" if results["target"]["met"] else "MISS"
    print(f"target: 2 workers >= {TARGET_SPEEDUP}x the plain run: {met}")
    print(f"results: {args.out}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
