"""The minimum-staff search: the fewest people per team shown to meet its targets with a confidence.

A requirement holds at a staffing when its confidence interval (at the search's level) lies wholly
on the right side of it: the Wilson lower bound of the share of replications in which a timed team
target held must clear ``confidence``; the lower bound of the mean share of customers waiting at
most so long must clear that share; the upper bound of the mean share of hotline callers hanging up
must stay within the limit. A requirement whose interval still straddles its threshold is open.

A staffing point is run sequentially: 25 replications, then as many as a target holding in every one
needs to clear the confidence (73 at 95%), then doubled up to the most allowed; it gets more only
while a requirement is open, and one still open at the most allowed is not shown to hold, so the
point fails. A target that could not clear at any later look even were it to hold in every further
replication is futile: the point fails there, as it would at the most allowed, without running them.
Looks come at a few counts only, so they add little to the interval's error. Every
point runs the same replication seeds (common random numbers), which keeps the estimates monotone in
practice and neighbouring staffings directly comparable.

Each team is searched on its own, the other teams staffed as the scenario says, in two stages. The
first finds where the answer probably lies from the first look alone: the fewest staff at which
every requirement's estimate is on its right side (its interval may still straddle), from the team's
rostered peak, doubled until it leans so, then by bisection below. The second settles that staffing
fully and walks from it, by steps that double, up while it fails or down while the one below holds,
then bisects the last step: the answer is a staffing that holds with the one below it short. Mostly
only the staffings next to the answer get more than 25 replications. Then the teams' answers are run
together against every requirement at once (every target holding in the same replication), and while
that falls short one person is added to the team that owns the weakest requirement. The replications
of every tried staffing are the evidence, kept in the search's resumable results files; a staffing
left open at its first look, and not looked at again, has ``ok`` None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..model import Scenario
from ..rules import REINFORCING, reinforcement, roster
from ..score import Target
from .grid import Context, Point, aggregate, run_sweep, wilson
from .queueing import bisect_smallest

FIRST_LOOK = 25
"""Replications before a point's first look; then as many as a clean run needs to clear the confidence, then doubled."""
MAX_REPAIRS = 50
"""The most people the joint check may add to the teams' own answers."""


@dataclass(frozen=True)
class Criterion:
    """What a staffing must achieve: one team's requirements, or every team's together."""

    targets: tuple[str, ...] = ()
    """Keys of the team targets that must hold with the search's confidence."""
    service: tuple[tuple[str, float, float], ...] = ()
    """(team, minutes, share): at least ``share`` of the team's customers wait at most ``minutes``."""
    max_abandon: float | None = None
    """At most this share of hotline callers hang up."""
    together: bool = False
    """The targets must hold in the same replication (the share of replications where all held)."""

    def checks(self, stats: Mapping[str, Any], confidence: float, later: Sequence[int] = ()) -> dict[str, dict[str, Any]]:
        """Each requirement's estimate, interval, ``ok`` (True cleared, False short or futile, None open) and ``leans``.

        ``leans`` says whether the estimate itself is on the right side of the requirement.

        A target is judged by the share of replications in which it was not missed (one that did not
        come due in a replication did not fail there), as the targets together are; one that came due
        in none holds. With the replication counts of the ``later`` looks, a straddling target that
        could clear at none of them is futile (False, with ``futile`` set).
        """
        out: dict[str, dict[str, Any]] = {}
        if self.together and self.targets:
            out["all"] = _at_least(stats["all_targets"], confidence, stats["reps"], confidence, later)
        else:
            for k in self.targets:
                out[k] = _at_least(stats["targets"][k], confidence, stats["reps"], confidence, later)
        for team, minutes, share in self.service:
            name = f"{team}:{minutes:g}"
            out[name] = _at_least(stats["within"][name], share)
        if self.max_abandon is not None:
            ab = stats["abandon_share"]
            limit, ok = self.max_abandon, None
            if ab["lo"] is None or ab["hi"] <= limit:
                ok = True
            elif ab["lo"] > limit:
                ok = False
            leans = ab["mean"] is None or ab["mean"] <= limit
            out["abandon"] = {"p": ab["mean"], "lo": ab["lo"], "hi": ab["hi"], "ok": ok, "leans": leans}
        return out

    def verdict(self, stats: Mapping[str, Any], confidence: float, later: Sequence[int] = ()) -> bool | None:
        """True when every requirement holds, False when one fails or is futile, None while any is open."""
        found = {c["ok"] for c in self.checks(stats, confidence, later).values()}
        return False if False in found else None if None in found else True

    def __add__(self, other: Criterion) -> Criterion:
        """Both criteria's requirements, every target together."""
        limits = [x for x in (self.max_abandon, other.max_abandon) if x is not None]
        return Criterion(
            self.targets + other.targets, self.service + other.service, min(limits) if limits else None, together=True
        )


def _at_least(
    stats: Mapping[str, Any], floor: float, reps: int | None = None, confidence: float = 0.95, later: Sequence[int] = ()
) -> dict[str, Any]:
    """A mean's interval, or a target's share of replications not missed (of ``reps``), against a floor.

    A share still straddling the floor is futile when, held in every replication up to each of the
    ``later`` counts, its lower bound would still fall short at all of them.
    """
    if reps is not None and stats["counted"] == 0:
        return {"p": None, "lo": None, "hi": None, "ok": True, "leans": True}  # never came due: nothing to show
    if reps is not None:
        held = reps - stats["counted"] + stats["met"]
        lo, hi = wilson(held, reps, confidence)
        p: float | None = held / reps if reps else None
    else:
        p, lo, hi = stats["mean"], stats["lo"], stats["hi"]
    ok = False if lo is None else True if lo >= floor else False if hi < floor else None
    leans = p is not None and p >= floor
    if ok is None and reps is not None and later and all(wilson(held + n - reps, n, confidence)[0] < floor for n in later):
        return {"p": p, "lo": lo, "hi": hi, "ok": False, "leans": leans, "futile": True}
    return {"p": p, "lo": lo, "hi": hi, "ok": ok, "leans": leans}


def brought_in(scenario: Scenario) -> list[dict[str, Any]]:
    """The people the auto-responder brings in in every replication (backup hotline, external support).

    A search's answer counts on them: a team reinforced early may need few people of its own.
    """
    out = []
    for action in REINFORCING:
        if (more := reinforcement(action, scenario)) is not None:
            out.append({"action": action, "team": more.team, "staff": more.staff, "delay_h": more.delay_min / 60})
    return out


def fewest_reps(confidence: float) -> int:
    """Replications needed before a target held in every one of them can clear ``confidence``."""
    n = 1
    while wilson(n, n, confidence)[0] < confidence:
        n += 1
    return n


def looks(confidence: float, most: int) -> list[int]:
    """The replication counts at which a point is looked at: ``FIRST_LOOK``, what a clean run needs, then doubled, to ``most``."""
    counts = [min(FIRST_LOOK, most)]
    while counts[-1] < most:
        counts.append(min(max(2 * counts[-1], fewest_reps(confidence) if len(counts) == 1 else 0), most))
    return counts


def settle(
    context: Context,
    point: Point,
    criterion: Criterion,
    targets: Sequence[Target],
    most: int,
    executor: Executor,
    results: Path,
    confidence: float,
    progress: Callable[[int, int], None] | None = None,
    *,
    first: bool = False,
) -> dict[str, Any]:
    """A staffing point's statistics after sequential replications, with ``ok`` and each requirement's check.

    With ``first``, only the first look is run: ``ok`` is None while a requirement is still open there.
    """
    counts = looks(confidence, most)
    for i, n in enumerate(counts[:1] if first else counts):
        records = run_sweep(context, [point], n, executor, results, progress=progress)[0]
        stats = aggregate(point, records, targets, confidence)
        stats["requirements"] = criterion.checks(stats, confidence, counts[i + 1 :])
        verdict = criterion.verdict(stats, confidence, counts[i + 1 :])
        if verdict is not None:
            break
    stats["ok"] = verdict if first else bool(verdict)
    return stats


@dataclass
class TeamAnswer:
    """The search's answer for one team, with every staffing it tried."""

    team: str
    low: int
    high: int
    minimum: int | None
    """The fewest people meeting the criterion; None when even ``high`` does not."""
    roster: list[int] = field(default_factory=list)
    """The team's staff by clock hour in the scenario, beside which the answer is shown."""
    tried: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Statistics of each staffing tried, with ``ok``."""


def criteria(
    targets: Sequence[Target],
    teams: Sequence[str],
    service: Mapping[str, Sequence[tuple[float, float]]] | None = None,
    max_abandon: float | None = None,
) -> dict[str, Criterion]:
    """Each plan team's criterion: the targets it owns, its service levels, hotline abandonment."""
    service = service or {}
    out: dict[str, Criterion] = {}
    for team in teams:
        owned = tuple(t.key for t in targets if t.owner == team)
        levels = tuple((team, minutes, share) for minutes, share in service.get(team, ()))
        abandon = max_abandon if team == "hotline" else None
        if owned or levels or abandon is not None:
            out[team] = Criterion(owned, levels, abandon)
    return out


def default_range(context: Context, team: str) -> tuple[int, int]:
    """1 to three times the team's largest rostered staff (at least 4)."""
    return 1, max(4, 3 * max(roster(context.plan, context.scenario, None, team)))


def search(
    context: Context,
    team: str,
    criterion: Criterion,
    bounds: tuple[int, int],
    reps: int,
    executor: Executor,
    out: Path,
    targets: Sequence[Target],
    *,
    confidence: float = 0.95,
    progress: Callable[[int, int], None] | None = None,
) -> TeamAnswer:
    """The fewest people of ``team`` in ``bounds`` meeting ``criterion`` (at most ``reps`` replications a point)."""
    answer = TeamAnswer(team, *bounds, None, roster(context.plan, context.scenario, None, team))
    owned = [t for t in targets if t.key in criterion.targets]

    def judged(staff: int, first: bool) -> dict[str, Any]:
        kept = answer.tried.get(staff)
        if kept is None or (kept["ok"] is None and not first):
            kept = answer.tried[staff] = settle(
                context, {team: staff}, criterion, owned, reps, executor, out / f"{team}.jsonl", confidence, progress, first=first
            )
        return kept

    def leans(staff: int) -> bool:
        stats = judged(staff, first=True)
        return stats["ok"] is not False and all(c["leans"] for c in stats["requirements"].values())

    def ok(staff: int) -> bool:
        return bool(judged(staff, first=False)["ok"])

    low, high = bounds
    start = min(max(low, max(answer.roster)), high)
    short = low - 1
    while not leans(start) and start < high:
        short, start = start, min(2 * start, high)
    n = bisect_smallest(leans, short, start) if leans(start) else high
    if ok(n):
        held, step = n, 1
        while held > low and ok(below := max(held - step, low)):
            held, step = below, 2 * step
        n = held if held == low else bisect_smallest(ok, below, held)
    else:
        short, step = n, 1
        while short < high and not ok(n := min(short + step, high)):
            short, step = n, 2 * step
        if short == high:
            return answer
        n = bisect_smallest(ok, short, n)
    answer.minimum = n
    return answer


def together(
    context: Context,
    answers: Sequence[TeamAnswer],
    criteria: Mapping[str, Criterion],
    targets: Sequence[Target],
    reps: int,
    executor: Executor,
    out: Path,
    *,
    confidence: float = 0.95,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """The teams' answers run together, then repaired one person at a time until every requirement holds at once.

    Returns the statistics of each joint staffing tried, the last one the answer (``ok`` False when
    ``MAX_REPAIRS`` people did not make it).
    """
    point = {a.team: a.minimum for a in answers if a.minimum is not None}
    if not point:
        return []
    joint = sum((criteria[t] for t in point), Criterion(together=True))
    chosen = [t for t in targets if t.key in joint.targets]
    tried = []
    for _ in range(MAX_REPAIRS + 1):
        stats = settle(context, dict(point), joint, chosen, reps, executor, out / "joint.jsonl", confidence, progress)
        tried.append(stats)
        if stats["ok"]:
            break
        point[weakest(stats, point, criteria, confidence)] += 1
    return tried


def weakest(stats: Mapping[str, Any], point: Mapping[str, int], criteria: Mapping[str, Criterion], confidence: float) -> str:
    """The team of ``point`` owning the requirement with the least margin (lower bound less its floor) in a joint run."""

    def margin(team: str) -> float:
        checks = replace(criteria[team], together=False).checks(stats, confidence)
        floors = {name: confidence for name in criteria[team].targets}
        floors |= {f"{t}:{m:g}": share for t, m, share in criteria[team].service}
        lows = [(c["lo"] or 0.0) - floors[name] for name, c in checks.items() if name in floors]
        if "abandon" in checks:
            lows.append((criteria[team].max_abandon or 0.0) - (checks["abandon"]["hi"] or 0.0))
        return min(lows, default=1.0)

    return min(point, key=margin)
