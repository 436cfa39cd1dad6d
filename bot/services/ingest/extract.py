"""The proposal builder: a report's text in, the records it supports out, nothing stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.interchange import Bundle, bundle_to_json
from bot.services.ingest.build import build_bundle
from bot.services.ingest.dating import DateChoice
from bot.services.ingest.document import read_document
from bot.services.ingest.followups import find_followups
from bot.services.ingest.guard import check_text, nothing_found
from bot.services.ingest.links import settle
from bot.services.ingest.markup import plain_text
from bot.services.ingest.meetings import co_chairs_apart, find_meetings
from bot.services.ingest.plans import find_plans
from bot.services.ingest.travel import TravelChoice
from bot.services.ingest.visits import find_visits


@dataclass
class Proposal:
    """Records proposed from one text, for a person to confirm; `dateline` is what relative
    dates were counted from, and `warnings` what the reviewer should check."""

    bundle: Bundle
    dateline: date
    warnings: list[str] = field(default_factory=list)
    # How each record the report left undated was dated (the training script reads these)
    date_choices: list[DateChoice] = field(default_factory=list)
    travel_choices: list[TravelChoice] = field(default_factory=list)  # likewise, trips


def propose(text: str, *, dateline: date | None, today: date) -> Proposal:
    """Reads a press release or news report and proposes meetings, plans, visits, people and
    the follow-ups it sets.

    `dateline` overrides the one the text opens with; without either, dates are read against
    `today`. Deterministic and offline. Raises UserError for input that is not such a report.
    """
    check_text(text)
    # Stored as plain text: a masked link or markup in the report is spelled out first.
    text = plain_text(text)
    doc = read_document(text, dateline=dateline, today=today)
    meetings = find_meetings(doc)
    co_chairs_apart(doc, meetings)
    plans = find_plans(doc)
    visits = find_visits(doc)
    warnings = list(doc.warnings)
    warnings += settle(doc, meetings, plans, visits)
    # The desk records relations between countries; a report about one country's own
    # affairs ("the Prime Minister visited a school") has nothing for it.
    if not (meetings or plans or visits) or len(doc.pair) < 2:
        raise nothing_found()
    followups = find_followups(doc, plans, visits)
    bundle = build_bundle(doc, text, meetings, plans, visits, followups)
    return Proposal(bundle, doc.anchor, warnings, doc.date_choices, doc.travel_choices)


def proposal_json(proposal: Proposal) -> dict[str, Any]:
    """The proposal in the export schema, ready for `import` once a person agrees with it."""
    return bundle_to_json(proposal.bundle)
