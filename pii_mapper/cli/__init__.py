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

The package: :mod:`~pii_mapper.cli.parser` (the arguments), :mod:`~pii_mapper.cli.commands`
(one function per command), :mod:`~pii_mapper.cli.demo`, :mod:`~pii_mapper.cli.render` (the
preview in a terminal and as HTML).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence

from pii_mapper.cli import commands
from pii_mapper.cli.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, print_error
from pii_mapper.cli.demo import SAMPLE_CONVERSATION, demo
from pii_mapper.cli.parser import PROG, build_parser
from pii_mapper.errors import (
    ConfigurationError,
    EntityConfigError,
    MappingSealError,
    PiiHeaderError,
    PiiMapperError,
)
from pii_mapper.headers import HISTORY_HEADER
from pii_mapper.mapper import PiiMapper
from pii_mapper.settings import Settings

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "SAMPLE_CONVERSATION", "main"]

_HEADER_HINT = (
    "hint: give headers as curl does, e.g. -H 'X-Pii-Mapping: email=mask, ssn=redact'; "
    "the forms of each header are in docs/headers.md"
)
_MAPPING_HINT = (
    f"hint: the mapping is the {HISTORY_HEADER} value that 'pii-mapper mask' printed; "
    "a sealed one (v1.…) needs the --seal-key it was sealed with"
)

# Each command's function, by the name the parser gives it.
_COMMANDS: dict[str, Callable[[argparse.Namespace, PiiMapper | None], int]] = {
    "preview": commands.preview,
    "mask": commands.mask,
    "unmask": commands.unmask,
    "mask-file": commands.mask_file,
    "entities": commands.entities,
    "demo": demo,
    "keygen": commands.keygen,
}


def main(argv: Sequence[str] | None = None, *, mapper: PiiMapper | None = None) -> int:
    """Run ``pii-mapper`` with ``argv`` (default: the process's); return the exit code."""
    parser = build_parser()
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
        print_error(f"error: {exc}")
        return EXIT_USAGE
    for name in ("hash_key", "seal_key"):
        if getattr(args, name, None) is None and hasattr(args, name):
            setattr(args, name, getattr(settings, name))
    try:
        code: int = _COMMANDS[args.command](args, mapper)
        return code
    except UsageError as exc:
        print_error(f"{PROG} {args.command}: error: {exc}")
        return EXIT_USAGE
    except PiiHeaderError as exc:
        print_error(f"error: {exc}")
        print_error(_MAPPING_HINT if exc.header == HISTORY_HEADER else _HEADER_HINT)
        return EXIT_USAGE
    except (MappingSealError, EntityConfigError) as exc:
        print_error(f"error: {exc}")
        return EXIT_USAGE
    except PiiMapperError as exc:
        print_error(f"error: {exc} [{exc.code}]")
        return EXIT_FAILED
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] == "rich":  # the library runs without it
            print_error(
                "error: the pii-mapper command needs the 'rich' package: "
                "pip install 'pii-mapper[cli]'"
            )
            return EXIT_FAILED
        print_error(
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
