"""Glue between pii_mapper and web frameworks.

Each submodule imports its framework; this package imports none, so ``import pii_mapper``
stays free of web frameworks. :mod:`pii_mapper.integrations.fastapi` needs the ``api`` extra
(``pip install 'pii-mapper[api]'``).
"""

from __future__ import annotations

__all__: list[str] = []
