"""A stationary one-team call-centre scenario, for checks against queueing theory and benchmarks.

Poisson arrivals at a constant rate on one channel, one customer-communication team of ``servers``
people with exponential (or given) handling times, no surge, no injects, no opinion feedback.
"""

from __future__ import annotations

from ..model import MINUTES_PER_DAY, Channel, Complaints, Dist, Opinion, Responder, Scenario, TeamSetup, Text


def stationary_scenario(
    servers: int,
    utilisation: float,
    *,
    mean_service_min: float = 10.0,
    customers: int = 100_000,
    seed: int = 1,
    handling: Dist | None = None,
    patience: Dist | None = None,
) -> Scenario:
    """A scenario whose comms team is an M/M/c queue at ``utilisation``, about ``customers`` long.

    With ``patience`` the single channel is the hotline instead (an M/M/c+M queue for the hotline
    team; the comms team then gets ample staff so it never holds anyone back).
    """
    if utilisation <= 0:
        raise ValueError(f"utilisation must be positive, got {utilisation}")
    rate_per_min = utilisation * servers / mean_service_min
    per_day = rate_per_min * MINUTES_PER_DAY
    service = handling or Dist(kind="exponential", mean=mean_service_min)
    quick = Dist(kind="fixed", mean=1e-6)
    if patience is None:
        channel: Channel = "ecommerce"
        teams = {"comms": TeamSetup(staff=servers, handling=service, callback=quick)}
    else:
        channel = "hotline"
        teams = {
            "hotline": TeamSetup(staff=servers, handling=service, patience=patience),
            "comms": TeamSetup(staff=10 * servers, handling=quick, callback=quick),
        }
    return Scenario(
        id=f"stationary-c{servers}-rho{utilisation:g}",
        title=Text(zh="平稳单队列", en="stationary single queue"),
        briefing=Text(zh="排队论校验场景", en="a scenario for checks against queueing theory"),
        horizon_days=customers / per_day,
        seed=seed,
        complaints=Complaints(
            baseline_per_day=per_day,
            hourly_profile=[1.0] * 24,
            channels={channel: 1.0},
            severity={"normal": 1.0},
        ),
        teams=teams,
        opinion=Opinion(decay_per_h=0.0, complaint_weight=0.0, disclosure_damping=0.0, missed_penalty=0.0, feedback=0.0),
        responder=Responder(default_min=0.0),
    )
