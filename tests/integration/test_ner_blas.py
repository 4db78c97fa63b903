"""The NER model multiplies with numpy's BLAS limited to one thread (not blis's generic
kernel): the same entities as with blis, and no second core taken by a chat message."""

from __future__ import annotations

import pytest
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from pii_mapper.detection.engine import _entities, _NerModel, load_nlp_config

pytestmark = pytest.mark.integration

TEXTS = [
    "Hi, I'm Ada Lovelace from London; call me on Friday 3 March 2025.",
    "Bonjour, je m'appelle Élodie Marchetti et j'habite 12 rue de la Paix, 75002 Paris.",
    "Sehr geehrter Herr Vogel, die Rechnung der Müller GmbH liegt bei.",
    "ok so priya sharma from the berlin office says she is german",
    "Kerkstraat 5, 1017 GB Amsterdam - Sanne de Vries, geboren 3 maart 1990",
]


@pytest.fixture(scope="module")
def ner() -> _NerModel:
    model = _NerModel(load_nlp_config())
    model.nlp  # noqa: B018 - load it
    return model


def entities(model: _NerModel) -> list[list[tuple[int, int, str]]]:
    """spaCy's own path (not NumpyNer, which calls numpy alone)."""
    with model._one_blas_thread():
        return _entities(model.nlp, None, TEXTS, 8)


def test_the_model_runs_with_one_blas_thread(ner: _NerModel) -> None:
    with ner._one_blas_thread():
        blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
        assert blas
        assert all(lib["num_threads"] == 1 for lib in blas)


def test_numpy_and_blis_find_the_same_entities(ner: _NerModel) -> None:
    ops = next(node.ops for _, c in ner.nlp.pipeline for node in c.model.walk())
    assert isinstance(ops, NumpyOps)
    assert not ops.use_blis
    with_numpy = entities(ner)
    blis = NumpyOps(use_blis=True)
    for _, component in ner.nlp.pipeline:
        for node in component.model.walk():
            node.ops = blis
    try:
        assert entities(ner) == with_numpy
    finally:
        for _, component in ner.nlp.pipeline:
            for node in component.model.walk():
                node.ops = ops


def test_models_running_at_once_restore_the_limit_only_when_the_last_one_stops(
    ner: _NerModel,
) -> None:
    def threads() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

    other = _NerModel(load_nlp_config())
    other.nlp  # noqa: B018 - load it
    original = threads()
    first, second = ner._one_blas_thread(), other._one_blas_thread()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert threads() == [1] * len(original)  # the other model still runs
    second.__exit__(None, None, None)
    assert threads() == original
