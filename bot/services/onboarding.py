"""SetupService: whether a server is still owed its set-up checklist, and the claim to post it.

The checklist goes out once per server, whatever brings it up: the bot joining while online,
a server it joined while offline seen at start-up, or an admin's `/settings show`. The
store remembers when it went out (guild_settings.setup_posted_at), so restarts and re-joins
never repeat it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.domain.records import GuildSettings, RecordType
from bot.stores.records import RecordStore
from bot.stores.settings import GuildSettingsStore

Clock = Callable[[], datetime]


def never_set_up(settings: GuildSettings, *, default_zone: str) -> bool:
    """Nothing on the checklist was ever chosen: the zone is still the default and no role,
    channel or Events switch was set. Lead times and date order are not on the checklist,
    so they do not count."""
    return (settings.timezone == default_zone and settings.editor_role_id is None
            and settings.reminder_channel_id is None and settings.reminder_role_id is None
            and not settings.events_enabled)


class SetupService:
    def __init__(self, settings: GuildSettingsStore, records: RecordStore, clock: Clock, *,
                 default_zone: str = "UTC") -> None:
        self._settings = settings
        self._records = records
        self._clock = clock
        self._default_zone = default_zone

    async def owed_at_start(self, guild_ids: Sequence[int]) -> list[int]:
        """The servers seen at start-up still owed the checklist: never posted, nothing set
        up and no record kept. A server used before the bot remembered its post (migration
        0008) is not greeted again as if it were new. Settings are read in a few queries for
        all; only servers with nothing chosen have their records looked at."""
        owed = []
        for guild_id, settings in (await self._settings.get_many(guild_ids)).items():
            if settings.setup_posted_at is not None:
                continue
            if not never_set_up(settings, default_zone=self._default_zone):
                continue
            if await self._used(guild_id):
                continue
            owed.append(guild_id)
        return owed

    async def _used(self, guild_id: int) -> bool:
        for kind in RecordType:
            if await self._records.count(guild_id, kind, cap=0):
                return True
        return False

    async def claim(self, guild_id: int) -> datetime | None:
        """The instant this caller claimed the post at, or None when it is not owed (it
        went out already, or another event claimed it a moment ago)."""
        at = self._clock()
        return at if await self._settings.claim_setup(guild_id, at) else None

    async def release(self, guild_id: int, at: datetime) -> None:
        """No place took the post: the checklist is owed again."""
        await self._settings.release_setup(guild_id, at)
