"""/plan through the real discord.py client, offline: add, list, show, edit, delete."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

import pytest
from simcord import OptionError, SetupError

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import record_from_dict, record_to_dict
from bot.domain.records import Plan, PlanKind, PlanStatus, RecordType, Signatory
from tests.behaviour.conftest import Desk, form_field_id
from tests.behaviour.test_meetings import buttons, fields_of, load_people, stored

FIELDS = ["politics", "trade", "economy", "defence and security", "science and technology",
          "culture", "tourism", "humanitarian assistance", "consular facilitation"]

# The sample's action plan, typed as an editor would type it.
ACTION_PLAN = {
    "title": "Pakistan–Kazakhstan Action Plan of Cooperation",
    "kind": "action_plan",
    "status": "signed",
    "date": "Tuesday 9 September 2025",
    "place": "Islamabad",
    "parties": "PK; Kazakh",
    "signatories": "Ishaq Dar (Ministry of Foreign Affairs of Pakistan); "
                   "Murat Nurtleu (Ministry of Foreign Affairs of Kazakhstan)",
    "fields": ", ".join(FIELDS),
    "meeting": "delegation-talks-2025-09-09",
    "visit": "nurtleu-visit-2025-09",
    "source": "report-2025-09-10",
    "summary": "A roadmap for closer engagement across nine fields. It makes consultations "
               "between the two foreign ministries regular and commits both sides to steady "
               "contact bilaterally and at multilateral fora.",
}

SIGNATORIES = (
    "• Mohammad Ishaq Dar, Deputy Prime Minister and Foreign Minister — for Ministry of "
    "Foreign Affairs of Pakistan\n"
    "• Murat Nurtleu, Deputy Prime Minister and Foreign Minister — for Ministry of Foreign "
    "Affairs of Kazakhstan"
)


def without(data: dict[str, Any], plan_uid: str) -> dict[str, Any]:
    """The sample with one plan taken out, so a command can add it again."""
    out = deepcopy(data)
    out["plans"] = [p for p in out["plans"] if p["uid"] != plan_uid]
    return out


def sample_plan(data: dict[str, Any], uid: str) -> dict[str, Any]:
    [row] = [p for p in data["plans"] if p["uid"] == uid]
    return record_to_dict(record_from_dict(RecordType.PLAN, row))


async def action_plan(desk: Desk) -> Plan:
    found = await desk.bot.records.get_by_uid(desk.guild.id, RecordType.PLAN, "action-plan-2025")
    assert isinstance(found, Plan)
    return found


async def add_plans(desk: Desk, count: int) -> None:
    for n in range(1, count + 1):
        await desk.bot.records.add(desk.guild.id, Plan(
            title=f"Memorandum {n:02d}", kind=PlanKind.MOU, status=PlanStatus.EXPECTED,
            date=FuzzyDate.month(2026, n), parties=["Pakistan", "Kazakhstan"], uid=f"mou-{n:02d}",
        ), actor_id=None)


# --- add -----------------------------------------------------------------------------------


async def test_action_plan_added_by_command_equals_the_sample(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(without(sample_data, "action-plan-2025"))
    res = await desk.editor.slash(desk.channel, "plan add", **ACTION_PLAN)
    assert not res.ephemeral
    assert res.response.content.startswith("Saved plan #")
    assert "Signed: 9 September 2025 — exact day, no time set" in res.response.content

    [added] = [p for p in await stored(desk, RecordType.PLAN) if p.kind is PlanKind.ACTION_PLAN]
    got = record_to_dict(added)
    want = sample_plan(sample_data, "action-plan-2025")
    assert got.pop("uid").startswith("plan-")
    want.pop("uid")
    assert got == want

    embed = res.response.embeds[0]
    assert embed.title == ACTION_PLAN["title"]
    fields = fields_of(embed)
    assert fields["Status"] == "signed"
    assert fields["Kind"] == "action plan"
    assert fields["Signed"].startswith("9 September 2025 (<t:")
    assert fields["Parties"] == "Pakistan, Kazakhstan"
    assert fields["Fields of cooperation (9)"] == ", ".join(FIELDS)
    assert fields["Signatories"] == SIGNATORIES
    assert fields["Signed at"].endswith("Pakistan–Kazakhstan delegation-level talks")
    assert buttons(res.response) == {"long_text": False, "followups": False}


async def test_an_expected_plan_with_a_month_only(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "plan add", title="Visa facilitation MoU",
                                  kind="mou", status="expected", date="November 2025")
    assert "Expected: November 2025 — month only" in res.response.content
    fields = fields_of(res.response.embeds[0])
    assert fields["Expected"] == "November 2025 — day not yet set"
    assert fields["Kind"] == "MoU"
    [plan] = await stored(desk, RecordType.PLAN)
    assert (plan.status, plan.date, plan.signatories, plan.fields) == (
        PlanStatus.EXPECTED, FuzzyDate.month(2025, 11), [], [])


async def test_status_is_required_and_checked_by_discord(desk: Desk) -> None:
    with pytest.raises(SetupError, match="status"):
        await desk.editor.slash(desk.channel, "plan add", title="Roadmap", kind="roadmap")
    with pytest.raises(OptionError):
        await desk.editor.slash(desk.channel, "plan add", title="Roadmap", kind="roadmap",
                                status="maybe")
    with pytest.raises(OptionError, match="at most 256 characters"):
        await desk.editor.slash(desk.channel, "plan add", title="x" * 257, kind="roadmap",
                                status="expected")
    assert await stored(desk, RecordType.PLAN) == []


@pytest.mark.parametrize(("options", "expected"), [
    ({"signatories": "Ishaq Dar (MFA); Someone Else (MFA)"},
     "no single person matches 'Someone Else'"),
    ({"date": "the twelfth of never"}, 'Could not read "the twelfth of never" as a date'),
    ({"fields": ", ".join(f"field {n}" for n in range(30))},
     "Too many fields of cooperation: 30 given"),
    ({"signatories": "Ishaq Dar (" + "x" * 201 + ")"},
     "on_behalf_of is 201 characters; at most 200"),
    ({"meeting": "no-such-meeting"}, "No meeting matches 'no-such-meeting'"),
])
async def test_bad_input_is_explained_and_nothing_saved(
    desk: Desk, sample_data: dict[str, Any], options: dict[str, str], expected: str
) -> None:
    await load_people(desk, sample_data)
    plan = {k: v for k, v in ACTION_PLAN.items() if k not in ("meeting", "visit")}
    res = await desk.editor.slash(desk.channel, "plan add", **(plan | options))
    assert res.ephemeral
    assert expected in res.response.content
    assert len(desk.user_errors()) == 1
    assert await stored(desk, RecordType.PLAN) == []


async def test_reader_cannot_add(desk: Desk, sample_data: dict[str, Any]) -> None:
    await load_people(desk, sample_data)
    res = await desk.reader.slash(desk.channel, "plan add", title="Roadmap", kind="roadmap",
                                  status="expected", signatories="Ishaq Dar (MFA)")
    assert res.ephemeral and "Nothing was changed" in res.response.content
    assert len(desk.user_errors()) == 1
    assert await stored(desk, RecordType.PLAN) == []


# --- list ----------------------------------------------------------------------------------


async def test_list_filters_on_the_sample(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "plan list", country="KZ")
    embed = res.response.embeds[0]
    assert embed.title == "Plans · Kazakhstan"
    assert embed.footer.text == "Page 1 of 1 · 2 plans"
    assert (embed.description or "").splitlines() == [
        "`#1` 9 September 2025 (<t:1757376000:R>) · **Pakistan–Kazakhstan Action Plan of "
        "Cooperation** · signed",
        "`#2` November 2025 (day not yet set) · **Agreements and MoUs for the Kazakh "
        "President's visit** · "
        "expected",
    ]

    res = await desk.reader.slash(desk.channel, "plan list", status="expected",
                                  kind="agreement")
    embed = res.response.embeds[0]
    assert embed.title == "Plans · agreement · expected"
    assert "President's visit" in (embed.description or "")
    assert embed.footer.text == "Page 1 of 1 · 1 plan"

    res = await desk.reader.slash(desk.channel, "plan list", after="October 2025")
    assert "Action Plan" not in (res.response.embeds[0].description or "")
    res = await desk.reader.slash(desk.channel, "plan list", before="October 2025",
                                  order="newest first")
    assert "President's visit" not in (res.response.embeds[0].description or "")

    res = await desk.reader.slash(desk.channel, "plan list", country="Uzbekistan")
    assert res.response.embeds[0].description == "No plans match these filters."


async def test_list_newest_first_pages_through_12_plans(desk: Desk) -> None:
    await add_plans(desk, 12)
    res = await desk.reader.slash(desk.channel, "plan list", order="newest first")
    embed = res.response.embeds[0]
    lines = (embed.description or "").splitlines()
    assert embed.footer.text == "Page 1 of 2 · 12 plans"
    assert "December 2026 (day not yet set) · **Memorandum 12**" in lines[0]
    assert "March 2026 (day not yet set) · **Memorandum 03**" in lines[-1]
    await desk.reader.click(res.response, custom_id="next")
    embed = res.response.embeds[0]
    assert embed.footer.text == "Page 2 of 2 · 12 plans"
    assert (embed.description or "").count("Memorandum") == 2
    assert buttons(res.response) == {"previous": False, "next": True}


# --- show ----------------------------------------------------------------------------------


async def test_show_a_signed_plan(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    choices = await desk.reader.autocomplete(desk.channel, "plan show", "plan", "action")
    assert [c["name"] for c in choices] == [
        "#1 Pakistan–Kazakhstan Action Plan of Cooperation, 9 September 2025"]
    res = await desk.reader.slash(desk.channel, "plan show", plan=choices[0]["value"])
    embed = res.response.embeds[0]
    fields = fields_of(embed)
    assert fields["Fields of cooperation (9)"] == ", ".join(FIELDS)
    assert fields["Signatories"] == SIGNATORIES
    assert fields["Status"] == "signed"
    assert embed.description is not None and embed.description.startswith("A roadmap")
    assert embed.footer.text == "Plan #1 · uid action-plan-2025"


async def test_show_an_unknown_plan(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "plan show", plan="Grand Treaty")
    assert res.ephemeral and "No plan matches 'Grand Treaty'" in res.response.content
    assert len(desk.user_errors()) == 1


# --- edit ----------------------------------------------------------------------------------


async def test_an_expected_plan_becomes_signed(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    uid = "presidential-visit-agreements-2025"
    before = await desk.bot.records.get_by_uid(desk.guild.id, RecordType.PLAN, uid)
    assert isinstance(before, Plan)
    res = await desk.editor.slash(
        desk.channel, "plan edit", plan=uid, status="signed", date="2025-11-20",
        signatories="Kassym-Jomart Tokayev (Kazakhstan); Ishaq Dar (Pakistan)",
    )
    # Signed on a day still ahead (today is 12 September 2025): asked first.
    assert "marked signed, but its date, 20 November 2025, is still ahead" in \
        res.response.content
    res = await desk.editor.click(res.response, custom_id="confirm")
    assert res.response.content.startswith(
        f"Updated plan #{before.id}: status, date, signatories.")
    assert "Signed: 20 November 2025 — exact day" in res.response.content
    assert fields_of(res.response.embeds[0])["Signed"].startswith("20 November 2025")
    after = await desk.bot.records.get_by_uid(desk.guild.id, RecordType.PLAN, uid)
    assert isinstance(after, Plan)
    assert (after.status, after.date) == (PlanStatus.SIGNED, FuzzyDate.day(2025, 11, 20))
    assert after.signatories == [Signatory("kassym-jomart-tokayev", "Kazakhstan"),
                                 Signatory("ishaq-dar", "Pakistan")]
    assert (after.title, after.parties, after.summary, after.meeting, after.visit) == (
        before.title, before.parties, before.summary, before.meeting, before.visit)


async def test_edit_with_a_dash_clears_lists(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "plan edit", plan="action-plan-2025",
                                  fields="-", signatories="-", summary="-", parties="kazakh")
    embed = res.response.embeds[0]
    assert embed.description is None
    assert not any(name.startswith(("Fields", "Signatories")) for name in fields_of(embed))
    after = await action_plan(desk)
    assert (after.fields, after.signatories, after.summary) == ([], [], "")
    assert after.parties == ["Kazakhstan"]


async def test_edit_refusals_leave_the_plan_as_it_was(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    before = await action_plan(desk)
    reader = await desk.reader.slash(desk.channel, "plan edit", plan="action-plan-2025",
                                     status="expired")
    unknown = await desk.editor.slash(desk.channel, "plan edit", plan="action-plan-2025",
                                      signatories="Ishaq Dar; Ghost Writer (nobody)")
    bad_date = await desk.editor.slash(desk.channel, "plan edit", plan="action-plan-2025",
                                       date="31 February 2025")
    assert all(r.ephemeral for r in (reader, unknown, bad_date))
    assert "Nothing was changed" in reader.response.content
    assert "'Ghost Writer'" in unknown.response.content
    assert "31 February 2025" in bad_date.response.content
    assert len(desk.user_errors()) == 3
    assert await action_plan(desk) == before


async def test_edit_summary_form_on_a_plan(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "plan show", plan="action-plan-2025")
    shown = await desk.editor.click(res.response, custom_id="long_text")
    text = "Nine fields. " * 300
    saved = await desk.editor.submit_modal(shown, {form_field_id(shown): text[:4000]})
    assert saved.response.content == "Summary saved."
    assert (await action_plan(desk)).summary == text[:4000].strip()


# --- delete --------------------------------------------------------------------------------


async def test_delete_confirm_cancel_and_refusal(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    plan = await action_plan(desk)
    assert plan.id is not None

    refused = await desk.reader.slash(desk.channel, "plan delete", plan="action-plan-2025")
    assert refused.ephemeral and "Nothing was changed" in refused.response.content
    assert len(desk.user_errors()) == 1

    res = await desk.editor.slash(desk.channel, "plan delete", plan="action-plan-2025")
    await desk.editor.click(res.response, custom_id="cancel")
    assert res.response.content == "Nothing was deleted."
    assert await action_plan(desk) == plan

    res = await desk.editor.slash(desk.channel, "plan delete", plan="action-plan-2025")
    assert "Delete plan #1 **Pakistan–Kazakhstan Action Plan of Cooperation**?" in (
        res.response.content)
    await desk.editor.click(res.response, custom_id="confirm")
    assert res.response.content.startswith("Deleted plan #1 **")
    assert await desk.bot.records.get(desk.guild.id, RecordType.PLAN, plan.id) is None
    history = await desk.bot.records.history(desk.guild.id, RecordType.PLAN, plan.id)
    assert [e.action for e in history] == ["import", "delete"]
    assert history[-1].before == record_to_dict(plan)


async def test_list_with_an_unreadable_date(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "plan list", before="when pigs fly")
    assert res.ephemeral
    assert 'Could not read "when pigs fly" as a date' in res.response.content
    assert len(desk.user_errors()) == 1


async def test_delete_an_unknown_plan(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "plan delete", plan="#404")
    assert res.ephemeral and "No plan matches '#404'" in res.response.content
    assert len(desk.user_errors()) == 1
    assert len(await stored(desk, RecordType.PLAN)) == 2
