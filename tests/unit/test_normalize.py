"""Folded views of a text and the way back to the original offsets."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pii_mapper.normalize import INVISIBLE, fold_for_detection, fold_for_search

FULL_WIDTH = "\uff11\uff12\uff13\uff20"  # full-width 1 2 3 @


def test_ascii_text_is_its_own_fold() -> None:
    assert fold_for_detection("Mail Ada").text == "Mail Ada"
    assert fold_for_search("Mail Ada").text == "mail ada"
    assert fold_for_search("Mail Ada").is_identity


def test_width_variants_are_folded_and_invisibles_removed() -> None:
    text = "call 4\u200b15-5\u00ad55 or " + FULL_WIDTH + "x.org"
    folded = fold_for_detection(text)
    assert folded.text == "call 415-555 or 123@x.org"
    start = folded.text.index("415")
    # The span covers the invisible characters inside it, not a neighbour's.
    assert folded.span(start, start + 7) == (5, 14)
    assert text[5:14] == "4\u200b15-5\u00ad55"
    at = folded.text.index("123@")
    assert text[slice(*folded.span(at, at + 4))] == FULL_WIDTH


def test_full_case_folding_changes_lengths_and_maps_back() -> None:
    text = "Jürgen WEISS, Weiß, İstanbul"
    folded = fold_for_search(text)
    assert folded.text == "jürgen weiss, weiss, i\u0307stanbul"
    second = folded.text.index("weiss", 10)
    assert text[slice(*folded.span(second, second + 5))] == "Weiß"
    # A span that ends inside the folded form of one character covers that character.
    assert text[slice(*folded.span(second, second + 4))] == "Weiß"
    city = folded.text.index("i\u0307")
    assert text[slice(*folded.span(city, len(folded.text)))] == "İstanbul"


def _form(char: str, *, search: bool) -> str:
    if char in INVISIBLE:
        return ""
    folded = unicodedata.normalize("NFKC", char)
    return unicodedata.normalize("NFKC", folded.casefold()) if search else folded


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="aA ßİẞﬁ½\u200b\u00ad\u200d" + FULL_WIDTH + "-.", max_size=40),
    st.booleans(),
)
def test_every_folded_character_maps_to_the_character_it_came_from(text: str, search: bool) -> None:
    folded = fold_for_search(text) if search else fold_for_detection(text)
    expected_text = ""
    origins: list[int] = []
    for index, char in enumerate(text):
        form = _form(char, search=search)
        expected_text += form
        origins.extend([index] * len(form))
    assert folded.text == expected_text
    assert [folded.origin(i) for i in range(len(folded.text))] == origins
    for start in range(len(folded.text)):
        for end in range(start + 1, len(folded.text) + 1):
            assert folded.span(start, end) == (origins[start], origins[end - 1] + 1)
