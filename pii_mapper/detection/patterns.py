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

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pii_mapper.detection import Detection
from pii_mapper.detection.registry import (
    Recognizer,  # the protocol, defined once (re-exported here)
)

__all__ = [
    "CONTEXT_BOOST",
    "ApiKeyRecognizer",
    "CuedNameRecognizer",
    "EmailRecognizer",
    "IbanRecognizer",
    "IpRecognizer",
    "OrganizationRecognizer",
    "PasswordRecognizer",
    "PhoneRecognizer",
    "Recognizer",
    "RegexRecognizer",
    "TextDateRecognizer",
    "UrlRecognizer",
    "follows_version_cue",
    "has_context",
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

_EMAIL = re.compile(
    # Never starts inside a run of local-part characters: each run is read from its start
    # only, once (a start at every "!" of "!!!…!" would read the run again each time).
    r"(?<![\w.+\-!#$%&'*/=?^`{|}~])"
    r"[\w!#$%&'*+/=?^`{|}~\-]+(?:\.[\w!#$%&'*+/=?^`{|}~\-]+)*"
    r"@"
    r"(?P<domain>\w(?:[\w\-]*\w)?(?:\.\w(?:[\w\-]*\w)?)+)"
    r"(?![\w\-]|\.\w)"
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


class EmailRecognizer:
    """E-mail addresses whose domain ends in a known public suffix."""

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
                    if has_public_suffix(match.group("domain")):
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
    ]
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""


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

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")


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
                    ipaddress.IPv4Address(address)
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
    r"(?<![\w+\-./])"
    r"(?:\+|00)?\(?\d[\d\s().\-/]{5,22}\d"
    r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?"
    r"(?![\w]|[.\-/]\d)",
    re.IGNORECASE,
)
# Shapes that are something else: an SSN, an ISO or numeric date.
_NOT_A_PHONE = re.compile(
    r"\d{3}-\d{2}-\d{4}|\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d{1,2}[\-/.]\d{1,2}[\-/.]\d{2,4}"
    r"|\d{1,3}(?:\.\d{1,3}){3}"  # an IPv4 address
)
_PHONE_MAX_SCORE = 0.9
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IN", "CA", "AU", "IT", "ES", "NL", "IE", "BR", "IL")


class PhoneRecognizer:
    """Phone numbers: cheap candidates by pattern, each checked by ``phonenumbers``.

    A number written with ``+``/``00`` and a valid country code, or grouped as phone numbers
    are, scores 0.75; a bare run of digits that happens to be a valid number only 0.3 unless
    a context word ("call", "phone" …) is near.
    """

    name = "PhoneRecognizer"
    entity = "PHONE_NUMBER"
    context = _context_pattern(
        [
            "phone", "telephone", "tel", "cell", "mobile", "call", "text", "sms", "whatsapp",
            "fax", "reach", "ring", "dial", "landline",
        ]
    )  # fmt: skip

    def find(self, text: str) -> Iterator[Detection]:
        if not has_digit(text):
            return
        import phonenumbers

        for match in _PHONE_CANDIDATE.finditer(text):
            value = match.group()
            digits = sum(c.isdigit() for c in value)
            if not 7 <= digits <= 15:
                continue
            if _NOT_A_PHONE.fullmatch(value):
                continue
            start, end = match.span()
            context = has_context(self.context, text, start, end)
            region = self._valid_region(phonenumbers, value, everywhere=context)
            if region is None:
                continue
            grouped = value.startswith(("+", "00", "(")) or any(c in value for c in " -.()/")
            # Valid only under some other country's national plan: needs context.
            home = region in {"+", _PHONE_REGIONS[0]}
            score = (0.75 if grouped else 0.3) if home else 0.35
            if context:
                # Validity by numbering plan is not a checksum: a validated number of another
                # type (an NHS number, say) wins over a phone number on the same digits.
                score = min(_PHONE_MAX_SCORE, _boosted(score))
            yield Detection(start, end, self.entity, score, self.name)

    @staticmethod
    @lru_cache(maxsize=4096)
    def _valid_region(phonenumbers: Any, value: str, *, everywhere: bool) -> str | None:
        """The region where ``value`` is a valid number ("+" for an international one)."""
        international = value.startswith(("+", "00"))
        # Other countries' national plans only matter with a context word: without one, a
        # number valid only there would score too low to count anyway.
        regions = _PHONE_REGIONS if everywhere else _PHONE_REGIONS[:1]
        for region in ("ZZ",) if international else regions:
            candidate = "+" + value.lstrip("+")[2 if value.startswith("00") else 0 :]
            try:
                number = phonenumbers.parse(candidate if international else value, region)
            except phonenumbers.NumberParseException:
                continue
            if international:
                if phonenumbers.is_valid_number(number):
                    return "+"
            elif phonenumbers.is_valid_number_for_region(number, region):
                return region
        return None


# --- IBAN ---------------------------------------------------------------------------------

_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\w])", re.IGNORECASE)


class IbanRecognizer:
    """IBANs, with or without spaces, checked by country format and mod 97."""

    name = "IbanRecognizer"
    entity = "IBAN_CODE"

    def __init__(self) -> None:
        from presidio_analyzer.predefined_recognizers import IbanRecognizer as Presidio

        self._validate = Presidio().validate_result

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
    r"|eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"  # JWT
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]{0,8000}?-----END [A-Z ]*PRIVATE KEY-----"
    r")(?![\w\-])"
)
# A long random-looking token right after a cue such as "api key:", "token =", "Bearer".
_CUED_SECRET = re.compile(
    r"(?:api[ _\-]?key|apikey|access[ _\-]?key|secret(?:[ _\-]?key)?|auth[ _\-]?token|"
    r"access[ _\-]?token|token|bearer|client[ _\-]?secret)"
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


_PASSWORD = re.compile(
    r"(?:password|passwd|pwd|passphrase|passcode|pass\s?word|pin\s?code|kennwort|mot de passe)"
    r"(?:\s++(?:is(?:\s++now)?|was|now|(?:set|changed)\s++to|to|will\s++be))?\s*+[:=]?\s*+"
    r"(?P<quote>[\"'`])?(?P<secret>(?(quote)[^\s\"'`]{4,128}|[^\s]{4,128}))",
    re.IGNORECASE,
)
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


class PasswordRecognizer:
    """A password written right after a cue: ``password: hunter2!``, ``pwd=…``."""

    name = "PasswordRecognizer"
    entity = "PASSWORD"

    def find(self, text: str) -> Iterator[Detection]:
        lowered = text.casefold()
        if not any(cue in lowered for cue in ("pass", "pwd", "pin", "kennwort", "mot de")):
            return
        for match in _PASSWORD.finditer(text):
            secret = match.group("secret")
            if not match.group("quote"):
                secret = secret.rstrip(".,;:?)")
            if len(secret) < 4 or secret.casefold() in _COMMON_AFTER_CUE:
                continue
            start = match.start("secret")
            # A plain lowercase word after the cue is usually prose ("password manager").
            score = 0.85 if not secret.isalpha() or not secret.islower() else 0.45
            yield Detection(start, start + len(secret), self.entity, score, self.name)


# --- names after a cue --------------------------------------------------------------------

_NAME_WORD = r"[A-Z][a-z\u00df-\u00ff]+(?:[-'][A-Z][a-z\u00df-\u00ff]+)?"
_LOWER_WORD = r"[a-z\u00df-\u00ff]{2,}"
# A capitalised name (one to three words) after a greeting, a sign-off or an introduction.
_CUED_NAME = re.compile(
    r"(?i:(?<![\w])(?P<greeting>hi|hello|hey|dear|thanks|thank you|cheers|bye|morning|evening)"
    r"(?:[ \t]*+,)?[ \t]++"
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
    rf")(?![\w])"
)


class TextDateRecognizer:
    """Dates written with a month name: "Feb 12, 1959", "12th of March 2020", "March 2024".
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
            if month is None or not month.group()[0].isupper():
                continue
            yield Detection(match.start(), match.end(), self.entity, 0.6, self.name)


# --- organisations by their legal or trade suffix -----------------------------------------

_ORG_SUFFIXES = (
    r"Inc|Incorporated|LLC|L\.L\.C|LLP|Ltd|Limited|GmbH|AG|KG|SE|SA|S\.A|SAS|SARL|SpA|S\.p\.A|"
    r"BV|B\.V|NV|N\.V|AB|ASA|Oy|PLC|plc|Pty|Corp|Corporation|Co|Company|Group|Holdings|"
    r"Enterprises|Industries|Technologies|Technology|Labs|Laboratories|Solutions|Partners|"
    r"Systems|Consulting|Traders|Trading|Ventures|Capital|Bank|Insurance|Foundation|"
    r"Associates|Logistics|Pharmaceuticals|Media|Networks|Software|Studios"
)
_ORG_WORD = r"[A-Z][\w&'\-]*"
_ABBREVIATED_SUFFIXES = frozenset(["Inc", "Ltd", "Corp", "Co", "Pty", "S.A", "B.V", "N.V"])
_ORGANIZATION = re.compile(
    rf"(?<![\w])(?:{_ORG_WORD}(?:,?[ \t]+(?:&[ \t]+|and[ \t]+)?{_ORG_WORD}){{0,3}})"
    rf"[ \t,]+(?:{_ORG_SUFFIXES})\.?(?![\w])"
)
_NOT_ORG_START = frozenset(
    ["The", "A", "An", "Our", "My", "Your", "Their", "His", "Her", "This", "That", "At", "In",
     "For", "From", "With", "By", "To", "Of", "On", "And", "Or", "Dear", "Hi", "Hello", "Thanks"]
)  # fmt: skip


class OrganizationRecognizer:
    """Company names ending in a legal or trade suffix: "Globex Corporation", "Acme Inc.",
    "Smith, Jones and Brown LLC". Scored above spaCy's guesses, which often take such names
    for people."""

    name = "OrganizationRecognizer"
    entity = "ORGANIZATION"

    def find(self, text: str) -> Iterator[Detection]:
        for match in _ORGANIZATION.finditer(text):
            start, end = match.span()
            words = match.group().split()
            while words and words[0].strip(",") in _NOT_ORG_START:
                start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
                words = words[1:]
            if len(words) < 2:
                continue
            # "Acme Inc." keeps the period of its abbreviation; "Globex Group." does not.
            if text[end - 1] == "." and words[-1].rstrip(".") not in _ABBREVIATED_SUFFIXES:
                end -= 1
            yield Detection(start, end, self.entity, 0.9, self.name)
