"""Phone numbers, dates and relative time words per language (pii_mapper.detection.localized and the
relative-date guard of the default detector); no spaCy model involved."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_mapper.detection.engine import is_absolute_date
from pii_mapper.detection.localized import (
    LocalCuedNameRecognizer,
    LocalPhoneRecognizer,
    LocalTextDateRecognizer,
    RoleNameRecognizer,
    TitledNameRecognizer,
    is_local_date,
    local_date_pattern,
    relative_time_words,
)
from pii_mapper.detection.localized import _trie as trie
from pii_mapper.detection.patterns import PhoneRecognizer, Recognizer
from pii_mapper.language import SUPPORTED_LANGUAGES, language_profiles
from tests.timing_support import best_time

LOCAL = [code for code in SUPPORTED_LANGUAGES if code != "en"]


def found(recognizer: Recognizer, text: str, threshold: float = 0.4) -> list[str]:
    return [text[d.start : d.end] for d in recognizer.find(text) if d.score >= threshold]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Mon portable : 06 12 34 56 78.", ["06 12 34 56 78"]),
        ("fr", "au 06.12.34.56.78 ou au 01 42 68 53 00", ["06.12.34.56.78", "01 42 68 53 00"]),
        ("fr", "ou le +33 6 12 34 56 78", ["+33 6 12 34 56 78"]),
        ("de", "Festnetz 030 1234567, Handy 0171 1234567", ["030 1234567", "0171 1234567"]),
        ("de", "Ruf mich an: 030/1234567", ["030/1234567"]),
        ("de", "oder +49 30 1234567", ["+49 30 1234567"]),
        ("es", "Mi móvil es 612 34 56 78", ["612 34 56 78"]),
        ("es", "fijo 91 123 45 67 o +34 612 345 678", ["91 123 45 67", "+34 612 345 678"]),
        ("it", "chiamami al 347 123 4567 o allo 02 1234 5678", ["347 123 4567", "02 1234 5678"]),
        ("it", "oppure +39 347 123 4567", ["+39 347 123 4567"]),
        ("nl", "bel me op 06-12345678", ["06-12345678"]),
        ("nl", "of 020 123 4567 of +31 6 12345678", ["020 123 4567", "+31 6 12345678"]),
    ],
)
def test_national_and_international_phone_numbers(
    language: str, text: str, expected: list[str]
) -> None:
    assert found(LocalPhoneRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "06 12 34 56 78"),
        ("de", "0171 1234567"),
        ("es", "612 34 56 78"),
        ("it", "347 123 4567"),
        ("nl", "06-12345678"),
    ],
)
def test_the_language_reads_its_numbers_more_surely_than_english(language: str, text: str) -> None:
    # Without a phone word, the US plan does not hold these; English reads a grouping of
    # possible length or another English-speaking country's plan, with less confidence.
    english = [d.score for d in PhoneRecognizer().find(f"see {text}")]
    local = [d.score for d in LocalPhoneRecognizer(language).find(f"see {text}")]
    assert local == [0.75]
    assert all(score < 0.75 for score in english)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "commande 4155552671 expédiée"),  # a bare US-valid run is not French
        ("de", "Bestellung 12345678 versandt"),
        ("es", "pedido 612345678901234567"),
        ("it", "il 12/03/1990 alle 10"),
        ("nl", "versie 1.2.3.4 van 06-01-2024"),
        ("de", "Steuernummer: 305/5174/2219"),  # announced as another number
        ("nl", "het gaat om factuur 2025-00417"),
        ("fr", "dossier 2024/11907 en cours"),  # a year and figures: a file number
    ],
)
def test_what_is_not_a_phone_number(language: str, text: str) -> None:
    assert found(LocalPhoneRecognizer(language), text) == []


def test_a_phone_word_wins_over_another_number_s_word() -> None:
    text = "Rechnung bitte an Telefon 030 1234567"
    assert found(LocalPhoneRecognizer("de"), text) == ["030 1234567"]


def test_a_phone_word_in_the_language_raises_the_score() -> None:
    plain = list(LocalPhoneRecognizer("de").find("Nr 0301234567"))
    cued = list(LocalPhoneRecognizer("de").find("Telefon 0301234567"))
    assert plain
    assert cued
    assert plain[0].score < 0.4 <= cued[0].score


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "née le 3 mars 1990 à Lyon", ["3 mars 1990"]),
        ("fr", "le 1er mai, puis en févr. 2021", ["1er mai", "févr. 2021"]),
        ("fr", "rendez-vous le 14 juillet", ["14 juillet"]),
        ("de", "geboren am 3. März 1990", ["3. März 1990"]),
        ("de", "seit Okt. 2019 und am 24. Dezember", ["Okt. 2019", "24. Dezember"]),
        ("es", "nací el 3 de marzo de 1990", ["3 de marzo de 1990"]),
        ("es", "desde marzo de 2020 y el 5 de mayo", ["marzo de 2020", "5 de mayo"]),
        ("it", "sono nato il 3 marzo 1990", ["3 marzo 1990"]),
        ("it", "dal 1° gennaio e da sett. 2018", ["1° gennaio", "sett. 2018"]),
        ("nl", "geboren op 3 maart 1990", ["3 maart 1990"]),
        ("nl", "sinds mei 2021 en op 31 december", ["mei 2021", "31 december"]),
        ("de", "Termine: Mo 03.03. 07:30, Fr. 18.07. abends", ["Mo 03.03.", "Fr. 18.07."]),
        ("de", "Kirchensteuer ab 01.02. richtig, Kapitel 1.2.", ["01.02."]),
        ("nl", "| ma 10-03 vroeg | di 11-03 laat |", ["ma 10-03", "di 11-03"]),
        ("fr", "le mar 11/03 ou jeu. 13/03, note 10/10", ["mar 11/03", "jeu. 13/03"]),
        ("it", "gio 06/03 alle 9", ["gio 06/03"]),
        ("es", "el lunes 3/11 por la tarde", ["lunes 3/11"]),
    ],
)
def test_dates_with_month_names(language: str, text: str, expected: list[str]) -> None:
    assert found(LocalTextDateRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "ha vinto 3 set a zero"),  # an abbreviation needs a year
        ("es", "a 3 mar de distancia"),
        ("fr", "les 3 mousquetaires"),
        ("de", "Version 3. Märzen"),
    ],
)
def test_words_that_look_like_months_are_not_dates(language: str, text: str) -> None:
    assert found(LocalTextDateRecognizer(language), text) == []


# Each language's relative times: not PII, whatever detector proposes them.
RELATIVE = {
    "fr": ["demain", "la semaine prochaine", "hier soir", "après-demain", "le mois prochain"],
    "de": ["morgen", "nächste Woche", "gestern", "übermorgen", "nächsten Monat"],
    "es": ["mañana", "la semana que viene", "ayer", "pasado mañana", "el mes que viene"],
    "it": ["domani", "la settimana prossima", "ieri", "dopodomani", "il mese prossimo"],
    "nl": ["morgen", "volgende week", "gisteren", "overmorgen", "volgende maand"],
}


@pytest.mark.parametrize(
    ("language", "phrase"),
    [(language, phrase) for language, phrases in RELATIVE.items() for phrase in phrases],
)
def test_relative_times_are_not_dates(language: str, phrase: str) -> None:
    text = f"ok {phrase} ok"
    start = text.index(phrase)
    assert not is_absolute_date(text, start, start + len(phrase), language)
    assert not is_local_date(phrase, language)
    assert found(LocalTextDateRecognizer(language), text) == []
    assert phrase.split()[-1].casefold() in relative_time_words()


@pytest.mark.parametrize(
    ("language", "date"),
    [
        ("fr", "3 mars"),
        ("de", "3. März"),
        ("es", "3 de marzo"),
        ("it", "3 marzo"),
        ("nl", "3 maart"),
    ],
)
def test_a_date_without_a_year_is_absolute_in_its_language(language: str, date: str) -> None:
    text = f"le {date} ok"
    start = text.index(date)
    assert is_absolute_date(text, start, start + len(date), language)
    # Month names of the six languages count in any of them: a message identified as English
    # may still quote a German or Dutch date.
    assert is_absolute_date(text, start, start + len(date), "en")


def test_every_language_has_a_region_phone_words_and_months() -> None:
    profiles = language_profiles()
    assert {p.phone_region for p in profiles.values()} == {"US", "FR", "DE", "ES", "IT", "NL"}
    for profile in profiles.values():
        assert profile.phone_words
        assert all(forms for forms in profile.months)


@pytest.mark.parametrize("language", LOCAL)
def test_linear_on_adversarial_text(language: str) -> None:
    recognizers: list[Recognizer] = [
        LocalPhoneRecognizer(language),
        LocalTextDateRecognizer(language),
        LocalCuedNameRecognizer(language),
    ]
    for text in (
        "1 " * 20_000,
        "3 de " * 20_000,
        "1. 2. 3. " * 10_000,
        "06-" * 20_000,
        "Bonjour Hallo Hola Ciao Hoi " * 5_000,
        "Ik heet Sanne de van der de " * 5_000,
        "Cordialement,\n" * 10_000,
    ):
        for recognizer in recognizers:
            started = time.perf_counter()
            list(recognizer.find(text))
            assert time.perf_counter() - started < 3.0
    assert local_date_pattern(language).search("3 " * 50_000) is None


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Bonjour Marie, ça va ?", ["Marie"]),
        ("fr", "Je m'appelle Jean-Luc Mercier et j'habite à Lyon.", ["Jean-Luc Mercier"]),
        ("fr", "Bonjour Madame Dupont,", ["Dupont"]),
        ("fr", "Cordialement,\nSophie Martin", ["Sophie Martin"]),
        ("fr", "Salut, Élodie !", ["Élodie"]),
        ("de", "Ich heiße Jonas Becker.", ["Jonas Becker"]),
        ("de", "Guten Tag Frau Müller,", ["Müller"]),
        ("de", "Liebe Grüße\nTom", ["Tom"]),
        ("de", "Mein Name ist Ludwig van Beethoven", ["Ludwig van Beethoven"]),
        ("es", "Me llamo José García y vivo en Madrid.", ["José García"]),
        ("es", "Estimado Señor Pérez:", ["Pérez"]),
        ("es", "Saludos,\nCarmen López", ["Carmen López"]),
        ("it", "Mi chiamo Marco Rossi.", ["Marco Rossi"]),
        ("it", "Gentile Signora Bianchi,", ["Bianchi"]),
        ("it", "Cordiali saluti,\nLuca Verdi", ["Luca Verdi"]),
        ("nl", "Ik heet Sanne de Vries.", ["Sanne de Vries"]),
        ("nl", "Beste meneer Jansen,", ["Jansen"]),
        ("nl", "Met vriendelijke groet,\nPieter Bakker", ["Pieter Bakker"]),
    ],
)
def test_names_after_a_cue_in_each_language(language: str, text: str, expected: list[str]) -> None:
    assert found(LocalCuedNameRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Bonjour à tous"),
        ("fr", "bonjour marie"),  # only a capitalised name counts
        ("de", "Hallo zusammen"),
        ("de", "Liebe Kollegen,"),
        ("es", "Hola a todos"),
        ("it", "Ciao a tutti"),
        ("it", "Sono stanco"),
        ("nl", "Hallo allemaal"),
    ],
)
def test_no_name_after_a_cue(language: str, text: str) -> None:
    assert found(LocalCuedNameRecognizer(language), text) == []


def test_a_one_word_introduction_scores_lower() -> None:
    [soy] = LocalCuedNameRecognizer("es").find("Soy Ana.")
    [llamo] = LocalCuedNameRecognizer("es").find("Me llamo Ana.")
    assert soy.score < llamo.score


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "GP is Dr Patel at Riverside Medical Centre.", ["Patel"]),
        ("en", "Can you move Mr. Farouk Haddad's MRI to Monday?", ["Farouk Haddad"]),
        ("en", "Note: Mrs Akhtar asked for a call back", ["Akhtar"]),
        ("de", "Herr Dr. Müller kommt um drei", ["Müller"]),
        ("nl", "Beste heer Van Beek, uw pakket", ["Van Beek"]),
        ("fr", "Le salarié, M. Rachid Amrani, estime", ["Rachid Amrani"]),
        ("es", "La señora García llamó", ["García"]),
        ("it", "il dott. Rossi ha confermato", ["Rossi"]),
        # not names: a street's "Dr", ordinary words, metres, a lower-case word
        ("en", "Ship to 12 Oak Dr Tulsa OK", []),
        ("en", "Dr Notes are in the wiki", []),
        ("fr", "à 5 m. Plus loin", []),
        ("en", "dr hughes is off", []),
    ],
)
def test_names_after_a_title(language: str, text: str, expected: list[str]) -> None:
    found = [text[d.start : d.end] for d in TitledNameRecognizer(language).find(text)]
    assert found == expected


def _flat(phrases: list[str], space: str, apostrophe: str) -> str:
    """The plain alternation of ``phrases``, longest first: what a trie must match alike."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", space).replace("'", apostrophe) for p in ordered)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="aAbéÉ' .-\u2019\t", min_size=1, max_size=6), min_size=1, max_size=8),
    st.text(alphabet="aAbé' .-x\t\u2019", max_size=40),
    st.sampled_from([(r"[ \t]++", "'"), (r"[ \t]+", "['\u2019]"), (r"\ ", "'")]),
    st.sampled_from(
        ["(?i:{})", "(?<![\\w])(?i:{})(?![\\w])", "(?P<w>(?i:{}))\\.?[ \\t]*b", "(?:{})(?:a|')?x?"]
    ),
)
def test_a_word_list_as_a_trie_matches_as_the_plain_alternation(
    phrases: list[str], text: str, forms: tuple[str, str], shape: str
) -> None:
    space, apostrophe = forms
    flat = re.compile(shape.format(_flat(phrases, space, apostrophe)))
    tree = re.compile(shape.format(trie(phrases, space=space, apostrophe=apostrophe)))
    assert [(m.span(), m.groupdict()) for m in tree.finditer(text)] == [
        (m.span(), m.groupdict()) for m in flat.finditer(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # in capitals after a cue in capitals, or after a cue that says a name follows
        ("BONJOUR, JE M'APPELLE GÉRARD PETITJEAN. RAPPELEZ-MOI", ["GÉRARD PETITJEAN"]),
        ("Je m'appelle GÉRARD", ["GÉRARD"]),
        # a surname in capitals after a first name, as French writes it
        ("Je m'appelle Marie DUPONT et j'habite à Lyon", ["Marie DUPONT"]),
        # capitals that name no one
        ("BONJOUR TOUT LE MONDE", []),
        ("Bonjour ATTENTION demain", []),
        ("je m'appelle Marie ET JE reviens", ["Marie"]),
    ],
)
def test_names_in_capitals_after_a_cue(text: str, expected: list[str]) -> None:
    assert found(LocalCuedNameRecognizer("fr"), text) == expected


def test_the_cued_name_search_is_linear_when_cues_follow_cues() -> None:
    recognizer = LocalCuedNameRecognizer("fr")
    small = best_time(lambda: list(recognizer.find("Bonjour " * 5000)))
    large = best_time(lambda: list(recognizer.find("Bonjour " * 20000)))
    assert large < max(small, 0.01) * 10


def test_a_message_language_is_identified_only_when_an_asked_type_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Structured types other than phone numbers read every language alike, and a phone
    number needs a digit: identifying the language would change nothing, so it is skipped
    (a quarter of a short structured-only message's detection time)."""
    from pii_mapper.detection import engine

    identified: list[list[str]] = []

    def identify(texts: list[str]) -> list[str]:
        identified.append(list(texts))
        return ["fr"] * len(texts)

    monkeypatch.setattr(engine, "identify_languages", identify)
    detector = engine.PresidioDetector(cache_size=0)
    french = "Écrivez-moi à marie.dupont@exemple.fr, ou appelez le 06 12 34 56 78."
    no_digit = "Écrivez-moi à marie.dupont@exemple.fr quand vous voulez."
    [found] = detector.detect([french], frozenset({"EMAIL_ADDRESS", "IBAN_CODE"}))
    assert [french[d.start : d.end] for d in found] == ["marie.dupont@exemple.fr"]
    detector.detect([no_digit], frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER"}))
    assert identified == []
    [found] = detector.detect([french], frozenset({"PHONE_NUMBER"}))
    assert identified == [[french]]
    assert [french[d.start : d.end] for d in found] == ["06 12 34 56 78"]


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        ("en", "Her son Gareth will call to rebook.", ["Gareth"]),
        ("en", "Manager Deepak approved the correction.", ["Deepak"]),
        ("en", "Collection on Tuesday, ask for Stu.", ["Stu"]),
        ("fr", "Validé par son responsable Franck.", ["Franck"]),
        ("de", "Freigegeben von ihrem Teamleiter Jens.", ["Jens"]),
        ("es", "Lo aprobó su jefe Ignacio.", ["Ignacio"]),
        ("it", "Il figlio Fabio chiamerà. Chiedere di Beppe.", ["Fabio", "Beppe"]),
        ("nl", "Haar zoon Wim belt. Vragen naar Hennie.", ["Wim", "Hennie"]),
        ("de", "Mein manager Paul ist im Urlaub", ["Paul"]),  # English roles in every language
        # A record's cues.
        ("en", "Table booked under Priyanka Das.", ["Priyanka Das"]),
        ("de", "Hotel, gebucht auf Dennis Kaya.", ["Dennis Kaya"]),
        ("fr", "Le compte est au nom de Gilles Perrot", ["Gilles Perrot"]),
        ("es", "Mesa reservada a nombre de Quispe.", ["Quispe"]),
        ("it", "Il contratto è intestato a Giovanna Ricci.", ["Giovanna Ricci"]),
        ("nl", "Het account staat op naam van Harm Wolters.", ["Harm Wolters"]),
    ],
)
def test_a_name_after_a_role_or_family_word_is_a_person(
    language: str, text: str, names: list[str]
) -> None:
    found = list(RoleNameRecognizer(language).find(text))
    assert [text[d.start : d.end] for d in found] == names
    assert all(d.entity == "PERSON" and d.score == 0.7 for d in found)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Teamleiter Vertrieb gesucht"),  # a department, German nouns
        ("en", "the manager Approval flow"),
        ("fr", "le responsable Achats"),
        ("en", "my manager is away"),  # no capitalised word
        ("en", "it runs under Windows"),  # "under" alone is no cue
    ],
)
def test_ordinary_words_after_a_role_are_no_name(language: str, text: str) -> None:
    assert list(RoleNameRecognizer(language).find(text)) == []


def test_every_language_lists_roles() -> None:
    for code in SUPPORTED_LANGUAGES:
        roles = language_profiles()[code].name_cues.roles
        assert roles, code
        assert all(role == role.lower() for role in roles)
