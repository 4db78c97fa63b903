"""The hand-written set's format and loader (benchmarks.handwritten): exact offsets after the
markup is removed, and every format error reported as HandwrittenError with where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.handwritten import (
    GoldSpan,
    HandwrittenError,
    HandwrittenMessage,
    load,
    load_all,
    parse,
)

SOURCE = """\
### en-001 | tags: lowercase, support
hi, its {{PERSON|priya sharma}} from accounts. can you reset my vpn pw?
call me on {{PHONE_NUMBER|07700 900123}} {{NOT|tomorrow}}

### en-002
Ship to:
{{LOCATION|Flat 2, 14 Elm Road}}

thanks, NI {{UK_NINO|QQ 12 34 56 C}} é{{PERSON|Zoë}}


"""


def test_offsets_are_exact_code_points_of_the_text_without_markup() -> None:
    first, second = parse(SOURCE, "en")
    assert first == HandwrittenMessage(
        id="en-001",
        lang="en",
        tags=("lowercase", "support"),
        text="hi, its priya sharma from accounts. can you reset my vpn pw?\n"
        "call me on 07700 900123 tomorrow",
        spans=(GoldSpan(8, 20, "PERSON"), GoldSpan(72, 84, "PHONE_NUMBER")),
        negatives=((85, 93),),
    )
    # blank lines inside a record are kept, the ones before the next header are not
    assert second.text == "Ship to:\nFlat 2, 14 Elm Road\n\nthanks, NI QQ 12 34 56 C éZoë"
    assert second.tags == ()
    values = [(second.text[s.start : s.end], s.entity) for s in second.spans]
    assert values == [
        ("Flat 2, 14 Elm Road", "LOCATION"),
        ("QQ 12 34 56 C", "UK_NINO"),  # a planned type is accepted
        ("Zoë", "PERSON"),  # offsets count code points, not bytes
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("stray\n### en-001\nx\n", r"f\.txt:2: text before the first header"),
        ("### en-1\nx\n", r"f\.txt:1: expected '### <lang>-<NNN>"),
        ("### en-001 tags: a\nx\n", r"f\.txt:1: expected"),
        ("### fr-001\nx\n", r"f\.txt:1: id fr-001 is not en-"),
        ("### en-001\nx\n### en-001\ny\n", r"f\.txt:3: id en-001 appears twice"),
        ("### en-001\n\n\n### en-002\nx\n", r"f\.txt: record en-001 is empty"),
        ("### en-001\nhi {{NAME|Ann}}\n", r"f\.txt: record en-001: unknown entity NAME"),
        ("### en-001\nhi {{PERSON|Ann}\n", r"f\.txt: record en-001: unbalanced or malformed"),
        ("### en-001\nhi {{PERSON|An\nn}}\n", r"f\.txt: record en-001: unbalanced or malformed"),
        ("### en-001\n{{PERSON|{{NOT|x}}}}\n", r"f\.txt: record en-001: unbalanced or malformed"),
    ],
)
def test_format_errors_say_where(source: str, message: str) -> None:
    with pytest.raises(HandwrittenError, match=message):
        parse(source, "en", where="f.txt")


def test_errors_do_not_echo_marked_values() -> None:
    with pytest.raises(HandwrittenError) as caught:
        parse("### en-001\nmy {{NAME|Priya Sharma}}\n", "en", where="f.txt")
    assert "Priya" not in str(caught.value)


def test_load_reads_a_language_file_and_load_all_every_file(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "de.txt").write_text("### de-001\nIch bin {{PERSON|Jörg}}.\n", encoding="utf-8")
    (tmp_path / ".gitkeep").write_text("", encoding="utf-8")
    assert [m.id for m in load("en", tmp_path)] == ["en-001", "en-002"]
    assert [(m.id, m.lang) for m in load_all(tmp_path)] == [
        ("de-001", "de"),
        ("en-001", "en"),
        ("en-002", "en"),
    ]
    (tmp_path / "en.txt").write_text("### de-001\nx\n", encoding="utf-8")
    with pytest.raises(HandwrittenError, match=r"en\.txt:1: id de-001 is not en-"):
        load("en", tmp_path)
