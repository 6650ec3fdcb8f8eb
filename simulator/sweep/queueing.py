"""Analytic queueing results for sizing and checking the complaint-handling plan.

All functions take rates per unit time and return times in that same unit.
The models are the M/M/c queue (Erlang C) and the M/M/c+M queue with
exponential patience (Palm / Erlang A), both with first-come-first-served
order.  Only the standard library is used.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "ErlangAResult",
    "erlang_a",
    "erlang_c",
    "min_servers_erlang_a",
    "min_servers_mmc",
    "mmc_mean_wait",
    "mmc_wait_tail",
]

_TAIL_TOLERANCE = 1e-12
_MAX_STATES = 1_000_000
_RESCALE_AT = 1e250


@dataclass(frozen=True)
class ErlangAResult:
    """Steady-state measures of an M/M/c+M queue, as seen by arrivals.

    Attributes:
        p_wait: Probability that an arrival finds all servers busy.
        p_abandon: Probability that an arrival abandons before service.
        mean_wait: Mean time in queue over all arrivals, abandoning or not.
        mean_wait_served: Mean time in queue of the arrivals that are served.
        mean_queue_length: Time-average number of customers waiting.

    """

    p_wait: float
    p_abandon: float
    mean_wait: float
    mean_wait_served: float
    mean_queue_length: float


def _check_servers(servers: int) -> None:
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise ValueError(f"servers must be an integer >= 1, got {servers!r}")


def _check_rate(name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")


def _check_time(name: str, value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")


def _check_probability(name: str, value: float) -> None:
    if not (0.0 < value < 1.0):
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {value!r}")


def _check_mmc(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Validate M/M/c inputs and return the offered load λ/μ."""
    _check_servers(servers)
    _check_rate("arrival_rate", arrival_rate)
    _check_rate("service_rate", service_rate)
    load = arrival_rate / service_rate
    rho = load / servers
    if rho >= 1.0:
        raise ValueError(f"unstable queue: utilisation {rho:.3f} >= 1")
    return load


def _erlang_b(servers: int, load: float) -> float:
    """Erlang B blocking probability by the stable forward recursion."""
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def _c_from_b(servers: int, load: float, blocking: float) -> float:
    """Convert Erlang B to Erlang C for the same servers and load."""
    rho = load / servers
    return blocking / (1.0 - rho * (1.0 - blocking))


def erlang_c(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Return P(wait > 0) for an M/M/c queue (the Erlang C formula).

    Computed from the Erlang B recursion, which stays accurate for
    thousands of servers.

    Raises:
        ValueError: If an input is invalid or utilisation λ/(cμ) is >= 1.

    """
    load = _check_mmc(servers, arrival_rate, service_rate)
    return _c_from_b(servers, load, _erlang_b(servers, load))


def mmc_mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Return the mean time in queue E[Wq] for an M/M/c queue.

    Raises:
        ValueError: If an input is invalid or the queue is unstable.

    """
    p_wait = erlang_c(servers, arrival_rate, service_rate)
    return p_wait / (servers * service_rate - arrival_rate)


def mmc_wait_tail(servers: int, arrival_rate: float, service_rate: float, t: float) -> float:
    """Return P(Wq > t) for an M/M/c queue, for a time t >= 0.

    Raises:
        ValueError: If an input is invalid, t is negative, or the queue is
            unstable.

    """
    _check_time("t", t)
    p_wait = erlang_c(servers, arrival_rate, service_rate)
    return p_wait * math.exp(-(servers * service_rate - arrival_rate) * t)


def erlang_a(servers: int, arrival_rate: float, service_rate: float, patience_rate: float) -> ErlangAResult:
    """Return steady-state measures of an M/M/c+M (Erlang A) queue.

    Waiting customers abandon independently at ``patience_rate``.  The
    birth-death chain with birth rate λ and death rate
    min(n, c)·μ + max(n - c, 0)·θ is summed state by state until the
    remaining tail mass is below 1e-12; the chain is always stable because
    θ > 0, so overloaded systems are allowed.

    Raises:
        ValueError: If an input is invalid, or if the chain would need more
            than a million states (overload with a tiny patience rate).

    """
    _check_servers(servers)
    _check_rate("arrival_rate", arrival_rate)
    _check_rate("service_rate", service_rate)
    _check_rate("patience_rate", patience_rate)
    lam, mu, theta, c = arrival_rate, service_rate, patience_rate, servers
    full_rate = c * mu
    too_many = ValueError(f"patience_rate {theta!r} is too small for this overload: more than {_MAX_STATES} states needed")
    if c + (lam - full_rate) / theta > _MAX_STATES:
        raise too_many

    # Unnormalised state weights w_n (rescaled to avoid overflow) and sums.
    weight = 1.0
    total = 1.0  # sum of w_n
    waiting = 0.0  # sum of w_n for n >= c
    queued = 0.0  # sum of (n - c) w_n
    served = 0.0  # sum over n >= c of w_n * P(served | n found)
    served_wait = 0.0  # sum over n >= c of w_n * E[wait; served | n found]
    n = 0
    p_served = 1.0  # P(served | arrival finds n - c customers queued)
    time_served = 0.0  # E[wait | served, n - c queued]
    while True:
        n += 1
        if n > _MAX_STATES:
            raise too_many
        death = min(n, c) * mu + max(n - c, 0) * theta
        weight *= lam / death
        if n >= c:
            # A tagged arrival finding k = n - c others queued passes stages
            # k, ..., 0; stage j ends at rate c·μ + j·θ + θ and is survived
            # (no abandonment) with probability (c·μ + j·θ) / (c·μ + j·θ + θ).
            k = n - c
            stage_rate = full_rate + k * theta + theta
            p_served *= (full_rate + k * theta) / stage_rate
            time_served += 1.0 / stage_rate
            waiting += weight
            queued += k * weight
            served += weight * p_served
            served_wait += weight * p_served * time_served
        total += weight
        if weight > _RESCALE_AT:
            weight /= _RESCALE_AT
            total /= _RESCALE_AT
            waiting /= _RESCALE_AT
            queued /= _RESCALE_AT
            served /= _RESCALE_AT
            served_wait /= _RESCALE_AT
        ratio = lam / (min(n + 1, c) * mu + max(n + 1 - c, 0) * theta)
        if ratio < 1.0:
            # Ratios only fall with n, so the tail is bounded geometrically,
            # both in mass and in its contribution to the queue length.
            geometric = ratio / (1.0 - ratio)
            bound = weight * geometric * (1.0 + max(n - c, 0) + 1.0 / (1.0 - ratio))
            if bound < _TAIL_TOLERANCE * total:
                break

    mean_queue_length = queued / total
    p_served_all = (total - waiting + served) / total
    served_wait_all = served_wait / total
    return ErlangAResult(
        p_wait=waiting / total,
        p_abandon=theta * mean_queue_length / lam,
        mean_wait=mean_queue_length / lam,
        mean_wait_served=served_wait_all / p_served_all,
        mean_queue_length=mean_queue_length,
    )


def min_servers_mmc(arrival_rate: float, service_rate: float, *, max_wait: float, target: float) -> int:
    """Return the fewest servers c with P(Wq <= max_wait) >= target in M/M/c.

    Args:
        arrival_rate: Arrival rate λ.
        service_rate: Service rate μ of one server.
        max_wait: Service-level waiting time, >= 0.
        target: Required fraction answered within ``max_wait``, in (0, 1).

    Raises:
        ValueError: If an input is invalid.

    """
    _check_rate("arrival_rate", arrival_rate)
    _check_rate("service_rate", service_rate)
    _check_time("max_wait", max_wait)
    _check_probability("target", target)
    load = arrival_rate / service_rate
    servers = math.floor(load) + 1
    blocking = _erlang_b(servers, load)
    while True:
        p_wait = _c_from_b(servers, load, blocking)
        decay = (servers * service_rate - arrival_rate) * max_wait
        if 1.0 - p_wait * math.exp(-decay) >= target:
            return servers
        servers += 1
        blocking = load * blocking / (servers + load * blocking)


def min_servers_erlang_a(
    arrival_rate: float,
    service_rate: float,
    patience_rate: float,
    *,
    max_abandon: float,
) -> int:
    """Return the fewest servers c with P(abandon) <= max_abandon in M/M/c+M.

    Abandonment falls as servers are added, so the answer is found by
    doubling an upper bound and then bisecting.

    Raises:
        ValueError: If an input is invalid.

    """
    _check_rate("arrival_rate", arrival_rate)
    _check_rate("service_rate", service_rate)
    _check_rate("patience_rate", patience_rate)
    _check_probability("max_abandon", max_abandon)

    def meets(servers: int) -> bool:
        result = erlang_a(servers, arrival_rate, service_rate, patience_rate)
        return result.p_abandon <= max_abandon

    low, high = 0, max(1, math.ceil(arrival_rate / service_rate))
    while not meets(high):
        low, high = high, 2 * high
    return bisect_smallest(meets, low, high)


def bisect_smallest(ok: Callable[[int], bool], low: int, high: int) -> int:
    """The smallest n in (low, high] with ``ok(n)``.

    ``ok`` must be monotone, hold at ``high`` and fail at ``low``.
    """
    while high - low > 1:
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle
    return high
