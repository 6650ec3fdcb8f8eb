"""Tests for simulator.sweep.queueing against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from bench.raw_simpy import run_mmc
from simulator.sweep.queueing import (
    ErlangAResult,
    erlang_a,
    erlang_c,
    min_servers_erlang_a,
    min_servers_mmc,
    mmc_mean_wait,
    mmc_wait_tail,
)


def chain_stationary(servers: int, arrival: float, service: float, patience: float, states: int) -> np.ndarray:
    """Solve pi Q = 0 for the birth-death chain truncated at ``states``."""
    n = np.arange(states + 1)
    death = np.minimum(n, servers) * service + np.maximum(n - servers, 0) * patience
    q = np.zeros((states + 1, states + 1))
    q[n[:-1], n[:-1] + 1] = arrival
    q[n[1:], n[1:] - 1] = death[1:]
    q[n, n] = -q.sum(axis=1)
    a = np.vstack([q.T, np.ones(states + 1)])
    b = np.zeros(states + 2)
    b[-1] = 1.0
    pi, *_ = np.linalg.lstsq(a, b, rcond=None)
    return np.asarray(pi)


def log_chain_stationary(servers: int, arrival: float, service: float, states: int) -> np.ndarray:
    """M/M/c stationary law from log-space products, for many servers."""
    n = np.arange(1, states + 1)
    log_w = np.concatenate([[0.0], np.cumsum(np.log(arrival / (np.minimum(n, servers) * service)))])
    w = np.exp(log_w - log_w.max())
    return np.asarray(w / w.sum())


MMC_CASES = [(1, 0.5, 1.0), (3, 2.4, 1.0), (10, 9.5, 1.0), (7, 3.0, 0.5), (40, 36.0, 1)]


@pytest.mark.parametrize(("c", "lam", "mu"), MMC_CASES)
def test_erlang_c_matches_chain(c: int, lam: float, mu: float) -> None:
    """Erlang C and E[Wq] agree with a linear solve of the generator."""
    rho = lam / (c * mu)
    states = c + math.ceil(math.log(1e-15) / math.log(rho))
    pi = chain_stationary(c, lam, mu, 0.0, states)
    queue = np.maximum(np.arange(states + 1) - c, 0)
    assert erlang_c(c, lam, mu) == pytest.approx(pi[c:].sum(), rel=1e-9)
    assert mmc_mean_wait(c, lam, mu) == pytest.approx((queue * pi).sum() / lam, rel=1e-8)


@pytest.mark.parametrize(("c", "rho"), [(500, 0.95), (2000, 0.97), (2000, 0.999)])
def test_erlang_c_many_servers(c: int, rho: float) -> None:
    """Erlang C stays accurate for up to 2000 servers."""
    lam = rho * c
    states = c + math.ceil(math.log(1e-16) / math.log(rho))
    pi = log_chain_stationary(c, lam, 1.0, states)
    p_wait = erlang_c(c, lam, 1.0)
    assert 0.0 < p_wait < 1.0
    assert p_wait == pytest.approx(pi[c:].sum(), rel=1e-8)


@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (0.9, 1.0), (3.0, 4.0)])
def test_mm1_closed_form(lam: float, mu: float) -> None:
    """For one server P(wait) = rho and E[Wq] = rho / (mu - lambda)."""
    rho = lam / mu
    assert erlang_c(1, lam, mu) == pytest.approx(rho, rel=1e-12)
    assert mmc_mean_wait(1, lam, mu) == pytest.approx(rho / (mu - lam), rel=1e-12)
    assert mmc_wait_tail(1, lam, mu, 2.0) == pytest.approx(rho * math.exp(-(mu - lam) * 2.0), rel=1e-12)


@pytest.mark.parametrize("t", [0.0, 0.1, 0.5, 2.0])
def test_wait_tail_matches_erlang_mixture(t: float) -> None:
    """P(Wq > t) equals the chain mixture of Erlang(n-c+1, c mu) tails."""
    c, lam, mu = 4, 3.2, 1.0
    states = 200
    pi = chain_stationary(c, lam, mu, 0.0, states)
    k = np.arange(c, states + 1) - c + 1
    expected = float((pi[c:] * stats.gamma.sf(t, a=k, scale=1 / (c * mu))).sum())
    assert mmc_wait_tail(c, lam, mu, t) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(("c", "lam", "mu"), MMC_CASES)
def test_erlang_a_small_patience_is_erlang_c(c: int, lam: float, mu: float) -> None:
    """With almost infinite patience Erlang A reduces to Erlang C."""
    result = erlang_a(c, lam, mu, 1e-10)
    assert result.p_wait == pytest.approx(erlang_c(c, lam, mu), rel=1e-6)
    assert result.mean_wait == pytest.approx(mmc_mean_wait(c, lam, mu), rel=1e-6)
    assert result.mean_wait_served == pytest.approx(mmc_mean_wait(c, lam, mu), rel=1e-6)
    assert result.p_abandon < 1e-6


@pytest.mark.parametrize(("c", "load"), [(1, 0.5), (5, 4.0), (10, 15.0), (60, 50.0)])
def test_erlang_a_patience_equal_service_is_infinite_server(c: int, load: float) -> None:
    """With theta = mu every customer leaves at rate mu: the M/M/inf law."""
    mu = 2.0
    lam = load * mu
    result = erlang_a(c, lam, mu, mu)
    n = np.arange(0, int(load + 40 * math.sqrt(load) + 60))
    pmf = stats.poisson.pmf(n, load)
    mean_queue = float((np.maximum(n - c, 0) * pmf).sum())
    assert result.p_wait == pytest.approx(stats.poisson.sf(c - 1, load), rel=1e-9)
    assert result.mean_queue_length == pytest.approx(mean_queue, rel=1e-9)
    assert result.mean_wait == pytest.approx(mean_queue / lam, rel=1e-9)
    assert result.p_abandon == pytest.approx(mu * mean_queue / lam, rel=1e-9)


@pytest.mark.parametrize(
    ("c", "lam", "mu", "theta"),
    [(1, 0.7, 1.0, 0.3), (5, 4.0, 1.0, 0.5), (10, 15.0, 1.0, 2.0), (8, 12.0, 1.0, 0.1)],
)
def test_erlang_a_matches_chain(c: int, lam: float, mu: float, theta: float) -> None:
    """Erlang A agrees with the generator solve, overloaded cases included."""
    states = 400
    pi = chain_stationary(c, lam, mu, theta, states)
    queue = np.maximum(np.arange(states + 1) - c, 0)
    mean_queue = float((queue * pi).sum())

    # Fate of a tagged arrival finding k others queued: it passes stages
    # k..0, each ended at rate c mu + j theta + theta, abandoning at rate theta.
    ahead = np.arange(states + 1 - c)
    stage_rate = c * mu + ahead * theta + theta
    survive = np.cumprod((c * mu + ahead * theta) / stage_rate)
    time_if_served = np.cumsum(1.0 / stage_rate)
    # Mean time in queue whatever the outcome: stage j is reached with
    # probability prod_{i=j+1..k} survive_i, so recurse from stage 0 upward.
    reach_time = np.zeros_like(stage_rate)
    for k in ahead:
        below = reach_time[k - 1] if k > 0 else 0.0
        reach_time[k] = 1.0 / stage_rate[k] + (c * mu + k * theta) / stage_rate[k] * below
    p_served = float(pi[:c].sum() + (pi[c:] * survive).sum())

    result = erlang_a(c, lam, mu, theta)
    assert isinstance(result, ErlangAResult)
    assert result.p_wait == pytest.approx(pi[c:].sum(), rel=1e-9)
    assert result.mean_queue_length == pytest.approx(mean_queue, rel=1e-9)
    assert result.p_abandon == pytest.approx(theta * mean_queue / lam, rel=1e-9)
    assert result.p_abandon == pytest.approx(1.0 - p_served, rel=1e-9)
    assert result.mean_wait == pytest.approx(float((pi[c:] * reach_time).sum()), rel=1e-9)
    assert result.mean_wait_served == pytest.approx(float((pi[c:] * survive * time_if_served).sum()) / p_served, rel=1e-9)


def test_erlang_a_heavy_overload_many_servers() -> None:
    """Large overloaded systems run and give sane fluid-limit values."""
    result = erlang_a(1000, 1500.0, 1.0, 1.0)
    # Fluid limit: the excess lambda - c mu abandons.
    assert result.p_abandon == pytest.approx(500.0 / 1500.0, rel=1e-2)
    assert result.p_wait == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    ("lam", "mu", "max_wait", "target"),
    [
        (100.0, 1.0, 0.33, 0.8),
        (2.0, 0.5, 0.0, 0.5),
        (0.3, 1.0, 1.0, 0.95),
        (0.3, 1.0, 1.0, 0.8),
        (1500.0, 1.0, 0.01, 0.99),
        (10.0, 2.0, 0.2, 0.999),
    ],
)
def test_min_servers_mmc_is_boundary(lam: float, mu: float, max_wait: float, target: float) -> None:
    """The staffing level meets the target and one fewer server does not."""
    c = min_servers_mmc(lam, mu, max_wait=max_wait, target=target)
    assert 1.0 - mmc_wait_tail(c, lam, mu, max_wait) >= target
    if c - 1 >= 1 and lam < (c - 1) * mu:
        assert 1.0 - mmc_wait_tail(c - 1, lam, mu, max_wait) < target


def test_min_servers_mmc_worked_example() -> None:
    """100 calls per 30 min of 180 s each, 80% answered within 20 s."""
    lam, mu = 100 / 1800, 1 / 180
    assert erlang_c(11, lam, mu) == pytest.approx(0.6821, abs=5e-5)
    assert 1.0 - mmc_wait_tail(13, lam, mu, 20.0) < 0.8
    assert min_servers_mmc(lam, mu, max_wait=20.0, target=0.8) == 14


@pytest.mark.parametrize(
    ("lam", "mu", "theta", "max_abandon"),
    [
        (100.0, 1.0, 0.5, 0.02),
        (2.0, 1.0, 1.0, 0.1),
        (30.0, 1.0, 0.05, 0.001),
        (0.5, 1.0, 2.0, 0.5),
    ],
)
def test_min_servers_erlang_a_is_boundary(lam: float, mu: float, theta: float, max_abandon: float) -> None:
    """The staffing level meets the abandonment cap and one fewer does not."""
    c = min_servers_erlang_a(lam, mu, theta, max_abandon=max_abandon)
    assert erlang_a(c, lam, mu, theta).p_abandon <= max_abandon
    if c > 1:
        assert erlang_a(c - 1, lam, mu, theta).p_abandon > max_abandon


@settings(max_examples=40, deadline=None)
@given(
    c=st.integers(min_value=1, max_value=60),
    rho=st.floats(min_value=0.01, max_value=0.99),
)
def test_erlang_c_bounds_and_monotone(c: int, rho: float) -> None:
    """Erlang C is a probability and falls when a server is added."""
    lam = rho * c
    p_wait = erlang_c(c, lam, 1.0)
    assert 0.0 < p_wait < 1.0
    assert erlang_c(c + 1, lam, 1.0) < p_wait


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: erlang_c(0, 1.0, 1.0), "servers"),
        (lambda: erlang_c(2.5, 1.0, 1.0), "servers"),  # type: ignore[arg-type]
        (lambda: erlang_c(True, 0.5, 1.0), "servers"),
        (lambda: erlang_c(2, 2.0, 1.0), "unstable queue: utilisation 1.000"),
        (lambda: erlang_c(2, 3.0, 1.0), "utilisation 1.500"),
        (lambda: erlang_c(2, -1.0, 1.0), "arrival_rate"),
        (lambda: erlang_c(2, math.nan, 1.0), "arrival_rate"),
        (lambda: erlang_c(2, 1.0, 0.0), "service_rate"),
        (lambda: mmc_mean_wait(3, 3.0, 1.0), "unstable"),
        (lambda: mmc_wait_tail(3, 1.0, 1.0, -0.1), "t must"),
        (lambda: mmc_wait_tail(3, 1.0, 1.0, math.inf), "t must"),
        (lambda: erlang_a(3, 1.0, 1.0, 0.0), "patience_rate"),
        (lambda: erlang_a(0, 1.0, 1.0, 1.0), "servers"),
        (lambda: erlang_a(3, math.inf, 1.0, 1.0), "arrival_rate"),
        (lambda: erlang_a(1, 100.0, 1.0, 1e-9), "patience_rate"),
        (lambda: min_servers_mmc(1.0, 1.0, max_wait=-1.0, target=0.8), "max_wait"),
        (lambda: min_servers_mmc(1.0, 1.0, max_wait=1.0, target=1.0), "target"),
        (lambda: min_servers_mmc(1.0, 1.0, max_wait=1.0, target=0.0), "target"),
        (lambda: min_servers_mmc(0.0, 1.0, max_wait=1.0, target=0.5), "arrival"),
        (lambda: min_servers_erlang_a(1.0, 1.0, 1.0, max_abandon=0.0), "max_abandon"),
        (lambda: min_servers_erlang_a(1.0, 1.0, -1.0, max_abandon=0.1), "patience"),
    ],
)
def test_invalid_inputs_raise(call: object, match: str) -> None:
    """Invalid inputs raise ValueError naming the offending value."""
    assert callable(call)
    with pytest.raises(ValueError, match=match):
        call()


def test_simulation_matches_erlang_c() -> None:
    """Raw-SimPy M/M/5 at 0.8 agrees with Erlang C within batch-means CIs."""
    servers, rho, warm_up, batches, batch_size = 5, 0.8, 5_000, 20, 2_000
    result = run_mmc(servers, rho, warm_up + batches * batch_size, seed=20240611)
    waits = np.array(result.waits[warm_up : warm_up + batches * batch_size])
    assert waits.size == batches * batch_size
    per_batch = waits.reshape(batches, batch_size)
    t_crit = stats.t.ppf(0.975, batches - 1)

    def covers(samples: np.ndarray, value: float) -> bool:
        half = t_crit * samples.std(ddof=1) / math.sqrt(batches)
        return bool(abs(samples.mean() - value) <= half)

    lam = rho * servers
    assert covers((per_batch > 0).mean(axis=1), erlang_c(servers, lam, 1.0))
    assert covers(per_batch.mean(axis=1), mmc_mean_wait(servers, lam, 1.0))
