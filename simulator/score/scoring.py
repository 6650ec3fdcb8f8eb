"""Compliance scoring, read from the event log alone (plus the plan for rule texts).

Every point names a rule ID and section: each obligation instance is met, late (by how much),
missed, cancelled or still open at the end; each judged decision is compared with what the
plan's conditions called for at that moment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..model import MINUTES_PER_HOUR, MetByAnswered, Plan, Value, holds
from ..record import (
    ABANDONED,
    ANSWERED,
    DecisionMade,
    DecisionRejected,
    EventLog,
    ImpliedLevel,
    IndicatorChanged,
    ObligationCancelled,
    ObligationMet,
    ObligationOpened,
    Reason,
    WarningChanged,
    columns,
)

DutyStatus = Literal["met", "late", "missed", "cancelled", "open"]
"""What became of a duty: met on time, late, missed, cancelled before its due time, or still open at the end."""


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


@dataclass(frozen=True)
class DecisionResult:
    """A judged decision."""

    seq: int
    t: float
    role: str
    actor: str
    action: str
    correct: bool
    rule: str
    why: Reason

    @property
    def reason(self) -> str:
        """Why, in English."""
        return self.why.en


@dataclass
class RuleScore:
    """Counts for one rule ID."""

    rule: str
    section: str
    met: int = 0
    late: int = 0
    missed: int = 0
    cancelled: int = 0
    open: int = 0

    def count(self, status: DutyStatus) -> None:
        """Count one more duty of this rule with ``status``."""
        if status == "met":
            self.met += 1
        elif status == "late":
            self.late += 1
        elif status == "missed":
            self.missed += 1
        elif status == "cancelled":
            self.cancelled += 1
        else:
            self.open += 1

    @property
    def scored(self) -> int:
        """Instances that count: met, late or missed."""
        return self.met + self.late + self.missed

    @property
    def compliance_pct(self) -> float | None:
        """Share met on time, in percent; None when nothing was scored."""
        return 100.0 * self.met / self.scored if self.scored else None


@dataclass
class Score:
    """The whole score of a run."""

    duties: list[DutyResult]
    decisions: list[DecisionResult]
    rules: dict[str, RuleScore] = field(default_factory=dict)

    @property
    def compliance_pct(self) -> float | None:
        """Duties met on time over duties scored, in percent."""
        scored = sum(r.scored for r in self.rules.values())
        return 100.0 * sum(r.met for r in self.rules.values()) / scored if scored else None

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
        rs.count(d.status)
    return Score(duties, _decisions(log, plan), dict(sorted(rules.items())))


def _duties(log: EventLog, plan: Plan) -> list[DutyResult]:
    horizon = log.meta.horizon
    done: dict[int, float] = {e.oid: e.t for e in log.of(ObligationMet)}
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
            out.append(DutyResult(**base, done=t_done, status=answered, late_by=late_by, detail=detail))
            continue
        t = done.get(e.oid)
        status: DutyStatus
        if t is not None:
            status = "met" if t <= e.due else "late"
        elif e.oid in cancelled:
            status = "cancelled"
        else:
            status = "missed" if e.due <= horizon else "open"
        out.append(DutyResult(**base, done=t, status=status, late_by=max(0.0, t - e.due) if t is not None else 0.0))
    return out


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
    answered = np.sort(c["done"][mine & (c["outcome"] == ANSWERED)])
    by_due = int((answered <= due).sum())
    detail = (
        f"{by_due} of {population} ({100 * by_due / population:.1f}%) answered by the due time"
        f" (target {100 * met_by.answered_fraction:g}%)"
    )
    if answered.size < needed:
        return "missed", None, detail
    done = float(answered[needed - 1])
    return ("met" if done <= due else "late"), done, detail


def _decisions(log: EventLog, plan: Plan) -> list[DecisionResult]:
    ordinals = plan.ordinals()
    values: dict[str, Value] = {k: v.initial for k, v in plan.indicators.items()}
    implied = "none"
    warning_since: float | None = None
    rejected = {e.seq: e for e in log.of(DecisionRejected)}
    out = []
    for e in log.events:
        if isinstance(e, IndicatorChanged):
            values[e.name] = e.value
        elif isinstance(e, ImpliedLevel):
            implied = e.level
        elif isinstance(e, WarningChanged):
            warning_since = e.t if e.active else None
        elif isinstance(e, DecisionMade):
            judged = _judge(e, plan, values, ordinals, implied, warning_since, rejected.get(e.seq))
            if judged is not None:
                out.append(DecisionResult(e.seq, e.t, e.role, e.actor, e.action, *judged))
    return out


def _judge(
    e: DecisionMade,
    plan: Plan,
    values: dict[str, Value],
    ordinals: dict[str, tuple[str, ...]],
    implied: str,
    warning_since: float | None,
    rejected: DecisionRejected | None,
) -> tuple[bool, str, Reason] | None:
    """(correct, rule, reason) for decisions the plan judges; None for the rest."""
    if rejected is not None:
        return False, rejected.rule, Reason.rejected(rejected)
    params = dict(e.params)
    if e.action == "declare_level":
        level = params.get("level", "")
        rule = plan.level(level).rule
        return implied == level, rule, Reason("declared", (("level", level), ("implied", implied)))
    if e.action == "issue_warning":
        return implied == "warning", plan.warning.rule, Reason("warning_started", (("implied", implied),))
    if e.action == "lift_warning":
        w = plan.warning
        aged = warning_since is not None and e.t - warning_since >= w.lift_after_h * MINUTES_PER_HOUR
        ok = aged and holds(w.lift_when, values, ordinals)
        return ok, w.lift_rule, Reason("lift_held") if ok else Reason("lift_not_yet", (("hours", f"{w.lift_after_h:g}"),))
    if e.action == "stand_down":
        ok = holds(plan.stand_down.when, values, ordinals)
        return ok, plan.stand_down.rules[0], Reason("stand_down_held" if ok else "stand_down_not")
    return None
