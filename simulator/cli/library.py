"""The ``scenarios``, ``lint`` and ``msel`` commands of ``drillsim``.

Their arguments are in :mod:`.commands`.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..lint import CODES, lint, lint_scenarios, render_findings
from ..load import DEFAULT_PLAN, catalogue, load_plan, load_scenario, render_catalogue, resolve_scenario, scenarios_dir
from ..model import ValidationFailed
from ..msel import COLUMNS, read_msel, write_injects, write_msel


def lint_epilog() -> str:
    """The finding codes and exit statuses, for ``lint --help``."""
    return (
        "Finding codes:\n"
        + "\n".join(f"  {code:<25} {what}" for code, what in CODES.items())
        + ("\n\nExit status: 0 clean, 1 findings, 2 the plan file could not be read.")
    )


def msel_epilog() -> str:
    """The MSEL columns and formats, for ``msel --help``."""
    return (
        "Columns: " + ", ".join(f"{c.key} ({c.zh})" for c in COLUMNS) + ". Scenario time in hours "
        "(36, 36.5, 36h), 1d12h or 36:30; expected actions separated by ';'; indicator values as "
        "'media=regional; event_open=true'; a condition (when) or what an inject waits for (after) as in the "
        "scenario file: '{decision: open_backup_hotline, taken: false}', '{inject: collapse, delay_h: 2}'. "
        "Import replaces the scenario's top-level 'injects:' block "
        "and keeps the rest of the file as written; comments inside the old block are lost (and, for a "
        "file whose layout cannot be kept, every comment). CSV is written as UTF-8 with BOM; UTF-8 or "
        "GB18030 CSV is read."
    )


def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the bundled scenarios (and any problems in them)."""
    entries, problems = catalogue(load_plan(args.plan))
    if args.json:
        json.dump([e.as_json() for e in entries], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_catalogue(entries))
    if problems:
        raise ValidationFailed(problems)
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    """Check a plan file, or the injects of scenarios; exit 1 when there are findings."""
    scenarios = [resolve_scenario(name) for name in args.scenario]
    findings = lint_scenarios(args.plan, scenarios) if scenarios else lint(args.plan)
    shown = str(args.plan or scenarios_dir() / DEFAULT_PLAN)
    if args.json:
        data = {"plan": shown, "count": len(findings), "findings": [f.as_json() for f in findings]}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_findings(findings, shown))
    return 1 if findings else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a scenario's injects to a spreadsheet."""
    plan = load_plan(args.plan)
    scenario = load_scenario(resolve_scenario(args.scenario), plan)
    write_msel(scenario.injects, args.out)
    sys.stdout.write(f"wrote {len(scenario.injects)} injects of {scenario.id} to {args.out}\n")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Replace a scenario's injects with a spreadsheet's."""
    plan = load_plan(args.plan)
    target = resolve_scenario(args.into)
    base = load_scenario(target, plan)
    injects = read_msel(args.file, plan, base)
    written = write_injects(target, injects, plan, args.out)
    sys.stdout.write(f"wrote {len(injects)} injects from {args.file} into {written}\n")
    return 0
