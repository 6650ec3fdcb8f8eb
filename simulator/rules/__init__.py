"""The plan's rules that the SimPy engine and the sweep kernel both apply, each written once."""

from .duties import EVENT_OPEN, is_target
from .injects import Msel, when_ordinals
from .pulse import Pulse, rose
from .reinforcement import REINFORCING, Reinforcement, reinforcement
from .roster import roster
from .sampling import Sampler, categorical, draw
from .triggers import RESUMED_BY, first_due, period, recurs, starts
from .work import crew_size, expected_by_hour, hourly_baseline, latency, surge_by_hour, task_minutes, task_work

__all__ = [
    "EVENT_OPEN",
    "REINFORCING",
    "RESUMED_BY",
    "Msel",
    "Pulse",
    "Reinforcement",
    "Sampler",
    "categorical",
    "crew_size",
    "draw",
    "expected_by_hour",
    "first_due",
    "hourly_baseline",
    "is_target",
    "latency",
    "period",
    "recurs",
    "reinforcement",
    "rose",
    "roster",
    "starts",
    "surge_by_hour",
    "task_minutes",
    "task_work",
    "when_ordinals",
]
