"""Configuration from the environment: one rule, read once, checked at start-up."""

from __future__ import annotations

import doctest

import pytest

import pii_mapper as pm
from pii_mapper import settings


def test_the_module_doctests_run() -> None:
    result = doctest.testmod(settings)
    assert result.attempted > 0
    assert result.failed == 0


def test_empty_environment_means_no_keys() -> None:
    assert pm.Settings.from_env({}) == pm.Settings(hash_key=None, seal_key=None)
    assert pm.Settings.from_env({"PII_MAPPER_HASH_KEY": "", "PII_MAPPER_SEAL_KEY": ""}) == (
        pm.Settings()
    )


def test_keys_are_read_and_checked() -> None:
    key = pm.generate_seal_key()
    read = pm.Settings.from_env({"PII_MAPPER_HASH_KEY": "h", "PII_MAPPER_SEAL_KEY": key})
    assert read.hash_key == b"h"
    assert read.seal_key is not None
    assert len(read.seal_key) == 32
    assert "h'" not in repr(read)
    assert key not in repr(read)


@pytest.mark.parametrize("bad", ["short", "!!!not base64!!!", "A" * 44])
def test_a_bad_seal_key_names_the_variable_never_the_value(bad: str) -> None:
    with pytest.raises(pm.ConfigurationError) as caught:
        pm.Settings.from_env({"PII_MAPPER_SEAL_KEY": bad})
    assert caught.value.variable == "PII_MAPPER_SEAL_KEY"
    assert caught.value.code == "bad_configuration"
    assert str(caught.value).startswith("PII_MAPPER_SEAL_KEY: ")
    assert bad not in str(caught.value)


def test_the_constructor_never_reads_the_environment_from_env_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PII_MAPPER_HASH_KEY", "shared")
    detector = pm.StaticDetector({"536-22-8726": "US_SSN"})
    policy = pm.parse_headers({"X-Pii-Mapping": "ssn=hash"})
    text = "SSN 536-22-8726"

    def hashed(mapper: pm.PiiMapper) -> str:
        return mapper.mask(text, policy).text

    # Two processes configured alike hash alike; two bare constructors do not.
    assert hashed(pm.PiiMapper.from_env(detector)) == hashed(pm.PiiMapper.from_env(detector))
    assert hashed(pm.PiiMapper.from_env(detector)) == hashed(
        pm.PiiMapper(detector, hash_key="shared")
    )
    assert hashed(pm.PiiMapper(detector)) != hashed(pm.PiiMapper(detector))
    explicit = pm.PiiMapper.from_env(detector, environ={"PII_MAPPER_HASH_KEY": "other"})
    assert hashed(explicit) != hashed(pm.PiiMapper(detector, hash_key="shared"))
