"""Fixtures for the drill UI: small scenario files, sessions in temporary folders, app drivers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.drill import DrillSession, parse_trainee
from simulator.load import DEFAULT_PLAN, load_plan, scenarios_dir
from simulator.model import Scenario


@pytest.fixture(autouse=True)
def _records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Training records go to a temporary file, never the user's."""
    monkeypatch.setenv("DRILLSIM_DB", str(tmp_path / "records.sqlite3"))


@pytest.fixture
def write_scenario(tmp_path: Path, small: Callable[..., Scenario]) -> Callable[..., Path]:
    """``write_scenario(**changes)``: the shared small scenario with changes (responder latency 1 min), as a file."""

    def write(**changes: Any) -> Path:
        scenario = small(**{"responder": {"default_min": 1}, **changes})
        path = tmp_path / f"{scenario.id}.yaml"
        path.write_text(yaml.safe_dump(scenario.model_dump(mode="json"), allow_unicode=True), encoding="utf-8")
        return path

    return write


@pytest.fixture
def decision_plan(tmp_path: Path) -> Path:
    """The bundled plan with the passive trigger left to decision: trainees declare the level."""
    text = (scenarios_dir() / DEFAULT_PLAN).read_text(encoding="utf-8")
    assert "passive_trigger: automatic" in text
    path = tmp_path / "plan-decision.yaml"
    path.write_text(text.replace("passive_trigger: automatic", "passive_trigger: decision"), encoding="utf-8")
    return path


@pytest.fixture
def start_session(tmp_path: Path) -> Callable[..., DrillSession]:
    """``start_session(scenario, trainees, plan=None, lang="en")``: a new session in a temporary folder."""

    def start(scenario: Path, trainees: list[str], plan: Path | None = None, lang: str = "en") -> DrillSession:
        parsed = [parse_trainee(t, load_plan(plan)) for t in trainees]
        return DrillSession.start(scenario, plan, parsed, folder=tmp_path / "session", lang=lang, db=tmp_path / "records.sqlite3")

    return start
