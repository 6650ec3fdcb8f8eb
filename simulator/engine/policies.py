"""Decision makers that need no human: the auto-responder and journal replay."""

from __future__ import annotations

from collections.abc import Iterable

import simpy

from ..model import NO_LEVEL, WARNING, Cue, Decision, MetByAction
from ..record import ActionDone, DecisionRejected, Event, ImpliedLevel, LevelChanged, ObligationOpened, WarningChanged
from ..rules import latency, reinforcement
from .core import Engine


class AutoResponder:
    """Follows the plan for the roles it holds, after the scenario's decision latencies.

    It answers every duty that opens with the action that meets it (carrying every element the
    action can carry; an announcement on the channels the plan gives the level in force), starts
    and lifts the warning, raises the level when the plan's passive trigger is left to decision,
    stands down when the plan's conditions hold, and calls on the backup hotline and external support when a response starts.
    """

    def __init__(self, engine: Engine, roles: Iterable[str] | None = None) -> None:
        self.engine = engine
        self.roles = set(engine.plan.roles) if roles is None else set(roles)
        self._busy: dict[str, int] = {}
        """Per action: this responder's decisions scheduled or under way."""
        self._mine: dict[int, str] = {}
        """Sequence numbers of this responder's decisions not yet finished, with their action."""
        engine.listeners.append(self.observe)

    def _latency(self, action: str) -> float:
        return latency(self.engine.scenario.responder, action)

    def _schedule(self, action: str, params: dict[str, str] | None = None) -> None:
        """Decide ``action`` after the scenario's latency for it."""
        spec = self.engine.plan.actions[action]
        if spec.role not in self.roles:
            return
        decision = Decision(0.0, action, spec.role, "auto", params or {})
        self._busy[action] = self._busy.get(action, 0) + 1
        self.engine.env.process(self._later(decision))

    def _later(self, decision: Decision) -> simpy.events.ProcessGenerator:
        yield self.engine.env.timeout(self._latency(decision.action))
        eng = self.engine
        stale = decision.action == "issue_warning" and (eng.level != NO_LEVEL or eng.warning_since is not None)
        stale = stale or (decision.action == "declare_level" and eng.plan.allows(eng.level, decision.params["level"]) is None)
        if stale:
            self._finished(decision.action)
            return
        contents = self._contents(decision.action)
        seq = eng.submit(Decision(eng.now, decision.action, decision.role, "auto", decision.params, contents))
        self._mine[seq] = decision.action

    def _contents(self, action: str) -> tuple[str, ...]:
        """What the document carries: every element it can, or an announcement's channels for the level in force."""
        spec = self.engine.plan.actions[action]
        if spec.channels is not None and self.engine.level in spec.channels.by_level:
            return tuple(spec.channels.by_level[self.engine.level])
        return tuple(spec.contents)

    def _finished(self, action: str) -> None:
        self._busy[action] -= 1
        self._ensure(action)

    def _ensure(self, action: str) -> None:
        """Schedule ``action`` if a duty it meets is open and none of ours is already on the way."""
        if self._busy.get(action, 0):
            return
        for inst in self.engine.book.open:
            if isinstance(inst.ob.met_by, MetByAction) and inst.ob.met_by.action[0] == action:
                self._schedule(action)
                return

    def observe(self, event: Event) -> None:
        """React to a record of the engine's log."""
        eng = self.engine
        if isinstance(event, (ActionDone, DecisionRejected)) and event.seq in self._mine:
            self._finished(self._mine.pop(event.seq))
        if isinstance(event, ObligationOpened):
            met_by = eng.plan.obligations[event.index].met_by
            if isinstance(met_by, MetByAction):
                action = met_by.action[0]
                if action != "declare_level":
                    self._ensure(action)
                elif _next_level(eng) != NO_LEVEL:
                    self._schedule(action, {"level": _next_level(eng)})
        elif isinstance(event, ImpliedLevel):
            if event.level == WARNING and eng.level == NO_LEVEL and eng.warning_since is None:
                self._schedule("issue_warning")
            elif eng.plan.choices.passive_trigger == "decision" and eng.raises(event.level):
                self._schedule("declare_level", {"level": event.level})
        elif isinstance(event, ActionDone):
            if event.action == "lifting_assessment" and eng.warning_liftable():
                self._schedule("lift_warning")
            elif event.action == "daily_assessment" and eng.stand_down_allowed():
                self._schedule("stand_down")
            elif event.action == "daily_assessment" and _lower_level(eng) != NO_LEVEL:
                self._schedule("declare_level", {"level": _lower_level(eng)})
        elif isinstance(event, (LevelChanged, WarningChanged)):
            self._reinforce(event)

    def _reinforce(self, event: LevelChanged | WarningChanged) -> None:
        eng = self.engine
        starting = isinstance(event, WarningChanged) and event.active
        starting = starting or (isinstance(event, LevelChanged) and event.src == NO_LEVEL and event.dst != NO_LEVEL)
        if starting and reinforcement("open_backup_hotline", eng.scenario) is not None and not eng.backup_open:
            self._schedule("open_backup_hotline")
        top = max(eng.plan.levels, key=lambda lv: lv.rank).id
        if isinstance(event, LevelChanged) and event.dst == top and reinforcement("request_external_support", eng.scenario):
            self._schedule("request_external_support")


def _next_level(eng: Engine) -> str:
    """The level the plan's conditions imply, if it is above the one in force."""
    implied = eng.situation.implied()
    return implied if eng.raises(implied) else NO_LEVEL


def _lower_level(eng: Engine) -> str:
    """A lower level that the plan's conditions now call for and its transitions allow."""
    implied = eng.situation.implied()
    if implied in (NO_LEVEL, WARNING) or eng.level == NO_LEVEL:
        return NO_LEVEL
    if eng.plan.rank(implied) < eng.plan.rank(eng.level) and eng.plan.allows(eng.level, implied) is not None:
        return implied
    return NO_LEVEL


def replay(engine: Engine, decisions: Iterable[Decision], cues: Iterable[Cue] = ()) -> None:
    """Feed recorded decisions and the facilitator's cues to the engine at their simulated times, in order.

    A cue is applied where the clock stands and a decision after everything else at its instant,
    so at one instant their order between the two lists does not matter; each list is in order.
    """
    acts: list[Decision | Cue] = [*decisions, *cues]
    for act in sorted(acts, key=lambda a: a.t):
        engine.advance(act.t)
        if isinstance(act, Cue):
            engine.cue(act)
        else:
            engine.submit(act)
