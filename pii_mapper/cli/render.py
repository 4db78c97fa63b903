"""How ``pii-mapper preview`` shows a :class:`~pii_mapper.preview.PiiPreview`: in a terminal
(with ``rich``) and as a self-contained HTML page.

Both views show the caller's own texts with each span highlighted. A masked or kept span
shows its original (the caller typed it); a redacted or hashed span shows its replacement
instead, so that the original of a strict action is never displayed, even to its owner.
Every span carries a number that leads to its row in the table of spans.

``rich`` is imported by the terminal renderer only, when it is called.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pii_mapper.detection import Span
from pii_mapper.errors import PiiHeaderError
from pii_mapper.headers import (
    AUTO_HEADER,
    HISTORY_HEADER,
    MAPPING_HEADER,
    POSITIONS_HEADER,
    render_auto_mapping,
    render_pii_mapping,
    render_positions,
)
from pii_mapper.policy import Action, PiiPolicy
from pii_mapper.preview import PiiPreview

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "ACTION_NOTES",
    "TextView",
    "html_page",
    "policy_lines",
    "print_preview",
    "shows_original",
    "text_views",
]

# What each action does, in the words of the legend.
ACTION_NOTES = {
    Action.MASK: "placeholder <ENTITY_N>; unmasking restores it (shown: the original)",
    Action.REDACT: "marker <ENTITY_REDACTED>; never restored (shown: the marker)",
    Action.HASH: "marker <ENTITY#hhhhhhhh>; not restorable (shown: the marker)",
    Action.KEEP: "flagged but left in the clear (shown: the original)",
}

# Terminal styles (rich) and HTML colours, one per action.
_STYLES = {
    Action.MASK: "black on cyan",
    Action.REDACT: "bold white on red",
    Action.HASH: "black on magenta",
    Action.KEEP: "black on green",
}
_HTML_COLOURS = {
    Action.MASK: "#9be7f0",
    Action.REDACT: "#f4a3a3",
    Action.HASH: "#dcb6f2",
    Action.KEEP: "#b8e6b0",
}
# Foreground colours for entity names in the table: one per type, stable across runs.
_ENTITY_COLOURS = ("cyan", "green", "yellow", "magenta", "blue", "bright_red", "bright_cyan")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def shows_original(action: Action) -> bool:
    """Whether a span of ``action`` is displayed by its original text (else its replacement)."""
    return action in (Action.MASK, Action.KEEP)


@dataclass(frozen=True, slots=True)
class TextView:
    """One text of the conversation as displayed: its label, its original, and its spans
    paired with their row numbers in the table."""

    label: str
    text: str
    spans: tuple[tuple[int, Span], ...]

    def segments(self) -> Iterator[tuple[str, int | None, Span | None]]:
        """``(shown text, row number, span)`` pieces; number and span are None between spans."""
        cursor = 0
        for number, span in self.spans:
            if span.start > cursor:
                yield self.text[cursor : span.start], None, None
            shown = self.text[span.start : span.end] if shows_original(span.action) else None
            yield (shown if shown is not None else span.replacement), number, span
            cursor = span.end
        if cursor < len(self.text):
            yield self.text[cursor:], None, None


def text_views(
    preview: PiiPreview, message: str, history: Sequence[dict[str, Any]]
) -> list[TextView]:
    """The history's texts (those with content) and the message, each with its numbered spans."""
    numbered = list(enumerate(preview.spans, start=1))
    views = []
    for index, item in enumerate(history):
        content = item.get("content")
        role = item.get("role")
        label = f"history[{index}] · {role}" if isinstance(role, str) else f"history[{index}]"
        if isinstance(content, str):
            spans = tuple((n, s) for n, s in numbered if s.message == index and s.tool_call is None)
            views.append(TextView(label, content, spans))
        calls = item.get("tool_calls")
        for call, arguments in enumerate(_arguments(calls) if isinstance(calls, list) else []):
            if arguments is not None:
                spans = tuple(
                    (n, s) for n, s in numbered if s.message == index and s.tool_call == call
                )
                views.append(TextView(f"{label} · tool call {call} arguments", arguments, spans))
    views.append(
        TextView("message", message, tuple((n, s) for n, s in numbered if s.message is None))
    )
    return views


def _where(span: Span) -> str:
    """Which text a span is in: the message, a history message, or a tool call's arguments."""
    if span.message is None:
        return "message"
    call = f".tool_calls[{span.tool_call}]" if span.tool_call is not None else ""
    return f"history[{span.message}]{call}"


def _arguments(calls: list[Any]) -> list[str | None]:
    """The ``function.arguments`` text of each tool call (None where it has none)."""
    found: list[str | None] = []
    for call in calls:
        function = call.get("function") if isinstance(call, dict) else None
        arguments = function.get("arguments") if isinstance(function, dict) else None
        found.append(arguments if isinstance(arguments, str) else None)
    return found


def policy_lines(policy: PiiPolicy) -> list[tuple[str, str]]:
    """The policy as normalised header values, plus a line on what happens to other types.

    The history mapping is shown by its placeholders only: its values are PII.
    """
    lines: list[tuple[str, str]] = []
    if policy.rules:
        lines.append((MAPPING_HEADER, render_pii_mapping(policy.rules)))
    try:
        lines.append((AUTO_HEADER, render_auto_mapping(policy.auto)))
    except PiiHeaderError:
        lines.append((AUTO_HEADER, policy.auto.model_dump_json()))
    if policy.positions:
        lines.append((POSITIONS_HEADER, render_positions(policy.positions, policy.units)))
    if len(policy.history):
        shown = ", ".join(list(policy.history)[:8]) + (", …" if len(policy.history) > 8 else "")
        lines.append((HISTORY_HEADER, f"{len(policy.history)} placeholders ({shown})"))
    if policy.auto.enabled:
        which = (
            "every detectable type"
            if policy.auto.entities is None
            else "|".join(sorted(policy.auto.entities))
        )
        threshold = "" if policy.auto.threshold is None else f", threshold {policy.auto.threshold}"
        others = f"found automatically ({which}) and get {policy.auto.action.value}{threshold}"
    else:
        others = "are not looked for"
    lines.append(("other entity types", others))
    return lines


def _span_place(span: Span) -> str:
    place = f"{span.start}-{span.end}"
    if (span.start_utf16, span.end_utf16) != (span.start, span.end):
        place += f" (utf16 {span.start_utf16}-{span.end_utf16})"
    return place


def _span_text(view: TextView, span: Span) -> str | None:
    """The original a table row may show: only for mask and keep."""
    return view.text[span.start : span.end] if shows_original(span.action) else None


def _entity_colour(entity: str) -> str:
    return _ENTITY_COLOURS[sum(map(ord, entity)) % len(_ENTITY_COLOURS)]


# --- terminal -------------------------------------------------------------------------------


def print_preview(
    console: Console,
    preview: PiiPreview,
    message: str,
    history: Sequence[dict[str, Any]],
    mapping_header: str,
) -> None:
    """The terminal view: policy, highlighted texts, legend, span table, masked message,
    warnings and the mapping header to send back."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    plain = console.color_system is None or console.no_color  # then spans get [brackets]
    views = text_views(preview, message, history)

    console.rule(Text("PII preview", style="bold"))
    for name, value in policy_lines(preview.policy):
        console.print(Text.assemble((f"{name}: ", "bold"), value))

    for view in views:
        console.print()
        console.print(Text(view.label, style="bold underline"))
        line = Text()
        for shown, number, span in view.segments():
            if span is None:
                line.append(shown)
                continue
            line.append(f"[{shown}]" if plain else shown, style=_STYLES[span.action])
            line.append(str(number).translate(_SUPERSCRIPT), style="dim")
        console.print(line)

    console.print()
    console.print(Text("legend", style="bold underline"))
    for action in Action:
        console.print(
            Text.assemble(
                "  ", (f" {action.value:<6} ", _STYLES[action]), f"  {ACTION_NOTES[action]}"
            )
        )

    console.print()
    if preview.spans:
        has_history = any(span.message is not None for span in preview.spans)
        table = Table(
            title="spans",
            title_justify="left",
            header_style="bold",
            box=box.SIMPLE_HEAD,
            padding=(0, 1, 0, 0),
            pad_edge=False,
        )
        # Every column but the original text keeps its width: entity names, actions and
        # replacements must read whole; the text folds.
        table.add_column("#", justify="right", no_wrap=True)
        if has_history:
            table.add_column("in", overflow="fold")
        table.add_column("span", no_wrap=True)
        table.add_column("entity", no_wrap=True)
        table.add_column("action", no_wrap=True)
        # What found the span says its source too: "declared" for a declared span (a merged
        # span that holds one is led by it), a recognizer's name or "known-value" otherwise.
        table.add_column("found by", no_wrap=True)
        table.add_column("score", justify="right", no_wrap=True)
        table.add_column("replacement", no_wrap=True)
        table.add_column("text", overflow="fold")
        by_span = {id(s): v for v in views for _, s in v.spans}
        for number, span in enumerate(preview.spans, start=1):
            original = _span_text(by_span[id(span)], span)
            row = [Text(str(number))]
            if has_history:
                row.append(Text(_where(span)))
            row += [
                Text(_span_place(span)),
                Text(span.entity, style=_entity_colour(span.entity)),
                Text(span.action.value, style=_STYLES[span.action]),
                Text(span.recognizer),
                Text(f"{span.score:.2f}"),
                Text(span.replacement),
                Text(original) if original is not None else Text("(hidden)", style="dim"),
            ]
            table.add_row(*row)
        console.print(table)
    else:
        console.print(Text("no spans: nothing would be replaced", style="bold"))
    counts = ", ".join(f"{entity} {n}" for entity, n in sorted(preview.counts.items()))
    if counts:
        console.print(Text.assemble(("counts: ", "bold"), counts))

    console.print()
    console.print(Text("masked message (what the model would see)", style="bold underline"))
    console.print(Text(preview.message))
    if preview.warnings:
        console.print()
        for warning in preview.warnings:
            console.print(Text.assemble(("warning: ", "bold yellow"), warning))
    console.print()
    console.print(Text("mapping header to send back with the next turn", style="bold underline"))
    console.print(Text(f"{HISTORY_HEADER}: {mapping_header}"), soft_wrap=True)


# --- HTML -----------------------------------------------------------------------------------

_CSS = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
pre.text { white-space: pre-wrap; word-break: break-word; background: #f7f7f7;
  padding: .75em 1em; border-radius: 6px; }
mark.pii { border-radius: 3px; padding: 0 .15em; color: #111; }
mark.pii sup { font-size: .7em; margin-left: .15em; color: #444; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: .2em .6em;
  text-align: left; vertical-align: top; }
td.num { text-align: right; } .hidden { color: #888; font-style: italic; }
dl.policy dt { font-weight: bold; } dl.policy dd { margin: 0 0 .4em 1.5em; }
ul.legend { list-style: none; padding: 0; } ul.legend li { margin: .2em 0; }
.warning { color: #8a5300; } code.mapping { word-break: break-all; }
"""


def html_page(
    preview: PiiPreview,
    message: str,
    history: Sequence[dict[str, Any]],
    mapping_header: str,
) -> str:
    """A self-contained HTML page of the preview: inline CSS, no script, no external resource
    (a Content-Security-Policy forbids them), every text HTML-escaped."""
    e = html.escape
    views = text_views(preview, message, history)
    colours = "".join(
        f"mark.pii-{action.value} {{ background: {colour}; }}\n"
        for action, colour in _HTML_COLOURS.items()
    )
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>PII preview</title>",
        f"<style>{_CSS}{colours}</style></head><body>",
        "<h1>PII preview</h1>",
        '<section id="policy"><h2>Policy</h2><dl class="policy">',
    ]
    for name, value in policy_lines(preview.policy):
        out.append(f"<dt>{e(name)}</dt><dd><code>{e(value)}</code></dd>")
    out.append('</dl></section><section id="conversation"><h2>Conversation</h2>')
    for view in views:
        pieces = []
        for shown, number, span in view.segments():
            if span is None:
                pieces.append(e(shown))
                continue
            title = (
                f"#{number} {span.entity} · {span.action.value} · {span.source.value} · "
                f"{span.recognizer} · score {span.score:.2f} → {span.replacement}"
            )
            pieces.append(
                f'<mark class="pii pii-{span.action.value}" data-span="{number}" '
                f'data-entity="{e(span.entity)}" data-action="{span.action.value}" '
                f'data-replacement="{e(span.replacement)}" data-recognizer="{e(span.recognizer)}" '
                f'title="{e(title)}">'
                f"{e(shown)}<sup>{number}</sup></mark>"
            )
        out.append(f'<h3>{e(view.label)}</h3><pre class="text">{"".join(pieces)}</pre>')
    out.append('</section><section id="legend"><h2>Legend</h2><ul class="legend">')
    for action in Action:
        out.append(
            f'<li><mark class="pii pii-{action.value}">{action.value}</mark> '
            f"{e(ACTION_NOTES[action])}</li>"
        )
    out.append('</ul></section><section id="spans"><h2>Spans</h2>')
    if preview.spans:
        out.append(
            "<table><thead><tr><th>#</th><th>in</th><th>span</th><th>entity</th><th>action</th>"
            "<th>source</th><th>found by</th><th>score</th><th>text</th><th>replacement</th>"
            "</tr></thead><tbody>"
        )
        by_span = {id(s): v for v in views for _, s in v.spans}
        for number, span in enumerate(preview.spans, start=1):
            original = _span_text(by_span[id(span)], span)
            shown = e(original) if original is not None else '<span class="hidden">(hidden)</span>'
            where = _where(span)
            out.append(
                f'<tr class="span-row" data-span="{number}"><td class="num">{number}</td>'
                f"<td>{where}</td><td>{e(_span_place(span))}</td><td>{e(span.entity)}</td>"
                f'<td><mark class="pii pii-{span.action.value}">{span.action.value}</mark></td>'
                f"<td>{span.source.value}</td><td>{e(span.recognizer)}</td>"
                f'<td class="num">{span.score:.2f}</td>'
                f"<td>{shown}</td><td><code>{e(span.replacement)}</code></td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>No spans: nothing would be replaced.</p>")
    out.append(
        '</section><section id="masked"><h2>Masked message (what the model would see)</h2>'
        f'<pre class="text">{e(preview.message)}</pre></section>'
    )
    if preview.warnings:
        out.append('<section id="warnings"><h2>Warnings</h2><ul>')
        out.extend(f'<li class="warning">{e(w)}</li>' for w in preview.warnings)
        out.append("</ul></section>")
    out.append(
        '<section id="mapping"><h2>Mapping header to send back with the next turn</h2>'
        f'<p><code class="mapping">{e(HISTORY_HEADER)}: {e(mapping_header)}</code></p></section>'
        "</body></html>\n"
    )
    return "\n".join(out)
