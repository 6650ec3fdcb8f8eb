"""The run summary: complaint counts, team load, answer times, duties and levels, from the log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..record import ABANDONED, ANSWERED, OPEN, EventLog, Hourly, LevelChanged, WarningChanged, columns

if TYPE_CHECKING:
    from .scoring import Score

PERCENTILES = (50, 90, 95, 99)


def _stats(values: np.ndarray) -> dict[str, float | None]:
    if values.size == 0:
        return {"n": 0, "mean": None, **{f"p{p}": None for p in PERCENTILES}, "max": None}
    q = np.percentile(values, PERCENTILES)
    return {
        "n": int(values.size),
        "mean": round(float(values.mean()), 3),
        **{f"p{p}": round(float(v), 3) for p, v in zip(PERCENTILES, q, strict=True)},
        "max": round(float(values.max()), 3),
    }


def summarize(log: EventLog, result: Score) -> dict[str, Any]:
    """A JSON-ready summary of a run."""
    c = columns(log.complaints)
    answered = c["outcome"] == ANSWERED
    hotline = ~np.isnan(c["hotline_start"])
    hourly = list(log.of(Hourly))
    waits = {
        "hotline": c["hotline_start"][hotline] - c["arrive"][hotline],
        "comms": (c["comms_start"] - c["queued"])[~np.isnan(c["comms_start"])],
    }
    teams: dict[str, Any] = {}
    for i, name in enumerate(log.meta.teams):
        busy = sum(h.busy[i] for h in hourly)
        available = sum(h.staff[i] * 60.0 for h in hourly)
        teams[name] = {
            "staff_start": dict(log.meta.staff)[name],
            "utilisation": round(busy / available, 4) if available else None,
            "peak_backlog": max((h.backlog[i] for h in hourly), default=0),
        }
        if name in waits:
            teams[name]["wait_min"] = _stats(waits[name])
    warnings: list[dict[str, float | None]] = []
    for w in log.of(WarningChanged):
        if w.active:
            warnings.append({"start": w.t, "end": None})
        elif warnings:
            warnings[-1]["end"] = w.t
    return {
        "plan": {"id": log.meta.plan_id, "version": log.meta.plan_version},
        "scenario": log.meta.scenario_id,
        "seed": log.meta.seed,
        "horizon_min": log.meta.horizon,
        "complaints": {
            "arrived": len(log.complaints),
            "answered": int(answered.sum()),
            "abandoned": int((c["outcome"] == ABANDONED).sum()),
            "open": int((c["outcome"] == OPEN).sum()),
        },
        "teams": teams,
        "answer_time_h": _stats((c["done"][answered] - c["arrive"][answered]) / 60.0),
        "obligations": [
            {
                "rule_id": d.rule,
                "section": d.section,
                "name": {"zh": d.name_zh, "en": d.name_en},
                "owner": d.owner,
                "opened": d.opened,
                "due": d.due,
                "done": d.done,
                "status": d.status,
                "late_by_min": round(d.late_by, 3),
                "detail": d.detail,
            }
            for d in result.duties
        ],
        "compliance_pct": _round(result.compliance_pct),
        "rules": {
            r.rule: {
                "section": r.section,
                "met": r.met,
                "late": r.late,
                "missed": r.missed,
                "cancelled": r.cancelled,
                "open": r.open,
                "compliance_pct": _round(r.compliance_pct),
            }
            for r in result.rules.values()
        },
        "decisions": {
            "judged": len(result.decisions),
            "correct": sum(d.correct for d in result.decisions),
            "correct_pct": _round(result.decision_pct),
            "list": [
                {
                    "t": d.t,
                    "role": d.role,
                    "actor": d.actor,
                    "action": d.action,
                    "correct": d.correct,
                    "rule": d.rule,
                    "reason": d.reason,
                    "reason_code": d.why.code,
                    "reason_args": dict(d.why.args),
                }
                for d in result.decisions
            ],
        },
        "levels": [{"t": e.t, "from": e.src, "to": e.dst, "by": e.by, "rule": e.rule} for e in log.of(LevelChanged)],
        "warnings": warnings,
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)
