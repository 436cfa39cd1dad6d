"""GatewayEndpoint: the gateway websocket — HELLO, heartbeats, IDENTIFY, RESUME, dispatch.

Each guild's events go to the session of the shard that owns the guild.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from typing import Any

from aiohttp import WSMsgType, web

from bot.sandbox import gateway as gw
from bot.sandbox.errors import SandboxError
from bot.sandbox.state import SandboxState
from bot.sandbox.world import World


class GatewayEndpoint:
    """Serves /gateway and /gateway-resume; the sessions live in `state.sessions`."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    # ----- which session serves what --------------------------------------------------------

    def session(self, shard: int | None = None) -> gw.Session | None:
        """The newest session (of shard id `shard`, if given), connected ones first."""
        pool = [s for s in self.state.sessions if shard is None or s.shard[0] == shard]
        live = [s for s in pool if s.connection is not None]
        candidates = live or pool
        return candidates[-1] if candidates else None

    def session_for(self, guild_id: int | None) -> gw.Session | None:
        """The session a guild's events go to: the newest connected one whose shard owns the
        guild, else the newest such one (its replay buffer keeps them for a RESUME)."""
        owners = [s for s in self.state.sessions if s.owns(guild_id)]
        live = [s for s in owners if s.connection is not None]
        candidates = live or owners
        return candidates[-1] if candidates else None

    def served(self, session: gw.Session) -> bool:
        owned = {w.guild_id for w in self.state.worlds if session.owns(w.guild_id)}
        return session.connection is not None and session.seq > 0 and owned <= session.guilds

    def ready(self, shard: int | None = None) -> bool:
        session = self.session(shard)
        return session is not None and self.served(session)

    # ----- the websocket --------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        state = self.state
        ws = web.WebSocketResponse(autoping=True, max_msg_size=4 * 1024 * 1024)
        await ws.prepare(request)
        compress = request.query.get("compress") == "zlib-stream"
        connection = gw.Connection(ws, request, compress)
        state.gateway_log.append(("server", "open", request.path))
        await connection.send({"op": gw.HELLO, "d": {
            "heartbeat_interval": gw.HEARTBEAT_INTERVAL_MS, "_trace": ["sandbox"]},
            "s": None, "t": None})
        session: gw.Session | None = None
        try:
            async for frame in ws:
                if frame.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(frame.data)
                op, data = payload.get("op"), payload.get("d")
                state.gateway_log.append(("bot", op, _without_token(data)))
                if op == gw.HEARTBEAT:
                    await connection.send({"op": gw.HEARTBEAT_ACK})
                elif op == gw.IDENTIFY:
                    session = await self._identify(connection, data or {})
                elif op == gw.RESUME:
                    session = await self._resume(connection, data or {})
        except ConnectionResetError:
            pass
        finally:
            if session is not None and session.connection is connection:
                session.connection = None
            state.gateway_log.append(("server", "closed", ws.close_code))
            state.notify()
        return ws

    async def _identify(self, connection: gw.Connection, data: dict[str, Any]) -> gw.Session:
        state = self.state
        if data.get("token") != state.token:
            await connection.ws.close(code=gw.AUTHENTICATION_FAILED,
                                      message=b"Authentication failed.")
            raise ConnectionResetError("refused token")
        try:
            shard = gw.parse_shard(data.get("shard"), minimum=state.minimum_shards())
        except gw.ShardRefused as refused:
            state.gateway_log.append(("server", "refused", refused.code))
            await connection.ws.close(code=refused.code, message=refused.reason.encode())
            raise ConnectionResetError(refused.reason) from None
        state.identifies += 1
        session = gw.Session(intents=int(data.get("intents") or 0), shard=shard)
        session.connection = connection
        state.sessions.append(session)
        owned = [w for w in state.worlds if session.owns(w.guild_id)]
        user = state.world.bot_user.payload()
        user.update(verified=True, mfa_enabled=False, email=None)
        ready = {
            "v": 10, "user": user, "session_id": session.id, "session_type": "normal",
            "resume_gateway_url": state.resume_gateway_url,
            "guilds": [{"id": str(w.guild_id), "unavailable": True} for w in owned],
            "application": {"id": str(state.world.application_id), "flags": 0},
            "private_channels": [], "relationships": [], "presences": [],
            "user_settings": {}, "geo_ordered_rtc_regions": ["sandbox"], "guild_join_requests": [],
            "auth_session_id_hash": secrets.token_hex(8), "_trace": ["sandbox"],
        }
        if "shard" in data:
            # Discord echoes the pair only to a client that sent one.
            ready["shard"] = list(shard)
        await connection.send(self._frame(session, "READY", ready))
        for world in owned:
            await self.send_guild(session, world)
        state.notify()
        return session

    async def send_guild(self, session: gw.Session, world: World, *,
                         joined: bool = False) -> None:
        """GUILD_CREATE for one guild, sent now or kept for the session's RESUME."""
        data = world.guild_payload(session.intents, self.state.guild_events(world))
        if joined:
            # Discord leaves `unavailable` out when the bot joins; `false` would tell
            # discord.py a known guild came back from an outage (guild_available, not join).
            del data["unavailable"]
        session.guilds.add(world.guild_id)
        await self._deliver(session, self._frame(session, "GUILD_CREATE", data))

    async def _resume(self, connection: gw.Connection, data: dict[str, Any]) -> gw.Session | None:
        state = self.state
        session = next((s for s in state.sessions if s.id == data.get("session_id")), None)
        if data.get("token") != state.token:
            await connection.ws.close(code=gw.AUTHENTICATION_FAILED,
                                      message=b"Authentication failed.")
            raise ConnectionResetError("refused token")
        if session is None:
            await connection.send({"op": gw.INVALID_SESSION, "d": False})
            return None
        if session.connection is not None and session.connection is not connection:
            with contextlib.suppress(Exception):
                await session.connection.ws.close(code=gw.DROPPED)
        session.connection = connection
        session.resumes += 1
        state.resumes += 1
        for payload in session.missed(data.get("seq")):
            await connection.send(payload)
        await connection.send(self._frame(session, "RESUMED", {"_trace": ["sandbox"]}))
        state.notify()
        return session

    # ----- dispatching ----------------------------------------------------------------------

    def _frame(self, session: gw.Session, event: str, data: dict[str, Any]) -> dict[str, Any]:
        if self.state.rewrite_dispatch is not None:
            data = self.state.rewrite_dispatch(event, data)
        return session.frame(event, data)

    async def dispatch(self, event: str, data: dict[str, Any], *,
                       guild_id: int | None) -> gw.Session | None:
        """Sends a guild's event (guild_id None: a DM's) to its shard's current session.

        Returns that session, or None when no session has ever served the shard: the event
        is then lost, as on Discord, which keeps events only for sessions it can resume.
        """
        session = self.session_for(guild_id)
        if session is None:
            return None
        await self._deliver(session, self._frame(session, event, data))
        return session

    async def _deliver(self, session: gw.Session, payload: dict[str, Any]) -> None:
        connection = session.connection
        if connection is not None:
            try:
                await connection.send(payload)
            except (ConnectionResetError, RuntimeError):
                # Lost with the connection; the bot gets it again when it resumes.
                session.connection = None

    async def drop(self, *, clean: bool = False, shard: int | None = None) -> None:
        """Drops the bot's websocket (that of shard id `shard`, if given): cut like a network
        failure, or closed with code 4000."""
        session = self.session(shard)
        if session is None or session.connection is None:
            raise SandboxError("the bot has no gateway connection to drop")
        connection, session.connection = session.connection, None
        self.state.gateway_log.append(("server", "drop", "clean" if clean else "cut"))
        if clean:
            await connection.ws.close(code=gw.DROPPED, message=b"dropped by the sandbox")
        else:
            connection.cut()
        self.state.notify()

    async def close_all(self) -> None:
        for session in self.state.sessions:
            if session.connection is not None:
                with contextlib.suppress(Exception):
                    await session.connection.ws.close(code=1001)


def _without_token(data: Any) -> Any:
    if isinstance(data, dict) and "token" in data:
        return {**data, "token": "[token]"}
    return data
