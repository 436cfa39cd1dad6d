"""MessageStore: the messages and files the server keeps, and the attachment URLs it serves."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.sandbox.errors import HTTPError
from bot.sandbox.exchange import APPLICATION_COMMAND, Exchange
from bot.sandbox.messages import EPHEMERAL, LOADING, SETTABLE_FLAGS
from bot.sandbox.state import SandboxState
from bot.sandbox.world import Channel, iso


class MessageStore:
    """Writes `state.messages` and `state.files`; the bot's messages are authored by its user."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def create(self, channel: Channel, data: dict[str, Any], *,
               files: list[dict[str, Any]] | None = None,
               exchange: Exchange | None = None, followup: bool = False,
               raw_flags: bool = False) -> dict[str, Any]:
        state = self.state
        message_id = state.ids.next()
        home = state.home(channel)
        flags = int(data.get("flags") or 0)
        if not raw_flags:
            flags &= SETTABLE_FLAGS
        message: dict[str, Any] = {
            "id": str(message_id), "channel_id": str(channel.id),
            "guild_id": str(home.guild_id), "author": state.world.bot_user.payload(),
            "content": data.get("content") or "", "timestamp": iso(datetime.now(UTC)),
            "edited_timestamp": None, "tts": bool(data.get("tts")), "mention_everyone": False,
            "mentions": [], "mention_roles": [], "mention_channels": [],
            "attachments": self._attachments(files or []),
            "embeds": [_embed(e) for e in data.get("embeds") or []], "reactions": [],
            "pinned": False, "type": 0, "flags": flags,
            "components": data.get("components") or [],
        }
        if data.get("nonce") is not None:
            message["nonce"] = data["nonce"]
        if exchange is not None:
            app = str(state.world.application_id)
            message.update(webhook_id=app, application_id=app)
            if exchange.kind == APPLICATION_COMMAND and not followup:
                message["type"] = 20
            message["interaction_metadata"] = {
                "id": str(exchange.id), "type": exchange.kind,
                "user": exchange.member.user.payload(),
                "authorizing_integration_owners": {"0": str(home.guild_id)},
            }
            if exchange.kind == APPLICATION_COMMAND:
                message["interaction_metadata"]["name"] = " ".join(exchange._path())
        state.messages[message_id] = message
        return message

    def edit(self, message_id: int, data: dict[str, Any], files: list[dict[str, Any]],
             *, finish_loading: bool = True) -> dict[str, Any]:
        message = self.state.messages.get(message_id)
        if message is None:
            raise HTTPError(404, 10008, "Unknown Message")
        for key in ("content", "embeds", "components"):
            if key in data and data[key] is not None:
                message[key] = data[key] if key != "embeds" else [_embed(e) for e in data[key]]
            elif key in data:
                message[key] = "" if key == "content" else []
        if "attachments" in data or files:
            kept = {str(a.get("id")) for a in data.get("attachments") or []}
            message["attachments"] = [a for a in message["attachments"] if a["id"] in kept]
            message["attachments"] += self._attachments(files)
        flags = int(message.get("flags") or 0)
        if finish_loading:
            flags &= ~LOADING
        if "flags" in data and data["flags"] is not None:
            flags = (flags & (EPHEMERAL | LOADING)) | (int(data["flags"]) & ~EPHEMERAL
                                                       & SETTABLE_FLAGS)
        message["flags"] = flags
        message["edited_timestamp"] = iso(datetime.now(UTC))
        return message

    def _attachments(self, files: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for file in files:
            attachment = self.store_file(file["filename"], file["data"],
                                         file.get("content_type"))
            attachment["data"] = file["data"].decode("utf-8", "replace")
            out.append(attachment)
        return out

    def store_file(self, filename: str, data: bytes, content_type: str | None) -> dict[str, Any]:
        """Keeps a file's bytes, served at the attachment's URL as Discord's CDN would."""
        attachment_id = str(self.state.ids.next())
        kind = content_type or "application/octet-stream"
        self.state.files[attachment_id] = (filename, data, kind)
        url = f"{self.state.origin}/attachments/{attachment_id}/{filename}"
        return {"id": attachment_id, "filename": filename, "size": len(data), "url": url,
                "proxy_url": url, "content_type": kind}

    def file_bytes(self, attachment_id: str) -> bytes | None:
        found = self.state.files.get(str(attachment_id))
        return found[1] if found else None

    async def serve_file(self, request: web.Request) -> web.StreamResponse:
        """GET /attachments/{attachment}/{filename}, as Discord's CDN answers it."""
        found = self.state.files.get(request.match_info["attachment"])
        if found is None or found[0] != request.match_info["filename"]:
            return web.Response(status=404, text="no such attachment")
        return web.Response(body=found[1], content_type=found[2].split(";")[0])


def _embed(embed: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich", **embed}
