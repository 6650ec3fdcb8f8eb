"""Reused control walks change no kernel number: a replication gives the same log with or without them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simulator.kernel import Registered, Walked, Walks, run_kernel, walk
from simulator.kernel.core import KernelRun
from simulator.load import load_scenario, scenarios_dir
from simulator.model import Plan
from simulator.record import EventLog, columns
from simulator.score import team_targets
from simulator.sweep.replicate import PER_SEED, Kept, measure

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


@pytest.mark.parametrize("name", ["refund_surge", "cosmetics_allergy", "food_poisoning"])
def test_kept_queue_measures_change_no_number(plan: Plan, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's kept queue measures give every record measured afresh, and spare the queues of task-team staffings."""
    scenario = load_scenario(scenarios_dir() / f"{name}.yaml", plan)
    targets = team_targets(plan)
    queued: list[int] = []
    real = Walked.queue

    def counted(self: Walked, registered: Registered | None = None) -> KernelRun:
        queued.append(self.seed)
        return real(self, registered)

    monkeypatch.setattr(Walked, "queue", counted)
    kept = Kept(plan, targets)
    for seed in (1, 2):
        for staff in STAFFINGS:
            record = kept.measure(walk(plan, scenario, seed=seed, staff=staff, walks=kept.walks), targets, [("comms", 600.0)])
            fresh = measure(run_kernel(plan, scenario, seed=seed, staff=staff).log, plan, targets, [("comms", 600.0)])
            assert json.dumps(record) == json.dumps(fresh), (seed, staff)
    # The 16 fresh replications queue; of the kept ones, verify 8 (after verify 3) and supply 1 (after
    # verify 8) leave the hotline's and comms' staffing as it was, and are spared where the walk agrees.
    assert len(queued) < 32 - 2


def test_kept_queues_are_rerun_when_the_queues_read_differ(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario(scenarios_dir() / "refund_surge.yaml", plan)
    targets = team_targets(plan)
    kept = Kept(plan, targets)
    runs: list[dict[str, int] | None] = []
    real = Walked.queue

    def counted(self: Walked, registered: Registered | None = None) -> KernelRun:
        runs.append(dict(self.staff or {}))
        return real(self, registered)

    monkeypatch.setattr(Walked, "queue", counted)
    staffings = ({"verify": 3}, {"verify": 9}, {"supply": 1}, {"comms": 25}, {"hotline": 12}, {"hotline": 12, "verify": 4})
    for staff in staffings:
        kept.measure(walk(plan, scenario, seed=7, staff=staff, walks=kept.walks), targets, [])
    assert runs == [{"verify": 3}, {"comms": 25}, {"hotline": 12}]
    # an earlier queueing of the seed is kept too: back to the scenario's hotline and comms, nothing is queued again
    kept.measure(walk(plan, scenario, seed=7, staff={"supply": 2}, walks=kept.walks), targets, [])
    assert len(runs) == 3
    for n in range(20, 20 + PER_SEED):  # until the first queueing is the oldest of more than the kept few
        kept.measure(walk(plan, scenario, seed=7, staff={"comms": n}, walks=kept.walks), targets, [])
    kept.measure(walk(plan, scenario, seed=7, staff={"supply": 3}, walks=kept.walks), targets, [])
    assert runs[-1] == {"supply": 3} and len(runs) == 3 + PER_SEED + 1


def test_a_kept_registration_queues_every_complaint_as_a_new_one(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staffings of comms or the task teams register a seed's complaints alike: the kept registration is used,
    and the replication is the one run from scratch, column for column."""
    scenario = load_scenario(scenarios_dir() / "refund_surge.yaml", plan)
    targets = team_targets(plan)
    registered: list[int] = []
    real = Walked.register

    def counted(self: Walked) -> Registered:
        registered.append(self.seed)
        return real(self)

    staffings = ({"comms": 20}, {"comms": 30}, {"verify": 3}, {"hotline": 5}, {"comms": 22})
    service = [("hotline", 0.5)]
    fresh = [measure(run_kernel(plan, scenario, seed=3, staff=staff).log, plan, targets, service) for staff in staffings]
    monkeypatch.setattr(Walked, "register", counted)
    kept = Kept(plan, targets)
    for staff, afresh in zip(staffings, fresh, strict=True):
        record = kept.measure(walk(plan, scenario, seed=3, staff=staff, walks=kept.walks), targets, [("hotline", 0.5)])
        assert json.dumps(record) == json.dumps(afresh), staff
    # registered for comms 20, again for the hotline's 5 (its queue differs), and again for comms 22 after it
    assert len(registered) == 3
