"""Timing for the few tests that bound how an algorithm scales (linear, not quadratic).

The brief wants speed in benchmarks, not tests; these tests only tell linear from
quadratic, with wide margins. In the whole suite's process (and on a busy machine) one run
can still be slowed several times over: a full garbage collection over spaCy's objects, or
another process taking the core. The best of a few runs with the collector paused is the
time the code itself needs."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

__all__ = ["best_time"]


def best_time(run: Callable[[], object], runs: int = 3) -> float:
    """The shortest wall time of ``runs`` calls of ``run``, the collector paused."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            began = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - began)
    finally:
        gc.enable()
    return best
