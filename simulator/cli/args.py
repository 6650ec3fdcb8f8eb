"""What the command lines share: the scenario arguments, ``TEAM=N`` (and ``TEAM=xF``) lists, and code named by reference.

Registering a command must cost next to nothing, so that ``drillsim --help`` and a quick
``validate`` load none of the heavy parts (the engine, matplotlib, Textual, Numba). A command's
handler, and any help text that is built from heavier modules, is therefore named by a
``"module:function"`` reference and imported only when it is used.
"""

from __future__ import annotations

import argparse
import importlib
import ipaddress
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..lang import Lang, tr

if TYPE_CHECKING:
    from ..model import Staffing


def resolve(ref: str) -> Any:
    """The object a ``"package.module:name"`` reference names, importing its module now."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


class Parser(argparse.ArgumentParser):
    """An argument parser in a language, whose epilog may come from a reference, written when help is shown.

    :func:`.texts.localize` sets the language; ``epilog_of`` names a function of the language.
    """

    def __init__(self, *args: Any, epilog_of: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.epilog_of = epilog_of
        self.lang: Lang = "en"

    def format_help(self) -> str:
        """The help text, with the epilog written now if it comes from a reference."""
        if self.epilog_of is not None:
            self.epilog = str(resolve(self.epilog_of)(self.lang))
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error, in the parser's language, and exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, tr(f"{self.prog}: error: {message}", self.lang) + "\n")


MAX_SEED = 2**32 - 1
"""The largest seed (``simulator.model.MAX_SEED``, repeated here so that parsing imports no pydantic)."""


def digits(text: str) -> bool:
    """Whether ``text`` is a whole number written in ASCII digits (``isdigit`` alone takes ``٣`` and ``³``)."""
    return text.isascii() and text.isdigit()


def whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argument type: a whole number from ``low`` (to ``high``), in ASCII digits."""

    def parse(text: str) -> int:
        value = int(text) if digits(text.removeprefix("-")) else None
        if value is None or value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise argparse.ArgumentTypeError(f"expected a whole number {span}, got '{text}'")
        return value

    return parse


seed = whole(0, MAX_SEED)
"""The type of every ``--seed``."""
port = whole(1, 65535)
"""The type of every ``--port``."""


MAX_REPS = 1_000_000
"""The most replications per staffing point a sweep or staffing search may be asked for."""
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def address(text: str) -> str:
    """An argument type: an IP address or a host name (dot-separated labels of letters, digits and '-')."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        labels = text.removesuffix(".").split(".")
        if len(text) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
            raise argparse.ArgumentTypeError(f"expected an IP address or a host name, got '{text}'") from None
    return text


def minutes(text: str) -> float:
    """An argument type: a finite number of minutes, zero or more."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"expected minutes >= 0, got '{text}'")
    return value


def out_folder(text: str) -> Path:
    """An argument type: a folder that is there or can be made (checked before any work starts)."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"'{text}' is a file, not a folder")
    _writable(next(p for p in (path, *path.parents) if p.exists()))
    return path


def out_file(text: str) -> Path:
    """An argument type: a file whose folder is there, so that it can be written."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"'{text}' is a folder, not a file")
    if not path.parent.exists():
        raise argparse.ArgumentTypeError(f"folder '{path.parent}' does not exist")
    _writable(path.parent)
    return path


def _writable(folder: Path) -> None:
    """Refuse an output path whose nearest existing part is a file or cannot be written in."""
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"'{folder}' is a file; no folder can be made under it")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot write in '{folder}'")


def parse_staff(items: Sequence[str], option: str = "--staff") -> dict[str, int]:
    """``["comms=40", ...]`` → ``{"comms": 40}``, with a clear error naming ``option`` for anything else."""
    from ..model import parse_people

    return dict(parse_people(item, option) for item in items)


def parse_what_if(items: Sequence[str], option: str = "--what-if") -> dict[str, Staffing]:
    """``["comms=20", "hotline=x1.2"]`` → ``{"comms": 20, "hotline": Scale(6/5)}``: people, or the roster scaled."""
    from ..model import parse_staffing

    return dict(parse_staffing(item, option) for item in items)


def add_scenario_args(p: argparse.ArgumentParser) -> None:
    """The scenario and plan arguments shared by the commands that run a scenario."""
    p.add_argument("scenario", nargs="?", help="scenario file or bundled scenario name (default: the bundled default)")
    p.add_argument("--plan", type=Path, help="plan file (default: the bundled plan)")
