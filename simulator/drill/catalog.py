"""What a drill's client needs of the plan to name things and ask for a decision's details.

:class:`Catalog` is plain data taken from the plan: each action (its name, role, steps, the
elements it may carry, the rule a confirmation cites), the rules that check each action's
document, and the names of roles, teams and levels in both languages. The terminal console builds
it from its own plan; a host sends it to every seat in its welcome, so a remote seat asks for a
decision with the very same forms, and an evaluator rates the capabilities it lists.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import (
    CHAPTERS,
    NO_LEVEL,
    WARNING,
    Action,
    Lang,
    MetByAction,
    Names,
    Obligation,
    Plan,
    Strict,
    Text,
    chapter_of,
    list_separator,
)


class Capability(Strict):
    """A chapter of the plan that has duties: a capability a drill tests."""

    chapter: int
    name: Text
    rules: list[str]
    """The rule IDs of its duties."""


class Catalog(Strict):
    """The plan's decisions and names, as a client shows them."""

    actions: dict[str, Action]
    """Every action of the plan (a seat takes those of its roles)."""
    checked_by: dict[str, list[str]]
    """Action → the rule IDs of the duties that check which elements its document carries."""
    role_names: dict[str, Text]
    team_names: dict[str, Text]
    level_names: dict[str, Text]
    """Each level, no response and the warning state as shown (``L2 二级响应``)."""
    levels: list[str]
    """The plan's levels, in order."""
    transitions: dict[str, dict[str, str]]
    """Level → level a decision may change it to → the rule allowing it."""
    indicator_names: dict[str, Text]
    element_names: dict[str, Text]
    """The names of the elements a document may carry (and an announcement's channels)."""
    obligations: list[Obligation]
    """The plan's duties, in its order: what a document must carry now (:func:`~simulator.drill.required_elements`)."""
    capabilities: list[Capability]
    """The plan's chapters with duties, in chapter order."""

    def level(self, level: str, lang: Lang) -> str:
        """A level (or no response, or the warning state) as shown."""
        name = self.level_names.get(level)
        return level if name is None else name(lang)

    def team(self, team: str, lang: Lang) -> str:
        """A team's name."""
        name = self.team_names.get(team)
        return team if name is None else name(lang)

    def role(self, role: str, lang: Lang) -> str:
        """A role's name."""
        name = self.role_names.get(role)
        return role if name is None else name(lang)

    def action(self, action: str, lang: Lang) -> str:
        """An action's name."""
        spec = self.actions.get(action)
        return action if spec is None else spec.name(lang)

    def indicator(self, key: str, lang: Lang) -> str:
        """An indicator's name."""
        name = self.indicator_names.get(key)
        return key if name is None else name(lang)

    def element(self, element: str, lang: Lang) -> str:
        """A document element's name."""
        name = self.element_names.get(element)
        return element if name is None else name(lang)

    def elements(self, elements: Iterable[str], lang: Lang) -> str:
        """Several elements' names, joined as the language lists them."""
        return list_separator(lang).join(self.element(e, lang) for e in elements)

    def allows(self, src: str, dst: str) -> str | None:
        """The rule allowing a decision to change level ``src`` to ``dst``; None when the plan does not."""
        return self.transitions.get(src, {}).get(dst)


def catalog(plan: Plan) -> Catalog:
    """The catalog of a plan."""
    checked: dict[str, list[str]] = {}
    for ob in plan.obligations:
        if isinstance(ob.met_by, MetByAction) and ob.met_by.contents:
            for action in ob.met_by.action:
                rules = checked.setdefault(action, [])
                if ob.rule not in rules:
                    rules.append(ob.rule)
    chapters: dict[int, list[str]] = {}
    for ob in plan.obligations:
        rules = chapters.setdefault(chapter_of(ob.section), [])
        if ob.rule not in rules:
            rules.append(ob.rule)
    transitions: dict[str, dict[str, str]] = {}
    for t in plan.transitions:
        transitions.setdefault(t.from_, {}).setdefault(t.to, t.rule)
    return Catalog(
        actions=dict(plan.actions),
        checked_by=checked,
        role_names={k: r.name for k, r in plan.roles.items()},
        team_names={k: t.name for k, t in plan.teams.items()},
        level_names={
            lv: Text(zh=Names(plan, "zh").level(lv), en=Names(plan, "en").level(lv))
            for lv in (NO_LEVEL, WARNING, *(lv.id for lv in plan.levels))
        },
        levels=[lv.id for lv in plan.levels],
        transitions=transitions,
        indicator_names={k: i.name for k, i in plan.indicators.items()},
        element_names=dict(plan.elements),
        obligations=list(plan.obligations),
        capabilities=[
            Capability(chapter=n, name=Text(zh=CHAPTERS[n][0], en=CHAPTERS[n][1]), rules=chapters[n])
            for n in sorted(chapters)
            if n in CHAPTERS
        ],
    )
