"""Which parts of a text go to spaCy's NER (no model needed: the rule is lexical)."""

import re
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from pii_mapper._presidio import _Excerpt, ner_regions


def covered(text: str, *, dates: bool = False) -> list[str]:
    return [text[start:end] for start, end in ner_regions(text, dates=dates)]


def test_sentences_without_a_name_like_word_are_skipped() -> None:
    assert covered("hi, can you help me with my order?") == []
    assert covered("Thanks! I'll send it tomorrow. Could you check?") == []
    assert covered("") == []


def test_a_capitalised_word_that_is_not_an_opener_keeps_its_sentence() -> None:
    text = "Thanks a lot. Please call Maria at noon.\nok bye"
    assert covered(text) == ["Please call Maria at noon."]
    # A capitalised opener that is not a usual one may be a name.
    assert covered("Maria called.") == ["Maria called."]


def test_digits_count_only_when_dates_are_asked_for() -> None:
    text = "see you on 3/4 at the office"
    assert covered(text) == []
    assert covered(text, dates=True) == [text]


def test_neighbouring_sentences_form_one_region() -> None:
    text = "Ask Tom. Then Ana. then nobody."
    assert covered(text) == ["Ask Tom. Then Ana."]


_WORDS = st.sampled_from(
    ["hi", "Hi", "I", "I'm", "please", "Please", "Maria", "Paris", "call", "the", "x1",
     "2024", "Acme", "ok", "we"]
)  # fmt: skip
_SEPARATORS = st.sampled_from([" ", " ", ", ", ". ", "! ", "? ", "\n", "\n\n"])


@settings(max_examples=300)
@given(st.lists(st.tuples(_WORDS, _SEPARATORS), max_size=30), st.booleans())
def test_regions_are_ordered_disjoint_and_cover_every_name_like_word(
    pieces: list[tuple[str, str]], dates: bool
) -> None:
    text = "".join(word + separator for word, separator in pieces)
    regions = ner_regions(text, dates=dates)
    assert all(0 <= start < end <= len(text) for start, end in regions)
    assert all(a[1] < b[0] for a, b in pairwise(regions))

    def inside(index: int) -> bool:
        return any(start <= index < end for start, end in regions)

    for name in re.finditer(r"\b(?:Maria|Paris|Acme)\b", text):
        assert inside(name.start())
    if dates:
        for digit in re.finditer(r"\d", text):
            assert inside(digit.start())


@settings(max_examples=300)
@given(st.text(alphabet="ab .\n", max_size=60), st.data())
def test_an_excerpt_maps_every_region_character_back_to_itself(
    text: str, data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=8)))
    regions = [(a, b) for a, b in pairwise(cuts) if b > a][::2]  # disjoint, ordered, gaps
    if not regions:
        return
    excerpt = _Excerpt.of(text, regions)
    for (start, end), at in zip(regions, excerpt.starts, strict=True):
        assert excerpt.text[at : at + end - start] == text[start:end]
        # A span inside one region maps back exactly; one that runs on is cut at its end.
        assert excerpt.original(at, at + end - start) == (start, end)
        assert excerpt.original(at, len(excerpt.text) + 5) == (start, end)


def test_a_whole_text_region_is_the_text_itself() -> None:
    excerpt = _Excerpt.of("Ask Tom.", [(0, 8)])
    assert excerpt.text == "Ask Tom."
    assert excerpt.original(4, 7) == (4, 7)
