"""The seats of a hosted drill: one per trainee (a player), a facilitator and an evaluator, each with a token.

A seat's token is its key to the room: ``secrets.token_urlsafe(24)``, made when the session
starts and kept in ``SESSION/seats.json`` (mode 0600, this user only), so that on ``--resume``
every seat rejoins with the link it had.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..drill import AUTO_ACTOR, Trainee
from ..model import UserError
from .protocol import Kind

SEATS_FILE = "seats.json"
DEFAULT_FACILITATOR = "facilitator"
DEFAULT_EVALUATOR = "evaluator"


@dataclass(frozen=True)
class Seat:
    """One seat of the room."""

    name: str
    kind: Kind
    roles: tuple[str, ...]
    """The plan roles a player holds (none for the facilitator and the evaluator)."""
    token: str


class _Stored(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str
    kind: Kind
    roles: list[str]
    token: str


def make_seats(trainees: Sequence[Trainee], facilitator: str, evaluator: str) -> list[Seat]:
    """A player seat per trainee, then the facilitator's and the evaluator's, each with a new token; names distinct."""
    seats = [Seat(t.name, "player", t.roles, secrets.token_urlsafe(24)) for t in trainees]
    seats += [Seat(facilitator, "facilitator", (), secrets.token_urlsafe(24))]
    seats += [Seat(evaluator, "evaluator", (), secrets.token_urlsafe(24))]
    names: set[str] = set()
    for seat in seats:
        if not seat.name.strip() or seat.name == AUTO_ACTOR:
            raise UserError(f"seat name '{seat.name}' {'is empty' if not seat.name.strip() else 'is reserved'}")
        if seat.name in names:
            raise UserError(f"seat name '{seat.name}' is taken twice; give each seat its own name")
        names.add(seat.name)
    return seats


def save_seats(folder: Path, seats: Sequence[Seat]) -> None:
    """Write the seats and their tokens to ``folder/seats.json``, readable by this user only."""
    text = json.dumps([{"name": s.name, "kind": s.kind, "roles": list(s.roles), "token": s.token} for s in seats], indent=1)
    fd = os.open(folder / SEATS_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def load_seats(folder: Path, trainees: Sequence[Trainee]) -> list[Seat]:
    """The seats saved for the session in ``folder``; the players must be the session's trainees."""
    path = folder / SEATS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        stored = [_Stored.model_validate(rec) for rec in raw] if isinstance(raw, list) else None
    except FileNotFoundError:
        raise UserError(f"{path}: no seats file; this session was not started by 'drillsim host'") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        raise UserError(f"{path}: the seats file cannot be read ({exc.__class__.__name__})") from None
    if stored is None:
        raise UserError(f"{path}: the seats file is not a list of seats")
    seats = [Seat(s.name, s.kind, tuple(s.roles), s.token) for s in stored]
    players = [Trainee(s.name, s.roles) for s in seats if s.kind == "player"]
    if players != list(trainees) or [s.kind for s in seats[len(players) :]] != ["facilitator", "evaluator"]:
        raise UserError(f"{path}: the seats do not match the session's trainees")
    return seats
