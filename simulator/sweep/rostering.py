"""Staff per hour and the cheapest roster of shifts covering it, checked by simulation and repaired.

The need of an hour is the Erlang calculator's fewest people (after shrinkage) for that hour's
expected complaints (the scenario's own arrival rule, before opinion heat): the hotline takes its
channel's share, with the callers' patience (Erlang A) when the scenario gives one; comms answers
every complaint (Erlang C). A scenario repeats its roster every clock day, so the need to cover at a
clock hour is the most needed at that hour on any day of the horizon.

The roster is an integer programme solved by HiGHS (``scipy.optimize.milp``): how many people start
each allowed shift (a start hour, a length, and where it has one the hour its unpaid break begins),
the fewest paid staff-hours such that every clock hour has at least its need on duty (at work, not
on a break). HiGHS through SciPy rather than OR-Tools: the programme is small (24 hour rows, a
variable per allowed shift and break hour), HiGHS is a leading open MILP solver, and SciPy is a
single well-kept wheel where OR-Tools would add a larger native package and protobuf for no gain.
The roster is then run through the kernel's replications and judged as ``drillsim staff`` judges a
staffing (every target together, with the confidence); while it falls short, the team owning the
weakest requirement needs one more person in each of its tightest hours (of the hours needing
people, those with least spare over their need), and the programme is solved again, at most
``MAX_REPAIRS`` times.

The per-hour need is conservative (every hour of the busiest day meets the goals on its own, while
the simulation judges the whole run), so a roster that holds is then trimmed: each team in turn is
bisected on a scale ``α = k / TRIM_STEPS`` of its need (rounded up, solved again), the other teams as
trimmed so far, every step checked by the same replications (common random numbers: the same seeds
at every step). That is at most ``ceil(log2(TRIM_STEPS + 1))`` checks a team; the cheapest roster that
holds is kept, and the step one cheaper was checked and fell short unless the lowest scale held.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ..model import HOTLINE, MINUTES_PER_HOUR, Plan, Scenario, Shift, ShiftPattern
from ..rules import expected_by_hour, roster
from ..score import Target
from .calculator import Demand, Goals, fewest_agents
from .grid import Context
from .queueing import bisect_smallest
from .staffing import Criterion, settle, weakest

MAX_REPAIRS = 20
"""The most times the roster is solved again after the simulation found it short."""
TRIM_STEPS = 20
"""The trimming's scales of a team's need: 1/20, 2/20, …, 1."""


@dataclass(frozen=True)
class Pattern:
    """An allowed shift: it starts at a clock hour and lasts whole hours (wrapping past midnight), a break inside or not."""

    start: int
    hours: int
    break_at: int | None = None
    """Whole hours after the start when its unpaid break begins (None: no break)."""
    break_hours: int = 0

    def covers(self, hour: int) -> bool:
        """Whether someone on this shift is on duty (at work, not on the break) during clock hour ``hour``."""
        offset = (hour - self.start) % 24
        on_break = self.break_at is not None and self.break_at <= offset < self.break_at + self.break_hours
        return offset < self.hours and not on_break

    @property
    def paid(self) -> int:
        """Hours on duty: the shift less its break."""
        return self.hours - (self.break_hours if self.break_at is not None else 0)

    def spans(self) -> list[tuple[int, int]]:
        """The clock hours on duty as (from, to) spans: one, or two around the break (``to`` past 24 wraps)."""
        if self.break_at is None:
            return [(self.start, self.start + self.hours)]
        resume = self.break_at + self.break_hours
        return [(self.start, self.start + self.break_at), (self.start + resume, self.start + self.hours)]


def allowed_by(specs: Sequence[ShiftPattern]) -> list[Pattern]:
    """The shifts a scenario's (or the command line's) patterns allow: each start, and each hour its break may begin."""
    out: set[Pattern] = set()
    for spec in specs:
        b = spec.break_
        for start in spec.starts:
            if b is None:
                out.add(Pattern(start, spec.hours))
            else:
                out.update(Pattern(start, spec.hours, at, b.hours) for at in range(b.earliest, b.latest + 1))
    return sorted(out, key=lambda p: (p.start, p.hours, -1 if p.break_at is None else p.break_at, p.break_hours))


def team_demand(scenario: Scenario, team: str, complaints_per_h: float) -> Demand:
    """The call stream ``team`` faces in an hour bringing ``complaints_per_h`` complaints."""
    setup = scenario.teams[team]
    if setup.handling is None:
        raise ValueError(f"team '{team}' has no handling time in the scenario")
    share = 1.0
    patience = None
    if team == "hotline":
        channels, _ = scenario.complaints.shares()
        share = channels[HOTLINE] / sum(channels)
        patience = None if setup.patience is None else setup.patience.expected * MINUTES_PER_HOUR
    return Demand(complaints_per_h * share / 3600.0, setup.handling.expected * MINUTES_PER_HOUR, patience)


def need_by_hour(scenario: Scenario, team: str, goals: Goals) -> list[int]:
    """People ``team`` needs on the roster in each hour of the horizon for ``goals`` (0 in an hour without complaints)."""
    out = []
    for count in expected_by_hour(scenario).tolist():
        out.append(0 if count <= 0 else fewest_agents(team_demand(scenario, team, count), goals).rostered)
    return out


def clock_need(need: Sequence[int]) -> list[int]:
    """The most needed at each clock hour on any day (a roster repeats every day)."""
    return [max(need[h::24], default=0) for h in range(24)]


def cheapest(need: Sequence[int], allowed: Sequence[Pattern]) -> dict[Pattern, int]:
    """People per shift with the fewest staff-hours putting at least ``need[h]`` on duty in every clock hour.

    Raises ``ValueError`` when no allowed shift covers an hour that needs people. SciPy is imported
    here, on first use: a search or a sweep, which never solves a roster, does not load it.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    cover = np.array([[p.covers(h) for p in allowed] for h in range(24)], dtype=float)
    bare = [h for h in range(24) if need[h] > 0 and not cover[h].any()]
    if bare:
        raise ValueError(f"no allowed shift covers hour {bare[0]}, which needs {need[bare[0]]} on duty")
    cost = np.array([p.paid for p in allowed], dtype=float)
    result = milp(
        cost,
        constraints=LinearConstraint(cover, lb=np.asarray(need, dtype=float), ub=np.inf),
        integrality=np.ones(len(allowed)),
        bounds=Bounds(0, np.inf),
    )
    if not result.success:
        raise ValueError(f"the roster programme has no solution: {result.message}")
    people = np.rint(result.x).astype(int)
    return {p: int(n) for p, n in zip(allowed, people, strict=True) if n > 0}


def today(plan: Plan, scenario: Scenario, teams: Sequence[str]) -> dict[str, list[int]]:
    """Each team's staff by clock hour as the scenario rosters it now."""
    return {team: roster(plan, scenario, None, team) for team in teams}


def on_duty(chosen: Mapping[Pattern, int]) -> list[int]:
    """People on duty in each clock hour under a roster."""
    return [sum(n for p, n in chosen.items() if p.covers(h)) for h in range(24)]


def staff_hours(chosen: Mapping[Pattern, int]) -> int:
    """Paid staff-hours a day of a roster (breaks unpaid)."""
    return sum(p.paid * n for p, n in chosen.items())


def shifts(chosen: Mapping[Pattern, int]) -> list[Shift]:
    """The roster as the scenario's shifts: a shift with a break is two, one each side of it."""
    return [row for _, rows in _rows(chosen) for row in rows]


def _rows(chosen: Mapping[Pattern, int]) -> list[tuple[Pattern, list[Shift]]]:
    """Each pattern of the roster, in order of start, with its scenario shifts."""
    out = []
    order = sorted(chosen.items(), key=lambda item: (item[0].start, item[0].hours, item[0].break_at or 0))
    for p, n in order:
        rows = [Shift(from_hour=lo % 24, to_hour=hi % 24 or 24, staff=n) for lo, hi in p.spans()]
        out.append((p, rows))
    return out


def with_rosters(scenario: Scenario, rosters: Mapping[str, Mapping[Pattern, int]]) -> Scenario:
    """``scenario`` with these teams staffed by these rosters alone (nobody outside their shifts)."""
    teams = dict(scenario.teams)
    for team, chosen in rosters.items():
        teams[team] = teams[team].model_copy(update={"staff": 0, "shifts": shifts(chosen)})
    return scenario.model_copy(update={"teams": teams})


def shifts_yaml(rosters: Mapping[str, Mapping[Pattern, int]]) -> str:
    """The rosters as a ``teams:`` block of scenario YAML (each team's ``staff: 0`` and ``shifts:``).

    A shift with a break is written as its two parts under a comment naming the whole shift.
    """
    lines = ["teams:"]
    for team, chosen in rosters.items():
        lines += [f"  {team}:", "    staff: 0", "    shifts:" if chosen else "    shifts: []"]
        for p, rows in _rows(chosen):
            if p.break_at is not None:
                rest = (p.start + p.break_at) % 24
                end, back = (p.start + p.hours) % 24, (rest + p.break_hours) % 24
                lines.append(f"      # {p.start:02d}:00-{end:02d}:00, break/休息 {rest:02d}:00-{back:02d}:00")
            lines += [_row(s) for s in rows]
    return "\n".join(lines) + "\n"


def _row(s: Shift) -> str:
    return f"      - {{from_hour: {s.from_hour:g}, to_hour: {s.to_hour:g}, staff: {s.staff}}}"


def teams_yaml(teams: Mapping[str, tuple[int, Sequence[Shift]]]) -> str:
    """Each team's staff outside its shifts and its shifts as a ``teams:`` block of scenario YAML."""
    lines = ["teams:"]
    for team, (staff, rows) in teams.items():
        lines += [f"  {team}:", f"    staff: {staff}", "    shifts:" if rows else "    shifts: []"]
        lines += [_row(s) for s in rows]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Check:
    """How a simulation judged a scenario's rosters."""

    plan: Plan
    criteria: Mapping[str, Criterion]
    targets: Sequence[Target]
    engine: str
    seed: int
    service: tuple[tuple[str, float], ...]
    reps: int
    confidence: float
    executor: Executor
    out: Path

    def run(self, scenario: Scenario) -> dict[str, Any]:
        """Sequential replications of ``scenario`` as it is, judged on every requirement together."""
        joint = sum(self.criteria.values(), Criterion(together=True))
        chosen = [t for t in self.targets if t.key in joint.targets]
        ctx = Context(self.plan, scenario, self.engine, self.seed, self.service)
        path = self.out / f"roster-{ctx.fingerprint}.jsonl"
        return settle(ctx, {}, joint, chosen, self.reps, self.executor, path, self.confidence)


def repair(
    scenario: Scenario, need: Mapping[str, Sequence[int]], allowed: Mapping[str, Sequence[Pattern]], check: Check
) -> tuple[dict[str, list[int]], dict[str, dict[Pattern, int]], list[dict[str, Any]]]:
    """The cheapest rosters for ``need``, re-solved with more need where the simulation finds them short.

    Returns the last need, its rosters and the statistics of every check (the last one ``ok``
    unless ``MAX_REPAIRS`` re-solves did not make it).
    """
    grown = {team: list(n) for team, n in need.items()}
    tried = []
    for _ in range(MAX_REPAIRS + 1):
        rosters = {team: cheapest(n, allowed[team]) for team, n in grown.items()}
        stats = check.run(with_rosters(scenario, rosters))
        stats["staff_hours"] = {team: staff_hours(r) for team, r in rosters.items()}
        tried.append(stats)
        if stats["ok"]:
            break
        team = weakest(stats, dict.fromkeys(grown, 0), {t: check.criteria[t] for t in grown}, check.confidence)
        grown[team] = tightest(grown[team], on_duty(rosters[team]))
    return grown, rosters, tried


def tightest(need: Sequence[int], duty: Sequence[int]) -> list[int]:
    """``need`` with one more person in each hour that needs people and has the least spare on duty over it."""
    spare = {h: duty[h] - need[h] for h in range(24) if need[h] > 0} or {h: duty[h] - need[h] for h in range(24)}
    least = min(spare.values())
    return [n + (spare.get(h) == least) for h, n in enumerate(need)]


def ladder(need: Sequence[int], allowed: Sequence[Pattern]) -> list[tuple[float, dict[Pattern, int]]]:
    """The cheapest rosters for ``α·need`` rounded up, ``α = k / TRIM_STEPS``: one per staff-hours (largest α), cheapest first.

    Staff-hours never fall as α grows, so the list steps strictly up in cost and ends at ``need`` itself.
    """
    by_cost: dict[int, tuple[float, dict[Pattern, int]]] = {}
    for k in range(1, TRIM_STEPS + 1):
        chosen = cheapest([-(-k * n // TRIM_STEPS) for n in need], allowed)
        by_cost[staff_hours(chosen)] = (k / TRIM_STEPS, chosen)
    return [by_cost[cost] for cost in sorted(by_cost)]


@dataclass
class Trimmed:
    """The trimming's outcome: the rosters kept and every check it ran."""

    rosters: dict[str, dict[Pattern, int]]
    alpha: dict[str, float]
    """Each team's scale of its need in the rosters kept."""
    floor: dict[str, bool]
    """Per team: the lowest scale tried held (the search's bound), so no cheaper step was shown short."""
    tried: list[dict[str, Any]] = field(default_factory=list)
    """Statistics of every check, with the ``team`` trimmed, its ``alpha`` and every team's ``staff_hours``."""


def trim(
    scenario: Scenario,
    need: Mapping[str, Sequence[int]],
    allowed: Mapping[str, Sequence[Pattern]],
    check: Check,
) -> Trimmed:
    """Cheaper rosters still holding, from rosters for ``need`` that hold: each team bisected in turn on its ``ladder``."""
    out = Trimmed({team: cheapest(n, allowed[team]) for team, n in need.items()}, dict.fromkeys(need, 1.0), {})
    for team, n in need.items():
        steps = ladder(n, allowed[team])
        kept = bisect_smallest(partial(_holds, scenario, out, team, steps, check), -1, len(steps) - 1)
        out.alpha[team], out.rosters[team] = steps[kept]
        out.floor[team] = kept == 0
    return out


def _holds(
    scenario: Scenario, trimmed: Trimmed, team: str, steps: Sequence[tuple[float, dict[Pattern, int]]], check: Check, i: int
) -> bool:
    """Whether the rosters trimmed so far, with ``team`` on ``steps[i]``, hold; the check is kept in ``trimmed.tried``."""
    alpha, chosen = steps[i]
    rosters = {**trimmed.rosters, team: chosen}
    stats = check.run(with_rosters(scenario, rosters))
    stats |= {"team": team, "alpha": alpha, "staff_hours": {t: staff_hours(r) for t, r in rosters.items()}}
    trimmed.tried.append(stats)
    return bool(stats["ok"])
