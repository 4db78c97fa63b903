"""The default detector with the real spaCy model: offline, lean, exact, thread-safe."""

from __future__ import annotations

import dataclasses
import itertools
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

import pii_mapper as pm
from pii_mapper.detection.engine import PresidioDetector, _windows, load_nlp_config
from pii_mapper.entities import CATALOGUE
from pii_mapper.errors import DetectionError

pytestmark = pytest.mark.integration

ALL = frozenset(CATALOGUE)
SENTENCE = "Yesterday Barack Obama flew to Paris with Angela Merkel. "


@pytest.fixture(scope="module")
def detector() -> PresidioDetector:
    return PresidioDetector()


def values(detector: PresidioDetector, text: str, entities: frozenset[str] = ALL) -> set[str]:
    [found] = detector.detect([text], entities)
    return {f"{d.entity}:{text[d.start : d.end]}" for d in found if d.score >= 0.4}


def test_whole_pipeline_runs_with_sockets_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pii_mapper tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    mapper = pm.PiiMapper(detector=PresidioDetector())
    result = mapper.mask(
        "I'm Maria Gonzalez, mail maria.g@example.com or call +44 20 7946 0958.",
        pm.parse_headers({}),
    )
    assert result.text == "I'm <PERSON_1>, mail <EMAIL_ADDRESS_1> or call <PHONE_NUMBER_1>."


def test_structured_types_load_no_spacy_model() -> None:
    fresh = PresidioDetector()
    found = values(fresh, "card 4111 1111 1111 1111, Paris", frozenset({"CREDIT_CARD"}))
    assert found == {"CREDIT_CARD:4111 1111 1111 1111"}
    assert fresh._ner._nlp is None
    values(fresh, "Barack Obama", frozenset({"PERSON"}))
    assert fresh._ner._nlp is not None
    assert fresh._ner._nlp.pipe_names == ["ner"]


def test_what_a_person_would_not_call_pii_is_not_flagged(detector: PresidioDetector) -> None:
    text = "Send it tomorrow or next week to a.b@example.com; the SSN field stays empty."
    found = values(detector, text)
    assert found == {"EMAIL_ADDRESS:a.b@example.com"}


def test_absolute_dates_are_kept(detector: PresidioDetector) -> None:
    assert "DATE_TIME:March 3, 2021" in values(detector, "I was born on March 3, 2021 in Ohio.")


def test_ner_spans_yield_to_structured_detections(detector: PresidioDetector) -> None:
    found = values(detector, "The server IP 10.0.0.12 went down.")
    assert found == {"IP_ADDRESS:10.0.0.12"}


def test_long_texts_are_cut_in_windows_with_exact_offsets() -> None:
    config = dataclasses.replace(load_nlp_config(), chunk_chars=500, chunk_overlap_chars=120)
    small = PresidioDetector(config=config)
    text = SENTENCE * 40
    [found] = small.detect([text], frozenset({"PERSON", "LOCATION"}))
    # A set: "Paris" is found by the NER and by the list of cities, at the same offsets.
    names = sorted({(d.start, text[d.start : d.end]) for d in found})
    period = len(SENTENCE)
    expected = sorted(
        (i * period + SENTENCE.index(name), name)
        for i in range(40)
        for name in ("Barack Obama", "Paris", "Angela Merkel")
    )
    assert names == expected


def test_windows_partition_the_text() -> None:
    text = ("word " * 3000) + "x" * 5000 + (" tail" * 100)
    windows = _windows(text, 1000, 200)
    assert windows[0].keep_from == 0
    assert windows[-1].keep_to == len(text)
    for before, after in itertools.pairwise(windows):
        assert before.keep_to == after.keep_from
        assert before.start <= before.keep_from < before.keep_to <= before.end
        assert after.start < before.keep_to
    assert all(w.end - w.start <= 1000 + 200 for w in windows)


def test_a_text_gives_the_same_result_alone_and_in_a_batch(detector: PresidioDetector) -> None:
    texts = [SENTENCE, "Call Ann Lee at (415) 555-2671.", "Nothing here.", SENTENCE * 3]
    batch = detector.detect(texts, ALL)
    alone = [detector.detect([text], ALL)[0] for text in texts]
    assert [sorted(map(repr, b)) for b in batch] == [sorted(map(repr, a)) for a in alone]


def test_threads_sharing_one_mapper_agree_with_serial_results() -> None:
    mapper = pm.PiiMapper()
    policy = pm.parse_headers({})
    texts = [
        f"Hi, I'm {name}; mail {name.split()[0].lower()}@example.com, card 4111 1111 1111 1111."
        for name in ["Maria Gonzalez", "John Smith", "Angela Merkel", "Barack Obama"] * 4
    ]
    serial = [mapper.mask(text, policy).text for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda text: mapper.mask(text, policy).text, texts))
    assert parallel == serial


def test_a_missing_model_is_an_error_not_a_download() -> None:
    config = dataclasses.replace(
        load_nlp_config(), spacy_model="en_core_web_lg", spacy_model_path=None
    )
    with pytest.raises(DetectionError, match="never downloads"):
        PresidioDetector(config=config).detect(["Barack Obama"], frozenset({"PERSON"}))


def test_a_missing_model_folder_is_an_error_not_a_download() -> None:
    config = dataclasses.replace(load_nlp_config(), spacy_model_path="no-such-model")
    with pytest.raises(DetectionError, match="never downloads"):
        PresidioDetector(config=config).detect(["Barack Obama"], frozenset({"PERSON"}))


def test_a_broken_detector_fails_closed() -> None:
    config = dataclasses.replace(
        load_nlp_config(), spacy_model="no_such_model", spacy_model_path=None
    )
    mapper = pm.PiiMapper(detector=PresidioDetector(config=config))
    with pytest.raises(DetectionError):
        mapper.mask("Barack Obama", pm.parse_headers({}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can we move the meeting from May 1, 1959 to next week?", {"DATE_TIME:May 1, 1959"}),
        ("Running v1.9.4 since 2019-02-03.", {"DATE_TIME:2019-02-03"}),
        ("Order ORD-2019-69907 arrives after 5pm.", set()),
    ],
)
def test_dates_are_absolute_and_not_codes(
    detector: PresidioDetector, text: str, expected: set[str]
) -> None:
    assert values(detector, text, frozenset({"DATE_TIME"})) == expected


def test_texts_seen_before_are_not_analysed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = PresidioDetector()
    calls: list[int] = []
    analyse = fresh._analyse

    def counting(
        texts: list[str], entities: frozenset[str], languages: list[str]
    ) -> list[list[object]]:
        calls.append(len(texts))
        return analyse(texts, entities, languages)  # type: ignore[return-value]

    monkeypatch.setattr(fresh, "_analyse", counting)
    history = ["Hi, I'm Maria Gonzalez from Madrid.", "Mail maria.g@example.com"]
    first = fresh.detect(history, ALL)
    second = fresh.detect([*history, "And call +44 20 7946 0958."], ALL)
    assert calls == [2, 1]
    assert second[:2] == first
    cached = list(fresh._cache._items.items())
    assert all(isinstance(digest, bytes) and len(digest) == 16 for (digest, _, _), _ in cached)
    assert "Maria" not in repr(cached)


def test_the_cache_can_be_switched_off() -> None:
    fresh = PresidioDetector(cache_size=0)
    fresh.detect(["card 4111 1111 1111 1111"], frozenset({"CREDIT_CARD"}))
    assert not fresh._cache._items


def test_spacy_computes_only_the_lexical_attributes_the_ner_reads(
    detector: PresidioDetector,
) -> None:
    import spacy
    from spacy.attrs import IS_SPACE, LANG, NORM, PREFIX, SHAPE, SUFFIX

    nlp = detector._ner.nlp
    assert set(nlp.vocab.lex_attr_getters) == {NORM, PREFIX, SUFFIX, SHAPE, IS_SPACE, LANG}
    # The same entities as spaCy with every attribute, on words neither has seen.
    config = load_nlp_config()
    assert config.models_dir is not None
    assert config.spacy_model_path is not None
    full = spacy.load(config.models_dir / config.spacy_model_path)  # every attribute
    texts = [
        "Zygmunt Wróblewski-Ottersbach wohnt in Quedlinburg und arbeitet bei Harzwerke GmbH.",
        "ciao, sono ludovica ferraresi, ci vediamo giovedì 13 marzo a Civitavecchia",
        "   Tomasz\t\tKwiatkowski  \n\n  flew to Reykjavík on 2024-03-05 with Þórunn  ",
    ]
    for text in texts:
        ours = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
        theirs = [(e.start_char, e.end_char, e.label_) for e in full(text).ents]
        assert ours == theirs
        assert nlp(text).to_array([NORM, PREFIX, SUFFIX, SHAPE]).tolist() == (
            full(text).to_array([NORM, PREFIX, SUFFIX, SHAPE]).tolist()
        )
