"""Consequences: the drill's outcomes beside the auto-responder's on the same seed, and the decisions behind them.

The comparison and its rules — when a difference is large, how a decision is tied to it — are
:mod:`simulator.drill.consequences`; this module lays them out, every number with its source
(``summary:PATH`` or ``heat:peak`` of the drill, ``variant:0/...`` of the auto-responder's run).
"""

from __future__ import annotations

from typing import cast

from simulator.drill import LATER_MIN, RELATIVE, ActionUse, Difference, Disclosure, Moved, Side, differences

from .aar_findings import Area
from .context import Ctx
from .i18n import fill, text, tr
from .model import Frag, Kind, Para, Section, Table, Val, clock


def _src(path: str) -> str:
    return path if path == "heat:peak" else f"summary:{path}"


def _who(ctx: Ctx, role: str) -> str:
    split = ctx.parts
    holder = split.holders.get(role) if split is not None else None
    return holder if holder is not None else tr("dl.auto", ctx.lang)


def _use(ctx: Ctx, u: ActionUse) -> Frag:
    lang, names = ctx.lang, ctx.names
    action, role = names.action(u.action), names.role(u.role)
    auto = Val(u.auto[0], f"variant:0/log:done.{u.auto[2]}", "clock") if u.auto else None
    drill = Val(u.drill[0], f"log:done.{u.drill[2]}", "clock") if u.drill else None
    who = u.drill[1] if u.drill else _who(ctx, u.role)
    if u.how == "never":
        assert auto is not None
        return fill("cq.never", lang, action=action, role=role, who=who, auto=auto)
    if u.how == "only_drill":
        assert drill is not None
        return fill("cq.only_drill", lang, action=action, role=role, who=who, drill=drill)
    assert drill is not None and auto is not None
    return fill(f"cq.{u.how}", lang, action=action, role=role, who=who, drill=drill, auto=auto)


def _moved(ctx: Ctx, m: Moved) -> Frag:
    return fill(
        "cq.moved",
        ctx.lang,
        who=m.actor,
        time=Val(m.t, f"log:decision.{m.seq}", "clock"),
        n=str(m.n),
        src=ctx.names.team(m.src),
        dst=ctx.names.team(m.dst),
    )


def _disclosure(ctx: Ctx, d: Disclosure) -> Frag:
    at = f"rules.{d.rule}"
    return fill(
        "cq.disclosure",
        ctx.lang,
        rule=d.rule,
        name=d.name[ctx.lang == "en"],
        role=ctx.names.role(d.role) if d.role is not None else "—",
        who=_who(ctx, d.role) if d.role is not None else "—",
        late=ctx.s(f"{at}.late"),
        missed=ctx.s(f"{at}.missed"),
        alate=ctx.v(0, f"{at}.late"),
        amissed=ctx.v(0, f"{at}.missed"),
    )


def _causes(ctx: Ctx, diff: Difference) -> Frag:
    frags = [
        _use(ctx, c) if isinstance(c, ActionUse) else _moved(ctx, c) if isinstance(c, Moved) else _disclosure(ctx, c)
        for c in diff.causes
    ]
    return ctx.joined(frags, ";" if ctx.lang == "zh" else "; ") if frags else (tr("cq.no_cause", ctx.lang),)


def compared(ctx: Ctx) -> bool:
    """Whether the report has the auto-responder's run on the same seed to compare with (drills)."""
    return any(v.kind == "auto" for v in ctx.variants)


def _differences(ctx: Ctx) -> list[Difference]:
    """The large differences; the auto-responder's run is the first comparison run (:func:`reports.inputs.variants`)."""
    inp, auto = ctx.inp, ctx.variants[0].result
    return differences(Side(inp.log, inp.score, inp.summary), Side(auto.log, auto.score, auto.summary), inp.plan, inp.scenario)


def _outcome(ctx: Ctx, d: Difference) -> Frag:
    kind = cast(Kind, d.outcome.kind)
    path = d.outcome.path
    return fill(
        "ca.outcome",
        ctx.lang,
        label=tr(f"cq.o.{d.outcome.key}", ctx.lang),
        drill=Val(d.drill, _src(path), kind),
        auto=Val(d.auto, f"variant:0/{_src(path)}", kind),
    )


def consequence_areas(ctx: Ctx) -> list[Area]:
    """An area for improvement per action the drill left undone, or did late, behind outcomes worse than the auto-responder's.

    Disclosure duties are left out here: a late or missed duty is already an area of its own rule.
    """
    if not compared(ctx):
        return []
    lang = ctx.lang
    behind: dict[str, tuple[ActionUse, list[Difference]]] = {}
    for d in _differences(ctx):
        for c in d.causes:
            if d.drill > d.auto and isinstance(c, ActionUse) and c.how in ("never", "later"):
                behind.setdefault(c.action, (c, []))[1].append(d)
    out = []
    for use, diffs in behind.values():
        action = ctx.names.action(use.action)
        headline = fill(f"ca.headline.{use.how}", lang, action=action, outcomes=ctx.joined([_outcome(ctx, d) for d in diffs]))
        assert use.auto is not None
        auto_at = clock(use.auto[0], lang)
        if use.drill is None:
            fix = text("ca.fix.never", lang, action=action, auto=auto_at, role=ctx.names.role(use.role))
        else:
            fix = text("ca.fix.later", lang, action=action, auto=auto_at, drill=clock(use.drill[0], lang))
        out.append(Area("", headline, (_use(ctx, use),), fix, ctx.names.role(use.role), True))
    return out


def consequences(ctx: Ctx) -> Section:
    """The large differences between the drill and the auto-responder on the same seed, each with its decisions."""
    lang = ctx.lang
    found = _differences(ctx)
    method = Para((text("cq.method", lang, pct=f"{100 * RELATIVE:g}", later=f"{LATER_MIN:g}"),))
    if not found:
        return Section("consequences", tr("sub.consequences", lang), (method, Para((tr("cq.none", lang),))))
    rows = []
    for d in found:
        kind = cast(Kind, d.outcome.kind)
        path = d.outcome.path
        rows.append(
            (
                (tr(f"cq.o.{d.outcome.key}", lang),),
                (Val(d.drill, _src(path), kind),),
                (Val(d.auto, f"variant:0/{_src(path)}", kind),),
                _causes(ctx, d),
            )
        )
    head = tuple(tr(f"cq.{k}", lang) for k in ("outcome", "drill", "auto", "causes"))
    return Section("consequences", tr("sub.consequences", lang), (method, Table(head, tuple(rows), frozenset({1, 2}))))
