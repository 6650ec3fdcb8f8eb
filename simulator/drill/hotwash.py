"""The hot wash after a drill: the trainer's notes per guide question and the improvement items.

They are kept in the session folder as ``hotwash.json``, written by one writer (the session's
lock is taken for the write) and replaced whole: a new file is written, ``fsync``-ed, renamed over
the old one and the folder ``fsync``-ed, so a crash leaves the old notes or the new, never half of
either. The improvement items also go into the training records, beside the session.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from ..model import Strict, Text, UserError, first_problem
from .journal import sync_dir, wall_now
from .lock import SessionLock
from .records import Improvement, Records

HOTWASH = "hotwash.json"
"""The hot wash's file in a session folder."""
MAX_TEXT = 4000
"""The longest note or item text, in characters."""


class Note(Strict):
    """The trainer's note on one discussion question of the scenario's guide."""

    question: Text
    note: str = Field(max_length=MAX_TEXT)


class Item(Strict):
    """An improvement item: what, who owns it, by when, and the plan rule it answers (if any)."""

    what: str = Field(min_length=1, max_length=MAX_TEXT)
    owner: str = Field(min_length=1, max_length=200)
    due: str
    """An ISO date, ``YYYY-MM-DD``."""
    rule: str = Field(default="", max_length=40)

    @field_validator("due")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        date.fromisoformat(value)
        return value

    def record(self) -> Improvement:
        """The item as the training records keep it."""
        return Improvement(self.what, self.owner, self.due, self.rule)


class HotWash(Strict):
    """Everything the hot wash keeps."""

    notes: list[Note] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    saved: str = ""
    """When it was last saved (wall time, ISO)."""


def read_hotwash(folder: Path) -> HotWash | None:
    """The hot wash kept in a session folder; None when there is none."""
    path = folder / HOTWASH
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot be read ({exc})") from None
    try:
        return HotWash.model_validate_json(raw)
    except ValidationError as exc:
        raise UserError(f"{path}: not a hot-wash file ({first_problem(exc)})") from None


def save_hotwash(folder: Path, hotwash: HotWash, db: Path) -> HotWash:
    """Keep the hot wash in the session folder (one writer, on disk when this returns), then its items in the records."""
    saved = hotwash.model_copy(update={"saved": wall_now()})
    lock = SessionLock.take(folder)
    try:
        tmp = folder / f".{HOTWASH}.tmp"
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(saved.model_dump_json(indent=1) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, folder / HOTWASH)
        sync_dir(folder)
    finally:
        lock.release()
    with Records(db) as records:
        records.set_improvements(str(folder.resolve()), tuple(i.record() for i in saved.items))
    return saved
