"""The evaluator's rating of a capability: a plan chapter the drill tests, HSEEP's P/S/M/U, and a note.

Dismisses with a :class:`RatingDraft`, or None when cancelled. A capability already rated shows
its rating and note, to be changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import get_args

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Select, Static

from simulator.drill import MAX_NOTE, Catalog, Letter
from simulator.host import Rated
from simulator.model import Lang

from ..i18n import tr
from ..room import capability_name
from .dialog import Dialog

LETTERS: tuple[Letter, ...] = get_args(Letter)


@dataclass(frozen=True)
class RatingDraft:
    """A rating as the form collected it."""

    chapter: int
    letter: Letter
    note: str


class RatingForm(Dialog[RatingDraft]):
    """Rate one capability."""

    def __init__(self, catalog: Catalog, lang: Lang, kept: Mapping[int, Rated]) -> None:
        super().__init__()
        self.catalog = catalog
        self.lang = lang
        self.kept = kept

    def compose(self) -> ComposeResult:
        """Capability, rating, note, buttons."""
        lang = self.lang
        with Vertical(classes="dialog"):
            yield Label(tr("rate.title", lang), classes="title")
            options = [(capability_name(self.catalog, c.chapter, lang), c.chapter) for c in self.catalog.capabilities]
            yield Select(options, id="cap", prompt=tr("rate.capability", lang))
            yield Static("", id="rules", classes="note")
            yield Label(tr("rate.letter", lang), classes="section")
            yield RadioSet(*(RadioButton(tr(f"rate.{x}", lang), id=f"r-{x}") for x in LETTERS), id="letter")
            yield Input(id="note", max_length=MAX_NOTE, placeholder=tr("rate.note", lang))
            yield from self.controls({})

    @on(Select.Changed, "#cap")
    def _chosen(self, event: Select.Changed) -> None:
        """Show the capability's duties and what it was rated before."""
        chapter = event.value
        cap = next((c for c in self.catalog.capabilities if c.chapter == chapter), None)
        self.query_one("#rules", Static).update(tr("rate.rules", self.lang, rules=", ".join(cap.rules)) if cap else "")
        kept = self.kept.get(chapter) if isinstance(chapter, int) else None
        if kept is not None:
            self.query_one(f"#r-{kept.letter}", RadioButton).value = True
            self.query_one("#note", Input).value = kept.note

    def draft(self) -> RatingDraft | str:
        """The rating, or what is missing when a capability or a letter is not chosen."""
        chapter = self.query_one("#cap", Select).value
        pressed = self.query_one("#letter", RadioSet).pressed_button
        if not isinstance(chapter, int) or pressed is None or pressed.id is None:
            return tr("rate.bad", self.lang)
        letter = next(x for x in LETTERS if pressed.id == f"r-{x}")
        return RatingDraft(chapter, letter, self.query_one("#note", Input).value.strip())
