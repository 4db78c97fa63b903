"""X-Pii-Positions from end to end: parse the header, render it back, resolve its
spans against the message, and convert between code points and UTF-16 units.

``span *( "," span )``, ``span = start "-" end [ ":" entity ] [ "=" action ]``, or the JSON
form ``{"units": "codepoint" | "utf16", "spans": [{"start": …, "end": …, …}]}`` (or a bare
list of span objects). :func:`parse_positions` checks what the header alone can tell (form,
order, overlap); :func:`declared_spans` what needs the message (past its end, inside a
surrogate pair). Both raise :class:`~pii_mapper.errors.PiiHeaderError` naming the header:
while parsing, and while masking a message the spans do not fit.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from pii_mapper._header_syntax import action as _action
from pii_mapper._header_syntax import build as _build
from pii_mapper._header_syntax import checked as _checked
from pii_mapper._header_syntax import digits as _digits
from pii_mapper._header_syntax import entity as _entity
from pii_mapper._header_syntax import fail as _fail
from pii_mapper._header_syntax import items as _items
from pii_mapper.detection import DECLARED_RECOGNIZER, Source, Span
from pii_mapper.entities import GENERIC_ENTITY
from pii_mapper.errors import PiiHeaderError, _echo
from pii_mapper.policy import Action, DeclaredSpan, PiiPolicy, Units

__all__ = [
    "MAX_OFFSET_DIGITS",
    "POSITIONS_HEADER",
    "codepoint_to_utf16",
    "declared_spans",
    "parse_positions",
    "render_positions",
]

POSITIONS_HEADER = "X-Pii-Positions"

# Offsets of X-Pii-Positions: plain decimal integers of at most this many digits.
MAX_OFFSET_DIGITS = 12
_SPAN_KEYS = ("start", "end", "entity", "action")
_POSITIONS_KEYS = ("units", "spans")
_UNIT_SPELLINGS = {
    "codepoint": Units.CODEPOINT,
    "codepoints": Units.CODEPOINT,
    "utf16": Units.UTF16,
}


def parse_positions(value: str) -> tuple[tuple[DeclaredSpan, ...], Units]:
    """Parse X-Pii-Positions: ``start-end[:entity][=action]`` items, or the JSON form.

    Offsets are checked here for form, order and overlap; against a message (past its end,
    inside a surrogate pair) by :func:`declared_spans`.

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


# --- against the message ---------------------------------------------------------------


def declared_spans(policy: PiiPolicy, message: str) -> list[Span]:
    """The policy's declared positions as spans of ``message``, in code points.

    Raises :class:`PiiHeaderError` naming X-Pii-Positions for a span past the end of the
    message or (in UTF-16 units) one that cuts a surrogate pair.
    """
    if not policy.positions:
        return []
    to_codepoint: Callable[[int], int | None] | None = None
    length = len(message)
    if policy.units is Units.UTF16:
        length, to_codepoint = _utf16_to_codepoint(message)
    unit = "UTF-16 units" if to_codepoint is not None else "code points"
    spans = []
    for declared in policy.positions:
        item = f"{declared.start}-{declared.end}"
        if declared.end > length:
            raise PiiHeaderError(
                POSITIONS_HEADER,
                f"span ends at {declared.end}, past the end of the message ({length} {unit})",
                code="span_out_of_range",
                item=item,
            )
        start, end = declared.start, declared.end
        if to_codepoint is not None:
            start_cp, end_cp = to_codepoint(start), to_codepoint(end)
            if start_cp is None or end_cp is None:
                raise PiiHeaderError(
                    POSITIONS_HEADER,
                    "a UTF-16 offset falls inside a surrogate pair (between the two halves "
                    "of one character)",
                    code="span_splits_character",
                    item=item,
                )
            start, end = start_cp, end_cp
        spans.append(
            Span(
                start,
                end,
                declared.entity,
                policy.declared_action(declared),
                Source.DECLARED,
                1.0,
                recognizer=DECLARED_RECOGNIZER,
            )
        )
    return spans


# Characters outside the Basic Multilingual Plane: each is two UTF-16 code units.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _astral_indexes(text: str) -> list[int]:
    """The code point indexes of ``text``'s characters outside the BMP, in order: the one
    table both directions of the conversion read (found at C speed, searched by bisection)."""
    return [match.start() for match in _ASTRAL.finditer(text)]


def codepoint_to_utf16(text: str) -> Callable[[int], int]:
    """Code point index -> UTF-16 offset for ``text``, in O(log n) per lookup after an O(n)
    scan (none at all for text without characters outside the BMP)."""
    if text.isascii() or max(text) <= "\uffff":
        return lambda index: index
    astral = _astral_indexes(text)
    return lambda index: index + bisect.bisect_left(astral, index)


def _utf16_to_codepoint(text: str) -> tuple[int, Callable[[int], int | None]]:
    """The UTF-16 length of ``text``, and UTF-16 offset -> code point index (None for an
    offset between the two halves of a surrogate pair)."""
    # The UTF-16 offset where each character outside the BMP starts.
    starts = [index + before for before, index in enumerate(_astral_indexes(text))]

    def to_codepoint(offset: int) -> int | None:
        before = bisect.bisect_right(starts, offset - 2)  # pairs that end at or before offset
        if before < len(starts) and starts[before] + 1 == offset:
            return None
        return offset - before

    return len(text) + len(starts), to_codepoint
