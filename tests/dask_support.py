"""Test doubles and probes that Dask workers import by name (``tests.dask_support``).

Dask pickles functions and classes by reference, so what a worker runs must live in an
importable module, not in a test file: the worker processes have the project root on their
path (LocalCluster passes its own; the ``dask worker`` processes get PYTHONPATH).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from typing import Any

from pii_mapper.detection import Detection, StaticDetector

__all__ = ["ExitingDetector", "SlowDetector", "count_model_loads", "model_loads"]


class SlowDetector(StaticDetector):
    """A StaticDetector that takes ``delay`` seconds per text: a run long enough to kill a
    worker in the middle of it."""

    def __init__(self, values: Mapping[str, str], *, delay: float) -> None:
        super().__init__(values)
        self._delay = delay

    def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        time.sleep(self._delay * len(texts))
        return super().detect(texts, entities)


class ExitingDetector(StaticDetector):
    """A StaticDetector whose process dies (as on a segfault or the OOM killer) on any text
    that contains ``poison``."""

    def __init__(self, values: Mapping[str, str], *, poison: str) -> None:
        super().__init__(values)
        self._poison = poison

    def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        if any(self._poison in text for text in texts):
            os._exit(70)
        return super().detect(texts, entities)


_LOADS: list[str] = []


def count_model_loads() -> None:
    """Run on each worker (``client.run``): count every ``spacy.load`` from now on."""
    import spacy

    original: Any = spacy.load
    if getattr(original, "_counted", False):
        return

    def counted(name: Any, *args: Any, **kwargs: Any) -> Any:
        _LOADS.append(str(name))
        return original(name, *args, **kwargs)

    counted._counted = True  # type: ignore[attr-defined]
    spacy.load = counted


def model_loads() -> list[str]:
    """The models this worker process loaded since :func:`count_model_loads`."""
    return list(_LOADS)
