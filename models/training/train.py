"""Train pii_mapper's NER model (``make model``) and write it to ``models/pii-ner``.

1. Generate labelled text with :mod:`models.training.generate` (seeded): a train split and a
   dev split of held-out templates.
2. Tokenise with spaCy's multi-language tokenizer and write both splits as ``DocBin`` files
   in a temporary folder (an example whose gold span does not fall on token edges is
   dropped and counted).
3. Train ``models/training/config.cfg`` on the CPU with spaCy's training loop, which keeps
   the model that scores best on the dev split (early stopping by ``patience``).
4. Copy that model to ``models/pii-ner`` and print its per-label scores on the dev split.

Runs in well under 25 minutes on two busy cores. ``--train N --dev N`` change the sizes.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from models.training.generate import SEED, Example, Generator

__all__ = ["MODEL_DIR", "main", "to_docbin"]

HERE = Path(__file__).resolve().parent
MODEL_DIR = HERE.parent / "pii-ner"
MODEL_NAME = "pii_ner"
MODEL_VERSION = "0.2.0"


# Split "Ada Lovelace<ada@x.com>" and "Ada(ada@x.com)" into the name and the address: the
# default tokenizer keeps "Lovelace<ada@x.com" as one token, and a name inside a token cannot
# be tagged. The infix patterns are saved with the tokenizer, so the shipped model keeps them.
# 0.2.0 also splits ";" ("N:Lovelace;Ada;;;" in a vCard), a comma between a digit and a
# letter ("1,Ada,Lovelace" in a CSV row), a double quote (compact JSON:
# '"customer":"Ada Lovelace"'), and "@" before a mention ("@ada.lovelace"): the
# name is then a token of its own.
_EXTRA_INFIXES = (r"[<>()\[\]{}|;\"]", r"(?<=[0-9]),(?=[^\W\d_])", r"(?<=[^\W\d_]),(?=[0-9])")
_EXTRA_PREFIXES = (r"@(?=[^\W\d_])",)
TOKENIZER_CALLBACK = "pii_mapper.tokenizer_infixes.v1"


def _register_tokenizer_callback() -> None:
    import re

    from spacy.util import compile_infix_regex, compile_prefix_regex, registry

    if TOKENIZER_CALLBACK in registry.callbacks:
        return

    @registry.callbacks(TOKENIZER_CALLBACK)  # type: ignore[untyped-decorator]
    def make_callback() -> Any:
        def customise(nlp: Any) -> Any:
            infixes = (*nlp.Defaults.infixes, *_EXTRA_INFIXES)
            nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
            prefixes = (*nlp.Defaults.prefixes, *_EXTRA_PREFIXES)
            nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
            # The URL rule takes any "\S+@" as a user name, so "Lovelace<ada@x.com" was one
            # URL token; a user name holds no bracket, semicolon or double quote.
            url = nlp.tokenizer.url_match.__self__.pattern
            user = "(?:\\S+(?::\\S*)?@)?"
            assert user in url, "spaCy's URL pattern changed"
            url = url.replace(user, '(?:[^\\s<>()\\[\\]{}|;"]+(?::\\S*)?@)?')
            nlp.tokenizer.url_match = re.compile(url).match
            return nlp

        return customise


def blank_nlp() -> Any:
    """The multi-language tokenizer the model is trained with (see ``_EXTRA_INFIXES``)."""
    import spacy
    from spacy.util import registry

    nlp = spacy.blank("xx")
    _register_tokenizer_callback()
    customise = registry.callbacks.get(TOKENIZER_CALLBACK)()
    return customise(nlp)


def to_docbin(nlp: Any, examples: list[Example]) -> tuple[Any, int]:
    """The examples as a DocBin of tokenised docs with gold entities, and how many were
    dropped because a gold span does not fall on token edges."""
    from spacy.tokens import DocBin

    docs = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    dropped = 0
    for example in examples:
        doc = nlp.make_doc(example.text)
        ents = []
        for start, end, label in example.spans:
            span = doc.char_span(start, end, label=label, alignment_mode="strict")
            if span is None:  # "Owuor N.V." at the end: the tokenizer splits the last "."
                span = doc.char_span(start, end, label=label, alignment_mode="contract")
                if (
                    span is None
                    or (example.text[span.start_char : span.end_char] + ".")
                    != (example.text[start:end])
                ):
                    break
            ents.append(span)
        else:
            try:
                doc.ents = ents
            except ValueError:  # overlapping spans: never generated, but do not train on it
                dropped += 1
                continue
            docs.add(doc)
            continue
        dropped += 1
    return docs, dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--train", type=int, default=40000, help="training examples")
    parser.add_argument("--dev", type=int, default=1500, help="dev examples")
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--output", type=Path, default=MODEL_DIR)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a setting of config.cfg for a candidate (value read as JSON, else "
        "as text), e.g. components.ner.model.tok2vec.encode.depth=4",
    )
    args = parser.parse_args(argv)
    settings = dict(_setting(item) for item in args.set)

    import spacy
    from spacy.cli.train import train

    began = time.monotonic()
    generator = Generator(args.seed)
    train_examples = list(generator.examples(args.train, "train"))
    dev_examples = list(generator.examples(args.dev, "dev"))
    nlp = blank_nlp()
    with tempfile.TemporaryDirectory(prefix="pii-ner-") as tmp:
        work = Path(tmp)
        for name, examples in (("train", train_examples), ("dev", dev_examples)):
            docs, dropped = to_docbin(nlp, examples)
            docs.to_disk(work / f"{name}.spacy")
            print(f"{name}: {len(docs)} docs, {dropped} dropped (span off token edges)")
        overrides: dict[str, Any] = {
            "paths.train": str(work / "train.spacy"),
            "paths.dev": str(work / "dev.spacy"),
            "system.seed": args.seed % 2**31,
        }
        if args.max_steps is not None:
            overrides["training.max_steps"] = args.max_steps
        overrides |= settings
        train(HERE / "config.cfg", work / "out", use_gpu=-1, overrides=overrides)
        best = work / "out" / "model-best"
        meta_path = best / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update(
            name=MODEL_NAME,
            version=MODEL_VERSION,
            description="pii_mapper's multilingual PII NER (PERSON, LOCATION, ORGANIZATION, "
            "DATE_TIME, NRP), trained on generated text by models/training/train.py",
            author="pii_mapper",
            license="MIT",
        )
        meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")
        if args.output.exists():
            shutil.rmtree(args.output)
        shutil.copytree(best, args.output)
    # The shipped config names no temporary training files.
    shipped = args.output / "config.cfg"
    text = shipped.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^(train|dev) = ".*"$', r"\1 = null", text)
    shipped.write_text(text, encoding="utf-8")
    minutes = (time.monotonic() - began) / 60
    gold = [g for g in (_gold(nlp, e) for e in dev_examples) if g is not None]
    scores = spacy.load(args.output).evaluate(gold)
    print(f"wrote {args.output} in {minutes:.1f} min, {_size(args.output) / 1e6:.1f} MB")
    print(f"dev ents P/R/F: {scores['ents_p']:.3f} {scores['ents_r']:.3f} {scores['ents_f']:.3f}")
    for label, score in sorted(scores["ents_per_type"].items()):
        print(f"  {label:<13} P {score['p']:.3f}  R {score['r']:.3f}  F {score['f']:.3f}")
    return 0


def _setting(item: str) -> tuple[str, Any]:
    key, equals, value = item.partition("=")
    if not equals or not key:
        raise SystemExit(f"--set takes KEY=VALUE, not {item!r}")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def _gold(nlp: Any, example: Example) -> Any:
    from spacy.training import Example as SpacyExample

    doc = nlp.make_doc(example.text)
    if any(doc.char_span(s, e) is None for s, e, _ in example.spans):
        return None
    return SpacyExample.from_dict(doc, {"entities": list(example.spans)})


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


if __name__ == "__main__":
    sys.exit(main())
