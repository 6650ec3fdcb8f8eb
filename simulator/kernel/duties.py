"""The fast kernel's duties and team tasks: what the control timeline opens, meets and cancels.

Only the duties that matter to a sweep are tracked: the timed team targets (met by a task, a
callback campaign or an answered share) and the public disclosures, whose timeliness feeds the
opinion heat. The rules follow :class:`~simulator.engine.obligations.ObligationBook` and the engine's
task process: triggers matched on kind, level, inject and task; recurring duties opened at each
due time until their ``until`` ends; a duty met by a task already done is met at once; ending a
response or a warning cancels its duties not yet due. A disclosure is met after the
auto-responder's latency plus its action's nominal step minutes; team tasks queue for their
team's people first come, first served (action steps that borrow them are not modelled).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import MetByAction, MetByTask, Obligation, SimTime, TriggerOn
from ..rules import RESUMED_BY, crew_size, first_due, is_target, period, recurs, starts, task_minutes, task_work

if TYPE_CHECKING:
    from .control import Control


@dataclass
class Duty:
    """One opened instance of a tracked duty."""

    oid: int
    index: int
    ob: Obligation
    opened: SimTime
    due: SimTime
    level: str
    met: SimTime | None = None
    cancelled: SimTime | None = None


class Duties:
    """The tracked duties and the team tasks of one control timeline."""

    def __init__(self, control: Control) -> None:
        self.c = control
        plan = control.plan
        self._tracked = [(i, ob) for i, ob in enumerate(plan.obligations) if is_target(ob) or ob.disclosure]
        self._open: list[Duty] = []
        self._ended: set[str] = set()
        self._series: dict[int, int] = {}
        self._oids = 0
        self._tasks_done: set[str] = set()
        self._units: dict[str, list[float]] = {}
        """Free times of each task team's people."""

    def fire(self, on: TriggerOn, *, inject: str | None = None, task: str | None = None) -> None:
        """A trigger happened: open the duties and start the tasks it starts."""
        c = self.c
        self._ended.discard(RESUMED_BY.get(on, ""))
        for index, ob in self._tracked:
            if starts(ob.trigger, on, c.level, inject=inject, task=task):
                self._start(index, ob)
        for name, spec in c.plan.tasks.items():
            if starts(spec.start, on, c.level, inject=inject, task=task):
                self._start_task(name)

    def _start(self, index: int, ob: Obligation) -> None:
        due = first_due(self.c.plan, ob, self.c.level, self.c.now)
        if not recurs(ob):
            if due is not None:
                self._open_duty(index, ob, due)
            return
        self._series[index] = generation = self._series.get(index, 0) + 1  # a restart stops the running series
        if due is not None:
            self._recur(index, ob, generation, due)

    def _recur(self, index: int, ob: Obligation, generation: int, due: SimTime) -> None:
        if self._series.get(index) == generation and ob.until not in self._ended:
            self._open_duty(index, ob, due)
            self.c.at(due, self._recur, index, ob, generation, due + period(ob))

    def _open_duty(self, index: int, ob: Obligation, due: SimTime) -> None:
        c = self.c
        duty = Duty(self._oids, index, ob, c.now, due, c.level)
        self._oids += 1
        self._open.append(duty)
        if is_target(ob):
            c.out.targets.append(duty)
        met_by = ob.met_by
        if isinstance(met_by, MetByTask) and met_by.task in self._tasks_done:
            self._meet(duty)
        elif ob.disclosure and isinstance(met_by, MetByAction):
            action = met_by.action[0]
            c.at(c.now + c.latency(action) + c.work(action, met_by.step), self._disclosed, duty)
            c.at(due, self._disclosure_due, duty)

    def _meet(self, duty: Duty) -> None:
        duty.met = self.c.now
        self._open.remove(duty)

    def _disclosed(self, duty: Duty) -> None:
        if duty.met is None and duty.cancelled is None:
            self._meet(duty)
            if self.c.now <= duty.due:
                self.c.pulse.disclosed(True)

    def _disclosure_due(self, duty: Duty) -> None:
        if duty.met is None and duty.cancelled is None:
            self.c.pulse.disclosed(False)

    def end(self, until: str) -> None:
        """A response or warning ended: cancel its duties not yet due and stop its recurring ones."""
        self._ended.add(until)
        for duty in [d for d in self._open if d.ob.until == until and d.due > self.c.now]:
            duty.cancelled = self.c.now
            self._open.remove(duty)

    def _start_task(self, name: str) -> None:
        c = self.c
        spec = c.plan.tasks[name]
        wanted, effort = task_work(c.plan, c.scenario, name, c.rng_tasks)
        staff = c.staff_of(spec.team)
        units = self._units.setdefault(spec.team, [0.0] * staff)
        crew = crew_size(wanted, staff)
        if crew > len(units):
            return  # nobody to do it: it never ends, as in the engine
        start = max([c.now, *(heapq.heappop(units) for _ in range(crew))])
        end = start + task_minutes(effort, crew)
        for _ in range(crew):
            heapq.heappush(units, end)
        c.at(end, self._task_done, name)

    def _task_done(self, name: str) -> None:
        self._tasks_done.add(name)
        for duty in [d for d in self._open if isinstance(d.ob.met_by, MetByTask) and d.ob.met_by.task == name]:
            self._meet(duty)
        self.fire("task_done", task=name)
