"""Reproducible benchmarks of pii_mapper against plain Presidio.

* :mod:`benchmarks.corpus` — a seeded generator of chat conversations with gold PII spans,
  from the *tuning* template families (the recognizers were written against them);
* :mod:`benchmarks.heldout` — *held-out* template families, never tuned on, in six languages;
* :mod:`benchmarks.handwritten` — the loader of the hand-written set (``data/handwritten``);
* :mod:`benchmarks._baseline` — plain Presidio, configured as a user would, but offline;
* :mod:`benchmarks.accuracy` — scores both systems on the held-out families and the
  hand-written set, the tuning families on one labelled line (``make eval``);
* :mod:`benchmarks.ablation` — the same with one of the library's recognizers switched off;
* :mod:`benchmarks.speed` — speed against plain Presidio (``make bench``).

Nothing here is part of the installed package; results go to ``benchmarks/results/``.
"""

__all__: list[str] = []
