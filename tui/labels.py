"""Duties' time limits and triggers in words, as the UI shows them (the plan's names: :class:`simulator.model.Names`)."""

from __future__ import annotations

from simulator.model import Lang, Names, Obligation, Plan, inject_kind

from .i18n import duration, tr


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
        text = tr("trigger.task_done", lang, task=Names(plan, lang).task(trig.task or ""))
    else:
        text = tr(f"trigger.{trig.on}", lang)
    if trig.levels:
        text += tr("trigger.levels", lang, levels="/".join(trig.levels))
    return text
