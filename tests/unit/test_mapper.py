"""PiiMapper through the StaticDetector double: masking, history, consistency, preview."""

import json
from collections.abc import Sequence

import pytest

import pii_mapper as pm
from pii_mapper import (
    Action,
    AutoDetection,
    ChatMessage,
    ConversationMapping,
    DeclaredSpan,
    Detection,
    DetectionError,
    PiiInputError,
    PiiMapper,
    PiiPolicy,
    Rule,
    StaticDetector,
)
from pii_mapper.mapping import decode_history_header

VALUES = {
    "Ada Lovelace": "PERSON",
    "ada lovelace": "PERSON",
    "Grace Hopper": "PERSON",
    "ada@example.com": "EMAIL_ADDRESS",
    "ADA@EXAMPLE.COM": "EMAIL_ADDRESS",
    "536-22-8726": "US_SSN",
    "London": "LOCATION",
}


@pytest.fixture
def mapper() -> PiiMapper:
    return PiiMapper(StaticDetector(VALUES), hash_key=b"k" * 32)


def rules(**actions: str) -> PiiPolicy:
    return PiiPolicy(
        rules=tuple(Rule(entity=e, action=a) for e, a in actions.items()),
        auto=AutoDetection(enabled=False),
    )


def test_mask_numbers_per_type_in_order_of_first_appearance(mapper: PiiMapper) -> None:
    result = mapper.mask(
        "Grace Hopper met Ada Lovelace; ada@example.com", PiiPolicy(),
        history=[{"role": "user", "content": "I am Ada Lovelace from London"}],
    )  # fmt: skip
    assert result.history[0]["content"] == "I am <PERSON_1> from <LOCATION_1>"
    assert result.text == "<PERSON_2> met <PERSON_1>; <EMAIL_ADDRESS_1>"
    assert list(result.mapping.items()) == [
        ("<PERSON_1>", "Ada Lovelace"),
        ("<LOCATION_1>", "London"),
        ("<PERSON_2>", "Grace Hopper"),
        ("<EMAIL_ADDRESS_1>", "ada@example.com"),
    ]


def test_same_value_after_normalisation_gets_the_same_placeholder(mapper: PiiMapper) -> None:
    result = mapper.mask("ADA@EXAMPLE.COM and ada@example.com; ada lovelace", PiiPolicy(),
                         history=[ChatMessage(role="user", content="Ada Lovelace")])  # fmt: skip
    assert result.text == "<EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_1>; <PERSON_1>"
    assert result.mapping["<EMAIL_ADDRESS_1>"] == "ADA@EXAMPLE.COM"  # first surface form
    assert result.mapping["<PERSON_1>"] == "Ada Lovelace"
    assert isinstance(result.history[0], ChatMessage)


def test_history_mapping_seeds_placeholders_and_numbering(mapper: PiiMapper) -> None:
    seed = ConversationMapping({"<PERSON_3>": "ada lovelace"})
    result = mapper.mask("Ada Lovelace and Grace Hopper", PiiPolicy(history=seed))
    assert result.text == "<PERSON_3> and <PERSON_4>"
    assert list(result.mapping) == ["<PERSON_3>", "<PERSON_4>"]
    assert result.mapping["<PERSON_3>"] == "ada lovelace"


def test_numbers_used_by_placeholder_like_text_are_skipped(mapper: PiiMapper) -> None:
    result = mapper.mask("see [person-1] and <PERSON_2>: Ada Lovelace", PiiPolicy())
    assert result.text == "see [person-1] and <PERSON_2>: <PERSON_3>"
    assert (
        mapper.unmask(result.text, result.mapping) == "see [person-1] and <PERSON_2>: Ada Lovelace"
    )


def test_redact_hash_keep(mapper: PiiMapper) -> None:
    policy = rules(US_SSN="redact", EMAIL_ADDRESS="hash", PERSON="keep")
    result = mapper.mask("Ada Lovelace, ada@example.com, 536-22-8726", policy)
    assert result.text.startswith("Ada Lovelace, <EMAIL_ADDRESS#")
    assert result.text.endswith(", <US_SSN_REDACTED>")
    assert len(result.mapping) == 0
    assert [s.action for s in result.spans] == [Action.KEEP, Action.HASH, Action.REDACT]
    assert result.spans[0].replacement == "Ada Lovelace"


def test_hash_is_stable_per_key_and_normalised(mapper: PiiMapper) -> None:
    policy = rules(EMAIL_ADDRESS="hash")
    first = mapper.mask("ada@example.com", policy).text
    assert mapper.mask("ADA@EXAMPLE.COM", policy).text == first
    other = PiiMapper(StaticDetector(VALUES), hash_key=b"z" * 32)
    assert other.mask("ada@example.com", policy).text != first


def test_declared_positions_apply_to_the_message_only(mapper: PiiMapper) -> None:
    policy = PiiPolicy(
        positions=(DeclaredSpan(start=0, end=3, entity="PERSON"),),
        auto=AutoDetection(enabled=False),
    )
    result = mapper.mask("Bob!", policy, history=[{"role": "user", "content": "Bob!"}])
    assert result.text == "<PERSON_1>!"
    assert result.history[0]["content"] == "Bob!"


def test_history_items_keep_their_shape(mapper: PiiMapper) -> None:
    history = [
        {"role": "assistant", "content": None, "tool_calls": [{"id": "1"}]},
        {"role": "user", "content": "London", "name": "u1"},
    ]
    result = mapper.mask("hi", PiiPolicy(), history=history)
    assert result.history == (history[0], {"role": "user", "content": "<LOCATION_1>", "name": "u1"})
    assert history[1]["content"] == "London"  # the argument is not mutated
    assert result.history_spans[0] == ()


def test_placeholders_already_in_history_are_not_detected_again() -> None:
    mapper = PiiMapper(StaticDetector({"<PERSON_1>": "PERSON"}))
    seed = ConversationMapping({"<PERSON_1>": "Ada"})
    result = mapper.mask("ok", PiiPolicy(history=seed),
                         history=[{"role": "user", "content": "I am <PERSON_1>"}])  # fmt: skip
    assert result.history[0]["content"] == "I am <PERSON_1>"


def test_no_requested_type_means_no_detector_call() -> None:
    detector = StaticDetector(VALUES)
    mapper = PiiMapper(detector)
    policy = PiiPolicy(auto=AutoDetection(enabled=False),
                       positions=(DeclaredSpan(start=0, end=3),))  # fmt: skip
    assert mapper.mask("Ada Lovelace", policy).text == "<PII_1> Lovelace"
    assert detector.calls == 0


def test_threshold_and_unrequested_types() -> None:
    class Scored:
        def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
            return [[Detection(0, 3, "PERSON", 0.3), Detection(4, 7, "URL", 0.9)] for _ in texts]

    mapper = PiiMapper(Scored())
    assert mapper.mask("Bob abc", rules(URL="mask")).text == "Bob <URL_1>"
    assert mapper.mask("Bob abc", rules(PERSON="mask")).text == "Bob abc"  # 0.3 < 0.4
    low = PiiPolicy(auto=AutoDetection(threshold=0.2, entities=frozenset({"PERSON"})))
    assert mapper.mask("Bob abc", low).text == "<PERSON_1> abc"


class Broken:
    def __init__(self, result: object = None) -> None:
        self.result = result

    def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        if self.result is None:
            raise OSError(f"model crashed on {texts[0]}")
        return self.result  # type: ignore[return-value]


@pytest.mark.parametrize(
    "detector",
    [Broken(), Broken([]), Broken([[Detection(0, 99, "PERSON", 1.0)]])],
    ids=["raises", "wrong-count", "out-of-range"],
)
def test_detector_failures_fail_closed(detector: Broken) -> None:
    with pytest.raises(DetectionError) as info:
        PiiMapper(detector).mask("Ada's secret", PiiPolicy())
    assert "secret" not in str(info.value)
    assert info.value.__cause__ is None


def test_inputs_are_checked() -> None:
    mapper = PiiMapper(StaticDetector({}), max_text_chars=5)
    with pytest.raises(PiiInputError, match="exceeds the limit"):
        mapper.mask("123456", PiiPolicy())
    with pytest.raises(PiiInputError):
        mapper.mask(b"bytes", PiiPolicy())  # type: ignore[arg-type]
    with pytest.raises(PiiInputError, match="history"):
        mapper.mask("x", PiiPolicy(), history=[{"role": "user", "content": 3}])


def test_a_merged_span_too_long_for_a_mapping_is_an_input_error_without_the_text() -> None:
    # Overlapping occurrences of one repeated value merge into one span; a mapping value
    # holds at most 10,000 characters, so masking says so (redacting still works).
    value = "Maria Gonzalez Maria"
    text = "Maria Gonzalez " * 800
    mapper = PiiMapper(StaticDetector({value: "PERSON"}))
    with pytest.raises(PiiInputError, match="one PERSON span is 11990 characters long") as caught:
        mapper.mask(text, PiiPolicy())
    assert caught.value.code == "span_too_long"
    assert "Gonzalez" not in str(caught.value)
    redacted = mapper.mask(text, PiiPolicy(rules=(Rule(entity="PERSON", action="redact"),)))
    assert redacted.text == "<PERSON_REDACTED> Gonzalez "  # the last "Gonzalez" is no "…Maria"


def test_mapping_header_round_trips(mapper: PiiMapper) -> None:
    result = mapper.mask("Ada Lovelace in London", PiiPolicy())
    header = result.mapping.to_header()
    assert header.isascii()
    assert "," not in header
    assert decode_history_header(header) == result.mapping
    assert "Ada" not in repr(result.mapping)
    assert repr(result.mapping) == "ConversationMapping(2 placeholders: LOCATION=1, PERSON=1)"


def test_preview_reports_everything_and_changes_nothing(mapper: PiiMapper) -> None:
    policy = PiiPolicy(rules=(Rule(entity="US_SSN", action="redact"),))
    message = "😀 Ada Lovelace 536-22-8726"
    history = [{"role": "user", "content": "London"}]
    before = mapper.mask(message, policy, history)
    preview = mapper.preview(message, policy, history)
    assert mapper.mask(message, policy, history) == before
    assert preview.message == before.text
    assert preview.mapping == before.mapping.to_dict()
    message_spans = [s for s in preview.spans if s.message is None]
    assert [(s.start, s.start_utf16, s.entity) for s in message_spans] == [
        (2, 3, "PERSON"), (15, 16, "US_SSN"),
    ]  # fmt: skip
    assert [s.message for s in preview.spans if s.message is not None] == [0]
    assert preview.counts == {"LOCATION": 1, "PERSON": 1, "US_SSN": 1}
    dumped = preview.model_dump_json()
    assert "536-22-8726" not in dumped
    assert json.loads(dumped)["policy"]["rules"] == [{"entity": "US_SSN", "action": "redact"}]


def test_one_span_value_says_what_found_it_from_mask_to_preview() -> None:
    # The detector finds "Ada Lovelace" in the history only; in the message the value is found
    # again as a known value, and "Bob" is declared.
    policy = PiiPolicy(
        rules=(Rule(entity="PERSON", action="redact"),),
        positions=(DeclaredSpan(start=0, end=3, entity="PERSON"),),
    )
    history = [{"role": "user", "content": "I am Ada Lovelace"}]
    only_history = PiiMapper(FirstTextOnly({"Ada Lovelace": "PERSON"}))
    result = only_history.mask("Bob and Ada Lovelace", policy, history)
    [(found,)] = result.history_spans
    assert (found.recognizer, found.message, found.replacement) == (
        "static",
        0,
        "<PERSON_REDACTED>",
    )
    assert [(s.recognizer, s.source.value, s.message) for s in result.spans] == [
        ("declared", "declared", None), ("known-value", "detected", None),
    ]  # fmt: skip
    preview = only_history.preview("Bob and Ada Lovelace", policy, history)
    assert preview.spans == [found, *result.spans]  # the very spans masking returned
    assert isinstance(result.spans[0], pm.ResultSpan)
    assert pm.ResultSpan is pm.PreviewSpan is pm.Span
    dumped = json.loads(preview.model_dump_json())["spans"]
    assert [span["recognizer"] for span in dumped] == ["static", "declared", "known-value"]
    assert set(dumped[0]) == {
        "message", "tool_call", "start", "end", "start_utf16", "end_utf16", "entity", "action",
        "source", "score", "replacement", "recognizer",
    }  # fmt: skip


def test_preview_warns_about_cut_words_and_low_scores() -> None:
    mapper = PiiMapper(StaticDetector({"Ada": "PERSON"}, score=0.45))
    policy = PiiPolicy(positions=(DeclaredSpan(start=6, end=9),))
    warnings = mapper.preview("Ada X Lovelace", policy).warnings
    assert any("cuts a word" in w for w in warnings)
    assert any("low score" in w for w in warnings)
    assert not any("Lovelace" in w for w in warnings)


class FirstTextOnly:
    """Finds its values in the first text of a batch only, as a detector that misses some."""

    def __init__(self, values: dict[str, str]) -> None:
        self.inner = StaticDetector(values)

    def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        return [self.inner.detect(texts[:1], entities)[0], *([] for _ in texts[1:])]


def test_a_value_detected_once_is_masked_wherever_it_recurs() -> None:
    mapper = PiiMapper(FirstTextOnly({"Ada Lovelace": "PERSON"}))
    result = mapper.mask(
        "ADA LOVELACE said hi to Ada Lovelacey",
        PiiPolicy(),
        history=[{"role": "user", "content": "I'm Ada Lovelace"}],
    )
    assert result.history[0]["content"] == "I'm <PERSON_1>"
    assert result.text == "<PERSON_1> said hi to Ada Lovelacey"


def test_history_mapping_values_keep_their_placeholder_undetected() -> None:
    mapper = PiiMapper(StaticDetector({}))
    seed = ConversationMapping({"<PERSON_4>": "Zoë Ångström", "<EMAIL_ADDRESS_1>": "z@x.org"})
    result = mapper.mask("zoë ångström wrote from z@x.org", PiiPolicy(history=seed))
    assert result.text == "<PERSON_4> wrote from <EMAIL_ADDRESS_1>"


def test_a_redacted_value_never_recurs_in_the_clear() -> None:
    mapper = PiiMapper(StaticDetector({}))
    policy = PiiPolicy(
        positions=(DeclaredSpan(start=4, end=15, entity="US_SSN", action="redact"),),
        auto=AutoDetection(enabled=False),
    )
    history = [{"role": "user", "content": "my 536-22-8726 again"}]
    result = mapper.mask("SSN 536-22-8726", policy, history)
    assert result.text == "SSN <US_SSN_REDACTED>"
    assert result.history[0]["content"] == "my <US_SSN_REDACTED> again"


def test_short_masked_values_do_not_recur() -> None:
    mapper = PiiMapper(FirstTextOnly({"Al": "PERSON"}))
    result = mapper.mask("Al", PiiPolicy(), history=[{"role": "user", "content": "Al"}])
    assert result.history[0]["content"] == "<PERSON_1>"
    assert result.text == "Al"


def test_default_detector_is_built_once_under_concurrent_first_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys
    import threading
    import time
    import types

    built: list[int] = []

    class SlowToBuild(StaticDetector):
        def __init__(self, *, max_text_chars: int) -> None:
            built.append(max_text_chars)
            time.sleep(0.05)  # widen the race window
            super().__init__({"Ada": "PERSON"})

    fake = types.ModuleType("pii_mapper.detection.engine")
    fake.PresidioDetector = SlowToBuild  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pii_mapper.detection.engine", fake)
    mapper = PiiMapper(max_text_chars=1000)
    assert built == []  # the constructor does no work
    barrier = threading.Barrier(8)
    texts: list[str] = []

    def first_use() -> None:
        barrier.wait()
        texts.append(mapper.mask("Ada", PiiPolicy()).text)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert built == [1000]
    assert texts == ["<PERSON_1>"] * 8


@pytest.mark.parametrize("action", ["redact", "hash"])
def test_history_entries_of_a_redacted_or_hashed_type_are_not_handed_back(
    mapper: PiiMapper, action: str
) -> None:
    seed = ConversationMapping({"<US_SSN_1>": "536-22-8726", "<PERSON_1>": "Ada Lovelace"})
    policy = PiiPolicy(
        rules=(Rule(entity="US_SSN", action=action), Rule(entity="PERSON", action="mask")),
        auto=AutoDetection(enabled=False),
        history=seed,
    )
    history = [{"role": "user", "content": "I am <PERSON_1>, SSN <US_SSN_1>"}]
    result = mapper.mask("again 536-22-8726 and <US_SSN_1>", policy, history)
    marker = mapper.mask("536-22-8726", policy).text  # the marker of the original itself
    assert marker == "<US_SSN_REDACTED>" if action == "redact" else marker.startswith("<US_SSN#")
    assert result.text == f"again {marker} and {marker}"
    assert result.history[0]["content"] == f"I am <PERSON_1>, SSN {marker}"
    assert dict(result.mapping) == {"<PERSON_1>": "Ada Lovelace"}
    header = result.mapping.to_header()
    assert "536-22-8726" not in decode_history_header(header).values()
    preview = mapper.preview("again 536-22-8726 and <US_SSN_1>", policy, history)
    assert "536-22-8726" not in preview.model_dump_json()
    assert preview.mapping == {"<PERSON_1>": "Ada Lovelace"}


def test_a_withheld_number_is_not_reused_for_another_value(mapper: PiiMapper) -> None:
    seed = ConversationMapping({"<US_SSN_1>": "111-22-3333"})
    policy = PiiPolicy(
        rules=(Rule(entity="US_SSN", action="redact"),),
        positions=(DeclaredSpan(start=0, end=11, entity="US_SSN", action="mask"),),
        auto=AutoDetection(enabled=False),
        history=seed,
    )
    result = mapper.mask("123-45-6789", policy)  # declared, not detected: masked
    assert result.text == "<US_SSN_2>"
    assert dict(result.mapping) == {"<US_SSN_2>": "123-45-6789"}


# --- text that is not valid Unicode ----------------------------------------------------------

ARGS_WITH_ESCAPED_SURROGATE = '{"to": "ada@example.com", "note": "x\\ud800y"}'


@pytest.mark.parametrize(
    ("message", "history", "where"),
    [
        ("Ada Lovelace \ud800", [], "the message: character 13"),
        ("ok", [{"role": "user", "content": "Ada\udfff"}], "history[0].content: character 3"),
        ("ok", [ChatMessage(role="user", content="\ud83d")], "history[0].content: character 0"),
        ("ok", [{"role": "user", "content": "x", "name": "\ud800"}], "history[0].name"),
        ("ok", [{"role": "user", "content": "x", "meta": {"a": ["\ud800"]}}],
         "history[0].meta.a[0]"),
        ("ok", [{"role": "user", "content": "x", "meta": {"Ada \ud800": 1}}],
         "history[0].meta[key #1] (the key)"),
        ("ok", [{"role": "assistant", "content": None, "tool_calls": [
            {"id": "c", "type": "function",
             "function": {"name": "f", "arguments": ARGS_WITH_ESCAPED_SURROGATE}}]}],
         "history[0].tool_calls[0].function.arguments token #4: character 1"),
    ],
)  # fmt: skip
def test_lone_surrogates_are_input_errors_that_say_where(
    message: str, history: list[object], where: str
) -> None:
    detector = StaticDetector(VALUES)
    calls: list[object] = []
    detector.detect = lambda *args: calls.append(args) or []  # type: ignore[method-assign]
    mapper = PiiMapper(detector)
    for step in (mapper.mask, mapper.preview):
        with pytest.raises(PiiInputError) as info:
            step(message, PiiPolicy(), history)  # type: ignore[operator, arg-type]
        error = info.value
        assert isinstance(error, ValueError)
        assert error.code == "invalid_unicode"
        assert where in str(error)
        assert "Ada" not in str(error)
        assert "ada@" not in str(error)
        assert "\ud800" not in str(error)
    assert calls == []  # checked before any detection


def test_a_mapping_value_that_is_not_valid_unicode_is_rejected() -> None:
    with pytest.raises(PiiInputError) as info:
        ConversationMapping({"<PERSON_1>": "Ada\ud800"})
    assert info.value.code == "invalid_unicode"
    assert "Ada" not in str(info.value)


def test_history_values_must_be_json_like() -> None:
    mapper = PiiMapper(StaticDetector(VALUES))
    for bad in ({"role": "user", "content": "x", "when": object()},
                {"role": "user", "content": "x", 3: "y"}):  # fmt: skip
        with pytest.raises(PiiInputError) as info:
            mapper.preview("ok", PiiPolicy(), [bad])
        assert info.value.code == "invalid_history"
    with pytest.raises(PiiInputError):
        mapper.mask("ok", PiiPolicy(), history=iter([]))  # type: ignore[arg-type]


# --- tool calls in history -------------------------------------------------------------------


def tool_call(arguments: str, number: int = 1) -> dict[str, object]:
    return {
        "id": f"call_{number}",
        "type": "function",
        "function": {"name": "send_mail", "arguments": arguments},
    }


def test_tool_call_arguments_and_tool_messages_are_masked_with_one_mapping(
    mapper: PiiMapper,
) -> None:
    arguments = (
        '{"to": "ada@example.com", "big": 1e400, "n": 12345678901234567890.5,\n'
        ' "to": "Ada Lovelace", "ssn": "536-22-8726", "ok": true}'
    )
    history = [
        {"role": "user", "content": "write to ada@example.com"},
        {"role": "assistant", "content": None, "tool_calls": [tool_call(arguments)]},
        {"role": "tool", "tool_call_id": "call_1", "content": "sent to Ada Lovelace"},
    ]
    policy = rules(EMAIL_ADDRESS="mask", PERSON="mask", US_SSN="redact")
    result = mapper.mask("thanks", policy, history)
    masked_call = result.history[1]["tool_calls"][0]
    assert masked_call["id"] == "call_1"
    assert masked_call["function"]["name"] == "send_mail"
    assert masked_call["function"]["arguments"] == (
        '{"to": "<EMAIL_ADDRESS_1>", "big": 1e400, "n": 12345678901234567890.5,\n'
        ' "to": "<PERSON_1>", "ssn": "<US_SSN_REDACTED>", "ok": true}'
    )
    json.loads(masked_call["function"]["arguments"])
    assert result.history[2] == {
        "role": "tool", "tool_call_id": "call_1", "content": "sent to <PERSON_1>",
    }  # fmt: skip
    assert history[1]["tool_calls"][0]["function"]["arguments"] == arguments  # not mutated
    assert list(result.mapping) == ["<EMAIL_ADDRESS_1>", "<PERSON_1>"]
    # Spans are reported with offsets in the arguments text.
    spans = result.tool_call_spans[1]
    assert [(call, arguments[s.start : s.end]) for call, s in spans] == [
        (0, "ada@example.com"), (0, "Ada Lovelace"), (0, "536-22-8726"),
    ]  # fmt: skip
    # Unmasking the masked arguments gives back the original document, byte for byte but
    # for the redacted value.
    restored = mapper.unmask_json(masked_call["function"]["arguments"], result.mapping)
    assert restored == arguments.replace("536-22-8726", "<US_SSN_REDACTED>")


def test_tool_call_arguments_with_escapes_keep_offsets_and_validity(mapper: PiiMapper) -> None:
    arguments = '{"who": "\\u00c0 \\"Ada Lovelace\\" \\ud83d\\ude00 ada@example.com"}'
    history = [ChatMessage(role="assistant", tool_calls=[tool_call(arguments)])]
    preview = mapper.preview("ok", PiiPolicy(), history)
    texts = [arguments[s.start : s.end] for s in preview.spans]
    assert texts == ["Ada Lovelace", "ada@example.com"]
    assert [s.tool_call for s in preview.spans] == [0, 0]
    assert preview.spans[1].start_utf16 == preview.spans[1].start  # the text is ASCII
    masked = preview.history[0]["tool_calls"][0]["function"]["arguments"]
    assert json.loads(masked) == {"who": 'À "<PERSON_1>" 😀 <EMAIL_ADDRESS_1>'}
    assert masked.isascii()  # an ASCII document stays ASCII
    assert "Ada" not in json.dumps(preview.history)  # the mapping holds it, the history not


def test_arguments_that_are_not_json_are_masked_as_text(mapper: PiiMapper) -> None:
    history = [{"role": "assistant", "content": "", "tool_calls": [
        tool_call("to ada@example.com {"), {"id": "x"}, tool_call('{"a": 1}', 2)]}]  # fmt: skip
    result = mapper.mask("ok", PiiPolicy(), history)
    calls = result.history[0]["tool_calls"]
    assert calls[0]["function"]["arguments"] == "to <EMAIL_ADDRESS_1> {"
    assert calls[1] == {"id": "x"}
    assert calls[2]["function"]["arguments"] == '{"a": 1}'


def test_too_deep_tool_call_arguments_are_an_input_error(mapper: PiiMapper) -> None:
    history = [{"role": "assistant", "tool_calls": [tool_call("[" * 500 + "]" * 500)]}]
    with pytest.raises(PiiInputError) as info:
        mapper.mask("ok", PiiPolicy(), history)
    assert info.value.code == "too_deep"
    assert "history[0].tool_calls[0].function.arguments" in str(info.value)


def test_numbers_in_tool_call_arguments_are_masked_as_strings() -> None:
    mapper = PiiMapper(StaticDetector({"4111111111111111": "CREDIT_CARD"}))
    arguments = '{"card": 4111111111111111, "n": 1e400, "id": 12345678901234567890}'
    history = [{"role": "assistant", "tool_calls": [tool_call(arguments)]}]
    result = mapper.mask("ok", PiiPolicy(), history)
    masked = result.history[0]["tool_calls"][0]["function"]["arguments"]
    assert masked == '{"card": "<CREDIT_CARD_1>", "n": 1e400, "id": 12345678901234567890}'
    [(call, span)] = result.tool_call_spans[0]
    assert (call, arguments[span.start : span.end]) == (0, "4111111111111111")
    restored = mapper.unmask_json(masked, result.mapping)
    assert json.loads(restored)["card"] == "4111111111111111"


# --- mask_messages: a whole conversation, messages in, messages out -------------------------


def test_mask_messages_masks_the_last_message_as_the_current_one(mapper: PiiMapper) -> None:
    messages = [
        {"role": "user", "content": "I am Ada Lovelace", "name": "ada"},
        ChatMessage(role="assistant", content="Hello Ada Lovelace"),
        {"role": "user", "content": "Mail ada@example.com, Grace Hopper", "id": 7},
    ]
    # Declared positions apply to the last message: 0-4 is its "Mail".
    policy = pm.parse_headers({"X-Pii-Positions": "0-4:location=mask"})
    result = mapper.mask_messages(messages, policy)
    assert result.messages == (
        {"role": "user", "content": "I am <PERSON_1>", "name": "ada"},
        ChatMessage(role="assistant", content="Hello <PERSON_1>"),
        {"role": "user", "content": "<LOCATION_1> <EMAIL_ADDRESS_1>, <PERSON_2>", "id": 7},
    )
    # The same masking as mask() with the last message as the message.
    reference = mapper.mask(messages[-1]["content"], policy, messages[:-1])
    assert list(result.mapping.items()) == list(reference.mapping.items())
    assert [s.message for s in result.spans] == [0, 1, 2, 2, 2]
    assert [dataclass_fields(s) for s in result.spans[2:]] == [
        dataclass_fields(s) for s in reference.spans
    ]
    assert dict(result.counts) == {"PERSON": 3, "LOCATION": 1, "EMAIL_ADDRESS": 1}
    assert list(result.counts) == ["PERSON", "LOCATION", "EMAIL_ADDRESS"]
    assert messages[0]["content"] == "I am Ada Lovelace"  # not mutated


def dataclass_fields(span: pm.Span) -> tuple[object, ...]:
    return (span.start, span.end, span.entity, span.action, span.replacement)


@pytest.mark.parametrize(
    "last",
    [
        {"role": "assistant", "content": "to Ada Lovelace", "tool_calls": [tool_call(
            '{"to": "ada@example.com"}')]},
        {"role": "assistant", "content": None, "tool_calls": [tool_call(
            '{"to": "ada@example.com"}')]},
        {"role": "assistant"},
    ],
)  # fmt: skip
def test_mask_messages_treats_every_text_as_history_when_the_last_has_tool_calls_or_no_text(
    mapper: PiiMapper, last: dict[str, object]
) -> None:
    messages = [{"role": "user", "content": "write to ada@example.com"}, last]
    result = mapper.mask_messages(messages, PiiPolicy())
    assert result.messages == mapper.mask("", PiiPolicy(), messages).history
    assert result.messages[0] == {"role": "user", "content": "write to <EMAIL_ADDRESS_1>"}
    if "tool_calls" in last:
        arguments = result.messages[1]["tool_calls"][0]["function"]["arguments"]
        assert arguments == '{"to": "<EMAIL_ADDRESS_1>"}'
        calls = [s for s in result.spans if s.message == 1 and s.tool_call is not None]
        assert [(s.tool_call, s.entity) for s in calls] == [(0, "EMAIL_ADDRESS")]
    assert all(s.message is not None for s in result.spans)
    assert sum(result.counts.values()) == len(result.spans)


def test_mask_messages_continues_the_history_mapping(mapper: PiiMapper) -> None:
    first = mapper.mask_messages([{"role": "user", "content": "I am Ada Lovelace"}], PiiPolicy())
    policy = pm.parse_headers({"X-Chat-History-Pii-Mapping": first.mapping.to_header()})
    second = mapper.mask_messages(
        [{"role": "user", "content": "Grace Hopper and ada lovelace"}], policy
    )
    assert second.messages[0]["content"] == "<PERSON_2> and <PERSON_1>"
    assert mapper.unmask("<PERSON_1>", second.mapping) == "Ada Lovelace"


@pytest.mark.parametrize(
    ("messages", "code", "where"),
    [
        ([], "invalid_history", "empty"),
        ("I am Ada Lovelace", "invalid_history", "str"),
        ([{"role": "user", "content": "x", "meta": {1}}], "invalid_history", "history[0].meta"),
        ([{"role": "user", "content": "Ada \ud800"}], "invalid_unicode", "history[0].content"),
        ([{"role": "user", "content": 3}], "invalid_history", "history[0].content"),
    ],
)
def test_mask_messages_rejects_bad_input_saying_where_never_what(
    mapper: PiiMapper, messages: object, code: str, where: str
) -> None:
    with pytest.raises(PiiInputError) as info:
        mapper.mask_messages(messages, PiiPolicy())  # type: ignore[arg-type]
    assert info.value.code == code
    assert where in str(info.value)
    assert "Ada" not in str(info.value)
