"""The action palette: every decision of the engine's port, each with its key.

Decisions of the roles the trainees hold are enabled, with the name of the trainee who takes
them; the others show as handled by the auto-responder.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.model import Lang, Names, Plan

from ..i18n import tr


class ActionPalette(OptionList):
    """The plan's decisions, in the plan's order."""

    @dataclass
    class Chosen(Message):
        """A decision was picked (by Enter on it or by its key)."""

        action: str

    def __init__(
        self,
        plan: Plan,
        holders: dict[str, str],
        keys: dict[str, str],
        lang: Lang,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self.plan = plan
        self.holders = holders
        """Role → the trainee holding it."""
        self.key_of = {action: key for key, action in keys.items()}
        options = [self._option(name, lang) for name in plan.actions]
        super().__init__(*options, id=id, classes=classes)

    def _option(self, name: str, lang: Lang) -> Option:
        spec = self.plan.actions[name]
        key = self.key_of.get(name, "")
        holder = self.holders.get(spec.role)
        if holder is not None:
            return Option(Text.assemble((f"{key:>2} ", "bold cyan"), spec.name(lang), (f"  {holder}", "dim")), id=name)
        auto = f"  {tr('palette.auto', lang)} · {Names(self.plan, lang).owner(spec.role)}"
        return Option(
            Text.assemble((f"{key:>2} ", "dim"), (spec.name(lang), "dim"), (auto, "dim italic")), id=name, disabled=True
        )

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))
