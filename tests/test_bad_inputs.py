"""Bad input files, each with the exact message ``drillsim`` must print.

A case is ``bad_inputs/NAME.expected``, the whole stderr of its command: ``drillsim validate NAME.yaml``,
or the words after ``drillsim`` in ``NAME.args`` (split as a shell would), such as
``msel import NAME.csv --into msel_scenario.yaml``, ``play --resume NAME.session`` (a session folder
whose journal names ``msel_scenario.yaml``) or ``report NAME.run`` (a run folder). Every case runs inside a copy of the folder (so
paths in messages are relative and nothing in the folder is written), where the inputs too large or
too binary to keep in git are made first (``GENERATED``); ``NAME.yaml`` may be absent on purpose (the
missing-file case). Every case must exit with status 2, print nothing on stdout and no traceback.
"""

from __future__ import annotations

import io
import shlex
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

import simulator.load.yamlsource as yamlsource
from simulator.cli.main import main
from simulator.msel.table import MAX_CELL, MAX_UNPACKED

FOLDER = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.stem for p in FOLDER.glob("*.expected"))

# -- inputs made at test time ----------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHEET = "xl/worksheets/sheet1.xml"


def row(r: int, *values: str | float) -> str:
    """A sheet row: numbers as numbers, text inline."""
    cells = (f"<c><v>{v:g}</v></c>" if isinstance(v, float) else f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f'<row r="{r}">{"".join(cells)}</row>'


HEADER = row(1, "at_h", "kind", "text_zh", "text_en")
INJECT = row(2, 2.0, "info", "一条消息。", "A message.")
LATE = row(3, 30.0, "info", "迟", "Late.")


def sheet_xml(rows: str, tail: str = "</sheetData></worksheet>") -> bytes:
    """A worksheet declaring the size A1:D2 (as Excel writes it), holding ``rows``."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><dimension ref="A1:D2"/><sheetData>'
    return (head + rows + tail).encode()


SHEET_XML = sheet_xml(HEADER + INJECT)
SHARED_KIND = '<row r="2"><c><v>2</v></c><c t="s"><v>5</v></c><c t="inlineStr"><is><t>一</t></is></c></row>'


def workbook_parts(sheet: bytes | None) -> dict[str, bytes]:
    """The parts of a one-sheet XLSX workbook (sheet 'MSEL' holding ``sheet``), or of one with no sheet."""
    sheets = '<sheet name="MSEL" sheetId="1" r:id="rId1"/>' if sheet is not None else ""
    override = f'<Override PartName="/{SHEET}" ContentType="{_TYPE}.worksheet+xml"/>' if sheet is not None else ""
    link = f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>' if sheet is not None else ""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>{override}</Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}">{link}</Relationships>',
    }
    out = {name: text.encode() for name, text in parts.items()}
    if sheet is not None:
        out[SHEET] = sheet
    return out


def zipped(parts: dict[str, bytes], stored: str = "") -> bytes:
    """The parts as a zip, deflated but for the part named ``stored``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data, zipfile.ZIP_STORED if name == stored else zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def relabel(data: bytes, name: str, size: int, *, deflated: bool = False) -> bytes:
    """The zip ``data`` with both headers of part ``name`` claiming ``size`` bytes unpacked (and deflate)."""
    out = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(name).header_offset
    (central,) = struct.unpack_from("<I", data, len(data) - 6)  # where the directory starts, at the end of a zip
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central += 46 + sum(struct.unpack_from("<HHH", data, central + 28))  # a directory entry and its fields
    for offset, method_at, size_at in ((local, 8, 22), (central, 10, 24)):
        struct.pack_into("<I", out, offset + size_at, size)
        if deflated:
            struct.pack_into("<H", out, offset + method_at, zipfile.ZIP_DEFLATED)
    return bytes(out)


def bomb() -> bytes:
    """A workbook unpacking to one byte more than the limit, nearly all of it blanks inside the sheet."""
    parts = workbook_parts(SHEET_XML)
    pad = MAX_UNPACKED + 1 - sum(len(p) for p in parts.values())
    parts[SHEET] = sheet_xml(HEADER + INJECT + " " * pad)
    return zipped(parts)


def lying_bomb() -> bytes:
    """A sheet beyond the limit whose headers claim 1 MiB: it passes the size check, and is caught unpacking."""
    sheet = sheet_xml(HEADER + INJECT + " " * MAX_UNPACKED)
    return relabel(zipped(workbook_parts(sheet)), SHEET, 2**20)


def damaged(blanks: int) -> bytes:
    """A sheet whose deflate stream turns invalid (a reserved block type) after its rows and ``blanks`` blanks."""
    good = sheet_xml(HEADER + INJECT + " " * blanks, tail="")
    pack = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = pack.compress(good) + pack.flush(zlib.Z_SYNC_FLUSH) + b"\x07\x00"
    return relabel(zipped(workbook_parts(stream), stored=SHEET), SHEET, len(good) + 100, deflated=True)


GENERATED: dict[str, Callable[[], bytes]] = {
    "msel_huge_cell.csv": lambda: f"at_h,kind,text_zh,text_en\r\n2,info,{'长' * (MAX_CELL + 1)},A message.\r\n".encode(),
    "msel_no_sheet.xlsx": lambda: zipped(workbook_parts(None)),
    # row 2's kind is shared string 5 of a workbook that has no table of shared strings
    "msel_shared_string_missing.xlsx": lambda: zipped(workbook_parts(sheet_xml(HEADER + SHARED_KIND))),
    # cut off just after the header row: the parser runs out of text at the end of that row
    "msel_broken_xml.xlsx": lambda: zipped(workbook_parts(SHEET_XML[: SHEET_XML.index(b'<row r="2">')])),
    "msel_bomb.xlsx": bomb,
    "msel_bomb_lying.xlsx": lying_bomb,
    "msel_damaged_zip.xlsx": lambda: damaged(2**20),  # found as the rows are read
    "msel_damaged_head.xlsx": lambda: damaged(0),  # found as the workbook is opened (openpyxl reads the sheet's size)
    # the sheet says A1:D2, and row 3 is there all the same (its time is after the horizon)
    "msel_beyond_dimension.xlsx": lambda: zipped(workbook_parts(sheet_xml(HEADER + INJECT + LATE))),
    # a comment line filling 1.5 MiB: refused by its size before PyYAML reads a character of it
    "yaml_too_big.yaml": lambda: b"# " + b"a" * (3 * 2**19 - 3) + b"\n",
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bad-inputs folder with the generated inputs added."""
    return make_workdir(tmp_path_factory.mktemp("cases") / "bad_inputs")


def make_workdir(folder: Path) -> Path:
    """Copy the bad-inputs folder to ``folder`` and make the generated inputs there."""
    shutil.copytree(FOLDER, folder)
    for name, make in GENERATED.items():
        (folder / name).write_bytes(make())
    return folder


def argv(name: str) -> list[str]:
    """The command line of case ``name``, after ``drillsim``."""
    args = FOLDER / f"{name}.args"
    return shlex.split(args.read_text(encoding="utf-8")) if args.exists() else ["validate", f"{name}.yaml"]


def run_case(
    name: str, workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """Run case ``name`` in the working copy; return (status, stdout, stderr)."""
    monkeypatch.chdir(workdir)
    status = main(argv(name))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_folder_covers_every_kind_of_mistake() -> None:
    assert len(CASES) >= 51
    assert not (FOLDER / "missing_file.yaml").exists()
    assert sum(1 for name in CASES if argv(name)[:2] == ["msel", "import"]) >= 10


def unpacked(data: bytes) -> dict[str, int]:
    """The size each part of a zip claims to unpack to."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: i.file_size for i in z.infolist()}


def test_generated_inputs_are_what_they_claim(workdir: Path) -> None:
    """Each made input is broken the way its case says, and only that way (a broken maker would test nothing)."""
    made = {name: (workdir / name).read_bytes() for name in GENERATED}
    sound = zipped(workbook_parts(SHEET_XML))
    assert load_workbook(io.BytesIO(sound), read_only=True)["MSEL"]["A2"].value == 2
    assert SHEET not in unpacked(made["msel_no_sheet.xlsx"])
    missing = zipfile.ZipFile(io.BytesIO(made["msel_shared_string_missing.xlsx"]))
    assert b'<c t="s"><v>5</v></c>' in missing.read(SHEET) and "xl/sharedStrings.xml" not in missing.namelist()
    cut = zipfile.ZipFile(io.BytesIO(made["msel_broken_xml.xlsx"])).read(SHEET)
    assert SHEET_XML.startswith(cut) and f"column {len(cut)})" in (FOLDER / "msel_broken_xml.expected").read_text()
    assert sum(unpacked(made["msel_bomb.xlsx"]).values()) == MAX_UNPACKED + 1 and len(made["msel_bomb.xlsx"]) < 100_000
    assert sum(unpacked(made["msel_bomb_lying.xlsx"]).values()) < 2**20 + len(sound)
    with zipfile.ZipFile(io.BytesIO(made["msel_bomb_lying.xlsx"])) as z:
        assert z.testzip() == SHEET  # what it really holds does not match its CRC
    for name in ("msel_damaged_zip.xlsx", "msel_damaged_head.xlsx"):
        with pytest.raises(zlib.error, match="invalid block type"):
            zipfile.ZipFile(io.BytesIO(made[name])).read(SHEET)
    assert len(made["msel_huge_cell.csv"].decode().splitlines()[1].split(",")[2]) == MAX_CELL + 1
    assert len(made["yaml_too_big.yaml"]) == 3 * 2**19 > yamlsource.MAX_BYTES


@pytest.mark.parametrize("name", CASES)
def test_fails_cleanly(name: str, workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit status 2, nothing on stdout, a message naming the case's file, no traceback."""
    status, out, err = run_case(name, workdir, capsys, monkeypatch)
    assert status == 2
    assert out == ""
    assert err.startswith((f"{name}.", f"drillsim: {name}.")), err
    assert "Traceback" not in err and err.endswith("\n")


@pytest.mark.parametrize("name", CASES)
def test_exact_message(name: str, workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, err = run_case(name, workdir, capsys, monkeypatch)
    assert err == (FOLDER / f"{name}.expected").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["wrong_type", "not_utf8", "missing_file", "msel_bomb"])
def test_as_a_subprocess(name: str, workdir: Path) -> None:
    """``python -m simulator.cli``: status 2, the same message, no traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "simulator.cli", *argv(name)],
        cwd=workdir,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr == (FOLDER / f"{name}.expected").read_text(encoding="utf-8")
