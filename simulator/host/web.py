"""Browser seats: the host serves each seat a page of its own, ``/seat/TOKEN/``, that speaks the seats' protocol.

The page (``web/seat.html``, ``seat.js``, ``seat.css``) is plain HTML and JavaScript: it opens the
same ``/ws?token=...`` socket a terminal seat opens and draws the messages of :mod:`.protocol`, so
the host decides what the seat may do exactly as for ``drillsim join``. A page of our own rather
than textual-serve running ``drillsim join`` per connection: no process per browser (a Textual app
is about 100 MB), a refresh is only a new socket with the same token (the host gives the seat to it
and sends the whole drill again), the token stays in the browser instead of a child's command line,
and Chinese is drawn by the browser's text engine with :func:`.webfont.seat_font`.

Nothing is served without a seat's token: the page, its script, style, font and names all live under the
token, so an unknown token is a 404 for all of them. Requests must name this host (a DNS-rebound
name is refused), the page says ``no-referrer`` and allows only its own origin's script, style,
font and socket.
"""

from __future__ import annotations

import asyncio
from importlib import resources

from aiohttp import web

from ..model import INJECT_KINDS
from .room import STRINGS, Room
from .webfont import seat_font

PREFIX = "/seat"
FILES = {
    "": ("seat.html", "text/html"),
    "seat.js": ("seat.js", "text/javascript"),
    "seat.css": ("seat.css", "text/css"),
}
FONT = "font.woff"
NAMES = "names.json"
"""What the page shows that the welcome does not carry: the scenario's briefing, the teams' and the inject kinds' names."""
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""The page's Content-Security-Policy: its own origin only, no inline script or style, no frames."""
SAFE = {"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": POLICY}


def seat_path(token: str) -> str:
    """The path of a seat's page."""
    return f"{PREFIX}/{token}/"


def add_seat_routes(app: web.Application, room: Room, origins: set[str]) -> None:
    """Serve each seat's page, script, style and font under its token; ``origins`` are the host's own."""
    font_text = _font_text(room)
    cutting = asyncio.Lock()  # the first requests wait for one cut of the font, not one cut each

    def seat_of(request: web.Request) -> None:
        if f"http://{request.host}" not in origins:
            raise web.HTTPForbidden(text="this host is not reached by that name\n")
        if room.seat_for(request.match_info["token"]) is None:
            raise web.HTTPNotFound(text="no such seat\n")

    async def bare(request: web.Request) -> web.StreamResponse:
        seat_of(request)
        raise web.HTTPFound(seat_path(request.match_info["token"]), headers=SAFE)

    async def file(request: web.Request) -> web.StreamResponse:
        seat_of(request)
        name, kind = FILES[request.match_info["name"]]
        body = resources.files(__package__).joinpath("web", name).read_bytes()
        return web.Response(body=body, content_type=kind, charset="utf-8", headers={**SAFE, "Cache-Control": "no-store"})

    async def font(request: web.Request) -> web.StreamResponse:
        seat_of(request)
        async with cutting:
            body = await asyncio.get_running_loop().run_in_executor(None, seat_font, font_text)
        return web.Response(body=body, content_type="font/woff", headers={**SAFE, "Cache-Control": "private, max-age=86400"})

    async def names(request: web.Request) -> web.StreamResponse:
        seat_of(request)
        kinds = {k: {"zh": zh, "en": en} for k, (zh, en) in INJECT_KINDS.items()}
        teams = {k: t.name.model_dump() for k, t in room.session.plan.teams.items()}
        briefing = room.session.scenario.briefing.model_dump()
        return web.json_response({"briefing": briefing, "teams": teams, "inject_kinds": kinds}, headers=SAFE)

    app.router.add_get(PREFIX + "/{token}", bare)
    app.router.add_get(f"{PREFIX}/{{token}}/{NAMES}", names)
    app.router.add_get(PREFIX + "/{token}/{name:(|seat\\.js|seat\\.css)}", file)
    app.router.add_get(f"{PREFIX}/{{token}}/{FONT}", font)


def _font_text(room: Room) -> str:
    """What a seat's page may show besides what people type: plan, scenario, seat names, the page's and the host's words."""
    session = room.session
    page = resources.files(__package__).joinpath("web", "seat.js").read_text(encoding="utf-8")
    host = "".join(zh for zh, _ in (*STRINGS.values(), *INJECT_KINDS.values()))
    seats = "".join(s.name for s in room.seats)
    return session.plan.model_dump_json() + session.scenario.model_dump_json() + page + host + seats
