"""Shared pieces of the charts: the CJK-capable style, figures without pyplot, the day axis.

Chart functions run inside :func:`style` (the :func:`styled` decorator), which points
matplotlib at the registered CJK font for the texts they create; :func:`save` renders inside it
too, so ticks drawn late get the same font.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

from simulator.model import MINUTES_PER_DAY, Lang, inject_kind
from simulator.record import EventLog, InjectFired

from .fonts import ensure_cjk_font

STATUS_COLOURS = {
    "met": "#2e7d32",
    "incomplete": "#8e24aa",
    "late": "#ef6c00",
    "missed": "#c62828",
    "cancelled": "#9e9e9e",
    "open": "#5c7cfa",
}
DPI = 150
"""Resolution of the PNG charts."""
INK = "#263238"
MUTED = "#78909c"

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def style() -> Iterator[None]:
    """Matplotlib settings of every chart: the CJK font first, DejaVu Sans as fallback."""
    family = ensure_cjk_font()
    with mpl.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "font.size": 9.5,
            "axes.unicode_minus": False,
            "axes.titlesize": 12.5,
            "axes.titleweight": "normal",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.edgecolor": MUTED,
            "grid.alpha": 0.3,
            "legend.frameon": False,
            "svg.fonttype": "path",
            "svg.hashsalt": "drillsim",
        }
    ):
        yield


def styled(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a chart function inside :func:`style`."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with style():
            return fn(*args, **kwargs)

    return wrapper


def figure_for(ax: Axes | None, width: float = 10.0, height: float = 4.0) -> tuple[Figure, Axes]:
    """The figure and axes to draw on: the caller's ``ax``, or a new figure (no pyplot)."""
    if ax is not None:
        return ax.get_figure(root=True), ax  # type: ignore[return-value]
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def save_png(fig: Figure, png: Path, *, dpi: int = DPI) -> Path:
    """Write ``fig`` to ``png`` (its folder made if need be) in the house style; return the path."""
    png.parent.mkdir(parents=True, exist_ok=True)
    with style():
        fig.savefig(png, dpi=dpi, metadata={"Software": None})
    return png


def save(fig: Figure, stem: Path, *, dpi: int = DPI) -> tuple[Path, Path]:
    """Write ``stem.png`` and ``stem.svg``; return both paths.

    The layout is computed once, for the PNG; the SVG reuses it.
    """
    png, svg = stem.with_name(stem.name + ".png"), stem.with_name(stem.name + ".svg")
    stem.parent.mkdir(parents=True, exist_ok=True)
    with style():
        fig.savefig(png, dpi=dpi, metadata={"Software": None})
        engine = fig.get_layout_engine()
        fig.set_layout_engine("none")
        fig.savefig(svg, metadata={"Date": None})
        fig.set_layout_engine(engine)
    return png, svg


def day_label(day: int, lang: Lang) -> str:
    """The label of the day starting at ``day`` days (``D1`` is the first, as in report texts)."""
    return f"第{day + 1}天" if lang == "zh" else f"D{day + 1}"


def days_axis(ax: Axes, horizon_min: float, lang: Lang) -> None:
    """An x axis in simulated days, ticks at the start of each day, labelled like report times."""
    days = int(-(-horizon_min // MINUTES_PER_DAY))
    step = 1 if days <= 14 else 2 if days <= 28 else 7
    ax.set_xlim(0, horizon_min / MINUTES_PER_DAY)
    ax.xaxis.set_major_locator(FixedLocator(list(range(0, days + 1, step))))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: day_label(round(x), lang)))


def mark_injects(ax: Axes, log: EventLog, lang: Lang) -> None:
    """Dashed vertical lines at the injects, each labelled with its kind.

    A label that would touch the previous one goes on the other side of its line.
    """
    top = ax.get_ylim()[1]
    left, right = ax.get_xlim()
    gap = 0.025 * (right - left)
    last = -gap
    for e in sorted(log.of(InjectFired), key=lambda e: e.t):
        label = inject_kind(e.kind, lang)
        x = e.t / MINUTES_PER_DAY
        side = "left" if x - last < gap else "right"
        last = x
        ax.axvline(x, color=MUTED, linestyle=(0, (4, 3)), linewidth=0.9, zorder=1)
        ax.text(x, top, f" {label} ", rotation=90, va="top", ha=side, fontsize=8, color=MUTED, zorder=5)
