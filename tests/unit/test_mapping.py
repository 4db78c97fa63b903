"""ConversationMapping and its three header encodings."""

import base64

import pytest

from pii_mapper.errors import MappingSealError, PiiHeaderError, PiiInputError
from pii_mapper.mapping import (
    ConversationMapping,
    MappingEncoding,
    decode_history_header,
    generate_seal_key,
)

ITEMS = {"<PERSON_1>": "Zoë Ångström", "<EMAIL_ADDRESS_1>": "zoe@example.org"}


def test_read_only_ordered_mapping_with_value_free_repr() -> None:
    mapping = ConversationMapping(ITEMS)
    assert list(mapping) == list(ITEMS)
    assert mapping["<PERSON_1>"] == "Zoë Ångström"
    assert not hasattr(mapping, "__setitem__")
    assert "Zo" not in repr(mapping)


@pytest.mark.parametrize(
    "items",
    [{"John": "<PERSON_1>"}, {"<PERSON_01>": "x"}, {"<NOPE_1>": "x"}, {"<PERSON_1>": ""}],
)
def test_entries_are_validated(items: dict[str, str]) -> None:
    with pytest.raises(PiiInputError) as info:
        ConversationMapping(items)
    assert "John" not in str(info.value)


@pytest.mark.parametrize("encoding", [MappingEncoding.JSON, MappingEncoding.BASE64URL])
def test_answers_in_the_encoding_received(encoding: MappingEncoding) -> None:
    header = ConversationMapping(ITEMS, encoding=encoding).to_header()
    assert header.isascii()
    decoded = decode_history_header(header)
    assert decoded == ConversationMapping(ITEMS)
    assert decoded.encoding is encoding
    assert decoded.to_header() == header


def test_base64url_padding_is_optional() -> None:
    header = ConversationMapping(ITEMS).to_header()
    padded = header + "=" * (-len(header) % 4)
    assert decode_history_header(padded) == decode_history_header(header)
    assert base64.urlsafe_b64decode(padded).startswith(b"{")


def test_sealed_round_trip_bound_to_a_conversation() -> None:
    key = generate_seal_key()
    token = ConversationMapping(ITEMS).to_header(seal_key=key, conversation_id="t-1")
    assert token.startswith("v1.")
    sealed = base64.urlsafe_b64decode(token[3:] + "=" * (-len(token[3:]) % 4))
    assert b"zoe@example.org" not in sealed  # the plaintext is not in the token
    opened = decode_history_header(token, seal_key=key, conversation_id="t-1")
    assert opened == ConversationMapping(ITEMS)
    assert opened.encoding is MappingEncoding.SEALED
    again = opened.to_header()  # key and conversation remembered
    assert again != token  # fresh nonce
    assert decode_history_header(again, seal_key=key, conversation_id="t-1") == opened


@pytest.mark.parametrize(
    ("key", "conversation"),
    [(generate_seal_key(), "t-1"), (None, "t-2")],
    ids=["wrong-key", "wrong-conversation"],
)
def test_sealed_token_refuses_other_keys_and_conversations(
    key: str | None, conversation: str
) -> None:
    right = generate_seal_key()
    token = ConversationMapping(ITEMS).to_header(seal_key=right, conversation_id="t-1")
    with pytest.raises(PiiHeaderError) as info:
        decode_history_header(token, seal_key=key or right, conversation_id=conversation)
    assert info.value.code == "bad_seal"


def test_sealed_mapping_needs_a_key_both_ways() -> None:
    key = generate_seal_key()
    token = ConversationMapping(ITEMS).to_header(seal_key=key)
    with pytest.raises(PiiHeaderError, match="no seal key"):
        decode_history_header(token)
    sealed = ConversationMapping(ITEMS, encoding=MappingEncoding.SEALED)
    with pytest.raises(MappingSealError):
        sealed.to_header()
    with pytest.raises(MappingSealError, match="32 bytes"):
        ConversationMapping(ITEMS).to_header(seal_key=b"short")


def test_a_compression_bomb_is_refused() -> None:
    from pii_mapper import mapping as module

    key = base64.urlsafe_b64decode(generate_seal_key())
    bomb = b'{"<PERSON_1>": "' + b"a" * (2 * module.MAX_MAPPING_JSON_BYTES) + b'"}'
    token = module._seal(bomb, key, None)  # compresses to a few KiB
    assert len(token) < module.MAX_HISTORY_HEADER_BYTES
    with pytest.raises(PiiHeaderError) as info:
        decode_history_header(token, seal_key=key)
    assert info.value.code == "too_long"


@pytest.mark.parametrize(
    "value",
    ['{"<PERSON_1>": "a", "<PERSON_1>": "b"}', "[1, 2]", '{"<PERSON_1>": 3}', "%%%", "v1.AAAA",
     "{" * 5000, '{"<PERSON_1>": "' + "9" * 5000 + '"'],
)  # fmt: skip
def test_malformed_values_are_header_errors(value: str) -> None:
    with pytest.raises(PiiHeaderError) as info:
        decode_history_header(value, seal_key=generate_seal_key())
    assert info.value.header == "X-Chat-History-Pii-Mapping"
    assert info.value.item is None
