"""Names of the plan's things as the UI shows them: levels, owners, duties' time limits and triggers."""

from __future__ import annotations

from simulator.model import NO_LEVEL, WARNING, Lang, Obligation, Plan

from .i18n import duration, tr


def level_name(plan: Plan, level: str, lang: Lang) -> str:
    """``L2 二级响应`` / ``L2 Level 2 (larger)``; the words for no response and the warning state."""
    if level == NO_LEVEL:
        return tr("level.none", lang)
    if level == WARNING:
        return tr("level.warning", lang)
    try:
        return f"{level} {plan.level(level).name(lang)}"
    except KeyError:
        return level


def owner_name(plan: Plan, owner: str, lang: Lang) -> str:
    """The name of a team or role."""
    if owner in plan.roles:
        return plan.roles[owner].name(lang)
    if owner in plan.teams:
        return plan.teams[owner].name(lang)
    return owner


def team_name(plan: Plan, team: str, lang: Lang) -> str:
    """The name of a team."""
    spec = plan.teams.get(team)
    return team if spec is None else spec.name(lang)


def action_name(plan: Plan, action: str, lang: Lang) -> str:
    """The name of a decision of the plan's port."""
    spec = plan.actions.get(action)
    return action if spec is None else spec.name(lang)


def due_text(plan: Plan, ob: Obligation, lang: Lang) -> str:
    """An obligation's time limit in words: within 30 min, every 4 h, daily by 06:00, by level."""
    if ob.at_hour is not None:
        return tr("due.daily", lang, hh=int(ob.at_hour))
    if ob.due_by_level is not None:
        parts = " / ".join(f"{lv} {duration(plan.minutes(m), lang)}" for lv, m in ob.due_by_level.items())
        return tr("due.by_level", lang, parts=parts)
    assert ob.due_min is not None
    text = tr("due.after", lang, d=duration(plan.minutes(ob.due_min), lang))
    if ob.every_min is not None:
        text += tr("clause.sep", lang) + tr("due.every", lang, d=duration(ob.every_min, lang))
    return text


def trigger_text(plan: Plan, ob: Obligation, lang: Lang) -> str:
    """What opens an obligation, in words."""
    trig = ob.trigger
    if trig.on == "inject":
        text = tr("trigger.inject", lang, kind=inject_kind(trig.inject or "", lang))
    elif trig.on == "task_done":
        task = plan.tasks.get(trig.task or "")
        text = tr("trigger.task_done", lang, task=task.name(lang) if task else trig.task)
    else:
        text = tr(f"trigger.{trig.on}", lang)
    if trig.levels:
        text += tr("trigger.levels", lang, levels="/".join(trig.levels))
    return text


def inject_kind(kind: str, lang: Lang) -> str:
    """An inject kind's label (an unknown kind shows as it is)."""
    key = f"inject.{kind}"
    try:
        return tr(key, lang)
    except KeyError:
        return kind
