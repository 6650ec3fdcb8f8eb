"""The book of timed duties: opens obligation instances on triggers, matches work to them.

The book records what it sees as ``ObligationOpened`` / ``ObligationMet`` /
``ObligationCancelled`` events; whether a duty was met, late or missed is read from those
records by scoring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import simpy

from ..model import (
    NO_LEVEL,
    MetByAction,
    MetByCallbacks,
    MetByTask,
    Obligation,
    Plan,
    Situation,
    TriggerOn,
)
from ..record import Event, ObligationCancelled, ObligationMet, ObligationOpened
from ..rules import RESUMED_BY, first_due, period, recurs, starts


@dataclass
class Instance:
    """One running instance of an obligation."""

    oid: int
    index: int
    ob: Obligation
    opened: float
    due: float
    met: bool = False
    cancelled: bool = False


class ObligationBook:
    """Open obligation instances and the rules that open, meet and cancel them."""

    def __init__(
        self,
        env: simpy.Environment,
        plan: Plan,
        emit: Callable[[Event], None],
        on_campaign: Callable[[int, str], None],
        on_disclosure: Callable[[bool], None],
    ) -> None:
        self.env = env
        self.plan = plan
        self._emit = emit
        self._start_campaign = on_campaign
        self._disclosure = on_disclosure
        self.open: list[Instance] = []
        """Instances not yet met or cancelled, oldest first."""
        self._next_oid = 0
        self._ended: set[str] = set()
        self._series: dict[int, int] = {}
        """For recurring obligations: obligation index → generation of its running series."""
        self._condition_state: dict[int, bool] = {}
        self.tasks_done: set[str] = set()

    def fire(self, on: TriggerOn, level: str, *, inject: str | None = None, task: str | None = None) -> None:
        """A trigger happened: open every obligation it starts."""
        self._ended.discard(RESUMED_BY.get(on, ""))
        for index, ob in enumerate(self.plan.obligations):
            if starts(ob.trigger, on, level, inject=inject, task=task):
                self._start(index, ob, level)

    def check_conditions(self, situation: Situation, level: str) -> None:
        """Open condition-triggered obligations whose condition has just started to hold."""
        for index, ob in enumerate(self.plan.obligations):
            trig = ob.trigger
            if trig.on != "condition" or trig.when is None:
                continue
            now = situation.holds(trig.when)
            before = self._condition_state.get(index, False)
            self._condition_state[index] = now
            if now and not before and (trig.levels is None or level in trig.levels):
                self._start(index, ob, level)

    def _start(self, index: int, ob: Obligation, level: str) -> None:
        if recurs(ob):
            generation = self._series.get(index, 0) + 1
            self._series[index] = generation
            self.env.process(self._recur(index, ob, level, generation))
        else:
            due = first_due(self.plan, ob, level, self.env.now)
            if due is not None:
                self._open(index, ob, due, level)

    def _recur(self, index: int, ob: Obligation, level: str, generation: int) -> simpy.events.ProcessGenerator:
        every = period(ob)
        due = first_due(self.plan, ob, level, self.env.now)
        while due is not None and self._series.get(index) == generation and ob.until not in self._ended:
            self._open(index, ob, due, level)
            yield self.env.timeout(due - self.env.now)
            due += every

    def _open(self, index: int, ob: Obligation, due: float, level: str) -> None:
        inst = Instance(self._next_oid, index, ob, self.env.now, due)
        self._next_oid += 1
        self.open.append(inst)
        self._emit(ObligationOpened(self.env.now, inst.oid, index, ob.rule, due, level))
        met_by = ob.met_by
        if isinstance(met_by, MetByTask) and met_by.task in self.tasks_done:
            self._meet(inst, -1)
        elif isinstance(met_by, MetByCallbacks):
            self._start_campaign(inst.oid, ob.trigger.on)
        if not inst.met:
            self.env.process(self._watch_due(inst))

    def _watch_due(self, inst: Instance) -> simpy.events.ProcessGenerator:
        yield self.env.timeout(inst.due - self.env.now)
        if inst.ob.disclosure and not inst.met and not inst.cancelled:
            self._disclosure(False)

    def _meet(self, inst: Instance, seq: int, missing: tuple[str, ...] = ()) -> None:
        inst.met = True
        self.open.remove(inst)
        self._emit(ObligationMet(self.env.now, inst.oid, seq, missing))
        if inst.ob.disclosure and self.env.now <= inst.due:
            self._disclosure(True)

    def on_action(self, seq: int, action: str, contents: Iterable[str], step_team: str | None = None) -> None:
        """An action (or, with ``step_team``, one of its steps) completed: meet what it meets.

        A document without every element a duty requires still meets it, incomplete: the record
        names what was missing.
        """
        have = set(contents)
        now = self.env.now
        chosen: dict[int, Instance] = {}
        for inst in self.open:
            met_by = inst.ob.met_by
            if not isinstance(met_by, MetByAction) or action not in met_by.action or met_by.step != step_team:
                continue
            best = chosen.get(inst.index)
            # Work done in time goes to the current window; else to the oldest overdue one.
            if best is None or (best.due < now <= inst.due):
                chosen[inst.index] = inst
        for inst in sorted(chosen.values(), key=lambda i: i.oid):
            assert isinstance(inst.ob.met_by, MetByAction)
            self._meet(inst, seq, tuple(c for c in inst.ob.met_by.contents if c not in have))

    def on_task(self, task: str) -> None:
        """A team task completed."""
        self.tasks_done.add(task)
        for inst in [i for i in self.open if isinstance(i.ob.met_by, MetByTask) and i.ob.met_by.task == task]:
            self._meet(inst, -1)

    def on_campaign(self, oid: int) -> None:
        """The callback campaign of instance ``oid`` finished."""
        for inst in [i for i in self.open if i.oid == oid]:
            self._meet(inst, -1)

    def end(self, until: str) -> None:
        """A response or warning ended: cancel the not-yet-due duties that ran until then."""
        self._ended.add(until)
        now = self.env.now
        for inst in [i for i in self.open if i.ob.until == until and i.due > now]:
            inst.cancelled = True
            self.open.remove(inst)
            self._emit(ObligationCancelled(now, inst.oid))

    def pending(self, level: str = NO_LEVEL) -> list[Instance]:
        """Open instances, soonest due first."""
        return sorted(self.open, key=lambda i: (i.due, i.oid))
