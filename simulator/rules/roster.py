"""Who is on duty: a team's rostered staff for each clock hour, as every run staffs it."""

from __future__ import annotations

from collections.abc import Mapping

from ..model import Plan, Scenario, Shift


def roster(plan: Plan, scenario: Scenario, staff: Mapping[str, int] | None, team: str) -> list[int]:
    """Team ``team``'s rostered staff for each of the 24 clock hours.

    An override in ``staff`` holds round the clock; else the scenario's staff and shifts; else the
    plan's default staff.
    """
    setup = scenario.teams.get(team)
    if staff is not None and team in staff:
        return _by_hour(staff[team], [])
    if setup is not None:
        return _by_hour(setup.staff, setup.shifts)
    return _by_hour(plan.teams[team].default_staff, [])


def _by_hour(staff: int, shifts: list[Shift]) -> list[int]:
    return [_rostered(staff, shifts, hour) for hour in range(24)]


def _rostered(staff: int, shifts: list[Shift], hour: int) -> int:
    covering = [s.staff for s in shifts if _covers(s, hour + 0.5)]
    return sum(covering) if covering else staff


def _covers(shift: Shift, clock: float) -> bool:
    if shift.from_hour <= shift.to_hour:
        return shift.from_hour <= clock < shift.to_hour
    return clock >= shift.from_hour or clock < shift.to_hour
