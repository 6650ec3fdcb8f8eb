"""The roster chart: each team's staff needed per clock hour beside today's roster and the optimised one.

Reads the JSON-ready result of ``drillsim roster`` (``roster.json``) and draws, with the matplotlib
Figure API (no pyplot state), one panel per team of step lines over the 24 clock hours. Labels are
bilingual (Chinese / English); the CJK font is registered by file path.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from .chartkit import INK, MUTED, save_png, styled

LINES = (
    ("need", "所需 / needed", INK, (0, (4, 2))),
    ("own", "现排班 / today", MUTED, "solid"),
    ("by_hour", "新排班 / new roster", "#1565c0", "solid"),
)


@styled
def roster_chart(result: Mapping[str, Any]) -> Figure:
    """The chart of a roster result (see the module docstring)."""
    teams = list(result["need"])
    fig = Figure(figsize=(6 * len(teams), 4.6), layout="constrained")
    axes = fig.subplots(1, len(teams), squeeze=False)[0]
    hours = list(range(25))
    for ax, team in zip(axes, teams, strict=True):
        for key, label, colour, dash in LINES:
            values = list(result[key][team])
            hours_label = result["own_staff_hours"][team] if key == "own" else result["staff_hours"][team]
            shown = label if key == "need" else f"{label} ({hours_label} 人时 / staff-h)"
            ax.step(hours, [*values, values[-1]], where="post", color=colour, linestyle=dash, linewidth=1.8, label=shown)
        ax.set_xticks(range(0, 25, 3))
        ax.set_xlim(0, 24)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("钟点 / clock hour")
        ax.set_ylabel("人数 / people")
        ax.set_title(team)
        ax.legend(loc="upper left", fontsize=8)
    fig.suptitle(f"每小时人员需求与排班 / staff per hour and roster — {result['scenario']}", x=0.01, ha="left")
    return fig


def write_roster_chart(result: Mapping[str, Any], out: Path, *, dpi: int = 130) -> list[Path]:
    """Draw the chart of ``result`` and write it to ``out/roster.png``."""
    return [save_png(roster_chart(result), out / "roster.png", dpi=dpi)]
