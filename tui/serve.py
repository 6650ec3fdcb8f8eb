"""What ``drillsim serve`` does: a drill for one trainee in a browser, as a hosted session with one seat.

The trainee's seat is a hosted drill's seat (:mod:`simulator.host`) that holds the trainee's roles
and the clock: the page is the one every browser seat gets, the host checks each socket's Origin
and token before the upgrade and keeps a few sockets at most, and the session lives in this
process, not in the page. A refresh is a new socket with the same token: the host gives the seat
to it and sends the whole drill again, so the drill goes on where it was. When the drill ends, so
does ``serve``; stopped before that, the session resumes with ``drillsim serve --resume SESSION``
(or ``play --resume``).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import secrets
import socket
from collections.abc import Sequence

from simulator.drill import DrillSession
from simulator.host import Room, Seat, check_reachable, say_line, seat_url, serve, warn_if_open
from simulator.lang import tr
from simulator.model import Lang, UserError

from .i18n import default_lang
from .session import open_session

MAX_SOCKETS = 4
"""Sockets ``serve`` keeps at once: its one seat, a refresh overlapping the page it replaces, and a spare."""


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve a drill for one trainee to a browser."""
    if len(args.trainee) > 1:
        raise UserError("--trainee: serve has one seat, for one trainee; for several, host the drill (drillsim host)")
    check_reachable(args.bind, args.address)
    _check_port(args.bind, args.port)
    lang = args.lang or default_lang()
    warn_if_open(args.bind, lang)
    room = one_seat_room(open_session(args, lang), args.speed / 60)
    links = functools.partial(_page_link, lang=lang)
    asyncio.run(serve(room, args.bind, args.port, say_line, links=links, limit=MAX_SOCKETS, lang=lang, address=args.address))
    return 0


def one_seat_room(session: DrillSession, speed: float) -> Room:
    """The session served to one seat holding its one trainee's roles and the clock (``speed`` sim minutes per second)."""
    if len(session.trainees) != 1:
        session.suspend()
        names = ", ".join(t.name for t in session.trainees)
        raise UserError(f"--resume: this session has {len(session.trainees)} trainees ({names}); resume it with drillsim play")
    trainee = session.trainees[0]
    seat = Seat(trainee.name, "facilitator", trainee.roles, secrets.token_urlsafe(24))
    return Room(session, [seat], speed=speed)


def _page_link(seats: Sequence[Seat], bind: str, port: int, lang: Lang) -> list[str]:
    return [tr(f"open in a browser: {seat_url(seat, bind, port)}", lang) for seat in seats]


def _check_port(bind: str, port: int) -> None:
    """Refuse a port this machine will not let the server listen on, before a session folder is made."""
    try:
        socket.getaddrinfo(bind, port)
    except socket.gaierror as exc:
        raise UserError(f"--bind: '{bind}' is not an address of this machine ({exc.strerror})") from None
    try:
        with socket.create_server((bind, port)):
            pass
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise UserError(f"--port: cannot listen on {bind}:{port} ({reason})") from None
