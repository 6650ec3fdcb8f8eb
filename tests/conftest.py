"""Shared fixtures: a private data folder, the default plan, the bundled scenarios and their runs, small scenarios."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from simulator.batch import RunResult, run
from simulator.load import DEFAULT_PLAN, load_plan, load_scenario, scenarios_dir
from simulator.model import Plan, Scenario

BUNDLED = sorted(p for p in scenarios_dir().glob("*.yaml") if p.name != DEFAULT_PLAN)
"""Every bundled scenario file; scenarios added later are covered automatically."""


@pytest.fixture(autouse=True)
def private_data_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions and records of every test, and of the commands it starts, go to a folder of its own.

    Without this a test that starts a drill with no folder (a browser seat of ``drillsim serve``)
    left it in the user's data folder, where ``drillsim history`` lists it as unfinished.
    """
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))  # shared by the session's tests
    monkeypatch.delenv("DRILLSIM_DB", raising=False)


@pytest.fixture(scope="session")
def plan() -> Plan:
    """The bundled default plan."""
    return load_plan()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test asking for ``bundled_name`` runs once for each bundled scenario."""
    if "bundled_name" in metafunc.fixturenames:
        metafunc.parametrize("bundled_name", [p.stem for p in BUNDLED])


@pytest.fixture(scope="session")
def scenario_paths() -> list[Path]:
    """Paths of every bundled scenario."""
    return BUNDLED


@pytest.fixture(scope="session")
def bundled(plan: Plan) -> Callable[[str], tuple[Scenario, RunResult]]:
    """``bundled(name)``: a bundled scenario and its run with the auto-responder, each run once per session."""
    cache: dict[str, tuple[Scenario, RunResult]] = {}

    def get(name: str) -> tuple[Scenario, RunResult]:
        if name not in cache:
            scenario = load_scenario(scenarios_dir() / f"{name}.yaml", plan)
            cache[name] = (scenario, run(plan, scenario))
        return cache[name]

    return get


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """A fresh folder for a run's output (not created yet)."""
    return tmp_path / "run"


def small_scenario_data(**changes: Any) -> dict[str, Any]:
    """A small, fast scenario as plain data: a quiet flat day, fixed step and task durations.

    ``changes`` replace top-level keys.
    """
    data: dict[str, Any] = {
        "id": "small",
        "title": {"zh": "小场景", "en": "small scenario"},
        "briefing": {"zh": "测试用的平静一天。", "en": "A quiet day for tests."},
        "horizon_days": 1.0,
        "seed": 7,
        "complaints": {
            "baseline_per_day": 96,
            "hourly_profile": [1.0] * 24,
            "channels": {"hotline": 0.5, "ecommerce": 0.5},
            "severity": {"normal": 1.0},
        },
        "teams": {
            "hotline": {"staff": 3, "handling": {"kind": "exponential", "mean": 5}},
            "comms": {
                "staff": 4,
                "handling": {"kind": "exponential", "mean": 8},
                "callback": {"kind": "fixed", "mean": 2},
                "callback_crew": 2,
            },
        },
        "tasks": {
            name: {"effort_hours": {"kind": "fixed", "mean": hours}, "crew": crew}
            for name, hours, crew in (("verify_preliminary", 60, 5), ("verify_facts", 120, 6), ("supplier_list", 40, 2))
        },
        "step_cv": 0.0,
        "opinion": {"decay_per_h": 0.05, "complaint_weight": 1.0, "disclosure_damping": 0.3, "missed_penalty": 2, "feedback": 0},
        "responder": {"default_min": 5},
    }
    data.update(changes)
    return data


@pytest.fixture(scope="session")
def small() -> Callable[..., Scenario]:
    """``small(**changes)``: a validated small scenario (see ``small_scenario_data``)."""

    def make(**changes: Any) -> Scenario:
        return Scenario.model_validate(small_scenario_data(**changes))

    return make
