"""``drillsim run``, ``validate`` and ``schema``: a batch run with its summary, file checks, JSON schemas."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..batch import RunInfo, run
from ..load import load_plan, load_scenario, load_yaml, resolve_scenario
from ..model import Plan, Scenario, UserError
from ..score import RunSummary
from .args import parse_staff


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
        sys.stdout.write(render_summary(result.summary, out))
    return 0


def render_summary(s: RunSummary, out: Path) -> str:
    """A readable text summary of a run."""
    c, a = s.complaints, s.answer_time_h
    lines = [
        f"scenario {s.scenario}  seed {s.seed}  plan {s.plan_id} {s.plan_version}",
        f"complaints: {c.arrived} arrived, {c.answered} answered, {c.abandoned} abandoned, {c.open} open",
    ]
    if a.n:
        lines.append(f"answer time (h): median {a.p50:.1f}, p90 {a.p90:.1f}, p95 {a.p95:.1f}, max {a.max:.1f}")
    levels = " → ".join(f"{e.dst}@{e.t / 60:.1f}h" for e in s.levels) or "no response"
    lines.append(f"levels: {levels}")
    pct = s.compliance_pct
    lines.append(f"compliance: {pct:.1f}% of duties met on time" if pct is not None else "compliance: no duty fell due")
    lines.append(f"{'rule':<12} {'section':<9} {'met':>4} {'late':>4} {'miss':>4}")
    for rule, r in s.rules.items():
        lines.append(f"{rule:<12} {r.section:<9} {r.met:>4} {r.late:>4} {r.missed:>4}")
    for o in s.obligations:
        if o.status in ("late", "missed"):
            extra = f" by {o.late_by_min:.0f} min" if o.status == "late" else ""
            lines.append(f"  {o.status}{extra}: {o.rule_id} {o.name.en} (due {o.due / 60:.1f}h)")
    lines.append(f"wrote {out / 'events.jsonl'} and {out / 'summary.json'}")
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
        sys.stdout.write(f"{path}: ok\n")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON schema of plan or scenario files."""
    model = Plan if args.kind == "plan" else Scenario
    json.dump(model.model_json_schema(by_alias=True), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
