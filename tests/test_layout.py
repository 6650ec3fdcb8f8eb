"""The import rule: data flows one way through simulator's subpackages, and tui/ and reports/ use public names.

Each module's imports are read from its source (not by importing it), so the rule holds for imports
inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SIM = ROOT / "simulator"

ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "lang": set(),
    "record": {"model"},
    "load": {"model"},
    "rules": {"model"},
    "engine": {"model", "record", "rules"},
    "kernel": {"model", "record", "rules"},
    "score": {"model", "record"},
    "batch": {"model", "load", "record", "engine", "score"},
    "drill": {"model", "load", "record", "rules", "engine", "score", "batch"},
    "sweep": {"model", "record", "rules", "kernel", "score", "batch"},
    "lint": {"model", "load", "rules"},
    "msel": {"model", "load"},
    "host": {"model", "load", "record", "score", "batch", "drill", "lang"},
    "bundle": {"model", "load", "batch", "drill"},
    "cli": {"model", "lang", "load", "record", "score", "batch", "drill", "sweep", "lint", "msel", "bundle"},
}
"""Which subpackage may import which: model → load/record → rules → engine/kernel → score → batch → drill/sweep → cli."""

OUTSIDE = ("tui", "reports")
FORBIDDEN_IN_SIMULATOR = ("tui", "reports", "textual", "matplotlib")


def simulator_targets(path: Path, tree: ast.AST) -> list[tuple[int, str, str | None]]:
    """(line, subpackage, submodule or None) for every import of simulator code in one module."""
    package = path.parent.name if path.parent.parent == SIM else None
    out: list[tuple[int, str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 2 and node.module and package:
                parts = node.module.split(".")
            elif node.level == 1 and package:
                continue
            elif node.level == 0 and node.module and node.module.split(".")[0] == "simulator":
                parts = node.module.split(".")[1:]
                if not parts:
                    out += [(node.lineno, a.name, None) for a in node.names]
                    continue
            else:
                continue
            out.append((node.lineno, parts[0], parts[1] if len(parts) > 1 else None))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "simulator" and len(parts) > 1:
                    out.append((node.lineno, parts[1], parts[2] if len(parts) > 2 else None))
    return out


def violations(path: Path) -> list[str]:
    """Every broken import rule in the module at ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT)
    inside = path.is_relative_to(SIM)
    package = path.parent.name if inside and path.parent != SIM else None
    found = []
    for line, target, sub in simulator_targets(path, tree):
        where = f"{rel}:{line}"
        if inside and package is not None and target != package and target not in ALLOWED[package]:
            found.append(f"{where}: {package}/ may not import {target}/")
        if sub is not None and (not inside or target != package):
            found.append(f"{where}: imports simulator.{target}.{sub}; use the public names of simulator.{target}")
    if inside:
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in FORBIDDEN_IN_SIMULATOR:
                    found.append(f"{rel}:{node.lineno}: simulator/ may not import {name}")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                arg = node.args[0] if node.args else None
                if isinstance(arg, ast.Constant) and str(arg.value).split(".")[0] in FORBIDDEN_IN_SIMULATOR:
                    found.append(f"{rel}:{node.lineno}: simulator/ imports {arg.value} by importlib")
    return found


UI_MAY_NOT_IMPORT = ("engine", "kernel")
"""The drill UI reads the drill's view (simulator.drill.DrillView), never the engine behind it."""


def ui_violations(path: Path) -> list[str]:
    """Where a tui/ module imports the engine or reaches for a session's ``.engine``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT)
    found = [
        f"{rel}:{line}: tui/ may not import simulator.{target}; read the drill's view"
        for line, target, _ in simulator_targets(path, tree)
        if target in UI_MAY_NOT_IMPORT
    ]
    found += [
        f"{rel}:{node.lineno}: tui/ may not reach into .engine; read the drill's view"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "engine"
    ]
    return found


def modules(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py"))


def test_every_subpackage_is_in_the_table() -> None:
    packages = {p.name for p in SIM.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(ALLOWED)


@pytest.mark.parametrize("path", modules("simulator", *OUTSIDE), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_table(path: Path) -> None:
    assert violations(path) == []


def test_the_rule_catches_a_forbidden_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check itself can fail: an engine module reaching up into score, a tui module into a submodule."""
    fake = tmp_path / "simulator"
    (fake / "engine").mkdir(parents=True)
    (fake / "engine" / "bad.py").write_text("from ..score import score\nfrom ..kernel import run_kernel\nimport matplotlib\n")
    (tmp_path / "tui").mkdir()
    (tmp_path / "tui" / "bad.py").write_text("from simulator.engine.core import Engine\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__), "SIM", fake)
    assert violations(fake / "engine" / "bad.py") == [
        "simulator/engine/bad.py:1: engine/ may not import score/",
        "simulator/engine/bad.py:2: engine/ may not import kernel/",
        "simulator/engine/bad.py:3: simulator/ may not import matplotlib",
    ]
    assert violations(tmp_path / "tui" / "bad.py") == [
        "tui/bad.py:1: imports simulator.engine.core; use the public names of simulator.engine",
    ]


@pytest.mark.parametrize("path", modules("tui"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_ui_reads_the_view_not_the_engine(path: Path) -> None:
    assert ui_violations(path) == []


def test_the_ui_rule_catches_a_reach_into_the_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tui").mkdir()
    bad = tmp_path / "tui" / "bad.py"
    bad.write_text("from simulator.engine import Instance\n\ndef f(d):\n    return d.session.engine.book.pending()\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert ui_violations(bad) == [
        "tui/bad.py:1: tui/ may not import simulator.engine; read the drill's view",
        "tui/bad.py:4: tui/ may not reach into .engine; read the drill's view",
    ]


def test_public_names_are_all_exported() -> None:
    """Every package's ``__all__`` names something its ``__init__`` really binds."""
    import importlib

    for package in ALLOWED:
        mod = importlib.import_module(f"simulator.{package}")
        for name in getattr(mod, "__all__", []):
            assert hasattr(mod, name), f"simulator.{package}.__all__ names {name}, which it does not bind"
