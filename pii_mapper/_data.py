"""Where the data files of ``models/`` are read from (configuration, word lists, the model).

The wheel ships them inside the package as ``pii_mapper/models/``; an editable install reads
the source tree's ``models/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["model_file"]


def model_file(name: str) -> Path:
    """The path of ``models/<name>``: the copy shipped in the package, else the source tree's."""
    shipped = resources.files("pii_mapper").joinpath("models", name)
    if shipped.is_file():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "models" / name
