"""Exchange: one interaction the sandbox sent to the bot and all the bot answered; Event: what
a person would see happen."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.sandbox.messages import EPHEMERAL, buttons
from bot.sandbox.world import Channel, Member

if TYPE_CHECKING:
    from bot.sandbox.state import SandboxState

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
# Interaction callback types.
CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9


@dataclass
class Event:
    """Something the bot did that a person would see: kind is reply, update, followup,
    post, delete, modal or choices."""

    kind: str
    message: dict[str, Any] | None = None
    exchange: Exchange | None = None
    channel_id: int | None = None


class Exchange:
    """One interaction the server sent to the bot, and everything the bot answered."""

    def __init__(self, server: SandboxState, kind: int, member: Member, channel: Channel,
                 data: dict[str, Any], message_id: int | None = None) -> None:
        self.server = server
        self.id = server.ids.next()
        self.token = "sandbox-interaction-" + secrets.token_urlsafe(24)
        self.kind = kind
        self.member = member
        self.channel = channel
        self.data = data
        # For a component or a modal opened from one: the message it sits on.
        self.component_message_id = message_id
        self.sent_at = 0.0
        self.answered_at: float | None = None
        self.response_type: int | None = None
        self.original_id: int | None = None
        self.followup_ids: list[int] = []
        self.edits = 0
        self.modal: dict[str, Any] | None = None
        self.choices: list[dict[str, Any]] | None = None
        self.refused: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return (f"<Exchange {self.describe()} response={self.response_type} "
                f"content={self.content!r}>")

    def describe(self) -> str:
        if self.kind in (APPLICATION_COMMAND, AUTOCOMPLETE):
            return "/" + " ".join(self._path())
        return {MESSAGE_COMPONENT: "click", MODAL_SUBMIT: "form"}.get(self.kind, "interaction")

    def _path(self) -> list[str]:
        path, options = [self.data.get("name", "?")], self.data.get("options") or []
        while options and options[0].get("type") in (1, 2):
            path.append(options[0]["name"])
            options = options[0].get("options") or []
        return path

    @property
    def latency(self) -> float | None:
        """Seconds from sending the interaction to the bot's callback."""
        return None if self.answered_at is None else self.answered_at - self.sent_at

    @property
    def message(self) -> dict[str, Any] | None:
        """The response message as it stands now (the component's message after an update)."""
        ref = self.original_id
        if ref is None and self.response_type in (DEFERRED_UPDATE, UPDATE_MESSAGE):
            ref = self.component_message_id
        return None if ref is None else self.server.messages.get(ref)

    @property
    def followups(self) -> list[dict[str, Any]]:
        return [self.server.messages[i] for i in self.followup_ids if i in self.server.messages]

    @property
    def content(self) -> str:
        message = self.message
        return (message or {}).get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list((self.message or {}).get("embeds") or [])

    @property
    def ephemeral(self) -> bool:
        return bool(int((self.message or {}).get("flags") or 0) & EPHEMERAL)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return buttons(self.message or {})

    def text(self) -> str:
        """Everything readable in the response and follow-ups, for assertions."""
        parts = []
        for message in [m for m in [self.message, *self.followups] if m]:
            parts.append(message.get("content") or "")
            for embed in message.get("embeds") or []:
                parts += [embed.get("title") or "", embed.get("description") or ""]
                for item in embed.get("fields") or []:
                    parts += [item.get("name") or "", item.get("value") or ""]
                parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)

    def is_settled(self) -> bool:
        if self.response_type is None:
            return False
        if self.response_type == DEFERRED_MESSAGE:
            return self.edits > 0 or bool(self.followup_ids)
        if self.response_type == DEFERRED_UPDATE:
            return self.edits > 0 or bool(self.followup_ids)
        return True
