"""The command line in the user's language: every parser's help, argparse's own words, a ``--lang`` on each command.

Which language, and each text in it, is :mod:`simulator.lang`'s. :func:`localize` puts a built
parser into that language: its commands' help, argparse's own words (``usage:``, ``options``, its
error messages), and a ``--lang`` option on every command that lacks one.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any, cast

from ..lang import LANGS, Lang, tr

LANG_HELP = "language of messages and help (default: from LC_ALL/LANG)"
"""The help of the ``--lang`` given to every command that has none."""


def parsers(parser: argparse.ArgumentParser) -> Iterator[tuple[list[str], argparse.ArgumentParser]]:
    """Every parser of the command line with its command path (``[]``, ``["msel"]``, ``["msel", "export"]``, ...)."""
    yield [], parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from (([name, *path], p) for path, p in parsers(sub))


def texts(parser: argparse.ArgumentParser) -> Iterator[str]:
    """Every text a parser shows in its help: description, section titles, each option's and command's help."""
    if parser.description:
        yield parser.description
    yield from (g.title for g in parser._action_groups if g.title)
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            yield action.help
        if isinstance(action, argparse._SubParsersAction):
            yield from (a.help for a in action._choices_actions if a.help)


def localize(parser: argparse.ArgumentParser, lang: Lang) -> None:
    """Put every parser of the command line into ``lang``; give each command without one a ``--lang``."""
    for path, p in parsers(parser):
        leaf = not any(isinstance(a, argparse._SubParsersAction) for a in p._actions)
        if path and leaf and "--lang" not in p._option_string_actions:
            p.add_argument("--lang", choices=LANGS, help=LANG_HELP)
        p.lang = lang  # type: ignore[attr-defined]
        if lang == "en":
            continue
        p.formatter_class = _formatter(cast("type[argparse.HelpFormatter]", p.formatter_class), lang)
        if p.description:
            p.description = tr(p.description, lang)
        for group in p._action_groups:
            group.title = tr(group.title or "", lang) or None
        for action in p._actions:
            if action.help and action.help != argparse.SUPPRESS:
                action.help = tr(action.help, lang)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    choice.help = tr(choice.help or "", lang)


def _formatter(base: type[argparse.HelpFormatter], lang: Lang) -> type[argparse.HelpFormatter]:
    """``base`` with argparse's usage prefix in ``lang``."""

    def add_usage(self: argparse.HelpFormatter, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        base.add_usage(self, usage, actions, groups, tr("usage: ", lang) if prefix is None else prefix)

    return type(f"{base.__name__}_{lang}", (base,), {"add_usage": add_usage})
