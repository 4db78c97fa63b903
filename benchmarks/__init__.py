"""Reproducible benchmarks of pii_mapper against plain Presidio.

* :mod:`benchmarks.corpus` — a seeded generator of chat conversations with gold PII spans;
* :mod:`benchmarks._baseline` — plain Presidio, configured as a user would, but offline;
* :mod:`benchmarks.accuracy` — scores both systems on the corpus (``make eval``).

Nothing here is part of the installed package; results go to ``benchmarks/results/``.
"""

__all__: list[str] = []
