"""The ``export`` and ``import`` commands of ``drillsim``: whole-exercise bundles (arguments in :mod:`.commands`)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from ..bundle import export_bundle, import_bundle


def cmd_export(args: argparse.Namespace) -> int:
    """Pack a run or session folder into a bundle."""
    manifest = export_bundle(args.folder, args.out)
    sys.stdout.write(f"wrote {args.out}: the {manifest.kind} in {args.folder}, {len(manifest.files)} files with their SHA-256\n")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Unpack a bundle into a new folder and say what can be done with it."""
    into = args.into or Path(args.bundle.stem)
    done = import_bundle(args.bundle, into)
    folder = shlex.quote(str(done.folder))
    sys.stdout.write(f"imported the {done.manifest.kind} of {args.bundle} into {done.folder}, every file checked\n")
    if (done.folder / "events.jsonl").exists():
        sys.stdout.write(f"  report: drillsim report {folder}\n")
    elif done.manifest.kind == "drill":
        sys.stdout.write(f"  resume: drillsim play --resume {folder}\n")
    return 0
