"""The dashboard: the complaint stream, the indicators and the teams at a glance.

Complaints per hour (sparkline), daily growth against baseline, abandoned calls, opinion heat,
injuries, media coverage, and each team's staff and backlog.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline, Static

from simulator.model import Lang, Names

from ..driver import HISTORY_H, Driver
from ..i18n import tr, value_label


class Dashboard(Vertical):
    """The situation at a glance."""

    def __init__(self, driver: Driver, lang: Lang, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.driver = driver
        self.lang = lang

    def compose(self) -> ComposeResult:
        """The sparkline, the figures and the team table."""
        yield Label(tr("dash.per_hour", self.lang, n=HISTORY_H), classes="section")
        yield Sparkline([0.0] * HISTORY_H, id="spark")
        yield Static(id="metrics")
        yield Label(tr("dash.teams", self.lang), classes="section")
        yield Static(id="teams")

    def on_mount(self) -> None:
        """Draw the first time."""
        self.show()

    def show(self) -> None:
        """Redraw from the drill's view."""
        d, lang = self.driver, self.lang
        view = d.view
        counts = [float(n) for n in d.arrivals]
        self.query_one("#spark", Sparkline).data = [0.0] * (HISTORY_H - len(counts)) + counts
        values = view.indicators
        growth = values.get("growth_pct", 0.0)
        last = d.last_hour
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(ratio=1)
        grid.add_column(justify="right")
        grid.add_row(tr("dash.last_hour", lang), str(last.arrivals if last else 0))
        grid.add_row(tr("dash.growth", lang), Text(f"{float(growth):+.0f}%", style="bold red" if float(growth) >= 300 else ""))
        grid.add_row(tr("dash.abandoned", lang), f"{last.abandoned if last else 0} / {d.abandoned_total}")
        grid.add_row(tr("dash.heat", lang), f"{view.heat:.1f}")
        grid.add_row(tr("dash.injuries", lang), value_label(values.get("injuries", "none"), lang))
        grid.add_row(tr("dash.media", lang), value_label(values.get("media", "none"), lang))
        self.query_one("#metrics", Static).update(grid)
        teams = Table(expand=True, box=None, padding=(0, 1), header_style="bold", show_edge=False, title_justify="left")
        teams.add_column(tr("col.team", lang), ratio=1, no_wrap=True, overflow="ellipsis")
        teams.add_column(tr("col.staff", lang), justify="right", no_wrap=True)
        teams.add_column(tr("col.backlog", lang), justify="right", no_wrap=True)
        for team in view.teams:
            backlog = team.backlog
            teams.add_row(
                Names(d.plan, lang).team(team.name), str(team.staff), Text(str(backlog), style="bold red" if backlog else "")
            )
        self.query_one("#teams", Static).update(teams)
