"""Staffing sweeps: the grid, seeds, intervals, the resumable results file, and the ``sweep`` command."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from simulator.cli.args import resolve
from simulator.cli.main import build_parser, main
from simulator.cli.sweep import progress_text
from simulator.load import load_scenario, scenarios_dir
from simulator.model import Plan, UserError
from simulator.sweep.executors import SerialExecutor
from simulator.sweep.grid import Context, ResultsFile, grid, parse_vary, rep_seed, run_sweep, wilson

SWEEP = ["sweep", "manual_error", "--vary", "comms=2:4:2", "--reps", "16", "--workers", "1", "--no-chart"]


def parser() -> argparse.ArgumentParser:
    """The sweep and staff commands as ``drillsim`` has them once their entry point is installed."""
    p = build_parser()
    return p


def drillsim(*argv: str) -> int:
    args = parser().parse_args(list(argv))
    return int(resolve(args.handler)(args))


def test_vary_and_grid() -> None:
    assert parse_vary("comms=20:30:5") == ("comms", [20, 25, 30])
    assert parse_vary("verify=3") == ("verify", [3])
    assert grid([("a", [1, 2]), ("b", [5, 6])]) == [{"a": 1, "b": 5}, {"a": 1, "b": 6}, {"a": 2, "b": 5}, {"a": 2, "b": 6}]
    for bad in ("comms", "comms=5:1", "comms=1:5:0", "comms=x:2"):
        with pytest.raises(UserError, match="--vary"):
            parse_vary(bad)


def test_seeds_depend_on_base_and_replication_only() -> None:
    assert rep_seed(1, 0) == rep_seed(1, 0)
    assert len({rep_seed(b, r) for b in range(3) for r in range(50)}) == 150


@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 10), (95, 100), (200, 200)])
def test_wilson_interval(k: int, n: int) -> None:
    ci = stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
    assert wilson(k, n) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_wilson_interval_holds_the_estimate_at_zero_and_one() -> None:
    """At k = 0 and k = n the bound that is exact in theory must not round past the estimate."""
    assert [n for n in range(1, 201) if wilson(0, n)[0] != 0.0 or wilson(n, n)[1] != 1.0] == []
    assert all(wilson(0, n)[1] > 0.0 and wilson(n, n)[0] < 1.0 for n in range(1, 201))


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.floats(0.5, 0.999))
def test_wilson_interval_brackets_the_estimate(kn: tuple[int, int], confidence: float) -> None:
    k, n = kn
    lo, hi = wilson(k, n, confidence)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_sweep_with_targets_never_met_draws_its_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """refund_surge never meets a comms target at these staffings (p = 0): the chart's error bars must not go negative."""
    out = tmp_path / "out"
    argv = ["sweep", "refund_surge", "--vary", "comms=6:14:4", "--reps", "20", "--workers", "1", "--out", str(out)]
    assert main(argv) == 0
    capsys.readouterr()
    points = json.loads((out / "summary.json").read_text())["points"]
    props = [s for p in points for s in [*p["targets"].values(), p["all_targets"]] if s["p"] is not None]
    assert any(s["p"] == 0.0 for s in props)
    assert all(s["lo"] <= s["p"] <= s["hi"] for s in props)
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"


def test_common_random_numbers_across_staffing_points(plan: Plan, tmp_path: Path) -> None:
    scenario = load_scenario(scenarios_dir() / "express_parcels.yaml", plan)
    points = grid([("comms", [3, 8])])
    per_point = run_sweep(Context(plan, scenario), points, 3, SerialExecutor(), tmp_path / "r.jsonl")
    low, high = per_point
    assert [r["complaints"] for r in low] == [r["complaints"] for r in high]
    assert all(a["answer_h"]["p90"] > b["answer_h"]["p90"] for a, b in zip(low, high, strict=True))


def test_results_file_drops_a_cut_line_and_refuses_another_sweep(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    ResultsFile(path, "abc").append([{"point": {"comms": 1}, "rep": 0, "x": 1}])
    with path.open("a") as f:
        f.write('{"point": {"comms": 1}, "rep": 1, "x"')
    store = ResultsFile(path, "abc")
    assert list(store.done) == [((("comms", 1),), 0)]
    assert path.read_text().endswith("}\n")
    with pytest.raises(UserError, match="different sweep"):
        ResultsFile(path, "other")


def test_killed_sweep_resumes_to_the_uninterrupted_result(tmp_path: Path) -> None:
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    code = "import sys; from tests.test_sweep import drillsim; drillsim(*sys.argv[1:])"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-c", code, *SWEEP, "--out", str(killed)], env=env, stderr=subprocess.DEVNULL)
    results = killed / "replications.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if results.exists() and results.read_text().count("\n") >= 9:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    lines = results.read_text().count("\n")
    assert proc.returncode == -signal.SIGKILL and 9 <= lines < 33, lines

    assert drillsim(*SWEEP, "--out", str(killed)) == 0
    assert drillsim(*SWEEP, "--out", str(whole)) == 0
    assert json.loads((killed / "summary.json").read_text()) == json.loads((whole / "summary.json").read_text())
    assert (killed / "summary.csv").read_text() == (whole / "summary.csv").read_text()
    assert results.read_text().count("\n") == 33


def session(sid: int) -> dict[int, int]:
    """The live (not zombie) processes of session ``sid``, each with its parent's pid, from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid, _, session_id = stat.read_text().rpartition(")")[2].split()[:4]
        except OSError:  # the process ended while we looked
            continue
        if int(session_id) == sid and state != "Z":
            found[int(stat.parent.name)] = int(ppid)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_killed_sweep_leaves_no_pool_workers(tmp_path: Path) -> None:
    """SIGKILL the main process of a two-worker sweep: its workers must not live on as orphans."""
    argv = ["sweep", "refund_surge", "--vary", "comms=1:60", "--reps", "200", "--workers", "2", "--no-chart"]
    results = tmp_path / "replications.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", *argv, "--out", str(tmp_path)],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and proc.poll() is None:
            workers = [pid for pid, ppid in session(proc.pid).items() if ppid == proc.pid]
            if len(workers) == 2 and results.exists() and results.read_text().count("\n") > 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None and len(workers) == 2, "the sweep should still be running on two workers"
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 5
        while session(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session(proc.pid) == {}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_sweep_command_writes_table_csv_json_and_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert (
        drillsim("sweep", "cosmetics_allergy", "--vary", "verify=1:5:4", "--reps", "6", "--workers", "1", "--out", str(out)) == 0
    )
    text = capsys.readouterr().out
    assert "TEAM-VERIFY" in text and "T1" in text
    result = json.loads((out / "summary.json").read_text())
    assert [p["staff"] for p in result["points"]] == [{"verify": 1}, {"verify": 5}]
    prelim = [p["targets"]["TEAM-VERIFY/verify_preliminary"]["p"] for p in result["points"]]
    assert prelim[0] < prelim[1]
    assert (out / "summary.csv").read_text().count("\n") == 3
    png = out / "sweep.png"
    assert png.stat().st_size > 20_000 and png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sweep", "express_parcels", "--vary", "nobody=1:2"], "unknown team 'nobody'"),
        (["sweep", "express_parcels", "--vary", "comms=1:99999"], "--vary: 'comms=1:99999' has 99999 values; at most 10000"),
        (["sweep", "express_parcels", "--vary", "comms=1:200", "--vary", "hotline=1:200"], "the grid has 40000 staffing points"),
        (["staff", "express_parcels", "--range", "comms=9:3"], "--range: 'comms=9:3' needs LO <= HI"),
        (["sweep", "express_parcels", "--vary", "comms=1:2", "--confidence", "1.5"], "--confidence"),
    ],
)
def test_sweep_user_errors(argv: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        drillsim(*argv)


def test_progress_says_the_time_left_from_this_runs_pace() -> None:
    assert progress_text(0, 200, 0.4) == "replications 0/200 (0%) 0 s"
    assert progress_text(50, 200, 10.0) == "replications 50/200 (25%) 10 s, ~30 s left"
    # resumed with 100 done: 20 more in 10 s leave 80 at that pace
    assert progress_text(120, 200, 10.0, first=100) == "replications 120/200 (60%) 10 s, ~40 s left"
    assert progress_text(200, 200, 42.0) == "replications 200/200 (100%) 42 s"
    assert progress_text(50, 200, 10.0, lang="zh") == "重复 50/200 (25%) 10 秒,约剩 30 秒"
    assert progress_text(200, 200, 42.0, lang="zh") == "重复 200/200 (100%) 42 秒"
