"""Charts of the plan's duties and of decisions.

The obligations Gantt, scores by section, and a drill's decisions beside the auto-responder's
on the same seed.

Each function takes records (the log, the score) and an optional ``ax`` and returns a ``Figure``.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simulator.model import MINUTES_PER_DAY, Lang, Plan
from simulator.record import DecisionMade, DecisionRejected, EventLog, ObligationOpened
from simulator.score import Score

from .chartkit import INK, MUTED, STATUS_COLOURS, days_axis, figure_for, styled
from .i18n import STATUSES, pick, tr
from .model import Val, fmt

LABEL_CHARS = {"zh": 18, "en": 40}
"""Longest duty name shown beside a Gantt row."""
MAX_LATE_LABELS = 12
"""Late instances are labelled with their lateness when there are at most this many."""


def _short(name: str, lang: Lang) -> str:
    limit = LABEL_CHARS[lang]
    return name if len(name) <= limit else name[: limit - 1] + "…"


@styled
def obligations_gantt(log: EventLog, score: Score, plan: Plan, lang: Lang, ax: Axes | None = None) -> Figure:
    """One row per duty of the plan that opened: each instance from trigger to due, a marker when done.

    Bars and markers are coloured met / incomplete / late / missed (cancelled and not-yet-due in grey and
    blue); a late instance has a line from its due time to when it was done. Rows are labelled
    with the rule ID and the duty.
    """
    index_of = {e.oid: e.index for e in log.of(ObligationOpened)}
    order = sorted({index_of[d.oid] for d in score.duties})
    row = {index: n for n, index in enumerate(order)}
    fig, ax = figure_for(ax, 11, 0.34 * max(len(order), 3) + 1.6)
    ys = [row[index_of[d.oid]] for d in score.duties]
    colours = [STATUS_COLOURS[d.status] for d in score.duties]
    starts = [d.opened / MINUTES_PER_DAY for d in score.duties]
    widths = [max((d.due - d.opened) / MINUTES_PER_DAY, 0.004) for d in score.duties]
    ax.barh(ys, widths, left=starts, height=0.56, color=colours, alpha=0.28, edgecolor=colours, linewidth=0.7)
    for status, marker in (("met", "o"), ("incomplete", "D"), ("late", "o"), ("missed", "X")):
        mine = [(d, y) for d, y in zip(score.duties, ys, strict=True) if d.status == status]
        if not mine:
            continue
        xs = [(d.due if status == "missed" or d.done is None else d.done) / MINUTES_PER_DAY for d, _y in mine]
        ax.plot(
            xs,
            [y for _d, y in mine],
            marker=marker,
            color=STATUS_COLOURS[status],
            linestyle="none",
            zorder=4,
            markersize=7 if status == "missed" else 5,
            markeredgecolor="white",
            markeredgewidth=0.6,
        )
        if status == "late":
            for (d, y), done in zip(mine, xs, strict=True):
                ax.plot([d.due / MINUTES_PER_DAY, done], [y, y], color=STATUS_COLOURS[status], linewidth=2.2, zorder=3)
                if len(mine) <= MAX_LATE_LABELS:
                    ax.annotate(
                        "+" + fmt(Val(d.late_by, "", "minutes"), lang),
                        (done, y),
                        textcoords="offset points",
                        xytext=(5, -3),
                        fontsize=7.5,
                        color=STATUS_COLOURS[status],
                    )
    labels = [f"{plan.obligations[i].rule}  {_short(plan.obligations[i].name(lang), lang)}" for i in order]
    ax.set_yticks(range(len(order)), labels, fontsize=8.5)
    ax.set_ylim(len(order) - 0.4, -0.6)
    ax.grid(axis="y", alpha=0)
    days_axis(ax, log.meta.horizon, lang)
    handles = [Patch(facecolor=STATUS_COLOURS[s], alpha=0.6, label=pick(STATUSES[s], lang)) for s in STATUS_COLOURS]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=6, fontsize=8.5)
    ax.set_title(tr("ch.gantt", lang), pad=24)
    return fig


def _section_key(section: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", section)) or (0,)


@styled
def section_scores(score: Score, lang: Lang, ax: Axes | None = None) -> Figure:
    """Duties met / incomplete / late / missed per plan section, with the share met on time."""
    sections: dict[str, list[int]] = {}
    for r in score.rules.values():
        counts = sections.setdefault(r.section, [0, 0, 0, 0])
        for k, count in enumerate((r.met, r.incomplete, r.late, r.missed)):
            counts[k] += count
    names = sorted(sections, key=_section_key)
    fig, ax = figure_for(ax, 9, 0.36 * max(len(names), 3) + 1.4)
    y = np.arange(len(names))
    left = np.zeros(len(names))
    for k, status in enumerate(("met", "incomplete", "late", "missed")):
        values = np.array([sections[n][k] for n in names], dtype=float)
        ax.barh(y, values, left=left, height=0.62, color=STATUS_COLOURS[status], label=pick(STATUSES[status], lang))
        left += values
    for i, n in enumerate(names):
        met, scored = sections[n][0], sum(sections[n])
        note = f"{met}/{scored}  {100 * met / scored:.0f}%" if scored else "—"
        ax.text(left[i], i, f"  {note}", va="center", fontsize=8.5, color=INK)
    ax.set_yticks(y, names)
    ax.set_ylim(len(names) - 0.4, -0.6)
    ax.set_xlim(0, max(left.max() if left.size else 1, 1) * 1.22)
    ax.grid(axis="y", alpha=0)
    ax.set_xlabel(tr("ch.sections.x", lang))
    ax.set_title(tr("ch.sections", lang))
    ax.legend(loc="lower right")
    return fig


@styled
def decision_timeline(
    drill: EventLog, auto: EventLog, plan: Plan, roles: Collection[str], lang: Lang, ax: Axes | None = None
) -> Figure:
    """A drill's decisions by trainees beside the auto-responder's on the same seed, per action.

    Only the actions of ``roles`` (the roles the trainees held) are compared.
    """
    rejected = {e.seq for e in drill.of(DecisionRejected)}
    mine = [e for e in drill.of(DecisionMade) if e.actor != "auto"]
    theirs = [e for e in auto.of(DecisionMade) if e.role in roles]
    actions = sorted({e.action for e in [*mine, *theirs]}, key=list(plan.actions).index)
    row = {a: i for i, a in enumerate(actions)}
    fig, ax = figure_for(ax, 11, 0.42 * max(len(actions), 3) + 1.5)

    def dots(events: list[DecisionMade], dy: float, **style: object) -> None:
        if events:
            ax.plot([e.t / MINUTES_PER_DAY for e in events], [row[e.action] + dy for e in events], linestyle="none", **style)  # type: ignore[arg-type]

    dots(theirs, 0.17, marker="D", markersize=5.5, markerfacecolor="white", markeredgecolor=MUTED, markeredgewidth=1.2)
    dots([e for e in mine if e.seq not in rejected], -0.17, marker="o", markersize=6.5, color="#1565c0")
    dots([e for e in mine if e.seq in rejected], -0.17, marker="X", markersize=7.5, color=STATUS_COLOURS["missed"])
    ax.set_yticks(range(len(actions)), [plan.actions[a].name(lang) for a in actions])
    ax.set_ylim(len(actions) - 0.4, -0.6)
    for i in range(len(actions)):
        ax.axhline(i + 0.5, color=MUTED, linewidth=0.4, alpha=0.4)
    ax.grid(axis="y", alpha=0)
    days_axis(ax, drill.meta.horizon, lang)
    handles = [
        Line2D([], [], marker="o", linestyle="none", color="#1565c0", label=tr("ch.decisions.trainee", lang)),
        Line2D([], [], marker="X", linestyle="none", color=STATUS_COLOURS["missed"], label=tr("ch.decisions.rejected", lang)),
        Line2D(
            [],
            [],
            marker="D",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor=MUTED,
            label=tr("ch.decisions.auto", lang),
        ),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3)
    ax.set_title(tr("ch.decisions", lang), pad=24)
    return fig
