"""Detection quality of pii_mapper against plain Presidio on the seeded corpus (``make eval``).

Both systems see the same conversations (:mod:`benchmarks.corpus`):

* pii_mapper: ``PiiMapper().mask(last_message, default_policy, history=earlier_messages)``
  once per conversation, with the library's built-in default policy (automatic detection
  of every type, action mask); the handled spans (``result.history_spans`` and
  ``result.spans``, offsets of the original texts) are its predictions;
* Presidio: :func:`benchmarks._baseline.presidio_detect` on each message alone, every
  result kept (Presidio's default threshold).

Metrics (definitions in docs/evaluation.md):

* per entity type, span-level precision, recall and F1 with an overlap rule: a gold span is
  found when a predicted span of the same type shares at least one character with it; a
  predicted span is correct when it shares a character with a gold span of its type.
  The ``ANY`` row applies the same rule ignoring types;
* **leak**: the share of gold PII characters (non-whitespace) that no predicted span of
  any type covers — what a user would send to a model in the clear. Per type and overall;
* hard negatives: spans of the corpus that look like PII but are not; how many are touched
  by a prediction and how many of their characters are flagged;
* ``email_domain_as_url``: predicted URL spans that fall inside a gold e-mail address.

``python -m benchmarks.accuracy [--seed 7] [--conversations 200] [--system both]`` prints a
side-by-side table and writes ``benchmarks/results/accuracy.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.corpus import DEFAULT_SEED, Conversation, generate, read_jsonl
from pii_mapper.detection import Detection, Source, Span, merge_spans
from pii_mapper.policy import Action

__all__ = [
    "ANY",
    "ENTITY_SYNONYMS",
    "EntityScore",
    "NegativeScore",
    "Predictor",
    "SystemScore",
    "TemplateLeak",
    "main",
    "merged",
    "pii_mapper_predictor",
    "predict",
    "presidio_predictor",
    "render_table",
    "score",
]

ANY = "ANY"
RESULTS = Path(__file__).resolve().parent / "results" / "accuracy.json"

# Labels that some NER configurations emit, mapped to the canonical names both systems use.
# With the configurations benchmarked here both systems already emit canonical names; the
# table is applied to every prediction so a different label mapping cannot skew the score.
ENTITY_SYNONYMS: dict[str, str] = {
    "PER": "PERSON",
    "ORG": "ORGANIZATION",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "NORP": "NRP",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
    "EMAIL": "EMAIL_ADDRESS",
    "PHONE": "PHONE_NUMBER",
}

# One list of predictions per message of the conversation.
Predictor = Callable[[Conversation], list[list[Detection]]]


# --- predictors ---------------------------------------------------------------------------


def pii_mapper_predictor(mapper: Any = None, policy: Any = None) -> Predictor:
    """Predictions of ``PiiMapper.mask`` over each conversation (history + last message).

    ``mapper`` defaults to ``PiiMapper()`` (the real detector), ``policy`` to the built-in
    default (``parse_headers({})``).
    """
    import pii_mapper as pm

    mapper = pm.PiiMapper() if mapper is None else mapper
    policy = pm.parse_headers({}) if policy is None else policy

    def run(conversation: Conversation) -> list[list[Detection]]:
        *earlier, last = conversation.messages
        result = mapper.mask(last.content, policy, history=[m.as_chat() for m in earlier])
        return [
            [Detection(s.start, s.end, s.entity, s.score, str(s.source)) for s in spans]
            for spans in (*result.history_spans, result.spans)
        ]

    return run


def presidio_predictor(engine: Any = None, *, merge: bool = True) -> Predictor:
    """Predictions of plain Presidio, each message analysed alone.

    With ``merge`` (the default) overlapping results are folded as pii_mapper folds its own
    (one span over their union, the type of the highest score, then the longest), so both
    systems are scored on disjoint spans, the form a text is masked with. Characters
    covered, hence the leak, are the same either way; ``merge=False`` scores Presidio's raw
    results, where overlapping guesses of several types each count.
    """
    from benchmarks._baseline import plain_presidio, presidio_detect

    engine = plain_presidio() if engine is None else engine

    def run(conversation: Conversation) -> list[list[Detection]]:
        found = presidio_detect(engine, [m.content for m in conversation.messages])
        return [merged(detections) for detections in found] if merge else found

    return run


def merged(detections: Sequence[Detection]) -> list[Detection]:
    """Overlapping detections folded by pii_mapper's rule (:func:`merge_spans`)."""
    candidates = [
        Span(d.start, d.end, d.entity, Action.MASK, Source.DETECTED, d.score) for d in detections
    ]
    return [Detection(c.start, c.end, c.entity, c.score) for c in merge_spans(candidates)]


def predict(
    conversations: Sequence[Conversation], predictor: Predictor
) -> list[list[list[Detection]]]:
    """The predictor's detections for every message, checked to fit the corpus."""
    out = []
    for conversation in conversations:
        found = predictor(conversation)
        if len(found) != len(conversation.messages):
            raise ValueError(
                f"{conversation.id}: {len(found)} prediction lists for "
                f"{len(conversation.messages)} messages"
            )
        out.append(found)
    return out


# --- scoring ------------------------------------------------------------------------------


@dataclass
class EntityScore:
    """Span and character counts of one entity type (or ``ANY``)."""

    gold: int = 0
    gold_found: int = 0
    predicted: int = 0
    predicted_correct: int = 0
    gold_chars: int = 0
    leaked_chars: int = 0

    @property
    def precision(self) -> float | None:
        return self.predicted_correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.gold_found / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def leak(self) -> float | None:
        return self.leaked_chars / self.gold_chars if self.gold_chars else None

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "leak": self.leak,
        }


@dataclass
class NegativeScore:
    """Hard negatives of one kind: how many were touched, how many characters flagged."""

    spans: int = 0
    spans_flagged: int = 0
    chars: int = 0
    flagged_chars: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "flagged_share": self.flagged_chars / self.chars if self.chars else None,
        }


@dataclass
class TemplateLeak:
    """Leaked gold characters of one (template, slot): where a system misses most."""

    template: str
    slot: str
    entity: str
    spans: int = 0
    spans_missed: int = 0  # no character covered at all
    gold_chars: int = 0
    leaked_chars: int = 0


@dataclass
class SystemScore:
    entities: dict[str, EntityScore] = field(default_factory=dict)
    negatives: dict[str, NegativeScore] = field(default_factory=dict)
    templates: dict[tuple[str, str], TemplateLeak] = field(default_factory=dict)
    # (gold type, predicted type) -> gold spans found only under another type
    confusions: dict[tuple[str, str], int] = field(default_factory=dict)
    email_domain_as_url: int = 0
    seconds: float = 0.0

    @property
    def any(self) -> EntityScore:
        return self.entities[ANY]

    def negatives_total(self) -> NegativeScore:
        total = NegativeScore()
        for n in self.negatives.values():
            total.spans += n.spans
            total.spans_flagged += n.spans_flagged
            total.chars += n.chars
            total.flagged_chars += n.flagged_chars
        return total

    def top_leaks(self, limit: int = 15) -> list[TemplateLeak]:
        leaks = [t for t in self.templates.values() if t.leaked_chars]
        return sorted(leaks, key=lambda t: (-t.leaked_chars, t.template, t.slot))[:limit]

    def to_json(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "leak": self.any.leak,
            "entities": {k: v.to_json() for k, v in sorted(self.entities.items())},
            "negatives": {k: v.to_json() for k, v in sorted(self.negatives.items())},
            "negatives_total": self.negatives_total().to_json(),
            "email_domain_as_url": self.email_domain_as_url,
            "confusions": [
                {"gold": gold, "predicted": predicted, "spans": count}
                for (gold, predicted), count in sorted(self.confusions.items())
            ],
            "top_leaks": [asdict(t) for t in self.top_leaks()],
        }


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _chars(text: str, start: int, end: int, covered: Sequence[bool] | None = None) -> int:
    """Non-whitespace characters of text[start:end] (only the covered ones if given)."""
    return sum(
        1 for i in range(start, end) if not text[i].isspace() and (covered is None or covered[i])
    )


def score(
    conversations: Sequence[Conversation],
    predictions: Sequence[Sequence[Sequence[Detection]]],
    synonyms: dict[str, str] | None = None,
) -> SystemScore:
    """Score predictions (per conversation, per message) against the corpus's gold spans."""
    synonyms = ENTITY_SYNONYMS if synonyms is None else synonyms
    result = SystemScore()
    entities: defaultdict[str, EntityScore] = defaultdict(EntityScore)
    negatives: defaultdict[str, NegativeScore] = defaultdict(NegativeScore)
    for conversation, per_message in zip(conversations, predictions, strict=True):
        for message, found in zip(conversation.messages, per_message, strict=True):
            text = message.content
            preds = [(d.start, d.end, synonyms.get(d.entity, d.entity)) for d in found]
            covered = [False] * len(text)
            for start, end, _ in preds:
                for i in range(max(start, 0), min(end, len(text))):
                    covered[i] = True
            for gold in message.spans:
                chars = _chars(text, gold.start, gold.end)
                leaked = chars - _chars(text, gold.start, gold.end, covered)
                hit_any = any(_overlaps(gold.start, gold.end, s, e) for s, e, _ in preds)
                hit_typed = any(
                    _overlaps(gold.start, gold.end, s, e) and t == gold.entity for s, e, t in preds
                )
                if hit_any and not hit_typed:
                    for other in sorted(
                        {t for s, e, t in preds if _overlaps(gold.start, gold.end, s, e)}
                    ):
                        pair = (gold.entity, other)
                        result.confusions[pair] = result.confusions.get(pair, 0) + 1
                for name, hit in ((gold.entity, hit_typed), (ANY, hit_any)):
                    row = entities[name]
                    row.gold += 1
                    row.gold_found += hit
                    row.gold_chars += chars
                    row.leaked_chars += leaked
                key = (gold.template, gold.slot)
                leak = result.templates.setdefault(
                    key, TemplateLeak(gold.template, gold.slot, gold.entity)
                )
                leak.spans += 1
                leak.spans_missed += leaked == chars
                leak.gold_chars += chars
                leak.leaked_chars += leaked
            for start, end, entity in preds:
                typed = any(
                    _overlaps(start, end, g.start, g.end) and g.entity == entity
                    for g in message.spans
                )
                untyped = any(_overlaps(start, end, g.start, g.end) for g in message.spans)
                for name, correct in ((entity, typed), (ANY, untyped)):
                    entities[name].predicted += 1
                    entities[name].predicted_correct += correct
                if entity == "URL":
                    result.email_domain_as_url += any(
                        g.entity == "EMAIL_ADDRESS" and g.start <= start and end <= g.end
                        for g in message.spans
                    )
            for negative in message.negatives:
                row_n = negatives[negative.kind]
                row_n.spans += 1
                row_n.spans_flagged += any(
                    _overlaps(negative.start, negative.end, s, e) for s, e, _ in preds
                )
                row_n.chars += _chars(text, negative.start, negative.end)
                row_n.flagged_chars += _chars(text, negative.start, negative.end, covered)
    entities.setdefault(ANY, EntityScore())
    result.entities = dict(entities)
    result.negatives = dict(negatives)
    return result


def evaluate(conversations: Sequence[Conversation], predictor: Predictor) -> SystemScore:
    """Predict and score, timing the prediction."""
    started = time.perf_counter()
    predictions = predict(conversations, predictor)
    seconds = time.perf_counter() - started
    result = score(conversations, predictions)
    result.seconds = seconds
    return result


# --- report -------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{100 * value:5.1f}"


def render_table(systems: dict[str, SystemScore]) -> str:
    """Side-by-side per-entity table: P, R, F1 and leak (%) for each system."""
    names = list(systems)
    rows = [*sorted({e for s in systems.values() for e in s.entities if e != ANY}), ANY]
    header = f"{'entity':<18} {'gold':>5} " + " ".join(f"| {name[:23]:^23} " for name in names)
    sub = f"{'':<18} {'':>5} " + " ".join(
        f"| {'P':>5} {'R':>5} {'F1':>5} {'leak':>5} " for _ in names
    )
    lines = [header, sub, "-" * len(sub)]
    for entity in rows:
        gold = max(s.entities.get(entity, EntityScore()).gold for s in systems.values())
        cells = []
        for name in names:
            e = systems[name].entities.get(entity, EntityScore())
            cells.append(f"| {_pct(e.precision)} {_pct(e.recall)} {_pct(e.f1)} {_pct(e.leak)} ")
        if entity == ANY:
            lines.append("-" * len(sub))
        lines.append(f"{entity:<18} {gold:>5} " + "".join(cells))
    lines.append("")
    lines.append(
        f"{'hard negatives':<18} {'spans':>5} "
        + " ".join(f"| {'flagged spans':>13} {'chars%':>7} " for _ in names)
    )
    kinds = sorted({k for s in systems.values() for k in s.negatives})
    for kind in [*kinds, "total"]:
        cells = []
        count = 0
        for name in names:
            system = systems[name]
            n = system.negatives_total() if kind == "total" else system.negatives.get(kind)
            n = n or NegativeScore()
            count = max(count, n.spans)
            share = n.flagged_chars / n.chars if n.chars else None
            cells.append(f"| {n.spans_flagged:>13} {_pct(share):>7} ")
        lines.append(f"{kind:<18} {count:>5} " + "".join(cells))
    lines.append("")
    for name in names:
        system = systems[name]
        lines.append(
            f"{name}: leak {_pct(system.any.leak).strip()}% of gold PII characters; "
            f"e-mail domains flagged as URL: {system.email_domain_as_url}; "
            f"{system.seconds:.1f}s"
        )
    return "\n".join(lines)


def render_leaks(system: SystemScore, limit: int = 12) -> str:
    lines = [f"{'template':<28} {'slot':<16} {'entity':<18} {'missed':>9} {'leaked chars':>14}"]
    for t in system.top_leaks(limit):
        lines.append(
            f"{t.template:<28} {t.slot:<16} {t.entity:<18} "
            f"{t.spans_missed:>4}/{t.spans:<4} {t.leaked_chars:>6}/{t.gold_chars:<7}"
        )
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.accuracy", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--system", choices=("both", "pii_mapper", "presidio"), default="both")
    parser.add_argument(
        "--presidio-raw",
        action="store_true",
        help="score Presidio's overlapping results as they come, without folding them",
    )
    parser.add_argument("--corpus", type=Path, help="read the corpus from this JSONL file")
    parser.add_argument("-o", "--output", type=Path, default=RESULTS)
    args = parser.parse_args(None if argv is None else list(argv))

    if args.corpus is not None:
        conversations = list(read_jsonl(args.corpus))
    else:
        conversations = generate(args.seed, args.conversations)
    predictors: dict[str, Callable[[], Predictor]] = {}
    if args.system in ("both", "pii_mapper"):
        predictors["pii_mapper"] = pii_mapper_predictor
    if args.system in ("both", "presidio"):
        predictors["presidio"] = lambda: presidio_predictor(merge=not args.presidio_raw)
    systems = {name: evaluate(conversations, make()) for name, make in predictors.items()}

    messages = sum(len(c.messages) for c in conversations)
    print(
        f"corpus: seed {args.seed}, {len(conversations)} conversations, {messages} messages, "
        f"{sum(len(m.spans) for c in conversations for m in c.messages)} gold spans\n"
    )
    print(render_table(systems))
    for name, system in systems.items():
        print(f"\ntop leaks, {name}:")
        print(render_leaks(system))
        confused = sorted(system.confusions.items(), key=lambda item: -item[1])
        print(
            f"found under another type, {name}: "
            + (", ".join(f"{g} as {p} ({n})" for (g, p), n in confused) or "none")
        )
    report = {
        "corpus": {
            "seed": args.seed,
            "conversations": len(conversations),
            "messages": messages,
            "source": str(args.corpus) if args.corpus else "generated",
        },
        "presidio_results": "raw" if args.presidio_raw else "merged",
        "systems": {name: system.to_json() for name, system in systems.items()},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
