"""``drillsim play`` in a real terminal: tmux at 100×30, Chinese text aligned, a clean quit.

Needs tmux (``apt-get install tmux``); skipped only when it is absent. Runs on a private tmux
server socket, so it never touches the user's sessions.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from tuihelpers import child_pythonpath

from simulator.drill import read_journal
from simulator.load import load_plan
from simulator.model import Names

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """``tmux(*args)``: run a tmux command on a private server; the server is killed afterwards."""
    socket = f"drillsim-test-{os.getpid()}"

    def run(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, *args], check=True, capture_output=True, text=True, timeout=20).stdout

    yield run
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=20)


def wait_for(capture: Callable[[], str], text: str, timeout: float = 40.0) -> str:
    """Poll the pane until it shows ``text``; return the pane."""
    deadline = time.monotonic() + timeout
    while True:
        pane = capture()
        if text in pane:
            return pane
        if time.monotonic() > deadline:
            raise AssertionError(f"the pane never showed {text!r}; it shows:\n{pane}")
        time.sleep(0.3)


def test_play_in_tmux(tmux: Callable[..., str], tmp_path: Path) -> None:
    """Briefing, console with the team table's numbers aligned under Chinese names, then q y quits with status 0."""
    folder, db = tmp_path / "session", tmp_path / "records.sqlite3"
    play = [sys.executable, "-m", "simulator.cli", "play", "--lang", "zh", "--trainee", "王伟:command", "--folder", str(folder)]
    play += ["--db", str(db)]
    env = f"LANG=C.UTF-8 PYTHONPATH={shlex.quote(child_pythonpath(tmp_path))}"
    shell = f"cd {shlex.quote(str(tmp_path))} && env {env} {shlex.join(play)}; echo EXIT=$?; sleep 60"
    tmux("-u", "new-session", "-d", "-s", "drill", "-x", "100", "-y", "30", shell)

    def capture() -> str:
        return tmux("capture-pane", "-p", "-t", "drill")

    assert "演练简报" in wait_for(capture, "考核目标")
    tmux("send-keys", "-t", "drill", "Enter")
    pane = wait_for(capture, "各组人员与积压")
    lines = pane.splitlines()
    assert len(lines) == 30 and all(cell_len(line) <= 100 for line in lines)

    plan = load_plan()
    edges = set()
    for name in plan.teams:
        label = Names(plan, "zh").team(name)
        row = next(line for line in lines if label[:4] in line)
        match = re.search(r"(\d+)\s+(\d+)", row)
        assert match is not None, row
        edges.add((cell_len(row[: match.end(1)]), cell_len(row[: match.end(2)])))
    assert len(edges) == 1, f"team table columns not aligned: {edges}\n{pane}"

    tmux("send-keys", "-t", "drill", "q")
    wait_for(capture, "演练日志已保存")
    tmux("send-keys", "-t", "drill", "y")
    pane = wait_for(capture, "EXIT=")
    assert "EXIT=0" in pane
    assert f"drillsim play --resume {folder}" in " ".join(pane.split())
    assert not read_journal(folder).ended
