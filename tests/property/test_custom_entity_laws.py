"""Laws of custom entity types (SPEC §8): a deny-list value never survives masking."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pii_mapper import Action, CustomEntity, PiiMapper, StaticDetector
from tests.strategies import deny_list_texts, deny_list_values

# A name none of whose words is made of deny-list letters only ("CODE" would be a value).
ENTITY = "CODENAME"


def survivors(values: list[str], text: str) -> list[str]:
    """The values found in ``text`` as whole words, any case, any whitespace between words:
    an independent check (one regular expression per value), not the library's deny list."""
    found = []
    for value in values:
        words = r"\s+".join(re.escape(word) for word in value.split(" "))
        if re.search(rf"(?<!\w){words}(?!\w)", text, re.IGNORECASE):
            found.append(value)
    return found


@given(st.data(), deny_list_values(), st.sampled_from([Action.MASK, Action.REDACT, Action.HASH]))
def test_a_deny_list_value_never_survives_any_action_but_keep(
    data: st.DataObject, values: list[str], action: Action
) -> None:
    values = [v for v in values if ENTITY.casefold() not in v.casefold().split(" ")]
    if not values:
        return
    entity = CustomEntity("CODENAME", deny_list=values)
    mapper = PiiMapper(StaticDetector({}), hash_key=b"law", custom_entities=[entity])
    history = data.draw(st.lists(deny_list_texts(values), max_size=2))
    message = data.draw(deny_list_texts(values))
    policy = mapper.parse_headers({"X-Pii-Mapping": f"codename={action.value}"})
    result = mapper.mask(message, policy, [{"role": "user", "content": h} for h in history])
    for text in (result.text, *(item["content"] for item in result.history)):
        assert survivors(values, text) == []
    if action is not Action.MASK:
        assert len(result.mapping) == 0
    else:  # the mapping keeps a value's first surface form: the same up to case
        assert mapper.unmask(result.text, result.mapping).casefold() == message.casefold()
