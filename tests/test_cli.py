"""``drillsim run`` and ``drillsim validate`` as a user calls them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from simulator.batch import RunInfo
from simulator.cli.main import main
from simulator.model import Plan, UserError
from simulator.record import EventLog, columns

SCENARIO = "manual_error"
"""The quickest bundled scenario."""


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``drillsim ARGS`` in-process: (status, stdout, stderr)."""
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def json_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """``drillsim run manual_error --seed 5 --json``: its folder and the JSON it printed."""
    out = tmp_path_factory.mktemp("cli") / "run"
    printed = io.StringIO()
    with redirect_stdout(printed):
        status = main(["run", SCENARIO, "--seed", "5", "--out", str(out), "--json"])
    assert status == 0
    return out, json.loads(printed.getvalue())


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"seed": -4}, "seed: Input should be greater than or equal to 0"),
        ({"seed": "seven"}, "seed: Input should be a valid integer"),
        ({"staff": {"comms": -5}}, "staff.comms: Input should be greater than or equal to 0"),
        ({"staff": [["comms", 5]]}, "staff: Input should be an object"),
        ({"kind": "party"}, "kind: Input should be 'run' or 'drill'"),
        ({"scenario": None}, "scenario: Input should be a valid string"),
        ({"trainees": [{"name": "", "roles": []}]}, "trainees[0].name: String should have at least 1 character"),
        ({"extra": 1}, "extra: Extra inputs are not permitted"),
    ],
)
def test_a_run_record_holding_what_no_run_writes(
    change: dict[str, Any], why: str, json_run: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    """A report read such a run.json and ran its comparison runs on it (seed -4 went to the engine)."""
    out, _ = json_run
    rec = {**json.loads((out / "run.json").read_text(encoding="utf-8")), **change}
    (tmp_path / "run.json").write_text(json.dumps(rec), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        RunInfo.read(tmp_path)
    assert caught.value.message == f"{tmp_path / 'run.json'}: not a run record ({why})"


def test_a_run_record_that_is_not_json(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match=r"run\.json: not a run record \(Invalid JSON: key must be a string at line 1 column 2\)"):
        RunInfo.read(tmp_path)


def test_run_writes_its_folder(json_run: tuple[Path, dict[str, Any]]) -> None:
    out, _ = json_run
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "run.json", "summary.json"]
    info = RunInfo.read(out)
    assert (info.seed, info.kind, info.plan, Path(info.scenario).name) == (5, "run", None, f"{SCENARIO}.yaml")
    assert EventLog.read(out / "events.jsonl").meta.seed == 5


def test_json_output_is_the_summary(json_run: tuple[Path, dict[str, Any]]) -> None:
    out, printed = json_run
    assert printed == json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_summary_has_what_users_read(plan: Plan, json_run: tuple[Path, dict[str, Any]]) -> None:
    out, s = json_run
    assert set(s["complaints"]) == {"arrived", "answered", "abandoned", "open"}
    assert set(s["teams"]) == set(plan.teams)
    for team in s["teams"].values():
        assert team["utilisation"] is None or team["utilisation"] >= 0
    assert s["teams"]["comms"]["utilisation"] > 0
    answer = s["answer_time_h"]
    assert answer["n"] == s["complaints"]["answered"]
    assert answer["p50"] <= answer["p90"] <= answer["p95"] <= answer["p99"] <= answer["max"]
    for team in ("hotline", "comms"):
        wait = s["teams"][team]["wait_min"]
        assert 0 <= wait["p50"] <= wait["p90"] <= wait["p95"] <= wait["p99"] <= wait["max"]
    started = columns(EventLog.read(out / "events.jsonl").complaints)["comms_start"]
    assert s["teams"]["comms"]["wait_min"]["n"] == int((~np.isnan(started)).sum())
    assert s["obligations"] and all({"rule_id", "due", "done", "status"} <= set(o) for o in s["obligations"])
    assert 0 <= s["compliance_pct"] <= 100
    assert [lv["to"] for lv in s["levels"]] == ["L3"]


def test_text_summary(capsys: pytest.CaptureFixture[str], run_dir: Path) -> None:
    status, out, err = run_cli(["run", SCENARIO, "--out", str(run_dir)], capsys)
    assert (status, err) == (0, "")
    assert out.startswith(f"scenario {SCENARIO}  seed ")
    assert "levels: L3 Level 3 (general)@" in out  # with the level's plan name
    assert out.rstrip().endswith(f"wrote {run_dir / 'events.jsonl'} and {run_dir / 'summary.json'}")


def test_staff_override_reaches_the_log(capsys: pytest.CaptureFixture[str], run_dir: Path) -> None:
    status, _, _ = run_cli(["run", SCENARIO, "--staff", "comms=50", "--out", str(run_dir), "--json"], capsys)
    assert status == 0
    assert dict(EventLog.read(run_dir / "events.jsonl").meta.staff)["comms"] == 50
    assert RunInfo.read(run_dir).staff == {"comms": 50}
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["teams"]["comms"]["staff_start"] == 50


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("nosuch=3", "drillsim: --staff: unknown team 'nosuch'; the plan has: "),
        ("comms=many", "drillsim: --staff: expected TEAM=N with N a whole number of people from 0 to 10000, got 'comms=many'\n"),
        ("comms", "drillsim: --staff: expected TEAM=N with N a whole number of people from 0 to 10000, got 'comms'\n"),
    ],
)
def test_bad_staff_is_a_clear_error(
    plan: Plan, item: str, message: str, capsys: pytest.CaptureFixture[str], run_dir: Path
) -> None:
    status, out, err = run_cli(["run", SCENARIO, "--staff", item, "--out", str(run_dir)], capsys)
    assert (status, out) == (2, "")
    assert err.startswith(message)
    if item.startswith("nosuch"):
        assert err == message + ", ".join(plan.teams) + "\n"
    assert not run_dir.exists()


def test_unknown_scenario_name(capsys: pytest.CaptureFixture[str], run_dir: Path) -> None:
    status, _, err = run_cli(["run", "no_such_scenario", "--out", str(run_dir)], capsys)
    assert status == 2
    assert err.startswith("drillsim: no_such_scenario: no such file, and unknown bundled scenario 'no_such_scenario'")
    status, _, err = run_cli(["run", "refund_surg", "--out", str(run_dir)], capsys)
    assert "did you mean 'refund_surge'?" in err


def test_validate_accepts_every_bundled_file(scenario_paths: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(p) for p in scenario_paths] + [str(scenario_paths[0].parent / "plan.yaml")]
    status, out, err = run_cli(["validate", *files], capsys)
    assert (status, err) == (0, "")
    assert out.splitlines() == [f"{f}: ok" for f in files]


def test_run_as_a_subprocess(run_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "run", SCENARIO, "--out", str(run_dir), "--json", "--staff", "nosuch=1"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("drillsim: --staff: unknown team 'nosuch'")
