"""``python -m pii_mapper.cli``: the ``pii-mapper`` command line (``make demo`` runs it)."""

from __future__ import annotations

import sys

from pii_mapper.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
