"""Plan checks on level changes and on how the warning state ends.

* ``TRANSITION-DIRECTION``: one rule is cited both for raising and for lowering the level
  between response levels — a rule that lists upgrades read as also allowing a downgrade.
* ``TRANSITION-DUPLICATE``: the same change listed twice.
* ``TRANSITION-MISSING``: a rise the level conditions can call for (the target level can be the
  one called for, the source is a lower state) that no transition allows, so neither the passive
  trigger nor a decision can make it.
* ``WARNING-ENDS-ON-RESPONSE``: a response start ends the warning (``ends_on_response_start``)
  although the plan gives lifting its own procedure — monitoring hours, lifting conditions — and
  duties that run until the warning ends.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import NO_LEVEL, Text
from .base import Context, Finding
from .space import Space


def check_transitions(ctx: Context, space: Space) -> Iterator[Finding]:
    """Contradicting, duplicated and missing level changes, and the warning's end."""
    yield from _directions(ctx)
    yield from _duplicates(ctx)
    yield from _missing(ctx, {c.implied for c in space.cells})
    yield from _warning_end(ctx)


def _directions(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    by_rule: dict[str, tuple[list[int], list[int]]] = {}
    for i, t in enumerate(plan.transitions):
        if NO_LEVEL in (t.from_, t.to):
            continue
        ups, downs = by_rule.setdefault(t.rule, ([], []))
        (ups if plan.rank(t.to) > plan.rank(t.from_) else downs).append(i)
    for rule, (ups, downs) in sorted(by_rule.items()):
        if not ups or not downs:
            continue
        up = ", ".join(f"{plan.transitions[i].from_}→{plan.transitions[i].to}" for i in ups)
        down = ", ".join(f"{plan.transitions[i].from_}→{plan.transitions[i].to}" for i in downs)
        yield Finding(
            "TRANSITION-DIRECTION",
            (rule,),
            ctx.lines([("transitions", i) for i in downs + ups]),
            Text(
                zh=f"{rule} 被同时用于升级({up})和降级({down}):该条只列出升级,降级缺乏依据。",
                en=f"{rule} is cited for raising the level ({up}) and for lowering it ({down}): "
                "a rule that lists upgrades does not settle a downgrade.",
            ),
        )


def _duplicates(ctx: Context) -> Iterator[Finding]:
    seen: dict[tuple[str, str], int] = {}
    for i, t in enumerate(ctx.plan.transitions):
        first = seen.setdefault((t.from_, t.to), i)
        if first != i:
            rules = tuple(dict.fromkeys((ctx.plan.transitions[first].rule, t.rule)))
            yield Finding(
                "TRANSITION-DUPLICATE",
                rules,
                ctx.lines([("transitions", first), ("transitions", i)]),
                Text(
                    zh=f"级别变更 {t.from_}→{t.to} 被重复列出。",
                    en=f"The change {t.from_}→{t.to} is listed twice.",
                ),
            )


def _missing(ctx: Context, called: set[str]) -> Iterator[Finding]:
    plan = ctx.plan
    states = [NO_LEVEL, *(lv.id for lv in sorted(plan.levels, key=lambda lv: lv.rank))]
    for src in states:
        for dst in states[1:]:
            if dst not in called or plan.rank(dst) <= plan.rank(src) or plan.allows(src, dst) is not None:
                continue
            yield Finding(
                "TRANSITION-MISSING",
                (plan.level(dst).rule,),
                ctx.lines([("transitions",), ("levels", plan.levels.index(plan.level(dst)), "when")]),
                Text(
                    zh=f"条件可要求从 {src} 升至 {dst},但没有任何级别变更规则允许。",
                    en=f"The conditions can call for {dst} while {src} is in force, but no transition allows {src}→{dst}.",
                ),
            )


def _warning_end(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    w = plan.warning
    duties = sorted({ob.rule for ob in plan.obligations if ob.until == "warning_end"})
    if not w.ends_on_response_start or (w.lift_after_h <= 0 and not duties):
        return
    cancelled = ", ".join(duties) or "none"
    yield Finding(
        "WARNING-ENDS-ON-RESPONSE",
        tuple(dict.fromkeys((w.rule, w.lift_rule, *duties))),
        ctx.lines([("warning", "ends_on_response_start")]),
        Text(
            zh=f"响应启动即结束预警,绕过 {w.lift_rule} 的解除程序({w.lift_after_h:g} 小时监测与解除条件),"
            f"并取消持续至预警结束的工作:{cancelled}。",
            en=f"A response start ends the warning, bypassing {w.lift_rule}'s lifting ({w.lift_after_h:g} h of monitoring "
            f"and the lifting conditions) and cancelling the duties that run until the warning ends: {cancelled}.",
        ),
    )
