"""Training records in a real SQLite file, the history table and trainees' trends."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import platformdirs
import pytest

from simulator.cli.args import resolve
from simulator.cli.history import history, render_table, text_width
from simulator.cli.main import build_parser
from simulator.drill.records import Records, RuleResult, SessionRecord, TraineeResult, default_db_path
from simulator.drill.schema import MIGRATIONS
from simulator.model import UserError


def record(folder: str, started: str, scores: dict[str, float | None], overall: float | None = 80.0) -> SessionRecord:
    return SessionRecord(
        folder=folder,
        scenario="refund_surge",
        plan_id="complaint-plan",
        plan_version="2024-seed-1",
        seed=1,
        lang="zh",
        started=started,
        ended=started,
        compliance_pct=overall,
        decision_pct=50.0,
        trainees=tuple(
            TraineeResult(name, ("duty",) if i == 0 else ("command", "pr"), s, None) for i, (name, s) in enumerate(scores.items())
        ),
        rules=(RuleResult("NOTIFY-1", "§3.2", 1, 0, 0, 0, 0), RuleResult("INTAKE-1", "§3.1", 0, 1, 1, 0, 2)),
    )


S1 = record("/s/1", "2024-05-01T09:00:00+08:00", {"张三": 50.0, "Li": 75.0})
S2 = record("/s/2", "2024-05-02T09:00:00+08:00", {"张三": 62.5})
S3 = record("/s/3", "2024-05-03T09:00:00+08:00", {"张三": 90.0, "Li": None}, overall=None)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "sub" / "records.sqlite3"
    with Records(path) as r:
        for s in (S3, S1, S2):  # out of order on purpose
            r.add_session(s)
    return path


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DRILLSIM_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("DRILLSIM_DB")
    assert default_db_path() == Path(platformdirs.user_data_dir("drillsim")) / "records.sqlite3"


def test_round_trip_in_a_new_connection(db: Path) -> None:
    with Records(db) as r:
        assert r.version == len(MIGRATIONS)
        got = r.sessions()
    assert [s.folder for s in got] == ["/s/1", "/s/2", "/s/3"]
    assert got[0] == S1
    assert got[2].compliance_pct is None


def test_sessions_of_one_trainee(db: Path) -> None:
    with Records(db) as r:
        assert [s.folder for s in r.sessions("Li")] == ["/s/1", "/s/3"]
        assert r.sessions("nobody") == []
        assert r.trainees() == ["Li", "张三"]  # both first seen in S1: by name


def test_trend_is_the_trainees_own_score_in_time_order(db: Path) -> None:
    with Records(db) as r:
        trend = r.trend("张三")
        assert [p.compliance_pct for p in trend] == [S1.trainees[0].compliance_pct, S2.trainees[0].compliance_pct, 90.0]
        assert [p.started for p in trend] == sorted(p.started for p in trend)
        assert [p.roles for p in r.trend("Li")] == [("command", "pr"), ("command", "pr")]


def test_recording_a_folder_again_replaces_it(db: Path) -> None:
    changed = record("/s/2", S2.started, {"王五": 10.0})
    with Records(db) as r:
        r.add_session(changed)
        assert len(r.sessions()) == 3
        assert r.sessions("王五")[0].folder == "/s/2"
        assert r.trend("张三")[1].compliance_pct == 90.0  # S2 no longer has 张三
    con = sqlite3.connect(db)
    n_rules, n_trainees = con.execute("SELECT (SELECT COUNT(*) FROM rule_result), (SELECT COUNT(*) FROM trainee)").fetchone()
    con.close()
    assert n_rules == 3 * len(S1.rules)  # the replaced session's rows went with it
    assert n_trainees == len(S1.trainees) + 1 + len(S3.trainees)


def test_a_failed_session_write_leaves_nothing(db: Path) -> None:
    dup = record("/s/9", "2024-06-01T09:00:00+08:00", {"A": 1.0})
    dup = SessionRecord(**{**dup.__dict__, "trainees": (*dup.trainees, *dup.trainees)})  # same name twice
    with Records(db) as r:
        with pytest.raises(sqlite3.IntegrityError):
            r.add_session(dup)
        assert [s.folder for s in r.sessions()] == ["/s/1", "/s/2", "/s/3"]


def test_newer_or_foreign_files_are_user_errors(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    con.close()
    with pytest.raises(UserError, match="newer drillsim"):
        Records(newer)
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("this is not a database, just some text that is long enough" * 20, encoding="utf-8")
    with pytest.raises(UserError, match=r"junk\.sqlite3: not a drillsim training-records database"):
        Records(junk)


def test_text_width_and_cjk_alignment() -> None:
    assert text_width("abc") == 3
    assert text_width("张三") == 4
    assert text_width("ｆ") == 2  # full-width
    table = render_table(["name", "score"], [["张三丰", "1.0%"], ["Li", "100.0%"]], frozenset({1}))
    lines = table.splitlines()
    assert len({text_width(line) for line in lines if not line.startswith("-")}) == 1
    # the score column starts at the same display column on every row
    starts = {text_width(line[: line.index(cell)]) for line, cell in zip(lines[2:], ["1.0%", "100.0%"], strict=True)}
    ends = {text_width(line) for line in lines[2:]}
    assert len(ends) == 1 and len(starts) == 2


def run_history(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    parser = build_parser()
    args = parser.parse_args(["history", *argv])
    assert resolve(args.handler)(args) == 0
    return capsys.readouterr().out


def test_history_table_english(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_history(["--db", str(db), "--lang", "en"], capsys)
    assert "Drill sessions" in out and "Trainees' trends" in out
    assert out.index("2024-05-01 09:00") < out.index("2024-05-02 09:00") < out.index("2024-05-03 09:00")
    assert "张三(duty), Li(command,pr)" in out
    trend_rows = {line.split()[0]: line for line in out.split("Trainees' trends")[1].splitlines()[3:]}
    assert trend_rows["张三"].split()[2:7] == ["3", "50.0%", "90.0%", "90.0%", "+40.0"]
    assert trend_rows["张三"].endswith("50 → 62 → 90")
    assert trend_rows["Li"].split()[2:7] == ["2", "75.0%", "75.0%", "75.0%", "-"]


def test_history_of_one_trainee_in_chinese(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_history(["--db", str(db), "--trainee", "Li", "--lang", "zh"], capsys)
    assert "演练记录" in out and "学员成绩走势" in out
    assert "2024-05-02" not in out
    assert "张三 " not in out.split("学员成绩走势")[1]
    lines = out.splitlines()
    header, rule, row = lines[1], lines[2], lines[3]
    # cut each line at the display columns the dashed rule marks: every cell falls in its column
    assert cells(header, rule) == ["开始时间", "场景", "预案版本", "学员(角色)", "时限合规率", "决策正确率"]
    assert cells(row, rule) == ["2024-05-01 09:00", "refund_surge", "2024-seed-1", "张三(duty), Li(command,pr)", "80.0%", "50.0%"]


def cells(line: str, rule: str) -> list[str]:
    """Split ``line`` at the display-column spans of the dash groups of ``rule``."""
    spans, col = [], 0
    for group in rule.split("  "):
        spans.append((col, col + len(group)))
        col += len(group) + 2
    out, col, current, span = [], 0, "", 0
    for ch in line:
        if col >= spans[span][1] + 2 and span + 1 < len(spans):
            out.append(current)
            current, span = "", span + 1
        assert col >= spans[span][0] or ch == " ", f"{ch!r} at column {col} is outside its column {spans[span]}"
        current += ch
        col += text_width(ch)
    out.append(current)
    return [c.strip() for c in out]


def test_history_language_from_locale(db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "演练记录" in run_history(["--db", str(db)], capsys)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert "Drill sessions" in run_history(["--db", str(db)], capsys)


def test_history_empty_or_unknown_trainee(tmp_path: Path, db: Path) -> None:
    with Records(tmp_path / "empty.sqlite3") as r, pytest.raises(UserError, match="no drill sessions recorded"):
        history(r, "en")
    with Records(db) as r, pytest.raises(UserError, match="王五"):
        history(r, "zh", "王五")
