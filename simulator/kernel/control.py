"""The fast kernel's control timeline: arrival counts, opinion heat, levels, the warning, staff moves.

The replication kernel (``kernel.py``) splits a run in two. This is the first part: it walks the
run hour by hour under the plan's and the scenario's rules as the SimPy engine applies them —
hourly Poisson arrival counts at baseline × profile share × surge × (1 + feedback × heat), the
computed indicators (growth against the rolling window, day over day, drops from the peak), the
injects, the level the plan's conditions imply (through :class:`~simulator.model.situation.Situation`),
the passive trigger, the auto-responder's warning, backup hotline and external support, and the
duties and team tasks those start (``kernel_duties.py``). The second part, the queueing of the
individual complaints, needs only this timeline, because nothing here depends on how the hotline
and the customer-communication queues fare.

Trigger times come from each replication's own arrival counts with the engine's rules; the injects
fire by the engine's rule too (:class:`~simulator.rules.Msel`), fed the same facts, except that the
kernel follows no duty outcomes and carries out only the warning and level decisions, so it refuses
a scenario whose injects wait for anything else. Stand-down
and the lifting of a warning are not modelled: neither changes a team target, and late in a run
they barely move the heat. ``tests/test_kernel.py`` checks the agreement with the engine.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ..model import (
    MINUTES_PER_HOUR,
    NO_LEVEL,
    WARNING,
    Decided,
    DutyIs,
    Plan,
    Scenario,
    SimTime,
    Situation,
    UserError,
    Value,
    atoms,
    decision_key,
    predicate,
    when_terms,
)
from ..record import LevelChanged, WarningChanged
from ..rules import EVENT_OPEN, Msel, Pulse, hourly_baseline, latency, reinforcement, roster, surge_by_hour
from .duties import Duties, Duty

KERNEL_DECISIONS = frozenset({"issue_warning", "declare_level"})
"""The decisions the kernel carries out itself, when the engine's auto-responder does: the ones an
inject may wait for in a sweep."""

NORMAL, INJECT, DECIDE = 1, 2, 3
"""Order within an instant, as in the engine: its own events (hour closes, ends of work), then
injects (which so see the hour just closed), then decisions."""


@dataclass
class Timeline:
    """What the queueing part needs: arrivals per hour, staff moves, and the team targets opened."""

    counts: list[int]
    """Complaints arriving in each hour."""
    moves: dict[str, list[tuple[SimTime, int]]]
    """Staff added (or removed) per team at a time: the backup hotline, external support."""
    targets: list[Duty]
    """Team-target duties in order of opening."""
    changes: list[LevelChanged | WarningChanged] = field(default_factory=list)
    """Level and warning changes, as the engine logs them."""
    fired: dict[int, SimTime] = field(default_factory=dict)
    """When each inject fired, by its index."""


class Control:
    """Walks one replication's timeline; :meth:`run` returns it."""

    def __init__(
        self,
        plan: Plan,
        scenario: Scenario,
        staff: Mapping[str, int] | None,
        rng_arrivals: np.random.Generator,
        rng_tasks: np.random.Generator,
    ) -> None:
        self.plan, self.scenario, self.staff = plan, scenario, staff
        self._rng, self.rng_tasks = rng_arrivals, rng_tasks
        self.horizon = scenario.horizon
        self.hours = math.ceil(self.horizon / MINUTES_PER_HOUR)
        self._expected = hourly_baseline(scenario)
        self._surge = surge_by_hour(scenario, self.hours).tolist()
        self.pulse = Pulse(
            int(plan.choices.growth_window_h), lambda h: float(self._expected[h % 24]), scenario.opinion, plan.indicators
        )
        self.situation = Situation(plan)
        self.level, self.implied, self.warning = NO_LEVEL, NO_LEVEL, False
        self.now: SimTime = 0.0
        self._queue: list[tuple[float, int, int, Callable[..., None], tuple[Any, ...]]] = []
        self._seq = 0
        self._backup = False
        conditions = [lv.when for lv in plan.levels] + [plan.warning.enter_when]
        self._ordinals = plan.ordinals()
        found = [a for cond in conditions for a in atoms(cond)]
        self._tests = [predicate(a, self._ordinals) for a in found]
        self._judged: dict[str, list[int]] = {}
        """Indicators the level and warning conditions read, with the positions of their atoms:
        only their changes can change the implied level."""
        for i, a in enumerate(found):
            self._judged.setdefault(a.indicator, []).append(i)
        self._truth = [test(self.situation.values) for test in self._tests]
        """The truth of each atom now, re-evaluated only when its indicator changes."""
        self._implied: dict[tuple[bool, ...], str] = {}
        """The implied level by the truth of every atom of those conditions (it depends on nothing else)."""
        self.msel = Msel(plan, scenario)
        refused = kernel_refusal(scenario)
        if refused is not None:
            raise UserError(refused[2])
        self._checking = False
        self.out = Timeline([], {}, [], fired=self.msel.fired)
        self.read: dict[str, list[int]] = {}
        """The rosters of the teams whose staff the walk read (all it depends on of the staffing)."""
        self.duties = Duties(self)

    # -- the event loop -------------------------------------------------------------------------

    def at(self, t: SimTime, fn: Callable[..., None], *args: Any, order: int = NORMAL) -> None:
        """Call ``fn(*args)`` at time ``t``; within an instant, by ``order`` and then first come first served."""
        heapq.heappush(self._queue, (t, order, self._seq, fn, args))
        self._seq += 1

    def run(self) -> Timeline:
        """Walk the timeline to the horizon."""
        for at, index in sorted(self.msel.starts()):
            self.at(at, self._reach, index, order=INJECT)
        for hour in range(1, self.hours + 1):
            self.at(hour * MINUTES_PER_HOUR, self._close_hour, hour)
        self._draw_hour(0)
        while self._queue and self._queue[0][0] < self.horizon:
            self.now, _, _, fn, args = heapq.heappop(self._queue)
            fn(*args)
        return self.out

    def latency(self, action: str) -> float:
        """The auto-responder's minutes from a duty opening to taking ``action``."""
        return latency(self.scenario.responder, action)

    def work(self, action: str, upto: str | None = None) -> float:
        """Nominal minutes of an action's steps (up to and including the step of team ``upto``)."""
        total = 0.0
        for step in self.plan.actions[action].steps:
            total += step.minutes
            if step.team == upto:
                break
        return total

    # -- the complaint stream and the hourly indicators ----------------------------------------

    def _draw_hour(self, hour: int) -> None:
        if hour >= self.hours:
            return
        mean = self._expected[hour % 24] * self._surge[hour] * (1 + self.scenario.opinion.feedback * self.heat)
        self.out.counts.append(int(self._rng.poisson(mean)) if mean > 0 else 0)

    def _close_hour(self, hour: int) -> None:
        arrivals = self.out.counts[hour - 1]
        self._set_many(self.pulse.close_hour(arrivals, self._expected[(hour - 1) % 24], self.now))
        self._draw_hour(hour)

    # -- the injects, as the engine fires them ---------------------------------------------------

    def _reach(self, index: int) -> None:
        if self.msel.reach(index, self._facts()):
            self._inject(index)

    def _facts(self) -> dict[str, Value]:
        return self.msel.view(self.situation.values, self.level, self.warning)

    def _inject(self, index: int) -> None:
        inject = self.scenario.injects[index]
        self._check_soon()
        self._reach_later(self.msel.fire(index, self.now))
        before = dict(self.situation.values)
        self._set_many(inject.set)
        self.pulse.inject(self._ordinals, before, self.situation.values, self.now)
        self.duties.fire("inject", inject=inject.kind)

    def _reach_later(self, anchored: list[tuple[SimTime, int]]) -> None:
        for at, index in anchored:
            self.at(at, self._reach, index, order=INJECT)

    def _decided(self, action: str) -> None:
        self._reach_later(self.msel.note(decision_key(action), self.now))
        self._check_soon()

    def _check_soon(self) -> None:
        if self.msel.waiting and not self._checking:
            self._checking = True
            self.at(self.now, self._check_injects, order=INJECT)

    def _check_injects(self) -> None:
        self._checking = False
        while due := self.msel.due(self._facts()):
            self._inject(due[0])

    @property
    def heat(self) -> float:
        """Opinion heat now."""
        return self.pulse.heat

    # -- levels and the warning -------------------------------------------------------------------

    def _set_many(self, values: Mapping[str, bool | float | str]) -> None:
        changed = self.situation.update(values)
        if changed:
            self._check_soon()
        if any(name == EVENT_OPEN and value is True for name, value in changed):
            self.duties.fire("event_open")
        judged = [self._judged[name] for name, _ in changed if name in self._judged]
        if not judged:
            return
        values = self.situation.values
        for positions in judged:
            for i in positions:
                self._truth[i] = self._tests[i](values)
        truth = tuple(self._truth)
        implied = self._implied.get(truth) or self._implied.setdefault(truth, self.situation.implied())
        if implied != self.implied:
            self.implied = implied
            if implied == WARNING and self.level == NO_LEVEL and not self.warning:
                self.at(self.now + self.latency("issue_warning"), self._issue_warning, order=DECIDE)
            elif self.plan.choices.passive_trigger == "decision" and self.plan.raises(self.level, implied):
                self.at(self.now + self.latency("declare_level"), self._declare, implied, order=DECIDE)
        if self.plan.choices.passive_trigger == "automatic" and self.plan.raises(self.level, implied):
            self._change_level(implied, "auto", "ACTIVATE-1")

    def _declare(self, level: str) -> None:
        allowed = self.plan.allows(self.level, level)
        if level != self.level and allowed is not None:
            self._change_level(level, self.plan.actions["declare_level"].role, allowed.rule)
            self._decided("declare_level")

    def _issue_warning(self) -> None:
        if self.level == NO_LEVEL and not self.warning:
            self._set_warning(True, self.plan.actions["issue_warning"].role)
            self._decided("issue_warning")

    def _change_level(self, dst: str, by: str, rule: str) -> None:
        src, self.level = self.level, dst
        self._check_soon()
        self.out.changes.append(LevelChanged(self.now, src, dst, by, rule))
        if src == NO_LEVEL:
            if self.warning and self.plan.warning.ends_on_response_start:
                self._set_warning(False, "auto")
            self.duties.fire("response_start")
            self._open_backup()
        self.duties.fire("level_entered")
        if dst == max(self.plan.levels, key=lambda lv: lv.rank).id:
            self._reinforce("request_external_support")

    def _set_warning(self, active: bool, by: str) -> None:
        self.warning = active
        self._check_soon()
        self.out.changes.append(WarningChanged(self.now, active, by, self.plan.warning.rule))
        if active:
            self.duties.fire("warning_start")
            self._open_backup()
        else:
            self.duties.end("warning_end")
            self.duties.fire("warning_end")
            if self.level == NO_LEVEL:
                self._set_many({EVENT_OPEN: False})

    def _open_backup(self) -> None:
        if not self._backup:
            self._backup = self._reinforce("open_backup_hotline")

    def _reinforce(self, action: str) -> bool:
        """The auto-responder takes ``action`` after its latency and the action's steps; whether it adds anyone."""
        more = reinforcement(action, self.scenario)
        if more is None:
            return False
        at = self.now + self.latency(action) + self.work(action) + more.delay_min
        self.out.moves.setdefault(more.team, []).append((at, more.staff))
        return True

    def staff_of(self, team: str) -> int:
        """A team's rostered staff now."""
        hours = self.read.get(team) or self.read.setdefault(team, roster(self.plan, self.scenario, self.staff, team))
        return hours[int(self.now // MINUTES_PER_HOUR) % 24]


def kernel_refusal(scenario: Scenario) -> tuple[int, Literal["when", "after"], str] | None:
    """The first inject waiting for what the kernel does not follow (duty outcomes, most decisions), or None.

    Given as its index, the key that waits (``when`` or ``after``) and the reason, for a loader to locate.
    """
    for i, inject in enumerate(scenario.injects):
        terms = when_terms(inject.when) if inject.when is not None else []
        what = "a duty's outcome" if any(isinstance(t, DutyIs) for t in terms) else None
        unfollowed = (t.decision for t in terms if isinstance(t, Decided) and t.decision not in KERNEL_DECISIONS)
        what = what or next((f"the decision '{a}'" for a in unfollowed), None)
        key: Literal["when", "after"] = "when"
        later = inject.after.decision if inject.after is not None else None
        if what is None and later is not None and later not in KERNEL_DECISIONS:
            what, key = f"the decision '{later}'", "after"
        if what is not None:
            name = f"inject {i}" + (f" '{inject.id}'" if inject.id is not None else "")
            why = (
                f"{name} of scenario '{scenario.id}' waits for {what}, which the sweep kernel does not follow "
                f"(it carries out only {', '.join(sorted(KERNEL_DECISIONS))}); run it with --engine simpy"
            )
            return i, key, why
    return None
