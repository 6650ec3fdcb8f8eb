"""What ``drillsim report`` does: check its options and write the report (arguments in :mod:`reports.cli`)."""

from __future__ import annotations

import argparse
import sys
from typing import cast

from simulator.cli import parse_what_if
from simulator.lang import lang_of, tr
from simulator.model import Lang, UserError

from .build import FORMATS, LANGS, make_report


def _choices(value: str, allowed: tuple[str, ...], option: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    for item in items:
        if item not in allowed:
            raise UserError(f"{option}: unknown value '{item}'; choose from {', '.join(allowed)}")
    if not items:
        raise UserError(f"{option}: give at least one of {', '.join(allowed)}")
    return list(dict.fromkeys(items))


def cmd_report(args: argparse.Namespace) -> int:
    """Write the after-action report of a run or session folder."""
    formats = _choices(args.format, FORMATS, "--format")
    langs = cast(list[Lang], _choices(args.lang, LANGS, "--lang"))
    what_if = [parse_what_if(item.split(",")) for item in args.what_if]
    written = make_report(args.folder, args.out, formats=formats, langs=langs, what_if=what_if)
    for path in written:
        sys.stdout.write(tr(f"wrote {path}", lang_of(args)) + "\n")
    return 0
