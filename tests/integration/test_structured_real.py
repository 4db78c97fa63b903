"""Structured text pasted into chat, through PiiMapper and the real detector (spaCy model,
language identification, overlap folding): values named by their key, vCard property or
table header are masked as their type, in several languages."""

from __future__ import annotations

import pytest

import pii_mapper as pm
from pii_mapper.detection.engine import PresidioDetector

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def mapper() -> pm.PiiMapper:
    return pm.PiiMapper(detector=PresidioDetector())


def masked(mapper: pm.PiiMapper, text: str) -> tuple[dict[str, str], str]:
    result = mapper.mask(text, pm.parse_headers({}))
    return {text[s.start : s.end]: s.entity for s in result.spans}, result.text


def test_a_json_log_line(mapper: pm.PiiMapper) -> None:
    text = (
        '2025-03-04T10:22:07Z ERROR checkout failed {"order":88123,"status":"declined",'
        '"shipping":{"name":"Rosalind Achterberg","street":"Kastanjelaan 14","zip":"3581 KX",'
        '"city":"Utrecht"},"customer":"Rosalind Achterberg"}'
    )
    spans, out = masked(mapper, text)
    assert spans["Rosalind Achterberg"] == "PERSON"
    assert spans["Kastanjelaan 14"] == "LOCATION"
    assert spans["3581 KX"] == "LOCATION"
    assert spans["Utrecht"] == "LOCATION"
    for value in ("Rosalind", "Achterberg", "Kastanjelaan", "3581", "Utrecht"):
        assert value not in out
    assert '"status":"declined"' in out  # the rest of the line is left as it was


def test_a_vcard(mapper: pm.PiiMapper) -> None:
    text = (
        "Kannst du den Kontakt anlegen?\nBEGIN:VCARD\nVERSION:3.0\nN:Wendeborn;Gesa;;;\n"
        "FN:Gesa Wendeborn\nORG:Wendeborn Glasbau\nTEL;TYPE=WORK:+49 391 5550 127\n"
        "ADR;TYPE=WORK:;;Breiter Weg 31;Magdeburg;;39104;Deutschland\nEND:VCARD"
    )
    spans, out = masked(mapper, text)
    assert spans["Wendeborn"] == "PERSON"
    assert spans["Gesa"] == "PERSON"
    assert spans["Wendeborn Glasbau"] == "ORGANIZATION"
    assert spans["Breiter Weg 31;Magdeburg;;39104;Deutschland"] == "LOCATION"
    for value in ("Gesa", "Wendeborn", "Breiter", "Magdeburg", "39104"):
        assert value not in out
    assert "ADR;TYPE=WORK:;;<LOCATION_" in out  # one placeholder for the address parts


def test_a_csv_paste(mapper: pm.PiiMapper) -> None:
    text = (
        "voici l'export, peux-tu dédoublonner ?\n"
        "Nom;Prénom;email;Ville;Pays\n"
        "Quéméner;Maëlys;m.quemener@example.fr;Quimper;France\n"
        "Abgrall;Yann;yann.abgrall@example.fr;Brest;France\n"
    )
    spans, out = masked(mapper, text)
    for value in ("Quéméner", "Maëlys", "Abgrall", "Yann"):
        assert spans[value] == "PERSON"
    for value in ("Quimper", "Brest"):
        assert spans[value] == "LOCATION"
    for value in ("Quéméner", "Maëlys", "Abgrall", "Quimper", "Brest", "example.fr"):
        assert value not in out
    assert "Nom;Prénom;email;Ville;Pays" in out  # the header names no one


def test_a_markdown_table(mapper: pm.PiiMapper) -> None:
    text = (
        "Riepilogo trasferte di febbraio:\n\n"
        "| Data | Tratta | km | Dipendente |\n|---|---|---|---|\n"
        "| 03/02 | Bologna - Modena | 44 | Ludovica Sgarbi |\n"
        "| 05/02 | Bologna - Ferrara | 51 | Achille Benvenuti |\n"
    )
    spans, out = masked(mapper, text)
    assert spans["Ludovica Sgarbi"] == "PERSON"
    assert spans["Achille Benvenuti"] == "PERSON"
    for value in ("Ludovica", "Sgarbi", "Achille", "Benvenuti"):
        assert value not in out
    # a day and month with a leading zero under a date column are a date (docs/detection.md)
    assert spans["03/02"] == "DATE_TIME"


def test_look_alikes_stay(mapper: pm.PiiMapper) -> None:
    text = '{"name": "nightly-build", "status": "active", "city": "Other", "retries": 3}'
    _, out = masked(mapper, text)
    for value in ('"nightly-build"', '"active"', '"Other"', "3}"):
        assert value in out
