"""The plan's things by name in one language: levels, teams, roles, actions, tasks, inject kinds.

Every surface a person reads — the drill console, the after-action report, the reasons of a
verdict — names the plan's things through :class:`Names`, so a level, a team or an inject kind is
called the same everywhere. An identifier the plan does not know is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .base import Lang
from .plan import NO_LEVEL, Plan
from .situation import WARNING

STATES: dict[str, tuple[str, str]] = {NO_LEVEL: ("无响应", "no response"), WARNING: ("预警状态", "warning state")}
"""The words for no response and for the warning state, which are not levels of the plan."""

FLAG_WORDS: dict[bool, tuple[str, str]] = {True: ("是", "true"), False: ("否", "false")}


def list_separator(lang: Lang) -> str:
    """How the language separates the items of a list: 、 in Chinese, a comma in English."""
    return "、" if lang == "zh" else ", "
"""A flag's value in words."""

INJECT_KINDS: dict[str, tuple[str, str]] = {
    "incident_report": ("接报", "incident report"),
    "media": ("媒体报道", "media report"),
    "injury": ("人员伤害", "injury"),
    "regulator_letter": ("监管来函", "regulator letter"),
    "test_result": ("检测结果", "test result"),
    "recall": ("召回", "recall"),
    "info": ("舆情信息", "information"),
}
"""Names of the usual inject kinds; another kind is shown as written, its underscores as spaces."""


def inject_kind(kind: str, lang: Lang) -> str:
    """The name of an inject kind."""
    pair = INJECT_KINDS.get(kind)
    return kind.replace("_", " ") if pair is None else pair[lang == "en"]


@dataclass(frozen=True)
class Names:
    """The names of a plan's things in one language."""

    plan: Plan
    lang: Lang

    def level(self, level: str) -> str:
        """``L2 二级响应`` / ``L2 Level 2 (larger)``, or the words for no response and the warning state."""
        if level in STATES:
            return STATES[level][self.lang == "en"]
        try:
            return f"{level} {self.plan.level(level).name(self.lang)}"
        except KeyError:
            return level

    def team(self, team: str) -> str:
        """The name of a team."""
        spec = self.plan.teams.get(team)
        return team if spec is None else spec.name(self.lang)

    def role(self, role: str) -> str:
        """The name of a role."""
        spec = self.plan.roles.get(role)
        return role if spec is None else spec.name(self.lang)

    def owner(self, owner: str) -> str:
        """The name of a duty's owner: a role, or else a team."""
        return self.role(owner) if owner in self.plan.roles else self.team(owner)

    def action(self, action: str) -> str:
        """The name of a decision the plan allows."""
        spec = self.plan.actions.get(action)
        return action if spec is None else spec.name(self.lang)

    def element(self, element: str) -> str:
        """The name of a document element (or an announcement's channel)."""
        spec = self.plan.elements.get(element)
        return element if spec is None else spec(self.lang)

    def elements(self, elements: Iterable[str]) -> str:
        """Several elements' names, joined as the language lists them."""
        return list_separator(self.lang).join(self.element(e) for e in elements)

    def indicator(self, indicator: str) -> str:
        """The name of an indicator."""
        spec = self.plan.indicators.get(indicator)
        return indicator if spec is None else spec.name(self.lang)

    def value(self, indicator: str, value: bool | float | str) -> str:
        """An indicator's value in words: an ordinal's name, yes/no for a flag, a number as written."""
        if isinstance(value, bool):
            return FLAG_WORDS[value][self.lang == "en"]
        if isinstance(value, float | int):
            return f"{value:g}"
        spec = self.plan.indicators.get(indicator)
        name = spec.value_names.get(value) if spec is not None else None
        return value if name is None else name(self.lang)

    def task(self, task: str) -> str:
        """The name of a team task."""
        spec = self.plan.tasks.get(task)
        return task if spec is None else spec.name(self.lang)

    def inject_kind(self, kind: str) -> str:
        """The name of an inject kind."""
        return inject_kind(kind, self.lang)
