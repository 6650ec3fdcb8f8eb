"""The drill UI's parts that need no screen: strings, formats, bindings, objectives, confirmations, the clock."""

from __future__ import annotations

import string
from collections.abc import Callable
from pathlib import Path

import pytest
from tuihelpers import INCIDENT

from simulator.drill import DrillSession, catalog
from simulator.load import load_scenario, resolve_scenario
from simulator.model import Plan, Request, UserError, inject_kind
from simulator.record import DecisionRejected, InjectFired
from tui.bindings import ACTION_KEYS, COMMANDS, action_keys, commands, keys_for, load_keymap
from tui.decide import confirmation, form_for
from tui.driver import MAX_CATCH_UP, Driver
from tui.feed import Describer
from tui.i18n import STRINGS, clock, countdown, default_lang, duration, tr
from tui.objectives import objectives
from tui.screens.forms import ContentsForm, Draft, LevelForm, StaffForm
from tui.settings import SPEEDS, Settings


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_in_both_languages(key: str) -> None:
    zh, en = STRINGS[key]
    assert zh.strip() and en.strip()
    assert fields(zh) == fields(en)


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_default_lang_from_locale(env: dict[str, str], lang: str) -> None:
    assert default_lang(env) == lang


def test_time_formats() -> None:
    assert clock(0, "en") == "Day 1 00:00"
    assert clock(1500, "zh") == "第2天 01:00"
    assert [duration(m, "en") for m in (15, 60, 90, 1440, 2880)] == ["15 min", "1 h", "90 min", "1 d", "2 d"]
    assert duration(240, "zh") == "4小时"
    assert [countdown(m) for m in (65, 0, -20, 2 * 1440 + 190)] == ["+1:05", "+0:00", "-0:20", "+2d03:10"]


def test_bindings_registry() -> None:
    ids = [c.id for c in COMMANDS]
    assert len(ids) == len(set(ids))
    console_keys = {k for c in commands("console") for k in keys_for(c, {})}
    assert console_keys.isdisjoint(ACTION_KEYS)
    assert all(c.label in STRINGS for c in COMMANDS)


def test_action_keys_default_and_remapped(plan: Plan) -> None:
    default = action_keys(plan.actions, {})
    assert list(default.values()) == list(plan.actions)[: len(ACTION_KEYS)]
    assert default["1"] == "declare_level"
    remapped = action_keys(plan.actions, {"action.notify_gm": "g", "action.declare_level": "z"})
    assert remapped["g"] == "notify_gm" and remapped["z"] == "declare_level"
    assert sorted(remapped.values()) == sorted(plan.actions)
    assert len(remapped) == len(plan.actions)


def test_load_keymap(tmp_path: Path, plan: Plan) -> None:
    toml = tmp_path / "keymap.toml"
    toml.write_text('[keys]\n"console.pause" = "x"\n"action.notify_gm" = "g"\n', encoding="utf-8")
    assert load_keymap(toml, plan.actions) == {"console.pause": "x", "action.notify_gm": "g"}
    js = tmp_path / "keymap.json"
    js.write_text('{"console.step": "ctrl+n"}', encoding="utf-8")
    assert load_keymap(js, plan.actions) == {"console.step": "ctrl+n"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[keys]\n"console.pasue" = "x"\n', "unknown binding ID 'console.pasue'; did you mean 'console.pause'?"),
        ('[keys]\n"console.pause" = 3\n', "'console.pause' needs keys as a string"),
        ("[keys\n", "not a keymap"),
    ],
)
def test_bad_keymap(tmp_path: Path, plan: Plan, text: str, message: str) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=r"keymap\.toml: ") as err:
        load_keymap(path, plan.actions)
    assert message in str(err.value)


def test_missing_keymap(tmp_path: Path, plan: Plan) -> None:
    with pytest.raises(UserError, match="no such keymap file"):
        load_keymap(tmp_path / "none.toml", plan.actions)


def test_objectives_of_the_default_scenario(plan: Plan) -> None:
    """refund_surge: a reported incident, regulator letters, Level 2 expected, no recall."""
    scenario = load_scenario(resolve_scenario(None), plan)
    found = objectives(plan, scenario, {"command"})
    certain = {(o.ob.rule, o.ob.name.en) for o in found if o.certain}
    possible = {o.ob.rule for o in found if not o.certain}
    rules = {o.ob.rule for o in found}
    assert ("INTAKE-1", "register the report on the standard form") in certain
    assert ("ACTIVATE-3", "announce Level 2 internally, copied to regulators") in certain
    assert ("ACTIVATE-3", "announce Level 1 publicly") not in certain | {(o.ob.rule, o.ob.name.en) for o in found}
    assert "EXTERNAL-1" not in rules
    assert {"WARN-1", "WARN-2", "WARN-4", "SCOPE-2", "ADJUST-2", "ACTIVATE-2"} <= possible
    yours = {o.ob.rule for o in found if o.yours}
    assert "REPORT-1" in yours and "INTAKE-1" not in yours and "WARN-2" not in yours
    assert [o.certain for o in found] == sorted((o.certain for o in found), reverse=True)


def test_the_catalog_names_the_rules_that_check_a_document(plan: Plan) -> None:
    checked_by = catalog(plan).checked_by
    assert checked_by["warning_notice"] == ["WARN-2"]
    assert checked_by["regulator_report"] == ["REPORT-1"]
    assert "notify_gm" not in checked_by


def test_form_for_each_kind(write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession], plan: Plan) -> None:
    engine = start_session(write_scenario(), ["Wang:command"]).engine
    book = catalog(plan)
    kinds = {a: type(form_for(book, engine, a, "en", {})) for a in ("declare_level", "move_staff", "warning_notice", "notify_gm")}
    assert kinds == {
        "declare_level": LevelForm,
        "move_staff": StaffForm,
        "warning_notice": ContentsForm,
        "notify_gm": type(None),
    }


def test_confirmations_name_the_rule(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession], plan: Plan
) -> None:
    session = start_session(write_scenario(), ["Wang:command,leadership"])
    engine = session.engine
    allowed = confirmation(catalog(plan), engine, "declare_level", Draft({"level": "L2"}), "en")
    assert allowed is not None and "ADJUST-3" in allowed and "Change the level from no response to L2" in allowed
    session.decide(Request("declare_level", "command", params={"level": "L1"}))
    session.advance(1)
    assert engine.level == "L1"
    illegal = confirmation(catalog(plan), engine, "declare_level", Draft({"level": "L2"}), "zh")
    assert illegal is not None and "ADJUST-3" in illegal and "预案不允许" in illegal
    stand_down = confirmation(catalog(plan), engine, "stand_down", Draft(), "en")
    assert stand_down is not None and "ADJUST-4" in stand_down and "cannot be undone" in stand_down
    assert confirmation(catalog(plan), engine, "notify_gm", Draft(), "en") is None


def test_driver_pauses_once_before_a_duty_falls_due(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    """WARN-2 falls due 120 min after the warning: the clock stops once, 30 min before, then runs on."""
    session = start_session(write_scenario(), ["Li:pr,leadership"])
    driver = Driver(session, Settings(speed=3600, pause_due_min=30))
    session.decide(Request("issue_warning", "leadership"))
    driver.running = True
    stops = []
    while session.now < 180:
        driver.tick()
        update = driver.drain()
        if update.stopped:
            stops.append((update.stopped, session.now, [d.rule for d in update.due_soon]))
            driver.running = True
        if update.overdue:
            stops.append(("overdue", session.now, [d.rule for d in update.overdue]))
    assert [s[0] for s in stops] == ["due", "overdue"]
    assert 90 <= stops[0][1] <= 96 and stops[0][2] == ["WARN-2"]
    assert 120 < stops[1][1] <= 126 and stops[1][2] == ["WARN-2"]


def test_driver_stops_at_an_inject(write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]) -> None:
    session = start_session(write_scenario(injects=[INCIDENT]), ["Wang:command"])
    driver = Driver(session, Settings(speed=3600))
    driver.running = True
    while driver.running:
        driver.tick()
    assert 60 < session.now < 60.001
    assert driver.drain().stopped == "inject"


def test_driver_speeds_and_catch_up(write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]) -> None:
    session = start_session(write_scenario(), ["Wang:command"])
    driver = Driver(session, Settings(speed=SPEEDS[0], tick_s=0.1))
    driver.slower()
    assert driver.speed == SPEEDS[0]
    for _ in SPEEDS:
        driver.faster()
    assert driver.speed == SPEEDS[-1]
    assert not driver.tick()
    driver.running = True
    driver.tick(wall_s=60.0)
    assert session.now == pytest.approx(SPEEDS[-1] * MAX_CATCH_UP * 0.1 / 60)


def test_tr_fills_fields() -> None:
    assert tr("feed.overdue", "en", rule="REPORT-1", name="report") == "✗ REPORT-1 report: overdue"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "预案不允许由L1 一级响应调整为L2 二级响应"),
        ("en", "the plan does not allow L1 Level 1 (major) → L2 Level 2 (larger)"),
    ],
)
def test_feed_says_a_rejection_in_the_drill_language(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession], lang: str, said: str
) -> None:
    driver = Driver(start_session(write_scenario(), ["Wang:command"]), Settings())
    args = (("from_level", "L1"), ("to_level", "L2"))
    english = "the plan does not allow L1 → L2"
    rejected = DecisionRejected(5.0, 1, "declare_level", english, "ADJUST-3", "transition_not_allowed", args)
    (entry,) = Describer(driver, lang).events([rejected])
    assert entry.tone == "reject" and said in entry.text and "ADJUST-3" in entry.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feed_names_an_inject_kind_as_the_report_does(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession], lang: str
) -> None:
    driver = Driver(start_session(write_scenario(injects=[INCIDENT]), ["Wang:command"]), Settings())
    (entry,) = Describer(driver, lang).events([InjectFired(60.0, 0, "incident_report")])
    assert entry.tone == "inject" and inject_kind("incident_report", lang) in entry.text
