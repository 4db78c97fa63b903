"""The policy worked out once per call: what the stages after the headers read.

A :class:`~pii_mapper.policy.PiiPolicy` says what the headers asked for. A :class:`MaskPlan`
is that policy worked out for one call's message: the action of each entity type, the score
threshold, the entity types the detector looks for, the declared spans resolved against the
message (code points, actions set), the history mapping that seeds masking, and which of
its entries are withheld (their type is now redacted or hashed).
:class:`~pii_mapper.PiiMapper` builds one per call of ``mask`` or ``preview``, once; the
pipeline reads it and never asks the policy again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from pii_mapper.detection import DEFAULT_THRESHOLD, Span
from pii_mapper.entities import Catalogue, active_catalogue
from pii_mapper.mapping import ConversationMapping
from pii_mapper.placeholders import placeholder_entity
from pii_mapper.policy import Action, AutoDetection, PiiPolicy, Rule
from pii_mapper.positions import declared_spans

__all__ = ["MaskPlan", "withheld_entries"]


@dataclass(frozen=True, slots=True)
class MaskPlan:
    """What one call does, decided before any text is looked at.

    ``actions``: entity type -> the action of its detected spans (and of its known values
    found again); a type it does not hold is not processed. ``detect``: the types the
    detector is asked for (no declared-only type). ``threshold``: detections scoring below it
    are dropped. ``declared``: the message's declared spans, in code points, each with its
    action. ``history``: the conversation's mapping so far.
    """

    actions: Mapping[str, Action]
    detect: frozenset[str]
    threshold: float
    declared: tuple[Span, ...]
    history: ConversationMapping
    withheld: Mapping[str, tuple[str, Action]]
    language: str | None

    @classmethod
    def build(cls, policy: PiiPolicy, message: str) -> MaskPlan:
        """The plan of ``policy`` for ``message``.

        Raises :class:`~pii_mapper.errors.PiiHeaderError` (X-Pii-Positions) for a declared
        span that does not fit the message.
        """
        actions, detect = _actions(policy.rules, policy.auto, active_catalogue())
        threshold = policy.auto.threshold
        return cls(
            actions=actions,
            detect=detect,
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            declared=tuple(declared_spans(policy, message)),
            history=policy.history,
            withheld=MappingProxyType(withheld_entries(policy.history, actions.get)),
            language=policy.auto.language,
        )


@lru_cache(maxsize=64)
def _actions(
    rules: tuple[Rule, ...], auto: AutoDetection, catalogue: Catalogue
) -> tuple[Mapping[str, Action], frozenset[str]]:
    """Entity type -> action, and the types to detect, of a policy with these rules and this
    automatic detection, under ``catalogue``: the same for every call of a server that
    receives the same headers, so worked out once (the catalogue has some sixty types)."""
    policy = PiiPolicy(rules=rules, auto=auto)
    actions = {}
    for entity in catalogue.names:
        action = policy.action_for(entity)
        if action is not None:
            actions[entity] = action
    return MappingProxyType(actions), policy.detected_entities()


def withheld_entries(
    seed: ConversationMapping, action_for: Callable[[str], Action | None]
) -> dict[str, tuple[str, Action]]:
    """Placeholder -> (original, action) of the seed entries whose type ``action_for`` redacts
    or hashes: their originals must not leave again, not even in the returned mapping."""
    withheld: dict[str, tuple[str, Action]] = {}
    for placeholder, original in seed.items():
        entity = placeholder_entity(placeholder)
        action = action_for(entity)
        if action is not None and action.strictness >= Action.HASH.strictness:
            withheld[placeholder] = (original, action)
    return withheld
