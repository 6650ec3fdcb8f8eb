"""The drill app: briefing → console → end, over one drill session.

:func:`make_app` is the factory the command line and the tests share.
"""

from __future__ import annotations

import asyncio
import signal

from textual import on, work
from textual.app import App

from simulator.batch import RunResult
from simulator.drill import DrillSession
from simulator.model import UserError

from .bindings import ACTION_PREFIX, action_keys
from .driver import Driver
from .i18n import tr
from .messages import EndRequested, LangSwitched
from .screens.briefing import BriefingScreen
from .screens.console import ConsoleScreen
from .screens.end import EndScreen
from .screens.forms import ConfirmScreen
from .screens.help import HelpScreen
from .settings import Settings

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""What ends the app as a confirmed quit does: the session suspended, the clock journaled where it stands."""


class DrillApp(App[None]):
    """A drill of one session, in one language."""

    CSS_PATH = "drill.tcss"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, session: DrillSession, settings: Settings) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.driver = Driver(session, settings)
        self.ending = False
        """True from the request to end the drill until the results are shown."""
        self.closed = False
        """True once the session has finished or been suspended."""
        self.result: RunResult | None = None
        """The scored run, once the drill has ended."""

    def on_mount(self) -> None:
        """Apply the keymap, stop on SIGTERM or SIGHUP as on a confirmed quit, and show the briefing."""
        loop = asyncio.get_running_loop()
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, self.stop)
        lang = self.settings.lang
        self.title = f"{tr('app.title', lang)} · {self.session.scenario.title(lang)}"
        self.set_keymap({k: v for k, v in self.settings.keymap.items() if not k.startswith(ACTION_PREFIX)})
        self.push_screen(BriefingScreen(self.session, self.settings, self.begin))

    def begin(self) -> None:
        """Leave the briefing for the console."""
        self.switch_screen(ConsoleScreen(self.driver, self.settings))

    def action_help(self) -> None:
        """Show the key bindings."""
        if not isinstance(self.screen, HelpScreen):
            keys = action_keys(self.session.plan.actions, self.settings.keymap)
            s = self.settings
            self.push_screen(HelpScreen(self.session.plan, keys, s.lang, s.keymap, s.keymap_path))

    async def action_quit(self) -> None:
        """Quit; an unfinished session is suspended (resumable) after a confirmation."""
        if self.closed:
            self.exit()
            return
        if self.ending:
            return
        lang = self.settings.lang
        cmd = f"drillsim play --resume {self.session.folder}"
        question = ConfirmScreen(tr("confirm.title", lang), tr("confirm.quit", lang, cmd=cmd), lang, self.settings.keymap)
        self.push_screen(question, lambda yes: self.suspend_and_exit() if yes else None)

    def suspend_and_exit(self) -> None:
        """Close the journal without ending the session, and exit saying how to resume it."""
        if not self.closed:
            self.closed = True
            self.session.suspend()
        cmd = f"drillsim play --resume {self.session.folder}"
        self.exit(message=tr("quit.resume", self.settings.lang, cmd=cmd))

    def stop(self) -> None:
        """End the app on a stop signal as on a confirmed quit (ignored, as a quit is, while the results are being written)."""
        if self.closed:
            self.exit()
        elif not self.ending:
            self.suspend_and_exit()

    @on(LangSwitched)
    def _lang(self, message: LangSwitched) -> None:
        self.settings = message.settings

    @on(EndRequested)
    def _end(self, message: EndRequested) -> None:
        if not self.ending:
            self.ending = True
            self.run_to_end(message.until)

    @work(thread=True, exclusive=True, group="finish")
    def run_to_end(self, until: float | None = None) -> None:
        """Finish the session off the UI thread (to the horizon, or at ``until``), then show the results."""
        try:
            result = self.session.finish(until)
        except UserError as exc:
            self.call_from_thread(self.end_failed, str(exc))
            return
        self.call_from_thread(self.show_results, result)

    def end_failed(self, message: str) -> None:
        """Say why the results could not be written (the journal keeps every decision)."""
        self.ending = False
        self.notify(message, severity="error", timeout=30)

    def show_results(self, result: RunResult) -> None:
        """Switch to the end screen."""
        self.closed = True
        self.result = result
        self.switch_screen(EndScreen(self.session, result, self.settings))

    def on_unmount(self) -> None:
        """Leave an unfinished session resumable whatever ends the app; give the stop signals back."""
        loop = asyncio.get_running_loop()
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
        if not self.closed:
            self.closed = True
            self.session.suspend()


def make_app(session: DrillSession, settings: Settings) -> DrillApp:
    """The drill app for a session: the factory the command line and the tests share."""
    return DrillApp(session, settings)
