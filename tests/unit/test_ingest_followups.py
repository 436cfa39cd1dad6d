"""Ingest proposes follow-ups (issue 15): work someone is directed to do, or the sides agree to
do, before an event or by a time, tied to the visit the text names; nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import Bundle
from bot.domain.records import FollowUp, FollowUpStatus, RecordType
from bot.services.ingest import propose
from bot.services.ingest_review import _needed, field_changes

TODAY = date(2026, 6, 30)


def _read(text: str) -> Bundle:
    return propose(text, dateline=None, today=TODAY).bundle


def _only(bundle: Bundle) -> FollowUp:
    assert len(bundle.followups) == 1, [f.what for f in bundle.followups]
    return bundle.followups[0]


@pytest.mark.parametrize(("directive", "work"), [
    ("directed their officials to finalise", "Finalise"),
    ("instructed the two delegations to complete", "Complete"),
    ("tasked their deputies with preparing", "Prepare"),
    ("charged the joint commission with drafting", "Draft"),
    ("directed their respective teams to expeditiously conclude", "Conclude"),
])
def test_work_before_a_visit_is_due_before_that_visit(directive: str, work: str) -> None:
    bundle = _read(
        "VALLETTA, 4 March 2026 — Maltese Foreign Minister Carmel Vella met Tunisian Foreign "
        "Minister Hedi Ben Salem in Valletta on Wednesday. Tunisian President Moncef Jaziri "
        "will pay a state visit to Malta in May 2026. The ministers "
        f"{directive} an agreement on maritime search and rescue before the President's "
        "visit.")
    followup = _only(bundle)
    assert followup.what == f"{work} an agreement on maritime search and rescue"
    [planned] = [v for v in bundle.visits if v.date == FuzzyDate.month(2026, 5)]
    assert (followup.due_before, followup.visit, followup.due) == ("visit", planned.uid, None)
    # The text it is about is proposed as a plan, and the follow-up names it.
    [plan] = [p for p in bundle.plans if "search and rescue" in p.title]
    assert followup.plan == plan.uid
    assert followup.status is FollowUpStatus.OPEN and followup.owner == ""
    assert "Owner in the report: " in followup.notes and followup.source == bundle.sources[0].uid


@pytest.mark.parametrize(("sentence", "work", "due"), [
    ("The two sides agreed to hold the next round of consultations in Riga in the autumn.",
     "Hold the next round of consultations in Riga", FuzzyDate.year(2026)),
    ("They agreed that the next session of the Intergovernmental Commission will be held in "
     "Vilnius in the first quarter of 2027.",
     "Hold the next session of the Intergovernmental Commission in Vilnius",
     FuzzyDate.quarter(2027, 1)),
    ("The ministers agreed to conclude an agreement on social security by the end of the year.",
     "Conclude an agreement on social security", FuzzyDate.year(2026)),
    ("They tasked the Joint Working Group on Energy with preparing a roadmap on "
     "interconnectors by September 2026.",
     "Prepare a roadmap on interconnectors", FuzzyDate.month(2026, 9)),
])
def test_agreed_and_tasked_work_takes_the_time_the_text_gives(
    sentence: str, work: str, due: FuzzyDate
) -> None:
    followup = _only(_read(
        "RIGA, 9 April 2026 — Latvian Foreign Minister Ilze Ozola held talks with Lithuanian "
        f"Foreign Minister Tomas Petrauskas in Riga on Thursday. {sentence}"))
    assert (followup.what, followup.due, followup.due_before) == (work, due, "")


@pytest.mark.parametrize("sentence", [
    "The ministers agreed to deepen cooperation in energy and transport.",
    "The two sides asked the European Union to lift its quotas on steel.",
    "They agreed to expand trade, which has grown since 2019.",
])
def test_agreement_without_work_or_time_sets_no_follow_up(sentence: str) -> None:
    bundle = _read(
        "RIGA, 9 April 2026 — Latvian Foreign Minister Ilze Ozola held talks with Lithuanian "
        f"Foreign Minister Tomas Petrauskas in Riga on Thursday. {sentence}")
    assert bundle.followups == []


def test_a_body_tasked_with_work_has_not_met() -> None:
    bundle = _read(
        "RIGA, 9 April 2026 — Latvian Foreign Minister Ilze Ozola held talks with Lithuanian "
        "Foreign Minister Tomas Petrauskas in Riga on Thursday. They tasked the Joint Working "
        "Group on Transport with preparing a rail timetable by June 2026.")
    assert [m.kind.value for m in bundle.meetings] == ["bilateral_talks"]
    assert _only(bundle).what == "Prepare a rail timetable"


def test_a_follow_up_saved_alone_brings_the_visit_its_deadline_hangs_on() -> None:
    bundle = _read(
        "VALLETTA, 4 March 2026 — Tunisian President Moncef Jaziri will pay a state visit to "
        "Malta in May 2026. The ministers directed their officials to finalise a programme of "
        "cultural exchanges before the visit.")
    followup = _only(bundle)
    assert (RecordType.VISIT, followup.visit) in _needed(followup)


def test_a_report_read_again_never_reopens_done_work_or_takes_its_owner() -> None:
    stored = FollowUp("Finalise the MoUs", FollowUpStatus.DONE, owner="role:7",
                      owner_name="Desk editors", due=FuzzyDate.month(2026, 5), uid="f")
    report = FollowUp("Finalise the MoUs", FollowUpStatus.OPEN, due=FuzzyDate.day(2026, 5, 4),
                      uid="f")
    changes = {c.name: c for c in field_changes(stored, report)}
    assert changes["status"].default.value == "keep"
    assert "owner" not in changes  # an empty report value erases nothing
    assert changes["due"].default.value == "take"  # the report's day is more precise


def test_work_for_a_visit_makes_the_visit_one_to_come_and_hangs_on_it() -> None:
    bundle = _read(
        "DUSHANBE, 4 May 2026 — Tajik Foreign Minister Sirojiddin Rahmonov held talks with "
        "Kyrgyz Foreign Minister Jeenbek Orozov in Dushanbe on Monday. The ministers instructed "
        "the relevant ministries to work out a roadmap for President Sadyr Bekov's state visit "
        "to Tajikistan in July.")
    [planned] = [v for v in bundle.visits if v.date == FuzzyDate.month(2026, 7)]
    assert planned.status.value == "planned"  # "instructed" is past; the visit is not
    followup = _only(bundle)
    assert followup.what.startswith("Work out a roadmap")
    assert (followup.due_before, followup.visit) == ("visit", planned.uid)


def test_a_working_group_the_sides_agree_to_set_up_has_not_met() -> None:
    bundle = _read(
        "DUSHANBE, 4 May 2026 — Tajik Foreign Minister Sirojiddin Rahmonov held talks with "
        "Kyrgyz Foreign Minister Jeenbek Orozov in Dushanbe on Monday. They agreed to set up a "
        "joint working group on water management before the end of the year.")
    assert [m.kind.value for m in bundle.meetings] == ["bilateral_talks"]
    followup = _only(bundle)
    assert (followup.what, followup.due) == ("Set up a joint working group on water management",
                                             FuzzyDate.year(2026))


def test_the_reference_report_sets_its_follow_up_before_the_presidents_visit() -> None:
    from tests.conftest import reference_article

    bundle = propose(reference_article(), dateline=None, today=date(2025, 9, 12)).bundle
    followup = _only(bundle)
    assert followup.what == "Finalise the agreements and MoUs"
    [visit] = [v for v in bundle.visits if v.uid == followup.visit]
    assert followup.due_before == "visit" and visit.date == FuzzyDate.month(2025, 11)
    [plan] = [p for p in bundle.plans if p.uid == followup.plan]
    assert plan.status.value == "expected"


def test_an_agreement_dated_by_its_weekday_still_sets_its_work() -> None:
    bundle = _read(
        "JAKARTA, 14 October 2025 — Indonesia and Vietnam agreed on Tuesday to conclude talks "
        "on their maritime boundary before Vietnamese President Luong Van Cuong's state visit "
        "to Jakarta next year.")
    followup = _only(bundle)
    assert followup.what == "Conclude talks on their maritime boundary"
    assert followup.due_before == "visit"


def test_a_text_signed_before_the_next_deed_keeps_its_status() -> None:
    bundle = _read(
        "JAKARTA, 14 October 2025 — The Indonesian and Vietnamese foreign ministers signed a "
        "plan of action for 2026–2030 in Jakarta on Tuesday, and tasked their officials with "
        "preparing a fisheries roadmap by March 2026.")
    [signed] = [p for p in bundle.plans if "2026–2030" in p.title]
    assert signed.status.value == "signed"
    assert _only(bundle).due == FuzzyDate.month(2026, 3)


@pytest.mark.parametrize(("sentence", "work"), [
    ("The joint commission has been tasked with preparing a draft protocol by June 2026.",
     "Prepare a draft protocol"),
    ("A former official was charged with organising the smuggling of fuel in 2025.", None),
])
def test_passive_work_is_work_only_when_someone_was_tasked(sentence: str,
                                                            work: str | None) -> None:
    bundle = _read(
        "RIGA, 9 April 2026 — Latvian Foreign Minister Ilze Ozola held talks with Lithuanian "
        f"Foreign Minister Tomas Petrauskas in Riga on Thursday. {sentence}")
    assert [f.what for f in bundle.followups] == ([work] if work else [])
