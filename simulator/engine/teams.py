"""Teams as SimPy resources whose staff changes with shifts, moves and reinforcements."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, cast

import simpy
from simpy.resources.resource import Release, Request

from ..model import Plan, Scenario
from ..rules import roster


def _unclaimed(job: object) -> None:
    """The :attr:`FlexResource.on_start` of a resource nobody gave jobs to."""
    raise RuntimeError(f"a job was queued on a resource with no on_start handler: {job!r}")


class FlexResource(simpy.Resource):
    """A ``simpy.Resource`` whose capacity can change while it runs, and which also serves plain jobs.

    Lowering the capacity lets people finish what they hold; nobody new starts until the
    number at work is below the new capacity. Raising it starts as many waiting as now fit.

    Besides SimPy requests, the one first-come-first-served line takes *jobs*: any objects
    that are not SimPy events, queued with :meth:`take`. When a person takes a job up, :attr:`on_start` is called
    with it at once, without a SimPy event; whoever handles the job hands the person back with
    :meth:`done`. Jobs keep the complaint hot path cheap; requests serve everything else.
    :attr:`count` counts both; :attr:`users` holds only the requests.
    """

    def __init__(self, env: simpy.Environment) -> None:
        super().__init__(env, capacity=1)
        self._capacity = 0
        self._area = 0.0
        self._since = 0.0
        self._jobs = 0
        self._line: deque[Any] = deque()
        """The one line of requests and jobs; a deque, so that its head leaves at no cost."""
        self.put_queue = self.queue = self._line
        self.on_start: Callable[[Any], None] = _unclaimed
        """Called with each job as a person takes it up."""

    @property
    def count(self) -> int:
        """People at work: granted requests plus jobs in hand."""
        return len(self.users) + self._jobs

    def take(self, job: object) -> None:
        """Queue ``job``; :attr:`on_start` runs with it when a person takes it up, possibly now."""
        if not self._line and len(self.users) + self._jobs < self._capacity:
            self._account()
            self._jobs += 1
            self.on_start(job)
        else:
            self._line.append(job)

    def withdraw(self, job: object) -> None:
        """Take a job that nobody has started out of the line."""
        self._line.remove(job)

    def done(self) -> None:
        """A person finished a job and takes up the next in line, if any."""
        self._account()
        self._jobs -= 1
        self._trigger_put(None)

    def _account(self) -> None:
        now = self._env.now
        self._area += (len(self.users) + self._jobs) * (now - self._since)
        self._since = now

    def _trigger_put(self, get_event: Release | None) -> None:
        """Start waiting work, first come first served, while there are people free.

        SimPy's own version tries the head of the line once per call, which suits a fixed
        capacity; with a capacity that grows, everyone who now fits must start.
        """
        line = self._line
        while line and len(self.users) + self._jobs < self._capacity:
            head = line.popleft()
            self._account()
            if isinstance(head, simpy.Event):  # a request; Request's own isinstance check is slower
                request = cast(Request, head)
                self.users.append(request)
                request.usage_since = self._env.now
                request.succeed()
            else:
                self._jobs += 1
                self.on_start(head)

    def _do_get(self, event: Release) -> None:
        self._account()
        super()._do_get(event)

    def take_busy(self) -> float:
        """People-minutes worked since the last call."""
        self._account()
        area, self._area = self._area, 0.0
        return area

    def resize(self, capacity: int) -> None:
        """Set the number of people on duty."""
        if capacity < 0:
            raise ValueError(f"negative capacity {capacity}")
        self._capacity = capacity
        self._trigger_put(None)


class Team:
    """A team: its rostered staff by clock hour plus staff moved in or out and reinforcements."""

    def __init__(self, env: simpy.Environment, name: str, roster: list[int]) -> None:
        self.name = name
        self.resource = FlexResource(env)
        self.roster = roster
        """Rostered staff for each clock hour."""
        self.delta = 0
        """Staff moved in (positive) or out (negative), reinforcements included."""
        self.hour = 0

    @property
    def staff(self) -> int:
        """Staff on duty now."""
        return max(0, self.roster[self.hour] + self.delta)

    def at_hour(self, hour: int) -> bool:
        """Move to clock ``hour``; True when the staff on duty changed."""
        before = self.staff
        self.hour = hour % 24
        return self._apply(before)

    def adjust(self, change: int) -> bool:
        """Add (or remove) people; True when the staff on duty changed."""
        before = self.staff
        self.delta += change
        return self._apply(before)

    def _apply(self, before: int) -> bool:
        self.resource.resize(self.staff)
        return self.staff != before

    @property
    def backlog(self) -> int:
        """Work waiting for a free person."""
        return len(self.resource.queue)


def staffed_team(env: simpy.Environment, plan: Plan, scenario: Scenario, staff: Mapping[str, int] | None, name: str) -> Team:
    """Team ``name`` as a run staffs it (:func:`~simulator.rules.roster`)."""
    return Team(env, name, roster(plan, scenario, staff, name))
