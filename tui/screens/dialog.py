"""What every form dialog shares: an error line, Submit and Cancel, and the form's keys.

It dismisses with what it collected, or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from simulator.model import Lang

from ..bindings import bindings
from ..i18n import tr
from ..widgets.keybar import KeyBar

T = TypeVar("T")


class Dialog(ModalScreen[T | None]):
    """A form dialog: :meth:`draft` collects what it asks for, or says what is wrong."""

    BINDINGS = bindings("form")

    lang: Lang

    def controls(self, keymap: Mapping[str, str]) -> ComposeResult:
        """The error line, Submit and Cancel, and the form's keys."""
        yield Label("", id="error", classes="error")
        with Horizontal(classes="buttons"):
            yield Button(tr("form.submit", self.lang), variant="primary", id="submit")
            yield Button(tr("form.cancel", self.lang), id="cancel")
        yield KeyBar("form", self.lang, keymap, classes="keys")

    def draft(self) -> T | str:
        """What the dialog collected, or a message saying what is wrong."""
        raise NotImplementedError

    def action_submit(self) -> None:
        """Dismiss with the draft, or show what is wrong."""
        draft = self.draft()
        if isinstance(draft, str):
            self.query_one("#error", Label).update(draft)
        else:
            self.dismiss(draft)

    def action_cancel(self) -> None:
        """Dismiss with nothing."""
        self.dismiss(None)

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
