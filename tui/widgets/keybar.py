"""The key bar: the current screen's keys and what they do, in the session's language."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from simulator.model import Lang

from ..bindings import commands, keys_for
from ..i18n import tr


class KeyBar(Static):
    """One line of ``key description`` pairs for a scope of the bindings registry."""

    def __init__(
        self,
        scope: str,
        lang: Lang,
        keymap: Mapping[str, str],
        extra: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.scope = scope
        self.lang = lang
        self.keymap = keymap
        self.extra = extra
        """A trailing note (the console's decision keys)."""

    def on_mount(self) -> None:
        """Draw once mounted (the app formats the keys)."""
        text = Text()
        for cmd in commands(self.scope):
            keys = keys_for(cmd, self.keymap)
            if not cmd.show or not keys:
                continue
            shown = self.app.get_key_display(Binding(keys[0], cmd.action))
            text.append(shown, style="bold reverse")
            text.append(f" {tr(cmd.label, self.lang)} ")
        if self.extra:
            text.append(self.extra, style="dim")
        self.update(text)
