"""The trainees' part of a drill and the auto-responder's, read from the event log.

A duty is the part of whoever holds the role that answers for it (:func:`simulator.score.duty_role`);
a judged decision is the part of whoever took it, as the log's ``actor`` says. The auto-responder
acts only for the roles no trainee holds, so the two parts never share a duty or a decision.
Duties whose team maps to no role of the plan belong to neither part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Plan
from ..record import EventLog
from ..score import SCORED, RoleScore, Score, role_scores
from .trainees import AUTO_ACTOR, Trainee


@dataclass(frozen=True)
class RuleTally:
    """One rule's duties and wrong decisions within a part."""

    rule: str
    section: str
    met: int
    """Duties met on time, complete."""
    late: int
    """Duties done after their due time, complete or not."""
    missed: int
    wrong: int
    """Judged decisions under this rule that were not correct."""
    incomplete: int
    """Duties whose document lacked required elements, on time or late (so a late one is also in ``late``)."""

    @property
    def overdue(self) -> bool:
        """Whether any duty of the rule was late or missed, or any decision under it wrong."""
        return bool(self.late or self.missed or self.wrong)

    @property
    def failed(self) -> bool:
        """Whether the rule was not held: :attr:`overdue`, or a document under it lacked required elements."""
        return self.overdue or bool(self.incomplete)


@dataclass(frozen=True)
class Parts:
    """Who did what in a drill: each role, each trainee, all trainees together, and the auto-responder."""

    roles: dict[str, RoleScore]
    """Every role of the plan, in the plan's order (duties by role, decisions by role)."""
    holders: dict[str, str]
    """The trainee holding each held role."""
    trainees: dict[str, RoleScore]
    """Per trainee: the duties of their roles and the decisions they took."""
    trainee: RoleScore
    """Every trainee together."""
    auto: RoleScore
    """The roles no trainee holds and the auto-responder's decisions."""

    def rules(self, part: RoleScore) -> list[RuleTally]:
        """The rules a part answered for (duties scored or decisions judged), in rule order."""
        tallies: dict[str, list[int]] = {}
        sections: dict[str, str] = {}
        for d in part.duties:
            if d.status in SCORED:
                counts = tallies.setdefault(d.rule, [0, 0, 0, 0, 0])
                if d.status != "incomplete":
                    counts[("met", "late", "missed").index(d.status)] += 1
                counts[4] += bool(d.missing)
                sections.setdefault(d.rule, d.section)
        for j in part.decisions:
            if j.rule:
                counts = tallies.setdefault(j.rule, [0, 0, 0, 0, 0])
                counts[3] += not j.correct
        return [RuleTally(rule, sections.get(rule, ""), *tallies[rule]) for rule in sorted(tallies)]

    def is_trainees(self, rule: str) -> bool:
        """Whether a rule is the trainees' to answer for: one of their duties or judged decisions falls under it."""
        return any(d.rule == rule for d in self.trainee.duties) or any(j.rule == rule for j in self.trainee.decisions)


def parts(log: EventLog, score: Score, plan: Plan, trainees: Sequence[Trainee]) -> Parts:
    """Split a drill's score between its trainees and the auto-responder."""
    by_role = role_scores(log, score, plan)
    holders = {role: t.name for t in trainees for role in t.roles}
    per_trainee = {
        t.name: RoleScore(
            "+".join(t.roles),
            tuple(d for role in t.roles for d in by_role[role].duties),
            tuple(j for j in score.decisions if j.actor == t.name),
        )
        for t in trainees
    }
    everyone = RoleScore.merged(per_trainee.values())
    auto = RoleScore(
        AUTO_ACTOR,
        tuple(d for role, s in by_role.items() if role not in holders for d in s.duties),
        tuple(j for j in score.decisions if j.actor == AUTO_ACTOR),
    )
    return Parts(by_role, holders, per_trainee, everyone, auto)
