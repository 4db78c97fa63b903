"""What each ``pii-mapper`` command does: one function per command, thin over the library,
and what they share (reading texts and files, the mapper, the policy of the -H headers).

A command function takes the parsed arguments and the mapper given to
:func:`pii_mapper.cli.main` (tests pass one; None means the default) and returns the exit
code. A wrong invocation raises :class:`UsageError` (exit 2), whose message never quotes
message text.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from pii_mapper import batch
from pii_mapper.chat import messages_problem
from pii_mapper.config import load_config
from pii_mapper.detection import Span
from pii_mapper.entities import CATALOGUE, using
from pii_mapper.errors import PiiInputError
from pii_mapper.headers import HISTORY_HEADER, PII_HEADERS, misspelt_pii_header
from pii_mapper.mapper import PiiMapper
from pii_mapper.mapping import decode_history_header
from pii_mapper.policy import PiiPolicy

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "command_mapper",
    "entities",
    "keygen",
    "make_console",
    "mask",
    "mask_file",
    "preview",
    "print_error",
    "read_file",
    "unmask",
    "usage",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

_UNMASK_HINT = "the mapping: pass --mapping VALUE or --mapping-file FILE"


class UsageError(Exception):
    """The invocation is wrong (exit 2). The message never quotes message text."""


def usage(message: str) -> NoReturn:
    raise UsageError(message)


def print_error(message: str) -> None:
    print(message, file=sys.stderr)


def command_mapper(args: argparse.Namespace, mapper: PiiMapper | None) -> PiiMapper:
    """The mapper to work with: the one given (tests), else the default; with the custom
    entity types of --config, if it names a file."""
    custom = load_config(args.config) if getattr(args, "config", None) else ()
    if mapper is not None:
        return mapper.with_custom_entities(custom) if custom else mapper
    return PiiMapper(hash_key=getattr(args, "hash_key", None), custom_entities=custom)


# --- inputs ---------------------------------------------------------------------------------


def read_file(path: str, what: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        usage(f"cannot read {what} {path!r}: {exc.strerror or type(exc).__name__}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        usage(f"{what} {path!r} is not UTF-8 text (byte {exc.start})")


def write_file(path: str, content: str, encoding: str) -> None:
    try:
        Path(path).write_text(content, encoding=encoding)
    except OSError as exc:
        usage(f"cannot write {path!r}: {exc.strerror or type(exc).__name__}")


def _read_stdin() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    try:
        text: str = buffer.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        usage(f"stdin is not UTF-8 text (byte {exc.start})")
    return text


def _read_text(args: argparse.Namespace) -> tuple[str, bool]:
    """The text to work on, and whether it came as an argument (so needs a newline added)."""
    if args.text is not None and args.file is not None:
        usage("give the text either as TEXT or with -f FILE, not both")
    if args.file is not None:
        return (_read_stdin(), False) if args.file == "-" else (read_file(args.file, "file"), False)
    if args.text == "-":
        return _read_stdin(), False
    if args.text is not None:
        return args.text, True
    if sys.stdin is None or sys.stdin.isatty():
        usage("no text given: pass TEXT, -f FILE, or pipe the text on stdin")
    return _read_stdin(), False


def _header_pairs(raw: Sequence[str]) -> list[tuple[str, str]]:
    """``-H 'Name: value'`` arguments as (name, value) pairs; warns about non-PII headers."""
    pairs = []
    known = {name.casefold() for name in PII_HEADERS}
    for number, item in enumerate(raw, start=1):
        name, colon, value = item.partition(":")
        name = name.strip()
        if not colon or not name or any(ch.isspace() for ch in name):
            usage(
                f"-H argument {number} is not 'Name: value' (e.g. -H 'X-Pii-Mapping: email=mask')"
            )
        if name.casefold() not in known:
            guess = misspelt_pii_header(name)  # the rule the FastAPI integration warns by
            hint = f"; did you mean {guess}?" if guess else ""
            print_error(f"warning: -H {name!r} is not one of the PII headers, ignored{hint}")
        pairs.append((name, value.strip()))
    return pairs


def _request(
    args: argparse.Namespace, mapper: PiiMapper
) -> tuple[PiiPolicy, list[dict[str, Any]], str, bool]:
    """What ``preview`` and ``mask`` work on: the policy of the -H headers, the --history
    messages, the text, and whether the text came as an argument."""
    policy = _policy(args, _header_pairs(args.header), mapper)
    history = _history(args.history)
    text, from_argument = _read_text(args)
    return policy, history, text, from_argument


def _policy(
    args: argparse.Namespace, pairs: Sequence[tuple[str, str]], mapper: PiiMapper
) -> PiiPolicy:
    return mapper.parse_headers(
        pairs,
        args.seal_key,
        conversation_id=args.conversation_id,
        allow_unsealed=args.allow_unsealed,
    )


def _history(path: str | None) -> list[dict[str, Any]]:
    """``--history FILE``: a JSON list of message objects. Errors never quote content."""
    if path is None:
        return []
    try:
        value = json.loads(read_file(path, "history file"))
    except json.JSONDecodeError as exc:
        usage(f"history file {path!r} is not JSON ({exc.msg}, line {exc.lineno})")
    problem = messages_problem(value)
    if problem is not None:
        usage(f"history file {path!r}: {problem}")
    return list(value)


def _write_text(text: str, from_argument: bool) -> None:
    """Text to stdout: as is when it came from a file or stdin, with a newline after an
    argument's (so the shell prompt starts on its own line)."""
    sys.stdout.write(text + ("\n" if from_argument and not text.endswith("\n") else ""))
    sys.stdout.flush()


def make_console(stream: IO[str], color: str = "auto") -> Console:
    from rich.console import Console

    if color == "always":
        return Console(file=stream, force_terminal=True, highlight=False)
    if color == "never":
        return Console(file=stream, no_color=True, color_system=None, highlight=False)
    return Console(file=stream, highlight=False)


# --- preview --------------------------------------------------------------------------------


def preview(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    from pii_mapper.cli import render

    worker = command_mapper(args, mapper)
    policy, history, text, _ = _request(args, worker)
    preview = worker.preview(text, policy, history)
    new = [(k, v) for k, v in preview.mapping.items() if k not in policy.history]
    # Entries the policy now redacts or hashes are not in the preview's mapping: not here either.
    kept = policy.history.without(k for k in policy.history if k not in preview.mapping)
    with using(worker.catalogue):  # the preview's mapping may hold custom placeholders
        mapping = kept.extended(new) if new else kept
    header = mapping.to_header(args.seal_key, conversation_id=args.conversation_id)
    if args.html is not None:
        write_file(args.html, render.html_page(preview, text, history, header), "utf-8")
        print_error(f"wrote the HTML preview to {args.html}")
    if args.json:
        sys.stdout.write(preview.model_dump_json(indent=2) + "\n")
    else:
        console = make_console(sys.stdout, args.color)
        render.print_preview(console, preview, text, history, header)
    return EXIT_OK


# --- mask / unmask --------------------------------------------------------------------------


def mask(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    worker = command_mapper(args, mapper)
    policy, history, text, from_argument = _request(args, worker)
    result = worker.mask(text, policy, history)
    header = result.mapping.to_header(args.seal_key, conversation_id=args.conversation_id)
    if args.json:
        record = {
            "text": result.text,
            "history": [dict(item) for item in result.history],
            "spans": [_span_record(span) for span in result.spans],
            "mapping_header": header,
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    if args.mapping_out is not None:
        write_file(args.mapping_out, header + "\n", "ascii")
    _write_text(result.text, from_argument)
    if args.mapping_out is None:
        print_error(f"{HISTORY_HEADER}: {header}")
    return EXIT_OK


def _span_record(span: Span) -> dict[str, Any]:
    """A span without its original (the replacement is what the caller may see)."""
    return {
        "start": span.start,
        "end": span.end,
        "entity": span.entity,
        "action": span.action.value,
        "source": span.source.value,
        "score": span.score,
        "replacement": span.replacement,
    }


# A whole header line: none of the mapping's own encodings starts like this.
_HEADER_LINE = re.compile(r"\s*(X-[A-Za-z-]+)\s*:", re.IGNORECASE)


def unmask(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    if args.mapping is not None:
        value = args.mapping
    elif args.mapping_file is not None:
        value = read_file(args.mapping_file, "mapping file")
    else:
        usage(f"no mapping given: {_UNMASK_HINT}")
    header = _HEADER_LINE.match(value)
    if header is not None:
        if header.group(1).casefold() != HISTORY_HEADER.casefold():
            usage(f"unmask needs only the {HISTORY_HEADER} header, not {header.group(1)}")
        value = value[header.end() :]
    value = value.strip()
    unmasker = command_mapper(args, mapper)
    with using(unmasker.catalogue):  # placeholders of its custom types are known
        mapping = decode_history_header(
            value,
            seal_key=args.seal_key,
            conversation_id=args.conversation_id,
            allow_unsealed=args.allow_unsealed,
        )
    text, from_argument = _read_text(args)
    _write_text(unmasker.unmask(text, mapping), from_argument)
    return EXIT_OK


# --- mask-file ------------------------------------------------------------------------------


def mask_file(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    cli_pairs = _header_pairs(args.header)
    worker = command_mapper(args, mapper)
    _policy(args, cli_pairs, worker)  # a bad -H is a usage error before any line is read
    try:
        inputs = batch.InputFiles.of(args.input)
    except PiiInputError as exc:
        usage(str(exc))
    if args.output != "-" and any(_same_file(path, args.output) for path in inputs.paths):
        usage("the output file is the input file; choose another -o")
    if args.workers is not None and args.workers < 1:
        usage(f"--workers must be at least 1, not {args.workers}")
    if args.partition_lines < 1:
        usage(f"--partition-lines must be at least 1, not {args.partition_lines}")
    options = batch.MaskFileOptions(
        tuple(cli_pairs), args.seal_key, args.conversation_id, args.allow_unsealed
    )
    stderr = make_console(sys.stderr)
    failed = done = 0
    with ExitStack() as stack:
        sink = _open_output(stack, args.output)
        progress = stack.enter_context(
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=stderr,
                disable=args.quiet or not stderr.is_terminal,
                transient=False,
            )
        )
        task = progress.add_task("masking", total=inputs.count_lines())
        records = stack.enter_context(
            batch.masked_records(
                inputs.lines(),
                worker,
                options,
                workers=args.workers,
                scheduler=args.scheduler,
                partition_lines=args.partition_lines,
                progress=lambda lines: progress.advance(task, lines),
            )
        )
        for record in records:
            if "error" in record:
                failed += 1
                error = record["error"]
                where = f"{record['file']}:" if "file" in record else "line "
                progress.console.print(  # one line, never wrapped: logs are grepped
                    f"{where}{record['line']}: {error['type']} ({error['code']}): "
                    f"{error['message']}",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,
                )
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            done += 1
    if not args.quiet:
        print_error(f"{_plural(done, 'line')}: {done - failed} masked, {failed} failed")
    return EXIT_FAILED if failed else EXIT_OK


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _open_output(stack: ExitStack, path: str) -> IO[str]:
    if path == "-":
        return sys.stdout
    try:
        return stack.enter_context(open(path, "w", encoding="utf-8", newline="\n"))
    except OSError as exc:
        usage(f"cannot write {path!r}: {exc.strerror or type(exc).__name__}")


# --- entities -------------------------------------------------------------------------------


def entities(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    """The catalogue the mapper knows: the built-in rows, then the --config file's types."""
    specs = list(command_mapper(args, mapper).catalogue.specs.values())
    if args.json:
        rows = [
            {
                "name": spec.name,
                "aliases": list(spec.aliases),
                "detector": spec.detector.value,
                "custom": spec.name not in CATALOGUE,
                "description": spec.description,
            }
            for spec in specs
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    width = max(len(spec.name) for spec in specs)
    aliases = {spec.name: ", ".join(spec.aliases) for spec in specs}
    alias_width = min(40, max(len(text) for text in aliases.values()))
    kinds = {
        spec.name: spec.detector.value + ("" if spec.name in CATALOGUE else " (custom)")
        for spec in specs
    }
    print(f"{'NAME':<{width}}  {'ALIASES':<{alias_width}}  {'FOUND BY':<16}  DESCRIPTION")
    for spec in specs:
        print(
            f"{spec.name:<{width}}  {aliases[spec.name]:<{alias_width}}  "
            f"{kinds[spec.name]:<16}  {spec.description}"
        )
    return EXIT_OK


# --- keygen ---------------------------------------------------------------------------------


def keygen(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    from pii_mapper.mapping import generate_seal_key

    print(generate_seal_key())
    return EXIT_OK
