"""Unpack a bundle into a fresh folder, refusing one that was changed, damaged or built to escape it.

Checked before anything is written: the zip's own size, its number of entries and the size they
declare unpacked; every name a plain relative path (no ``..``, no absolute path, no drive, no
backslash) and no symbolic link; the manifest naming exactly the files there; and each file's
SHA-256 against the manifest, read no further than the size it declares. The folder is then
written beside its target and renamed into place, so a refused bundle leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..model import UserError
from .manifest import MANIFEST, Manifest, safe_name, sha256

MAX_BUNDLE = 512 * 2**20
"""The largest bundle file read."""
MAX_ENTRIES = 10_000
"""The most entries a bundle may hold (a report holds a few dozen)."""
MAX_UNPACKED = 1024 * 2**20
"""The most a bundle may unpack to, all its files together."""
MAX_MANIFEST = 4 * 2**20
"""The largest manifest read."""


@dataclass(frozen=True)
class Imported:
    """A bundle unpacked."""

    folder: Path
    manifest: Manifest


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    """An entry's bytes, read no further than it declares (a damaged entry fails its checksum)."""
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UserError(f"{where}: '{info.filename}' is damaged ({exc})") from None
    if len(data) != info.file_size:
        raise UserError(f"{where}: '{info.filename}' holds more or less than its zip header declares")
    return data


def _entries(zf: zipfile.ZipFile, where: str) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UserError(f"{where}: {len(infos)} entries; a bundle may hold at most {MAX_ENTRIES}")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        raise UserError(f"{where}: the bundle unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED:,} are allowed")
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if not safe_name(name):
            raise UserError(f"{where}: '{name}' is not a plain path inside the bundle; it would be written outside the folder")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UserError(f"{where}: '{name}' is a symbolic link; a bundle holds only files")
        if name in entries:
            raise UserError(f"{where}: '{name}' appears twice")
        entries[name] = info
    return entries


def read_bundle(path: Path) -> tuple[Manifest, dict[str, bytes]]:
    """The manifest and every checked file of the bundle at ``path``."""
    where = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(f"{where}: no such file") from None
    if size > MAX_BUNDLE:
        raise UserError(f"{where}: the file is {size / 2**20:.1f} MiB; a bundle may be at most {MAX_BUNDLE / 2**20:g} MiB")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(f"{where}: not a bundle (not a readable zip: {exc})") from None
    with zf:
        entries = _entries(zf, where)
        if MANIFEST not in entries:
            raise UserError(f"{where}: no {MANIFEST}; not a drillsim bundle")
        if entries[MANIFEST].file_size > MAX_MANIFEST:
            raise UserError(f"{where}: {MANIFEST} is larger than {MAX_MANIFEST / 2**20:g} MiB")
        manifest = Manifest.parse(_member(zf, entries.pop(MANIFEST), where), where)
        for name in manifest.files:
            if not safe_name(name):
                raise UserError(f"{where}: the manifest names '{name}', which is not a plain path inside the bundle")
            if name not in entries:
                raise UserError(f"{where}: '{name}' is in the manifest but not in the bundle")
        for name in entries:
            if name not in manifest.files:
                raise UserError(f"{where}: '{name}' is not in the manifest; the bundle was changed")
        files = {}
        for name, info in entries.items():
            data = _member(zf, info, where)
            if sha256(data) != manifest.files[name]:
                raise UserError(f"{where}: '{name}' does not match its SHA-256 in the manifest; the bundle was changed")
            files[name] = data
    return manifest, files


def import_bundle(path: Path, into: Path) -> Imported:
    """Unpack the bundle at ``path`` into the new folder ``into`` (absent, or an empty folder)."""
    manifest, files = read_bundle(path)
    if into.exists() and (not into.is_dir() or any(into.iterdir())):
        raise UserError(f"{into}: already exists and is not an empty folder; import into a new one")
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{into.name}.", dir=into.parent))
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if into.exists():
            into.rmdir()
        os.replace(staging, into)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return Imported(into, manifest)
