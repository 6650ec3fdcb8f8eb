"""What ``drillsim host`` does: open (or resume) a session, give each seat its link, serve the room.

The arguments are registered with the other commands of ``simulator/`` (:mod:`simulator.cli.commands`);
this module is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import ipaddress
import signal
import sys
from collections.abc import Callable, Mapping, Sequence

from aiohttp import web

from ..drill import DrillSession, parse_trainee
from ..lang import lang_of, tr
from ..load import load_plan, resolve_scenario
from ..model import Lang, UserError
from .room import Room
from .seats import DEFAULT_EVALUATOR, DEFAULT_FACILITATOR, Seat, load_seats, make_seats, save_seats
from .server import allow_origin, make_app
from .web import seat_path

LOOPBACK = "127.0.0.1"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""What stops a host the way Ctrl-C does: the clock journaled where it stands, the seats told, the lock released."""


def open_room(args: argparse.Namespace) -> Room:
    """The room the arguments describe: a new session with new seats, or a resumed one with its seats."""
    if args.resume is not None:
        given = (args.scenario, args.plan, args.seat, args.folder, args.facilitator, args.evaluator)
        if any(given):
            raise UserError(
                "--resume continues a session with the seats it had; drop SCENARIO, --plan, --seat, --folder, "
                "--facilitator and --evaluator"
            )
        session = DrillSession.resume(args.resume, db=args.db)
        try:
            seats = load_seats(args.resume, session.trainees)
        except UserError:
            session.suspend()
            raise
        return Room(session, seats, speed=args.speed)
    if not args.seat:
        raise UserError("--seat: give at least one player seat, as NAME:ROLE[,ROLE]")
    plan = load_plan(args.plan)
    trainees = [parse_trainee(text, plan) for text in args.seat]
    seats = make_seats(trainees, args.facilitator or DEFAULT_FACILITATOR, args.evaluator or DEFAULT_EVALUATOR)
    path = resolve_scenario(args.scenario)
    session = DrillSession.start(path, args.plan, trainees, folder=args.folder, lang=args.lang, db=args.db)
    save_seats(session.folder, seats)
    return Room(session, seats, speed=args.speed)


async def open_site(
    room: Room, bind: str, port: int, limit: int | None = None, address: str | None = None
) -> tuple[web.AppRunner, int]:
    """Start serving the room on ``bind:port`` (0: any free port), at most ``limit`` sockets; return the runner and the port.

    Browsers are accepted from pages of the bound address, and of ``address``, the name the seats
    reach this machine by, when it is another.
    """
    app = make_app(room, limit)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, bind, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise UserError(f"--port: cannot listen on {bind}:{port} ({exc.strerror or exc})") from None
    actual = int(runner.addresses[0][1])
    allow_origin(app, _url_host(bind), actual)
    if bind == LOOPBACK:
        allow_origin(app, "localhost", actual)
    if address is not None:
        allow_origin(app, _url_host(address), actual)
    return runner, actual


def seat_url(seat: Seat, bind: str, port: int) -> str:
    """The address of a seat's page in a browser."""
    return f"http://{_url_host(bind)}:{port}{seat_path(seat.token)}"


def join_links(
    seats: Sequence[Seat], bind: str, port: int, lang: Lang = "en", roles: Mapping[str, str] | None = None
) -> list[str]:
    """For each seat, a line naming it, the command that joins it in a terminal and its page for a browser.

    The seat's kind is in ``lang``, its roles by their names in ``roles`` (role ID → name).
    """
    out = []
    for seat in seats:
        held = tr(", ", lang).join((roles or {}).get(role, role) for role in seat.roles)
        who = f"{seat.name} ({tr(seat.kind, lang)}{': ' + held if held else ''})"
        join = f"drillsim join ws://{_url_host(bind)}:{port}/ws?token={seat.token}"
        out.append(f"{who}\n  {join}\n  {seat_url(seat, bind, port)}")
    return out


Links = Callable[[Sequence[Seat], str, int], list[str]]
"""What the host prints for its seats, given the seats, the address and the port."""


async def serve(
    room: Room,
    bind: str,
    port: int,
    announce: Callable[[str], None],
    *,
    links: Links = join_links,
    limit: int | None = None,
    lang: Lang = "en",
    address: str | None = None,
) -> None:
    """Serve the room until the drill ends or a stop signal comes; a host stopped before the end leaves the session resumable.

    The seats' links name ``address`` (the name the seats reach this machine by), else the bound address.
    """
    runner, actual = await open_site(room, bind, port, limit, address)
    clock = asyncio.create_task(room.run_clock())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    waits = [clock, asyncio.create_task(room.done.wait()), asyncio.create_task(stop.wait())]
    try:
        announce(tr(f"drill session {room.session.folder} on port {actual}; seats:", lang))
        for line in links(room.seats, address or bind, actual):
            announce(line)
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        if clock.done():
            clock.result()  # the clock died: show why
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
        for task in waits:
            task.cancel()
        await room.hang_up()
        await runner.cleanup()
        if room.ended is None:
            room.session.suspend()


def cmd_host(args: argparse.Namespace) -> int:
    """Host a drill for a room of seats."""
    lang = lang_of(args)
    check_reachable(args.bind, args.address)
    warn_if_open(args.bind, lang)
    room = open_room(args)
    roles = {role: r.name(lang) for role, r in room.session.plan.roles.items()}
    links = functools.partial(join_links, lang=lang, roles=roles)
    asyncio.run(serve(room, args.bind, args.port, say_line, links=links, lang=lang, address=args.address))
    return 0


def check_reachable(bind: str, address: str | None) -> None:
    """Refuse to print links naming an address nobody reaches by: every interface (``0.0.0.0``, ``::``) with no ``--address``."""
    if _is_any(bind) and address is None:
        raise UserError(
            f"--bind {bind} listens on every address of this machine: give --address, the name or address "
            "the seats reach it by, for their links"
        )


def warn_if_open(bind: str, lang: Lang) -> None:
    """Warn on stderr, in ``lang``, when ``bind`` is not a loopback address."""
    if not _is_loopback(bind):
        said = f"listening on {bind}: anyone who can reach it and holds a seat's link can join, and the links travel unencrypted"
        sys.stderr.write(f"drillsim: {tr('warning', lang)}: {tr(said, lang)}\n")


def say_line(line: str) -> None:
    """Print a line of the host's at once."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _is_loopback(bind: str) -> bool:
    try:
        return ipaddress.ip_address(bind).is_loopback
    except ValueError:
        return bind == "localhost"


def _is_any(bind: str) -> bool:
    """Whether ``bind`` is the address of every interface (``0.0.0.0``, ``::``), which no seat can reach by."""
    try:
        return ipaddress.ip_address(bind).is_unspecified
    except ValueError:
        return False


def _url_host(bind: str) -> str:
    return f"[{bind}]" if ":" in bind else bind
