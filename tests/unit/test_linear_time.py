"""Hostile inputs finish in time linear in their size and still give the right result.

Each family once made part of detection super-linear: a cue followed by a long whitespace
run (regex backtracking), runs of ``@`` (the e-mail recogniser's local scans), long
punctuation runs (spaCy's tokenizer, through the excerpt map) and many known values sharing
a first word. Bounds are generous (a regression guard, not a benchmark): the old code took
seconds to hours on these sizes.
"""

import time
from collections.abc import Callable, Iterator

import pytest

from pii_mapper import ConversationMapping, PiiMapper, PiiPolicy, StaticDetector
from pii_mapper.detection import Detection
from pii_mapper.detection.engine import _Excerpt
from pii_mapper.detection.patterns import (
    ApiKeyRecognizer,
    CuedNameRecognizer,
    EmailRecognizer,
    EthereumAddressRecognizer,
    OrganizationRecognizer,
    PasswordRecognizer,
    PractitionerNumberRecognizer,
    TextDateRecognizer,
)
from pii_mapper.policy import AutoDetection, DeclaredSpan

RUN = 200_000


def timed(find: Callable[[str], Iterator[Detection]], text: str) -> tuple[float, list[str]]:
    list(find("Hi Ann, password: x1y2z3w4 token a1b2c3d4e5f6g7h8i9 a@example.com 3 May"))
    began = time.perf_counter()
    found = [f"{d.entity}:{text[d.start : d.end]}" for d in find(text)]
    return time.perf_counter() - began, found


@pytest.mark.parametrize(
    ("find", "text", "expected"),
    [
        (PasswordRecognizer().find, "password" + " " * RUN + "ab", []),
        (PasswordRecognizer().find, "password" + " " * RUN + "hunter2!", ["PASSWORD:hunter2!"]),
        (PasswordRecognizer().find, "password is" + "\t" * RUN + ":", []),
        (PasswordRecognizer().find, 'password "' + "a b " * (RUN // 4), []),
        (PasswordRecognizer().find, "pw" + " " * RUN + ":", []),
        (PasswordRecognizer().find, "db://" + "a" * RUN + ":", []),
        (PasswordRecognizer().find, "a://:" * (RUN // 5), []),
        (PasswordRecognizer().find, "curl -u " + "u" * RUN, []),
        (PasswordRecognizer().find, "Basic " + "QUFB" * (RUN // 4), []),
        (PasswordRecognizer().find, "PIN" + " " * RUN + "1234", ["PASSWORD:1234"]),
        (ApiKeyRecognizer().find, "-----BEGIN PRIVATE KEY-----" * (RUN // 27), []),
        (EmailRecognizer().find, "请" * RUN + "a@b.local", ["EMAIL_ADDRESS:a@b.local"]),
        (ApiKeyRecognizer().find, "token" + " " * RUN + "ab", []),
        (ApiKeyRecognizer().find, "Bearer" + "\n" * RUN + "ab", []),
        (
            ApiKeyRecognizer().find,
            "token" + " " * RUN + "9f8e7d6c5b4a39281706",
            ["API_KEY:9f8e7d6c5b4a39281706"],
        ),
        (CuedNameRecognizer().find, "Hi" + " " * RUN + "1", []),
        (CuedNameRecognizer().find, "Hi" + " " * RUN + "Maria", ["PERSON:Maria"]),
        (CuedNameRecognizer().find, "Thanks," + " " * RUN + "\n" + " " * RUN + "1", []),
        (TextDateRecognizer().find, "12" + " " * RUN + "of", []),
        (TextDateRecognizer().find, "Friday the" + " " * RUN + "1", []),
        (TextDateRecognizer().find, "2024年" * (RUN // 5), []),
        (TextDateRecognizer().find, "1-" + "a" * RUN + "-1990", []),
        (EmailRecognizer().find, "@" * RUN, []),
        (
            EmailRecognizer().find,
            "a@" * (RUN // 2) + " x@example.com",
            ["EMAIL_ADDRESS:x@example.com"],
        ),
        (EmailRecognizer().find, ("!" * 300 + "@") * (RUN // 301), []),
        (EmailRecognizer().find, ("a" * 300 + "@") * (RUN // 301), []),
        (OrganizationRecognizer().find, " AG" * (RUN // 3), []),
        (PasswordRecognizer().find, "code" + " " * RUN + "7720", ["PASSWORD:7720"]),
        (PasswordRecognizer().find, "code a" * (RUN // 6), []),
        (PasswordRecognizer().find, "pin " + "ab " * (RUN // 3) + "1234", []),
        (PasswordRecognizer().find, "password" + " was" * (RUN // 4), []),
        (EthereumAddressRecognizer().find, "0x" * (RUN // 2), []),
        (EthereumAddressRecognizer().find, "0x" + "a" * RUN, []),
        (PractitionerNumberRecognizer().find, "RPPS" + " " * RUN + "10101234567", []),
        (PractitionerNumberRecognizer().find, "RPPS n° " * (RUN // 8), []),
        (OrganizationRecognizer().find, "Acme" + " " * RUN + "GmbH", []),  # a name stands near
        (
            OrganizationRecognizer().find,
            "x , " * (RUN // 4) + "Acme GmbH",
            ["ORGANIZATION:Acme GmbH"],
        ),
    ],
)
def test_recognizers_read_hostile_runs_once(
    find: Callable[[str], Iterator[Detection]], text: str, expected: list[str]
) -> None:
    took, found = timed(find, text)
    assert found == expected
    assert took < 2.0  # linear: tens of milliseconds; quadratic: minutes to hours


def test_long_runs_are_shortened_for_spacy_with_exact_offsets() -> None:
    text = "Maria wrote " + "!" * 5000 + " to Tom" + " " * 3000 + "?!" * 400 + " Bo"
    excerpt = _Excerpt.of(text, 0, len(text))
    assert len(excerpt.text) < 200
    for name in ("Maria", "Tom", "Bo"):
        at = excerpt.text.index(name)
        assert excerpt.original(at, at + len(name)) == (
            text.index(name),
            text.index(name) + len(name),
        )
    # A span over a shortened run covers the whole run in the original.
    start = excerpt.text.index("wrote")
    end = excerpt.text.index(" to")
    assert excerpt.original(start, end) == (6, 6 + len("wrote ") + 5000)


def test_many_values_sharing_a_first_word_are_found_in_linear_time() -> None:
    history = {f"<PERSON_{i}>": f"word {i}" for i in range(1, 10_001)}
    policy = PiiPolicy(history=ConversationMapping(history), auto=AutoDetection(enabled=False))
    mapper = PiiMapper(StaticDetector({}))
    text = "word " * 100_000 + "word 9999 and word 7"
    began = time.perf_counter()
    result = mapper.mask(text, policy)
    assert time.perf_counter() - began < 10.0  # was hours at these sizes
    assert result.text.endswith("<PERSON_9999> and <PERSON_7>")


def test_history_values_recur_under_full_case_folding() -> None:
    policy = PiiPolicy(history=ConversationMapping({"<PERSON_1>": "Jürgen Weiß"}))
    result = PiiMapper(StaticDetector({})).mask("jürgen weiß agrees, JÜRGEN WEISS too", policy)
    assert result.text == "<PERSON_1> agrees, <PERSON_1> too"


def test_a_redacted_value_is_caught_again_in_capitals() -> None:
    policy = PiiPolicy(
        positions=(DeclaredSpan(start=0, end=11, action="redact"),),
        auto=AutoDetection(enabled=False),
    )
    result = PiiMapper(StaticDetector({})).mask("straßenbahn, then STRASSENBAHN", policy)
    assert result.text == "<PII_REDACTED>, then <PII_REDACTED>"


def test_invisible_characters_and_width_do_not_hide_a_known_value() -> None:
    policy = PiiPolicy(history=ConversationMapping({"<PHONE_NUMBER_1>": "+1 415 555 2671"}))
    text = "call +\uff11 \uff14\uff11\uff15 555 26\u200b71 now"
    result = PiiMapper(StaticDetector({})).mask(text, policy)
    assert result.text == "call <PHONE_NUMBER_1> now"


HOSTILE_UNITS = [" ", "\t", "\n", "!", ")", ".", "-", "@", "1", "a", "A", ":", "/", "1 ",
                 "a ", "A ", "1.", "a.", "a@", "1-", "Ab, ", "a1", "::", "Hi ", "A. ",
                 "1 St "]  # fmt: skip
CUES = ["password", "token", "api key", "Bearer", "Hi", "my name is", "Thanks,", "Feb", "12",
        "version", "+1", "Acme", "PO Box", "Hauptstraße"]  # fmt: skip


def hostile_texts(size: int) -> Iterator[str]:
    for unit in HOSTILE_UNITS:
        yield (unit * (size // len(unit) + 1))[:size]
    for cue in CUES:
        for run in (" ", "\t", "\n", ":", "-"):
            yield cue + run * size + "ab1"


def test_every_pattern_recognizer_is_linear_on_hostile_runs() -> None:
    """Every recognizer the detector runs, ours and Presidio's predefined patterns alike, on
    long runs and on cues followed by long runs: a new pattern that backtracks fails here."""
    from pii_mapper.detection.engine import _PATTERN_RECOGNIZERS

    slow = []
    for entity, builds in _PATTERN_RECOGNIZERS.items():
        for build in builds:
            recognizer = build()
            list(recognizer.find("warm up a@example.com 3 May 2020 +1 415 555 2671"))
            for text in hostile_texts(20_000):
                began = time.perf_counter()
                list(recognizer.find(text))
                took = time.perf_counter() - began
                if took > 0.5:  # linear: milliseconds; the old backtracking took tens of seconds
                    slow.append((entity, type(recognizer).__name__, text[:12], round(took, 2)))
    assert slow == []


@pytest.mark.parametrize(
    "text",
    ["a;b;c " * (RUN // 6) + "\nNom;Ville\n", "x" * RUN + "\n" + "Nom;Ville;Pays\n" * 3],
)
def test_telling_labels_from_values_reads_a_bounded_window_per_span(text: str) -> None:
    # The NER clean-up asks this of every span: it must not read the text before a span.
    from pii_mapper.detection.engine import is_markup_label

    began = time.perf_counter()
    labels = [is_markup_label(text, i, i + 1) for i in range(0, RUN, 20)]
    assert time.perf_counter() - began < 2.0
    assert not any(labels)
