"""A sweep on a real Dask cluster: a ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1.

The scheduler takes an ephemeral port and writes its address to a scheduler file; the workers join
it; ``drillsim sweep --dask tcp://127.0.0.1:PORT`` must give the serial run's numbers exactly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.cli.main import main

distributed = pytest.importorskip("distributed")

DASK = [sys.executable, "-m", "dask"]
"""``dask`` of this interpreter (``python -m dask scheduler`` is ``dask scheduler``)."""
START_SECONDS = 60.0


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in reversed(procs):
        proc.terminate()
    for proc in reversed(procs):
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[str]:
    """The address of a scheduler with two single-threaded workers, all torn down afterwards."""
    info = tmp_path / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": tmp_path}
    procs = [
        subprocess.Popen(
            [*DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
            **quiet,  # type: ignore[call-overload]
        )
    ]
    try:
        deadline = time.monotonic() + START_SECONDS
        while not info.exists() or not info.read_text().strip():
            assert procs[0].poll() is None, "the scheduler ended"
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for n in range(2):
            worker = [*DASK, "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1"]
            worker += ["--no-dashboard", "--name", f"w{n}", "--local-directory", str(tmp_path / f"w{n}")]
            procs.append(subprocess.Popen(worker, **quiet))  # type: ignore[call-overload]
        with distributed.Client(address, timeout=START_SECONDS) as client:
            client.wait_for_workers(2, timeout=START_SECONDS)
        yield address
    finally:
        _stop(procs)


def test_a_sweep_on_a_dask_cluster_gives_the_serial_numbers(cluster: str, tmp_path: Path) -> None:
    argv = ["sweep", "manual_error", "--vary", "comms=2:5:3", "--vary", "hotline=1:3:2", "--reps", "6", "--no-chart"]
    assert main([*argv, "--workers", "1", "--out", str(tmp_path / "serial")]) == 0
    assert main([*argv, "--dask", cluster, "--out", str(tmp_path / "dask")]) == 0
    serial, dasked = (json.loads((tmp_path / f / "summary.json").read_text()) for f in ("serial", "dask"))
    assert serial == dasked
    assert len({p["answer_h"]["p90"]["mean"] for p in serial["points"]}) == 4  # staffing changes the numbers
    with distributed.Client(cluster) as client:
        ran = client.run(lambda dask_worker: sum(1 for _ in dask_worker.state.log if "run_job" in str(_)))
    assert len(ran) == 2 and sum(ran.values()) > 0  # the jobs ran on the cluster's workers
