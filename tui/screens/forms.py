"""Modal forms that ask for a decision's details, and the confirmation dialog.

Each form is a ``ModalScreen`` that dismisses with a :class:`Draft` (the decision's parameters
and the document elements it carries) or ``None`` when cancelled; the confirmation dismisses
with a bool.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, Static

from simulator.drill import Catalog, TeamView
from simulator.model import Lang

from ..bindings import bindings
from ..i18n import content_label, tr
from ..widgets.keybar import KeyBar


@dataclass(frozen=True)
class Draft:
    """A decision's details as a form collected them."""

    params: dict[str, str] = field(default_factory=dict)
    contents: tuple[str, ...] = ()


class Form(ModalScreen[Draft | None]):
    """A dialog with a title, a body, Submit and Cancel."""

    BINDINGS = bindings("form")

    def __init__(self, catalog: Catalog, action: str, lang: Lang, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.catalog = catalog
        self.action = action
        self.lang = lang
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        """Title, body, error line, buttons and keys."""
        with Vertical(classes="dialog"):
            yield Label(self.catalog.action(self.action, self.lang), classes="title")
            yield from self.body()
            yield Label("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(tr("form.submit", self.lang), variant="primary", id="submit")
                yield Button(tr("form.cancel", self.lang), id="cancel")
            yield KeyBar("form", self.lang, self.keymap, classes="keys")

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


class ContentsForm(Form):
    """A document decision: tick the elements the document carries (a notice, a report ...)."""

    def body(self) -> Iterable[Widget]:
        """The rules that check the document, its chain, and a box per element."""
        rules = self.catalog.checked_by.get(self.action, [])
        if rules:
            yield Static(tr("form.checked_by", self.lang, rules=", ".join(rules)), classes="note")
        yield from self.chain()
        yield Label(tr("form.contents", self.lang), classes="section")
        for element in self.catalog.actions[self.action].contents:
            yield Checkbox(content_label(element, self.lang), id=f"c-{element}")

    def draft(self) -> Draft:
        """The ticked elements, in the plan's order."""
        spec = self.catalog.actions[self.action]
        return Draft(contents=tuple(e for e in spec.contents if self.query_one(f"#c-{e}", Checkbox).value))


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
