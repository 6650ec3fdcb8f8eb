"""How much work the plan's tasks take, how fast the auto-responder acts, how many complaints to expect.

The SimPy engine and the sweep kernel both size a team task, wait the responder's latency and
expect each hour's baseline complaints by these functions.
"""

from __future__ import annotations

import math

import numpy as np

from ..model import MINUTES_PER_DAY, MINUTES_PER_HOUR, Plan, Responder, Scenario, surge_factor
from .sampling import draw


def task_work(plan: Plan, scenario: Scenario, name: str, rng: np.random.Generator) -> tuple[int, float]:
    """(people wanted, effort in person-hours) of a team task.

    The scenario's setup for the task, with its effort drawn from ``rng``, or else the plan's nominal figures.
    """
    spec = plan.tasks[name]
    setup = scenario.tasks.get(name)
    crew = setup.crew if setup is not None else spec.crew
    effort = float(draw(setup.effort_hours, rng, 1)[0]) if setup is not None else spec.effort_hours
    return crew, effort


def crew_size(wanted: int, staff: int) -> int:
    """People who work on a task: as many as wanted, at most the team's staff, at least one."""
    return max(1, min(wanted, staff))


def task_minutes(effort_h: float, crew: int) -> float:
    """Minutes a crew takes for ``effort_h`` person-hours."""
    return effort_h / crew * MINUTES_PER_HOUR


def latency(responder: Responder, action: str) -> float:
    """The auto-responder's minutes from a duty opening to taking ``action``."""
    return responder.latency_min.get(action, responder.default_min)


def hourly_baseline(scenario: Scenario) -> list[float]:
    """Expected baseline complaints in each hour of the day (the daily baseline spread by the hourly profile)."""
    profile = np.asarray(scenario.complaints.hourly_profile, dtype=float)
    return [float(scenario.complaints.baseline_per_day * share) for share in (profile / profile.sum()).tolist()]


def surge_by_hour(scenario: Scenario, hours: int) -> np.ndarray:
    """The surge multiple at the middle of each hour: linear between points, 1 outside them."""
    day = (np.arange(hours) * MINUTES_PER_HOUR + 30.0) / MINUTES_PER_DAY
    return surge_factor(scenario.complaints.surge, day)


def expected_by_hour(scenario: Scenario) -> np.ndarray:
    """Complaints expected in each hour of the horizon before opinion heat adds any: baseline × surge.

    The arrival rule multiplies this by (1 + feedback × heat); heat depends on how the drill goes,
    so a plan made ahead of it starts from the rate without it.
    """
    hours = math.ceil(scenario.horizon_days * 24)
    baseline = np.resize(np.asarray(hourly_baseline(scenario)), hours)
    expected: np.ndarray = baseline * surge_by_hour(scenario, hours)
    return expected
