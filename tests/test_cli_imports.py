"""Commands load what they use: building the parser, any ``--help`` and ``validate`` stay light.

Each check runs in a fresh interpreter, so that what the test process has imported already does
not hide an import.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli.args import resolve
from simulator.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("matplotlib", "textual", "numba")
"""What the command line may import only for the commands that draw, show or compile."""

PROBE = """
import contextlib, io, json, sys
from simulator.cli.main import build_parser, main
argv = json.loads(sys.argv[1])
with contextlib.redirect_stdout(io.StringIO()):
    if argv is None:
        build_parser()
    else:
        try:
            main(argv)
        except SystemExit:
            pass
print(json.dumps(sorted(set(sys.modules) & set(json.loads(sys.argv[2])))))
"""


def heavy_imports(argv: list[str] | None, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The ``heavy`` modules a fresh ``drillsim`` process has imported after ``argv`` (None: only building the parser)."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(heavy)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def commands() -> dict[str, argparse.ArgumentParser]:
    """Every command of the parser, nested ones (``msel export``) by their full name."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found[f"{prefix}{name}"] = sub
                    walk(f"{prefix}{name} ", sub)

    walk("", build_parser())
    return found


def test_building_the_parser_imports_nothing_heavy() -> None:
    assert heavy_imports(None) == []


def test_help_of_every_command_imports_nothing_heavy() -> None:
    names = list(commands())
    assert {"run", "validate", "play", "report", "sweep", "msel export"} <= set(names)
    for name in names:
        assert heavy_imports([*name.split(), "--help"]) == [], name


def test_validate_imports_nothing_heavy() -> None:
    files = [str(p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    assert heavy_imports(["validate", *files]) == []


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    """The probe is not blind: running ``report``'s handler (here on a missing folder) does import matplotlib."""
    assert "matplotlib" in heavy_imports(["report", str(tmp_path / "nowhere")])


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_names_a_handler_that_exists(name: str) -> None:
    parser = commands()[name]
    has_sub = any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)
    handler = parser.get_default("handler")
    if has_sub:
        assert handler is None
        return
    assert callable(resolve(handler)), name
    epilog_of = getattr(parser, "epilog_of", None)
    if epilog_of is not None:
        assert resolve(epilog_of)("en").strip() and resolve(epilog_of)("zh").strip()


def test_a_staff_search_does_not_load_the_roster_solver(tmp_path: Path) -> None:
    """SciPy's optimiser (half a second to import) is for ``roster``'s integer programme, not for ``staff``."""
    search = ["staff", "manual_error", "--reps", "2", "--workers", "1", "--out", str(tmp_path / "staff")]
    assert heavy_imports(search, ("scipy.optimize", "numba")) == ["numba"]  # it ran replications
    assert heavy_imports(["roster", "manual_error", "--no-check", "--json"], ("scipy.optimize",)) == ["scipy.optimize"]
