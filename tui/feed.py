"""The inject feed's lines: what the engine's events and the clock's pauses mean, in words.

Injects (media reports, regulator calls, test results ...) in the session's language, level and
warning changes, the trainees' decisions acknowledged once journaled and then step by step,
rejections, the verdicts on the trainees' decisions (the conditions that held and those that did
not), duties met, overdue or incomplete, the auto-responder's decisions, team work finished.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.drill import AUTO_ACTOR
from simulator.model import Lang, Names, Plan, Scenario, inject_kind
from simulator.record import (
    ActionDone,
    CampaignChanged,
    DecisionMade,
    DecisionRejected,
    Event,
    ImpliedLevel,
    InjectFired,
    InjectWritten,
    LevelChanged,
    ObligationMet,
    Reason,
    StepDone,
    TaskChanged,
    WarningChanged,
)
from simulator.score import Judge, duty_role

from .driver import Driver, Update
from .i18n import duration, tr


@dataclass(frozen=True)
class Entry:
    """One line of the feed."""

    t: float
    tone: str
    """inject, level, ack, reject, progress, met, late, soon, overdue, pause, auto, info."""
    text: str


class Describer:
    """Turns updates into feed entries for one session, in one language."""

    def __init__(self, driver: Driver, lang: Lang, *, show_implied: bool = True) -> None:
        self.driver = driver
        self.plan: Plan = driver.plan
        self.scenario: Scenario = driver.session.scenario
        self.lang = lang
        self.show_implied = show_implied
        self.judge = Judge(self.plan)
        """Judges the trainees' decisions as the feed shows them; it must see every event from the start."""

    def update(self, update: Update, now: float) -> list[Entry]:
        """The entries for an update shown at ``now``: its events, duties due soon or overdue, an auto-pause."""
        out = self.events(update.events)
        lang = self.lang
        for duty in update.due_soon:
            left = duration(duty.due - now, lang)
            name = self.plan.obligations[duty.index].name(lang)
            out.append(Entry(now, "soon", tr("feed.due_soon", lang, rule=duty.rule, name=name, left=left)))
        for duty in update.overdue:
            name = self.plan.obligations[duty.index].name(lang)
            out.append(Entry(now, "overdue", tr("feed.overdue", lang, rule=duty.rule, name=name)))
        if update.stopped is not None:
            out.append(Entry(now, "pause", tr(f"feed.paused_{update.stopped}", lang)))
        return out

    def events(self, events: list[Event]) -> list[Entry]:
        """The entries for a list of events."""
        out = []
        for n, e in enumerate(events):
            entry = self._event(e)
            if entry is not None:
                out.append(entry)
            rejected = n + 1 < len(events) and isinstance(events[n + 1], DecisionRejected)
            verdict = self.judge.see(e)
            if verdict is not None and verdict.actor != AUTO_ACTOR and not rejected:
                key = "feed.verdict_ok" if verdict.correct else "feed.verdict_wrong"
                out.append(
                    Entry(
                        e.t,
                        "met" if verdict.correct else "reject",
                        tr(key, self.lang, rule=verdict.rule, reason=verdict.why.say(self.lang, self.plan)),
                    )
                )
        return out

    def _event(self, e: Event) -> Entry | None:
        lang, plan = self.lang, self.plan
        if isinstance(e, InjectWritten):  # the facilitator's: its InjectFired follows, shown here
            text = e.zh if lang == "zh" else e.en
            return Entry(e.t, "inject", tr("feed.inject", lang, kind=inject_kind(e.kind, lang), text=text))
        if isinstance(e, InjectFired) and e.index < len(self.scenario.injects):
            inject = self.scenario.injects[e.index]
            return Entry(e.t, "inject", tr("feed.inject", lang, kind=inject_kind(e.kind, lang), text=inject.text(lang)))
        if isinstance(e, LevelChanged):
            by = tr("palette.auto", lang) if e.by == AUTO_ACTOR else Names(plan, lang).owner(e.by)
            src, dst = Names(plan, lang).level(e.src), Names(plan, lang).level(e.dst)
            return Entry(e.t, "level", tr("feed.level", lang, src=src, dst=dst, by=by, rule=e.rule))
        if isinstance(e, WarningChanged):
            by = tr("palette.auto", lang) if e.by == AUTO_ACTOR else Names(plan, lang).owner(e.by)
            key = "feed.warning_on" if e.active else "feed.warning_off"
            return Entry(e.t, "level", tr(key, lang, by=by, rule=e.rule))
        if isinstance(e, ImpliedLevel):
            return (
                Entry(e.t, "info", tr("clock.implied", lang, level=Names(plan, lang).level(e.level)))
                if self.show_implied
                else None
            )
        if isinstance(e, DecisionMade):
            name = self._decision_name(e.action, dict(e.params))
            if e.actor == AUTO_ACTOR:
                return Entry(e.t, "auto", tr("feed.auto", lang, role=Names(plan, lang).owner(e.role), action=name))
            return Entry(e.t, "ack", tr("feed.ack", lang, seq=e.seq, action=name))
        if isinstance(e, DecisionRejected):
            name = Names(plan, lang).action(e.action)
            reason = Reason.rejected(e).say(lang, plan)
            return Entry(e.t, "reject", tr("feed.rejected", lang, seq=e.seq, action=name, reason=reason, rule=e.rule or "—"))
        if isinstance(e, StepDone) and e.seq in self.driver.mine:
            return Entry(
                e.t,
                "progress",
                tr(
                    "feed.step",
                    lang,
                    seq=e.seq,
                    action=Names(plan, lang).action(e.action),
                    step=self._step_name(e.action, e.team),
                ),
            )
        if isinstance(e, ActionDone) and e.seq in self.driver.mine:
            return Entry(e.t, "progress", tr("feed.done", lang, seq=e.seq, action=Names(plan, lang).action(e.action)))
        if isinstance(e, ObligationMet):
            return self._met(e)
        if isinstance(e, TaskChanged) and e.done:
            task = plan.tasks.get(e.task)
            return Entry(e.t, "info", tr("feed.task", lang, task=task.name(lang) if task else e.task))
        if isinstance(e, CampaignChanged):
            return Entry(e.t, "info", tr("feed.campaign_off" if e.done else "feed.campaign_on", lang, n=e.size))
        return None

    def _decision_name(self, action: str, params: dict[str, str]) -> str:
        name = Names(self.plan, self.lang).action(action)
        if action == "declare_level" and "level" in params:
            return f"{name} → {Names(self.plan, self.lang).level(params['level'])}"
        if action == "move_staff" and {"src", "dst", "n"} <= params.keys():
            src, dst = Names(self.plan, self.lang).team(params["src"]), Names(self.plan, self.lang).team(params["dst"])
            return f"{name}: {src} → {dst} × {params['n']}"
        return name

    def _step_name(self, action: str, team: str) -> str:
        spec = self.plan.actions.get(action)
        for step in spec.steps if spec is not None else ():
            if step.team == team:
                return step.name(self.lang)
        return Names(self.plan, self.lang).team(team)

    def _met(self, e: ObligationMet) -> Entry | None:
        opened = self.driver.opened.get(e.oid)
        if opened is None:
            return None
        ob = self.plan.obligations[opened.index]
        if duty_role(self.plan, ob) not in self.driver.view.holders:
            return None
        name = ob.name(self.lang)
        if e.missing:
            missing = Names(self.plan, self.lang).elements(e.missing)
            return Entry(e.t, "late", tr("feed.incomplete", self.lang, rule=ob.rule, name=name, missing=missing))
        if e.t <= opened.due:
            return Entry(e.t, "met", tr("feed.met", self.lang, rule=ob.rule, name=name))
        return Entry(
            e.t, "late", tr("feed.met_late", self.lang, rule=ob.rule, name=name, late=duration(e.t - opened.due, self.lang))
        )
