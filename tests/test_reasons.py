"""Reasons for rejected and judged decisions, in Chinese and English, from the engine to the log and back."""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from pathlib import Path

from simulator.engine import Engine
from simulator.model import Decision, Plan, Scenario
from simulator.record import DecisionRejected, EventLog
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
    assert declared.why.code == "declared" and dict(declared.why.args) == {"level": "L1", "implied": "none"}
    assert declared.reason == "declared L1; the plan's conditions called for none"
    assert declared.why.say("zh", plan) == "宣布L1 一级响应;预案条件要求无响应"


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
