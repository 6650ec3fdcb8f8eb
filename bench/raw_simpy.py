"""Minimal raw-SimPy M/M/c model, the speed yardstick for the benchmarks.

Run as a script to time c=30 servers at utilisation 0.9 for 200,000 customers.
"""

from __future__ import annotations

import random
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import simpy


@dataclass(frozen=True)
class RawResult:
    """Outcome of one raw-SimPy M/M/c run.

    Attributes:
        customers: Number of customers served.
        mean_wait: Mean time in queue.
        p_wait: Fraction of customers who waited a positive time.
        wall_seconds: Wall-clock time of the simulation run.
        waits: Time in queue of each customer, in order of service start.
    """

    customers: int
    mean_wait: float
    p_wait: float
    wall_seconds: float
    waits: list[float] = field(repr=False)


def run_mmc(
    servers: int,
    utilisation: float,
    customers: int,
    seed: int,
    mean_service: float = 1.0,
) -> RawResult:
    """Simulate an M/M/c queue until ``customers`` arrivals have been served.

    The arrival rate is ``utilisation * servers / mean_service``; inter-arrival
    and service times are exponential, drawn from ``random.Random(seed)``.
    """
    if servers < 1:
        raise ValueError(f"servers must be >= 1, got {servers!r}")
    if not utilisation > 0.0:
        raise ValueError(f"utilisation must be > 0, got {utilisation!r}")
    if customers < 1:
        raise ValueError(f"customers must be >= 1, got {customers!r}")
    if not mean_service > 0.0:
        raise ValueError(f"mean_service must be > 0, got {mean_service!r}")

    rng = random.Random(seed)
    arrival_rate = utilisation * servers / mean_service
    service_rate = 1.0 / mean_service
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=servers)
    waits: list[float] = []

    def customer() -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        with desk.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(service_rate))

    def source() -> Generator[simpy.Event, Any, None]:
        for _ in range(customers):
            env.process(customer())
            yield env.timeout(rng.expovariate(arrival_rate))

    start = time.perf_counter()
    env.process(source())
    env.run()
    wall = time.perf_counter() - start

    waited = sum(1 for w in waits if w > 0.0)
    return RawResult(
        customers=len(waits),
        mean_wait=sum(waits) / len(waits),
        p_wait=waited / len(waits),
        wall_seconds=wall,
        waits=waits,
    )


if __name__ == "__main__":
    result = run_mmc(servers=30, utilisation=0.9, customers=200_000, seed=1)
    print(
        f"raw SimPy M/M/30 at 0.9: {result.customers} customers in "
        f"{result.wall_seconds:.2f} s = "
        f"{result.customers / result.wall_seconds:,.0f} customers/second "
        f"(mean wait {result.mean_wait:.4f}, P(wait>0) {result.p_wait:.4f})"
    )
