"""The injects of a run as its log knows them: the scenario's, then those the facilitator wrote."""

from __future__ import annotations

from ..model import MINUTES_PER_HOUR, Inject, Scenario, Text
from .events import InjectWritten
from .log import EventLog


def injects_of(log: EventLog, scenario: Scenario) -> list[Inject]:
    """Every inject an ``InjectFired`` record of ``log`` may name, by its index.

    A written inject addressed to one role has it as its ``player``; one addressed to several or to
    no role has none.
    """
    written = [
        Inject(
            at_h=e.t / MINUTES_PER_HOUR,
            kind=e.kind,
            text=Text(zh=e.zh, en=e.en),
            set=dict(e.values),
            player=e.roles[0] if len(e.roles) == 1 else None,
        )
        for e in log.of(InjectWritten)
    ]
    return [*scenario.injects, *written]
