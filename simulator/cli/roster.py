"""``drillsim roster``: staff per hour of a scenario's surge and the cheapest roster of shifts covering it, in zh or en.

The need per hour comes from the Erlang calculator, the roster from an integer programme (HiGHS),
and both the scenario's own roster and the new one are run through the kernel's replications and
judged on every target together (see :mod:`simulator.sweep.rostering`). Its texts are written in
English here and put in the chosen language by :func:`simulator.lang.tr` (teams and scenario by their names).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..lang import Lang, tr
from .args import add_scenario_args, whole
from .erlang import cap, share

if TYPE_CHECKING:
    from ..model import Scenario, ShiftPattern

ROSTER_OUTPUTS = "drillsim.roster_outputs"
"""Entry points called with (result, folder) after a checked roster, each returning the files it wrote."""


def hour_list(text: str) -> list[int]:
    """An argument type: clock hours as ``0-23``, ``6,8,14`` or both (``6-9,14``)."""
    hours: set[int] = set()
    for part in text.split(","):
        lo, sep, hi = part.strip().partition("-")
        if not (lo.isascii() and lo.isdigit() and (not sep or (hi.isascii() and hi.isdigit()))):
            raise argparse.ArgumentTypeError(f"expected clock hours such as 0-23 or 6,8,14, got '{text}'")
        first, last = int(lo), int(hi) if sep else int(lo)
        if not 0 <= first <= last <= 23:
            raise argparse.ArgumentTypeError(f"expected hours from 0 to 23, low to high, got '{text}'")
        hours.update(range(first, last + 1))
    return sorted(hours)


def lengths(text: str) -> list[int]:
    """An argument type: shift lengths in whole hours from 1 to 23, ``8,10``."""
    parse = whole(1, 23)
    return sorted({parse(part.strip()) for part in text.split(",")})


def shift_spec(text: str) -> ShiftPattern:
    """An argument type: allowed shifts as ``STARTS:HOURS[:BREAK[:BREAK_HOURS]]``.

    ``6-10:9:3-5`` allows 9-hour shifts starting at 6 to 10 o'clock, each with a 1-hour break
    beginning 3 to 5 hours in; ``22:8`` an 8-hour night shift without a break.
    """
    from pydantic import ValidationError

    from ..model import ShiftPattern

    parts = text.split(":")
    if not 2 <= len(parts) <= 4:
        raise argparse.ArgumentTypeError(f"expected STARTS:HOURS[:BREAK[:BREAK_HOURS]] such as 6-10:9:3-5, got '{text}'")
    spec: dict[str, Any] = {"starts": hour_list(parts[0]), "hours": whole(1, 23)(parts[1])}
    if len(parts) > 2:
        lo, sep, hi = parts[2].partition("-")
        earliest = whole(1, 22)(lo)
        later = whole(1, 22)(hi) if sep else earliest
        spec["break"] = {"earliest": earliest, "latest": later, "hours": whole(1, 21)(parts[3]) if len(parts) > 3 else 1}
    try:
        return ShiftPattern.model_validate(spec)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(f"shift '{text}': {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``drillsim roster`` to the command line (nothing heavier than argparse is imported)."""
    from .commands import _sweep_common

    p = sub.add_parser("roster", help="staff per hour and the cheapest roster of shifts covering it (排班优化)")
    add_scenario_args(p)
    p.add_argument(
        "--shift",
        type=shift_spec,
        action="append",
        default=[],
        metavar="STARTS:H[:BREAK[:BH]]",
        help="allowed shifts, e.g. 6-10:9:3-5 (9 h from 6-10 o'clock, a 1 h break 3-5 h in); repeatable",
    )
    p.add_argument("--shift-lengths", type=lengths, metavar="H,H", help="allowed shift lengths in hours, no break (default 8)")
    p.add_argument("--starts", type=hour_list, metavar="HOURS", help="allowed start hours (default 0-23)")
    p.add_argument("--target", action="append", default=[], metavar="RULE", help="only these targets (rule ID or key)")
    p.add_argument(
        "--service", action="append", default=[], metavar="TEAM:MIN:SHARE", help="SHARE of TEAM's customers wait <= MIN"
    )
    p.add_argument("--max-abandon", type=float, metavar="SHARE", help="at most SHARE of hotline callers hang up")
    p.add_argument("--max-occupancy", type=cap, default=0.85, metavar="SHARE", help="occupancy cap per hour (default 85%%)")
    p.add_argument("--shrinkage", type=share, default=0.0, metavar="SHARE", help="paid time off the phones, e.g. 30%%")
    p.add_argument("--no-check", action="store_true", help="skip the simulation (need and roster only)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--lang", choices=("zh", "en"), help="language (default: from the locale)")
    _sweep_common(p, reps=200, most=True)
    p.set_defaults(handler="simulator.cli.roster:cmd_roster")


def cmd_roster(args: argparse.Namespace) -> int:
    """Need per hour, cheapest roster, and (unless ``--no-check``) both rosters checked by simulation."""
    from ..lang import lang_of
    from ..load import load_yaml, resolve_scenario
    from ..model import Problem, UserError, ValidationFailed, format_path
    from ..score import select, team_targets
    from ..sweep import (
        Check,
        Goals,
        allowed_by,
        cheapest,
        clock_need,
        criteria,
        need_by_hour,
        on_duty,
        open_executor,
        repair,
        shifts_yaml,
        staff_hours,
        teams_yaml,
        today,
        trim,
    )
    from .sweep import _load, _parse_service

    plan, scenario = _load(args)
    service = _parse_service(args.service, plan)
    if args.max_abandon is not None and not 0 < args.max_abandon < 1:
        raise UserError(f"--max-abandon must lie strictly between 0 and 1 (got {args.max_abandon})")
    try:
        targets = select(team_targets(plan), args.target)
    except ValueError as exc:
        raise UserError(f"--target: {exc}") from None
    teams = [t for t, setup in scenario.teams.items() if setup.handling is not None]
    specs = {team: allowed_shifts(args, scenario, team) for team in teams}
    allowed = {team: allowed_by(found) for team, (found, _) in specs.items()}
    need: dict[str, list[int]] = {}
    for team in teams:
        levels: list[tuple[float, float] | None] = [(share, 60.0 * m) for m, share in service.get(team, [])]
        abandon = args.max_abandon if team == "hotline" and scenario.teams[team].patience is not None else None
        goals = [Goals(level, None, args.max_occupancy, abandon, args.shrinkage) for level in levels or [None]]
        try:
            need[team] = [max(hour) for hour in zip(*(clock_need(need_by_hour(scenario, team, g)) for g in goals), strict=True)]
        except ValueError as exc:
            raise UserError(f"team '{team}': {exc}") from None
    first = {}
    for team, n in need.items():
        try:
            first[team] = cheapest(n, allowed[team])
        except ValueError as exc:
            if specs[team][1] != "scenario":
                raise UserError(f"{specs[team][1]}: team '{team}': {exc}") from None
            where = ("teams", team, "patterns")
            doc = load_yaml(resolve_scenario(args.scenario))
            raise ValidationFailed([Problem(doc.locate(where, key=True), str(exc), format_path(where))]) from None
    own = today(plan, scenario, teams)
    report: dict[str, Any] = {
        "scenario": scenario.id,
        "patterns": {team: [spec.model_dump(by_alias=True) for spec in found] for team, (found, _) in specs.items()},
        "patterns_from": {team: where for team, (_, where) in specs.items()},
        "need": need,
        "own": own,
        "own_staff_hours": {team: sum(r) for team, r in own.items()},
        "staff_hours": {team: staff_hours(r) for team, r in first.items()},
        "by_hour": {team: on_duty(r) for team, r in first.items()},
        "shifts_yaml": shifts_yaml(first),
    }
    if not args.no_check:
        out = args.out or Path("drillsim-out") / f"roster-{scenario.id}"
        crits = criteria(targets, list(plan.teams), service, args.max_abandon)
        pairs = tuple((team, m) for team, levels in service.items() for m, _ in levels)
        seed = scenario.seed if args.seed is None else args.seed
        with open_executor(args.workers, args.dask) as ex:
            check = Check(plan, crits, targets, args.engine, seed, pairs, args.reps, args.confidence, ex, out)
            report["own_check"] = _summary(check.run(scenario))
            need, rosters, tried = repair(scenario, need, allowed, check)
            trimmed = trim(scenario, need, allowed, check) if tried[-1]["ok"] else None
        report["checks"] = [{**_summary(s), "staff_hours": s["staff_hours"]} for s in tried]
        report["analytic_staff_hours"] = report["trimmed_staff_hours"] = tried[-1]["staff_hours"]
        if trimmed is not None:
            rosters = trimmed.rosters
            report["trims"] = [{**_summary(s), **{k: s[k] for k in ("team", "alpha", "staff_hours")}} for s in trimmed.tried]
            report["trim"] = {team: _trimmed(trimmed.alpha[team], trimmed.floor[team], team, report["trims"]) for team in need}
            report["trimmed_staff_hours"] = {team: staff_hours(r) for team, r in rosters.items()}
        report["staff_hours"] = report["trimmed_staff_hours"]
        report["by_hour"] = {team: on_duty(r) for team, r in rosters.items()}
        report["shifts_yaml"] = shifts_yaml(rosters)
        report["answer"] = "new"
        own_total, new_total = sum(report["own_staff_hours"].values()), sum(report["staff_hours"].values())
        if report["own_check"]["ok"] and own_total <= new_total:  # never hand back a dearer roster than one that holds
            report["answer"] = "own"
            report["staff_hours"], report["by_hour"] = report["own_staff_hours"], own
            setups = {team: scenario.teams[team] for team in teams}
            report["shifts_yaml"] = teams_yaml({team: (setup.staff, setup.shifts) for team, setup in setups.items()})
        report["confidence"], report["reps"] = args.confidence, args.reps
        out.mkdir(parents=True, exist_ok=True)
        (out / "roster.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (out / "shifts.yaml").write_text(report["shifts_yaml"], encoding="utf-8")
        written = [out / "roster.json", out / "shifts.yaml"]
        for output in entry_points(group=ROSTER_OUTPUTS):  # the chart, registered by reports/
            written += output.load()(report, out)
        report["written"] = [str(p) for p in written]
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    else:
        lang = lang_of(args)
        names = {"": scenario.title(lang), **{team: plan.teams[team].name(lang) for team in teams}}
        sys.stdout.write(render(report, args, lang, names))
    return 0


def allowed_shifts(args: argparse.Namespace, scenario: Scenario, team: str) -> tuple[list[ShiftPattern], str]:
    """The shifts ``team`` may use, and where they come from: the options that gave them, ``scenario``, or the default.

    The command line's (``--shift``, and ``--starts`` with ``--shift-lengths``) for every team when
    given; else the team's own ``patterns`` in the scenario; else 8 hours from any clock hour.
    """
    from ..model import ShiftPattern

    given = list(args.shift)
    if args.starts is not None or args.shift_lengths is not None:
        starts = args.starts or list(range(24))
        given += [ShiftPattern(starts=starts, hours=hours) for hours in args.shift_lengths or [8]]
    if given:
        return given, "--shift/--starts/--shift-lengths"
    own = scenario.teams[team].patterns
    if own:
        return list(own), "scenario"
    return [ShiftPattern(starts=list(range(24)), hours=8)], "default"


def _pattern(spec: Mapping[str, Any], lang: Lang) -> str:
    """One allowed shift pattern for a reader: its length, and its break if it has one."""
    rest = spec.get("break")
    if rest is None:
        return tr(f"{spec['hours']} h", lang)
    window = f"{rest['earliest']}" + (f"-{rest['latest']}" if rest["latest"] > rest["earliest"] else "")
    return tr(f"{spec['hours']} h, a {rest['hours']} h break {window} h in", lang)


def _trimmed(alpha: float, floor: bool, team: str, trims: list[dict[str, Any]]) -> dict[str, Any]:
    """A team's trimming: its scale kept, whether that was the lowest tried, the staff-hours kept and one step cheaper."""
    mine = [c for c in trims if c["team"] == team]
    held = [c["staff_hours"][team] for c in mine if c["ok"]]
    short = [c["staff_hours"][team] for c in mine if not c["ok"]]
    return {"alpha": alpha, "floor": floor, "kept": min(held, default=None), "below": max(short, default=None)}


def _summary(stats: Mapping[str, Any]) -> dict[str, Any]:
    """A check's verdict, replications, and each requirement's estimate and interval (``all``: the targets together)."""
    return {"ok": stats["ok"], "reps": stats["reps"], "requirements": stats["requirements"]}


def render(report: Mapping[str, Any], args: argparse.Namespace, lang: Lang, names: Mapping[str, str]) -> str:
    """The need per hour beside both rosters, staff-hours, the simulated checks and the shifts block.

    ``names`` holds the scenario's title (key ``""``) and each team's name, in ``lang``.
    """
    from .history import render_table

    teams = list(report["need"])
    occupancy, shrinkage = _pct(args.max_occupancy), _pct(args.shrinkage)
    head = (
        f"scenario {names['']}: staff needed per hour (Erlang A for the hotline, C otherwise;"
        f" occupancy cap {occupancy}, shrinkage {shrinkage})"
    )
    clock = (
        "The roster repeats every day: each clock hour covers the most needed at that hour"
        " on any day of the horizon (before opinion heat)."
    )
    header = [tr("clock hour", lang)]
    for team in teams:
        header += [f"{names[team]} {tr(word, lang)}" for word in ("needs", "today", "new")]
    rows = []
    for h in range(24):
        row = [f"{h:02d}"]
        for team in teams:
            row += [str(report["need"][team][h]), str(report["own"][team][h]), str(report["by_hour"][team][h])]
        rows.append(row)
    text = tr(head, lang) + "\n" + tr(clock, lang) + "\n" + render_table(header, rows)
    for team in teams:
        size = "; ".join(_pattern(spec, lang) for spec in report["patterns"][team])
        own, first = report["own_staff_hours"][team], report.get("analytic_staff_hours", report["staff_hours"])[team]
        trimmed = report.get("trimmed_staff_hours", report["staff_hours"])[team]
        line = f"staff-hours a day: {names[team]} today {own}, analytic roster {first}, trimmed {trimmed} (shifts: {size})"
        text += tr(line, lang) + "\n"
    if "checks" in report:
        conf = _pct(report["confidence"])
        check = (
            f"checked by simulation (up to {report['reps']} replications, {conf} confidence):"
            " all = P(every target holds together), then each requirement"
        )
        text += tr(check, lang) + "\n"
        text += _check_line(tr("today's roster", lang), report["own_check"], lang)
        for i, c in enumerate(report["checks"]):
            text += _check_line(tr(f"new roster (round {i + 1})", lang), c, lang)
        rounds = len(report["checks"]) - 1
        if rounds:
            said = "The simulation found it short: people added in {} rounds."
            if not report["checks"][-1]["ok"]:
                said = "Still short after {} rounds of added people."
            text += tr(said.format(rounds), lang) + "\n"
        for c in report.get("trims", []):
            text += _check_line(tr(f"{names[c['team']]} trimmed to {c['alpha']:g} of its need", lang), c, lang)
        for team, cut in report.get("trim", {}).items():
            hours, alpha = report["trimmed_staff_hours"][team], f"{cut['alpha']:g}"
            if cut["floor"]:
                said = (
                    f"Trimmed: {names[team]} at the lowest scale tried,"
                    f" {alpha} ({hours} staff-hours a day), holds: the search's bound."
                )
            else:
                said = (
                    f"Trimmed: {names[team]} at {alpha} of its need ({hours} staff-hours a day) holds;"
                    f" a step cheaper ({cut['below']}) is short."
                )
            text += tr(said, lang) + "\n"
        own, new = sum(report["own_staff_hours"].values()), sum(report["trimmed_staff_hours"].values())
        if report["answer"] == "own":
            said = (
                f"Today's roster ({own} staff-hours a day) costs no more than the trimmed one ({new}) and holds:"
                " it is the answer, no worse than what you have."
            )
        else:
            verdict = "holds" if report["own_check"]["ok"] else "short"
            said = f"The answer: the trimmed roster, {new} staff-hours a day against today's {own} ({verdict})."
        text += tr(said, lang) + "\n"
    text += tr("Shifts to drop into the scenario file:", lang) + "\n" + str(report["shifts_yaml"])
    if "written" in report:
        text += tr("wrote {}".format(", ".join(report["written"])), lang) + "\n"
    return text


def _check_line(label: str, check: Mapping[str, Any], lang: Lang) -> str:
    """A checked roster's verdict and every requirement's estimate [interval], ✗ where wholly short, ? where undecided."""
    marks = {True: "", False: " ✗", None: " ?"}
    parts = []
    for name, c in check["requirements"].items():
        shown = "—" if c["p"] is None else f"{c['p']:.3f} [{c['lo']:.3f}, {c['hi']:.3f}]"
        parts.append(f"{name} {shown}{marks[c['ok']]}")
    verdict = tr("holds" if check["ok"] else "short", lang)
    return f"  {label}: {verdict}  n={check['reps']}  " + "; ".join(parts) + "\n"


def _pct(x: float) -> str:
    return f"{100 * x:g}%"
