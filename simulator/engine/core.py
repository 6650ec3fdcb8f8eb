"""The SimPy model of a complaint crisis under the plan's rules.

One ``Engine`` owns the clock, the random streams and the event log. It never knows who
decides: every decision enters through :meth:`Engine.submit`, from the auto-responder, a
trainee or a replayed journal alike. The same seed and the same decisions at the same
simulated times give the same event log. The complaints themselves, from arrival to answer, are
the business of :class:`~simulator.engine.flow.ComplaintFlow`; the engine makes the arrivals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from functools import partial
from heapq import heappush

import numpy as np
import simpy
from simpy.events import URGENT, EventPriority, Timeout

from ..model import (
    MINUTES_PER_DAY,
    MINUTES_PER_HOUR,
    NO_LEVEL,
    Cue,
    Decision,
    Dist,
    Plan,
    Scenario,
    SimTime,
    Situation,
    TriggerOn,
    Value,
    Written,
    decision_key,
    outcome_key,
    surge_factor,
)
from ..record import (
    ActionDone,
    CampaignChanged,
    DecisionMade,
    DecisionRejected,
    Event,
    EventLog,
    Hourly,
    ImpliedLevel,
    IndicatorChanged,
    InjectCued,
    InjectFired,
    InjectWritten,
    LevelChanged,
    Meta,
    ObligationCancelled,
    ObligationMet,
    ObligationOpened,
    Reason,
    RunEnded,
    StaffChanged,
    StepDone,
    TaskChanged,
    WarningChanged,
)
from ..rules import (
    EVENT_OPEN,
    Msel,
    Pulse,
    Reinforcement,
    Sampler,
    categorical,
    crew_size,
    hourly_baseline,
    reinforcement,
    starts,
    task_minutes,
    task_work,
)
from .flow import ComplaintFlow
from .obligations import ObligationBook
from .teams import Team, staffed_team

"""The indicator that says a complaint event is open; standing down or lifting closes it."""
_UNIT_EXP = Dist(kind="exponential", mean=1.0)

INJECT, DECIDE, LATE = EventPriority(2), EventPriority(3), EventPriority(4)
"""Event priorities after SimPy's NORMAL (1): injects, then decisions, come last in their instant; a duty
is judged overdue after both (a decision at its due instant meets it on time)."""
FACTS = (IndicatorChanged, LevelChanged, WarningChanged, ActionDone, ObligationMet, InjectFired)
"""Records that may change what an inject's condition reads."""


def _at(
    env: simpy.Environment, t: float, priority: EventPriority, callback: Callable[[simpy.Event], None] | None = None
) -> simpy.Event:
    """An event at time ``t`` exactly (``now + (t - now)`` may be an ulp away) with ``priority``, calling ``callback``."""
    event = simpy.Event(env)
    event._ok = True
    event._value = None
    if callback is not None:
        event.callbacks.append(callback)
    heappush(env._queue, (t, priority, next(env._eid), event))
    return event


class _Environment(simpy.Environment):
    """SimPy's environment with a clock that stops at exactly the time asked for.

    ``run(until=t)`` schedules its stop at ``now + (t - now)``, which in floating point may be an
    ulp away from ``t`` — and for some ``now`` and ``t`` no delay at all sums to ``t``. A decision
    taken at such a stop would be journaled at a time its replay cannot reach.
    """

    def run_to(self, t: float) -> None:
        """Run until ``t`` exactly, stopping before anything else due then, as ``run(until=t)`` does."""
        self.run(until=_at(self, t, URGENT))


class _Late(simpy.Event):
    """An event that fires ``delay`` from now with ``priority``, calling ``callback``."""

    def __init__(
        self, env: simpy.Environment, delay: float, priority: EventPriority, callback: Callable[[simpy.Event], None]
    ) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        self.callbacks.append(callback)
        env.schedule(self, priority, delay)


class Engine:
    """A running scenario: complaints, teams, indicators, levels, obligations and decisions."""

    def __init__(
        self, plan: Plan, scenario: Scenario, *, seed: int | None = None, staff: Mapping[str, int] | None = None
    ) -> None:
        self.plan = plan
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else seed
        self.env = _Environment()
        self.horizon: SimTime = scenario.horizon
        rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(self.seed).spawn(6)]
        self._rng_arrivals, self._rng_work, self._rng_patience, self._rng_steps, self._rng_tasks, self._rng_mix = rngs
        self.teams: dict[str, Team] = {name: staffed_team(self.env, plan, scenario, staff, name) for name in plan.teams}
        for team in self.teams.values():
            team.at_hour(0)
        self.log = EventLog(
            Meta(
                plan_id=plan.id,
                plan_version=plan.version,
                scenario_id=scenario.id,
                seed=self.seed,
                horizon=self.horizon,
                teams=tuple(self.teams),
                staff=tuple((n, t.staff) for n, t in self.teams.items()),
            )
        )
        self.listeners: list[Callable[[Event], None]] = []
        """Called with every record as it is appended (the auto-responder, the UI)."""
        self.situation = Situation(plan)
        self.level = NO_LEVEL
        self.warning_since: SimTime | None = None
        self.implied = NO_LEVEL
        self._window = int(plan.choices.growth_window_h)
        self._baseline = hourly_baseline(scenario)
        self.pulse = Pulse(self._window, self._expected, scenario.opinion, plan.indicators)
        self.book = ObligationBook(self.env, plan, self.emit, self._start_campaign, self.pulse.disclosed)
        self._seq = 0
        self._cid = 0
        self.backup_open = False
        self._samplers = self._make_samplers()
        self.flow = ComplaintFlow(self.env, self.teams, self._samplers, self.log)
        self._arrival_steps = self._arrivals()
        self._next_arrival()
        self.msel = Msel(plan, scenario)
        self._branching = any(not inject.timed for inject in scenario.injects)
        """Whether some inject waits for a condition or for something else: then the log's records feed it facts."""
        self._checking = False
        self._duties: dict[int, tuple[str, float]] = {}
        """Open duties whose outcome an inject reads: oid → (rule, due)."""
        for at, index in self.msel.starts():
            # After the hour closing at the same instant, so an inject sees that hour's figures.
            _Late(self.env, at, INJECT, partial(self._reach, index))

    # -- plumbing ---------------------------------------------------------------------------

    def emit(self, event: Event) -> None:
        """Append a record to the log and show it to the listeners."""
        self.log.append(event)
        for listener in self.listeners:
            listener(event)
        if self._branching:
            self._facts_from(event)

    @property
    def heat(self) -> float:
        """Opinion heat now."""
        return self.pulse.heat

    @property
    def now(self) -> SimTime:
        """The simulated time in minutes."""
        return float(self.env.now)

    def advance(self, until: SimTime) -> None:
        """Run the simulation up to ``until`` (at most the horizon)."""
        target = min(until, self.horizon)
        if target > self.env.now:
            self.env.run_to(target)

    def finish(self, until: SimTime | None = None) -> EventLog:
        """Run to the horizon — or end the run early at ``until`` — close the log and return it."""
        if until is not None and until < self.horizon:
            self.horizon = max(until, self.now)
            self.log.meta = replace(self.log.meta, horizon=self.horizon)
        self.advance(self.horizon)
        self.flow.end()
        self.emit(RunEnded(self.now))
        return self.log

    def _make_samplers(self) -> dict[str, Sampler]:
        out: dict[str, Sampler] = {"interarrival": Sampler(_UNIT_EXP, self._rng_arrivals)}
        for name, setup in self.scenario.teams.items():
            for part in ("handling", "callback", "patience"):
                dist = getattr(setup, part)
                if dist is not None:
                    rng = self._rng_patience if part == "patience" else self._rng_work
                    out[f"{name}.{part}"] = Sampler(dist, rng)
        if self.scenario.step_cv > 0:
            out["step"] = Sampler(Dist(kind="lognormal", mean=1.0, cv=self.scenario.step_cv), self._rng_steps)
        return out

    # -- complaints ---------------------------------------------------------------------------

    def _expected(self, hour: int) -> float:
        return self._baseline[hour % 24]

    def surge(self, t: SimTime) -> float:
        """The surge multiple of baseline at time ``t``."""
        return float(surge_factor(self.scenario.complaints.surge, np.array([t / MINUTES_PER_DAY]))[0])

    def _arrivals(self) -> Iterator[float]:
        """The complaint stream, hour by hour: makes the arrivals and closes the hours.

        Yields the delay to its next step. :meth:`_next_arrival` drives it with one timeout per
        step, which costs less than resuming a SimPy process at every arrival.
        """
        env = self.env
        mix = self.scenario.complaints
        ch_p, sv_p = mix.shares()
        gap = self._samplers["interarrival"].next
        rng_mix = self._rng_mix
        arrive = self.flow.arrive
        hour = 0
        while hour * MINUTES_PER_HOUR < self.horizon:
            end = (hour + 1) * MINUTES_PER_HOUR
            rate = (
                self._expected(hour)
                / MINUTES_PER_HOUR
                * self.surge(env.now + 30.0)
                * (1 + self.scenario.opinion.feedback * self.heat)
            )
            if rate > 0:
                n_guess = int(rate * MINUTES_PER_HOUR * 1.5) + 16
                channels = categorical(ch_p, rng_mix, n_guess).tolist()
                severities = categorical(sv_p, rng_mix, n_guess).tolist()
                i = 0
                t = env.now + gap() / rate
                while t < end:
                    yield t - env.now
                    if i == len(channels):
                        channels += categorical(ch_p, rng_mix, n_guess).tolist()
                        severities += categorical(sv_p, rng_mix, n_guess).tolist()
                    arrive(channels[i], severities[i])
                    i += 1
                    t += gap() / rate
            if end > env.now:
                yield end - env.now
            hour += 1
            self._close_hour(hour)

    def _next_arrival(self, _: simpy.Event | None = None) -> None:
        """Take the complaint stream's next step and schedule the one after."""
        delay = next(self._arrival_steps, None)
        if delay is not None:
            Timeout(self.env, delay).callbacks.append(self._next_arrival)

    def _close_hour(self, hour: int) -> None:
        """End of an hour: snapshot, opinion heat, computed indicators, rosters."""
        arrivals, answered, abandoned = self.flow.close_hour(self.now - self._window * MINUTES_PER_HOUR)
        computed = self.pulse.close_hour(arrivals, self._expected(hour - 1), self.now)
        self.emit(
            Hourly(
                self.now,
                arrivals,
                answered,
                abandoned,
                tuple(t.backlog for t in self.teams.values()),
                tuple(t.staff for t in self.teams.values()),
                tuple(round(t.resource.take_busy(), 3) for t in self.teams.values()),
                round(self.heat, 3),
                round(self.pulse.growth_pct, 1),
            )
        )
        self._set_many(computed)
        for team in self.teams.values():
            if team.at_hour(hour):
                self.emit(StaffChanged(self.now, team.name, team.staff))

    # -- indicators, levels, warning -----------------------------------------------------------

    def _reach(self, index: int, _: simpy.Event | None = None) -> None:
        """Inject ``index`` reached its earliest time: it fires if it is pending and its condition holds."""
        if self.msel.reach(index, self._facts()):
            self._inject(index)

    def _facts(self) -> dict[str, Value]:
        return self.msel.view(self.situation.values, self.level, self.warning_since is not None)

    def _inject(self, index: int, written: Written | None = None) -> None:
        """Inject ``index`` fires: the scenario's, or the facilitator's ``written`` one."""
        if written is None:
            kind, values = self.scenario.injects[index].kind, self.scenario.injects[index].set
        else:
            kind, values = written.kind, dict(written.values)
        self.emit(InjectFired(self.now, index, kind))
        self._reach_later(self.msel.fire(index, self.now))
        before = dict(self.situation.values)
        self._set_many(values)
        self.pulse.inject(self.plan.ordinals(), before, self.situation.values, self.now)
        self._fire("inject", inject=kind)

    def _reach_later(self, anchored: list[tuple[SimTime, int]]) -> None:
        for at, index in anchored:
            _at(self.env, at, INJECT, partial(self._reach, index))

    def _facts_from(self, event: Event) -> None:
        """Note what a record tells the injects (decisions carried out, duty outcomes); check them again."""
        msel = self.msel
        if isinstance(event, ActionDone):
            self._reach_later(msel.note(decision_key(event.action), self.now))
        elif isinstance(event, ObligationOpened) and event.rule in msel.duties:
            self._duties[event.oid] = (event.rule, event.due)
            _at(self.env, event.due, LATE, partial(self._overdue, event.oid))
        elif isinstance(event, ObligationMet) and event.oid in self._duties:
            rule, due = self._duties.pop(event.oid)
            msel.note(outcome_key(rule, "met" if self.now <= due else "late"), self.now)
        elif isinstance(event, ObligationCancelled):
            self._duties.pop(event.oid, None)
        if isinstance(event, FACTS):
            self._check_soon()

    def _overdue(self, oid: int, _: simpy.Event) -> None:
        if oid in self._duties:
            self.msel.note(outcome_key(self._duties[oid][0], "overdue"), self.now)
            self._check_soon()

    def _check_soon(self) -> None:
        """Check the waiting injects once this instant's other events are done."""
        if self.msel.waiting and not self._checking:
            self._checking = True
            _Late(self.env, 0.0, INJECT, self._check_injects)

    def _check_injects(self, _: simpy.Event) -> None:
        self._checking = False
        while due := self.msel.due(self._facts()):
            self._inject(due[0])

    def _set_many(self, values: Mapping[str, bool | float | str]) -> None:
        changed = []
        for name, value in values.items():
            changed += self.situation.set(name, value)
        for name, value in changed:
            self.emit(IndicatorChanged(self.now, name, value))
        if any(name == EVENT_OPEN and value is True for name, value in changed):
            self._fire("event_open")
        if changed:
            self._reassess()

    def _reassess(self) -> None:
        implied = self.situation.implied()
        if implied != self.implied:
            self.implied = implied
            self.emit(ImpliedLevel(self.now, implied))
        if self.plan.choices.passive_trigger == "automatic" and self.raises(implied):
            self._change_level(implied, "auto", "ACTIVATE-1")
        self.book.check_conditions(self.situation, self.level)

    def raises(self, level: str) -> bool:
        """Whether ``level`` is a response level above the one in force that the plan lets us reach."""
        return self.plan.raises(self.level, level)

    def _fire(self, on: TriggerOn, *, inject: str | None = None, task: str | None = None) -> None:
        self.book.fire(on, self.level, inject=inject, task=task)
        for name, spec in self.plan.tasks.items():
            if starts(spec.start, on, self.level, inject=inject, task=task):
                self.env.process(self._task(name))

    def _change_level(self, dst: str, by: str, rule: str) -> None:
        src = self.level
        self.level = dst
        self.emit(LevelChanged(self.now, src, dst, by, rule))
        if dst == NO_LEVEL:
            self.book.end("response_end")
            self._set_many({EVENT_OPEN: False})
            return
        if src == NO_LEVEL:
            if self.warning_since is not None and self.plan.warning.ends_on_response_start:
                self._set_warning(False, "auto", self.plan.warning.rule)
            self._fire("response_start")
        self._fire("level_entered")

    def _set_warning(self, active: bool, by: str, rule: str) -> None:
        self.warning_since = self.now if active else None
        self.emit(WarningChanged(self.now, active, by, rule))
        if active:
            self._fire("warning_start")
        else:
            self.book.end("warning_end")
            self._fire("warning_end")
            if self.level == NO_LEVEL:
                self._set_many({EVENT_OPEN: False})

    def warning_liftable(self) -> bool:
        """Whether the plan's lifting conditions (WARN-4) hold now."""
        w = self.plan.warning
        return (
            self.warning_since is not None
            and self.now - self.warning_since >= w.lift_after_h * MINUTES_PER_HOUR
            and self.situation.holds(w.lift_when)
        )

    def stand_down_allowed(self) -> bool:
        """Whether the plan's stand-down conditions (ADJUST-4, RESP-6) hold now."""
        return self.level != NO_LEVEL and self.situation.holds(self.plan.stand_down.when)

    # -- team work -------------------------------------------------------------------------------

    def _task(self, name: str) -> simpy.events.ProcessGenerator:
        spec = self.plan.tasks[name]
        wanted, effort = task_work(self.plan, self.scenario, name, self._rng_tasks)
        self.emit(TaskChanged(self.now, name, False))
        team = self.teams[spec.team].resource
        crew = crew_size(wanted, self.teams[spec.team].staff)
        reqs = [team.request() for _ in range(crew)]
        yield self.env.all_of(reqs)
        yield self.env.timeout(task_minutes(effort, crew))
        for req in reqs:
            team.release(req)
        self.emit(TaskChanged(self.now, name, True))
        self.book.on_task(name)
        self._fire("task_done", task=name)

    def _start_campaign(self, oid: int, trigger: str) -> None:
        """Call back every complainant registered in the growth window before now."""
        since = self.now - self._window * MINUTES_PER_HOUR
        size = self.flow.registered_since(since)
        self._cid += 1
        cid = self._cid
        self.emit(CampaignChanged(self.now, cid, trigger, size, False))
        self.env.process(self._campaign(cid, oid, trigger, size))

    def _campaign(self, cid: int, oid: int, trigger: str, size: int) -> simpy.events.ProcessGenerator:
        """A crew taken off the comms queue works the callback list, one call at a time each."""
        setup = self.scenario.teams.get("comms")
        crew = max(1, min(size, setup.callback_crew if setup is not None else 1))
        remaining = [size]
        self._adjust("comms", -crew)
        yield self.env.all_of([self.env.process(self._callbacks(remaining)) for _ in range(crew)])
        self._adjust("comms", crew)
        self.emit(CampaignChanged(self.now, cid, trigger, size, True))
        self.book.on_campaign(oid)

    def _callbacks(self, remaining: list[int]) -> simpy.events.ProcessGenerator:
        duration = self._samplers["comms.callback"]
        while remaining[0] > 0:
            remaining[0] -= 1
            yield self.env.timeout(duration())

    # -- the facilitator's cues -------------------------------------------------------------------

    def cue(self, cue: Cue) -> int:
        """Take the facilitator's act on the MSEL at once; return the inject's index (a written inject's new one).

        Only the facilitator cues, between clock slices, so it is applied where the clock stands:
        before anything else due at this instant (a hold stops an inject due now), as a replay that
        advances to the same time applies it. A cue no longer possible is left out of the log.
        """
        written = cue.written
        if written is not None:
            index = self.msel.write()
            text = written.text
            self.emit(InjectWritten(self.now, index, written.kind, text.zh, text.en, written.roles, written.values, cue.by))
            self._inject(index, written)
            return index
        if self.msel.refusal(cue.op, cue.index) is None:
            self.emit(InjectCued(self.now, cue.index, cue.op, cue.by))
            if cue.op == "fire" or self.msel.cue(cue.op, cue.index, self._facts()):
                self._inject(cue.index)
        return cue.index

    # -- the decision port -----------------------------------------------------------------------

    def submit(self, decision: Decision) -> int:
        """Take a decision now; return its sequence number. Rejections are logged, not raised.

        The decision is applied once everything else happening at this instant has happened, so
        the auto-responder (deciding from inside the simulation), a trainee and a replayed journal
        (deciding between slices) give the same log for the same decisions at the same times.
        """
        seq = self._seq
        self._seq += 1
        _Late(self.env, 0.0, DECIDE, lambda _: self._apply(seq, decision))
        return seq

    def _apply(self, seq: int, decision: Decision) -> None:
        self.emit(
            DecisionMade(
                self.now,
                seq,
                decision.role,
                decision.actor,
                decision.action,
                tuple(sorted(decision.params.items())),
                tuple(decision.contents),
                tuple(sorted(decision.text.items())),
            )
        )
        problem = self._check(decision)
        if problem is not None:
            self._reject(seq, decision.action, *problem)
        else:
            self.env.process(self._carry_out(seq, decision))

    def _check(self, d: Decision) -> tuple[str, Reason] | None:
        """(rule, reason) when the decision cannot be carried out."""
        plan = self.plan
        action = plan.actions.get(d.action)
        if action is None:
            return ("", Reason("unknown_action", (("action", d.action),)))
        if d.action == "declare_level":
            dst = d.params.get("level", "")
            if dst not in {lv.id for lv in plan.levels}:
                return ("ADJUST-3", Reason("unknown_level", (("level", dst),)))
            if dst == self.level:
                return ("ADJUST-3", Reason("level_in_force", (("level", dst),)))
            if plan.allows(self.level, dst) is None:
                return ("ADJUST-3", Reason("transition_not_allowed", (("from_level", self.level), ("to_level", dst))))
        elif d.action == "issue_warning":
            if self.level != NO_LEVEL:
                return (plan.warning.rule, Reason("warning_under_response"))
            if self.warning_since is not None:
                return (plan.warning.rule, Reason("warning_active"))
        elif d.action == "lift_warning" and self.warning_since is None:
            return (plan.warning.lift_rule, Reason("no_warning"))
        elif d.action == "stand_down" and self.level == NO_LEVEL:
            return (plan.stand_down.rules[0], Reason("no_response"))
        elif d.action == "move_staff":
            return self._check_move(d.params)
        elif d.action == "open_backup_hotline" and (self.backup_open or reinforcement(d.action, self.scenario) is None):
            return ("WARN-3", Reason("backup_open" if self.backup_open else "no_backup"))
        elif d.action == "request_external_support" and reinforcement(d.action, self.scenario) is None:
            return ("RESP-5", Reason("no_external"))
        return None

    def _check_move(self, params: Mapping[str, str]) -> tuple[str, Reason] | None:
        src, dst, n = params.get("src", ""), params.get("dst", ""), params.get("n", "")
        if src not in self.teams or dst not in self.teams or src == dst:
            return ("TEAM-LOGI", Reason("move_two_teams", (("src", src), ("dst", dst))))
        if not n.isdigit() or int(n) <= 0:
            return ("TEAM-LOGI", Reason("move_whole_number", (("n", n),)))
        if int(n) > self.teams[src].staff:
            return ("TEAM-LOGI", Reason("move_too_many", (("src", src), ("staff", str(self.teams[src].staff)))))
        return None

    def _reject(self, seq: int, action: str, rule: str, reason: Reason) -> None:
        self.emit(DecisionRejected(self.now, seq, action, reason.en, rule, reason.code, reason.args))

    def _carry_out(self, seq: int, d: Decision) -> simpy.events.ProcessGenerator:
        action = self.plan.actions[d.action]
        step_factor = self._samplers.get("step")
        for step in action.steps:
            with self.teams[step.team].resource.request() as req:
                yield req
                yield self.env.timeout(step.minutes * (step_factor() if step_factor is not None else 1.0))
            self.emit(StepDone(self.now, seq, d.action, step.team))
            self.book.on_action(seq, d.action, d.contents, step_team=step.team)
        problem = self._check(d) if action.steps else None
        if problem is not None:  # overtaken while its steps ran
            self._reject(seq, d.action, *problem)
            return
        self._effect(d)
        self.book.on_action(seq, d.action, d.contents)
        self.emit(ActionDone(self.now, seq, d.action, tuple(d.contents)))

    def _effect(self, d: Decision) -> None:
        """What a checked decision changes in the world."""
        transition = self.plan.allows(self.level, d.params.get("level", ""))
        if d.action == "declare_level" and transition is not None:
            self._change_level(d.params["level"], d.role, transition.rule)
        elif d.action == "issue_warning":
            self._set_warning(True, d.role, self.plan.warning.rule)
        elif d.action == "lift_warning":
            self._set_warning(False, d.role, self.plan.warning.lift_rule)
        elif d.action == "stand_down":
            self._change_level(NO_LEVEL, d.role, self.plan.stand_down.rules[0])
        elif d.action == "move_staff":
            n = int(d.params["n"])
            self._adjust(d.params["src"], -n)
            self._adjust(d.params["dst"], n)
        elif (more := reinforcement(d.action, self.scenario)) is not None:
            self.backup_open = self.backup_open or d.action == "open_backup_hotline"
            if more.delay_min > 0:
                self.env.process(self._reinforce(more))
            else:
                self._adjust(more.team, more.staff)

    def _adjust(self, team: str, change: int) -> None:
        if self.teams[team].adjust(change):
            self.emit(StaffChanged(self.now, team, self.teams[team].staff))

    def _reinforce(self, more: Reinforcement) -> simpy.events.ProcessGenerator:
        yield self.env.timeout(more.delay_min)
        self._adjust(more.team, more.staff)
