"""Languages, measured: ``python -m benchmarks.languages [--handwritten DIR]``.

Over the seeded English corpus (:mod:`benchmarks.corpus`): which language each message is
identified as (an English message read as another language would have its phone numbers
read under that country's plan), and the time identification takes next to the detection
it serves — every type (NER on), and the structured types alone — in one process, one run.

Over the hand-written set (:mod:`benchmarks.handwritten`, one file per language), when its
files are there: per language, which share of the gold phone numbers, dates and national
identifiers a detection of the same type overlaps, and how many hard negatives are
flagged, each message read as identified and read as English (what detection did before
it knew languages). Each message is its own conversation. Figures are in
docs/detection.md.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import handwritten
from benchmarks.corpus import DEFAULT_SEED, generate

LANGUAGES = ("en", "fr", "de", "es", "it", "nl")
STRUCTURED = (
    "PHONE_NUMBER", "DATE_TIME", "FR_NIR", "UK_NINO", "DE_TAX_ID", "ES_NIF",
    "IT_FISCAL_CODE", "NL_BSN", "PASSPORT", "US_PASSPORT",
)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.languages", description=__doc__)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--handwritten", type=Path, default=handwritten.DATA)
    args = parser.parse_args(None if argv is None else list(argv))

    from pii_mapper.detection.engine import PresidioDetector
    from pii_mapper.entities import CATALOGUE, GENERIC_ENTITY
    from pii_mapper.language import identify_languages

    conversations = [
        [m.content for m in c.messages] for c in generate(args.seed, args.conversations)
    ]
    messages = sum(map(len, conversations))
    everything = frozenset(CATALOGUE) - {GENERIC_ENTITY}
    detector = PresidioDetector(cache_size=0)
    detector.warm_up()
    structured = everything - detector.config.ner_entities
    identify_languages(["warm up"])

    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for texts in conversations:
        counts.update(identify_languages(texts))
    identify = time.perf_counter() - started
    timings = []
    for entities in (everything, structured):
        started = time.perf_counter()
        for texts in conversations:
            detector.detect(texts, entities, languages=["en"] * len(texts))
        timings.append(time.perf_counter() - started)

    print(f"corpus: seed {args.seed}, {len(conversations)} conversations, {messages} messages")
    print("identified as: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    print(f"identification: {identify / messages * 1e6:.1f} us per message")
    for label, seconds in zip(("every type", "structured types"), timings, strict=True):
        print(
            f"detection, {label}: {seconds / messages * 1e3:.2f} ms per message; "
            f"identification adds {identify / seconds:.2%}"
        )
    if all((args.handwritten / f"{lang}.txt").is_file() for lang in LANGUAGES):
        print()
        print(handwritten_table(detector, args.handwritten))
    return 0


def handwritten_table(detector: Any, directory: Path) -> str:
    """Per language and type: gold spans overlapped by a detection of the same type, read
    as identified / read as English; then hard negatives flagged (any structured type)."""
    entities = frozenset(STRUCTURED)
    found: dict[tuple[str, str, str], int] = defaultdict(int)
    gold: dict[tuple[str, str], int] = defaultdict(int)
    for lang in LANGUAGES:
        for message in handwritten.load(lang, directory):
            for mode, languages in (("auto", None), ("en", ["en"])):
                [detections] = detector.detect([message.text], entities, languages=languages)
                kept = [d for d in detections if d.score >= 0.4]
                for span in message.spans:
                    if span.entity not in entities:
                        continue
                    gold[(lang, span.entity)] += mode == "auto"
                    found[(lang, span.entity, mode)] += any(
                        d.entity == span.entity and d.start < span.end and span.start < d.end
                        for d in kept
                    )
                for start, end in message.negatives:
                    gold[(lang, "negatives")] += mode == "auto"
                    found[(lang, "negatives", mode)] += any(
                        d.start < end and start < d.end for d in kept
                    )
    lines = ["hand-written set: found read as identified / read as English (of gold)"]
    lines.append(f"{'':<16}" + "".join(f"{lang:>14}" for lang in LANGUAGES))
    for entity in (*STRUCTURED, "negatives"):
        cells = []
        for lang in LANGUAGES:
            total = gold[(lang, entity)]
            auto, english = found[(lang, entity, "auto")], found[(lang, entity, "en")]
            cells.append(f"{auto}/{english} ({total})" if total else "-")
        label = "hard negatives" if entity == "negatives" else entity
        lines.append(f"{label:<16}" + "".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
