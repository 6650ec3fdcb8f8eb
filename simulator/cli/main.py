"""The ``drillsim`` command line.

``run``, ``validate``, ``schema`` and the other commands of ``simulator/`` are registered by
:mod:`.commands`; other packages add theirs (``play``, ``report``, ...) through the
``drillsim.commands`` entry-point group, each a ``register(subparsers)`` function, so this package
never imports them. Every handler is named by reference and imported only when its command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from typing import cast

from .args import Parser, resolve
from .commands import register


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered command."""
    parser = Parser(prog="drillsim", description="Tabletop-exercise simulator for the complaint emergency plan.")
    # Subcommand parsers are Parser too (argparse makes them of the main parser's class).
    sub = cast("argparse._SubParsersAction[argparse.ArgumentParser]", parser.add_subparsers(dest="command", required=True))
    register(sub)
    for ep in sorted(entry_points(group="drillsim.commands"), key=lambda e: e.name):
        ep.load()(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a command; user errors are a message on stderr and exit status 2."""
    args = build_parser().parse_args(argv)
    from ..model import UserError, ValidationFailed

    try:
        return int(resolve(args.handler)(args))
    except ValidationFailed as exc:
        count = len(exc.problems)
        sys.stderr.write(f"{exc}\ndrillsim: {count} problem{'s' if count != 1 else ''} found\n")
        return 2
    except UserError as exc:
        sys.stderr.write(f"drillsim: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `drillsim schema plan | head`); say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
