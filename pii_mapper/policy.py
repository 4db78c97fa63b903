"""What the headers asked for, as one frozen value.

``PiiPolicy`` is built by :func:`pii_mapper.parse_headers` and drives everything after it.
It is a frozen pydantic model: it can be shared between threads and requests, compared,
hashed and rendered back into headers (:func:`pii_mapper.headers.render_headers`).
"""

from __future__ import annotations

import itertools
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

from pii_mapper.entities import GENERIC_ENTITY, DetectorKind, active_catalogue
from pii_mapper.language import SUPPORTED_LANGUAGES
from pii_mapper.mapping import ConversationMapping

__all__ = [
    "Action",
    "AutoDetection",
    "DeclaredSpan",
    "PiiPolicy",
    "Rule",
    "Units",
]


class Action(StrEnum):
    """What happens to a span."""

    MASK = "mask"  # reversible placeholder <ENTITY_N>
    REDACT = "redact"  # irreversible marker <ENTITY_REDACTED>
    HASH = "hash"  # <ENTITY#hhhhhhhh>, keyed HMAC of the normalised value
    KEEP = "keep"  # the text stays

    @property
    def strictness(self) -> int:
        """redact > hash > mask > keep: the strictest action wins when spans merge."""
        return _STRICTNESS[self]

    @classmethod
    def parse(cls, text: str) -> Action | None:
        """The action a header spelling names (``allow`` and ``none`` mean keep), or None."""
        return _ACTION_SPELLINGS.get(text.strip().casefold())


_STRICTNESS = {Action.KEEP: 0, Action.MASK: 1, Action.HASH: 2, Action.REDACT: 3}
_ACTION_SPELLINGS = {a.value: a for a in Action} | {"allow": Action.KEEP, "none": Action.KEEP}


class Units(StrEnum):
    """How the offsets of X-Pii-Positions are counted."""

    CODEPOINT = "codepoint"  # Unicode code points, as Python indexes a str
    UTF16 = "utf16"  # UTF-16 code units, as JavaScript counts


EntityName = Annotated[str, Field(min_length=1)]


def _check_entity(name: str) -> str:
    # The active catalogue: the built-in one, or a mapper's own during its parse_headers.
    if name not in active_catalogue().specs:
        raise ValueError(f"unknown entity type {name!r}")
    return name


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rule(_Frozen):
    """One ``entity=action`` item of X-Pii-Mapping."""

    entity: EntityName
    action: Action

    _entity = field_validator("entity")(_check_entity)


class AutoDetection(_Frozen):
    """Automatic detection (X-Auto-Pii-Mapping, or ``*`` in X-Pii-Mapping)."""

    enabled: bool = True
    action: Action = Action.MASK
    entities: frozenset[str] | None = None  # None: every type a detector can find
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)  # None: per-type defaults
    language: str | None = None  # None: each message's language is identified

    @field_validator("language")
    @classmethod
    def _supported(cls, value: str | None) -> str | None:
        if value is not None and value not in SUPPORTED_LANGUAGES:
            raise ValueError(
                f"unsupported language {value!r}; supported: {', '.join(SUPPORTED_LANGUAGES)}"
            )
        return value

    @field_validator("entities")
    @classmethod
    def _known(cls, value: frozenset[str] | None) -> frozenset[str] | None:
        if value is not None:
            for name in value:
                _check_entity(name)
        return value


class DeclaredSpan(_Frozen):
    """One span of X-Pii-Positions, in the units the header used, not yet checked against
    a message (that happens when the policy meets one)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    entity: EntityName = GENERIC_ENTITY
    action: Action | None = None

    _entity = field_validator("entity")(_check_entity)

    @model_validator(mode="after")
    def _ordered(self) -> DeclaredSpan:
        if self.start >= self.end:
            raise ValueError(f"span {self.start}-{self.end}: start must be less than end")
        return self


class PiiPolicy(_Frozen):
    """The normalised meaning of the four PII headers.

    ``rules`` are the explicit ``entity=action`` items, sorted by entity. ``auto`` is the
    automatic detection in force (a ``*`` rule is folded into it: it turns it on and sets its
    action). ``positions`` are the declared spans, sorted, counted in ``units``. ``history``
    is the conversation mapping received in X-Chat-History-Pii-Mapping.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    rules: tuple[Rule, ...] = ()
    auto: AutoDetection = AutoDetection()
    positions: tuple[DeclaredSpan, ...] = ()
    units: Units = Units.CODEPOINT
    history: ConversationMapping = Field(default_factory=ConversationMapping)

    @field_validator("rules")
    @classmethod
    def _one_action_per_entity(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        actions: dict[str, Action] = {}
        for rule in rules:
            if actions.setdefault(rule.entity, rule.action) is not rule.action:
                raise ValueError(f"entity {rule.entity} has two different actions")
        return tuple(Rule(entity=e, action=a) for e, a in sorted(actions.items()))

    @field_validator("positions")
    @classmethod
    def _sorted_disjoint(cls, spans: tuple[DeclaredSpan, ...]) -> tuple[DeclaredSpan, ...]:
        ordered = tuple(sorted(spans, key=lambda s: (s.start, s.end)))
        for before, after in itertools.pairwise(ordered):
            if after.start < before.end:
                raise ValueError(
                    f"declared spans {before.start}-{before.end} and "
                    f"{after.start}-{after.end} overlap"
                )
        return ordered

    @field_serializer("history")
    def _history_placeholders(self, history: ConversationMapping) -> list[str]:
        # The originals are PII: a serialised policy lists the placeholders only.
        return list(history)

    def explicit_action(self, entity: str) -> Action | None:
        """The action an explicit X-Pii-Mapping rule gives ``entity``, if any."""
        for rule in self.rules:
            if rule.entity == entity:
                return rule.action
        return None

    def action_for(self, entity: str) -> Action | None:
        """The action for detected spans of ``entity``; None when the type is not processed."""
        explicit = self.explicit_action(entity)
        if explicit is not None:
            return explicit
        if self.auto.enabled and (self.auto.entities is None or entity in self.auto.entities):
            return self.auto.action
        return None

    def declared_action(self, span: DeclaredSpan) -> Action:
        """A declared span's action: its own, else its entity's rule, else the automatic
        default, else mask."""
        if span.action is not None:
            return span.action
        explicit = self.explicit_action(span.entity)
        if explicit is not None:
            return explicit
        return self.auto.action if self.auto.enabled else Action.MASK

    def detected_entities(self) -> frozenset[str]:
        """Every entity type a detector must look for under this policy."""
        return frozenset(
            spec.name
            for spec in active_catalogue().specs.values()
            if spec.detector is not DetectorKind.DECLARED and self.action_for(spec.name) is not None
        )

    def needs_ner(self) -> bool:
        """Whether any requested type needs the NLP model (compute only what is asked)."""
        specs = active_catalogue().specs
        return any(specs[e].detector is DetectorKind.NER for e in self.detected_entities())
