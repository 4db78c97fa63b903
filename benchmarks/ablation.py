"""What each of pii_mapper's own recognizers contributes: the evaluation with one switched off.

    python -m benchmarks.ablation [--set held-out|tuning] [--seed 7] [--conversations 200]

For every recognizer the library adds to Presidio's (postal addresses, organisations by
suffix, cued names, dates with a month name, secrets, passwords), the held-out template
families (benchmarks.heldout; or, with ``--set tuning``, the tuning families of
benchmarks.corpus, on which the recognizers were written) are scored by a
detector without it, and the table shows how precision, recall and the share of PII
characters left in the clear move. The spaCy model is loaded once for these rows.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from benchmarks import heldout
from benchmarks.accuracy import evaluate, pii_mapper_predictor
from benchmarks.corpus import DEFAULT_SEED, generate

# Recognizer class names the library adds, and what they are for.
OWN_RECOGNIZERS = {
    "PostalAddressRecognizer": "postal addresses as LOCATION",
    "OrganizationRecognizer": "organisations by legal or trade suffix",
    "CuedNameRecognizer": "names after greetings, introductions, sign-offs",
    "TextDateRecognizer": "dates written with a month name",
    "ApiKeyRecognizer": "API keys and tokens",
    "PasswordRecognizer": "passwords after a cue",
    "StructuredRecognizer": "values named by their key: JSON, forms, vCards, tables",
}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ablation", description=__doc__)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--set", choices=("held-out", "tuning"), default="held-out")
    args = parser.parse_args(None if argv is None else list(argv))

    import pii_mapper as pm
    from pii_mapper.detection.engine import PresidioDetector
    from pii_mapper.detection.registry import RecognizerDetector, RecognizerRegistry
    from pii_mapper.language import SUPPORTED_LANGUAGES

    make = heldout.generate if args.set == "held-out" else generate
    conversations = make(args.seed, args.conversations)
    detector = PresidioDetector(cache_size=0)
    detector.warm_up()
    full = detector._recognizers_for(detector.supported_entities)
    # Messages read in another language use recognizers of their own: built for every one.
    built = {
        language: {
            e: detector._recognizers_for(frozenset({e}), language)
            for e in detector.registry.entities
        }
        for language in SUPPORTED_LANGUAGES
    }

    def measure(detector: PresidioDetector) -> tuple[float, float, float]:
        result = evaluate(conversations, pii_mapper_predictor(pm.PiiMapper(detector=detector)))
        any_pii = result.any
        return any_pii.precision or 0.0, any_pii.recall or 0.0, any_pii.leak or 0.0

    def score(without: str | None) -> tuple[float, float, float]:
        # The same built recognizers, but the one switched off, in every language.
        detector._patterns = {
            language: RecognizerDetector(
                RecognizerRegistry(
                    {e: [r for r in found if r.name != without] for e, found in table.items()}
                )
            )
            for language, table in built.items()
        }
        return measure(detector)

    assert {r.name for r in full} >= set(OWN_RECOGNIZERS), "a recognizer was renamed"
    base = score(None)
    print(f"{args.set} families: seed {args.seed}, {len(conversations)} conversations\n")
    print(f"{'switched off':<26} {'precision':>9} {'recall':>7} {'leak':>6}  what it finds")
    print(f"{'(nothing)':<26} {base[0]:>9.1%} {base[1]:>7.1%} {base[2]:>6.1%}")
    for name, purpose in OWN_RECOGNIZERS.items():
        precision, recall, leak = score(name)
        print(f"{name:<26} {precision:>9.1%} {recall:>7.1%} {leak:>6.1%}  {purpose}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
