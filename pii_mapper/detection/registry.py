"""Recognizers, and the registry that says which recognizers find which entity type.

A **recognizer** finds PII of one or more entity types in one text by itself: no NLP model,
no state between calls. It is anything with

* ``name`` — what the preview shows as the span's recognizer (``"EmployeeIdRecognizer"``);
* ``entity`` — the entity type it reports (a recognizer that reports several types is
  registered under each of them, see :meth:`RecognizerRegistry.with_recognizer`);
* ``find(text)`` — yields :class:`~pii_mapper.Detection` objects
  ``Detection(start, end, entity, score, name)``, offsets in code points, end-exclusive.

It must be safe to call from several threads and take time linear in the text.

A :class:`RecognizerRegistry` maps entity types to the recognizers that find them. It is
immutable: :meth:`~RecognizerRegistry.with_recognizer` returns a new registry, so a
deployment's additions never change what another detector in the same process runs.
Recognizers are registered as *factories* (called once, on the first text that asks for
their type) so that building an expensive one costs nothing until it is needed.

The default detector reads :func:`default_registry` (the library's built-in recognizers);
``PresidioDetector(registry=…)`` takes another. :class:`RecognizerDetector` runs a registry
on its own, as a :class:`~pii_mapper.Detector`: :class:`~pii_mapper.PiiMapper` uses it for
the recognizers it is given (``PiiMapper(recognizers=…)``) and those of its custom entity
types, next to whatever detector it has.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Protocol, cast, runtime_checkable

from pii_mapper.detection import Detection

__all__ = [
    "Recognizer",
    "RecognizerDetector",
    "RecognizerFactory",
    "RecognizerRegistry",
    "default_registry",
]


@runtime_checkable
class Recognizer(Protocol):
    """Finds PII of its entity type in a text; safe to call from several threads."""

    name: str
    entity: str

    def find(self, text: str) -> Iterator[Detection]:
        """Every match in ``text`` (with a score above zero)."""
        ...


RecognizerFactory = Callable[[], Recognizer]


class RecognizerRegistry:
    """Entity type -> the factories of the recognizers that find it; immutable.

    >>> from pii_mapper.detection.patterns import EmailRecognizer
    >>> registry = RecognizerRegistry().with_recognizer(EmailRecognizer)
    >>> sorted(registry.entities)
    ['EMAIL_ADDRESS']
    """

    __slots__ = ("_factories",)

    def __init__(
        self, factories: Mapping[str, Iterable[RecognizerFactory | Recognizer]] | None = None
    ) -> None:
        table: dict[str, tuple[RecognizerFactory, ...]] = {}
        for entity, items in (factories or {}).items():
            table[entity] = tuple(_factory(item) for item in items)
        self._factories: Mapping[str, tuple[RecognizerFactory, ...]] = MappingProxyType(table)

    def __repr__(self) -> str:
        count = sum(len(f) for f in self._factories.values())
        return f"RecognizerRegistry({len(self._factories)} entity types, {count} recognizers)"

    @property
    def entities(self) -> frozenset[str]:
        """The entity types some registered recognizer finds."""
        return frozenset(entity for entity, found in self._factories.items() if found)

    def factories(self, entity: str) -> tuple[RecognizerFactory, ...]:
        """The factories of the recognizers registered for ``entity`` (none: ``()``)."""
        return self._factories.get(entity, ())

    def with_recognizer(
        self,
        recognizer: Recognizer | RecognizerFactory,
        *,
        entities: Iterable[str] | None = None,
    ) -> RecognizerRegistry:
        """A registry with ``recognizer`` added for ``entities`` (by default its ``entity``).

        ``recognizer`` is a recognizer, or a factory (a class, a function) that makes one;
        a factory is called once, when a text first asks for one of its types. A factory
        whose type is not known without building it needs ``entities``.
        """
        if entities is None:
            entity = getattr(recognizer, "entity", None)
            if not isinstance(entity, str) or not entity:
                raise TypeError(
                    "with_recognizer: pass entities=… for a recognizer factory whose entity "
                    "type is not known until it is built"
                )
            names: tuple[str, ...] = (entity,)
        else:
            names = tuple(entities)
            if not names or not all(isinstance(n, str) and n for n in names):
                raise TypeError("with_recognizer: entities must be non-empty entity names")
        factory = _factory(recognizer)
        table = dict(self._factories)
        for name in names:
            table[name] = (*table.get(name, ()), factory)
        return RecognizerRegistry(table)

    def merged(self, other: RecognizerRegistry) -> RecognizerRegistry:
        """A registry with ``other``'s recognizers added after this one's."""
        table = dict(self._factories)
        for entity, factories in other._factories.items():
            table[entity] = (*table.get(entity, ()), *factories)
        return RecognizerRegistry(table)


def _factory(item: RecognizerFactory | Recognizer) -> RecognizerFactory:
    """A recognizer instance becomes a factory that returns it; a class or function stays."""
    if isinstance(item, type) or not hasattr(item, "find"):
        return cast(RecognizerFactory, item)
    instance = cast(Recognizer, item)
    return lambda: instance


# How many sets of entity types a RecognizerDetector remembers its recognizers for.
_CHOSEN_SETS = 64


class RecognizerDetector:
    """A :class:`~pii_mapper.Detector` that runs the recognizers of a registry.

    Recognizers are built on first need (per entity type), once, under a lock, and reused.
    Only detections of the requested types are returned, so a recognizer registered for
    several types reports only those asked for.
    """

    def __init__(self, registry: RecognizerRegistry) -> None:
        self.registry = registry
        self._built: dict[str, tuple[Recognizer, ...]] = {}
        # One factory registered for several types is built once (by the factory's id: the
        # registry holds the factory, so the id stays its own).
        self._instances: dict[int, Recognizer] = {}
        # entity types asked for -> their recognizers: the same few sets are asked for on
        # every text (a policy's types), so the choice is made once per set.
        self._chosen: dict[frozenset[str], tuple[Recognizer, ...]] = {}
        self._lock = threading.Lock()

    def _instance(self, factory: RecognizerFactory) -> Recognizer:
        instance = self._instances.get(id(factory))
        if instance is None:
            instance = self._instances[id(factory)] = factory()
        return instance

    def __repr__(self) -> str:
        return f"RecognizerDetector({self.registry!r})"

    def recognizers(self, entities: frozenset[str]) -> tuple[Recognizer, ...]:
        """The built recognizers of ``entities`` (each once), in a stable order."""
        key = entities if isinstance(entities, frozenset) else frozenset(entities)
        chosen = self._chosen.get(key)
        if chosen is not None:
            return chosen
        missing = [e for e in entities if e not in self._built and self.registry.factories(e)]
        if missing:
            with self._lock:
                for entity in sorted(missing):
                    if entity not in self._built:
                        self._built[entity] = tuple(
                            self._instance(f) for f in self.registry.factories(entity)
                        )
        unique: dict[int, Recognizer] = {}
        for entity in sorted(entities):
            for recognizer in self._built.get(entity, ()):
                unique.setdefault(id(recognizer), recognizer)
        chosen = tuple(unique.values())
        if len(self._chosen) >= _CHOSEN_SETS:
            self._chosen.clear()  # bounded: a caller may ask for ever new sets
        self._chosen[key] = chosen
        return chosen

    def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        recognizers = self.recognizers(entities)
        return [
            [d for r in recognizers for d in r.find(text) if d.entity in entities] for text in texts
        ]


def default_registry() -> RecognizerRegistry:
    """The library's built-in recognizers: what the default detector runs for pattern types.

    Building it imports no model; each recognizer is built when a text first asks for it.
    """
    from pii_mapper.detection.engine import DEFAULT_REGISTRY

    return DEFAULT_REGISTRY
