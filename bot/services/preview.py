"""What `/reminders preview` shows: the planned sends of a visit and of the follow-ups that
prepare it, or of one follow-up, each with its state (planned, sent, skipped…)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.records import FollowUp, Record, Visit
from bot.services.followups import Entry, FollowUpService
from bot.services.reminders import ReminderService
from bot.stores.deliveries import Delivery


@dataclass(frozen=True)
class FollowUpSends:
    """One follow-up's owner reminders, with its deadline worked out."""

    entry: Entry
    rows: list[Delivery]


@dataclass(frozen=True)
class Preview:
    record: Record
    rows: list[Delivery]  # the record's own: a visit's reminders, or a follow-up's
    # For a follow-up: its deadline worked out from its anchor.
    entry: Entry | None
    # For a visit: the owner reminders of each open follow-up about it, in deadline order.
    followups: list[FollowUpSends]


async def reminder_preview(reminders: ReminderService, followups: FollowUpService,
                           guild_id: int, record: Visit | FollowUp) -> Preview:
    """The sends planned (and already made) for `record`. A visit brings the follow-ups that
    prepare it, since their deadlines move with its date: what the desk will be told before
    the visit is both its reminders and its owners' reminders."""
    if isinstance(record, FollowUp):
        entry = await followups.entry(guild_id, record)
        return Preview(record, await reminders.followup_preview(guild_id, record), entry, [])
    rows = await reminders.preview(guild_id, record)
    sends = []
    for entry in await followups.about(guild_id, record):
        if entry.followup.is_open:
            sends.append(FollowUpSends(
                entry, await reminders.followup_preview(guild_id, entry.followup)))
    return Preview(record, rows, None, sends)
