"""Configuration from the environment, read in one place (docs/configuration.md).

The library itself never reads the environment: ``PiiMapper(hash_key=...)`` and
``parse_headers(..., seal_key=...)`` take what they need as arguments. A server or a command
line reads its configuration once, at start-up, with :meth:`Settings.from_env` (or
:meth:`PiiMapper.from_env <pii_mapper.PiiMapper.from_env>`), so that a bad value stops it
there with a message naming the variable, not on the first request.

============================  ================================================================
variable                      meaning
============================  ================================================================
``PII_MAPPER_HASH_KEY``       the key of the ``hash`` action (any text; else a random key per
                              process, so hashes are stable only while it runs)
``PII_MAPPER_SEAL_KEY``       32 bytes as base64url: seals and opens X-Chat-History-Pii-Mapping
============================  ================================================================

An empty variable counts as unset. Messages never quote a key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from pii_mapper.errors import ConfigurationError, PiiMapperError

__all__ = ["HASH_KEY_ENV", "SEAL_KEY_ENV", "Settings"]

HASH_KEY_ENV = "PII_MAPPER_HASH_KEY"
SEAL_KEY_ENV = "PII_MAPPER_SEAL_KEY"


@dataclass(frozen=True, slots=True)
class Settings:
    """The deployment's configuration: ``hash_key`` (bytes) and ``seal_key`` (32 bytes).

    Its repr never shows a key, only whether one is set.
    """

    hash_key: bytes | None = None
    seal_key: bytes | None = None

    def __repr__(self) -> str:
        return (
            f"Settings(hash_key={'set' if self.hash_key else 'unset'}, "
            f"seal_key={'set' if self.seal_key else 'unset'})"
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read (and check) every ``PII_MAPPER_*`` variable of ``environ`` (default: the
        process's). Raises :class:`~pii_mapper.errors.ConfigurationError` naming the variable
        whose value is wrong.

        >>> Settings.from_env({"PII_MAPPER_HASH_KEY": "k"})
        Settings(hash_key=set, seal_key=unset)
        >>> Settings.from_env({"PII_MAPPER_SEAL_KEY": "c2hvcnQ"})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pii_mapper.errors.ConfigurationError: PII_MAPPER_SEAL_KEY: a seal key must be 32 bytes ...
        """
        env = os.environ if environ is None else environ
        hash_text = env.get(HASH_KEY_ENV) or None
        seal_text = env.get(SEAL_KEY_ENV) or None
        return cls(
            hash_key=hash_text.encode("utf-8") if hash_text is not None else None,
            seal_key=seal_key_bytes(seal_text, SEAL_KEY_ENV) if seal_text is not None else None,
        )


def seal_key_bytes(text: str | bytes, where: str) -> bytes:
    """A seal key given as base64url text (or 32 raw bytes), checked; ``where`` names its
    source (a variable, an option) in the :class:`ConfigurationError` of a bad one."""
    from pii_mapper.mapping import _key_bytes  # cryptography stays unloaded until needed

    try:
        return _key_bytes(text)
    except PiiMapperError as exc:
        raise ConfigurationError(
            f"{where}: {exc.message} (make one with `pii-mapper keygen`)", variable=where
        ) from None
