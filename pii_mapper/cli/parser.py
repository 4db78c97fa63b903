"""The ``pii-mapper`` command's arguments: its commands, their options and help texts.

:func:`build_parser` only describes the command line; what each command does is in
:mod:`pii_mapper.cli.commands` (and :mod:`pii_mapper.cli.demo`), chosen by name in
:func:`pii_mapper.cli.main`.
"""

from __future__ import annotations

import argparse
import os

from pii_mapper import batch
from pii_mapper.cli.demo import SAMPLE_CONVERSATION
from pii_mapper.config import CONFIG_ENV
from pii_mapper.settings import HASH_KEY_ENV, SEAL_KEY_ENV

__all__ = ["PROG", "build_parser"]

PROG = "pii-mapper"

_MAIN_EPILOG = f"""\
examples:
  {PROG} preview -H 'X-Pii-Mapping: email=mask, ssn=redact' 'mail a.b@example.com SSN 536-22-8726'
  {PROG} preview --html preview.html -f message.txt
  echo 'call Ada at +1 415 555 0134' | {PROG} mask --mapping-out mapping.txt > masked.txt
  {PROG} unmask --mapping-file mapping.txt 'I called <PERSON_1>.'
  {PROG} mask-file chats.jsonl -o masked.jsonl
  {PROG} entities --config entities.toml
  {PROG} demo
  {PROG} keygen                 # a new seal key, for --seal-key=KEY or ${SEAL_KEY_ENV}

custom entity types: --config FILE (default ${CONFIG_ENV}), a TOML file of [[entity]] tables.
exit codes: 0 ok, 1 the work failed (e.g. detection), 2 bad usage or a rejected header.
Run '{PROG} COMMAND --help' for each command's options; docs/cli.md has the details.
"""

_PREVIEW_EPILOG = f"""\
examples:
  {PROG} preview -H 'X-Pii-Mapping: email=mask, ssn=redact' 'mail a.b@example.com SSN 536-22-8726'
  {PROG} preview -H 'X-Auto-Pii-Mapping: true' -H 'X-Pii-Positions: 0-3:person' 'Ada is here'
  {PROG} preview --history history.json --json -f message.txt
  {PROG} preview --html preview.html 'Ada Lovelace, ada@example.com'

The terminal view highlights each span in its action's colour: masked and kept spans show
their original, redacted and hashed ones only their marker. Without any -H, the library's
default applies: every detectable type is masked.
"""

_MASK_EPILOG = f"""\
examples:
  {PROG} mask -H 'X-Pii-Mapping: email=mask' 'write to ada@example.com'
  cat message.txt | {PROG} mask --mapping-out mapping.txt > masked.txt
  {PROG} mask --json --history history.json -f message.txt

The masked text goes to stdout. The X-Chat-History-Pii-Mapping value (it holds the masked
originals: keep it safe, or seal it with --seal-key) goes to --mapping-out FILE, or else to
stderr as a header line.
"""

_UNMASK_EPILOG = f"""\
examples:
  {PROG} unmask --mapping-file mapping.txt 'Sent to <EMAIL_ADDRESS_1>.'
  model-output | {PROG} unmask --mapping "$MAPPING"
  {PROG} unmask --seal-key="$KEY" --mapping 'v1.…' -f reply.txt

The mapping is an X-Chat-History-Pii-Mapping value (JSON, base64url or a sealed v1. token);
a whole header line 'X-Chat-History-Pii-Mapping: …' is accepted too.
"""

_MASK_FILE_EPILOG = f"""\
examples:
  {PROG} mask-file chats.jsonl -o masked.jsonl
  {PROG} mask-file chats.jsonl -H 'X-Pii-Mapping: *=mask, ssn=redact' --quiet > masked.jsonl

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


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG,
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

    demo = command(
        "demo",
        "mask a sample conversation with the real model, answer it with a stand-in "
        "model, and unmask the reply",
        f"""\
examples:
  {PROG} demo
  {PROG} demo --file my_conversation.json --color never

The sample is {SAMPLE_CONVERSATION.name}, shipped with the package; --file takes any
conversation in the mask-file line shape: {{"headers": {{…}}, "messages": [...]}}.
""",
    )
    entities = command(
        "entities",
        "list the entity types: canonical name, aliases, how they are found, description",
        f"""\
examples:
  {PROG} entities
  {PROG} entities --config entities.toml --json

Custom types come from --config FILE (default: ${CONFIG_ENV}), after the built-in ones.
""",
    )
    entities.add_argument("--json", action="store_true", help="print a JSON list of objects")
    _config_argument(entities)

    demo.add_argument("--file", metavar="FILE", help="a conversation in the mask-file line shape")
    _color_argument(demo)
    _config_argument(demo)

    command(
        "keygen",
        "print a new random seal key (32 bytes as base64url)",
        f"""\
examples:
  export {SEAL_KEY_ENV}="$({PROG} keygen)"
  {PROG} mask --seal-key="$({PROG} keygen)" 'write to ada@example.com'

The key seals X-Chat-History-Pii-Mapping values (AES-256-GCM). Keep it secret; every server
that opens a conversation's mapping needs the same key.
""",
    )
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
