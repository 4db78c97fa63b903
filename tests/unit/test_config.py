"""Custom entity types from a TOML file (load_config), and the CLI's --config and entities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pii_mapper as pm
from pii_mapper.cli import main
from pii_mapper.config import load_config

CONFIG = """\
[[entity]]
name = "EMPLOYEE_ID"
patterns = ['\\bEMP-\\d{6}\\b']
aliases = ["employee"]
context = ["employee", "staff"]
description = "an employee number"

[[entity]]
name = "PROJECT"
deny_list = ["Bluebird", "Nightjar"]
validate = "builtins:bool"
score = 0.7
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entities.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_config_file_defines_custom_entities(tmp_path: Path) -> None:
    emp, project = load_config(write(tmp_path, CONFIG))
    assert emp == pm.CustomEntity(
        "EMPLOYEE_ID",
        patterns=[r"\bEMP-\d{6}\b"],
        aliases=["employee"],
        context=["employee", "staff"],
        description="an employee number",
    )
    assert project.deny_list == ("Bluebird", "Nightjar")
    assert project.validate is bool
    assert project.score == 0.7


def test_the_environment_names_the_default_file(tmp_path: Path) -> None:
    path = write(tmp_path, CONFIG)
    assert len(load_config(environ={"PII_MAPPER_CONFIG": str(path)})) == 2
    assert load_config(environ={}) == ()
    assert load_config(environ={"PII_MAPPER_CONFIG": " "}) == ()


BASE = "[[entity]]\nname = 'A'\npatterns = ['x']\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BASE + "colour = 'red'\n", "entity[1]: unknown key 'colour'"),
        ("[[entity]]\npatterns = ['x']\n", "entity[1]: the key 'name' is missing"),
        ("[[entity]]\nname = 'A'\npatterns = 'x'\n", "entity[1]: key 'patterns' must be a list"),
        ("[[entity]]\nname = 'A'\npatterns = [1]\n", "entity[1]: key 'patterns' must be a list"),
        (BASE + "score = 'high'\n", "key 'score' must be a number"),
        (BASE + "score = true\n", "key 'score' must be a number"),
        ("[[entity]]\nname = 1\npatterns = ['x']\n", "key 'name' must be a string"),
        (BASE + "validate = 'nope'\n", "'package.module:function'"),
        (BASE + "validate = 'no_such_mod:f'\n", "cannot be imported"),
        (BASE + "validate = 'math:pi'\n", "is not callable"),
        (BASE + "[[entity]]\nname = 'b'\npatterns = ['x']\n",
         "entity[2]: custom entity 'b': name must be upper snake case"),
        ("[[entity]]\nname = 'A'\npatterns = ['(']\n", "custom entity 'A': patterns item 1"),
        (BASE + "aliases = ['k']\n[[entity]]\nname = 'B'\n"
         "patterns = ['y']\naliases = ['k']\n", "'k' of B already names A"),
        ("name = 'A'\n", "unknown top-level key 'name'"),
        ("entity = 3\n", "'entity' must be an array of tables"),
        ("[[entity]\n", "not valid TOML"),
    ],
)  # fmt: skip
def test_a_bad_file_is_an_error_naming_file_table_and_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(pm.EntityConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert expected in str(caught.value)


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(pm.EntityConfigError, match="cannot read the configuration file"):
        load_config(tmp_path / "missing.toml")


def test_a_deny_list_value_is_never_quoted_in_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[[entity]]\nname = 'A'\ndeny_list = ['Bluebird', '--']\n")
    with pytest.raises(pm.EntityConfigError, match="deny_list item 2") as caught:
        load_config(path)
    assert "Bluebird" not in str(caught.value)


# --- the CLI ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("PII_MAPPER_CONFIG", "PII_MAPPER_SEAL_KEY", "PII_MAPPER_HASH_KEY"):
        monkeypatch.delenv(name, raising=False)


def mapper() -> pm.PiiMapper:
    return pm.PiiMapper(pm.StaticDetector({"a@b.example": "EMAIL_ADDRESS"}), hash_key=b"k" * 32)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), mapper=mapper())
    out, err = capsys.readouterr()
    return code, out, err


RULES = "X-Pii-Mapping: employee=redact, project=mask, email=mask"
TEXT = "EMP-004211 works on Bluebird, a@b.example"


def test_mask_preview_and_unmask_read_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(write(tmp_path, CONFIG))
    code, out, err = cli(capsys, "mask", "--config", config, "-H", RULES, TEXT)
    assert code == 0
    assert out == "<EMPLOYEE_ID_REDACTED> works on <PROJECT_1>, <EMAIL_ADDRESS_1>\n"
    header = err.strip().partition(": ")[2]
    code, out, _ = cli(capsys, "unmask", "--config", config, "--mapping", header, "[project 1]")
    assert (code, out) == (0, "Bluebird\n")
    code, out, _ = cli(capsys, "preview", "--config", config, "-H", RULES, "--json", TEXT)
    assert code == 0
    assert [s["entity"] for s in json.loads(out)["spans"]] == [
        "EMPLOYEE_ID",
        "PROJECT",
        "EMAIL_ADDRESS",
    ]


def test_the_environment_variable_is_the_default_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PII_MAPPER_CONFIG", str(write(tmp_path, CONFIG)))
    code, out, _ = cli(capsys, "mask", "-H", "X-Pii-Mapping: project=redact", "on Nightjar")
    assert (code, out) == (0, "on <PROJECT_REDACTED>\n")


def test_without_a_config_a_custom_name_is_an_unknown_header_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = cli(capsys, "mask", "-H", "X-Pii-Mapping: project=mask", "x")
    assert code == 2
    assert "unknown entity type 'project'" in err


def test_a_bad_config_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(write(tmp_path, "[[entity]]\nname = 'PERSON'\npatterns = ['x']\n"))
    code, _, err = cli(capsys, "preview", "--config", config, "x")
    assert code == 2
    assert f"error: {config}: entity[1]: custom entity 'PERSON'" in err
    assert "Traceback" not in err


def test_entities_lists_the_catalogue_and_the_custom_types(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "entities")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "ALIASES", "FOUND", "BY", "DESCRIPTION"]
    assert any(line.startswith("EMAIL_ADDRESS ") and "email, e-mail" in line for line in lines)
    assert "(custom)" not in out
    config = str(write(tmp_path, CONFIG))
    code, out, _ = cli(capsys, "entities", "--config", config)
    custom = [line for line in out.splitlines() if "(custom)" in line]
    assert [line.split()[0] for line in custom] == ["EMPLOYEE_ID", "PROJECT"]
    assert "an employee number" in custom[0]
    code, out, _ = cli(capsys, "entities", "--config", config, "--json")
    rows = json.loads(out)
    assert rows[-2] == {
        "name": "EMPLOYEE_ID",
        "aliases": ["employee"],
        "detector": "pattern",
        "custom": True,
        "description": "an employee number",
    }
    from pii_mapper.entities import CATALOGUE

    assert [row["name"] for row in rows if not row["custom"]] == list(CATALOGUE)
