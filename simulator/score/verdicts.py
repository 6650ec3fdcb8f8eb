"""Judged decisions: each compared with what the plan called for at its moment, saying why.

A verdict names the conditions behind it with the indicator values of that moment — those that
held and those that did not (``growth_pct 221 > 200``, ``spread_risk = false``) — as reason
arguments (see :func:`simulator.record.conditions_arg`), so every reader says it in its language.
An announcement is judged by its channels against the plan's ``channels`` rule (ACTIVATE-3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model import MINUTES_PER_HOUR, NO_LEVEL, WARNING, AllOf, AnyOf, Atom, Plan, Value, atoms, holds
from ..record import (
    DecisionMade,
    DecisionRejected,
    Event,
    EventLog,
    ImpliedLevel,
    IndicatorChanged,
    LevelChanged,
    Reason,
    WarningChanged,
    conditions_arg,
)

Ordinals = Mapping[str, tuple[str, ...]]


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
class _Moment:
    """What the log says held when a decision was taken."""

    values: dict[str, Value]
    implied: str = NO_LEVEL
    level: str = NO_LEVEL
    warning_since: float | None = None


class Judge:
    """Judges decisions as the log's records come, in order: what the plan called for at each one's moment."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._now = _Moment({k: v.initial for k, v in plan.indicators.items()})

    def see(self, e: Event, rejected: DecisionRejected | None = None) -> DecisionResult | None:
        """Take in the next record; for a decision the plan judges, its verdict (``rejected``: its rejection)."""
        now = self._now
        if isinstance(e, IndicatorChanged):
            now.values[e.name] = e.value
        elif isinstance(e, ImpliedLevel):
            now.implied = e.level
        elif isinstance(e, LevelChanged):
            now.level = e.dst
        elif isinstance(e, WarningChanged):
            now.warning_since = e.t if e.active else None
        elif isinstance(e, DecisionMade):
            judged = _judge(e, self.plan, now, rejected)
            if judged is not None:
                return DecisionResult(e.seq, e.t, e.role, e.actor, e.action, *judged)
        return None


def verdicts(log: EventLog, plan: Plan) -> list[DecisionResult]:
    """Every decision the plan judges, in the order taken."""
    judge = Judge(plan)
    rejected = {e.seq: e for e in log.of(DecisionRejected)}
    out = []
    for e in log.events:
        verdict = judge.see(e, rejected.get(e.seq) if isinstance(e, DecisionMade) else None)
        if verdict is not None:
            out.append(verdict)
    return out


def _judge(e: DecisionMade, plan: Plan, now: _Moment, rejected: DecisionRejected | None) -> tuple[bool, str, Reason] | None:
    """(correct, rule, reason) for decisions the plan judges; None for the rest."""
    if rejected is not None:
        return False, rejected.rule, Reason.rejected(rejected)
    ordinals = plan.ordinals()
    params = dict(e.params)
    if e.action == "declare_level":
        level = params.get("level", "")
        args = (("level", level), ("implied", now.implied), *_held(plan.level(level).when, now.values, ordinals))
        return now.implied == level, plan.level(level).rule, Reason("declared", args + _called(plan, now, level, ordinals))
    if e.action == "issue_warning":
        args = (("implied", now.implied), *_held(plan.warning.enter_when, now.values, ordinals))
        return now.implied == WARNING, plan.warning.rule, Reason("warning_started", args + _called(plan, now, WARNING, ordinals))
    if e.action == "lift_warning":
        w = plan.warning
        aged = now.warning_since is not None and e.t - now.warning_since >= w.lift_after_h * MINUTES_PER_HOUR
        held = _held(w.lift_when, now.values, ordinals)
        ok = aged and holds(w.lift_when, now.values, ordinals)
        reason = Reason("lift_held", held) if ok else Reason("lift_not_yet", (("hours", f"{w.lift_after_h:g}"), *held))
        return ok, w.lift_rule, reason
    if e.action == "stand_down":
        sd = plan.stand_down
        ok = holds(sd.when, now.values, ordinals)
        return ok, sd.rules[0], Reason("stand_down_held" if ok else "stand_down_not", _held(sd.when, now.values, ordinals))
    channels = plan.actions[e.action].channels if e.action in plan.actions else None
    if channels is not None and now.level in channels.by_level:
        return _announced(e.contents, now.level, channels.by_level[now.level], channels.rule)
    return None


def _held(cond: Atom | AnyOf | AllOf, values: Mapping[str, Value], ordinals: Ordinals) -> tuple[tuple[str, str], ...]:
    """The ``held`` and ``failed`` arguments: the condition's comparisons with the values they met."""
    parts = [(a, values[a.indicator], holds(a, values, ordinals)) for a in atoms(cond)]
    return (
        ("held", conditions_arg([(a, v) for a, v, ok in parts if ok])),
        ("failed", conditions_arg([(a, v) for a, v, ok in parts if not ok])),
    )


def _called(plan: Plan, now: _Moment, decided: str, ordinals: Ordinals) -> tuple[tuple[str, str], ...]:
    """The ``called`` argument: what held of the condition of the state the plan called for, when it is another."""
    if now.implied in (decided, NO_LEVEL):
        return ()
    cond = plan.warning.enter_when if now.implied == WARNING else plan.level(now.implied).when
    return (("called", conditions_arg([(a, now.values[a.indicator]) for a in atoms(cond) if holds(a, now.values, ordinals)])),)


def _announced(given: tuple[str, ...], level: str, expected: list[str], rule: str) -> tuple[bool, str, Reason]:
    """An announcement on exactly the channels the plan gives the level in force is right."""
    wrong = [c for c in given if c not in expected]
    missing = [c for c in expected if c not in given]
    args = (
        ("level", level),
        ("channels", ",".join(given)),
        ("expected", ",".join(expected)),
        ("wrong", ",".join(wrong)),
        ("missing", ",".join(missing)),
    )
    return not wrong and not missing, rule, Reason("announced", args)
