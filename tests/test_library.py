"""The scenario library: every bundled scenario validates, runs clean and follows its level path."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from simulator.batch import RunResult, run
from simulator.cli import main as cli
from simulator.load.library import catalogue, level_path, rules_exercised
from simulator.model import MINUTES_PER_HOUR, NO_LEVEL, Plan, Scenario
from simulator.record import ActionDone, DecisionRejected, InjectFired, LevelChanged, ObligationOpened, WarningChanged

Bundled = Callable[[str], tuple[Scenario, RunResult]]
SEED_CASES = {
    "battery_fires",
    "food_poisoning",
    "cosmetics_allergy",
    "manual_error",
    "refund_surge",
    "clothing_formaldehyde",
    "ride_hailing",
    "beverage_foreign_object",
    "express_parcels",
    "car_airbags",
}


def levels_entered(result: RunResult) -> list[str]:
    """The distinct response levels entered, in order (repeats in a row collapsed)."""
    path: list[str] = []
    for e in result.log.of(LevelChanged):
        if e.dst != NO_LEVEL and (not path or path[-1] != e.dst):
            path.append(e.dst)
    return path


@pytest.fixture
def drillsim() -> Callable[..., int]:
    """``drillsim(*argv)``: the real CLI entry point with this package's commands registered."""
    return lambda *argv: cli.main(list(argv))


def test_library_has_every_seed_case_and_all_validate(plan: Plan) -> None:
    entries, problems = catalogue(plan)
    assert problems == []
    assert {e.id for e in entries} >= SEED_CASES
    for e in entries:
        assert e.title.zh and e.title.en and e.injects > 0 and e.rules


def test_every_scenario_has_a_bilingual_msel_and_a_trainer_guide(plan: Plan, bundled: Bundled, bundled_name: str) -> None:
    scenario, _ = bundled(bundled_name)
    assert scenario.guide is not None, f"{bundled_name} has no trainer's guide"
    assert scenario.guide.questions, f"{bundled_name} has no hot-wash questions"
    for text in (scenario.guide.tests, scenario.guide.expected_path, *scenario.guide.questions):
        assert text.zh.strip() and text.en.strip()
    for inj in scenario.injects:
        assert inj.text.zh.strip() and inj.text.en.strip()
        assert inj.player in plan.roles


def test_every_scenario_runs_clean_along_its_level_path(bundled: Bundled, bundled_name: str) -> None:
    scenario, result = bundled(bundled_name)
    rejected = [(e.action, e.reason) for e in result.log.of(DecisionRejected)]
    missed = [(d.rule, d.name_en) for d in result.score.duties if d.status == "missed"]
    assert rejected == []
    assert missed == []
    assert levels_entered(result) == scenario.expected_levels


def test_beverage_case_warns_then_lifts_without_a_response(plan: Plan, bundled: Bundled) -> None:
    scenario, result = bundled("beverage_foreign_object")
    changes = list(result.log.of(WarningChanged))
    assert [c.active for c in changes] == [True, False]
    start, end = changes
    assert start.rule == plan.warning.rule
    assert end.rule == plan.warning.lift_rule and end.by != "auto"
    assert end.t - start.t >= plan.warning.lift_after_h * MINUTES_PER_HOUR
    assessed = [e.t for e in result.log.of(ActionDone) if e.action == "lifting_assessment"]
    assert any(start.t < t <= end.t for t in assessed)
    assert list(result.log.of(LevelChanged)) == []
    assert level_path(scenario) == ("warning",)


def test_cosmetics_warning_ends_when_level_2_starts(plan: Plan, bundled: Bundled) -> None:
    _, result = bundled("cosmetics_allergy")
    start, end = list(result.log.of(WarningChanged))
    first = next(iter(result.log.of(LevelChanged)))
    assert start.active and not end.active
    assert (first.dst, end.t, end.by) == ("L2", first.t, "auto")


def test_express_parcels_downgrade_to_level_3_at_a_daily_assessment(plan: Plan, bundled: Bundled) -> None:
    scenario, result = bundled("express_parcels")
    down = [e for e in result.log.of(LevelChanged) if (e.src, e.dst) == ("L2", "L3")]
    assert len(down) == 1
    change = down[0]
    assert change.by == plan.actions["declare_level"].role
    assert change.rule == plan.allows("L2", "L3").rule  # type: ignore[union-attr]
    cleared = [e.t for e in result.log.of(InjectFired) if scenario.injects[e.index].set.get("media") == "none"]
    assessed = [e.t for e in result.log.of(ActionDone) if e.action == "daily_assessment"]
    latest = max(t for t in assessed if t <= change.t)
    assert cleared and latest > cleared[0]
    assert change.t - latest <= scenario.responder.default_min


def test_airbag_recall_is_filed_nationally_within_12_hours(bundled: Bundled) -> None:
    scenario, result = bundled("car_airbags")
    recall = [e.t for e in result.log.of(InjectFired) if scenario.injects[e.index].kind == "recall"]
    opened = [e for e in result.log.of(ObligationOpened) if e.rule == "EXTERNAL-1"]
    assert len(recall) == 1 and len(opened) == 1
    assert opened[0].t == recall[0] and opened[0].due == recall[0] + 12 * MINUTES_PER_HOUR
    duty = next(d for d in result.score.duties if d.rule == "EXTERNAL-1")
    assert duty.status == "met" and duty.done is not None and duty.done <= duty.due


def test_rules_exercised_follow_the_scenario_data(plan: Plan, bundled: Bundled) -> None:
    airbags, _ = bundled("car_airbags")
    assert "EXTERNAL-1" in rules_exercised(plan, airbags)
    no_recall = airbags.model_copy(update={"injects": [i for i in airbags.injects if i.kind != "recall"]})
    assert "EXTERNAL-1" not in rules_exercised(plan, no_recall)
    express, _ = bundled("express_parcels")
    assert {"LEVEL-2", "LEVEL-3", "ADJUST-3"} <= set(rules_exercised(plan, express))
    beverage, _ = bundled("beverage_foreign_object")
    rules = set(rules_exercised(plan, beverage))
    assert {plan.warning.rule, plan.warning.lift_rule} <= rules
    assert not any(r.startswith("LEVEL-") for r in rules)


def test_scenarios_command_lists_the_library(drillsim: Callable[..., int], capsys: pytest.CaptureFixture[str]) -> None:
    assert drillsim("scenarios") == 0
    text = capsys.readouterr().out
    for name in SEED_CASES:
        assert name in text
    assert "L3 → L2 → L3" in text and "warning → L2" in text
    assert drillsim("scenarios", "--json") == 0
    listed = {e["id"]: e for e in json.loads(capsys.readouterr().out)}
    assert set(listed) >= SEED_CASES
    assert listed["food_poisoning"]["level_path"] == ["L2", "L1"]
    assert {"difficulty", "horizon_days", "injects", "rules", "title"} <= set(listed["car_airbags"])


def test_points_reset_press_report_comes_only_when_the_backup_hotline_stays_closed(plan: Plan, bundled: Bundled) -> None:
    """The auto-responder opens the backup hotline with the warning and never meets the press report;
    a drill whose duty officer leaves the line closed meets it at hour 36, and Level 2 follows (media: regional)."""
    scenario, auto = bundled("points_reset")
    press = next(i for i, inj in enumerate(scenario.injects) if inj.id == "hotline_unreachable")
    opened = next(e.t for e in auto.log.of(ActionDone) if e.action == "open_backup_hotline")
    assert opened < scenario.injects[press].at_h * MINUTES_PER_HOUR
    assert press not in {e.index for e in auto.log.of(InjectFired)}

    careless = run(plan, scenario, auto_roles=[r for r in plan.roles if r != "duty"])
    assert "open_backup_hotline" not in {e.action for e in careless.log.of(ActionDone)}
    assert [(e.index, e.t) for e in careless.log.of(InjectFired) if e.index == press] == [(press, 36 * MINUTES_PER_HOUR)]
    assert levels_entered(careless) == ["L2"] and levels_entered(auto) == []
    assert careless.summary.to_json()["complaints"]["abandoned"] > auto.summary.to_json()["complaints"]["abandoned"]
