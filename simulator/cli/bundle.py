"""The ``export``, ``import`` and ``tables`` commands of ``drillsim``: a whole exercise as one zip, its log as CSV.

Their arguments are in :mod:`.commands`.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from ..bundle import export_bundle, import_bundle
from ..lang import lang_of, tr
from ..model import UserError
from ..record import EventLog, write_tables


def cmd_export(args: argparse.Namespace) -> int:
    """Pack a run or session folder into a bundle."""
    manifest = export_bundle(args.folder, args.out)
    done = f"wrote {args.out}: the {manifest.kind} in {args.folder}, {len(manifest.files)} files with their SHA-256"
    sys.stdout.write(tr(done, lang_of(args)) + "\n")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Unpack a bundle into a new folder and say what can be done with it."""
    into = args.into or Path(args.bundle.stem)
    done = import_bundle(args.bundle, into)
    folder, lang = shlex.quote(str(done.folder)), lang_of(args)
    said = f"imported the {done.manifest.kind} of {args.bundle} into {done.folder}, every file checked"
    sys.stdout.write(tr(said, lang) + "\n")
    if (done.folder / "events.jsonl").exists():
        sys.stdout.write(tr(f"  report: drillsim report {folder}", lang) + "\n")
    elif done.manifest.kind == "drill":
        sys.stdout.write(tr(f"  resume: drillsim play --resume {folder}", lang) + "\n")
    return 0


def cmd_tables(args: argparse.Namespace) -> int:
    """Write a run's or session's event log as CSV tables."""
    if not args.folder.is_dir():
        raise UserError(f"{args.folder}: no such run or drill-session folder")
    log = EventLog.read(args.folder / "events.jsonl")
    written = write_tables(log, args.out or args.folder / "tables")
    names = ", ".join(p.name for p in written)
    sys.stdout.write(tr(f"wrote {len(written)} tables to {written[0].parent}: {names}", lang_of(args)) + "\n")
    return 0
