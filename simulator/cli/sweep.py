"""The ``drillsim sweep`` and ``drillsim staff`` commands (their arguments are in :mod:`.commands`).

``sweep`` runs a grid of staffing points and writes ``replications.jsonl`` (resumable),
``summary.json``, ``summary.csv`` and, as an optional last step, the chart ``sweep.png``/``.svg``:
the chart lives in ``reports/`` (matplotlib), which ``simulator/`` never imports: it registers in the
``drillsim.sweep_outputs`` entry-point group, and the handler calls what is registered there.
``staff`` searches the fewest people per team shown to meet the team targets with a confidence, then all together.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from ..load import load_plan, load_scenario, load_yaml, resolve_scenario
from ..model import Plan, Problem, Scenario, UserError, ValidationFailed, format_path
from ..score import select, team_targets
from ..sweep import (
    ENGINES,
    RESULTS,
    Context,
    TeamAnswer,
    criteria,
    default_range,
    fewest_reps,
    grid,
    kernel_refusal,
    open_executor,
    parse_vary,
    run_sweep,
    search,
    summary,
    together,
    write_summary,
)

SWEEP_OUTPUTS = "drillsim.sweep_outputs"
"""Entry points called with (summary, folder) after a sweep, each returning the files it wrote."""


def _load(args: argparse.Namespace) -> tuple[Plan, Scenario]:
    """The plan and scenario of the command, after checking the options every command shares."""
    if args.engine not in ENGINES:
        raise UserError(f"--engine: unknown engine '{args.engine}'; choose from {', '.join(ENGINES)}")
    if not 0 < args.confidence < 1:
        raise UserError(f"--confidence must lie strictly between 0 and 1 (got {args.confidence})")
    plan = load_plan(args.plan)
    path = resolve_scenario(args.scenario)
    scenario = load_scenario(path, plan)
    refused = kernel_refusal(scenario) if args.engine == "kernel" else None
    if refused is not None:  # refused here, located in the file, rather than once the kernel starts
        index, key, message = refused
        where = ("injects", index, key)
        raise ValidationFailed([Problem(load_yaml(path).locate(where, key=True), message, format_path(where))])
    return plan, scenario


def _context(args: argparse.Namespace, plan: Plan, scenario: Scenario, service: tuple[tuple[str, float], ...] = ()) -> Context:
    return Context(plan, scenario, args.engine, scenario.seed if args.seed is None else args.seed, service)


def _check_team(plan: Plan, team: str, option: str) -> None:
    if team not in plan.teams:
        raise UserError(f"{option}: unknown team '{team}'; the plan has: {', '.join(plan.teams)}")


def progress_text(done: int, total: int, elapsed: float, first: int = 0) -> str:
    """``replications 重复 done/total (pct%) elapsed s``, and the time left once this run has finished some.

    ``first`` replications were already done when this run began (a resumed sweep): the time left is
    reckoned from the pace of the rest.
    """
    text = f"replications 重复 {done}/{total} ({100 * done / max(total, 1):.0f}%) {elapsed:.0f} s"
    ran = done - first
    if ran > 0 and done < total:
        text += f", ~{elapsed / ran * (total - done):.0f} s left 剩余"
    return text


def _progress() -> Callable[[int, int], None]:
    """Progress on stderr: a live counter on a terminal, a line per tenth otherwise."""
    start = time.perf_counter()
    shown = [-1]
    first: list[int] = []

    def show(done: int, total: int) -> None:
        if not first:
            first.append(done)
        tenth = 10 * done // max(total, 1)
        live = sys.stderr.isatty()
        if not live and tenth == shown[0]:
            return
        shown[0] = tenth
        text = progress_text(done, total, time.perf_counter() - start, first[0])
        sys.stderr.write(("\r" + text + "\x1b[K" if live else text + "\n") + ("\n" if live and done == total else ""))
        sys.stderr.flush()

    return show


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a staffing sweep and write its results (and the registered outputs, such as the chart)."""
    plan, scenario = _load(args)
    ctx = _context(args, plan, scenario)
    varies = [parse_vary(v, "--vary") for v in args.vary]
    for team, _ in varies:
        _check_team(plan, team, "--vary")
    points = grid(varies, "--vary")
    out = args.out or Path("drillsim-out") / f"sweep-{scenario.id}"
    with open_executor(args.workers, args.dask) as ex:
        per_point = run_sweep(ctx, points, args.reps, ex, out / RESULTS, progress=_progress())
    result = summary(ctx, points, per_point, args.confidence)
    written = list(write_summary(out, result))
    if not args.no_chart:
        for output in entry_points(group=SWEEP_OUTPUTS):  # the chart, registered by reports/
            written += output.load()(result, out)
    sys.stdout.write(render_sweep(result))
    sys.stdout.write("wrote " + ", ".join(str(p) for p in [out / RESULTS, *written]) + "\n")
    return 0


def _cell(stats: Mapping[str, Any]) -> str:
    if stats["p"] is None:
        return "—"
    return f"{stats['p']:.2f} [{stats['lo']:.2f},{stats['hi']:.2f}]"


def render_sweep(result: Mapping[str, Any]) -> str:
    """The sweep as a text table: P(target holds) [Wilson interval] per staffing, answer-time p90."""
    targets = result["targets"]
    lines = [f"scenario 场景 {result['scenario']}  engine {result['engine']}  base seed {result['base_seed']}"]
    lines += [f"  T{i + 1} = {t['key']}  {t['name']['zh']} / {t['name']['en']}" for i, t in enumerate(targets)]
    head = [*result["teams"], "reps", *(f"T{i + 1}" for i in range(len(targets))), "all 全部", "p90 h"]
    rows = []
    for pt in result["points"]:
        p90 = pt["answer_h"]["p90"]["mean"]
        rows.append(
            [str(pt["staff"][t]) for t in result["teams"]]
            + [str(pt["reps"])]
            + [_cell(pt["targets"][t["key"]]) for t in targets]
            + [_cell(pt["all_targets"]), "—" if p90 is None else f"{p90:.1f}"]
        )
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        lines.append("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
    lines.append(f"P(target holds) [{100 * result['confidence']:g}% Wilson interval]; — = the target never came due")
    return "\n".join(lines) + "\n"


def _parse_service(items: Sequence[str], plan: Plan) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {}
    for item in items:
        parts = item.split(":")
        try:
            team, minutes, share = parts[0], float(parts[1]), float(parts[2])
        except (IndexError, ValueError):
            raise UserError(f"--service: expected TEAM:MINUTES:SHARE, got '{item}'") from None
        _check_team(plan, team, "--service")
        if len(parts) != 3 or minutes < 0 or not 0 < share < 1:
            raise UserError(f"--service: '{item}' needs MINUTES >= 0 and 0 < SHARE < 1")
        out.setdefault(team, []).append((minutes, share))
    return out


def cmd_staff(args: argparse.Namespace) -> int:
    """Search the fewest staff per team meeting the targets, check them together, and print the evidence."""
    plan, scenario = _load(args)
    service = _parse_service(args.service, plan)
    if args.max_abandon is not None and not 0 < args.max_abandon < 1:
        raise UserError(f"--max-abandon must lie strictly between 0 and 1 (got {args.max_abandon})")
    ctx = _context(args, plan, scenario, tuple((team, m) for team, levels in service.items() for m, _ in levels))
    try:
        targets = select(team_targets(plan), args.target)
    except ValueError as exc:
        raise UserError(f"--target: {exc}") from None
    crits = criteria(targets, list(plan.teams), service, args.max_abandon)
    ranges = dict(parse_vary(r, "--range") for r in args.range)
    for team in ranges:
        _check_team(plan, team, "--range")
        if team not in crits:
            raise UserError(f"--range: team '{team}' owns none of the chosen targets and has no service level")
    teams = list(ranges) or list(crits)
    out = args.out or Path("drillsim-out") / f"staff-{scenario.id}"
    answers: list[TeamAnswer] = []
    with open_executor(args.workers, args.dask) as ex:
        for team in teams:
            bounds = (ranges[team][0], ranges[team][-1]) if team in ranges else default_range(ctx, team)
            sys.stderr.write(f"{team}: searching {bounds[0]}–{bounds[1]}\n")
            conf, show = args.confidence, _progress()
            answers.append(search(ctx, team, crits[team], bounds, args.reps, ex, out, targets, confidence=conf, progress=show))
        sys.stderr.write("together: checking the teams' answers at once\n")
        joint = together(ctx, answers, crits, targets, args.reps, ex, out, confidence=args.confidence, progress=_progress())
    report = {
        "scenario": scenario.id,
        "engine": ctx.engine,
        "base_seed": ctx.base_seed,
        "confidence": args.confidence,
        "reps": args.reps,
        "teams": [
            {
                "team": a.team,
                "low": a.low,
                "high": a.high,
                "minimum": a.minimum,
                "roster": a.roster,
                "tried": a.tried,
            }
            for a in answers
        ],
        "joint": joint,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "staffing.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(render_staff(report))
    sys.stdout.write(f"wrote {out / 'staffing.json'}\n")
    return 0


def _evidence(stats: Mapping[str, Any], team: str | None) -> str:
    """A tried staffing's requirements, each with its estimate, interval and mark (✗ short, ⊘ futile, ? undecided)."""
    cells = []
    for name, req in stats["requirements"].items():
        mark = " ⊘" if req.get("futile") else {True: "", False: " ✗", None: " ?"}[req["ok"]]
        if name == "all":
            what = "all targets held 全部目标达成"
        elif name == "abandon":
            what = "hotline abandon 放弃率"
        elif name in stats["targets"]:
            what = f"{name} held 达成"
        else:
            owner, minutes = name.split(":")
            what = f"{'' if owner == team else owner + ' '}waited ≤ {minutes} min 等待达标"
        figure = "—" if req["p"] is None else f"{req['p']:.3f} [{req['lo']:.3f},{req['hi']:.3f}]"
        cells.append(f"{what} {figure}{mark}")
    return "; ".join(cells) or "no requirement 无要求"


def _span(hours: Sequence[int]) -> str:
    low, high = min(hours), max(hours)
    return f"{low}" if low == high else f"{low}–{high} by hour 按时段"


def render_staff(report: Mapping[str, Any]) -> str:
    """The search's answer per team beside its roster, with the evidence, and the joint answer."""
    conf = report["confidence"]
    lines = [
        f"scenario 场景 {report['scenario']}: fewest staff meeting each team target with {conf:.0%} confidence "
        f"(lower {conf:.0%} bound ≥ {conf:.0%}; up to {report['reps']} replications a staffing, "
        "more only while undecided 未定时才加跑)"
    ]
    for a in report["teams"]:
        n, today = a["minimum"], f"roster today 现排班 {_span(a['roster'])}"
        if n is None:
            lines.append(f"{a['team']}: not met even with {a['high']} people 在 {a['high']} 人内无法达标 ({today})")
        else:
            tried = ", ".join(f"{k}×{v['reps']}" for k, v in sorted(a["tried"].items(), key=lambda kv: int(kv[0])))
            lines.append(f"{a['team']}: {n} 人 / people  ({today}; tried staff×replications {tried})")
        for staff in (n - 1, n) if n is not None else (a["high"],):
            stats = a["tried"].get(staff)
            if stats is not None:
                lines.append(f"  {staff:>4} {'ok' if stats['ok'] else '--'}  {_evidence(stats, a['team'])}")
    joint = report["joint"]
    if joint:
        last = joint[-1]
        staff = ", ".join(f"{k}={v}" for k, v in last["staff"].items())
        if last["ok"]:
            added = "" if len(joint) == 1 else f" (added {len(joint) - 1} after the teams' own answers 在各队答案上增加)"
            lines.append(f"answer 答案 {staff}: every requirement together 全部要求同时达标{added}")
        else:
            lines.append(f"no answer 无答案: {staff} still falls short together 合计仍未达标")
        lines.append(f"  {last['reps']:>4} reps  {_evidence(last, None)}")
    if (needed := fewest_reps(conf)) > report["reps"]:
        lines.append(f"note: in {report['reps']} replications no target that comes due can be shown to hold; it takes {needed}")
    lines.append(
        f"share [{conf:.0%} interval]; ✗ short, ⊘ could not clear in {report['reps']} replications even if it held in every"
        f" further one, ? neither shown nor refuted in {report['reps']} replications (both count as short)"
        " 未达标 / 余下全达成也无法达标 / 无法判定（均按未达标计）"
    )
    return "\n".join(lines) + "\n"
