"""The evaluation corpora, tuning families (benchmarks.corpus) and held-out families
(benchmarks.heldout): exact gold offsets, determinism, coverage, checksums, the split; and the
accuracy scorer's arithmetic on hand-made cases. No spaCy: predictions are given."""

from __future__ import annotations

import json
import os
import string
import subprocess
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import phonenumbers
import pytest

from benchmarks import accuracy, heldout
from benchmarks.accuracy import ANY, pii_mapper_predictor, predict, render_table, score
from benchmarks.corpus import (
    FAMILIES,
    SLOTS,
    TEMPLATES,
    Conversation,
    GoldSpan,
    Message,
    NegativeSpan,
    bitcoin_valid,
    dea_valid,
    generate,
    iban_valid,
    itin_valid,
    luhn_valid,
    main,
    nhs_valid,
    read_jsonl,
    ssn_valid,
)
from benchmarks.handwritten import PLANNED_ENTITIES
from pii_mapper import PiiMapper
from pii_mapper.detection import Detection, StaticDetector
from pii_mapper.entities import CATALOGUE, GENERIC_ENTITY

SEED = 11


@cache
def corpus() -> tuple[Conversation, ...]:
    return tuple(generate(SEED, 40))


def messages() -> list[Message]:
    return [m for c in corpus() for m in c.messages]


# --- corpus -------------------------------------------------------------------------------


def test_spans_rebuild_the_template_exactly() -> None:
    """Putting ``{slot}`` back at every gold and negative span gives the template's text:
    the offsets are exactly where the values were inserted, nothing more, nothing less."""
    for message in messages():
        spans = sorted(
            [(s.start, s.end, s.slot) for s in message.spans]
            + [(n.start, n.end, n.slot) for n in message.negatives]
        )
        rebuilt, cursor = [], 0
        for start, end, slot in spans:
            assert cursor <= start < end <= len(message.content)
            rebuilt += [message.content[cursor:start], "{" + slot + "}"]
            cursor = end
        rebuilt.append(message.content[cursor:])
        assert "".join(rebuilt) == TEMPLATES[message.template][1]


def test_gold_values_have_no_stray_edges_or_titles() -> None:
    for message in messages():
        for span in message.spans:
            value = message.content[span.start : span.end]
            assert value == value.strip(), span
            assert SLOTS[span.slot].entity == span.entity
            if span.entity == "PERSON":
                first_word = value.split()[0].casefold()
                assert first_word not in {"dr.", "mr.", "ms.", "mrs.", "hi", "hello"}, span
                assert not value.endswith((",", ".")), span


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    assert generate(SEED, 40) == list(corpus())
    assert generate(SEED + 1, 40) != list(corpus())


def test_every_catalogue_type_and_negative_kind_is_present() -> None:
    entities = {s.entity for m in messages() for s in m.spans}
    assert entities == set(CATALOGUE) - {GENERIC_ENTITY}
    kinds = {n.kind for m in messages() for n in m.negatives}
    assert kinds == {"relative_date", "acronym", "order_code", "number", "version"}


def test_hard_positives_are_present() -> None:
    contents = [m.content for m in messages()]
    slots = {s.slot for m in messages() for s in m.spans}
    assert {"first_lower", "phone_intl", "address_uk", "address_eu", "bearer"} <= slots
    assert any("Thanks,\n" in text for text in contents)
    multiline = [
        m.content[s.start : s.end] for m in messages() for s in m.spans if s.slot == "address_us"
    ]
    assert multiline
    assert all("\n" in address for address in multiline)


def test_negatives_never_overlap_gold() -> None:
    for message in messages():
        for negative in message.negatives:
            for span in message.spans:
                assert negative.end <= span.start or span.end <= negative.start


def test_conversations_alternate_roles() -> None:
    for conversation in corpus():
        assert 2 <= len(conversation.messages) <= 6
        roles = [m.role for m in conversation.messages]
        assert roles == ["user" if i % 2 == 0 else "assistant" for i in range(len(roles))]


CHECKS = {
    "CREDIT_CARD": luhn_valid,
    "IBAN_CODE": iban_valid,
    "UK_NHS": nhs_valid,
    "US_SSN": ssn_valid,
    "US_ITIN": itin_valid,
    "MEDICAL_LICENSE": dea_valid,
    "CRYPTO": bitcoin_valid,
}


def test_checksummed_values_are_valid() -> None:
    seen = set()
    for message in messages():
        for span in message.spans:
            value = message.content[span.start : span.end]
            if span.entity in CHECKS:
                assert CHECKS[span.entity](value), span
                seen.add(span.entity)
            if span.entity == "PHONE_NUMBER":
                parsed = phonenumbers.parse(value, "US")
                assert phonenumbers.is_valid_number(parsed), span
    assert seen == set(CHECKS)


@pytest.mark.parametrize(
    ("check", "valid", "invalid"),
    [
        (luhn_valid, "4111 1111 1111 1111", "4111 1111 1111 1112"),
        (iban_valid, "GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 33"),
        (nhs_valid, "943 476 5919", "943 476 5918"),
        (ssn_valid, "219-09-9999", "666-09-9999"),
        (itin_valid, "912-70-1234", "912-69-1234"),
        (dea_valid, "AB1234563", "AB1234564"),
        (bitcoin_valid, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"),
        (
            bitcoin_valid,
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp",
        ),
    ],
)
def test_validators_accept_known_good_and_reject_one_changed_character(
    check: Callable[[str], bool], valid: str, invalid: str
) -> None:
    assert check(valid) is True
    assert check(invalid) is False


def test_cli_writes_jsonl_that_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "corpus.jsonl"
    assert main(["--seed", str(SEED), "--conversations", "5", "-o", str(out)]) == 0
    assert "5 conversations" in capsys.readouterr().out
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    assert json.loads(lines[0])["id"] == f"conv-{SEED}-00000"
    assert list(read_jsonl(out)) == generate(SEED, 5)


# --- scorer -------------------------------------------------------------------------------


def conversation(
    text: str,
    gold: Sequence[tuple[int, int, str]],
    negatives: Sequence[tuple[int, int, str]] = (),
) -> Conversation:
    spans = tuple(GoldSpan(s, e, entity, "t", entity.lower()) for s, e, entity in gold)
    negs = tuple(NegativeSpan(s, e, kind, "t", kind) for s, e, kind in negatives)
    return Conversation("c", (Message("user", text, "t", spans, negs),))


def det(start: int, end: int, entity: str) -> Detection:
    return Detection(start, end, entity, 1.0)


TEXT = "Call John Smith tomorrow at john@mail.com"
#       0    5    10   15   20   25   30   35   40
GOLD = [(5, 15, "PERSON"), (28, 41, "EMAIL_ADDRESS")]


def test_exact_predictions_score_perfectly() -> None:
    result = score(
        [conversation(TEXT, GOLD)], [[[det(5, 15, "PERSON"), det(28, 41, "EMAIL_ADDRESS")]]]
    )
    for name in ("PERSON", "EMAIL_ADDRESS", ANY):
        row = result.entities[name]
        assert (row.precision, row.recall, row.f1, row.leak) == (1.0, 1.0, 1.0, 0.0)
    assert result.any.gold == 2
    assert result.any.gold_chars == 9 + 13  # the space inside the name does not count


def test_partial_cover_is_found_but_leaks_the_rest() -> None:
    result = score([conversation(TEXT, GOLD)], [[[det(5, 9, "PERSON")]]])
    person = result.entities["PERSON"]
    assert (person.recall, person.precision) == (1.0, 1.0)
    assert (person.leaked_chars, person.gold_chars) == (5, 9)  # "Smith"
    assert result.entities["EMAIL_ADDRESS"].recall == 0.0
    assert result.any.leaked_chars == 5 + 13
    assert result.any.leak == pytest.approx(18 / 22)
    [top, second] = result.top_leaks()
    assert (top.slot, top.spans_missed, second.slot, second.spans_missed) == (
        "email_address",
        1,
        "person",
        0,
    )


def test_wrong_type_counts_for_any_pii_not_for_the_type() -> None:
    result = score([conversation(TEXT, GOLD)], [[[det(5, 15, "ORGANIZATION")]]])
    assert result.entities["PERSON"].recall == 0.0
    assert result.entities["ORGANIZATION"].precision == 0.0
    assert result.entities["ORGANIZATION"].f1 is None  # no ORGANIZATION gold: no recall
    assert result.any.gold_found == 1
    assert result.any.predicted_correct == 1
    assert result.entities["PERSON"].leaked_chars == 0  # covered, whatever the type
    assert result.confusions == {("PERSON", "ORGANIZATION"): 1}


def test_synonyms_are_mapped_before_scoring() -> None:
    result = score([conversation(TEXT, GOLD)], [[[det(5, 15, "PER")]]])
    assert result.entities["PERSON"].recall == 1.0
    assert "PER" not in result.entities


def test_false_positives_on_hard_negatives_and_email_domains() -> None:
    case = conversation(TEXT, GOLD, negatives=[(16, 24, "relative_date")])
    preds = [det(16, 24, "DATE_TIME"), det(33, 41, "URL"), det(0, 4, "PERSON")]
    result = score([case], [[preds]])
    negative = result.negatives["relative_date"]
    assert (negative.spans, negative.spans_flagged, negative.chars, negative.flagged_chars) == (
        1,
        1,
        8,
        8,
    )
    assert result.email_domain_as_url == 1
    assert result.entities["DATE_TIME"].precision == 0.0
    assert result.entities["PERSON"].precision == 0.0  # "Call" overlaps no gold
    assert result.any.predicted == 3
    assert result.any.predicted_correct == 1  # only the URL inside the e-mail overlaps gold
    assert result.any.leaked_chars == 9 + 13 - 8


def test_scores_add_up_over_messages() -> None:
    one = conversation(TEXT, GOLD)
    two = Conversation("c2", one.messages * 2)
    preds = [det(5, 15, "PERSON")]
    single = score([one], [[preds]])
    double = score([two], [[preds, []]])
    assert double.any.gold == 2 * single.any.gold
    assert double.entities["PERSON"].recall == 0.5
    assert double.any.leaked_chars == single.any.leaked_chars + single.any.gold_chars


def test_merged_folds_overlaps_like_pii_mapper() -> None:
    raw = [det(28, 41, "EMAIL_ADDRESS"), Detection(33, 41, "URL", 0.5), det(5, 9, "PERSON")]
    folded = accuracy.merged(raw)
    assert [(d.start, d.end, d.entity) for d in folded] == [
        (5, 9, "PERSON"),
        (28, 41, "EMAIL_ADDRESS"),
    ]
    case = [conversation(TEXT, GOLD)]
    assert score(case, [[folded]]).any.leaked_chars == score(case, [[raw]]).any.leaked_chars


def test_predict_rejects_a_predictor_that_skips_messages() -> None:
    with pytest.raises(ValueError, match="1 prediction lists for 2 messages"):
        predict([Conversation("c", conversation(TEXT, GOLD).messages * 2)], lambda c: [[]])


def test_pii_mapper_predictor_reports_history_and_message_spans_at_original_offsets() -> None:
    history = Message("user", "I am John Smith.", "t")
    last = Message("assistant", "Hello John Smith, <PERSON_1> is fine", "t")
    mapper = PiiMapper(detector=StaticDetector({"John Smith": "PERSON"}))
    [found] = predict([Conversation("c", (history, last))], pii_mapper_predictor(mapper))
    assert [(d.start, d.end, d.entity) for d in found[0]] == [(5, 15, "PERSON")]
    assert [(d.start, d.end, d.entity) for d in found[1]] == [(6, 16, "PERSON")]


def test_the_table_shows_each_system_and_the_any_row() -> None:
    case = [conversation(TEXT, GOLD)]
    systems = {
        "good": score(case, [[[det(5, 15, "PERSON"), det(28, 41, "EMAIL_ADDRESS")]]]),
        "half": score(case, [[[det(5, 15, "PERSON")]]]),
    }
    table = render_table(systems)
    any_row = next(line for line in table.splitlines() if line.startswith(ANY))
    assert any_row.split() == (
        f"{ANY} 2 | 100.0 100.0 100.0 100.0 0.0 | 100.0 100.0 50.0 66.7 {100 * 13 / 22:.1f}".split()
    )
    assert "good" in table
    assert "half" in table


def test_all_slots_are_used_by_some_template() -> None:
    used = {
        name
        for _, text in TEMPLATES.values()
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }
    assert used == set(SLOTS)
    assert accuracy.ENTITY_SYNONYMS["ORG"] == "ORGANIZATION"


def test_character_precision_counts_flagged_characters_outside_gold() -> None:
    # "Call John Smith" flagged as one PERSON: 13 non-space characters, 9 of them the name.
    result = score([conversation(TEXT, GOLD)], [[[det(0, 15, "PERSON")]]])
    person = result.entities["PERSON"]
    assert (person.predicted_chars, person.predicted_chars_correct) == (13, 9)
    assert person.char_precision == pytest.approx(9 / 13)
    assert person.precision == 1.0  # the span overlaps the name: correct at span level
    # Flagging the name as an ORGANIZATION is right for ANY, wrong for the type.
    wrong = score([conversation(TEXT, GOLD)], [[[det(5, 15, "ORGANIZATION")]]])
    assert wrong.entities["ORGANIZATION"].char_precision == 0.0
    assert wrong.any.char_precision == 1.0


def test_worst_misses_name_the_span_and_its_text() -> None:
    two = Conversation("c2", conversation(TEXT, GOLD).messages * 2)
    result = score([two], [[[det(5, 9, "PERSON")], [det(5, 15, "PERSON")]]])
    assert [
        (m.id, m.entity, m.start, m.end, m.text, m.leaked_chars, m.chars)
        for m in result.worst_misses()
    ] == [
        ("c2#0", "EMAIL_ADDRESS", 28, 41, "john@mail.com", 13, 13),
        ("c2#1", "EMAIL_ADDRESS", 28, 41, "john@mail.com", 13, 13),
        ("c2#0", "PERSON", 5, 15, "John Smith", 5, 9),
    ]  # whole misses first, then partial ones


# --- families and the held-out split -------------------------------------------------------


def test_every_tuning_template_is_in_exactly_one_family() -> None:
    listed = [name for names in FAMILIES.values() for name in names]
    assert sorted(listed) == sorted(TEMPLATES)


def test_held_out_families_share_no_template_or_family_name_with_tuning() -> None:
    held = {name for family in heldout.FAMILIES.values() for name in family.templates}
    assert not held & set(TEMPLATES)
    assert not set(heldout.FAMILIES) & set(FAMILIES)


@cache
def held_corpus() -> tuple[Conversation, ...]:
    return tuple(heldout.generate(SEED, 6 * len(heldout.FAMILIES)))


def _template_with_fields(text: str) -> str:
    """The template as rendered with every value replaced by ``{field}`` (literal braces
    of JSON templates are written doubled in the source)."""
    return "".join(
        literal + ("{" + name + "}" if name is not None else "")
        for literal, name, _, _ in string.Formatter().parse(text)
    )


def test_held_out_spans_rebuild_the_template_exactly() -> None:
    for conv in held_corpus():
        family = heldout.FAMILIES[heldout.family_of(conv.messages[0].template)]
        for message in conv.messages:
            spans = sorted(
                [(s.start, s.end, s.slot) for s in message.spans]
                + [(n.start, n.end, n.slot) for n in message.negatives]
            )
            rebuilt, cursor = [], 0
            for start, end, slot in spans:
                assert cursor <= start < end <= len(message.content)
                rebuilt += [message.content[cursor:start], "{" + slot + "}"]
                cursor = end
            rebuilt.append(message.content[cursor:])
            expected = _template_with_fields(heldout.template_text(message.template))
            if family.case:  # the case change applies to the literal text too
                assert "".join(rebuilt).casefold() == expected.casefold()
            else:
                assert "".join(rebuilt) == expected
            assert message.lang == family.lang


def test_held_out_generation_covers_families_languages_and_planned_types() -> None:
    families = {heldout.family_of(c.messages[0].template) for c in held_corpus()}
    assert families == set(heldout.FAMILIES)
    langs = {m.lang for c in held_corpus() for m in c.messages}
    assert langs == {"en", "fr", "de", "es", "it", "nl"}
    entities = {s.entity for c in held_corpus() for m in c.messages for s in m.spans}
    assert {"FR_NIR", "DE_TAX_ID", "ES_NIF", "IT_FISCAL_CODE", "NL_BSN", "UK_NINO"} <= entities
    assert entities <= set(CATALOGUE) | PLANNED_ENTITIES
    assert heldout.generate(SEED, 5) == list(held_corpus()[:5])
    assert heldout.generate(SEED + 1, 5) != list(held_corpus()[:5])


def test_held_out_values_are_clean_and_checksums_hold() -> None:
    for conv in held_corpus():
        for message in conv.messages:
            for span in message.spans:
                value = message.content[span.start : span.end]
                assert value == value.strip(), (conv.id, span)
                if span.entity == "IBAN_CODE":
                    assert iban_valid(value), (conv.id, span)
                if span.entity == "CREDIT_CARD":
                    assert luhn_valid(value), (conv.id, span)
                if span.entity == "FR_NIR":
                    digits = value.replace(" ", "")
                    assert 97 - int(digits[:13]) % 97 == int(digits[13:])
            for negative in message.negatives:
                for span in message.spans:
                    assert negative.end <= span.start or span.end <= negative.start


def test_case_families_are_written_in_one_case() -> None:
    for conv in held_corpus():
        family = heldout.FAMILIES[heldout.family_of(conv.messages[0].template)]
        for message in conv.messages:
            if family.case == "lower":
                assert message.content == message.content.lower()
            elif family.case == "upper":
                assert message.content == message.content.upper()


def test_multiline_international_addresses_are_one_location_span() -> None:
    addresses = [
        m.content[s.start : s.end]
        for c in held_corpus()
        for m in c.messages
        for s in m.spans
        if s.slot == "address"
    ]
    assert addresses
    assert all("\n" in address for address in addresses)


def test_handwritten_records_become_scorable_one_message_conversations(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_text(
        "### fr-001\nJe suis {{PERSON|Élodie Martin}}, à {{NOT|demain}}.\n", encoding="utf-8"
    )
    (tmp_path / "en.txt").write_text(
        "### en-001\nhi {{PERSON|ana}}\n\n### en-002\nno pii here\n", encoding="utf-8"
    )
    conversations = accuracy.handwritten_conversations(tmp_path)
    assert [c.id for c in conversations] == ["en-001", "en-002", "fr-001"]
    fr = conversations[2].messages[0]
    assert (fr.lang, fr.content[fr.spans[0].start : fr.spans[0].end]) == ("fr", "Élodie Martin")
    assert fr.negatives[0].kind == "handwritten"
    assert len(accuracy.handwritten_conversations(tmp_path, per_language=1)) == 2
    predictions = [[[det(3, 6, "PERSON")]], [[]], [[]]]
    per_language = accuracy.grouped(conversations, predictions, accuracy.language_of)
    assert per_language["en"].any.leak == 0.0
    assert per_language["fr"].any.leak == 1.0
    assert accuracy.family_of(conversations[0]) == "handwritten"


def test_handwritten_address_lines_are_joined_into_one_location(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text(
        "### en-001\nSend it to\n{{PERSON|Ann Lee}}\n{{LOCATION|14 Elm Road}},\n"
        "{{LOCATION|Leeds LS6 2AB}}\nand {{LOCATION|York}}, {{LOCATION|UK}}\n",
        encoding="utf-8",
    )
    [conv] = accuracy.handwritten_conversations(tmp_path)
    message = conv.messages[0]
    values = [(message.content[s.start : s.end], s.entity) for s in message.spans]
    assert values == [
        ("Ann Lee", "PERSON"),  # the name line stays a PERSON
        ("14 Elm Road,\nLeeds LS6 2AB", "LOCATION"),  # joined across the line break
        ("York", "LOCATION"),  # same line: two places, two spans
        ("UK", "LOCATION"),
    ]


def test_both_corpora_are_the_same_in_every_process() -> None:
    """Same seed, same text, whatever the hash seed (Faker keeps some lists in sets)."""
    script = (
        "import json; from benchmarks import corpus, heldout; print(json.dumps("
        f"[c.to_json() for c in heldout.generate({SEED}, 42) + corpus.generate({SEED}, 10)]))"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    here = [c.to_json() for c in heldout.generate(SEED, 42) + generate(SEED, 10)]
    assert json.loads(outputs[0]) == json.loads(json.dumps(here))
