"""The run summary: complaint counts, team load, answer times, duties and levels, from the log.

:class:`RunSummary` is a frozen, typed record; :meth:`RunSummary.to_json` is what ``summary.json``
holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model import Text
from ..record import ABANDONED, ANSWERED, OPEN, EventLog, Hourly, LevelChanged, WarningChanged, columns
from .scoring import DutyStatus
from .verdicts import DecisionResult

if TYPE_CHECKING:
    from .scoring import Score

PERCENTILES = (50, 90, 95, 99)


@dataclass(frozen=True)
class Stats:
    """Count, mean, percentiles and maximum of a sample (None where the sample is empty)."""

    n: int
    mean: float | None
    p50: float | None
    p90: float | None
    p95: float | None
    p99: float | None
    max: float | None

    @classmethod
    def of(cls, values: np.ndarray) -> Stats:
        """The statistics of ``values``, rounded to 3 decimals."""
        if values.size == 0:
            return cls(0, None, None, None, None, None, None)
        p50, p90, p95, p99 = (round(float(v), 3) for v in np.percentile(values, PERCENTILES))
        return cls(int(values.size), round(float(values.mean()), 3), p50, p90, p95, p99, round(float(values.max()), 3))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "n": self.n,
            "mean": self.mean,
            "p50": self.p50,
            "p90": self.p90,
            "p95": self.p95,
            "p99": self.p99,
            "max": self.max,
        }


@dataclass(frozen=True)
class TeamSummary:
    """One team over the run."""

    staff_start: int
    utilisation: float | None
    peak_backlog: int
    wait_min: Stats | None = None
    """Minutes from arrival (or from being queued for the team) to being taken up; for queueing teams."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out: dict[str, Any] = {
            "staff_start": self.staff_start,
            "utilisation": self.utilisation,
            "peak_backlog": self.peak_backlog,
        }
        if self.wait_min is not None:
            out["wait_min"] = self.wait_min.to_json()
        return out


@dataclass(frozen=True)
class Complaints:
    """What became of the complaints."""

    arrived: int
    answered: int
    abandoned: int
    open: int


@dataclass(frozen=True)
class DutySummary:
    """One duty of the run and what became of it."""

    rule_id: str
    section: str
    name: Text
    owner: str
    opened: float
    due: float
    done: float | None
    status: DutyStatus
    late_by_min: float
    detail: str
    missing: tuple[str, ...] = ()
    """Elements its document did not carry (incomplete, or late and incomplete)."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "rule_id": self.rule_id,
            "section": self.section,
            "name": {"zh": self.name.zh, "en": self.name.en},
            "owner": self.owner,
            "opened": self.opened,
            "due": self.due,
            "done": self.done,
            "status": self.status,
            "late_by_min": self.late_by_min,
            "detail": self.detail,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class RuleSummary:
    """The counts of one rule ID."""

    section: str
    met: int
    late: int
    missed: int
    cancelled: int
    open: int
    compliance_pct: float | None
    incomplete: int = 0

    def count(self, field: str) -> int:
        """One of the counts by name (``met``, ``incomplete``, ``late``, ``missed``, ``cancelled``, ``open``)."""
        if field not in {"met", "incomplete", "late", "missed", "cancelled", "open"}:
            raise KeyError(field)
        return int(getattr(self, field))


@dataclass(frozen=True)
class Decisions:
    """The judged decisions and how many were right."""

    judged: int
    correct: int
    correct_pct: float | None
    list: tuple[DecisionResult, ...]


@dataclass(frozen=True)
class LevelStep:
    """A change of response level."""

    t: float
    src: str
    dst: str
    by: str
    rule: str


@dataclass(frozen=True)
class WarningSpan:
    """A time the warning state was in force (``end`` None: still at the end of the run)."""

    start: float
    end: float | None


@dataclass(frozen=True)
class RunSummary:
    """The summary of one run (a batch run or a drill session)."""

    plan_id: str
    plan_version: str
    scenario: str
    seed: int
    horizon_min: float
    complaints: Complaints
    teams: dict[str, TeamSummary]
    answer_time_h: Stats
    obligations: tuple[DutySummary, ...]
    compliance_pct: float | None
    rules: dict[str, RuleSummary]
    decisions: Decisions
    levels: tuple[LevelStep, ...]
    warnings: tuple[WarningSpan, ...]

    def total(self, field: str) -> int:
        """A count summed over every rule."""
        return sum(r.count(field) for r in self.rules.values())

    def to_json(self) -> dict[str, Any]:
        """What ``summary.json`` holds."""
        d = self.decisions
        return {
            "plan": {"id": self.plan_id, "version": self.plan_version},
            "scenario": self.scenario,
            "seed": self.seed,
            "horizon_min": self.horizon_min,
            "complaints": vars(self.complaints).copy(),
            "teams": {name: t.to_json() for name, t in self.teams.items()},
            "answer_time_h": self.answer_time_h.to_json(),
            "obligations": [o.to_json() for o in self.obligations],
            "compliance_pct": self.compliance_pct,
            "rules": {rule: vars(r).copy() for rule, r in self.rules.items()},
            "decisions": {
                "judged": d.judged,
                "correct": d.correct,
                "correct_pct": d.correct_pct,
                "list": [
                    {
                        **{k: getattr(x, k) for k in ("t", "role", "actor", "action", "correct", "rule")},
                        **{"reason": x.why.en, "reason_code": x.why.code, "reason_args": dict(x.why.args)},
                    }
                    for x in d.list
                ],
            },
            "levels": [{"t": e.t, "from": e.src, "to": e.dst, "by": e.by, "rule": e.rule} for e in self.levels],
            "warnings": [vars(w).copy() for w in self.warnings],
        }


def summarize(log: EventLog, result: Score) -> RunSummary:
    """The summary of a run, from its log and its score."""
    c = columns(log.complaints)
    answered = c["outcome"] == ANSWERED
    hotline = ~np.isnan(c["hotline_start"])
    hourly = list(log.of(Hourly))
    waits = {
        "hotline": c["hotline_start"][hotline] - c["arrive"][hotline],
        "comms": (c["comms_start"] - c["queued"])[~np.isnan(c["comms_start"])],
    }
    teams: dict[str, TeamSummary] = {}
    for i, name in enumerate(log.meta.teams):
        busy = sum(h.busy[i] for h in hourly)
        available = sum(h.staff[i] * 60.0 for h in hourly)
        teams[name] = TeamSummary(
            staff_start=dict(log.meta.staff)[name],
            utilisation=round(busy / available, 4) if available else None,
            peak_backlog=max((h.backlog[i] for h in hourly), default=0),
            wait_min=Stats.of(waits[name]) if name in waits else None,
        )
    warnings: list[WarningSpan] = []
    for w in log.of(WarningChanged):
        if w.active:
            warnings.append(WarningSpan(w.t, None))
        elif warnings:
            warnings[-1] = WarningSpan(warnings[-1].start, w.t)
    return RunSummary(
        plan_id=log.meta.plan_id,
        plan_version=log.meta.plan_version,
        scenario=log.meta.scenario_id,
        seed=log.meta.seed,
        horizon_min=log.meta.horizon,
        complaints=Complaints(
            arrived=len(log.complaints),
            answered=int(answered.sum()),
            abandoned=int((c["outcome"] == ABANDONED).sum()),
            open=int((c["outcome"] == OPEN).sum()),
        ),
        teams=teams,
        answer_time_h=Stats.of((c["done"][answered] - c["arrive"][answered]) / 60.0),
        obligations=tuple(
            DutySummary(
                rule_id=d.rule,
                section=d.section,
                name=Text(zh=d.name_zh, en=d.name_en),
                owner=d.owner,
                opened=d.opened,
                due=d.due,
                done=d.done,
                status=d.status,
                late_by_min=round(d.late_by, 3),
                detail=d.detail,
                missing=d.missing,
            )
            for d in result.duties
        ),
        compliance_pct=_round(result.compliance_pct),
        rules={
            r.rule: RuleSummary(r.section, r.met, r.late, r.missed, r.cancelled, r.open, _round(r.compliance_pct), r.incomplete)
            for r in result.rules.values()
        },
        decisions=Decisions(
            judged=len(result.decisions),
            correct=sum(d.correct for d in result.decisions),
            correct_pct=_round(result.decision_pct),
            list=tuple(result.decisions),
        ),
        levels=tuple(LevelStep(e.t, e.src, e.dst, e.by, e.rule) for e in log.of(LevelChanged)),
        warnings=tuple(warnings),
    )


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)
