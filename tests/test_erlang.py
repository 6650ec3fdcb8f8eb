"""The engine's queues against queueing theory: Erlang C for the comms team, Erlang A for the hotline.

Each check runs one long stationary scenario with a fixed seed, drops a warm-up, cuts the
arrival-ordered customers into batches, and asks the analytic value to lie inside the confidence
interval of the batch means (Student t). The module makes seven such checks; each interval is
taken at level 1 - 0.05/7 so that all seven hold together with 95% confidence (Bonferroni), and a
change to the engine's random streams alone fails the module with at most 5% probability.

Batches hold thousands of customers, many times the waits' correlation length even at
utilisation 0.9 (a few hundred customers), so batch means are close to independent; a strong
positive lag-1 correlation between batch means, the sign of batches too short, fails the check.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from simulator.batch import run
from simulator.load.stationary import stationary_scenario
from simulator.model import Dist, Plan
from simulator.record import ABANDONED, OPEN, columns
from simulator.sweep.queueing import erlang_a, erlang_c, mmc_mean_wait

SERVERS = 10
MEAN_SERVICE = 10.0
"""Minutes; the stationary scenario's default."""
BATCHES = 20
CHECKS = 7
"""Intervals checked in this module (Bonferroni: each at level 1 - 0.05 / CHECKS)."""
LEVEL = 1 - 0.05 / CHECKS
MAX_LAG1 = 0.6
"""Independent batch means exceed this lag-1 correlation with probability about 0.2% (20 batches)."""
WARM_UP = 0.1
"""Share of the customers (the first to arrive) left out."""


def steady(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Columns in arrival order, without the warm-up and without anyone still in the system at the end."""
    order = np.argsort(values["arrive"], kind="stable")
    cols = {k: v[order] for k, v in values.items()}
    still_open = cols["outcome"] == OPEN
    end = int(np.argmax(still_open)) if still_open.any() else len(order)
    start = int(WARM_UP * len(order))
    return {k: v[start:end] for k, v in cols.items()}


def batch_interval(samples: np.ndarray) -> tuple[float, float, float]:
    """Confidence interval (at ``LEVEL``) of the mean by batch means, and the batch means' lag-1 correlation."""
    means = np.array([b.mean() for b in np.array_split(samples, BATCHES)])
    centre = float(means.mean())
    half = float(stats.t.ppf(0.5 + LEVEL / 2, BATCHES - 1) * means.std(ddof=1) / np.sqrt(BATCHES))
    lag1 = float(np.corrcoef(means[:-1], means[1:])[0, 1])
    return centre - half, centre + half, lag1


@pytest.mark.parametrize(("rho", "customers"), [(0.7, 60_000), (0.9, 120_000)])
def test_comms_queue_matches_erlang_c(plan: Plan, rho: float, customers: int) -> None:
    scenario = stationary_scenario(SERVERS, rho, mean_service_min=MEAN_SERVICE, customers=customers, seed=11)
    log = run(plan, scenario, auto_roles=[]).log
    cols = steady(columns(log.complaints))
    wait = cols["comms_start"] - cols["queued"]
    assert len(wait) > 0.8 * customers and not np.isnan(wait).any()
    lam, mu = rho * SERVERS / MEAN_SERVICE, 1 / MEAN_SERVICE
    for samples, analytic in ((wait, mmc_mean_wait(SERVERS, lam, mu)), (wait > 0, erlang_c(SERVERS, lam, mu))):
        low, high, lag1 = batch_interval(samples.astype(float))
        assert low <= analytic <= high, (rho, analytic, low, high)
        assert lag1 < MAX_LAG1, "batch means look correlated: batches too short"
    # The intervals mean something: they exclude the values of a queue three points busier.
    busier = lam * (rho + 0.03) / rho
    for samples, wrong in ((wait, mmc_mean_wait(SERVERS, busier, mu)), (wait > 0, erlang_c(SERVERS, busier, mu))):
        assert batch_interval(samples.astype(float))[1] < wrong


def test_hotline_abandonment_matches_erlang_a(plan: Plan) -> None:
    patience = 8.0
    rho = 1.0
    scenario = stationary_scenario(
        SERVERS,
        rho,
        mean_service_min=MEAN_SERVICE,
        customers=60_000,
        seed=12,
        patience=Dist(kind="exponential", mean=patience),
    )
    log = run(plan, scenario, auto_roles=[]).log
    cols = steady(columns(log.complaints))
    abandoned = cols["outcome"] == ABANDONED
    served_wait = cols["hotline_start"] - cols["arrive"]
    wait = np.where(abandoned, cols["done"] - cols["arrive"], served_wait)
    assert not np.isnan(wait).any()
    lam, mu = rho * SERVERS / MEAN_SERVICE, 1 / MEAN_SERVICE
    theory = erlang_a(SERVERS, lam, mu, 1 / patience)
    assert 0.05 < theory.p_abandon < 0.2
    for samples, analytic in ((abandoned, theory.p_abandon), (wait, theory.mean_wait), (wait > 0, theory.p_wait)):
        low, high, lag1 = batch_interval(samples.astype(float))
        assert low <= analytic <= high, (analytic, low, high)
        assert lag1 < MAX_LAG1, "batch means look correlated: batches too short"
