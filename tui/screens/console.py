"""The console: clock, dashboard, open duties, feed and the decision palette, with the clock running.

A timer advances the session in slices while this screen is on top (a form or the help screen
holds the clock). Each decision goes: palette or key → form (if the action needs details) →
confirmation (if irreversible or plan-breaking) → ``DrillSession.decide`` (journaled on disk) →
acknowledgement in the feed.
"""

from __future__ import annotations

import time
from dataclasses import replace

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label

from simulator.drill import catalog
from simulator.model import Names, Request

from ..bindings import action_keys, bindings, command, keys_for
from ..decide import confirmation, form_for
from ..driver import Driver, Update
from ..feed import Describer, Entry
from ..i18n import clock, tr
from ..messages import ClockTicked, EndRequested, LangSwitched
from ..settings import Settings
from ..widgets.clock import ClockBar
from ..widgets.dashboard import Dashboard
from ..widgets.feedlog import FeedLog
from ..widgets.keybar import KeyBar
from ..widgets.obligations import ObligationsPanel
from ..widgets.palette import ActionPalette
from .forms import ConfirmScreen, Draft

PANELS = ("palette", "obligations", "feed")


class ConsoleScreen(Screen[None]):
    """Where the drill is played."""

    BINDINGS = bindings("console")

    def __init__(self, driver: Driver, settings: Settings) -> None:
        super().__init__()
        self.driver = driver
        self.settings = settings
        self.lang = settings.lang
        self.describer = Describer(driver, settings.lang, show_implied=settings.show_implied)
        self.keys = action_keys(driver.plan.actions, settings.keymap)
        self.catalog = catalog(driver.plan)
        self.finishing = False
        self._shown: list[tuple[float, Update]] = []
        """Every update the feed has shown a line of, with the time it was shown (to say it again in another language)."""
        self._last_tick: float | None = None
        """Wall time of the last timer tick; None after a tick the clock skipped."""

    def compose(self) -> ComposeResult:
        """The panels."""
        d, lang = self.driver, self.lang
        yield ClockBar(id="clock")
        with Horizontal(id="main"):
            yield Dashboard(d, lang, id="dashboard")
            with Vertical(id="right"):
                yield Label(tr("panel.obligations", lang), classes="section")
                yield ObligationsPanel(d, lang, id="obligations")
                yield Label(tr("panel.feed", lang), classes="section")
                yield FeedLog(lang, id="feed")
                yield Label(tr("panel.palette", lang), classes="section")
                holders = {r: t.name for t in d.session.trainees for r in t.roles}
                yield ActionPalette(d.plan, holders, self.keys, lang, id="palette")
        keys = "".join(self.keys)
        yield KeyBar(
            "console", lang, self.settings.keymap, extra=f"{keys[:1]}…{keys[-1:]} {tr('panel.palette', lang)}", id="keys"
        )

    def on_mount(self) -> None:
        """Show what happened before (a resumed session), start the timer, draw."""
        self._refill()
        if self.settings.live:
            self.set_interval(self.settings.tick_s, self.tick)
        self.query_one(ActionPalette).focus()
        self.show(self.driver.drain())

    def tick(self) -> None:
        """One clock slice, unless a dialog is open or the drill is ending."""
        now = time.monotonic()
        last, self._last_tick = self._last_tick, now
        if self.app.screen is not self or self.finishing:
            self._last_tick = None
        elif self.driver.tick(None if last is None else now - last):
            self.post_message(ClockTicked())

    @on(ClockTicked)
    def _ticked(self) -> None:
        if not self.finishing:
            self.show(self.driver.drain())

    def show(self, update: Update) -> None:
        """Add the update to the feed and redraw the panels; finish when the scenario is over."""
        entries = self.describer.update(update, self.driver.now)
        if entries:
            self._shown.append((self.driver.now, update))
            self.query_one(FeedLog).add(entries)
        self.redraw()
        if self.driver.finished:
            self.finish()

    def redraw(self) -> None:
        """Redraw the clock, dashboard and duties from the drill's view (not while it runs to its end)."""
        if self.finishing:
            return
        self.query_one(ClockBar).show(self.driver, self.lang, show_implied=self.settings.show_implied)
        self.query_one(Dashboard).show()
        self.query_one(ObligationsPanel).show()

    # -- clock -----------------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        """Run or pause the clock."""
        self.driver.running = not self.driver.running and not self.driver.finished
        self.redraw()

    def action_step(self) -> None:
        """Advance one step (the clock pauses first)."""
        if self.finishing or self.driver.finished:
            return
        self.driver.running = False
        self.driver.step()
        self.show(self.driver.drain())

    def action_faster(self) -> None:
        """Next speed up."""
        self.driver.faster()
        self.redraw()

    def action_slower(self) -> None:
        """Next speed down."""
        self.driver.slower()
        self.redraw()

    def action_toggle_autopause(self) -> None:
        """Switch auto-pause on or off."""
        self.driver.auto_pause = not self.driver.auto_pause
        self.redraw()

    def action_focus_panel(self, name: str) -> None:
        """Focus a panel."""
        if name in PANELS:
            self.query_one(f"#{name}").focus()

    # -- decisions -------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A decision's key picks it."""
        action = self.keys.get(event.key)
        if action is not None:
            event.stop()
            self.choose(action)

    @on(ActionPalette.Chosen)
    def _chosen(self, message: ActionPalette.Chosen) -> None:
        self.choose(message.action)

    @work(exclusive=True, group="decide")
    async def choose(self, action: str) -> None:
        """Ask for the decision's details and confirmation, then take it."""
        if self.finishing or self.driver.finished:
            return
        d, lang = self.driver, self.lang
        spec = d.plan.actions[action]
        if spec.role not in d.view.holders:
            name, role = Names(d.plan, lang).action(action), Names(d.plan, lang).owner(spec.role)
            self.notify(tr("feed.auto_role", lang, action=name, role=role))
            return
        form = form_for(self.catalog, d.current(), action, lang, self.settings.keymap)
        draft = Draft() if form is None else await self.app.push_screen_wait(form)
        if draft is None:
            return
        question = confirmation(self.catalog, d.current(), action, draft, lang)
        if question is not None:
            confirm = ConfirmScreen(tr("confirm.title", lang), question, lang, self.settings.keymap)
            if not await self.app.push_screen_wait(confirm):
                return
        d.session.decide(Request(action, spec.role, params=draft.params, contents=draft.contents, text=draft.text))
        self.show(d.drain())

    # -- the end ---------------------------------------------------------------------------

    def _refill(self) -> None:
        """Fill the feed from the start: what happened before this screen, then every update since."""
        feed = self.query_one(FeedLog)
        feed.add(self.describer.events(self.driver.history))
        for now, update in self._shown:
            feed.add(self.describer.update(update, now))

    async def action_switch_lang(self) -> None:
        """Switch between Chinese and English: every panel and the whole feed at once, and the screens after."""
        if self.finishing:
            return
        self.lang = "en" if self.lang == "zh" else "zh"
        self.settings = replace(self.settings, lang=self.lang)
        self.describer = Describer(self.driver, self.lang, show_implied=self.settings.show_implied)
        self.post_message(LangSwitched(self.settings))
        await self.recompose()
        self._refill()
        self.redraw()
        self.query_one(ActionPalette).focus()

    def action_end_drill(self) -> None:
        """Ask, then end the drill: the scenario runs to its end and is scored."""
        self._ask_to_end("confirm.end", now=False)

    def action_end_drill_now(self) -> None:
        """Ask, then end the drill at the current time and score it."""
        self._ask_to_end("confirm.end_now", now=True)

    def _ask_to_end(self, question_key: str, *, now: bool) -> None:
        if self.finishing:
            return
        keys = keys_for(command("console.end_now"), self.settings.keymap)
        key = self.app.get_key_display(Binding(keys[0], "end_drill_now")) if keys else "—"
        text = tr(question_key, self.lang, key=key, time=clock(self.driver.now, self.lang))
        question = ConfirmScreen(tr("confirm.title", self.lang), text, self.lang, self.settings.keymap)
        self.app.push_screen(question, lambda yes: self.finish(now=now) if yes else None)

    def finish(self, *, now: bool = False) -> None:
        """Stop the clock and let the app end the session — at this moment, or by running to its end — and score it."""
        if self.finishing:
            return
        self.finishing = True
        self.driver.running = False
        note = tr("end.finishing_now" if now else "end.finishing", self.lang)
        self.query_one(FeedLog).add([Entry(self.driver.now, "pause", note)])
        self.post_message(EndRequested(self.driver.now if now else None))
