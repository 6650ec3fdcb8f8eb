"""The staffing-sweep chart: how likely each timed team target holds, and how long answers take, per staffing.

Reads the JSON-ready sweep result of :func:`simulator.sweep.grid.summary` (``summary.json``) and draws,
with the matplotlib Figure API (no pyplot state), two panels side by side:

- the probability that each team target holds, with its Wilson interval, and the probability that
  all of them hold, against the confidence line;
- the mean answer-time percentiles (p50, p90, p95, in hours) with their intervals.

Labels are bilingual (Chinese / English); the CJK font is registered by file path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .chartkit import INK, MUTED, save_png, styled

PALETTE = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#9e9d24")
PERCENTILE_LABELS = {"p50": "中位数 median", "p90": "p90", "p95": "p95"}


def _x(points: Sequence[Mapping[str, Any]], teams: Sequence[str]) -> tuple[list[float], list[str], str]:
    """The x positions, tick labels and the axis label: staff numbers for one team, else point indices."""
    if len(teams) == 1:
        values = [float(p["staff"][teams[0]]) for p in points]
        return values, [f"{v:g}" for v in values], f"{teams[0]} 人数 / staff"
    labels = ["\n".join(f"{t}={p['staff'][t]}" for t in teams) for p in points]
    return [float(i) for i in range(len(points))], labels, "人员配置 / staffing"


def _band(ax: Axes, xs: list[float], stats: Sequence[Mapping[str, Any]], colour: str, label: str, width: float) -> None:
    """A line of means (or proportions) with its interval as error bars; points without a value are left out."""
    pts = [(x, s) for x, s in zip(xs, stats, strict=True) if s.get("p", s.get("mean")) is not None]
    if not pts:
        return
    px = [x for x, _ in pts]
    ys = [s.get("p", s.get("mean")) for _, s in pts]
    lo = [y - s["lo"] for y, (_, s) in zip(ys, pts, strict=True)]
    hi = [s["hi"] - y for y, (_, s) in zip(ys, pts, strict=True)]
    bars = ax.errorbar(px, ys, yerr=[lo, hi], color=colour, marker="o", markersize=4, linewidth=width, capsize=3, label=label)
    for line in bars.lines[2]:
        line.set_alpha(0.55)


@styled
def sweep_chart(result: Mapping[str, Any]) -> Figure:
    """The chart of a sweep result (see the module docstring)."""
    points = result["points"]
    teams = result["teams"]
    xs, ticks, xlabel = _x(points, teams)
    fig = Figure(figsize=(13, 5.6), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1.25, 1))
    shown = [t for t in result["targets"] if any(p["targets"][t["key"]]["p"] is not None for p in points)]
    dodge = 0.012 * ((max(xs) - min(xs)) or 1.0)
    for i, target in enumerate(shown):
        stats = [p["targets"][target["key"]] for p in points]
        counted = sorted(s["counted"] for s in stats)[len(stats) // 2]
        label = f"{target['rule']} {target['name']['zh']} / {target['name']['en']} (n≈{counted})"
        shifted = [x + (i - (len(shown) - 1) / 2) * dodge for x in xs]  # side by side where lines coincide
        _band(left, shifted, stats, PALETTE[i % len(PALETTE)], label, 1.4)
    _band(left, xs, [p["all_targets"] for p in points], INK, "全部目标 / all targets", 2.6)
    conf = result["confidence"]
    left.axhline(conf, color=MUTED, linestyle=(0, (4, 3)), linewidth=1)
    left.text(xs[0], conf, f" {conf:.0%} ", va="bottom", ha="left", color=MUTED, fontsize=8)
    left.set_ylim(-0.03, 1.03)
    left.set_ylabel("目标达成概率 / P(target met)")
    left.set_title("团队时限目标 / timed team targets")
    for i, (key, label) in enumerate(PERCENTILE_LABELS.items()):
        _band(right, xs, [p["answer_h"][key] for p in points], PALETTE[i], label, 1.6)
    right.set_ylabel("答复用时(小时)/ answer time (h)")
    right.set_title("投诉答复用时 / complaint answer time")
    right.legend(loc="best", fontsize=8)
    for ax in (left, right):
        ax.set_xticks(xs, ticks)
        ax.set_xlabel(xlabel)
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=7.5, ncol=1)
    reps = sorted({p["reps"] for p in points})
    fig.suptitle(
        f"人员配置扫描 / staffing sweep — {result['scenario']} "
        f"({'、'.join(map(str, reps))} 次重复 / replications per point, {result['engine']})",
        x=0.01,
        ha="left",
    )
    return fig


def write_sweep_chart(result: Mapping[str, Any], out: Path, *, dpi: int = 130) -> list[Path]:
    """Draw the chart of ``result`` and write it to ``out/sweep.png``."""
    return [save_png(sweep_chart(result), out / "sweep.png", dpi=dpi)]
