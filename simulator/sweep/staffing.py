"""The minimum-staff search: the fewest people per team that meet its targets with a given probability.

Each team is searched on its own, the other teams staffed as the scenario says: its criterion is
that every timed team target it owns holds in at least ``confidence`` of the replications (and,
when asked, that a share of its customers wait at most so long, or that few enough hotline callers
hang up, on average over the replications). The search is a bisection over whole staff numbers;
every staffing it tries runs the same replication seeds (common random numbers), which keeps the
estimates monotone in practice and makes neighbouring staffings directly comparable. The
replications of every tried staffing are the evidence, kept in the sweep's resumable results files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..rules import roster
from ..score import Target, team_targets
from .grid import Context, aggregate, run_sweep
from .queueing import bisect_smallest


@dataclass(frozen=True)
class Criterion:
    """What one team's staffing must achieve."""

    targets: tuple[str, ...] = ()
    """Keys of the team targets that must hold with the search's confidence."""
    service: tuple[tuple[float, float], ...] = ()
    """(minutes, share): on average at least ``share`` of the team's customers wait at most ``minutes``."""
    max_abandon: float | None = None
    """On average at most this share of hotline callers hang up."""

    def judge(self, stats: Mapping[str, Any], team: str, confidence: float) -> bool:
        """Whether a staffing point's statistics meet the criterion."""
        for k in self.targets:
            p = stats["targets"][k]["p"]
            if p is not None and p < confidence:
                return False
        for minutes, share in self.service:
            mean = stats["within"][f"{team}:{minutes:g}"]["mean"]
            if mean is None or mean < share:
                return False
        mean_abandon = stats["abandon_share"]["mean"]
        return self.max_abandon is None or mean_abandon is None or mean_abandon <= self.max_abandon


@dataclass
class TeamAnswer:
    """The search's answer for one team, with every staffing it tried."""

    team: str
    low: int
    high: int
    minimum: int | None
    """The fewest people meeting the criterion; None when even ``high`` does not."""
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
        levels = tuple(service.get(team, ()))
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
    *,
    confidence: float = 0.95,
    progress: Callable[[int, int], None] | None = None,
) -> TeamAnswer:
    """Bisect for the fewest people of ``team`` in ``bounds`` meeting ``criterion``."""
    answer = TeamAnswer(team, *bounds, None)
    targets = [t for t in team_targets(context.plan) if t.key in criterion.targets]

    def ok(staff: int) -> bool:
        point = {team: staff}
        records = run_sweep(context, [point], reps, executor, out / f"{team}.jsonl", progress=progress)[0]
        stats = aggregate(point, records, targets, confidence)
        stats["ok"] = criterion.judge(stats, team, confidence)
        answer.tried[staff] = stats
        return bool(stats["ok"])

    low, high = bounds
    if not ok(high):
        return answer
    answer.minimum = low if ok(low) else bisect_smallest(ok, low, high)
    return answer
