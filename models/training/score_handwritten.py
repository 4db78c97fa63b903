"""Score the default detector on the hand-written messages (``benchmarks/handwritten.py``).

For each language: the share of gold PII characters covered by no detection (leak), the
share of detected characters that are gold PII (character precision), and hard negatives
flagged; overall and for the NER types alone. Used to find kinds of failure of the NER model,
never to tune on single messages. ``--config`` scores another ``nlp.json``; ``--show N``
prints N misses and N false alarms of the NER types.

    python -m models.training.score_handwritten --data /path/to/handwritten
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from benchmarks.handwritten import DATA, load_all
from pii_mapper.detection.engine import PresidioDetector, load_nlp_config

__all__ = ["main"]

NER_TYPES = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "DATE_TIME", "NRP"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args(argv)
    config = load_nlp_config(args.config)
    detector = PresidioDetector(config=config, cache_size=0)
    messages = list(load_all(args.data))
    entities = detector.supported_entities
    found = detector.detect([m.text for m in messages], entities)
    # per language and scope ("all" / "ner"): gold, leaked, predicted, predicted-in-gold chars
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    misses: list[str] = []
    alarms: list[str] = []
    for message, detections in zip(messages, found, strict=True):
        gold_all = {i for s in message.spans for i in range(s.start, s.end)}
        covered = {i for d in detections for i in range(d.start, d.end)}
        for scope in ("all", "ner"):
            spans = [s for s in message.spans if scope == "all" or s.entity in NER_TYPES]
            preds = [d for d in detections if scope == "all" or d.entity in NER_TYPES]
            gold = {i for s in spans for i in range(s.start, s.end)}
            predicted = {i for d in preds for i in range(d.start, d.end)}
            for key in ((message.lang, scope), ("ALL", scope)):
                row = tally[key]
                row[0] += len(gold)
                row[1] += len(gold - covered)
                row[2] += len(predicted)
                row[3] += len(predicted & gold_all)
                row[4] += len(message.negatives)
                row[5] += sum(
                    1 for a, b in message.negatives if any(i in predicted for i in range(a, b))
                )
        for span in message.spans:
            if span.entity in NER_TYPES and any(
                i not in covered for i in range(span.start, span.end)
            ):
                misses.append(
                    f"{message.id} {span.entity}: {message.text[span.start : span.end]!r}"
                )
        for d in detections:
            if d.entity in NER_TYPES and not any(i in gold_all for i in range(d.start, d.end)):
                alarms.append(f"{message.id} {d.entity}: {message.text[d.start : d.end]!r}")
    print(f"model: {config.spacy_model} {config.spacy_model_version}; {len(messages)} messages")
    print(
        f"{'lang':<5} {'scope':<4} {'gold ch':>8} {'leak %':>7} {'prec %':>7} {'neg flagged':>12}"
    )
    for (lang, scope), (chars, leaked, shown, hit, negs, flagged) in sorted(tally.items()):
        leak = 100 * leaked / chars if chars else 0.0
        precision = 100 * hit / shown if shown else 100.0
        print(f"{lang:<5} {scope:<4} {chars:>8} {leak:>7.1f} {precision:>7.1f} {flagged:>5}/{negs}")
    for title, lines in (("misses (NER types)", misses), ("false alarms (NER types)", alarms)):
        if args.show:
            print(f"\n{title}: {len(lines)}")
            for line in lines[: args.show]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
