"""The speed benchmark's pure parts: statistics, table, targets, text generator.

No timing is asserted here; the benchmark itself is run by ``make bench``.
"""

from __future__ import annotations

from dataclasses import asdict

import pytest

from benchmarks._texts import ChatTextGenerator, model_reply
from benchmarks.speed import (
    DETECTOR,
    IDENTIFY,
    LANGUAGES,
    PII_MAPPER,
    PRESIDIO,
    STRUCTURED_ENTITIES,
    STRUCTURED_HEADER,
    TARGETS,
    Series,
    evaluate_targets,
    format_rate,
    format_size,
    identification_share,
    import_time_by_package,
    language_texts,
    percentile,
    ratio,
    render_table,
    repetitions,
    summarize,
)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5.0], 50, 5.0),
        ([5.0], 99, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 0, 1.0),
        ([1.0, 2.0, 3.0, 4.0], 100, 4.0),
        ([4.0, 1.0, 3.0, 2.0], 50, 2.5),  # order does not matter
        ([1.0, 2.0, 3.0, 4.0, 5.0], 25, 2.0),
        (list(map(float, range(101))), 99, 99.0),
        ([0.0, 10.0], 99, 9.9),  # interpolated, as numpy does
    ],
)
def test_percentile_interpolates_linearly(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected)


@pytest.mark.parametrize(("values", "q"), [([], 50), ([1.0], -1), ([1.0], 100.5)])
def test_percentile_rejects_no_values_and_bad_ranks(values: list[float], q: float) -> None:
    with pytest.raises(ValueError, match="percentile"):
        percentile(values, q)


def test_summarize_gives_latency_in_ms_and_throughput_in_chars_per_second() -> None:
    series = summarize("auto", PII_MAPPER, 1_000, [0.001, 0.003, 0.002], 3_000, cpu_seconds=0.003)
    assert series.n == 3
    assert series.seconds == pytest.approx(0.006)
    assert series.p50_ms == pytest.approx(2.0)
    assert series.p99_ms == pytest.approx(2.98)
    assert series.chars_per_s == pytest.approx(500_000)
    assert series.cpu_chars_per_s == pytest.approx(1_000_000)
    assert summarize("auto", PII_MAPPER, 1, [0.5], 1).cpu_chars_per_s is None


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [(300.0, 100.0, 3.0), (1.0, 4.0, 0.25), (None, 1.0, None), (1.0, None, None), (1.0, 0, None)],
)
def test_ratio(ours: float | None, theirs: float | None, expected: float | None) -> None:
    assert ratio(ours, theirs) == expected


def test_repetitions_shrink_with_size_and_for_the_baseline() -> None:
    sizes = [100, 1_000, 10_000, 100_000, 1_000_000]
    ours = [repetitions(size) for size in sizes]
    theirs = [repetitions(size, presidio=True) for size in sizes]
    assert ours == sorted(ours, reverse=True)
    assert all(t <= o for t, o in zip(theirs, ours, strict=True))
    quick = [repetitions(size, quick=True) for size in sizes]
    assert all(1 <= q <= o for q, o in zip(quick, ours, strict=True))


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1_234_567.0, "", "1.23 M"),
        (15_000.0, "", "15 k"),
        (2.5e9, "B", "2.5 GB"),
        (12.0, "", "12"),
        (None, "", "—"),
    ],
)
def test_format_rate(value: float | None, unit: str, expected: str) -> None:
    assert format_rate(value, unit) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [(100, "100 B"), (1_000, "1 KB"), (100_000, "100 KB"), (1_000_000, "1 MB"), (1_500, "1500 B")],
)
def test_format_size(size: int, expected: str) -> None:
    assert format_size(size) == expected


def test_render_table_aligns_columns() -> None:
    table = render_table(["system", "n", "rate"], [["pii_mapper", 10, "1.2 M"], ["x", None, "3"]])
    lines = table.splitlines()
    assert lines[0] == "system       n   rate"
    assert set(lines[1]) == {"-", " "}
    assert lines[2] == "pii_mapper  10  1.2 M"
    assert lines[3] == "x            —      3"
    assert len({len(line) for line in lines[:3]}) == 1


def test_render_table_honours_alignment_and_checks_widths() -> None:
    assert render_table(["a", "b"], [["x", "yy"]], align="rl").splitlines()[2] == "x  yy"
    with pytest.raises(ValueError, match="one entry per header"):
        render_table(["a", "b"], [["x"]])


def _series(scenario: str, system: str, size: int, chars_per_s: float) -> dict[str, object]:
    return asdict(Series(scenario, system, size, 1, 1, 1.0, 1.0, 1.0, chars_per_s, chars_per_s / 2))


def test_targets_take_the_smallest_ratio_over_the_sizes_both_systems_ran() -> None:
    results = {
        "detection": [
            _series("auto", PII_MAPPER, 100, 400.0),
            _series("auto", PRESIDIO, 100, 100.0),
            _series("auto", PII_MAPPER, 1_000, 250.0),
            _series("auto", DETECTOR, 1_000, 9_999.0),  # the bare detector does not count
            _series("auto", PRESIDIO, 1_000, 100.0),
            _series("auto", PII_MAPPER, 1_000_000, 1.0),  # Presidio did not run this size
            _series("structured", PII_MAPPER, 100, 6_000.0),
            _series("structured", PRESIDIO, 100, 100.0),
        ],
        "cold_start": {"import_ms": 120.0},
        "unmask": {
            "available": True,
            "sizes": [
                {"bytes": 1_000, "unmask_mb_per_s": 1.0, "stream_slowdown": 9.0},
                {"bytes": 1_000_000, "unmask_mb_per_s": 25.0, "stream_slowdown": 2.5},
            ],
        },
        "memory": {"pii_mapper_mb": 700.0},
    }
    targets = {t.name: t for t in evaluate_targets(results)}
    assert [t.name for t in targets.values()] == [name for name, *_ in TARGETS]
    auto = targets["auto detection vs Presidio"]
    assert (auto.measured, auto.passed) == (pytest.approx(2.5), False)
    assert targets["structured-only vs Presidio"].passed is True
    assert targets["structured-only vs Presidio"].measured_cpu == pytest.approx(60.0)
    assert targets["import pii_mapper"].passed is True
    assert (targets["unmask"].measured, targets["unmask"].passed) == (25.0, True)
    assert targets["stream unmask vs whole"].passed is False
    assert targets["peak RSS, auto mask 100 KB"].passed is False


def test_targets_not_measured_are_neither_pass_nor_miss() -> None:
    targets = evaluate_targets({"unmask": {"available": False, "reason": "absent"}})
    assert {t.passed for t in targets} == {None}
    assert {t.measured for t in targets} == {None}


def test_each_language_has_a_target_and_identification_is_a_share_of_the_detector() -> None:
    languages = []
    for lang, ours in zip(LANGUAGES, (400.0, 300.0, 350.0, 320.0, 310.0, 290.0), strict=True):
        languages += [
            _series(f"auto {lang}", PII_MAPPER, 120, ours),
            _series(f"auto {lang}", DETECTOR, 120, 500.0),
            _series(f"auto {lang}", IDENTIFY, 120, 25_000.0 if lang == "de" else 50_000.0),
            _series(f"auto {lang}", PRESIDIO, 120, 100.0),
        ]
    series = [Series(**s) for s in languages]  # type: ignore[arg-type]
    assert identification_share(series, "auto fr") == pytest.approx(1.0)
    assert identification_share(series, "auto de", cpu=True) == pytest.approx(2.0)
    assert identification_share(series, "auto xx") is None
    targets = {t.name: t for t in evaluate_targets({"languages": languages})}
    assert targets["auto detection vs Presidio, fr"].measured == pytest.approx(3.0)
    assert targets["auto detection vs Presidio, nl"].passed is False
    assert {targets[f"auto detection vs Presidio, {lang}"].passed for lang in LANGUAGES[:5]} == {
        True
    }
    identification = targets["language identification"]
    assert (identification.measured, identification.passed) == (pytest.approx(2.0), True)
    assert targets["auto detection vs Presidio"].passed is None  # the English chat section


def test_language_texts_take_each_language_from_both_sources_once() -> None:
    from benchmarks import handwritten
    from pii_mapper.language import identify_language

    texts = language_texts(quick=True)
    assert tuple(texts) == LANGUAGES
    written = {m.text for m in handwritten.load_all()}
    for lang, group in texts.items():
        assert 0 < len(group) == len(set(group))
        assert any(t in written for t in group)
        assert any(t not in written for t in group)
        # Mostly identified as their language (a short or code-heavy message may not be).
        assert sum(identify_language(t) == lang for t in group) > len(group) / 2


def test_the_structured_header_names_the_six_structured_types() -> None:
    import pii_mapper as pm

    policy = pm.parse_headers({"X-Pii-Mapping": STRUCTURED_HEADER})
    assert policy.detected_entities() == STRUCTURED_ENTITIES


def test_a_seed_gives_the_same_texts_and_another_seed_others() -> None:
    def sample(seed: int) -> tuple[str, str, tuple[list[dict[str, str]], str]]:
        generator = ChatTextGenerator(seed)
        return generator.message(100), generator.message(5_000), generator.conversation(6)

    assert sample(7) == sample(7)
    assert sample(7) != sample(8)


@pytest.mark.parametrize("size", [100, 1_000, 10_000])
def test_messages_come_close_to_the_size_asked_for(size: int) -> None:
    generator = ChatTextGenerator(1)
    for _ in range(20):
        text = generator.message(size)
        assert size - 60 <= len(text) <= size
        assert text == text.strip()


def test_messages_carry_pii() -> None:
    generator = ChatTextGenerator(2)
    text = " ".join(generator.message(1_000) for _ in range(10))
    assert text.count("@") >= 5  # e-mail addresses
    assert sum(c.isdigit() for c in text) >= 200  # phone, card, SSN, IBAN, IP digits


def test_a_conversation_alternates_roles() -> None:
    history, message = ChatTextGenerator(3).conversation(50)
    assert len(history) == 50
    assert [m["role"] for m in history[:4]] == ["user", "assistant", "user", "assistant"]
    assert all(m["content"] for m in history)
    assert 0 < len(message) <= 300


def test_a_model_reply_mentions_placeholders_in_variant_forms() -> None:
    mapping = {"<PERSON_1>": "Ada Lovelace", "<EMAIL_ADDRESS_2>": "ada@example.com"}
    reply = model_reply(mapping, 20_000, seed=4)
    assert len(reply) == 20_000
    assert reply == model_reply(mapping, 20_000, seed=4)
    assert "<PERSON_1>" in reply
    assert "[PERSON_1]" in reply or "<person_1>" in reply
    assert "<PERSON_1001>" in reply or "<EMAIL_ADDRESS_1002>" in reply  # invented by the model
    assert "Ada" not in reply
    assert model_reply({}, 500, seed=4).count("<") == 0


def test_import_time_is_summed_by_top_level_package() -> None:
    report = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       100 |        100 |     re._parser",
            "import time:      2500 |       2600 |   re",
            "import time:      1000 |       1000 |     pydantic.fields",
            "import time:      3000 |       4000 |   pydantic",
            "import time:       500 |       7100 | pii_mapper",
            "something else on stderr",
        ]
    )
    assert import_time_by_package(report) == {"pydantic": 4.0, "re": 2.6, "pii_mapper": 0.5}
