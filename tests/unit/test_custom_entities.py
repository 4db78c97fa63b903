"""Custom entity types: definitions, detection, the four actions, history, headers, isolation."""

from __future__ import annotations

import threading
import time

import pytest

import pii_mapper as pm
from pii_mapper import CustomEntity, EntityConfigError, PiiMapper, StaticDetector
from pii_mapper.detection.custom import DenyList, nested_repetition
from pii_mapper.errors import DetectionError, PiiHeaderError

EMP = CustomEntity(
    "EMPLOYEE_ID",
    patterns=[r"\bEMP-\d{6}\b"],
    aliases=("employee",),
    context=("employee", "staff"),
)
PROJECT = CustomEntity("PROJECT", deny_list=["Bluebird", "Nightjar", "Blue Heron"])


def make(*custom: CustomEntity, values: dict[str, str] | None = None) -> PiiMapper:
    return PiiMapper(StaticDetector(values or {}), hash_key=b"k" * 32, custom_entities=custom)


# --- definitions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"name": "employee_id", "patterns": ["x"]}, "name must be upper snake case"),
        ({"name": "EMP_1", "patterns": ["x"]}, "name must be upper snake case"),
        ({"name": "A__B", "patterns": ["x"]}, "name must be upper snake case"),
        ({"name": "X_REDACTED", "patterns": ["x"]}, "not end in _REDACTED"),
        ({"name": "PERSON", "patterns": ["x"]}, "built-in type PERSON"),
        ({"name": "EMAIL", "patterns": ["x"]}, "built-in type EMAIL_ADDRESS"),
        ({"name": "THING"}, "give patterns, a deny_list, or both"),
        ({"name": "THING", "patterns": ["("]}, "patterns item 1: the pattern does not compile"),
        ({"name": "THING", "patterns": ["ok", "(a+)+$"]}, "patterns item 2: the group"),
        ({"name": "THING", "patterns": "abc"}, "patterns must be a list of strings"),
        ({"name": "THING", "patterns": ["x"], "aliases": ["phone"]}, "built-in type PHONE"),
        ({"name": "THING", "patterns": ["x"], "aliases": ["a", "A"]}, "repeats the name"),
        ({"name": "THING", "patterns": ["x"], "aliases": ["thing"]}, "repeats the name"),
        ({"name": "THING", "patterns": ["x"], "aliases": ["no=way"]}, "must be a word"),
        ({"name": "THING", "patterns": ["x"], "score": 0}, "score must be a number"),
        ({"name": "THING", "patterns": ["x"], "score": 1.5}, "score must be a number"),
        ({"name": "THING", "patterns": ["x"], "validate": "no"}, "validate must be a callable"),
        ({"name": "THING", "deny_list": ["ok", "  "]}, "deny_list item 2 must be text"),
    ],
)
def test_a_bad_definition_is_an_error_naming_the_field(
    kwargs: dict[str, object], expected: str
) -> None:
    name = kwargs.pop("name")
    with pytest.raises(EntityConfigError, match="custom entity") as caught:
        CustomEntity(name, **kwargs)  # type: ignore[arg-type]
    assert expected in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert caught.value.code == "invalid_entity_config"


def test_a_definition_is_frozen_and_its_repr_hides_the_deny_list() -> None:
    with pytest.raises(AttributeError):
        PROJECT.name = "OTHER"  # type: ignore[misc]
    assert "Bluebird" not in repr(PROJECT)
    assert "3 values" in repr(PROJECT)
    assert CustomEntity("PROJECT", deny_list=["Bluebird", "Nightjar", "Blue Heron"]) == PROJECT


def test_two_custom_types_cannot_share_a_name_or_alias() -> None:
    other = CustomEntity("STAFF_ID", patterns=["x"], aliases=("employee",))
    with pytest.raises(EntityConfigError, match="'employee' of STAFF_ID already names"):
        make(EMP, other)
    with pytest.raises(EntityConfigError, match="defined twice"):
        make(EMP, EMP)
    with pytest.raises(EntityConfigError, match="expected a CustomEntity"):
        PiiMapper(StaticDetector({}), custom_entities=["EMPLOYEE_ID"])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("pattern", "nested"),
    [
        ("(a+)+", True),
        (r"(\w+\s?)*", True),
        ("(?:x|y*){2,}", True),
        ("((ab)*c)+", True),
        ("(a+)+?", True),
        ("(ab)+", False),
        ("(a+)?", False),
        ("(a+){1}", False),
        (r"\(a+\)+", False),
        ("[(]+a*", False),
        (r"\bEMP-\d{6}\b", False),
        (r"(\d{3}-)+", False),
        ("(a?)*", True),
        ("(a{1,3})+", True),
        ("(a{2})+", False),
        ("(?:ab|cd)*", False),
        ("(?P<x>a+)+", True),
        (r"(?<!\w)(?:a+b)", False),
        ("((a+)b)c+", False),
    ],
)
def test_a_repeated_repetition_is_recognised(pattern: str, nested: bool) -> None:
    assert (nested_repetition(pattern) is not None) is nested


# --- detection -----------------------------------------------------------------------------


def detect(mapper: PiiMapper, text: str, header: str = "*=mask") -> list[tuple[str, str, float]]:
    policy = mapper.parse_headers({"X-Pii-Mapping": header})
    preview = mapper.preview(text, policy)
    return [(text[s.start : s.end], s.entity, s.score) for s in preview.spans]


def test_a_pattern_finds_its_type_and_context_words_raise_the_score() -> None:
    mapper = make(EMP)
    assert detect(mapper, "ticket EMP-004211 closed") == [("EMP-004211", "EMPLOYEE_ID", 0.6)]
    found = detect(mapper, "our staff member EMP-004211")
    assert found == [("EMP-004211", "EMPLOYEE_ID", pytest.approx(0.95))]
    assert detect(mapper, "EMP-0042111 and XEMP-004211") == []


def test_validate_keeps_or_drops_a_match() -> None:
    even = CustomEntity("TICKET", patterns=[r"\bT\d{4}\b"], validate=lambda v: int(v[1:]) % 2 == 0)
    assert detect(make(even), "T1234 T1235") == [("T1234", "TICKET", 1.0)]


def test_a_failing_validate_fails_closed() -> None:
    def broken(value: str) -> bool:
        raise RuntimeError(value)

    mapper = make(CustomEntity("TICKET", patterns=[r"T\d+"], validate=broken))
    with pytest.raises(DetectionError) as caught:
        mapper.mask("T1", mapper.parse_headers({"X-Pii-Mapping": "ticket=mask"}))
    assert "T1" not in str(caught.value)


def test_the_deny_list_is_case_insensitive_and_whole_words_only() -> None:
    mapper = make(PROJECT)
    text = "BLUEBIRD, nightjar; Bluebirds, blue  heron, xBluebird, Blue-Heron, Nightjar's"
    found = [value for value, _, _ in detect(mapper, text)]
    assert found == ["BLUEBIRD", "nightjar", "blue  heron", "Nightjar"]


def test_a_deny_list_value_in_another_script_or_width_is_found() -> None:
    mapper = make(CustomEntity("CODENAME", deny_list=["Weiß", "\uff21\uff22\uff23"]))
    assert [v for v, _, _ in detect(mapper, "WEISS and abc")] == ["WEISS", "abc"]


def test_thousands_of_deny_list_values_take_time_linear_in_the_text() -> None:
    values = [f"Codename{n} Alpha{n % 7}" for n in range(20_000)]
    values += [f"Alpha{n}" for n in range(2000)]
    deny = DenyList(values)
    base = "some words about Codename17 Alpha3 and Alpha5 then more " * 50  # 2.8 KB

    def timed(text: str) -> float:
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            found = list(deny.find(text))
            best = min(best, time.perf_counter() - start)
        assert len(found) == text.count("Codename17 Alpha3") + text.count("Alpha5")
        return best

    # Best of five, over texts long enough to time (~50 KB and ~450 KB, ~3 MB/s); the bound
    # is generous for a shared machine, and far below what a quadratic search would take.
    small, large = timed(base * 20), timed(base * 160)
    assert large < small * 8 * 4
    # A text made of nothing but first words of values: each step is bounded by the trie.
    hostile = " ".join(f"Codename{n}" for n in range(5000))
    start = time.perf_counter()
    assert list(deny.find(hostile)) == []
    assert time.perf_counter() - start < 1.0


def test_a_pattern_that_runs_out_of_time_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    import pii_mapper.detection.custom as custom

    monkeypatch.setattr(custom, "PATTERN_TIMEOUT_SECONDS", 0.05)
    # Alternatives that overlap backtrack exponentially without a nested repetition.
    slow = CustomEntity("SLOW", patterns=[r"^(?:a|a)*$"])
    mapper = make(slow)
    with pytest.raises(DetectionError, match="ran out of time"):
        mapper.mask("a" * 40 + "b", mapper.parse_headers({"X-Pii-Mapping": "slow=mask"}))


def test_custom_types_are_detected_only_when_the_policy_asks() -> None:
    mapper = make(EMP, PROJECT, values={"Ada": "PERSON"})
    text = "Ada on Bluebird, EMP-004211"
    only_person = mapper.parse_headers({"X-Pii-Mapping": "person=mask"})
    assert mapper.mask(text, only_person).text == "<PERSON_1> on Bluebird, EMP-004211"
    named = mapper.parse_headers({"X-Pii-Mapping": "project=hash"})
    assert mapper.mask(text, named).text.startswith("Ada on <PROJECT#")
    auto = mapper.parse_headers({"X-Auto-Pii-Mapping": "entities=employee"})
    assert mapper.mask(text, auto).text == "Ada on Bluebird, <EMPLOYEE_ID_1>"
    default = mapper.parse_headers({})
    assert mapper.mask(text, default).text == "<PERSON_1> on <PROJECT_1>, <EMPLOYEE_ID_1>"


def test_the_detector_is_never_asked_for_a_custom_type() -> None:
    detector = StaticDetector({"Ada": "PERSON"})
    mapper = PiiMapper(detector, custom_entities=[PROJECT])
    mapper.mask("Bluebird", mapper.parse_headers({"X-Pii-Mapping": "project=mask"}))
    assert detector.calls == 0


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("mask", "<EMPLOYEE_ID_1> on <PROJECT_1>; <PROJECT_1> again"),
        ("redact", "<EMPLOYEE_ID_REDACTED> on <PROJECT_REDACTED>; <PROJECT_REDACTED> again"),
        ("keep", "EMP-004211 on Bluebird; bluebird again"),
    ],
)
def test_all_actions_and_consistency(action: str, expected: str) -> None:
    mapper = make(EMP, PROJECT)
    policy = mapper.parse_headers({"X-Pii-Mapping": f"*={action}"})
    result = mapper.mask("EMP-004211 on Bluebird; bluebird again", policy)
    assert result.text == expected


def test_hash_of_a_custom_type_is_stable_and_case_insensitive() -> None:
    mapper = make(PROJECT)
    policy = mapper.parse_headers({"X-Pii-Mapping": "project=hash"})
    first, second = mapper.mask("Bluebird / BLUEBIRD", policy).text.split(" / ")
    assert first == second
    assert first.startswith("<PROJECT#")


def test_the_spec_example() -> None:
    mapper = pm.PiiMapper(custom_entities=[EMP, PROJECT])
    policy = mapper.parse_headers({"X-Pii-Mapping": "employee=redact, project=mask"})
    assert mapper.mask("EMP-004211 works on Bluebird", policy).text == (
        "<EMPLOYEE_ID_REDACTED> works on <PROJECT_1>"
    )


# --- headers, history, unmasking -----------------------------------------------------------


def test_headers_know_custom_names_aliases_and_suggest_them() -> None:
    mapper = make(EMP, PROJECT)
    policy = mapper.parse_headers(
        {"X-Pii-Mapping": "Employee=redact, project = mask", "X-Pii-Positions": "0-3:employee"}
    )
    assert policy.explicit_action("EMPLOYEE_ID") is pm.Action.REDACT
    assert policy.positions[0].entity == "EMPLOYEE_ID"
    with pytest.raises(PiiHeaderError, match="did you mean PROJECT"):
        mapper.parse_headers({"X-Pii-Mapping": "projekt=mask"})
    with pytest.raises(PiiHeaderError, match="unknown entity type 'project'"):
        pm.parse_headers({"X-Pii-Mapping": "project=mask"})
    with pytest.raises(PiiHeaderError) as caught:
        pm.parse_headers({"X-Pii-Mapping": "projekt=mask"})
    assert "PROJECT" not in str(caught.value)


def test_a_history_placeholder_of_a_custom_type_needs_a_mapper_that_knows_it() -> None:
    mapper = make(PROJECT)
    first = mapper.mask("Bluebird", mapper.parse_headers({"X-Pii-Mapping": "project=mask"}))
    header = first.mapping.to_header()
    with pytest.raises(PiiHeaderError, match="not a placeholder of a known entity type"):
        pm.parse_headers({"X-Chat-History-Pii-Mapping": header})
    with pytest.raises(PiiHeaderError, match="not a placeholder of a known entity type"):
        make(EMP).parse_headers({"X-Chat-History-Pii-Mapping": header})
    policy = mapper.parse_headers(
        {"X-Pii-Mapping": "project=mask", "X-Chat-History-Pii-Mapping": header}
    )
    second = mapper.mask("Nightjar and BLUEBIRD", policy)
    assert second.text == "<PROJECT_2> and <PROJECT_1>"
    assert second.mapping.to_dict() == {"<PROJECT_1>": "Bluebird", "<PROJECT_2>": "Nightjar"}
    assert "Bluebird" not in repr(second.mapping)


def test_unmasking_restores_custom_placeholders_and_their_variants() -> None:
    mapper = make(EMP, PROJECT)
    result = mapper.mask("EMP-004211 on Bluebird", mapper.parse_headers({}))
    reply = "[employee-id 1] works on project_1 (<PROJECT_1>), not <PROJECT_12>"
    expected = "EMP-004211 works on Bluebird (Bluebird), not <PROJECT_12>"
    assert mapper.unmask(reply, result.mapping) == expected
    for size in (1, 2, 3, 7):
        chunks = [reply[i : i + size] for i in range(0, len(reply), size)]
        assert "".join(mapper.unmask_stream(chunks, result.mapping)) == expected
    assert mapper.unmask_json({"a": [reply]}, result.mapping) == {"a": [expected]}
    text, report = mapper.unmask_with_report(reply, result.mapping)
    assert text == expected
    assert report.unknown == 1
    # The module-level unmasking knows the built-in catalogue only: it leaves a custom form
    # as written, and a plain dict with a custom placeholder is not a mapping it accepts.
    assert pm.unmask("<PROJECT_1>", result.mapping) == "<PROJECT_1>"
    with pytest.raises(pm.PiiInputError, match="not a placeholder of a known entity type"):
        pm.unmask("<PROJECT_1>", result.mapping.to_dict())


def test_two_mappers_do_not_see_each_others_types() -> None:
    a = make(PROJECT)
    b = make(CustomEntity("PROJECT_CODE", deny_list=["Bluebird"], aliases=("code",)))
    errors: list[BaseException] = []

    def run(mapper: PiiMapper, header: str, expected: str, other: str) -> None:
        try:
            for _ in range(200):
                policy = mapper.parse_headers({"X-Pii-Mapping": header})
                assert mapper.mask("Bluebird", policy).text == expected
                with pytest.raises(PiiHeaderError):
                    mapper.parse_headers({"X-Pii-Mapping": f"{other}=mask"})
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(a, "project=mask", "<PROJECT_1>", "code")),
        threading.Thread(target=run, args=(b, "code=mask", "<PROJECT_CODE_1>", "project")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with pytest.raises(PiiHeaderError):
        pm.parse_headers({"X-Pii-Mapping": "project=mask"})


def test_extra_recognizers_run_next_to_the_detector() -> None:
    from pii_mapper.detection import Detection

    class Badge:
        name = "BadgeRecognizer"
        entity = "US_PASSPORT"

        def find(self, text: str):  # type: ignore[no-untyped-def]
            index = text.find("B-77")
            if index >= 0:
                yield Detection(index, index + 4, self.entity, 0.9, self.name)

    mapper = PiiMapper(StaticDetector({"Ada": "PERSON"}), recognizers=[Badge()])
    preview = mapper.preview("Ada has B-77", pm.parse_headers({}))
    assert [(s.entity, s.recognizer) for s in preview.spans] == [
        ("PERSON", "static"),
        ("US_PASSPORT", "BadgeRecognizer"),
    ]
