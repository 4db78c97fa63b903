"""The one documented import path (STYLE rule 1)."""

import subprocess
import sys

import pytest

import pii_mapper

SPEC_NAMES = {
    "parse_headers",
    "PiiMapper",
    "PiiHeaderError",
    "PiiPolicy",
    "PiiPreview",
    "MaskResult",
    "ConversationResult",
    "CustomEntity",
    "Recognizer",
    "RecognizerRegistry",
    "default_registry",
    "load_config",
}


def test_all_is_sorted_complete_and_importable() -> None:
    assert pii_mapper.__all__ == sorted(pii_mapper.__all__)
    assert set(pii_mapper.__all__) >= SPEC_NAMES
    for name in pii_mapper.__all__:
        assert hasattr(pii_mapper, name), name


def test_errors_are_also_builtin_errors() -> None:
    assert issubclass(pii_mapper.PiiHeaderError, ValueError)
    assert issubclass(pii_mapper.PiiInputError, ValueError)
    assert issubclass(pii_mapper.DetectionError, RuntimeError)
    assert issubclass(pii_mapper.ClusterError, RuntimeError)
    assert issubclass(pii_mapper.EntityConfigError, ValueError)
    errors = (
        "PiiHeaderError",
        "PiiInputError",
        "DetectionError",
        "MappingSealError",
        "ClusterError",
        "EntityConfigError",
    )
    for name in errors:
        assert issubclass(getattr(pii_mapper, name), pii_mapper.PiiMapperError)


def test_import_loads_no_pydantic_no_nlp_and_no_web_framework() -> None:
    heavy = [
        "pydantic",
        "spacy",
        "presidio_analyzer",
        "fastapi",
        "thinc",
        "cryptography",
        "dask",
        "distributed",
        "hypothesis",
    ]
    code = f"import sys, pii_mapper\nprint([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_package_doctest_runs() -> None:
    import doctest

    import pii_mapper

    result = doctest.testmod(pii_mapper)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_public_name_resolves_and_unknown_names_fail() -> None:
    import pii_mapper

    for name in pii_mapper.__all__:
        assert getattr(pii_mapper, name) is not None
    # Configuration from the environment, its error, and the async stream are public too.
    assert {"Settings", "ConfigurationError", "aunmask_stream"} <= set(pii_mapper.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = pii_mapper.nope  # type: ignore[attr-defined]


def test_the_public_names_are_listed_once() -> None:
    # The TYPE_CHECKING imports of __init__.py are the one list: __all__ and the lazy loading
    # table are read from them.
    import importlib

    assert pii_mapper.__all__ == sorted([*pii_mapper._EXPORTS, "__version__"])
    assert len(pii_mapper._EXPORTS) >= 30
    for name, module in pii_mapper._EXPORTS.items():
        assert getattr(importlib.import_module(module), name) is getattr(pii_mapper, name)


def test_the_library_works_without_rich() -> None:
    # rich is the [cli] extra's: masking and unmasking must not need it.
    code = (
        "import sys\n"
        "sys.modules['rich'] = None\n"
        "import pii_mapper as pm\n"
        "m = pm.PiiMapper(pm.StaticDetector({'ada@example.com': 'EMAIL_ADDRESS'}))\n"
        "r = m.mask('mail ada@example.com', pm.parse_headers({'X-Pii-Mapping': 'email=mask'}))\n"
        "print(r.text, m.unmask(r.text, r.mapping), sep='|')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "mail <EMAIL_ADDRESS_1>|mail ada@example.com"


def test_rich_is_not_a_core_dependency() -> None:
    import tomllib
    from pathlib import Path

    project = tomllib.loads(
        (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]
    assert not any(dep.startswith("rich") for dep in project["dependencies"])
    assert any(dep.startswith("rich") for dep in project["optional-dependencies"]["cli"])
    assert any(dep.startswith("rich") for dep in project["optional-dependencies"]["dev"])
