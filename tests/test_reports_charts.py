"""Charts: Chinese without missing glyphs, Figures without pyplot, and what each chart draws."""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from test_reports_support import Built

from reports import charts, charts_duties
from reports.chartkit import STATUS_COLOURS
from reports.figures import CHARTS
from reports.fonts import cjk_font_path, ensure_cjk_font
from reports.i18n import _T, CHAPTERS
from reports.inputs import Inputs, load
from simulator.batch import RunResult
from simulator.record import DecisionMade, DecisionRejected, InjectFired

pytest_plugins = ("test_reports_support",)

GLYPH_TROUBLE = ("glyph", "missing from font", "findfont")


@pytest.fixture(scope="module")
def drill(aar_drill_folder: Path) -> Inputs:
    return load(aar_drill_folder)


def test_font_is_registered_by_file_path_once() -> None:
    family = ensure_cjk_font()
    count = len(font_manager.fontManager.ttflist)
    assert ensure_cjk_font() == family
    assert len(font_manager.fontManager.ttflist) == count
    found = font_manager.findfont(FontProperties(family=family), fallback_to_default=False)
    assert Path(found) == cjk_font_path()


def test_font_has_every_chinese_character_the_reports_use(drill: Inputs) -> None:
    from fontTools.ttLib import TTFont

    with TTFont(str(cjk_font_path()), lazy=True) as font:
        cmap = font.getBestCmap()
    texts = [zh for zh, _en in _T.values()] + [zh for zh, _en in CHAPTERS.values()]
    texts += [ob.name.zh for ob in drill.plan.obligations] + [t.name.zh for t in drill.plan.teams.values()]
    texts += [a.name.zh for a in drill.plan.actions.values()] + [lv.name.zh for lv in drill.plan.levels]
    missing = {ch for text in texts for ch in text if ord(ch) > 127 and ord(ch) not in cmap}
    assert not missing


def test_every_chart_in_both_languages_has_no_missing_glyph(aar_drill_report: Built, aar_run_report: Built) -> None:
    drawn = {p.name for p in (aar_drill_report.out / "charts").iterdir()}
    for key in CHARTS:
        for lang in ("zh", "en"):
            assert {f"{key}.{lang}.png", f"{key}.{lang}.svg"} <= drawn
    trouble = [m for m in aar_drill_report.warnings + aar_run_report.warnings if any(t in m.lower() for t in GLYPH_TROUBLE)]
    assert not trouble
    assert not aar_drill_report.warnings and not aar_run_report.warnings


def test_the_glyph_check_can_fail() -> None:
    """Chinese drawn in a Latin-only font raises the warning the test above looks for."""
    fig = Figure()
    fig.add_subplot().set_title("预警通报", fontfamily="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    assert any("missing from font" in str(w.message) for w in caught)


def test_charts_draw_on_a_given_axes_without_pyplot(drill: Inputs, aar_comparisons: list[RunResult]) -> None:
    auto = aar_comparisons[0].log
    calls = [
        lambda ax: charts.arrivals_capacity(drill.log, drill.scenario, drill.plan, "en", ax),
        lambda ax: charts.backlog(drill.log, drill.plan, "en", ax),
        lambda ax: charts.answer_cdf([("x", charts.answer_hours(drill.log))], charts.answer_target(drill.plan), "en", ax),
        lambda ax: charts.level_timeline(drill.log, drill.plan, drill.scenario, "en", ax),
        lambda ax: charts.opinion_heat(drill.log, drill.score, drill.plan, drill.scenario, "en", ax),
        lambda ax: charts_duties.obligations_gantt(drill.log, drill.score, drill.plan, "en", ax),
        lambda ax: charts_duties.section_scores(drill.score, "en", ax),
        lambda ax: charts_duties.decision_timeline(drill.log, auto, drill.plan, {"command", "duty"}, "en", ax),
    ]
    host = Figure(figsize=(10, 30))
    axes = host.subplots(len(calls))
    for call, ax in zip(calls, axes, strict=True):
        assert call(ax) is host
        assert ax.has_data()
    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == []


def test_gantt_draws_every_duty_in_its_status_colour(drill: Inputs) -> None:
    ax = charts_duties.obligations_gantt(drill.log, drill.score, drill.plan, "en").axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(drill.score.duties)
    for bar, duty in zip(bars, drill.score.duties, strict=True):
        assert to_hex(bar.get_edgecolor()) == STATUS_COLOURS[duty.status]
        assert bar.get_x() * 1440 == pytest.approx(duty.opened)
        assert (bar.get_x() + bar.get_width()) * 1440 == pytest.approx(duty.due, abs=6)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert {d.rule for d in drill.score.duties} == {label.split()[0] for label in labels}
    statuses = {d.status for d in drill.score.duties}
    assert {"met", "late", "missed"} <= statuses


def test_answer_cdf_marks_the_summary_percentile_and_the_target(drill: Inputs) -> None:
    target = charts.answer_target(drill.plan)
    assert target == (0.9, 168)
    ax = charts.answer_cdf([("drill", charts.answer_hours(drill.log))], target, "en").axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"drill (p90 {drill.summary.to_json()['answer_time_h']['p90']:.1f} h)"]
    verticals = [line for line in ax.lines if len(set(line.get_xdata())) == 1]
    assert any(line.get_xdata()[0] == 168 for line in verticals)
    assert any(set(line.get_ydata()) == {0.9} for line in ax.lines)


def test_arrivals_chart_marks_each_inject(drill: Inputs) -> None:
    ax = charts.arrivals_capacity(drill.log, drill.scenario, drill.plan, "zh").axes[0]
    fired = list(drill.log.of(InjectFired))
    assert fired
    labels = [t for t in ax.texts if t.get_rotation() == 90]
    assert len(labels) == len(fired)
    assert sorted(t.get_position()[0] * 1440 for t in labels) == pytest.approx(sorted(e.t for e in fired))


def test_decision_timeline_shows_each_trainee_decision(drill: Inputs, aar_comparisons: list[RunResult]) -> None:
    auto = aar_comparisons[0].log
    roles = {"command", "duty"}
    ax = charts_duties.decision_timeline(drill.log, auto, drill.plan, roles, "en").axes[0]
    rejected = {e.seq for e in drill.log.of(DecisionRejected)}
    mine = [e for e in drill.log.of(DecisionMade) if e.actor != "auto"]
    by_marker = {line.get_marker(): len(line.get_xdata()) for line in ax.lines if line.get_marker() not in ("None", None, "")}
    assert by_marker["o"] == sum(e.seq not in rejected for e in mine)
    assert by_marker["X"] == sum(e.seq in rejected for e in mine) > 0
    assert by_marker["D"] == sum(e.role in roles for e in auto.of(DecisionMade))


def test_backlog_switches_to_a_log_scale_when_teams_differ_widely(drill: Inputs) -> None:
    ax = charts.backlog(drill.log, drill.plan, "en").axes[0]
    peaks = [drill.summary.to_json()["teams"][t]["peak_backlog"] for t in drill.summary.to_json()["teams"]]
    peaks = [p for p in peaks if p > 0]
    expected = "symlog" if max(peaks) > charts.SYMLOG_RATIO * min(peaks) else "linear"
    assert ax.get_yscale() == expected
    assert len(ax.get_legend().get_texts()) == len(peaks)


def test_cdf_draws_at_most_a_fixed_number_of_points() -> None:
    hours = np.random.default_rng(1).exponential(30.0, 100_000)
    ax = charts.answer_cdf([("many", hours)], (0.9, 168), "en").axes[0]
    curve = max(ax.lines, key=lambda line: len(line.get_xdata()))
    assert len(curve.get_xdata()) == charts.CDF_POINTS
