"""The claim of pii_mapper.testing.RELIABLE_ENTITIES, checked on the real detector: every value
that pt.messages() / pt.conversations() plant of these types is found, in every language of
the filler text, whether the policy names the type alone or detects everything."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

import pii_mapper as pm
from pii_mapper import testing as pt

pytestmark = pytest.mark.integration

MAPPER = pm.PiiMapper(hash_key=b"reliable")
MANY = settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("entity", pt.RELIABLE_ENTITIES)
def test_each_reliable_type_is_always_found(entity: str) -> None:
    @MANY
    @given(pt.messages([entity], languages=pt.LANGUAGES))
    def found(message: pt.Message) -> None:
        for headers in ({}, {"X-Pii-Mapping": f"{entity}=mask"}):
            result = MAPPER.mask(message.text, pm.parse_headers(headers))
            pt.assert_masked(result.text, message.planted)

    found()


@MANY
@given(pt.conversations(pt.RELIABLE_ENTITIES, languages=pt.LANGUAGES))
def test_reliable_types_mixed_in_conversations_with_their_headers(conv: pt.Conversation) -> None:
    result = MAPPER.mask(conv.message.text, pm.parse_headers(conv.headers), conv.history)
    pt.assert_masked([result.text, *result.history], conv.planted)
