"""Charts of the complaint stream, the teams, the levels and opinion, read from an event log.

Each function takes the log (or records drawn from it) and an optional ``ax``, and returns the
``Figure`` it drew on; none touches pyplot. Charts of duties and decisions are in
``charts_duties``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator

from simulator.model import CHANNELS, MINUTES_PER_DAY, MINUTES_PER_HOUR, NO_LEVEL, Lang, MetByAnswered, Plan, Scenario
from simulator.record import ANSWERED, EventLog, Hourly, ImpliedLevel, LevelChanged, ObligationOpened, WarningChanged, columns
from simulator.score import Score

from .chartkit import INK, MUTED, STATUS_COLOURS, days_axis, figure_for, mark_injects, styled
from .i18n import text, tr

CDF_POINTS = 2000
"""Points drawn per answer-time curve, however many complaints there were."""
SYMLOG_RATIO = 20
"""Backlogs whose peaks differ more than this many times share a symmetric-log axis."""


def answer_hours(log: EventLog) -> np.ndarray:
    """Answer times of the answered complaints, in hours."""
    c = columns(log.complaints)
    answered = c["outcome"] == ANSWERED
    return np.asarray((c["done"][answered] - c["arrive"][answered]) / MINUTES_PER_HOUR)


def answer_target(plan: Plan) -> tuple[float, float] | None:
    """(fraction, within hours) of the plan's answer-time duty (TEAM-COMMS), if it has one."""
    for ob in plan.obligations:
        if isinstance(ob.met_by, MetByAnswered):
            return ob.met_by.answered_fraction, ob.met_by.within_h
    return None


@styled
def arrivals_capacity(log: EventLog, scenario: Scenario, plan: Plan, lang: Lang, ax: Axes | None = None) -> Figure:
    """Complaints arriving per hour against the hourly handling capacity of the hotline and comms teams."""
    fig, ax = figure_for(ax, 10, 4.2)
    hourly = list(log.of(Hourly))
    x = np.array([h.t for h in hourly]) / MINUTES_PER_DAY
    ax.fill_between(
        x, [h.arrivals for h in hourly], step="pre", color="#90caf9", alpha=0.7, label=tr("ch.arrivals.all", lang), linewidth=0
    )
    c = columns(log.complaints)
    edges = np.concatenate([[0.0], [h.t for h in hourly]])
    calls, _ = np.histogram(c["arrive"][c["channel"] == CHANNELS.index("hotline")], bins=edges)
    ax.step(x, calls, where="pre", color="#1565c0", linewidth=0.9, label=tr("ch.arrivals.hotline", lang))
    styles = {"comms": ("#c62828", "-"), "hotline": ("#6a1b9a", (0, (5, 2)))}
    for team, (colour, dash) in styles.items():
        setup = scenario.teams.get(team)
        if setup is None or setup.handling is None or team not in log.meta.teams:
            continue
        i = log.meta.teams.index(team)
        per_hour = [h.staff[i] * MINUTES_PER_HOUR / setup.handling.expected for h in hourly]
        name = plan.teams[team].name(lang)
        ax.step(x, per_hour, where="pre", color=colour, linestyle=dash, linewidth=1.6, label=text("ch.capacity", lang, team=name))
    ax.set_ylim(0, ax.get_ylim()[1] * 1.18)
    days_axis(ax, log.meta.horizon, lang)
    mark_injects(ax, log, lang)
    ax.set_ylabel(tr("ch.per_hour", lang))
    ax.set_title(tr("ch.arrivals", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


@styled
def backlog(log: EventLog, plan: Plan, lang: Lang, ax: Axes | None = None) -> Figure:
    """Work waiting per team, hourly, for the teams that ever had any."""
    fig, ax = figure_for(ax, 10, 3.6)
    hourly = list(log.of(Hourly))
    x = np.array([h.t for h in hourly]) / MINUTES_PER_DAY
    series = {team: np.array([h.backlog[i] for h in hourly]) for i, team in enumerate(log.meta.teams)}
    series = {team: y for team, y in series.items() if y.size and y.max() > 0}
    for team, y in series.items():
        line = ax.step(x, y, where="pre", linewidth=1.4, label=plan.teams[team].name(lang))[0]
        peak = int(y.argmax())
        ax.annotate(
            f"{int(y[peak]):,}",
            (x[peak], y[peak]),
            textcoords="offset points",
            xytext=(0, 4),
            ha="center",
            fontsize=8,
            color=line.get_color(),
        )
    peaks = [int(y.max()) for y in series.values()]
    if not peaks:
        ax.text(0.5, 0.5, tr("ch.no_data", lang), transform=ax.transAxes, ha="center", color=MUTED)
    elif max(peaks) > SYMLOG_RATIO * min(peaks):
        ax.set_yscale("symlog", linthresh=10)
        ax.yaxis.set_major_formatter(lambda y, _pos: f"{y:,.0f}")
    ax.set_ylim(bottom=0, top=max(peaks, default=1) * (3 if ax.get_yscale() == "symlog" else 1.12))
    days_axis(ax, log.meta.horizon, lang)
    ax.set_ylabel(tr("ch.waiting", lang))
    ax.set_title(tr("ch.backlog", lang))
    if peaks:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


@styled
def answer_cdf(
    series: Sequence[tuple[str, np.ndarray]],
    target: tuple[float, float] | None,
    lang: Lang,
    ax: Axes | None = None,
    *,
    title_key: str = "ch.cdf",
) -> Figure:
    """Cumulative distribution of answer times (hours), one curve per run, with the target lines.

    ``target`` is (fraction, within hours), e.g. (0.9, 168); each curve's 90th percentile is
    marked and given in its legend entry (the same percentile as ``answer_time_h.p90`` of the
    run's summary).
    """
    fig, ax = figure_for(ax, 10, 4.0)
    xmax = target[1] * 1.08 if target else 1.0
    for label, hours in series:
        if hours.size == 0:
            continue
        q = np.linspace(0, 1, min(CDF_POINTS, hours.size))
        p90 = float(np.percentile(hours, 90))
        line = ax.plot(
            np.quantile(hours, q), q, linewidth=1.8, label=text("ch.cdf.p90", lang, label=label, p90=f"{p90:.1f}"), zorder=3
        )[0]
        ax.plot([p90], [0.9], "o", color=line.get_color(), zorder=4)
        xmax = max(xmax, float(hours.max()) * 1.03)
    if target is not None:
        fraction, within = target
        ax.axvline(within, color=INK, linestyle="--", linewidth=1)
        ax.axhline(fraction, color=INK, linestyle=":", linewidth=1)
        ax.text(
            within,
            0.03,
            " " + text("ch.cdf.target", lang, pct=f"{100 * fraction:g}%", hours=f"{within:g}"),
            fontsize=8.5,
            color=INK,
            ha="right" if within > 0.6 * xmax else "left",
        )
    ax.set_xlim(0, xmax)
    ax.xaxis.set_major_locator(MultipleLocator(24 if xmax > 72 else 6))
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(lambda y, _pos: f"{100 * y:.0f}%")
    ax.set_xlabel(tr("ch.cdf.x", lang))
    ax.set_ylabel(tr("ch.cdf.y", lang))
    ax.set_title(tr(title_key, lang))
    ax.legend(loc="best")
    return fig


@styled
def level_timeline(log: EventLog, plan: Plan, scenario: Scenario, lang: Lang, ax: Axes | None = None) -> Figure:
    """The level in force (steps) and the level the plan's conditions called for, with warning periods."""
    fig, ax = figure_for(ax, 10, 3.2)
    levels = sorted(plan.levels, key=lambda lv: lv.rank)
    rows = {NO_LEVEL: 0, "warning": 1} | {lv.id: 2 + i for i, lv in enumerate(levels)}
    names = [tr("kr.none", lang), tr("ch.levels.warning", lang)] + [lv.name(lang) for lv in levels]
    end = log.meta.horizon / MINUTES_PER_DAY

    def steps(changes: list[tuple[float, str]]) -> tuple[list[float], list[int]]:
        xs, ys = [0.0], [0]
        for t, level in changes:
            xs.append(t / MINUTES_PER_DAY)
            ys.append(rows.get(level, 0))
        return [*xs, end], [*ys, ys[-1]]

    xs, ys = steps([(e.t, e.level) for e in log.of(ImpliedLevel)])
    ax.step(
        xs, ys, where="post", color="#3949ab", linestyle=(0, (6, 2, 1, 2)), linewidth=1.2, label=tr("ch.levels.implied", lang)
    )
    xs, ys = steps([(e.t, e.dst) for e in log.of(LevelChanged)])
    ax.step(xs, ys, where="post", color="#c62828", linewidth=2.4, label=tr("ch.levels.inforce", lang))
    start: float | None = None
    for w in [*log.of(WarningChanged), None]:
        if w is not None and w.active:
            start = w.t
        elif start is not None:
            stop = w.t if w is not None else log.meta.horizon
            ax.axvspan(
                start / MINUTES_PER_DAY,
                stop / MINUTES_PER_DAY,
                color="#ffb300",
                alpha=0.25,
                linewidth=0,
                label=tr("ch.levels.warning", lang),
            )
            start = None
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(-0.4, len(names) - 0.2 + 0.9)
    days_axis(ax, log.meta.horizon, lang)
    mark_injects(ax, log, lang)
    ax.grid(axis="y", alpha=0.15)
    ax.set_title(tr("ch.levels", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


@styled
def opinion_heat(log: EventLog, score: Score, plan: Plan, scenario: Scenario, lang: Lang, ax: Axes | None = None) -> Figure:
    """Opinion heat, hourly, with the public-disclosure duties: done on time, or late / missed."""
    fig, ax = figure_for(ax, 10, 3.4)
    hourly = list(log.of(Hourly))
    x = np.array([h.t for h in hourly]) / MINUTES_PER_DAY
    heat = np.array([h.heat for h in hourly])
    ax.fill_between(x, heat, color="#ff7043", alpha=0.35, linewidth=0)
    ax.plot(x, heat, color="#d84315", linewidth=1.5)
    ax.set_ylim(0, (heat.max() if heat.size else 1) * 1.3 + 1)
    disclosure = {e.oid for e in log.of(ObligationOpened) if plan.obligations[e.index].disclosure}
    good = [d.done for d in score.duties if d.oid in disclosure and d.status == "met" and d.done is not None]
    bad = [
        d.done if d.done is not None else d.due for d in score.duties if d.oid in disclosure and d.status in ("late", "missed")
    ]
    if hourly:
        for times, colour, marker, key in (
            (good, STATUS_COLOURS["met"], "^", "ch.heat.disclosure"),
            (bad, STATUS_COLOURS["missed"], "v", "ch.heat.late"),
        ):
            if times:
                tx = np.array(times) / MINUTES_PER_DAY
                ax.plot(
                    tx,
                    np.interp(tx, x, heat),
                    marker,
                    color=colour,
                    markersize=7,
                    linestyle="none",
                    label=tr(key, lang),
                    zorder=4,
                )
    days_axis(ax, log.meta.horizon, lang)
    mark_injects(ax, log, lang)
    ax.set_ylabel(tr("ch.heat.y", lang))
    ax.set_title(tr("ch.heat", lang))
    if good or bad:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig
