"""docs/custom_entities.md: its Python blocks run, in order, and print what they promise."""

from __future__ import annotations

import contextlib
import io
import itertools
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "custom_entities.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
TOML = re.compile(r"```toml\n(.*?)```", re.DOTALL)


def test_the_python_blocks_print_what_their_comments_say() -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 3
    namespace: dict[str, object] = {}
    for block in blocks:
        lines = block.splitlines()
        # A "# …" line right after a print() line is what that print writes.
        expected = [
            line.removeprefix("# ")
            for before, line in itertools.pairwise(lines)
            if before.lstrip().startswith("print(") and line.startswith("# ")
        ]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(DOC), "exec"), namespace)
        assert out.getvalue().splitlines() == expected


def test_the_toml_example_is_a_valid_config(tmp_path: Path) -> None:
    from pii_mapper import load_config

    (example,) = TOML.findall(DOC.read_text(encoding="utf-8"))
    path = tmp_path / "entities.toml"
    path.write_text(example, encoding="utf-8")
    assert [entity.name for entity in load_config(path)] == ["EMPLOYEE_ID", "PROJECT"]
