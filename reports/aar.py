"""The after-action report, built as data in the sections of an HSEEP AAR / Improvement Plan.

Overview, objectives and capabilities, analysis per capability (rated P / S / M / U),
strengths, areas for improvement, the improvement plan, and appendices.

Numbers come from the run's summary (``simulator.score.summary.summarize``), totals over its rules,
or the event log, each named as a source in its :class:`~reports.model.Val`.
"""

from __future__ import annotations

from dataclasses import replace

from simulator.model import Lang
from simulator.record import InjectFired, injects_of

from .aar_appendix import decision_log, obligation_table, whatif_section
from .aar_consequences import compared, consequence_areas, consequences
from .aar_findings import areas, improvement_plan, improvements, strengths
from .aar_hotwash import hotwash_section
from .aar_trainees import headline, trainees_section
from .capabilities import FIELDS, Capability, capabilities
from .context import Ctx, rating_mark
from .evaluation import with_evaluation
from .i18n import RATINGS, chapter_name, fill, pick, text, tr
from .inputs import Inputs, Variant
from .model import Block, Bullets, Chart, Frag, Item, Mark, Para, Report, Section, Table, Val


def build_report(inp: Inputs, variants: list[Variant], lang: Lang) -> Report:
    """The whole report for a run or drill session in ``lang``."""
    ctx = Ctx(inp, variants, lang)
    caps = capabilities(inp.summary.rules)
    found = [*areas(ctx), *consequence_areas(ctx)]
    sections = [
        _overview(ctx),
        _objectives(ctx, caps),
        with_evaluation(_analysis(ctx, caps), ctx, caps),
        *_trainees_only(ctx, strengths(ctx, caps), improvements(ctx, found)),
        _with_hotwash(ctx, improvement_plan(ctx, found)),
        obligation_table(ctx),
        decision_log(ctx),
        whatif_section(ctx),
    ]
    plan, scenario = inp.plan, inp.scenario
    subtitle = text("subtitle", lang, scenario=scenario.title(lang), plan=plan.title(lang), version=plan.version)
    return Report(lang, tr("title", lang), subtitle, tuple(sections))


def _trainees_only(ctx: Ctx, *sections: Section) -> list[Section]:
    """In a drill, say under each of these sections that it covers what the trainees did."""
    if not ctx.inp.is_drill:
        return list(sections)
    note = Para((tr("tp.only", ctx.lang),))
    return [replace(s, blocks=(note, *s.blocks)) for s in sections]


def _with_hotwash(ctx: Ctx, section: Section) -> Section:
    """A drill's improvement plan, followed by its hot wash."""
    return replace(section, sub=(*section.sub, hotwash_section(ctx))) if ctx.inp.is_drill else section


def _participants(ctx: Ctx) -> Frag:
    info, lang = ctx.inp.info, ctx.lang
    if not ctx.inp.is_drill:
        return (tr("ov.auto_all", lang),)
    held: set[str] = set()
    people: list[Frag] = []
    for t in info.trainees:
        roles = [str(r) for r in t.get("roles", [])]
        held.update(roles)
        people.append(fill("ov.trainee", lang, name=str(t.get("name", "")), roles=ctx.sep.join(ctx.names.role(r) for r in roles)))
    rest = [ctx.names.role(r) for r in ctx.inp.plan.roles if r not in held]
    if rest:
        people.append(fill("ov.auto_rest", lang, roles=ctx.sep.join(rest)))
    return ctx.joined(people, ";" if lang == "zh" else "; ")


def _overview(ctx: Ctx) -> Section:
    inp, lang = ctx.inp, ctx.lang
    staff: list[Frag] = [(ctx.names.owner(team), " ", ctx.s(f"teams.{team}.staff_start")) for team in inp.summary.teams]
    rows: list[tuple[str, Frag]] = [
        ("ov.exercise", (f"{inp.scenario.title(lang)} ({inp.scenario.id})",)),
        ("ov.kind", (tr("kind.drill" if inp.is_drill else "kind.run", lang),)),
        ("ov.date", (Mark(inp.written.isoformat(), "date"),)),
        ("ov.period", (ctx.s("horizon_min", "days"),)),
        ("ov.plan", (f"{inp.plan.title(lang)} · {inp.plan.id} ", ctx.s("plan.version", "str"))),
        ("ov.seed", (ctx.s("seed", "plain"),)),
        ("ov.participants", _participants(ctx)),
        ("ov.staff", ctx.joined(staff)),
    ]
    table = Table((tr("ov.item", lang), tr("ov.value", lang)), tuple(((tr(k, lang),), v) for k, v in rows), keyed=True)
    msel_rows = []
    injects = injects_of(inp.log, inp.scenario)
    for e in inp.log.of(InjectFired):
        inject = injects[e.index]
        expected = ctx.sep.join(ctx.names.action(a) for a in inject.expected)
        msel_rows.append(
            (
                (Val(e.t, f"log:inject.{e.index}", "clock"),),
                (ctx.names.inject_kind(inject.kind),),
                (inject.text(lang),),
                (expected,),
            )
        )
    msel = Table(tuple(tr(k, lang) for k in ("msel.time", "msel.kind", "msel.text", "msel.expected")), tuple(msel_rows))
    sub = [Section("msel", tr("sub.msel", lang), (msel,))]
    blocks: list[Block] = [table, Para((inp.scenario.briefing(lang),))]
    if inp.is_drill:
        blocks.insert(0, headline(ctx))
        sub.insert(0, trainees_section(ctx))
    return Section("overview", tr("sec.overview", lang), tuple(blocks), tuple(sub))


def _objectives(ctx: Ctx, caps: list[Capability]) -> Section:
    inp, lang = ctx.inp, ctx.lang
    items: list[Frag] = []
    if inp.scenario.guide is not None:
        items.append(fill("obj.tests", lang, text=inp.scenario.guide.tests(lang)))
    if inp.scenario.expected_levels:
        items.append(
            fill("obj.path", lang, path=" → ".join(inp.plan.level(lv).name(lang) for lv in inp.scenario.expected_levels))
        )
    items.append(fill("obj.duties", lang))
    if inp.is_drill:
        items.append(fill("obj.trainees", lang, who=_participants(ctx)))
    rows = tuple(
        (
            (f"§{c.chapter}",),
            (chapter_name(c.chapter, lang),),
            (ctx.sep.join(c.rules),),
            (Val(c.counts["scored"], f"chapter:{c.chapter}.scored"),),
            (rating_mark(c.rating),),
        )
        for c in caps
    )
    head = tuple(tr(k, lang) for k in ("cap.chapter", "cap.name", "cap.rules", "cap.scored", "cap.rating"))
    return Section(
        "objectives", tr("sec.objectives", lang), (Bullets(tuple(Item(f) for f in items)), Table(head, rows, frozenset({3})))
    )


def _key_results(ctx: Ctx) -> Section:
    lang = ctx.lang
    s = ctx.s
    everyone = "_all" if ctx.inp.is_drill else ""  # a drill's figures here are everyone's: the trainees' lead the overview
    rows: list[tuple[str, Frag]] = [
        ("kr.arrived", (s("complaints.arrived"),)),
        ("kr.answered", (s("complaints.answered"),)),
        ("kr.abandoned", (s("complaints.abandoned"),)),
        ("kr.open", (s("complaints.open"),)),
        ("kr.p50", (s("answer_time_h.p50", "hours"),)),
        ("kr.p90", (s("answer_time_h.p90", "hours"),)),
        ("kr.p95", (s("answer_time_h.p95", "hours"),)),
        ("kr.hotline_p90", (s("teams.hotline.wait_min.p90", "minutes"),)),
        ("kr.comms_p90", (s("teams.comms.wait_min.p90", "minutes"),)),
        (f"kr.compliance{everyone}", (s("compliance_pct", "pct"),)),
        ("kr.duties", (ctx.total("met"), " / ", ctx.total("incomplete"), " / ", ctx.total("late"), " / ", ctx.total("missed"))),
        (
            f"kr.decisions{everyone}",
            (s("decisions.correct_pct", "pct"), " (", s("decisions.correct"), "/", s("decisions.judged"), ")"),
        ),
        ("kr.levels", _levels(ctx)),
        ("kr.warnings", _warnings(ctx)),
    ]
    table = Table((tr("kr.metric", lang), tr("kr.value", lang)), tuple(((tr(k, lang),), v) for k, v in rows), keyed=True)
    charts: list[Block] = [
        Chart("arrivals", tr("cap.arrivals", lang)),
        Chart("backlog", tr("cap.backlog", lang)),
        Chart("answers", tr("cap.answers", lang)),
        Chart("levels", tr("cap.levels", lang)),
        Chart("heat", tr("cap.heat", lang)),
    ]
    return Section("results", tr("sub.results", lang), (table, *charts))


def _levels(ctx: Ctx) -> Frag:
    changes = ctx.inp.summary.levels
    if not changes:
        return (tr("kr.no_levels", ctx.lang),)
    return ctx.joined(
        [
            fill(
                "kr.level_change",
                ctx.lang,
                time=ctx.s(f"levels.{i}.t", "clock"),
                src=ctx.names.level(c.src),
                dst=ctx.names.level(c.dst),
                by=ctx.names.role(c.by) if c.by != "auto" else tr("dl.auto", ctx.lang),
                rule=c.rule,
            )
            for i, c in enumerate(changes)
        ]
    )


def _warnings(ctx: Ctx) -> Frag:
    spans = ctx.inp.summary.warnings
    if not spans:
        return (tr("kr.none", ctx.lang),)
    return ctx.joined(
        [
            fill("kr.warning", ctx.lang, start=ctx.s(f"warnings.{i}.start", "clock"), end=ctx.s(f"warnings.{i}.end", "clock"))
            for i in range(len(spans))
        ]
    )


def _capability(ctx: Ctx, cap: Capability) -> Section:
    lang, summary = ctx.lang, ctx.inp.summary
    name = chapter_name(cap.chapter, lang)
    counts = {f: Val(cap.counts[f], f"chapter:{cap.chapter}.{f}") for f in cap.counts}
    rating = (tr("an.rating", lang), rating_mark(cap.rating), " ", pick(RATINGS[cap.rating], lang))
    rows = []
    for rule in cap.rules:
        cells: list[Frag] = [(Mark(rule, "rule"),), (summary.rules[rule].section,), (ctx.duty_names(rule),)]
        cells += [(ctx.s(f"rules.{rule}.{f}"),) for f in FIELDS]
        cells.append((ctx.s(f"rules.{rule}.compliance_pct", "pct"),))
        rows.append(tuple(cells))
    head = tuple(tr(k, lang) for k in ("an.rule", "an.section", "an.duty", *(f"an.{f}" for f in FIELDS), "an.pct"))
    blocks = (Para(rating), Para(fill("an.counts", lang, **counts)), Table(head, tuple(rows), frozenset(range(3, 10))))
    return Section(f"cap-{cap.chapter}", f"§{cap.chapter} {name}", blocks)


def _analysis(ctx: Ctx, caps: list[Capability]) -> Section:
    lang = ctx.lang
    blocks: list[Block] = [Chart("sections", tr("cap.sections", lang)), Chart("gantt", tr("cap.gantt", lang))]
    if not caps:
        blocks.append(Para((tr("an.none", lang),)))
    sub = [_key_results(ctx), *([consequences(ctx)] if compared(ctx) else []), *(_capability(ctx, c) for c in caps)]
    if ctx.inp.is_drill:
        sub.append(Section("trainee", tr("sub.decisions", lang), (Chart("decisions", tr("cap.decisions", lang)),)))
    sub.append(Section("method", tr("sub.method", lang), (Para((tr("an.method", lang),)),)))
    return Section("analysis", tr("sec.analysis", lang), tuple(blocks), tuple(sub))
