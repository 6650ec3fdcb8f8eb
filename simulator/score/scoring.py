"""Compliance scoring, read from the event log alone (plus the plan for rule texts).

Every point names a rule ID and section: each obligation instance is met, incomplete (its
document without some element the duty requires, named), late (by how much; and perhaps
incomplete too), missed, cancelled or still open at the end, and earns the share of its point the
plan's ``credit`` gives; each judged decision is compared with what the plan's conditions called
for at that moment, naming the conditions that held and those that did not (``verdicts``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..model import Credit, MetByAnswered, Plan
from ..record import ABANDONED, ANSWERED, EventLog, ObligationCancelled, ObligationMet, ObligationOpened, columns
from .verdicts import DecisionResult, verdicts

DutyStatus = Literal["met", "incomplete", "late", "missed", "cancelled", "open"]
"""What became of a duty: met on time, done on time but incomplete, late (complete or not), missed,
cancelled before its due time, or still open at the end."""

SCORED: tuple[DutyStatus, ...] = ("met", "incomplete", "late", "missed")
"""The outcomes that count in a score."""


@dataclass(frozen=True)
class DutyResult:
    """The outcome of one obligation instance."""

    oid: int
    rule: str
    section: str
    name_zh: str
    name_en: str
    owner: str
    opened: float
    due: float
    done: float | None
    status: DutyStatus
    """``open``: not yet due at the end of the run."""
    late_by: float
    """Minutes past due (late only)."""
    detail: str = ""
    missing: tuple[str, ...] = ()
    """Elements the duty requires that its document did not carry: incomplete, or late and incomplete."""
    by_seq: int = -1
    """The decision that did it; -1 when team work did it, or nothing."""
    credit: float = 0.0
    """The share of the duty's point it earned (see ``Plan.credit``)."""


@dataclass
class RuleScore:
    """Counts for one rule ID."""

    rule: str
    section: str
    met: int = 0
    incomplete: int = 0
    late: int = 0
    missed: int = 0
    cancelled: int = 0
    open: int = 0
    points: float = 0.0
    """The credit its scored duties earned."""

    def count(self, duty: DutyResult) -> None:
        """Count one more duty of this rule."""
        setattr(self, duty.status, getattr(self, duty.status) + 1)
        self.points += duty.credit

    @property
    def scored(self) -> int:
        """Instances that count: met, incomplete, late or missed."""
        return self.met + self.incomplete + self.late + self.missed

    @property
    def compliance_pct(self) -> float | None:
        """The credit earned over the duties scored, in percent (met on time earns 1); None when nothing was scored."""
        return 100.0 * self.points / self.scored if self.scored else None


@dataclass
class Score:
    """The whole score of a run."""

    duties: list[DutyResult]
    decisions: list[DecisionResult]
    rules: dict[str, RuleScore] = field(default_factory=dict)

    @property
    def compliance_pct(self) -> float | None:
        """The credit earned over the duties scored, in percent."""
        scored = sum(r.scored for r in self.rules.values())
        return 100.0 * sum(r.points for r in self.rules.values()) / scored if scored else None

    @property
    def decision_pct(self) -> float | None:
        """Judged decisions that were correct, in percent."""
        return 100.0 * sum(d.correct for d in self.decisions) / len(self.decisions) if self.decisions else None


def score(log: EventLog, plan: Plan) -> Score:
    """Score a run from its log."""
    duties = _duties(log, plan)
    rules: dict[str, RuleScore] = {}
    for d in duties:
        rs = rules.setdefault(d.rule, RuleScore(d.rule, d.section))
        rs.count(d)
    return Score(duties, verdicts(log, plan), dict(sorted(rules.items())))


def _duties(log: EventLog, plan: Plan) -> list[DutyResult]:
    horizon = log.meta.horizon
    done: dict[int, ObligationMet] = {e.oid: e for e in log.of(ObligationMet)}
    cancelled = {e.oid for e in log.of(ObligationCancelled)}
    out = []
    for e in log.of(ObligationOpened):
        ob = plan.obligations[e.index]
        base = dict(
            oid=e.oid,
            rule=e.rule,
            section=ob.section,
            name_zh=ob.name.zh,
            name_en=ob.name.en,
            owner=ob.owner,
            opened=e.t,
            due=e.due,
        )
        if isinstance(ob.met_by, MetByAnswered):
            answered, t_done, detail = _answered(log, e.t, e.due, ob.met_by, horizon)
            late_by = t_done - e.due if answered == "late" and t_done is not None else 0.0
            credit = _credit(plan.credit, answered, ())
            out.append(DutyResult(**base, done=t_done, status=answered, late_by=late_by, detail=detail, credit=credit))
            continue
        met = done.get(e.oid)
        status: DutyStatus
        if met is not None:
            status = "late" if met.t > e.due else "incomplete" if met.missing else "met"
        elif e.oid in cancelled:
            status = "cancelled"
        else:
            status = "missed" if e.due <= horizon else "open"
        missing = met.missing if met is not None else ()
        out.append(
            DutyResult(
                **base,
                done=None if met is None else met.t,
                status=status,
                late_by=max(0.0, met.t - e.due) if met is not None else 0.0,
                missing=missing,
                by_seq=-1 if met is None else met.by_seq,
                credit=_credit(plan.credit, status, missing),
            )
        )
    return out


def _credit(credit: Credit, status: DutyStatus, missing: tuple[str, ...]) -> float:
    """The share of a duty's point its outcome earns."""
    if status == "met":
        return 1.0
    if status == "incomplete":
        return credit.incomplete
    if status == "late":
        return credit.late_incomplete if missing else credit.late
    return 0.0


def _answered(
    log: EventLog, opened: float, due: float, met_by: MetByAnswered, horizon: float
) -> tuple[DutyStatus, float | None, str]:
    """Score 'respond to 90% of complaints within 7 days'.

    Of the complaints registered from the trigger to the due time, the share answered; the duty is
    done when the last complaint needed to reach that share was answered.
    """
    c = columns(log.complaints)
    mine = (c["arrive"] >= opened) & (c["arrive"] < min(due, horizon)) & (c["outcome"] != ABANDONED)
    population = int(mine.sum())
    if due > horizon:
        return "open", None, f"due after the end of the run; {population} complaints so far"
    if population == 0:
        return "met", opened, "no complaint arrived in the period"
    needed = math.ceil(met_by.answered_fraction * population)
    answered = c["done"][mine & (c["outcome"] == ANSWERED)]
    by_due = int((answered <= due).sum())
    detail = (
        f"{by_due} of {population} ({100 * by_due / population:.1f}%) answered by the due time"
        f" (target {100 * met_by.answered_fraction:g}%)"
    )
    if answered.size < needed:
        return "missed", None, detail
    done = float(np.partition(answered, needed - 1)[needed - 1])  # the needed-th answer, without sorting them all
    return ("met" if done <= due else "late"), done, detail
