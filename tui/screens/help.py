"""The help screen: every key binding from the registry, and the decision keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from simulator.model import Lang, Names, Plan

from ..bindings import bindings, commands, default_keymap_path, keys_for
from ..i18n import tr
from ..widgets.keybar import KeyBar

SCOPES = ("console", "briefing", "end", "form", "confirm")


def keys_table(app: App[object], scopes: Sequence[str], lang: Lang, keymap: Mapping[str, str]) -> Table:
    """Key, what it does and its binding ID, for the commands of ``scopes``."""
    table = Table(box=None, padding=(0, 2), header_style="bold", show_edge=False)
    table.add_column(tr("col.key", lang), no_wrap=True)
    table.add_column(tr("col.does", lang))
    table.add_column("ID", style="dim", no_wrap=True)
    seen: set[tuple[str, str]] = set()
    for scope in scopes:
        for cmd in commands(scope):
            shown = ", ".join(app.get_key_display(Binding(k, cmd.action)) for k in keys_for(cmd, keymap))
            label = tr(cmd.label, lang)
            if (shown, label) in seen:
                continue
            seen.add((shown, label))
            table.add_row(Text(shown, style="bold"), label, cmd.id)
    return table


def action_keys_table(plan: Plan, keys: Mapping[str, str], lang: Lang) -> Table:
    """The decision keys of the console."""
    table = Table(box=None, padding=(0, 2), header_style="bold", show_edge=False)
    table.add_column(tr("col.key", lang), no_wrap=True)
    table.add_column(tr("col.action", lang))
    table.add_column("ID", style="dim", no_wrap=True)
    for key, action in keys.items():
        table.add_row(Text(key, style="bold"), Names(plan, lang).action(action), f"action.{action}")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the bindings; any close key dismisses it."""

    BINDINGS = bindings("help")

    def __init__(self, plan: Plan, keys: Mapping[str, str], lang: Lang, keymap: Mapping[str, str], keymap_path: str) -> None:
        super().__init__()
        self.plan = plan
        self.keys = keys
        self.lang = lang
        self.keymap = keymap
        self.keymap_path = keymap_path

    def compose(self) -> ComposeResult:
        """The two tables and where to remap keys."""
        with VerticalScroll(classes="dialog help"):
            yield Label(tr("help.title", self.lang), classes="title")
            yield Static(keys_table(self.app, SCOPES, self.lang, self.keymap))
            yield Label(tr("help.actions", self.lang), classes="section")
            yield Static(action_keys_table(self.plan, self.keys, self.lang))
            path = self.keymap_path or str(default_keymap_path())
            yield Static(tr("help.keymap", self.lang, path=path), classes="note")
            yield KeyBar("help", self.lang, self.keymap, classes="keys")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
