"""Opening a drill session from the command line of ``play`` or ``serve`` (no Textual here: ``serve`` does not load it)."""

from __future__ import annotations

import argparse

from simulator.drill import DrillSession, parse_trainee, read_journal
from simulator.load import load_plan, load_scenario, resolve_scenario
from simulator.model import Lang, Plan, UserError

DEFAULT_TRAINEE = "trainee"
"""The trainee's name when none is given (holding the duty officer's role)."""


def check_session_args(args: argparse.Namespace) -> Plan:
    """Check the session's arguments before any session folder is made; return the plan it uses."""
    if args.resume is not None:
        if args.scenario or args.trainee or args.folder or args.seed is not None:
            raise UserError("--resume continues a session as it was started; drop SCENARIO, --trainee, --seed and --folder")
        _, plan_path = read_journal(args.resume).header.files(args.resume)
        return load_plan(plan_path)
    plan = load_plan(args.plan)
    load_scenario(resolve_scenario(args.scenario), plan)
    for text in args.trainee:
        parse_trainee(text, plan)
    return plan


def open_session(args: argparse.Namespace, lang: Lang) -> DrillSession:
    """Start the session the arguments describe, or resume one."""
    plan = check_session_args(args)
    if args.resume is not None:
        return DrillSession.resume(args.resume, db=args.db)
    trainees = [parse_trainee(t, plan) for t in args.trainee or [DEFAULT_TRAINEE]]
    path = resolve_scenario(args.scenario)
    return DrillSession.start(path, args.plan, trainees, seed=args.seed, folder=args.folder, lang=lang, db=args.db)
