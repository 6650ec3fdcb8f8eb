"""The Erlang calculator: how many agents a call stream needs for a service level, an ASA, an occupancy cap.

Times are in seconds and rates per second. Without patience the queue is Erlang C (M/M/c): a caller
waits as long as it takes. With a mean patience it is Erlang A (M/M/c+M): a waiting caller hangs up
after an exponential time, and the service level is the share of all callers answered within the
time (one who hangs up is not answered). The average speed of answer is the mean wait of the
answered callers; occupancy is the share of the agents' time spent on calls. Rostered staff are the
agents divided by the share of paid time that is not lost to shrinkage (breaks, training, absence).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .queueing import bisect_smallest, erlang_a, erlang_c, mmc_mean_wait

MAX_AGENTS = 10_000
"""The most agents the calculator will size for (the largest team a scenario may hold)."""
_MAX_QUEUE = 20_000
"""The most callers ahead in the queue the Erlang A service level follows."""
_TAIL = 1e-13


@dataclass(frozen=True)
class Demand:
    """A call stream: its rate, handling time and, for Erlang A, the callers' mean patience."""

    calls_per_s: float
    handling_s: float
    patience_s: float | None = None

    @property
    def load(self) -> float:
        """Offered load in Erlangs (agents busy on average if every call were taken)."""
        return self.calls_per_s * self.handling_s


@dataclass(frozen=True)
class Goals:
    """What the agents must achieve; a ``None`` goal is not asked for."""

    service: tuple[float, float] | None = None
    """(share, seconds): at least ``share`` of the calls answered within ``seconds``."""
    asa_s: float | None = None
    max_occupancy: float | None = None
    max_abandon: float | None = None
    shrinkage: float = 0.0


@dataclass(frozen=True)
class Figures:
    """A staffing's steady-state figures."""

    agents: int
    p_wait: float
    service_level: float | None
    """Share answered within the goal's seconds; None without a service-level goal."""
    asa_s: float
    occupancy: float
    p_abandon: float | None
    """None under Erlang C (nobody hangs up)."""
    rostered: int


def figures_for(demand: Demand, agents: int, goals: Goals) -> Figures:
    """The figures of ``agents`` agents on ``demand`` (Erlang C needs more agents than the load)."""
    lam, mu = demand.calls_per_s, 1.0 / demand.handling_s
    within = goals.service[1] if goals.service else None
    if demand.patience_s is None:
        p_wait = erlang_c(agents, lam, mu)
        level = None if within is None else 1.0 - p_wait * math.exp(-(agents * mu - lam) * within)
        asa, occupancy, abandon = mmc_mean_wait(agents, lam, mu), demand.load / agents, None
    else:
        theta = 1.0 / demand.patience_s
        a = erlang_a(agents, lam, mu, theta)
        level = None if within is None else answered_within(agents, lam, mu, theta, within, a.p_wait)
        asa, abandon = a.mean_wait_served, a.p_abandon
        p_wait, occupancy = a.p_wait, demand.load * (1.0 - a.p_abandon) / agents
    rostered = math.ceil(agents / (1.0 - goals.shrinkage) - 1e-9)
    return Figures(agents, p_wait, level, asa, occupancy, abandon, rostered)


def shortfalls(figures: Figures, goals: Goals) -> list[str]:
    """The goals a staffing's figures miss: ``service``, ``asa``, ``occupancy``, ``abandon``."""
    missed = {
        "service": goals.service is not None and (figures.service_level or 0.0) < goals.service[0],
        "asa": goals.asa_s is not None and figures.asa_s > goals.asa_s,
        "occupancy": goals.max_occupancy is not None and figures.occupancy > goals.max_occupancy,
        "abandon": goals.max_abandon is not None and (figures.p_abandon or 0.0) > goals.max_abandon,
    }
    return [goal for goal, miss in missed.items() if miss]


def fewest_agents(demand: Demand, goals: Goals) -> Figures:
    """The figures of the fewest agents meeting every goal (each goal only improves with more agents).

    Raises ``ValueError`` when more than ``MAX_AGENTS`` would be needed.
    """
    low = math.floor(demand.load) if demand.patience_s is None else 0  # Erlang C needs agents > load
    if low >= MAX_AGENTS:
        raise ValueError(f"the offered load is {demand.load:.0f} Erlangs: more than {MAX_AGENTS} agents")

    def ok(agents: int) -> bool:
        return not shortfalls(figures_for(demand, agents, goals), goals)

    high = max(low + 1, 1)
    while not ok(high):
        if high >= MAX_AGENTS:
            raise ValueError(f"the goals need more than {MAX_AGENTS} agents")
        low, high = high, min(2 * high, MAX_AGENTS)
    return figures_for(demand, bisect_smallest(ok, low, high), goals)


def answered_within(agents: int, lam: float, mu: float, theta: float, t: float, p_wait: float) -> float:
    """Share of Erlang A callers answered within ``t``: those who need not wait, and those reached in time.

    A caller finding ``k`` others queued moves up at rate ``c·μ + k·θ`` (a call ends, or one ahead
    hangs up) and hangs up at rate ``θ``; the chance of reaching an agent by ``t`` is computed for
    every ``k`` at once by uniformisation. Arrivals see ``k`` queued with probability proportional
    to the product of ``λ / (c·μ + j·θ)`` for j = 1..k (PASTA), scaled to ``p_wait``.
    """
    full = agents * mu
    ahead = [1.0]
    while True:
        term = ahead[-1] * lam / (full + len(ahead) * theta)
        ahead.append(term)
        if term < 1.0 and term * (lam / (full + len(ahead) * theta)) < _TAIL * sum(ahead):
            break
        if len(ahead) > _MAX_QUEUE:
            raise ValueError(f"the queue grows past {_MAX_QUEUE} callers: patience too long for this overload")
    share = np.array(ahead) / sum(ahead)
    k = np.arange(share.size)
    move, rate = full + k * theta, full + (k + 1) * theta
    uniform = float(rate[-1])
    step, stay = move / uniform, 1.0 - rate / uniform
    mean = uniform * t
    steps = int(mean + 12.0 * math.sqrt(mean) + 40)
    reached = np.zeros(share.size)
    served = np.zeros(share.size)
    for n in range(steps + 1):
        weight = math.exp(-mean + n * math.log(mean) - math.lgamma(n + 1)) if mean > 0 else float(n == 0)
        served += weight * reached
        reached = step * np.concatenate(([1.0], reached[:-1])) + stay * reached
    return (1.0 - p_wait) + p_wait * float(share @ served)
