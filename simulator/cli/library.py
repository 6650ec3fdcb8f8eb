"""The ``scenarios``, ``lint`` and ``msel`` commands of ``drillsim``.

:func:`register` adds them through the ``drillsim.commands`` entry-point group.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..lint import CODES, lint, render_findings
from ..load import DEFAULT_PLAN, catalogue, load_plan, load_scenario, render_catalogue, resolve_scenario, scenarios_dir
from ..model import ValidationFailed
from ..msel import COLUMNS, read_msel, write_injects, write_msel

LINT_EPILOG = (
    "Finding codes:\n"
    + "\n".join(f"  {code:<25} {what}" for code, what in CODES.items())
    + ("\n\nExit status: 0 clean, 1 findings, 2 the plan file could not be read.")
)
MSEL_EPILOG = (
    "Columns: " + ", ".join(f"{c.key} ({c.zh})" for c in COLUMNS) + ". Scenario time in hours "
    "(36, 36.5, 36h), 1d12h or 36:30; expected actions separated by ';'; indicator values as "
    "'media=regional; event_open=true'. Import replaces the scenario's top-level 'injects:' block "
    "and keeps the rest of the file as written; comments inside the old block are lost (and, for a "
    "file whose layout cannot be kept, every comment). CSV is written as UTF-8 with BOM; UTF-8 or "
    "GB18030 CSV is read."
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``scenarios``, ``lint`` and ``msel`` to the ``drillsim`` command line."""
    p = subparsers.add_parser("scenarios", help="list the bundled scenarios (场景库)")
    p.add_argument("--plan", type=Path, help="plan to check the scenarios against (default: the bundled plan)")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=_cmd_scenarios)

    p = subparsers.add_parser(
        "lint",
        help="find gaps, overlaps and contradictions in a plan file (预案检查)",
        epilog=LINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("plan", nargs="?", type=Path, help="plan file (default: the bundled plan)")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(func=_cmd_lint)

    p = subparsers.add_parser("msel", help="export or import a scenario's MSEL as CSV or XLSX (情景事件清单)", epilog=MSEL_EPILOG)
    sub = p.add_subparsers(dest="msel_command", required=True)
    e = sub.add_parser("export", help="write a scenario's injects to FILE.csv or FILE.xlsx", epilog=MSEL_EPILOG)
    e.add_argument("scenario", help="scenario file or bundled scenario name")
    e.add_argument("--out", type=Path, required=True, help="output file, .csv or .xlsx")
    e.add_argument("--plan", type=Path, help="plan file (default: the bundled plan)")
    e.set_defaults(func=_cmd_export)
    i = sub.add_parser("import", help="replace a scenario's injects with those of an MSEL file", epilog=MSEL_EPILOG)
    i.add_argument("file", type=Path, help="MSEL file, .csv or .xlsx")
    i.add_argument("--into", required=True, help="scenario file (or bundled scenario name) whose injects are replaced")
    i.add_argument("--out", type=Path, help="write the new scenario here instead of over --into")
    i.add_argument("--plan", type=Path, help="plan file (default: the bundled plan)")
    i.set_defaults(func=_cmd_import)


def _cmd_scenarios(args: argparse.Namespace) -> int:
    entries, problems = catalogue(load_plan(args.plan))
    if args.json:
        json.dump([e.as_json() for e in entries], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_catalogue(entries))
    if problems:
        raise ValidationFailed(problems)
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    findings = lint(args.plan)
    shown = str(args.plan or scenarios_dir() / DEFAULT_PLAN)
    if args.json:
        data = {"plan": shown, "count": len(findings), "findings": [f.as_json() for f in findings]}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_findings(findings, shown))
    return 1 if findings else 0


def _cmd_export(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    scenario = load_scenario(resolve_scenario(args.scenario), plan)
    write_msel(scenario.injects, args.out)
    sys.stdout.write(f"wrote {len(scenario.injects)} injects of {scenario.id} to {args.out}\n")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    target = resolve_scenario(args.into)
    base = load_scenario(target, plan)
    injects = read_msel(args.file, plan, base)
    written = write_injects(target, injects, plan, args.out)
    sys.stdout.write(f"wrote {len(injects)} injects from {args.file} into {written}\n")
    return 0
