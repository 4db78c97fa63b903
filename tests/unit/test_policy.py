"""PiiPolicy: which types are processed and with which action."""

import pytest
from pydantic import ValidationError

from pii_mapper.entities import CATALOGUE, DetectorKind
from pii_mapper.mapping import ConversationMapping
from pii_mapper.policy import Action, AutoDetection, DeclaredSpan, PiiPolicy, Rule


def test_action_spellings_and_strictness() -> None:
    assert Action.parse(" Allow ") is Action.KEEP
    assert Action.parse("none") is Action.KEEP
    assert Action.parse("REDACT") is Action.REDACT
    assert Action.parse("erase") is None
    ordered = sorted(Action, key=lambda a: a.strictness)
    assert ordered == [Action.KEEP, Action.MASK, Action.HASH, Action.REDACT]


def test_default_policy_masks_every_detectable_type() -> None:
    policy = PiiPolicy()
    detectable = {n for n, s in CATALOGUE.items() if s.detector is not DetectorKind.DECLARED}
    assert policy.detected_entities() == detectable
    assert all(policy.action_for(e) is Action.MASK for e in detectable)
    assert policy.needs_ner()


def test_explicit_rules_win_over_automatic_default() -> None:
    policy = PiiPolicy(
        rules=(Rule(entity="US_SSN", action=Action.REDACT),),
        auto=AutoDetection(action=Action.HASH),
    )
    assert policy.action_for("US_SSN") is Action.REDACT
    assert policy.action_for("PERSON") is Action.HASH


def test_named_types_only_without_auto() -> None:
    policy = PiiPolicy(
        rules=(Rule(entity="EMAIL_ADDRESS", action=Action.MASK),),
        auto=AutoDetection(enabled=False),
    )
    assert policy.detected_entities() == {"EMAIL_ADDRESS"}
    assert policy.action_for("PERSON") is None
    assert not policy.needs_ner()


def test_auto_entities_restrict_the_automatic_set() -> None:
    policy = PiiPolicy(auto=AutoDetection(entities=frozenset({"PHONE_NUMBER"})))
    assert policy.detected_entities() == {"PHONE_NUMBER"}


def test_rules_are_sorted_and_deduplicated() -> None:
    a = PiiPolicy(
        rules=(Rule(entity="US_SSN", action="redact"), Rule(entity="PERSON", action="mask"))
    )
    b = PiiPolicy(
        rules=(
            Rule(entity="PERSON", action="mask"),
            Rule(entity="US_SSN", action="redact"),
            Rule(entity="PERSON", action="mask"),
        )
    )
    assert a == b
    assert hash(a) == hash(b)


def test_conflicting_rules_are_rejected() -> None:
    with pytest.raises(ValidationError, match="two different actions"):
        PiiPolicy(
            rules=(Rule(entity="PERSON", action="mask"), Rule(entity="PERSON", action="keep"))
        )


def test_declared_span_action_precedence() -> None:
    policy = PiiPolicy(
        rules=(Rule(entity="PERSON", action="hash"),), auto=AutoDetection(action=Action.REDACT)
    )
    assert policy.declared_action(DeclaredSpan(start=0, end=1, action="keep")) is Action.KEEP
    assert policy.declared_action(DeclaredSpan(start=0, end=1, entity="PERSON")) is Action.HASH
    assert policy.declared_action(DeclaredSpan(start=0, end=1)) is Action.REDACT
    off = PiiPolicy(auto=AutoDetection(enabled=False))
    assert off.declared_action(DeclaredSpan(start=0, end=1)) is Action.MASK


def test_declared_spans_are_sorted_and_must_not_overlap() -> None:
    policy = PiiPolicy(positions=(DeclaredSpan(start=5, end=9), DeclaredSpan(start=0, end=5)))
    assert [s.start for s in policy.positions] == [0, 5]
    with pytest.raises(ValidationError, match="overlap"):
        PiiPolicy(positions=(DeclaredSpan(start=0, end=6), DeclaredSpan(start=5, end=9)))
    with pytest.raises(ValidationError, match="start must be less than end"):
        DeclaredSpan(start=3, end=3)


def test_policy_is_frozen_and_its_dump_holds_no_history_values() -> None:
    history = ConversationMapping({"<PERSON_1>": "Grace Hopper"})
    policy = PiiPolicy(history=history)
    with pytest.raises(ValidationError):
        policy.units = "utf16"  # type: ignore[misc]
    dumped = policy.model_dump_json()
    assert "<PERSON_1>" in dumped
    assert "Grace" not in dumped
    assert "Grace" not in repr(policy)
