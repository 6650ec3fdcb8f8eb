"""The event log as CSV tables: every record in its table, exactly; every column documented."""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from pathlib import Path

import pytest

from simulator.batch import run
from simulator.cli.main import main
from simulator.load import load_plan, load_scenario, resolve_scenario
from simulator.record import EventLog, Hourly, event_record, write_tables
from simulator.record.events import EVENT_TYPES
from simulator.record.tables import event_header

DOC = Path(__file__).resolve().parents[1] / "docs" / "event-tables.md"


@pytest.fixture(scope="module")
def log() -> EventLog:
    plan = load_plan(None)
    return run(plan, load_scenario(resolve_scenario("manual_error"), plan), seed=3).log


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_record_is_a_row_of_its_table(log: EventLog, tmp_path: Path) -> None:
    written = write_tables(log, tmp_path)
    kinds = Counter(type(e).__name__ for e in log.events)
    assert {p.stem for p in written} == {"Meta", "Complaint", *kinds}
    for kind, n in kinds.items():
        rows = read(tmp_path / f"{kind}.csv")
        assert len(rows) == n
        first = next(e for e in log.events if type(e).__name__ == kind)
        record = event_record(first)
        for name, value in record.items():
            if name == "type" or isinstance(first, Hourly):
                continue
            cell = rows[0][name]
            if isinstance(value, bool):
                assert cell == str(value).lower()
            elif isinstance(value, float):
                assert float(cell) == value
            elif isinstance(value, list):
                assert cell == "; ".join("=".join(map(str, v)) if isinstance(v, list) else str(v) for v in value)
            else:
                assert cell == str(value)
    hourly = read(tmp_path / "Hourly.csv")
    first = next(e for e in log.events if isinstance(e, Hourly))
    assert [float(hourly[0][f"busy_{team}"]) for team in log.meta.teams] == list(first.busy)
    complaints = read(tmp_path / "Complaint.csv")
    assert len(complaints) == len(log.complaints)
    never = [i for i, x in enumerate(log.complaints.hotline_start) if math.isnan(x)]
    assert never and all(complaints[i]["hotline_start"] == "" for i in never)
    assert Counter(r["outcome"] for r in complaints)["answered"] == log.complaints.count(1)
    (meta,) = read(tmp_path / "Meta.csv")
    assert meta["scenario_id"] == "manual_error" and meta["seed"] == "3"


def documented() -> dict[str, list[str]]:
    """Each table's columns as docs/event-tables.md lists them."""
    out: dict[str, list[str]] = {}
    for section in re.split(r"(?m)^## ", DOC.read_text(encoding="utf-8"))[1:]:
        name = section.splitlines()[0].strip()
        out[name] = re.findall(r"(?m)^\| (\w+) \|", section)[1:]  # after the header row's "column"
    return out


def test_every_column_is_documented(log: EventLog, tmp_path: Path) -> None:
    docs = documented()
    assert set(docs) == {"Meta", "Complaint", *EVENT_TYPES}
    for name, kind in EVENT_TYPES.items():
        assert docs[name] == event_header(kind, ["TEAM"]), name
    for path in write_tables(log, tmp_path):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        kind = EVENT_TYPES.get(path.stem)
        assert header == (docs[path.stem] if kind is None else event_header(kind, log.meta.teams))


def test_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "manual_error", "--out", str(tmp_path / "run")]) == 0
    assert main(["tables", str(tmp_path / "run")]) == 0
    assert (tmp_path / "run" / "tables" / "InjectFired.csv").is_file()
    assert main(["tables", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: no such run or drill-session folder" in capsys.readouterr().err
