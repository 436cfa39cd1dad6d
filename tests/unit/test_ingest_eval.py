"""The measured quality of ingest on tests/data/ingest: F1 per record type must not drop."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import RecordType
from bot.services.ingest.evaluate import (
    GROUPS,
    Score,
    Tally,
    cases,
    evaluate,
    load_expected,
    main,
    role_key,
    score_bundles,
)
from tests.conftest import reference_article

CORPUS = Path(__file__).resolve().parent.parent / "data" / "ingest"
REFERENCE_CASE = "13-pakistan-kazakhstan-2025-09-10"

# Record-level F1 (issue 12: type, title or sides, date and precision) reached on the whole
# corpus (23 texts), rounded down. The rules were
# developed on texts 01–13; 14–17, 18–20 and 21–23 were each written and annotated before the
# engine saw them, and scored first (person / meeting / plan / visit):
#   14–17: 0.91 / 0.80 / 0.82 / 0.20    18–20: 0.88 / 0.67 / 1.00 / 0.50
#   21–23: 0.92 / 0.75 / 0.83 / 0.83
# after which general fixes were made; these floors are therefore optimistic for unseen text.
REACHED = {
    RecordType.PERSON: 1.00,
    RecordType.MEETING: 0.98,
    RecordType.PLAN: 0.94,
    RecordType.VISIT: 0.98,
    RecordType.SOURCE: 1.00,
}
TARGET = 0.85  # issue 7: F1 >= 0.85 for every record type

# The second set (issue 12): tests/data/ingest2/tune was tuned on, tests/data/ingest2/heldout
# never was. First sight of both is in tests/data/ingest2/FIRST_SIGHT.md. Floors are the
# figures measured after tuning, rounded down.
SECOND = Path(__file__).resolve().parent.parent / "data" / "ingest2"
TUNED = {
    RecordType.PERSON: 1.00,
    RecordType.MEETING: 0.93,
    RecordType.PLAN: 0.96,
    RecordType.VISIT: 0.92,
    RecordType.SOURCE: 1.00,
}
# Held out: measured after each round of tuning, never read text by text. The goal was 0.80
# for meetings, plans and visits; it is not reached (see the README's ingest section for what
# the engine misses there). The last round (lists of texts split by their fields) cost the
# held-out part two extra plans: 0.73 -> 0.71, dates 0.91 -> 0.89.
HELD_OUT = {
    RecordType.PERSON: 0.97,
    RecordType.MEETING: 0.65,
    RecordType.PLAN: 0.71,
    RecordType.VISIT: 0.75,
    RecordType.SOURCE: 1.00,
}
HELD_OUT_FIELDS = {"dates": 0.89, "parties": 0.89, "status": 0.97, "signatories": 0.66}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The texts of our own plus the reference article, read from the shared folder."""
    folder = tmp_path_factory.mktemp("ingest")
    for path in CORPUS.iterdir():
        shutil.copy(path, folder / path.name)
    (folder / f"{REFERENCE_CASE}.txt").write_text(reference_article(), "utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus_score(corpus: Path) -> Score:
    total, _ = evaluate([corpus])
    return total


def test_corpus_has_the_reference_and_twelve_texts_of_our_own(corpus: Path) -> None:
    found = cases([corpus])
    names = [text.name for text, _ in found]
    assert f"{REFERENCE_CASE}.txt" in names
    assert len(found) >= 13
    assert len(list(corpus.glob("*.txt"))) == len(found)  # every text has its expected records
    # Every text kept in the repository is the project's own; the article is not among them.
    assert not (CORPUS / f"{REFERENCE_CASE}.txt").exists()


@pytest.mark.parametrize("expected", sorted(CORPUS.glob("*.expected.json")), ids=lambda p: p.stem)
def test_expected_records_are_valid_export_schema(expected: Path) -> None:
    bundle = load_expected(expected)
    assert len(bundle.sources) == 1
    assert bundle.meetings or bundle.plans or bundle.visits


@pytest.mark.parametrize("kind", list(REACHED), ids=lambda k: k.value)
def test_f1_per_record_type_does_not_drop(corpus_score: Score, kind: RecordType) -> None:
    f1 = corpus_score.tally(kind).f1
    assert f1 >= REACHED[kind], f"{kind.value} F1 fell to {f1:.3f} (reached {REACHED[kind]})"
    assert f1 >= TARGET


def test_a_bundle_scores_perfectly_against_itself() -> None:
    expected = load_expected(CORPUS / "13-pakistan-kazakhstan-2025-09-10.expected.json")
    score = score_bundles(expected, expected)
    assert all(tally.f1 == 1.0 for tally in score.records.values())
    assert all(tally.f1 == 1.0 for tally in score.fields.values())


def test_a_missing_visit_and_a_wrong_precision_are_counted() -> None:
    expected = load_expected(CORPUS / "13-pakistan-kazakhstan-2025-09-10.expected.json")
    proposed = dataclasses.replace(expected, visits=list(expected.visits[:2]))
    first = proposed.visits[0]
    proposed.visits[0] = dataclasses.replace(first, date=FuzzyDate.month(2025, 9))
    score = score_bundles(proposed, expected)
    visits = score.tally(RecordType.VISIT)
    # Record-level: the visit read to the month is not the visit of 2025-09-09.
    assert (visits.proposed, visits.expected, visits.correct) == (2, 3, 1)
    loose = score.loose_tally(RecordType.VISIT)
    assert (loose.proposed, loose.expected, loose.correct) == (2, 3, 2)
    assert score.field("visit.date").correct == 1  # 2025-09 is not the day 2025-09-09


def test_offices_compare_without_their_country() -> None:
    assert role_key("President of Kazakhstan") == role_key("President") == "president"
    assert role_key("Kazakh Foreign Minister") == "foreign minister"


def test_the_command_prints_the_table(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(corpus / f"{REFERENCE_CASE}.txt")]) == 0
    out = capsys.readouterr().out
    assert "Records (1 texts;" in out
    for label in ("person", "meeting", "plan", "visit", "plan.fields", "dates", "status"):
        assert label in out


@pytest.fixture(scope="module")
def tuned_score() -> Score:
    total, _ = evaluate([SECOND / "tune"])
    return total


@pytest.fixture(scope="module")
def held_out_score() -> Score:
    total, _ = evaluate([SECOND / "heldout"])
    return total


def test_second_set_has_forty_texts_and_a_held_out_part_of_fifteen() -> None:
    tune, held = cases([SECOND / "tune"]), cases([SECOND / "heldout"])
    assert len(tune) + len(held) >= 40 and len(held) >= 15
    for folder, found in ((SECOND / "tune", tune), (SECOND / "heldout", held)):
        assert len(list(folder.glob("*.txt"))) == len(found)  # each text has its records
    names = {text.name for text, _ in tune} & {text.name for text, _ in held}
    assert not names  # no text in both parts


@pytest.mark.parametrize("expected", sorted(SECOND.rglob("*.expected.json")),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_second_set_expected_records_are_valid_export_schema(expected: Path) -> None:
    bundle = load_expected(expected)
    assert len(bundle.sources) == 1


@pytest.mark.parametrize("kind", list(TUNED), ids=lambda k: k.value)
def test_f1_on_the_tuning_part_does_not_drop(tuned_score: Score, kind: RecordType) -> None:
    f1 = tuned_score.tally(kind).f1
    assert f1 >= TUNED[kind], f"{kind.value} F1 on the tuning part fell to {f1:.3f}"


@pytest.mark.parametrize("kind", list(HELD_OUT), ids=lambda k: k.value)
def test_f1_on_the_held_out_part_does_not_drop(held_out_score: Score, kind: RecordType) -> None:
    f1 = held_out_score.tally(kind).f1
    assert f1 >= HELD_OUT[kind], f"{kind.value} F1 on the held-out part fell to {f1:.3f}"


@pytest.mark.parametrize("group", list(HELD_OUT_FIELDS))
def test_field_accuracy_on_the_held_out_part_does_not_drop(
    held_out_score: Score, group: str
) -> None:
    tally = Tally()
    for member in GROUPS[group]:
        tally.add(held_out_score.field(member))
    assert tally.f1 >= HELD_OUT_FIELDS[group], f"{group} F1 fell to {tally.f1:.3f}"
