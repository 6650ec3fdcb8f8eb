"""Training records: every finished drill session in one SQLite file, for history and trends.

The file lives in the platform's user data folder (``platformdirs.user_data_dir("drillsim")``)
unless the ``DRILLSIM_DB`` environment variable or a command-line flag names another. The schema
is versioned by SQLite's ``user_version`` pragma and migrated forward when the file is opened;
each session is written in one transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import platformdirs

from ..model import UserError

APP = "drillsim"
ENV_DB = "DRILLSIM_DB"
"""Environment variable naming the records file."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE session (
            id INTEGER PRIMARY KEY,
            folder TEXT NOT NULL UNIQUE,
            scenario TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            plan_version TEXT NOT NULL,
            seed INTEGER NOT NULL,
            lang TEXT NOT NULL,
            started TEXT NOT NULL,
            ended TEXT NOT NULL,
            compliance_pct REAL,
            decision_pct REAL)""",
        """CREATE TABLE trainee (
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            roles TEXT NOT NULL,
            compliance_pct REAL,
            decision_pct REAL,
            PRIMARY KEY (session_id, name))""",
        "CREATE INDEX trainee_by_name ON trainee(name)",
        """CREATE TABLE rule_result (
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            section TEXT NOT NULL,
            met INTEGER NOT NULL,
            late INTEGER NOT NULL,
            missed INTEGER NOT NULL,
            cancelled INTEGER NOT NULL,
            pending INTEGER NOT NULL,
            PRIMARY KEY (session_id, rule))""",
    ),
)
"""Schema changes; the database's ``user_version`` is how many have been applied."""


def data_dir() -> Path:
    """The platform's user data folder for drillsim."""
    return Path(platformdirs.user_data_dir(APP))


def default_db_path() -> Path:
    """The records file: ``$DRILLSIM_DB`` if set, else ``records.sqlite3`` in the user data folder."""
    env = os.environ.get(ENV_DB)
    return Path(env) if env else data_dir() / "records.sqlite3"


@dataclass(frozen=True)
class TraineeResult:
    """One trainee's part in a session, scored over the roles they held."""

    name: str
    roles: tuple[str, ...]
    compliance_pct: float | None
    decision_pct: float | None


@dataclass(frozen=True)
class RuleResult:
    """One rule's duty counts in a session."""

    rule: str
    section: str
    met: int
    late: int
    missed: int
    cancelled: int
    pending: int
    """Still open (not yet due) at the end."""


@dataclass(frozen=True)
class SessionRecord:
    """A finished drill session as the records keep it."""

    folder: str
    scenario: str
    """The scenario's ID."""
    plan_id: str
    plan_version: str
    seed: int
    lang: str
    started: str
    ended: str
    compliance_pct: float | None
    decision_pct: float | None
    trainees: tuple[TraineeResult, ...]
    rules: tuple[RuleResult, ...] = ()


@dataclass(frozen=True)
class TrendPoint:
    """A trainee's score in one session."""

    started: str
    scenario: str
    roles: tuple[str, ...]
    compliance_pct: float | None
    decision_pct: float | None


class Records:
    """An open records database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise UserError(f"{path}: cannot open the training records ({exc})") from None
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except BaseException as exc:
            self._db.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise UserError(f"{path}: not a drillsim training-records database ({exc})") from None
            raise

    def __enter__(self) -> Records:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @property
    def version(self) -> int:
        """The schema version of the file."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        if self.version > len(MIGRATIONS):
            raise UserError(f"{self.path}: made by a newer drillsim (schema {self.version}); upgrade to read it")
        for number in range(self.version, len(MIGRATIONS)):
            with self._transaction() as db:
                for statement in MIGRATIONS[number]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1:d}")

    def add_session(self, rec: SessionRecord) -> int:
        """Record a session (replacing an earlier record of the same folder); return its row id."""
        with self._transaction() as db:
            db.execute("DELETE FROM session WHERE folder = ?", (rec.folder,))
            cur = db.execute(
                "INSERT INTO session (folder, scenario, plan_id, plan_version, seed, lang, started, ended,"
                " compliance_pct, decision_pct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    rec.folder,
                    rec.scenario,
                    rec.plan_id,
                    rec.plan_version,
                    rec.seed,
                    rec.lang,
                    rec.started,
                    rec.ended,
                    rec.compliance_pct,
                    rec.decision_pct,
                ),
            )
            sid = cur.lastrowid
            db.executemany(
                "INSERT INTO trainee (session_id, name, roles, compliance_pct, decision_pct) VALUES (?, ?, ?, ?, ?)",
                [(sid, t.name, ",".join(t.roles), t.compliance_pct, t.decision_pct) for t in rec.trainees],
            )
            db.executemany(
                "INSERT INTO rule_result (session_id, rule, section, met, late, missed, cancelled, pending)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(sid, r.rule, r.section, r.met, r.late, r.missed, r.cancelled, r.pending) for r in rec.rules],
            )
        assert sid is not None
        return sid

    def sessions(self, trainee: str | None = None) -> list[SessionRecord]:
        """Every recorded session, oldest first; with ``trainee``, only those they took part in."""
        query = (
            "SELECT id, folder, scenario, plan_id, plan_version, seed, lang, started, ended, compliance_pct, decision_pct"
            " FROM session"
        )
        args: tuple[str, ...] = ()
        if trainee is not None:
            query += " WHERE id IN (SELECT session_id FROM trainee WHERE name = ?)"
            args = (trainee,)
        return [
            SessionRecord(
                folder, scenario, plan_id, version, seed, lang, started, ended, c, d, self._trainees(sid), self._rules(sid)
            )
            for sid, folder, scenario, plan_id, version, seed, lang, started, ended, c, d in self._db.execute(
                query + " ORDER BY started, id", args
            ).fetchall()
        ]

    def _trainees(self, sid: int) -> tuple[TraineeResult, ...]:
        rows = self._db.execute(
            "SELECT name, roles, compliance_pct, decision_pct FROM trainee WHERE session_id = ? ORDER BY rowid", (sid,)
        )
        return tuple(TraineeResult(name, tuple(roles.split(",")), c, d) for name, roles, c, d in rows)

    def _rules(self, sid: int) -> tuple[RuleResult, ...]:
        rows = self._db.execute(
            "SELECT rule, section, met, late, missed, cancelled, pending FROM rule_result WHERE session_id = ? ORDER BY rowid",
            (sid,),
        )
        return tuple(RuleResult(*row) for row in rows)

    def trend(self, trainee: str) -> list[TrendPoint]:
        """A trainee's scores, session by session, oldest first."""
        rows = self._db.execute(
            "SELECT s.started, s.scenario, t.roles, t.compliance_pct, t.decision_pct FROM trainee t"
            " JOIN session s ON s.id = t.session_id WHERE t.name = ? ORDER BY s.started, s.id",
            (trainee,),
        )
        return [TrendPoint(started, scenario, tuple(roles.split(",")), c, d) for started, scenario, roles, c, d in rows]

    def trainees(self) -> list[str]:
        """Every trainee's name, in order of first appearance."""
        rows = self._db.execute(
            "SELECT t.name FROM trainee t JOIN session s ON s.id = t.session_id GROUP BY t.name ORDER BY MIN(s.started), t.name"
        )
        return [name for (name,) in rows]
