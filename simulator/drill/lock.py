"""One writer per session: an exclusive lock on the session folder that names its holder.

The lock is an ``flock`` on ``lock`` in the session folder, taken without waiting. The kernel
drops it when its process ends, however it ends, so a killed drill never leaves a stale lock;
while it is held, the file says who holds it (process, machine, command, since when), for the
message that refuses a second writer.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from pathlib import Path

from ..model import UserError
from .journal import wall_now

LOCK = "lock"
"""The lock file's name inside a session folder."""


class SessionLock:
    """The held lock of one session folder."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def take(cls, folder: Path) -> SessionLock:
        """Take the folder's lock, or raise a ``UserError`` naming the process that holds it."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOCK
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise UserError(f"{folder}: this session is open in another drillsim ({holder}); only one may run it") from None
        os.ftruncate(fd, 0)
        who = {"pid": os.getpid(), "host": socket.gethostname(), "command": " ".join(sys.argv), "since": wall_now()}
        os.write(fd, json.dumps(who, ensure_ascii=False).encode("utf-8"))
        return cls(path, fd)

    def release(self) -> None:
        """Give the lock up (a finished or suspended session)."""
        os.ftruncate(self._fd, 0)
        os.close(self._fd)


def _holder(fd: int) -> str:
    """Who holds the lock, as its file says."""
    raw = os.pread(fd, 4096, 0)
    try:
        who = json.loads(raw.decode("utf-8"))
        return f"process {who['pid']} on {who['host']} since {who['since']}: {who['command']}"
    except (ValueError, KeyError, TypeError):
        return "a process that has not yet said who it is"
