"""Exception hierarchy shared by every part of the simulator."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pydantic


class DrillsimError(Exception):
    """Base class of every error the simulator raises on purpose."""


class UserError(DrillsimError):
    """A problem with something the user gave.

    It is shown as a short message on stderr, without a traceback, and the
    program exits with status 2.
    """

    def __init__(self, message: str) -> None:
        """Store the message shown to the user."""
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column are 1-based."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        """Render as ``file:line:col``, or fewer parts when unknown."""
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def sort_key(self) -> tuple[str, int, int]:
        """Key ordering locations by file, line and column (unknown first)."""
        return (self.file, self.line or 0, self.column or 0)


@dataclass(frozen=True)
class Problem:
    """One located complaint about the user's input.

    ``field`` is a dotted path such as ``teams[2].staff``, or ``""``.
    """

    location: Location
    message: str
    field: str = ""

    def __str__(self) -> str:
        """Render as ``location: field: message``."""
        if self.field:
            return f"{self.location}: {self.field}: {self.message}"
        return f"{self.location}: {self.message}"


def format_path(loc: Sequence[str | int]) -> str:
    """Render a location path such as ``("teams", 2, "staff")`` as ``teams[2].staff``."""
    out = ""
    for elem in loc:
        out += f"[{elem}]" if isinstance(elem, int) else f".{elem}" if out else elem
    return out


def first_problem(exc: pydantic.ValidationError) -> str:
    """The first thing wrong in a JSON message or line, after the field it is in (``contents[0]: ...``)."""
    error = exc.errors(include_url=False)[0]
    where = format_path(error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


class ValidationFailed(UserError):
    """One or more problems found in the user's input, reported together."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Keep the problems sorted by file, line and column."""
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=lambda p: p.location.sort_key()))
        super().__init__("\n".join(str(p) for p in self.problems))


@contextmanager
def open_input(path: Path) -> Iterator[BinaryIO]:
    """A file the user named, open for reading in binary.

    A missing or unreadable file is a ``UserError``, and so is anything but a regular file: it is
    opened without blocking, so that a named pipe with no writer (or a device such as
    ``/dev/zero``) is refused instead of waited on or read without end.
    """
    try:
        file = os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from None
    with file:
        mode = os.fstat(file.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise UserError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise UserError(f"{path}: not a regular file (a pipe, device or socket cannot be read as input)")
        yield file


def read_input(path: Path, limit: int) -> bytes:
    """The bytes of a file the user named (see :func:`open_input`), at most ``limit`` of them.

    A larger file is a ``UserError`` too; the size is checked before reading.
    """
    with open_input(path) as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            raise UserError(
                f"{path}: the file is {size / 2**20:.1f} MiB; the most this kind of file may be is {limit / 2**20:g} MiB"
            )
        try:
            return file.read(limit + 1)
        except OSError as exc:
            raise UserError(f"{path}: cannot read: {exc.strerror}") from None
