"""The host's web server: ``GET /ws?token=...[&lang=zh|en]`` opens a seat's WebSocket to the room.

Refused before the upgrade, with 403: an unknown token, or an ``Origin`` header that is not the
host's own (a page elsewhere in a browser must not drive a seat; terminal clients send none).
With 503: more than :data:`MAX_CONNECTIONS` sockets at once. A seat has one live socket: a new one
with its token replaces the old (a reconnect). Every frame goes to :meth:`Room.receive`.
"""

from __future__ import annotations

from aiohttp import WSMsgType, web

from .protocol import MAX_MESSAGE
from .room import Room

MAX_CONNECTIONS = 64
"""Open WebSockets the host keeps at once, all seats together."""
ROOM: web.AppKey[Room] = web.AppKey("room", Room)
ORIGINS: web.AppKey[set[str]] = web.AppKey("origins", set)
LIVE: web.AppKey[list[int]] = web.AppKey("live", list)


def make_app(room: Room) -> web.Application:
    """The web application of a room; call :func:`allow_origin` once the port is known."""
    app = web.Application()
    app[ROOM] = room
    app[ORIGINS] = set()
    app[LIVE] = [0]
    app.router.add_get("/ws", _seat_socket)
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
    if live[0] >= MAX_CONNECTIONS:
        raise web.HTTPServiceUnavailable(text="too many connections\n")
    ws = web.WebSocketResponse(max_msg_size=MAX_MESSAGE, heartbeat=30.0)
    await ws.prepare(request)
    live[0] += 1
    try:
        link = await room.attach(seat, ws, lang)
        async for msg in ws:
            if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                await room.receive(link, msg.data)
        await room.detach(link)
    finally:
        live[0] -= 1
    return ws
