"""What every PII header parser shares: the size and character bound of a value, its list
items, entity and action names, digit strings, and the error raised for any of them.

The parsers themselves live with what they parse: :mod:`pii_mapper.headers` (X-Pii-Mapping,
X-Auto-Pii-Mapping, and all four together) and :mod:`pii_mapper.positions`
(X-Pii-Positions). Every error is a :class:`~pii_mapper.errors.PiiHeaderError` naming the
header.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NoReturn, TypeVar

from pydantic import BaseModel, ValidationError

from pii_mapper.entities import active_catalogue, closest_entities, lookup_entity
from pii_mapper.errors import PiiHeaderError, _echo
from pii_mapper.mapping import HISTORY_HEADER
from pii_mapper.policy import Action

__all__ = [
    "MAX_HEADER_CHARS",
    "action",
    "bounded",
    "build",
    "checked",
    "digits",
    "either",
    "entity",
    "fail",
    "items",
]

# The bound of X-Pii-Mapping, X-Auto-Pii-Mapping and X-Pii-Positions (joined, if repeated).
# Their grammar is ASCII, so characters and bytes are the same count.
MAX_HEADER_CHARS = 8 * 1024

_VALID_ACTIONS = "mask, redact, hash, keep (aliases: allow, none)"


def fail(header: str, message: str, code: str, item: str | None = None) -> NoReturn:
    raise PiiHeaderError(header, message, code=code, item=item)


def items(value: str, separators: str = ",") -> Iterator[tuple[int, str]]:
    """The non-empty, stripped items of a list value, numbered from 1."""
    if len(separators) > 1:
        value = value.translate({ord(s): separators[0] for s in separators[1:]})
    number = 0
    for raw in value.split(separators[0]):
        item = raw.strip()
        if item:
            number += 1
            yield number, item


def entity(header: str, name: str, where: str, item: str) -> str:
    """The canonical entity type of a header spelling, or an error with suggestions."""
    canonical = lookup_entity(name) if name else None
    if canonical is not None:
        return canonical
    if not name:
        fail(header, f"{where}: the entity type is missing", "unknown_entity", item)
    close = closest_entities(name)
    names = ", ".join(active_catalogue().names)
    hint = (
        f"did you mean {either(close)}?"
        if close
        else f"expected one of {names} or an alias (see docs/headers.md)"
    )
    fail(header, f"{where}: unknown entity type {_echo(name)!r}; {hint}", "unknown_entity", item)


def either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def action(header: str, text: str, where: str, item: str) -> Action:
    parsed = Action.parse(text)
    if parsed is None:
        shown = repr(_echo(text)) if text else "nothing"
        fail(
            header,
            f"{where}: unknown action {shown}; expected one of {_VALID_ACTIONS}",
            "unknown_action",
            item,
        )
    return parsed


def digits(text: str, *, allow_empty: bool) -> bool:
    return (allow_empty and not text) or (text.isascii() and text.isdigit())


def bounded(header: str, length: int) -> None:
    if length > MAX_HEADER_CHARS:
        fail(
            header,
            f"is {length} characters long; at most {MAX_HEADER_CHARS} are accepted",
            "too_long",
        )


def checked(header: str, value: str) -> str:
    """``value`` if it is within the size bound and made of printable ASCII, spaces and tabs."""
    if not isinstance(value, str):
        fail(header, f"expected a string value, got {type(value).__name__}", "bad_type")
    bounded(header, len(value))
    if value.isascii() and value.replace("\t", " ").isprintable():
        return value
    for position, char in enumerate(value):
        if not (" " <= char <= "~" or char == "\t"):
            kind = "a control character" if char < " " or char == "\x7f" else "not ASCII"
            fail(
                header,
                f"character {position + 1} is U+{ord(char):04X} ({kind}); the value may "
                "contain only printable ASCII, spaces and tabs",
                "bad_character",
            )
    return value  # pragma: no cover - the loop finds the character


_Model = TypeVar("_Model", bound=BaseModel)


def build(header: str | Mapping[str, str], model: type[_Model], **fields: Any) -> _Model:
    """``model(**fields)``, a pydantic ValidationError turned into a PiiHeaderError.

    ``header`` names the header the fields come from; for a model read from several headers,
    it maps each field to its header (a field it does not name is blamed on the first).
    """
    try:
        return model(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        if isinstance(header, str):
            named = header
        else:
            field = str(first["loc"][0]) if first["loc"] else ""
            named = header.get(field, next(iter(header.values())))
        if named == HISTORY_HEADER:  # pydantic's message could quote a mapping value
            fail(named, "the mapping was rejected", "invalid_mapping")
        fail(named, f"rejected: {first['msg']}", "invalid_header")
