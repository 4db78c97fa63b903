"""``pii-mapper demo``: a sample conversation masked with the real model, answered by a
stand-in model that echoes the placeholders it was shown, and the reply unmasked."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pii_mapper.chat import messages_problem
from pii_mapper.cli.commands import EXIT_OK, command_mapper, make_console, read_file, usage
from pii_mapper.entities import CATALOGUE
from pii_mapper.headers import HISTORY_HEADER
from pii_mapper.mapper import PiiMapper
from pii_mapper.mapping import ConversationMapping
from pii_mapper.placeholders import find_markers, marker_regions, unbracketed, variant_pattern

__all__ = ["SAMPLE_CONVERSATION", "demo", "echo_model"]


def _sample_conversation() -> Path:
    """The demo's conversation: the copy the wheel ships inside the package, else the
    source tree's ``examples/`` (an editable install, ``make demo``)."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "examples" / "sample_conversation.json"
    return shipped if shipped.is_file() else package.parent / "examples" / shipped.name


SAMPLE_CONVERSATION = _sample_conversation()


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


def demo(args: argparse.Namespace, mapper: PiiMapper | None) -> int:
    from rich.table import Table
    from rich.text import Text

    path = args.file if args.file is not None else str(SAMPLE_CONVERSATION)
    if args.file is None and not SAMPLE_CONVERSATION.is_file():
        usage(f"the sample conversation {path} is not here; pass --file FILE")
    try:
        conversation = json.loads(read_file(path, "conversation file"))
    except json.JSONDecodeError as exc:
        usage(f"conversation file {path!r} is not JSON ({exc.msg}, line {exc.lineno})")
    if not isinstance(conversation, dict):
        usage(f'conversation file {path!r}: expected an object {{"messages": [...]}}')
    messages = conversation.get("messages")
    problem = messages_problem(messages, allow_empty=False)
    headers = conversation.get("headers", {})
    if problem is not None or not isinstance(headers, dict):
        usage(f"conversation file {path!r}: {problem or 'headers must be an object'}")
    assert isinstance(messages, list)
    console = make_console(sys.stdout, args.color)

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
    worker = command_mapper(args, mapper)
    policy = worker.parse_headers(headers)
    section("2. the policy they parse into")
    from pii_mapper.cli.render import policy_lines

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
    console.print(Text(f"({mapping_summary(result.mapping)})", style="dim"))
    return EXIT_OK


def mapping_summary(mapping: ConversationMapping) -> str:
    return f"{len(mapping)} placeholders: {', '.join(mapping) or 'none'}"
