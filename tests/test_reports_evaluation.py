"""The evaluator's ratings and observations in the after-action report, beside the automatic ratings, in zh and en."""

from __future__ import annotations

from pathlib import Path

from test_reports_support import small_scenario

from reports.aar import build_report
from reports.build import chart_keys
from reports.capabilities import capabilities
from reports.inputs import load
from reports.render_md import render_md
from simulator.drill import DrillSession, Observation, Rating, Trainee, record
from simulator.model import Request


def drill_with_evaluation(tmp_path: Path, *, evaluated: bool) -> Path:
    session = DrillSession.start(
        small_scenario(tmp_path), None, [Trainee("张伟", ("command",))], seed=3, folder=tmp_path / "s", db=tmp_path / "db"
    )
    session.advance(37 * 60.0)
    session.decide(Request("notify_departments", "command"))
    if evaluated:
        record(session.folder, Rating(seat="评估员", t=2220.0, chapter=6, letter="M", note="通报迟缓"))
        record(session.folder, Observation(seat="评估员", t=2230.5, text="张伟 waited for the GM"))
        record(session.folder, Rating(seat="评估员", t=2240.0, chapter=3, letter="P"))
    session.finish()
    return tmp_path / "s"


def section(md: str, title: str) -> str:
    start = md.index(title)
    return md[start : md.find("\n## ", start)]


def test_the_evaluators_ratings_stand_beside_the_automatic_ones(tmp_path: Path) -> None:
    inp = load(drill_with_evaluation(tmp_path, evaluated=True))
    auto = {c.chapter: c.rating for c in capabilities(inp.summary.rules)}
    for lang, title, rated, observed in [
        ("zh", "评估员评级与观察", "完成,存在重大挑战", "观察记录"),
        ("en", "Evaluator's ratings and observations", "Performed with major challenges", "Observations"),
    ]:
        report = build_report(inp, [], lang)
        md = render_md(report, {k: f"charts/{k}.png" for k in chart_keys(report)})
        part = section(md, title)
        rows = [line for line in part.splitlines() if line.startswith("| §")]
        assert [row.split("|")[1].strip()[:2] for row in rows] == ["§3", "§6"]  # in chapter order
        cells = [cell.strip() for cell in rows[1].split("|")[1:-1]]
        assert cells[1] == f"**{auto[6]}**"  # the rating from the duties
        assert cells[2] == f"**M** {rated}" and cells[3:] == ["通报迟缓", "评估员"]  # the evaluator's, beside it
        assert observed in part and "张伟 waited for the GM" in part
        assert ("第2天 13:10" if lang == "zh" else "D2 13:10") in part  # minute 2230.5 of the drill


def test_no_evaluation_no_subsection(tmp_path: Path) -> None:
    inp = load(drill_with_evaluation(tmp_path, evaluated=False))
    report = build_report(inp, [], "en")
    assert "Evaluator's ratings" not in render_md(report, {k: f"charts/{k}.png" for k in chart_keys(report)})
