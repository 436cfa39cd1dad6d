"""The REST route table: each path under /api/v10 and its handler, in the order tried."""

from __future__ import annotations

from bot.sandbox.message_store import MessageStore
from bot.sandbox.rest import RouteSpec
from bot.sandbox.routes_application import ApplicationRoutes
from bot.sandbox.routes_channels import ChannelRoutes
from bot.sandbox.routes_events import EventRoutes
from bot.sandbox.routes_guilds import GuildRoutes
from bot.sandbox.routes_interactions import InteractionRoutes
from bot.sandbox.state import SandboxState


def route_table(state: SandboxState, store: MessageStore) -> list[RouteSpec]:
    """(method, path template, handler, whether the bot token is required) for each route;
    the first that matches answers, so `/users/@me` comes before `/users/{user}`."""
    app = ApplicationRoutes(state)
    interactions = InteractionRoutes(state, store)
    channels = ChannelRoutes(state, store)
    guilds = GuildRoutes(state)
    events = EventRoutes(state)
    return [
        ("GET", "/users/@me", app.get_me, True),
        ("GET", "/users/{user}", app.get_user, True),
        ("GET", "/oauth2/applications/@me", app.get_application, True),
        ("GET", "/applications/@me", app.get_application, True),
        ("GET", "/gateway", app.get_gateway, False),
        ("GET", "/gateway/bot", app.get_gateway, True),
        ("GET", "/applications/{app}/commands", app.get_commands, True),
        ("PUT", "/applications/{app}/commands", app.put_commands, True),
        ("GET", "/applications/{app}/guilds/{guild}/commands", app.get_commands, True),
        ("PUT", "/applications/{app}/guilds/{guild}/commands", app.put_commands, True),
        ("GET", "/applications/{app}/guilds/{guild}/commands/permissions",
         app.command_permissions, True),
        ("POST", "/interactions/{interaction}/{token}/callback", interactions.callback, False),
        ("GET", "/webhooks/{app}/{token}/messages/{message}",
         interactions.get_webhook_message, False),
        ("PATCH", "/webhooks/{app}/{token}/messages/{message}",
         interactions.edit_webhook_message, False),
        ("DELETE", "/webhooks/{app}/{token}/messages/{message}",
         interactions.delete_webhook_message, False),
        ("POST", "/webhooks/{app}/{token}", interactions.followup, False),
        ("GET", "/channels/{channel}", channels.get_channel, True),
        ("GET", "/channels/{channel}/messages", channels.list_messages, True),
        ("POST", "/channels/{channel}/messages", channels.post_message, True),
        ("GET", "/channels/{channel}/messages/{message}", channels.get_message, True),
        ("PATCH", "/channels/{channel}/messages/{message}", channels.edit_message, True),
        ("DELETE", "/channels/{channel}/messages/{message}", channels.delete_message, True),
        ("POST", "/channels/{channel}/typing", channels.typing, True),
        ("GET", "/guilds/{guild}", guilds.get_guild, True),
        ("GET", "/guilds/{guild}/channels", guilds.get_guild_channels, True),
        ("GET", "/guilds/{guild}/roles", guilds.get_roles, True),
        ("GET", "/guilds/{guild}/members/{user}", guilds.get_member, True),
        ("GET", "/guilds/{guild}/scheduled-events", events.list_events, True),
        ("POST", "/guilds/{guild}/scheduled-events", events.create_event, True),
        ("GET", "/guilds/{guild}/scheduled-events/{event}", events.get_event, True),
        ("PATCH", "/guilds/{guild}/scheduled-events/{event}", events.edit_event, True),
        ("DELETE", "/guilds/{guild}/scheduled-events/{event}", events.delete_event, True),
    ]
