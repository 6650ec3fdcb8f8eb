"""The briefing's objectives: which of the plan's timed duties a scenario will (or may) test.

Read from the scenario without running it: duties opened by its injects, by the levels it is
built to reach (``expected_levels``) and by the response starting are certain; duties opened by
the warning state, team tasks or indicator conditions depend on how the drill unfolds and are
listed as possible.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from simulator.model import Obligation, Plan, Scenario
from simulator.rules import EVENT_OPEN
from simulator.score import duty_role


@dataclass(frozen=True)
class Objective:
    """A duty of the plan that the drill tests."""

    ob: Obligation
    certain: bool
    """True when the scenario, played as it is built to go, opens it."""
    yours: bool
    """True when a trainee answers for it (``simulator.score.roles.duty_role``)."""


def _reach(ob: Obligation, scenario: Scenario) -> bool | None:
    """True if certain, False if possible, None if the scenario cannot open it."""
    trig = ob.trigger
    expected = set(scenario.expected_levels)
    if trig.on == "inject":
        return True if trig.inject in {i.kind for i in scenario.injects} else None
    if trig.on == "event_open":
        return True if any(i.set.get(EVENT_OPEN) is True for i in scenario.injects) else None
    if trig.on in ("response_start", "level_entered"):
        if not expected:
            return False
        if trig.levels is None or expected & set(trig.levels):
            return True
        return None
    return False


def objectives(plan: Plan, scenario: Scenario, held: Collection[str]) -> list[Objective]:
    """The duties a drill of ``scenario`` tests, certain ones first, in the plan's order."""
    found = []
    for ob in plan.obligations:
        reach = _reach(ob, scenario)
        if reach is not None:
            found.append(Objective(ob, reach, duty_role(plan, ob) in held))
    return sorted(found, key=lambda o: not o.certain)
