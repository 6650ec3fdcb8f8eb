"""The plan's own examples, run: refund surge → automatic L2; national media → L1; L1 never downgraded; an isolated case stays L3.

Due times are read from the plan file; where the plan's text fixes a number, the test also checks
that the plan file says it.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.batch import RunResult
from simulator.engine import AutoResponder, Engine
from simulator.model import MINUTES_PER_HOUR, NO_LEVEL, Atom, Decision, Obligation, Plan, Scenario
from simulator.record import (
    DecisionRejected,
    EventLog,
    IndicatorChanged,
    InjectFired,
    LevelChanged,
    ObligationOpened,
    WarningChanged,
)
from simulator.score import score

Bundled = Callable[[str], tuple[Scenario, RunResult]]


def obligation(plan: Plan, rule: str, on: str) -> tuple[int, Obligation]:
    """The plan's one obligation of ``rule`` opened by trigger ``on``."""
    found = [(i, ob) for i, ob in enumerate(plan.obligations) if ob.rule == rule and ob.trigger.on == on]
    assert len(found) == 1, found
    return found[0]


def level_path(log: EventLog) -> list[str]:
    """The response levels entered, in order (stand-downs left out)."""
    return [e.dst for e in log.of(LevelChanged) if e.dst != NO_LEVEL]


def opened_at(log: EventLog, index: int, t: float) -> ObligationOpened:
    """The one instance of obligation ``index`` opened at time ``t``."""
    found: list[ObligationOpened] = [e for e in log.of(ObligationOpened) if e.index == index and e.t == t]
    assert len(found) == 1, found
    return found[0]


def value_at(log: EventLog, name: str, t: float) -> object:
    """The last value indicator ``name`` took at or before ``t``."""
    return [e.value for e in log.of(IndicatorChanged) if e.name == name and e.t <= t][-1]


def test_plan_file_keeps_the_plans_report_deadlines(plan: Plan) -> None:
    """REPORT-1 (§3.3): L1 immediately, L2 within 1 h, L3 within 24 h; EXTERNAL-1: recall filing within 12 h."""
    _, report = obligation(plan, "REPORT-1", "level_entered")
    assert plan.due_offset(report, "L1") == plan.choices.immediately_min
    assert plan.due_offset(report, "L2") == 60
    assert plan.due_offset(report, "L3") == 24 * 60
    _, filing = obligation(plan, "EXTERNAL-1", "inject")
    assert plan.due_offset(filing, NO_LEVEL) == 12 * 60


def test_bundled_scenario_follows_its_expected_levels(bundled_name: str, bundled: Bundled) -> None:
    """``expected_levels`` is the path the plan prescribes ([] for none); the auto-responder follows the plan."""
    scenario, result = bundled(bundled_name)
    assert level_path(result.log) == scenario.expected_levels


def test_refund_surge_at_300_percent_starts_level_2_automatically(plan: Plan, bundled: Bundled) -> None:
    """ACTIVATE-1 (§4.1): refund complaints at 300% of the daily mean → automatic L2."""
    _, result = bundled("refund_surge")
    log = result.log
    first = next(log.of(LevelChanged))
    assert (first.src, first.dst, first.by, first.rule) == (NO_LEVEL, "L2", "auto", "ACTIVATE-1")
    threshold = plan.indicators["spread_risk"].derive
    assert isinstance(threshold, Atom) and threshold.indicator == "growth_pct"
    growth = value_at(log, "growth_pct", first.t)
    assert isinstance(growth, float) and growth >= float(threshold.operand)
    assert all(e.name not in ("injuries", "media") for e in log.of(IndicatorChanged) if e.t <= first.t)
    index, report = obligation(plan, "REPORT-1", "level_entered")
    offset = plan.due_offset(report, "L2")
    assert offset == 60
    assert opened_at(log, index, first.t).due == first.t + offset


def test_national_media_raises_level_1(plan: Plan, bundled: Bundled) -> None:
    """LEVEL-1 (§1.2): national media coverage → L1, raised from L2 by the passive trigger."""
    scenario, result = bundled("battery_fires")
    log = result.log
    national = [i for i, inj in enumerate(scenario.injects) if inj.set.get("media") == "national"]
    assert len(national) == 1
    fired = [e.t for e in log.of(InjectFired) if e.index == national[0]]
    assert fired == [scenario.injects[national[0]].at_h * MINUTES_PER_HOUR]
    raised = [e for e in log.of(LevelChanged) if e.dst == "L1"]
    assert [(e.t, e.src, e.by, e.rule) for e in raised] == [(fired[0], "L2", "auto", "ACTIVATE-1")]
    index, report = obligation(plan, "REPORT-1", "level_entered")
    assert opened_at(log, index, fired[0]).due == fired[0] + plan.due_offset(report, "L1")


def test_recall_opens_the_12_hour_filing(plan: Plan, bundled: Bundled) -> None:
    """EXTERNAL-1 (§3.4): a recall is filed with the national regulator within 12 h."""
    scenario, result = bundled("battery_fires")
    recall = [i for i, inj in enumerate(scenario.injects) if inj.kind == "recall"]
    assert len(recall) == 1
    t = next(e.t for e in result.log.of(InjectFired) if e.index == recall[0])
    index, filing = obligation(plan, "EXTERNAL-1", "inject")
    opened = opened_at(result.log, index, t)
    assert opened.due == t + plan.due_offset(filing, opened.level)
    duty = next(d for d in result.score.duties if d.oid == opened.oid)
    assert duty.status == "met" and duty.rule == "EXTERNAL-1"


def test_level_1_is_never_downgraded(plan: Plan, bundled: Bundled) -> None:
    """ADJUST-3 (§4.3): declaring L2 while L1 is in force is rejected; L1 stays."""
    scenario, auto = bundled("battery_fires")
    assert all(e.src != "L1" or e.dst == NO_LEVEL for e in auto.log.of(LevelChanged))
    t_l1 = next(e.t for e in auto.log.of(LevelChanged) if e.dst == "L1")
    engine = Engine(plan, scenario)
    AutoResponder(engine)
    engine.advance(t_l1 + 60)
    assert engine.level == "L1"
    seq = engine.submit(Decision(engine.now, "declare_level", "command", "trainee", {"level": "L2"}))
    engine.advance(engine.now + 120)
    assert engine.level == "L1"
    log = engine.finish()
    assert [(e.seq, e.rule) for e in log.of(DecisionRejected) if e.seq == seq] == [(seq, "ADJUST-3")]
    assert all(e.src != "L1" or e.dst == NO_LEVEL for e in log.of(LevelChanged))
    judged = [d for d in score(log, plan).decisions if d.seq == seq]
    assert [(d.correct, d.rule, d.actor) for d in judged] == [(False, "ADJUST-3", "trainee")]


def test_isolated_manual_complaint_stays_level_3(plan: Plan, bundled: Bundled) -> None:
    """LEVEL-3 (§1.2): a single case with no media is L3 and is not escalated."""
    scenario, result = bundled("manual_error")
    log = result.log
    report = next(i for i, inj in enumerate(scenario.injects) if inj.kind == "incident_report")
    assert scenario.injects[report].set.get("single_case") is True
    t = next(e.t for e in log.of(InjectFired) if e.index == report)
    assert [(e.t, e.src, e.dst, e.by) for e in log.of(LevelChanged)] == [(t, NO_LEVEL, "L3", "auto")]
    assert list(log.of(WarningChanged)) == []
    index, report_duty = obligation(plan, "REPORT-1", "level_entered")
    assert opened_at(log, index, t).due == t + plan.due_offset(report_duty, "L3")
