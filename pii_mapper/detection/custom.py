"""Custom entity types: a deployment's own types, found by its patterns and deny lists.

``CustomEntity("EMPLOYEE_ID", patterns=[r"\\bEMP-\\d{6}\\b"], aliases=("employee",))``
describes one type; ``PiiMapper(custom_entities=[…])`` knows it. Everything about a
definition is checked when it is made (a :class:`~pii_mapper.errors.EntityConfigError`
naming the field), never when text arrives.

How a custom type is found (:class:`CustomRecognizer`):

* **patterns** — regular expressions of the ``regex`` module, searched case-sensitively
  unless a pattern says ``(?i)``. A match scores :attr:`CustomEntity.score`; a ``validate``
  callable, given the matched text, keeps it (``True``: score 1.0) or drops it
  (``False``); a context word within a few words before (or just after) the match raises
  its score by 0.35, to at least 0.4. A pattern whose variable-length repetition is itself
  repeated (``(a+)+``, ``(\\w+\\s?)*``, ``(a?)*``) is rejected: that is the shape that
  backtracks exponentially. Other slow shapes cannot all be told from the text of a pattern,
  so every search also runs under a time limit per text (:data:`PATTERN_TIMEOUT_SECONDS`);
  a search that runs out of time is a :class:`~pii_mapper.errors.DetectionError` — the text
  is never passed on unmasked.
* **deny list** — literal values, found case-insensitively (full case folding, width
  variants folded) as whole words, by one index of their words: time linear in the text,
  whatever the number of values.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from pii_mapper.detection import Detection
from pii_mapper.detection.patterns import CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT, has_context
from pii_mapper.entities import (
    BUILTIN_CATALOGUE,
    MAX_ENTITY_NAME_CHARS,
    Catalogue,
    DetectorKind,
    EntitySpec,
    Normalization,
    entity_key,
)
from pii_mapper.errors import DetectionError, EntityConfigError

__all__ = [
    "DEFAULT_CUSTOM_SCORE",
    "PATTERN_TIMEOUT_SECONDS",
    "CustomEntity",
    "CustomRecognizer",
    "DenyList",
    "custom_catalogue",
    "import_validator",
    "nested_repetition",
]

# The score of a pattern match without validation or context: above the default threshold
# (0.4), so a custom pattern finds its type unless the policy asks for more confidence.
DEFAULT_CUSTOM_SCORE = 0.6
# The most time one pattern may spend on one text.
PATTERN_TIMEOUT_SECONDS = 1.0

# Letters and single underscores: placeholders of the type are read back by a scanner that
# folds digits (so a name holds none), and the name's last word must not be REDACTED.
_NAME = re.compile(r"[A-Z]+(?:_[A-Z]+)*")
_ALIAS = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[ _-][A-Za-z0-9]+)*")
_MAX_PATTERNS = 100
_MAX_PATTERN_CHARS = 1000
_MAX_DENY_VALUES = 100_000
_MAX_DENY_VALUE_CHARS = 200
_MAX_CONTEXT_WORDS = 100
_DESCRIPTION_CHARS = 200


def _fail(where: str, message: str) -> EntityConfigError:
    return EntityConfigError(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class CustomEntity:
    """One custom entity type: its name, header aliases, and how it is found.

    >>> emp = CustomEntity("EMPLOYEE_ID", patterns=[r"\\bEMP-\\d{6}\\b"], aliases=("employee",))
    >>> emp.patterns, emp.aliases
    (('\\\\bEMP-\\\\d{6}\\\\b',), ('employee',))

    ``name``: upper snake case, letters only (``EMPLOYEE_ID``), not a built-in type's name or
    alias. ``patterns``: regular expressions (``regex`` module syntax). ``aliases``: other
    header spellings. ``context``: words that, near a pattern match, raise its score.
    ``deny_list``: literal values that are always this type. ``validate``: a callable
    ``str -> bool`` that checks a pattern match (not deny-list values). ``score``: a pattern
    match's score before validation and context (0 < score ≤ 1). ``description``: one line
    for ``pii-mapper entities``. Values are compared case- and whitespace-insensitively for
    consistency (the same value gets the same placeholder).
    """

    name: str
    patterns: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    deny_list: tuple[str, ...] = ()
    validate: Callable[[str], bool] | None = field(default=None, compare=False)
    score: float = DEFAULT_CUSTOM_SCORE
    description: str = ""
    _compiled: tuple[Any, ...] = field(default=(), init=False, repr=False, compare=False)

    def __init__(
        self,
        name: str,
        *,
        patterns: Iterable[str] = (),
        aliases: Iterable[str] = (),
        context: Iterable[str] = (),
        deny_list: Iterable[str] = (),
        validate: Callable[[str], bool] | None = None,
        score: float = DEFAULT_CUSTOM_SCORE,
        description: str = "",
    ) -> None:
        where = f"custom entity {name!r}" if isinstance(name, str) else "custom entity"
        if not isinstance(name, str) or _NAME.fullmatch(name) is None:
            raise _fail(
                where,
                "name must be upper snake case of letters (e.g. EMPLOYEE_ID)",
            )
        if len(name) > MAX_ENTITY_NAME_CHARS or name.endswith("_REDACTED"):
            raise _fail(
                where,
                f"name must be at most {MAX_ENTITY_NAME_CHARS} characters and not end in _REDACTED",
            )
        shadowed = BUILTIN_CATALOGUE.lookup(name)
        if shadowed is not None:
            raise _fail(where, f"name is already a name or alias of the built-in type {shadowed}")
        set_ = object.__setattr__
        set_(self, "name", name)
        set_(self, "patterns", _strings(patterns, where, "patterns", _MAX_PATTERNS))
        set_(self, "aliases", _aliases(aliases, name, where))
        set_(self, "context", _strings(context, where, "context", _MAX_CONTEXT_WORDS))
        set_(self, "deny_list", _deny_values(deny_list, where))
        if validate is not None and not callable(validate):
            raise _fail(where, "validate must be a callable taking the matched text")
        set_(self, "validate", validate)
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 < score <= 1:
            raise _fail(where, "score must be a number greater than 0 and at most 1")
        set_(self, "score", float(score))
        if not isinstance(description, str) or len(description) > _DESCRIPTION_CHARS:
            raise _fail(where, f"description must be text of at most {_DESCRIPTION_CHARS} chars")
        set_(self, "description", description)
        if not self.patterns and not self.deny_list:
            raise _fail(where, "give patterns, a deny_list, or both: nothing would find it")
        set_(self, "_compiled", tuple(_compile(p, f"{where}: patterns item {i + 1}")
                                      for i, p in enumerate(self.patterns)))  # fmt: skip

    def __repr__(self) -> str:
        # The deny list is made of PII: only its size is shown.
        return (
            f"CustomEntity({self.name!r}, patterns={self.patterns!r}, aliases={self.aliases!r}, "
            f"context={self.context!r}, deny_list=<{len(self.deny_list)} values>, "
            f"validate={'yes' if self.validate is not None else 'no'}, score={self.score})"
        )

    def spec(self) -> EntitySpec:
        """The catalogue row of this type."""
        description = self.description or f"custom type {self.name}"
        return EntitySpec(
            self.name, self.aliases, Normalization.TEXT, DetectorKind.PATTERN, description
        )

    def recognizer(self) -> CustomRecognizer:
        """The recognizer that finds this type."""
        return CustomRecognizer(self)


def _strings(values: Iterable[str], where: str, what: str, limit: int) -> tuple[str, ...]:
    if isinstance(values, str):
        raise _fail(where, f"{what} must be a list of strings, not one string")
    try:
        items = tuple(values)
    except TypeError:
        raise _fail(where, f"{what} must be a list of strings") from None
    if len(items) > limit:
        raise _fail(where, f"{what} has {len(items)} items; at most {limit} are accepted")
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise _fail(where, f"{what} item {index + 1} must be a non-empty string")
        if len(item) > _MAX_PATTERN_CHARS:
            raise _fail(where, f"{what} item {index + 1} is longer than {_MAX_PATTERN_CHARS}")
    return items


def _aliases(values: Iterable[str], name: str, where: str) -> tuple[str, ...]:
    aliases = _strings(values, where, "aliases", 20)
    seen = {entity_key(name)}
    for index, alias in enumerate(aliases):
        at = f"aliases item {index + 1} ({alias!r})"
        if _ALIAS.fullmatch(alias.strip()) is None or len(alias) > 64:
            raise _fail(where, f"{at} must be a word of letters and digits, '-', '_' or spaces")
        if entity_key(alias) == "*" or entity_key(alias) in seen:
            raise _fail(where, f"{at} repeats the name or another alias")
        owner = BUILTIN_CATALOGUE.lookup(alias)
        if owner is not None:
            raise _fail(where, f"{at} already names the built-in type {owner}")
        seen.add(entity_key(alias))
    return tuple(alias.strip() for alias in aliases)


def _deny_values(values: Iterable[str], where: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise _fail(where, "deny_list must be a list of strings, not one string")
    try:
        items = tuple(values)
    except TypeError:
        raise _fail(where, "deny_list must be a list of strings") from None
    if len(items) > _MAX_DENY_VALUES:
        raise _fail(where, f"deny_list has {len(items)} values; at most {_MAX_DENY_VALUES}")
    for index, item in enumerate(items):
        # The value itself is never quoted: a deny list is made of PII.
        if not isinstance(item, str) or not any(char.isalnum() for char in item):
            raise _fail(where, f"deny_list item {index + 1} must be text with a letter or digit")
        if len(item) > _MAX_DENY_VALUE_CHARS:
            raise _fail(where, f"deny_list item {index + 1} is longer than {_MAX_DENY_VALUE_CHARS}")
    return items


# --- patterns -------------------------------------------------------------------------------


def _compile(pattern: str, where: str) -> Any:
    problem = nested_repetition(pattern)
    if problem is not None:
        raise _fail(
            where,
            f"{problem}; such a pattern can take exponential time on some texts — rewrite it "
            "without a repeated group that itself repeats (e.g. (?:\\w+\\s)* -> [\\w\\s]*)",
        )
    try:
        return regex.compile(pattern)  # inline flags ((?i), (?V1) …) are the pattern's own
    except regex.error as exc:
        raise _fail(where, f"the pattern does not compile ({exc})") from None


def nested_repetition(pattern: str) -> str | None:
    """A description of the first group that repeats a variable-length repetition
    (``(a+)+``, ``(a?)*``, ``(a{1,3})+``), or None (``(\\d{3}-)+`` is fine: its inner part
    has one length).

    A single pass over the pattern's text: escapes and character classes are skipped, each
    open group remembers whether it holds a quantifier of variable length, and a quantifier
    after a group's ``)`` that may repeat it more than once is the problem when it does.
    """
    stack: list[bool] = []  # per open group: does it hold a variable-length repetition?
    position = 0
    size = len(pattern)
    last_group_varies = False  # the item just before: a group holding such a repetition
    while position < size:
        char = pattern[position]
        if char == "\\":
            position += 2
            last_group_varies = False
            continue
        if char == "[":
            position = _class_end(pattern, position)
            last_group_varies = False
            continue
        if char == "(":
            stack.append(False)
            # "(?:", "(?P<name>", "(?=" …: the "?" opens an extension, it is no quantifier.
            position += 2 if pattern.startswith("(?", position) else 1
            last_group_varies = False
            continue
        if char == ")":
            varies = stack.pop() if stack else False
            last_group_varies = varies
            if stack and varies:
                stack[-1] = True
            position += 1
            continue
        repeats, variable, length = _quantifier(pattern, position)
        if length:
            if repeats and last_group_varies:
                return f"the group ending at character {position} repeats a repetition"
            if variable and stack:
                stack[-1] = True
            position += length
            last_group_varies = False
            continue
        last_group_varies = False
        position += 1
    return None


def _class_end(pattern: str, start: int) -> int:
    """The position after the character class that opens at ``start``."""
    position = start + 1
    if position < len(pattern) and pattern[position] == "^":
        position += 1
    if position < len(pattern) and pattern[position] == "]":
        position += 1
    depth = 1
    while position < len(pattern) and depth:
        char = pattern[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":  # regex V1 nested sets
            depth += 1
        elif char == "]":
            depth -= 1
        position += 1
    return position


_BRACES = re.compile(r"\{(\d*)(,?)(\d*)\}")


def _quantifier(pattern: str, position: int) -> tuple[bool, bool, int]:
    """For a quantifier at ``position``: whether it may repeat its item more than once,
    whether the count may vary, and its length (a lazy or possessive suffix included);
    ``(False, False, 0)`` if there is none."""
    char = pattern[position]
    if char in "*+":
        repeats, variable, length = True, True, 1
    elif char == "?":
        repeats, variable, length = False, True, 1
    elif char == "{":
        match = _BRACES.match(pattern, position)
        if match is None or not (match.group(1) or match.group(2)):
            return False, False, 0
        low_text, comma, high_text = match.groups()
        low = int(low_text[:6] or "0")
        high = None if comma and not high_text else int((high_text if comma else low_text)[:6])
        repeats = high is None or high > 1
        variable = high is None or high != low
        length = match.end() - position
    else:
        return False, False, 0
    if position + length < len(pattern) and pattern[position + length] in "?+":
        length += 1
    return repeats, variable, length


# --- deny lists ----------------------------------------------------------------------------

# A word of a text or value: a run of letters, digits, marks and '_', or one other visible
# character (so "C++" and "AT&T" are lists of tokens too).
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _fold(token: str) -> str:
    if token.isascii():  # most tokens: NFKC changes nothing, casefold is lower()
        return token.lower()
    return unicodedata.normalize("NFKC", token).casefold()


def _tokens(value: str) -> list[tuple[str, bool]]:
    """``(folded token, whether a space comes before it)`` for each token of ``value``."""
    found: list[tuple[str, bool]] = []
    end = 0
    for match in _TOKEN.finditer(value):
        found.append((_fold(match.group()), match.start() > end))
        end = match.end()
    if found:
        found[0] = (found[0][0], False)
    return found


class DenyList:
    """Literal values, found case-insensitively as whole words, in time linear in the text.

    The values are indexed as a trie of their tokens (words, or single punctuation
    characters; whitespace between tokens may be any run of whitespace). A text is read token
    by token once; at each token the trie is walked as far as the text follows it, so the
    work per token is bounded by the longest value's token count, not by the number of
    values. The longest value that matches at a token wins; the search resumes after it.
    """

    __slots__ = ("_depth", "_root", "size")

    def __init__(self, values: Iterable[str]) -> None:
        root: dict[Any, Any] = {}
        depth = 0
        size = 0
        for value in values:
            tokens = _tokens(value)
            if not tokens:
                continue
            # The first token is a key alone; each later one with whether a space precedes it.
            node = root.setdefault(tokens[0][0], {})
            for token, spaced in tokens[1:]:
                node = node.setdefault((token, spaced), {})
            node[None] = True  # a value ends here
            depth = max(depth, len(tokens))
            size += 1
        self._root = root
        self._depth = depth
        self.size = size

    def __repr__(self) -> str:
        return f"DenyList({self.size} values)"

    def find(self, text: str) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of every value in ``text``, in order, not overlapping.

        Tokens are read as a stream through a window as long as the longest value, so the
        memory used does not grow with the text.
        """
        root = self._root
        if not root:
            return
        if text.isascii():  # lower() keeps an ASCII text's length: fold it once
            tokens = ((m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text.lower()))
        else:
            tokens = ((m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text))
        depth = self._depth
        window: deque[tuple[int, int, str]] = deque()
        more = True
        while True:
            while more and len(window) < depth:
                token = next(tokens, None)
                if token is None:
                    more = False
                else:
                    window.append(token)
            if not window:
                return
            first = window[0]
            node = root.get(first[2])
            best = -1
            if node is not None:
                if None in node:
                    best = 0
                for index in range(1, len(window)):
                    before, token = window[index - 1], window[index]
                    # Tokens cover every other character: a gap between two is whitespace.
                    node = node.get((token[2], token[0] > before[1]))
                    if node is None:
                        break
                    if None in node:
                        best = index
            if best >= 0 and _whole(text, first[0], window[best][1]):
                yield first[0], window[best][1]
                for _ in range(best + 1):
                    window.popleft()
            else:
                window.popleft()


def _whole(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` does not continue a word on either side. Word tokens are
    maximal runs, so this only ever turns down a value that begins or ends with punctuation
    glued to a word of the text."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (_is_word(before) and _is_word(text[start])) and not (
        _is_word(after) and _is_word(text[end - 1])
    )


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


# --- the recognizer ------------------------------------------------------------------------


class CustomRecognizer:
    """Finds one custom entity type by its patterns and its deny list (see the module)."""

    def __init__(self, entity: CustomEntity) -> None:
        self.entity = entity.name
        self.name = f"custom:{entity.name}"
        self._definition = entity
        words = [w.casefold() for w in entity.context]
        alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
        self._context = (
            re.compile(rf"(?<!\w)(?:{alternatives})(?:e?s)?(?!\w)", re.IGNORECASE)
            if alternatives
            else None
        )
        self._deny = DenyList(entity.deny_list)

    def __repr__(self) -> str:
        return f"CustomRecognizer({self.entity})"

    def find(self, text: str) -> Iterator[Detection]:
        definition = self._definition
        for number, pattern in enumerate(definition._compiled, start=1):
            try:
                matches = list(pattern.finditer(text, timeout=PATTERN_TIMEOUT_SECONDS))
            except TimeoutError:
                raise DetectionError(
                    f"pattern {number} of the custom entity type {self.entity} ran out of time "
                    f"({PATTERN_TIMEOUT_SECONDS} s) on a text of {len(text)} characters"
                ) from None
            for match in matches:
                start, end = match.span()
                if start == end:
                    continue
                score = definition.score
                if definition.validate is not None:
                    if not definition.validate(text[start:end]):
                        continue
                    score = 1.0
                if score < 1.0 and has_context(self._context, text, start, end):
                    score = min(1.0, max(MIN_SCORE_WITH_CONTEXT, score + CONTEXT_BOOST))
                yield Detection(start, end, self.entity, score, self.name)
        for start, end in self._deny.find(text):
            yield Detection(start, end, self.entity, 1.0, self.name)


def custom_catalogue(entities: Iterable[CustomEntity]) -> Catalogue:
    """The built-in catalogue with ``entities`` added; aliases that collide are an error."""
    items = tuple(entities)
    for index, entity in enumerate(items):
        if not isinstance(entity, CustomEntity):
            raise EntityConfigError(
                f"custom_entities item {index + 1}: expected a CustomEntity, "
                f"got {type(entity).__name__}"
            )
    try:
        return BUILTIN_CATALOGUE.extended(entity.spec() for entity in items)
    except ValueError as exc:
        raise EntityConfigError(f"custom_entities: {exc}") from None


def import_validator(path: str, where: str) -> Callable[[str], bool]:
    """The callable named by ``"package.module:function"`` (a config file's ``validate``)."""
    module_name, colon, attribute = path.partition(":")
    if not colon or not module_name or not attribute:
        raise _fail(where, "validate must name a function as 'package.module:function'")
    try:
        target: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as exc:
        raise _fail(where, f"validate {path!r} cannot be imported ({type(exc).__name__})") from None
    if not callable(target):
        raise _fail(where, f"validate {path!r} is not callable")
    return target  # type: ignore[no-any-return]
