"""Typing the reference article in through slash commands gives exactly the sample data."""

from __future__ import annotations

import copy
from typing import Any

from bot.services.interchange import export_data
from tests.behaviour.conftest import Desk, form_field_id

SECTIONS = ("sources", "people", "visits", "meetings", "plans", "followups")


def _people(rows: list[dict[str, str]], names: dict[str, str], key: str) -> str | None:
    """'Mohammad Ishaq Dar (co-chair); …' for a list of links, as a desk officer types it."""
    parts = [f"{names[r['person']]} ({r[key]})" if r[key] else names[r["person"]] for r in rows]
    return "; ".join(parts) or None


async def _long_text(desk: Desk, res: Any, text: str) -> None:
    """Fills the record's summary or notes through the form under its card."""
    if text:
        shown = await desk.editor.click(res.response, custom_id="long_text")
        await desk.editor.submit_modal(shown, {form_field_id(shown): text})


def _without_uids(data: dict[str, Any]) -> dict[str, Any]:
    """Replaces each uid, and every reference to it, by the record's position in its list."""
    data = copy.deepcopy(data)
    rename: dict[str, str] = {}
    for section in SECTIONS:
        for n, row in enumerate(data[section]):
            rename[row["uid"]] = f"{section}[{n}]"
            row["uid"] = rename[row["uid"]]

    def fix(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: rename.get(v, v) if k in ("person", "visit", "meeting", "source",
                                                 "visitor", "plan") else fix(v)
                    for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return {k: fix(v) for k, v in data.items()}


def _date(value: dict[str, str] | None) -> str | None:
    return value["value"] if value else None


async def test_the_article_typed_in_equals_the_sample(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    ids: dict[str, str] = {}
    names = {p["uid"]: p["name"] for p in sample_data["people"]}

    def ref(uid: str | None) -> str | None:
        return f"#{ids[uid]}" if uid else None

    async def run(command: str, options: dict[str, Any], uid: str) -> Any:
        res = await desk.editor.slash(
            desk.channel, command, **{k: v for k, v in options.items() if v not in (None, "")}
        )
        assert not res.ephemeral, res.response.content
        ids[uid] = res.response.embeds[0].footer.text.split("#")[1].split(" ")[0]
        return res

    for s in sample_data["sources"]:
        res = await run("source add", {"title": s["title"], "url": s["url"],
                                       "published": _date(s["published"])}, s["uid"])
        await _long_text(desk, res, s["summary"])
    for p in sample_data["people"]:
        await run("person add", {"name": p["name"], "title": p["title"], "country": p["country"],
                                 "notes": p["notes"], "source": ref(p["source"])}, p["uid"])
    for v in sample_data["visits"]:
        res = await run("visit add", {
            "from_country": v["from_country"], "to_country": v["to_country"],
            "date": _date(v["date"]), "visitor": ref(v["visitor"]),
            "visitor_role": v["visitor_role"], "status": v["status"], "place": v["place"],
            "purpose": v["purpose"], "source": ref(v["source"]),
        }, v["uid"])
        await _long_text(desk, res, v["notes"])
    for m in sample_data["meetings"]:
        await run("meeting add", {
            "title": m["title"], "kind": m["kind"], "date": _date(m["date"]),
            "place": m["place"], "countries": ", ".join(m["countries"]),
            "participants": _people(m["participants"], names, "part"),
            "topics": ", ".join(m["topics"]), "visit": ref(m["visit"]),
            "source": ref(m["source"]), "summary": m["summary"],
        }, m["uid"])
    for p in sample_data["plans"]:
        await run("plan add", {
            "title": p["title"], "kind": p["kind"], "status": p["status"],
            "date": _date(p["date"]), "place": p["place"], "parties": ", ".join(p["parties"]),
            "signatories": _people(p["signatories"], names, "on_behalf_of"),
            "fields": ", ".join(p["fields"]), "meeting": ref(p["meeting"]),
            "visit": ref(p["visit"]), "source": ref(p["source"]), "summary": p["summary"],
        }, p["uid"])

    for f in sample_data["followups"]:
        # "Finalise the MoUs … — owner @Desk editors — before the visit".
        assert (f["owner"], f["owner_name"]) == ("role", desk.editor_role.name)
        res = await run("followup add", {
            "what": f["what"], "owner": desk.editor_role, "due": f"before the {f['due_before']}",
            "visit": ref(f["visit"]), "plan": ref(f["plan"]), "meeting": ref(f["meeting"]),
            "source": ref(f["source"]),
        }, f["uid"])
        await _long_text(desk, res, f["notes"])

    typed = await export_data(desk.bot.records, desk.guild.id)
    # A role picked in a command is kept by its id; the sample names it by name only.
    for f in typed["followups"]:
        assert f["owner"] == f"role:{desk.editor_role.id}"
        f["owner"] = "role"
    assert _without_uids(typed) == _without_uids(sample_data)
