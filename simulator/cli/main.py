"""The ``drillsim`` command line.

``run`` and ``validate`` live here; other packages add commands (``play``, ``report``, ...)
through the ``drillsim.commands`` entry-point group, each a ``register(subparsers)`` function,
so this package never imports them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from ..batch import RunInfo, run
from ..load import load_plan, load_scenario, load_yaml, resolve_scenario
from ..model import Plan, Scenario, UserError, ValidationFailed


def parse_staff(items: Sequence[str]) -> dict[str, int]:
    """``["comms=40", ...]`` → ``{"comms": 40}``, with a clear error for anything else."""
    out: dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or not value.isdigit():
            raise UserError(f"--staff: expected TEAM=N with N a whole number, got '{item}'")
        out[name] = int(value)
    return out


def add_scenario_args(p: argparse.ArgumentParser) -> None:
    """The scenario and plan arguments shared by the commands that run a scenario."""
    p.add_argument("scenario", nargs="?", help="scenario file or bundled scenario name (default: the bundled default)")
    p.add_argument("--plan", type=Path, help="plan file (default: the bundled plan)")


def _cmd_run(args: argparse.Namespace) -> int:
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
        json.dump(result.summary, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_summary(result.summary, out))
    return 0


def render_summary(s: dict[str, Any], out: Path) -> str:
    """A readable text summary of a run."""
    c = s["complaints"]
    a = s["answer_time_h"]
    lines = [
        f"scenario {s['scenario']}  seed {s['seed']}  plan {s['plan']['id']} {s['plan']['version']}",
        f"complaints: {c['arrived']} arrived, {c['answered']} answered, {c['abandoned']} abandoned, {c['open']} open",
    ]
    if a["n"]:
        lines.append(f"answer time (h): median {a['p50']:.1f}, p90 {a['p90']:.1f}, p95 {a['p95']:.1f}, max {a['max']:.1f}")
    levels = " → ".join(f"{e['to']}@{e['t'] / 60:.1f}h" for e in s["levels"]) or "no response"
    lines.append(f"levels: {levels}")
    pct = s["compliance_pct"]
    lines.append(f"compliance: {pct:.1f}% of duties met on time" if pct is not None else "compliance: no duty fell due")
    lines.append(f"{'rule':<12} {'section':<9} {'met':>4} {'late':>4} {'miss':>4}")
    for rule, r in s["rules"].items():
        lines.append(f"{rule:<12} {r['section']:<9} {r['met']:>4} {r['late']:>4} {r['missed']:>4}")
    for o in s["obligations"]:
        if o["status"] in ("late", "missed"):
            extra = f" by {o['late_by_min']:.0f} min" if o["status"] == "late" else ""
            lines.append(f"  {o['status']}{extra}: {o['rule_id']} {o['name']['en']} (due {o['due'] / 60:.1f}h)")
    lines.append(f"wrote {out / 'events.jsonl'} and {out / 'summary.json'}")
    return "\n".join(lines) + "\n"


def _cmd_validate(args: argparse.Namespace) -> int:
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


def _cmd_schema(args: argparse.Namespace) -> int:
    model = Plan if args.kind == "plan" else Scenario
    json.dump(model.model_json_schema(by_alias=True), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered command."""
    parser = argparse.ArgumentParser(prog="drillsim", description="Tabletop-exercise simulator for the complaint emergency plan.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="run a scenario in batch with the auto-responder")
    add_scenario_args(p)
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.add_argument("--staff", action="append", default=[], metavar="TEAM=N", help="override a team's staff")
    p.add_argument("--out", type=Path, help="output folder (default: drillsim-out/SCENARIO-seedN)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("validate", help="check plan and scenario files")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--plan", type=Path, help="plan to check scenarios against (default: the bundled plan)")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("schema", help="print the JSON schema of plan or scenario files (for editors)")
    p.add_argument("kind", choices=("plan", "scenario"))
    p.set_defaults(func=_cmd_schema)
    for ep in sorted(entry_points(group="drillsim.commands"), key=lambda e: e.name):
        ep.load()(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a command; user errors are a message on stderr and exit status 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ValidationFailed as exc:
        count = len(exc.problems)
        sys.stderr.write(f"{exc}\ndrillsim: {count} problem{'s' if count != 1 else ''} found\n")
        return 2
    except UserError as exc:
        sys.stderr.write(f"drillsim: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `drillsim schema plan | head`); say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

