"""The engine on tiny seeded models: exact (record, time) lists, and arrival counts against their Poisson law."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pytest
from scipy import stats

from simulator.engine import Engine
from simulator.model import CHANNELS, MINUTES_PER_DAY, MINUTES_PER_HOUR, Decision, Plan, Scenario
from simulator.record import (
    ABANDONED,
    ANSWERED,
    ActionDone,
    CampaignChanged,
    DecisionRejected,
    Event,
    Hourly,
    ImpliedLevel,
    IndicatorChanged,
    InjectFired,
    LevelChanged,
    ObligationCancelled,
    ObligationMet,
    ObligationOpened,
    RunEnded,
    StaffChanged,
    StepDone,
    TaskChanged,
    WarningChanged,
    columns,
)

SmallScenario = Callable[..., Scenario]
E = TypeVar("E", bound=Event)


def inject(at_h: float, kind: str = "incident_report", **values: Any) -> dict[str, Any]:
    """An inject record for a small scenario."""
    return {"at_h": at_h, "kind": kind, "text": {"zh": "事件", "en": "an event"}, "set": values}


def auto_decision(plan: Plan, t: float, action: str, **params: str) -> Decision:
    """A decision by the role the plan gives the action, carrying every element."""
    spec = plan.actions[action]
    return Decision(t, action, spec.role, "trainee", dict(params), tuple(spec.contents))


def submit_at(engine: Engine, decision: Decision) -> int:
    """Advance to the decision's time and submit it."""
    engine.advance(decision.t)
    return engine.submit(decision)


def of(engine: Engine, kind: type[E]) -> list[E]:
    """The records of one kind so far, in order."""
    return [e for e in engine.log.events if isinstance(e, kind)]


def test_inject_sets_indicators_and_the_passive_trigger_raises_the_level(plan: Plan, small: SmallScenario) -> None:
    engine = Engine(plan, small(injects=[inject(2.5, event_open=True, injuries="minor")]))
    engine.advance(4 * MINUTES_PER_HOUR)
    t = 2.5 * MINUTES_PER_HOUR
    assert [(e.t, e.index, e.kind) for e in of(engine, InjectFired)] == [(t, 0, "incident_report")]
    set_by_inject = [(e.t, e.name, e.value) for e in of(engine, IndicatorChanged) if e.name in ("event_open", "injuries")]
    assert set_by_inject == [(t, "event_open", True), (t, "injuries", "minor")]
    assert [(e.t, e.level) for e in of(engine, ImpliedLevel)] == [(t, "L2")]
    assert [(e.t, e.src, e.dst, e.by, e.rule) for e in of(engine, LevelChanged)] == [(t, "none", "L2", "auto", "ACTIVATE-1")]
    assert engine.level == "L2" and engine.situation.values["injuries"] == "minor"


def test_action_steps_take_the_plans_minutes(plan: Plan, small: SmallScenario) -> None:
    engine = Engine(plan, small())
    seq = submit_at(engine, auto_decision(plan, 100.0, "regulator_report"))
    engine.advance(400.0)
    expected, t = [], 100.0
    for step in plan.actions["regulator_report"].steps:
        t += step.minutes
        expected.append((t, seq, step.team))
    assert [(e.t, e.seq, e.team) for e in of(engine, StepDone)] == expected
    assert [(e.t, e.action) for e in of(engine, ActionDone)] == [(t, "regulator_report")]


def test_shifts_change_staff_on_the_hour(small: SmallScenario, plan: Plan) -> None:
    teams = {
        "hotline": {
            "staff": 3,
            "shifts": [{"from_hour": 8, "to_hour": 20, "staff": 10}],
            "handling": {"kind": "exponential", "mean": 5},
        },
        "comms": {
            "staff": 4,
            "shifts": [{"from_hour": 22, "to_hour": 6, "staff": 1}],
            "handling": {"kind": "fixed", "mean": 5},
            "callback": {"kind": "fixed", "mean": 2},
        },
    }
    engine = Engine(plan, small(teams=teams))
    assert (engine.teams["hotline"].staff, engine.teams["comms"].staff) == (3, 1)
    engine.finish()
    changes = [(e.t, e.team, e.staff) for e in of(engine, StaffChanged)]
    hours = MINUTES_PER_HOUR
    assert changes == [(6 * hours, "comms", 4), (8 * hours, "hotline", 10), (20 * hours, "hotline", 3), (22 * hours, "comms", 1)]
    hotline = list(engine.log.meta.teams).index("hotline")
    assert [h.staff[hotline] for h in of(engine, Hourly)] == [3] * 8 + [10] * 12 + [3] * 3


def test_moving_staff(plan: Plan, small: SmallScenario) -> None:
    engine = Engine(plan, small())
    ok = submit_at(engine, auto_decision(plan, 30.0, "move_staff", src="comms", dst="hotline", n="2"))
    engine.advance(40.0)
    bad = [
        engine.submit(auto_decision(plan, 40.0, "move_staff", src="comms", dst="comms", n="1")),
        engine.submit(auto_decision(plan, 40.0, "move_staff", src="comms", dst="hotline", n="0")),
        engine.submit(auto_decision(plan, 40.0, "move_staff", src="comms", dst="hotline", n="3")),
    ]
    engine.advance(60.0)
    assert [(e.t, e.team, e.staff) for e in of(engine, StaffChanged)] == [(30.0, "comms", 2), (30.0, "hotline", 5)]
    assert [(e.seq, e.rule) for e in of(engine, DecisionRejected)] == [(s, "TEAM-LOGI") for s in bad]
    assert [(e.t, e.seq) for e in of(engine, ActionDone)] == [(30.0, ok)]
    assert "only 2 people" in of(engine, DecisionRejected)[-1].reason


def test_a_decision_overtaken_before_it_completes_is_not_logged_as_done(plan: Plan, small: SmallScenario) -> None:
    """Opening the backup hotline twice, 10 minutes apart: the second cannot open it again."""
    engine = Engine(plan, small(backup_hotline_staff=4))
    first = submit_at(engine, auto_decision(plan, 10.0, "open_backup_hotline"))
    second = submit_at(engine, auto_decision(plan, 20.0, "open_backup_hotline"))
    engine.advance(200.0)
    assert [(e.team, e.staff) for e in of(engine, StaffChanged)] == [("hotline", 7)]
    assert [e.seq for e in of(engine, ActionDone)] == [first]
    assert [(e.seq, e.rule) for e in of(engine, DecisionRejected)] == [(second, "WARN-3")]


def test_backup_hotline_and_external_support(plan: Plan, small: SmallScenario) -> None:
    engine = Engine(plan, small(backup_hotline_staff=4, external={"team": "comms", "staff": 5, "delay_h": 2}))
    submit_at(engine, auto_decision(plan, 10.0, "open_backup_hotline"))
    engine.submit(auto_decision(plan, 10.0, "request_external_support"))
    engine.advance(100.0)
    again = engine.submit(auto_decision(plan, 100.0, "open_backup_hotline"))
    engine.advance(400.0)
    opened = 10.0 + sum(s.minutes for s in plan.actions["open_backup_hotline"].steps)
    arrived = 10.0 + sum(s.minutes for s in plan.actions["request_external_support"].steps) + 2 * MINUTES_PER_HOUR
    assert [(e.t, e.team, e.staff) for e in of(engine, StaffChanged)] == [(opened, "hotline", 7), (arrived, "comms", 9)]
    assert [(e.seq, e.rule) for e in of(engine, DecisionRejected)] == [(again, "WARN-3")]
    plain = Engine(plan, small())
    refused = plain.submit(auto_decision(plan, 0.0, "request_external_support"))
    plain.advance(1.0)
    assert [(e.seq, e.rule) for e in of(plain, DecisionRejected)] == [(refused, "RESP-5")]


def test_a_response_ends_the_warning_and_cancels_its_duties(plan: Plan, small: SmallScenario) -> None:
    """GAP-9 (§6.1): the response starts 'in step with lifting the warning'."""
    engine = Engine(plan, small(injects=[inject(1.5, event_open=True, injuries="minor")]))
    submit_at(engine, auto_decision(plan, 10.0, "issue_warning"))
    engine.advance(3 * MINUTES_PER_HOUR)
    t = 1.5 * MINUTES_PER_HOUR
    assert [(e.t, e.active, e.by, e.rule) for e in of(engine, WarningChanged)] == [
        (10.0, True, "leadership", "WARN-1"),
        (t, False, "auto", "WARN-1"),
    ]
    warning_duties = {e.oid: e.rule for e in of(engine, ObligationOpened) if e.t == 10.0}
    assert set(warning_duties.values()) == {"WARN-1", "WARN-2", "WARN-4"}
    met = {e.oid for e in of(engine, ObligationMet)}
    cancelled = [(e.t, warning_duties[e.oid]) for e in of(engine, ObligationCancelled) if e.oid in warning_duties]
    assert sorted(cancelled) == sorted((t, warning_duties[oid]) for oid in warning_duties if oid not in met)
    assert engine.warning_since is None and engine.level == "L2"


def test_team_tasks_take_effort_over_crew(plan: Plan, small: SmallScenario) -> None:
    scenario = small(injects=[inject(1.5, event_open=True, single_case=True)])
    engine = Engine(plan, scenario)
    engine.finish()
    t = 1.5 * MINUTES_PER_HOUR
    first = scenario.tasks["verify_preliminary"]
    done = t + first.effort_hours.mean / first.crew * MINUTES_PER_HOUR
    assert [(e.t, e.task, e.done) for e in of(engine, TaskChanged)] == [
        (t, "verify_preliminary", False),
        (done, "verify_preliminary", True),
        (done, "verify_facts", False),
    ]


def test_callback_campaign_borrows_a_crew_from_comms(plan: Plan, small: SmallScenario) -> None:
    engine = Engine(plan, small())
    submit_at(engine, auto_decision(plan, 600.0, "issue_warning"))
    engine.finish()
    (start, end) = of(engine, CampaignChanged)
    assert (start.t, start.done, end.done, start.size) == (600.0, False, True, end.size)
    assert start.size > 0
    setup = engine.scenario.teams["comms"]
    crew = min(start.size, setup.callback_crew)
    comms = [(e.t, e.staff) for e in of(engine, StaffChanged) if e.team == "comms"]
    assert comms == [(600.0, setup.staff - crew), (end.t, setup.staff)]
    assert setup.callback is not None and setup.callback.kind == "fixed"
    assert end.t == 600.0 + np.ceil(start.size / crew) * setup.callback.mean
    warn1 = next(e.oid for e in of(engine, ObligationOpened) if e.rule == "WARN-1")
    assert [(e.t, e.oid) for e in of(engine, ObligationMet) if e.oid == warn1] == [(end.t, warn1)]


def test_rejected_decisions_name_their_rule(plan: Plan, small: SmallScenario) -> None:
    engine = Engine(plan, small())
    seqs = [
        engine.submit(Decision(0.0, "no_such_action", "command")),
        engine.submit(auto_decision(plan, 0.0, "stand_down")),
        engine.submit(auto_decision(plan, 0.0, "lift_warning")),
        engine.submit(auto_decision(plan, 0.0, "declare_level", level="L7")),
    ]
    engine.submit(auto_decision(plan, 0.0, "declare_level", level="L3"))
    engine.advance(1.0)
    seqs += [
        engine.submit(auto_decision(plan, 1.0, "declare_level", level="L3")),
        engine.submit(auto_decision(plan, 1.0, "issue_warning")),
    ]
    engine.advance(2.0)
    rejected = [(e.seq, e.rule) for e in of(engine, DecisionRejected)]
    assert rejected == list(zip(seqs, ["", "ADJUST-4", "WARN-4", "ADJUST-3", "ADJUST-3", "WARN-1"], strict=True))
    assert engine.level == "L3"


def test_clock_and_listeners(plan: Plan, small: SmallScenario) -> None:
    engine = Engine(plan, small(horizon_days=0.25))
    heard: list[Event] = []
    engine.listeners.append(heard.append)
    engine.advance(60.0)
    assert engine.now == 60.0
    engine.advance(30.0)
    assert engine.now == 60.0
    engine.advance(1e9)
    assert engine.now == engine.horizon == 0.25 * MINUTES_PER_DAY
    log = engine.finish()
    assert heard == log.events
    assert isinstance(log.events[-1], RunEnded) and log.events[-1].t == engine.horizon


# -- the complaint stream ---------------------------------------------------------------------


def test_surge_curve_is_piecewise_linear(plan: Plan, small: SmallScenario) -> None:
    surge = [{"day": 1, "factor": 1}, {"day": 2, "factor": 3}, {"day": 3, "factor": 2}]
    engine = Engine(plan, small(complaints={**small().complaints.model_dump(), "surge": surge}))
    day = MINUTES_PER_DAY
    assert [engine.surge(x * day) for x in (0, 0.99, 1, 1.5, 2, 2.5, 3, 4)] == [1.0, 1.0, 1.0, 2.0, 3.0, 2.5, 1.0, 1.0]


def test_arrivals_follow_baseline_profile_and_channel_mix(plan: Plan, small: SmallScenario) -> None:
    profile = [2.0] * 12 + [1.0] * 12
    complaints = {
        "baseline_per_day": 2400,
        "hourly_profile": profile,
        "channels": {"ecommerce": 0.75, "social": 0.25},
        "severity": {"normal": 1.0},
        "surge": [{"day": 1, "factor": 2}, {"day": 2, "factor": 2}],
    }
    teams = {"comms": {"staff": 60, "handling": {"kind": "fixed", "mean": 1}, "callback": {"kind": "fixed", "mean": 1}}}
    scenario = small(horizon_days=2, complaints=complaints, teams=teams, seed=3)
    log = Engine(plan, scenario).finish()
    c = columns(log.complaints)
    hours = np.floor(c["arrive"] / MINUTES_PER_HOUR).astype(int)
    counts = np.bincount(hours, minlength=48)
    expected = np.array([2400 * w / sum(profile) * (1 if h < 24 else 2) for h, w in enumerate(profile * 2)])
    assert stats.chisquare(counts, expected * counts.sum() / expected.sum()).pvalue > 0.01
    # The total is Poisson with mean 3 × 2400 (baseline day, then double): inside its 99% interval.
    low, high = stats.poisson.interval(0.99, 3 * 2400)
    assert low <= counts.sum() <= high
    social = int((c["channel"] == CHANNELS.index("social")).sum())
    low, high = stats.binom.interval(0.99, counts.sum(), 0.25)
    assert low <= social <= high
    assert (c["outcome"] == ANSWERED).sum() > 0.99 * counts.sum()


def test_callers_hang_up_after_their_patience(plan: Plan, small: SmallScenario) -> None:
    teams = {
        "hotline": {"staff": 0, "handling": {"kind": "fixed", "mean": 5}, "patience": {"kind": "exponential", "mean": 4}},
        "comms": {"staff": 5, "handling": {"kind": "fixed", "mean": 5}, "callback": {"kind": "fixed", "mean": 2}},
    }
    complaints = {**small().complaints.model_dump(), "baseline_per_day": 1440}
    log = Engine(plan, small(teams=teams, complaints=complaints, seed=5)).finish()
    c = columns(log.complaints)
    hotline = c["channel"] == CHANNELS.index("hotline")
    abandoned = c["outcome"] == ABANDONED
    assert not np.any(c["outcome"][hotline] == ANSWERED)
    assert np.all(hotline[abandoned])
    # Callers still waiting at the end arrived within their patience of it.
    waiting = hotline & ~abandoned
    assert np.all(c["arrive"][waiting] > log.meta.horizon - 60)
    patience = c["done"][abandoned] - c["arrive"][abandoned]
    # Exponential patience, mean 4: the sample mean's 99% interval (gamma law of a sum of exponentials).
    low, high = stats.gamma.interval(0.99, len(patience), scale=4 / len(patience))
    assert low <= patience.mean() <= high
    assert stats.kstest(patience, stats.expon(scale=4).cdf).pvalue > 0.01


@pytest.mark.parametrize("seed", [1, 2])
def test_engine_seed_defaults_to_the_scenarios(plan: Plan, small: SmallScenario, seed: int) -> None:
    scenario = small(seed=seed)
    assert Engine(plan, scenario).seed == seed
    assert Engine(plan, scenario, seed=seed + 10).log.meta.seed == seed + 10
