"""Who may change what: reading is for every member, writing for editors, settings for admins."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import PermissionDeniedError
from bot.domain.records import GuildSettings


@dataclass(frozen=True)
class Actor:
    """The member behind a request, reduced to what the rules need."""

    guild_id: int
    user_id: int
    can_manage_guild: bool = False
    role_ids: frozenset[int] = frozenset()

    def is_editor(self, settings: GuildSettings) -> bool:
        if self.can_manage_guild:
            return True
        return settings.editor_role_id is not None and settings.editor_role_id in self.role_ids


def require_editor(actor: Actor, settings: GuildSettings) -> None:
    if actor.is_editor(settings):
        return
    if settings.editor_role_id is not None:
        who = f"the Manage Server permission or the <@&{settings.editor_role_id}> role"
    else:
        who = "the Manage Server permission (an admin can name an editor role with /settings)"
    raise PermissionDeniedError(f"Changing records needs {who}. Nothing was changed.")


def require_admin(actor: Actor) -> None:
    if not actor.can_manage_guild:
        raise PermissionDeniedError(
            "Changing this server's settings needs the Manage Server permission. "
            "Nothing was changed."
        )
