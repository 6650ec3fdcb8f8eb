"""Hosting a drill for a room: one session, many seats over WebSocket.

``drillsim host`` opens a :class:`~simulator.drill.DrillSession` and serves it as a :class:`Room`:
each trainee is a player seat holding its roles, a facilitator seat drives the clock and speaks to
the room, an evaluator seat keeps notes. Each seat joins with its own token
(``drillsim join ws://HOST:PORT/ws?token=...``, or its page ``http://HOST:PORT/seat/TOKEN/`` in a
browser, :mod:`.web`). The messages both ways are in :mod:`.protocol`.
"""

from .cli import Links, check_reachable, open_site, say_line, seat_url, serve, warn_if_open
from .protocol import (
    CLIENT,
    HOST,
    MAX_MESSAGE,
    Ack,
    ClientMessage,
    Control,
    Cued,
    CueInject,
    Decide,
    Ended,
    Error,
    HostMessage,
    Inject,
    Message,
    Msel,
    Needs,
    Note,
    Observe,
    Rate,
    Rated,
    Say,
    SeatInfo,
    Seats,
    SeatScore,
    SetLang,
    ViewUpdate,
    Welcome,
    WriteInject,
)
from .room import Room
from .seats import SEATS_FILE, Seat, load_seats, make_seats, save_seats
from .server import MAX_CONNECTIONS, make_app
from .webfont import cjk_font_path, seat_font, subset_font

__all__ = [
    "CLIENT",
    "HOST",
    "MAX_CONNECTIONS",
    "MAX_MESSAGE",
    "SEATS_FILE",
    "Ack",
    "ClientMessage",
    "Control",
    "CueInject",
    "Cued",
    "Decide",
    "Ended",
    "Error",
    "HostMessage",
    "Inject",
    "Links",
    "Message",
    "Msel",
    "Needs",
    "Note",
    "Observe",
    "Rate",
    "Rated",
    "Room",
    "Say",
    "Seat",
    "SeatInfo",
    "SeatScore",
    "Seats",
    "SetLang",
    "ViewUpdate",
    "Welcome",
    "WriteInject",
    "check_reachable",
    "cjk_font_path",
    "load_seats",
    "make_app",
    "make_seats",
    "open_site",
    "save_seats",
    "say_line",
    "seat_font",
    "seat_url",
    "serve",
    "subset_font",
    "warn_if_open",
]
