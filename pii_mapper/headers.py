"""The four PII request headers -> one :class:`~pii_mapper.policy.PiiPolicy`, and back.

One parse function per header, :func:`parse_headers` to read them all and merge them, and the
inverse renderers (``parse_headers(render_headers(p)) == p``). X-Pii-Positions is parsed,
rendered and resolved against a message in :mod:`pii_mapper.positions`; this module calls it.

Every parser is a single left-to-right pass over a value of bounded size: no backtracking
regular expression, no recursion on the input, no ``int()`` of an unbounded digit string.
Whatever the input, the result is a policy or a :class:`~pii_mapper.errors.PiiHeaderError`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pii_mapper._header_syntax import MAX_HEADER_CHARS
from pii_mapper._header_syntax import action as _action
from pii_mapper._header_syntax import bounded as _bounded
from pii_mapper._header_syntax import build as _build
from pii_mapper._header_syntax import checked as _checked
from pii_mapper._header_syntax import digits as _digits
from pii_mapper._header_syntax import entity as _entity
from pii_mapper._header_syntax import fail as _fail
from pii_mapper._header_syntax import items as _items
from pii_mapper.entities import GENERIC_ENTITY, DetectorKind, active_catalogue
from pii_mapper.errors import _echo
from pii_mapper.language import SUPPORTED_LANGUAGES as _LANGUAGES
from pii_mapper.mapping import (
    HISTORY_HEADER,
    ConversationMapping,
    SealKey,
    decode_history_header,
)
from pii_mapper.policy import Action, AutoDetection, PiiPolicy, Rule, Units
from pii_mapper.positions import (
    MAX_OFFSET_DIGITS,
    POSITIONS_HEADER,
    parse_positions,
    render_positions,
)

__all__ = [
    "AUTO_HEADER",
    "HISTORY_HEADER",
    "MAPPING_HEADER",
    "MAX_HEADER_CHARS",
    "MAX_OFFSET_DIGITS",
    "PII_HEADERS",
    "POSITIONS_HEADER",
    "SUPPORTED_LANGUAGES",
    "header_warnings",
    "misspelt_pii_header",
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

# Languages detection reads (X-Auto-Pii-Mapping ``language=``); without the parameter, each
# message's own language is identified (pii_mapper.language).
SUPPORTED_LANGUAGES = frozenset(_LANGUAGES)

_MAX_THRESHOLD_CHARS = 32
_WILDCARD = "*"
_BOOLEANS = {"true": True, "on": True, "yes": True, "1": True}
_BOOLEANS.update({"false": False, "off": False, "no": False, "0": False})
_AUTO_PARAMETERS = ("action", "entities", "threshold", "language")
_CANONICAL_HEADERS = {name.casefold(): name for name in PII_HEADERS}
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
        if active_catalogue().specs[entity].detector is DetectorKind.DECLARED:
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


# --- misspelt header names -----------------------------------------------------------------

# How close (difflib's ratio, 0..1) a name must be to a PII header's to count as its misspelling.
# 0.7 catches a dropped, doubled or swapped letter and a missing "X-" ("X-Pii-Maping",
# "Pii-Mapping", "X-Pii-Position") while common headers ("X-Request-Id", "Authorization",
# "X-Api-Key") stay well below it (0.3 to 0.5).
_MISSPELT_RATIO = 0.7


def misspelt_pii_header(name: str) -> str | None:
    """The PII header that ``name`` looks like a misspelling of, else None.

    A PII header's own name (any case) is not a misspelling. Any other name that mentions
    ``pii`` (ignoring ``-`` and ``_``), or is close to a PII header's name, is one: the closest
    PII header is returned. The command line and the FastAPI integration both use this rule
    to warn about a header that would otherwise be ignored in silence.

    >>> misspelt_pii_header("X-Pii-Maping")
    'X-Pii-Mapping'
    >>> misspelt_pii_header("X-Request-Id") is None
    True
    """
    folded = name.strip().casefold()
    if not folded or folded in _CANONICAL_HEADERS:
        return None
    ratios = {
        canonical: difflib.SequenceMatcher(None, folded, known).ratio()
        for known, canonical in _CANONICAL_HEADERS.items()
    }
    best = max(ratios, key=lambda canonical: ratios[canonical])
    mentions_pii = "pii" in folded.replace("-", "").replace("_", "")
    return best if mentions_pii or ratios[best] >= _MISSPELT_RATIO else None


def header_warnings(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[str]:
    """One warning per header name that looks like a misspelt PII header, in order, once each.

    Such a header is ignored by :func:`parse_headers` (it could be any header); the warning
    names it and the header it resembles, never its value.

    >>> header_warnings({"X-Pii-Maping": "email=keep", "Accept": "*/*"})
    ["header 'X-Pii-Maping' is not a PII header and was ignored; did you mean X-Pii-Mapping?"]
    """
    multi_items = getattr(headers, "multi_items", None)
    pairs: Iterable[Any]
    if callable(multi_items):
        pairs = multi_items()
    elif isinstance(headers, Mapping):
        pairs = headers.items()
    else:
        pairs = headers
    warnings: list[str] = []
    seen: set[str] = set()
    for name, _value in pairs:
        text = _text(name) if isinstance(name, str | bytes) else ""
        guess = misspelt_pii_header(text)
        if guess is None or text.casefold() in seen:
            continue
        seen.add(text.casefold())
        shown = text if text.isprintable() and len(text) <= _MAX_NAME_ECHO else _echo(text)
        warnings.append(
            f"header {shown!r} is not a PII header and was ignored; did you mean {guess}?"
        )
    return warnings


_MAX_NAME_ECHO = 80


# --- all four headers ----------------------------------------------------------------------


def parse_headers(
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    seal_key: SealKey | None = None,
    *,
    conversation_id: str | None = None,
    default: PiiPolicy | None = None,
    allow_unsealed: bool = False,
) -> PiiPolicy:
    """Read the four PII headers of a request into one policy.

    ``headers`` is a mapping (a dict, Starlette's or httpx's ``Headers``, whose repeated
    headers are read through ``multi_items()``) or an iterable of ``(name, value)`` pairs.
    Names are case-insensitive; other headers are ignored. A repeated header is one
    comma-joined list, except X-Chat-History-Pii-Mapping, which must come once.

    ``seal_key`` and ``conversation_id`` open a sealed history mapping; with a ``seal_key``,
    a history mapping that is not sealed is rejected (``mapping_not_sealed``) unless
    ``allow_unsealed`` is true. The policy's mapping (empty on a first turn) remembers
    ``conversation_id``, so ``result.mapping.to_header(seal_key=KEY)`` seals for the same
    conversation the next turn will open it with. ``default`` is the
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
            history_values[0],
            seal_key=seal_key,
            conversation_id=conversation_id,
            allow_unsealed=allow_unsealed,
        )
    elif conversation_id is not None:
        # A first turn: no mapping yet, but the conversation is known; the mapping that
        # masking grows from this one seals for it by default.
        fields["history"] = ConversationMapping(conversation_id=conversation_id)
    return _build(_FIELD_HEADERS, PiiPolicy, **fields)


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
