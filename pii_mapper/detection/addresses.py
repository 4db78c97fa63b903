"""Postal addresses: a pattern recognizer for the LOCATION entity.

spaCy's small model finds city and country names but misses most street addresses, which
are the bulk of the PII characters of a location. :class:`PostalAddressRecognizer` finds
them by shape, in the forms of the US, the UK and Western Europe:

* a street line: house number + name + street type (``221B Baker St``, ``350 W 34th
  Street``, ``12 rue de la Paix``), name + number (``Hauptstraße 5``, ``Keizersgracht 123``,
  ``Berliner Straße 5``, ``Lange Kievitstraat 42``, ``Prinsengracht 263-II``), type + name
  + number (``Via Roma 10``, ``Calle Mayor 5``, ``C/ Mayor 9``) or a post-office box (``PO
  Box 1234``, ``Postfach 10``); with unit parts before or after it (``Flat 3,``, ``Suite
  3400``, ``Apt 4B``, ``#5``, ``bus 3``, a Spanish floor and door ``3º 2ª``);
* then, optionally, the city part, after a comma, a line break or spaces: ``City, ST
  12345`` / ``City ST 12345`` / ``City, Statename`` (US; Canadian provinces too), ``City
  POSTCODE`` (UK, the full postcode grammar), ``12345 City`` / ``1234 AB City`` (EU),
  ``City, 12345`` (Spain); then a country name;
* alone: a UK postcode (``SW1A 2AA``; with the city before it, ``London SW1A 2AA``) and
  a US ``City, ST 12345``.

Scores: 0.85 for a street line with its city part, 0.6 for a street line alone or a city
with its postcode, 0.5 for a UK postcode alone. An address is one span, line breaks inside
included, a trailing period excluded; overlapping candidates become one span.

Guards against prose: names are capitalised words (or ordinals: ``5th``); abbreviated types
(``St``, ``Dr`` …) count only capitalised, after a name (``Dr. Smith`` has none); a
lowercase full type word (``5 Main street``) counts only with a city part; the long tail of
USPS suffixes (Creek, Heights, Park …) needs a house number of 3+ digits, a unit or a city
("3 National Parks"); French types that are English words (Square, Place, Route) need a
French article or a city; a house number never follows ``$``, ``#``, ``.``, ``-`` or a
clock's ``10:``, nor a counting word (``version 2``, ``chapter 3``), and a year after
``in``/``since`` is no house number; "-ring", "-pad" words that are English (Spring,
Notepad) are no German or Dutch streets. Known misses: addresses written all in lowercase,
a street without a number (``rue Delannoy, 43343 Verdier``), a city without a postcode or
state (``10 Downing Street, London`` is found without ``London``, which NER usually finds),
building names, US military addresses, and countries outside the US, Canada, the UK and
Western Europe.

A letter of a script written without spaces (Chinese, Japanese, Korean, Thai) right
before an address does not make it part of a word ("地址Calle Mayor 5").

Time is linear in the text: every repetition is bounded (word runs are possessive), each
scan starts with a character class or literal the engine skips to cheaply, what a pattern
cannot say cheaply is checked in Python on the rare matches, and every candidate is
extended by anchored matches within a few words. The patterns are compiled once at import
and the recognizer holds no state: it is safe to share between threads.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from pii_mapper.detection import Detection

__all__ = [
    "ADDRESS_SCORE",
    "POSTCODE_SCORE",
    "STREET_SCORE",
    "PostalAddressRecognizer",
]

ADDRESS_SCORE = 0.85
STREET_SCORE = 0.6
POSTCODE_SCORE = 0.5


_Node = dict[str, "_Node"]


def _trie(words: Iterable[str]) -> str:
    """A regular expression that matches any of ``words``, as a trie: the engine tests one
    character per level instead of every word in turn. At a shared prefix the longer word is
    tried first; callers add their own boundary after it."""
    root: _Node = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: _Node) -> str:
        branches = [re.escape(char) + render(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{render(root)})"


def _words(text: str, separator: str | None = None) -> list[str]:
    """The items of a list written as one string (tables of words stay readable)."""
    return text.split(separator)


def _cased(words: Iterable[str]) -> list[str]:
    """Each word as written, in lower case, capitalised and in upper case."""
    return [v for w in words for v in (w, w.lower(), w[:1].upper() + w[1:], w.upper())]


def _capitalised(words: Iterable[str]) -> list[str]:
    return [v for w in words for v in (w[:1].upper() + w[1:], w.upper())]


# --- words ---------------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_LOW = "a-zß-öø-ÿāăąćčďđēėęěğģīįıķĺļľłńņňōőœŕřśşšţťūůűųźżž"
_APOS = "'\u2019"
# The rest of a capitalised (or upper-case) word after its first letter: Baker, Queen's,
# McDonald, Champs-Élysées, Poirier-sur-Mer, MAIN. Possessive: no backtracking into it.
_CAP_REST = rf"[{_UP}{_LOW}{_APOS}\-]{{0,30}}+"
_CAP_WORD = rf"[{_UP}]{_CAP_REST}"
_WORD_END = rf"(?![\w{_APOS}\-])"
# Words that start sentences rather than name places.
_STOPWORDS = frozenset(
    _words(
        "The This That These Those We I It He She They You And But Or In On At For To From "
        "With My Our Your His Her Their A An If When Then So Please Thanks Thank Call See Is "
        "Are Was Were Be Do Does Did Have Has Had Not No Yes Hi Hello Dear Best Regards "
        "Cheers Let Here There What Where Why How Which Who Also Just Send Ship Order"
    )
)
_NOT_STOPWORD = rf"(?!{_trie(_STOPWORDS)}{_WORD_END})"
_SP = r"[ \t]{1,3}"
# A house number: 221B, 12a, 12-14, 5/7.
# 221B, 12-14, 5/7; a Dutch addition after a hyphen: "263-II", "12-hs".
_HOUSE_NUMBER = (
    r"[0-9]{1,5}+(?:[A-Za-z](?![A-Za-z]))?"
    r"(?:[-\u2013/](?:[0-9]{1,5}[A-Za-z]?|[A-Za-z]{1,3}(?![\w\-])))?"
)
_NUMBER_END = r"(?![\w]|[.,:][0-9]|%)"

# --- street types --------------------------------------------------------------------------

# After the name (English): any case, but a lowercase one needs a city part to count.
_EN_TYPES = _words(
    "street road avenue boulevard lane drive court place square terrace way parkway highway "
    "circle close crescent gardens grove hill row mews walk alley trail plaza expressway "
    "freeway turnpike broadway"
)
# Abbreviations: capitalised or upper case only ("st" in prose is not a street).
_EN_ABBREVIATIONS = _words("St Rd Ave Av Blvd Ln Dr Ct Pl Sq Ter Terr Pkwy Hwy Cir Cres Gdns Aly")
# The other street suffixes of the USPS list (Creek, Heights, Ridge …): capitalised only,
# and alone only after a house number of at least 3 digits ("3 National Parks" is not one).
_USPS_TYPES = _words(
    "Branch Bridge Brook Brooks Burg Burgs Bypass Camp Canyon Cape Causeway Center Centers "
    "Circles Cliff Cliffs Club Common Corner Corners Course Courts Cove Coves Creek Crest "
    "Crossing Crossroad Curve Dale Dam Divide Drives Estate Estates Extension Extensions "
    "Fall Falls Ferry Field Fields Flat Flats Ford Fords Forest Forge Forges Fork Forks Fort "
    "Garden Gateway Glen Glens Green Greens Groves Harbor Harbors Harbour Haven Heights "
    "Hills Hollow Inlet Island Islands Isle Junction Junctions Key Keys Knoll Knolls Lake "
    "Lakes Land Landing Light Lights Loaf Lock Locks Lodge Loop Mall Manor Manors Meadow "
    "Meadows Mill Mills Mission Motorway Mount Mountain Mountains Neck Orchard Oval Overpass "
    "Park Parks Parkways Pass Passage Path Pike Pine Pines Plain Plains Point Points Port "
    "Ports Prairie Radial Ramp Ranch Rapid Rapids Rest Ridge Ridges River Roads Route Rue "
    "Run Shoal Shoals Shore Shores Skyway Spring Springs Spur Spurs Squares Station "
    "Stravenue Stream Streets Summit Trace Track Trafficway Tunnel Underpass Union Unions "
    "Valley Valleys Via Viaduct View Views Village Villages Ville Vista Walks Wall Ways Well "
    "Wells Throughway Wharf Quay Yard Yards Embankment Parade Rise Vale Wynd"
)
_DIRECTIONS = _words("N S E W NE NW SE SW North South East West")

# Right after the house number (French): "12 rue de la Paix".
_FR_TYPES = _words(
    "rue avenue av. boulevard bd bld place pl. chemin allée allee impasse quai cours route "
    "square passage voie promenade faubourg"
)
_FR_ARTICLES = (
    r"(?:de[ \t]la[ \t]|de[ \t]l['\u2019]|d['\u2019]|l['\u2019]|(?:de|du|des|la|le|les)[ \t])"
)

# Before the name (Italian, Spanish, Portuguese, Catalan): "Via Roma 10". "via" in lower
# case is English ("sent via Email 5 times") unless it follows "in".
_ROMANCE_TYPES = _words(
    "viale piazza piazzale piazzetta corso largo vicolo vico strada borgo contrada incrocio "
    "lungomare calle avenida avda. plaza paseo carrer rua travessa travesía camino carretera "
    "ronda rambla glorieta callejón cuesta alameda pasaje praça avinguda passeig "
    "c/ pza. ctra. pº"
)
_ROMANCE_ARTICLES = (
    r"(?:(?:del|della|dello|dei|degli|delle|di|da|de|la|las|los|el|do|dos|das)[ \t]{1,2}"
    r"(?:la[ \t]{1,2}|los[ \t]{1,2}|las[ \t]{1,2})?)"
)

# The end of a one-word compound (German, Dutch): Hauptstraße, Keizersgracht; after a
# hyphen or as a separate word capitalised: Konrad-Adenauer-Straße, Berliner Straße.
_GERMANIC_SUFFIXES = _words(
    "straße strasse str. weg platz allee gasse ring damm ufer markt graben chaussee gracht "
    "straat laan plein kade singel dijk steeg dreef baan boulevard pad"
)
_GERMANIC_WORDS = [w[:1].upper() + w[1:] for w in _GERMANIC_SUFFIXES]
# English words that end like a German or Dutch street: "Spring 2024", "Notepad 2".
_ENGLISH_WORDS = frozenset(
    _words(
        "string spring offspring wellspring mainspring earring keyring bullring herring bring "
        "wring notepad keypad trackpad touchpad launchpad mousepad scratchpad numpad gamepad "
        "helipad ipad"
    )
)

# --- guards ----------------------------------------------------------------------------------

# A number after these counts something else: "version 2 Main Drive", "chapter 3 …".
_COUNTING_WORDS = _words(
    "version ver v chapter ch step steps page pages p pp section sec part level lvl episode "
    "ep season round phase stage route room rm gate platform exit no nr number num top "
    "grade class size type model series gen generation day days week weeks month months vol "
    "volume issue item items line lines row rows table figure fig verse act scene x times "
    "over under about around only just than"
)
_COUNTING_WORD_SET = frozenset(_COUNTING_WORDS)
_YEAR_WORDS = _words("in since by of from until till during before after circa year")
_YEAR_WORD_SET = frozenset(_YEAR_WORDS)
_YEAR = re.compile(r"(?:1[89]|20)[0-9]{2}")
# First words that make "2 TB Hard Drive" a product, not a street; and, after a number of one
# or two digits, "a 5 Mile Walk" a distance (but "3233 Day Hills" is a street).
_NOT_NAMES = frozenset(_words("TB GB MB KB USB SSD HDD HD Hard Disk Flash Test Tests Google"))
_NOT_NAMES_AFTER_COUNT = frozenset(
    _words(
        "AM PM Mile Miles Minute Minutes Hour Hours Day Days Week Weeks Month Months Year "
        "Years Km KM Step Steps"
    )
)

# --- postcodes, states, cities ---------------------------------------------------------------

# The full UK postcode grammar: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA.
_UK_OUTWARD_REST = r"(?:[0-9][A-HJKPSTUW]|[0-9]{1,2}|[A-HK-Y][0-9][ABEHMNPRV-Y]|[A-HK-Y][0-9]{1,2})"
_UK_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_UK_POSTCODE = rf"(?:GIR[ ]?0AA|[A-PR-UWYZ]{_UK_OUTWARD_REST}[ ]?{_UK_INWARD})"
_US_STATES = _words(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
    "NH NJ NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY GU VI AS MP MH FM PW"
)
_US_STATE_NAMES = _words(
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    "New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|"
    "Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|"
    "Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|District of Columbia",
    "|",
)
_CA_PROVINCES = _words("AB BC MB NB NL NS NT NU ON PE QC SK YT")
_US_ZIP = r"[0-9]{5}(?:-[0-9]{4})?"
_CA_POSTCODE = r"[A-Z][0-9][A-Z][ ]?[0-9][A-Z][0-9]"
_STATE_NAME = _trie(_US_STATES + _US_STATE_NAMES + _CA_PROVINCES)
_STATE_POSTCODE = rf"(?:{_US_ZIP}|{_CA_POSTCODE})"
# After "City": ", ST" with or without its ZIP, or " ST 12345".
_STATE = (
    rf"(?:,[ \t]{{0,2}}{_STATE_NAME}(?:[ \t]{{1,2}}{_STATE_POSTCODE})?"
    rf"|[ \t]{{1,2}}{_STATE_NAME}[ \t]{{1,2}}{_STATE_POSTCODE})(?![\w\-])"
)
_EU_POSTCODE = r"(?:[A-Z]{1,2}-)?(?:[0-9]{5}|[0-9]{4}(?:[ ]?[A-Z]{2}(?![\w]))?)"
_CITY_CONNECTORS = _words("am an der de la le sur sul en del upon on im bei vorm ob")
# A city: capitalised words (not a postcode's letters: "SW" of "SW1A"), maybe joined by
# lowercase connectors: Mountain View, Frankfurt am Main, Newcastle upon Tyne.
_CITY_WORD = rf"{_CAP_WORD}(?![0-9])"
_CITY_REST = (
    rf"(?:[ \t](?:{_trie(_CITY_CONNECTORS)}[ \t]){{0,2}}{_CITY_WORD}){{0,3}}"
    r"(?:[ \t]\([A-Z]{2}\))?"  # Italian province: Lanuvio (RM)
)
_CITY = rf"{_NOT_STOPWORD}(?:(?:St|Ste|Mt|Ft)\.?[ \t])?{_CITY_WORD}{_CITY_REST}"
_COUNTRIES = _words(
    "USA|U.S.A.|United States|United States of America|US|Canada|UK|U.K.|United Kingdom|"
    "England|Scotland|Wales|Northern Ireland|Ireland|Germany|Deutschland|France|Italy|Italia|"
    "Spain|España|Netherlands|The Netherlands|Nederland|Belgium|Belgique|België|Austria|"
    "Österreich|Switzerland|Schweiz|Suisse|Svizzera|Portugal|Luxembourg|Denmark|Danmark",
    "|",
)

# Separators inside an address: a comma and/or one line break; or (before a postcode) spaces.
_SEP = r"(?:\.?[ \t]*,[ \t]*(?:\r?\n[ \t]*)?|\.?[ \t]*\r?\n[ \t]*)"
_SEP_OR_SPACE = rf"(?:{_SEP}|\.?[ \t]{{1,3}})"

# Unit parts: Suite 3400, Apt 4B, Unit 12, Flat 3, #5, 3rd Floor.
_UNIT_ID = r"(?:[0-9]{1,5}[A-Za-z]{0,2}|[A-Za-z][0-9]{0,4})(?:-[0-9]{1,4})?(?![\w])"
_UNIT_WORDS = _words(
    "suite ste apt apartment unit flat floor fl room rm bldg building dept studio "
    "wohnung whg stock etage appartement appartamento app bâtiment bat escalier piso "
    "puerta piano interno scala bus bte"
)
# A Spanish or Italian floor and door: "3º 2ª", "2º B", "1º izq." (detection reads text
# folded to NFKC, where "º" and "ª" are "o" and "a").
_ORDINAL = r"[0-9]{1,2}(?:[ºª°]|[oa](?![\w]))"
_FLOOR = rf"{_ORDINAL}(?:[ \t]{{1,2}}(?:{_ORDINAL}|[0-9]{{1,2}}|[A-Za-z]{{1,4}}\.?)(?![\w]))?"
_UNIT = (
    rf"(?:{_FLOOR}|{_trie(_cased(_UNIT_WORDS))}\.?[ \t]{{0,2}}(?:#|No\.?|n°)?[ \t]{{0,2}}{_UNIT_ID}"
    rf"|#[ \t]?{_UNIT_ID}|[0-9]{{1,2}}(?:st|nd|rd|th)[ \t](?:Floor|floor|FLOOR))"
)

# --- the scans -------------------------------------------------------------------------------
# Each starts with a character class or a literal so that the engine skips ahead cheaply;
# boundaries before the start are checked after it (or in Python). Repetitions are of single
# character classes where possible (the engine's fast path), and what a pattern cannot say
# cheaply is checked in Python on the (rare) matches.

# Every form below contains a digit: texts without one are skipped at once.
_DIGIT = re.compile(r"[0-9]")

_RUN_WORD = rf"(?:{_CAP_WORD}\.?|[0-9]{{1,3}}(?:st|nd|rd|th|ST|ND|RD|TH))"
# A number, then either a French street type and its name, or a run of capitalised words
# (and maybe one lowercase word) in which Python looks for the street type:
# 221B Baker St / 350 W 34th Street / 742 Evergreen terrace / 12 rue de la Paix
_NUMBER_FIRST = re.compile(
    rf"(?P<num>[0-9](?<![\w$€£¥.,:/#+\-\u2013][0-9])[0-9A-Za-z\-\u2013/]{{0,12}}+),?[ \t]{{1,3}}(?:"
    rf"(?P<fr_type>{_trie(_cased(_FR_TYPES))})[ \t]{{1,3}}{_FR_ARTICLES}?[ \t]{{0,2}}"
    rf"{_CAP_WORD}"
    rf"(?:[ \t]{{1,3}}(?:(?:de|du|des|la|le|et)[ \t]{{1,2}})?{_CAP_WORD}){{0,3}}"
    rf"|(?P<words>{_RUN_WORD}[ \t]{{1,3}}"
    rf"(?:{_RUN_WORD}(?:[ \t]{{1,3}}{_RUN_WORD}){{0,4}}|(?P<low>[a-z]{{3,10}})))"
    rf"){_WORD_END}"
)
_FR_ENGLISH = frozenset(_words("square place route passage promenade cours"))
_FR_ARTICLE_AFTER = re.compile(rf"[ \t]{{1,3}}{_FR_ARTICLES}")
# What a house number is: 221B, 12a, 12-14, 5/7, 5bis.
_HOUSE_NUMBER_FULL = re.compile(
    r"[0-9]{1,5}(?:[A-Za-z]|bis|ter)?(?:[-\u2013/][0-9]{1,5}[A-Za-z]?)?"
)
_RUN_TOKEN = re.compile(r"[^ \t]+")
_EN_TYPE_WORDS = frozenset(
    _cased(_EN_TYPES) + _EN_ABBREVIATIONS + [a.upper() for a in _EN_ABBREVIATIONS]
)
_USPS_TYPE_WORDS = frozenset(_capitalised(_USPS_TYPES))
_EN_LOWER_TYPES = frozenset(_EN_TYPES)
_ANY_TYPE_WORD = _EN_TYPE_WORDS | _USPS_TYPE_WORDS
_DIRECTION_WORDS = frozenset(_DIRECTIONS)
# Via Roma 10 / Calle Mayor 5 / Avenida de la Constitución, 12
_ROMANCE_STREET = re.compile(
    rf"(?P<type>{_trie(_cased(['Via', *_ROMANCE_TYPES]))})(?:(?<=/)[ \t]{{0,3}}|[ \t]{{1,3}})"
    rf"{_ROMANCE_ARTICLES}?{_CAP_WORD}"
    rf"(?:[ \t]{{1,3}}(?:(?:de|del|della|di|la|dos|da)[ \t]{{1,2}})?{_CAP_WORD}){{0,3}}"
    rf",?[ \t]{{1,3}}(?:(?:n\.|nº|n°|no\.|nr\.)[ \t]?)?(?P<num>{_HOUSE_NUMBER}){_NUMBER_END}"
)
# Hauptstraße 5 / Musterweg 12a / Keizersgracht 123 / Berliner Straße 5 / Am Ring 3. Run only
# near a trigger: a street suffix, spaces and a digit.
_GERMANIC_TRIGGER = re.compile(rf"{_trie(_GERMANIC_SUFFIXES + _GERMANIC_WORDS)}[ \t]{{1,3}}[0-9]")
# Adjectives written before a compound street name: "Lange Kievitstraat", "Alte Gasse".
_GERMANIC_ADJECTIVES = _words(
    "Lange Korte Kleine Grote Nieuwe Oude Hoge Lage Brede Smalle Sint Alte Neue Große Grosse "
    "Obere Untere Hintere Vordere Breite Hohe Sankt"
)
_GERMANIC_STREET = re.compile(
    rf"(?P<name>(?:{_trie(_GERMANIC_ADJECTIVES)}[ \t])?[{_UP}](?<![\w\-][{_UP}])(?:"
    rf"[{_UP}{_LOW}\-]{{1,40}}?(?:{_trie(_GERMANIC_SUFFIXES)}|-{_trie(_GERMANIC_WORDS)})"
    rf"|[{_LOW}]{{1,24}}(?:[ \t][{_UP}][{_LOW}]{{1,24}})?[ \t]{_trie(_GERMANIC_WORDS)}"
    rf")){_SP}(?P<num>{_HOUSE_NUMBER}){_NUMBER_END}"
)
# PO Box 1234 / P.O. Box 77 / Postfach 10 20 30
_PO_BOX = re.compile(
    r"(?:Box|BOX|box|Postfach|POSTFACH|postale|POB|Apartado)[ \t]*+#?[ \t]*+"
    r"[0-9]{1,7}(?:[ ][0-9]{2,3}){0,2}(?![\w])"
)
_PO_BOX_PREFIX = re.compile(
    r"(?:(?:P|p)\.?[ \t]?(?:O|o)\.?[ \t]?|(?:Post|POST|post)[ \t](?:Office|OFFICE|office)[ \t])"
)
# A UK postcode on its own.
_UK_POSTCODE_ALONE = re.compile(rf"[A-PR-UWYZ]{_UK_OUTWARD_REST}[ ]{_UK_INWARD}(?![\w\-])")
# The state and ZIP of a US "City, ST 12345" on its own; the city is found backwards.
_US_STATE_ZIP = re.compile(rf"{_trie(_US_STATES)}[ \t]{{1,2}}{_US_ZIP}(?![\w\-])")

# --- extensions around a street line ---------------------------------------------------------

_TAIL = re.compile(
    rf"(?P<units>(?:{_SEP_OR_SPACE}{_UNIT}){{0,2}})"
    rf"(?P<city>{_SEP_OR_SPACE}(?:"
    rf"{_CITY}(?:{_STATE}|(?:{_SEP_OR_SPACE}{_CITY})?{_SEP_OR_SPACE}{_UK_POSTCODE}(?![\w\-])"
    rf"|,[ \t]{{0,2}}[0-9]{{5}}(?![\w\-]))"  # Spanish: Toledo, 28132
    rf"|{_UK_POSTCODE}(?![\w\-])"
    rf"|{_EU_POSTCODE}(?:,?[ \t]{{1,2}}|{_SEP}){_CITY}"
    rf"))?"
)
_COUNTRY_TAIL = re.compile(rf"{_SEP}{_trie(_COUNTRIES)}(?![\w])")
# A unit before the street line: "Flat 3, 14 Queen's Road" (if a unit word is near at all).
_UNIT_NEAR = re.compile(rf"{_trie(_cased(_UNIT_WORDS))}|#")
_LEADING_UNIT = re.compile(rf"{_UNIT}(?:[ \t]*,[ \t]*|[ \t]{{1,3}}|{_SEP})")
# A city before a postcode or a state: "London SW1A 2AA", "Austin, TX 78701".
_CITY_BEFORE = re.compile(rf"{_CITY_WORD}{_CITY_REST}(?P<sep>[ \t]*,[ \t]*|{_SEP_OR_SPACE})")
_SPACES = " \t\r\n,"


# --- the recognizer --------------------------------------------------------------------------


class PostalAddressRecognizer:
    """Postal addresses of the US, the UK and Western Europe, each as one LOCATION span."""

    name = "PostalAddressRecognizer"
    entity = "LOCATION"

    def find(self, text: str) -> Iterator[Detection]:
        if _DIGIT.search(text) is None:
            return
        found: list[tuple[int, int, float]] = []
        for match in _NUMBER_FIRST.finditer(text):
            _number_first(text, match, found)
        for match in _scan(_ROMANCE_STREET, text):
            start = match.start()
            if match.group("type") == "via" and text[max(0, start - 3) : start] != "in ":
                continue
            _street(text, start, match.end(), found)
        _germanic(text, found)
        for match in _PO_BOX.finditer(text):
            start = match.start()
            if match.group().startswith(("Box", "BOX", "box")):
                prefix = _before(_PO_BOX_PREFIX, text, start, tokens=3)
                if prefix is None:
                    continue
                start = prefix
            elif start and _is_word(text[start - 1]):
                continue
            _street(text, start, match.end(), found)
        # Postcodes and states that are not part of an address found above.
        streets = list(_merged(found))
        starts = [start for start, _, _ in streets]

        def inside(position: int) -> bool:
            index = bisect_right(starts, position) - 1
            return index >= 0 and position < streets[index][1]

        for match in _scan(_UK_POSTCODE_ALONE, text):
            if inside(match.start()) or match.group().endswith(("GB", "TB")):  # 1TB, 4GB
                continue
            _after_city(text, match.start(), match.end(), found, alone=POSTCODE_SCORE)
        for match in _scan(_US_STATE_ZIP, text):
            if not inside(match.start()):
                _after_city(text, match.start(), match.end(), found, alone=None)
        for start, end, score in _merged(found):
            yield Detection(start, end, self.entity, score, self.name)


def _is_word(char: str) -> bool:
    """Whether ``char`` continues a word of a Latin-script address: a letter of a script
    written without spaces (Chinese, Japanese, Korean, Thai) does not ("地址Calle Mayor 5")."""
    return (char.isalnum() or char == "_") and not _UNSPACED_SCRIPT.match(char)


# Scripts written without spaces between words: CJK ideographs, kana, hangul, Thai.
_UNSPACED_SCRIPT = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]"
)


def _scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that do not start inside a word (nor after a hyphen)."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start and (_is_word(text[start - 1]) or text[start - 1] == "-"):
            position = start + 1
            continue
        yield match
        position = match.end()


def _number_first(text: str, match: re.Match[str], found: list[tuple[int, int, float]]) -> None:
    """A street line that starts with its house number, if ``match`` holds one."""
    low = match.group("low")
    if match.group("fr_type") is None:
        # Cheap first: is there a street type in the run at all?
        if low is None:
            if not any(w.rstrip(".") in _ANY_TYPE_WORD for w in match.group("words").split()[1:]):
                return
        elif low not in _EN_LOWER_TYPES:
            return
    start = match.start()
    number = match.group("num")
    if _HOUSE_NUMBER_FULL.fullmatch(number) is None or _counts_something(text, start, number):
        return
    french = match.group("fr_type")
    if french is not None:  # "12 rue de la Paix"
        # "100 Square Feet", "5 Place Settings": English, unless "de …" or a city follows.
        english = (
            french.casefold() in _FR_ENGLISH
            and not french.islower()
            and _FR_ARTICLE_AFTER.match(text, match.end("fr_type")) is None
        )
        _street(text, start, match.end(), found, needs="city" if english else None)
        return
    tokens = list(_RUN_TOKEN.finditer(text, match.start("words"), match.end("words")))
    words = [t.group().rstrip(".") for t in tokens]
    if words[0] in _NOT_NAMES or (
        words[0] in _NOT_NAMES_AFTER_COUNT and sum(c.isdigit() for c in number) < 3
    ):
        return
    needs = None
    if low is not None:
        # "5 Main street": in prose often not an address, unless a city part follows.
        end, needs = match.end("low"), "city"
    else:
        # The street type: the first usual one after the name, else the first USPS one.
        at = next((i for i in range(1, len(words)) if words[i] in _EN_TYPE_WORDS), None)
        if at is None:
            at = next((i for i in range(1, len(words)) if words[i] in _USPS_TYPE_WORDS), None)
            if at is None:
                return
            # Creek, Heights, Park …: a short number ("3 National Parks") needs a unit or city.
            if sum(c.isdigit() for c in number[:5]) < 3:
                needs = "unit"
        if at + 1 < len(words) and words[at + 1] in _DIRECTION_WORDS:
            at += 1  # 1600 Pennsylvania Avenue NW
        end = tokens[at].start() + len(words[at])
    _street(text, start, end, found, needs=needs)


def _germanic(text: str, found: list[tuple[int, int, float]]) -> None:
    """Street lines that end with their house number: Hauptstraße 5, Keizersgracht 123.
    Each trigger (a street suffix, spaces, a digit) is tried from the start of its word and
    of the two words before it."""
    done = 0
    for trigger in _GERMANIC_TRIGGER.finditer(text):
        if trigger.start() < done:
            continue
        for start in reversed(_token_starts(text, trigger.start(), 3)):
            match = _GERMANIC_STREET.match(text, start)
            if match is None or match.end() <= trigger.start():
                continue
            done = match.end()
            name = match.group("name")
            last = name.rsplit(None, 1)[-1].casefold()
            if " " in name and name.split()[0] in _STOPWORDS:
                continue
            if last in _ENGLISH_WORDS or (last.endswith("ring") and len(last) < 6):
                continue
            # "Offering 2", "Engineering 101": a vowel before -ring needs a city.
            english = last.endswith("ring") and last[-5] in "aeiouy"
            _street(text, start, match.end(), found, needs="city" if english else None)
            break


def _street(
    text: str,
    start: int,
    end: int,
    found: list[tuple[int, int, float]],
    *,
    needs: str | None = None,
) -> None:
    """Record the street line ``text[start:end]``, extended by the unit parts and the city
    part after it and a unit part before it. ``needs``: "city", or "unit" (or a city), for
    the line to count."""
    tail = _TAIL.match(text, end)
    assert tail is not None  # every part of _TAIL is optional
    if tail.group("city"):
        end = tail.end()
        country = _COUNTRY_TAIL.match(text, end)
        if country is not None:
            end = country.end()
        score = ADDRESS_SCORE
    elif needs == "city" or (needs == "unit" and not tail.group("units")):
        return
    else:
        end = tail.end("units")
        score = STREET_SCORE
    unit = None
    if start and text[start - 1] in _SPACES and _UNIT_NEAR.search(text, start - 28, start):
        unit = _before(_LEADING_UNIT, text, start, tokens=4)
    found.append((start if unit is None else unit, end, score))


def _token_starts(text: str, end: int, count: int) -> list[int]:
    """Where the (at most ``count``) words before ``end`` start, nearest first, within 40
    characters; a word that ``end`` cuts counts from its start."""
    low = max(0, end - 40)
    starts: list[int] = []
    position = end
    while len(starts) < count:
        while position > low and text[position - 1] in _SPACES:
            position -= 1
        if position <= low:
            break
        space = max(
            text.rfind(" ", low, position),
            text.rfind("\n", low, position),
            text.rfind("\t", low, position),
        )
        if space < 0 and low:
            break  # the window cut a word
        position = space + 1
        starts.append(position)
    return starts


def _before(pattern: re.Pattern[str], text: str, end: int, *, tokens: int) -> int | None:
    """Where the longest match of ``pattern`` that starts at one of the ``tokens`` words
    before ``end`` and ends exactly at ``end`` starts; None if there is none."""
    for start in reversed(_token_starts(text, end, tokens)):
        if pattern.fullmatch(text, start, end) is not None:
            return start
    return None


def _after_city(
    text: str, start: int, end: int, found: list[tuple[int, int, float]], *, alone: float | None
) -> None:
    """Record a postcode (or a state and ZIP) with the city before it, else alone with the
    score ``alone`` (None: not alone)."""
    city_start = None
    if alone is None:  # "Austin, TX 78701": a comma must come before the state
        comma = start
        while comma and text[comma - 1] in " \t":
            comma -= 1
        if not comma or text[comma - 1] != ",":
            return
    if start and text[start - 1] in _SPACES:
        position = _before(_CITY_BEFORE, text, start, tokens=5)
        if position is not None:
            between = text[position:start]
            if alone is not None or "," in between:
                # Drop words that start a sentence: "Hi London SW1A 2AA".
                for word in between.split(" "):
                    if word not in _STOPWORDS:
                        break
                    position += len(word) + 1
                if position < start and text[position].isalpha():
                    city_start = position
    if city_start is not None:
        found.append((city_start, end, STREET_SCORE))
    elif alone is not None:
        found.append((start, end, alone))


def _counts_something(text: str, start: int, number: str) -> bool:
    """Whether the number at ``start`` counts something ("version 2", "chapter 3") or is a
    year ("in 2023") rather than a house number."""
    before = text[max(0, start - 24) : start].rstrip(" \t#").rsplit(None, 1)
    if not before:
        return False
    word = before[-1].rstrip(".").casefold()
    if word in _COUNTING_WORD_SET:
        return True
    return word in _YEAR_WORD_SET and _YEAR.fullmatch(number) is not None


def _merged(found: list[tuple[int, int, float]]) -> Iterator[tuple[int, int, float]]:
    """Overlapping spans as one span over their union, with the highest score."""
    current: tuple[int, int, float] | None = None
    for start, end, score in sorted(found):
        if current is not None and start < current[1]:
            current = (current[0], max(current[1], end), max(current[2], score))
            continue
        if current is not None:
            yield current
        current = (start, end, score)
    if current is not None:
        yield current
