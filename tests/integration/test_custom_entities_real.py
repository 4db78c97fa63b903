"""Custom entity types next to the real detector (Presidio patterns and spaCy NER)."""

from __future__ import annotations

import pytest

import pii_mapper as pm

pytestmark = pytest.mark.integration

EMP = pm.CustomEntity("EMPLOYEE_ID", patterns=[r"\bEMP-\d{6}\b"], aliases=("employee",))
PROJECT = pm.CustomEntity("PROJECT", deny_list=["Bluebird", "Nightjar"])


def test_custom_and_built_in_types_in_one_call() -> None:
    mapper = pm.PiiMapper(custom_entities=[EMP, PROJECT])
    policy = mapper.parse_headers({})  # the default: every type, custom ones included
    result = mapper.mask("Ada Lovelace (EMP-004211, ada@example.com) works on Bluebird.", policy)
    assert result.text == ("<PERSON_1> (<EMPLOYEE_ID_1>, <EMAIL_ADDRESS_1>) works on <PROJECT_1>.")
    assert mapper.unmask(result.text, result.mapping) == (
        "Ada Lovelace (EMP-004211, ada@example.com) works on Bluebird."
    )


def test_a_recognizer_added_to_the_default_registry() -> None:
    from pii_mapper.detection.engine import PresidioDetector

    class Badge:
        name = "BadgeRecognizer"
        entity = "US_PASSPORT"

        def find(self, text: str):  # type: ignore[no-untyped-def]
            start = text.find("BADGE-")
            if start >= 0:
                yield pm.Detection(start, start + 9, self.entity, 0.9, self.name)

    registry = pm.default_registry().with_recognizer(Badge())
    mapper = pm.PiiMapper(PresidioDetector(registry=registry))
    policy = pm.parse_headers({"X-Pii-Mapping": "us_passport=mask, email=mask"})
    assert mapper.mask("BADGE-123 for a@example.com", policy).text == (
        "<US_PASSPORT_1> for <EMAIL_ADDRESS_1>"
    )
