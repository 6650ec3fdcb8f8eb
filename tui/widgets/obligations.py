"""The obligations panel: every open duty with its rule ID, owner and a live countdown.

Rows turn yellow when the duty falls due within the auto-pause window and red once it is past
due; duties a trainee answers for carry a star.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from simulator.drill import DutyView
from simulator.model import Lang, Names

from ..driver import Driver
from ..i18n import clock_short, countdown, tr

STYLES = {"overdue": "bold red", "soon": "bold yellow", "ok": ""}


def urgency(duty: DutyView, now: float, soon_min: float) -> str:
    """``overdue``, ``soon`` (within ``soon_min``) or ``ok``."""
    left = duty.due - now
    return "overdue" if left < 0 else "soon" if left <= soon_min else "ok"


class ObligationsPanel(VerticalScroll):
    """Open duties, soonest due first."""

    def __init__(self, driver: Driver, lang: Lang, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.driver = driver
        self.lang = lang

    def compose(self) -> ComposeResult:
        """The table, drawn by :meth:`show`."""
        yield Static(id="duties")

    def on_mount(self) -> None:
        """Draw the first time."""
        self.show()

    def table(self) -> Table:
        """The open duties as a table."""
        d, lang = self.driver, self.lang
        now = d.now
        table = Table(expand=True, box=None, padding=(0, 1), collapse_padding=True, pad_edge=False, header_style="bold")
        table.add_column("", width=1, no_wrap=True)
        table.add_column(tr("col.rule", lang), no_wrap=True)
        table.add_column(tr("col.duty", lang), ratio=3, no_wrap=True, overflow="ellipsis")
        table.add_column(tr("col.owner", lang), ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column(tr("col.due", lang), no_wrap=True)
        table.add_column(tr("col.countdown", lang), justify="right", no_wrap=True)
        for duty in d.view.duties:
            style = STYLES[urgency(duty, now, d.pause_due_min)]
            yours = d.yours(duty)
            table.add_row(
                Text("★" if yours else "", style="bold cyan"),
                Text(duty.rule, style=style or "bold"),
                Text(d.plan.obligations[duty.index].name(lang), style=style if yours else f"{style} dim".strip()),
                Text(Names(d.plan, lang).owner(duty.owner), style="dim"),
                clock_short(duty.due, now, lang),
                Text(countdown(duty.due - now), style=style),
            )
        if not table.row_count:
            table.add_row("", "", Text(tr("obligations.none", lang), style="dim"), "", "", "")
        return table

    def show(self) -> None:
        """Redraw from the drill's view."""
        self.query_one("#duties", Static).update(self.table())
