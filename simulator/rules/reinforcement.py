"""Staff that actions of the plan bring in: the backup hotline and external support, as the scenario sizes them.

One rule for the engine (which adds them when the action is done), the kernel (which adds them when
the auto-responder would) and the after-action comparison (which ties a team's outcomes to them).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import MINUTES_PER_HOUR, Scenario

REINFORCING = ("open_backup_hotline", "request_external_support")
"""The actions that add people to a team."""


@dataclass(frozen=True)
class Reinforcement:
    """People an action adds to a team, and how long after it is done they are at work."""

    team: str
    staff: int
    delay_min: float


def reinforcement(action: str, scenario: Scenario) -> Reinforcement | None:
    """The people ``action`` adds in ``scenario``; None when it adds nobody there (or adds nobody at all).

    Opening the backup hotline puts the scenario's backup operators on the hotline at once; external
    support brings its people to its team after its delay.
    """
    if action == "open_backup_hotline" and scenario.backup_hotline_staff > 0:
        return Reinforcement("hotline", scenario.backup_hotline_staff, 0.0)
    ext = scenario.external
    if action == "request_external_support" and ext is not None:
        return Reinforcement(ext.team, ext.staff, ext.delay_h * MINUTES_PER_HOUR)
    return None
