"""One vocabulary: the drill, the report and the reasons name the plan's things alike, in either language."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.aar import build_report
from reports.build import chart_keys
from reports.inputs import load
from reports.render_md import render_md
from simulator.load import load_scenario
from simulator.model import INJECT_KINDS, NO_LEVEL, WARNING, Lang, Names, Plan, inject_kind
from simulator.record import InjectFired, LevelChanged
from simulator.record.reasons import Reason

pytest_plugins = ("test_reports_support",)


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_inject_kind_the_library_uses_is_named_in_both_languages(plan: Plan, scenario_paths: list[Path]) -> None:
    kinds = {inj.kind for p in scenario_paths for inj in load_scenario(p, plan).injects}
    kinds |= {ob.trigger.inject for ob in plan.obligations if ob.trigger.inject}
    assert kinds <= INJECT_KINDS.keys()
    for kind in kinds:
        assert _cjk(inject_kind(kind, "zh")) and not _cjk(inject_kind(kind, "en")), kind
    assert inject_kind("site_visit", "en") == "site visit"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_levels_and_states_by_name(plan: Plan, lang: Lang) -> None:
    names = Names(plan, lang)
    assert names.level("L2") == f"L2 {plan.level('L2').name(lang)}"
    assert {names.level(NO_LEVEL), names.level(WARNING)}.isdisjoint({NO_LEVEL, WARNING})
    assert names.level("L9") == "L9" and names.team("nobody") == "nobody"
    # A reason says a level as the console and the report do.
    said = Reason("declared", (("level", "L1"), ("implied", WARNING))).say(lang, plan)
    assert names.level("L1") in said and names.level(WARNING) in said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_names_inject_kinds_and_levels_as_the_drill_does(aar_drill_folder: Path, lang: Lang) -> None:
    inp = load(aar_drill_folder)
    names = Names(inp.plan, lang)
    report = build_report(inp, [], lang)
    text = render_md(report, {key: f"{key}.png" for key in chart_keys(report)})
    fired = {e.kind for e in inp.log.of(InjectFired)}
    assert fired and all(names.inject_kind(k) in text for k in fired)
    changes = list(inp.log.of(LevelChanged))
    assert changes
    for c in changes:
        assert f"{names.level(c.src)}→{names.level(c.dst)}" in text
    assert f"{NO_LEVEL}→" not in text
