"""TradeNameRecognizer: small companies named by their trade and a name
(models/trade_words.json), not a trade word beside ordinary words."""

from __future__ import annotations

import pytest

from pii_mapper.detection.trades import TRADE_SCORE, TradeNameRecognizer

RECOGNIZER = TradeNameRecognizer()


def found(text: str) -> list[str]:
    return [text[d.start : d.end] for d in RECOGNIZER.find(text)]


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("wir wohnen bei der Bäckerei Schäfer in Pankow", "Bäckerei Schäfer"),
        ("bitte bei Spedition Lindner nachhaken", "Spedition Lindner"),
        ("el conductor dice q en Carpintería Solana no hay nadie", "Carpintería Solana"),
        ("abitiamo vicino al panificio Greco a Monza", "panificio Greco"),
        ("we wonen bij bakkerij Van Leeuwen in Nieuwegein", "bakkerij Van Leeuwen"),
        ("il locale è la Trattoria da Mario a Bologna", "Trattoria da Mario"),
        ("el sitio es el Bar Casa Paco en Salamanca", "Bar Casa Paco"),
        ("Loodgieter ingepland bij Installatiebedrijf Verhoef.", "Installatiebedrijf Verhoef"),
        ("merci de relancer Transports Lemoine, contact Carole", "Transports Lemoine"),
        ("Plumber booked with Aqualine Plumbing.", "Aqualine Plumbing"),
        ("driver says nobody at Hollins Timber to sign", "Hollins Timber"),
    ],
)
def test_a_trade_word_and_a_name_make_a_company(text: str, company: str) -> None:
    assert found(text) == [company]


@pytest.mark.parametrize(
    "text",
    [
        "the hotel Reception is closed",  # ordinary words, capitalised
        "Bäckerei Öffnungszeiten",
        "Central Heating Plumbing",
        "Visual Studio Code",
        "bakkerij łódź",  # no capital
        "the Plumbing team",  # no name before the trade
        "Bäckerei\nSchäfer",  # not on one line
    ],
)
def test_a_trade_word_beside_ordinary_words_is_none(text: str) -> None:
    assert found(text) == []


def test_a_company_is_scored_above_the_confident_patterns() -> None:
    [detection] = RECOGNIZER.find("Termin bei Autohaus Brenner")
    assert (detection.entity, detection.score) == ("ORGANIZATION", TRADE_SCORE)
    assert TRADE_SCORE >= 0.5  # the owner's name inside it is the company's, not a person's
