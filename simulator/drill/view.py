"""What a drill looks like at a moment: one read-only view for every screen, local or remote.

:class:`DrillView` holds the clock, the level and warning state, the indicators, each team's staff
and backlog, the duties still open with their due times, who holds which role, and the events
logged since a cursor (the feed). It is plain data: it serialises to JSON and back without loss
(``model_dump_json`` / ``model_validate_json``), so the terminal console, a browser seat and a
remote ``drillsim join`` all draw from the same thing. Feed entries are the event log's own
records (``record.event_record``); each reader names them in its own language.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from ..engine import Engine
from ..record import event_record
from ..score import duty_role


class Frozen(BaseModel):
    """A value of the view: no unknown fields, not changed once made."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TeamView(Frozen):
    """One team right now."""

    name: str
    staff: int
    backlog: int
    """Jobs waiting for someone of the team."""


class DutyView(Frozen):
    """One duty still open."""

    oid: int
    index: int
    """The obligation's place in the plan's list of obligations."""
    rule: str
    owner: str
    role: str | None
    """The plan role that answers for it."""
    opened: float
    due: float


class DrillView(Frozen):
    """The drill at one simulated instant, with the events since a cursor."""

    t: float
    """Simulated minutes since the scenario's start."""
    horizon: float
    finished: bool
    level: str
    implied: str
    """The level the plan's conditions call for now."""
    warning_since: float | None
    heat: float
    indicators: dict[str, bool | int | float | str]
    teams: list[TeamView]
    duties: list[DutyView]
    """Open duties, soonest due first."""
    holders: dict[str, str]
    """Role → the trainee who holds it (the auto-responder acts for the rest)."""
    feed: list[dict[str, Any]]
    """Event-log records from ``since`` to ``cursor``."""
    since: int
    cursor: int
    """Pass this as ``since`` next time to get only what is new."""


def view_of(engine: Engine, holders: dict[str, str], since: int = 0, *, finished: bool = False) -> DrillView:
    """The view of a running engine, with the events logged from index ``since`` on."""
    events = engine.log.events
    since = min(max(since, 0), len(events))
    return DrillView(
        t=engine.now,
        horizon=engine.horizon,
        finished=finished or engine.now >= engine.horizon,
        level=engine.level,
        implied=engine.implied,
        warning_since=engine.warning_since,
        heat=engine.heat,
        indicators=dict(engine.situation.values),
        teams=[TeamView(name=name, staff=team.staff, backlog=team.backlog) for name, team in engine.teams.items()],
        duties=[
            DutyView(
                oid=i.oid,
                index=i.index,
                rule=i.ob.rule,
                owner=i.ob.owner,
                role=duty_role(engine.plan, i.ob),
                opened=i.opened,
                due=i.due,
            )
            for i in engine.book.pending()
        ],
        holders=dict(holders),
        feed=[event_record(e) for e in events[since:]],
        since=since,
        cursor=len(events),
    )
