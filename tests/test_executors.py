"""Executors: the same sweep gives the same numbers in-process, in a process pool and on Dask."""

from __future__ import annotations

import json
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from simulator.load import load_scenario, scenarios_dir
from simulator.model import Plan, UserError
from simulator.sweep import Context, grid, run_sweep, summary
from simulator.sweep.executors import PinnedPool, SerialExecutor, open_executor

distributed = pytest.importorskip("distributed")


def sweep(plan: Plan, executor: Executor, out: Path) -> dict[str, Any]:
    scenario = load_scenario(scenarios_dir() / "manual_error.yaml", plan)
    ctx = Context(plan, scenario, base_seed=5)
    points = grid([("comms", [2, 5]), ("hotline", [1, 3])])
    per_point = run_sweep(ctx, points, 5, executor, out / "replications.jsonl", chunk=2)
    return summary(ctx, points, per_point)


def test_serial_pool_and_dask_give_the_same_numbers(plan: Plan, tmp_path: Path) -> None:
    serial = sweep(plan, SerialExecutor(), tmp_path / "serial")
    with ProcessPoolExecutor(2) as pool:
        pooled = sweep(plan, pool, tmp_path / "pool")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        dasked = sweep(plan, client.get_executor(pure=False), tmp_path / "dask")
    assert json.dumps(serial) == json.dumps(pooled) == json.dumps(dasked)
    assert {p["staff"]["comms"] for p in serial["points"]} == {2, 5}
    # the numbers are not all alike: staffing changes them
    assert len({p["answer_h"]["p90"]["mean"] for p in serial["points"]}) == 4


def test_local_dask_cluster_of_the_command_line(plan: Plan, tmp_path: Path) -> None:
    """``--dask local``: forked worker processes, the same numbers."""
    with open_executor(2, "local") as ex:
        dasked = sweep(plan, ex, tmp_path / "dask")
    assert json.dumps(dasked) == json.dumps(sweep(plan, SerialExecutor(), tmp_path / "serial"))


def test_executor_choices_and_errors() -> None:
    with open_executor(1) as ex:
        assert isinstance(ex, SerialExecutor)
        assert ex.submit(divmod, 7, 2).result() == (3, 1)
        with pytest.raises(ZeroDivisionError):
            ex.submit(divmod, 1, 0).result()
    with open_executor(2) as ex:
        assert isinstance(ex, PinnedPool)
    with pytest.raises(UserError, match="--workers"), open_executor(-1):
        pass


@dataclass(frozen=True)
class Routed:
    route: int


def worker_pid(_: Routed) -> int:
    return os.getpid()


def test_a_route_always_lands_in_the_same_process() -> None:
    """Jobs of the same replications go to the same worker, which keeps their kernel walks; routes spread over the workers."""
    with open_executor(2) as ex:
        pids = {r: {ex.submit(worker_pid, Routed(r)).result() for _ in range(4)} for r in range(4)}
    assert all(len(p) == 1 for p in pids.values())
    assert pids[0] == pids[2] != pids[1] == pids[3]
