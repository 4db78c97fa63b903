"""The postal address recognizer: whole addresses as one LOCATION span, prose left alone."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_mapper.detection.addresses import (
    ADDRESS_SCORE,
    POSTCODE_SCORE,
    STREET_SCORE,
    PostalAddressRecognizer,
)
from pii_mapper.detection.patterns import Recognizer

RECOGNIZER: Recognizer = PostalAddressRecognizer()
# Non-ASCII text before every address: offsets must count code points, not bytes or UTF-16.
PREFIX = "Grüße 🙂 — naïve café: "


def spans(text: str) -> list[tuple[str, float]]:
    return [(text[d.start : d.end], d.score) for d in RECOGNIZER.find(text)]


def test_it_is_a_location_recognizer() -> None:
    assert RECOGNIZER.entity == "LOCATION"
    assert RECOGNIZER.name == "PostalAddressRecognizer"
    assert list(RECOGNIZER.find("")) == []


@pytest.mark.parametrize(
    ("address", "score"),
    [
        # US
        ("1600 Amphitheatre Parkway, Mountain View, CA 94043", ADDRESS_SCORE),
        ("221B Baker St", STREET_SCORE),
        ("350 Fifth Avenue, Suite 3400, New York, NY 10118", ADDRESS_SCORE),
        ("PO Box 1234, Austin, TX 78701", ADDRESS_SCORE),
        ("P.O. Box 77", STREET_SCORE),
        ("742 Evergreen Terrace\nSpringfield, OR 97477", ADDRESS_SCORE),
        ("123 Main St Apt 4B", STREET_SCORE),
        ("12 Elm Rd, Unit 12", STREET_SCORE),
        ("5 Oak Ln #5", STREET_SCORE),
        ("1600 Pennsylvania Avenue NW, Washington, DC 20500", ADDRESS_SCORE),
        ("350 W 34th St", STREET_SCORE),
        ("825 Garrett Circles", STREET_SCORE),
        ("3233 Day Hills", STREET_SCORE),
        ("47966 Chandler Ports Suite 251", STREET_SCORE),
        ("981 Reynolds Stravenue Apt. 464\nAmytown, WY 54923", ADDRESS_SCORE),
        ("12 McDonald Drive, Springfield, Illinois", ADDRESS_SCORE),
        ("742 Evergreen terrace, Springfield, OR 97477", ADDRESS_SCORE),
        ("Austin, TX 78701", STREET_SCORE),
        # UK
        ("10 Downing Street, London SW1A 2AA", ADDRESS_SCORE),
        ("Flat 3, 14 Queen's Road\nBristol\nBS8 1QU", ADDRESS_SCORE),
        ("London SW1A 2AA", STREET_SCORE),
        ("97 Lynda Bridge\nSmithbury\nW88 6FJ", ADDRESS_SCORE),
        # EU
        ("Hauptstraße 5, 10115 Berlin", ADDRESS_SCORE),
        ("Musterweg 12a\n80331 München", ADDRESS_SCORE),
        ("Oda-Preiß-Straße 1\n90404 Sangerhausen", ADDRESS_SCORE),
        ("Berliner Straße 12, 60311 Frankfurt am Main", ADDRESS_SCORE),
        ("Müllerstr. 30/64", STREET_SCORE),
        ("12 rue de la Paix, 75002 Paris", ADDRESS_SCORE),
        ("8 avenue des Champs-Élysées", STREET_SCORE),
        ("12 Place de la Concorde", STREET_SCORE),
        ("12 Place Vendôme, 75001 Paris", ADDRESS_SCORE),
        ("825, boulevard de François\n77113 Poirier-sur-Mer", ADDRESS_SCORE),
        ("Keizersgracht 123, 1015 CJ Amsterdam", ADDRESS_SCORE),
        ("Via Roma 10, 00184 Roma", ADDRESS_SCORE),
        ("Calle Mayor 5, 28013 Madrid", ADDRESS_SCORE),
        ("Hauptstraße 5, 10115 Berlin, Germany", ADDRESS_SCORE),
        # Spanish abbreviations, floor and door; Dutch and Belgian additions; adjectives
        ("C/ de Pere IV 58, 3º 2ª, 08005 Barcelona", ADDRESS_SCORE),
        ("C/Mayor 9, 30001 Murcia", ADDRESS_SCORE),
        ("Calle Mayor 5, 2o B, 28013 Madrid", ADDRESS_SCORE),  # folded to NFKC
        ("Prinsengracht 263-II\n1016 GV Amsterdam", ADDRESS_SCORE),
        ("Lange Kievitstraat 42 bus 3, 2018 Antwerpen", ADDRESS_SCORE),
        ("Alte Gasse 4, 60311 Frankfurt", ADDRESS_SCORE),
    ],
)
def test_an_address_is_one_span(address: str, score: float) -> None:
    text = f"{PREFIX}{address}. Danke!"
    detections = list(RECOGNIZER.find(text))
    assert [(d.start, d.end) for d in detections] == [(len(PREFIX), len(PREFIX) + len(address))]
    assert [(d.entity, d.score) for d in detections] == [("LOCATION", score)]


@pytest.mark.parametrize(
    "postcode", ["M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB"]
)
def test_a_uk_postcode_alone_in_every_shape(postcode: str) -> None:
    text = f"{PREFIX}postcode {postcode} please"
    assert spans(text) == [(postcode, POSTCODE_SCORE)]


@pytest.mark.parametrize(
    "text",
    [
        "5 Main reasons to switch",
        "on 3 Street names we agreed",
        "we walked down the road",
        "version 2 Drive is out",
        "version 2 Main Drive is out",
        "chapter 3 Baker Street Irregulars",
        "take Route 66 west",
        "Highway 101 was closed",
        "SKU AB-1234 is out of stock",
        "it costs $12 St. Patrick's Day special",
        "meet at 10:30 Main St",
        "Dr. Smith will see you",
        "I saw Dr Smith at 5",
        "I live at 5",
        "Spring 2024 release",
        "String 5 is null",
        "Engineering 101 starts today",
        "a 2 TB Hard Drive",
        "3 National Parks in a week",
        "sent via Email 5 times",
        "I walked 5 blocks down the street",
        "Top 10 New York street food spots",
        "a PS5 1TB and an M2 4GB card",
        "In 2023 Main Street was rebuilt",
        "we need 12 of them by Friday",
        "1,600 Amphitheatre fans",
        "the 4 Way Stop",
        "I have 2 Google Drive accounts",
        "a 5 Mile Walk on Sunday",
        "see you at 5 PM Drive safely",
        "2 Close Friends came",
        "100 Square Feet of space",
        "set 5 Place Settings",
    ],
)
def test_prose_is_not_an_address(text: str) -> None:
    assert spans(text) == []


def test_addresses_in_a_longer_message_are_found_separately() -> None:
    text = (
        "Ship it to:\n742 Evergreen Terrace\nSpringfield, OR 97477\nOrder 4411.\n"
        "Returns go to PO Box 1234, Austin, TX 78701, and the invoice to Keizersgracht 123, "
        "1015 CJ Amsterdam."
    )
    assert [s for s, _ in spans(text)] == [
        "742 Evergreen Terrace\nSpringfield, OR 97477",
        "PO Box 1234, Austin, TX 78701",
        "Keizersgracht 123, 1015 CJ Amsterdam",
    ]


def test_a_trailing_period_of_an_abbreviation_is_kept_only_inside() -> None:
    assert spans("at 221B Baker St.") == [("221B Baker St", STREET_SCORE)]
    assert spans("at 123 Main St., Springfield, IL 62701.") == [
        ("123 Main St., Springfield, IL 62701", ADDRESS_SCORE)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "1 " * 500_000,
        "1234567890" * 100_000,
        "5 Main " * 140_000,
        "12 Aaaa Bbbb Cccc Dddd " * 45_000,
        "5 street road 7 avenue " * 45_000,
        "5 " + "A" + "a" * 999_990 + " St",
        "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 5 " * 17_000,
        "Xstraße Xweg 5a Xring " * 45_000,
        "SW1A 2A " * 125_000,
        "Via Aaaa de la Bbbb Cccc Dddd, n. " * 30_000,
        "Aaa Bbb Ccc Ddd TX 7870 " * 40_000,
        "Flat 3, Flat 3, Apt 4B, " * 40_000,
        "PO Box PO Box " * 70_000,
    ],
)
def test_a_megabyte_of_near_misses_is_handled(text: str) -> None:
    # No timing assertion: a catastrophic backtrack would hang here, and the suite notices.
    assert spans(text) == []


def test_a_megabyte_of_addresses_is_handled() -> None:
    line = "10 Downing Street, London SW1A 2AA\n"
    text = line * 28_000
    found = list(RECOGNIZER.find(text))
    assert len(found) == 28_000
    assert all(text[d.start : d.end] == line.strip() for d in found)


def test_threads_share_one_recognizer() -> None:
    texts = [f"{i} Baker Street, London NW1 6XE and {i + 1} rue de la Paix" for i in range(1, 50)]
    expected = [spans(t) for t in texts]
    results: dict[int, list[list[tuple[str, float]]]] = {}

    def work(worker: int) -> None:
        results[worker] = [spans(t) for t in texts]

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


_PIECES = st.sampled_from(
    [
        " ",
        "\n",
        ", ",
        ".",
        "5",
        "221B",
        "12-14",
        "10115",
        "Main",
        "Baker",
        "St",
        "Street",
        "street",
        "Road",
        "rue",
        "de la",
        "Paix",
        "Via",
        "Roma",
        "Hauptstraße",
        "London",
        "SW1A 2AA",
        "CA",
        "94043",
        "Apt",
        "#",
        "PO Box",
        "é",
        "🙂",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_spans_are_ordered_disjoint_and_trimmed(text: str) -> None:
    detections = list(RECOGNIZER.find(text))
    previous_end = 0
    for detection in detections:
        assert previous_end <= detection.start < detection.end <= len(text)
        value = text[detection.start : detection.end]
        assert value == value.strip()
        assert not value.endswith((".", ","))
        assert detection.score in {ADDRESS_SCORE, STREET_SCORE, POSTCODE_SCORE}
        previous_end = detection.end


def test_an_address_glued_to_chinese_text() -> None:
    # Chinese is written without spaces: the address starts right after an ideograph.
    text = "客户的订单\uff0c地址Calle de Leganitos 15, 28013 Madrid\uff0c电话"
    assert spans(text) == [("Calle de Leganitos 15, 28013 Madrid", ADDRESS_SCORE)]
