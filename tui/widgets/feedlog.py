"""The feed: injects, level changes, decisions and their progress, duties met or overdue."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import RichLog

from simulator.model import Lang

from ..feed import Entry
from ..i18n import clock

TONES = {
    "inject": "bold magenta",
    "level": "bold red",
    "ack": "bold green",
    "reject": "bold red",
    "progress": "green",
    "met": "cyan",
    "late": "yellow",
    "soon": "yellow",
    "overdue": "bold red",
    "pause": "bold yellow",
    "auto": "dim",
    "info": "",
}


class FeedLog(RichLog):
    """A scrolling log of :class:`~tui.feed.Entry` lines, newest at the bottom."""

    def __init__(self, lang: Lang, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(wrap=True, markup=False, max_lines=500, min_width=20, id=id, classes=classes)
        self.lang = lang

    def add(self, entries: list[Entry]) -> None:
        """Append entries."""
        for e in entries:
            line = Table.grid(padding=(0, 1), expand=True)
            line.add_column(no_wrap=True)
            line.add_column(ratio=1, overflow="fold")
            line.add_row(Text(clock(e.t, self.lang), style="dim"), Text(e.text, style=TONES.get(e.tone, "")))
            self.write(line)
