"""Language identification, measured: ``python -m benchmarks.languages``.

Over the seeded English corpus (:mod:`benchmarks.corpus`): which language each message is
identified as (an English message read as another language would have its phone numbers
read under that country's plan), and the time identification takes next to the detection
it serves — every type (NER on), and the structured types alone — in one process, one run.
Figures are in docs/detection.md.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Sequence

from benchmarks.corpus import DEFAULT_SEED, generate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.languages", description=__doc__)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--conversations", type=int, default=200)
    args = parser.parse_args(None if argv is None else list(argv))

    from pii_mapper._presidio import PresidioDetector
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
