"""The clean-up of NER spans that needs no model: lone stop words are not names, and
dates written with a month name in the six languages the NER model reads are absolute."""

from __future__ import annotations

import pytest

from pii_mapper.detection.engine import _NerModel, is_absolute_date, load_nlp_config


@pytest.fixture(scope="module")
def ner() -> _NerModel:
    return _NerModel(load_nlp_config())  # the model itself is loaded only on first use


def span(ner: _NerModel, text: str, value: str, entity: str = "PERSON") -> str | None:
    start = text.index(value)
    kept = ner.cleaned(text, start, start + len(value), entity)
    return None if kept is None else text[kept[0] : kept[1]]


@pytest.mark.parametrize(
    ("text", "value"),
    [("Hi, this is ada", "this"), ("WER HAT DAS", "DAS"), ("wer kommt", "wer"), ("ik ben", "ik")],
)
def test_a_lone_stop_word_is_not_a_name(ner: _NerModel, text: str, value: str) -> None:
    assert span(ner, text, value) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("Ask May about it", "May"), ("hi, this is ada", "ada"), ("cc Will Smith", "Will Smith")],
)
def test_names_stay(ner: _NerModel, text: str, value: str) -> None:
    assert span(ner, text, value) == value


@pytest.mark.parametrize(
    "date",
    ["3 mars 1990", "12. März", "1er septembre", "3 de marzo", "3 maart", "lunedì 3 ottobre"],
)
def test_month_names_of_six_languages_make_a_date(date: str) -> None:
    assert is_absolute_date(date, 0, len(date))


@pytest.mark.parametrize(
    "text", ["DOB: 14-sep-1981.", "seen 1987-06-05T14:30 here", "issued 11/08/19 by"]
)
def test_dates_that_look_like_codes_are_dates(text: str) -> None:
    date = text.split(" ", 1)[1].rsplit(" ", 1)[0].rstrip(".")
    start = text.index(date)
    assert is_absolute_date(text, start, start + len(date))


@pytest.mark.parametrize("value", ["2023-4417", "207/2024", "INV-2024-0031", "build-12"])
def test_file_and_invoice_numbers_are_not_dates(value: str) -> None:
    text = f"ref {value} open"
    assert not is_absolute_date(text, 4, 4 + len(value))


@pytest.mark.parametrize("text", ["3 days ago", "3 mails", "3 settimane", "demain", "morgen"])
def test_words_that_merely_start_like_a_month_do_not(text: str) -> None:
    assert not is_absolute_date(text, 0, len(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [("the assistant of Northwind Bank.", "Northwind"), ("Globex Ltd called", "Globex")],
)
def test_the_start_of_a_company_name_is_not_a_person(ner: _NerModel, text: str, value: str) -> None:
    assert span(ner, text, value) is None
