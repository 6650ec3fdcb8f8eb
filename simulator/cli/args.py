"""What the command lines share: the scenario arguments, ``TEAM=N`` lists, and code named by reference.

Registering a command must cost next to nothing, so that ``drillsim --help`` and a quick
``validate`` load none of the heavy parts (the engine, matplotlib, Textual, Numba). A command's
handler, and any help text that is built from heavier modules, is therefore named by a
``"module:function"`` reference and imported only when it is used.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def resolve(ref: str) -> Any:
    """The object a ``"package.module:name"`` reference names, importing its module now."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


class Parser(argparse.ArgumentParser):
    """An argument parser whose epilog may come from ``epilog_of`` (a reference), written when help is shown."""

    def __init__(self, *args: Any, epilog_of: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.epilog_of = epilog_of

    def format_help(self) -> str:
        """The help text, with the epilog written now if it comes from a reference."""
        if self.epilog_of is not None:
            self.epilog = str(resolve(self.epilog_of)())
        return super().format_help()


def parse_staff(items: Sequence[str]) -> dict[str, int]:
    """``["comms=40", ...]`` → ``{"comms": 40}``, with a clear error for anything else."""
    from ..model import UserError

    out: dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or not value.isdigit():
            raise UserError(f"--staff: expected TEAM=N with N a whole number, got '{item}'")
        out[name] = int(value)
    return out


def add_scenario_args(p: argparse.ArgumentParser) -> None:
    """The scenario and plan arguments shared by the commands that run a scenario."""
    p.add_argument("scenario", nargs="?", help="scenario file or bundled scenario name (default: the bundled default)")
    p.add_argument("--plan", type=Path, help="plan file (default: the bundled plan)")
