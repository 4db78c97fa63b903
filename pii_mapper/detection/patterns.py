"""Pattern recognizers: structured PII found by regular expressions, checksums and context.

Each recognizer finds one entity type in one text and reports :class:`Detection` objects.
Two kinds live here:

* :class:`RegexRecognizer` runs the patterns, validation and context words of one of
  Presidio's predefined recognizers (card numbers with Luhn, SSN, NHS with mod 11 …), but
  with its own loop: no per-match explanation objects, and no regex time-out that would
  silently skip a pattern (a skipped pattern is text passed on unmasked).
* the library's own recognizers for what Presidio finds slowly or not at all: e-mail
  addresses (prefiltered on ``@``, the domain checked against the bundled public suffix
  list, never fetched), phone numbers (cheap candidates first, then ``phonenumbers``), IP
  addresses, URLs (never the domain inside an e-mail address), IBANs, API keys and tokens,
  and passwords written after a cue.

Scores follow Presidio's scale: a pattern's own score, 1.0 when a checksum validates, and a
context word near the match (``phone``, ``card`` …) adds 0.35 and lifts it to at least 0.4.
"""

from __future__ import annotations

import importlib
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from pii_mapper.detection import Detection
from pii_mapper.detection.lexicon import is_plain, lexicon
from pii_mapper.detection.registry import (
    Recognizer,  # the protocol, defined once (re-exported here)
)

__all__ = [
    "CONTEXT_BOOST",
    "ApiKeyRecognizer",
    "CjkNameRecognizer",
    "CuedNameRecognizer",
    "EmailRecognizer",
    "EthereumAddressRecognizer",
    "IbanRecognizer",
    "IpRecognizer",
    "LoginRecognizer",
    "MentionRecognizer",
    "OrganizationRecognizer",
    "PasswordRecognizer",
    "PhoneRecognizer",
    "PractitionerNumberRecognizer",
    "Recognizer",
    "RegexRecognizer",
    "TextDateRecognizer",
    "UrlRecognizer",
    "bounded",
    "follows_version_cue",
    "has_context",
    "load_phone_plans",
    "phone_candidates",
    "required_characters",
]

CONTEXT_BOOST = 0.35
MIN_SCORE_WITH_CONTEXT = 0.4
# Context words count within this many characters before a match (or half of it after).
CONTEXT_WINDOW = 48


def _context_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({w.casefold() for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?:e?s)?(?!\w)", re.IGNORECASE)


def has_context(pattern: re.Pattern[str] | None, text: str, start: int, end: int) -> bool:
    """Whether a context word appears shortly before ``start`` or just after ``end``."""
    if pattern is None:
        return False
    if pattern.search(text, max(0, start - CONTEXT_WINDOW), start):
        return True
    return pattern.search(text, end, min(len(text), end + CONTEXT_WINDOW // 2)) is not None


# "version 3.2.1.4", "upgrade to 1.13.19", "v2.0.1", "build 10.4.1.7": a release, not an
# address or a date.
_VERSION_CUE = re.compile(
    r"(?i:\b(?:version|release|build|ver\.?|v|(?:up|down)grad(?:e|ed|ing)\s+to"
    r"|updat(?:e|ed|ing)\s+to|bump(?:ed)?\s+to|pinned\s+to))\s*$"
)


def follows_version_cue(text: str, start: int) -> bool:
    """Whether the number at ``start`` comes right after a word that announces a version."""
    return _VERSION_CUE.search(text, max(0, start - 24), start) is not None


def _boosted(score: float) -> float:
    return min(1.0, max(MIN_SCORE_WITH_CONTEXT, score + CONTEXT_BOOST))


@dataclass(slots=True)
class RegexRecognizer:
    """Patterns with a score each, an optional validator/invalidator, and context words.

    ``validate`` returns True (score 1.0), False (dropped) or None (score kept);
    ``invalidate`` returning True drops the match. :meth:`from_presidio` takes all of this
    from one of Presidio's ``PatternRecognizer`` objects.
    """

    name: str
    entity: str
    patterns: Sequence[tuple[Any, float]]
    validate: Callable[[str], bool | None] | None = None
    invalidate: Callable[[str], bool | None] | None = None
    context: re.Pattern[str] | None = None
    # A quick test that the text can contain a match at all (e.g. it has a digit).
    prefilter: Callable[[str], bool] | None = field(default=None)

    @classmethod
    def from_presidio(
        cls, recognizer: Any, *, prefilter: Callable[[str], bool] | None = None
    ) -> RegexRecognizer:
        flags = recognizer.global_regex_flags or 0
        patterns = [(_compiled(p.regex, flags), float(p.score)) for p in recognizer.patterns]
        own = type(recognizer)
        # Only call validation hooks a recognizer overrides (the base ones return None).
        from presidio_analyzer import PatternRecognizer

        validate = (
            recognizer.validate_result
            if own.validate_result is not PatternRecognizer.validate_result
            else None
        )
        invalidate = (
            recognizer.invalidate_result
            if own.invalidate_result is not PatternRecognizer.invalidate_result
            else None
        )
        return cls(
            name=own.__name__,
            entity=recognizer.supported_entities[0],
            patterns=patterns,
            validate=validate,
            invalidate=invalidate,
            context=_context_pattern(recognizer.context or ()),
            prefilter=prefilter,
        )

    def find(self, text: str) -> Iterator[Detection]:
        if self.prefilter is not None and not self.prefilter(text):
            return
        for pattern, base_score in self.patterns:
            if not all(char in text for char in required_characters(pattern)):
                continue  # "12/03" needs a "/": a text without one is not read for it
            for match in pattern.finditer(text):
                start, end = match.span()
                if start == end:
                    continue
                value = text[start:end]
                score = base_score
                if self.validate is not None:
                    valid = self.validate(value)
                    if valid is False:
                        continue
                    if valid:
                        score = 1.0
                if self.invalidate is not None and self.invalidate(value):
                    continue
                if score < 1.0 and has_context(self.context, text, start, end):
                    score = _boosted(score)
                if score > 0:
                    yield Detection(start, end, self.entity, score, self.name)


@lru_cache(maxsize=1024)
def required_characters(pattern: Any) -> str:
    """Punctuation that every match of ``pattern`` holds ("/" for "12/03", "-" and ":" for an
    ISO time stamp), read from the pattern's syntax tree: a literal counts where a match
    cannot avoid it (not under an optional repeat, in every branch of an alternation, not in
    a look-around). Case-insensitive matching changes no such character. Nothing for a
    pattern the standard parser does not read (the ``regex`` module's)."""
    if not isinstance(pattern, re.Pattern):
        return ""
    try:
        # The standard library's own parser of patterns (private modules: imported by name)
        sre: Any = importlib.import_module("re._constants")
        parser: Any = importlib.import_module("re._parser")
        tree = parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # another Python's parser, or a syntax it does not take: no prefilter
        return ""

    def needed(items: Any) -> set[str]:
        found: set[str] = set()
        for op, av in items:
            if op is sre.LITERAL:
                char = chr(av)
                if char.isascii() and not char.isalnum() and char.lower() == char.upper():
                    found.add(char)
            elif op is sre.SUBPATTERN:
                found |= needed(av[-1])
            elif op is sre.ATOMIC_GROUP:
                found |= needed(av)
            elif op is sre.BRANCH:
                found |= set.intersection(*(needed(branch) for branch in av[1]))
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
                found |= needed(av[2])
        return found

    return "".join(sorted(needed(tree)))


def _compiled(pattern: str, flags: int) -> Any:
    """The standard library's (faster) compilation of a Presidio pattern where it accepts
    the syntax, else the ``regex`` module's (Presidio's own engine)."""
    try:
        return re.compile(pattern, flags)
    except re.error:
        import regex

        return regex.compile(pattern, flags)


def has_digit(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` holds a digit."""
    return _DIGIT.search(text, start, len(text) if end is None else end) is not None


_DIGIT = re.compile(r"\d")


# --- e-mail -------------------------------------------------------------------------------

# A word character that is not Chinese, Japanese or Korean: those scripts write no spaces,
# so an ASCII value glued to them ("请联系zhang.wei@example.com谢谢", "電話03-1234-5678まで")
# must end where the script changes, not where the next space is.
_WORD = r"[^\W\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]"

_EMAIL = re.compile(
    # Never starts inside a run of local-part characters: each run is read from its start
    # only, once (a start at every "!" of "!!!…!" would read the run again each time).
    rf"(?<!{_WORD})(?<![.+\-!#$%&'*/=?^`{{|}}~])"
    rf"(?:{_WORD}|[!#$%&'*+/=?^`{{|}}~\-])++(?:\.(?:{_WORD}|[!#$%&'*+/=?^`{{|}}~\-])++)*+"
    r"@"
    rf"(?P<domain>{_WORD}(?:(?:{_WORD}|-)*+(?<!-))?(?:\.{_WORD}(?:(?:{_WORD}|-)*+(?<!-))?)+)"
    rf"(?!{_WORD}|-|\.{_WORD})"
)


# An "@" that can be inside an address: a local-part character before it, a word after.
_EMAIL_AT = re.compile(r"(?<=[\w.!#$%&'*+/=?^`{|}~\-])@(?=\w)")

# Local parts and domains longer than this are not e-mail addresses (RFC 5321: 64 and 255).
_EMAIL_WINDOW = 256


@lru_cache(maxsize=1)
def _suffix_extractor() -> Any:
    """tldextract with its bundled public suffix list: never fetched, never cached on disk."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def has_public_suffix(domain: str) -> bool:
    """Whether ``domain`` ends in a known public suffix and has a name before it."""
    parts = _suffix_extractor()(domain.casefold())
    return bool(parts.suffix and parts.domain)


# Suffixes of private networks, reserved for internal names (RFC 6762, RFC 8375, ICANN's
# ".internal") or in wide use for them: "jsmith@corp.local", "ops@build.internal".
_INTERNAL_SUFFIXES = (".local", ".internal", ".corp", ".lan", ".intranet", ".home.arpa",
                      ".localdomain")  # fmt: skip


def is_mail_domain(domain: str) -> bool:
    """Whether ``domain`` can be the domain of an e-mail address: a name before a known
    public suffix, or before a private network's suffix (``corp.local``). A bare host
    (``admin@intranet``, ``user@localhost``) is not: ``name@host`` is as often an SSH
    target, a package version or a handle as a mailbox."""
    folded = domain.casefold()
    if folded.endswith(_INTERNAL_SUFFIXES):
        suffix = next(s for s in _INTERNAL_SUFFIXES if folded.endswith(s))
        return len(folded) > len(suffix) and folded[-len(suffix) - 1] != "."
    return has_public_suffix(domain)


# "scheme://user:" right before a would-be address: "pass@host" is the password and host
# of a connection string, not an e-mail address.
_URL_USER_BEFORE = re.compile(r"://[^\s:/@]{0,64}:$")


def _in_url_credentials(text: str, start: int) -> bool:
    return _URL_USER_BEFORE.search(text[max(0, start - 72) : start]) is not None


class EmailRecognizer:
    """E-mail addresses whose domain ends in a known public suffix or in a private
    network's suffix (``.local``, ``.internal``, ``.corp``, ``.lan``, ``.intranet``,
    ``.home.arpa``, ``.localdomain``)."""

    name = "EmailRecognizer"
    entity = "EMAIL_ADDRESS"

    def find(self, text: str) -> Iterator[Detection]:
        # The pattern only runs in a window around each "@": linear in the text, and fast
        # on text without addresses (a plain scan would try every word as a local part).
        # An address holds one "@", so the window of one "@" ends at its neighbours: each
        # character is read for at most two of them, however many "@" there are; an "@"
        # without a local-part character before it and a word after it is skipped unread.
        done = 0
        for candidate in _EMAIL_AT.finditer(text):
            at = candidate.start()
            if at < done:
                continue
            following = text.find("@", at + 1)
            lowest = max(0, at - _EMAIL_WINDOW)
            start = max(done, lowest, text.rfind("@", lowest, at) + 1)
            end = min(len(text), at + _EMAIL_WINDOW)
            if following != -1:
                end = min(end, following)
            for match in _EMAIL.finditer(text, start, end):
                if match.start() <= at < match.end():
                    if is_mail_domain(match.group("domain")) and not _in_url_credentials(
                        text, match.start()
                    ):
                        yield Detection(match.start(), match.end(), self.entity, 1.0, self.name)
                    done = match.end()
                    break
                if match.start() > at:
                    break


# --- URLs ---------------------------------------------------------------------------------

_URL = re.compile(
    r"(?<![\w@.\-/])"
    r"(?:(?P<scheme>https?://|ftp://)|(?P<www>www\.))?"
    r"(?P<host>(?:[\w\-]+\.)+[a-z]{2,63}|localhost|\d{1,3}(?:\.\d{1,3}){3})"
    r"(?::\d{2,5})?"
    r"(?P<path>[/?#][^\s<>\"'`]*)?",
    re.IGNORECASE,
)
# Bare "name.ext" is usually a file, not a site, when ext is one of these.
_FILE_SUFFIXES = frozenset(
    [
        "py",
        "md",
        "sh",
        "js",
        "ts",
        "rs",
        "pl",
        "cc",
        "so",
        "go",
        "rb",
        "txt",
        "csv",
        "json",
        "yaml",
        "yml",
        "toml",
        "cfg",
        "ini",
        "log",
        "zip",
        "gz",
        "tar",
        "pdf",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "html",
        "htm",
        "css",
        "xml",
        "exe",
        "dll",
        "app",
        "bin",
        "java",
        "kt",
        "swift",
        "php",
        "sql",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "mov",
        "mp3",
        "mp4",
        "wav",
        "ai",
        "ps",
        "properties",  # a top-level domain, but "gradle.properties" is a file
    ]
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"\u201c\u201d\u2018\u2019\u00bb\u203a\u300d\uff09"


class UrlRecognizer:
    """Web addresses: with a scheme or ``www.``, or a bare domain with a known suffix and a
    path or a common top-level domain. Never the domain part of an e-mail address."""

    name = "UrlRecognizer"
    entity = "URL"

    def find(self, text: str) -> Iterator[Detection]:
        if "." not in text:
            return
        for match in _URL.finditer(text):
            start, end = match.span()
            while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
                end -= 1
            host = match.group("host")
            explicit = match.group("scheme") or match.group("www")
            if not explicit:
                suffix = host.rsplit(".", 1)[-1].casefold()
                if suffix in _FILE_SUFFIXES or suffix.isdigit() or not has_public_suffix(host):
                    continue
                if end < len(text) and text[end] == "@":
                    continue
            score = 0.85 if explicit else 0.6
            yield Detection(start, end, self.entity, score, self.name)


# --- IP addresses -------------------------------------------------------------------------

_IPV4 = re.compile(
    rf"(?<!{_WORD})(?<!\.)(?:\d{{1,3}}\.){{3}}\d{{1,3}}(?:/\d{{1,2}})?(?!{_WORD}|\.\d)"
)
_IPV6 = re.compile(
    rf"(?<!{_WORD})(?<![:.])[0-9A-Fa-f]{{0,4}}(?::[0-9A-Fa-f]{{0,4}}){{2,7}}(?!{_WORD}|:)"
)


class IpRecognizer:
    """IPv4 and IPv6 addresses (optionally with a CIDR suffix), checked by ``ipaddress``."""

    name = "IpRecognizer"
    entity = "IP_ADDRESS"
    context = _context_pattern(["ip", "ipv4", "ipv6", "address", "server", "host"])

    def find(self, text: str) -> Iterator[Detection]:
        if "." in text:
            for match in _IPV4.finditer(text):
                address = match.group().split("/", 1)[0]
                try:
                    if ipaddress.IPv4Address(address).is_unspecified:
                        continue  # "0.0.0.0/0": any address, no one's
                except ValueError:
                    continue
                context = has_context(self.context, text, *match.span())
                if follows_version_cue(text, match.start()) and not context:
                    continue  # "version 3.2.1.4"; with "server", "IP" near, masked anyway
                score = 0.95 if context else 0.6
                yield Detection(match.start(), match.end(), self.entity, score, self.name)
        if "::" in text or text.count(":") >= 5:
            for match in _IPV6.finditer(text):
                value = match.group()
                if value.count(":") < 2 or not any(c.isalnum() for c in value):
                    continue
                try:
                    ipaddress.IPv6Address(value)
                except ValueError:
                    continue
                if value in {"::"}:
                    continue
                yield Detection(match.start(), match.end(), self.entity, 0.85, self.name)


# --- phone numbers ------------------------------------------------------------------------

# A run that looks like a phone number: an optional +country code, digits in groups
# separated by spaces, dots, dashes or slashes, optional (area) and extension.
_PHONE_CANDIDATE = re.compile(
    rf"(?<!{_WORD})(?<![+\-./])"
    r"(?:\+|00)?\(?\d[\d\s().\-/]{5,22}\d"
    r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?"
    rf"(?!{_WORD}|[.\-/]\d)",
    re.IGNORECASE,
)
# Shapes that are something else: an SSN, an ISO or numeric date.
_NOT_A_PHONE = re.compile(
    r"\d{3}-\d{2}-\d{4}|\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d{1,2}[\-/.]\d{1,2}[\-/.]\d{2,4}"
    r"|\d{1,3}(?:\.\d{1,3}){3}"  # an IPv4 address
)
_PHONE_MAX_SCORE = 0.9
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IN", "CA", "AU", "IT", "ES", "NL", "IE", "BR", "IL",
                  "JP", "CN", "KR")  # fmt: skip
# English is written in many countries: a number in national form with a trunk "0"
# ("0161 496 0328", "(020) 7946 0958") is read under these plans too, without a cue.
_ENGLISH_TRUNK_REGIONS = ("GB", "IE", "AU", "NZ", "IN", "ZA")
# The "(0)" some write between a country code and the number: "+44 (0)20 7946 0958".
_TRUNK_ZERO = re.compile(r"(?<=\d)[ \t]?\(0\)")
# A North American number grouped as one: "(415) 555-2671", "415.555.2671", "415-555-2671".
_NANP_SHAPE = re.compile(r"(?:\(\d{3}\)[ \t.\-]?|\d{3}[ \t.\-])\d{3}[ \t.\-]\d{4}")
# A date and time, or a time, run into the digits: "2025-11-03 08:14", "… 08" before ":14".
_STARTS_WITH_DATE = re.compile(r"\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}(?!\d)")


def not_a_phone(text: str, value: str, end: int) -> bool:
    """Whether a phone-shaped run is something else: an SSN, a date, an IPv4 address, a
    timestamp ("2025-11-03 08" before ":14"), a placeholder ending in six equal digits."""
    if _NOT_A_PHONE.fullmatch(value) or _STARTS_WITH_DATE.match(value):
        return True
    digits = [c for c in value if c.isdigit()]
    if len(set(digits[-6:])) == 1:
        return True  # "600 000 000", "555-111-1111": a placeholder in a form or an example
    return text[end : end + 1] == ":" and text[end + 1 : end + 2].isdigit()


@lru_cache(maxsize=1)
def _phonenumbers() -> Any:
    """The ``phonenumbers`` module, with its pattern cache on where it has one: the numbering
    plans of many countries hold more patterns than the ``re`` module's own cache (512
    entries, shared with every other regular expression of the process), which would
    otherwise compile some of them again on every few messages."""
    import phonenumbers

    enable = getattr(phonenumbers, "enable_pattern_cache", None)
    if enable is not None:
        enable()
    return phonenumbers


def load_phone_plans(homes: Iterable[str] = ()) -> None:
    """Load now, rather than on the first number read under each, the numbering plans that
    :func:`phone_score` reads national numbers by (those of ``homes``, ISO 3166 codes, and
    of the countries it tries with a phone word or in English), with the patterns of every
    number type compiled."""
    phonenumbers = _phonenumbers()
    regions = dict.fromkeys([*homes, *_PHONE_REGIONS, *_ENGLISH_TRUNK_REGIONS])
    types = [
        value
        for name, value in vars(phonenumbers.PhoneNumberType).items()
        if name.isupper() and isinstance(value, int)
    ]
    for region in regions:
        for kind in types:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                phonenumbers.is_valid_number_for_region(number, region)
                phonenumbers.number_type(number)


@lru_cache(maxsize=8192)
def phone_score(value: str, home: str, *, context: bool) -> float | None:
    """The score of a phone-shaped run ``value`` in a text read as from ``home`` (a
    region code), or None when it is not a phone number.

    * International form (``+``/``00`` and a country code; a ``(0)`` after the code is
      dropped): valid under that country's plan 0.75; only of a possible length 0.45 when
      written with ``+`` or grouped ("+1 338 723 2972" with an unassigned area code).
    * National form valid at home: 0.75 grouped, 0.3 as a bare run of digits.
    * In English (home ``US``): a North American grouping of possible length 0.45 (numbers
      in fiction and forms use unassigned area codes); a trunk-prefixed number valid in
      another English-speaking country 0.5 grouped, 0.3 bare.
    * Valid only under another country's plan: 0.35, and only looked for with a cue.

    A phone word nearby lifts the score (by 0.35, to at least 0.4, at most 0.9)."""
    phonenumbers = _phonenumbers()

    grouped = value.startswith(("+", "00", "(")) or any(c in value for c in " -.()/")
    score: float | None = None
    if value.startswith(("+", "00")):
        digits = _TRUNK_ZERO.sub("", value).lstrip("+")[2 if value.startswith("00") else 0 :]
        try:
            number = phonenumbers.parse("+" + digits, "ZZ")
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            score = 0.75
        elif phonenumbers.is_possible_number(number) and (
            value.startswith("+") or grouped or context
        ):
            score = 0.45
    else:
        regions = (home, *(r for r in _PHONE_REGIONS if r != home)) if context else (home,)
        at_home = None  # the number read under the home plan (read once)
        for region in regions:
            number = _parsed(phonenumbers, value, region)
            if region == home:
                at_home = number
            if number is not None and phonenumbers.is_valid_number_for_region(number, region):
                score = (0.75 if grouped else 0.3) if region == home else 0.35
                break
        if score is None and home == "US":
            number = at_home
            if (
                number is not None
                and _NANP_SHAPE.fullmatch(value)
                and value.lstrip("(")[:1] not in {"0", "1"}
                and phonenumbers.is_possible_number(number)
            ):
                score = 0.45
            elif value.lstrip("(").startswith("0"):
                for region in _ENGLISH_TRUNK_REGIONS:
                    number = _parsed(phonenumbers, value, region)
                    if number is not None and phonenumbers.is_valid_number_for_region(
                        number, region
                    ):
                        score = 0.5 if grouped else 0.3
                        break
    if score is not None and context:
        # Validity by numbering plan is not a checksum: a validated number of another type
        # (an NHS number, say) wins over a phone number on the same digits.
        score = min(_PHONE_MAX_SCORE, _boosted(score))
    return score


def _parsed(phonenumbers: Any, value: str, region: str) -> Any:
    try:
        return phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None


class PhoneRecognizer:
    """Phone numbers: cheap candidates by pattern, each scored by :func:`phone_score`
    (``phonenumbers`` under the US plan, international form, and the trunk-prefixed forms
    of other English-speaking countries)."""

    name = "PhoneRecognizer"
    entity = "PHONE_NUMBER"
    context = _context_pattern(
        [
            "phone", "telephone", "tel", "cell", "mobile", "call", "text", "sms", "whatsapp",
            "fax", "reach", "ring", "dial", "landline", "mob",
        ]
    )  # fmt: skip

    def find(self, text: str) -> Iterator[Detection]:
        for start, end, value, context in phone_candidates(text, self.context):
            score = phone_score(value, _PHONE_REGIONS[0], context=context)
            if score is not None:
                yield Detection(start, end, self.entity, score, self.name)


def phone_candidates(
    text: str, cues: re.Pattern[str] | None
) -> Iterator[tuple[int, int, str, bool]]:
    """The phone-shaped runs of ``text`` worth scoring, as (start, end, value, whether a
    phone word of ``cues`` — or a Chinese, Japanese or Korean one — stands near)."""
    if not has_digit(text):
        return
    for match in _PHONE_CANDIDATE.finditer(text):
        value = match.group()
        if not 7 <= sum(c.isdigit() for c in value) <= 15:
            continue
        start, end = match.span()
        if not_a_phone(text, value, end):
            continue
        near = has_context(cues, text, start, end) or has_cjk_phone_cue(text, start)
        yield start, end, value, near


# Phone words of Chinese, Japanese and Korean right before a number ("電話03-…", "전화 02-…",
# "电话" and a full-width colon): those scripts have no word boundaries to test.
_CJK_PHONE_CUE = re.compile(
    r"(?:電話|电话|手机|手機|携帯|連絡先|联系电话|전화|휴대폰|TEL)[:\uff1a\s]{0,3}$"
)


def has_cjk_phone_cue(text: str, start: int) -> bool:
    """Whether a Chinese, Japanese or Korean phone word stands right before ``start``."""
    return _CJK_PHONE_CUE.search(text[max(0, start - 12) : start]) is not None


# --- IBAN ---------------------------------------------------------------------------------


def _mod97(iban: str) -> int:
    """The ISO 7064 mod 97-10 remainder of an IBAN (1 when valid), read in linear time."""
    remainder = 0
    for char in iban[4:] + iban[:4]:
        remainder = (remainder * (100 if char.isalpha() else 10) + int(char, 36)) % 97
    return remainder


_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\w])", re.IGNORECASE)


class IbanRecognizer:
    """IBANs, with or without spaces, checked by country format and mod 97; an IBAN of a
    known country whose length is off for that country (a digit dropped or added in
    copying, a generator's mistake) still counts when its mod-97 check holds: one random
    string in 97 passes it, and the shape (country, two check digits, 11 to 30 letters and
    digits) is rare outside IBANs."""

    name = "IbanRecognizer"
    entity = "IBAN_CODE"

    def __init__(self) -> None:
        from presidio_analyzer.predefined_recognizers import IbanRecognizer as Presidio
        from presidio_analyzer.predefined_recognizers.generic.iban_patterns import (
            regex_per_country,
        )

        presidio = Presidio().validate_result
        countries = frozenset(regex_per_country)

        def validate(value: str) -> bool:
            if presidio(value):
                return True
            compact = value.replace(" ", "")
            return compact[:2] in countries and _mod97(compact) == 1

        self._validate = validate

    def find(self, text: str) -> Iterator[Detection]:
        if not has_digit(text):
            return
        position = 0
        while (match := _IBAN.search(text, position)) is not None:
            value = match.group()
            # A trailing word may have been swallowed by the optional spaces: shrink.
            end = match.end()
            found = False
            while value:
                if self._validate(value.upper()):
                    yield Detection(match.start(), end, self.entity, 1.0, self.name)
                    found = True
                    break
                cut = value.rfind(" ")
                if cut < 15:
                    break
                value = value[:cut]
                end = match.start() + cut
            # Search again right after what was kept (the next IBAN may start in the part
            # the pattern swallowed: "BE54… BE27…"), or after the start of a match that held
            # none. A match is at most 34 characters: linear either way.
            position = end if found else match.start() + 1


# --- secrets ------------------------------------------------------------------------------

# Well-known credential formats (prefix and alphabet), each a strong signal on its own.
_KNOWN_SECRETS = re.compile(
    r"(?<![\w\-])(?:"
    r"sk[-_](?:live|test|proj|ant)[-_][A-Za-z0-9_\-]{16,}"  # Stripe, OpenAI, Anthropic style
    r"|sk-[A-Za-z0-9]{32,}"
    r"|(?:rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}"  # GitHub
    r"|github_pat_[A-Za-z0-9_]{40,}"
    r"|xox[abposr]-[A-Za-z0-9\-]{10,}"  # Slack
    r"|(?:AKIA|ASIA)[A-Z0-9]{16}"  # AWS access key id
    r"|AIza[A-Za-z0-9_\-]{35}"  # Google API key
    r"|glpat-[A-Za-z0-9_\-]{20,}"  # GitLab
    r"|SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}"  # SendGrid
    r"|eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"  # JWT
    r"|-----BEGIN [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,8000}?"
    r"-----END [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----"
    r")(?![\w\-])"
)
# A long random-looking token right after a cue such as "api key:", "token =", "Bearer".
_CUED_SECRET = re.compile(
    r"(?:api[ _\-]?key|apikey|access[ _\-]?key|secret(?:[ _\-]?key)?|auth[ _\-]?token|"
    r"access[ _\-]?token|token|bearer|client[ _\-]?secret|private[ _\-]?key|(?<=[A-Za-z])_key)"
    r"(?:\s++is)?[\"']?\s*+[:=]?\s*+[\"']?"
    r"(?P<secret>[A-Za-z0-9_\-+/=.~]{16,256})",
    re.IGNORECASE,
)


def _looks_random(value: str) -> bool:
    """A token mixes letters and digits (or is long) — not an ordinary word."""
    has_letter = any(c.isalpha() for c in value)
    has_number = any(c.isdigit() for c in value)
    return (has_letter and has_number) or len(value) >= 32


class ApiKeyRecognizer:
    """API keys, access tokens and private keys: known formats anywhere, and random-looking
    tokens after a cue word."""

    name = "ApiKeyRecognizer"
    entity = "API_KEY"

    def find(self, text: str) -> Iterator[Detection]:
        known = [m.span() for m in _KNOWN_SECRETS.finditer(text)]
        for start, end in known:
            yield Detection(start, end, self.entity, 0.95, self.name)
        for match in _CUED_SECRET.finditer(text):
            secret = match.group("secret").rstrip(".")
            start = match.start("secret")
            if any(a < start + len(secret) and start < b for a, b in known):
                continue
            if _looks_random(secret):
                yield Detection(start, start + len(secret), self.entity, 0.8, self.name)


# Cue words for a password, in the six languages the library reads. A long cue may be
# followed by a verb ("is", "est", "ist" …) and needs no separator; a short cue ("pw",
# "pass", "p") is a password cue only right before ":" or "=" ("pass: …", "DB_PASS=…").
_LONG_PASSWORD_CUES = (
    r"password|passwd|passwort|passphrase|passcode|pass\s?word|kennwort|mot\s++de\s++passe"
    r"|contrase(?:ñ|n)a|wachtwoord|parola\s++d'ordine"
)
_SHORT_PASSWORD_CUES = r"pwd|pswd|pword|pw|pass|mdp|p"
# Short cues that announce a password without a separator too ("old pw Kite7!").
_BARE_SHORT_CUES = frozenset(["pwd", "pswd", "pword", "pw", "mdp"])
_PASSWORD_VERBS = (
    r"is(?:\s++now)?|was|now|(?:set|changed|reset)\s++to|to|will\s++be|est|c'est|ist|lautet|es"
    r"|è|era|(?:geändert|gesetzt)\s++(?:auf|zu|in)|(?:changé|modifié)\s++(?:en|pour)"
    r"|devient|(?:cambiad[oa])\s++(?:a|en)|ahora\s++es|(?:cambiat[oa]|modificat[oa])\s++(?:in|a)"
    r"|ora\s++è|diventa|(?:veranderd|verandert|gewijzigd|aangepast)\s++(?:naar|in)|wordt|werd"
)
# "ist jetzt", "est maintenant", "es ahora": a verb and "now".
# "was reset to", "wurde geändert auf", "a été changé en": an auxiliary before a verb.
_PASSWORD_VERBS = (
    r"(?:(?:was|has\s++been|wurde|a\s++été|fue|ha\s++sido|è\s++stat[oa]|werd|is)\s++)?"
    rf"(?:{_PASSWORD_VERBS})(?:\s++(?:now|jetzt|nun|maintenant|désormais|ahora|ora|adesso|nu))?"
)
_PASSWORD = re.compile(
    # The cue does not continue a word ("bypass", "compass"); in "DB_PASSWORD" and
    # "db_pass" the cue follows an underscore, which counts as a start.
    r"(?<![^\W_])"
    # A short cue is a word of its own: the "P" of "POSTGRES" is none.
    rf"(?:(?P<long>{_LONG_PASSWORD_CUES})|(?P<short>{_SHORT_PASSWORD_CUES})(?![^\W\d_]))"
    rf"(?P<verb>\s++(?:{_PASSWORD_VERBS}))?[\"']?[ \t]*+(?P<separator>[:=])?"
    r"(?P<gap>\s*+)(?P<quote>[\"'`])?"
    # A quoted value may hold spaces (a passphrase) and ends at its closing quote.
    r"(?P<secret>(?(quote)[^\"'`\n]{4,128}+(?=[\"'`])|[^\s\"'`]{4,128}))",
    re.IGNORECASE,
)
# Values that stand for a password without being one: "<your-password>", "${DB_PASS}",
# "{{ secret }}", "%(pw)s", "********".
_PLACEHOLDER_START = ("<", "${", "{{", "%(", "$(")
_MASK_CHARACTERS = frozenset("*xX•.#-_")
# A PIN: four to eight digits right after a PIN cue.
_PIN = re.compile(
    r"(?<![^\W_])(?:pin(?:[ \-]?(?:code|nummer|number))?|code[ \t]++pin)"
    # "pin del bancomat 6071", "PIN of my card is 4410": up to three short words between.
    r"(?P<bridge>(?:[ \t]++[^\W\d_]{1,12}+){0,3}?)"
    rf"(?:\s++(?:{_PASSWORD_VERBS}))?\s*+[:=]?\s*+[\"']?(?P<secret>\d{{4,8}})(?![\w])",
    re.IGNORECASE,
)
# A door, safe or alarm code, a one-time code: four to eight digits (a trailing "#" or "*"
# is keyed, not part of it) right after "code", "código", "codice", "Code", "digicode",
# "Türcode" …, or a few words later after a verb ("the door code for room 4 changed to
# 7302#"). Not an error, status, postal, area, promotion or booking code.
_CODE = re.compile(
    r"(?<![\w\-])(?P<cue>(?:door|safe|alarm|gate|access|entry|security|verification|"
    r"one[ \-]time|otp|lock|locker)?[ \t]?code|códigos?|codice|digicode|(?:tür|tor|zugangs|"
    r"tresor|alarm|sicherheits)code|toegangscode|deurcode|alarmcode|combination|combinación|"
    r"combinazione|cijfercode)"
    rf"(?:(?P<bridge>(?:[ \t]++[^\W\d_]{{1,12}}+){{0,5}}?)[ \t]++(?:{_PASSWORD_VERBS}))?"
    r"[ \t]*+[:=]?[ \t]*+(?P<secret>\d{4,8})[#*]?(?![\w])",
    re.IGNORECASE,
)
# Words before "code" that make it something other than a secret.
_NOT_SECRET_CODES = re.compile(
    r"(?i:error|status|http|exit|return|response|zip|postal|post|area|country|dialling|dial|"
    r"promo|promotion|discount|coupon|voucher|gift|product|article|item|sku|tracking|order|"
    r"booking|confirmation|reservation|ticket|invoice|customer|client|reference|ref|swift|"
    r"bic|sort|tax|iso|ean|hs|tariff|source|qr|bar|zip|fehler|postleit|de[ \t]+error|"
    r"d'erreur|postal|cliente|pedido|reserva|errore|prenotazione|klant|fout|foutmelding)"
    r"[ \t\-]*+$"
)
# The password of a connection string or URL: "postgresql://app:s3cret@db/x",
# "redis://:s3cret@cache". The user part is an account name, not masked.
_URL_CREDENTIAL = re.compile(
    r"(?<![\w+.\-])[a-z][a-z0-9+.\-]{0,20}://[^\s:/@]{0,64}:(?P<secret>[^\s/@]{1,128})@(?=[\w\[])",
    re.IGNORECASE,
)
# "curl -u user:pass", "--user user:pass": the part after the colon.
_CURL_USER = re.compile(
    r"(?<!\S)(?:-u|--user)(?:[ \t]++|=)[\"']?[^\s:\"']{1,64}:(?P<secret>[^\s\"']{1,128})"
)
# "mysql -u app -p S3cret!", "sshpass -p …": the value of a "-p" option on a command line
# that names a user ("-u", "--user", "-U") or is sshpass's, when the value mixes a letter
# with digits or signs (a port mapping "-p 8080:80" has no letter; "mkdir -p" names no user).
_DASH_P = re.compile(r"(?<!\S)-p[ \t]++[\"']?(?P<secret>[^\s\"'\-/~.][^\s\"']{3,127})")
# "Authorization: Basic dXNlcjpwYXNz": the base64 blob encodes "user:password".
_COMMAND_WINDOW = 256  # how far back on its line a "-p" looks for a user option
_USER_OPTION = re.compile(r"(?<!\S)(?:-u|-U|--user(?:name)?)(?:[ \t=]|$)|sshpass")
_BASIC_AUTH = re.compile(r"(?<![\w])Basic[ \t]++(?P<secret>[A-Za-z0-9+/]{8,512}+={0,2})(?![\w=])")
_COMMON_AFTER_CUE = frozenset(
    [
        "reset",
        "change",
        "changed",
        "manager",
        "managers",
        "policy",
        "policies",
        "field",
        "protected",
        "please",
        "required",
        "expired",
        "expires",
        "again",
        "here",
        "below",
        "above",
        "the",
        "your",
        "for",
        "with",
        "and",
        "that",
        "this",
        "which",
    ]
)
_PASSWORD_PREFILTER = ("-p", "pass", "pw", "p:", "p=", "mdp", "pin", "kennwort", "contrase", "://",
                       "-u", "--user", "basic", "parola", "wachtwoord", "code", "códig",
                       "codice", "combina")  # fmt: skip
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")


def _decodes_to_credentials(blob: str) -> bool:
    """Whether ``blob`` is base64 of printable text holding a colon ("user:password")."""
    import base64
    import binascii

    try:
        decoded = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    return ":" in decoded and decoded.isprintable()


class PasswordRecognizer:
    """Passwords: the value after a cue (``password: hunter2!``, ``"password": "…"``,
    ``DB_PASS=…``, ``mot de passe : …``, a quoted passphrase), a PIN after a PIN cue, the
    password of a connection string (``postgres://app:…@db``), of ``curl -u user:…`` and
    the blob of ``Authorization: Basic …``."""

    name = "PasswordRecognizer"
    entity = "PASSWORD"

    def find(self, text: str) -> Iterator[Detection]:
        lowered = text.casefold()
        if not any(cue in lowered for cue in _PASSWORD_PREFILTER):
            return
        for match in _PASSWORD.finditer(text):
            secret = match.group("secret")
            if not match.group("quote"):
                secret = secret.rstrip(".,;:?)")
            score = self._score(text, match, secret)
            if score is not None:
                start = match.start("secret")
                yield Detection(start, start + len(secret), self.entity, score, self.name)
        for match in _PIN.finditer(text):
            if match.group("bridge") and _YEAR_LIKE.fullmatch(match.group("secret")):
                continue  # "PIN changed in 2025": a year, not the PIN
            yield Detection(*match.span("secret"), self.entity, 0.85, self.name)
        for match in _CODE.finditer(text):
            if _NOT_SECRET_CODES.search(text, max(0, match.start() - 24), match.start()):
                continue
            generic = match.group("cue").casefold() in {"code", "código", "códigos", "codice"}
            if (generic or match.group("bridge")) and _YEAR_LIKE.fullmatch(match.group("secret")):
                continue  # "code 2025", "code … changed in 2025": a year as often as a code
            yield Detection(*match.span("secret"), self.entity, 0.7, self.name)
        for pattern in (_URL_CREDENTIAL, _CURL_USER):
            for match in pattern.finditer(text):
                yield Detection(*match.span("secret"), self.entity, 0.85, self.name)
        for match in _DASH_P.finditer(text):
            secret = match.group("secret")
            line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            if not any(c.isalpha() for c in secret) or secret.isalpha():
                continue
            if _USER_OPTION.search(line[-_COMMAND_WINDOW:]) is not None:
                yield Detection(*match.span("secret"), self.entity, 0.7, self.name)
        for match in _BASIC_AUTH.finditer(text):
            if _decodes_to_credentials(match.group("secret")):
                yield Detection(*match.span("secret"), self.entity, 0.9, self.name)

    @staticmethod
    def _score(text: str, match: re.Match[str], secret: str) -> float | None:
        """The score of a value after a password cue, or None when it is not a password."""
        if len(secret.strip()) < 4 or secret.casefold() in _COMMON_AFTER_CUE:
            return None
        if secret.startswith(_PLACEHOLDER_START) or set(secret) <= _MASK_CHARACTERS:
            return None
        separated = match.group("separator") is not None
        cue = "long" if match.group("long") else "short"
        if not separated and any(
            c in text[match.end(cue) : match.start("secret")] for c in "\t\n\r"
        ):
            return None  # a column header ("password\tExpires"), not a value
        cue_start = match.start(cue)
        if not separated and cue_start > 0 and text[cue_start - 1] == "_":
            return None  # "reason=bad_password attempts=5": a name inside an identifier
        word = secret.isalpha() and secret.islower()
        short = match.group("short")
        if short is not None:
            # "p=0.05", "pass: free": a short cue needs a value with a letter that is not an
            # ordinary lowercase word; without ":" or "=", only "pw"-like cues count, and
            # only before a value mixing letters with digits or signs.
            if word or not any(c.isalpha() for c in secret):
                return None
            if not separated and (short.casefold() not in _BARE_SHORT_CUES or secret.isalpha()):
                return None
            return 0.85
        if word and not match.group("quote"):
            # A plain lowercase word after the cue is usually prose ("password manager",
            # "Passwort vergessen"), unless a verb or a separator announces it.
            return 0.45 if match.group("verb") is not None or separated else None
        return 0.85


# --- crypto wallets and practitioner numbers ----------------------------------------------

# An Ethereum (or any EVM chain's) address: "0x" and 40 hexadecimal digits. Bitcoin
# addresses are Presidio's recognizer's, with their checksums.
_ETHEREUM = re.compile(r"(?<![\w])0x[0-9a-fA-F]{40}(?![\w])")


class EthereumAddressRecognizer:
    """Ethereum addresses (``0x`` and 40 hexadecimal digits), as ``CRYPTO``. The mixed-case
    checksum (EIP-55) needs Keccak-256, which the standard library lacks; 40 hexadecimal
    digits after ``0x`` are an address often enough without it (a SHA-1 is written without
    ``0x``)."""

    name = "EthereumAddressRecognizer"
    entity = "CRYPTO"

    def find(self, text: str) -> Iterator[Detection]:
        if "0x" not in text:
            return
        for match in _ETHEREUM.finditer(text):
            yield Detection(match.start(), match.end(), self.entity, 0.85, self.name)


# Practitioner numbers after their national cue: French RPPS (11 digits) and ADELI (9),
# Dutch BIG register number (11 digits). "BIG" must be written in capitals.
_PRACTITIONER = re.compile(
    r"(?<![\w])(?:(?i:(?P<rpps>rpps)|(?P<adeli>adeli))|(?P<big>BIG)(?i:[ \-]?(?:nummer|nr\.?|"
    r"registratie(?:nummer)?|number|registration))?)"
    r"(?i:[ \t]{0,3}+(?:n[°ºo]\.?|nr\.?|nummer|number|numéro|:|#|-)){0,2}+[ \t]{0,3}+"
    r"(?P<number>\d{9}(?:\d\d)?)(?![\w])"
)


class PractitionerNumberRecognizer:
    """Numbers of health practitioners after their national cue, as ``MEDICAL_LICENSE``:
    the French RPPS (11 digits: "RPPS 10003845127") and ADELI (9 digits), the Dutch BIG
    register number (11 digits: "BIG-nummer 19012345601"). The US DEA number is Presidio's
    recognizer's (two letters and seven digits with a check digit)."""

    name = "PractitionerNumberRecognizer"
    entity = "MEDICAL_LICENSE"

    def find(self, text: str) -> Iterator[Detection]:
        if not has_digit(text):
            return
        for match in _PRACTITIONER.finditer(text):
            length = len(match.group("number"))
            if length != (9 if match.group("adeli") else 11):
                continue
            yield Detection(*match.span("number"), self.entity, 0.85, self.name)


def bounded(recognizer: RegexRecognizer) -> RegexRecognizer:
    """``recognizer`` with each pattern held between non-alphanumeric characters: Presidio's
    DEA pattern would otherwise match inside a longer code ("SE5567891" in the EORI number
    "SE5567891234")."""
    patterns = [
        (re.compile(rf"(?<![A-Za-z0-9])(?:{p.pattern})(?![A-Za-z0-9])", p.flags), score)
        for p, score in recognizer.patterns
    ]
    return replace(recognizer, patterns=patterns)


# --- names after a cue --------------------------------------------------------------------

_NAME_WORD = r"[A-Z][a-z\u00df-\u00ff]+(?:[-'][A-Z][a-z\u00df-\u00ff]+)?"
_LOWER_WORD = r"[a-z\u00df-\u00ff]{2,}"
# A capitalised name (one to three words) after a greeting, a sign-off or an introduction.
_CUED_NAME = re.compile(
    r"(?i:(?<![\w])(?P<greeting>hi|hello|hey|dear|thanks|thank you|cheers|bye|morning|evening)"
    r"(?:[ \t]*+,)?[ \t]++(?:(?i:this is|it's|it is|i'm|i am)[ \t]++)?"
    r"|(?<![\w])(?P<intro>my name is|my name's|i am|i'm|call me|name:|signed,?)[ \t]++"
    r"|(?P<signoff>(?:best(?: regards| wishes)?|kind regards|regards|thanks|thank you|cheers|"
    r"sincerely|yours(?: truly| sincerely)?|all the best|love|take care|warmly|br),?[ \t]*+\n"
    r"[ \t]*+(?:-{1,2}[ \t]*+)?))"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]++{_NAME_WORD}){{0,2}}"
    rf"|(?P<lower>{_LOWER_WORD}(?:[ \t]++{_LOWER_WORD})?))"
    r"(?![\w@])"
)
# Words that follow a greeting or an introduction but are not names.
_NOT_NAMES = frozenset(
    [
        "there", "all", "everyone", "everybody", "guys", "team", "folks", "again", "man",
        "dude", "buddy", "friend", "friends", "sir", "madam", "mam", "you", "both", "yall",
        "bot", "assistant", "chatgpt", "claude", "gpt", "yes", "ok", "okay", "so", "can",
        "could", "please", "for", "very", "so", "much", "again", "a", "an", "the", "not",
        "just", "also", "still", "here", "back", "sure", "sorry", "happy", "glad", "going",
        "trying", "looking", "working", "writing", "asking", "wondering", "having", "getting",
        "done", "fine", "good", "great", "new", "ready", "able", "sure", "from", "in", "at",
        "with", "on", "your", "my", "our", "their", "his", "her", "its", "it", "that", "what",
        "how", "who", "why", "when", "where", "which", "in", "to", "about", "confused",
        "interested", "hoping", "planning", "afraid", "aware", "unable", "tired", "excited",
        "mr", "mrs", "ms", "dr", "prof", "everyone's", "world", "support", "admin", "customer",
        "sales", "hr", "it", "doc", "boss", "mate", "love", "dear", "hun", "honey", "bro",
        "morning", "evening", "afternoon", "night", "today", "tomorrow", "best", "regards",
        "thanks", "cheers", "kind", "sincerely", "hello", "hi", "hey", "bye", "thank",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "this", "these", "those", "all", "we", "they", "he", "she", "i",
    ]
)  # fmt: skip


class CuedNameRecognizer:
    """Names where chat text announces them: after a greeting (``hi maria``), an
    introduction (``my name is …``, ``I'm …``) or on the line after a sign-off (``Thanks,\\n
    John``). A lowercase word counts only after a greeting or an introduction."""

    name = "CuedNameRecognizer"
    entity = "PERSON"

    def find(self, text: str) -> Iterator[Detection]:
        for match in _CUED_NAME.finditer(text):
            lower = match.group("lower") is not None
            intro = (match.group("intro") or "").casefold()
            if lower and (match.group("signoff") is not None or intro in {"i am", "i'm"}):
                continue
            words = match.group("name").split()
            if lower and match.group("greeting") is not None:
                words = words[:1]  # "hi maria" is a name; "hi maria how" is not two
            if not words or words[0].casefold() in _NOT_NAMES:
                continue
            # A lower-case word after a greeting is a name unless it is never one ("hey,
            # card ending 3391" but "hi rose"); after an introduction alone, unless it is
            # a word at all ("this is urgent").
            ordinary = lexicon("en")
            if lower and words[0].casefold() in (
                ordinary.plain if match.group("greeting") is not None else ordinary.words
            ):
                continue
            if len(words) > 1 and words[1].casefold() in _NOT_NAMES:
                words = words[:1]
            start = match.start("name")
            end = start + len(words[0])
            if len(words) > 1:
                end = start + match.group("name").index(words[-1], len(words[0])) + len(words[-1])
            if lower and words[-1].endswith(("ing", "ed")):
                continue
            # A capitalised word after "Hi" or on a signature line is a name more surely
            # than spaCy's guess of a place or a company for it.
            score = 0.5 if lower else 0.7 if intro else 0.9
            yield Detection(start, end, self.entity, score, self.name)


# "@maria", "@liam.obrien", "@raúl" in chat: a mention names a colleague. Not an e-mail's
# "@" (a word character before it), a package scope ("@types/node", "@acme:registry"), nor
# a decorator alone on its line ("@dataclass").
_MENTION = re.compile(
    r"(?<![\w@.+\-/~])@(?P<handle>[^\W\d_][^\W_]{0,30}(?:[.\-_][^\W_]{1,30}){0,2})"
    r"(?=[ \t,;!?)\]]|:[ \t]|\.(?![\w])|$)",
    re.MULTILINE,
)
# Mentions of a group or a channel, and decorators/annotations written inline.
_NOT_HANDLES = frozenset(
    [
        "here", "channel", "everyone", "all", "team", "room", "group", "channel", "admins",
        "admin", "bot", "mods", "devs", "ops", "oncall", "support", "todos", "tous", "alle",
        "todos", "tutti", "iedereen", "override", "param", "return", "returns", "throws",
        "see", "deprecated", "property", "staticmethod", "classmethod", "dataclass", "test",
        "author", "since", "version", "link", "media", "import", "keyframes", "font-face",
        "echo", "home", "staging", "prod", "latest", "next", "types",
    ]
)  # fmt: skip


class MentionRecognizer:
    """Names in chat mentions: "@keiko @raúl standup moved", "@liam.obrien can you …". The
    handle is the PERSON, the "@" stays. A group or channel (``@here``, ``@team-platform``:
    ordinary words of English or the message's language), a code
    annotation (``@param``, ``@Override``) or a handle alone on its line (a decorator) is
    not one."""

    name = "MentionRecognizer"
    entity = "PERSON"

    def __init__(self, language: str = "en") -> None:
        self.language = language

    def find(self, text: str) -> Iterator[Detection]:
        if "@" not in text:
            return
        for match in _MENTION.finditer(text):
            handle = match.group("handle")
            if len(handle) < 2 or handle.casefold() in _NOT_HANDLES or self._is_words(handle):
                continue
            if _alone_on_its_line(text, match.start(), match.end()):
                continue  # "@dataclass"
            yield Detection(match.start("handle"), match.end("handle"), self.entity, 0.6, self.name)

    def _is_words(self, handle: str) -> bool:
        """Whether ``handle`` names a team or a channel: a word never used as a name, in
        English or the message's language ("@oncall"), or a compound with one
        ("@team-platform", "@equipe-data"); accents optional ("equipe" is "équipe")."""
        if "." in handle:
            return False  # "first.last", "j.smith": how people's logins are made
        plain = _plain_words(self.language)
        return any(_bare(part) in plain for part in re.split(r"[\-_]", handle.casefold()))


# --- logins: a person's user name where a system writes one ---------------------------

_LOGIN = r"(?P<login>[^\W\d_][\w.\-]{1,47})"
# Each context that makes a word a user name, with the substrings one of which a text must
# hold for the context to be searched; the name is a person's unless every part of it is an
# ordinary word or a service's (see ``_SERVICE_ACCOUNTS``).
_LOGIN_CONTEXTS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (cues, re.compile(pattern))
    for cues, pattern in (
        # a home directory: "/home/akosuap/", "C:\\Users\\jdoe\\", "/users/oskar.nilsson/"
        (
            ("/home/", "/Users/", "/users/", "\\Users\\"),
            rf"(?:/home/|/Users/|/users/|[A-Za-z]:\\Users\\){_LOGIN}(?=[/\\\s\"']|$)",
        ),
        # a login at an IP address: "ssh anna.kowalska@172.16.4.88"
        (("@",), rf"(?<![\w.@\-]){_LOGIN}@(?=\d{{1,3}}(?:\.\d{{1,3}}){{3}}(?!\.?\d))"),
        # a URL's credentials: "https://anavarro:ghp_…@github.com"
        (("://",), rf"(?<![\w+.\-])[a-z][a-z0-9+.\-]{{0,20}}://{_LOGIN}:[^\s/@]{{1,128}}@"),
        # "curl -u admin.dupuis:…", "--user jdoe:…"
        (("-u",), rf"(?<!\S)(?:-u|--user)(?:[ \t]++|=)[\"']?{_LOGIN}:"),
        # a log's key: "user=p.vanleeuwen", "gebruiker=…", "benutzer: …"
        (
            ("=", ":"),
            r"(?<![\w.])(?i:user|username|login|uid|gebruiker|benutzer|utilisateur|usuario|utente)"
            rf"[ \t]*[=:][ \t]*[\"']?{_LOGIN}(?![\w@])",
        ),
        # a Jira mention: "[~tobias.kranz]"
        (("[~",), rf"\[~{_LOGIN}\]"),
        # the user of a web server's access log: '81.2.3.4 - mcastro [17/Mar/2025:06:12:44'
        (("/",), rf"(?m:^)[\w.:\-]{{1,64}} \S{{1,64}} {_LOGIN} \[\d{{1,2}}/[A-Za-z]{{3}}/\d{{4}}:"),
        # the owner of a to-do: "TODO bartek: move to vault", "FIXME(rubén)"
        (
            ("TODO", "FIXME", "XXX", "HACK"),
            rf"\b(?:TODO|FIXME|XXX|HACK)[ \t]*\(?[ \t]*{_LOGIN}[ \t]*[):]",
        ),
    )
)
# Accounts of machines and services, not people ("root", "svc-reporting", "ci-bot").
_SERVICE_ACCOUNTS = frozenset(
    [
        "root",
        "admin",
        "administrator",
        "ubuntu",
        "debian",
        "centos",
        "ec2",
        "user",
        "users",
        "www",
        "data",
        "deploy",
        "deployer",
        "runner",
        "git",
        "gitlab",
        "github",
        "postgres",
        "mysql",
        "oracle",
        "redis",
        "nobody",
        "guest",
        "svc",
        "service",
        "bot",
        "ci",
        "cd",
        "app",
        "api",
        "backup",
        "test",
        "demo",
        "dev",
        "ops",
        "system",
        "sys",
        "daemon",
        "jenkins",
        "ansible",
        "nagios",
        "zabbix",
        "monitor",
        "noreply",
        "postmaster",
        "info",
        "support",
        "sa",
        "dba",
        "web",
        "ftp",
        "mail",
        "pi",
        "vagrant",
        "docker",
        "node",
        "build",
        "release",
        "me",
        "you",
        "they",
        "self",
        "anonymous",
        "default",
        "operator",
        "etl",
        "readonly",
        "replica",
        "replicator",
        "airflow",
        "metabase",
        "superset",
        "grafana",
        "keycloak",
        "sonar",
        "nexus",
    ]
)
_LOGIN_PARTS = re.compile(r"[^\W\d_]{2,}")
_LOGIN_LETTERS = 4  # at least this many letters in a person's login


class LoginRecognizer:
    """User names built from a person's name, where a system writes a user name: a home
    directory (``/home/akosuap/``), a login at an IP address (``ssh anna.kowalska@10.0.0.7``),
    a URL's or ``curl -u``'s credentials, a log's ``user=`` (in the six languages), a Jira
    mention (``[~tobias.kranz]``), a web server's access log, a to-do's owner (``TODO
    bartek:``). A service's account (``root``, ``svc-reporting``, ``ci-bot``) or one of
    ordinary words (``planner``, ``kasse3``) is not a person's."""

    name = "LoginRecognizer"
    entity = "PERSON"

    def __init__(self, language: str = "en") -> None:
        self.language = language

    def find(self, text: str) -> Iterator[Detection]:
        for cues, pattern in _LOGIN_CONTEXTS:
            if not any(cue in text for cue in cues):
                continue
            for match in pattern.finditer(text):
                start, end = match.span("login")
                login = text[start:end].rstrip(".-")
                if self._personal(login):
                    yield Detection(start, start + len(login), self.entity, 0.7, self.name)

    def _personal(self, login: str) -> bool:
        parts = _LOGIN_PARTS.findall(login.casefold())
        if sum(len(part) for part in parts) < _LOGIN_LETTERS:
            return False  # "etl", "cd": too short to be a person's
        return not all(
            len(part) <= 2  # "rw" in "app_rw": a suffix, no one's name
            or part in _SERVICE_ACCOUNTS
            or is_plain(part, self.language)
            or part in lexicon(self.language).nouns
            for part in parts
        )


# --- names in Chinese, Japanese and Korean script -------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\u3005"  # ideographs and the repeat mark 々
_KATAKANA = "\u30a0-\u30ff"
_HANGUL = "\uac00-\ud7a3"
# A name before a Japanese honorific ("佐藤美咲様", "山本さん", "マリアさん"), before a Korean
# one ("김민준님", "이서연 씨에게"), before a Chinese title ("王先生"), or after a Chinese label
# ("客户王丽娜", "姓名: 张伟"). The label form takes two or three ideographs, two when a word
# that follows names begins at the third ("李娜的", "王芳电话").
_CJK_NAME = re.compile(
    rf"(?P<ja>[{_HAN}]{{2,4}}|[{_KATAKANA}]{{2,12}})(?=様|さん|殿|氏|先生|くん|ちゃん)"
    rf"|(?P<ko>[{_HANGUL}]{{2,4}})(?=님|[ ]씨)"  # "아저씨" (uncle) has no space
    rf"|(?P<zh_title>[{_HAN}]{{1,3}})(?=先生|女士|小姐)"
    r"|(?:客户|顾客|姓名|联系人|收件人|收货人|患者|用户|员工|申请人)[\uff1a:]?[ \t]?"
    rf"(?P<zh>[{_HAN}]{{2,3}})"
)
# Words that such an honorific or label also follows, which name no one: "お客様" is caught
# by the two-character minimum; these are longer ("担当者様", "고객님", "各位先生").
_CJK_NOT_NAMES = frozenset(
    [
        "担当者",
        "担当",
        "関係者",
        "利用者",
        "会員",
        "顧客",
        "代表者",
        "責任者",
        "購入者",
        "申込者",
        "契約者",
        "入居者",
        "予約者",
        "皆",
        "皆さん",
        "各位",
        "お客",
        "患者",
        "学生",
        "先輩",
        "後輩",
        "社長",
        "部長",
        "課長",
        "店長",
        "医師",
        "고객",
        "회원",
        "선생",
        "사장",
        "부장",
        "과장",
        "팀장",
        "여러분",
        "학생",
        "환자",
        "기사",
        "老师",
        "医生",
        "经理",
        "总监",
    ]
)
# What follows a two-ideograph name after a label and is no part of it.
_ZH_AFTER_NAME = (
    "的",
    "电话",
    "手机",
    "邮箱",
    "地址",
    "订单",
    "先生",
    "女士",
    "在",
    "是",
    "和",
    "说",
)


class CjkNameRecognizer:
    """Names written in Chinese, Japanese or Korean script, by the honorific after them or
    the label before them: "佐藤美咲様", "김민준님", "王先生", "客户王丽娜电话"; not a role
    ("担当者様", "고객님"). Such scripts have no spaces: the name's extent comes from the
    honorific and a name's usual length (two to four characters)."""

    name = "CjkNameRecognizer"
    entity = "PERSON"

    def find(self, text: str) -> Iterator[Detection]:
        if _UNSPACED_CJK.search(text) is None:
            return
        for match in _CJK_NAME.finditer(text):
            group = next(g for g in ("ja", "ko", "zh_title", "zh") if match.group(g))
            start, end = match.span(group)
            if group == "zh" and text.startswith(_ZH_AFTER_NAME, start + 2):
                end = start + 2  # "李娜的订单": the name is two ideographs
            if text[start:end] in _CJK_NOT_NAMES or text[start:end].endswith(("者", "員")):
                continue
            yield Detection(start, end, self.entity, 0.6, self.name)


_UNSPACED_CJK = re.compile(rf"[{_HAN}{_KATAKANA}{_HANGUL}]")


_LINE_END = re.compile(r"[ \t]*+(?:\n|$)")


def _alone_on_its_line(text: str, start: int, end: int) -> bool:
    """Whether only spaces and tabs stand between ``text[start:end]`` and its line's ends
    (each side read over its own run of blanks only: linear over a text of many)."""
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    return (before == 0 or text[before - 1] == "\n") and _LINE_END.match(text, end) is not None


def _bare(word: str) -> str:
    """``word`` without its accents."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=8)
def _plain_words(language: str) -> frozenset[str]:
    """The words of English and of ``language`` never used as names, without accents."""
    return frozenset(_bare(word) for code in {"en", language} for word in lexicon(code).plain)


# --- dates written with a month name ------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_TEXT_DATE = re.compile(
    rf"(?<![\w])(?:"
    rf"(?i:{_MONTH})[ \t]+{_DAY}(?:,?[ \t]+(?:1[89]|20)[0-9]{{2}})?"  # Feb 12, 1959
    rf"|{_DAY}(?:[ \t]++of)?[ \t]++(?i:{_MONTH})(?:,?[ \t]+(?:1[89]|20)[0-9]{{2}})?"  # 12 Feb 1959
    rf"|(?i:{_MONTH})[ \t]+(?:1[89]|20)[0-9]{{2}}"  # March 2024
    rf"|{_DAY}-(?i:{_MONTH})-(?:(?:1[89]|20)[0-9]{{2}}|[0-9]{{2}})"  # 22-nov-1972, 3-Mar-90
    rf")(?![\w])"
)
# Days of the week in full: "Sun 1st place", "Sat 2nd" are not dates often enough.
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# A day of the week and a day of the month with its ordinal suffix: "Friday 7th",
# "monday the 3rd of March". Without the suffix, "Friday 7" may be a time.
_WEEKDAY_DATE = re.compile(
    rf"(?<![\w])(?i:{_WEEKDAY}),?[ \t]++(?:(?i:the)[ \t]++)?"
    rf"(?:[12][0-9]|3[01]|0?[1-9])(?i:st|nd|rd|th)"
    rf"(?:[ \t]++(?:(?i:of)[ \t]++)?(?i:{_MONTH})(?:,?[ \t]++(?:1[89]|20)[0-9]{{2}})?)?"
    rf"(?![\w])"
)
_DASHED_DATE = re.compile(r"\d{1,2}-[^\W\d_]++-\d{2,4}")
# Chinese and Japanese dates: "2025年4月3日", "1990年3月".
_CJK_DATE = re.compile(
    r"(?<![0-9])(?:1[89]|20)[0-9]{2}年(?:1[0-2]|0?[1-9])月(?:(?:[12][0-9]|3[01]|0?[1-9])日)?"
)


class TextDateRecognizer:
    """Dates written with a month name: "Feb 12, 1959", "12th of March 2020", "March 2024",
    "22-nov-1972"; a day of the week with an ordinal day ("Friday 7th", "monday 3rd
    march"); Chinese and Japanese dates ("2025年4月3日").
    A month name must be capitalised unless a day and a year come with it, so "may 5" in
    prose ("you may 5 times …") is not a date."""

    name = "TextDateRecognizer"
    entity = "DATE_TIME"

    def find(self, text: str) -> Iterator[Detection]:
        if not has_digit(text):
            return
        for match in _TEXT_DATE.finditer(text):
            value = match.group()
            month = re.search(r"[^\W\d_]{3,}", value)
            dashed = _DASHED_DATE.fullmatch(value) is not None  # "22-nov-1972"
            if (month is None or not month.group()[0].isupper()) and not dashed:
                continue
            yield Detection(match.start(), match.end(), self.entity, 0.6, self.name)
        for pattern in (_WEEKDAY_DATE, _CJK_DATE):
            for match in pattern.finditer(text):
                yield Detection(match.start(), match.end(), self.entity, 0.6, self.name)


# --- organisations by their legal or trade suffix -----------------------------------------

# Legal forms of companies in many countries, and trade words that end a company's name.
# One list: the engine reads it too (a PERSON span right before one is a company's start).
_LEGAL_FORMS = "|".join(
    sorted(
        (
            # English-speaking countries, India, Brazil and Portugal
            r"Inc", r"Incorporated", r"LLC", r"L\.L\.C", r"LLP", r"L\.L\.P", r"Ltd", r"Limited",
            r"Ltda", r"Pvt\.?[ \t]?Ltd", r"Pty", r"PLC", r"plc", r"Corp", r"Corporation", r"Co",
            r"Company", r"Co-op", r"Cooperative",
            # German-speaking countries
            r"GmbH", r"gGmbH", r"mbH", r"AG", r"KG", r"KGaA", r"OHG", r"GbR", r"UG", r"e\.K",
            r"e\.V", r"eG", r"SE",
            # France, Belgium, Luxembourg, Switzerland
            r"SA", r"S\.A", r"S\.A\.U", r"SAS", r"S\.A\.S", r"SARL", r"Sàrl", r"S\.à[ \t]?r\.l",
            r"EURL", r"SNC", r"SCI",
            # Italy
            r"SpA", r"S\.p\.A", r"Srl", r"S\.r\.l", r"srl", r"Snc", r"S\.n\.c", r"snc", r"Sas",
            r"S\.a\.s",
            # Spain
            r"SL", r"S\.L", r"SLU", r"S\.L\.U", r"SLL", r"S\.L\.L", r"SLNE", r"S\.L\.N\.E",
            r"S\.A\.T", r"S\.Coop",
            # the Netherlands and Belgium
            r"BV", r"B\.V", r"NV", r"N\.V", r"VOF", r"CV", r"BVBA",
            # the Nordic and Baltic countries, central Europe
            r"AB", r"ASA", r"AS", r"A/S", r"ApS", r"Oy", r"Oyj", r"OÜ", r"sp\.[ \t]z[ \t]o\.o",
            r"s\.r\.o", r"a\.s", r"d\.o\.o", r"Kft", r"Zrt",
        ),
        key=len,
        reverse=True,  # longest first: "S.A.S" before "S.A", "Co-op" before "Co"
    )
)  # fmt: skip
_ORG_SUFFIXES = (
    rf"{_LEGAL_FORMS}|Group|Holdings|"
    r"Enterprises|Industries|Technologies|Technology|Labs|Laboratories|Solutions|Partners|"
    r"Systems|Consulting|Traders|Trading|Ventures|Capital|Bank|Insurance|Foundation|"
    r"Associates|Logistics|Pharmaceuticals|Media|Networks|Software|Studios"
)
# A suffix, possibly several in a row: "Pvt. Ltd.", "GmbH & Co. KG", "Co., Ltd.".
_ORG_SUFFIX_RUN = re.compile(
    rf"(?<=[ \t,])(?:{_ORG_SUFFIXES})\.?"
    rf"(?:(?:[ \t]*+,)?[ \t]++(?:&[ \t]++Co\.?[ \t]++)?(?:{_LEGAL_FORMS})\.?){{0,2}}(?![\w])"
)
_ORG_SUFFIX_WORD = re.compile(rf"(?:{_ORG_SUFFIXES})\.?")
# Abbreviations keep their period ("Acme Inc."); a word does not ("Globex Group.").
_ABBREVIATED_SUFFIXES = frozenset(["Inc", "Ltd", "Ltda", "Corp", "Co", "Pty", "Kft", "Zrt"])
# Abbreviations that may stand inside a name ("Smith Bros. Ltd", "St. Ives Co").
_ORG_ABBREVIATIONS = frozenset(["Bros", "St", "Dr", "Gebr", "Ing", "Cie", "Fr", "Mfg", "Intl"])
# Joining words inside a name, written in lower case: "Wiśniewski i Syn", "Perrin & Fils",
# "Smith, Jones and Brown". Prepositions ("de", "von", "di") are not: "Ana Ruiz de Acme
# S.L." is as often a person of a company as a company's name.
_ORG_JOINS = frozenset(["&", "and", "und", "et", "e", "i", "y", "och", "og", "en"])
_NOT_ORG_START = frozenset(
    ["The", "A", "An", "Our", "My", "Your", "Their", "His", "Her", "This", "That", "At", "In",
     "For", "From", "With", "By", "To", "Of", "On", "And", "Or", "Dear", "Hi", "Hello", "Thanks",
     "Bonjour", "Hallo", "Hola", "Ciao", "Hoi", "Liebe", "Lieber", "Sehr", "Chère", "Cher",
     "Gentile", "Estimado", "Estimada", "Beste", "Geachte"]
)  # fmt: skip
# Words of a company's name: at most this many before its suffix.
_ORG_MAX_WORDS = 6
_ORG_LOOKBACK = 160  # characters read back from a suffix for its name
# A word of the name: letters (any script), digits, "&", apostrophes, inner dots and hyphens.
_ORG_TOKEN = re.compile(r"[^\s,;:|()\[\]{}<>\"“”«»„]++")
_SENTENCE_END = tuple(".!?")


class OrganizationRecognizer:
    """Company names ending in a legal form or a trade word: "Globex Corporation", "Acme
    Inc.", "Smith, Jones and Brown LLC", "Reformas Levante S.L.", "Wieland IT-Service e.K.",
    "Wiśniewski i Syn sp. z o.o.", "Vriddhi Textiles Pvt. Ltd.", "Kremer & Weis S.à r.l.".

    The name is read back from the suffix, on its line, over at most six words: capitalised
    words and the joining words between them ("i", "y", "de", "&"); it stops at a lower-case
    word, at the end of the sentence or clause before it, at a comma (unless "and" or "&"
    follows: a list of partners), and drops a capitalised determiner, preposition or
    greeting at its start ("The", "Der", "Hallo"). Scored above spaCy's guesses, which
    often take such names for people."""

    name = "OrganizationRecognizer"
    entity = "ORGANIZATION"

    def __init__(self) -> None:
        from pii_mapper.language import function_words

        self._function_words = function_words()

    def find(self, text: str) -> Iterator[Detection]:
        previous = 0  # a name never reaches back over the legal form of the company before
        for match in _ORG_SUFFIX_RUN.finditer(text):
            start = self._name_start(text, match.start(), previous)
            previous = match.end()
            if start is None:
                continue
            if match.group().split()[0] == "AS" and text[start : match.start()].isupper():
                continue  # "SUCH AS THIS": English in capitals, not a Norwegian company
            end = match.end()
            # "Acme Inc." keeps the period of its abbreviation; "Globex Group." does not.
            last = match.group().rstrip(".").split()[-1]
            if text[end - 1] == "." and "." not in last and last not in _ABBREVIATED_SUFFIXES:
                end -= 1
            yield Detection(start, end, self.entity, 0.9, self.name)

    def _name_start(self, text: str, suffix: int, floor: int = 0) -> int | None:
        """Where the name before the suffix at ``suffix`` starts (not before ``floor``), or
        None without one."""
        line = max(floor, text.rfind("\n", max(0, suffix - _ORG_LOOKBACK), suffix) + 1)
        lowest = max(line, suffix - _ORG_LOOKBACK)
        tokens = [
            (t.group(), t.start(), t.end()) for t in _ORG_TOKEN.finditer(text, lowest, suffix)
        ]
        if lowest > line and tokens:
            tokens = tokens[1:]  # may be cut
        words: list[tuple[str, int]] = []
        joined = False  # an "and" or "&" seen: commas separate partners
        following = suffix  # where the word after the current one starts
        for word, start, end in reversed(tokens):
            gap = text[end:following]
            following = start
            if gap.strip(" \t,") or (words and "," in gap and not joined):
                break  # "Operations, Vriddhi Textiles", "Ref: Acme": a clause before the name
            if word.endswith(_SENTENCE_END) and word.rstrip(".") not in _ORG_ABBREVIATIONS:
                break  # the end of the sentence before
            if word in _ORG_JOINS:
                joined = True
            elif not word[:1].isupper():
                break
            words.append((word, start))
            if sum(w not in _ORG_JOINS for w, _ in words) == _ORG_MAX_WORDS:
                break
        words.reverse()
        while words and (
            words[0][0] in _ORG_JOINS
            or words[0][0] in _NOT_ORG_START
            or words[0][0].casefold() in self._function_words
        ):
            words = words[1:]
        if all(w in _ORG_JOINS or _ORG_SUFFIX_WORD.fullmatch(w) for w, _ in words):
            return None  # "AG AG", "Ltd Co": suffixes without a name
        return words[0][1]
