"""The clock bar: simulated time, run state and speed, auto-pause, level and warning state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from simulator.model import NO_LEVEL, Lang, Names

from ..driver import Driver
from ..i18n import clock, tr


class ClockBar(Static):
    """Two lines across the top of the console."""

    def show(self, driver: Driver, lang: Lang, *, show_implied: bool) -> None:
        """Redraw from the drill's view."""
        view = driver.view
        run = "▶ " + tr("clock.running", lang) if driver.running else "‖ " + tr("clock.paused", lang)
        pause = (
            tr("clock.autopause_on", lang, m=f"{driver.pause_due_min:g}")
            if driver.auto_pause
            else tr("clock.autopause_off", lang)
        )
        top = Text.assemble(
            (clock(driver.now, lang), "bold"),
            "  ",
            (run, "bold green" if driver.running else "bold yellow"),
            "  ",
            tr("clock.speed", lang, speed=driver.speed),
            "  │  ",
            pause,
        )
        level = tr("clock.level", lang, level=Names(driver.plan, lang).level(view.level))
        warning = (
            tr("clock.warning_on", lang, since=clock(view.warning_since, lang))
            if view.warning_since is not None
            else tr("clock.warning_off", lang)
        )
        bottom = Text.assemble((level, "bold red" if view.level != NO_LEVEL else "bold"), "  │  ", (warning, "yellow"))
        if show_implied:
            bottom.append("  │  " + tr("clock.implied", lang, level=Names(driver.plan, lang).level(view.implied)), "dim")
        self.update(Text("\n").join([top, bottom]))
