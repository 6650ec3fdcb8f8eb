"""One replication's numbers for a sweep, and what a worker process keeps between replications.

A search or a sweep runs the same seeds at many staffings (common random numbers). Two things of a
seed's replication carry over from one staffing to the next, and a worker keeps both, for the
sweep it last ran a job of only:

- the control walk (:class:`simulator.kernel.Walks`), while the teams it read keep their rosters;
- the queues' measures: a staffing of the task teams alone (information verification, say) changes
  when their tasks end, but when the walk then reads the same arrivals, staff moves and
  queue-judged duties as one of the seed's last few queueings (:meth:`simulator.kernel.Walked.queue_key`),
  every complaint is queued as it was, so the queues' numbers and the targets judged on them are
  those of that replication, and only the targets judged on the walk are scored again. A search's
  joint check so finds the queues of a team's answer it ran before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..kernel import KernelRun, Registered, Walked, Walks, queue_bound
from ..model import HOTLINE, Plan
from ..record import ABANDONED, ANSWERED, EventLog, columns
from ..score import Target, evaluate

PERCENTILES = (50, 90, 95)
Record = dict[str, Any]
PER_SEED = 4
"""Queueings kept per seed: a search's last few staffings of the queued teams (a team's answer, the joint check's)."""
REGISTERED = 32
"""Seeds whose complaints' registration a worker keeps (about 1.7 MB each in refund_surge): the first it meets,
those of every first look of a search."""


def measure(log: EventLog, plan: Plan, targets: list[Target], service: Iterable[tuple[str, float]] = ()) -> Record:
    """The per-replication numbers a sweep aggregates: targets met, answer times, abandonment, backlogs."""
    c = columns(log.complaints)
    answered = c["outcome"] == ANSWERED
    hours = (c["done"][answered] - c["arrive"][answered]) / 60.0
    q = np.percentile(hours, PERCENTILES).tolist() if hours.size else [None] * len(PERCENTILES)
    hot = c["channel"] == HOTLINE
    calls = int(hot.sum())
    left = np.where(np.isnan(c["hotline_start"]), np.where(c["outcome"] == ABANDONED, c["done"], np.inf), c["hotline_start"])
    instants = np.arange(60.0, log.meta.horizon, 60.0)
    return {
        "targets": evaluate(log, plan, targets),
        "complaints": len(log.complaints),
        "answered": int(answered.sum()),
        "answer_h": {f"p{p}": v for p, v in zip(PERCENTILES, q, strict=True)},
        "abandon_share": float((c["outcome"][hot] == ABANDONED).sum() / calls) if calls else None,
        "peak_backlog": {
            "hotline": _peak(c["arrive"][hot], left[hot], instants),
            "comms": _peak(c["queued"], c["comms_start"], instants),
        },
        "within": {f"{team}:{wait:g}": _within(c, team, wait, log.meta.horizon) for team, wait in service},
    }


def _peak(joined: np.ndarray, left: np.ndarray, instants: np.ndarray) -> int:
    """Most customers waiting at any of ``instants`` (joined at or before it, not yet left; NaN: never)."""
    if not instants.size:
        return 0
    return int((_by_each(joined, instants) - _by_each(left, instants)).max())


def _by_each(times: np.ndarray, instants: np.ndarray) -> np.ndarray:
    """How many of ``times`` are at or before each of the increasing ``instants`` (NaN and inf never are).

    Each time is placed at the first instant not before it (a search among the few instants), and
    the places counted: linear in the times, where sorting them is not.
    """
    first = np.searchsorted(instants, times, side="left")
    return np.cumsum(np.bincount(first, minlength=instants.size + 1)[: instants.size])


def _within(c: Mapping[str, np.ndarray], team: str, wait: float, horizon: float) -> float | None:
    """Share of a team's customers whose wait was at most ``wait`` minutes (hotline or comms)."""
    if team == "hotline":
        joined, start = c["arrive"][c["channel"] == HOTLINE], c["hotline_start"][c["channel"] == HOTLINE]
    else:
        joined, start = c["queued"], c["comms_start"]
    counted = ~np.isnan(joined) & (joined + wait <= horizon)
    if not counted.any():
        return None
    return float(np.mean(np.nan_to_num(start[counted] - joined[counted], nan=np.inf) <= wait))


class Kept:
    """A worker's walks and queue measures of one sweep's seeds (the latest few queueings of each)."""

    def __init__(self, plan: Plan, targets: Sequence[Target], seeds: int = 4096, per_seed: int = PER_SEED) -> None:
        self.walks = Walks(seeds)
        self.seeds, self.per_seed = seeds, per_seed
        self._bound = {t.key for t in targets if queue_bound(plan.obligations[t.index])}
        self._queues: dict[int, list[tuple[tuple[Any, ...], Record]]] = {}
        self._registered: dict[int, tuple[tuple[Any, ...], Registered]] = {}

    def measure(self, walked: Walked, targets: list[Target], service: Sequence[tuple[str, float]]) -> Record:
        """The replication's numbers: its queues run, or those of a kept replication of its seed that queued alike."""
        plan, key = walked.plan, walked.queue_key()
        kept = self._queues.pop(walked.seed, [])
        found = next((record for k, record in kept if k == key), None)
        if found is not None:
            walk_judged = evaluate(walked.duties(), plan, [t for t in targets if t.key not in self._bound])
            judged = {t.key: found["targets"][t.key] if t.key in self._bound else walk_judged[t.key] for t in targets}
            record = {**found, "targets": judged}
        else:
            record = measure(self._queue(walked, key[0]).log, plan, targets, service)
            kept = [(key, record), *kept][: self.per_seed]
        self._queues[walked.seed] = kept  # the seed is the newest now
        while len(self._queues) > self.seeds:
            del self._queues[next(iter(self._queues))]
        return record

    def _queue(self, walked: Walked, key: tuple[Any, ...]) -> KernelRun:
        """Queue the replication, from its seed's kept registration when the hotline and the arrivals are as they were.

        ``key`` is the replication's :meth:`~simulator.kernel.Walked.registration_key`. A search over
        comms or the task teams registers every complaint of a seed alike; the registrations of the
        first ``REGISTERED`` seeds met are kept (later seeds are registered anew).
        """
        kept = self._registered.get(walked.seed)
        if kept is not None and kept[0] == key:
            return walked.queue(kept[1])
        registered = walked.register()
        if walked.seed in self._registered or len(self._registered) < REGISTERED:
            self._registered[walked.seed] = (key, registered)
        return walked.queue(registered)
