"""Snapshots of the briefing, console and end screens, in Chinese and English, at 100×30.

Nothing on these screens depends on the wall clock: the clock shown is simulated and starts
paused, the session folder is relative, and no timed notification is shown. Update with
``pytest tests/tui/test_tui_snapshots.py --snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from tuihelpers import INCIDENT, inject, key_of, settings

from simulator.drill import DrillSession, parse_trainee
from simulator.load import load_plan, resolve_scenario
from tui.app import DrillApp, make_app

SIZE = (100, 30)
STEP_MIN = 70.0
"""Simulated minutes per step: the first step passes the incident at 01:00."""
LANGS = ["zh", "en"]
TRAINEES = {"zh": ["王伟:command,leadership", "李娜:pr"], "en": ["Wang:command,leadership", "Li:pr"]}

MEDIA = inject(1.5, "media", "本地晚报刊登投诉人采访。", "A local evening paper prints a complainant's interview.")


@pytest.fixture
def drill_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., DrillApp]:
    """``drill_app(scenario, lang, plan=None)``: an app over a new session in ``./session`` (a relative folder)."""
    monkeypatch.chdir(tmp_path)

    def make(scenario: Path, lang: str, plan: Path | None = None) -> DrillApp:
        trainees = [parse_trainee(t, load_plan(plan)) for t in TRAINEES[lang]]
        session = DrillSession.start(scenario, plan, trainees, folder=Path("session"), lang=lang, db=tmp_path / "records.sqlite3")
        return make_app(session, settings(lang, step_min=STEP_MIN))

    return make


async def play_to_report(pilot: Pilot[None]) -> None:
    """Begin, step to 01:10, declare Level 2, step to 02:20, write the regulator report, step to 03:30."""
    app = pilot.app
    assert isinstance(app, DrillApp)
    session = app.session
    await pilot.press("enter", "n", key_of(session, "declare_level"))
    await pilot.pause()
    await pilot.press("down", "enter", "ctrl+s")
    await pilot.pause()
    await pilot.press("y", "n", key_of(session, "regulator_report"))
    await pilot.pause()
    await pilot.press("R", "tab", "x", "tab", "space", "tab", "space", "tab", "space", "tab", "space", "ctrl+s")
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
def test_briefing(lang: str, drill_app: Callable[..., DrillApp], snap_compare: Callable[..., bool]) -> None:
    """The bundled default scenario's briefing."""
    assert snap_compare(drill_app(resolve_scenario(None), lang), terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_console(
    lang: str,
    drill_app: Callable[..., DrillApp],
    write_scenario: Callable[..., Path],
    decision_plan: Path,
    snap_compare: Callable[..., bool],
) -> None:
    """The console after a level declaration and with a report in its review chain."""
    scenario = write_scenario(horizon_days=0.5, injects=[INCIDENT, MEDIA], expected_levels=["L2"])
    assert snap_compare(drill_app(scenario, lang, decision_plan), terminal_size=SIZE, run_before=play_to_report)


@pytest.mark.parametrize("lang", LANGS)
def test_end(
    lang: str,
    drill_app: Callable[..., DrillApp],
    write_scenario: Callable[..., Path],
    decision_plan: Path,
    snap_compare: Callable[..., bool],
) -> None:
    """The end screen of the same drill, ended after the report."""

    async def play_and_end(pilot: Pilot[None]) -> None:
        await play_to_report(pilot)
        await pilot.press("e", "y")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    scenario = write_scenario(horizon_days=0.5, injects=[INCIDENT, MEDIA], expected_levels=["L2"])
    assert snap_compare(drill_app(scenario, lang, decision_plan), terminal_size=SIZE, run_before=play_and_end)
