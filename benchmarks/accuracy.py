"""Detection quality of pii_mapper beside plain Presidio on text it was not tuned on.

Three sets, each scored for both systems, overall, per entity type and per language:

* **(a) held-out template families** (:mod:`benchmarks.heldout`): generated text that no
  rule of the library was written against; the first headline;
* **(b) the hand-written set** (:mod:`benchmarks.handwritten`): messages written by people;
  the second headline;
* **tuning families** (:mod:`benchmarks.corpus`): the templates the recognizers were tuned
  on, shown on one separate, labelled line. It measures the tuning, not the protection.

Systems:

* pii_mapper: ``PiiMapper().mask(last_message, default_policy, history=earlier_messages)``
  once per conversation, with the library's built-in default policy (automatic detection
  of every type, action mask); the handled spans (``result.history_spans`` and
  ``result.spans``, offsets of the original texts) are its predictions;
* Presidio: :func:`benchmarks._baseline.presidio_detect` on each message alone, every
  result kept (Presidio's default threshold), overlaps folded as pii_mapper folds its own.

Metrics (definitions in docs/evaluation.md):

* **leak**: the share of gold PII characters (non-whitespace) that no predicted span of
  any type covers: what a user would send to a model in the clear. Per type and overall.
  Gold of types the library does not support yet (``PLANNED_ENTITIES``) counts like any
  other: leaked unless some predicted span covers it;
* per entity type, span-level precision (P), recall (R) and F1 with an overlap rule: a gold
  span is found when a predicted span of the same type shares a character with it; a
  predicted span is correct when it shares a character with a gold span of its type.
  Character-level precision (Pc): the share of predicted non-whitespace characters that lie
  inside gold of the predicted type. The ``ANY`` row applies the same rules ignoring types;
* worst misses: the gold spans with the most characters in the clear (id, type, offsets
  and the value: evaluation data of our own, so printing it is fine);
* hard negatives: spans that look like PII but are not (``{{NOT|...}}`` in the hand-written
  set, negative slots in templates); how many are touched and how many characters flagged.

``make eval`` = ``python -m benchmarks.accuracy [--seed 7] [--conversations 210] [--quick]``
prints the report and writes ``benchmarks/results/accuracy.json``.
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

from benchmarks.corpus import (
    DEFAULT_SEED,
    Conversation,
    GoldSpan,
    Message,
    NegativeSpan,
    generate,
    read_jsonl,
)
from pii_mapper.detection import Detection, Source, Span, merge_spans
from pii_mapper.policy import Action

__all__ = [
    "ANY",
    "ENTITY_SYNONYMS",
    "EntityScore",
    "Miss",
    "NegativeScore",
    "Predictor",
    "SetResult",
    "SystemScore",
    "TemplateLeak",
    "evaluate",
    "evaluate_set",
    "family_of",
    "grouped",
    "handwritten_conversations",
    "language_of",
    "main",
    "merged",
    "pii_mapper_predictor",
    "predict",
    "presidio_predictor",
    "render_groups",
    "render_misses",
    "render_summary",
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
    predicted_chars: int = 0  # non-whitespace characters inside predicted spans
    predicted_chars_correct: int = 0  # ... that are inside a gold span (of the type)

    @property
    def precision(self) -> float | None:
        return self.predicted_correct / self.predicted if self.predicted else None

    @property
    def char_precision(self) -> float | None:
        if not self.predicted_chars:
            return None
        return self.predicted_chars_correct / self.predicted_chars

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
            "char_precision": self.char_precision,
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


@dataclass(frozen=True)
class Miss:
    """A gold span with characters left in the clear: where, what type, and the text."""

    id: str  # conversation id and message index ("conv-7-00012#2"), or a hand-written id
    entity: str
    start: int
    end: int
    text: str  # the whole gold value (evaluation data of our own, never user data)
    leaked_chars: int
    chars: int


@dataclass
class SystemScore:
    entities: dict[str, EntityScore] = field(default_factory=dict)
    negatives: dict[str, NegativeScore] = field(default_factory=dict)
    templates: dict[tuple[str, str], TemplateLeak] = field(default_factory=dict)
    # (gold type, predicted type) -> gold spans found only under another type
    confusions: dict[tuple[str, str], int] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
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

    def worst_misses(self, limit: int = 15) -> list[Miss]:
        """Misses with the most characters in the clear; whole misses before partial ones."""
        return sorted(
            self.misses, key=lambda m: (-(m.leaked_chars == m.chars), -m.leaked_chars, m.id)
        )[:limit]

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
            "worst_misses": [asdict(m) for m in self.worst_misses(50)],
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
        single = len(conversation.messages) == 1
        for index, (message, found) in enumerate(
            zip(conversation.messages, per_message, strict=True)
        ):
            text = message.content
            preds = [(d.start, d.end, synonyms.get(d.entity, d.entity)) for d in found]
            covered = [False] * len(text)
            for start, end, _ in preds:
                for i in range(max(start, 0), min(end, len(text))):
                    covered[i] = True
            gold_type: list[str | None] = [None] * len(text)
            for gold in message.spans:
                for i in range(gold.start, gold.end):
                    gold_type[i] = gold.entity
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
                if leaked:
                    where = conversation.id if single else f"{conversation.id}#{index}"
                    value = text[gold.start : gold.end]
                    result.misses.append(
                        Miss(where, gold.entity, gold.start, gold.end, value, leaked, chars)
                    )
            for start, end, entity in preds:
                typed = any(
                    _overlaps(start, end, g.start, g.end) and g.entity == entity
                    for g in message.spans
                )
                untyped = any(_overlaps(start, end, g.start, g.end) for g in message.spans)
                span = range(max(start, 0), min(end, len(text)))
                inside = [i for i in span if not text[i].isspace()]
                in_typed = sum(1 for i in inside if gold_type[i] == entity)
                in_any = sum(1 for i in inside if gold_type[i] is not None)
                for name, correct, chars_in in ((entity, typed, in_typed), (ANY, untyped, in_any)):
                    entities[name].predicted += 1
                    entities[name].predicted_correct += correct
                    entities[name].predicted_chars += len(inside)
                    entities[name].predicted_chars_correct += chars_in
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


# --- evaluation sets ----------------------------------------------------------------------


def handwritten_conversations(
    directory: Path | None = None, per_language: int | None = None
) -> list[Conversation]:
    """The hand-written set as one-message conversations (id = the record's id); hard
    negatives ({{NOT|...}}) are negative spans of kind ``handwritten``.

    The markup cannot cross a line break, so a multi-line postal block is written as one
    LOCATION span per line; those are joined here into one span per address, as in the
    template sets (only the span counts change: the leak is per character)."""
    from benchmarks import handwritten

    out: list[Conversation] = []
    taken: defaultdict[str, int] = defaultdict(int)
    for record in handwritten.load_all(handwritten.DATA if directory is None else directory):
        if per_language is not None and taken[record.lang] >= per_language:
            continue
        taken[record.lang] += 1
        spans = tuple(
            GoldSpan(start, end, entity, record.id, entity)
            for start, end, entity in _join_address_lines(record.text, record.spans)
        )
        negatives = tuple(
            NegativeSpan(start, end, "handwritten", record.id, "NOT")
            for start, end in record.negatives
        )
        message = Message("user", record.text, record.id, spans, negatives, record.lang)
        out.append(Conversation(record.id, (message,)))
    return out


def _join_address_lines(text: str, spans: Sequence[Any]) -> list[tuple[int, int, str]]:
    """Spans as (start, end, entity), LOCATION spans separated only by a line break (and
    commas or spaces) joined into one."""
    out: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and span.entity == out[-1][2] == "LOCATION":
            between = text[out[-1][1] : span.start]
            if "\n" in between and not between.replace(",", "").strip():
                out[-1] = (out[-1][0], span.end, "LOCATION")
                continue
        out.append((span.start, span.end, span.entity))
    return out


def language_of(conversation: Conversation) -> str:
    """A conversation's language: its first message's."""
    return conversation.messages[0].lang


def family_of(conversation: Conversation) -> str:
    """The template family of a conversation's first message (tuning or held-out), or
    ``handwritten``."""
    from benchmarks import heldout
    from benchmarks.corpus import FAMILIES

    template = conversation.messages[0].template
    for name, templates in FAMILIES.items():
        if template in templates:
            return name
    try:
        return heldout.family_of(template)
    except KeyError:
        return "handwritten"


def grouped(
    conversations: Sequence[Conversation],
    predictions: Sequence[Sequence[Sequence[Detection]]],
    key: Callable[[Conversation], str],
) -> dict[str, SystemScore]:
    """Scores per group of conversations (per language, per family)."""
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for index, conversation in enumerate(conversations):
        groups[key(conversation)].append(index)
    return {
        name: score([conversations[i] for i in indices], [predictions[i] for i in indices])
        for name, indices in sorted(groups.items())
    }


@dataclass
class SetResult:
    """One evaluation set scored for each system: overall, per language, per family."""

    label: str
    conversations: Sequence[Conversation]
    systems: dict[str, SystemScore]
    languages: dict[str, dict[str, SystemScore]]  # system -> language -> score
    families: dict[str, dict[str, SystemScore]]  # system -> template family -> score

    def to_json(self) -> dict[str, Any]:
        messages = [m for c in self.conversations for m in c.messages]
        return {
            "label": self.label,
            "conversations": len(self.conversations),
            "messages": len(messages),
            "gold_spans": sum(len(m.spans) for m in messages),
            "systems": {
                name: {
                    **system.to_json(),
                    "languages": {
                        lang: score.to_json() for lang, score in self.languages[name].items()
                    },
                    "families": {
                        family: {"leak": score.any.leak, "ANY": score.any.to_json()}
                        for family, score in self.families[name].items()
                    },
                }
                for name, system in self.systems.items()
            },
        }


def evaluate_set(
    label: str, conversations: Sequence[Conversation], predictors: dict[str, Predictor]
) -> SetResult:
    systems: dict[str, SystemScore] = {}
    languages: dict[str, dict[str, SystemScore]] = {}
    families: dict[str, dict[str, SystemScore]] = {}
    for name, predictor in predictors.items():
        started = time.perf_counter()
        predictions = predict(conversations, predictor)
        systems[name] = score(conversations, predictions)
        systems[name].seconds = time.perf_counter() - started
        languages[name] = grouped(conversations, predictions, language_of)
        families[name] = grouped(conversations, predictions, family_of)
    return SetResult(label, conversations, systems, languages, families)


# --- report -------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}"


def render_table(systems: dict[str, SystemScore]) -> str:
    """Side-by-side per-entity table: span precision (P), character precision (Pc), recall,
    F1 and leak (%) for each system, then the hard negatives."""
    names = list(systems)
    rows = [*sorted({e for s in systems.values() for e in s.entities if e != ANY}), ANY]
    header = f"{'entity':<18} {'gold':>5} " + " ".join(f"| {name[:29]:^29} " for name in names)
    sub = f"{'':<18} {'':>5} " + " ".join(
        f"| {'P':>5} {'Pc':>5} {'R':>5} {'F1':>5} {'leak':>5} " for _ in names
    )
    lines = [header, sub, "-" * len(sub)]
    for entity in rows:
        gold = max(s.entities.get(entity, EntityScore()).gold for s in systems.values())
        cells = []
        for name in names:
            e = systems[name].entities.get(entity, EntityScore())
            cells.append(
                f"| {_pct(e.precision)} {_pct(e.char_precision)} {_pct(e.recall)} "
                f"{_pct(e.f1)} {_pct(e.leak)} "
            )
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


def render_groups(groups: dict[str, dict[str, SystemScore]], label: str) -> str:
    """One ANY row per group (language, family): gold spans, leak, span and character
    precision, recall, for each system."""
    names = list(groups)
    keys = sorted({key for per in groups.values() for key in per})
    width = max([len(label), *map(len, keys)])
    lines = [
        f"{label:<{width}} {'gold':>5} " + " ".join(f"| {name[:23]:^23} " for name in names),
        f"{'':<{width}} {'':>5} "
        + " ".join(f"| {'leak':>5} {'P':>5} {'Pc':>5} {'R':>5} " for _ in names),
    ]
    for key in keys:
        cells, gold = [], 0
        for name in names:
            any_row = groups[name].get(key, SystemScore()).entities.get(ANY) or EntityScore()
            gold = max(gold, any_row.gold)
            cells.append(
                f"| {_pct(any_row.leak)} {_pct(any_row.precision)} "
                f"{_pct(any_row.char_precision)} {_pct(any_row.recall)} "
            )
        lines.append(f"{key:<{width}} {gold:>5} " + "".join(cells))
    return "\n".join(lines)


def render_misses(system: SystemScore, limit: int = 15) -> str:
    lines = [f"{'id':<34} {'entity':<16} {'offsets':>11} {'leaked':>7}  text"]
    for m in system.worst_misses(limit):
        text = m.text if len(m.text) <= 60 else m.text[:57] + "..."
        lines.append(
            f"{m.id[:34]:<34} {m.entity:<16} {f'{m.start}-{m.end}':>11} "
            f"{f'{m.leaked_chars}/{m.chars}':>7}  {text!r}"
        )
    return "\n".join(lines)


def render_summary(result: SetResult) -> str:
    """One line per system: the ANY figures of a set."""
    parts = []
    for name, system in result.systems.items():
        a = system.any
        parts.append(
            f"{name} leak {_pct(a.leak).strip()}% P {_pct(a.precision).strip()} "
            f"Pc {_pct(a.char_precision).strip()} R {_pct(a.recall).strip()}"
        )
    return " | ".join(parts)


def _report(result: SetResult, title: str) -> str:
    messages = sum(len(c.messages) for c in result.conversations)
    gold = sum(len(m.spans) for c in result.conversations for m in c.messages)
    lines = [
        "=" * 100,
        f"{title}: {len(result.conversations)} conversations, {messages} messages, "
        f"{gold} gold spans",
        "=" * 100,
    ]
    if not result.conversations:
        lines.append("(empty)")
        return "\n".join(lines)
    lines += [render_table(result.systems), "", "per language (ANY):"]
    lines.append(render_groups(result.languages, "language"))
    if any(len(per) > 1 for per in result.families.values()):
        lines += ["", "per template family (ANY):", render_groups(result.families, "family")]
    for name, system in result.systems.items():
        lines += ["", f"worst misses, {name}:", render_misses(system)]
        confused = sorted(system.confusions.items(), key=lambda item: -item[1])
        lines.append(
            f"found under another type, {name}: "
            + (", ".join(f"{g} as {p} ({n})" for (g, p), n in confused[:12]) or "none")
        )
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.accuracy", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--conversations", type=int, default=210, help="held-out template conversations"
    )
    parser.add_argument(
        "--tuning-conversations", type=int, default=100, help="tuning-family conversations"
    )
    parser.add_argument(
        "--handwritten", type=Path, default=None, help="directory of the hand-written set"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: one conversation per held-out family, 6 tuning conversations, "
        "3 hand-written messages per language",
    )
    parser.add_argument("--system", choices=("both", "pii_mapper", "presidio"), default="both")
    parser.add_argument(
        "--presidio-raw",
        action="store_true",
        help="score Presidio's overlapping results as they come, without folding them",
    )
    parser.add_argument(
        "--corpus", type=Path, help="score this JSONL corpus instead of the held-out families"
    )
    parser.add_argument("-o", "--output", type=Path, default=RESULTS)
    args = parser.parse_args(None if argv is None else list(argv))

    from benchmarks import heldout
    from benchmarks.handwritten import DATA

    held_count = len(heldout.FAMILIES) if args.quick else args.conversations
    tuning_count = 6 if args.quick else args.tuning_conversations
    directory = DATA if args.handwritten is None else args.handwritten
    if args.corpus is not None:
        held = list(read_jsonl(args.corpus))
    else:
        held = heldout.generate(args.seed, held_count)
    written = handwritten_conversations(directory, 3 if args.quick else None)
    tuning = generate(args.seed, tuning_count)

    predictors: dict[str, Predictor] = {}
    if args.system in ("both", "pii_mapper"):
        predictors["pii_mapper"] = pii_mapper_predictor()
    if args.system in ("both", "presidio"):
        predictors["presidio"] = presidio_predictor(merge=not args.presidio_raw)
    results = {
        "held_out": evaluate_set("held-out template families", held, predictors),
        "handwritten": evaluate_set("hand-written set", written, predictors),
        "tuning": evaluate_set("tuning families", tuning, predictors),
    }
    files = sorted(p.name for p in directory.glob("*.txt"))
    source = str(args.corpus) if args.corpus else f"held-out families, seed {args.seed}"
    print(_report(results["held_out"], f"(a) HELD-OUT TEMPLATE FAMILIES ({source})"))
    print()
    print(
        _report(results["handwritten"], f"(b) HAND-WRITTEN SET ({', '.join(files) or 'no files'})")
    )
    print()
    print(
        "TUNING FAMILIES (rules were written against these: this measures the tuning, not the "
        f"protection): {len(tuning)} conversations, seed {args.seed}: "
        + render_summary(results["tuning"])
    )
    report = {
        "seed": args.seed,
        "quick": args.quick,
        "handwritten_files": files,
        "presidio_results": "raw" if args.presidio_raw else "merged",
        "sets": {key: result.to_json() for key, result in results.items()},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
