"""REST routes for answering interactions: the 3-second callback, then the webhook.

The webhook edits the response and sends follow-ups while the token lasts (15 minutes).
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.sandbox.errors import HTTPError
from bot.sandbox.exchange import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_MESSAGE,
    DEFERRED_UPDATE,
    MESSAGE_COMPONENT,
    MODAL,
    MODAL_SUBMIT,
    UPDATE_MESSAGE,
    Event,
    Exchange,
)
from bot.sandbox.message_store import MessageStore
from bot.sandbox.messages import EPHEMERAL, LOADING, check_choices, check_message, check_modal
from bot.sandbox.rest import Context, body_of
from bot.sandbox.state import SandboxState

RESPONSE_DEADLINE = 3.0
TOKEN_LIFETIME = 15 * 60.0


class InteractionRoutes:
    """/interactions/{id}/{token}/callback and /webhooks/{app}/{token}[/messages/{id}]."""

    def __init__(self, state: SandboxState, store: MessageStore) -> None:
        self.state = state
        self.store = store

    def _exchange(self, ctx: Context, id_key: str = "app") -> Exchange:
        exchange = self.state.by_token.get(ctx.params["token"])
        if id_key == "interaction":
            if exchange is None or str(exchange.id) != ctx.params["interaction"]:
                raise HTTPError(404, 10062, "Unknown interaction")
        elif exchange is None or int(ctx.params["app"]) != self.state.world.application_id:
            raise HTTPError(404, 10015, "Unknown Webhook")
        loop = asyncio.get_running_loop()
        if loop.time() > exchange.sent_at + TOKEN_LIFETIME:
            raise HTTPError(401, 50027, "Invalid Webhook Token")
        return exchange

    async def callback(self, ctx: Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx, "interaction")
        now = asyncio.get_running_loop().time()
        if now > exchange.sent_at + RESPONSE_DEADLINE:
            exchange.refused.append({"code": 10062, "late_by": now - exchange.sent_at})
            raise HTTPError(404, 10062, "Unknown interaction")
        if exchange.response_type is not None:
            exchange.refused.append({"code": 40060})
            raise HTTPError(400, 40060, "Interaction has already been acknowledged.")
        body = body_of(ctx)
        kind, data = body.get("type"), body.get("data") or {}
        allowed = {
            APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_MESSAGE, MODAL},
            MESSAGE_COMPONENT: {CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE,
                                UPDATE_MESSAGE, MODAL},
            AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
            MODAL_SUBMIT: {CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
        }[exchange.kind]
        if exchange.kind == MODAL_SUBMIT and exchange.component_message_id is None:
            allowed = {CHANNEL_MESSAGE, DEFERRED_MESSAGE}
        if kind not in allowed:
            raise HTTPError(400, 40004, f"Interaction callback type {kind} is not valid for "
                            f"this interaction (type {exchange.kind})")
        message: dict[str, Any] | None = None
        event: Event | None = None
        if kind == CHANNEL_MESSAGE:
            check_message(data, files=len(ctx.files))
            message = self.store.create(exchange.channel, data, files=ctx.files,
                                        exchange=exchange)
            exchange.original_id = int(message["id"])
            event = Event("reply", message, exchange, exchange.channel.id)
        elif kind == DEFERRED_MESSAGE:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = self.store.create(exchange.channel, {"content": "", "flags": flags},
                                        exchange=exchange, raw_flags=True)
            exchange.original_id = int(message["id"])
            event = Event("reply", message, exchange, exchange.channel.id)
        elif kind == UPDATE_MESSAGE:
            check_message(data, files=len(ctx.files), editing=True)
            assert exchange.component_message_id is not None
            message = self.store.edit(exchange.component_message_id, data, ctx.files)
            event = Event("update", message, exchange, exchange.channel.id)
        elif kind == AUTOCOMPLETE_RESULT:
            check_choices(data)
            exchange.choices = list(data["choices"])
            event = Event("choices", None, exchange, exchange.channel.id)
        elif kind == MODAL:
            check_modal(data)
            exchange.modal = data
            event = Event("modal", None, exchange, exchange.channel.id)
        exchange.response_type = kind
        exchange.answered_at = now
        if event is not None:
            self.state.emit(event)
        ephemeral = bool(message and int(message.get("flags") or 0) & EPHEMERAL)
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(exchange.id), "type": exchange.kind,
                "response_message_loading": kind == DEFERRED_MESSAGE,
                "response_message_ephemeral": ephemeral,
            },
            "resource": {"type": kind},
        }
        if message is not None:
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"]["message"] = message
        if ctx.query.get("with_response") in ("1", "true", "True"):
            return 200, answer
        return 204, None

    def _webhook_target(self, exchange: Exchange, ref: str) -> int:
        if ref == "@original":
            target = exchange.original_id
            if target is None and exchange.response_type in (DEFERRED_UPDATE, UPDATE_MESSAGE):
                target = exchange.component_message_id
            if target is None:
                raise HTTPError(404, 10008, "Unknown Message")
            return target
        if not ref.isdigit() or int(ref) not in exchange.followup_ids:
            raise HTTPError(404, 10008, "Unknown Message")
        return int(ref)

    async def get_webhook_message(self, ctx: Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx)
        return 200, self.state.messages[self._webhook_target(exchange, ctx.params["message"])]

    async def edit_webhook_message(self, ctx: Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx)
        target = self._webhook_target(exchange, ctx.params["message"])
        body = body_of(ctx)
        check_message(body, files=len(ctx.files), editing=True)
        message = self.store.edit(target, body, ctx.files)
        if ctx.params["message"] == "@original" or target == exchange.component_message_id:
            exchange.edits += 1
        self.state.emit(Event("update", message, exchange, int(message["channel_id"])))
        return 200, message

    async def delete_webhook_message(self, ctx: Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx)
        target = self._webhook_target(exchange, ctx.params["message"])
        message = self.state.messages.pop(target)
        self.state.emit(Event("delete", message, exchange, int(message["channel_id"])))
        return 204, None

    async def followup(self, ctx: Context) -> tuple[int, Any]:
        exchange = self._exchange(ctx)
        if exchange.response_type is None:
            raise HTTPError(404, 10015, "Unknown Webhook")
        body = body_of(ctx)
        check_message(body, files=len(ctx.files))
        original = exchange.message
        if (exchange.response_type == DEFERRED_MESSAGE and exchange.edits == 0
                and not exchange.followup_ids and original is not None):
            # Discord: the first follow-up after a deferral fills in the "thinking" message.
            message = self.store.edit(int(original["id"]), body, ctx.files,
                                      finish_loading=True)
            exchange.edits += 1
            self.state.emit(Event("update", message, exchange, exchange.channel.id))
        else:
            message = self.store.create(exchange.channel, body, files=ctx.files,
                                        exchange=exchange, followup=True)
            exchange.followup_ids.append(int(message["id"]))
            self.state.emit(Event("followup", message, exchange, exchange.channel.id))
        if ctx.query.get("wait") in ("1", "true", "True"):
            return 200, message
        return 204, None
