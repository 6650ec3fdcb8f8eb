"""The training records' schema: its migrations, the check that a file holds it, opening a file.

A file's ``user_version`` is how many of :data:`MIGRATIONS` it has had. What a version's tables
and columns must be is not written twice: it is read back from a scratch database in memory that
has had that many migrations. A writer checks and migrates inside one ``BEGIN IMMEDIATE``
transaction, reading the version only once it holds the lock, so a second writer waits and then
sees the first one's schema; a file of an older version is first copied to ``PATH.bak-v{old}``.
A reader opens the file read-only and never changes it: a file of an older version is migrated in
a copy in memory. A file that is not empty and not ours is refused, never migrated into.
"""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..model import UserError

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
    (
        "ALTER TABLE session ADD COLUMN auto_compliance_pct REAL",
        "ALTER TABLE session ADD COLUMN auto_decision_pct REAL",
        """CREATE TABLE trainee_rule (
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            rule TEXT NOT NULL,
            section TEXT NOT NULL,
            met INTEGER NOT NULL,
            late INTEGER NOT NULL,
            missed INTEGER NOT NULL,
            wrong INTEGER NOT NULL,
            PRIMARY KEY (session_id, name, rule))""",
        """CREATE TABLE improvement (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            what TEXT NOT NULL,
            owner TEXT NOT NULL,
            due TEXT NOT NULL)""",
    ),
    ("ALTER TABLE trainee_rule ADD COLUMN incomplete INTEGER NOT NULL DEFAULT 0",),
)
"""Schema changes; the database's ``user_version`` is how many have been applied."""

BUSY_TIMEOUT_S = 30.0
"""How long a connection waits for another one's lock before giving up."""

STORED_AS = {"INTEGER": ("integer",), "REAL": ("real", "integer"), "TEXT": ("text",)}
"""The ``typeof()`` values a column of each declared type may hold (besides NULL, if allowed)."""

_PROBLEMS = {
    sqlite3.SQLITE_NOTADB: "not a drillsim training-records database ({exc})",
    sqlite3.SQLITE_CORRUPT: "damaged training records ({exc})",
    sqlite3.SQLITE_BUSY: "the training records stayed locked by another program for {timeout:g} s; try again",
    sqlite3.SQLITE_CANTOPEN: "cannot open the training records ({exc})",
    sqlite3.SQLITE_PERM: "cannot open the training records ({exc})",
    sqlite3.SQLITE_READONLY: "cannot write the training records ({exc})",
    sqlite3.SQLITE_FULL: "cannot write the training records ({exc})",
    sqlite3.SQLITE_IOERR: "cannot read or write the training records ({exc})",
}
"""What SQLite's primary result codes mean to the user; any other error is a bug and stays one."""
_NOT_SQLITES_OWN = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
"""Leaves out SQLite's own objects (``sqlite_sequence``, ``sqlite_autoindex_...``)."""


@dataclass(frozen=True)
class Column:
    """A column as ``PRAGMA table_info`` describes it."""

    type: str
    """The declared type, upper case."""
    nullable: bool


Tables = dict[str, dict[str, Column]]
"""Each table's columns by name."""


@contextmanager
def sqlite_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors about the file itself (not a database, locked, unreadable) into user errors naming it."""
    try:
        yield
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        problem = _PROBLEMS.get(code & 0xFF) if code is not None else None
        if problem is None:
            raise
        raise UserError(f"{path}: {problem.format(exc=exc, timeout=BUSY_TIMEOUT_S)}") from None


def not_ours(path: Path, problem: str) -> UserError:
    """The error for a file that is not training records (or not as this drillsim knows them)."""
    return UserError(f"{path}: not a drillsim training-records database ({problem})")


def tables_of(db: sqlite3.Connection) -> Tables:
    """The tables of ``db`` (SQLite's own left out) with their columns."""
    names = [n for (n,) in db.execute(f"SELECT name FROM sqlite_master WHERE type = 'table' AND {_NOT_SQLITES_OWN}")]
    return {
        name: {
            col: Column(decl.upper(), not notnull and not pk)
            for col, decl, notnull, pk in db.execute('SELECT name, type, "notnull", pk FROM pragma_table_info(?)', (name,))
        }
        for name in names
    }


def apply(db: sqlite3.Connection, start: int, end: int) -> None:
    """Apply migrations ``start`` up to ``end`` (not included) to ``db`` and set its version to ``end``."""
    for number in range(start, end):
        for statement in MIGRATIONS[number]:
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {end:d}")


def expected(version: int) -> Tables:
    """The tables a file of schema ``version`` has."""
    scratch = sqlite3.connect(":memory:")
    try:
        apply(scratch, 0, version)
        return tables_of(scratch)
    finally:
        scratch.close()


def mismatch(found: Tables, want: Tables) -> str | None:
    """The first way ``found`` falls short of ``want``, in words; None if it has every table and column as wanted."""
    for table, columns in want.items():
        have = found.get(table)
        if have is None:
            return f"no table '{table}'"
        for name, col in columns.items():
            if name not in have:
                return f"table '{table}' lacks column '{name}'"
            if have[name].type != col.type:
                return f"column '{table}.{name}' is declared {have[name].type or 'without a type'}, expected {col.type}"
        unknown = sorted(set(have) - set(columns))
        if unknown:
            return f"table '{table}' has a column this drillsim does not know: '{unknown[0]}'"
    return None


def bad_value(db: sqlite3.Connection, want: Tables) -> str | None:
    """The first stored value of a type its column does not allow, in words naming table and row; None if none."""
    for table, columns in want.items():
        for name, col in columns.items():
            kinds = STORED_AS[col.type] + (("null",) if col.nullable else ())
            row = db.execute(
                f'SELECT rowid, typeof("{name}"), "{name}" FROM "{table}"'
                f' WHERE typeof("{name}") NOT IN ({", ".join("?" * len(kinds))}) ORDER BY rowid LIMIT 1',
                kinds,
            ).fetchone()
            if row is not None:
                rowid, kind, value = row
                allowed = f"{col.type} or NULL" if col.nullable else col.type
                return f"table '{table}' row {rowid}: column '{name}' holds {kind} {value!r}, expected {allowed}"
    return None


def _check(db: sqlite3.Connection, path: Path) -> int:
    """The file's schema version, after checking that it is ours at that version (or empty)."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version < 0:
        raise not_ours(path, f"schema version {version}")
    if version > len(MIGRATIONS):
        raise UserError(f"{path}: made by a newer drillsim (schema {version}); upgrade to read it")
    found = tables_of(db)
    problem: str | None
    if version == 0:
        objects = [n for (n,) in db.execute(f"SELECT name FROM sqlite_master WHERE {_NOT_SQLITES_OWN}")]
        if not objects:
            return version  # a new, empty file
        problem = mismatch(found, expected(len(MIGRATIONS))) or f"it holds {', '.join(objects)} but no schema version"
    else:
        problem = mismatch(found, expected(version))
    if problem is not None:
        raise not_ours(path, problem)
    return version


def backup_path(path: Path, version: int) -> Path:
    """Where a file of schema ``version`` is copied before it is migrated."""
    return path.with_name(f"{path.name}.bak-v{version}")


def _snapshot(source: Path, target: sqlite3.Connection) -> None:
    """Copy the file at ``source`` into ``target``: one consistent snapshot, taken under one read lock.

    The lock is taken first, waiting at most the busy timeout (a backup would wait for ever). A
    writer's ``BEGIN IMMEDIATE`` still lets this read, and its own connection could not be the source.
    """
    disk = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        disk.execute("BEGIN")
        disk.execute("SELECT count(*) FROM sqlite_master").fetchone()
        disk.backup(target)
    finally:
        disk.close()


def _backup(path: Path, to: Path) -> None:
    to.unlink(missing_ok=True)
    target = sqlite3.connect(to)
    try:
        with sqlite_errors(to):
            _snapshot(path, target)
    finally:
        target.close()


def _a_file_if_any(path: Path) -> None:
    """Refuse a folder, a named pipe or a device where the records file belongs (SQLite would wait on a pipe)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # not there (it is made), or unreachable: SQLite says which
    if stat.S_ISDIR(mode):
        raise UserError(f"{path}: is a folder; the training records are a file")
    if not stat.S_ISREG(mode):
        raise UserError(f"{path}: not a regular file (a pipe, device or socket); the training records are a file")


def open_for_writing(path: Path) -> sqlite3.Connection:
    """Open (creating if need be) the records file and bring its schema up to date, in one transaction."""
    _a_file_if_any(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{path}: cannot open the training records ({exc})") from None
    with sqlite_errors(path):
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        with sqlite_errors(path):
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("BEGIN IMMEDIATE")
            try:
                version = _check(db, path)
                if 0 < version < len(MIGRATIONS):
                    _backup(path, backup_path(path, version))
                if version < len(MIGRATIONS):
                    apply(db, version, len(MIGRATIONS))
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
    except BaseException:
        db.close()
        raise
    return db


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A checked copy in memory of the records file (migrated there if older); the file is only read.

    A file that does not exist (or is an empty database) reads as no records; it is not created.
    """
    _a_file_if_any(path)
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        with sqlite_errors(path):
            if path.exists():
                _snapshot(path, db)
            apply(db, _check(db, path), len(MIGRATIONS))
            problem = bad_value(db, expected(len(MIGRATIONS)))
    except BaseException:
        db.close()
        raise
    if problem is not None:
        db.close()
        raise UserError(f"{path}: damaged training records: {problem}")
    return db
