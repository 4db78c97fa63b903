"""The hand-written evaluation set: messages written by people, not by templates or Faker.

Files ``benchmarks/data/handwritten/<lang>.txt`` hold one message per record. A record starts
with a header line and runs until the next one (blank lines inside a message are kept; the
blank lines before the next header are not)::

    ### en-017 | tags: lowercase, support
    hi, its {{PERSON|priya sharma}} from accounts. can you reset my vpn pw?
    call me on {{PHONE_NUMBER|07700 900123}}

Inline markup ``{{ENTITY|value}}`` marks a gold PII span (``ENTITY`` a catalogue name, or one
of :data:`PLANNED_ENTITIES`); ``{{NOT|value}}`` marks a hard negative, text that looks like
PII but is not (a form label, a relative date, a product code). Markup does not nest; the
value may hold any character but ``{{``, ``}}`` and a line break.

``python -m benchmarks.handwritten`` checks every file and prints counts per language and type.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pii_mapper.entities import CATALOGUE

__all__ = [
    "DATA",
    "PLANNED_ENTITIES",
    "GoldSpan",
    "HandwrittenError",
    "HandwrittenMessage",
    "load",
    "load_all",
    "main",
    "parse",
]

DATA = Path(__file__).resolve().parent / "data" / "handwritten"

# National identifiers the catalogue is gaining (SPEC §9); gold data may use them already.
PLANNED_ENTITIES = frozenset(
    {"FR_NIR", "UK_NINO", "DE_TAX_ID", "ES_NIF", "IT_FISCAL_CODE", "NL_BSN", "PASSPORT"}
)
NEGATIVE = "NOT"

_HEADER = re.compile(r"^### (?P<id>[a-z]{2}-\d{3,})(?: \| tags: (?P<tags>[\w ,-]*))?\s*$")
_MARKUP = re.compile(r"\{\{(?P<entity>[A-Z_]+)\|(?P<value>(?:(?!\{\{|\}\})[^\n])+)\}\}")


class HandwrittenError(ValueError):
    """A record of the hand-written set that does not follow the format."""


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    entity: str


@dataclass(frozen=True, slots=True)
class HandwrittenMessage:
    id: str
    lang: str
    tags: tuple[str, ...]
    text: str
    spans: tuple[GoldSpan, ...]
    negatives: tuple[tuple[int, int], ...]


def parse(source: str, lang: str, *, where: str = "<string>") -> list[HandwrittenMessage]:
    """The records of one file's text, with markup removed and gold offsets in code points."""
    messages: list[HandwrittenMessage] = []
    header: re.Match[str] | None = None
    body: list[str] = []
    seen: set[str] = set()

    def close(line_number: int) -> None:
        if header is None:
            if any(line.strip() for line in body):
                raise HandwrittenError(f"{where}:{line_number}: text before the first header")
            return
        raw = "\n".join(body).strip("\n")
        if not raw.strip():
            raise HandwrittenError(f"{where}: record {header['id']} is empty")
        messages.append(_record(header, raw, lang, where))

    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith("### "):
            close(number)
            header = _HEADER.match(line)
            if header is None:
                raise HandwrittenError(
                    f"{where}:{number}: expected '### <lang>-<NNN> | tags: a, b', got {line!r}"
                )
            if not header["id"].startswith(f"{lang}-"):
                raise HandwrittenError(f"{where}:{number}: id {header['id']} is not {lang}-…")
            if header["id"] in seen:
                raise HandwrittenError(f"{where}:{number}: id {header['id']} appears twice")
            seen.add(header["id"])
            body = []
        else:
            body.append(line)
    close(len(source.splitlines()) + 1)
    return messages


def _record(header: re.Match[str], raw: str, lang: str, where: str) -> HandwrittenMessage:
    text: list[str] = []
    spans: list[GoldSpan] = []
    negatives: list[tuple[int, int]] = []
    length = 0
    cursor = 0
    for match in _MARKUP.finditer(raw):
        before = raw[cursor : match.start()]
        text.append(before)
        length += len(before)
        entity, value = match["entity"], match["value"]
        if entity == NEGATIVE:
            negatives.append((length, length + len(value)))
        elif entity in CATALOGUE or entity in PLANNED_ENTITIES:
            spans.append(GoldSpan(length, length + len(value), entity))
        else:
            raise HandwrittenError(f"{where}: record {header['id']}: unknown entity {entity}")
        text.append(value)
        length += len(value)
        cursor = match.end()
    text.append(raw[cursor:])
    joined = "".join(text)
    if "{{" in joined or "}}" in joined:
        raise HandwrittenError(f"{where}: record {header['id']}: unbalanced or malformed markup")
    tags = tuple(tag.strip() for tag in (header["tags"] or "").split(",") if tag.strip())
    return HandwrittenMessage(header["id"], lang, tags, joined, tuple(spans), tuple(negatives))


def load(lang: str, directory: Path = DATA) -> list[HandwrittenMessage]:
    path = directory / f"{lang}.txt"
    return parse(path.read_text(encoding="utf-8"), lang, where=str(path))


def load_all(directory: Path = DATA) -> Iterator[HandwrittenMessage]:
    for path in sorted(directory.glob("*.txt")):
        yield from load(path.stem, directory)


def main() -> int:
    total = 0
    for path in sorted(DATA.glob("*.txt")):
        messages = load(path.stem)
        kinds = Counter(span.entity for message in messages for span in message.spans)
        negatives = sum(len(message.negatives) for message in messages)
        total += len(messages)
        listed = ", ".join(f"{name} {count}" for name, count in kinds.most_common())
        print(f"{path.stem}: {len(messages)} messages, {negatives} hard negatives; {listed}")
    print(f"{total} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
