"""Reused control walks change no kernel number: a replication gives the same log with or without them."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.kernel import Walks, run_kernel
from simulator.load import load_scenario, scenarios_dir
from simulator.model import Plan
from simulator.record import EventLog, columns

STAFFINGS = ({"comms": 20}, {"comms": 30}, {"verify": 3}, {"verify": 8}, {"supply": 1}, {"comms": 20}, None, {"hotline": 5})
"""Staffings that change what the walk reads (verify, supply) and what it does not (comms, hotline), one repeated."""


def same(a: EventLog, b: EventLog) -> bool:
    ca, cb = columns(a.complaints), columns(b.complaints)
    return a.events == b.events and all(np.array_equal(ca[k], cb[k], equal_nan=True) for k in ca)


@pytest.mark.parametrize("name", ["refund_surge", "cosmetics_allergy", "battery_fires"])
def test_walks_change_no_number(plan: Plan, name: str) -> None:
    scenario = load_scenario(scenarios_dir() / f"{name}.yaml", plan)
    walks = Walks()
    for seed in (1, 2):
        for staff in STAFFINGS:
            kept = run_kernel(plan, scenario, seed=seed, staff=staff, walks=walks)
            assert same(run_kernel(plan, scenario, seed=seed, staff=staff).log, kept.log), (seed, staff)


def test_a_walk_is_reused_only_where_the_rosters_it_read_agree(plan: Plan) -> None:
    scenario = load_scenario(scenarios_dir() / "refund_surge.yaml", plan)
    walks = Walks()
    run_kernel(plan, scenario, seed=1, staff={"comms": 20}, walks=walks)
    (walk,) = walks._by_seed[1]
    assert "comms" not in walk.read and walk.read  # the walk schedules tasks of other teams only
    run_kernel(plan, scenario, seed=1, staff={"comms": 40}, walks=walks)
    assert len(walks._by_seed[1]) == 1  # reused
    team = next(iter(walk.read))
    run_kernel(plan, scenario, seed=1, staff={team: max(walk.read[team]) + 5}, walks=walks)
    assert len(walks._by_seed[1]) == 2  # walked anew
