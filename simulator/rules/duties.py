"""What kind of duty a plan obligation is, and the indicators the rules set themselves."""

from __future__ import annotations

from ..model import MetByAnswered, MetByCallbacks, MetByTask, Obligation

EVENT_OPEN = "event_open"
"""The indicator that says an emergency event is open: set when a level is declared, cleared at stand-down."""


def is_target(ob: Obligation) -> bool:
    """Whether a duty is a timed team target: met by a task, a callback campaign or an answered share."""
    return isinstance(ob.met_by, MetByTask | MetByCallbacks | MetByAnswered)
