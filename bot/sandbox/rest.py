"""RestApi: the REST front door — records a request, applies faults and holds, routes it.

It also checks the bot token where a route needs it; the helpers the routes_*.py modules
share live here too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from bot.sandbox.errors import HTTPError
from bot.sandbox.faults import Fault, Faults
from bot.sandbox.messages import FormError
from bot.sandbox.state import Recorded, SandboxState
from bot.sandbox.world import World

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
# Exactly this: discord.py treats `application/json; charset=utf-8` as text.
JSON_TYPE = "application/json"


@dataclass
class Context:
    """A request as a route handler sees it: path parameters, query, body and files."""

    request: web.Request
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[dict[str, Any]] = field(default_factory=list)


Handler = Callable[[Context], Awaitable[tuple[int, Any]]]
# (method, path template with {names}, handler, whether the bot token is required)
RouteSpec = tuple[str, str, Handler, bool]


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool = True


def compile_routes(table: Sequence[RouteSpec]) -> list[Route]:
    routes = []
    for method, template, handler, auth in table:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        routes.append(Route(method, re.compile(f"^{regex}$"), handler, auth))
    return routes


class RestApi:
    """Serves /api/v10/...: the first route of the table that matches a request answers it."""

    def __init__(self, state: SandboxState, faults: Faults, table: Sequence[RouteSpec]) -> None:
        self.state = state
        self.faults = faults
        self.routes = compile_routes(table)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX):]
        query = dict(request.query)
        body, files = await read_body(request)
        record = Recorded(request.method, path, query, body,
                          at=asyncio.get_running_loop().time())
        self.state.requests.append(record)
        response = await self._answer(request, record, files)
        hold = self.faults.hold_for(record)
        if hold is not None:
            hold.held.append(record)
            self.state.notify()
            await hold.wait()
        record.status = response.status
        self.state.notify()
        return response

    async def _answer(self, request: web.Request, record: Recorded,
                      files: list[dict[str, Any]]) -> web.Response:
        fault = self.faults.fault_for(record)
        if fault is not None and not fault.after:
            return _fault_response(fault)
        route, params = self.match(record.method, record.path)
        if route is None:
            self.state.unhandled.append(record)
            log.warning("sandbox: no route for %s %s", record.method, record.path)
            response = json_response(404, {"message": "404: Not Found", "code": 0})
        elif route.auth and request.headers.get("Authorization") != f"Bot {self.state.token}":
            response = json_response(401, {"message": "401: Unauthorized", "code": 0})
        else:
            context = Context(request, params, record.query, record.json, files)
            try:
                status, data = await route.handler(context)
                response = (web.Response(status=204) if data is None
                            else json_response(status, data))
            except HTTPError as exc:
                response = json_response(exc.status, exc.body)
            except FormError as exc:
                log.warning("sandbox refused %s %s: %s", record.method, record.path, exc)
                response = json_response(400, exc.body())
        if fault is not None:
            return _fault_response(fault)
        return response

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            if route.method == method:
                found = route.pattern.match(path)
                if found:
                    return route, found.groupdict()
        return None, {}


def _fault_response(fault: Fault) -> web.Response:
    status, body, headers = fault.answer()
    return json_response(status, body, headers)


def json_response(status: int, data: Any, headers: dict[str, str] | None = None
                  ) -> web.Response:
    return web.Response(status=status, body=json.dumps(data).encode(),
                        headers={"Content-Type": JSON_TYPE, **(headers or {})})


def body_of(ctx: Context) -> dict[str, Any]:
    """The JSON body when it is an object, else an empty one."""
    return ctx.json if isinstance(ctx.json, dict) else {}


def guild_of(state: SandboxState, ctx: Context) -> World:
    """The guild named by the path's {guild}, or 404 Unknown Guild."""
    world = state.find_guild(ctx.params["guild"])
    if world is None:
        raise HTTPError(404, 10004, "Unknown Guild")
    return world


async def read_body(request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
    """JSON, or multipart with payload_json and files, as discord.py sends them."""
    if not request.can_read_body:
        return None, []
    content_type = request.content_type
    if content_type == "multipart/form-data":
        payload: Any = None
        files = []
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            elif part.filename:
                files.append({"filename": part.filename, "data": await part.read(),
                              "content_type": part.headers.get("Content-Type")})
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode("utf-8", "replace"), []
