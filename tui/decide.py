"""Which form a decision needs, and which decisions ask for confirmation (naming the rule)."""

from __future__ import annotations

from collections.abc import Mapping

from simulator.drill import Catalog, DrillView
from simulator.model import Lang

from .i18n import tr
from .screens.forms import ContentsForm, Draft, Form, LevelForm, StaffForm

LEVEL_ACTION = "declare_level"
STAFF_ACTION = "move_staff"


def form_for(catalog: Catalog, view: DrillView, action: str, lang: Lang, keymap: Mapping[str, str]) -> Form | None:
    """The form asking for a decision's details; None when it needs none."""
    if action == LEVEL_ACTION:
        return LevelForm(catalog, action, lang, keymap, view.level)
    if action == STAFF_ACTION:
        return StaffForm(catalog, action, lang, keymap, view.teams)
    if catalog.actions[action].contents:
        return ContentsForm(catalog, action, lang, keymap, view)
    return None


def confirmation(catalog: Catalog, view: DrillView, action: str, draft: Draft, lang: Lang) -> str | None:
    """The question to ask before an irreversible or plan-breaking decision; None to go ahead.

    A level change the plan's transitions do not allow is plan-breaking (``catalog.allows``); an
    action with ``confirm_rule`` is irreversible. Either way the question cites the rule.
    """
    spec = catalog.actions[action]
    if action == LEVEL_ACTION and "level" in draft.params:
        src, dst = view.level, draft.params["level"]
        names = {"src": catalog.level(src, lang), "dst": catalog.level(dst, lang)}
        allowed = catalog.allows(src, dst)
        rule = spec.confirm_rule or allowed or ""
        text = tr("confirm.change", lang, **names) if allowed else tr("confirm.illegal", lang, **names)
        return tr("confirm.rule", lang, rule=rule, text=text)
    if spec.confirm_rule is not None:
        return tr("confirm.rule", lang, rule=spec.confirm_rule, text=tr("confirm.irreversible", lang))
    return None
