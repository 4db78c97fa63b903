"""The policy worked out once per call: what the stages after the headers read (SPEC §2-4).

A :class:`~pii_mapper.policy.PiiPolicy` says what the headers asked for. A :class:`MaskPlan`
is that policy worked out for one call's message: the action of each entity type, the score
threshold, the entity types the detector looks for, the declared spans resolved against the
message (code points, actions set), and the history mapping that seeds masking.
:class:`~pii_mapper.PiiMapper` builds one per call of ``mask`` or ``preview``, once; the
pipeline reads it and never asks the policy again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pii_mapper.detection import DEFAULT_THRESHOLD, Span
from pii_mapper.entities import active_catalogue
from pii_mapper.mapping import ConversationMapping
from pii_mapper.policy import Action, PiiPolicy
from pii_mapper.positions import declared_spans

__all__ = ["MaskPlan"]


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

    @classmethod
    def build(cls, policy: PiiPolicy, message: str) -> MaskPlan:
        """The plan of ``policy`` for ``message``.

        Raises :class:`~pii_mapper.errors.PiiHeaderError` (X-Pii-Positions) for a declared
        span that does not fit the message.
        """
        actions = {}
        for entity in active_catalogue().names:
            action = policy.action_for(entity)
            if action is not None:
                actions[entity] = action
        threshold = policy.auto.threshold
        return cls(
            actions=MappingProxyType(actions),
            detect=policy.detected_entities(),
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            declared=tuple(declared_spans(policy, message)),
            history=policy.history,
        )
