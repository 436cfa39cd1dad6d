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
    summary,
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
# The recall round on classes of our own phrases (issue 12) moved visits 0.96 -> 0.98.
TUNED = {
    RecordType.PERSON: 1.00,
    RecordType.MEETING: 0.94,
    RecordType.PLAN: 0.96,
    RecordType.VISIT: 0.97,
    RecordType.SOURCE: 1.00,
}
# Held out: measured after each round of tuning, never read text by text. The goal was 0.80
# for meetings, plans and visits; it is not reached (see the README's ingest section for what
# the engine misses there). The last round (lists of texts split by their fields) cost the
# held-out part two extra plans: 0.73 -> 0.71, dates 0.91 -> 0.89.
# The round of the blind third set (seasons, legs of trips, datelines, signatories a sentence
# later, follow-ups) moved the held-out part: visits 0.75 -> 0.78, signatories 0.67 -> 0.86.
# The round on meetings told in ways not tuned on (names ending in "Son" read as names,
# family names written first, co-chairs and talks with a side each, asides, sidelines, formats,
# attendees) moved it again: person 0.97 -> 1.00, meeting 0.65 -> 0.70, plan 0.71 -> 0.75,
# visit 0.78 -> 0.84. The study round on the third set (issue 12: a meeting someone arrived
# for has not sat yet, among its classes) moved meetings 0.70 -> 0.71.
HELD_OUT = {
    RecordType.PERSON: 1.00,
    RecordType.MEETING: 0.70,
    RecordType.PLAN: 0.74,
    RecordType.VISIT: 0.84,
    RecordType.SOURCE: 1.00,
}
HELD_OUT_FIELDS = {"dates": 0.89, "parties": 0.93, "status": 0.97, "signatories": 0.85}

# The third set (issue 12's blind measure): written and labelled before the engine read it,
# scored once on first sight (FIRST_SIGHT.md) and once after the round (RESULTS.md), never
# read text by text. Floors are the figures after, rounded down; first sight was meeting
# 0.38, plan 0.71, visit 0.48, follow-up 0.00. The round on meetings told in ways not tuned
# on moved meetings 0.45 -> 0.52 (the rest unchanged).
# Since the study round (RESULTS.md) the set is no longer blind: it was read text by text as a
# development set and its classes fixed (person 0.97 -> 1.00, meeting 0.52 -> 0.97, plan
# 0.72 -> 0.97, visit 0.62 -> 0.96, follow-up 0.62 -> 0.69; signatories 0.50 -> 0.92). Its
# floors now guard those fixes, with a small margin; they say nothing of unseen text. The
# fifth round read its follow-up misses to check its rules (0.69 -> 0.89).
THIRD = Path(__file__).resolve().parent.parent / "data" / "ingest3"
# (Named for the set: a later BLIND for the sixth set rebound the name, and these floors
# were read as the sixth set's until they were.)
THIRD_FLOORS = {
    RecordType.PERSON: 0.99,
    RecordType.MEETING: 0.95,
    RecordType.PLAN: 0.96,
    RecordType.VISIT: 0.94,
    RecordType.SOURCE: 1.00,
    RecordType.FOLLOWUP: 0.88,
}
BLIND_FIELDS = {"dates": 0.99, "parties": 0.91, "status": 0.97, "signatories": 0.91}


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


@pytest.fixture(scope="module")
def blind_score() -> Score:
    total, _ = evaluate([THIRD])
    return total


def test_the_blind_set_has_fifteen_texts_each_labelled_with_its_follow_ups() -> None:
    found = cases([THIRD])
    assert len(found) >= 15
    assert len(list(THIRD.glob("*.txt"))) == len(found)
    labelled = [load_expected(expected) for _, expected in found]
    assert all(len(bundle.sources) == 1 for bundle in labelled)
    # Follow-ups are labelled in this set, and some are tied to the visit they are due before.
    followups = [f for bundle in labelled for f in bundle.followups]
    assert len(followups) >= 10
    assert any(f.due_before == "visit" and f.visit for f in followups)
    names = {text.name for text, _ in found} & {
        text.name for text, _ in cases([SECOND / "tune", SECOND / "heldout"])}
    assert not names


@pytest.mark.parametrize("kind", list(THIRD_FLOORS), ids=lambda k: k.value)
def test_f1_on_the_blind_set_does_not_drop(blind_score: Score, kind: RecordType) -> None:
    f1 = blind_score.tally(kind).f1
    assert f1 >= THIRD_FLOORS[kind], f"{kind.value} F1 on the third set fell to {f1:.3f}"


@pytest.mark.parametrize("group", list(BLIND_FIELDS))
def test_field_accuracy_on_the_blind_set_does_not_drop(blind_score: Score, group: str) -> None:
    tally = Tally()
    for member in GROUPS[group]:
        tally.add(blind_score.field(member))
    assert tally.f1 >= BLIND_FIELDS[group], f"{group} F1 fell to {tally.f1:.3f}"


def test_a_set_that_labels_no_follow_ups_is_not_scored_on_them(tuned_score: Score) -> None:
    # The second set was labelled before ingest read follow-ups: proposals are not misses.
    assert tuned_score.tally(RecordType.FOLLOWUP).proposed == 0


def test_a_follow_up_counts_when_its_work_and_its_deadline_agree() -> None:
    expected = load_expected(THIRD / "01-ottawa-korea-readout.expected.json")
    same = score_bundles(expected, expected)
    assert same.tally(RecordType.FOLLOWUP).f1 == 1.0
    [followup] = expected.followups
    moved = dataclasses.replace(expected, followups=[dataclasses.replace(
        followup, due_before="", visit=None, due=FuzzyDate.year(2027))])
    assert score_bundles(moved, expected).tally(RecordType.FOLLOWUP).correct == 0
    reworded = dataclasses.replace(expected, followups=[dataclasses.replace(
        followup, what="Prepare the critical minerals supply chains memorandum")])
    assert score_bundles(reworded, expected).tally(RecordType.FOLLOWUP).correct == 1


def test_the_summary_has_a_row_per_set() -> None:
    text = summary(Path(__file__).resolve().parent.parent.parent)
    for label in ("second set, tuning part (44)", "second set, held out (16)",
                  "third set (studied) (17)", "fourth set (studied) (19)",
                  "fifth set (development) (24)", "followup"):
        assert label in text


# The fourth set (tests/data/ingest4, 19 texts) was written and labelled before the engine
# read it and scored blind twice: on first sight (meeting 0.44, plan 0.51, visit 0.54) and
# after the study round of the third set (0.47 / 0.51 / 0.54), which is how little that
# round carried over. It was then opened for the dateline round (RESULTS.md). These floors
# guard what it scores now, with a small margin. The fifth round studied it text by text
# (meeting 0.55 -> 0.95, plan 0.54 -> 0.97, visit 0.53 -> 0.94, follow-up 0.39 -> 0.89).
# The recall round on classes of our own phrases moved follow-ups 0.89 -> 0.93 (a semester
# read as its year).
FOURTH = Path(__file__).resolve().parent.parent / "data" / "ingest4"
OPENED = {
    RecordType.PERSON: 0.99,
    RecordType.MEETING: 0.94,
    RecordType.PLAN: 0.96,
    RecordType.VISIT: 0.93,
    RecordType.SOURCE: 0.94,
    RecordType.FOLLOWUP: 0.92,
}



# The fifth set (tests/data/ingest5, 24 texts) was written and labelled before the engine
# read it. Blind until the round of the learned components (issue 12): first sight, engine
# of 7765909, meeting 0.26 / plan 0.30 / visit 0.38; after the fifth round 0.29 / 0.34 /
# 0.48; after the sixth 0.29 / 0.33 / 0.47. Since then it is a development set, read text
# by text (its error analysis is in RESULTS.md) and, with the first four sets, labels the
# examples train.py fits on. Its floors now guard that round's fixes (0.34 / 0.35 / 0.51,
# person 0.91), rounded down; they say nothing of unseen text any more.
FIFTH = Path(__file__).resolve().parent.parent / "data" / "ingest5"
DEVELOPMENT = {
    RecordType.PERSON: 0.90,
    RecordType.MEETING: 0.34,
    RecordType.PLAN: 0.35,
    RecordType.VISIT: 0.51,
    RecordType.SOURCE: 0.70,
    RecordType.FOLLOWUP: 0.45,
}

# The sets studied text by text, each with its floors.
STUDIED_SETS = {"fourth": (FOURTH, OPENED), "fifth": (FIFTH, DEVELOPMENT)}


@pytest.fixture(scope="module")
def studied_scores() -> dict[str, Score]:
    return {name: evaluate([folder])[0] for name, (folder, _) in STUDIED_SETS.items()}


@pytest.mark.parametrize(("name", "kind"), [(name, kind) for name, (_, floors)
                                            in STUDIED_SETS.items() for kind in floors],
                         ids=lambda v: v if isinstance(v, str) else v.value)
def test_f1_on_a_studied_set_does_not_drop(studied_scores: dict[str, Score], name: str,
                                           kind: RecordType) -> None:
    f1 = studied_scores[name].tally(kind).f1
    floor = STUDIED_SETS[name][1][kind]
    assert f1 >= floor, f"{kind.value} F1 on the {name} set fell to {f1:.3f}"


def test_the_fifth_set_has_twenty_texts_each_labelled_with_its_source() -> None:
    found = cases([FIFTH])
    assert len(found) >= 20
    assert len(list(FIFTH.glob("*.txt"))) == len(found)
    labelled = [load_expected(expected) for _, expected in found]
    assert all(len(bundle.sources) == 1 for bundle in labelled)
    assert sum(len(bundle.followups) for bundle in labelled) >= 20


# The sixth set (tests/data/ingest6, 26 texts) was written and labelled by a helper that read
# neither the engine nor its tests, and is never read text by text by anyone tuning it. First
# sight, engine of 74b4ea2: meeting 0.18, plan 0.42, visit 0.36; after the recall round of
# the same session (classes of the issue, tested on phrases of our own): 0.18 / 0.46 / 0.36
# (RESULTS.md); after the round that opened the fifth set, 0.20 / 0.48 / 0.35 (visits
# 0.351, so their floor stays). The floors are the latest figures rounded down.
SIXTH = Path(__file__).resolve().parent.parent / "data" / "ingest6"
BLIND = {
    RecordType.PERSON: 0.89,
    RecordType.MEETING: 0.20,
    RecordType.PLAN: 0.47,
    RecordType.VISIT: 0.35,
    RecordType.SOURCE: 0.57,
    RecordType.FOLLOWUP: 0.32,
}


# Each blind set: its folder, its floors, and the labels it must hold at least this many of.
BLIND_SETS = {
    "sixth": (SIXTH, BLIND, {"visits": 60}),
}


@pytest.fixture(scope="module")
def blind_scores() -> dict[str, Score]:
    return {name: evaluate([folder])[0] for name, (folder, _, _) in BLIND_SETS.items()}


@pytest.mark.parametrize("name", list(BLIND_SETS))
def test_a_blind_set_has_twenty_texts_each_labelled_with_its_source(name: str) -> None:
    folder, _, at_least = BLIND_SETS[name]
    found = cases([folder])
    assert len(found) >= 20
    assert len(list(folder.glob("*.txt"))) == len(found)
    labelled = [load_expected(expected) for _, expected in found]
    assert all(len(bundle.sources) == 1 for bundle in labelled)
    for section, least in at_least.items():
        assert sum(len(getattr(bundle, section)) for bundle in labelled) >= least


@pytest.mark.parametrize("name", list(BLIND_SETS))
@pytest.mark.parametrize("kind", list(BLIND), ids=lambda k: k.value)
def test_f1_on_a_blind_set_does_not_drop(
    blind_scores: dict[str, Score], name: str, kind: RecordType
) -> None:
    floors = BLIND_SETS[name][1]
    f1 = blind_scores[name].tally(kind).f1
    assert f1 >= floors[kind], f"{kind.value} F1 on the {name} set fell to {f1:.3f}"
