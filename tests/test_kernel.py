"""The fast replication kernel: its queue recursion, queueing theory, and agreement with the SimPy engine."""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pytest
import simpy
from scipy import stats

from simulator.batch import RunResult, run
from simulator.engine.teams import FlexResource
from simulator.kernel.core import campaign_end, run_kernel
from simulator.kernel.fcfs import serve
from simulator.load.stationary import stationary_scenario
from simulator.model import Dist, Plan, Scenario
from simulator.record import EventLog, LevelChanged, columns
from simulator.score import team_targets
from simulator.sweep.grid import rep_seed
from simulator.sweep.queueing import erlang_a, erlang_c, mmc_mean_wait
from simulator.sweep.replicate import measure

NAN = math.nan

# -- the recursion, by hand and against SimPy's own resource ------------------------------------


def test_fcfs_starts_by_hand() -> None:
    assert serve([0, 0, 0, 1], [3, 1, 2, 1], None, 2, []).tolist() == [0, 0, 1, 3]


def test_lowered_capacity_lets_work_finish_and_starts_nobody_until_below_it() -> None:
    # two at work until 2 and 4; capacity 1 from 0.5: the third starts only when both are done
    assert serve([0, 0, 1], [2, 4, 1], None, 2, [(0.5, 1)]).tolist() == [0, 0, 4]


def test_raised_capacity_starts_the_waiting_and_counts_work_still_running() -> None:
    assert serve([0, 1, 2], [10, 1, 1], None, 1, [(5.0, 3)]).tolist() == [0, 5, 5]
    # capacity 0 from 1 and 2 again from 2: the job running until 5 still holds one of the two
    assert serve([0, 0, 1.5, 1.6], [5, 0.5, 1, 1], None, 2, [(1.0, 0), (2.0, 2)]).tolist() == [0, 0, 2, 3]


def test_a_caller_who_hangs_up_never_takes_an_operator() -> None:
    starts = serve([0, 1, 2], [5, 1, 1], [math.inf, 2, 10], 1, [])
    assert starts[0] == 0 and math.isnan(starts[1]) and starts[2] == 5


def test_a_callback_crew_works_its_list_first_come_first_served() -> None:
    # two callers from 10: 10-13 and 10-11, then 11-13, then 13-14
    assert campaign_end(10.0, 2, np.array([3.0, 1.0, 2.0, 1.0])) == 14.0
    assert campaign_end(10.0, 5, np.array([3.0])) == 13.0
    assert campaign_end(10.0, 2, np.zeros(0)) == 10.0


def test_no_capacity_ever_means_never_served() -> None:
    assert serve([1.0], [1.0], None, 0, []).tolist() == [math.inf]


def _simpy_starts(
    arrive: list[float], work: list[float], patience: list[float], cap: int, changes: list[tuple[float, int]]
) -> list[float]:
    """The same queue as a SimPy model on the engine's FlexResource (requests, patience, resizes)."""
    env = simpy.Environment()
    res = FlexResource(env)
    res.resize(cap)
    out = [NAN] * len(arrive)

    def customer(i: int) -> simpy.events.ProcessGenerator:
        yield env.timeout(arrive[i])
        req = res.request()
        got = yield req | env.timeout(patience[i])
        if req not in got:
            req.cancel()
            return
        out[i] = env.now
        yield env.timeout(work[i])
        res.release(req)

    def roster() -> simpy.events.ProcessGenerator:
        for t, c in changes:
            yield env.timeout(t - env.now)
            res.resize(c)

    for i in range(len(arrive)):
        env.process(customer(i))
    env.process(roster())
    env.run()
    return out


@pytest.mark.parametrize("seed", [5, 6, 7, 8])
def test_recursion_equals_simpy_with_patience_and_a_changing_roster(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 400
    arrive = np.sort(rng.uniform(0, 200, n)).tolist()
    work = rng.exponential(4.0, n).tolist()
    patience = rng.exponential(3.0, n).tolist()
    times = np.sort(rng.uniform(0, 200, 12)).tolist()
    changes = [(t, int(c)) for t, c in zip(times, rng.integers(0, 9, 12), strict=True)]
    ours = serve(arrive, work, patience, 5, changes)
    theirs = _simpy_starts(arrive, work, patience, 5, changes)
    assert sum(math.isnan(x) for x in ours) > 20  # the case is not trivial: many hang up
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


# -- queueing theory ------------------------------------------------------------------------------


def _per_rep(plan: Plan, scenario: Scenario, reps: int, fn: Callable[[dict[str, np.ndarray]], float]) -> np.ndarray:
    return np.array([fn(columns(run_kernel(plan, scenario, seed=rep_seed(3, r)).log.complaints)) for r in range(reps)])


def _inside(values: np.ndarray, expected: float) -> None:
    """``expected`` lies in the 99% t-interval of the replication means."""
    half = stats.t.ppf(0.995, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size)
    assert abs(values.mean() - expected) <= half, (values.mean(), half, expected)


def test_stationary_comms_queue_matches_erlang_c(plan: Plan) -> None:
    c, rho, mean = 12, 0.88, 10.0
    sc = stationary_scenario(c, rho, mean_service_min=mean, customers=15_000)
    lam, mu = rho * c / mean, 1 / mean

    def wait(col: dict[str, np.ndarray]) -> np.ndarray:
        return np.asarray(col["comms_start"] - col["queued"])[~np.isnan(col["comms_start"])]

    _inside(_per_rep(plan, sc, 12, lambda col: float(np.mean(wait(col) > 0))), erlang_c(c, lam, mu))
    _inside(_per_rep(plan, sc, 12, lambda col: float(np.mean(wait(col)))), mmc_mean_wait(c, lam, mu))


def test_stationary_hotline_with_patience_matches_erlang_a(plan: Plan) -> None:
    c, rho, mean, patience = 10, 1.05, 10.0, 6.0
    sc = stationary_scenario(c, rho, mean_service_min=mean, customers=15_000, patience=Dist(kind="exponential", mean=patience))
    expected = erlang_a(c, rho * c / mean, 1 / mean, 1 / patience)
    _inside(_per_rep(plan, sc, 12, lambda col: float(np.mean(col["outcome"] == 2))), expected.p_abandon)
    _inside(
        _per_rep(
            plan,
            sc,
            12,
            lambda col: float(np.nanmean(np.where(col["outcome"] == 2, col["done"], col["hotline_start"]) - col["arrive"])),
        ),
        expected.mean_wait,
    )


def test_stationary_waits_are_distributed_as_in_the_engine(plan: Plan) -> None:
    """Two-sample KS on waits thinned far apart (every 300th customer), so they are nearly independent."""
    sc = stationary_scenario(10, 0.9, mean_service_min=10.0, customers=40_000)

    def waits(log: EventLog) -> np.ndarray:
        col = columns(log.complaints)
        order = np.argsort(col["arrive"])
        w = (col["comms_start"] - col["queued"])[order]
        return w[~np.isnan(w)][::300]

    k, s = waits(run_kernel(plan, sc, seed=11).log), waits(run(plan, sc, seed=12).log)
    assert k.size > 100 and s.size > 100
    assert stats.ks_2samp(k, s).pvalue > 0.01


# -- the surge model against the engine ---------------------------------------------------------------


def scaled(scenario: Scenario, k: float) -> Scenario:
    """``scenario`` with its complaint volume and every staff number scaled by ``k`` (rates unchanged)."""
    teams = {}
    for name, t in scenario.teams.items():
        shifts = [s.model_copy(update={"staff": max(1, round(s.staff * k))}) for s in t.shifts]
        teams[name] = t.model_copy(
            update={"staff": max(1, round(t.staff * k)), "shifts": shifts, "callback_crew": max(1, round(t.callback_crew * k))}
        )
    complaints = scenario.complaints.model_copy(update={"baseline_per_day": scenario.complaints.baseline_per_day * k})
    external = scenario.external.model_copy(update={"staff": round(scenario.external.staff * k)}) if scenario.external else None
    update = {"complaints": complaints, "teams": teams, "backup_hotline_staff": round(scenario.backup_hotline_staff * k)}
    return scenario.model_copy(update={**update, "external": external})


def _replication(args: tuple[str, Plan, Scenario, int]) -> dict[str, Any]:
    engine, plan, scenario, seed = args
    log = run_kernel(plan, scenario, seed=seed).log if engine == "kernel" else run(plan, scenario, seed=seed).log
    m = measure(log, plan, team_targets(plan))
    levels = list(log.of(LevelChanged))
    m["response_start"] = levels[0].t if levels else None
    return m


@pytest.fixture(scope="module")
def surge_pair(
    plan: Plan, bundled: Callable[[str], tuple[Scenario, RunResult]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Ten replications of the refund surge at a tenth of its volume, by the kernel and by the engine."""
    scenario = scaled(bundled("refund_surge")[0], 0.1)
    jobs = [(engine, plan, scenario, rep_seed(21, r)) for engine in ("kernel", "simpy") for r in range(10)]
    with ProcessPoolExecutor(2) as pool:
        out = list(pool.map(_replication, jobs))
    return out[:10], out[10:]


METRICS: dict[str, Callable[[dict[str, Any]], float]] = {
    "answer p50": lambda m: m["answer_h"]["p50"],
    "answer p90": lambda m: m["answer_h"]["p90"],
    "answer p95": lambda m: m["answer_h"]["p95"],
    "abandonment": lambda m: m["abandon_share"],
    "peak comms backlog": lambda m: m["peak_backlog"]["comms"],
    "peak hotline backlog": lambda m: m["peak_backlog"]["hotline"],
    "complaints": lambda m: m["complaints"],
}


@pytest.mark.parametrize("metric", list(METRICS))
def test_surge_replications_are_distributed_as_in_the_engine(surge_pair: Any, metric: str) -> None:
    """KS on per-replication values: answer times of one run are correlated, replications are not."""
    kernel, engine = surge_pair
    a, b = [METRICS[metric](m) for m in kernel], [METRICS[metric](m) for m in engine]
    assert stats.ks_2samp(a, b).pvalue > 0.01, (metric, a, b)


@pytest.mark.parametrize("metric", list(METRICS))
def test_surge_means_within_the_engines_interval(surge_pair: Any, metric: str) -> None:
    """The kernel's mean (abandonment, answer-time percentiles, backlogs) lies in the 99.9% interval of the engine's."""
    kernel, engine = surge_pair
    a, b = (np.array([METRICS[metric](m) for m in x], dtype=float) for x in (kernel, engine))
    se = math.hypot(a.std(ddof=1) / math.sqrt(a.size), b.std(ddof=1) / math.sqrt(b.size))
    assert abs(a.mean() - b.mean()) <= stats.norm.ppf(0.9995) * se, (metric, a.mean(), b.mean(), se)


def test_surge_response_starts_when_the_engine_starts_it(surge_pair: Any) -> None:
    kernel, engine = surge_pair
    k, s = [m["response_start"] for m in kernel], [m["response_start"] for m in engine]
    assert None not in k and None not in s
    assert abs(np.median(k) - np.median(s)) <= 60.0 and min(k) >= min(s) - 720 and max(k) <= max(s) + 720


@pytest.mark.parametrize("name", ["battery_fires", "food_poisoning", "express_parcels", "ride_hailing", "cosmetics_allergy"])
def test_bundled_engine_run_is_a_typical_kernel_replication(
    plan: Plan, bundled: Callable[[str], tuple[Scenario, RunResult]], name: str
) -> None:
    """The engine's run of a bundled scenario lies within the spread of 12 kernel replications, and
    every team target it met or missed is met or missed in some kernel replication too."""
    scenario, result = bundled(name)
    targets = team_targets(plan)
    engine = measure(result.log, plan, targets)
    kernel = [measure(run_kernel(plan, scenario, seed=rep_seed(9, r)).log, plan, targets) for r in range(12)]
    for metric in ("answer p90", "complaints", "peak comms backlog"):
        values = [METRICS[metric](m) for m in kernel]
        spread = max(values) - min(values)
        assert min(values) - spread - 0.05 * abs(min(values)) <= METRICS[metric](engine) <= max(values) + spread, metric
    for key, held in engine["targets"].items():
        assert held is None or held in [m["targets"][key] for m in kernel], key


def test_same_seed_same_log_and_staffing_keeps_the_arrivals(
    plan: Plan, bundled: Callable[[str], tuple[Scenario, RunResult]]
) -> None:
    scenario = bundled("express_parcels")[0]
    a, b = run_kernel(plan, scenario, seed=4).log, run_kernel(plan, scenario, seed=4).log
    assert a.events == b.events
    assert all(getattr(a.complaints, f).tobytes() == getattr(b.complaints, f).tobytes() for f in ("arrive", "done", "outcome"))
    c = run_kernel(plan, scenario, seed=4, staff={"comms": 3}).log
    assert c.complaints.arrive == a.complaints.arrive and c.complaints.channel == a.complaints.channel
    assert columns(c.complaints)["done"].sum() != columns(a.complaints)["done"].sum()
