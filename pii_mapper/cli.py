"""``pii-mapper``: the command line, thin over the library (docs/cli.md).

Subcommands: ``preview`` (the dry run, for a terminal, as JSON or as an HTML page), ``mask``,
``unmask``, ``mask-file`` (JSON Lines chat logs), ``entities`` (the entity types known),
``demo`` and ``keygen`` (a new seal key). ``--config FILE`` (default ``$PII_MAPPER_CONFIG``)
adds custom entity types. Headers are given as curl takes them:
``-H 'X-Pii-Mapping: email=mask, ssn=redact'``. ``python -m pii_mapper`` runs the same program.

Exit codes: 0 success; 2 the invocation is wrong (bad option, bad header, unreadable input,
bad seal key); 1 the work failed (detection error, rejected message, a line of
``mask-file`` that failed). Expected errors print one message, never a traceback.

:func:`main` takes an optional ``mapper``: tests pass one built on
:class:`~pii_mapper.detection.StaticDetector`; without one, ``PiiMapper()`` loads the real
model on first use.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from pii_mapper import batch
from pii_mapper.chat import messages_problem as _messages_problem
from pii_mapper.config import CONFIG_ENV, load_config
from pii_mapper.detection import Span
from pii_mapper.entities import CATALOGUE, using
from pii_mapper.errors import (
    ConfigurationError,
    EntityConfigError,
    MappingSealError,
    PiiHeaderError,
    PiiInputError,
    PiiMapperError,
)
from pii_mapper.headers import HISTORY_HEADER, PII_HEADERS, misspelt_pii_header
from pii_mapper.mapper import PiiMapper
from pii_mapper.mapping import ConversationMapping, decode_history_header
from pii_mapper.placeholders import find_markers, marker_regions, unbracketed, variant_pattern
from pii_mapper.policy import PiiPolicy
from pii_mapper.settings import HASH_KEY_ENV, SEAL_KEY_ENV, Settings

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "SAMPLE_CONVERSATION", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _sample_conversation() -> Path:
    """The demo's conversation: the copy the wheel ships inside the package, else the
    source tree's ``examples/`` (an editable install, ``make demo``)."""
    package = Path(__file__).resolve().parent
    shipped = package / "examples" / "sample_conversation.json"
    return shipped if shipped.is_file() else package.parent / "examples" / shipped.name


SAMPLE_CONVERSATION = _sample_conversation()

_PROG = "pii-mapper"
_HEADER_HINT = (
    "hint: give headers as curl does, e.g. -H 'X-Pii-Mapping: email=mask, ssn=redact'; "
    "the forms of each header are in docs/headers.md"
)


class UsageError(Exception):
    """The invocation is wrong (exit 2). The message never quotes message text."""


def _usage(message: str) -> NoReturn:
    raise UsageError(message)


# --- argument parsing -----------------------------------------------------------------------

_MAIN_EPILOG = f"""\
examples:
  {_PROG} preview -H 'X-Pii-Mapping: email=mask, ssn=redact' 'mail a.b@example.com SSN 536-22-8726'
  {_PROG} preview --html preview.html -f message.txt
  echo 'call Ada at +1 415 555 0134' | {_PROG} mask --mapping-out mapping.txt > masked.txt
  {_PROG} unmask --mapping-file mapping.txt 'I called <PERSON_1>.'
  {_PROG} mask-file chats.jsonl -o masked.jsonl
  {_PROG} entities --config entities.toml
  {_PROG} demo
  {_PROG} keygen                 # a new seal key, for --seal-key=KEY or ${SEAL_KEY_ENV}

custom entity types: --config FILE (default ${CONFIG_ENV}), a TOML file of [[entity]] tables.
exit codes: 0 ok, 1 the work failed (e.g. detection), 2 bad usage or a rejected header.
Run '{_PROG} COMMAND --help' for each command's options; docs/cli.md has the details.
"""

_PREVIEW_EPILOG = f"""\
examples:
  {_PROG} preview -H 'X-Pii-Mapping: email=mask, ssn=redact' 'mail a.b@example.com SSN 536-22-8726'
  {_PROG} preview -H 'X-Auto-Pii-Mapping: true' -H 'X-Pii-Positions: 0-3:person' 'Ada is here'
  {_PROG} preview --history history.json --json -f message.txt
  {_PROG} preview --html preview.html 'Ada Lovelace, ada@example.com'

The terminal view highlights each span in its action's colour: masked and kept spans show
their original, redacted and hashed ones only their marker. Without any -H, the library's
default applies: every detectable type is masked.
"""

_MASK_EPILOG = f"""\
examples:
  {_PROG} mask -H 'X-Pii-Mapping: email=mask' 'write to ada@example.com'
  cat message.txt | {_PROG} mask --mapping-out mapping.txt > masked.txt
  {_PROG} mask --json --history history.json -f message.txt

The masked text goes to stdout. The X-Chat-History-Pii-Mapping value (it holds the masked
originals: keep it safe, or seal it with --seal-key) goes to --mapping-out FILE, or else to
stderr as a header line.
"""

_UNMASK_EPILOG = f"""\
examples:
  {_PROG} unmask --mapping-file mapping.txt 'Sent to <EMAIL_ADDRESS_1>.'
  model-output | {_PROG} unmask --mapping "$MAPPING"
  {_PROG} unmask --seal-key="$KEY" --mapping 'v1.…' -f reply.txt

The mapping is an X-Chat-History-Pii-Mapping value (JSON, base64url or a sealed v1. token);
a whole header line 'X-Chat-History-Pii-Mapping: …' is accepted too.
"""

_MASK_FILE_EPILOG = f"""\
examples:
  {_PROG} mask-file chats.jsonl -o masked.jsonl
  {_PROG} mask-file chats.jsonl -H 'X-Pii-Mapping: *=mask, ssn=redact' --quiet > masked.jsonl

Each input line is one conversation:
  {{"id": 7, "messages": [{{"role": "user", "content": "…"}}, …],
   "headers": {{"X-Pii-Mapping": "…"}}}}
("id" and "headers" optional; a bare JSON list of messages is accepted too). Every message is
masked (its content, and the arguments of its tool calls, which stay valid JSON), with one
policy and one mapping per conversation; the last message is the current one
(X-Pii-Positions applies to it). Each output line is, in the same order:
  {{"line": 1, "id": 7, "messages": [...masked...], "mapping_header": "…", "counts": {{…}}}}
or, for a line that failed, {{"line": 2, "error": {{"type": …, "code": …, "message": …}}}}.
Other keys of an input line are dropped (they could hold PII). The exit code is 1 if any
line failed.
"""

_MAPPING_HINT = (
    f"hint: the mapping is the {HISTORY_HEADER} value that 'pii-mapper mask' printed; "
    "a sealed one (v1.…) needs the --seal-key it was sealed with"
)
_UNMASK_HINT = "the mapping: pass --mapping VALUE or --mapping-file FILE"


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Mask, redact, hash and unmask PII as the X-Pii-* request headers say.",
        epilog=_MAIN_EPILOG,
        formatter_class=formatter,
    )
    from pii_mapper import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str, epilog: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=help, description=help, epilog=epilog, formatter_class=formatter
        )

    preview = command("preview", "show what masking would do (a dry run)", _PREVIEW_EPILOG)
    _text_arguments(preview)
    _policy_arguments(preview)
    preview.add_argument(
        "--json", action="store_true", help="print the preview as JSON (PiiPreview)"
    )
    preview.add_argument(
        "--html", metavar="FILE", help="also write the preview as a self-contained HTML page"
    )
    _color_argument(preview)
    preview.set_defaults(handler=_preview)

    mask = command("mask", "mask a text; print it, and the mapping header", _MASK_EPILOG)
    _text_arguments(mask)
    _policy_arguments(mask)
    mask.add_argument(
        "--mapping-out",
        metavar="FILE",
        help="write the X-Chat-History-Pii-Mapping value to FILE instead of stderr",
    )
    mask.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: text, history, spans, mapping_header (nothing on stderr)",
    )
    mask.set_defaults(handler=_mask)

    unmask = command("unmask", "restore the placeholders of a mapping in a text", _UNMASK_EPILOG)
    _text_arguments(unmask)
    source = unmask.add_mutually_exclusive_group()
    source.add_argument(
        "--mapping",
        "-H",
        metavar="VALUE",
        help="the X-Chat-History-Pii-Mapping value (or, as curl writes it, the whole header)",
    )
    source.add_argument("--mapping-file", metavar="FILE", help="read the mapping value from FILE")
    _key_arguments(unmask)
    _config_argument(unmask)
    unmask.set_defaults(handler=_unmask)

    mask_file = command("mask-file", "mask a JSON Lines file of conversations", _MASK_FILE_EPILOG)
    mask_file.add_argument(
        "input", metavar="IN.jsonl", help="input file, or a quoted glob of files ('-' for stdin)"
    )
    mask_file.add_argument(
        "-o", "--output", metavar="OUT.jsonl", default="-", help="output file (default: stdout)"
    )
    _policy_arguments(mask_file, history=False)
    mask_file.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary"
    )
    dask = mask_file.add_mutually_exclusive_group()
    dask.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="mask on a local Dask cluster of N worker processes (needs pii-mapper[dask])",
    )
    dask.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="mask on the running Dask cluster of this scheduler (see docs/batch.md)",
    )
    mask_file.add_argument(
        "--partition-lines",
        type=int,
        default=batch.DEFAULT_PARTITION_LINES,
        metavar="N",
        help=f"lines per Dask task (default {batch.DEFAULT_PARTITION_LINES})",
    )
    mask_file.set_defaults(handler=_mask_file)

    demo = command(
        "demo",
        "mask a sample conversation with the real model, answer it with a stand-in "
        "model, and unmask the reply",
        f"""\
examples:
  {_PROG} demo
  {_PROG} demo --file my_conversation.json --color never

The sample is {SAMPLE_CONVERSATION.name}, shipped with the package; --file takes any
conversation in the mask-file line shape: {{"headers": {{…}}, "messages": [...]}}.
""",
    )
    entities = command(
        "entities",
        "list the entity types: canonical name, aliases, how they are found, description",
        f"""\
examples:
  {_PROG} entities
  {_PROG} entities --config entities.toml --json

Custom types come from --config FILE (default: ${CONFIG_ENV}), after the built-in ones.
""",
    )
    entities.add_argument("--json", action="store_true", help="print a JSON list of objects")
    _config_argument(entities)
    entities.set_defaults(handler=_entities)

    demo.add_argument("--file", metavar="FILE", help="a conversation in the mask-file line shape")
    _color_argument(demo)
    _config_argument(demo)
    demo.set_defaults(handler=_demo)

    keygen = command(
        "keygen",
        "print a new random seal key (32 bytes as base64url)",
        f"""\
examples:
  export {SEAL_KEY_ENV}="$({_PROG} keygen)"
  {_PROG} mask --seal-key="$({_PROG} keygen)" 'write to ada@example.com'

The key seals X-Chat-History-Pii-Mapping values (AES-256-GCM). Keep it secret; every server
that opens a conversation's mapping needs the same key.
""",
    )
    keygen.set_defaults(handler=_keygen)
    return parser


def _text_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "text", nargs="?", metavar="TEXT", help="the text ('-' or none with piped input: stdin)"
    )
    parser.add_argument("-f", "--file", metavar="FILE", help="read the text from FILE")


def _policy_arguments(parser: argparse.ArgumentParser, *, history: bool = True) -> None:
    parser.add_argument(
        "-H",
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a request header, as curl takes it (repeatable)",
    )
    if history:
        parser.add_argument(
            "--history",
            metavar="FILE",
            help='earlier messages: a JSON list of {"role": ..., "content": ...}',
        )
    _key_arguments(parser)
    _config_argument(parser)
    parser.add_argument(
        "--hash-key",
        metavar="KEY",
        help=f"key of the hash action's HMAC (default: ${HASH_KEY_ENV}, else random per run)",
    )


def _key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seal-key",
        metavar="KEY",
        help=(
            f"base64url AES-256 key of sealed mappings (default: ${SEAL_KEY_ENV}); "
            "write --seal-key=KEY, as a key may start with '-'"
        ),
    )
    parser.add_argument(
        "--conversation-id", metavar="ID", help="the conversation a sealed mapping is bound to"
    )
    parser.add_argument(
        "--allow-unsealed",
        action="store_true",
        help="with a seal key, accept a history mapping that is not sealed (JSON, base64url)",
    )


def _config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=os.environ.get(CONFIG_ENV),
        help=f"a TOML file of custom entity types, [[entity]] tables (default: ${CONFIG_ENV})",
    )


def _color_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colours in the terminal view (auto: when stdout is a terminal and NO_COLOR unset)",
    )


# --- entry point ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None, *, mapper: PiiMapper | None = None) -> int:
    """Run ``pii-mapper`` with ``argv`` (default: the process's); return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        # The environment is read once, here, by the rule servers use (Settings.from_env);
        # an option given on the command line wins over its variable.
        settings = Settings.from_env()
    except ConfigurationError as exc:
        _error(f"error: {exc}")
        return EXIT_USAGE
    for name in ("hash_key", "seal_key"):
        if getattr(args, name, None) is None and hasattr(args, name):
            setattr(args, name, getattr(settings, name))
    try:
        code: int = args.handler(args, mapper)
        return code
    except UsageError as exc:
        _error(f"{_PROG} {args.command}: error: {exc}")
        return EXIT_USAGE
    except PiiHeaderError as exc:
        _error(f"error: {exc}")
        _error(_MAPPING_HINT if exc.header == HISTORY_HEADER else _HEADER_HINT)
        return EXIT_USAGE
    except (MappingSealError, EntityConfigError) as exc:
        _error(f"error: {exc}")
        return EXIT_USAGE
    except PiiMapperError as exc:
        _error(f"error: {exc} [{exc.code}]")
        return EXIT_FAILED
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] == "rich":  # the library runs without it
            _error(
                "error: the pii-mapper command needs the 'rich' package: "
                "pip install 'pii-mapper[cli]'"
            )
            return EXIT_FAILED
        _error(
            f"error: a module that detection needs cannot be loaded ({type(exc).__name__}: "
            f"{exc}); is pii-mapper fully installed?"
        )
        return EXIT_FAILED
    except BrokenPipeError:  # e.g. `pii-mapper mask-file … | head`: stop quietly
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


def _error(message: str) -> None:
    print(message, file=sys.stderr)


def _mapper(args: argparse.Namespace, mapper: PiiMapper | None) -> PiiMapper:
    """The mapper to work with: the one given (tests), else the default; with the custom
    entity types of --config, if it names a file."""
    custom = load_config(args.config) if getattr(args, "config", None) else ()
    if mapper is not None:
        return mapper.with_custom_entities(custom) if custom else mapper
    return PiiMapper(hash_key=getattr(args, "hash_key", None), custom_entities=custom)


# --- inputs ---------------------------------------------------------------------------------


def _read_file(path: str, what: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        _usage(f"cannot read {what} {path!r}: {exc.strerror or type(exc).__name__}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _usage(f"{what} {path!r} is not UTF-8 text (byte {exc.start})")


def _write_file(path: str, content: str, encoding: str) -> None:
    try:
        Path(path).write_text(content, encoding=encoding)
    except OSError as exc:
        _usage(f"cannot write {path!r}: {exc.strerror or type(exc).__name__}")


def _read_stdin() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    try:
        text: str = buffer.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        _usage(f"stdin is not UTF-8 text (byte {exc.start})")
    return text


def _read_text(args: argparse.Namespace) -> tuple[str, bool]:
    """The text to work on, and whether it came as an argument (so needs a newline added)."""
    if args.text is not None and args.file is not None:
        _usage("give the text either as TEXT or with -f FILE, not both")
    if args.file is not None:
        return (
            (_read_stdin(), False) if args.file == "-" else (_read_file(args.file, "file"), False)
        )
    if args.text == "-":
        return _read_stdin(), False
    if args.text is not None:
        return args.text, True
    if sys.stdin is None or sys.stdin.isatty():
        _usage("no text given: pass TEXT, -f FILE, or pipe the text on stdin")
    return _read_stdin(), False


def _header_pairs(raw: Sequence[str]) -> list[tuple[str, str]]:
    """``-H 'Name: value'`` arguments as (name, value) pairs; warns about non-PII headers."""
    pairs = []
    known = {name.casefold() for name in PII_HEADERS}
    for number, item in enumerate(raw, start=1):
        name, colon, value = item.partition(":")
        name = name.strip()
        if not colon or not name or any(ch.isspace() for ch in name):
            _usage(
                f"-H argument {number} is not 'Name: value' (e.g. -H 'X-Pii-Mapping: email=mask')"
            )
        if name.casefold() not in known:
            guess = misspelt_pii_header(name)  # the rule the FastAPI integration warns by
            hint = f"; did you mean {guess}?" if guess else ""
            _error(f"warning: -H {name!r} is not one of the PII headers, ignored{hint}")
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
        value = json.loads(_read_file(path, "history file"))
    except json.JSONDecodeError as exc:
        _usage(f"history file {path!r} is not JSON ({exc.msg}, line {exc.lineno})")
    problem = _messages_problem(value)
    if problem is not None:
        _usage(f"history file {path!r}: {problem}")
    return list(value)


def _write_text(text: str, from_argument: bool) -> None:
    """Text to stdout: as is when it came from a file or stdin, with a newline after an
    argument's (so the shell prompt starts on its own line)."""
    sys.stdout.write(text + ("\n" if from_argument and not text.endswith("\n") else ""))
    sys.stdout.flush()


def _console(stream: IO[str], color: str = "auto") -> Console:
    from rich.console import Console

    if color == "always":
        return Console(file=stream, force_terminal=True, highlight=False)
    if color == "never":
        return Console(file=stream, no_color=True, color_system=None, highlight=False)
    return Console(file=stream, highlight=False)


# --- preview --------------------------------------------------------------------------------


def _preview(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    from pii_mapper import _cli_render

    worker = _mapper(args, mapper)
    policy, history, text, _ = _request(args, worker)
    preview = worker.preview(text, policy, history)
    new = [(k, v) for k, v in preview.mapping.items() if k not in policy.history]
    # Entries the policy now redacts or hashes are not in the preview's mapping: not here either.
    kept = policy.history.without(k for k in policy.history if k not in preview.mapping)
    with using(worker.catalogue):  # the preview's mapping may hold custom placeholders
        mapping = kept.extended(new) if new else kept
    header = mapping.to_header(args.seal_key, conversation_id=args.conversation_id)
    if args.html is not None:
        _write_file(args.html, _cli_render.html_page(preview, text, history, header), "utf-8")
        _error(f"wrote the HTML preview to {args.html}")
    if args.json:
        sys.stdout.write(preview.model_dump_json(indent=2) + "\n")
    else:
        console = _console(sys.stdout, args.color)
        _cli_render.print_preview(console, preview, text, history, header)
    return EXIT_OK


# --- mask / unmask --------------------------------------------------------------------------


def _mask(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    worker = _mapper(args, mapper)
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
        _write_file(args.mapping_out, header + "\n", "ascii")
    _write_text(result.text, from_argument)
    if args.mapping_out is None:
        _error(f"{HISTORY_HEADER}: {header}")
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


def _unmask(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    if args.mapping is not None:
        value = args.mapping
    elif args.mapping_file is not None:
        value = _read_file(args.mapping_file, "mapping file")
    else:
        _usage(f"no mapping given: {_UNMASK_HINT}")
    header = _HEADER_LINE.match(value)
    if header is not None:
        if header.group(1).casefold() != HISTORY_HEADER.casefold():
            _usage(f"unmask needs only the {HISTORY_HEADER} header, not {header.group(1)}")
        value = value[header.end() :]
    value = value.strip()
    unmasker = _mapper(args, mapper)
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


def _mask_file(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    cli_pairs = _header_pairs(args.header)
    worker = _mapper(args, mapper)
    _policy(args, cli_pairs, worker)  # a bad -H is a usage error before any line is read
    try:
        inputs = batch.InputFiles.of(args.input)
    except PiiInputError as exc:
        _usage(str(exc))
    if args.output != "-" and any(_same_file(path, args.output) for path in inputs.paths):
        _usage("the output file is the input file; choose another -o")
    if args.workers is not None and args.workers < 1:
        _usage(f"--workers must be at least 1, not {args.workers}")
    if args.partition_lines < 1:
        _usage(f"--partition-lines must be at least 1, not {args.partition_lines}")
    options = batch.MaskFileOptions(
        tuple(cli_pairs), args.seal_key, args.conversation_id, args.allow_unsealed
    )
    stderr = _console(sys.stderr)
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
        _error(f"{_plural(done, 'line')}: {done - failed} masked, {failed} failed")
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
        _usage(f"cannot write {path!r}: {exc.strerror or type(exc).__name__}")


# --- demo -----------------------------------------------------------------------------------


def echo_model(messages: Sequence[dict[str, Any]]) -> str:
    """A stand-in chat model: it answers with the placeholders and markers it was shown,
    writing one placeholder as models sometimes do (``[person_1]``) to show that unmasking
    tolerates it."""
    seen: list[str] = []
    markers: list[str] = []
    for message in messages:
        content = message.get("content") or ""
        for match in find_markers(content):
            found = match.group()
            kind = seen if match.group("number") is not None else markers
            if found not in kind:
                kind.append(found)
    if not seen:
        reply = "Echo model: hello! I was shown no placeholder."
    else:
        variant = "[" + unbracketed(seen[0]).lower() + "]"
        reply = f"Echo model: hello {variant}!"
        if seen[1:]:
            reply += f" Noted: {', '.join(seen[1:])}."
    if markers:
        reply += f" I cannot know what these stand for: {', '.join(markers)}."
    return reply


def _demo(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    from rich.table import Table
    from rich.text import Text

    path = args.file if args.file is not None else str(SAMPLE_CONVERSATION)
    if args.file is None and not SAMPLE_CONVERSATION.is_file():
        _usage(f"the sample conversation {path} is not here; pass --file FILE")
    try:
        conversation = json.loads(_read_file(path, "conversation file"))
    except json.JSONDecodeError as exc:
        _usage(f"conversation file {path!r} is not JSON ({exc.msg}, line {exc.lineno})")
    if not isinstance(conversation, dict):
        _usage(f'conversation file {path!r}: expected an object {{"messages": [...]}}')
    messages = conversation.get("messages")
    problem = _messages_problem(messages, allow_empty=False)
    headers = conversation.get("headers", {})
    if problem is not None or not isinstance(headers, dict):
        _usage(f"conversation file {path!r}: {problem or 'headers must be an object'}")
    assert isinstance(messages, list)
    console = _console(sys.stdout, args.color)

    def section(title: str) -> None:
        console.print()
        console.rule(Text(title, style="bold"), align="left")

    def show(role: str, content: str) -> None:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=10, justify="right", style="bold")
        grid.add_column(overflow="fold")
        text = Text(content)
        for start, end in marker_regions(content):
            text.stylize("bold cyan", start, end)
        text.highlight_regex(variant_pattern(frozenset(CATALOGUE)), "bold cyan")
        grid.add_row(Text(f"{role}:"), text)
        console.print(grid)

    section("1. request headers")
    for name, value in headers.items():
        console.print(Text(f"{name}: {value}"))
    worker = _mapper(args, mapper)
    policy = worker.parse_headers(headers)
    section("2. the policy they parse into")
    from pii_mapper._cli_render import policy_lines

    for name, value in policy_lines(policy):
        console.print(Text.assemble((f"{name}: ", "bold"), value))
    section("3. the conversation as the client holds it")
    for message in messages:
        show(message["role"], message.get("content") or "")

    console.print()
    console.print(Text("masking (the first run loads the spaCy model)…", style="dim"))
    result = worker.mask_messages(messages, policy)
    masked = [dict(m) for m in result.messages]
    section("4. what the model is sent (masked)")
    for message in masked:
        show(message["role"], message.get("content") or "")
    section("5. the reply of a stand-in model (it echoes the placeholders it saw)")
    reply = echo_model(masked)
    show("assistant", reply)
    section("6. the reply unmasked, as the client receives it")
    show("assistant", worker.unmask(reply, result.mapping))
    section("7. the mapping, sent back next turn")
    header = result.mapping.to_header()
    console.print(Text(f"{HISTORY_HEADER}: {header}"), soft_wrap=True)
    console.print(Text(f"({_mapping_summary(result.mapping)})", style="dim"))
    return EXIT_OK


# --- entities -------------------------------------------------------------------------------


def _entities(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    """The catalogue the mapper knows: the built-in rows, then the --config file's types."""
    specs = list(_mapper(args, mapper).catalogue.specs.values())
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


def _keygen(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    from pii_mapper.mapping import generate_seal_key

    print(generate_seal_key())
    return EXIT_OK


def _mapping_summary(mapping: ConversationMapping) -> str:
    return f"{len(mapping)} placeholders: {', '.join(mapping) or 'none'}"


if __name__ == "__main__":
    sys.exit(main())
