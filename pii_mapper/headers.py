"""The four PII request headers -> one :class:`~pii_mapper.policy.PiiPolicy`, and back (SPEC §3).

One parse function per header, :func:`parse_headers` to read them all and merge them, and the
inverse renderers (``parse_headers(render_headers(p)) == p``).

Every parser is a single left-to-right pass over a value of bounded size: no backtracking
regular expression, no recursion on the input, no ``int()`` of an unbounded digit string.
Whatever the input, the result is a policy or a :class:`~pii_mapper.errors.PiiHeaderError`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NoReturn, TypeVar

from pydantic import ValidationError

from pii_mapper.detection import POSITIONS_HEADER
from pii_mapper.entities import (
    CATALOGUE,
    ENTITY_NAMES,
    GENERIC_ENTITY,
    DetectorKind,
    closest_entities,
    lookup_entity,
)
from pii_mapper.errors import PiiHeaderError, _echo
from pii_mapper.language import SUPPORTED_LANGUAGES as _LANGUAGES
from pii_mapper.mapping import HISTORY_HEADER, SealKey, decode_history_header
from pii_mapper.policy import Action, AutoDetection, DeclaredSpan, PiiPolicy, Rule, Units

__all__ = [
    "AUTO_HEADER",
    "HISTORY_HEADER",
    "MAPPING_HEADER",
    "MAX_HEADER_CHARS",
    "MAX_OFFSET_DIGITS",
    "PII_HEADERS",
    "POSITIONS_HEADER",
    "SUPPORTED_LANGUAGES",
    "parse_auto_mapping",
    "parse_headers",
    "parse_pii_mapping",
    "parse_positions",
    "render_auto_mapping",
    "render_headers",
    "render_pii_mapping",
    "render_positions",
]

MAPPING_HEADER = "X-Pii-Mapping"
AUTO_HEADER = "X-Auto-Pii-Mapping"
PII_HEADERS = (MAPPING_HEADER, AUTO_HEADER, POSITIONS_HEADER, HISTORY_HEADER)

# The bound of X-Pii-Mapping, X-Auto-Pii-Mapping and X-Pii-Positions (joined, if repeated).
# Their grammar is ASCII, so characters and bytes are the same count.
MAX_HEADER_CHARS = 8 * 1024
# Offsets of X-Pii-Positions: plain decimal integers of at most this many digits.
MAX_OFFSET_DIGITS = 12
# Languages detection reads (X-Auto-Pii-Mapping ``language=``); without the parameter, each
# message's own language is identified (pii_mapper.language).
SUPPORTED_LANGUAGES = frozenset(_LANGUAGES)

_MAX_THRESHOLD_CHARS = 32
_WILDCARD = "*"
_BOOLEANS = {"true": True, "on": True, "yes": True, "1": True}
_BOOLEANS.update({"false": False, "off": False, "no": False, "0": False})
_AUTO_PARAMETERS = ("action", "entities", "threshold", "language")
_VALID_ACTIONS = "mask, redact, hash, keep (aliases: allow, none)"
_CANONICAL_HEADERS = {name.casefold(): name for name in PII_HEADERS}
_SPAN_KEYS = ("start", "end", "entity", "action")
_POSITIONS_KEYS = ("units", "spans")
_UNIT_SPELLINGS = {
    "codepoint": Units.CODEPOINT,
    "codepoints": Units.CODEPOINT,
    "utf16": Units.UTF16,
}


def _fail(header: str, message: str, code: str, item: str | None = None) -> NoReturn:
    raise PiiHeaderError(header, message, code=code, item=item)


def _items(value: str, separators: str = ",") -> Iterator[tuple[int, str]]:
    """The non-empty, stripped items of a list value, numbered from 1."""
    if len(separators) > 1:
        value = value.translate({ord(s): separators[0] for s in separators[1:]})
    number = 0
    for raw in value.split(separators[0]):
        item = raw.strip()
        if item:
            number += 1
            yield number, item


def _entity(header: str, name: str, where: str, item: str) -> str:
    """The canonical entity type of a header spelling, or an error with suggestions."""
    canonical = lookup_entity(name) if name else None
    if canonical is not None:
        return canonical
    if not name:
        _fail(header, f"{where}: the entity type is missing", "unknown_entity", item)
    close = closest_entities(name)
    hint = (
        f"did you mean {_either(close)}?"
        if close
        else f"expected one of {', '.join(ENTITY_NAMES)} or an alias (see docs/headers.md)"
    )
    _fail(header, f"{where}: unknown entity type {_echo(name)!r}; {hint}", "unknown_entity", item)


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _action(header: str, text: str, where: str, item: str) -> Action:
    action = Action.parse(text)
    if action is None:
        shown = repr(_echo(text)) if text else "nothing"
        _fail(
            header,
            f"{where}: unknown action {shown}; expected one of {_VALID_ACTIONS}",
            "unknown_action",
            item,
        )
    return action


# --- X-Pii-Mapping -------------------------------------------------------------------------


def parse_pii_mapping(value: str) -> tuple[tuple[Rule, ...], Action | None]:
    """Parse X-Pii-Mapping: ``rule *("," rule)``, ``rule = entity "=" action``.

    Returns the explicit rules (one per entity, in order of first appearance) and the action
    of ``*``, if given.

    >>> parse_pii_mapping("email=mask, SSN = redact, *=hash")[1]
    <Action.HASH: 'hash'>
    """
    value = _checked(MAPPING_HEADER, value)
    actions: dict[str, tuple[Action, int]] = {}
    for number, item in _items(value):
        where = f"item {number}"
        name, equals, action_text = item.partition("=")
        name, action_text = name.strip(), action_text.strip()
        if not equals:
            _fail(
                MAPPING_HEADER,
                f"{where}: expected entity=action (e.g. email=mask), found no '='",
                "bad_rule",
                item,
            )
        entity = _WILDCARD if name == _WILDCARD else _entity(MAPPING_HEADER, name, where, item)
        action = _action(MAPPING_HEADER, action_text, where, item)
        earlier = actions.setdefault(entity, (action, number))
        if earlier[0] is not action:
            _fail(
                MAPPING_HEADER,
                f"{where} gives {entity} the action {action.value}, but item {earlier[1]} "
                f"gave it {earlier[0].value}; name each entity type with one action",
                "conflicting_rules",
                item,
            )
    wildcard = actions.pop(_WILDCARD, (None, 0))[0]
    rules = tuple(Rule(entity=entity, action=action) for entity, (action, _) in actions.items())
    return rules, wildcard


def render_pii_mapping(rules: Iterable[Rule], wildcard: Action | None = None) -> str:
    """X-Pii-Mapping for ``rules`` (and a ``*`` rule): ``EMAIL_ADDRESS=mask, US_SSN=redact``."""
    items = [f"{rule.entity}={rule.action.value}" for rule in rules]
    if wildcard is not None:
        items.append(f"{_WILDCARD}={wildcard.value}")
    return ", ".join(items)


# --- X-Auto-Pii-Mapping --------------------------------------------------------------------


def parse_auto_mapping(value: str) -> AutoDetection:
    """Parse X-Auto-Pii-Mapping: a boolean, or parameters ``name=value`` separated by ``;``.

    ``true`` (or ``on``, ``yes``, ``1``) is the built-in default: every detectable type,
    action mask, default threshold; ``false`` (``off``, ``no``, ``0``) turns automatic
    detection off. Parameters imply ``true``.

    >>> parse_auto_mapping("action=redact; entities=email|phone; threshold=0.6").threshold
    0.6
    """
    value = _checked(AUTO_HEADER, value)
    switch: tuple[bool, str] | None = None
    parameters: dict[str, tuple[Any, str]] = {}
    # ',' separates items as ';' does: a repeated header arrives comma-joined.
    for number, item in _items(value, ";,"):
        where = f"item {number}"
        name, equals, text = item.partition("=")
        name, text = name.strip().casefold(), text.strip()
        if not equals:
            flag = _BOOLEANS.get(name)
            if flag is None:
                _fail(
                    AUTO_HEADER,
                    f"{where}: expected a boolean (true, false, on, off, yes, no, 1, 0) or a "
                    f"parameter name=value ({', '.join(_AUTO_PARAMETERS)}); to list several "
                    "entity types, separate them with '|' or spaces: entities=email|phone",
                    "bad_value",
                    item,
                )
            if switch is not None and switch[0] is not flag:
                _fail(
                    AUTO_HEADER,
                    f"{where}: {name} contradicts the {switch[1]} of an earlier item",
                    "conflicting_parameters",
                    item,
                )
            switch = (flag, name)
            continue
        if name not in _AUTO_PARAMETERS:
            close = difflib.get_close_matches(name[:64], _AUTO_PARAMETERS, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            _fail(
                AUTO_HEADER,
                f"{where}: unknown parameter {_echo(name)!r}; {hint}"
                f"expected {', '.join(_AUTO_PARAMETERS)}",
                "unknown_parameter",
                item,
            )
        parsed = _AUTO_PARSERS[name](text, where, item)
        earlier = parameters.setdefault(name, (parsed, item))
        if earlier[0] != parsed:
            _fail(
                AUTO_HEADER,
                f"{where}: {name} is given twice with different values "
                f"({_echo(earlier[1])!r} before)",
                "conflicting_parameters",
                item,
            )
    if switch is not None and not switch[0]:
        if parameters:
            _fail(
                AUTO_HEADER,
                f"{switch[1]} turns automatic detection off, but parameters "
                f"({', '.join(parameters)}) are given too",
                "conflicting_parameters",
            )
        return AutoDetection(enabled=False)
    return _build(AUTO_HEADER, AutoDetection, **{k: v for k, (v, _) in parameters.items()})


def _auto_action(text: str, where: str, item: str) -> Action:
    return _action(AUTO_HEADER, text, f"{where}: action", item)


def _auto_entities(text: str, where: str, item: str) -> frozenset[str]:
    names = text.replace("|", " ").split()
    if not names:
        _fail(
            AUTO_HEADER,
            f"{where}: entities needs at least one entity type, e.g. entities=email|phone",
            "bad_value",
            item,
        )
    entities = set()
    for name in names:
        entity = _entity(AUTO_HEADER, name, f"{where}: entities", item)
        if CATALOGUE[entity].detector is DetectorKind.DECLARED:
            _fail(
                AUTO_HEADER,
                f"{where}: {entity} is the type of declared spans (X-Pii-Positions); "
                "automatic detection cannot find it",
                "not_detectable",
                item,
            )
        entities.add(entity)
    return frozenset(entities)


def _auto_threshold(text: str, where: str, item: str) -> float:
    expected = "expected a number from 0 to 1, e.g. threshold=0.5"
    if len(text) > _MAX_THRESHOLD_CHARS or not _is_decimal(text):
        _fail(AUTO_HEADER, f"{where}: threshold: {expected}", "bad_threshold", item)
    threshold = float(text)
    if not 0.0 <= threshold <= 1.0:
        _fail(AUTO_HEADER, f"{where}: threshold is out of range; {expected}", "bad_threshold", item)
    return threshold


def _is_decimal(text: str) -> bool:
    """``digits ["." digits] [("e"|"E") ["+"|"-"] digits]``, at least one mantissa digit."""
    mantissa, _, exponent = text.casefold().partition("e")
    whole, _, fraction = mantissa.partition(".")
    if not (whole + fraction) or not _digits(whole, allow_empty=True):
        return False
    if not _digits(fraction, allow_empty=True):
        return False
    if "e" in text.casefold():
        return _digits(exponent.removeprefix("+").removeprefix("-"), allow_empty=False)
    return True


def _digits(text: str, *, allow_empty: bool) -> bool:
    return (allow_empty and not text) or (text.isascii() and text.isdigit())


def _auto_language(text: str, where: str, item: str) -> str:
    primary, dash, rest = text.replace("_", "-").partition("-")
    tag_like = primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3
    subtags_ok = all(part.isascii() and part.isalnum() for part in rest.split("-"))
    if not tag_like or (dash and not subtags_ok):
        _fail(
            AUTO_HEADER,
            f"{where}: language: expected a language code such as en",
            "unsupported_language",
            item,
        )
    language = primary.casefold()
    if language not in SUPPORTED_LANGUAGES:
        _fail(
            AUTO_HEADER,
            f"{where}: language {language!r} is not supported; supported languages: "
            f"{', '.join(sorted(SUPPORTED_LANGUAGES))} (or leave language out to identify "
            "each message's language)",
            "unsupported_language",
            item,
        )
    return language


_AUTO_PARSERS: dict[str, Callable[[str, str, str], object]] = {
    "action": _auto_action,
    "entities": _auto_entities,
    "threshold": _auto_threshold,
    "language": _auto_language,
}


def render_auto_mapping(auto: AutoDetection) -> str:
    """X-Auto-Pii-Mapping for ``auto``: ``true``, ``false`` or the parameters that differ from
    the default (``action=hash; entities=EMAIL_ADDRESS|PERSON; threshold=0.5``).

    A disabled ``auto`` renders as ``false``: its other fields have no effect.
    """
    if not auto.enabled:
        return "false"
    default = AutoDetection()
    items = []
    if auto.action is not default.action:
        items.append(f"action={auto.action.value}")
    if auto.entities is not None:
        if not auto.entities or GENERIC_ENTITY in auto.entities:
            _fail(
                AUTO_HEADER,
                "cannot render automatic detection of no entity type, or of PII",
                "not_renderable",
            )
        items.append(f"entities={'|'.join(sorted(auto.entities))}")
    if auto.threshold is not None:
        items.append(f"threshold={abs(auto.threshold)!r}")  # abs: no '-0.0'
    if auto.language is not None:
        items.append(f"language={auto.language}")
    return "; ".join(items) or "true"


# --- X-Pii-Positions -----------------------------------------------------------------------


def parse_positions(value: str) -> tuple[tuple[DeclaredSpan, ...], Units]:
    """Parse X-Pii-Positions: ``start-end[:entity][=action]`` items, or the JSON form.

    Offsets are checked here for form, order and overlap; against a message (past its end,
    inside a surrogate pair) by :func:`pii_mapper.detection.declared_spans`.

    >>> spans, units = parse_positions("11-21:person, 36-58:email=redact")
    >>> [(s.start, s.end, s.entity, s.action) for s in spans]
    [(11, 21, 'PERSON', None), (36, 58, 'EMAIL_ADDRESS', <Action.REDACT: 'redact'>)]
    """
    value = _checked(POSITIONS_HEADER, value).strip()
    if value[:1] in ("{", "["):
        spans, units = _positions_json(value)
    else:
        spans, units = [_text_span(number, item) for number, item in _items(value)], None
    return _disjoint(spans), units or Units.CODEPOINT


def _text_span(number: int, item: str) -> tuple[DeclaredSpan, str, int]:
    where = f"item {number}"
    span_text, equals, action_text = item.partition("=")
    range_text, colon, entity_text = span_text.partition(":")
    start_text, dash, end_text = range_text.strip().partition("-")
    if not dash:
        _fail(
            POSITIONS_HEADER,
            f"{where}: expected start-end[:entity][=action], e.g. 11-21:person",
            "bad_span",
            item,
        )
    if not start_text.strip() and end_text[:1].isdigit():  # "-5-10"
        _fail(
            POSITIONS_HEADER, f"{where}: start is negative; offsets start at 0", "bad_offset", item
        )
    start = _offset(start_text.strip(), f"{where}: start", item)
    end = _offset(end_text.strip(), f"{where}: end", item)
    entity = (
        _entity(POSITIONS_HEADER, entity_text.strip(), f"{where}: entity", item)
        if colon
        else GENERIC_ENTITY
    )
    action = _action(POSITIONS_HEADER, action_text.strip(), f"{where}:", item) if equals else None
    return _span(start, end, entity, action, where, item), item, number


def _offset(text: str, where: str, item: str) -> int:
    if text[:1] == "-":
        _fail(POSITIONS_HEADER, f"{where} is negative; offsets start at 0", "bad_offset", item)
    if not _digits(text, allow_empty=False):
        _fail(
            POSITIONS_HEADER,
            f"{where}: expected a non-negative integer, found {_echo(text)!r}"
            if text
            else f"{where} is missing; expected start-end[:entity][=action], e.g. 11-21:person",
            "bad_offset",
            item,
        )
    if len(text) > MAX_OFFSET_DIGITS:
        _fail(
            POSITIONS_HEADER,
            f"{where} has more than {MAX_OFFSET_DIGITS} digits",
            "bad_offset",
            item,
        )
    return int(text)


def _span(
    start: int, end: int, entity: str, action: Action | None, where: str, item: str
) -> DeclaredSpan:
    if start >= end:
        _fail(
            POSITIONS_HEADER,
            f"{where}: span {start}-{end} is empty; start must be less than end (end-exclusive)",
            "empty_span",
            item,
        )
    return _build(
        POSITIONS_HEADER, DeclaredSpan, start=start, end=end, entity=entity, action=action
    )


def _disjoint(spans: list[tuple[DeclaredSpan, str, int]]) -> tuple[DeclaredSpan, ...]:
    """Sorted spans; exact repeats dropped (a repeated header), any other overlap an error."""
    ordered = sorted(spans, key=lambda s: (s[0].start, s[0].end, s[2]))
    kept: list[tuple[DeclaredSpan, str, int]] = []
    for current in ordered:
        if kept and current[0].start < kept[-1][0].end:
            before = kept[-1]
            if current[0] == before[0]:
                continue
            first, second = sorted((before, current), key=lambda s: s[2])
            _fail(
                POSITIONS_HEADER,
                f"item {second[2]}, span {second[0].start}-{second[0].end}, overlaps item "
                f"{first[2]}, span {first[0].start}-{first[0].end}; declared spans must not "
                "overlap",
                "overlapping_spans",
                second[1],
            )
        kept.append(current)
    return tuple(span for span, _, _ in kept)


class _BadJson(Exception):
    """An error found while json.loads runs a hook; turned into a PiiHeaderError after."""

    def __init__(self, message: str, code: str = "bad_json") -> None:
        super().__init__(message)
        self.code = code


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_OFFSET_DIGITS:
        raise _BadJson(f"a number has more than {MAX_OFFSET_DIGITS} digits", "bad_offset")
    return int(text)


def _json_constant(text: str) -> NoReturn:
    raise _BadJson(f"{text} is not a number JSON allows", "bad_offset")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, item in pairs:
        if key in result:
            raise _BadJson(f"key {_echo(key)!r} appears twice in one object")
        result[key] = item
    return result


def _positions_json(value: str) -> tuple[list[tuple[DeclaredSpan, str, int]], Units | None]:
    try:
        document = json.loads(
            value,
            object_pairs_hook=_json_object,
            parse_int=_json_int,
            parse_constant=_json_constant,
        )
    except _BadJson as exc:
        _fail(POSITIONS_HEADER, f"JSON form: {exc}", exc.code)
    except RecursionError:
        _fail(POSITIONS_HEADER, "JSON form: nested too deeply", "bad_json")
    except ValueError as exc:
        _fail(POSITIONS_HEADER, f"JSON form: not valid JSON ({_echo(str(exc))})", "bad_json")
    units: Units | None = None
    if isinstance(document, dict):
        _known_keys(document, _POSITIONS_KEYS, "the top-level object")
        if "spans" not in document:
            _fail(
                POSITIONS_HEADER,
                'JSON form: the top-level object needs "spans": [{"start": …, "end": …}, …]',
                "bad_json",
            )
        units = _units(document.get("units", Units.CODEPOINT.value))
        document = document["spans"]
    if not isinstance(document, list):
        _fail(
            POSITIONS_HEADER,
            f"JSON form: expected a list of span objects, found {_json_type(document)}",
            "bad_json",
        )
    return [_json_span(number, span) for number, span in enumerate(document, 1)], units


def _known_keys(document: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    for key in document:
        if key not in keys:
            _fail(
                POSITIONS_HEADER,
                f"JSON form: {where} has an unknown key {_echo(key)!r}; expected {', '.join(keys)}",
                "bad_json",
            )


def _units(units: object) -> Units:
    spelling = units.casefold().replace("-", "").replace("_", "") if isinstance(units, str) else ""
    if spelling not in _UNIT_SPELLINGS:
        shown = repr(_echo(units)) if isinstance(units, str) else _json_type(units)
        _fail(
            POSITIONS_HEADER,
            f'JSON form: "units" must be "codepoint" or "utf16", found {shown}',
            "bad_units",
        )
    return _UNIT_SPELLINGS[spelling]


def _json_span(number: int, span: object) -> tuple[DeclaredSpan, str, int]:
    where = f"item {number}"
    if not isinstance(span, dict):
        _fail(
            POSITIONS_HEADER,
            f'JSON form: {where}: expected an object {{"start": …, "end": …}}, '
            f"found {_json_type(span)}",
            "bad_json",
        )
    _known_keys(span, _SPAN_KEYS, where)
    offsets = []
    for key in ("start", "end"):
        offset = span.get(key)
        if type(offset) is not int:  # bool is an int subclass; not an offset
            _fail(
                POSITIONS_HEADER,
                f'JSON form: {where}: "{key}" must be a non-negative integer, '
                f"found {_json_type(offset)}",
                "bad_offset",
            )
        if offset < 0:
            _fail(
                POSITIONS_HEADER,
                f'JSON form: {where}: "{key}" is negative; offsets start at 0',
                "bad_offset",
            )
        offsets.append(offset)
    start, end = offsets
    described = f"{start}-{end}"
    entity, action = GENERIC_ENTITY, None
    for key in ("entity", "action"):
        text = span.get(key)
        if text is not None and not isinstance(text, str):
            _fail(
                POSITIONS_HEADER,
                f'JSON form: {where}: "{key}" must be a string, found {_json_type(text)}',
                "bad_json",
                described,
            )
    if span.get("entity") is not None:
        entity = _entity(POSITIONS_HEADER, span["entity"].strip(), f"{where}: entity", described)
    if span.get("action") is not None:
        action = _action(POSITIONS_HEADER, span["action"], f"{where}:", described)
    return _span(start, end, entity, action, where, described), described, number


_JSON_TYPES: dict[type, str] = {
    type(None): "null",
    bool: "a boolean",
    int: "an integer",
    float: "a number with a fraction",
    str: "a string",
    list: "a list",
    dict: "an object",
}


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), "a value of another type")


def render_positions(spans: Iterable[DeclaredSpan], units: Units = Units.CODEPOINT) -> str:
    """X-Pii-Positions for ``spans``: the text form for code points (``11-21:PERSON=redact``),
    the JSON form for UTF-16 units (the text form cannot say which units it counts)."""
    spans = tuple(spans)
    if units is Units.UTF16:
        objects = [
            {"start": s.start, "end": s.end}
            | ({"entity": s.entity} if s.entity != GENERIC_ENTITY else {})
            | ({"action": s.action.value} if s.action is not None else {})
            for s in spans
        ]
        return json.dumps({"units": units.value, "spans": objects}, separators=(",", ":"))
    return ", ".join(
        f"{s.start}-{s.end}"
        + (f":{s.entity}" if s.entity != GENERIC_ENTITY else "")
        + (f"={s.action.value}" if s.action is not None else "")
        for s in spans
    )


# --- all four headers ----------------------------------------------------------------------


def parse_headers(
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    seal_key: SealKey | None = None,
    *,
    conversation_id: str | None = None,
    default: PiiPolicy | None = None,
) -> PiiPolicy:
    """Read the four PII headers of a request into one policy (SPEC §3).

    ``headers`` is a mapping (a dict, Starlette's or httpx's ``Headers``, whose repeated
    headers are read through ``multi_items()``) or an iterable of ``(name, value)`` pairs.
    Names are case-insensitive; other headers are ignored. A repeated header is one
    comma-joined list, except X-Chat-History-Pii-Mapping, which must come once.

    ``seal_key`` and ``conversation_id`` open a sealed history mapping. ``default`` is the
    deployment's policy when the request names no type at all (neither X-Pii-Mapping nor
    X-Auto-Pii-Mapping); without one, every detectable type is masked.

    Raises :class:`PiiHeaderError` for any rejected value, and nothing else for any value.

    >>> parse_headers({"x-pii-mapping": "ssn=redact"}).detected_entities()
    frozenset({'US_SSN'})
    """
    values = _collect(headers)
    history_values = values.pop(HISTORY_HEADER, [])
    joined = {name: ",".join(parts) for name, parts in values.items()}
    for name, value in joined.items():
        _checked(name, value)

    rules, wildcard = parse_pii_mapping(joined.get(MAPPING_HEADER, ""))
    auto_value = joined.get(AUTO_HEADER, "")
    auto = parse_auto_mapping(auto_value) if auto_value.strip(" \t,;") else None
    if auto is None and not rules and wildcard is None:
        base = default if default is not None else PiiPolicy()
        rules, auto = base.rules, base.auto
    elif wildcard is not None:
        if auto is not None and not auto.enabled:
            _fail(
                AUTO_HEADER,
                "turns automatic detection off, but X-Pii-Mapping has a '*' rule, which turns "
                "it on; send one of the two",
                "conflicting_headers",
            )
        base_auto = auto if auto is not None else AutoDetection()
        auto = base_auto.model_copy(update={"action": wildcard})
    elif auto is None:
        auto = AutoDetection(enabled=False)

    spans, units = parse_positions(joined.get(POSITIONS_HEADER, ""))
    fields: dict[str, Any] = {"rules": rules, "auto": auto, "positions": spans, "units": units}
    if len(history_values) > 1:
        _fail(
            HISTORY_HEADER,
            f"was sent {len(history_values)} times; send the conversation's mapping once",
            "repeated",
        )
    if history_values and history_values[0].strip():
        fields["history"] = decode_history_header(
            history_values[0], seal_key=seal_key, conversation_id=conversation_id
        )
    return _build(None, PiiPolicy, **fields)


def _collect(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The values of the four PII headers, by canonical name, in order of arrival."""
    if isinstance(headers, str | bytes):
        raise TypeError("headers must be a mapping or (name, value) pairs, not a string")
    multi_items = getattr(headers, "multi_items", None)
    if callable(multi_items):
        pairs: Iterable[Any] = multi_items()
    elif isinstance(headers, Mapping):
        pairs = headers.items()
    else:
        pairs = headers
    values: dict[str, list[str]] = {}
    total: dict[str, int] = {}
    for pair in pairs:
        name, value = pair
        if not isinstance(name, str | bytes):
            raise TypeError(f"header names must be str or bytes, not {type(name).__name__}")
        canonical = _CANONICAL_HEADERS.get(_text(name).casefold())
        if canonical is None:
            continue
        if not isinstance(value, str | bytes):
            _fail(canonical, f"expected a string value, got {type(value).__name__}", "bad_type")
        text = _text(value)
        if canonical != HISTORY_HEADER:  # bound the join before building it
            total[canonical] = total.get(canonical, -1) + 1 + len(text)
            if len(values.get(canonical, ())) and total[canonical] > MAX_HEADER_CHARS:
                _fail(
                    canonical,
                    f"is sent {len(values[canonical]) + 1} or more times, together longer than "
                    f"{MAX_HEADER_CHARS} characters (the bound of the comma-joined value)",
                    "too_long",
                )
            _bounded(canonical, total[canonical])
        values.setdefault(canonical, []).append(text)
    return values


def _text(value: str | bytes) -> str:
    # Raw ASGI headers are bytes; HTTP header bytes are latin-1 (RFC 9110 §5.5).
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _bounded(header: str, length: int) -> None:
    if length > MAX_HEADER_CHARS:
        _fail(
            header,
            f"is {length} characters long; at most {MAX_HEADER_CHARS} are accepted",
            "too_long",
        )


def _checked(header: str, value: str) -> str:
    """``value`` if it is within the size bound and made of printable ASCII, spaces and tabs."""
    if not isinstance(value, str):
        _fail(header, f"expected a string value, got {type(value).__name__}", "bad_type")
    _bounded(header, len(value))
    if value.isascii() and value.replace("\t", " ").isprintable():
        return value
    for position, char in enumerate(value):
        if not (" " <= char <= "~" or char == "\t"):
            kind = "a control character" if char < " " or char == "\x7f" else "not ASCII"
            _fail(
                header,
                f"character {position + 1} is U+{ord(char):04X} ({kind}); the value may "
                "contain only printable ASCII, spaces and tabs",
                "bad_character",
            )
    return value  # pragma: no cover - the loop finds the character


_Model = TypeVar("_Model", AutoDetection, DeclaredSpan, PiiPolicy)


def _build(header: str | None, model: type[_Model], **fields: Any) -> _Model:
    """``model(**fields)``, a pydantic ValidationError turned into a PiiHeaderError."""
    try:
        return model(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        named = header or _FIELD_HEADERS.get(field, MAPPING_HEADER)
        if named == HISTORY_HEADER:  # pydantic's message could quote a mapping value
            _fail(named, "the mapping was rejected", "invalid_mapping")
        _fail(named, f"rejected: {first['msg']}", "invalid_header")


_FIELD_HEADERS = {
    "rules": MAPPING_HEADER,
    "auto": AUTO_HEADER,
    "positions": POSITIONS_HEADER,
    "units": POSITIONS_HEADER,
    "history": HISTORY_HEADER,
}


def render_headers(
    policy: PiiPolicy, seal_key: SealKey | None = None, *, conversation_id: str | None = None
) -> dict[str, str]:
    """Header values that :func:`parse_headers` reads back into ``policy``.

    X-Auto-Pii-Mapping is always present (so no deployment default applies); X-Pii-Mapping
    only with rules, X-Pii-Positions only with spans (or UTF-16 units), the history only when
    the mapping has entries (sealed with ``seal_key``, else in the encoding it came in).
    """
    headers: dict[str, str] = {}
    if policy.rules:
        headers[MAPPING_HEADER] = render_pii_mapping(policy.rules)
    headers[AUTO_HEADER] = render_auto_mapping(policy.auto)
    if policy.positions or policy.units is not Units.CODEPOINT:
        headers[POSITIONS_HEADER] = render_positions(policy.positions, policy.units)
    if len(policy.history):
        headers[HISTORY_HEADER] = policy.history.to_header(
            seal_key, conversation_id=conversation_id
        )
    return headers
