"""What ``drillsim play`` does: open (or resume) a session and run the app in this terminal."""

from __future__ import annotations

import argparse

from simulator.drill import DrillSession
from simulator.model import Plan

from .app import make_app
from .bindings import default_keymap_path, load_keymap
from .i18n import default_lang
from .session import check_session_args, open_session
from .settings import Settings

__all__ = ["check_play_args", "cmd_play", "open_session", "settings_for"]


def check_play_args(args: argparse.Namespace) -> Plan:
    """Check a ``play`` command line before any session folder is made; return the plan it uses."""
    plan = check_session_args(args)
    if args.keymap is not None:
        load_keymap(args.keymap, plan.actions)
    return plan


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
    check_play_args(args)
    session = open_session(args, args.lang or default_lang())
    lang = args.lang or session.lang
    app = make_app(session, settings_for(args, session, lang))
    app.run()
    return 0
