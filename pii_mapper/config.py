"""Custom entity types from a TOML file: what the CLI and the reference API read.

One ``[[entity]]`` table per type, with the keys of :class:`~pii_mapper.CustomEntity`::

    [[entity]]
    name = "EMPLOYEE_ID"
    patterns = ['\\bEMP-\\d{6}\\b']
    aliases = ["employee"]
    context = ["employee", "staff"]

    [[entity]]
    name = "PROJECT"
    deny_list = ["Bluebird", "Nightjar"]

``validate`` names a function as ``"package.module:function"`` (imported when the file is
read: the file is the deployment's own, trusted like its code). The file is found by the
``path`` given, else the environment variable ``PII_MAPPER_CONFIG``; with neither, there are
no custom types. Every problem is an :class:`~pii_mapper.errors.EntityConfigError` that names
the file, the table (``entity[2]``, counted from 1) and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pii_mapper.detection.custom import CustomEntity, custom_catalogue, import_validator
from pii_mapper.errors import EntityConfigError

__all__ = ["CONFIG_ENV", "load_config"]

CONFIG_ENV = "PII_MAPPER_CONFIG"

_LIST_KEYS = ("patterns", "aliases", "context", "deny_list")
_KEYS = ("name", *_LIST_KEYS, "validate", "score", "description")
_MAX_CONFIG_BYTES = 16 * 1024 * 1024


def load_config(
    path: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> tuple[CustomEntity, ...]:
    """The custom entity types defined in the TOML file at ``path`` (else at
    ``$PII_MAPPER_CONFIG``; neither: none), checked together (no two types share a name or
    an alias)."""
    if path is None:
        value = (os.environ if environ is None else environ).get(CONFIG_ENV, "")
        if not value.strip():
            return ()
        path = value
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise EntityConfigError(
            f"{file}: cannot read the configuration file ({exc.strerror or type(exc).__name__})"
        ) from None
    if len(raw) > _MAX_CONFIG_BYTES:
        raise EntityConfigError(f"{file}: larger than {_MAX_CONFIG_BYTES} bytes")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise EntityConfigError(f"{file}: the file is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise EntityConfigError(f"{file}: not valid TOML ({exc})") from None
    return _entities(file, data)


def _entities(file: Path, data: dict[str, Any]) -> tuple[CustomEntity, ...]:
    unknown = [key for key in data if key != "entity"]
    if unknown:
        raise EntityConfigError(
            f"{file}: unknown top-level key {unknown[0]!r}; expected [[entity]] tables only"
        )
    tables = data.get("entity", [])
    if not isinstance(tables, list):
        raise EntityConfigError(f"{file}: 'entity' must be an array of tables ([[entity]])")
    entities = []
    for number, table in enumerate(tables, start=1):
        where = f"{file}: entity[{number}]"
        if not isinstance(table, dict):
            raise EntityConfigError(f"{where}: expected a table")
        entities.append(_entity(where, table))
    try:
        custom_catalogue(entities)
    except EntityConfigError as exc:
        raise EntityConfigError(f"{file}: {exc}") from None
    return tuple(entities)


def _entity(where: str, table: dict[str, Any]) -> CustomEntity:
    for key in table:
        if key not in _KEYS:
            raise EntityConfigError(f"{where}: unknown key {key!r}; expected {', '.join(_KEYS)}")
    if "name" not in table:
        raise EntityConfigError(f"{where}: the key 'name' is missing")
    if not isinstance(table["name"], str):
        raise EntityConfigError(f"{where}: key 'name' must be a string")
    fields: dict[str, Any] = {}
    for key in _LIST_KEYS:
        if key in table:
            value = table[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise EntityConfigError(f"{where}: key {key!r} must be a list of strings")
            fields[key] = value
    if "score" in table:
        score = table["score"]
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise EntityConfigError(f"{where}: key 'score' must be a number")
        fields["score"] = score
    if "description" in table:
        if not isinstance(table["description"], str):
            raise EntityConfigError(f"{where}: key 'description' must be a string")
        fields["description"] = table["description"]
    if "validate" in table:
        if not isinstance(table["validate"], str):
            raise EntityConfigError(
                f"{where}: key 'validate' must be a string 'package.module:function'"
            )
        fields["validate"] = import_validator(table["validate"], f"{where}: key 'validate'")
    try:
        return CustomEntity(table["name"], **fields)
    except EntityConfigError as exc:
        raise EntityConfigError(f"{where}: {exc}") from None
