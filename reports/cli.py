"""``drillsim report``: the after-action report of a run or drill session.

Registered through the ``drillsim.commands`` entry-point group::

    drillsim report RUN_OR_SESSION [--out DIR] [--format html,md,pdf] [--lang zh|en|zh,en]
                    [--what-if TEAM=N|xF[,...]] ...

Registering imports nothing of matplotlib: the handler is in :mod:`reports.command`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.cli import out_folder


def register(subparsers: Any) -> None:
    """Add the ``report`` command to the ``drillsim`` command line."""
    p = subparsers.add_parser(
        "report",
        help="after-action report (HTML, Markdown, charts) of a run or drill session",
        description="Write an HSEEP-shaped after-action report and improvement plan, with charts, "
        "for a folder written by 'drillsim run' or by a drill session.",
    )
    p.add_argument("folder", type=Path, metavar="RUN_OR_SESSION", help="run or drill-session folder")
    p.add_argument("--out", type=out_folder, help="output folder (default: RUN_OR_SESSION/report)")
    p.add_argument(
        "--format",
        default="html,md",
        help="html, md and/or pdf, comma-separated (default: html,md; pdf prints the page with headless Chromium)",
    )
    p.add_argument("--lang", default="zh", help="zh, en or zh,en (default: zh)")
    p.add_argument(
        "--what-if",
        action="append",
        default=[],
        metavar="TEAM=N|xF[,...]",
        help=(
            "re-run the same seed with the auto-responder and these staff (N people all day, or xF: the roster × F); "
            "repeat for more runs"
        ),
    )
    p.set_defaults(handler="reports.command:cmd_report")
