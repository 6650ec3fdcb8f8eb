"""Shared makers for the report tests: a small batch-run folder and a small drill-session folder.

Test modules load this module as a plugin (``pytest_plugins``), so that its session fixtures
are made once for all of them; their names start with ``aar_``. The scenario is the bundled refund surge,
shortened to four days with a smaller stream and smaller teams, so that a run takes a moment.
The drill has two trainees (one with a Chinese name) holding the duty officer's and the
command centre's roles, taking some decisions late, one wrongly and one that is rejected, and
leaving others undone; the auto-responder holds the other roles.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from reports.build import make_report
from simulator.batch import RunInfo, RunResult, run
from simulator.load import load_plan, load_scenario, resolve_scenario
from simulator.model import Decision

SEED = 7
TRAINEES = [{"name": "王芳", "roles": ["command"]}, {"name": "Li Lei", "roles": ["duty"]}]
H = 60.0

DRILL_DECISIONS = [
    Decision(36 * H + 20, "register_report", "duty", "Li Lei", {}, ("time", "place", "parties", "description", "contact")),
    Decision(37.5 * H, "notify_departments", "command", "王芳"),
    Decision(40 * H, "declare_level", "command", "王芳", {"level": "L3"}),
    Decision(40.5 * H, "disposal_plan", "command", "王芳", {}, ("casualties", "measures", "expected_impact")),
    Decision(41 * H, "declare_level", "command", "王芳", {"level": "L2"}),
    Decision(49 * H, "regulator_report", "command", "王芳", {}, ("nature", "measures", "impact", "controls")),
    Decision(50 * H, "move_staff", "logistics", "王芳", {"src": "verify", "dst": "comms", "n": "3"}),
    Decision(52 * H, "declare_level", "command", "王芳", {"level": "L2"}),
]
"""The trainees' decisions (``logistics`` is not theirs: the engine takes it, the plan does not judge it;
the last one repeats a level already in force, which the engine rejects)."""


def small_scenario(folder: Path, *, quiet: bool = False) -> Path:
    """Write the small scenario into ``folder``; return its path. A ``quiet`` one has no surge and no injects."""
    plan = load_plan(None)
    data: dict[str, Any] = load_scenario(resolve_scenario(None), plan).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["id"] = "refund_surge_small"
    data["horizon_days"] = 4
    data["injects"] = [inject for inject in data["injects"] if inject["at_h"] <= 4 * 24]  # the rest would never fire
    data["complaints"]["baseline_per_day"] = 400
    for team, staff, shift in (("hotline", 1, 4), ("comms", 4, 14)):
        data["teams"][team]["staff"] = staff
        data["teams"][team]["shifts"][0]["staff"] = shift
    data["backup_hotline_staff"] = 2
    data["external"]["staff"] = 6
    if quiet:
        data["complaints"]["surge"] = []
        data["injects"] = []
    path = folder / ("quiet.yaml" if quiet else "small.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_folder(folder: Path, scenario_path: Path, *, drill: bool) -> RunResult:
    """Run the small scenario (as a drill with the trainees' decisions, or a batch run) into ``folder``."""
    plan = load_plan(None)
    scenario = load_scenario(scenario_path, plan)
    if drill:
        held = {r for t in TRAINEES for r in t["roles"]}
        auto = [r for r in plan.roles if r not in held]
        result = run(plan, scenario, seed=SEED, decisions=DRILL_DECISIONS, auto_roles=auto)
        info = RunInfo(str(scenario_path), None, SEED, kind="drill", trainees=TRAINEES)
    else:
        result = run(plan, scenario, seed=SEED)
        info = RunInfo(str(scenario_path), None, SEED)
    result.write(folder, info)
    return result


@pytest.fixture(scope="session")
def aar_small_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small scenario's file."""
    return small_scenario(tmp_path_factory.mktemp("scenario"))


@pytest.fixture(scope="session")
def aar_run_folder(tmp_path_factory: pytest.TempPathFactory, aar_small_path: Path) -> Path:
    """A batch-run folder of the small scenario."""
    folder = tmp_path_factory.mktemp("run")
    make_folder(folder, aar_small_path, drill=False)
    return folder


@pytest.fixture(scope="session")
def aar_drill_folder(tmp_path_factory: pytest.TempPathFactory, aar_small_path: Path) -> Path:
    """A drill-session folder of the small scenario."""
    folder = tmp_path_factory.mktemp("drill")
    make_folder(folder, aar_small_path, drill=True)
    return folder


WHAT_IF = {"comms": 8}
"""The what-if staffing the drill report is made with."""


@dataclass
class Built:
    """A report written by ``make_report``, with the warnings and log records raised while it was made."""

    folder: Path
    out: Path
    files: list[Path]
    warnings: list[str] = field(default_factory=list)


def build(folder: Path, out: Path, **kwargs: Any) -> Built:
    """Make a report, recording every warning and every matplotlib log record of WARNING or above."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            files = make_report(folder, out, **kwargs)
    finally:
        logger.removeHandler(handler)
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in records]
    return Built(folder, out, files, messages)


@pytest.fixture(scope="session")
def aar_drill_report(tmp_path_factory: pytest.TempPathFactory, aar_drill_folder: Path) -> Built:
    """The drill's report in both languages, with one what-if run."""
    return build(aar_drill_folder, tmp_path_factory.mktemp("drill-report"), langs=("zh", "en"), what_if=[WHAT_IF])


@pytest.fixture(scope="session")
def aar_run_report(tmp_path_factory: pytest.TempPathFactory, aar_run_folder: Path) -> Built:
    """The batch run's report in English."""
    return build(aar_run_folder, tmp_path_factory.mktemp("run-report"), langs=("en",))


@pytest.fixture(scope="session")
def aar_comparisons(aar_drill_folder: Path) -> list[RunResult]:
    """The drill's comparison runs, made here afresh: the auto-responder on the same seed, then the what-if."""
    info = RunInfo.read(aar_drill_folder)
    plan, scenario = info.load()
    auto = run(plan, scenario, seed=info.seed, staff=info.staff or None)
    return [auto, run(plan, scenario, seed=info.seed, staff={**info.staff, **WHAT_IF})]
