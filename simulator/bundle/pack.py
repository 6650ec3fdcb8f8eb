"""Pack a run or drill-session folder into a bundle (a zip with a manifest).

A bundle holds what the exercise is and what happened in it: the scenario and plan files (the
session's own copies, or a run's, checked against the session's digests), the journal, the event
log, the summary, ``run.json``, the evaluator's notes (``observations.jsonl``), the hot wash and the report folder
if one was written. Paths inside point into the bundle, so the unpacked folder resumes and reports
anywhere. Left out: the lock, and ``seats.json`` (its seat links are secrets; a hosted session
brought back gives its seats new links). The same folder gives the same bytes: entries in order,
with a fixed date.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Literal

from ..batch import RUN_INFO, RunInfo
from ..drill import HOTWASH, JOURNAL, read_journal
from ..load import DEFAULT_PLAN, scenarios_dir
from ..model import UserError
from .manifest import MANIFEST, VERSION, Manifest, sha256

RECORDS = ("events.jsonl", "summary.json", "observations.jsonl", HOTWASH)
"""Files of a run or session folder taken as they are, when present: the log, the summary, the evaluator's
notes and the hot wash."""
REPORT = "report"
"""The report folder, taken whole when present."""
DATE = (1980, 1, 1, 0, 0, 0)
"""Every entry's date: the same folder makes the same bundle."""


def _inputs(scenario: Path, plan: Path | None) -> dict[str, Path]:
    plan_file = plan or scenarios_dir() / DEFAULT_PLAN
    return {f"inputs/scenario/{scenario.name}": scenario, f"inputs/plan/{plan_file.name}": plan_file}


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: the {what} cannot be read ({exc.strerror})") from None


def _drill(folder: Path, files: dict[str, bytes]) -> tuple[str, str]:
    """Add a session's journal (its header naming the copies in the bundle) and inputs; their names."""
    contents = read_journal(folder)
    header = contents.header
    scenario, plan = header.files(folder)
    inputs = _inputs(scenario, plan)
    for (name, path), digest, what in zip(inputs.items(), header.digests, ("scenario", "plan"), strict=True):
        data = _read(path, f"session's {what} file")
        if digest is not None and sha256(data) != digest:
            raise UserError(f"{path}: the {what} file has changed since the session started; the bundle would not resume")
        files[name] = data
    names = tuple(inputs)
    moved = dataclasses.replace(header, scenario=names[0], plan=names[1])
    journal = _read(folder / JOURNAL, "journal")
    files[JOURNAL] = moved.line().encode("utf-8") + journal[journal.index(b"\n") :]
    return names[0], names[1]


def export_bundle(folder: Path, out: Path) -> Manifest:
    """Write the bundle of the run or session in ``folder`` to ``out`` (replaced atomically)."""
    if not folder.is_dir():
        raise UserError(f"{folder}: no such run or drill-session folder")
    files: dict[str, bytes] = {}
    kind: Literal["run", "drill"] = "drill" if (folder / JOURNAL).exists() else "run"
    if kind == "drill":
        scenario_name, plan_name = _drill(folder, files)
    if (folder / RUN_INFO).exists():
        info = RunInfo.read(folder)
        if kind == "run":
            inputs = _inputs(Path(info.scenario), Path(info.plan) if info.plan else None)
            files.update({name: _read(path, "run's input file") for name, path in inputs.items()})
            scenario_name, plan_name = tuple(inputs)
        moved = dataclasses.replace(info, scenario=scenario_name, plan=plan_name)
        files[RUN_INFO] = (json.dumps(dataclasses.asdict(moved), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    elif kind == "run":
        raise UserError(f"{folder}: not a run or drill-session folder (no {RUN_INFO} or {JOURNAL})")
    for name in RECORDS:
        if (folder / name).is_file():
            files[name] = _read(folder / name, "record")
    report = folder / REPORT
    if report.is_dir():
        for path in sorted(p for p in report.rglob("*") if p.is_file() and not p.is_symlink()):
            files[path.relative_to(folder).as_posix()] = _read(path, "report file")
    manifest = Manifest(bundle="drillsim", version=VERSION, kind=kind, files={k: sha256(v) for k, v in files.items()})
    _write_zip(out, {MANIFEST: manifest.to_bytes(), **dict(sorted(files.items()))})
    return manifest


def _write_zip(out: Path, entries: dict[str, bytes]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.resolve().parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(buf.getvalue())
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
