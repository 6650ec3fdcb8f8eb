"""The commands of ``simulator/``: their arguments, and references to their handlers.

Nothing here imports more than :mod:`argparse`: each handler (in :mod:`.run`, :mod:`.history`,
:mod:`.library`, :mod:`.sweep`, :mod:`.erlang`) is named by reference and imported when its command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from . import erlang, roster
from .args import MAX_REPS, add_scenario_args, address, out_file, out_folder, seed, whole

if TYPE_CHECKING:
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def register(sub: Subparsers) -> None:
    """Add every command of ``simulator/`` to the ``drillsim`` command line."""
    _run(sub)
    _library(sub)
    _history(sub)
    _sweep(sub)
    erlang.register(sub)
    roster.register(sub)
    _host(sub)
    _bundle(sub)
    _tables(sub)


def _run(sub: Subparsers) -> None:
    p = sub.add_parser("run", help="run a scenario in batch with the auto-responder")
    add_scenario_args(p)
    p.add_argument("--seed", type=seed, help="random seed (default: the scenario's)")
    p.add_argument("--staff", action="append", default=[], metavar="TEAM=N", help="override a team's staff")
    p.add_argument("--out", type=out_folder, help="output folder (default: drillsim-out/SCENARIO-seedN)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler="simulator.cli.run:cmd_run")
    p = sub.add_parser("validate", help="check plan and scenario files")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--plan", type=Path, help="plan to check scenarios against (default: the bundled plan)")
    p.set_defaults(handler="simulator.cli.run:cmd_validate")
    p = sub.add_parser("schema", help="print the JSON schema of plan or scenario files (for editors)")
    p.add_argument("kind", choices=("plan", "scenario"))
    p.set_defaults(handler="simulator.cli.run:cmd_schema")


def _library(sub: Subparsers) -> None:
    p = sub.add_parser("scenarios", help="list the bundled scenarios (场景库)")
    p.add_argument("--plan", type=Path, help="plan to check the scenarios against (default: the bundled plan)")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(handler="simulator.cli.library:cmd_scenarios")

    p = sub.add_parser(
        "lint",
        help="find gaps, overlaps and contradictions in a plan file (预案检查)",
        epilog_of="simulator.cli.library:lint_epilog",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("plan", nargs="?", type=Path, help="plan file (default: the bundled plan)")
    p.add_argument(
        "--scenario", action="append", default=[], metavar="SCENARIO", help="instead: the injects of a scenario that never fire"
    )
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(handler="simulator.cli.library:cmd_lint")

    msel = "simulator.cli.library:msel_epilog"
    p = sub.add_parser("msel", help="export or import a scenario's MSEL as CSV or XLSX (情景事件清单)", epilog_of=msel)
    inner = p.add_subparsers(dest="msel_command", required=True)
    e = inner.add_parser("export", help="write a scenario's injects to FILE.csv or FILE.xlsx", epilog_of=msel)
    e.add_argument("scenario", help="scenario file or bundled scenario name")
    e.add_argument("--out", type=out_file, required=True, help="output file, .csv or .xlsx")
    e.add_argument("--plan", type=Path, help="plan file (default: the bundled plan)")
    e.add_argument("--lang", choices=("zh", "en"), help="language of headers, names and messages (default: from LC_ALL/LANG)")
    e.set_defaults(handler="simulator.cli.library:cmd_export")
    i = inner.add_parser("import", help="replace a scenario's injects with those of an MSEL file", epilog_of=msel)
    i.add_argument("file", type=Path, help="MSEL file, .csv, .xlsx or .json")
    i.add_argument("--into", required=True, help="scenario file (or bundled scenario name) whose injects are replaced")
    i.add_argument("--out", type=out_file, help="write the new scenario here instead of over --into")
    i.add_argument("--plan", type=Path, help="plan file (default: the bundled plan)")
    i.add_argument("--columns", metavar="PRESET|FILE", help="column mapping: drillsim, hseep, t3sf or a YAML/JSON file")
    i.add_argument("--kind", help="inject kind of rows that give none (default: the mapping's)")
    i.add_argument("--start", metavar="DATETIME", help="exercise start for date-times and weekday times, 2026-03-02 09:00")
    i.set_defaults(handler="simulator.cli.library:cmd_import")


def _history(sub: Subparsers) -> None:
    p = sub.add_parser(
        "history", help="list recorded drill sessions and each trainee's trend", epilog_of="simulator.cli.history:db_epilog"
    )
    p.add_argument("--trainee", metavar="NAME", help="only this trainee's sessions and trend")
    p.add_argument("--db", type=Path, help="training records file (default: see below)")
    p.add_argument("--lang", choices=("zh", "en"), help="language of the table (default: from the locale)")
    p.set_defaults(handler="simulator.cli.history:cmd_history")


def _sweep(sub: Subparsers) -> None:
    p = sub.add_parser("sweep", help="Monte-Carlo staffing sweep: how likely the team targets hold per staffing")
    add_scenario_args(p)
    p.add_argument("--vary", action="append", required=True, metavar="TEAM=LO:HI[:STEP]", help="staff values of a team")
    _sweep_common(p, reps=100)
    p.add_argument("--no-chart", action="store_true", help="skip the chart (no matplotlib needed)")
    p.set_defaults(handler="simulator.cli.sweep:cmd_sweep")
    p = sub.add_parser("staff", help="fewest people per team meeting the timed team targets with a confidence")
    add_scenario_args(p)
    p.add_argument("--target", action="append", default=[], metavar="RULE", help="only these targets (rule ID or key)")
    p.add_argument("--range", action="append", default=[], metavar="TEAM=LO:HI", help="search this team in this range")
    p.add_argument(
        "--service", action="append", default=[], metavar="TEAM:MIN:SHARE", help="SHARE of TEAM's customers wait <= MIN"
    )
    p.add_argument("--max-abandon", type=float, metavar="SHARE", help="at most SHARE of hotline callers hang up")
    _sweep_common(p, reps=200, most=True)
    p.set_defaults(handler="simulator.cli.sweep:cmd_staff")


def _host(sub: Subparsers) -> None:
    p = sub.add_parser("host", help="host one drill session for a room: each seat joins over WebSocket (多席位演练)")
    add_scenario_args(p)
    p.add_argument(
        "--seat", action="append", default=[], metavar="NAME:ROLE[,ROLE]", help="a player seat and its plan roles (repeatable)"
    )
    p.add_argument("--facilitator", metavar="NAME", help="the facilitator seat's name (default: facilitator)")
    p.add_argument("--evaluator", metavar="NAME", help="the evaluator seat's name (default: evaluator)")
    p.add_argument("--bind", type=address, default="127.0.0.1", metavar="ADDR", help="address to listen on (default: 127.0.0.1)")
    p.add_argument(
        "--address", type=address, metavar="NAME", help="the name or address the seats reach this machine by, for their links"
    )
    p.add_argument("--port", type=whole(0, 65535), default=0, help="port (default 0: any free one, printed)")
    p.add_argument("--resume", type=Path, metavar="SESSION", help="continue a hosted session; seats keep their links")
    p.add_argument("--folder", type=out_folder, help="session folder (default: a new one in the user data folder)")
    p.add_argument("--db", type=Path, help="training records file (default: as for drillsim history)")
    p.add_argument("--speed", type=whole(1, 1440), default=1, help="clock speed, simulated minutes per second (default 1)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the session (default: zh)")
    p.set_defaults(handler="simulator.host.cli:cmd_host")


def _bundle(sub: Subparsers) -> None:
    p = sub.add_parser("export", help="pack a run or drill session into one zip, with a SHA-256 of each file (演练包)")
    p.add_argument("folder", type=Path, metavar="SESSION_OR_RUN", help="run or drill-session folder")
    p.add_argument("--out", type=out_file, required=True, help="the bundle to write, X.zip")
    p.set_defaults(handler="simulator.cli.bundle:cmd_export")
    p = sub.add_parser("import", help="unpack a bundle into a new folder, checked file by file; then report or resume it")
    p.add_argument("bundle", type=Path, help="the bundle, X.zip")
    p.add_argument("--into", type=out_folder, help="the new folder (default: X beside the bundle's name, here)")
    p.set_defaults(handler="simulator.cli.bundle:cmd_import")


def _tables(sub: Subparsers) -> None:
    p = sub.add_parser("tables", help="the event log of a run or drill session as CSV, one table per record type")
    p.add_argument("folder", type=Path, metavar="RUN_OR_SESSION", help="run or drill-session folder")
    p.add_argument("--out", type=out_folder, help="output folder (default: RUN_OR_SESSION/tables)")
    p.set_defaults(handler="simulator.cli.bundle:cmd_tables")


def _sweep_common(p: argparse.ArgumentParser, reps: int, most: bool = False) -> None:
    what = "most replications per staffing point, run while undecided" if most else "replications per staffing point"
    p.add_argument("--reps", type=whole(1, MAX_REPS), default=reps, help=f"{what} (default {reps})")
    p.add_argument("--seed", type=seed, help="base seed (default: the scenario's)")
    p.add_argument("--confidence", type=float, default=0.95, help="required probability / interval level (default 0.95)")
    p.add_argument("--engine", default="kernel", help="kernel (default: fast) or simpy (the SimPy engine)")
    p.add_argument("--workers", type=whole(1, 1024), help="local worker processes (default: one per core; 1 runs in-process)")
    p.add_argument("--dask", metavar="ADDRESS|local", help="run on a Dask cluster (needs drillsim[dask])")
    p.add_argument("--out", type=out_folder, help="output folder")
