"""The structured-data recognizer: values found by the key, field, column or vCard property
that labels them, in the six supported languages; look-alikes left alone."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_mapper.detection import Detection
from pii_mapper.detection.engine import _WORD, PresidioDetector
from pii_mapper.detection.registry import Recognizer
from pii_mapper.detection.structured import (
    KEY_SCORE,
    STRUCTURED_ENTITIES,
    TABLE_SCORE,
    StructuredRecognizer,
    key_kind,
)

RECOGNIZER: Recognizer = StructuredRecognizer()
# Non-ASCII text first: offsets must count code points.
PREFIX = "Grüße 🙂 — naïve café:\n"


def found(text: str) -> list[str]:
    """``ENTITY:value`` of each detection, in text order."""
    return [f"{d.entity}:{text[d.start : d.end]}" for d in RECOGNIZER.find(text)]


def test_it_reports_six_types_under_one_name() -> None:
    assert RECOGNIZER.name == "StructuredRecognizer"
    assert set(STRUCTURED_ENTITIES) == {
        "PERSON",
        "LOCATION",
        "ORGANIZATION",
        "DATE_TIME",
        "PASSWORD",
        "PHONE_NUMBER",
    }
    assert list(RECOGNIZER.find("")) == []


# --- keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        # every language, any case, accents or none, split by case and punctuation
        ("name", "person"),
        ("fullName", "person"),
        ("CUSTOMER_NAME", "person"),
        ("nombre_cliente", "person"),
        ("first_name", "name_part"),
        ("lastName", "name_part"),
        ("Prénom", "name_part"),
        ("prenom", "name_part"),
        ("Nachname", "name_part"),
        ("apellidos", "name_part"),
        ("cognome", "name_part"),
        ("achternaam", "name_part"),
        ("Titular", "person"),
        ("Käufer", "person"),
        ("kaeufer", None),  # transliterations are not guessed
        ("klant", "person"),
        ("city", "place"),
        ("billingCity", "place"),
        ("ciudad_envio", "place"),
        ("Città", "place"),
        ("woonplaats", "place"),
        ("Wohnort", "place"),
        ("street", "address"),
        ("shipping.address.line1", "address"),
        ("Straße", "address"),
        ("STRASSE", "address"),
        ("dirección", "address"),
        ("indirizzo", "address"),
        ("zip", "postcode"),
        ("postalCode", "postcode"),
        ("Code postal", "postcode"),
        ("PLZ", "postcode"),
        ("CAP", "postcode"),
        ("company", "organization"),
        ("Société", "organization"),
        ("empresa", "organization"),
        ("bedrijfsnaam", "organization"),
        ("date_of_birth", "birth_date"),
        ("Geburtsdatum", "birth_date"),
        ("GEB.-DATUM", "birth_date"),
        ("fecha_nacimiento", "birth_date"),
        ("db_password", "password"),
        ("mot de passe", "password"),
        ("Wachtwoord", "password"),
        # look-alikes
        ("email_address", None),
        ("ipAddress", None),
        ("file_name", None),
        ("hostname", None),
        ("city_id", None),
        ("country_code", None),
        ("password_hash", None),
        ("password_min_length", None),
        ("status", None),
        ("description", None),
        ("", None),
    ],
)
def test_keys_are_read_in_every_language_and_form(key: str, kind: str | None) -> None:
    assert key_kind(key) == kind


# --- formats, per language ----------------------------------------------------------------

JSON_CASES = [
    (
        "en",
        '{"customer":{"name":"Olivia Brennan","company":"Harbour Lane Foods","city":"Leeds",'
        '"zip":"LS1 4AP","country":"United Kingdom"},"status":"active"}',
        [
            "PERSON:Olivia Brennan",
            "ORGANIZATION:Harbour Lane Foods",
            "LOCATION:Leeds",
            "LOCATION:LS1 4AP",
            "LOCATION:United Kingdom",
        ],
    ),
    (
        "fr",
        '{"nom": "Lefèvre", "prénom": "Anaïs", "adresse": "14 rue des Tanneurs", '
        '"code_postal": "67000", "ville": "Strasbourg", "société": "Atelier Vosges"}',
        [
            "PERSON:Lefèvre",
            "PERSON:Anaïs",
            "LOCATION:14 rue des Tanneurs",
            "LOCATION:67000",
            "LOCATION:Strasbourg",
            "ORGANIZATION:Atelier Vosges",
        ],
    ),
    (
        "de",
        "{'Vorname': 'Hannelore', 'Nachname': 'Brückner', 'Straße': 'Lindenweg 7', "
        "'PLZ': 99084, 'Ort': 'Erfurt', 'Firma': 'Brückner Holzbau'}",
        [
            "PERSON:Hannelore",
            "PERSON:Brückner",
            "LOCATION:Lindenweg 7",
            "LOCATION:99084",
            "LOCATION:Erfurt",
            "ORGANIZATION:Brückner Holzbau",
        ],
    ),
    (
        "es",
        '{"nombre":"Itziar","apellidos":"Etxeberria Goñi","direccion":"Calle Mayor 12",'
        '"cp":"31001","ciudad":"Pamplona","empresa":"Conservas Goñi"}',
        [
            "PERSON:Itziar",
            "PERSON:Etxeberria Goñi",
            "LOCATION:Calle Mayor 12",
            "LOCATION:31001",
            "LOCATION:Pamplona",
            "ORGANIZATION:Conservas Goñi",
        ],
    ),
    (
        "it",
        '{ nome: "Gianluca", cognome: "Ferraresi", indirizzo: "Via dei Mille 40", '
        'cap: "43125", citta: "Parma", azienda: "Ferraresi Salumi" }',
        [
            "PERSON:Gianluca",
            "PERSON:Ferraresi",
            "LOCATION:Via dei Mille 40",
            "LOCATION:43125",
            "LOCATION:Parma",
            "ORGANIZATION:Ferraresi Salumi",
        ],
    ),
    (
        "nl",
        '{"voornaam":"Sanne","achternaam":"de Graaf","straat":"Lange Voorhout 9",'
        '"postcode":"2514 EA","woonplaats":"Den Haag","bedrijf":"De Graaf Advies"}',
        [
            "PERSON:Sanne",
            "PERSON:de Graaf",
            "LOCATION:Lange Voorhout 9",
            "LOCATION:2514 EA",
            "LOCATION:Den Haag",
            "ORGANIZATION:De Graaf Advies",
        ],
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), JSON_CASES)
def test_json_and_js_objects(language: str, text: str, expected: list[str]) -> None:
    assert found(PREFIX + text) == expected


FIELD_CASES = [
    (
        "en",
        "CONTACT: TARIQ MAHMOOD\nCOMPANY: MAHMOOD FREIGHT LTD\nDate of birth: 14/02/1981\n"
        "Address: 18 Carden Place, Aberdeen\nPIN: 5521",
        [
            "PERSON:TARIQ MAHMOOD",
            "ORGANIZATION:MAHMOOD FREIGHT LTD",
            "DATE_TIME:14/02/1981",
            "LOCATION:18 Carden Place, Aberdeen",
            "PASSWORD:5521",
        ],
    ),
    (
        "fr",
        "Titulaire : M. Bertrand Rouquette\nNé le : 3 avril 1975\nVille : Montauban\n"
        "Mot de passe : Vx!28kq",
        [
            "PERSON:Bertrand Rouquette",
            "DATE_TIME:3 avril 1975",
            "LOCATION:Montauban",
            "PASSWORD:Vx!28kq",
        ],
    ),
    (
        "de",
        "Käufer: Dr. Volker Sandmann, geb. 02.05.1966\nWohnort: Bad Kreuznach\n"
        "GEBURTSDATUM: 02.05.1966   GEB.ORT: TRIER",
        [
            "PERSON:Volker Sandmann",
            "LOCATION:Bad Kreuznach",
            "DATE_TIME:02.05.1966",
            "LOCATION:TRIER",
        ],
    ),
    (
        "es",
        "SOLICITANTE: IBARRA QUINTANA, LEIRE\nDomicilio: Avenida de la Paz 31, Logroño\n"
        "Empresa: Bodegas Ibarra",
        [
            "PERSON:IBARRA QUINTANA, LEIRE",
            "LOCATION:Avenida de la Paz 31, Logroño",
            "ORGANIZATION:Bodegas Ibarra",
        ],
    ),
    (
        "it",
        "- Intestatario: Salvatore Incandela\n- Comune: Marsala | CAP: 91025\n"
        "- Data di nascita: 12/07/1970",
        [
            "PERSON:Salvatore Incandela",
            "LOCATION:Marsala",
            "LOCATION:91025",
            "DATE_TIME:12/07/1970",
        ],
    ),
    (
        "nl",
        "Naam: Wouter van Leeuwen; Plaats: Zwolle; Wachtwoord: tulp-Vier-88",
        ["PERSON:Wouter van Leeuwen", "LOCATION:Zwolle", "PASSWORD:tulp-Vier-88"],
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), FIELD_CASES)
def test_form_lines(language: str, text: str, expected: list[str]) -> None:
    assert found(PREFIX + text) == expected


def test_yaml_ini_and_git_config() -> None:
    text = (
        "[user]\n\tname = Ngọc Anh Đỗ\n\temail = anh.do@example.com\n"
        "customer:\n  full_name: Rasmus Kjeldsen\n  city: Aarhus\n  active: true\n"
        'owner: "Priya Raghunathan"\n'
    )
    assert found(text) == [
        "PERSON:Ngọc Anh Đỗ",
        "PERSON:Rasmus Kjeldsen",
        "LOCATION:Aarhus",
        "PERSON:Priya Raghunathan",
    ]


XML_CASES = [
    ("en", "<contact><name>Elspeth Gray</name><city>Inverness</city></contact>"),
    ("fr", "<client><nom>Gray</nom><ville>Inverness</ville></client>"),
    ("de", "<Kunde><Name>Elspeth Gray</Name><Ort>Inverness</Ort></Kunde>"),
    ("es", "<cliente><apellidos>Gray</apellidos><ciudad>Inverness</ciudad></cliente>"),
    ("it", '<ns:Anagrafica><ns:Cognome>Gray</ns:Cognome><ns:Comune id="1">Inverness</ns:Comune>'),
    ("nl", "<klant><achternaam>Gray</achternaam><plaats>Inverness</plaats></klant>"),
]


@pytest.mark.parametrize(("language", "text"), XML_CASES)
def test_xml_elements(language: str, text: str) -> None:
    result = found(PREFIX + text)
    assert result[-1] == "LOCATION:Inverness"
    assert result[0] in {"PERSON:Elspeth Gray", "PERSON:Gray"}
    assert len(result) == 2


def test_xml_postcode_and_look_alikes() -> None:
    assert found("<CAP>00179</CAP><Comune>Roma</Comune><status>open</status>") == [
        "LOCATION:00179",
        "LOCATION:Roma",
    ]
    assert found("<name>build</name><city>unknown</city><zip>12</zip>") == []


VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:{family};{given};;Dr.;\r\nFN:{given} {family}\r\n"
    "ORG:{org};Vertrieb\r\nTEL;TYPE=WORK:+49 30 1234567\r\n"
    "ADR;TYPE=WORK:;;{street};{city};;{code};{country}\r\nEND:VCARD"
)
VCARD_CASES = [
    ("en", "Okafor", "Chinedu", "Okafor Joinery", "7 Mill Lane", "Hexham", "NE46 3AB", "UK"),
    ("fr", "Garnier", "Solène", "Garnier & Fils", "5 rue Haute", "Colmar", "68000", "France"),
    ("de", "Pohlmann", "Jörg", "Pohlmann Orgelbau", "Domplatz 4", "Halberstadt", "38820", "DE"),
    ("es", "Arrieta", "Nerea", "Arrieta S.L.", "Calle Real 3", "Tolosa", "20400", "España"),
    ("it", "Bellandi", "Ornella", "Bellandi Vetri", "Via Roma 2", "Murano", "30141", "Italia"),
    ("nl", "Bakker", "Jelle", "Bakker Bouw", "Dorpsstraat 8", "Edam", "1135 AA", "Nederland"),
]


@pytest.mark.parametrize(
    ("language", "family", "given", "org", "street", "city", "code", "country"), VCARD_CASES
)
def test_vcards(
    language: str,
    family: str,
    given: str,
    org: str,
    street: str,
    city: str,
    code: str,
    country: str,
) -> None:
    text = PREFIX + VCARD.format(
        family=family,
        given=given,
        org=org,
        street=street,
        city=city,
        code=code,
        country=country,
    )
    assert found(text) == [
        f"PERSON:{family}",
        f"PERSON:{given}",
        f"PERSON:{given} {family}",
        f"ORGANIZATION:{org}",
        f"LOCATION:{street};{city};;{code};{country}",
    ]


def test_vcard_properties_outside_a_vcard_are_nothing() -> None:
    assert found("N:5\nFN:true\nORG:none\nADR:;;;;;") == []


CSV_CASES = [
    (
        "en",
        "id,first_name,last_name,email,country,signup\n"
        "7741,Mireille,Ashworth,m.ashworth@example.org,Canada,2024-11-02\n"
        '7742,Tobias,"Lindqvist",t.l@example.org,"Sweden",2024-11-03',
        ["Mireille", "Ashworth", "Canada", "Tobias", "Lindqvist", "Sweden"],
    ),
    (
        "fr",
        "Nom;Prénom;email;Ville\nPerrin;Clotilde;c.perrin@example.fr;Besançon\n"
        "Roux;Émile;emile@example.fr;Annecy",
        ["Perrin", "Clotilde", "Besançon", "Roux", "Émile", "Annecy"],
    ),
    (
        "de",
        "Name\tFirma\tStadt\nGesine Rautenberg\tRautenberg Druck\tGörlitz\n"
        "Falk Hentschel\tHentschel Bau\tBautzen",
        [
            "Gesine Rautenberg",
            "Rautenberg Druck",
            "Görlitz",
            "Falk Hentschel",
            "Hentschel Bau",
            "Bautzen",
        ],
    ),
    (
        "es",
        'nombre,apellidos,localidad\nAinhoa,"Zubiri Larrañaga",Eibar\nJon,Agirre,Durango',
        ["Ainhoa", "Zubiri Larrañaga", "Eibar", "Jon", "Agirre", "Durango"],
    ),
    (
        "it",
        "nome;cognome;comune;cap\nRosaria;Scuderi;Acireale;95024\nCorrado;Pappalardo;Catania;95121",
        ["Rosaria", "Scuderi", "Acireale", "95024", "Corrado", "Pappalardo", "Catania", "95121"],
    ),
    (
        "nl",
        "naam,plaats\nMarijke ten Brink,Deventer\nHuub Verstappen,Venlo",
        ["Marijke ten Brink", "Deventer", "Huub Verstappen", "Venlo"],
    ),
]


@pytest.mark.parametrize(("language", "text", "values"), CSV_CASES)
def test_csv_tsv_and_semicolon_tables(language: str, text: str, values: list[str]) -> None:
    text = PREFIX + text
    assert [found_value.split(":", 1)[1] for found_value in found(text)] == values
    assert {d.score for d in RECOGNIZER.find(text)} == {TABLE_SCORE}


MARKDOWN_CASES = [
    ("en", "| Date | Route | Employee |", "| 03.02. | Leeds - York | Harriet Pugh |"),
    ("fr", "| Date | Trajet | Employé |", "| 03.02. | Lyon - Vienne | Harriet Pugh |"),
    (
        "de",
        "| Datum | Strecke | km | Mitarbeiter |",
        "| 03.02. | Kiel - Lübeck | 80 | Harriet Pugh |",
    ),
    ("es", "| Fecha | Ruta | Empleado |", "| 03.02. | Vigo - Lugo | Harriet Pugh |"),
    ("it", "| Data | Tratta | Dipendente |", "| 03.02. | Pisa - Lucca | Harriet Pugh |"),
    ("nl", "| Datum | Traject | Medewerker |", "| 03.02. | Gouda - Delft | Harriet Pugh |"),
]


@pytest.mark.parametrize(("language", "header", "row"), MARKDOWN_CASES)
def test_markdown_tables(language: str, header: str, row: str) -> None:
    rule = "|" + "---|" * (header.count("|") - 1)
    text = f"{PREFIX}{header}\n{rule}\n{row}\n{row.replace('Harriet Pugh', 'Ossian Baird')}"
    assert found(text) == ["PERSON:Harriet Pugh", "PERSON:Ossian Baird"]


def test_a_name_column_next_to_a_way_to_reach_someone() -> None:
    text = "Name,E-Mail\nKaspar Oberholzer,k.oberholzer@example.ch\nLea Brunner,lea@example.ch"
    assert found(text) == ["PERSON:Kaspar Oberholzer", "PERSON:Lea Brunner"]


def test_a_two_cell_row_is_a_field() -> None:
    text = "| Field | Value |\n|---|---|\n| Name | Leopold Wunderlich |\n| Status | open |"
    assert found(text) == ["PERSON:Leopold Wunderlich"]
    assert found("Wohnort\tCottbus\nStatus\toffen") == ["LOCATION:Cottbus"]


# --- precision ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # "name" labels files, products and hosts as often as people
        '{"name": "invoice.pdf", "size": 2048}',
        '{"name": "my-app", "version": "1.2.0"}',
        '{"name": "Production", "region": "eu-west-1"}',
        "name: build\non: push",
        '<input name="email" type="text">',
        # no string, or a string that is not the key's type
        '{"status": "active", "city": null, "name": true, "company": 42}',
        '{"first_name": 12345, "country": false}',
        '{"address": "0x71C7656EC7ab88b098defB751B7401B5f6d8976F"}',
        '{"location": "us-east-1", "city": "123"}',
        # placeholders and stock example names
        '{"name": "<your-name>", "city": "{{city}}", "company": "${COMPANY}"}',
        '{"name": "John Doe", "nombre": "Fulano de Tal", "Name": "Max Mustermann"}',
        "Name: N/A\nCity: -\nFirma: unbekannt\nAddress: same as above",
        '{"password": "********", "pwd": "<password>", "pin": "xxxx"}',
        # values left to their own recognizers
        '{"contact": "ana@example.com", "name": "https://example.org",'
        ' "client": "+34 612 345 678"}',
        # a team, not a person
        '{"owner": "Platform Team", "assignee": "Support Team"}',
        # a table of numbers under a name header; rows of another width
        "name,score,rank\n12,13,1\n14,15,2",
        "city,country\nLyon\nParis,France,Europe",
        # a bare "Name" column in a table about products, not people
        "| Name | Price |\n|---|---|\n| Air Zoom Pegasus | 120 |\n| Trail Runner Pro | 95 |",
        "Nom;Prix\nChaise Longue Bleue;89\nTable Basse Ronde;149",
        # a pin of a board, code modules and libraries
        "led:\n  pin: 13\n  name: Status Led",
        "<name>Apache Commons Lang</name><name>Spring Boot Starter</name>",
        # prose with a colon
        "Note: the customer called twice. Status: open",
    ],
)
def test_look_alikes_are_left_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", '{"name": "weekly-report.xlsx", "city": "N/A", "company": "-"}\nName: TBD'),
        ("fr", '{"nom": "rapport.pdf", "ville": "inconnu"}\nSociété : aucune\nNom : à compléter'),
        ("de", '{"Name": "server-01", "Ort": "unbekannt"}\nFirma: keine\nName: siehe oben'),
        ("es", '{"nombre": "factura_2024.pdf", "ciudad": "desconocido"}\nEmpresa: ninguno'),
        ("it", '{"nome": "backup_notturno", "città": "sconosciuto"}\nAzienda: nessuno'),
        ("nl", '{"naam": "rapport.docx", "plaats": "onbekend"}\nBedrijf: geen\nNaam: zie boven'),
    ],
)
def test_look_alikes_in_every_language(language: str, text: str) -> None:
    assert found(text) == []


def test_values_end_with_their_field() -> None:
    text = "Name: Ilse Kowalczyk, Stadt: Görlitz | Firma: Kowalczyk GmbH, Am Markt 3, 02826 Görlitz"
    assert found(text) == [
        "PERSON:Ilse Kowalczyk",
        "LOCATION:Görlitz",
        "ORGANIZATION:Kowalczyk GmbH",
    ]
    assert found('{"name":"Ilse Kowalczyk","note":"x"}') == ["PERSON:Ilse Kowalczyk"]
    assert found('{\\"name\\":\\"Ilse Kowalczyk\\",\\"city\\":\\"Görlitz\\"}') == [
        "PERSON:Ilse Kowalczyk",
        "LOCATION:Görlitz",
    ]


def test_a_name_before_its_address_on_a_field_line() -> None:
    assert found("Kontakt: Ada Byron <ada.byron@example.org>") == ["PERSON:Ada Byron"]
    assert found("Firma: Byron Analytics Ltd (https://byron.example)") == [
        "ORGANIZATION:Byron Analytics Ltd"
    ]


def test_scores_are_confident() -> None:
    assert [d.score for d in RECOGNIZER.find('{"city": "Görlitz"}')] == [KEY_SCORE]
    assert min(KEY_SCORE, TABLE_SCORE) >= 0.5  # NER spans of another type give way


def test_offsets_are_exact_on_non_ascii_text() -> None:
    text = '🙂🙂 {"nom": "Ærø", "ville": "Évian-les-Bains"} 🙂'
    for detection in RECOGNIZER.find(text):
        assert text[detection.start : detection.end] in {"Ærø", "Évian-les-Bains"}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\"name:city, |;\t\n<>/='{}AaÉ1 -")), max_size=300))
def test_any_text_gives_spans_inside_it(text: str) -> None:
    for detection in RECOGNIZER.find(text):
        assert 0 <= detection.start < detection.end <= len(text)
        assert detection.entity in STRUCTURED_ENTITIES


@pytest.mark.parametrize(
    "unit",
    [
        '"name":"',
        '"name": "Ada Lovelace", ',
        "name: ",
        "Name: A, ",
        "<name>",
        "<name>Ada Lovelace</name>",
        "|name",
        "name,city\n",
        "a,b\n",
        '"',
        "BEGIN:VCARD\nN:",
        "  ",
    ],
)
def test_time_grows_linearly_with_hostile_repetition(unit: str) -> None:
    """10x the text takes about 10x the time (a bound of 30x leaves room for a loaded
    machine; a quadratic part would take 100x)."""

    def took(size: int) -> float:
        text = unit * (size // len(unit))
        began = time.perf_counter()
        list(RECOGNIZER.find(text))
        return time.perf_counter() - began

    took(2_000)
    # From 50 KB: below it the text fits the processor's caches and runs faster per byte.
    small = min(took(50_000) for _ in range(2))
    large = min(took(500_000) for _ in range(2))
    assert large < 30 * max(small, 1e-3)


def test_fields_after_a_sentence_and_compound_roles() -> None:
    text = (
        "Parcel is late. Delivery address: 2-8-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo 163-8001\n"
        "Referring physician: Dr. Farida Okoro, DEA pending\nPrimary contact: Lars Eikeland"
    )
    assert found(text) == [
        "LOCATION:2-8-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo 163-8001",
        "PERSON:Farida Okoro",
        "PERSON:Lars Eikeland",
    ]
    assert found('{"city_name": "New York", "product_name": "Air Max Plus"}') == [
        "LOCATION:New York"
    ]


def test_a_company_under_a_person_key_is_a_company() -> None:
    assert found("Destinatario: Talleres Norte S.L. Por medio del presente") == [
        "ORGANIZATION:Talleres Norte S.L."
    ]
    assert found('{"customer": "Brandt & Söhne GmbH"}') == ["ORGANIZATION:Brandt & Söhne GmbH"]
    assert found("Empfänger: Lindahl Konsult AB\nKlant: Vester Transport A/S") == [
        "ORGANIZATION:Lindahl Konsult AB",
        "ORGANIZATION:Vester Transport A/S",
    ]


def test_a_quoted_value_is_kept_as_written() -> None:
    assert found('{"direccion":"Calle Mayor 12, 4º izq.","empresa":"Hierros Vega S.A."}') == [
        "LOCATION:Calle Mayor 12, 4º izq.",
        "ORGANIZATION:Hierros Vega S.A.",
    ]


def test_a_password_field_in_brackets_or_a_log() -> None:
    assert found("Access denied (using password: YES)\n(password: t0pS3cret)") == [
        "PASSWORD:t0pS3cret"
    ]


# --- many confident spans: the NER overlap folding stays n log n ----------------------------


def _folded_one_by_one(
    detector: PresidioDetector, text: str, patterns: list[Detection], ner: list[Detection]
) -> list[Detection]:
    """The folding as a plain loop: each NER span minus each confident span of another
    type, one after the other (the definition the detector's bisection must agree with)."""
    kept = list(patterns)
    for detection in ner:
        pieces = [(detection.start, detection.end)]
        for other in patterns:
            if other.score < 0.5 or other.entity == detection.entity:
                continue
            if other.end <= detection.start or other.start >= detection.end:
                continue
            pieces = [
                part
                for a, b in pieces
                for part in ((a, min(b, other.start)), (max(a, other.end), b))
                if part[0] < part[1]
            ]
        if pieces == [(detection.start, detection.end)]:
            kept.append(detection)
            continue
        for a, b in pieces:
            span = detector._ner.cleaned(text, a, b, detection.entity)
            if span is not None and _WORD.search(text, span[0], span[1]):
                kept.append(replace(detection, start=span[0], end=span[1]))
    return kept


_SPAN = st.tuples(
    st.integers(0, 60), st.integers(1, 15), st.sampled_from(["PERSON", "LOCATION", "URL"])
)


@settings(max_examples=150, deadline=None)
@given(patterns=st.lists(_SPAN, max_size=8), ner=st.lists(_SPAN, max_size=6))
def test_ner_spans_give_way_to_confident_spans_as_one_by_one(
    patterns: list[tuple[int, int, str]], ner: list[tuple[int, int, str]]
) -> None:
    text = "Ada Lovelace lives at 12 Baker Street, London, and writes to a.b@example.com now."
    detector = PresidioDetector()
    found = [Detection(s, min(s + n, len(text)), e, 0.85, "P") for s, n, e in patterns]
    guessed = [Detection(s, min(s + n, len(text)), e, 0.6, "N") for s, n, e in ner]
    folded = detector._without_structured_overlap(text, found, guessed)
    assert sorted(folded, key=repr) == sorted(
        _folded_one_by_one(detector, text, found, guessed), key=repr
    )


def test_many_confident_spans_fold_in_n_log_n() -> None:
    detector = PresidioDetector()

    def took(rows: int) -> float:
        text = "Name: Ada Lovelace\n" * rows
        patterns = [Detection(19 * i + 6, 19 * i + 18, "PERSON", 0.85, "P") for i in range(rows)]
        ner = [Detection(19 * i, 19 * i + 18, "LOCATION", 0.6, "N") for i in range(rows)]
        began = time.perf_counter()
        detector._without_structured_overlap(text, patterns, ner)
        return time.perf_counter() - began

    took(100)
    small = min(took(2_000) for _ in range(2))
    assert took(20_000) < 30 * max(small, 1e-3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "| Name | Email | Phone | City |\n|---|---|---|---|\n"
            "| Asha Verma | asha@example.org | 02273497070 | Pune |\n",
            "02273497070",
        ),
        ('{"email": "k@example.org", "telefono": "00245 06350"}', "00245 06350"),
        ("Handy: 0151 2345 6789", "0151 2345 6789"),
        ("nom;portable\nDupont;06 12 34 56 78", "06 12 34 56 78"),
        ("Phone: call me after 5", None),
        ("GSM: (009) 4241327", "(009) 4241327"),
    ],
)
def test_a_phone_column_or_field_holds_phone_numbers(text: str, expected: str | None) -> None:
    phones = [text[d.start : d.end] for d in RECOGNIZER.find(text) if d.entity == "PHONE_NUMBER"]
    assert phones == ([expected] if expected else [])


@pytest.mark.parametrize("value", ["n/a", "ask reception", "12", "1234567890123456789", "ext."])
def test_what_is_no_phone_number_under_a_phone_key_is_left(value: str) -> None:
    assert [d for d in RECOGNIZER.find(f"Phone: {value}") if d.entity == "PHONE_NUMBER"] == []
