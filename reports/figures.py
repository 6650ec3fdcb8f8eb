"""The report's charts by key: which chart function draws each, from which records."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure

from simulator.model import Lang
from simulator.record import DecisionMade

from . import charts, charts_duties
from .i18n import staffing_text, text, tr
from .inputs import Inputs, Variant

Draw = Callable[[Inputs, list[Variant], Lang], Figure]


def _answers(inp: Inputs, variants: list[Variant], lang: Lang) -> Figure:
    label = tr("wi.base.drill" if inp.is_drill else "wi.base.run", lang)
    return charts.answer_cdf([(label, charts.answer_hours(inp.log))], charts.answer_target(inp.plan), lang)


def _whatif(inp: Inputs, variants: list[Variant], lang: Lang) -> Figure:
    series = [(tr("wi.base.drill" if inp.is_drill else "wi.base.run", lang), charts.answer_hours(inp.log))]
    for v in variants:
        changes = staffing_text(v.changes, lang)
        label = tr("wi.auto", lang) if v.kind == "auto" else text("wi.whatif", lang, changes=changes)
        series.append((label, charts.answer_hours(v.result.log)))
    return charts.answer_cdf(series, charts.answer_target(inp.plan), lang, title_key="ch.whatif")


def _decisions(inp: Inputs, variants: list[Variant], lang: Lang) -> Figure:
    auto = next(v for v in variants if v.kind == "auto")
    roles = {str(r) for t in inp.info.trainees for r in t.get("roles", [])}
    roles = roles or {d.role for d in inp.log.of(DecisionMade) if d.actor != "auto"}
    return charts_duties.decision_timeline(inp.log, auto.result.log, inp.plan, roles, lang)


CHARTS: dict[str, Draw] = {
    "arrivals": lambda inp, _v, lang: charts.arrivals_capacity(inp.log, inp.scenario, inp.plan, lang),
    "backlog": lambda inp, _v, lang: charts.backlog(inp.log, inp.plan, lang),
    "answers": _answers,
    "levels": lambda inp, _v, lang: charts.level_timeline(inp.log, inp.plan, inp.scenario, lang),
    "heat": lambda inp, _v, lang: charts.opinion_heat(inp.log, inp.score, inp.plan, inp.scenario, lang),
    "sections": lambda inp, _v, lang: charts_duties.section_scores(inp.score, lang),
    "gantt": lambda inp, _v, lang: charts_duties.obligations_gantt(inp.log, inp.score, inp.plan, lang),
    "decisions": _decisions,
    "whatif": _whatif,
}
"""Every chart a report may show, by the key its :class:`~reports.model.Chart` blocks use."""
