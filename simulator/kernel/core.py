"""The fast replication kernel: the engine's queueing model without a process per complaint.

The SimPy engine (``engine.py``) is the reference; this kernel reproduces its queueing model for
sweeps of thousands of replications. A replication is computed in three passes:

1. the control timeline (``kernel_control.py``): hourly arrival counts under the surge and the
   opinion-heat feedback, trigger times from the plan's rules, team tasks, staff moves;
2. the hotline: FCFS operators whose number follows the roster by clock hour and the staff moves;
   a caller hangs up after an exponential (or given) patience and never takes an operator;
3. the customer-communication queue: FCFS in order of registration, its staff the roster less the
   callback crews while their campaigns run (a crew works the list of complainants registered in
   the growth window before the campaign's trigger).

Both queues use one exact recursion (Kiefer–Wolfowitz with a heap of server free times, compiled:
:func:`simulator.kernel.fcfs.serve`), which also handles a capacity that changes while people are at
work: lowering it lets them finish, and nobody new starts until fewer people are busy than the new
capacity — the semantics of :class:`~simulator.engine.teams.FlexResource`. The result is an ordinary
:class:`~simulator.record.log.EventLog` (complaint rows plus the team-target duties), so scoring and the
sweep read kernel runs and engine runs alike.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model import HOTLINE, MINUTES_PER_HOUR, Dist, MetByAnswered, MetByCallbacks, Obligation, Plan, Scenario, SimTime
from ..record import (
    ABANDONED,
    ANSWERED,
    OPEN,
    ComplaintTable,
    Event,
    EventLog,
    Meta,
    ObligationCancelled,
    ObligationMet,
    ObligationOpened,
)
from ..rules import categorical, draw, roster
from .control import Control, Timeline
from .duties import Duty
from .walks import Walks

if TYPE_CHECKING:
    from .fcfs import Changes


def _packed(x: np.ndarray, code: str) -> array[Any]:
    """A copy of ``x`` as a Python array of type ``code`` (``d`` for doubles, ``B`` for bytes)."""
    out = array(code)
    out.frombytes(np.ascontiguousarray(x, dtype=np.dtype(code)).data.cast("B"))
    return out


def _served(arrive: np.ndarray, work: np.ndarray, patience: np.ndarray | None, capacity: tuple[int, Changes]) -> np.ndarray:
    """:func:`simulator.kernel.fcfs.serve`, imported on first use: it brings in Numba."""
    from .fcfs import serve

    return serve(arrive, work, patience, *capacity)


def schedule(hourly: Sequence[int], moves: Changes, horizon: SimTime) -> tuple[int, list[tuple[SimTime, int]]]:
    """Capacity at time 0 and its changes, from the roster by clock hour plus staff moved in or out.

    Only real changes are listed: an hour whose capacity is the one before it adds nothing.
    """
    points = sorted({h * MINUTES_PER_HOUR for h in range(1, math.ceil(horizon / MINUTES_PER_HOUR))} | {t for t, _ in moves})
    moves = sorted(moves)
    start = max(0, hourly[0] + sum(m for t, m in moves if t <= 0))
    delta, j, now, out = 0, 0, start, []
    for t in points:
        while j < len(moves) and moves[j][0] <= t:
            delta += moves[j][1]
            j += 1
        cap = max(0, hourly[int(t // MINUTES_PER_HOUR) % 24] + delta)
        if cap != now:
            out.append((t, cap))
            now = cap
    return start, out


def campaign_end(start: SimTime, crew: int, calls: np.ndarray) -> SimTime:
    """When ``crew`` people working a list of calls of the given lengths, all waiting at ``start``, finish it."""
    if not calls.size:
        return start
    begun = _served(np.full(calls.size, start), calls, None, (crew, []))
    return float(np.max(begun + calls))


@dataclass
class KernelRun:
    """A kernel replication: the log (complaints and team-target duties) and the control timeline."""

    log: EventLog
    timeline: Timeline


def _dist(scenario: Scenario, team: str, part: str) -> Dist | None:
    setup = scenario.teams.get(team)
    return None if setup is None else getattr(setup, part)


def run_kernel(
    plan: Plan, scenario: Scenario, *, seed: int | None = None, staff: Mapping[str, int] | None = None, walks: Walks | None = None
) -> KernelRun:
    """One replication of ``scenario`` under ``plan`` with the fast kernel: its timeline walked, then its queues."""
    return walk(plan, scenario, seed=seed, staff=staff, walks=walks).queue()


def queue_bound(ob: Obligation) -> bool:
    """Whether a duty's outcome comes from the queues (an answered share, a callback campaign) rather than the timeline."""
    return isinstance(ob.met_by, MetByAnswered | MetByCallbacks)


@dataclass
class Walked:
    """A replication whose control timeline is walked and whose queues are still to run.

    Its random streams (arrivals, channel mix, hotline work, patience, comms work, callbacks) stand
    where the walk left them, so :meth:`queue` gives the replication :func:`run_kernel` gives.
    """

    plan: Plan
    scenario: Scenario
    seed: int
    staff: Mapping[str, int] | None
    timeline: Timeline
    streams: tuple[np.random.Generator, ...]

    def registration_key(self) -> tuple[Any, ...]:
        """All the complaints' way to registration reads: the arrival counts and stream, the hotline's roster and moves.

        Two replications of one seed with equal keys register every complaint alike (:meth:`register`).
        """
        plan, scenario, staff, timeline = self.plan, self.scenario, self.staff, self.timeline
        return (
            tuple(timeline.counts),
            repr(self.streams[0].bit_generator.state),
            tuple(roster(plan, scenario, staff, "hotline")),
            tuple(timeline.moves.get("hotline", [])),
        )

    def queue_key(self) -> tuple[Any, ...]:
        """All the queues read: two replications of one seed with equal keys queue every complaint alike.

        The registration's key first (``key[0]``), then comms' roster and staff moves, and the duties
        met from the queues (opened, due, cancelled), whose callback campaigns take comms staff and
        whose answered shares are judged on the queues.
        """
        plan, scenario, staff, timeline = self.plan, self.scenario, self.staff, self.timeline
        return (
            self.registration_key(),
            tuple(roster(plan, scenario, staff, "comms")),
            tuple(timeline.moves.get("comms", [])),
            tuple((d.index, d.opened, d.due, d.cancelled) for d in timeline.targets if queue_bound(d.ob)),
        )

    def duties(self) -> EventLog:
        """The log of the walk alone: level and warning changes and the duties, without complaints.

        Duties met from the queues are left unmet: only :meth:`queue` can tell when they were.
        """
        meta = _meta(self.plan, self.scenario, self.seed, self.staff, self.scenario.horizon)
        return EventLog(meta, _duty_events(self.timeline))

    def register(self) -> Registered:
        """Bring every complaint to its registration: arrivals, channel and severity, the hotline's queue.

        Also draws the time each will take comms and their order of registration, which comms serves.
        """
        scenario, timeline = self.scenario, self.timeline
        r_arr, r_mix, r_hot, r_pat, r_com, _ = self.streams
        horizon = scenario.horizon
        counts = np.asarray(timeline.counts, dtype=np.int64)
        arrive = np.repeat(np.arange(counts.size) * MINUTES_PER_HOUR, counts) + r_arr.uniform(0, MINUTES_PER_HOUR, counts.sum())
        arrive = np.sort(arrive[arrive < horizon])
        ch_p, sv_p = scenario.complaints.shares()
        channel, severity = categorical(ch_p, r_mix, arrive.size), categorical(sv_p, r_mix, arrive.size)
        hotline = np.flatnonzero(channel == HOTLINE)
        moves = schedule(roster(self.plan, scenario, self.staff, "hotline"), timeline.moves.get("hotline", []), horizon)
        hot_start, queued, abandon = _hotline(scenario, arrive, hotline, moves, r_hot, r_pat)
        work, order = _comms_work(scenario, queued, r_com)
        return Registered(arrive, channel, severity, hot_start, queued, abandon, work, order)

    def queue(self, registered: Registered | None = None) -> KernelRun:
        """Queue every complaint (hotline, callback campaigns, comms): the whole replication.

        ``registered`` is this seed's :meth:`register` when it is kept from a replication with the
        same :meth:`registration_key`; else the complaints are registered now.
        """
        plan, scenario, staff, timeline = self.plan, self.scenario, self.staff, self.timeline
        r = self.register() if registered is None else registered
        horizon = scenario.horizon
        comms_moves = list(timeline.moves.get("comms", []))
        for duty in timeline.targets:
            if isinstance(duty.ob.met_by, MetByCallbacks):
                comms_moves += _campaign(duty, scenario, r.queued, plan.choices.growth_window_h, self.streams[5])
        moves = schedule(roster(plan, scenario, staff, "comms"), comms_moves, horizon)
        comms_start, done = _comms(r.queued, r.work, r.order, moves)
        done = np.where(np.isnan(r.abandon), done, r.abandon)
        log = EventLog(_meta(plan, scenario, self.seed, staff, horizon), _duty_events(timeline))
        log.complaints = _table(r.arrive, r.hot_start, r.queued, comms_start, done, r.channel, r.severity, r.abandon, horizon)
        return KernelRun(log, timeline)


@dataclass(frozen=True)
class Registered:
    """The complaints of a replication up to their registration, and what comms will need of them."""

    arrive: np.ndarray
    channel: np.ndarray
    severity: np.ndarray
    hot_start: np.ndarray
    """When an operator picked the call up (NaN: not a call, or hung up)."""
    queued: np.ndarray
    """When it was registered for comms (NaN: the caller hung up)."""
    abandon: np.ndarray
    """When the caller hung up (NaN: did not)."""
    work: np.ndarray
    """The time each takes comms."""
    order: np.ndarray | None
    """The registered complaints in order of registration (None: all of them, already in order)."""


def walk(
    plan: Plan, scenario: Scenario, *, seed: int | None = None, staff: Mapping[str, int] | None = None, walks: Walks | None = None
) -> Walked:
    """Walk one replication's control timeline, its queues still to run (:meth:`Walked.queue`).

    Random streams are spawned from ``seed`` (the scenario's by default) per purpose — arrivals,
    channel mix, hotline work, patience, comms work, callbacks, tasks — and each complaint keeps
    its own draws, so other staffing leaves every draw as it was (common random numbers). With
    ``walks`` (kept for this plan and scenario only), a control timeline this seed already walked
    under the same rosters of the teams it reads is reused instead of walked again.
    """
    seed = scenario.seed if seed is None else seed
    r_arr, r_mix, r_hot, r_pat, r_com, r_call, r_task = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(7))
    walked = None if walks is None else walks.find(seed, lambda team: roster(plan, scenario, staff, team))
    if walked is not None:
        timeline = walked.replay((r_arr, r_task))
    else:
        control = Control(plan, scenario, staff, r_arr, r_task)
        timeline = control.run()
        if walks is not None:
            walks.keep(seed, control.read, timeline, (r_arr, r_task))
    return Walked(plan, scenario, seed, staff, timeline, (r_arr, r_mix, r_hot, r_pat, r_com, r_call))


def _duty_events(timeline: Timeline) -> list[Event]:
    """The timeline's level and warning changes and its duties opened, met and cancelled, in time order."""
    events: list[Event] = list(timeline.changes)
    for duty in timeline.targets:
        events.append(ObligationOpened(duty.opened, duty.oid, duty.index, duty.ob.rule, duty.due, duty.level))
        if duty.met is not None:
            events.append(ObligationMet(duty.met, duty.oid, -1))
        if duty.cancelled is not None:
            events.append(ObligationCancelled(duty.cancelled, duty.oid))
    return sorted(events, key=lambda e: e.t)


def _hotline(
    scenario: Scenario,
    arrive: np.ndarray,
    calls: np.ndarray,
    capacity: tuple[int, list[tuple[SimTime, int]]],
    rng_work: np.random.Generator,
    rng_patience: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Operator pick-up, registration and hang-up times of every complaint (NaN where none)."""
    hot_start, abandon, queued = np.full(arrive.size, np.nan), np.full(arrive.size, np.nan), arrive.copy()
    if not calls.size:
        return hot_start, queued, abandon
    handling, patience = _dist(scenario, "hotline", "handling"), _dist(scenario, "hotline", "patience")
    if handling is None:
        raise ValueError("the scenario sends complaints to the hotline but gives no hotline handling time")
    work = draw(handling, rng_work, calls.size)
    limit = draw(patience, rng_patience, calls.size) if patience is not None else None
    start = _served(arrive[calls], work, limit, capacity)
    hot_start[calls] = start
    queued[calls] = start + work
    if limit is not None:
        gone = np.isnan(start)
        abandon[calls[gone]] = arrive[calls[gone]] + limit[gone]
    return hot_start, queued, abandon


def _comms_work(scenario: Scenario, queued: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
    """The time each complaint takes comms, and the registered ones in order of registration (None: all, in order)."""
    registered = np.flatnonzero(~np.isnan(queued))
    handling = _dist(scenario, "comms", "handling")
    if handling is None and registered.size:
        raise ValueError("the scenario registers complaints but gives no comms handling time")
    work = draw(handling, rng, queued.size) if handling is not None else np.zeros(queued.size)
    times = queued[registered]
    in_order = bool(np.all(times[1:] >= times[:-1]))
    if in_order and registered.size == queued.size:
        return work, None
    return work, registered if in_order else registered[np.argsort(times, kind="stable")]


def _comms(
    queued: np.ndarray, work: np.ndarray, order: np.ndarray | None, capacity: tuple[int, list[tuple[SimTime, int]]]
) -> tuple[np.ndarray, np.ndarray]:
    """Answer start and end times of every registered complaint, first registered first served."""
    if order is None:
        start = _served(queued, work, None, capacity)
        return start, start + work
    comms_start, done = np.full(queued.size, np.nan), np.full(queued.size, np.nan)
    start = _served(queued[order], work[order], None, capacity)
    comms_start[order] = start
    done[order] = start + work[order]
    return comms_start, done


def _campaign(
    duty: Duty, scenario: Scenario, queued: np.ndarray, window_h: float, rng: np.random.Generator
) -> list[tuple[float, int]]:
    """Run a callback campaign for ``duty``: mark it met when it ends, return the comms staff moves."""
    t = duty.opened
    size = int(np.count_nonzero((queued >= t - window_h * MINUTES_PER_HOUR) & (queued <= t)))
    setup = scenario.teams.get("comms")
    crew = max(1, min(size, setup.callback_crew if setup is not None else 1))
    length = _dist(scenario, "comms", "callback")
    if size and length is None:
        raise ValueError("the plan asks for callbacks but the scenario gives no comms callback time")
    end = campaign_end(t, crew, draw(length, rng, size) if length is not None else np.zeros(0))
    if duty.cancelled is None or duty.cancelled > end:
        duty.met = end
    return [(t, -crew), (end, crew)]


def _meta(plan: Plan, scenario: Scenario, seed: int, staff: Mapping[str, int] | None, horizon: float) -> Meta:
    start = {team: roster(plan, scenario, staff, team)[0] for team in plan.teams}
    return Meta(plan.id, plan.version, scenario.id, seed, horizon, tuple(plan.teams), tuple(start.items()))


def _table(
    arrive: np.ndarray,
    hot_start: np.ndarray,
    queued: np.ndarray,
    comms_start: np.ndarray,
    done: np.ndarray,
    channel: np.ndarray,
    severity: np.ndarray,
    abandon: np.ndarray,
    horizon: float,
) -> ComplaintTable:
    """Complaint rows as the engine leaves them at the horizon: later stages are NaN and still open."""
    table = ComplaintTable()
    table.arrive = _packed(arrive, "d")
    for name, col in (("hotline_start", hot_start), ("queued", queued), ("comms_start", comms_start), ("done", done)):
        packed = _packed(col, "d")
        view = np.frombuffer(packed, dtype=np.float64)
        view[view >= horizon] = np.nan
        setattr(table, name, packed)
    outcome = np.where(np.isnan(abandon), np.uint8(ANSWERED), np.uint8(ABANDONED))
    outcome[np.isnan(np.frombuffer(table.done, dtype=np.float64))] = OPEN
    table.channel, table.severity, table.outcome = _packed(channel, "B"), _packed(severity, "B"), _packed(outcome, "B")
    return table
