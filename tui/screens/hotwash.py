"""The hot wash on the end screen: the scenario's guide, a note per question, improvement items.

The guide's questions and expected path are shown; the trainer types a note under each question
(Enter, or leaving the field, keeps it) and adds improvement items (what, owner, due date, rule).
Everything is kept in the session folder's ``hotwash.json`` at once, and the items in the
training records (:func:`simulator.drill.save_hotwash`).
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, Static

from simulator.drill import HOTWASH, DrillSession, HotWash, Item, Note, read_hotwash, save_hotwash
from simulator.model import Lang, UserError

from ..i18n import tr

DUE_DAYS = 30
"""The due date an item is offered: before the next monthly drill (plan §8.2)."""


class HotWashPane(VerticalScroll):
    """The guide, the notes and the improvement items of one finished session."""

    def __init__(self, session: DrillSession, lang: Lang, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.lang = lang
        kept = read_hotwash(session.folder)
        guide = session.scenario.guide
        self.questions = list(guide.questions) if guide is not None else []
        notes = {n.question.en: n.note for n in kept.notes} if kept is not None else {}
        self.notes = [notes.get(q.en, "") for q in self.questions]
        self.items: list[Item] = list(kept.items) if kept is not None else []

    def compose(self) -> ComposeResult:
        """Guide, questions with their notes, items table and the fields of a new item."""
        lang, guide = self.lang, self.session.scenario.guide
        if guide is None:
            yield Static(tr("hw.no_guide", lang), classes="note")
        else:
            yield Static(Text.assemble((tr("hw.tests", lang), "bold"), guide.tests(lang)))
            yield Static(Text.assemble((tr("hw.path", lang), "bold"), guide.expected_path(lang)))
        for i, question in enumerate(self.questions):
            yield Label(Text.assemble((f"{i + 1}. ", "bold"), question(lang)), classes="hw-question")
            yield Input(self.notes[i], placeholder=tr("hw.note_hint", lang), id=f"hw-note-{i}", classes="hw-note", compact=True)
        yield Label(Text(tr("hw.items", lang), style="bold"))
        yield DataTable(id="hw-items", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="hw-new"):
            yield Input(placeholder=tr("hw.what", lang), id="hw-what", compact=True)
            yield Input(placeholder=tr("hw.owner", lang), id="hw-owner", compact=True)
            due = (date.today() + timedelta(days=DUE_DAYS)).isoformat()
            yield Input(due, placeholder="YYYY-MM-DD", id="hw-due", compact=True)
            yield Input(placeholder=tr("hw.rule", lang), id="hw-rule", compact=True)
        yield Static("", id="hw-status", classes="note")

    def on_mount(self) -> None:
        """Fill the items table."""
        table: DataTable[str] = self.query_one("#hw-items", DataTable)
        for key in ("hw.what", "hw.owner", "hw.due", "hw.rule"):
            table.add_column(tr(key, self.lang), key=key)
        self._fill()

    def _fill(self) -> None:
        table: DataTable[str] = self.query_one("#hw-items", DataTable)
        table.clear()
        for item in self.items:
            table.add_row(item.what, item.owner, item.due, item.rule or "—")

    @on(Input.Submitted, ".hw-note")
    @on(Input.Blurred, ".hw-note")
    def _note(self, event: Input.Submitted | Input.Blurred) -> None:
        index = int((event.input.id or "").rsplit("-", 1)[1])
        if self.notes[index] != event.value:
            self.notes[index] = event.value
            self.save()
        if isinstance(event, Input.Submitted):
            self.screen.focus_next()

    @on(Input.Submitted, "#hw-new Input")
    def _item(self) -> None:
        values = {k: self.query_one(f"#hw-{k}", Input).value.strip() for k in ("what", "owner", "due", "rule")}
        try:
            date.fromisoformat(values["due"])
        except ValueError:
            self._say(tr("hw.bad_due", self.lang, due=values["due"]), error=True)
            return
        try:
            item = Item.model_validate(values)
        except ValidationError:
            self._say(tr("hw.need", self.lang), error=True)
            return
        self.items.append(item)
        for k in ("what", "rule"):
            self.query_one(f"#hw-{k}", Input).value = ""
        self._fill()
        self.save()
        self.query_one("#hw-what", Input).focus()

    def save(self) -> None:
        """Keep the notes and items in the session folder and the items in the training records."""
        notes = [Note(question=q, note=n) for q, n in zip(self.questions, self.notes, strict=True)]
        hotwash = HotWash(notes=notes, items=self.items)
        try:
            save_hotwash(self.session.folder, hotwash, self.session.db)
        except UserError as exc:
            self._say(str(exc), error=True)
            return
        self._say(tr("hw.saved", self.lang, path=str(self.session.folder / HOTWASH)))

    def _say(self, message: str, *, error: bool = False) -> None:
        self.query_one("#hw-status", Static).update(Text(message, style="bold red" if error else "green"))
