"""A ``drillsim`` command in a child process (this checkout's code), its output read line by line; stopped on exit."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WAIT_S = 60.0


class Spawned:
    """A running command and the lines it has printed (stdout and stderr)."""

    def __init__(self, argv: list[str]) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator.cli", *argv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))

    def line(self) -> str:
        """The next line it prints (fails after a minute)."""
        return self._lines.get(timeout=WAIT_S)

    def until(self, pattern: str) -> re.Match[str]:
        """Read lines until one matches ``pattern``; the match."""
        while not (found := re.search(pattern, self.line())):
            pass
        return found


def free_port() -> int:
    """A port nothing listens on now, for a command that takes a fixed ``--port``."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def spawned(argv: list[str]) -> Iterator[Spawned]:
    """Run ``drillsim ARGV`` for the block; terminate it after."""
    child = Spawned(argv)
    try:
        yield child
    finally:
        child.proc.terminate()
        child.proc.wait(timeout=30)
