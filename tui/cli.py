"""``drillsim play`` (the drill in the terminal), ``serve`` (a drill in a browser), ``join`` (a seat of a hosted drill).

Registered through the ``drillsim.commands`` entry-point group: ``play = "tui.cli:register"``.
Registering imports nothing of Textual: the handlers are in :mod:`tui.play`, :mod:`tui.serve` and
:mod:`tui.join`, imported when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator.cli import add_scenario_args, address, minutes, out_folder, port, seed

from .settings import SPEEDS


def _add_session_args(p: argparse.ArgumentParser) -> None:
    """The arguments that open a drill session, for ``play`` and ``serve``."""
    add_scenario_args(p)
    p.add_argument(
        "--trainee",
        action="append",
        default=[],
        metavar="NAME[:ROLE[,ROLE]]",
        help="a trainee and the plan roles they hold (repeatable; default: one duty officer)",
    )
    p.add_argument("--lang", choices=("zh", "en"), help="language (default: from LANG/LC_ALL)")
    p.add_argument("--speed", type=int, choices=SPEEDS, default=60, help="starting clock speed (simulated seconds per second)")
    p.add_argument("--resume", type=Path, metavar="SESSION", help="continue an unfinished session from its folder")
    p.add_argument("--seed", type=seed, help="random seed (default: the scenario's)")
    p.add_argument("--folder", type=out_folder, help="session folder (default: a new one in the user data folder)")
    p.add_argument("--db", type=Path, help="training records file (default: as for drillsim history)")


def _add_tui_args(p: argparse.ArgumentParser) -> None:
    """The terminal app's own arguments, for ``play``."""
    p.add_argument(
        "--keymap",
        type=Path,
        help="key bindings file, TOML or JSON (default: keymap.toml in the configuration folder)",
    )
    p.add_argument(
        "--pause-due", type=minutes, default=30.0, metavar="MIN", help="auto-pause this many minutes before a duty is due"
    )
    p.add_argument("--no-auto-pause", action="store_true", help="start with auto-pause off")
    p.add_argument("--hide-implied", action="store_true", help="hide the level the plan's conditions call for")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``play`` and ``serve`` to the ``drillsim`` command line."""
    p = subparsers.add_parser("play", help="run a drill in the terminal UI")
    _add_session_args(p)
    _add_tui_args(p)
    p.set_defaults(handler="tui.play:cmd_play")
    s = subparsers.add_parser("serve", help="a drill for one trainee in a browser: its page survives a refresh")
    _add_session_args(s)
    s.add_argument("--bind", type=address, default="127.0.0.1", metavar="ADDR", help="address to listen on (default: 127.0.0.1)")
    s.add_argument(
        "--address", type=address, metavar="NAME", help="the name or address the seats reach this machine by, for their links"
    )
    s.add_argument("--port", type=port, default=8000, help="port, 1 to 65535 (default: 8000)")
    s.set_defaults(handler="tui.serve:cmd_serve")
    j = subparsers.add_parser("join", help="take a seat of a hosted drill (drillsim host) in the terminal UI")
    j.add_argument("url", metavar="URL", help="the seat's link as the host prints it: ws://HOST:PORT/ws?token=...")
    j.add_argument("--lang", choices=("zh", "en"), help="language (default: the session's)")
    j.set_defaults(handler="tui.join:cmd_join")
