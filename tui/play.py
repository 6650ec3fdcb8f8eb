"""What ``drillsim play`` and ``drillsim serve`` do: open (or resume) a session and run the app."""

from __future__ import annotations

import argparse
import os
import shlex
import socket
import sys
from pathlib import Path

from simulator.drill import DrillSession, parse_trainee, read_journal
from simulator.load import load_plan, load_scenario, resolve_scenario
from simulator.model import Lang, Plan, UserError

from .app import make_app
from .bindings import default_keymap_path, load_keymap
from .i18n import default_lang
from .settings import Settings

DEFAULT_TRAINEE = "trainee"
"""The trainee's name when none is given (holding the duty officer's role)."""


def check_play_args(args: argparse.Namespace) -> Plan:
    """Check a ``play`` command line before any session folder is made; return the plan it uses."""
    if args.resume is not None:
        if args.scenario or args.trainee or args.folder or args.seed is not None:
            raise UserError("--resume continues a session as it was started; drop SCENARIO, --trainee, --seed and --folder")
        plan_path = read_journal(args.resume).header.plan
        plan = load_plan(Path(plan_path) if plan_path is not None else None)
    else:
        plan = load_plan(args.plan)
        load_scenario(resolve_scenario(args.scenario), plan)
        for text in args.trainee:
            parse_trainee(text, plan)
    if args.keymap is not None:
        load_keymap(args.keymap, plan.actions)
    return plan


def open_session(args: argparse.Namespace, lang: Lang) -> DrillSession:
    """Start the session the arguments describe, or resume one."""
    plan = check_play_args(args)
    if args.resume is not None:
        return DrillSession.resume(args.resume, db=args.db)
    trainees = [parse_trainee(t, plan) for t in args.trainee or [DEFAULT_TRAINEE]]
    path = resolve_scenario(args.scenario)
    return DrillSession.start(path, args.plan, trainees, seed=args.seed, folder=args.folder, lang=lang, db=args.db)


def settings_for(args: argparse.Namespace, session: DrillSession, lang: str) -> Settings:
    """The UI settings the arguments ask for, with the keymap file (given, or the default if present) read."""
    keymap_path = args.keymap or default_keymap_path()
    keymap = load_keymap(keymap_path, session.plan.actions) if args.keymap or keymap_path.exists() else {}
    return Settings(
        lang="zh" if lang == "zh" else "en",
        speed=args.speed,
        auto_pause=not args.no_auto_pause,
        pause_due_min=args.pause_due,
        show_implied=not args.hide_implied,
        keymap=keymap,
        keymap_path=str(keymap_path),
    )


def cmd_play(args: argparse.Namespace) -> int:
    """Run a drill in this terminal."""
    session = open_session(args, args.lang or default_lang())
    lang = args.lang or session.lang
    app = make_app(session, settings_for(args, session, lang))
    app.run()
    return 0


def play_command(argv: list[str]) -> str:
    """The shell command a served browser tab runs: this Python, ``drillsim play`` and ``argv``."""
    return shlex.join([sys.executable, "-m", "simulator.cli", "play", *argv])


def _play_argv(args: argparse.Namespace) -> list[str]:
    """The ``play`` arguments ``serve`` was given, to pass through."""
    out: list[str] = [args.scenario] if args.scenario else []
    pairs = [
        ("--plan", args.plan),
        ("--lang", args.lang),
        ("--resume", args.resume),
        ("--seed", args.seed),
        ("--folder", args.folder),
        ("--db", args.db),
        ("--keymap", args.keymap),
    ]
    out += [str(x) for flag, value in pairs if value is not None for x in (flag, value)]
    out += [x for t in args.trainee for x in ("--trainee", t)]
    out += ["--speed", str(args.speed), "--pause-due", f"{args.pause_due:g}"]
    out += [flag for flag, on in (("--no-auto-pause", args.no_auto_pause), ("--hide-implied", args.hide_implied)) if on]
    return out


def _check_port(host: str, port: int) -> None:
    """Refuse a port this machine will not let the server listen on, before the server starts."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise UserError(f"--port: cannot listen on {host}:{port} ({reason})") from None


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the drill app to browsers (each tab its own session)."""
    from textual_serve.server import Server

    check_play_args(args)
    _check_port(args.host, args.port)
    Server(play_command(_play_argv(args)), host=args.host, port=args.port, title="drillsim").serve()
    return 0
