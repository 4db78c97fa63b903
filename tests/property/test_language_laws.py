"""Laws of language identification and of the per-language recognizers: total on any text,
spans inside the text, identifiers only where their check holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pii_mapper.detection.localized import (
    LocalCuedNameRecognizer,
    LocalPhoneRecognizer,
    LocalTextDateRecognizer,
)
from pii_mapper.detection.national_ids import (
    NATIONAL_ID_ENTITIES,
    de_tax_id_valid,
    es_nif_valid,
    fr_nir_valid,
    it_fiscal_code_valid,
    national_id_recognizer,
    nl_bsn_valid,
    uk_nino_valid,
)
from pii_mapper.language import SUPPORTED_LANGUAGES, identify_language, identify_languages

# Text that looks like chat with numbers and identifiers in it, or any text at all.
_FRAGMENTS = [
    " ", "  ", "\n", ",", ".", "-", "/", ":", "0", "1", "7", "06", "12", "34", "2A", "X", "Z",
    "AB", "RSS", "MRA", "85T10", "A562S", "le", "der", "el", "il", "het", "the", "mars",
    "März", "marzo", "maart", "de", "passport", "Reisepass-Nr.", "BSN", "DNI", "Steuer-ID",
    "é", "ß", "ñ", "¿", "ij", "+33", "+49", "00", "😀", "\u2019", "Bonjour", "Hallo",
    "Marie", "Müller", "je m'appelle", "Ik heet", "de", "van", "Madame", "Grüße", "Saludos,",
]  # fmt: skip
chat_texts = st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join) | st.text(max_size=120)

_CHECKS = {
    "FR_NIR": fr_nir_valid,
    "UK_NINO": uk_nino_valid,
    "DE_TAX_ID": de_tax_id_valid,
    "ES_NIF": es_nif_valid,
    "IT_FISCAL_CODE": it_fiscal_code_valid,
    "NL_BSN": nl_bsn_valid,
}


@given(st.lists(chat_texts, max_size=6))
def test_identification_is_total(texts: list[str]) -> None:
    languages = identify_languages(texts)
    assert len(languages) == len(texts)
    assert set(languages) <= set(SUPPORTED_LANGUAGES)
    for text, language in zip(texts, languages, strict=True):
        own = identify_language(text)
        assert own is None or own == language


@settings(max_examples=200)
@given(chat_texts)
def test_identifiers_lie_in_the_text_and_pass_their_check(text: str) -> None:
    for entity in NATIONAL_ID_ENTITIES:
        for detection in national_id_recognizer(entity)().find(text):
            assert 0 <= detection.start < detection.end <= len(text)
            assert 0 < detection.score <= 1
            check = _CHECKS.get(entity)
            assert check is None or check(text[detection.start : detection.end])


@settings(max_examples=100)
@given(chat_texts, st.sampled_from([c for c in SUPPORTED_LANGUAGES if c != "en"]))
def test_local_recognizers_stay_in_the_text(text: str, language: str) -> None:
    for recognizer in (
        LocalPhoneRecognizer(language),
        LocalTextDateRecognizer(language),
        LocalCuedNameRecognizer(language),
    ):
        for detection in recognizer.find(text):
            assert 0 <= detection.start < detection.end <= len(text)
