"""``drillsim report``: the after-action report of a run or drill session.

Registered through the ``drillsim.commands`` entry-point group::

    drillsim report RUN_OR_SESSION [--out DIR] [--format html,md] [--lang zh|en|zh,en]
                    [--what-if TEAM=N[,TEAM=N...]] ...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, cast

from simulator.cli import parse_staff
from simulator.model import Lang, UserError

from .build import FORMATS, LANGS, make_report


def _choices(value: str, allowed: tuple[str, ...], option: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    for item in items:
        if item not in allowed:
            raise UserError(f"{option}: unknown value '{item}'; choose from {', '.join(allowed)}")
    if not items:
        raise UserError(f"{option}: give at least one of {', '.join(allowed)}")
    return list(dict.fromkeys(items))


def _cmd_report(args: argparse.Namespace) -> int:
    formats = _choices(args.format, FORMATS, "--format")
    langs = cast(list[Lang], _choices(args.lang, LANGS, "--lang"))
    try:
        what_if = [parse_staff(item.split(",")) for item in args.what_if]
    except UserError as exc:
        raise UserError(str(exc).replace("--staff", "--what-if", 1)) from None
    written = make_report(args.folder, args.out, formats=formats, langs=langs, what_if=what_if)
    for path in written:
        sys.stdout.write(f"wrote {path}\n")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``report`` command to the ``drillsim`` command line."""
    p = subparsers.add_parser(
        "report",
        help="after-action report (HTML, Markdown, charts) of a run or drill session",
        description="Write an HSEEP-shaped after-action report and improvement plan, with charts, "
        "for a folder written by 'drillsim run' or by a drill session.",
    )
    p.add_argument("folder", type=Path, metavar="RUN_OR_SESSION", help="run or drill-session folder")
    p.add_argument("--out", type=Path, help="output folder (default: RUN_OR_SESSION/report)")
    p.add_argument("--format", default=",".join(FORMATS), help="html, md or both, comma-separated (default: html,md)")
    p.add_argument("--lang", default="zh", help="zh, en or zh,en (default: zh)")
    p.add_argument(
        "--what-if",
        action="append",
        default=[],
        metavar="TEAM=N[,TEAM=N]",
        help="re-run the same seed with the auto-responder and these staff; repeat for more runs",
    )
    p.set_defaults(func=_cmd_report)
