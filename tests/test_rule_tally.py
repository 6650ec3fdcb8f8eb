"""Incomplete documents in the per-rule tally, the training records and ``history``'s per-rule trend.

The duties are built by hand with the outcome each case needs (on time but incomplete, late and
incomplete, late and complete, met), so every expected count is read off the duties themselves.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from simulator.cli.history import history
from simulator.drill import Parts, RuleTally, schema
from simulator.drill.records import Records, SessionRecord, TraineeResult
from simulator.score import DutyResult, RoleScore
from simulator.score.scoring import DutyStatus


def duty(oid: int, rule: str, status: DutyStatus, missing: tuple[str, ...] = ()) -> DutyResult:
    late = status == "late"
    return DutyResult(
        oid, rule, "§3", "职责", "duty", "duty", 0.0, 60.0, 90.0 if late else 30.0, status, 30.0 if late else 0.0, missing=missing
    )


DUTIES = (
    duty(1, "WARN-1", "incomplete", ("contact",)),
    duty(2, "WARN-1", "met"),
    duty(3, "REPORT-1", "late", ("casualties", "measures")),
    duty(4, "INTAKE-1", "late"),
    duty(5, "NOTIFY-1", "met"),
)


def tallies() -> dict[str, RuleTally]:
    split = Parts({}, {}, {}, RoleScore("duty", (), ()), RoleScore("auto", (), ()))
    return {t.rule: t for t in split.rules(RoleScore("duty", DUTIES, ()))}


def test_the_tally_counts_incomplete_on_time_and_late() -> None:
    t = tallies()
    assert (t["WARN-1"].met, t["WARN-1"].late, t["WARN-1"].incomplete, t["WARN-1"].failed) == (1, 0, 1, True)
    assert not t["WARN-1"].overdue
    assert (t["REPORT-1"].late, t["REPORT-1"].incomplete, t["REPORT-1"].overdue) == (1, 1, True)
    assert (t["INTAKE-1"].late, t["INTAKE-1"].incomplete) == (1, 0)
    assert not t["NOTIFY-1"].failed


def session(folder: str, started: str, rules: tuple[RuleTally, ...]) -> SessionRecord:
    return SessionRecord(
        folder, "refund_surge", "complaint-plan", "v", 1, "zh", started, started, 50.0, None,
        (TraineeResult("李雷", ("duty",), 50.0, None, rules),),
    )  # fmt: skip


def trend_rows(out: str, title: str) -> dict[str, list[str]]:
    table = out.split(title + "\n")[1].split("\n\n")[0]
    return {r[1]: r for r in (re.split(r"\s{2,}", line) for line in table.splitlines()[2:]) if r[0] == "李雷"}


def test_history_keeps_an_incomplete_rule_failing_marked_apart(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    held = tuple(RuleTally(r, "§3", 1, 0, 0, 0, 0) for r in ("WARN-1", "REPORT-1", "INTAKE-1", "NOTIFY-1"))
    with Records(db) as records:
        records.add_session(session("/s/1", "2024-05-01T09:00:00+08:00", held))
        records.add_session(session("/s/2", "2024-05-02T09:00:00+08:00", tuple(tallies().values())))
    with Records(db, read_only=True) as records:
        assert [p.tally for p in records.rule_trend("李雷")][-4:] == sorted(tallies().values(), key=lambda t: t.rule)
        en, zh = history(records, "en"), history(records, "zh")
    rows = trend_rows(en, "Rules that keep failing, per trainee")
    assert {rule: r[3:] for rule, r in rows.items()} == {
        "WARN-1": ["1 of 2", "1 of 2", "✓ ⊖"],
        "REPORT-1": ["1 of 2", "1 of 2", "✓ ✗⊖"],
        "INTAKE-1": ["1 of 2", "0 of 2", "✓ ✗"],
    }
    assert "⊖ document lacked required elements" in en
    assert trend_rows(zh, "反复未达标的规则(按学员)")["WARN-1"][3:] == ["1/2", "1/2", "✓ ⊖"]
    assert "⊖ 文件缺少必备要素" in zh and "要素不全场次" in zh


def test_a_schema_2_file_gains_the_incomplete_count_after_a_backup(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    con = sqlite3.connect(db)
    schema.apply(con, 0, 2)
    con.execute(
        "INSERT INTO session (id, folder, scenario, plan_id, plan_version, seed, lang, started, ended)"
        " VALUES (1, '/s/old', 'refund_surge', 'p', 'v', 1, 'zh', '2024-01-01', '2024-01-01')"
    )
    con.execute("INSERT INTO trainee (session_id, name, roles) VALUES (1, '李雷', 'duty')")
    con.execute("INSERT INTO trainee_rule VALUES (1, '李雷', 'WARN-1', '§3', 0, 1, 0, 0)")
    con.commit()
    con.close()
    with Records(db, read_only=True) as records:  # a reader migrates a copy in memory only
        assert [p.tally for p in records.rule_trend("李雷")] == [RuleTally("WARN-1", "§3", 0, 1, 0, 0, 0)]
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
    with Records(db) as records:
        assert records.version == len(schema.MIGRATIONS) == 3
        assert [p.tally.incomplete for p in records.rule_trend("李雷")] == [0]
    backup = sqlite3.connect(db.with_name(f"{db.name}.bak-v2"))
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "incomplete" not in [c[1] for c in backup.execute("PRAGMA table_info(trainee_rule)")]
    backup.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_failing_rule_no_legend(tmp_path: Path, lang: str) -> None:
    db = tmp_path / "records.sqlite3"
    with Records(db) as records:
        records.add_session(session("/s/1", "2024-05-01T09:00:00+08:00", (RuleTally("WARN-1", "§3", 1, 0, 0, 0, 0),)))
    with Records(db, read_only=True) as records:
        out = history(records, lang)
    assert "⊖" not in out and "✗" not in out
