"""The conversation mapping (placeholder -> original) and its header encodings.

Three encodings of X-Chat-History-Pii-Mapping, told apart by the first character:

* ``{``   JSON object, ASCII with ``\\u`` escapes: ``{"<PERSON_1>": "John Smith"}``
* ``v1.`` sealed token: ``v1.`` + base64url(nonce ‖ AES-256-GCM(zlib(JSON))), the associated
  data binding it to an optional conversation id; tampering, a wrong key or a wrong
  conversation cannot be told apart and are one error
* else    base64url of the UTF-8 JSON, padding optional (the library's default for a
  conversation's first mapping: ASCII-safe and free of commas and quotes)

Errors about this header never contain a key or a value of the mapping: a malformed key may
be a PII value put where a placeholder belongs.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from pii_mapper.errors import MappingSealError, PiiHeaderError, PiiInputError
from pii_mapper.placeholders import parse_placeholder, placeholder_entity

__all__ = [
    "HISTORY_HEADER",
    "MAX_HISTORY_HEADER_BYTES",
    "ConversationMapping",
    "MappingEncoding",
    "decode_history_header",
    "generate_seal_key",
]

HISTORY_HEADER = "X-Chat-History-Pii-Mapping"
MAX_HISTORY_HEADER_BYTES = 256 * 1024
MAX_MAPPING_JSON_BYTES = 1024 * 1024  # decompressed size of a sealed token
MAX_MAPPING_ENTRIES = 10_000
MAX_VALUE_CHARS = 10_000

_SEAL_PREFIX = "v1."
_NONCE_BYTES = 12
_AAD_PREFIX = b"pii_mapper/history/v1\x00"

SealKey = bytes | str


class MappingEncoding(StrEnum):
    JSON = "json"
    BASE64URL = "base64url"
    SEALED = "sealed"


class ConversationMapping(Mapping[str, str]):
    """A read-only mapping placeholder -> original, in order of first appearance.

    It remembers the encoding it was received in (and, for a sealed one, the key and
    conversation id) so that :meth:`to_header` answers in kind. Its repr shows counts per
    entity type, never a value.
    """

    __slots__ = ("_conversation_id", "_encoding", "_items", "_seal_key")

    def __init__(
        self,
        items: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        *,
        encoding: MappingEncoding | None = None,
        seal_key: SealKey | None = None,
        conversation_id: str | None = None,
    ) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        checked: dict[str, str] = {}
        for index, (placeholder, original) in enumerate(pairs):
            problem = _entry_problem(placeholder, original)
            if problem is not None:
                raise PiiInputError(f"mapping entry #{index + 1}: {problem[0]}", code=problem[1])
            checked[placeholder] = original
        self._items = checked
        self._encoding = encoding
        self._seal_key = _key_bytes(seal_key) if seal_key is not None else None
        self._conversation_id = conversation_id

    def __getitem__(self, placeholder: str) -> str:
        return self._items[placeholder]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        counts = Counter(placeholder_entity(p) for p in self._items)
        shown = ", ".join(f"{entity}={n}" for entity, n in sorted(counts.items()))
        return f"ConversationMapping({len(self)} placeholders{': ' if shown else ''}{shown})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ConversationMapping):
            return list(self._items.items()) == list(other._items.items())
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    @property
    def encoding(self) -> MappingEncoding | None:
        """How the mapping was received; None for one the library started."""
        return self._encoding

    def extended(self, new_items: Iterable[tuple[str, str]]) -> ConversationMapping:
        """A mapping with ``new_items`` appended, remembering this one's encoding and key."""
        extended = ConversationMapping(
            [*self._items.items(), *new_items],
            encoding=self._encoding,
            conversation_id=self._conversation_id,
        )
        extended._seal_key = self._seal_key
        return extended

    def without(self, placeholders: Iterable[str]) -> ConversationMapping:
        """A mapping without ``placeholders``, remembering this one's encoding and key."""
        dropped = frozenset(placeholders)
        if not dropped & self._items.keys():
            return self
        kept = ConversationMapping(
            [(p, o) for p, o in self._items.items() if p not in dropped],
            encoding=self._encoding,
            conversation_id=self._conversation_id,
        )
        kept._seal_key = self._seal_key
        return kept

    def to_dict(self) -> dict[str, str]:
        return dict(self._items)

    def to_header(
        self, seal_key: SealKey | None = None, *, conversation_id: str | None = None
    ) -> str:
        """The value to send back as X-Chat-History-Pii-Mapping.

        Sealed when a key is given here or came with the mapping; otherwise in the encoding
        the mapping was received in; a conversation's first mapping as base64url.
        """
        key = _key_bytes(seal_key) if seal_key is not None else self._seal_key
        conversation = conversation_id if conversation_id is not None else self._conversation_id
        if key is not None:
            return _seal(self._json_bytes(), key, conversation)
        if self._encoding is MappingEncoding.SEALED:
            raise MappingSealError(
                "the mapping was received sealed; pass seal_key to render it sealed again",
                code="seal_key_missing",
            )
        if self._encoding is MappingEncoding.JSON:
            return self._json_bytes().decode("ascii")
        return base64.urlsafe_b64encode(self._json_bytes()).rstrip(b"=").decode("ascii")

    def _json_bytes(self) -> bytes:
        return json.dumps(self._items, ensure_ascii=True, separators=(",", ":")).encode("ascii")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda mapping: mapping.to_dict()
            ),
        )

    @classmethod
    def _validate(cls, value: object) -> ConversationMapping:
        if isinstance(value, ConversationMapping):
            return value
        if isinstance(value, Mapping):
            return cls(value)
        raise TypeError("expected a ConversationMapping or a mapping of placeholder -> original")


def generate_seal_key() -> str:
    """A new random 256-bit key for sealed mappings, as base64url text."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def decode_history_header(
    value: str,
    *,
    seal_key: SealKey | None = None,
    conversation_id: str | None = None,
    allow_unsealed: bool = False,
) -> ConversationMapping:
    """Parse X-Chat-History-Pii-Mapping. Raises :class:`PiiHeaderError`, never echoing a value.

    With a ``seal_key``, only a sealed token is accepted unless ``allow_unsealed`` is true:
    a deployment that seals its mappings must not let a client hand in a mapping of its own
    making, or unmasking would write whatever the client likes into the model's output.
    """
    value = value.strip()
    if not value:
        return ConversationMapping(encoding=MappingEncoding.BASE64URL)
    if seal_key is not None and not allow_unsealed and not value.startswith(_SEAL_PREFIX):
        raise _error(
            "a seal key is configured, so only a sealed mapping ('v1.…', as the server "
            "returned it) is accepted",
            "mapping_not_sealed",
        )
    if len(value) > MAX_HISTORY_HEADER_BYTES:
        raise _error(
            f"is {len(value)} characters long; at most {MAX_HISTORY_HEADER_BYTES} are accepted",
            "too_long",
        )
    if value.startswith("{"):
        encoding = MappingEncoding.JSON
        raw = value.encode("utf-8", errors="surrogatepass")
        if not value.isascii():
            raise _error(
                "a JSON mapping must be ASCII (write other characters as \\u escapes)", "not_ascii"
            )
    elif value.startswith(_SEAL_PREFIX):
        encoding = MappingEncoding.SEALED
        if seal_key is None:
            raise _error(
                "is a sealed token, but no seal key is configured to open it", "seal_key_missing"
            )
        raw = _unseal(value, _key_bytes(seal_key), conversation_id)
    else:
        encoding = MappingEncoding.BASE64URL
        raw = _b64decode(value)
    items = _parse_json(raw)
    try:
        return ConversationMapping(
            items, encoding=encoding, seal_key=seal_key, conversation_id=conversation_id
        )
    except PiiInputError as exc:
        raise _error(str(exc), exc.code) from None


def _error(reason: str, code: str) -> PiiHeaderError:
    return PiiHeaderError(HISTORY_HEADER, reason, code=code)


def _entry_problem(placeholder: object, original: object) -> tuple[str, str] | None:
    """What is wrong with one entry, and the error code; never quoting the value."""
    if not isinstance(placeholder, str) or parse_placeholder(placeholder) is None:
        return (
            "the key is not a placeholder of a known entity type (expected e.g. <PERSON_1>)",
            "invalid_mapping",
        )
    if not isinstance(original, str) or not original:
        return f"the value of {placeholder} must be a non-empty string", "invalid_mapping"
    if len(original) > MAX_VALUE_CHARS:
        return (
            f"the value of {placeholder} is longer than {MAX_VALUE_CHARS} characters",
            "invalid_mapping",
        )
    if not original.isascii():
        try:
            original.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate, from a \ud800 escape
            return (
                f"the value of {placeholder} is not valid Unicode (a lone surrogate at "
                f"character {exc.start})",
                "invalid_unicode",
            )
    return None


def _key_bytes(seal_key: SealKey) -> bytes:
    if isinstance(seal_key, str):
        try:
            key = base64.urlsafe_b64decode(seal_key + "=" * (-len(seal_key) % 4))
        except (binascii.Error, ValueError):
            raise MappingSealError(
                "a seal key given as text must be base64url", code="bad_seal_key"
            ) from None
    else:
        key = bytes(seal_key)
    if len(key) != 32:
        raise MappingSealError(
            f"a seal key must be 32 bytes (AES-256); got {len(key)}", code="bad_seal_key"
        )
    return key


# The associated data of a token sealed for the conversation "": a byte that UTF-8 never
# holds, so it differs from "no conversation" (the bare prefix) and from every other id.
_EMPTY_CONVERSATION = b"\xff"


def _aad(conversation_id: str | None) -> bytes:
    if conversation_id is None:
        return _AAD_PREFIX
    if not conversation_id:
        return _AAD_PREFIX + _EMPTY_CONVERSATION
    return _AAD_PREFIX + conversation_id.encode("utf-8", errors="surrogatepass")


def _seal(plaintext: bytes, key: bytes, conversation_id: str | None) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, zlib.compress(plaintext, 6), _aad(conversation_id))
    return _SEAL_PREFIX + base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")


def _unseal(token: str, key: bytes, conversation_id: str | None) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    blob = _b64decode(token[len(_SEAL_PREFIX) :])
    if len(blob) < _NONCE_BYTES + 16:
        raise _error("the sealed token is too short", "bad_seal")
    nonce, sealed = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:]
    try:
        compressed = AESGCM(key).decrypt(nonce, sealed, _aad(conversation_id))
    except InvalidTag:
        raise _error(
            "the sealed token cannot be opened: it was altered, sealed with another key, "
            "or belongs to another conversation",
            "bad_seal",
        ) from None
    inflater = zlib.decompressobj()
    try:
        plaintext = inflater.decompress(compressed, MAX_MAPPING_JSON_BYTES + 1)
    except zlib.error:
        raise _error("the sealed token's content is corrupt", "bad_seal") from None
    if len(plaintext) > MAX_MAPPING_JSON_BYTES or inflater.unconsumed_tail:
        raise _error(
            f"the sealed mapping is larger than {MAX_MAPPING_JSON_BYTES} bytes", "too_long"
        )
    return plaintext


_B64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _b64decode(text: str) -> bytes:
    body = text.rstrip("=")
    if len(text) - len(body) > 2 or not set(body) <= _B64_ALPHABET or len(body) % 4 == 1:
        raise _error(
            "expected a JSON object ('{…}'), a sealed token ('v1.…') or base64url text; "
            "this is none of them",
            "bad_encoding",
        )
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    # The last character can carry unused bits; only the form with those bits zero is
    # accepted, so one token has exactly one spelling (a changed character is an error).
    if base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != body:
        raise _error("the base64url text is not in canonical form", "bad_encoding")
    return raw


def _parse_json(raw: bytes) -> list[tuple[str, str]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _error("the decoded mapping is not UTF-8", "bad_encoding") from None
    try:
        decoded = json.loads(text, object_pairs_hook=_pairs)
    except (ValueError, RecursionError):
        raise _error(
            'expected a JSON object of placeholder -> original, e.g. {"<PERSON_1>": "…"}',
            "bad_json",
        ) from None
    if not isinstance(decoded, _Pairs):
        raise _error("expected a JSON object at the top level", "bad_json")
    if len(decoded) > MAX_MAPPING_ENTRIES:
        raise _error(f"has more than {MAX_MAPPING_ENTRIES} entries", "too_long")
    seen: dict[str, object] = {}
    for index, (key, value) in enumerate(decoded):
        if key in seen and seen[key] != value:
            raise _error(
                f"entry #{index + 1} repeats a placeholder with another value", "duplicate"
            )
        seen[key] = value
    return list(seen.items())  # type: ignore[arg-type]


class _Pairs(list[tuple[str, object]]):
    """A JSON object as its list of pairs, so repeated keys are seen."""


def _pairs(pairs: list[tuple[str, object]]) -> _Pairs:
    return _Pairs(pairs)
