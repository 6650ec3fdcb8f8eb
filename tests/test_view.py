"""The drill's view: what every screen reads, and what a remote seat will receive, as JSON.

A session of the bundled manual-error scenario, with a trainee's decisions, is viewed at several
instants; each view must survive a JSON round trip unchanged, agree with the engine it was taken
from, and its feed must give back the logged events themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.drill import DrillSession, DrillView, Trainee
from simulator.load import resolve_scenario
from simulator.model import Request
from simulator.record import event_from_record, event_record

TRAINEES = (Trainee("王伟", ("duty",)), Trainee("Li", ("command",)))
INSTANTS = (0.0, 30.0, 61.5, 240.0, 600.0, 1440.0)
"""Simulated minutes at which the session is viewed."""


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[DrillSession, DrillView, DrillView]]:
    """(session, view from the start, view since the previous instant) at each instant of one session."""
    base = tmp_path_factory.mktemp("view")
    session = DrillSession.start(resolve_scenario("manual_error"), None, TRAINEES, folder=base / "s", db=base / "r.db")
    out = []
    cursor = 0
    for t in INSTANTS:
        session.advance(t)
        if t == 61.5:
            session.decide(Request("notify_gm", "duty"))
            session.decide(Request("declare_level", "command", params={"level": "L2"}))
        full, since = session.view(), session.view(cursor)
        cursor = since.cursor
        out.append((session, full, since))
    return out


def test_a_view_survives_json_unchanged(views: list[tuple[DrillSession, DrillView, DrillView]]) -> None:
    for _, full, since in views:
        for view in (full, since):
            assert DrillView.model_validate_json(view.model_dump_json()) == view


def test_the_view_is_the_engines_state(views: list[tuple[DrillSession, DrillView, DrillView]]) -> None:
    session, view, _ = views[-1]
    engine = session.engine
    assert view.t == engine.now == INSTANTS[-1]
    assert (view.level, view.implied, view.warning_since) == (engine.level, engine.implied, engine.warning_since)
    assert [(d.oid, d.rule, d.due) for d in view.duties] == [(i.oid, i.ob.rule, i.due) for i in engine.book.pending()]
    assert [(t.name, t.staff, t.backlog) for t in view.teams] == [(n, t.staff, t.backlog) for n, t in engine.teams.items()]
    assert view.holders == {"duty": "王伟", "command": "Li"}
    assert view.indicators == engine.situation.values


def test_the_feed_is_the_log_from_the_cursor(views: list[tuple[DrillSession, DrillView, DrillView]]) -> None:
    session = views[-1][0]
    logged = session.engine.log.events
    pieces = []
    for _, full, since in views:
        assert [event_from_record(r) for r in full.feed] == logged[: full.cursor]
        assert since.feed == full.feed[since.since :]
        pieces += since.feed
    assert [event_from_record(r) for r in pieces] == logged
    decided = [r for r in pieces if r["type"] == "DecisionMade" and r["actor"] != "auto"]
    assert [(r["action"], r["actor"], r["t"]) for r in decided] == [("notify_gm", "王伟", 61.5), ("declare_level", "Li", 61.5)]


def test_a_cursor_past_the_end_gives_an_empty_feed(views: list[tuple[DrillSession, DrillView, DrillView]]) -> None:
    session, full, _ = views[-1]
    later = session.view(full.cursor + 10)
    assert later.feed == [] and later.cursor == full.cursor


def test_event_records_are_the_log_lines(tmp_path: Path, views: list[tuple[DrillSession, DrillView, DrillView]]) -> None:
    """A feed entry is exactly an event's line in events.jsonl."""
    import json

    session = views[-1][0]
    path = tmp_path / "events.jsonl"
    session.engine.log.write(path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    events = [rec for rec in lines if rec["type"] not in ("Meta", "Complaint")]
    assert events == [json.loads(json.dumps(event_record(e), ensure_ascii=False)) for e in session.engine.log.events]
