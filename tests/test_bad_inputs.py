"""Bad scenario and plan files, each with the exact message ``drillsim validate`` must print.

``bad_inputs/NAME.expected`` holds the whole stderr for ``drillsim validate NAME.yaml`` run from
inside ``bad_inputs/`` (so paths in messages are relative); ``NAME.yaml`` may be absent on purpose
(the missing-file case). Every case must exit with status 2, print nothing on stdout and no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli.main import main

FOLDER = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.stem for p in FOLDER.glob("*.expected"))


def validate(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """Run ``drillsim validate NAME.yaml`` in the bad-inputs folder; return (status, stdout, stderr)."""
    monkeypatch.chdir(FOLDER)
    status = main(["validate", f"{name}.yaml"])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_folder_covers_every_kind_of_mistake() -> None:
    assert len(CASES) >= 32
    assert not (FOLDER / "missing_file.yaml").exists()


@pytest.mark.parametrize("name", CASES)
def test_fails_cleanly(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit status 2, nothing on stdout, a message naming the file, no traceback ."""
    status, out, err = validate(name, capsys, monkeypatch)
    assert status == 2
    assert out == ""
    assert err.startswith((f"{name}.yaml", f"drillsim: {name}.yaml")), err
    assert "Traceback" not in err and err.endswith("\n")


@pytest.mark.parametrize("name", CASES)
def test_exact_message(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, err = validate(name, capsys, monkeypatch)
    assert err == (FOLDER / f"{name}.expected").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["wrong_type", "not_utf8", "missing_file"])
def test_as_a_subprocess(name: str) -> None:
    """``python -m simulator.cli validate``: status 2, the same message, no traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "validate", f"{name}.yaml"],
        cwd=FOLDER,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr == (FOLDER / f"{name}.expected").read_text(encoding="utf-8")
