"""The appendices of an after-action report.

The full obligation table, the decision log, and the what-if runs on the same seed side by side.
"""

from __future__ import annotations

from simulator.record import ActionDone, DecisionMade, DecisionRejected, Reason

from .context import Ctx
from .i18n import STATUSES, fill, pick, staffing_text, text, tr
from .model import Block, Chart, Frag, Kind, Mark, Para, Section, Table, Val


def obligation_table(ctx: Ctx) -> Section:
    """Every obligation instance: rule, section, duty, owner, trigger, due, done, status, lateness."""
    lang = ctx.lang
    rows = []
    for i, o in enumerate(ctx.inp.summary.obligations):
        at = f"obligations.{i}"
        late: Frag = (ctx.s(f"{at}.late_by_min", "minutes"),) if o.status == "late" else ()
        done: Frag = (ctx.s(f"{at}.done", "clock"),) if o.done is not None else ("—",)
        status = Mark(pick(STATUSES[o.status], lang), f"status-{o.status}")
        missing: Frag = fill("ob.missing", lang, missing=ctx.names.elements(o.missing)) if o.missing else ()
        rows.append(
            (
                (Mark(o.rule_id, "rule"),),
                (o.section,),
                (o.name(lang),),
                (ctx.names.owner(o.owner),),
                (ctx.s(f"{at}.opened", "clock"),),
                (ctx.s(f"{at}.due", "clock"),),
                done,
                (status, *missing),
                late,
            )
        )
    head = tuple(tr(f"ob.{k}", lang) for k in ("rule", "section", "duty", "owner", "opened", "due", "done", "status", "late_by"))
    return Section("appendix-duties", tr("sec.app.duties", lang), (Table(head, tuple(rows), frozenset({8})),))


def decision_log(ctx: Ctx) -> Section:
    """Every decision that entered the decision port: who, when, what, and what became of it."""
    lang, log, plan = ctx.lang, ctx.inp.log, ctx.inp.plan
    done = {e.seq: e.t for e in log.of(ActionDone)}
    rejected = {e.seq: e for e in log.of(DecisionRejected)}
    judged = {d.seq: d for d in ctx.inp.score.decisions}
    rows = []
    for d in log.of(DecisionMade):
        params = ctx.sep.join(_param(ctx, k, v) for k, v in d.params)
        if d.contents:
            params = "; ".join(p for p in (params, ctx.names.elements(d.contents)) if p)
        if d.seq in rejected:
            r = rejected[d.seq]
            outcome = fill("dl.rejected", lang, rule=r.rule or "—", reason=Reason.rejected(r).say(lang, plan))
        elif d.seq in done:
            outcome = fill("dl.done", lang, time=Val(done[d.seq], f"log:done.{d.seq}", "clock"))
        else:
            outcome = (tr("dl.unfinished", lang),)
        verdict: Frag = ("—",)
        if d.seq in judged:
            j = judged[d.seq]
            verdict = (Mark(("✓ " if j.correct else "× ") + j.rule, "ok" if j.correct else "bad"),)
        action = ctx.names.action(d.action)
        rows.append(
            (
                (Val(d.t, f"log:decision.{d.seq}", "clock"),),
                (tr("dl.auto", lang) if d.actor == "auto" else d.actor,),
                (ctx.names.role(d.role),),
                (action,),
                (params,),
                outcome,
                verdict,
            )
        )
    if not rows:
        return Section("appendix-decisions", tr("sec.app.decisions", lang), (Para((tr("dl.none", lang),)),))
    head = tuple(tr(f"dl.{k}", lang) for k in ("time", "actor", "role", "action", "params", "outcome", "judged"))
    return Section("appendix-decisions", tr("sec.app.decisions", lang), (Table(head, tuple(rows)),))


def _param(ctx: Ctx, key: str, value: str) -> str:
    """A decision's parameter by the plan's names: a level, a team, a number of people."""
    if key == "level":
        return ctx.names.level(value)
    if key in ("src", "dst"):
        return text(f"dl.{key}", ctx.lang, team=ctx.names.team(value))
    return text("dl.n", ctx.lang, n=value) if key == "n" else f"{key}={value}"


WHATIF_ROWS: tuple[tuple[str, str, Kind], ...] = (
    ("kr.arrived", "complaints.arrived", "int"),
    ("kr.answered", "complaints.answered", "int"),
    ("kr.abandoned", "complaints.abandoned", "int"),
    ("kr.open", "complaints.open", "int"),
    ("kr.p50", "answer_time_h.p50", "hours"),
    ("kr.p90", "answer_time_h.p90", "hours"),
    ("kr.hotline_p90", "teams.hotline.wait_min.p90", "minutes"),
    ("kr.comms_p90", "teams.comms.wait_min.p90", "minutes"),
    ("kr.compliance", "compliance_pct", "pct"),
    ("kr.decisions", "decisions.correct_pct", "pct"),
    ("wi.first_level", "levels.0.to", "str"),
    ("wi.first_level_t", "levels.0.t", "clock"),
    ("wi.util", "teams.comms.utilisation", "share"),
    ("wi.backlog_comms", "teams.comms.peak_backlog", "int"),
    ("wi.backlog_hotline", "teams.hotline.peak_backlog", "int"),
)
"""The measures compared across runs: label key, summary path, kind."""


def whatif_section(ctx: Ctx) -> Section:
    """The run beside the auto-responder on the same seed (drills) and the what-if staffing runs."""
    lang = ctx.lang
    title = tr("sec.app.whatif", lang)
    if not ctx.variants:
        return Section("appendix-whatif", title, (Para((tr("wi.none", lang),)),))
    head = [tr("wi.metric", lang), tr("wi.base.drill" if ctx.inp.is_drill else "wi.base.run", lang)]
    staff_row: list[Frag] = [(tr("wi.staff", lang),), ("—",)]
    for v in ctx.variants:
        changes = staffing_text(v.changes, lang)
        head.append(tr("wi.auto", lang) if v.kind == "auto" else text("wi.whatif", lang, changes=changes))
        staff_row.append((changes or "—",))
    rows = [tuple(staff_row)]
    for key, path, kind in WHATIF_ROWS:
        cells: list[Frag] = [(tr(key, lang),), (ctx.s(path, kind),)]
        cells += [(ctx.v(k, path, kind),) for k in range(len(ctx.variants))]
        rows.append(tuple(cells))
    for field in ("met", "incomplete", "late", "missed"):
        label = f"an.{field}"
        cells = [(tr(label, lang),), (ctx.total(field),)]
        cells += [(ctx.total(field, k),) for k in range(len(ctx.variants))]
        rows.append(tuple(cells))
    numeric = frozenset(range(1, len(head)))
    blocks: list[Block] = [Table(tuple(head), tuple(rows), numeric), Chart("whatif", tr("cap.whatif", lang))]
    return Section("appendix-whatif", title, tuple(blocks))
