"""Reasons for rejected and judged decisions, in Chinese and English, from the engine to the log and back."""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from pathlib import Path

from simulator.engine import Engine
from simulator.model import Decision, Plan, Scenario
from simulator.record import (
    DecisionMade,
    DecisionRejected,
    Event,
    EventLog,
    ImpliedLevel,
    IndicatorChanged,
    LevelChanged,
    Meta,
)
from simulator.record.reasons import TEXTS, Reason
from simulator.score import score


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_reason_has_both_languages_with_the_same_arguments() -> None:
    for code, (zh, en) in TEXTS.items():
        assert (zh and en and zh != en) or code == "", code
        assert _fields(zh) == _fields(en), code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) or code == "", code


def _rejections(plan: Plan, scenario: Scenario) -> tuple[Engine, list[DecisionRejected]]:
    engine = Engine(plan, scenario)
    spec = plan.actions["declare_level"]
    engine.submit(Decision(0.0, "declare_level", spec.role, "trainee", {"level": "L1"}, tuple(spec.contents)))
    engine.advance(120.0)
    engine.submit(Decision(120.0, "declare_level", spec.role, "trainee", {"level": "L2"}, tuple(spec.contents)))
    move = plan.actions["move_staff"]
    engine.submit(Decision(120.0, "move_staff", move.role, "trainee", {"src": "comms", "dst": "hotline", "n": "50"}))
    engine.advance(180.0)
    return engine, list(engine.log.of(DecisionRejected))


def test_a_rejection_carries_its_code_and_reads_in_both_languages(plan: Plan, small: Callable[..., Scenario]) -> None:
    _, (downgrade, move) = _rejections(plan, small())
    assert (downgrade.rule, downgrade.code, dict(downgrade.args)) == (
        "ADJUST-3",
        "transition_not_allowed",
        {"from_level": "L1", "to_level": "L2"},
    )
    assert downgrade.reason == "the plan does not allow L1 → L2"
    why = Reason.rejected(downgrade)
    assert why.say("zh", plan) == "预案不允许由L1 一级响应调整为L2 二级响应"
    assert why.say("en", plan) == "the plan does not allow L1 Level 1 (major) → L2 Level 2 (larger)"
    staff = plan.teams["comms"].name("zh")
    assert Reason.rejected(move).say("zh", plan).startswith(f"{staff}在岗仅")


def test_a_judgement_says_what_the_conditions_called_for(plan: Plan, small: Callable[..., Scenario]) -> None:
    engine, _ = _rejections(plan, small())
    declared = score(engine.log, plan).decisions[0]
    args = dict(declared.why.args)
    assert declared.why.code == "declared" and (args["level"], args["implied"], args["held"]) == ("L1", "none", "")
    assert declared.reason.startswith("declared L1; the plan's conditions called for none — not held: injuries = none")
    assert declared.why.say("zh", plan).startswith("宣布L1 一级响应;预案条件要求无响应——不成立:人员伤亡 = 无(须≥ 重伤)")


def test_a_log_from_before_reason_codes_still_reads(plan: Plan, small: Callable[..., Scenario], tmp_path: Path) -> None:
    engine, _ = _rejections(plan, small())
    path = tmp_path / "events.jsonl"
    engine.log.write(path)
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["type"] == "DecisionRejected":
            del rec["code"], rec["args"]
        lines.append(json.dumps(rec, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    old = [e for e in EventLog.read(path).events if isinstance(e, DecisionRejected)]
    assert [e.code for e in old] == ["", ""]
    why = Reason.rejected(old[0])
    assert why.say("zh", plan) == why.say("en", plan) == "the plan does not allow L1 → L2"
    assert score(EventLog.read(path), plan).decisions[1].reason == "the plan does not allow L1 → L2"


def _moment_log(plan: Plan, values: dict[str, bool | float | str], implied: str, *decisions: DecisionMade) -> EventLog:
    """A log holding only indicator values, the implied state and decisions taken then."""
    meta = Meta(plan.id, plan.version, "hand", 1, 600.0, tuple(plan.teams), tuple((t, 1) for t in plan.teams))
    events: list[Event] = [IndicatorChanged(5.0, k, v) for k, v in values.items()]
    return EventLog(meta, [*events, ImpliedLevel(5.0, implied), *decisions])


def test_a_verdict_names_the_conditions_that_held_and_those_that_did_not(plan: Plan) -> None:
    """LEVEL-2 (§1.2(2)): growth over 200% *with* spread risk. At +221% without it the plan calls for the warning."""
    declare = DecisionMade(10.0, 0, "command", "张三", "declare_level", (("level", "L2"),), ())
    log = _moment_log(plan, {"event_open": True, "growth_pct": 221.0}, "warning", declare)
    (verdict,) = score(log, plan).decisions
    assert (verdict.correct, verdict.rule) == (False, "LEVEL-2")
    args = dict(verdict.why.args)
    assert args["held"] == "growth_pct|gt|200|221"
    assert args["failed"].split(";") == ["injuries|eq|minor|none", "media|eq|regional|none", "spread_risk|eq|true|false"]
    assert args["called"] == "event_open|eq|true|true;growth_pct|ge|50|221"
    assert verdict.reason == (
        "declared L2; the plan's conditions called for warning — held: growth_pct 221 > 200; "
        "not held: injuries = none (needs minor), media = none (needs regional), spread_risk = false (needs true); "
        "warning because event_open = true, growth_pct 221 ≥ 50"
    )
    zh = verdict.why.say("zh", plan)
    assert "成立:日投诉增长率(%) 221 > 200" in zh
    assert "扩散风险 = 否(须为是)" in zh and "媒体报道 = 无(须为区域媒体)" in zh
    assert "要求预警状态的依据:投诉事件已接报 = 是、日投诉增长率(%) 221 ≥ 50" in zh
    en = verdict.why.say("en", plan)
    assert "daily complaint growth vs baseline (%) 221 > 200" in en and "spread risk = false (needs true)" in en


def test_the_values_are_those_of_the_moment_of_the_decision(plan: Plan) -> None:
    """The same declaration judged again after the growth fell: the verdict quotes the later value."""
    early = DecisionMade(10.0, 0, "command", "张三", "declare_level", (("level", "L2"),), ())
    late = DecisionMade(30.0, 1, "command", "张三", "declare_level", (("level", "L2"),), ())
    log = _moment_log(plan, {"event_open": True, "growth_pct": 221.0}, "warning", early)
    log.events += [IndicatorChanged(20.0, "growth_pct", 120.5), late]
    first, second = score(log, plan).decisions
    assert dict(first.why.args)["held"] == "growth_pct|gt|200|221"
    assert "growth_pct|gt|200|120.5" in dict(second.why.args)["failed"]


def test_an_l2_announced_publicly_is_judged_against_activate_3(plan: Plan) -> None:
    """ACTIVATE-3 (§4.1): L1 on the notice board, website and official accounts; L2 internal, copied to regulators."""
    public = ("notice_board", "website", "official_accounts")
    wrong = DecisionMade(10.0, 0, "command", "张三", "announce", (), public)
    right = DecisionMade(20.0, 1, "command", "张三", "announce", (), ("internal", "regulator_copy"))
    log = _moment_log(plan, {}, "L2", wrong, right)
    log.events.insert(0, LevelChanged(1.0, "none", "L2", "auto", "ACTIVATE-1"))
    first, second = score(log, plan).decisions
    assert (first.correct, first.rule, second.correct, second.rule) == (False, "ACTIVATE-3", True, "ACTIVATE-3")
    args = dict(first.why.args)
    assert (args["wrong"], args["missing"]) == (",".join(public), "internal,regulator_copy")
    assert first.why.say("zh", plan) == (
        "在L2 二级响应下经公告栏、官网、官方账号发布公告;预案要求内部通报、抄送监管部门"
        "——不属本级渠道:公告栏、官网、官方账号;缺少:内部通报、抄送监管部门"
    )
