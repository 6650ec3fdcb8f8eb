"""The briefing: the situation, who holds which role, the objectives and the controls."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from simulator.drill import DrillSession
from simulator.model import Names, list_separator

from ..bindings import bindings, commands, keys_for
from ..i18n import clock, tr
from ..labels import due_text, trigger_text
from ..objectives import objectives
from ..settings import Settings
from ..widgets.keybar import KeyBar
from .help import keys_table


class BriefingScreen(Screen[None]):
    """Shown before the clock starts (and on resuming)."""

    BINDINGS = bindings("briefing")

    def __init__(self, session: DrillSession, settings: Settings, on_begin: Callable[[], None]) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.lang = settings.lang
        self.on_begin = on_begin

    def compose(self) -> ComposeResult:
        """Situation, trainees, objectives, controls."""
        s, lang = self.session, self.lang
        with VerticalScroll(id="briefing"):
            yield Label(f"{tr('briefing.title', lang)} · {s.scenario.title(lang)}", classes="title")
            yield Label(tr("briefing.situation", lang), classes="section")
            yield Static(s.scenario.briefing(lang), classes="text")
            if s.now > 0:
                yield Static(tr("briefing.resumed", lang, clock=clock(s.now, lang)), classes="note")
            yield Label(tr("briefing.trainees", lang), classes="section")
            yield Static(self._trainees())
            yield Label(tr("briefing.objectives", lang), classes="section")
            yield Static(self._objectives())
            yield Label(tr("briefing.controls", lang), classes="section")
            yield Static(keys_table(self.app, ("console",), lang, self.settings.keymap))
            yield Static(self._start_line(), classes="note")
        yield KeyBar("briefing", lang, self.settings.keymap, id="keys")

    def _trainees(self) -> Table:
        s, lang = self.session, self.lang
        table = Table(box=None, padding=(0, 2), header_style="bold", show_edge=False)
        table.add_column(tr("col.trainee", lang), no_wrap=True)
        table.add_column(tr("col.roles", lang), overflow="fold")
        sep = list_separator(lang)
        for t in s.trainees:
            table.add_row(t.name, sep.join(Names(s.plan, lang).owner(r) for r in t.roles))
        auto = [Names(s.plan, lang).owner(r) for r in s.plan.roles if r not in s.held_roles]
        if auto:
            table.add_row(Text(tr("palette.auto", lang), style="dim"), Text(sep.join(auto), style="dim"))
        return table

    def _objectives(self) -> Table:
        s, lang = self.session, self.lang
        table = Table(box=None, padding=(0, 1), header_style="bold", show_edge=False, expand=True)
        table.add_column("", width=1, no_wrap=True)
        table.add_column(tr("col.rule", lang), no_wrap=True)
        for label, ratio in (("col.duty", 3), ("col.owner", 2), ("col.when", 2), ("col.due", 2)):
            table.add_column(tr(label, lang), ratio=ratio, overflow="fold")
        for obj in objectives(s.plan, s.scenario, s.held_roles):
            ob = obj.ob
            style = "" if obj.certain else "dim"
            when = trigger_text(s.plan, ob, lang) + ("" if obj.certain else f" ({tr('trigger.maybe', lang)})")
            table.add_row(
                Text("★" if obj.yours else "", style="bold cyan"),
                Text(ob.rule, style="bold"),
                Text(ob.name(lang), style=style),
                Text(Names(s.plan, lang).owner(ob.owner), style=style),
                Text(when, style=style),
                Text(due_text(s.plan, ob, lang), style=style),
            )
        table.caption = tr("mark.yours", lang)
        table.caption_justify = "left"
        return table

    def _start_line(self) -> str:
        keymap = self.settings.keymap
        begin = next(c for c in commands("briefing") if c.id == "briefing.begin")
        pause = next(c for c in commands("console") if c.id == "console.pause")
        show = self.app.get_key_display
        return tr(
            "briefing.start",
            self.lang,
            key=show(Binding(keys_for(begin, keymap)[0], begin.action)),
            pause=show(Binding(keys_for(pause, keymap)[0], pause.action)),
        )

    def action_begin(self) -> None:
        """Go to the console."""
        self.on_begin()
