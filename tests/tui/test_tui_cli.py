"""``drillsim play`` and ``drillsim serve``: arguments, user errors without tracebacks (a served drill: tests/test_serve.py)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tuihelpers import child_pythonpath

from simulator.cli.args import resolve
from simulator.drill import DrillSession
from simulator.model import UserError
from tui.cli import register
from tui.play import open_session, settings_for


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="drillsim")
    register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_play_starts_a_session_with_the_trainees(tmp_path: Path) -> None:
    args = parse(
        "play",
        "manual_error",
        "--trainee",
        "王伟:command,pr",
        "--trainee",
        "Li",
        "--folder",
        str(tmp_path / "s"),
        "--db",
        str(tmp_path / "db"),
        "--seed",
        "5",
    )
    session = open_session(args, "zh")
    assert session.scenario.id == "manual_error" and session.engine.seed == 5 and session.lang == "zh"
    assert [(t.name, t.roles) for t in session.trainees] == [("王伟", ("command", "pr")), ("Li", ("duty",))]
    settings = settings_for(args, session, "zh")
    assert settings.lang == "zh" and settings.auto_pause and settings.speed == 60


def test_play_defaults_to_one_duty_officer(tmp_path: Path) -> None:
    session = open_session(parse("play", "--folder", str(tmp_path / "s"), "--db", str(tmp_path / "db")), "en")
    assert session.scenario.id == "refund_surge"
    assert [(t.name, t.roles) for t in session.trainees] == [("trainee", ("duty",))]


def test_resume_refuses_a_new_scenario(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="--resume continues a session as it was started"):
        open_session(parse("play", "manual_error", "--resume", str(tmp_path)), "en")


def test_keymap_flag_is_checked(
    tmp_path: Path, write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    session = start_session(write_scenario(), ["Wang:command"])
    keymap = tmp_path / "keys.json"
    keymap.write_text('{"console.pause": "x", "action.notify_gm": "g"}', encoding="utf-8")
    settings = settings_for(parse("play", "--keymap", str(keymap), "--no-auto-pause", "--pause-due", "45"), session, "en")
    assert settings.keymap == {"console.pause": "x", "action.notify_gm": "g"}
    assert not settings.auto_pause and settings.pause_due_min == 45
    keymap.write_text('{"console.paws": "x"}', encoding="utf-8")
    with pytest.raises(UserError, match=r"did you mean 'console\.pause'"):
        settings_for(parse("play", "--keymap", str(keymap)), session, "en")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["play", "--trainee", "X:boss"], "trainee 'X:boss': unknown role 'boss'"),
        (["play", "no_such_scenario"], "no_such_scenario"),
        (["play", "--resume", "nowhere"], "nowhere: not a drill-session folder"),
        (["serve", "--trainee", "X:boss"], "unknown role 'boss'"),
        (["play", "--keymap", "nowhere.toml"], "nowhere.toml: no such keymap file"),
        (["serve", "--trainee", "A", "--trainee", "B"], "--trainee: serve has one seat, for one trainee"),
    ],
)
def test_user_errors_before_any_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str) -> None:
    """Mistakes are reported before a session folder is made or a server started."""
    monkeypatch.chdir(tmp_path)
    args = parse(*argv)
    with pytest.raises(UserError) as err:
        resolve(args.handler)(args)
    assert message in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_user_error_exits_2_without_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": child_pythonpath(tmp_path), "DRILLSIM_DB": str(tmp_path / "db")}
    done = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "play", "--trainee", "X:boss"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("drillsim: trainee 'X:boss': unknown role 'boss'") and "Traceback" not in done.stderr
