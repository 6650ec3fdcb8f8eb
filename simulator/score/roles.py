"""Scores per plan role: which role answers for each duty, and how each role did.

A duty met by an action belongs to the role that takes that action
(``plan.actions[met_by.action[0]].role``). A duty met by team work — a task, a callback campaign,
a share of complaints answered — belongs to the role that directs the team, by
:data:`TEAM_ROLES`:

========== ============ ===================================================
team       role         why (plan/RULES.md)
========== ============ ===================================================
hotline    cs           the duty hotline's operators are customer service
duty       duty         the duty room is the duty officer's
comms      cs           customer communication is staffed from CS (+ PR)
verify     qa           information verification is QA + technology
pr         pr           public-opinion control is PR (+ legal)
supply     command      supply-chain coordination answers to the command centre
logistics  logistics    HR + admin
command    command      the command centre
legal      legal        legal
leadership leadership   the leadership group
========== ============ ===================================================

A team that is itself a plan role maps to that role. Duties whose team maps to no role of the
plan (a plan with other team names) are left out of the per-role scores; they still count in the
run's overall score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import MetByAction, MetByTask, Obligation, Plan
from ..record import EventLog, ObligationOpened
from .scoring import SCORED, DutyResult, Score
from .verdicts import DecisionResult

TEAM_ROLES: dict[str, str] = {
    "hotline": "cs",
    "duty": "duty",
    "comms": "cs",
    "verify": "qa",
    "pr": "pr",
    "supply": "command",
    "logistics": "logistics",
    "command": "command",
    "legal": "legal",
    "leadership": "leadership",
}
"""The role that directs each team of the default plan."""


@dataclass(frozen=True)
class RoleScore:
    """How one role (or a trainee's set of roles) did."""

    role: str
    """The role; for a trainee's combined score, their roles joined with ``+``."""
    duties: tuple[DutyResult, ...]
    decisions: tuple[DecisionResult, ...]
    """The role's judged decisions."""

    def count(self, status: str) -> int:
        """Duties with this status (met, incomplete, late, missed, cancelled, open)."""
        return sum(d.status == status for d in self.duties)

    @property
    def met(self) -> int:
        """Duties met on time."""
        return self.count("met")

    @property
    def incomplete(self) -> int:
        """Duties done on time without every element required."""
        return self.count("incomplete")

    @property
    def late(self) -> int:
        """Duties done after their due time."""
        return self.count("late")

    @property
    def missed(self) -> int:
        """Duties never done though due before the end."""
        return self.count("missed")

    @property
    def compliance_pct(self) -> float | None:
        """The credit earned over the duties scored (met, incomplete, late, missed), in percent; None when none was."""
        scored = [d for d in self.duties if d.status in SCORED]
        return 100.0 * sum(d.credit for d in scored) / len(scored) if scored else None

    @property
    def correct(self) -> int:
        """Judged decisions that were correct."""
        return sum(d.correct for d in self.decisions)

    @property
    def incorrect(self) -> int:
        """Judged decisions that were not."""
        return len(self.decisions) - self.correct

    @property
    def decision_pct(self) -> float | None:
        """Correct over judged decisions, in percent; None when none was judged."""
        return 100.0 * self.correct / len(self.decisions) if self.decisions else None

    @classmethod
    def merged(cls, parts: Iterable[RoleScore]) -> RoleScore:
        """One score for several roles (a trainee holding more than one)."""
        parts = list(parts)
        return cls(
            "+".join(p.role for p in parts),
            tuple(d for p in parts for d in p.duties),
            tuple(d for p in parts for d in p.decisions),
        )


def team_role(plan: Plan, team: str) -> str | None:
    """The role directing ``team``: the team itself if it is a role, else by :data:`TEAM_ROLES`."""
    if team in plan.roles:
        return team
    role = TEAM_ROLES.get(team)
    return role if role in plan.roles else None


def duty_role(plan: Plan, ob: Obligation) -> str | None:
    """The role that answers for a duty of the plan (callbacks and answer shares: its owner team's role)."""
    met_by = ob.met_by
    if isinstance(met_by, MetByAction):
        return plan.actions[met_by.action[0]].role
    if isinstance(met_by, MetByTask):
        return team_role(plan, plan.tasks[met_by.task].team)
    return team_role(plan, ob.owner)


def role_scores(log: EventLog, score: Score, plan: Plan) -> dict[str, RoleScore]:
    """Each plan role's duties and judged decisions, in the plan's role order."""
    index = {e.oid: e.index for e in log.of(ObligationOpened)}
    duties: dict[str, list[DutyResult]] = {role: [] for role in plan.roles}
    for d in score.duties:
        role = duty_role(plan, plan.obligations[index[d.oid]])
        if role is not None:
            duties[role].append(d)
    decisions: dict[str, list[DecisionResult]] = {role: [] for role in plan.roles}
    for j in score.decisions:
        if j.role in decisions:
            decisions[j.role].append(j)
    return {role: RoleScore(role, tuple(duties[role]), tuple(decisions[role])) for role in plan.roles}
