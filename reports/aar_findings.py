"""Strengths, areas for improvement and the improvement plan of an after-action report.

An area for improvement is one kind of failure of one rule — duties missed, done late, or done
with a document that left out elements the plan requires (a late duty may be incomplete too, and
then is an area of each kind) — or a kind of decision judged incorrect. Each cites the rule ID
and the timings, quotes what the documents said and names what they left out, and becomes one
corrective action fitted to the failure: the trigger and its owner for a missed duty, the lead
time for a late one, a checklist of the missing elements for an incomplete one, the verdict's own
conditions for a decision; with an owner team from the plan and a due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from simulator.model import MetByAction, MetByAnswered, MetByCallbacks, MetByTask, Obligation
from simulator.record import DecisionMade
from simulator.score import DutyResult

from .capabilities import Capability
from .context import Ctx
from .i18n import chapter_name, fill, text, tr
from .model import Bullets, Frag, Item, Mark, Para, Section, Table

MAX_DETAILS = 5
"""Instances listed under an area; the rest are in Appendix A."""
DUE_DAYS = {True: 30, False: 60}
"""Days to complete a corrective action: high priority (missed, incorrect) before the next monthly drill."""
QUOTE_CHARS = 120
"""The longest quotation of a document's text."""

Failure = Literal["missed", "late", "incomplete", "decision"]


@dataclass(frozen=True)
class Area:
    """An area for improvement and the corrective action it calls for."""

    rule: str
    headline: Frag
    details: tuple[Frag, ...]
    action: str
    owner: str
    high: bool
    """Missed duties and incorrect decisions are high priority; late and incomplete duties medium."""
    kind: Failure = "decision"


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
        if r.met and not r.incomplete and not r.late and not r.missed and ctx.ours(rule):
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
    """The areas for improvement: per rule its missed, late and incomplete duties, then incorrect decisions."""
    return [*_duty_areas(ctx), *_decision_areas(ctx)]


def failed(duty: DutyResult, kind: Failure) -> bool:
    """Whether a duty failed in this way (a late duty without every element failed in two)."""
    if kind == "incomplete":
        return duty.status in ("incomplete", "late") and bool(duty.missing)
    return duty.status == kind


def _duty_areas(ctx: Ctx) -> list[Area]:
    inp = ctx.inp
    duties = inp.score.duties
    out = []
    for rule in inp.summary.rules:
        if not ctx.ours(rule):
            continue
        for kind in ("missed", "late", "incomplete"):
            bad = [i for i, d in enumerate(duties) if d.rule == rule and failed(d, kind)]
            if bad:
                bad.sort(key=lambda i: -duties[i].late_by)
                out.append(_duty_area(ctx, rule, kind, bad))
    return out


def _duty_area(ctx: Ctx, rule: str, kind: Failure, bad: list[int]) -> Area:
    lang, inp = ctx.lang, ctx.inp
    r = inp.summary.rules[rule]
    details = [_instance(ctx, i, kind) for i in bad[:MAX_DETAILS]]
    if len(bad) > MAX_DETAILS:
        details.append((tr("ai.more", lang),))
    missing = dict.fromkeys(e for i in bad for e in inp.score.duties[i].missing)
    headline = fill(
        f"ai.rule_{kind}",
        lang,
        rule=rule,
        section=r.section,
        names=ctx.duty_names(rule),
        n=str(len(bad)),
        missing=ctx.names.elements(missing),
        met=ctx.s(f"rules.{rule}.met"),
    )
    worst = inp.score.duties[bad[0]]
    ob = inp.obligation_of[worst.oid]
    return Area(
        rule,
        headline,
        tuple(details),
        _fix(ctx, ob, kind, worst, tuple(missing)),
        ctx.names.owner(ob.owner),
        kind == "missed",
        kind,
    )


def _instance(ctx: Ctx, i: int, kind: Failure) -> Frag:
    o = ctx.inp.summary.obligations[i]
    at, lang = f"obligations.{i}", ctx.lang
    if kind == "incomplete":
        duty = ctx.inp.score.duties[i]
        frag = fill("ai.incomplete", lang, done=ctx.s(f"{at}.done", "clock"), missing=ctx.names.elements(duty.missing))
        return frag + fill("ai.quote", lang, text=_quote(ctx, duty.by_seq))
    if kind == "late":
        return fill(
            "ai.late",
            lang,
            due=ctx.s(f"{at}.due", "clock"),
            done=ctx.s(f"{at}.done", "clock"),
            late=ctx.s(f"{at}.late_by_min", "minutes"),
        )
    frag = fill("ai.missed", lang, due=ctx.s(f"{at}.due", "clock"), opened=ctx.s(f"{at}.opened", "clock"))
    return frag + fill("ai.detail", lang, detail=ctx.s(f"{at}.detail", "str")) if o.detail else frag


def _quote(ctx: Ctx, seq: int) -> str:
    """What the document that did the duty said, as its author wrote it (shortened), or that it had no text."""
    made = next((e for e in ctx.inp.log.of(DecisionMade) if e.seq == seq), None)
    text = dict(made.text) if made is not None else {}
    words = " — ".join(v for k, v in sorted(text.items(), key=lambda kv: kv[0] != "title") if v)
    if not words:
        return tr("ai.no_text", ctx.lang)
    return f"“{words[:QUOTE_CHARS]}{'…' if len(words) > QUOTE_CHARS else ''}”"


def _fix(ctx: Ctx, ob: Obligation, kind: Failure, worst: DutyResult, missing: tuple[str, ...]) -> str:
    """The corrective action for duties of ``ob`` that failed this way; ``worst`` is the latest of them."""
    lang, plan, names = ctx.lang, ctx.inp.plan, ctx.names
    met_by = ob.met_by
    if isinstance(met_by, MetByAction):
        action = plan.actions[met_by.action[0]]
        if kind == "incomplete":
            return text(
                "fix.incomplete", lang, action=action.name(lang), elements=names.elements(missing), owner=names.owner(ob.owner)
            )
        if kind == "missed":
            return text("fix.missed", lang, action=action.name(lang), owner=names.owner(ob.owner), trigger=_trigger(ctx, ob))
        late = text("dur.min", lang, m=f"{worst.late_by:.0f}")
        if action.steps:
            chain = " → ".join(f"{s.name(lang)}" for s in action.steps)
            return text("fix.late", lang, action=action.name(lang), chain=chain, late=late)
        return text("fix.late_nosteps", lang, action=action.name(lang), late=late)
    if isinstance(met_by, MetByTask):
        task = plan.tasks[met_by.task]
        return text("fix.task", lang, team=names.owner(task.team), task=task.name(lang))
    if isinstance(met_by, MetByCallbacks):
        return text("fix.callbacks", lang, team=names.owner(ob.owner))
    assert isinstance(met_by, MetByAnswered)
    return text("fix.answered", lang, team=names.owner(ob.owner))


def _trigger(ctx: Ctx, ob: Obligation) -> str:
    """What starts a duty's clock, in words."""
    trig, lang = ob.trigger, ctx.lang
    what = ctx.names.inject_kind(trig.inject) if trig.inject else ctx.names.task(trig.task) if trig.task else ""
    words = text(f"trig.{trig.on}", lang, what=what)
    if trig.levels:
        words += text("trig.levels", lang, levels=ctx.sep.join(ctx.names.level(lv) for lv in trig.levels))
    return words


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
        first = ctx.inp.summary.decisions.list[ks[0]].why
        fix = text("fix.decision", lang, role=ctx.names.role(role), rule=rule or "—", action=name, why=first.say(lang, plan))
        if first.code == "announced":
            args = dict(first.args)
            expected = ctx.names.elements(args["expected"].split(","))
            fix = text(
                "fix.channels",
                lang,
                role=ctx.names.role(role),
                rule=rule,
                level=ctx.names.level(args["level"]),
                expected=expected,
            )
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
