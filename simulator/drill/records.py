"""Training records: every finished drill session in one SQLite file, for history and trends.

The file lives in the platform's user data folder (``platformdirs.user_data_dir("drillsim")``)
unless the ``DRILLSIM_DB`` environment variable or a command-line flag names another. Its schema
(:mod:`.schema`) is checked when the file is opened, and migrated forward when it is opened for
writing; opened for reading, the file is never changed (nor created). Each session is written in
one transaction; several drills may finish at once.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs

from ..model import UserError
from .parts import RuleTally
from .schema import open_for_reading, open_for_writing, sqlite_errors

APP = "drillsim"
ENV_DB = "DRILLSIM_DB"
"""Environment variable naming the records file."""


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
    rules: tuple[RuleTally, ...] = ()
    """Per rule they answered for: duties met, late, missed, incomplete and wrong decisions."""


@dataclass(frozen=True)
class Improvement:
    """An improvement item from a session's hot wash: what is to be done, by whom, by when."""

    what: str
    owner: str
    due: str
    """An ISO date (``YYYY-MM-DD``)."""
    rule: str = ""
    """The plan rule it answers, if any."""


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
    """The whole run's (trainees and auto-responder together)."""
    decision_pct: float | None
    trainees: tuple[TraineeResult, ...]
    rules: tuple[RuleResult, ...] = ()
    auto_compliance_pct: float | None = None
    """The auto-responder's part: duties of the roles no trainee held."""
    auto_decision_pct: float | None = None
    """The auto-responder's part: its judged decisions."""
    improvements: tuple[Improvement, ...] = ()


@dataclass(frozen=True)
class TrendPoint:
    """A trainee's score in one session."""

    started: str
    scenario: str
    roles: tuple[str, ...]
    compliance_pct: float | None
    decision_pct: float | None


@dataclass(frozen=True)
class RulePoint:
    """What became of one rule a trainee answered for, in one session."""

    started: str
    scenario: str
    tally: RuleTally


class Records:
    """An open records database: for writing (created and migrated as needed), or read-only."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        """Whether this is a checked copy in memory, for reading: nothing written to it would reach the file."""
        self._db = open_for_reading(path) if read_only else open_for_writing(path)

    def __enter__(self) -> Records:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise ValueError(f"{self.path}: the training records were opened read-only")
        with sqlite_errors(self.path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, query: str, args: tuple[Any, ...] = ()) -> list[Any]:
        with sqlite_errors(self.path):
            return self._db.execute(query, args).fetchall()

    @property
    def version(self) -> int:
        """The schema version of the file."""
        return int(self._rows("PRAGMA user_version")[0][0])

    def add_session(self, rec: SessionRecord) -> int:
        """Record a session (replacing an earlier record of the same folder); return its row id."""
        with self._transaction() as db:
            db.execute("DELETE FROM session WHERE folder = ?", (rec.folder,))
            cur = db.execute(
                "INSERT INTO session (folder, scenario, plan_id, plan_version, seed, lang, started, ended,"
                " compliance_pct, decision_pct, auto_compliance_pct, auto_decision_pct)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    rec.auto_compliance_pct,
                    rec.auto_decision_pct,
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
            db.executemany(
                "INSERT INTO trainee_rule (session_id, name, rule, section, met, late, missed, wrong, incomplete)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (sid, t.name, r.rule, r.section, r.met, r.late, r.missed, r.wrong, r.incomplete)
                    for t in rec.trainees
                    for r in t.rules
                ],
            )
            self._insert_improvements(db, sid, rec.improvements)
        assert sid is not None
        return sid

    @staticmethod
    def _insert_improvements(db: sqlite3.Connection, sid: int | None, items: tuple[Improvement, ...]) -> None:
        db.executemany(
            "INSERT INTO improvement (session_id, rule, what, owner, due) VALUES (?, ?, ?, ?, ?)",
            [(sid, i.rule, i.what, i.owner, i.due) for i in items],
        )

    def set_improvements(self, folder: str, items: tuple[Improvement, ...]) -> None:
        """Replace the improvement items of the recorded session of ``folder``."""
        with self._transaction() as db:
            row = db.execute("SELECT id FROM session WHERE folder = ?", (folder,)).fetchone()
            if row is None:
                raise UserError(f"{self.path}: no finished session of {folder} is recorded; finish the drill first")
            db.execute("DELETE FROM improvement WHERE session_id = ?", (row[0],))
            self._insert_improvements(db, row[0], items)

    def sessions(self, trainee: str | None = None) -> list[SessionRecord]:
        """Every recorded session, oldest first; with ``trainee``, only those they took part in."""
        query = (
            "SELECT id, folder, scenario, plan_id, plan_version, seed, lang, started, ended, compliance_pct, decision_pct,"
            " auto_compliance_pct, auto_decision_pct FROM session"
        )
        args: tuple[str, ...] = ()
        if trainee is not None:
            query += " WHERE id IN (SELECT session_id FROM trainee WHERE name = ?)"
            args = (trainee,)
        return [
            SessionRecord(
                folder,
                scenario,
                plan_id,
                version,
                seed,
                lang,
                started,
                ended,
                c,
                d,
                self._trainees(sid),
                self._rules(sid),
                auto_c,
                auto_d,
                self._improvements(sid),
            )
            for sid, folder, scenario, plan_id, version, seed, lang, started, ended, c, d, auto_c, auto_d in self._rows(
                query + " ORDER BY started, id", args
            )
        ]

    def _trainees(self, sid: int) -> tuple[TraineeResult, ...]:
        rows = self._rows(
            "SELECT name, roles, compliance_pct, decision_pct FROM trainee WHERE session_id = ? ORDER BY rowid", (sid,)
        )
        return tuple(TraineeResult(name, tuple(roles.split(",")), c, d, self._tallies(sid, name)) for name, roles, c, d in rows)

    def _tallies(self, sid: int, name: str) -> tuple[RuleTally, ...]:
        rows = self._rows(
            "SELECT rule, section, met, late, missed, wrong, incomplete FROM trainee_rule"
            " WHERE session_id = ? AND name = ? ORDER BY rule",
            (sid, name),
        )
        return tuple(RuleTally(*row) for row in rows)

    def _improvements(self, sid: int) -> tuple[Improvement, ...]:
        rows = self._rows("SELECT what, owner, due, rule FROM improvement WHERE session_id = ? ORDER BY id", (sid,))
        return tuple(Improvement(*row) for row in rows)

    def _rules(self, sid: int) -> tuple[RuleResult, ...]:
        rows = self._rows(
            "SELECT rule, section, met, late, missed, cancelled, pending FROM rule_result WHERE session_id = ? ORDER BY rowid",
            (sid,),
        )
        return tuple(RuleResult(*row) for row in rows)

    def trend(self, trainee: str) -> list[TrendPoint]:
        """A trainee's scores, session by session, oldest first."""
        rows = self._rows(
            "SELECT s.started, s.scenario, t.roles, t.compliance_pct, t.decision_pct FROM trainee t"
            " JOIN session s ON s.id = t.session_id WHERE t.name = ? ORDER BY s.started, s.id",
            (trainee,),
        )
        return [TrendPoint(started, scenario, tuple(roles.split(",")), c, d) for started, scenario, roles, c, d in rows]

    def rule_trend(self, trainee: str) -> list[RulePoint]:
        """Every rule a trainee answered for, session by session (oldest first), rule by rule."""
        rows = self._rows(
            "SELECT s.started, s.scenario, r.rule, r.section, r.met, r.late, r.missed, r.wrong, r.incomplete"
            " FROM trainee_rule r"
            " JOIN session s ON s.id = r.session_id WHERE r.name = ? ORDER BY s.started, s.id, r.rule",
            (trainee,),
        )
        return [RulePoint(started, scenario, RuleTally(*rest)) for started, scenario, *rest in rows]

    def trainees(self) -> list[str]:
        """Every trainee's name, in order of first appearance."""
        rows = self._rows(
            "SELECT t.name FROM trainee t JOIN session s ON s.id = t.session_id GROUP BY t.name ORDER BY MIN(s.started), t.name"
        )
        return [name for (name,) in rows]
