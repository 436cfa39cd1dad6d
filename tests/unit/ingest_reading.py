"""Reading a test sentence as ingest would, for the class tests: one reading day, and the
names of who is proposed where."""

from __future__ import annotations

from datetime import date

from bot.domain.records import Meeting
from bot.services.ingest import Proposal, propose

# The day the class tests read against (as tests/data/ingest4 and ingest5 are read).
TODAY = date(2026, 6, 30)


def read(text: str) -> Proposal:
    return propose(text, dateline=None, today=TODAY)


def names(proposal: Proposal) -> dict[str, str]:
    """Person uid -> name."""
    return {p.uid: p.name for p in proposal.bundle.people}


def who(proposal: Proposal, meeting: Meeting) -> set[str]:
    """The names of a meeting's participants."""
    known = names(proposal)
    return {known[p.person] for p in meeting.participants}
