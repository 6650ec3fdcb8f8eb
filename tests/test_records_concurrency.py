"""Drills finishing at the same instant: every writer's session is in the records, whoever created the file."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from simulator.drill.records import Records, SessionRecord, TraineeResult

WRITERS = 8
ROUNDS = 4
"""Each round is a new file the writers race to create."""


def session(n: int) -> SessionRecord:
    return SessionRecord(
        folder=f"/sessions/{n}",
        scenario="refund_surge",
        plan_id="complaint-plan",
        plan_version="2024-seed-1",
        seed=n,
        lang="en",
        started=f"2024-05-01T09:00:{n:02d}+08:00",
        ended=f"2024-05-01T19:00:{n:02d}+08:00",
        compliance_pct=float(n),
        decision_pct=None,
        trainees=(TraineeResult(f"trainee-{n}", ("duty",), float(n), None),),
    )


def write_one(paths: list[Path], n: int, start: Barrier) -> None:
    """A writer process: for each file, wait for the others, then open the (new) file and add session ``n``."""
    for path in paths:
        start.wait()
        with Records(path) as records:
            records.add_session(session(n))


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_simultaneous_writers_on_a_new_file_all_land(tmp_path: Path, method: str) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    ctx = multiprocessing.get_context(method)
    paths = [tmp_path / f"new-{r}" / "records.sqlite3" for r in range(ROUNDS)]
    start = ctx.Barrier(WRITERS, timeout=60)
    writers = [ctx.Process(target=write_one, args=(paths, n, start)) for n in range(WRITERS)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=120)
    assert [w.exitcode for w in writers] == [0] * WRITERS
    for path in paths:
        with Records(path, read_only=True) as records:
            got = records.sessions()
        assert sorted(s.seed for s in got) == list(range(WRITERS)), path
        assert {s.trainees[0].name for s in got} == {f"trainee-{n}" for n in range(WRITERS)}
