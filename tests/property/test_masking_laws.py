"""Laws of masking a conversation (SPEC §2, §4, §6), through the StaticDetector double."""

from __future__ import annotations

import logging
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from pii_mapper import (
    Action,
    AutoDetection,
    ConversationMapping,
    PiiMapper,
    PiiPolicy,
    Rule,
    StaticDetector,
    parse_headers,
)
from pii_mapper import testing as pt
from pii_mapper.entities import GENERIC_ENTITY

# One surface form per normalised value, none a substring of another or of the filler.
CONVERSATION_VALUES = {
    "Ada Lovelace": "PERSON",
    "Grace Hopper": "PERSON",
    "Zoë Ångström": "PERSON",
    "ada@example.com": "EMAIL_ADDRESS",
    "g.hopper@navy.example": "EMAIL_ADDRESS",
    "+1 202-555-0173": "PHONE_NUMBER",
    "536-22-8726": "US_SSN",
    "4111 1111 1111 1111": "CREDIT_CARD",
    "DE89 3704 0044 0532 0130 00": "IBAN_CODE",
    "Rue de Rivoli": "LOCATION",
    "sk-live-9f8e7d6c5b4a": "API_KEY",
}
FILLER = ["hi", "please", "call", "mail", "and", "then", ",", ".", "\n", "😀", "über", "x"]
PLACEHOLDER_LIKE = ["<PERSON_1>", "[person-2]", "EMAIL_ADDRESS_1", "<US_SSN_REDACTED>",
                    "<PERSON#0a1b2c3d>", "{url 4}", "<PERSON_12>"]  # fmt: skip


def messages(*, placeholder_like: bool = False) -> st.SearchStrategy[str]:
    words = list(CONVERSATION_VALUES) + FILLER + (PLACEHOLDER_LIKE if placeholder_like else [])
    return st.lists(st.sampled_from(words), max_size=25).map(" ".join)


def conversations(
    *, min_turns: int = 1, placeholder_like: bool = False
) -> st.SearchStrategy[list[str]]:
    return st.lists(messages(placeholder_like=placeholder_like), min_size=min_turns, max_size=5)


def mixed_policies() -> st.SearchStrategy[PiiPolicy]:
    entities = sorted(set(CONVERSATION_VALUES.values()))
    rules = st.dictionaries(st.sampled_from(entities), st.sampled_from(list(Action)))
    return st.builds(
        lambda chosen, default: PiiPolicy(
            rules=tuple(Rule(entity=e, action=a) for e, a in chosen.items()),
            auto=AutoDetection(action=default),
        ),
        rules,
        st.sampled_from(list(Action)),
    )


DETECTOR = StaticDetector(CONVERSATION_VALUES)
MAPPER = PiiMapper(DETECTOR, hash_key=b"law-key")
MASK_ALL = PiiPolicy()


@given(conversations())
def test_unmask_inverts_mask(conversation: list[str]) -> None:
    *history, message = conversation
    result = MAPPER.mask(message, MASK_ALL, [{"role": "user", "content": h} for h in history])
    assert MAPPER.unmask(result.text, result.mapping) == message
    for masked, original in zip(result.history, history, strict=True):
        assert MAPPER.unmask(masked["content"], result.mapping) == original


@given(conversations(placeholder_like=True))
def test_text_that_already_holds_placeholders_round_trips(conversation: list[str]) -> None:
    message = "\n".join(conversation)
    result = MAPPER.mask(message, MASK_ALL)
    assert MAPPER.unmask(result.text, result.mapping) == message


@given(conversations())
def test_placeholders_are_consistent_and_never_reused(conversation: list[str]) -> None:
    *history, message = conversation
    result = MAPPER.mask(message, MASK_ALL, [{"role": "user", "content": h} for h in history])
    originals = list(result.mapping.values())
    assert len(set(originals)) == len(originals)  # one placeholder per value
    spans = [s for spans in (*result.history_spans, result.spans) for s in spans]
    for span in spans:
        assert result.mapping[span.replacement] in CONVERSATION_VALUES


@given(conversations(), mixed_policies())
def test_redacted_and_hashed_originals_never_come_back(
    conversation: list[str], policy: PiiPolicy
) -> None:
    hidden = [
        value
        for value, entity in CONVERSATION_VALUES.items()
        if policy.action_for(entity) in (Action.REDACT, Action.HASH)
    ]
    *history, message = conversation
    chat = [{"role": "user", "content": h} for h in history]
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("pii_mapper")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        result = MAPPER.mask(message, policy, chat)
        preview = MAPPER.preview(message, policy, chat)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    outputs = [
        result.text,
        *(m["content"] for m in result.history),
        *result.mapping.values(),
        result.mapping.to_header(),
        repr(result),
        preview.model_dump_json(),
        *(r.getMessage() for r in records),
    ]
    for value in hidden:
        assert not any(value in out for out in outputs)


@settings(max_examples=60)
@given(conversations(min_turns=2))
def test_turn_by_turn_equals_all_at_once(conversation: list[str]) -> None:
    chat = [{"role": "user", "content": text} for text in conversation]
    at_once = MAPPER.mask(conversation[-1], MASK_ALL, chat[:-1])
    header: str | None = None
    for turn, text in enumerate(conversation):
        policy = parse_headers({"X-Chat-History-Pii-Mapping": header} if header else {})
        result = MAPPER.mask(text, policy, chat[:turn])
        header = result.mapping.to_header()
    assert result.text == at_once.text
    assert result.history == at_once.history
    assert list(result.mapping.items()) == list(at_once.mapping.items())


@given(messages())
def test_keep_changes_nothing(message: str) -> None:
    policy = PiiPolicy(auto=AutoDetection(action=Action.KEEP))
    result = MAPPER.mask(message, policy)
    assert result.text == message
    assert len(result.mapping) == 0


def test_threads_sharing_one_mapper_agree_with_serial_results() -> None:
    policy = PiiPolicy(rules=(Rule(entity="US_SSN", action="redact"),))
    inputs = [
        " ".join(list(CONVERSATION_VALUES)[i : i + 5]) + f" turn {i}"
        for i in range(len(CONVERSATION_VALUES))
    ]
    serial = [MAPPER.mask(text, policy) for text in inputs]
    results: dict[int, object] = {}
    barrier = threading.Barrier(8)

    def work(worker: int) -> None:
        barrier.wait()
        for round_ in range(20):
            index = (worker + round_) % len(inputs)
            results[(worker, round_)] = (index, MAPPER.mask(inputs[index], policy))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 8 * 20
    for index, result in results.values():  # type: ignore[misc]
        assert result == serial[index]


# --- drawn conversations (pii_mapper.testing, the strategies users test their systems with) ---


def detector_of(conv: pt.Conversation) -> StaticDetector:
    """A detector that finds every planted value but those of PII, which only a declaration
    (X-Pii-Positions) or the history mapping can mark."""
    return StaticDetector({p.value: p.entity for p in conv.planted if p.entity != GENERIC_ENTITY})


@settings(max_examples=150)
@given(pt.conversations(pt.SUPPORTED_ENTITIES, languages=pt.LANGUAGES))
def test_no_planted_value_is_left_whatever_the_headers(conv: pt.Conversation) -> None:
    mapper = PiiMapper(detector_of(conv), hash_key=b"law-key")
    policy = parse_headers(conv.headers)
    result = mapper.mask(conv.message.text, policy, conv.history)
    pt.assert_masked([result.text, *result.history], conv.planted)
    preview = mapper.preview(conv.message.text, policy, conv.history)
    pt.assert_masked([preview.message, *preview.history], conv.planted)


@settings(max_examples=150)
@given(pt.conversations(pt.SUPPORTED_ENTITIES, languages=pt.LANGUAGES, actions=["mask"]))
def test_unmask_inverts_mask_on_drawn_conversations(conv: pt.Conversation) -> None:
    mapper = PiiMapper(detector_of(conv))
    result = mapper.mask(conv.message.text, parse_headers(conv.headers), conv.history)
    mapping: ConversationMapping = result.mapping
    pt.assert_round_trip(conv.message.text, result.text, mapping, planted=conv.message.planted)
    for masked, original in zip(result.history, conv.history_messages, strict=True):
        pt.assert_round_trip(original.text, masked["content"], mapping, planted=original.planted)
