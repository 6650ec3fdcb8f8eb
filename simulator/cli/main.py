"""The ``drillsim`` command line.

``run``, ``validate``, ``schema`` and the other commands of ``simulator/`` are registered by
:mod:`.commands`; other packages add theirs (``play``, ``report``, ...) through the
``drillsim.commands`` entry-point group, each a ``register(subparsers)`` function, so this package
never imports them. Every handler is named by reference and imported only when its command runs.
The parser is then put into the user's language (:mod:`.texts`; ``--lang``, else the locale).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from typing import cast

from ..lang import Lang, lang_in, tr, tr_located
from .args import Parser, resolve
from .commands import register
from .texts import localize


def build_parser(lang: Lang = "en") -> argparse.ArgumentParser:
    """The argument parser with every registered command, in ``lang``."""
    parser = Parser(prog="drillsim", description="Tabletop-exercise simulator for the complaint emergency plan.")
    # Subcommand parsers are Parser too (argparse makes them of the main parser's class).
    sub = cast("argparse._SubParsersAction[argparse.ArgumentParser]", parser.add_subparsers(dest="command", required=True))
    register(sub)
    for ep in sorted(entry_points(group="drillsim.commands"), key=lambda e: e.name):
        ep.load()(sub)
    localize(parser, lang)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a command; user errors are a message on stderr and exit status 2."""
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = lang_in(argv)
    args = build_parser(lang).parse_args(argv)
    from ..model import Problem, UserError, ValidationFailed

    try:
        return int(resolve(args.handler)(args))
    except ValidationFailed as exc:
        count = len(exc.problems)
        problems = "".join(f"{Problem(p.location, tr(p.message, lang), _field(p.field, lang))}\n" for p in exc.problems)
        sys.stderr.write(problems + tr(f"drillsim: {count} problem{'s' if count != 1 else ''} found", lang) + "\n")
        return 2
    except UserError as exc:
        sys.stderr.write(f"drillsim: {tr_located(str(exc), lang)}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `drillsim schema plan | head`); say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _field(field: str, lang: Lang) -> str:
    """A problem's field in ``lang``: a sheet's row and column are words; a key path stays as written."""
    return tr(field, lang) if field.startswith(("row ", "item ", "header")) else field
