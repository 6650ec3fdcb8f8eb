"""The host's web server: ``GET /ws?token=...[&lang=zh|en]`` opens a seat's WebSocket; ``/seat/TOKEN/`` is its page (:mod:`.web`).

Refused before the upgrade, with 403: an unknown token, or an ``Origin`` header that is not the
host's own (a page elsewhere in a browser must not drive a seat; terminal clients send none).
With 503: more sockets at once than the app's bound (:data:`MAX_CONNECTIONS` unless told). A seat has one live socket: a new one
with its token replaces the old (a reconnect). Every frame goes to :meth:`Room.receive`.
"""

from __future__ import annotations

from aiohttp import WSMsgType, web

from .protocol import MAX_MESSAGE
from .room import Room
from .web import add_seat_routes

MAX_CONNECTIONS = 64
"""Open WebSockets the host keeps at once, all seats together."""
ROOM: web.AppKey[Room] = web.AppKey("room", Room)
ORIGINS: web.AppKey[set[str]] = web.AppKey("origins", set)
LIVE: web.AppKey[list[int]] = web.AppKey("live", list)
"""Open sockets now, and the most allowed."""


def make_app(room: Room, limit: int | None = None) -> web.Application:
    """The web application of a room, at most ``limit`` sockets at once; call :func:`allow_origin` once the port is known."""
    app = web.Application()
    app[ROOM] = room
    app[ORIGINS] = set()
    app[LIVE] = [0, MAX_CONNECTIONS if limit is None else limit]
    app.router.add_get("/ws", _seat_socket)
    add_seat_routes(app, room, app[ORIGINS])
    return app


def allow_origin(app: web.Application, host: str, port: int) -> None:
    """Accept browsers whose page came from this host's own address."""
    app[ORIGINS].add(f"http://{host}:{port}")


async def _seat_socket(request: web.Request) -> web.StreamResponse:
    app = request.app
    room = app[ROOM]
    seat = room.seat_for(request.query.get("token", ""))
    if seat is None:
        raise web.HTTPForbidden(text="unknown seat token\n")
    origin = request.headers.get("Origin")
    if origin is not None and origin not in app[ORIGINS]:
        raise web.HTTPForbidden(text=f"origin {origin} is not this host's\n")
    lang = request.query.get("lang")
    if lang not in (None, "zh", "en"):
        raise web.HTTPBadRequest(text="lang: zh or en\n")
    live = app[LIVE]
    if live[0] >= live[1]:
        raise web.HTTPServiceUnavailable(text="too many connections\n")
    ws = web.WebSocketResponse(max_msg_size=MAX_MESSAGE, heartbeat=30.0)
    live[0] += 1  # counted before the handshake's await, so a burst of handshakes cannot all pass the check
    try:
        await ws.prepare(request)
        link = await room.attach(seat, ws, lang)
        async for msg in ws:
            if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                await room.receive(link, msg.data)
        await room.detach(link)
    finally:
        live[0] -= 1
    return ws
