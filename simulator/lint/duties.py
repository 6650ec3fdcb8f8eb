"""Plan checks on timed duties: deadlines against chains of steps, cadences and durations.

* ``CHAIN-DEADLINE``: the quickest action that meets a duty takes longer (its steps' nominal
  minutes added up) than the duty allows, at some level, or than its own repeat period.
* ``DEADLINE-CONFLICT``: a duty allows so long for one step of an action that another duty
  opened by the same trigger, which needs the whole action, cannot be met: the allowance plus
  the remaining steps exceeds the other deadline.
* ``CADENCE-CONFLICT``: two recurring duties met by the same action repeat at different periods
  for some level.
* ``DURATION-CONFLICT``: two deadlines for the same one-off duty (same action, same trigger,
  same level), and the warning's observation period against the hours before lifting is judged.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import MINUTES_PER_DAY, Lang, MetByAction, Obligation, Plan, Text, Trigger, list_separator
from .base import Context, Finding

ALL = "*"
"""Stands for every level in the per-level deadline tables below."""


def check_duties(ctx: Context) -> Iterator[Finding]:
    """Deadline, cadence and duration problems."""
    yield from _chains(ctx)
    yield from _allowances(ctx)
    yield from _cadences(ctx)
    yield from _durations(ctx)


def _steps(plan: Plan, action: str, upto: str | None) -> list[tuple[str, float]]:
    """(team, minutes) of the action's steps, up to and including the first by team ``upto``."""
    out = []
    for step in plan.actions[action].steps:
        out.append((step.team, step.minutes))
        if step.team == upto:
            break
    return out


def _quickest(plan: Plan, met_by: MetByAction) -> tuple[str, float]:
    """The action meeting the duty soonest and its chain's nominal minutes."""
    return min(((a, sum(m for _, m in _steps(plan, a, met_by.step))) for a in met_by.action), key=lambda p: p[1])


def _dues(plan: Plan, ob: Obligation) -> dict[str, float]:
    """Minutes allowed by level (``ALL`` when the same at every level)."""
    if ob.due_by_level is not None:
        return {lv: plan.minutes(v) for lv, v in ob.due_by_level.items()}
    if ob.due_min is not None:
        return {ALL: plan.minutes(ob.due_min)}
    return {}


def _due_loc(ob: Obligation, i: int, level: str) -> tuple[str | int, ...]:
    return ("obligations", i, "due_by_level", level) if level != ALL else ("obligations", i, "due_min")


def _chain_words(plan: Plan, action: str, upto: str | None, lang: Lang) -> str:
    return " → ".join(f"{_team(plan, team, lang)} {m:g}" for team, m in _steps(plan, action, upto))


def _team(plan: Plan, team: str, lang: Lang) -> str:
    """A team as a person reads it: its name in the plan."""
    return plan.teams[team].name(lang) if team in plan.teams else team


def _actions(plan: Plan, actions: list[str], lang: Lang) -> str:
    """Actions as a person reads them: their names in the plan."""
    return list_separator(lang).join(plan.actions[a].name(lang) if a in plan.actions else a for a in actions)


def _chains(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    for i, ob in enumerate(plan.obligations):
        if not isinstance(ob.met_by, MetByAction):
            continue
        action, need = _quickest(plan, ob.met_by)
        limits = dict(_dues(plan, ob))
        if ob.every_min is not None:
            limits["every"] = ob.every_min
        for level, allowed in limits.items():
            if need <= allowed:
                continue
            loc = ("obligations", i, "every_min") if level == "every" else _due_loc(ob, i, level)
            at = " per period" if level == "every" else "" if level == ALL else f" at {level}"
            at_zh = "(每周期)" if level == "every" else "" if level == ALL else f"({level})"
            steps_zh, steps_en = (_chain_words(plan, action, ob.met_by.step, lang) for lang in ("zh", "en"))
            act_zh, act_en = _actions(plan, [action], "zh"), _actions(plan, [action], "en")
            yield Finding(
                "CHAIN-DEADLINE",
                (ob.rule,),
                ctx.lines([loc, ("actions", action, "steps")]),
                Text(
                    zh=f"{ob.rule}{at_zh} 要求 {allowed:g} 分钟内完成,但最快的“{act_zh}”按步骤需 {need:g} 分钟({steps_zh})。",
                    en=f"{ob.rule}{at} allows {allowed:g} min, but its quickest action, {act_en}, "
                    f"takes {need:g} min ({steps_en}).",
                ),
            )


def _coincide(a: Trigger, b: Trigger) -> bool:
    """Whether two triggers can fire at the same moment."""
    if {a.on, b.on} == {"response_start", "level_entered"}:
        return True
    return a.on == b.on and a.inject == b.inject and a.task == b.task and a.when == b.when


def _levels(plan: Plan, ob: Obligation) -> set[str]:
    return set(ob.trigger.levels) if ob.trigger.levels is not None else {lv.id for lv in plan.levels}


def _at(plan: Plan, ob: Obligation, level: str) -> float | None:
    dues = _dues(plan, ob)
    return dues.get(ALL, dues.get(level))


@dataclass(frozen=True)
class _Pair:
    """Two duties (at indices i and j) met by actions they share, for levels they share."""

    i: int
    a: Obligation
    ma: MetByAction
    j: int
    b: Obligation
    mb: MetByAction
    shared: set[str]
    levels: set[str]


def _pairs(plan: Plan) -> Iterator[_Pair]:
    """Ordered pairs of action-met duties sharing an action and a level."""
    obs = [(i, ob, ob.met_by) for i, ob in enumerate(plan.obligations) if isinstance(ob.met_by, MetByAction)]
    for (i, a, ma), (j, b, mb) in itertools.permutations(obs, 2):
        shared = set(ma.action) & set(mb.action)
        levels = _levels(plan, a) & _levels(plan, b)
        if shared and levels:
            yield _Pair(i, a, ma, j, b, mb, shared, levels)


def _allowances(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    for p in _pairs(plan):
        i, a, j, b, step = p.i, p.a, p.j, p.b, p.ma.step
        if step is None or p.mb.step is not None or not _coincide(a.trigger, b.trigger):
            continue
        for action in sorted(p.shared):
            part = sum(m for _, m in _steps(plan, action, step))
            rest = sum(s.minutes for s in plan.actions[action].steps) - part
            over = []
            for level in sorted(p.levels):
                allowed, whole = _at(plan, a, level), _at(plan, b, level)
                if allowed is not None and whole is not None and allowed + rest > whole:
                    over.append((level, whole))
            if not over:
                continue
            if b.due_by_level is None:
                levels_en, levels_zh = f"{over[0][1]:g} min", f"{over[0][1]:g} 分钟"
            else:
                levels_en = ", ".join(f"{whole:g} min at {lv}" for lv, whole in over)
                levels_zh = "、".join(f"{whole:g} 分钟({lv})" for lv, whole in over)
            locs = [("obligations", i, "due_min"), *[_due_loc(b, j, lv if b.due_by_level else ALL) for lv, _ in over]]
            yield Finding(
                "DEADLINE-CONFLICT",
                (a.rule, b.rule),
                ctx.lines(locs),
                Text(
                    zh=f"{a.rule} 允许“{_actions(plan, [action], 'zh')}”中{_team(plan, step, 'zh')}的步骤用时 "
                    f"{_at(plan, a, over[0][0]):g} 分钟,其后步骤还需 {rest:g} 分钟,"
                    f"但 {b.rule} 要求整个“{_actions(plan, [action], 'zh')}”在 {levels_zh}内完成。",
                    en=f"{a.rule} allows {_at(plan, a, over[0][0]):g} min for the {_team(plan, step, 'en')} step of "
                    f"{_actions(plan, [action], 'en')} and the steps after it take {rest:g} min more, but {b.rule} needs "
                    f"the whole {_actions(plan, [action], 'en')} within {levels_en}.",
                ),
            )


def _period(ob: Obligation) -> float | None:
    if ob.every_min is not None:
        return ob.every_min
    return MINUTES_PER_DAY if ob.at_hour is not None else None


def _period_loc(ob: Obligation, i: int) -> tuple[str | int, ...]:
    return ("obligations", i, "every_min" if ob.every_min is not None else "at_hour")


def _cadences(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    for p in _pairs(plan):
        i, a, j, b = p.i, p.a, p.j, p.b
        pa, pb = _period(a), _period(b)
        if i > j or pa is None or pb is None or pa == pb:
            continue
        lv = ", ".join(sorted(p.levels))
        act_zh, act_en = _actions(plan, sorted(p.shared), "zh"), _actions(plan, sorted(p.shared), "en")
        yield Finding(
            "CADENCE-CONFLICT",
            (a.rule, b.rule),
            ctx.lines([_period_loc(a, i), _period_loc(b, j)]),
            Text(
                zh=f"同一项工作({act_zh})有两种频次:{a.rule} 每 {pa:g} 分钟,{b.rule} 每 {pb:g} 分钟(级别 {lv})。",
                en=f"The same duty ({act_en}) repeats every {pa:g} min under {a.rule} and every {pb:g} min under {b.rule} "
                f"(levels {lv}).",
            ),
        )


def _durations(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    for p in _pairs(plan):
        i, a, j, b = p.i, p.a, p.j, p.b
        one_off = _period(a) is None and _period(b) is None and p.ma.step is None and p.mb.step is None
        if i > j or not one_off or not _coincide(a.trigger, b.trigger):
            continue
        dues = {lv: (_at(plan, a, lv), _at(plan, b, lv)) for lv in sorted(p.levels)}
        differ = [lv for lv, (x, y) in dues.items() if x is not None and y is not None and x != y]
        if differ:
            act_zh, act_en = _actions(plan, sorted(p.shared), "zh"), _actions(plan, sorted(p.shared), "en")
            yield Finding(
                "DURATION-CONFLICT",
                (a.rule, b.rule),
                ctx.lines([("obligations", i), ("obligations", j)]),
                Text(
                    zh=f"同一项工作({act_zh})在同一触发下有两个时限:{a.rule} 与 {b.rule}(级别 {', '.join(differ)})。",
                    en=f"The same duty ({act_en}) on the same trigger has two deadlines, under {a.rule} and {b.rule} "
                    f"(levels {', '.join(differ)}).",
                ),
            )
    w = plan.warning
    if w.observation_days * 24 != w.lift_after_h:
        yield Finding(
            "DURATION-CONFLICT",
            (w.rule, w.lift_rule),
            ctx.lines([("warning", "observation_days"), ("warning", "lift_after_h")]),
            Text(
                zh=f"预警观察期为 {w.observation_days:g} 天({w.rule}),"
                f"而解除评估在 {w.lift_after_h:g} 小时后进行({w.lift_rule})。",
                en=f"The warning's observation lasts {w.observation_days:g} days ({w.rule}), yet lifting is judged "
                f"after {w.lift_after_h:g} h ({w.lift_rule}).",
            ),
        )
