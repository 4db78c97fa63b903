"""Masking with the real detector stays within a bounded time per KB on hostile text."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pii_mapper import PiiMapper, PiiPolicy
from pii_mapper.detection.engine import PresidioDetector

pytestmark = pytest.mark.integration

# A regression guard, not a benchmark (benchmarks/adversarial.py measures): linear masking
# runs at a few ms per KB; the quadratic parts this guards against took seconds per KB.
MAX_SECONDS_PER_KB = 0.1

ALPHABET = " \n!)]},;%\"'@.-:1A a"


@pytest.fixture(scope="module")
def mapper() -> PiiMapper:
    mapper = PiiMapper(PresidioDetector(cache_size=0))
    mapper.mask("Warm up: Maria Garcia, maria@example.com, +1 415 555 2671.", PiiPolicy())
    return mapper


def seconds_per_kb(mapper: PiiMapper, text: str) -> float:
    began = time.perf_counter()
    mapper.mask(text, PiiPolicy())
    return (time.perf_counter() - began) / (len(text) / 1000)


@pytest.mark.parametrize("mark", list("!)]},;%\"'"))
def test_punctuation_runs_keep_names_and_offsets(mapper: PiiMapper, mark: str) -> None:
    text = "Maria Garcia wrote " + mark * 50_000 + " to Tom Baker"
    assert seconds_per_kb(mapper, text) < MAX_SECONDS_PER_KB
    result = mapper.mask(text, PiiPolicy())
    # Offsets past the shortened run are exact: the run is there whole, the names are not.
    # (The model may take "wrote" into the first name's span; that is its precision, not
    # this test's subject.)
    assert result.text.startswith("<PERSON_1> ")
    assert mark * 50_000 + " to <PERSON_2>" in result.text
    assert "Maria" not in result.text
    assert "Baker" not in result.text


def test_full_width_and_invisible_characters_do_not_hide_values(mapper: PiiMapper) -> None:
    text = (
        "Mail \uff41\uff44\uff41\uff20example.com or call +1 415 555 26\u200b71, "
        "password: hun\u00adter2!"
    )
    result = mapper.mask(text, PiiPolicy())
    assert result.text.startswith("Mail <EMAIL_ADDRESS_1> or call <")
    assert result.text.endswith(">, password: <PASSWORD_1>")
    # The phone number is one span over the original characters, the invisible one included.
    assert "+1 415 555 26\u200b71" in result.mapping.to_dict().values()


@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    unit=st.text(alphabet=ALPHABET, min_size=1, max_size=4),
    size=st.integers(min_value=20_000, max_value=200_000),
)
def test_few_repeated_characters_mask_in_bounded_time_per_kb(
    mapper: PiiMapper, unit: str, size: int
) -> None:
    text = (unit * (size // len(unit) + 1))[:size]
    assert seconds_per_kb(mapper, text) < MAX_SECONDS_PER_KB
