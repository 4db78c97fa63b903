"""Dates with their weekday, clock time or range, days and months without a year, and
months alone after a preposition, in the six languages (pii_mapper.detection.localized's
DateTimeRecognizer); the log-line time stamp rule. No spaCy model involved."""

from __future__ import annotations

import time

import pytest

from pii_mapper.detection import Detection
from pii_mapper.detection.engine import DEFAULT_REGISTRY, _is_date, localized_registry
from pii_mapper.detection.localized import DateTimeRecognizer, is_log_timestamp
from pii_mapper.language import SUPPORTED_LANGUAGES
from tests.timing_support import best_time


def found(language: str, text: str) -> list[str]:
    return [text[d.start : d.end] for d in DateTimeRecognizer(language).find(text)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # a date and its clock time are one span
        (
            "en",
            "It happened on 11/03/2024 around 6:15pm near the park.",
            ["11/03/2024 around 6:15pm"],
        ),
        ("en", "On Mon, Feb 3, 2025 at 9:15 AM Lena wrote:", ["Mon, Feb 3, 2025 at 9:15 AM"]),
        ("en", "interview on Monday, 14 July at 10:30 BST", ["Monday, 14 July at 10:30 BST"]),
        ("en", "[Portal] 2025-05-06 09:12 user changed the address", ["2025-05-06 09:12"]),
        ("en", "clinic Wed 16/04/25 10:20, room 4", ["Wed 16/04/25 10:20"]),
        ("fr", "rendez-vous jeu. 12/06 à 9h30 au cabinet", ["jeu. 12/06 à 9h30"]),
        ("fr", "le vendredi 6 juin 2025 vers 15h", ["vendredi 6 juin 2025 vers 15h"]),
        ("de", "Der Termin war am 03.12.2023 um 09:45 Uhr.", ["03.12.2023 um 09:45 Uhr"]),
        ("de", "Eingang 07.04.2025 08:55 per Post", ["07.04.2025 08:55"]),
        ("de", "- Di 04.03. 08:15\n- Fr 07.03. 17:00", ["Di 04.03. 08:15", "Fr 07.03. 17:00"]),
        (
            "de",
            "am Montag, 24.03., zwischen 8 und 10 Uhr",
            ["Montag, 24.03., zwischen 8 und 10 Uhr"],
        ),
        ("es", "cita martes 3 de junio, 10:45.", ["martes 3 de junio, 10:45"]),
        ("es", "- jue 20/3 9:30\n- dom 6 de abril", ["jue 20/3 9:30", "dom 6 de abril"]),
        ("es", "nos vemos el martes 18 a las 9:00", ["martes 18 a las 9:00"]),
        ("it", "visita fissata il 14/06/2025 ore 09:15 in sede", ["14/06/2025 ore 09:15"]),
        (
            "it",
            "Il giorno gio 6 feb 2025 alle 10:12 Marta ha scritto",
            ["gio 6 feb 2025 alle 10:12"],
        ),
        ("nl", "Op wo 5 feb 2025 om 09:10 schreef Kees", ["wo 5 feb 2025 om 09:10"]),
        ("nl", "ma 10-03 en di 11-03", ["ma 10-03", "di 11-03"]),
        # a clock time before the date
        ("en", "between 02:00 and 02:40 UTC on 11 March.", ["02:00 and 02:40 UTC on 11 March"]),
        ("en", "we met at 10:30 on 04/05/2024 there", ["10:30 on 04/05/2024"]),
        ("de", "um 9 Uhr am 03.03. im Büro", ["9 Uhr am 03.03."]),
        ("fr", "à 14h le 12 mars", ["14h le 12 mars"]),
        # a full day of the week and a day number
        ("es", "el miércoles 12 nos vemos", ["miércoles 12"]),
        ("de", "kommt am freitag den 14. vorbei", ["freitag den 14."]),
        ("it", "riunione giovedì 3:", ["giovedì 3"]),
        ("fr", "on se voit mardi 9 au bureau", ["mardi 9"]),
        ("nl", "tot zaterdag 22 dan", ["zaterdag 22"]),
        # ranges and git dates
        ("en", "holiday 14\u201318 August, back after", ["14\u201318 August"]),
        ("en", "conference 3\u20135 June 2025 in Porto", ["3\u20135 June 2025"]),
        ("de", "Elternzeit 1.5.\u201331.7.2025 geplant", ["1.5.\u201331.7.2025"]),
        ("en", "Date:   Wed Feb 12 09:03:51 2025 +0100", ["Wed Feb 12 09:03:51 2025 +0100"]),
        # a day and a month without a year
        ("en", "due by 15/06.", ["15/06"]),
        ("en", "see you 09/06 then", ["09/06"]),
        ("en", "the deadline is on 12/24", ["12/24"]),
        ("fr", "congé du 03/03 au 14/03.", ["03/03", "14/03"]),
        ("de", "| 04.02. | Köln |", ["04.02."]),
        ("de", "gültig vom 12.5. an", ["12.5."]),
        ("es", "entrega hasta el 12/5", ["12/5"]),
        ("it", "consegna entro il 30/09", ["30/09"]),
        ("nl", "graag vóór 15/03 betalen", ["15/03"]),
        # a month or a year alone after a preposition
        ("de", "ich wohne seit Januar hier", ["Januar"]),
        ("de", "seit märz arbeitslos", ["märz"]),
        ("es", "la factura de noviembre", ["noviembre"]),
        ("fr", "malade depuis septembre", ["septembre"]),
        ("it", "in ferie fino a ottobre", ["ottobre"]),
        ("nl", "ziek sinds augustus", ["augustus"]),
        ("en", "we moved here since October", ["October"]),
        ("en", "lived there since 2019 and", ["2019"]),
        ("de", "seit 2018 verheiratet", ["2018"]),
        # Dutch: a weekday, "de" and an ordinal day ("de 14e", "de 1ste")
        ("nl", "ziek tot en met vrijdag de 14e, Iris neemt over", ["vrijdag de 14e"]),
        ("nl", "zaterdag de 1ste kan ik niet", ["zaterdag de 1ste"]),
    ],
)
def test_dates_with_what_goes_with_them(language: str, text: str, expected: list[str]) -> None:
    assert found(language, text) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "in may we could try"),  # a verb
        ("en", "version 3.1 released, build 2.10"),
        ("en", "scored 3/4 and 10/10, open 24/7"),
        ("en", "card exp 09/27"),
        ("en", "valid thru 11/26"),
        ("en", "order 12/345 and 1/2 cup"),
        ("en", "from 1/2 to 3/4 of the budget"),
        ("en", "ratio 16/9 screen"),
        ("en", "It was 14.03 points"),
        ("en", "at 10:30 only"),
        ("en", "at 10:30 on Monday"),
        ("en", "2 hours on 3/4 of the site"),
        ("en", "next Friday at 3pm"),
        ("en", "budget 2026 and the 2024 return"),
        ("en", "Friday 7 people came"),
        ("en", "2025-03-17 07:41:09 WARN login failed"),
        ("en", "[2025-03-02 14:11:07] DEBUG request"),
        ("en", "Jan 14 03:22:17 edge-01 sshd[2231]: Failed"),
        ("fr", "demain à 14h"),
        ("fr", "le 3/4 des gens"),
        ("fr", "mardi prochain à 10h"),
        ("de", "Kapitel 1.2. lesen"),
        ("de", "um 11.05 Uhr"),
        ("de", "morgen um 10 Uhr, nächste Woche"),
        ("de", "Freitag 3 Leute"),
        ("de", "Version 2.1 ab 3.4"),
        ("es", "mañana a las 10:00"),
        ("es", "lunes 2 horas"),
        ("es", "el mar 3 de la costa"),
        ("it", "domani alle 9"),
        ("it", "vinto 3 set a 1"),
        ("it", "lunedì alle 10"),
        ("nl", "morgen om 10 uur"),
        ("nl", "volgende week dinsdag"),
        ("nl", "vrijdag de hele dag"),
        ("es", "el viernes de 10 a 12"),  # "de" is "from" there
    ],
)
def test_what_is_not_such_a_date(language: str, text: str) -> None:
    assert found(language, text) == []


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("2025-03-17 07:41:09 WARN login", 0, 10, True),
        ("ok\n[2025-03-02 14:11:07] DEBUG", 4, 14, True),
        ("Jan 14 03:22:17 edge-01 sshd", 0, 6, True),
        ("2025-02-11T08:14:55Z WARN auth", 0, 10, True),
        ("Eingang: 14.03.2025 10:22", 9, 19, False),  # not at a line's start
        ("2025-03-17 07:41 Termin", 0, 10, False),  # no seconds: a person's note
        ("14.03.2025\nnext", 0, 10, False),
        ('{"ts":"2025-03-19T11:02:44.118Z","level":"error"}', 7, 17, True),  # an instant
        ('{"born":"2025-03-19"}', 9, 19, False),
    ],
)
def test_log_line_time_stamps(text: str, start: int, end: int, expected: bool) -> None:
    assert is_log_timestamp(text, start, end) is expected


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_language_reads_dates_with_the_recognizer(language: str) -> None:
    registry = localized_registry(DEFAULT_REGISTRY, language)
    names = [type(factory()).__name__ for factory in registry.factories("DATE_TIME")]
    assert "DateTimeRecognizer" in names


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    "unit",
    ["03.03.", "Mo ", "seit ", "12/05 ", "Di 1.2. ", "3 - ", "14:00-", "12 ", "a las ", "1.1."],
)
def test_linear_on_repeated_pieces(language: str, unit: str) -> None:
    recognizer = DateTimeRecognizer(language)
    recognizer.find("warm up 03.03. 10:00")
    times = []
    for size in (10_000, 40_000):
        text = (unit * (size // len(unit) + 1))[:size]
        times.append(best_time(lambda text=text: list(recognizer.find(text))))
    # Four times the text: well under sixteen times the time (quadratic), with noise.
    assert times[1] < max(0.05, times[0]) * 10


@pytest.mark.parametrize("tail", [" " * 100_000 + "x", "\t" * 100_000 + "10"])
def test_a_date_followed_by_a_long_run_of_blanks(tail: str) -> None:
    began = time.perf_counter()
    assert found("de", "Mo 03.03." + tail) == ["Mo 03.03."]
    assert time.perf_counter() - began < 2.0


def test_the_engine_keeps_this_recognizer_s_dates_and_drops_log_time_stamps() -> None:
    text = "2025-03-17 07:41:09 WARN x\nel jueves 13 nos vemos"
    start = text.index("jueves")
    stamp = Detection(0, 10, "DATE_TIME", 0.6, "DateRecognizer")
    ours = Detection(start, start + 9, "DATE_TIME", 0.6, DateTimeRecognizer.name)
    other = Detection(start, start + 9, "DATE_TIME", 0.6, "SpacyNer")
    assert not _is_date(text, stamp, "es")  # a log line's time stamp
    assert _is_date(text, ours, "es")  # checked by its own context
    assert not _is_date(text, other, "es")  # no date shape of its own
