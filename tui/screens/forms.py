"""Modal forms that ask for a decision's details, and the confirmation dialog.

Each form is a ``ModalScreen`` that dismisses with a :class:`Draft` (the decision's parameters,
and for a document its text and the elements its author marks as covered) or ``None`` when
cancelled; the confirmation dismisses with a bool. A document sent without an element the plan
requires of it now is sent only after the form names what is missing and the author says to send
it anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, Static, TextArea

from simulator.drill import Catalog, DrillView, TeamView, check_document, required_elements
from simulator.model import Lang

from ..bindings import bindings
from ..i18n import tr
from ..widgets.keybar import KeyBar
from .dialog import Dialog


@dataclass(frozen=True)
class Draft:
    """A decision's details as a form collected them."""

    params: dict[str, str] = field(default_factory=dict)
    contents: tuple[str, ...] = ()
    text: dict[str, str] = field(default_factory=dict)
    """A document's text by field (``title``, ``body``)."""


class Tick(Checkbox):
    """A checkbox whose state reads in its text, ☑ ticked and ☐ not, and not by colour alone."""

    @property
    def _button(self) -> Content:
        return Content.styled("☑" if self.value else "☐", self.get_visual_style("toggle--button"))


class Form(Dialog[Draft]):
    """A decision's dialog: its title, a body, Submit and Cancel."""

    def __init__(self, catalog: Catalog, action: str, lang: Lang, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.catalog = catalog
        self.action = action
        self.lang = lang
        self.keymap = keymap

    DIALOG = "dialog"
    """The dialog's CSS classes."""

    def compose(self) -> ComposeResult:
        """Title, body, error line, buttons and keys."""
        with Vertical(classes=self.DIALOG):
            yield Label(self.catalog.action(self.action, self.lang), classes="title")
            yield from self.fields()
            yield from self.controls(self.keymap)

    def fields(self) -> Iterable[Widget]:
        """The body as the dialog holds it."""
        return self.body()

    def body(self) -> Iterable[Widget]:
        """The form's fields."""
        return ()

    def draft(self) -> Draft | str:
        """The collected details, or a message saying what is wrong."""
        return Draft()

    def chain(self) -> Iterable[Widget]:
        """The action's steps: who works on it and for how long."""
        steps = self.catalog.actions[self.action].steps
        if steps:
            yield Label(tr("form.chain", self.lang), classes="section")
            for n, step in enumerate(steps, start=1):
                team = self.catalog.team(step.team, self.lang)
                yield Static(tr("form.step", self.lang, n=n, name=step.name(self.lang), team=team, m=f"{step.minutes:g}"))



class ContentsForm(Form):
    """A document decision: write it, and tick the elements it covers (a notice, a report ...)."""

    def __init__(self, catalog: Catalog, action: str, lang: Lang, keymap: Mapping[str, str], view: DrillView) -> None:
        super().__init__(catalog, action, lang, keymap)
        self.view = view

    DIALOG = "dialog document"

    def fields(self) -> Iterable[Widget]:
        """The body, scrolling where the terminal is short (focus goes straight to the title)."""
        yield VerticalScroll(*self.body(), classes="document-body", can_focus=False)

    def body(self) -> Iterable[Widget]:
        """The rules that check the document, its chain, its text, and a box per element."""
        book = self.catalog
        rules = book.checked_by.get(self.action, [])
        if rules:
            yield Static(tr("form.checked_by", self.lang, rules=", ".join(rules)), classes="note")
        yield from self.chain()
        yield Label(tr("form.text", self.lang), classes="section")
        yield Input(placeholder=tr("form.title", self.lang), id="doc-title")
        yield TextArea(id="doc-body", placeholder=tr("form.body", self.lang))
        required = required_elements(book, self.view, self.action)
        yield Label(tr("form.contents", self.lang), classes="section")
        if required:
            yield Static(tr("form.required", self.lang, elements=book.elements(required, self.lang)), classes="note")
        for element in book.actions[self.action].contents:
            yield Tick(book.element(element, self.lang), id=f"c-{element}")

    def draft(self) -> Draft:
        """The text written and the ticked elements, in the plan's order."""
        spec = self.catalog.actions[self.action]
        text = {"title": self.query_one("#doc-title", Input).value, "body": self.query_one("#doc-body", TextArea).text}
        contents = tuple(e for e in spec.contents if self.query_one(f"#c-{e}", Checkbox).value)
        return Draft(contents=contents, text={k: v.strip() for k, v in text.items() if v.strip()})

    def action_submit(self) -> None:
        """Dismiss with the draft; first, name what it leaves out and ask whether to send it anyway."""
        draft = self.draft()
        problems = self.problems(draft)
        if not problems:
            self.dismiss(draft)
            return
        question = ConfirmScreen(tr("form.incomplete", self.lang), "\n".join(problems), self.lang, self.keymap)
        self.app.push_screen(question, partial(self._send_anyway, draft))

    def _send_anyway(self, draft: Draft, yes: bool | None) -> None:
        if yes:
            self.dismiss(draft)

    def problems(self, draft: Draft) -> list[str]:
        """What the draft leaves out or names wrongly, one line each, ending with the question."""
        book, lang = self.catalog, self.lang
        check = check_document(book, self.view, self.action, draft.contents)
        lines = []
        if check.missing:
            lines.append(tr("form.missing", lang, elements=book.elements(check.missing, lang)))
        if check.wrong:
            level = book.level(self.view.level, lang)
            lines.append(tr("form.wrong", lang, level=level, elements=book.elements(check.wrong, lang)))
        if not draft.text:
            lines.append(tr("form.no_text", lang))
        return [*lines, tr("form.send_anyway", lang)] if lines else []


class LevelForm(Form):
    """Declare or change the response level."""

    def __init__(self, catalog: Catalog, action: str, lang: Lang, keymap: Mapping[str, str], current: str) -> None:
        super().__init__(catalog, action, lang, keymap)
        self.current = current

    def body(self) -> Iterable[Widget]:
        """One choice per level of the plan, the level in force marked."""
        yield Label(tr("form.level", self.lang, level=self.catalog.level(self.current, self.lang)))
        buttons = [
            RadioButton(self.catalog.level(lv, self.lang), value=lv == self.current, id=f"lv-{lv}") for lv in self.catalog.levels
        ]
        yield RadioSet(*buttons, id="levels")

    def draft(self) -> Draft | str:
        """The chosen level."""
        pressed = self.query_one("#levels", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return tr("form.level", self.lang, level=self.catalog.level(self.current, self.lang))
        return Draft(params={"level": pressed.id.removeprefix("lv-")})


class StaffForm(Form):
    """Move people from one team to another."""

    def __init__(self, catalog: Catalog, action: str, lang: Lang, keymap: Mapping[str, str], teams: Sequence[TeamView]) -> None:
        super().__init__(catalog, action, lang, keymap)
        self.teams = teams

    def body(self) -> Iterable[Widget]:
        """Source team, destination team, number of people."""
        options = [
            (tr("form.staff_now", self.lang, team=self.catalog.team(team.name, self.lang), n=team.staff), team.name)
            for team in self.teams
        ]
        yield Select(options, id="src", prompt=tr("form.staff_from", self.lang))
        yield Select(options, id="dst", prompt=tr("form.staff_to", self.lang))
        yield Label(tr("form.staff_n", self.lang))
        yield Input(type="integer", id="n", placeholder="1")

    def draft(self) -> Draft | str:
        """The move, if it names two different teams and a positive number."""
        src = self.query_one("#src", Select).value
        dst = self.query_one("#dst", Select).value
        n = self.query_one("#n", Input).value.strip()
        if not isinstance(src, str) or not isinstance(dst, str) or src == dst or not n.isdigit() or int(n) <= 0:
            return tr("form.staff_bad", self.lang)
        return Draft(params={"src": src, "dst": dst, "n": n})


class ConfirmScreen(ModalScreen[bool]):
    """Ask before an irreversible or plan-breaking decision, naming the rule it touches."""

    BINDINGS = bindings("confirm")

    def __init__(self, title: str, text: str, lang: Lang, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.lang = lang
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(classes="dialog confirm"):
            yield Label(self.title_text, classes="title")
            yield Static(self.text, id="question")
            with Horizontal(classes="buttons"):
                yield Button(tr("confirm.yes", self.lang), variant="warning", id="yes")
                yield Button(tr("confirm.no", self.lang), id="no")
            yield KeyBar("confirm", self.lang, self.keymap, classes="keys")

    def action_answer(self, yes: bool) -> None:
        """Dismiss with the answer."""
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
