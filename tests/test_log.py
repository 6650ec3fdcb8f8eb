"""The event log's JSON Lines round trip, and its errors on files that are not event logs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from simulator.batch import RunResult
from simulator.model import Scenario, UserError
from simulator.record import DecisionMade, EventLog, Meta, ObligationMet, columns, event_record
from simulator.record.events import EVENT_TYPES


@pytest.fixture(scope="module")
def written(
    bundled: Callable[[str], tuple[Scenario, RunResult]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[EventLog, Path]:
    """The battery-fires log (every kind of record, open and abandoned complaints) and the file it was written to."""
    _, result = bundled("battery_fires")
    path = tmp_path_factory.mktemp("log") / "events.jsonl"
    result.log.write(path)
    return result.log, path


def test_read_gives_back_equal_events_and_complaints(written: tuple[EventLog, Path]) -> None:
    log, path = written
    back = EventLog.read(path)
    assert back.meta == log.meta
    assert back.events == log.events
    assert [type(e) for e in back.events] == [type(e) for e in log.events]
    ours, theirs = columns(log.complaints), columns(back.complaints)
    assert ours.keys() == theirs.keys()
    for name in ours:
        np.testing.assert_array_equal(theirs[name], ours[name], err_msg=name)
        assert theirs[name].dtype == ours[name].dtype


def test_round_trip_covers_what_it_claims(written: tuple[EventLog, Path]) -> None:
    """The log under test holds many kinds of record and every complaint outcome, NaN times included."""
    log, _ = written
    kinds = {type(e).__name__ for e in log.events}
    assert len(kinds) >= 12 and kinds <= set(EVENT_TYPES)
    assert {0, 1, 2} <= set(columns(log.complaints)["outcome"].tolist())
    assert np.isnan(columns(log.complaints)["hotline_start"]).any()


def test_write_read_write_is_byte_identical(written: tuple[EventLog, Path], tmp_path: Path) -> None:
    _, path = written
    again = tmp_path / "again.jsonl"
    EventLog.read(path).write(again)
    assert again.read_bytes() == path.read_bytes()


def test_unreadable_logs_are_user_errors(written: tuple[EventLog, Path], tmp_path: Path) -> None:
    _, path = written
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "broken.jsonl"
    broken.write_text(lines[0] + lines[1] + "{not json\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"broken\.jsonl:3: not an event-log line"):
        EventLog.read(broken)
    headless = tmp_path / "headless.jsonl"
    headless.write_text("".join(lines[1:3]), encoding="utf-8")
    with pytest.raises(UserError, match=r"headless\.jsonl:1: .*Meta"):
        EventLog.read(headless)
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(lines[0] + '{"type": "Nonsense", "t": 1.0}\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"unknown\.jsonl:2: not an event-log line"):
        EventLog.read(unknown)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(UserError, match="empty event log"):
        EventLog.read(empty)
    with pytest.raises(UserError, match="no such file"):
        EventLog.read(tmp_path / "missing.jsonl")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda lines: [lines[0], lines[1].replace('"t":', '"t":NaN,"was":', 1)],
            r"nan\.jsonl:2: not an event-log line \(NaN is not",
        ),
        (
            lambda lines: [lines[0], lines[1].replace('"t":', '"t":-Infinity,"was":', 1)],
            r":2: not an event-log line \(-Infinity is",
        ),
        (lambda lines: [lines[0], "\udcff\n"], r"nan\.jsonl:2: not an event-log line \('utf-8' codec can't decode byte 0xff"),
    ],
)
def test_a_log_line_of_nan_or_not_utf8(
    damage: Callable[[list[str]], list[str]], message: str, written: tuple[EventLog, Path], tmp_path: Path
) -> None:
    """JSON's NaN went into an event's time and the report drew it; bytes that are not UTF-8 raised UnicodeDecodeError."""
    _, path = written
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)[:2]
    (tmp_path / "nan.jsonl").write_bytes("".join(damage(lines)).encode("utf-8", "surrogateescape"))
    with pytest.raises(UserError, match=message):
        EventLog.read(tmp_path / "nan.jsonl")


def test_a_log_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "events.jsonl").mkdir()
    with pytest.raises(UserError, match=r"events\.jsonl: is a folder, not a file"):
        EventLog.read(tmp_path / "events.jsonl")


def test_a_document_s_text_and_missing_elements_are_written_only_when_there_are_some(tmp_path: Path) -> None:
    quiet = DecisionMade(1.0, 0, "pr", "auto", "warning_notice", (), ("risk_nature",))
    text = (("body", "正在核实。"), ("title", "通报"))
    written = DecisionMade(2.0, 1, "pr", "李", "warning_notice", (), ("risk_nature",), text)
    complete, incomplete = ObligationMet(3.0, 0, 0), ObligationMet(4.0, 1, 1, ("official_contact",))
    assert "text" not in event_record(quiet) and "missing" not in event_record(complete)
    assert event_record(written)["text"] == [["body", "正在核实。"], ["title", "通报"]]
    assert event_record(incomplete)["missing"] == ["official_contact"]
    log = EventLog(Meta("p", "1", "s", 1, 10.0, (), ()), [quiet, written, complete, incomplete])
    log.write(tmp_path / "events.jsonl")
    assert EventLog.read(tmp_path / "events.jsonl").events == [quiet, written, complete, incomplete]
