"""Whole-exercise bundles: a drill or run packed, moved to a clean folder, reported and resumed; tampered or
hostile zips refused naming the entry."""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

import simulator.bundle.unpack as unpack
from reports.build import make_report
from simulator.bundle import export_bundle, import_bundle
from simulator.cli.main import main
from simulator.drill import DrillSession, Trainee, read_journal
from simulator.load import resolve_scenario
from simulator.model import Request, UserError

TRAINEES = (Trainee("张三", ("duty",)), Trainee("Li", ("pr",)))
REGISTER = Request("register_report", "duty", contents=("time", "place", "parties", "description", "contact"))
"""manual_error's incident report comes in at 10 h (600 min)."""


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    """A copy of manual_error, deleted by the tests once a session has started from it."""
    path = tmp_path / "mine.yaml"
    shutil.copyfile(resolve_scenario("manual_error"), path)
    return path


def started(scenario: Path, folder: Path, db: Path) -> DrillSession:
    session = DrillSession.start(scenario, None, TRAINEES, folder=folder, db=db)
    session.advance(601.0)
    session.decide(REGISTER)
    session.advance(900.0)
    return session


def test_a_finished_drill_is_exported_imported_and_reported(scenario: Path, tmp_path: Path) -> None:
    session = started(scenario, tmp_path / "a", tmp_path / "r.db")
    session.finish()
    make_report(tmp_path / "a", formats=("md",), langs=("en",))
    bundle = tmp_path / "a.zip"
    manifest = export_bundle(tmp_path / "a", bundle)
    assert export_bundle(tmp_path / "a", tmp_path / "again.zip") == manifest
    assert (tmp_path / "again.zip").read_bytes() == bundle.read_bytes()  # the same folder, the same bytes
    assert {"journal.jsonl", "events.jsonl", "summary.json", "run.json", "report/aar.en.md"} <= set(manifest.files)
    assert "inputs/scenario/mine.yaml" in manifest.files and "inputs/plan/plan.yaml" in manifest.files
    scenario.unlink()
    clean = tmp_path / "elsewhere" / "b"
    import_bundle(bundle, clean)
    for name in ("events.jsonl", "summary.json", "report/aar.en.md"):
        assert (clean / name).read_bytes() == (tmp_path / "a" / name).read_bytes()
    info = json.loads((clean / "run.json").read_text(encoding="utf-8"))
    assert (info["scenario"], info["plan"]) == ("inputs/scenario/mine.yaml", "inputs/plan/plan.yaml")
    shutil.rmtree(tmp_path / "a")
    (written,) = make_report(clean, tmp_path / "report", formats=("md",), langs=("zh",))
    assert "演练评估报告" in written.read_text(encoding="utf-8")


def test_an_unfinished_drill_resumes_from_its_bundle_to_the_same_log(scenario: Path, tmp_path: Path) -> None:
    started(scenario, tmp_path / "a", tmp_path / "r.db").suspend()
    export_bundle(tmp_path / "a", tmp_path / "a.zip")
    scenario.unlink()
    import_bundle(tmp_path / "a.zip", tmp_path / "b")
    assert read_journal(tmp_path / "b").header.scenario == "inputs/scenario/mine.yaml"
    for folder in (tmp_path / "a", tmp_path / "b"):
        resumed = DrillSession.resume(folder, db=tmp_path / "r.db")
        assert resumed.now == 900.0
        resumed.finish()
    assert (tmp_path / "b" / "events.jsonl").read_bytes() == (tmp_path / "a" / "events.jsonl").read_bytes()


def test_export_refuses_a_session_whose_copy_changed(scenario: Path, tmp_path: Path) -> None:
    started(scenario, tmp_path / "a", tmp_path / "r.db").suspend()
    copy = tmp_path / "a" / "inputs" / "scenario" / "mine.yaml"
    copy.write_bytes(copy.read_bytes() + b"# edited\n")
    with pytest.raises(UserError, match=r"mine\.yaml: the scenario file has changed since the session started"):
        export_bundle(tmp_path / "a", tmp_path / "a.zip")


@pytest.fixture
def bundle(scenario: Path, tmp_path: Path) -> Path:
    session = started(scenario, tmp_path / "a", tmp_path / "r.db")
    session.finish()
    export_bundle(tmp_path / "a", tmp_path / "a.zip")
    return tmp_path / "a.zip"


def rewrite(source: Path, target: Path, change: dict[str, bytes | None], extra: dict[str, bytes] | None = None) -> Path:
    """A copy of a bundle with entries replaced (or dropped, for None) and others added, the manifest kept."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = change.get(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return target


def refused(path: Path, into: Path, message: str) -> None:
    with pytest.raises(UserError, match=message):
        import_bundle(path, into)
    assert not into.exists(), "a refused bundle writes nothing"
    assert not [p for p in into.parent.iterdir() if p.name.startswith(f".{into.name}.")]


def test_a_tampered_bundle_is_refused_naming_the_file(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as zf:
        events = zf.read("events.jsonl")
    changed = rewrite(bundle, tmp_path / "t.zip", {"events.jsonl": events.replace(b'"t":', b'"t": ', 1)})
    refused(changed, tmp_path / "c", r"t\.zip: 'events\.jsonl' does not match its SHA-256 in the manifest")
    missing = rewrite(bundle, tmp_path / "m.zip", {"summary.json": None})
    refused(missing, tmp_path / "c", r"'summary\.json' is in the manifest but not in the bundle")
    added = rewrite(bundle, tmp_path / "x.zip", {}, {"inputs/run.sh": b"echo hi"})
    refused(added, tmp_path / "c", r"'inputs/run\.sh' is not in the manifest")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "report/../../evil", "C:/evil", "a\\..\\evil"])
def test_paths_escaping_the_folder_are_refused(bundle: Path, tmp_path: Path, name: str) -> None:
    hostile = rewrite(bundle, tmp_path / "h.zip", {}, {name: b"x"})
    refused(hostile, tmp_path / "c", "not a plain path inside the bundle")
    assert not (tmp_path / "evil.txt").exists()


def test_links_sizes_and_counts_are_limited(bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    link = zipfile.ZipInfo("report/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(bundle, "a") as zf:
        zf.writestr(link, "/etc/passwd")
    refused(bundle, tmp_path / "c", "'report/link' is a symbolic link")
    with zipfile.ZipFile(bundle) as zf:
        count = len(zf.infolist())
    monkeypatch.setattr(unpack, "MAX_ENTRIES", count - 1)
    refused(bundle, tmp_path / "c", f"{count} entries; a bundle may hold at most {count - 1}")
    monkeypatch.setattr(unpack, "MAX_ENTRIES", 10_000)
    monkeypatch.setattr(unpack, "MAX_UNPACKED", 1000)
    refused(bundle, tmp_path / "c", "unpacks to .* at most 1,000 are allowed")
    monkeypatch.setattr(unpack, "MAX_BUNDLE", 100)
    refused(bundle, tmp_path / "c", "a bundle may be at most")
    (tmp_path / "plain.zip").write_bytes(b"not a zip")
    refused(tmp_path / "plain.zip", tmp_path / "c", "not a readable zip")


def test_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", "manual_error", "--out", "run"]) == 0
    assert main(["export", "run", "--out", "run.zip"]) == 0
    assert main(["import", "run.zip", "--into", "moved/run"]) == 0
    out = capsys.readouterr().out
    assert "imported the run of run.zip into moved/run" in out and "drillsim report moved/run" in out
    assert main(["report", "moved/run", "--format", "md", "--lang", "en"]) == 0
    shutil.copyfile("run.zip", "copy.zip")
    assert main(["import", "copy.zip"]) == 0 and (tmp_path / "copy" / "events.jsonl").is_file()  # beside, by its name
    assert main(["import", "run.zip", "--into", "moved/run"]) == 2
    assert "moved/run: already exists and is not an empty folder" in capsys.readouterr().err
