"""When the plan's triggers fire, and when a duty they open falls due.

Obligations and team tasks both start on a :class:`~simulator.model.Trigger`; the SimPy engine
and the sweep kernel ask these functions, so that a duty opens, recurs and falls due by one rule.
"""

from __future__ import annotations

from ..model import MINUTES_PER_DAY, MINUTES_PER_HOUR, Obligation, Plan, SimTime, Trigger

RESUMED_BY = {"response_start": "response_end", "level_entered": "response_end", "warning_start": "warning_end"}
"""A trigger that starts a response or a warning again lets the duties that run ``until`` its end recur again."""


def starts(trigger: Trigger, on: str, level: str, *, inject: str | None = None, task: str | None = None) -> bool:
    """Whether ``trigger`` fires when ``on`` happens at ``level`` (for an inject or task of that kind or name)."""
    if trigger.on != on or (trigger.levels is not None and level not in trigger.levels):
        return False
    return (inject is None or trigger.inject == inject) and (task is None or trigger.task == task)


def recurs(ob: Obligation) -> bool:
    """Whether a duty comes back: every so many minutes, or daily at an hour."""
    return ob.every_min is not None or ob.at_hour is not None


def period(ob: Obligation) -> float:
    """Minutes between a recurring duty's instances (daily ones: a day)."""
    return ob.every_min if ob.every_min is not None else MINUTES_PER_DAY


def first_due(plan: Plan, ob: Obligation, level: str, now: SimTime) -> SimTime | None:
    """When a duty started now first falls due: the next ``at_hour`` of the day, else now plus its offset at ``level``.

    None when the plan sets no deadline for it at that level.
    """
    if ob.at_hour is not None:
        due = (now // MINUTES_PER_DAY) * MINUTES_PER_DAY + ob.at_hour * MINUTES_PER_HOUR
        return due if due > now else due + MINUTES_PER_DAY
    offset = plan.due_offset(ob, level)
    return None if offset is None else now + offset
