"""Strengths, areas for improvement and the improvement plan of an after-action report.

An area for improvement is a rule with late or missed duties, or a kind of decision judged
incorrect; each cites the rule ID and the timings, and becomes one corrective action with an
owner team from the plan and a due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from simulator.model import MetByAction, MetByAnswered, MetByCallbacks, MetByTask, Obligation

from .capabilities import Capability
from .context import Ctx
from .i18n import chapter_name, fill, text, tr
from .model import Bullets, Frag, Item, Mark, Para, Section, Table

MAX_DETAILS = 5
"""Instances listed under an area; the rest are in Appendix A."""
DUE_DAYS = {True: 30, False: 60}
"""Days to complete a corrective action: high priority (missed, incorrect) before the next monthly drill."""


@dataclass(frozen=True)
class Area:
    """An area for improvement and the corrective action it calls for."""

    rule: str
    headline: Frag
    details: tuple[Frag, ...]
    action: str
    owner: str
    high: bool
    """Missed duties and incorrect decisions are high priority; late duties medium."""


def strengths(ctx: Ctx, caps: list[Capability]) -> Section:
    """Capabilities performed without challenges, rules met on time in every instance, all-correct decisions.

    In a drill, only what the trainees did: capabilities and rules that are theirs alone, their decisions.
    """
    lang, summary = ctx.lang, ctx.inp.summary
    items = [
        fill("st.capability", lang, name=chapter_name(c.chapter, lang))
        for c in caps
        if c.rating == "P" and all(ctx.ours(r) for r in c.rules)
    ]
    for rule, r in summary.rules.items():
        if r.met and not r.late and not r.missed and ctx.ours(rule):
            items.append(
                fill("st.rule", lang, rule=rule, section=r.section, names=ctx.duty_names(rule), met=ctx.s(f"rules.{rule}.met"))
            )
    if ctx.parts is not None:
        correct, judged = ctx.p("trainees", "correct"), ctx.p("trainees", "judged")
    else:
        correct, judged = ctx.s("decisions.correct"), ctx.s("decisions.judged")
    if judged.value and correct.value == judged.value:
        items.append(fill("st.decisions", lang, correct=correct, judged=judged))
    body = Bullets(tuple(Item(f) for f in items)) if items else Para((tr("st.none", lang),))
    return Section("strengths", tr("sec.strengths", lang), (body,))


def areas(ctx: Ctx) -> list[Area]:
    """The areas for improvement: rules with late or missed duties, then incorrect decisions."""
    return [*_duty_areas(ctx), *_decision_areas(ctx)]


def _duty_areas(ctx: Ctx) -> list[Area]:
    lang, inp = ctx.lang, ctx.inp
    obligations = inp.summary.obligations
    out = []
    for rule, r in inp.summary.rules.items():
        if (not r.late and not r.missed) or not ctx.ours(rule):
            continue
        bad = [i for i, o in enumerate(obligations) if o.rule_id == rule and o.status in ("late", "missed")]
        bad.sort(key=lambda i: (obligations[i].status != "missed", -obligations[i].late_by_min))
        details = [_instance(ctx, i) for i in bad[:MAX_DETAILS]]
        if len(bad) > MAX_DETAILS:
            details.append((tr("ai.more", lang),))
        headline = fill(
            "ai.rule",
            lang,
            rule=rule,
            section=r.section,
            names=ctx.duty_names(rule),
            late=ctx.s(f"rules.{rule}.late"),
            missed=ctx.s(f"rules.{rule}.missed"),
            met=ctx.s(f"rules.{rule}.met"),
        )
        worst = inp.obligation_of[inp.score.duties[bad[0]].oid]
        high = bool(r.missed)
        out.append(Area(rule, headline, tuple(details), _fix(ctx, worst, high), ctx.names.owner(worst.owner), high))
    return out


def _instance(ctx: Ctx, i: int) -> Frag:
    o = ctx.inp.summary.obligations[i]
    at = f"obligations.{i}"
    if o.status == "late":
        return fill(
            "ai.late",
            ctx.lang,
            due=ctx.s(f"{at}.due", "clock"),
            done=ctx.s(f"{at}.done", "clock"),
            late=ctx.s(f"{at}.late_by_min", "minutes"),
        )
    frag = fill("ai.missed", ctx.lang, due=ctx.s(f"{at}.due", "clock"), opened=ctx.s(f"{at}.opened", "clock"))
    return frag + fill("ai.detail", ctx.lang, detail=ctx.s(f"{at}.detail", "str")) if o.detail else frag


def _fix(ctx: Ctx, ob: Obligation, missed: bool) -> str:
    """The corrective action for a duty that was late (or, with ``missed``, left undone)."""
    lang, plan = ctx.lang, ctx.inp.plan
    met_by = ob.met_by
    if isinstance(met_by, MetByAction):
        action = plan.actions[met_by.action[0]]
        if missed:
            return text("fix.missed", lang, action=action.name(lang), owner=ctx.names.owner(ob.owner))
        if action.steps:
            chain = " → ".join(f"{s.name(lang)}" for s in action.steps)
            return text("fix.late", lang, action=action.name(lang), chain=chain)
        return text("fix.late_nosteps", lang, action=action.name(lang))
    if isinstance(met_by, MetByTask):
        task = plan.tasks[met_by.task]
        return text("fix.task", lang, team=ctx.names.owner(task.team), task=task.name(lang))
    if isinstance(met_by, MetByCallbacks):
        return text("fix.callbacks", lang, team=ctx.names.owner(ob.owner))
    assert isinstance(met_by, MetByAnswered)
    return text("fix.answered", lang, team=ctx.names.owner(ob.owner))


def _decision_areas(ctx: Ctx) -> list[Area]:
    lang, plan = ctx.lang, ctx.inp.plan
    groups: dict[tuple[str, str, str], list[int]] = {}
    for k, d in enumerate(ctx.inp.summary.decisions.list):
        if not d.correct and ctx.ours_actor(d.actor):
            groups.setdefault((d.rule, d.role, d.action), []).append(k)
    out = []
    for (rule, role, action), ks in groups.items():
        name = ctx.names.action(action)
        headline = fill("ai.decision", lang, rule=rule or "—", role=ctx.names.role(role), action=name)
        details = []
        for k in ks[:MAX_DETAILS]:
            listed = ctx.inp.summary.decisions.list[k]
            actor = listed.actor
            why = listed.why
            details.append(
                fill(
                    "ai.decision_at",
                    lang,
                    time=ctx.s(f"decisions.list.{k}.t", "clock"),
                    actor=tr("dl.auto", lang) if actor == "auto" else actor,
                    reason=why.say(lang, plan),
                )
            )
        if len(ks) > MAX_DETAILS:
            details.append((tr("ai.more", lang),))
        fix = text("fix.decision", lang, role=ctx.names.role(role), rule=rule or "—", action=name)
        out.append(Area(rule, headline, tuple(details), fix, ctx.names.role(role), True))
    return out


def improvements(ctx: Ctx, found: list[Area]) -> Section:
    """The areas for improvement, each with its instances and timings."""
    if not found:
        return Section("improvements", tr("sec.improvements", ctx.lang), (Para((tr("ai.none", ctx.lang),)),))
    items = tuple(Item(a.headline, a.details) for a in found)
    return Section("improvements", tr("sec.improvements", ctx.lang), (Bullets(items, numbered=True),))


def improvement_plan(ctx: Ctx, found: list[Area]) -> Section:
    """One corrective action per area: owner team from the plan, priority and due date."""
    lang = ctx.lang
    title = tr("sec.plan", lang)
    if not found:
        return Section("plan", title, (Para((tr("ip.none", lang),)),))
    head = tuple(tr(k, lang) for k in ("ip.area", "ip.action", "ip.owner", "ip.priority", "ip.due"))
    rows = []
    for a in found:
        due = ctx.inp.written + timedelta(days=DUE_DAYS[a.high])
        priority = Mark(tr("ip.high" if a.high else "ip.medium", lang), "priority-high" if a.high else "priority-medium")
        rows.append(((Mark(a.rule or "—", "rule"),), (a.action,), (a.owner,), (priority,), (Mark(due.isoformat(), "date"),)))
    return Section("plan", title, (Table(head, tuple(rows)), Para((tr("ip.note", lang),))))
