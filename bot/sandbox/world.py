"""A sandbox Discord server (guild): its channels, roles, members and permissions, as payloads."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Discord's permission bits that the bot and its checks care about.
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_EVENTS = 1 << 33
CREATE_EVENTS = 1 << 44
ALL_PERMISSIONS = (1 << 51) - 1

MEMBER_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES \
    | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS

# Gateway intents that change what the server sends.
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9

DISCORD_EPOCH_MS = 1_420_070_400_000

# Fixed ids, so a transcript or a DEV_GUILD_ID stays the same from one run to the next.
GUILD_ID = 1_300_000_000_000_000_001
BOT_ID = 1_300_000_000_000_000_100
# A second server one step up in the id's timestamp bits, so that with two shards it lands
# on shard 1 while GUILD_ID lands on shard 0 ((id >> 22) % 2): tests can see the split.
SECOND_GUILD_ID = GUILD_ID + (1 << 22)


def guild_id_on_shard(shard_id: int, shard_count: int, nth: int = 0) -> int:
    """The nth fixed guild id above GUILD_ID that shard `shard_id` of `shard_count` owns.

    Steps go by 1 << 22 (one millisecond of snowflake time), so the low bits, where each
    world numbers its channels, roles and members, never collide between two such guilds.
    """
    if not 0 <= shard_id < shard_count:
        raise ValueError(f"shard {shard_id} is not one of {shard_count}")
    base = GUILD_ID >> 22
    step = (shard_id - base) % shard_count + nth * shard_count
    return GUILD_ID + (step << 22)


class Snowflakes:
    """New ids that grow with time, like Discord's (creation time in the top bits)."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(candidate, self._last + 1)
        return self._last


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


@dataclass
class User:
    id: int
    name: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id), "username": self.name, "global_name": self.name,
            "discriminator": "0", "avatar": None, "bot": self.bot, "system": False,
            "public_flags": 0, "flags": 0, "banner": None, "accent_color": None,
            "avatar_decoration_data": None,
        }


@dataclass
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    mentionable: bool = False
    managed: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id), "name": self.name, "description": None, "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False, "icon": None, "unicode_emoji": None, "position": self.position,
            "permissions": str(self.permissions), "managed": self.managed,
            "mentionable": self.mentionable, "flags": 0,
        }


@dataclass
class Overwrite:
    """A channel's permission overwrite for one role (type 0) or member (type 1)."""

    target: int
    kind: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, Any]:
        return {"id": str(self.target), "type": self.kind, "allow": str(self.allow),
                "deny": str(self.deny)}


@dataclass
class Channel:
    id: int
    name: str
    position: int
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    type: int = 0  # a text channel

    def payload(self, guild_id: int) -> dict[str, Any]:
        return {
            "id": str(self.id), "type": self.type, "guild_id": str(guild_id), "name": self.name,
            "position": self.position, "topic": self.topic, "nsfw": False, "parent_id": None,
            "last_message_id": None, "rate_limit_per_user": 0, "flags": 0,
            "permission_overwrites": [o.payload() for o in self.overwrites],
        }


@dataclass
class Member:
    user: User
    role_ids: list[int]
    joined_at: datetime
    # What the person is for, shown by the sandbox (admin, editor, reader).
    label: str = ""

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    def payload(self) -> dict[str, Any]:
        return {
            "user": self.user.payload(), "nick": None, "avatar": None, "banner": None,
            "roles": [str(r) for r in self.role_ids], "joined_at": iso(self.joined_at),
            "premium_since": None, "deaf": False, "mute": False, "flags": 0, "pending": False,
            "communication_disabled_until": None,
        }


class World:
    """One server with a few text channels, roles and members, and the bot in it.

    Members: `admin` holds Manage Server, `editor` has the editor role, `reader` has no
    special role. #announcements lets the bot read but not post, for permission failures.
    Several worlds may share one SandboxServer (one per guild, e.g. on different shards);
    each numbers its own things upwards from its guild id, and the bot user is the same.
    """

    def __init__(self, *, bot_name: str = "Attaché", guild_id: int = GUILD_ID,
                 guild_name: str = "Attaché sandbox") -> None:
        ids = itertools.count(guild_id + 1)
        joined = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
        self.guild_id = guild_id
        self.guild_name = guild_name
        self.bot_user = User(BOT_ID, bot_name, bot=True)
        self.everyone = Role(guild_id, "@everyone", MEMBER_DEFAULT, position=0)
        self.admins = Role(next(ids), "Admins", MEMBER_DEFAULT | MANAGE_GUILD, position=3)
        self.editors = Role(next(ids), "Desk editors", MEMBER_DEFAULT, position=2,
                            mentionable=True)
        self.bot_role = Role(next(ids), bot_name,
                             MEMBER_DEFAULT | MENTION_EVERYONE | MANAGE_EVENTS | CREATE_EVENTS,
                             position=4, managed=True)
        self.roles = [self.everyone, self.admins, self.editors, self.bot_role]
        self.channels = [
            Channel(next(ids), "general", 0, "Anything"),
            Channel(next(ids), "briefings", 1, "Briefings and reminders"),
            Channel(next(ids), "announcements", 2, "Read-only for the bot",
                    overwrites=[Overwrite(self.bot_role.id, 0, deny=SEND_MESSAGES)]),
        ]
        owner = User(next(ids), "admin")
        self.members = [
            Member(owner, [self.admins.id], joined, "Manage Server"),
            Member(User(next(ids), "editor"), [self.editors.id], joined, "editor role"),
            Member(User(next(ids), "reader"), [], joined, "no special role"),
            # A desk officer to give follow-ups to (the README's `owner:@alice`).
            Member(User(next(ids), "alice"), [self.editors.id], joined, "editor role"),
        ]
        self.owner_id = owner.id
        self.bot_member = Member(self.bot_user, [self.bot_role.id], joined, "the bot")

    # Look-ups by name, as the sandbox and tests name things.
    def member(self, name: str | int | Member) -> Member:
        if isinstance(name, Member):
            return name
        for m in [*self.members, self.bot_member]:
            if m.name == str(name).lstrip("@") or m.id == name:
                return m
        raise KeyError(f"no member {name!r}; members: {', '.join(m.name for m in self.members)}")

    def channel(self, name: str | int | Channel) -> Channel:
        if isinstance(name, Channel):
            return name
        for c in self.channels:
            if c.name == str(name).lstrip("#") or c.id == name:
                return c
        raise KeyError(f"no channel {name!r}; channels: "
                       f"{', '.join('#' + c.name for c in self.channels)}")

    def role(self, name: str | int | Role) -> Role:
        if isinstance(name, Role):
            return name
        for r in self.roles:
            if r.name == str(name).lstrip("@") or r.id == name:
                return r
        raise KeyError(f"no role {name!r}; roles: {', '.join(r.name for r in self.roles)}")

    def find_channel(self, channel_id: int) -> Channel | None:
        return next((c for c in self.channels if c.id == channel_id), None)

    @property
    def application_id(self) -> int:
        # Applications made since 2020 share their id with their bot user.
        return self.bot_user.id

    def permissions(self, member: Member, channel: Channel | None = None) -> int:
        """Discord's computation: base from roles, then the channel's overwrites."""
        if member.id == self.owner_id:
            return ALL_PERMISSIONS
        base = self.everyone.permissions
        for role in self.roles:
            if role.id in member.role_ids:
                base |= role.permissions
        if base & ADMINISTRATOR:
            return ALL_PERMISSIONS
        if channel is None:
            return base
        allow = deny = 0
        for o in channel.overwrites:
            if o.kind == 0 and o.target == self.everyone.id:
                base = (base & ~o.deny) | o.allow
        for o in channel.overwrites:
            if o.kind == 0 and o.target != self.everyone.id and o.target in member.role_ids:
                allow, deny = allow | o.allow, deny | o.deny
        base = (base & ~deny) | allow
        for o in channel.overwrites:
            if o.kind == 1 and o.target == member.id:
                base = (base & ~o.deny) | o.allow
        return base

    def guild_payload(self, intents: int,
                      events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """GUILD_CREATE's data. Like Discord, other members come only with GUILD_MEMBERS."""
        members = [self.bot_member]
        if intents & INTENT_GUILD_MEMBERS:
            members += self.members
        return {
            "id": str(self.guild_id), "name": self.guild_name, "icon": None, "splash": None,
            "discovery_splash": None, "banner": None, "description": None,
            "owner_id": str(self.owner_id), "afk_channel_id": None, "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 1,
            "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0, "premium_tier": 0,
            "premium_subscription_count": 0, "premium_progress_bar_enabled": False,
            "system_channel_id": str(self.channels[0].id), "system_channel_flags": 0,
            "rules_channel_id": None, "public_updates_channel_id": None,
            "safety_alerts_channel_id": None, "vanity_url_code": None,
            "preferred_locale": "en-US", "features": [], "max_members": 500000,
            "max_video_channel_users": 25, "application_id": None, "widget_enabled": False,
            "roles": [r.payload() for r in self.roles], "emojis": [], "stickers": [],
            "joined_at": iso(self.bot_member.joined_at), "large": False, "unavailable": False,
            "member_count": len(self.members) + 1, "voice_states": [],
            "members": [m.payload() for m in members],
            "channels": [c.payload(self.guild_id) for c in self.channels], "threads": [],
            "presences": [], "stage_instances": [], "guild_scheduled_events": events or [],
            "soundboard_sounds": [], "embedded_activities": [], "lazy": True,
        }
