"""Hostile inputs: is masking time linear in the input? ``python -m benchmarks.adversarial``.

Each family builds a message (and, for one, a history mapping) of a given size out of a
pattern that once made some part of detection super-linear: a cue followed by a long
whitespace run (regex backtracking), long punctuation runs (spaCy's tokenizer), many similar
e-mail addresses or phone numbers and a large history mapping whose values share a first
word (the known-value search), runs of ``@`` (the e-mail recogniser's local scans), a text
of a few repeated characters, pieces of dates, codes and company suffixes repeated (the
date-and-time, code and organisation patterns), and structured data (a JSON key opened
again and again, an unclosed quoted value, field lines, a CSV table under one header) for
the recognizer of values named by their key. Every family is masked end to end by
``PiiMapper`` with the real detector and the automatic policy (every entity type, NER on,
no cache), at 10 KB, 100 KB and 1 MB.

Printed per family: time per KB at each size, the growth, (time per KB at 1 MB) / (time
per KB at 10 KB), and the ratio of the whole times (1 MB / 10 KB, 100 times the text).
Linear time keeps the growth near 1 (below it, when fixed costs weigh on the small size); a
quadratic part makes it about 100. A family FAILs when the 1 MB text takes more than
:data:`MAX_TIME_RATIO` times as long as the 10 KB one (a growth above :data:`MAX_GROWTH`);
the exit status is non-zero if any does.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FAMILIES", "MAX_GROWTH", "MAX_TIME_RATIO", "SIZES", "Family", "growth", "main"]

SIZES = (10_000, 100_000, 1_000_000)
# The bound: the 1 MB text may take at most 120 times as long as the 10 KB one (100 times
# the size, and 20 % for noise), i.e. a growth of 1.2. n log n is about 1.5; quadratic ~100.
MAX_TIME_RATIO = 120
MAX_GROWTH = MAX_TIME_RATIO / (SIZES[-1] / SIZES[0])


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
    Family("mentions on one line", lambda size: _fill("@ab ", size)),
    Family("few characters", lambda size: _fill("a@1 .!A", size)),
    Family("date pieces", lambda size: _fill("Mo 03.03. 12/05 um 7 und 9 Uhr, 3-", size)),
    Family("code + spaces", _cue("code", "7720")),
    Family("legal suffixes", lambda size: _fill("x AG & Co. KG, GmbH ", size)),
    Family('"name":" repeated', lambda size: _fill('"name":"', size)),
    Family("unclosed quoted values", lambda size: _fill('"name": "' + "x" * 390 + "\n", size)),
    Family("field lines", lambda size: _fill("Name: Ada Lovelace | City: Paris\n", size)),
    Family("CSV under one header", lambda size: "first_name,city\n" + _fill("Ada,Paris\n", size)),
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
    print(header + "   ms per KB    growth  1MB/10KB")
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
        whole = ratio * SIZES[-1] / SIZES[0]
        print(f"{family.name:30}{cells}{ratio:20.2f}{whole:10.0f}  {verdict}", flush=True)
    print(
        "growth = (ms per KB at 1 MB) / (ms per KB at 10 KB); 1MB/10KB = the whole times' "
        f"ratio; FAIL above {MAX_TIME_RATIO} (growth {MAX_GROWTH:.2f})"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
