"""The command line in the user's language: which one, and each text in it.

Texts are written in English where they are used — a command's ``help=``, a handler's message — and
:data:`simulator.cli.zh.ZH`, the one catalogue of the command line's Chinese, maps each to Chinese. A
catalogue key with ``{}`` holes is a template matched against the whole text; what fills each hole
is put where the Chinese names it (``{0}``, ``{1}``), itself translated when the hole is written
``{t}``. A text the catalogue does not know stays English, which the tests look for.

The language is ``--lang`` on the command line (``zh``, ``en``, or the first of ``zh,en``), else the
locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: Chinese when it starts with ``zh``), else English.
:func:`localize` puts a built parser into that language: its commands' help, argparse's own words
(``usage:``, ``options``, its error messages), and a ``--lang`` option on every command that lacks one.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal, cast

from .zh import ZH

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")
LANG_HELP = "language of messages and help (default: from LC_ALL/LANG)"
"""The help of the ``--lang`` given to every command that has none."""


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """``zh`` when the locale is Chinese, else ``en`` (the first locale variable set decides)."""
    env = os.environ if environ is None else environ
    for var in LOCALE_VARS:
        if value := env.get(var):
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def lang_in(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> Lang:
    """The language ``argv`` asks for with ``--lang`` (the first of a list), else the locale's."""
    for i, arg in enumerate(argv):
        given = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        value = arg.partition("=")[2] if arg.startswith("--lang=") else given
        first = (value or "").split(",")[0].strip()
        if first in LANGS:
            return "zh" if first == "zh" else "en"
    return default_lang(environ)


def lang_of(args: argparse.Namespace) -> Lang:
    """The language a command's output is in: its ``--lang`` (the first of a list), else the locale's."""
    value = getattr(args, "lang", None)
    return lang_in(["--lang", value]) if isinstance(value, str) else default_lang()


_HOLE = re.compile(r"(\{t?\})")


@functools.cache
def _templates() -> list[tuple[re.Pattern[str], tuple[bool, ...], str]]:
    """Each template: its pattern, which holes are translated themselves, its Chinese."""
    found = []
    for key, zh in ZH.items():
        parts = _HOLE.split(key)
        if len(parts) > 1:
            pattern = "".join("(.+?)" if _HOLE.fullmatch(part) else re.escape(part) for part in parts)
            literal = len(_HOLE.sub("", key))
            found.append((literal, (re.compile(pattern, re.DOTALL), tuple(p == "{t}" for p in parts[1::2]), zh)))
    found.sort(key=lambda t: -t[0])  # the most specific template (the most words of its own) first
    return [template for _, template in found]


def find(text: str) -> str | None:
    """The Chinese of ``text``, or None when the catalogue does not know it."""
    if text in ZH:
        return ZH[text]
    for pattern, nested, zh in _templates():
        if m := pattern.fullmatch(text):
            return zh.format(*(tr(g, "zh") if t else g for g, t in zip(m.groups(), nested, strict=True)))
    return None


def tr(text: str, lang: Lang) -> str:
    """``text`` in ``lang``: itself in English, else its Chinese (itself while the catalogue lacks it)."""
    if lang == "en" or not text:
        return text
    return find(text) or text


def tr_located(text: str, lang: Lang) -> str:
    """A message that may start with where it is about (``file:line: message``), the message in ``lang``."""
    if lang == "en" or (said := find(text)) is not None:
        return tr(text, lang)
    for m in re.finditer(": ", text):
        if (said := find(text[m.end() :])) is not None:
            return text[: m.end()] + said
    return text


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
