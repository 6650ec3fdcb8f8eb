"""``drillsim run``, ``validate`` and ``schema``: a batch run with its summary, file checks, JSON schemas."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..batch import RunInfo, run
from ..lang import lang_of, tr
from ..load import load_plan, load_scenario, load_yaml, resolve_scenario
from ..model import Names, Plan, Scenario, UserError
from ..score import RunSummary
from .args import parse_staff
from .history import pad, text_width


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario with the auto-responder, write its folder and print the summary."""
    plan = load_plan(args.plan)
    scenario_path = resolve_scenario(args.scenario)
    scenario = load_scenario(scenario_path, plan)
    staff = parse_staff(args.staff)
    unknown = sorted(set(staff) - set(plan.teams))
    if unknown:
        raise UserError(f"--staff: unknown team '{unknown[0]}'; the plan has: {', '.join(plan.teams)}")
    result = run(plan, scenario, seed=args.seed, staff=staff)
    out = args.out or Path("drillsim-out") / f"{scenario.id}-seed{result.log.meta.seed}"
    info = RunInfo(str(scenario_path.resolve()), str(args.plan.resolve()) if args.plan else None, result.log.meta.seed, staff)
    result.write(out, info)
    if args.json:
        json.dump(result.summary.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_summary(result.summary, out, Names(plan, lang_of(args))))
    return 0


def render_summary(s: RunSummary, out: Path, names: Names) -> str:
    """A readable text summary of a run, in the language of ``names`` (levels and duties by their plan names)."""
    lang = names.lang
    c, a = s.complaints, s.answer_time_h
    lines = [
        tr(f"scenario {s.scenario}  seed {s.seed}  plan {s.plan_id} {s.plan_version}", lang),
        tr(f"complaints: {c.arrived} arrived, {c.answered} answered, {c.abandoned} abandoned, {c.open} open", lang),
    ]
    if a.n:
        lines.append(tr(f"answer time (h): median {a.p50:.1f}, p90 {a.p90:.1f}, p95 {a.p95:.1f}, max {a.max:.1f}", lang))
    levels = " → ".join(f"{names.level(e.dst)}@{e.t / 60:.1f}h" for e in s.levels) or "no response"
    lines.append(tr(f"levels: {levels}", lang))
    pct = s.compliance_pct
    score = f"duty score: {pct:.1f}% (partial credit per the plan)" if pct is not None else "duty score: no duty fell due"
    lines.append(tr(score, lang))
    head = [tr(w, lang) for w in ("rule", "section", "met", "late", "miss")]
    width = max(4, *(text_width(h) for h in head[2:]))

    def row(cells: list[str]) -> str:
        return pad(cells[:2], (12, 9)) + "".join(" " * (width + 1 - text_width(c)) + c for c in cells[2:])

    lines.append(row(head))
    for rule, r in s.rules.items():
        lines.append(row([rule, r.section, str(r.met), str(r.late), str(r.missed)]))
    for o in s.obligations:
        if o.status in ("late", "missed"):
            extra = f" by {o.late_by_min:.0f} min" if o.status == "late" else ""
            lines.append(tr(f"  {o.status}{extra}: {o.rule_id} {o.name(lang)} (due {o.due / 60:.1f}h)", lang))
    lines.append(tr(f"wrote {out / 'events.jsonl'} and {out / 'summary.json'}", lang))
    return "\n".join(lines) + "\n"


def cmd_validate(args: argparse.Namespace) -> int:
    """Check each file as a plan or a scenario (by its keys)."""
    plan = load_plan(args.plan)
    for path in args.files:
        data = load_yaml(path).data
        keys = set(data) if isinstance(data, dict) else set()
        if len(keys & set(Plan.model_fields)) > len(keys & set(Scenario.model_fields)):
            load_plan(path)
        else:
            load_scenario(path, plan)
        sys.stdout.write(tr(f"{path}: ok", lang_of(args)) + "\n")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON schema of plan or scenario files."""
    model = Plan if args.kind == "plan" else Scenario
    json.dump(model.model_json_schema(by_alias=True), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
