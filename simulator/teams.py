"""Teams as SimPy resources whose staff changes with shifts, moves and reinforcements."""

from __future__ import annotations

import simpy

from .scenario import Shift


class FlexResource(simpy.Resource):
    """A ``simpy.Resource`` whose capacity can change while it runs.

    Lowering the capacity lets people finish what they hold; nobody new starts until the
    number at work is below the new capacity.
    """

    def __init__(self, env: simpy.Environment) -> None:
        super().__init__(env, capacity=1)
        self._capacity = 0
        self._area = 0.0
        self._since = 0.0

    def _account(self) -> None:
        now = self._env.now
        self._area += len(self.users) * (now - self._since)
        self._since = now

    def _do_put(self, event: simpy.resources.resource.Request) -> None:
        self._account()
        super()._do_put(event)

    def _do_get(self, event: simpy.resources.resource.Release) -> None:
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

    def __init__(self, env: simpy.Environment, name: str, staff: int, shifts: list[Shift]) -> None:
        self.name = name
        self.resource = FlexResource(env)
        self.roster = [_rostered(staff, shifts, hour) for hour in range(24)]
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


def _rostered(staff: int, shifts: list[Shift], hour: int) -> int:
    covering = [s.staff for s in shifts if _covers(s, hour + 0.5)]
    return sum(covering) if covering else staff


def _covers(shift: Shift, clock: float) -> bool:
    if shift.from_hour <= shift.to_hour:
        return shift.from_hour <= clock < shift.to_hour
    return clock >= shift.from_hour or clock < shift.to_hour
