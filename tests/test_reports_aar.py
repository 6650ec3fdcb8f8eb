"""The report model: ratings, chapters, formats, texts, findings, the improvement plan, the command."""

from __future__ import annotations

import argparse
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from test_reports_support import TRAINEES, WHAT_IF, Built, make_folder, small_scenario

from reports import i18n
from reports.aar import build_report
from reports.aar_findings import DUE_DAYS, areas
from reports.build import chart_keys
from reports.capabilities import capabilities, chapter_of, rate
from reports.cli import register
from reports.context import Ctx
from reports.figures import CHARTS
from reports.inputs import load, variants
from reports.model import Bullets, Table, Val, clock, fmt
from reports.render_md import render_md
from simulator.cli.args import resolve
from simulator.model import Request, UserError
from simulator.score import RuleSummary

pytest_plugins = ("test_reports_support",)


@pytest.mark.parametrize(
    ("met", "late", "missed", "rating"),
    [
        (0, 0, 0, "-"),
        (5, 0, 0, "P"),
        (9, 1, 0, "S"),  # 90% on time
        (18, 1, 1, "S"),  # 90% on time although one was missed
        (1, 1, 0, "S"),  # none missed, half on time
        (1, 2, 0, "M"),  # none missed but under half on time
        (4, 0, 1, "M"),  # 80% on time with a miss
        (0, 1, 1, "M"),  # half done, late
        (0, 1, 2, "U"),
        (0, 0, 1, "U"),
    ],
)
def test_rating(met: int, late: int, missed: int, rating: str) -> None:
    assert rate(met, late, missed) == rating


def test_chapter_is_the_leading_section_number() -> None:
    assert chapter_of("§3.3") == 3
    assert chapter_of("§6.1(2)") == 6
    assert chapter_of("§2.2(5)") == 2
    assert chapter_of("§4.3, §6.4") == 4
    assert chapter_of("§10") == 10
    assert chapter_of("") == 0


def test_capabilities_sum_rule_counts_by_chapter() -> None:
    rules = {
        "A-1": RuleSummary("§3.1", met=2, late=1, missed=0, cancelled=1, open=0, compliance_pct=None),
        "A-2": RuleSummary("§3.3", met=0, late=0, missed=3, cancelled=0, open=2, compliance_pct=None, incomplete=2),
        "B-1": RuleSummary("§6.1(2)", met=4, late=0, missed=0, cancelled=0, open=0, compliance_pct=None),
        "C-1": RuleSummary("§5.1", met=3, late=0, missed=0, cancelled=0, open=0, compliance_pct=None, incomplete=1),
    }
    caps = capabilities(rules)
    assert [c.chapter for c in caps] == [3, 5, 6]
    assert caps[0].rules == ("A-1", "A-2")
    assert caps[0].counts == {"met": 2, "incomplete": 2, "late": 1, "missed": 3, "cancelled": 1, "open": 2, "scored": 8}
    assert caps[0].rating == "M"  # 5 of 8 done, on time or late, complete or not
    assert caps[1].rating == "S"  # 3 of 4 complete and on time, none missed: an incomplete duty is a challenge
    assert caps[2].rating == "P"


def test_formats() -> None:
    assert clock(2910, "en") == "D3 00:30"
    assert clock(2910, "zh") == "第3天 00:30"
    assert clock(1439.6, "en") == "D2 00:00"
    assert fmt(Val(51.2, "x", "minutes"), "en") == "51 min"
    assert fmt(Val(180.0, "x", "minutes"), "en") == "3.0 h"
    assert fmt(Val(180.0, "x", "minutes"), "zh") == "3.0小时"
    assert fmt(Val(33420, "x", "int"), "en") == "33,420"
    assert fmt(Val(20241, "x", "plain"), "en") == "20241"
    assert fmt(Val(0.8312, "x", "share"), "en") == "83.1%"
    assert fmt(Val(14400.0, "x", "days"), "zh") == "10天"
    assert fmt(Val(None, "x", "pct"), "en") == "—"


def test_every_text_exists_in_both_languages_with_the_same_slots() -> None:
    slot = re.compile(r"\{(\w+)\}")
    for key, (zh, en) in i18n._T.items():
        assert zh.strip() and en.strip(), key
        assert sorted(slot.findall(zh)) == sorted(slot.findall(en)), key
    for table in (i18n.CHAPTERS, i18n.RATINGS, i18n.STATUSES):
        assert all(zh and en for zh, en in table.values())


def test_fill_puts_values_in_order() -> None:
    v = Val(3, "summary:x")
    frag = i18n.fill("st.decisions", "en", correct=v, judged=Val(4, "summary:y"))
    assert frag == ("Every judged decision was correct: ", v, " of ", Val(4, "summary:y"))
    with pytest.raises(KeyError):
        i18n.fill("st.decisions", "en", correct=v)


def test_report_sections_follow_the_after_action_report(aar_drill_folder: Path) -> None:
    inp = load(aar_drill_folder)
    report = build_report(inp, [], "en")
    assert [s.id for s in report.sections] == [
        "overview",
        "objectives",
        "analysis",
        "strengths",
        "improvements",
        "plan",
        "appendix-duties",
        "appendix-decisions",
        "appendix-whatif",
    ]
    analysis = next(s for s in report.sections if s.id == "analysis")
    chapters = {int(c.id.removeprefix("cap-")) for c in analysis.sub if c.id.startswith("cap-")}
    assert chapters == {chapter_of(r["section"]) for r in inp.summary.to_json()["rules"].values()}
    assert "trainee" in {s.id for s in analysis.sub}


def test_areas_cite_every_failure_of_a_rule_and_every_wrong_decision(aar_drill_folder: Path) -> None:
    """An area per rule and kind of failure (missed, late, incomplete), each with its own corrective action."""
    inp = load(aar_drill_folder)
    ctx = Ctx(inp, [], "en")
    found = areas(ctx)
    failures = set()
    for o in inp.summary.to_json()["obligations"]:
        if o["status"] in ("missed", "late"):
            failures.add((o["rule_id"], o["status"]))
        if o["missing"]:
            failures.add((o["rule_id"], "incomplete"))
    wrong = [d for d in inp.summary.to_json()["decisions"]["list"] if not d["correct"]]
    assert failures and wrong, "the drill fixture must have late/missed duties and wrong decisions"
    assert {(a.rule, a.kind) for a in found} == failures | {(d["rule"], "decision") for d in wrong}
    for a in found:
        if a.kind != "decision":
            assert a.high == (a.kind == "missed")
            timings = [p for f in a.details for p in f if isinstance(p, Val) and p.kind == "clock"]
            assert timings, a.rule
    assert len({a.action for a in found}) == len(found), "every corrective action is its own"
    owners = {inp.plan.teams[t].name("en") for t in inp.plan.teams} | {inp.plan.roles[r].name("en") for r in inp.plan.roles}
    assert all(a.owner in owners for a in found)


def test_improvement_plan_due_dates(aar_drill_report: Built) -> None:
    md = (aar_drill_report.out / "aar.en.md").read_text(encoding="utf-8")
    inp = load(aar_drill_report.folder)
    section = md[md.index("## 6. Improvement plan") : md.index("### Hot wash")]  # the plan's own table, not the hot wash's
    rows = [line.split("|")[1:-1] for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows
    for _area, _action, _owner, priority, due in rows:
        high = "high" in priority
        assert due.strip() == (inp.written + timedelta(days=DUE_DAYS[high])).isoformat()


def test_strengths_list_the_rules_met_in_every_instance(aar_run_report: Built) -> None:
    summary = json.loads((aar_run_report.folder / "summary.json").read_text(encoding="utf-8"))
    md = (aar_run_report.out / "aar.en.md").read_text(encoding="utf-8")
    strengths = md[md.index("## 4. Strengths") : md.index("## 5.")]
    for rule, r in summary["rules"].items():
        perfect = r["met"] and not r["late"] and not r["missed"]
        assert (f"- {rule} (" in strengths) == bool(perfect), rule


def test_drill_report_names_the_trainees(aar_drill_report: Built) -> None:
    for lang in ("zh", "en"):
        html = (aar_drill_report.out / f"aar.{lang}.html").read_text(encoding="utf-8")
        for t in TRAINEES:
            assert t["name"] in html


def test_whatif_columns(aar_drill_report: Built) -> None:
    html = (aar_drill_report.out / "aar.en.html").read_text(encoding="utf-8")
    whatif = html[html.index('<section id="appendix-whatif">') :]
    head = whatif[whatif.index("<thead>") : whatif.index("</thead>")]
    assert re.findall(r"<th[^>]*>([^<]*)</th>", head)[1:] == [
        "This drill",
        "Auto-responder, same seed",
        f"What-if: comms={WHAT_IF['comms']} round the clock",  # the flat form, said as such
    ]
    assert '<figure id="chart-whatif">' in whatif


def test_no_areas_means_no_plan_rows(aar_run_folder: Path) -> None:
    inp = load(aar_run_folder)
    report = build_report(inp, [], "zh")
    plan = next(s for s in report.sections if s.id == "plan")
    if areas(Ctx(inp, [], "zh")):
        assert isinstance(plan.blocks[0], Table)
    else:
        assert not any(isinstance(b, (Table, Bullets)) for b in plan.blocks)


def test_a_quiet_run_makes_a_report_with_empty_charts(tmp_path: Path) -> None:
    """Nothing triggers the plan: no duty, no level, no decision; every part of the report still renders."""
    make_folder(tmp_path, small_scenario(tmp_path, quiet=True), drill=False)
    inp = load(tmp_path)
    assert not inp.summary.to_json()["obligations"] and not inp.summary.to_json()["levels"]
    for lang in ("zh", "en"):
        report = build_report(inp, [], lang)
        keys = chart_keys(report)
        for key in keys:
            assert isinstance(CHARTS[key](inp, [], lang), Figure)
        md = render_md(report, {k: f"charts/{k}.png" for k in keys})
        assert i18n.tr("ai.none", lang) in md and i18n.tr("ip.none", lang) in md and i18n.tr("st.none", lang) in md


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["report", *argv])


def test_command_writes_the_report(aar_run_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse([str(aar_run_folder), "--out", str(tmp_path), "--format", "md", "--lang", "en"])
    assert resolve(args.handler)(args) == 0
    assert (tmp_path / "aar.en.md").is_file() and not (tmp_path / "aar.en.html").exists()
    assert sorted(p.name for p in (tmp_path / "charts").glob("*.en.svg")) == sorted(
        p.name.replace(".png", ".svg") for p in (tmp_path / "charts").glob("*.en.png")
    )
    assert f"wrote {tmp_path / 'aar.en.md'}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lang", "fr"], "--lang: unknown value 'fr'"),
        (["--format", "docx"], "--format: unknown value 'docx'"),
        (["--what-if", "comms=many"], "--what-if: expected TEAM=N"),
        (["--what-if", "canteen=3"], "--what-if: unknown team 'canteen'"),
    ],
)
def test_command_rejects_bad_options(aar_run_folder: Path, tmp_path: Path, argv: list[str], message: str) -> None:
    args = _parse([str(aar_run_folder), "--out", str(tmp_path), *argv])
    with pytest.raises(UserError, match=re.escape(message)):
        resolve(args.handler)(args)


def test_command_rejects_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    args = _parse([str(tmp_path)])
    with pytest.raises(UserError, match="not a run or drill-session folder"):
        resolve(args.handler)(args)
    args = _parse([str(tmp_path / "nowhere")])
    with pytest.raises(UserError, match="no such run or drill-session folder"):
        resolve(args.handler)(args)


def test_report_of_a_real_drill_session_folder(aar_small_path: Path, tmp_path: Path) -> None:
    """A folder written by the drill session (journal, run.json of kind drill) reports like any run."""
    drill = pytest.importorskip("simulator.drill.session")
    session = drill.DrillSession.start(
        aar_small_path, None, [drill.Trainee("张伟", ("command",))], seed=3, folder=tmp_path / "s", db=tmp_path / "db"
    )
    session.advance(37 * 60.0)
    session.decide(Request("notify_departments", "command"))
    session.finish()
    assert (tmp_path / "s" / "journal.jsonl").is_file()
    inp = load(tmp_path / "s")
    assert inp.is_drill
    report = build_report(inp, [], "zh")
    md = render_md(report, {k: f"charts/{k}.png" for k in chart_keys(report)})
    log = md[md.index("## 附录B") :]
    row = next(line for line in log.splitlines() if "张伟" in line)
    assert "内部通报相关部门" in row and "应急指挥中心" in row
    assert "张伟:应急指挥中心" in md


def test_a_drill_ended_early_is_compared_over_the_same_time(aar_small_path: Path, tmp_path: Path) -> None:
    drill = pytest.importorskip("simulator.drill.session")
    session = drill.DrillSession.start(
        aar_small_path, None, [drill.Trainee("张伟", ("command",))], seed=3, folder=tmp_path / "s", db=tmp_path / "db"
    )
    session.advance(30 * 60.0)
    session.finish(30 * 60.0)
    inp = load(tmp_path / "s")
    assert inp.log.meta.horizon == 30 * 60.0 < inp.scenario.horizon_days * 1440
    auto, whatif = variants(inp, [{"comms": 30}])
    assert auto.result.log.meta.horizon == whatif.result.log.meta.horizon == 30 * 60.0
    assert max(e.t for e in whatif.result.log.events) == 30 * 60.0
