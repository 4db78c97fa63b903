"""Hostile inputs: is masking time linear in the input? ``python -m benchmarks.adversarial``.

Each family builds a message (and, for one, a history mapping) of a given size out of a
pattern that once made some part of detection super-linear: a cue followed by a long
whitespace run (regex backtracking), long punctuation runs (spaCy's tokenizer), many similar
e-mail addresses or phone numbers and a large history mapping whose values share a first
word (the known-value search), runs of ``@`` (the e-mail recogniser's local scans) and a text
of a few repeated characters. Every family is masked end to end by ``PiiMapper`` with the
real detector and the automatic policy (every entity type, NER on, no cache), at 10 KB,
100 KB and 1 MB.

Printed per family: time per KB at each size and the growth, (time per KB at 1 MB) / (time
per KB at 10 KB). Linear time keeps the growth near 1 (below it, when fixed costs weigh on
the small size); a quadratic part makes it about 100. A family FAILs when its growth exceeds
:data:`MAX_GROWTH`; the exit status is non-zero if any does.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FAMILIES", "MAX_GROWTH", "SIZES", "Family", "growth", "main"]

SIZES = (10_000, 100_000, 1_000_000)
# Linear is ~1; n log n about 1.5; quadratic about 100. The margin absorbs a loaded machine.
MAX_GROWTH = 3.0


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    message: Callable[[int], str]  # size in characters -> the message
    history: Callable[[], dict[str, str]] = dict  # the history mapping (same at every size)


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _cue(cue: str, tail: str) -> Callable[[int], str]:
    return lambda size: cue + " " * (size - len(cue) - len(tail)) + tail


def _emails(size: int) -> str:
    return _fill(" ".join(f"a.{i}@example.com" for i in range(size // 16 + 1)), size)


def _phones(size: int) -> str:
    return _fill(", ".join(f"+1 415 555 {i % 10_000:04d}" for i in range(size // 17 + 1)), size)


def _shared_first_word() -> dict[str, str]:
    return {f"<PERSON_{i}>": f"word {i}" for i in range(1, 10_001)}


FAMILIES: tuple[Family, ...] = (
    Family("password + spaces", _cue("password", "ab")),
    Family("token + spaces", _cue("token", "ab")),
    Family("greeting + spaces", _cue("Hi", "1")),
    *(
        Family(f"punctuation {mark}", lambda size, mark=mark: "Maria wrote " + mark * size)
        for mark in "!)]},;%\"'"
    ),
    Family("similar e-mails", _emails),
    Family("phone numbers", _phones),
    Family("history, shared first word", lambda size: _fill("word ", size), _shared_first_word),
    Family("@ runs", lambda size: _fill("@", size)),
    Family("few characters", lambda size: _fill("a@1 .!A", size)),
)


def growth(per_kb: list[float]) -> float:
    """(time per KB at the largest size) / (time per KB at the smallest)."""
    return per_kb[-1] / per_kb[0] if per_kb[0] > 0 else float("inf")


def _time_per_kb(mask: Callable[[str], object], text: str) -> float:
    runs = 3 if len(text) <= 100_000 else 1
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        began = time.perf_counter()
        mask(text)
        best = min(best, time.perf_counter() - began)
    return best / (len(text) / 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the families whose name contains this")
    args = parser.parse_args(argv)

    from pii_mapper import ConversationMapping, PiiMapper, PiiPolicy
    from pii_mapper.detection.engine import PresidioDetector

    mapper = PiiMapper(PresidioDetector(cache_size=0))
    mapper.mask("Warm up: Maria Garcia, maria@example.com, +1 415 555 2671.", PiiPolicy())
    header = "family                        " + "".join(f"{s // 1000:>8} KB" for s in SIZES)
    print(header + "   ms per KB    growth")
    failed = []
    for family in FAMILIES:
        if args.only and args.only not in family.name:
            continue
        policy = PiiPolicy(history=ConversationMapping(family.history()))
        per_kb = [
            _time_per_kb(lambda text, p=policy: mapper.mask(text, p), family.message(size)) * 1000
            for size in SIZES
        ]
        ratio = growth(per_kb)
        verdict = "PASS" if ratio <= MAX_GROWTH else "FAIL"
        if verdict == "FAIL":
            failed.append(family.name)
        cells = "".join(f"{value:11.3f}" for value in per_kb)
        print(f"{family.name:30}{cells}{ratio:20.2f}  {verdict}", flush=True)
    print(f"growth = (ms per KB at 1 MB) / (ms per KB at 10 KB); FAIL above {MAX_GROWTH}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
