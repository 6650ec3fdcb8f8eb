"""Which language a command speaks.

``--lang`` (``zh``, ``en``, or the first of ``zh,en``), else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: Chinese when it starts with ``zh``), else English.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")


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
