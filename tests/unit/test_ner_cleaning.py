"""The clean-up of NER spans that needs no model: lone stop words are not names, dates
written with a month name in the six languages the NER model reads are absolute, and spans
made of a language's ordinary words (models/lexicon) go where their case says they are no
name — while names, even lower-case ones and ones that are also words, stay."""

from __future__ import annotations

import pytest

from pii_mapper.detection.engine import _NerModel, is_absolute_date, load_nlp_config
from pii_mapper.detection.lexicon import lexicon


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


# --- ordinary words that the model reads as names (models/lexicon) ---------------------------


def kept(ner: _NerModel, text: str, value: str, entity: str, language: str = "en") -> str | None:
    start = text.index(value)
    span = ner.cleaned(text, start, start + len(value), entity, language)
    return None if span is None else text[span[0] : span[1]]


@pytest.mark.parametrize(
    ("text", "value", "entity", "language"),
    [
        # lower case in a message whose writer capitalises
        ("Thanks for the files. Please kindly revert by Friday.", "kindly revert", "PERSON", "en"),
        ("Leave the keys at the office. Thanks!", "the office", "LOCATION", "en"),
        ("Das Paket ist da. Bitte ausräumen, danke.", "ausräumen", "PERSON", "de"),
        ("Hola. Mañana hay que llamar al banco.", "llamar", "LOCATION", "es"),
        # lower case, words that are never names, whoever writes
        ("left my laptop at home again", "laptop", "LOCATION", "en"),
        # capitalised only because a sentence, a line or a value after a colon starts
        ("Strong candidate. Start date is flexible.", "Strong", "PERSON", "en"),
        ("Reason: Failure to connect", "Failure", "LOCATION", "en"),
        ("Falta una escalera.", "Falta", "LOCATION", "es"),
        # shouting
        ("PLEASE CALL BACK TOMORROW", "CALL BACK", "PERSON", "en"),
        # German common nouns, alone or with ordinary words
        ("Die Kreditkarte liegt im Büro.", "Kreditkarte", "LOCATION", "de"),
        ("Unterschrieben vom Rechtsanwalt am Montag.", "Rechtsanwalt", "LOCATION", "de"),
        ("Bitte die Reisepassnummer eintragen.", "Reisepassnummer", "LOCATION", "de"),
        # a short figure among ordinary words
        ("The Budget 2027 is approved.", "Budget 2027", "LOCATION", "en"),
        ("Nos vemos en la sala 4 mañana.", "sala 4", "LOCATION", "es"),
        # a day of the week
        ("Can we meet on Friday?", "Friday", "PERSON", "en"),
        # dotted code names
        ("WARN auth.sso - login failed", "auth.sso", "PERSON", "en"),
        # German: an article or a possessive and a common noun
        ("Stell es bitte in den Flur.", "den Flur", "LOCATION", "de"),
        # an initial alone, a greeting, a possessive's "s" before a header word
        ("Geboren: F. 1990", "F", "PERSON", "en"),
        ("Goedemiddag,\n\nkunt u mij terugbellen?", "Goedemiddag", "PERSON", "nl"),
        ("The client's ITIN is missing.", "s ITIN", "PERSON", "en"),
        # a capitalised word, a function word and an ordinary word, from a capitalising writer
        ("Hola.\nInforme de laboratorio adjunto.", "Informe de laboratorio", "PERSON", "es"),
    ],
)
def test_ordinary_words_are_not_names(
    ner: _NerModel, text: str, value: str, entity: str, language: str
) -> None:
    assert kept(ner, text, value, entity, language) is None


@pytest.mark.parametrize(
    ("text", "value", "entity", "language"),
    [
        # a writer who writes all in lower case: names stay, even ordinary-looking ones
        ("i met john smith yesterday", "john smith", "PERSON", "en"),
        ("danke jana pfeiffer für die unterlagen", "jana pfeiffer", "PERSON", "de"),
        ("ask grace about the invoice", "grace", "PERSON", "en"),
        # a word that is a name as often as a word keeps its capital at a sentence start
        ("Mark will send the contract.", "Mark", "PERSON", "en"),
        ("Young will pick up the phone.", "Young", "PERSON", "en"),
        # German: a name cue, a place after a preposition, a name of several words
        ("Ich habe mit Herrn Koch gesprochen.", "Koch", "PERSON", "de"),
        ("Bitte an Frau Winter schicken.", "Winter", "PERSON", "de"),
        ("Er fliegt morgen nach Österreich.", "Österreich", "LOCATION", "de"),
        (
            "Die Rechnung ging an Volksbank Landesbank.",
            "Volksbank Landesbank",
            "ORGANIZATION",
            "de",
        ),
        # surnames are not in the word lists
        ("Rückruf an Müller bitte.", "Müller", "PERSON", "de"),
        # an address with a street type and a number
        ("Send it to Church Road 5 please.", "Church Road 5", "LOCATION", "en"),
        # a long number may be an identifier the patterns missed: it stays
        ("Steuer-ID 12 345 678 901 bitte.", "Steuer-ID 12 345 678 901", "LOCATION", "de"),
        # nationalities and religions, written in lower case as these languages do
        ("Elle est algérienne et musulmane.", "algérienne", "NRP", "fr"),
        # a nationality said of a person
        ("Our Dutch contractor starts on Monday.", "Dutch", "NRP", "en"),
        # a name with a particle, capitalised as its writer capitalises names
        ("Hola.\nEl paquete es para Rosa de la Fuente.", "Rosa de la Fuente", "PERSON", "es"),
        # a company may have a figure in its name
        ("We met at Studio 54 yesterday.", "Studio 54", "ORGANIZATION", "en"),
    ],
)
def test_names_of_ordinary_words_stay(
    ner: _NerModel, text: str, value: str, entity: str, language: str
) -> None:
    assert kept(ner, text, value, entity, language) == value


@pytest.mark.parametrize(
    ("text", "value", "language"),
    [
        ("For the German payroll we need your tax number.", "German", "en"),
        ("Please use the French format for dates.", "French", "en"),
        ("She writes in English.", "English", "en"),
        ("Utilisez le format français, merci.", "français", "fr"),
        ("Llamadla en chino, por favor.", "chino", "es"),
        ("Bitte auf Deutsch antworten.", "Deutsch", "de"),
    ],
)
def test_a_nationality_said_of_a_thing_or_a_language_is_not_nrp(
    ner: _NerModel, text: str, value: str, language: str
) -> None:
    assert kept(ner, text, value, "NRP", language) is None


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("Kunde 4471 \u2013 welcher davon?", "4471 \u2013 welcher davon", None),
        ("Thanks. Jonas Weber called.", "Thanks. Jonas Weber", "Jonas Weber"),
        ('Patient: Thomas "Tommy" Reyes', 'Thomas "Tommy" Reyes', 'Thomas "Tommy" Reyes'),
        ("In der Maske „Kundendaten bearbeiten", "Maske „Kundendaten", None),
        ("Dr. Ada Lovelace called", "Dr. Ada Lovelace", "Dr. Ada Lovelace"),
    ],
)
def test_a_name_does_not_run_over_a_break(
    ner: _NerModel, text: str, value: str, expected: str | None
) -> None:
    assert kept(ner, text, value, "PERSON", "de" if "Kunde" in text else "en") == expected


def test_the_letter_after_a_dot_ends_an_abbreviation(ner: _NerModel) -> None:
    """A lone letter is no name, but the last "S" of "S.A.S." is the end of a company's
    name that the model cut short: it stays, so that the company's name is masked whole."""
    text = "chez Dupont S.A.S. demain"
    last = text.rindex("S")
    assert ner.cleaned(text, last, last + 1, "PERSON", "fr") == (last, last + 1)


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ('{"mfa": false, "last_login_ip": "10.0.0.1"}', "last_login_ip", True),
        (
            "| Datum | Strecke | km |\n|---|---|---|\n| 03.02. | Freiburg - Basel | 72 |",
            "Strecke",
            True,
        ),
        (
            "| Datum | Strecke | km |\n|---|---|---|\n| 03.02. | Freiburg - Basel | 72 |",
            "Freiburg",
            False,
        ),
        ("<Anagrafica><Nome>Marta</Nome></Anagrafica>", "Anagrafica", True),
        ("<Anagrafica><Nome>Marta</Nome></Anagrafica>", "Marta", False),
        ("Server=10.0.0.14;Database=Planning;User Id=planner", "Database", True),
        ("Server=10.0.0.14;Database=Planning;User Id=planner", "Planning", False),
        ("retries = 3\nDB_USER=gestionale", "DB_USER", True),
        ('{"name": "Ada Lovelace"}', "Ada Lovelace", False),
        ("Maria Gonzalez = the new lead", "Maria Gonzalez", False),
        ("| Ada Byron | ada@example.org |", "Ada Byron", False),  # no rule below: a row
        ("smtp:\n  host: mail\nstripe:\n  secret_key: x\n", "stripe", True),  # YAML
        ("Thanks,\nMark:\nsee below", "Mark", False),  # no indented key below
        ("Mark: ok\n  host: mail", "Mark", False),  # a value follows on the line
    ],
)
def test_labels_of_structured_text_are_told_from_values(text: str, value: str, label: bool) -> None:
    from pii_mapper.detection.engine import is_markup_label

    start = text.index(value)
    assert is_markup_label(text, start, start + len(value)) is label


def test_the_header_row_of_delimited_data_is_labels() -> None:
    from pii_mapper.detection.engine import is_markup_label

    text = (
        "voici l'export :\nNom;Prénom;email;Ville\n"
        "Dupont;Marie;m@x.fr;Lyon\nMartin;Luc;l@x.fr;Nice\n"
    )
    for value, label in (("Prénom", True), ("Ville", True), ("Marie", False), ("Lyon", False)):
        start = text.index(value)
        assert is_markup_label(text, start, start + len(value)) is label, value
    # rows of names without a header: none of them is a label
    rows = "Dupont;Marie;Lyon\nMartin;Luc;Nice\n"
    start = rows.index("Marie")
    assert not is_markup_label(rows, start, start + len("Marie"))


# --- the function words at a span's edges ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "entity", "language", "expected"),
    [
        # no name ends in a preposition: it goes, and the rest is judged alone
        ("Scusate, nel cedolino di luglio manca il rimborso.", "cedolino di", "PERSON", "it", None),
        ("La clause est supprimée de la version finale.", "supprimée de la", "PERSON", "fr", None),
        (
            "Then call Ada Lovelace for the keys.",
            "Ada Lovelace for",
            "PERSON",
            "en",
            "Ada Lovelace",
        ),
        ("SUBITO E CHIAMATELO AL 335 607 1183", "CHIAMATELO AL", "LOCATION", "it", "CHIAMATELO"),
        # an article and a common noun in lower case: a noun phrase, whoever writes
        ("zia sono lorenza, la nonna ha la visita", "la nonna", "PERSON", "it", None),
        (
            "frau schäfer, der handwerker kommt am donnerstag",
            "der handwerker",
            "PERSON",
            "de",
            None,
        ),
        ("ask my boss about it", "my boss", "PERSON", "en", None),
        # an article before a name: the article goes, the name stays
        ("ho visto la giulia ieri sera", "la giulia", "PERSON", "it", "giulia"),
        ("Hast du der Thomas schon geschrieben?", "der Thomas", "PERSON", "de", "Thomas"),
        # a particle may start a surname written alone
        ("Bel meneer de Graaf terug.", "de Graaf", "PERSON", "nl", "de Graaf"),
        ("Chiedi a di Stefano.", "di Stefano", "PERSON", "it", "di Stefano"),
        # a name whose last word is a function word of another language only
        ("talked to wei li about it", "wei li", "PERSON", "en", "wei li"),
        # literals of code and data
        ('{"mfa": false, "role": "admin"}', "false", "LOCATION", "en", None),
    ],
)
def test_function_words_at_the_edges(
    ner: _NerModel, text: str, value: str, entity: str, language: str, expected: str | None
) -> None:
    assert kept(ner, text, value, entity, language) == expected


def test_a_heading_in_capitals_is_read_in_any_of_the_languages(ner: _NerModel) -> None:
    # Capitals defeat language identification: a Dutch notice may be read as English.
    text = "LET OP: DE KANTINE IS VOLGENDE WEEK GESLOTEN"
    assert kept(ner, text, "DE KANTINE", "ORGANIZATION", "en") is None
    assert kept(ner, "NAME: MARIA GONZALEZ", "MARIA GONZALEZ", "PERSON", "en") == "MARIA GONZALEZ"


@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("it", "richiesti"),
        ("it", "collegati"),
        ("nl", "geldig"),
        ("nl", "vertrek"),
        ("fr", "supprimée"),
    ],
)
def test_rare_forms_of_french_italian_and_dutch_are_known_and_plain(
    language: str, word: str
) -> None:
    # No frequency table ranks them; the dictionary's forms are kept as hashes.
    assert lexicon(language).knows(word)
    assert lexicon(language).knows_plain(word)


@pytest.mark.parametrize(
    ("language", "word"), [("it", "giulia"), ("nl", "bosman"), ("fr", "dupont")]
)
def test_names_are_not_known_words(language: str, word: str) -> None:
    assert not lexicon(language).knows(word)


@pytest.mark.parametrize(
    ("text", "value", "entity", "language", "expected"),
    [
        # an ordinary lower-case word beside a capitalised name is not part of it
        (
            "Cambio prenotazione: passeggeri Filippo Orsini e Carla Neri",
            "passeggeri Filippo Orsini",
            "PERSON",
            "it",
            "Filippo Orsini",
        ),
        ("Then Ada Lovelace called again.", "Ada Lovelace called", "PERSON", "en", "Ada Lovelace"),
        # but a place or a company may hold one
        (
            "per l'immobile di via Mazzini 27, Lecco",
            "via Mazzini 27",
            "LOCATION",
            "it",
            "via Mazzini 27",
        ),
        (
            "bozza per Donarelli e figli:",
            "Donarelli e figli",
            "ORGANIZATION",
            "it",
            "Donarelli e figli",
        ),
        # a day with relative words
        ("The review moved to next Tuesday. Thanks", "next Tuesday", "LOCATION", "en", None),
        ("she's free Wednesday afternoon, call her", "Wednesday afternoon", "LOCATION", "en", None),
        # a code among words is not a name; a user name with figures alone may be one
        ("Cambio prenotazione PNR K7XQ2M: passeggeri", "PNR K7XQ2M", "PERSON", "it", None),
        ("F24 da pagare entro il 16 giugno", "F24 da pagare", "PERSON", "it", None),
        # a table's cell starts like a sentence
        (
            "Utente\tSistema\nc.morelli\tGestionale ordini\t30/06",
            "Gestionale ordini",
            "PERSON",
            "it",
            None,
        ),
    ],
)
def test_edges_days_codes_and_cells(
    ner: _NerModel, text: str, value: str, entity: str, language: str, expected: str | None
) -> None:
    assert kept(ner, text, value, entity, language) == expected


@pytest.mark.parametrize(
    ("word", "language"), [("backend", "es"), ("webinar", "de"), ("devops", "en")]
)
def test_work_jargon_is_plain_in_every_language(word: str, language: str) -> None:
    # models/lexicon/jargon.txt: words of work chat the dictionaries leave out.
    from pii_mapper.detection.lexicon import is_plain

    assert is_plain(word, language)


@pytest.mark.parametrize(
    ("text", "value", "entity", "expected"),
    [
        # part of a form's label of ordinary words
        ("DOB: 03/04/1958\nEmergency contact: Folake Adeyemi", "Emergency", "LOCATION", None),
        ("Emergency Contact: Pablo Ruiz", "Emergency", "PERSON", None),
        # a speaker's name is the whole label: it stays
        ("Mark Rose: ok, will do", "Mark Rose", "PERSON", "Mark Rose"),
        # the value after the label stays
        ("Emergency contact: Folake Adeyemi", "Folake Adeyemi", "PERSON", "Folake Adeyemi"),
        # a title's abbreviation of any of the six languages
        ("Cordialmente,\n\ngeom. Paolo Zanetti", "geom", "PERSON", None),
        ("saluti, avv. Neri", "avv", "PERSON", None),
    ],
)
def test_labels_and_titles_are_not_names(
    ner: _NerModel, text: str, value: str, entity: str, expected: str | None
) -> None:
    assert kept(ner, text, value, entity, "en") == expected


def test_a_header_row_of_ordinary_words_is_labels_in_any_language() -> None:
    from pii_mapper.detection.engine import is_markup_label

    text = "fecha;concepto;importe\n03/03/2025;TRANSF DE SUSANA ORTIZ;-45,00\n"
    start = text.index("concepto")
    assert is_markup_label(text, start, start + len("concepto"))
    # a row of names is no header, even when the next row has as many cells
    text = "Ana;Lucía;Pedro\nx;y;z\n"
    start = text.index("Lucía")
    assert not is_markup_label(text, start, start + len("Lucía"))


def test_function_words_of_any_language_leave_a_span_in_capitals(ner: _NerModel) -> None:
    # A short line in capitals is often not identified: "DE" is Spanish here.
    text = "03/03/2025;TRANSF DE SUSANA ORTIZ GIL;-45,00"
    assert kept(ner, text, "TRANSF DE", "LOCATION", "en") == "TRANSF"


@pytest.mark.parametrize(
    ("text", "value", "entity", "expected"),
    [
        (
            "Send it to 45 Marine Drive, Mumbai before Friday.",
            "45 Marine Drive, Mumbai before Friday",
            "LOCATION",
            "45 Marine Drive, Mumbai",
        ),
        ("Ask Ada Lovelace tomorrow", "Ada Lovelace tomorrow", "PERSON", "Ada Lovelace"),
        ("Bitte an Frau Anna Winter schicken.", "Anna Winter", "PERSON", "Anna Winter"),
        ("met wei li on Monday", "wei li", "PERSON", "wei li"),
    ],
)
def test_a_day_ends_no_name_or_place(
    ner: _NerModel, text: str, value: str, entity: str, expected: str
) -> None:
    assert kept(ner, text, value, entity, "en") == expected


@pytest.mark.parametrize(
    ("text", "value", "entity", "language", "expected"),
    [
        ("Sorry, pasted from the Polish template.", "Polish", "LOCATION", "en", None),
        ("Sorry voor mijn slechte Nederlands.", "Nederlands", "ORGANIZATION", "nl", None),
        ("por favor llamadla en chino o inglés", "chino o inglés", "PERSON", "es", None),
        # a lone nationality word may be a surname
        ("Ho parlato con Greco ieri.", "Greco", "PERSON", "it", "Greco"),
    ],
)
def test_peoples_and_languages_are_no_place_company_or_name(
    ner: _NerModel, text: str, value: str, entity: str, language: str, expected: str | None
) -> None:
    assert kept(ner, text, value, entity, language) == expected


@pytest.mark.parametrize(
    ("text", "value", "entity", "expected"),
    [
        # a JSON string value starts like a sentence
        ('{"company": "Solar Co-op", "stage": "Qualified"}', "Qualified", "LOCATION", None),
        ('{"owner": "Grace"}', "Grace", "PERSON", "Grace"),  # a name as often as a word
        # a long token of letters and figures is an id, not a place
        (
            '{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}',
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "LOCATION",
            None,
        ),
        ("Eircode is D04 E5W7, Dublin", "D04 E5W7", "LOCATION", "D04 E5W7"),
        ("Adresse: CH-8001 Zürich", "CH-8001", "LOCATION", "CH-8001"),
    ],
)
def test_json_values_and_ids(
    ner: _NerModel, text: str, value: str, entity: str, expected: str | None
) -> None:
    assert kept(ner, text, value, entity, "en") == expected


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        ("We compared Salesforce and HubSpot for the CRM.", "HubSpot", "PERSON"),
        ("Ticket is in Jira, link in Slack.", "Jira", "ORGANIZATION"),
        ("Ping the backend team.", "backend", "PERSON"),
    ],
)
def test_a_tool_or_a_word_of_work_alone_is_no_name(
    ner: _NerModel, text: str, value: str, entity: str
) -> None:
    assert kept(ner, text, value, entity, "en") is None
