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

from ..lang import Lang, lang_of, tr
from ..load import load_plan, load_scenario, load_yaml, resolve_scenario
from ..model import Plan, Problem, Scenario, UserError, ValidationFailed, format_path
from ..score import select, team_targets
from ..sweep import (
    ENGINES,
    RESULTS,
    Context,
    TeamAnswer,
    brought_in,
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


def progress_text(done: int, total: int, elapsed: float, first: int = 0, lang: Lang = "en") -> str:
    """``replications done/total (pct%) elapsed s``, and the time left once this run has finished some, in ``lang``.

    ``first`` replications were already done when this run began (a resumed sweep): the time left is
    reckoned from the pace of the rest.
    """
    text = f"replications {done}/{total} ({100 * done / max(total, 1):.0f}%) {elapsed:.0f} s"
    ran = done - first
    if ran > 0 and done < total:
        text += f", ~{elapsed / ran * (total - done):.0f} s left"
    return tr(text, lang)


def _progress(lang: Lang) -> Callable[[int, int], None]:
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
        text = progress_text(done, total, time.perf_counter() - start, first[0], lang)
        sys.stderr.write(("\r" + text + "\x1b[K" if live else text + "\n") + ("\n" if live and done == total else ""))
        sys.stderr.flush()

    return show


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a staffing sweep and write its results (and the registered outputs, such as the chart)."""
    plan, scenario = _load(args)
    lang = lang_of(args)
    ctx = _context(args, plan, scenario)
    varies = [parse_vary(v, "--vary") for v in args.vary]
    for team, _ in varies:
        _check_team(plan, team, "--vary")
    points = grid(varies, "--vary")
    out = args.out or Path("drillsim-out") / f"sweep-{scenario.id}"
    with open_executor(args.workers, args.dask) as ex:
        per_point = run_sweep(ctx, points, args.reps, ex, out / RESULTS, progress=_progress(lang))
    result = summary(ctx, points, per_point, args.confidence)
    written = list(write_summary(out, result))
    if not args.no_chart:
        for output in entry_points(group=SWEEP_OUTPUTS):  # the chart, registered by reports/
            written += output.load()(result, out)
    sys.stdout.write(render_sweep(result, lang, names(plan, scenario, lang)))
    sys.stdout.write(tr("wrote " + ", ".join(str(p) for p in [out / RESULTS, *written]), lang) + "\n")
    return 0


def _cell(stats: Mapping[str, Any]) -> str:
    if stats["p"] is None:
        return "—"
    return f"{stats['p']:.2f} [{stats['lo']:.2f},{stats['hi']:.2f}]"


def names(plan: Plan, scenario: Scenario, lang: Lang) -> dict[str, str]:
    """What a person reads for the scenario (key ``""``) and for each team of the plan, in ``lang``."""
    return {"": scenario.title(lang), **{team: t.name(lang) for team, t in plan.teams.items()}}


def render_sweep(result: Mapping[str, Any], lang: Lang, names: Mapping[str, str]) -> str:
    """The sweep as a text table: P(target holds) [Wilson interval] per staffing, answer-time p90."""
    from .history import render_table

    targets = result["targets"]
    lines = [tr(f"scenario {names['']}  engine {result['engine']}  base seed {result['base_seed']}", lang)]
    lines += [f"  T{i + 1} = {t['key']}  {t['name'][lang] or t['name']['en']}" for i, t in enumerate(targets)]
    teams = [names[t] for t in result["teams"]]
    head = [*teams, tr("reps", lang), *(f"T{i + 1}" for i in range(len(targets))), tr("all", lang), tr("p90 h", lang)]
    rows = []
    for pt in result["points"]:
        p90 = pt["answer_h"]["p90"]["mean"]
        rows.append(
            [str(pt["staff"][t]) for t in result["teams"]]
            + [str(pt["reps"])]
            + [_cell(pt["targets"][t["key"]]) for t in targets]
            + [_cell(pt["all_targets"]), "—" if p90 is None else f"{p90:.1f}"]
        )
    lines.append(render_table(head, rows, frozenset(range(len(head)))).rstrip("\n"))
    legend = f"P(target holds) [{100 * result['confidence']:g}% Wilson interval]; — = the target never came due"
    lines.append(tr(legend, lang))
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
    lang, named = lang_of(args), names(plan, scenario, lang_of(args))
    service = _parse_service(args.service, plan)
    if args.max_abandon is not None and not 0 < args.max_abandon < 1:
        raise UserError(f"--max-abandon must lie strictly between 0 and 1 (got {args.max_abandon})")
    ctx = _context(args, plan, scenario, tuple((team, m) for team, levels in service.items() for m, _ in levels))
    try:
        targets = select(team_targets(plan), args.target)
    except ValueError as exc:
        raise UserError(f"--target: {exc}") from None
    named.update({t.key: t.name(lang) for t in targets} | {a: spec.name(lang) for a, spec in plan.actions.items()})
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
            sys.stderr.write(tr(f"{named[team]}: searching {bounds[0]}–{bounds[1]}", lang) + "\n")
            conf, show = args.confidence, _progress(lang)
            answers.append(search(ctx, team, crits[team], bounds, args.reps, ex, out, targets, confidence=conf, progress=show))
        sys.stderr.write(tr("together: checking the teams' answers at once", lang) + "\n")
        joint = together(ctx, answers, crits, targets, args.reps, ex, out, confidence=args.confidence, progress=_progress(lang))
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
        "brought_in": brought_in(scenario),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "staffing.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(render_staff(report, lang, named))
    sys.stdout.write(tr(f"wrote {out / 'staffing.json'}", lang) + "\n")
    return 0


def _evidence(stats: Mapping[str, Any], team: str | None, lang: Lang, names: Mapping[str, str]) -> str:
    """A tried staffing's requirements, each with its estimate, interval and mark (✗ short, ⊘ futile, ? undecided)."""
    cells = []
    for name, req in stats["requirements"].items():
        mark = " ⊘" if req.get("futile") else {True: "", False: " ✗", None: " ?"}[req["ok"]]
        if name in ("all", "abandon"):
            what = tr({"all": "all targets held", "abandon": "hotline abandon"}[name], lang)
        elif name in stats["targets"]:
            what = f"{names.get(name, name)} {tr('held', lang)}"
        else:
            owner, minutes = name.split(":")
            what = ("" if owner == team else names[owner] + " ") + tr(f"waited ≤ {minutes} min", lang)
        figure = "—" if req["p"] is None else f"{req['p']:.3f} [{req['lo']:.3f},{req['hi']:.3f}]"
        cells.append(f"{what} {figure}{mark}")
    return "; ".join(cells) or tr("no requirement", lang)


def _span(hours: Sequence[int], lang: Lang) -> str:
    low, high = min(hours), max(hours)
    return f"{low}" if low == high else tr(f"{low}–{high} by hour", lang)


def render_staff(report: Mapping[str, Any], lang: Lang, names: Mapping[str, str]) -> str:
    """The search's answer per team beside its roster, with the evidence, and the joint answer.

    ``names`` holds what a person reads for the scenario (key ``""``), each team and each target, in ``lang``.
    """
    conf, reps = f"{report['confidence']:.0%}", report["reps"]
    head = (
        f"scenario {names['']}: fewest staff meeting each team target with {conf} confidence"
        f" (lower {conf} bound ≥ {conf}; up to {reps} replications a staffing, more only while undecided)"
    )
    lines = [tr(head, lang)]
    if report.get("brought_in"):
        items = []
        for b in report["brought_in"]:
            who, n, action, late = names[b["team"]], b["staff"], names[b["action"]], f"{b['delay_h']:g}"
            said = f"{who} +{n} ({action}, {late} h after it is taken)" if b["delay_h"] else f"{who} +{n} ({action})"
            items.append(tr(said, lang))
        lines.append(tr(f"every replication counts the people the auto-responder brings in: {tr(', ', lang).join(items)}", lang))
    for a in report["teams"]:
        n, team, today = a["minimum"], names[a["team"]], tr(f"roster today {_span(a['roster'], lang)}", lang)
        if n is None:
            lines.append(tr(f"{team}: not met even with {a['high']} people ({today})", lang))
        else:
            tried = ", ".join(f"{k}×{v['reps']}" for k, v in sorted(a["tried"].items(), key=lambda kv: int(kv[0])))
            people = "person" if n == 1 else "people"
            lines.append(tr(f"{team}: {n} {people} ({today}; tried staff×replications {tried})", lang))
        for staff in (n - 1, n) if n is not None else (a["high"],):
            stats = a["tried"].get(staff)
            if stats is not None:
                mark = tr("ok" if stats["ok"] else "--", lang)
                lines.append(f"  {staff:>4} {mark}  {_evidence(stats, a['team'], lang, names)}")
    joint = report["joint"]
    if joint:
        last = joint[-1]
        staff = ", ".join(f"{names[k]}={v}" for k, v in last["staff"].items())
        if not last["ok"]:
            said = f"no answer: {staff} still falls short together"
        elif len(joint) == 1:
            said = f"answer {staff}: every requirement holds together"
        else:
            said = f"answer {staff}: every requirement holds together (added {len(joint) - 1} after the teams' own answers)"
        lines.append(tr(said, lang))
        lines.append(f"  {last['reps']:>4} {tr('reps', lang)}  {_evidence(last, None, lang, names)}")
    if (needed := fewest_reps(report["confidence"])) > reps:
        lines.append(tr(f"note: in {reps} replications no target that comes due can be shown to hold; it takes {needed}", lang))
    legend = (
        f"share [{conf} interval]; ✗ short, ⊘ could not clear in {reps} replications even if it held in every further one,"
        f" ? neither shown nor refuted in {reps} replications (both count as short)"
    )
    lines.append(tr(legend, lang))
    return "\n".join(lines) + "\n"
