"""The ``scenarios``, ``lint`` and ``msel`` commands of ``drillsim``.

Their arguments are in :mod:`.commands`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ..lang import Lang, lang_of, tr
from ..lint import CODES, Finding, lint, lint_scenarios
from ..load import DEFAULT_PLAN, Entry, catalogue, load_plan, load_scenario, resolve_scenario, scenarios_dir
from ..model import Problem, UserError, ValidationFailed
from ..msel import COLUMNS, FORMS, PRESETS, mapping, parse_start, read_msel, write_injects, write_msel
from .history import pad, text_width


def lint_epilog(lang: Lang) -> str:
    """The finding codes and exit statuses, for ``lint --help``."""
    codes = "\n".join(f"  {code:<25} {tr(what, lang)}" for code, what in CODES.items())
    status = tr("Exit status: 0 clean, 1 findings, 2 the plan file could not be read.", lang)
    return f"{tr('Finding codes:', lang)}\n{codes}\n\n{status}"


def msel_epilog(lang: Lang) -> str:
    """The MSEL columns and formats, for ``msel --help``."""
    columns = ", ".join(f"{c.key} ({c.zh})" for c in COLUMNS)
    sentences = (
        tr(f"Columns: {columns}.", lang),
        tr(f"Scenario time as {FORMS}.", lang),
        tr(
            "Roles, actions and kinds by id or by name in either language; expected actions separated by ';'; "
            "indicator values as 'media=regional; event_open=true'; a condition (when) or what an inject waits for "
            "(after) as in the scenario file: '{decision: open_backup_hotline, taken: false}', '{inject: collapse, delay_h: 2}'.",
            lang,
        ),
        tr(
            f"Column presets for import: {', '.join(PRESETS)} (chosen by the header when --columns is not given); a column "
            "no preset names is kept in the inject's notes, with a warning. A text in one language leaves the other empty.",
            lang,
        ),
        tr(
            "Import replaces the scenario's top-level 'injects:' block and keeps the rest of the file as written; "
            "comments inside the old block are lost (and, for a file whose layout cannot be kept, every comment). "
            "CSV is written as UTF-8 with BOM; UTF-8 or GB18030 CSV is read.",
            lang,
        ),
    )
    return " ".join(sentences)


def render_catalogue(entries: Sequence[Entry], lang: Lang) -> str:
    """The library as a text table; titles go last on each line so columns stay aligned."""
    head = pad([tr(h, lang) for h in ("scenario", "difficulty", "length", "level path", "title")], (26, 10, 16, 24, 0))
    lines = [head, "-" * text_width(head)]
    for e in entries:
        length = tr(f"{e.horizon_days:g} d, {e.injects} injects", lang)
        path = " → ".join(e.level_path) or "—"
        lines.append(pad([e.id, tr(e.difficulty, lang), length, path, e.title(lang)], (26, 10, 16, 24, 0)))
        lines.append(pad(["", tr(f"rules: {' '.join(e.rules)}", lang)], (26, 0)))
    lines.append(tr(f"{len(entries)} scenarios", lang))
    return "\n".join(lines) + "\n"


def render_findings(findings: Sequence[Finding], path: str, lang: Lang) -> str:
    """Findings as text: ``file:line: CODE [rules]``, then the message in ``lang``, then their number."""
    out = []
    for f in findings:
        where = f"{f.file or path}:{f.lines[0]}" if f.lines else f.file or path
        more = tr(f" (lines {', '.join(map(str, f.lines))})", lang) if len(f.lines) > 1 else ""
        out.append(f"{where}: {f.code} [{', '.join(f.rules)}]{more}\n  {f.message(lang)}\n")
    n = len(findings)
    out.append(tr(f"{n} finding{'s' if n != 1 else ''}" if n else "clean: no findings", lang) + "\n")
    return "".join(out)


def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the bundled scenarios (and any problems in them)."""
    entries, problems = catalogue(load_plan(args.plan))
    if args.json:
        json.dump([e.as_json() for e in entries], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_catalogue(entries, lang_of(args)))
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
        sys.stdout.write(render_findings(findings, shown, lang_of(args)))
    return 1 if findings else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a scenario's injects to a spreadsheet."""
    plan = load_plan(args.plan)
    scenario = load_scenario(resolve_scenario(args.scenario), plan)
    lang = lang_of(args)
    write_msel(scenario.injects, args.out, plan, lang)
    sys.stdout.write(tr(f"wrote {len(scenario.injects)} injects of {scenario.id} to {args.out}", lang) + "\n")
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
    lang = lang_of(args)
    for w in warnings:
        sys.stderr.write(tr("warning: {}", lang).format(Problem(w.location, tr(w.message, lang), w.field)) + "\n")
    written = write_injects(target, injects, plan, args.out)
    sys.stdout.write(tr(f"wrote {len(injects)} injects from {args.file} into {written}", lang) + "\n")
    return 0
