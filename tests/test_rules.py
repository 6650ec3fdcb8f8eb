"""The plan rules both engines apply (``simulator.rules``), on worked cases from the plan's rule table.

Rule IDs and figures are those of ``plan/RULES.md`` as encoded in the bundled ``scenarios/plan.yaml``.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.load import load_plan, load_scenario, resolve_scenario
from simulator.model import Obligation, Plan
from simulator.rules import (
    REINFORCING,
    RESUMED_BY,
    Reinforcement,
    crew_size,
    first_due,
    hourly_baseline,
    latency,
    period,
    recurs,
    reinforcement,
    starts,
    task_minutes,
)

PLAN = load_plan(None)


def duty(plan: Plan, rule: str, **trigger: str) -> Obligation:
    """The one obligation of ``rule`` whose trigger has these fields."""
    found = [ob for ob in plan.obligations if ob.rule == rule and all(getattr(ob.trigger, k) == v for k, v in trigger.items())]
    assert len(found) == 1, (rule, trigger, found)
    return found[0]


def test_report_3_updates_every_4_hours_from_the_response_start() -> None:
    """REPORT-3 (§3.3): follow-up updates to the regulator every 4 h, at L1 and L2 only."""
    ob = duty(PLAN, "REPORT-3")
    assert starts(ob.trigger, "response_start", "L2") and starts(ob.trigger, "response_start", "L1")
    assert not starts(ob.trigger, "response_start", "L3")
    assert not starts(ob.trigger, "warning_start", "L2")
    assert recurs(ob) and period(ob) == 240.0
    assert first_due(PLAN, ob, "L2", 1000.0) == 1240.0


def test_adjust_1_is_due_each_early_morning() -> None:
    """ADJUST-1 (§4.1): the daily assessment falls due at 06:00 — today's if it is still ahead, else tomorrow's."""
    ob = next(ob for ob in PLAN.obligations if ob.at_hour == 6)
    assert recurs(ob) and period(ob) == 1440.0
    assert first_due(PLAN, ob, "L2", 5 * 60.0) == 6 * 60.0  # 05:00 on day 0 -> 06:00 the same day
    assert first_due(PLAN, ob, "L2", 6 * 60.0) == 1440.0 + 6 * 60.0  # exactly 06:00 -> the next day's
    assert first_due(PLAN, ob, "L2", 1440.0 + 23 * 60.0) == 2 * 1440.0 + 6 * 60.0


def test_an_inject_trigger_names_its_kind() -> None:
    """EXTERNAL-1 (§3.4): a recall starts the national filing (due in 12 h); another inject kind does not."""
    ob = duty(PLAN, "EXTERNAL-1")
    assert starts(ob.trigger, "inject", "L2", inject="recall")
    assert not starts(ob.trigger, "inject", "L2", inject="media")
    assert not recurs(ob) and first_due(PLAN, ob, "L2", 60.0) == 60.0 + 720.0


def test_a_task_trigger_names_its_task_and_level() -> None:
    """ACTIVATE-2 (§4.1): the leadership decision is due 6 h after preliminary verification, before any level."""
    ob = duty(PLAN, "ACTIVATE-2")
    assert starts(ob.trigger, "task_done", "none", task="verify_preliminary")
    assert not starts(ob.trigger, "task_done", "L2", task="verify_preliminary")
    assert not starts(ob.trigger, "task_done", "none", task="another_task")


def test_report_1_is_due_by_the_level_and_not_without_one() -> None:
    """REPORT-1 (§3.3): the report to the regulator is due by level (L2: within 1 h); with no level, it has no due time."""
    ob = next(ob for ob in PLAN.obligations if ob.due_by_level)
    assert first_due(PLAN, ob, "L2", 100.0) == 160.0
    assert first_due(PLAN, ob, "L3", 100.0) == 100.0 + 1440.0
    assert first_due(PLAN, ob, "none", 100.0) is None


def test_a_restarted_response_or_warning_lets_its_duties_recur_again() -> None:
    assert RESUMED_BY == {"response_start": "response_end", "level_entered": "response_end", "warning_start": "warning_end"}
    until = {ob.until for ob in PLAN.obligations} - {"never"}
    assert until <= set(RESUMED_BY.values())


@pytest.mark.parametrize(("wanted", "staff", "crew"), [(3, 10, 3), (3, 2, 2), (3, 0, 1), (0, 5, 1)])
def test_a_crew_is_what_is_wanted_within_the_staff_and_at_least_one(wanted: int, staff: int, crew: int) -> None:
    assert crew_size(wanted, staff) == crew


def test_task_minutes_share_the_effort_over_the_crew() -> None:
    assert task_minutes(6.0, 3) == 120.0 and task_minutes(1.5, 1) == 90.0


def test_the_responder_acts_after_its_latency_for_the_action_or_its_default() -> None:
    scenario = load_scenario(resolve_scenario("refund_surge"), PLAN)
    r = scenario.responder
    named = next(iter(r.latency_min))
    assert latency(r, named) == r.latency_min[named]
    assert latency(r, "no_such_action") == r.default_min


def test_the_hourly_baseline_spreads_the_daily_baseline_by_the_profile() -> None:
    scenario = load_scenario(resolve_scenario("refund_surge"), PLAN)
    hours = hourly_baseline(scenario)
    profile = np.asarray(scenario.complaints.hourly_profile, dtype=float)
    assert len(hours) == 24
    assert sum(hours) == pytest.approx(scenario.complaints.baseline_per_day, rel=1e-12)
    assert np.allclose(np.asarray(hours) / profile, scenario.complaints.baseline_per_day / profile.sum())


def test_reinforcement_is_the_staff_the_scenario_gives_each_action(plan: Plan) -> None:
    scenario = load_scenario(resolve_scenario("refund_surge"), plan)
    ext = scenario.external
    assert ext is not None and scenario.backup_hotline_staff > 0
    assert reinforcement("open_backup_hotline", scenario) == Reinforcement("hotline", scenario.backup_hotline_staff, 0.0)
    assert reinforcement("request_external_support", scenario) == Reinforcement(ext.team, ext.staff, ext.delay_h * 60)
    assert reinforcement("declare_level", scenario) is None
    bare = scenario.model_copy(update={"external": None, "backup_hotline_staff": 0})
    assert [reinforcement(a, bare) for a in REINFORCING] == [None, None]
