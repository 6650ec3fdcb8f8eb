"""The ``scenarios``, ``lint`` and ``msel`` commands of ``drillsim``.

Their arguments are in :mod:`.commands`.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..lint import CODES, lint, render_findings
from ..load import DEFAULT_PLAN, catalogue, load_plan, load_scenario, render_catalogue, resolve_scenario, scenarios_dir
from ..model import Problem, UserError, ValidationFailed
from ..msel import COLUMNS, FORMS, PRESETS, mapping, parse_start, read_msel, write_injects, write_msel


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
        "Columns: " + ", ".join(f"{c.key} ({c.zh})" for c in COLUMNS) + f". Scenario time as {FORMS}; "
        "roles, actions and kinds by id or by name in either language; expected actions separated by ';'; "
        "indicator values as 'media=regional; event_open=true'. Column presets for import: "
        + ", ".join(PRESETS)
        + " (chosen by the header when --columns is not given); a column no preset names is kept in the "
        "inject's notes, with a warning. A text in one language leaves the other empty. "
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
    """Check a plan file; exit 1 when there are findings."""
    findings = lint(args.plan)
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
    write_msel(scenario.injects, args.out, plan, args.lang)
    sys.stdout.write(f"wrote {len(scenario.injects)} injects of {scenario.id} to {args.out}\n")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Replace a scenario's injects with a spreadsheet's."""
    plan = load_plan(args.plan)
    target = resolve_scenario(args.into)
    base = load_scenario(target, plan)
    columns = mapping(args.columns) if args.columns else None
    start = None
    if args.start is not None and (start := parse_start(args.start)) is None:
        raise UserError(f"--start: '{args.start}' is not a date-time such as 2026-03-02 09:00")
    warnings: list[Problem] = []
    injects = read_msel(args.file, plan, base, columns, warnings, kind=args.kind, start=start)
    for w in warnings:
        sys.stderr.write(f"warning: {w}\n")
    written = write_injects(target, injects, plan, args.out)
    sys.stdout.write(f"wrote {len(injects)} injects from {args.file} into {written}\n")
    return 0
