"""Plan checks on words: terms with no number, and growth thresholds that read two ways.

* ``UNDEFINED-TERM``: a deadline written as "immediately", which the plan's text gives no number
  of minutes; the plan file had to choose one (``choices.immediately_min``).
* ``THRESHOLD-READING``: a growth threshold of 100% or more. "500% over the daily average" is
  growth of 500% (6× the baseline) or 500% of it (5×); below 100% only the first reading makes
  sense. Where the threshold sits in the top level's conditions, the plan file's choice
  (``choices.l1_growth_reading``) is cited too. A growth indicator is a number indicator whose key
  or English name says "growth" and that is a percentage (``_pct`` or "%").
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Indicator, Names, Text
from .base import Context, Finding, LocatedAtom

IMMEDIATELY = "immediately"
READING_FROM = 100.0
"""Growth thresholds from this percentage up read two ways."""


def check_terms(ctx: Context) -> Iterator[Finding]:
    """Undefined terms and thresholds that read two ways."""
    yield from _immediately(ctx)
    yield from _readings(ctx)


def _immediately(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    choice = ("choices", "immediately_min")
    minutes = f"{plan.choices.immediately_min:g}"
    for i, ob in enumerate(plan.obligations):
        uses: list[tuple[tuple[str | int, ...], str]] = []
        if ob.due_min == IMMEDIATELY:
            uses.append((("obligations", i, "due_min"), ""))
        for level, due in (ob.due_by_level or {}).items():
            if due == IMMEDIATELY:
                uses.append((("obligations", i, "due_by_level", level), level))
        for loc, level in uses:
            at = f" at {level}" if level else ""
            at_zh = f"({level})" if level else ""
            yield Finding(
                "UNDEFINED-TERM",
                (ob.rule,),
                ctx.lines([loc, choice]),
                Text(
                    zh=f"{ob.rule}{at_zh} 的时限为“立即”,预案未规定分钟数;"
                    f"预案文件自行选定 {minutes} 分钟(choices.immediately_min)。",
                    en=f"{ob.rule}{at} is due 'immediately', which the plan gives no number of minutes; "
                    f"the plan file chose {minutes} min (choices.immediately_min).",
                ),
            )


def is_growth_pct(name: str, ind: Indicator) -> bool:
    """Whether an indicator is a growth percentage (whose large thresholds read two ways)."""
    words = f"{name} {ind.name.en}".lower()
    return ind.kind == "number" and "growth" in words and ("pct" in name or "%" in ind.name.en)


def _readings(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    groups: dict[tuple[str, float], list[LocatedAtom]] = {}
    for a in ctx.atoms():
        ind = plan.indicators[a.atom.indicator]
        operand = a.atom.operand
        if a.atom.op in ("in", "eq", "ne") or not is_growth_pct(a.atom.indicator, ind):
            continue
        if float(operand) >= READING_FROM:
            groups.setdefault((a.atom.indicator, float(operand)), []).append(a)
    top = max(plan.levels, key=lambda lv: lv.rank)
    for (name, x), atoms in sorted(groups.items()):
        locs = [a.loc for a in atoms]
        chosen = any(a.part == f"level:{top.id}" for a in atoms)
        if chosen:
            locs.append(("choices", "l1_growth_reading"))
            reading = plan.choices.l1_growth_reading
            note_en = f" For {top.id} the plan file chose '{reading}' (choices.l1_growth_reading)."
            note_zh = f"{top.id} 的读法由预案文件选定为“{reading}”(choices.l1_growth_reading)。"
        else:
            note_en = " No reading is chosen for it; the file compares growth over the reference."
            note_zh = "预案文件未对此作出选择,按“超出基数的增长”比较。"
        over, times = 1 + x / 100, x / 100
        yield Finding(
            "THRESHOLD-READING",
            tuple(sorted({a.rule for a in atoms if a.rule})),
            ctx.lines(locs),
            Text(
                zh=f"{Names(plan, 'zh').indicator(name)}的阈值 {x:g}% 有两种读法:比对比基数增长 {x:g}%(即 {over:g} 倍)"
                f"或为对比基数的 {x:g}%(即 {times:g} 倍)。{note_zh}",
                en=f"The {Names(plan, 'en').indicator(name)} threshold {x:g}% reads two ways: growth of {x:g}% over what it "
                f"is compared with ({over:g}×) or {x:g}% of it ({times:g}×).{note_en}",
            ),
        )
