"""JSON text held in a string (OpenAI-style tool-call ``arguments``), changed in place.

Masking and unmasking change only the *values of its string tokens*, keys included: the text
is scanned lexically, each string token is decoded, changed, and written back — re-escaped
only if it changed. Everything else stays byte for byte: numbers (``1e400`` does not become
``Infinity``, ``12345678901234567890.5`` is not rounded), whitespace, key order and duplicate
keys, none of which a parse and dump would keep.

The scan is linear: outside a string, valid JSON holds no ``"``, so the next ``"`` starts the
next string token, which the json module's own string scanner decodes.
"""

from __future__ import annotations

import json
import json.decoder
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pii_mapper.errors import PiiInputError

__all__ = ["JsonText", "parse_json_text"]

_BRACKETS = re.compile(r"[\[\]{}]")
# A number token of valid JSON (found only between string tokens, where nothing else has
# digits).
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")

# The json module's own decoder of one string token (C-accelerated): (text, index after the
# opening quote, strict) -> (value, index after the closing quote). Not in the type stubs.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class JsonText:
    """A JSON object or array as text, and its string tokens in order of appearance (and
    its number tokens, when asked for).

    ``tokens[i]`` is ``(start, end)`` of token ``i`` in ``text`` (quotes included),
    ``values[i]`` its decoded value (a number's: its text), ``quoted[i]`` whether it is a
    string.
    """

    text: str
    tokens: tuple[tuple[int, int], ...]
    values: tuple[str, ...]
    quoted: tuple[bool, ...]

    def replaced(self, values: Sequence[str]) -> str:
        """``text`` with each token whose value changed written with its new value, as a
        JSON string (a number token that changed becomes a string: its digits were PII).

        A new value is escaped as JSON (quotes, backslashes, control characters and lone
        surrogates always; other characters as ``\\u`` escapes when the text is ASCII, to
        keep its style).
        Unchanged tokens, and everything between tokens, are kept byte for byte.
        """
        ascii_only = self.text.isascii()
        pieces: list[str] = []
        cursor = 0
        for (start, end), old, new in zip(self.tokens, self.values, values, strict=True):
            if new == old:
                continue
            pieces.append(self.text[cursor:start])
            pieces.append(_string_token(new, ascii_only))
            cursor = end
        if not pieces:
            return self.text
        pieces.append(self.text[cursor:])
        return "".join(pieces)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _string_token(value: str, ascii_only: bool) -> str:
    """``value`` as a JSON string token. A lone surrogate (from a ``\\ud800`` escape the token
    had) is written as an escape again, never raw: raw, it could not be encoded as UTF-8."""
    token = json.dumps(value, ensure_ascii=ascii_only)
    if ascii_only or token.isascii():
        return token
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", token)


def parse_json_text(text: str, max_depth: int, *, numbers: bool = False) -> JsonText | None:
    """The string tokens of ``text`` (and its number tokens with ``numbers``) if it is a JSON
    object or array, else None.

    A document nested deeper than ``max_depth`` arrays and objects is a
    :class:`PiiInputError` (``too_deep``), as deep nesting is in a JSON-like value.
    """
    stripped = text.strip(" \t\n\r")
    if len(stripped) < 2 or (stripped[0], stripped[-1]) not in (("{", "}"), ("[", "]")):
        return None
    tokens: list[tuple[int, int]] = []
    values: list[str] = []
    quoted: list[bool] = []
    depth = deepest = 0
    position = 0
    while True:
        quote = text.find('"', position)
        until = quote if quote >= 0 else len(text)
        if numbers:
            for number in _NUMBER.finditer(text, position, until):
                tokens.append(number.span())
                values.append(number.group())
                quoted.append(False)
        for bracket in _BRACKETS.finditer(text, position, until):
            depth += 1 if bracket.group() in "[{" else -1
            deepest = max(deepest, depth)
        if deepest > max_depth:
            raise PiiInputError(
                f"a JSON text is nested deeper than {max_depth} levels", code="too_deep"
            )
        if quote < 0:
            break
        try:
            value, end = _scanstring(text, quote + 1, True)
        except ValueError:  # not a string token: the text is not JSON
            return None
        tokens.append((quote, end))
        values.append(value)
        quoted.append(True)
        position = end
    try:  # the scan found the string tokens; only a parser tells valid JSON from the rest
        json.loads(text)
    except ValueError:
        return None
    except RecursionError:  # pragma: no cover - the depth bound comes first
        raise PiiInputError(
            f"a JSON text is nested deeper than {max_depth} levels", code="too_deep"
        ) from None
    return JsonText(text, tuple(tokens), tuple(values), tuple(quoted))
