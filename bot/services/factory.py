"""build_services: the one place the stores and services are made and wired together.

The bot, the CLI and the sandbox all call it, so each is built once per process, and every
subscriber of the change pipeline (reminders, Discord events) is attached in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.changes import ChangePipeline
from bot.services.desk import DeskService
from bot.services.digest import DigestService
from bot.services.events import EventSync
from bot.services.exports import TransferService
from bot.services.followups import FollowUpService
from bot.services.ingest_review import IngestReviewService
from bot.services.onboarding import SetupService
from bot.services.reminders import ReminderService
from bot.stores.briefs import BriefStore
from bot.stores.database import Database
from bot.stores.deliveries import LEASE, DeliveryStore
from bot.stores.preferences import DigestStore, OptInStore
from bot.stores.records import RecordStore
from bot.stores.replans import ReplanStore
from bot.stores.scope import ALL, Scope
from bot.stores.settings import GuildSettingsStore, VisitEventStore

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Services:
    db: Database
    records: RecordStore
    guild_settings: GuildSettingsStore
    deliveries: DeliveryStore
    changes: ChangePipeline
    desk: DeskService
    reminders: ReminderService
    events: EventSync
    transfer: TransferService
    ingest: IngestReviewService
    followups: FollowUpService
    digest: DigestService
    replans: ReplanStore
    setup: SetupService


def build_services(
    db: Database, clock: Clock, *, default_timezone: str = "UTC", scope: Scope = ALL,
    lease: timedelta = LEASE,
) -> Services:
    """`scope`: the servers this process serves (all, unless the bot runs as several
    processes of shards); background work and delivery claims keep to them. `lease`: how
    long its claims keep other processes off a send."""
    records = RecordStore(db, clock)
    guild_settings = GuildSettingsStore(db, default_timezone, scope)
    deliveries = DeliveryStore(db, clock, scope, lease)
    changes = ChangePipeline(records, guild_settings, clock)
    desk = DeskService(records, guild_settings, changes, clock, briefs=BriefStore(db),
                       timelines=db.timelines)
    optins = OptInStore(db)
    replans = ReplanStore(db, clock)
    reminders = ReminderService(desk, records, deliveries, guild_settings, changes, clock,
                                optins, replans)
    followups = FollowUpService(desk, optins)
    return Services(
        db=db,
        records=records,
        guild_settings=guild_settings,
        deliveries=deliveries,
        changes=changes,
        desk=desk,
        reminders=reminders,
        events=EventSync(desk, VisitEventStore(db), changes, clock),
        transfer=TransferService(desk, records, changes, clock),
        ingest=IngestReviewService(desk, changes),
        followups=followups,
        digest=DigestService(desk, followups, reminders, deliveries, DigestStore(db, scope),
                             guild_settings, changes, clock),
        replans=replans,
        setup=SetupService(guild_settings, records, clock, default_zone=default_timezone),
    )
