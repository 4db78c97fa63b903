"""The policy worked out once per call (MaskPlan): what the pipeline reads."""

import dataclasses

import pytest

from pii_mapper import PiiMapper, StaticDetector
from pii_mapper.detection import DEFAULT_THRESHOLD, Source
from pii_mapper.errors import PiiHeaderError
from pii_mapper.headers import parse_headers
from pii_mapper.plan import MaskPlan
from pii_mapper.policy import Action, AutoDetection, PiiPolicy


def test_plan_holds_actions_threshold_types_and_resolved_spans() -> None:
    policy = parse_headers(
        {
            "X-Pii-Mapping": "ssn=redact, person=keep",
            "X-Auto-Pii-Mapping": "entities=email; threshold=0.7; action=hash",
            "X-Pii-Positions": '{"units": "utf16", "spans": [{"start": 2, "end": 5}]}',
        }
    )
    plan = MaskPlan.build(policy, "😀 Bob")
    assert dict(plan.actions) == {
        "US_SSN": Action.REDACT,
        "PERSON": Action.KEEP,
        "EMAIL_ADDRESS": Action.HASH,
    }
    assert plan.detect == policy.detected_entities() == {"US_SSN", "PERSON", "EMAIL_ADDRESS"}
    assert plan.threshold == 0.7
    [declared] = plan.declared
    assert (declared.start, declared.end, declared.entity) == (1, 4, "PII")
    assert (declared.action, declared.source, declared.recognizer) == (
        Action.HASH,
        Source.DECLARED,
        "declared",
    )


def test_plan_defaults_and_is_immutable() -> None:
    plan = MaskPlan.build(PiiPolicy(auto=AutoDetection(enabled=False)), "text")
    assert (dict(plan.actions), plan.detect, plan.declared) == ({}, frozenset(), ())
    assert plan.threshold == DEFAULT_THRESHOLD
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.threshold = 0.1  # type: ignore[misc]
    with pytest.raises(TypeError):
        plan.actions["PERSON"] = Action.MASK  # type: ignore[index]


def test_a_declared_span_that_does_not_fit_fails_before_detection() -> None:
    detector = StaticDetector({"Bob": "PERSON"})
    policy = parse_headers({"X-Pii-Positions": "0-99"})
    with pytest.raises(PiiHeaderError) as info:
        PiiMapper(detector).mask("Bob", policy)
    assert info.value.code == "span_out_of_range"
    assert detector.calls == 0  # the plan is made, and checked, before any text is read


def test_the_plan_is_built_once_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[MaskPlan] = []
    original = MaskPlan.build.__func__  # type: ignore[attr-defined]

    def counting(cls: type[MaskPlan], policy: PiiPolicy, message: str) -> MaskPlan:
        built.append(original(cls, policy, message))
        return built[-1]

    monkeypatch.setattr(MaskPlan, "build", classmethod(counting))
    mapper = PiiMapper(StaticDetector({"Bob": "PERSON"}))
    policy = parse_headers({"X-Pii-Mapping": "person=mask", "X-Pii-Positions": "0-3"})
    mapper.mask("Bob", policy, [{"role": "user", "content": "Bob"}])
    mapper.preview("Bob", policy)
    assert len(built) == 2
