"""Training records in a real SQLite file, the history table and trainees' trends, unfinished sessions.

Files that are not ours, of a newer or an older schema, or with values of the wrong type; reading
never changes (or creates) the file.
"""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
from collections.abc import Callable
from pathlib import Path

import platformdirs
import pytest

import simulator.drill.schema as schema
import simulator.drill.session as session_mod
from simulator.cli.args import resolve
from simulator.cli.history import history, render_table, text_width
from simulator.cli.main import build_parser, main
from simulator.drill.journal import JOURNAL, Journal, SessionHeader
from simulator.drill.records import Records, RuleResult, SessionRecord, TraineeResult, default_db_path
from simulator.drill.schema import MIGRATIONS
from simulator.drill.trainees import Trainee
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


@pytest.fixture(autouse=True)
def sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sessions folder history looks in: under a data folder of the test's own, never the user's."""
    monkeypatch.setattr(session_mod, "data_dir", lambda: tmp_path / "data")
    return tmp_path / "data" / "sessions"


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
    # a row per trainee, the trainee's own figures first, the auto-responder's part apart (none recorded here)
    assert "张三(duty officer)" in out and "Li(command centre,PR)" in out
    trends = out.split("Trainees' trends")[1].split("\n\n")[0]
    trend_rows = {line.split()[0]: line for line in trends.splitlines()[3:]}
    assert re.split(r"\s{2,}", trend_rows["张三"])[2:7] == ["3", "50.0%", "90.0%", "90.0%", "+40.0"]
    assert trend_rows["张三"].endswith("50 → 62 → 90")
    assert re.split(r"\s{2,}", trend_rows["Li"])[2:7] == ["2", "75.0%", "75.0%", "75.0%", "-"]


def test_history_of_one_trainee_in_chinese(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_history(["--db", str(db), "--trainee", "Li", "--lang", "zh"], capsys)
    assert "演练记录" in out and "学员成绩走势" in out
    assert "2024-05-02" not in out
    assert "张三 " not in out.split("学员成绩走势")[1]
    lines = out.splitlines()
    header, rule, row = lines[1], lines[2], lines[3]
    # cut each line at the display columns the dashed rule marks: every cell falls in its column
    assert cells(header, rule) == [
        "开始时间",
        "场景",
        "预案版本",
        "学员(角色)",
        "学员职责得分",
        "学员决策正确率",
        "自动响应部分·职责得分",
        "自动响应部分·决策",
    ]
    # Li's own 75.0%, not the run's 80.0%; the plan's names of the roles
    own = ["2024-05-01 09:00", "refund_surge", "2024-seed-1", "Li(应急指挥中心,公关部)", "75.0%", "-", "-", "-"]
    assert cells(row, rule) == own


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


# -- files that are missing, empty, foreign, newer, older or damaged ------------------------------


def history_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``drillsim history ARGV`` as the command line runs it: (status, stdout, stderr)."""
    status = main(["history", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_history_of_a_missing_file_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere" / "records.sqlite3"
    status, out, err = history_cli(["--db", str(missing), "--lang", "en"], capsys)
    assert (status, out) == (2, "")
    assert err == f"drillsim: no drill sessions recorded in {missing}\n"
    assert not missing.parent.exists()


def test_an_empty_file_reads_as_no_records_and_stays_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    status, _, err = history_cli(["--db", str(empty), "--lang", "zh"], capsys)
    assert status == 2 and err == f"drillsim: {empty} 中还没有演练记录\n"
    assert empty.read_bytes() == b""
    with Records(empty) as r:  # a writer adopts it
        assert r.version == len(MIGRATIONS)


def our_schema(con: sqlite3.Connection, version: int = len(MIGRATIONS)) -> None:
    schema.apply(con, 0, len(MIGRATIONS))
    con.execute(f"PRAGMA user_version = {version}")


def tables_of_others(con: sqlite3.Connection) -> None:
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('keep me')")


def session_of_other_columns(con: sqlite3.Connection) -> None:
    con.execute("CREATE TABLE session (who TEXT, at TEXT)")
    con.execute("PRAGMA user_version = 1")


def trainee_without_roles(con: sqlite3.Connection) -> None:
    our_schema(con)
    con.execute("DROP TABLE trainee")
    con.execute("CREATE TABLE trainee (session_id INTEGER NOT NULL, name TEXT NOT NULL, compliance_pct REAL, decision_pct REAL)")


def score_declared_as_text(con: sqlite3.Connection) -> None:
    our_schema(con)
    con.execute("ALTER TABLE session RENAME COLUMN compliance_pct TO old")
    con.execute("ALTER TABLE session DROP COLUMN old")
    con.execute("ALTER TABLE session ADD COLUMN compliance_pct TEXT")


def a_column_we_do_not_know(con: sqlite3.Connection) -> None:
    our_schema(con)
    con.execute("ALTER TABLE rule_result ADD COLUMN weight REAL NOT NULL DEFAULT 1")


def ours_without_a_version(con: sqlite3.Connection) -> None:
    our_schema(con, version=0)


def newer(con: sqlite3.Connection) -> None:
    our_schema(con, version=len(MIGRATIONS) + 1)


FOREIGN: dict[str, tuple[Callable[[sqlite3.Connection], None], str]] = {
    "other tables": (tables_of_others, "not a drillsim training-records database (no table 'session')"),
    "session of other columns": (
        session_of_other_columns,
        "not a drillsim training-records database (table 'session' lacks column 'id')",
    ),
    "trainee without roles": (
        trainee_without_roles,
        "not a drillsim training-records database (table 'trainee' lacks column 'roles')",
    ),
    "score as text": (
        score_declared_as_text,
        "not a drillsim training-records database (column 'session.compliance_pct' is declared TEXT, expected REAL)",
    ),
    "unknown column": (
        a_column_we_do_not_know,
        "not a drillsim training-records database (table 'rule_result' has a column this drillsim does not know: 'weight')",
    ),
    "ours at version 0": (
        ours_without_a_version,
        "not a drillsim training-records database"
        " (it holds session, trainee, trainee_by_name, rule_result, trainee_rule, improvement but no schema version)",
    ),
    "newer": (newer, f"made by a newer drillsim (schema {len(MIGRATIONS) + 1}); upgrade to read it"),
    # SQLite stores any 32-bit user_version; a negative one indexed the migrations from the end
    "negative version": (
        lambda con: our_schema(con, version=-3),
        "not a drillsim training-records database (schema version -3)",
    ),
}


def make_db(path: Path, build: Callable[[sqlite3.Connection], None]) -> Path:
    con = sqlite3.connect(path)
    build(con)
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("case", FOREIGN)
def test_foreign_files_are_refused_by_history_and_left_as_they_were(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build, problem = FOREIGN[case]
    path = make_db(tmp_path / "theirs.db", build)
    before = snapshot(path)
    status, out, err = history_cli(["--db", str(path), "--lang", "en"], capsys)
    assert (status, out, err) == (2, "", f"drillsim: {path}: {problem}\n")
    assert snapshot(path) == before
    assert not list(tmp_path.glob("theirs.db?*"))  # no journal, no backup left beside it


@pytest.mark.parametrize("case", FOREIGN)
def test_foreign_files_are_not_migrated_into_by_a_writer(case: str, tmp_path: Path) -> None:
    build, problem = FOREIGN[case]
    path = make_db(tmp_path / "theirs.db", build)
    before = snapshot(path)
    with pytest.raises(UserError) as caught:
        Records(path)
    assert str(caught.value) == f"{path}: {problem}"
    assert snapshot(path) == before


def test_a_file_that_is_not_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("this is not a database, just some text that is long enough" * 20, encoding="utf-8")
    before = snapshot(junk)
    status, out, err = history_cli(["--db", str(junk)], capsys)
    assert (status, out) == (2, "")
    assert err == f"drillsim: {junk}: not a drillsim training-records database (file is not a database)\n"
    with pytest.raises(UserError, match=r"junk\.sqlite3: not a drillsim training-records database \(file is not a database\)"):
        Records(junk)
    assert snapshot(junk) == before


def test_a_folder_given_as_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = history_cli(["--db", str(tmp_path)], capsys)
    assert status == 2 and err == f"drillsim: {tmp_path}: is a folder; the training records are a file\n"
    with pytest.raises(UserError, match="is a folder"):
        Records(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_given_as_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """SQLite would open the pipe and wait for a writer for ever."""
    pipe = tmp_path / "records.db"
    os.mkfifo(pipe)
    status, _, err = history_cli(["--db", str(pipe)], capsys)
    assert status == 2
    assert err == f"drillsim: {pipe}: not a regular file (a pipe, device or socket); the training records are a file\n"
    with pytest.raises(UserError, match="not a regular file"):
        Records(pipe)


@pytest.mark.parametrize(
    ("table", "column", "value", "kind", "expected"),
    [
        ("session", "compliance_pct", "'abc'", "text", "REAL or NULL"),
        ("session", "seed", "'one'", "text", "INTEGER"),
        ("trainee", "roles", "X'00ff'", "blob", "TEXT"),
        ("rule_result", "met", "2.5", "real", "INTEGER"),
    ],
)
def test_a_value_of_the_wrong_type_names_table_and_row(
    db: Path, table: str, column: str, value: str, kind: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(db)
    rowid = con.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0]
    con.execute(f"UPDATE {table} SET {column} = {value} WHERE rowid = ?", (rowid,))
    stored = con.execute(f"SELECT {column} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()[0]
    con.commit()
    con.close()
    before = snapshot(db)
    status, out, err = history_cli(["--db", str(db), "--lang", "en"], capsys)
    assert (status, out) == (2, "")
    assert err == (
        f"drillsim: {db}: damaged training records: table '{table}' row {rowid}: column '{column}' holds {kind} {stored!r},"
        f" expected {expected}\n"
    )
    assert snapshot(db) == before


def test_a_records_file_locked_too_long(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for read_only in (False, True):
            with pytest.raises(
                UserError, match=r"records\.sqlite3: the training records stayed locked by another program for 0\.2 s"
            ):
                Records(db, read_only=read_only)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Records(db, read_only=True) as r:
        assert len(r.sessions()) == 3


def test_read_only_records_take_no_writes(db: Path) -> None:
    with Records(db, read_only=True) as r, pytest.raises(ValueError, match="read-only"):
        r.add_session(record("/s/4", "2024-06-01T09:00:00+08:00", {"A": 1.0}))


# -- migrating an older schema ------------------------------------------------------------------


ADD_NOTES = ("ALTER TABLE session ADD COLUMN notes TEXT",)
"""A second migration, for the test: a file of the current schema is then of the older one."""


def test_an_older_file_is_backed_up_then_migrated(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = snapshot(db)
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, ADD_NOTES))
    now = len(MIGRATIONS)
    backup = db.with_name(f"{db.name}.bak-v{now}")

    with Records(db, read_only=True) as r:  # reading migrates a copy in memory only
        assert r.version == now + 1
        assert [s.folder for s in r.sessions()] == ["/s/1", "/s/2", "/s/3"]
    assert snapshot(db) == old and not backup.exists()

    with Records(db) as r:
        assert r.version == now + 1
        assert r.sessions()[0] == S1
    con = sqlite3.connect(db)
    assert "notes" in [c for (_, c, *_) in con.execute("PRAGMA table_info(session)")]
    con.close()

    bak = sqlite3.connect(backup)
    assert bak.execute("PRAGMA user_version").fetchone()[0] == now
    assert "notes" not in [c for (_, c, *_) in bak.execute("PRAGMA table_info(session)")]
    assert [f for (f,) in bak.execute("SELECT folder FROM session ORDER BY started")] == ["/s/1", "/s/2", "/s/3"]
    bak.close()
    backed_up = snapshot(backup)
    with Records(db):  # up to date now: no second backup
        pass
    assert snapshot(backup) == backed_up


def test_a_failed_migration_leaves_the_file_at_its_version(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        schema, "MIGRATIONS", (*MIGRATIONS, ("ALTER TABLE session ADD COLUMN notes TEXT", "SELECT * FROM nowhere"))
    )
    with pytest.raises(sqlite3.OperationalError, match="no such table: nowhere"):  # a bug in a migration stays a bug
        Records(db)
    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS)
    with Records(db, read_only=True) as r:
        assert r.version == len(MIGRATIONS) and len(r.sessions()) == 3


# -- unfinished sessions ------------------------------------------------------------------------


def journal(folder: Path, started: str, trainees: tuple[Trainee, ...], clock: float | None, *, ended: bool = False) -> Path:
    header = SessionHeader(scenario="/drills/refund_surge.yaml", plan=None, seed=7, trainees=trainees, lang="zh", started=started)
    j = Journal.create(folder, header)
    if clock is not None:
        j.clock(clock)
    if ended:
        j.close("2024-06-01T18:00:00.000+08:00")
    else:
        j.detach()
    return folder


@pytest.fixture
def unfinished(sessions: Path) -> dict[str, Path]:
    """Two unfinished sessions, a finished one, a damaged journal and a folder that is no session."""
    found = {
        "older": journal(sessions / "a", "2024-06-01T09:00:00.000+08:00", (Trainee("张三", ("duty",)),), 2190.0),
        "newer": journal(
            sessions / "b c",
            "2024-06-02T10:30:00.000+08:00",
            (Trainee("张三", ("duty",)), Trainee("Li", ("pr", "command"))),
            None,
        ),
        "finished": journal(sessions / "d", "2024-06-01T08:00:00.000+08:00", (Trainee("Li", ("pr",)),), 60.0, ended=True),
        "damaged": journal(sessions / "e", "2024-06-03T08:00:00.000+08:00", (Trainee("Li", ("pr",)),), None),
    }
    with (found["damaged"] / JOURNAL).open("a", encoding="utf-8") as f:
        f.write("{not json}\n")
    (sessions / "f").mkdir()
    return found


def unfinished_part(out: str, title: str) -> list[str]:
    return out.split(f"\n{title}\n")[1].splitlines()


def test_history_lists_unfinished_sessions_in_english(
    tmp_path: Path, unfinished: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "records.sqlite3"
    status, out, err = history_cli(["--db", str(missing), "--lang", "en"], capsys)
    assert (status, err) == (0, "")
    assert out.startswith(f"no drill sessions recorded in {missing}\n")
    header, rule, newer, older, damaged = unfinished_part(out, "Unfinished sessions")
    assert cells(header, rule) == ["started", "scenario", "trainees (roles)", "clock reached", "resume with"]
    assert cells(older, rule) == [
        "2024-06-01 09:00",
        "refund_surge",
        "张三(duty officer)",
        "36.5 h",
        f"drillsim play --resume {unfinished['older']}",
    ]
    assert cells(newer, rule)[:4] == ["2024-06-02 10:30", "refund_surge", "张三(duty officer), Li(PR,command centre)", "0.0 h"]
    assert damaged.startswith(f"damaged journal, cannot be resumed: {unfinished['damaged'] / JOURNAL}:2: not a journal line")
    assert str(unfinished["finished"]) not in out and "/f" not in out
    assert not missing.exists()
    # the command shown resumes that very folder, quoted as a shell needs it
    command = cells(newer, rule)[4]
    args = build_parser().parse_args(shlex.split(command)[1:])
    assert (args.command, args.resume) == ("play", unfinished["newer"])


def test_history_lists_unfinished_sessions_in_chinese_after_the_records(
    db: Path, unfinished: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = history_cli(["--db", str(db), "--lang", "zh"], capsys)
    assert status == 0
    assert out.index("演练记录") < out.index("学员成绩走势") < out.index("未完成的演练")
    header, rule, _, older, damaged = unfinished_part(out, "未完成的演练")
    assert cells(header, rule) == ["开始时间", "场景", "学员(角色)", "已演练到", "续演命令"]
    assert cells(older, rule)[3] == "36.5 小时"
    assert damaged.startswith("日志已损坏，无法续演：") and str(unfinished["damaged"]) in damaged


def test_unfinished_sessions_of_one_trainee(db: Path, unfinished: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = history_cli(["--db", str(db), "--lang", "en", "--trainee", "Li"], capsys)
    rows = unfinished_part(out, "Unfinished sessions")
    assert len(rows) == 4 and "Li(PR,command centre)" in rows[2]  # the newer session only, and the damaged journal
    _, out, _ = history_cli(["--db", str(db), "--lang", "en", "--trainee", "王五"], capsys)
    assert out.startswith(f"no drill sessions of trainee '王五' recorded in {db}\n")
    assert unfinished_part(out, "Unfinished sessions")[0].startswith("damaged journal")


def test_no_sessions_folder_no_unfinished_part(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = history_cli(["--db", str(db), "--lang", "en"], capsys)
    assert "Unfinished" not in out
