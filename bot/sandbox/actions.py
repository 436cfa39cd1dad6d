"""MemberActions: members' slash commands, autocomplete, clicks, selects and form submits.

Each is an interaction sent to the bot over the gateway and waited on until the bot
answers, built as Discord's client builds it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.sandbox import gateway as gw
from bot.sandbox.errors import InteractionFailed, SandboxError
from bot.sandbox.exchange import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    Exchange,
)
from bot.sandbox.gateway_endpoint import GatewayEndpoint
from bot.sandbox.message_store import MessageStore
from bot.sandbox.messages import (
    BUTTON,
    EPHEMERAL,
    LABEL,
    LINK_STYLE,
    TEXT_INPUT,
    buttons,
    selects,
    text_inputs,
)
from bot.sandbox.options import OptionBuilder, OptionError, find_command
from bot.sandbox.state import SandboxState
from bot.sandbox.world import Channel, Member, World

MessageRef = dict[str, Any] | Exchange | int


class Send(Protocol):
    def __call__(self, exchange: Exchange, *, within: float,
                 settle: bool) -> Awaitable[Exchange]: ...


class MemberActions:
    """Builds each interaction as Discord's client would and sends it.

    `send` and `payload` are the server's own `_send` and `_interaction_payload`, so a
    subclass of the server (the wire benchmark's) can change what every action sends.
    """

    def __init__(self, state: SandboxState, gateway: GatewayEndpoint, store: MessageStore, *,
                 send: Send, payload: Callable[[Exchange], dict[str, Any]]) -> None:
        self.state = state
        self.gateway = gateway
        self.store = store
        self._send = send
        self._payload = payload

    def synced_commands(self, guild: World | int | str | None = None) -> list[dict[str, Any]]:
        own = self.state.commands.get(self.state.guild(guild).guild_id, [])
        names = {c["name"] for c in own}
        return own + [c for c in self.state.commands.get(None, []) if c["name"] not in names]

    def interaction_payload(self, exchange: Exchange) -> dict[str, Any]:
        """INTERACTION_CREATE's data for an exchange, as Discord sends it."""
        member, channel = exchange.member, exchange.channel
        world = self.state.home(channel)
        member_data = member.payload()
        member_data["permissions"] = str(world.permissions(member, channel))
        channel_data = channel.payload(world.guild_id)
        channel_data["permissions"] = member_data["permissions"]
        payload: dict[str, Any] = {
            "id": str(exchange.id), "application_id": str(world.application_id),
            "type": exchange.kind, "data": exchange.data, "guild_id": str(world.guild_id),
            "guild": {"id": str(world.guild_id), "locale": "en-US", "features": []},
            "channel_id": str(channel.id), "channel": channel_data, "member": member_data,
            "token": exchange.token, "version": 1,
            "app_permissions": str(world.permissions(world.bot_member, channel)),
            "locale": "en-US", "guild_locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": {"0": str(world.guild_id)}, "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if exchange.component_message_id is not None:
            message = self.state.messages.get(exchange.component_message_id)
            if message is not None:
                payload["message"] = message
        return payload

    async def send(self, exchange: Exchange, *, within: float, settle: bool) -> Exchange:
        """Dispatches the interaction to its shard and waits for the bot's answer (and, with
        `settle`, for a deferred answer to be filled in)."""
        state = self.state
        state.exchanges[exchange.id] = exchange
        state.by_token[exchange.token] = exchange
        exchange.sent_at = asyncio.get_running_loop().time()
        guild_id = state.home(exchange.channel).guild_id
        session = await self.gateway.dispatch("INTERACTION_CREATE", self._payload(exchange),
                                              guild_id=guild_id)
        if session is None:
            # Discord drops it: the person sees "This interaction failed", the bot nothing.
            state.dropped.append(exchange)
            exchange.refused.append({"code": "unserved shard", "guild_id": guild_id})
            if not state.sessions:
                raise InteractionFailed("the bot has not connected to the gateway", exchange)
            count = state.sessions[-1].shard[1]
            raise InteractionFailed(
                f"{exchange.describe()} failed: no gateway session serves shard "
                f"{gw.shard_of(guild_id, count)} of {count} (guild {guild_id}), so Discord "
                "drops the interaction", exchange)
        what = f"an answer to {exchange.describe()}"
        await state.wait_until(lambda: exchange.response_type is not None or exchange.refused,
                               within=within, what=what)
        if exchange.response_type is None:
            raise SandboxError(f"{what} came too late: {exchange.refused}")
        if settle:
            await state.wait_until(exchange.is_settled, within=within,
                                   what=f"the deferred answer to {exchange.describe()}")
        return exchange

    async def slash(self, command: str, options: dict[str, Any] | None, *,
                    member: str | Member, channel: str | Channel, within: float, settle: bool,
                    guild: World | int | str | None) -> Exchange:
        world, who, where = self.state.place(member, channel, guild)
        invocation = find_command(self.synced_commands(world), command)
        builder = OptionBuilder(world, who, where, upload=self.upload)
        self._check_visible(world, invocation.command, who, where)
        data = self._command_data(invocation.command, invocation.wrap([]))
        data["options"] = builder.build(invocation, options or {})
        if builder.resolved:
            data["resolved"] = builder.resolved
        exchange = Exchange(self.state, APPLICATION_COMMAND, who, where, data)
        return await self._send(exchange, within=within, settle=settle)

    async def autocomplete(self, command: str, option: str, typed: str,
                           options: dict[str, Any] | None, *, member: str | Member,
                           channel: str | Channel, within: float,
                           guild: World | int | str | None) -> list[dict[str, Any]]:
        world, who, where = self.state.place(member, channel, guild)
        invocation = find_command(self.synced_commands(world), command)
        definition = next((o for o in invocation.leaf_options if o["name"] == option), None)
        if definition is None or not definition.get("autocomplete"):
            raise OptionError(f"/{invocation.name} {option} does not autocomplete")
        builder = OptionBuilder(world, who, where)
        data = self._command_data(invocation.command, [])
        data["options"] = builder.build(invocation, {**(options or {}), option: typed},
                                        focused=option)
        exchange = Exchange(self.state, AUTOCOMPLETE, who, where, data)
        await self._send(exchange, within=within, settle=False)
        return list(exchange.choices or [])

    def upload(self, filename: str, data: bytes, content_type: str | None = None
               ) -> dict[str, Any]:
        return self.store.store_file(filename, data, content_type)

    def _command_data(self, command: dict[str, Any], options: list[Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": 1,
                                "options": options}
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        return data

    def _check_visible(self, world: World, command: dict[str, Any], member: Member,
                       channel: Channel) -> None:
        needed = command.get("default_member_permissions")
        if needed is not None and int(needed) & ~world.permissions(member, channel):
            raise OptionError(f"{member.name} cannot see /{command['name']}: it needs "
                              f"permissions {needed} by default")

    def _component_message(self, message: MessageRef) -> dict[str, Any]:
        if isinstance(message, Exchange):
            found = message.message
        elif isinstance(message, int):
            found = self.state.messages.get(message)
        else:
            found = self.state.messages.get(int(message["id"]))
        if found is None:
            raise SandboxError("that message is gone")
        return found

    def _check_sees(self, message: dict[str, Any], member: Member) -> None:
        if int(message.get("flags") or 0) & EPHEMERAL:
            owner = (message.get("interaction_metadata") or {}).get("user", {}).get("id")
            if owner != str(member.id):
                raise SandboxError(f"{member.name} cannot see that message: only its "
                                   "recipient can")

    async def click(self, message: MessageRef, custom_id: str | None, *, label: str | None,
                    index: int | None, member: str | Member | None, within: float,
                    settle: bool) -> Exchange:
        target = self._component_message(message)
        who = self._actor(message, member)
        self._check_sees(target, who)
        candidates = buttons(target)
        if custom_id is not None:
            chosen = [b for b in candidates if b.get("custom_id") == custom_id]
        elif label is not None:
            chosen = [b for b in candidates if (b.get("label") or "").lower() == label.lower()]
        elif index is not None:
            chosen = candidates[index:index + 1] if 0 <= index < len(candidates) else []
        else:
            chosen = candidates[:1] if len(candidates) == 1 else []
        if not chosen:
            names = ", ".join(repr(b.get("label") or b.get("custom_id")) for b in candidates)
            raise SandboxError(f"no such button; this message has: {names or 'none'}")
        button = chosen[0]
        if button.get("disabled"):
            raise SandboxError(f"the button {button.get('label')!r} is disabled")
        if button.get("style") == LINK_STYLE:
            raise SandboxError(f"the button {button.get('label')!r} is a link: "
                               f"{button.get('url')}")
        data = {"custom_id": button["custom_id"], "component_type": BUTTON}
        channel = self.state.find_channel(int(target["channel_id"]))
        assert channel is not None
        exchange = Exchange(self.state, MESSAGE_COMPONENT, who, channel, data,
                            int(target["id"]))
        return await self._send(exchange, within=within, settle=settle)

    async def select(self, message: MessageRef, custom_id: str, values: list[str], *,
                     member: str | Member | None, within: float) -> Exchange:
        target = self._component_message(message)
        who = self._actor(message, member)
        self._check_sees(target, who)
        menu = next((s for s in selects(target) if s.get("custom_id") == custom_id), None)
        if menu is None:
            raise SandboxError(f"no select menu {custom_id!r} on that message")
        offered = {o.get("value") for o in menu.get("options") or []}
        if menu.get("type") == 3 and not set(values) <= offered:
            raise SandboxError(f"{sorted(set(values) - offered)} are not among the options")
        data = {"custom_id": custom_id, "component_type": menu["type"], "values": values}
        channel = self.state.find_channel(int(target["channel_id"]))
        assert channel is not None
        exchange = Exchange(self.state, MESSAGE_COMPONENT, who, channel, data,
                            int(target["id"]))
        return await self._send(exchange, within=within, settle=True)

    async def submit_modal(self, shown: Exchange, values: dict[str, str], *,
                           member: str | Member | None, within: float,
                           settle: bool) -> Exchange:
        if shown.modal is None:
            raise SandboxError("that interaction did not open a form")
        who = (self.state.home(shown.channel).member(member) if member is not None
               else shown.member)
        fields = text_inputs(shown.modal.get("components") or [])
        wanted = {k.lower(): v for k, v in values.items()}
        known = {str(f.get("custom_id")).lower() for f in fields} | {
            str(f.get("label")).lower() for f in fields}
        unknown = set(wanted) - known
        if unknown:
            raise SandboxError(f"the form has no field {sorted(unknown)}; fields: "
                               f"{', '.join(str(f.get('label')) for f in fields)}")

        def filled(component: dict[str, Any]) -> dict[str, Any]:
            kind = component.get("type")
            if kind == LABEL:
                return {"type": LABEL, "id": component.get("id"),
                        "component": filled(dict(component["component"],
                                                 label=component.get("label")))}
            if kind == TEXT_INPUT:
                key_id = str(component.get("custom_id")).lower()
                key_label = str(component.get("label")).lower()
                value = wanted.get(key_id, wanted.get(key_label, component.get("value") or ""))
                if component.get("required", True) and not value:
                    raise SandboxError(f"the field {component.get('label')!r} is required")
                most = int(component.get("max_length") or 4000)
                if len(value) > most:
                    raise SandboxError(f"the field {component.get('label')!r} takes at most "
                                       f"{most} characters")
                return {"type": TEXT_INPUT, "custom_id": component["custom_id"], "value": value}
            return {"type": kind, "components": [filled(c) for c in
                                                  component.get("components") or []]}

        data = {"custom_id": shown.modal["custom_id"],
                "components": [filled(c) for c in shown.modal.get("components") or []]}
        exchange = Exchange(self.state, MODAL_SUBMIT, who, shown.channel, data,
                            shown.component_message_id)
        return await self._send(exchange, within=within, settle=settle)

    def _actor(self, message: MessageRef, member: str | Member | None) -> Member:
        if isinstance(message, Exchange) and member is None:
            return message.member
        # Whoever acts is a member of the guild the message is in.
        home = self.state.home(int(self._component_message(message)["channel_id"]))
        return home.member(member if member is not None else "admin")
