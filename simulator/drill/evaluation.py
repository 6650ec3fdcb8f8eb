"""The evaluator's record of a drill: timestamped observations and a rating per capability.

An evaluator notes what they see as it happens and rates each capability the drill tests (a
chapter of the plan, :class:`~simulator.drill.catalog.Capability`) with HSEEP's letters: P
performed without challenges, S with some challenges, M with major challenges, U unable to be
performed, each with a note. Every entry is a JSON line of ``SESSION/evaluation.jsonl``, on disk
(fsync) before the evaluator is told it is kept, so a killed host loses none of it; a later rating
of the same capability by the same evaluator replaces the earlier one. The after-action report
puts them beside the ratings it derives from the duties.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, ValidationError

from ..model import Strict, UserError, first_problem

EVALUATION = "evaluation.jsonl"
"""The evaluator's file in a session folder."""
MAX_NOTE = 2000
"""The longest observation or rating note, in characters."""

Letter = Literal["P", "S", "M", "U"]
"""HSEEP's ratings, best first."""


class Observation(Strict):
    """An evaluator's note at a moment of the drill."""

    kind: Literal["observation"] = "observation"
    seat: str
    t: float
    """Simulated minutes when it was noted."""
    text: str = Field(min_length=1, max_length=MAX_NOTE)


class Rating(Strict):
    """An evaluator's rating of one capability."""

    kind: Literal["rating"] = "rating"
    seat: str
    t: float
    chapter: int
    """The plan chapter rated."""
    letter: Letter
    note: str = Field(default="", max_length=MAX_NOTE)


Entry = Annotated[Observation | Rating, Field(discriminator="kind")]
_ENTRY: TypeAdapter[Entry] = TypeAdapter(Entry)


@dataclass(frozen=True)
class Evaluation:
    """A session's evaluation: every observation in order, and each evaluator's last rating per chapter."""

    observations: list[Observation]
    ratings: list[Rating]
    """In chapter order, then evaluator order of first rating."""


def record(folder: Path, entry: Observation | Rating) -> None:
    """Append an entry to the session's evaluation file and have it on disk before returning."""
    fd = os.open(folder / EVALUATION, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(entry.model_dump_json() + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_evaluation(folder: Path) -> Evaluation:
    """The evaluation kept in a session folder (empty when there is none); a bad line is a ``UserError`` naming it.

    A last line cut short by a crash mid-write is left out: it was never acknowledged.
    """
    path = folder / EVALUATION
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        return Evaluation([], [])
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: the evaluation cannot be read ({exc.__class__.__name__})") from None
    observations: list[Observation] = []
    latest: dict[tuple[int, str], Rating] = {}
    last = len(lines) - 1
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = _ENTRY.validate_json(line)
        except ValidationError as exc:
            if number == last + 1:  # no newline after it: a write cut short
                break
            raise UserError(f"{path}:{number}: not an evaluation line ({first_problem(exc)})") from None
        if isinstance(entry, Observation):
            observations.append(entry)
        else:
            latest[(entry.chapter, entry.seat)] = entry
    ratings = sorted(latest.values(), key=lambda r: r.chapter)
    return Evaluation(observations, ratings)
