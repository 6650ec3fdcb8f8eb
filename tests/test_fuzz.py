"""Fuzzing every loader: mutated copies of valid files load, or fail with a located UserError, in time.

Each target starts from valid files — the bundled plan, the bundled scenarios, an MSEL exported as
CSV and as XLSX, the journal of a suspended drill session — and mutates them by BYTES (flip,
insert, delete, truncate, duplicate a span) or by STRUCTURE (parse, replace a value by one of
another type, delete a key, duplicate an item, dump back). Every load must succeed or raise
``UserError`` naming the file (and, for a text file, a line) within ``TIME_LIMIT_S``, never
another exception (a plan is also listed with a scenario, as ``drillsim scenarios`` does; an MSEL
is imported into a scenario, which must then load). Runs are derandomized and keep no database, so
CI sees the same cases each time; the test id names each target, its kind of mutation and its number
of cases.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from simulator.drill import DrillSession, Trainee, read_journal
from simulator.drill.journal import JOURNAL
from simulator.load import DEFAULT_PLAN, catalogue, load_plan, load_scenario, scenarios_dir
from simulator.model import MAX_STAFF, Plan, Request, Scenario, UserError, ValidationFailed
from simulator.msel import read_msel, write_injects, write_msel

TIME_LIMIT_S = 5.0
"""The longest one load may take, mutated input or not."""
WHOLE_FILE = ("file is empty", "the file is empty", "no session header", "not UTF-8 or GB18030 text")
"""Complaints about a whole text file, which name no line."""

PLAN_BYTES, PLAN_TREE = 150, 80
SCENARIO_BYTES, SCENARIO_TREE = 300, 300
CSV_BYTES, CSV_TREE = 200, 200
XLSX_ZIP, XLSX_XML, XLSX_CELLS = 60, 150, 60
JOURNAL_BYTES, JOURNAL_TREE = 300, 300

# -- mutations -----------------------------------------------------------------------------------

TOKENS = [
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\t", b"\n  ", b"- ", b": ", b"{", b"}", b"[", b"]", b'"', b"'",
    b"&a ", b"*a", b"!!binary ", b"!!python/object:os.system ", b"<<: ", b".nan", b"-.inf", b"1e999", b"NaN", b"~",
    b"?", b",", b";", b"=", b"<", b"/>", b"&#0;", "\u2028".encode(), "長".encode(), b"\xe9",
    b"[" * 3000, b'{"a":' * 3000, b"- " * 200,
]  # fmt: skip
"""Bytes that mean something to YAML, JSON, CSV or XML (nesting bombs among them), inserted among random ones."""

NUMBERS = [-1, -0.5, 0, 2**31, 2**40, 2**63, 10**30, -(10**30), 1e308, -1e308, 5e-324, math.nan, math.inf, -math.inf]
"""Numbers out of any field's range, or not finite."""

VALUES = st.one_of(
    st.booleans(),
    st.none(),
    st.sampled_from(NUMBERS),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.integers(1_000, 100_000).map(lambda n: "長" * n),
    st.lists(st.integers() | st.text(max_size=4), max_size=4),
    st.dictionaries(st.text(max_size=6), st.integers() | st.none(), max_size=3),
)
"""Values of every type a file can hold, the awkward ones often."""


@st.composite
def byte_mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with one to four byte edits."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        i = draw(st.integers(0, len(data)))
        j = min(len(data), i + draw(st.integers(0, 256)))
        if op == "flip" and i < len(data):
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[i:j]
        elif op == "truncate":
            del data[i:]
        elif op == "duplicate":
            data[i:i] = data[i:j] * draw(st.integers(1, 3))
    return bytes(data)


def _nodes(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every node of a parsed tree with its path, the root first."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return [(path, node)] + [n for k, v in children for n in _nodes(v, (*path, k))]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


OPS = {
    "replace": lambda v: True,
    "number": _is_number,
    "retext": lambda v: isinstance(v, str),
    "delete": lambda v: True,
    "duplicate": lambda v: True,
}
"""Tree edits, each with the nodes it applies to: any node replaced by another value, a number by an
out-of-range one, a text by a near miss (a misspelt name), a key or item deleted, an item duplicated."""


@st.composite
def tree_mutations(draw: st.DrawFn, original: Any) -> Any:
    """A copy of a parsed tree with one to three nodes edited."""
    tree = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(sorted(OPS)))
        nodes = [(p, v) for p, v in _nodes(tree) if OPS[op](v) and (p or op == "replace")]
        if not nodes:
            continue
        path, old = draw(st.sampled_from(nodes))
        if op == "replace":
            new = draw(VALUES.filter(lambda v, old=old: type(v) is not type(old) or v != old))
        elif op == "number":
            new = draw(st.sampled_from(NUMBERS))
        elif op == "retext":
            new = draw(st.sampled_from([old[:-1], old + "x", old.upper(), f" {old}", ""]))
        if not path:
            tree = new
            continue
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        if op == "delete":
            del parent[path[-1]]
        elif op != "duplicate":
            parent[path[-1]] = new
        elif isinstance(parent, list):
            parent.insert(path[-1], copy.deepcopy(old))
        else:  # a copy under a new key: an unknown or misspelt one
            parent[f"{path[-1]}{draw(st.text(min_size=1, max_size=2))}"] = copy.deepcopy(old)
    return tree


def _cell_text(value: Any) -> str:
    """A mutated value as a CSV cell would hold it."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (list, dict)) else str(value)


def _rows(tree: Any) -> list[list[Any]]:
    """A mutated table as rows of cells."""
    rows = tree if isinstance(tree, list) else [tree]
    return [row if isinstance(row, list) else [row] for row in rows]


def dump_yaml(tree: Any) -> bytes:
    return yaml.dump(tree, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False).encode("utf-8")


def dump_jsonl(tree: Any) -> bytes:
    lines = tree if isinstance(tree, list) else [tree]
    return "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in lines).encode("utf-8")


def dump_csv(tree: Any) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([[_cell_text(c) for c in row] for row in _rows(tree)])
    return buf.getvalue().encode("utf-8-sig")


def dump_xlsx(tree: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "MSEL"
    for row in _rows(tree):
        cells = [c if isinstance(c, (bool, int, float)) or c is None else _cell_text(c) for c in row]
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_table(raw: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(raw), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@st.composite
def xml_part_mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """The workbook ``original`` with the bytes of one of its XML parts mutated."""
    src = zipfile.ZipFile(io.BytesIO(original))
    member = draw(st.sampled_from(src.namelist()))
    content = draw(byte_mutations(src.read(member)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, content if name == member else src.read(name))
    return out.getvalue()


# -- the valid files and their loaders -----------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """Where the mutated files go, and what their loads need."""

    folder: Path
    plan: Plan
    base: Scenario
    """The scenario an MSEL is imported into."""
    base_path: Path


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Context:
    plan = load_plan()
    base_path = scenarios_dir() / "refund_surge.yaml"
    return Context(tmp_path_factory.mktemp("fuzz"), plan, load_scenario(base_path, plan), base_path)


@pytest.fixture(scope="module")
def plan_file() -> list[bytes]:
    return [(scenarios_dir() / DEFAULT_PLAN).read_bytes()]


@pytest.fixture(scope="module")
def scenario_files() -> list[bytes]:
    return [p.read_bytes() for p in sorted(scenarios_dir().glob("*.yaml")) if p.name != DEFAULT_PLAN]


@pytest.fixture(scope="module")
def msel_files(context: Context) -> dict[str, bytes]:
    """The base scenario's MSEL as exported, by suffix."""
    for suffix in (".csv", ".xlsx"):
        write_msel(context.base.injects, context.folder / f"export{suffix}", context.plan)
    return {suffix: (context.folder / f"export{suffix}").read_bytes() for suffix in (".csv", ".xlsx")}


@pytest.fixture(scope="module")
def journal_file(context: Context) -> bytes:
    """The journal of a drill session that took a few decisions and was suspended."""
    trainees = [Trainee("张三", ("duty",)), Trainee("Li", ("pr", "command", "logistics"))]
    folder = context.folder / "session"
    session = DrillSession.start(
        context.base_path, scenarios_dir() / DEFAULT_PLAN, trainees, seed=11, folder=folder, db=context.folder / "records.db"
    )
    for t, request in (
        (60.0, Request("register_report", "duty", contents=("time", "place"))),
        (150.0, Request("declare_level", "command", {"level": "L2"})),
        (150.0, Request("publish_bulletin", "pr", contents=("status",))),
        (400.0, Request("move_staff", "logistics", {"src": "comms", "dst": "hotline", "n": "2"})),
    ):
        session.advance(t)
        session.decide(request)
    session.advance(500.0)
    session.suspend()
    return (folder / JOURNAL).read_bytes()


def import_msel(path: Path, ctx: Context) -> None:
    """Read an MSEL into the base scenario and write the scenario it gives (which must load)."""
    injects = read_msel(path, ctx.plan, ctx.base)
    write_injects(ctx.base_path, injects, ctx.plan, ctx.folder / "imported.yaml")


@dataclass(frozen=True)
class Target:
    """A loader, the file it reads, and a kind of mutation of its valid inputs."""

    name: str
    cases: int
    file: str
    """The file's path inside the work folder."""
    text: bool
    """Whether errors must name a line."""
    source: str
    """The fixture giving the valid inputs."""
    mutated: Callable[[Any], st.SearchStrategy[bytes]]
    """The mutations of the fixture's value."""
    load: Callable[[Path, Context], object]


def _yaml_trees(files: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.sampled_from([yaml.load(raw, Loader=yaml.CSafeLoader) for raw in files]).flatmap(tree_mutations).map(dump_yaml)


def _yaml_bytes(files: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.sampled_from(files).flatmap(byte_mutations)


def _journal_tree(raw: bytes) -> st.SearchStrategy[bytes]:
    return tree_mutations([json.loads(line) for line in raw.splitlines()]).map(dump_jsonl)


def _csv_tree(raw: bytes) -> st.SearchStrategy[bytes]:
    return tree_mutations(list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))).map(dump_csv)


def _plan(path: Path, ctx: Context) -> object:
    """Load a plan, then list the base scenario under it as the library does."""
    return catalogue(load_plan(path), [ctx.base_path])


def _scenario(path: Path, ctx: Context) -> object:
    return load_scenario(path, ctx.plan)


def _journal(path: Path, ctx: Context) -> object:
    return read_journal(path.parent)


TARGETS = [
    Target("plan-bytes", PLAN_BYTES, "plan.yaml", True, "plan_file", _yaml_bytes, _plan),
    Target("plan-tree", PLAN_TREE, "plan.yaml", True, "plan_file", _yaml_trees, _plan),
    Target("scenario-bytes", SCENARIO_BYTES, "scenario.yaml", True, "scenario_files", _yaml_bytes, _scenario),
    Target("scenario-tree", SCENARIO_TREE, "scenario.yaml", True, "scenario_files", _yaml_trees, _scenario),
    Target("msel-csv-bytes", CSV_BYTES, "msel.csv", True, "msel_files", lambda m: byte_mutations(m[".csv"]), import_msel),
    Target("msel-csv-tree", CSV_TREE, "msel.csv", True, "msel_files", lambda m: _csv_tree(m[".csv"]), import_msel),
    Target("msel-xlsx-zip", XLSX_ZIP, "msel.xlsx", False, "msel_files", lambda m: byte_mutations(m[".xlsx"]), import_msel),
    Target("msel-xlsx-xml", XLSX_XML, "msel.xlsx", False, "msel_files", lambda m: xml_part_mutations(m[".xlsx"]), import_msel),
    Target(
        "msel-xlsx-cells",
        XLSX_CELLS,
        "msel.xlsx",
        False,
        "msel_files",
        lambda m: tree_mutations(xlsx_table(m[".xlsx"])).map(dump_xlsx),
        import_msel,
    ),
    Target("journal-bytes", JOURNAL_BYTES, f"resumed/{JOURNAL}", True, "journal_file", byte_mutations, _journal),
    Target("journal-tree", JOURNAL_TREE, f"resumed/{JOURNAL}", True, "journal_file", _journal_tree, _journal),
]


def assert_located(exc: UserError, path: Path, text: bool) -> None:
    """The error names ``path`` for each of its problems, and a line in a text file unless it is about the whole file."""
    file = str(path)
    if isinstance(exc, ValidationFailed):
        for p in exc.problems:
            assert p.location.file == file, str(p)
            assert not text or p.location.line is not None or p.message.startswith(WHOLE_FILE), str(p)
    else:
        assert exc.message.startswith(file), exc.message
        whole = exc.message.removeprefix(f"{file}: ").startswith(WHOLE_FILE)
        assert not text or whole or re.match(rf"{re.escape(file)}:\d+", exc.message), exc.message


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")  # its remarks on the damaged workbooks
@pytest.mark.parametrize("target", TARGETS, ids=[f"{t.name}-{t.cases}" for t in TARGETS])
def test_mutated_input_loads_or_fails_located(target: Target, context: Context, request: pytest.FixtureRequest) -> None:
    path = context.folder / target.file
    path.parent.mkdir(exist_ok=True)

    @settings(
        max_examples=target.cases,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(raw=target.mutated(request.getfixturevalue(target.source)))
    def check(raw: bytes) -> None:
        path.write_bytes(raw)
        start = time.monotonic()
        try:
            target.load(path, context)
        except UserError as exc:
            assert_located(exc, path, target.text)
        elapsed = time.monotonic() - start
        assert elapsed < TIME_LIMIT_S, f"{target.name}: the load took {elapsed:.1f} s"

    check()


# -- inputs that once broke a loader ------------------------------------------------------------------


def _msel_csv(at_h: str, rows: int = 1, text_en: str = "text") -> bytes:
    lines = ["at_h,kind,text_zh,text_en", *[f"{at_h},media,中文,{text_en}" for _ in range(rows)]]
    return "\r\n".join(lines).encode("utf-8")


def _workbook(msel: bytes, edit: Callable[[dict[str, bytes]], None]) -> bytes:
    """An exported workbook with its parts (by name) changed by ``edit``."""
    parts = {name: zipfile.ZipFile(io.BytesIO(msel)).read(name) for name in zipfile.ZipFile(io.BytesIO(msel)).namelist()}
    edit(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


def _sub(raw: bytes, old: bytes, new: bytes) -> bytes:
    """``raw`` with the first ``old`` replaced (which must be there)."""
    assert old in raw
    return raw.replace(old, new, 1)


def _replace(name: str, old: bytes, new: bytes) -> Callable[[dict[str, bytes]], None]:
    def edit(parts: dict[str, bytes]) -> None:
        parts[name] = _sub(parts[name], old, new)

    return edit


FOUND: dict[str, tuple[str, Callable[[dict[str, Any]], bytes]]] = {
    "clock-of-400-digits": ("msel.csv", lambda f: _msel_csv("1" * 400 + ":30")),
    "clock-of-5000-digits": ("msel.csv", lambda f: _msel_csv("1" * 5000 + ":30")),
    "text-that-reads-as-a-number": ("msel.csv", lambda f: _msel_csv("36", text_en="1e5")),
    "time-of-spaces": ("msel.csv", lambda f: _msel_csv('"1d' + " " * 16_000 + "1" + " " * 16_000 + 'x"', rows=20)),
    "number-cell-of-400-digits": (
        "msel.xlsx",
        lambda f: _workbook(
            f["msel"][".xlsx"], _replace("xl/worksheets/sheet1.xml", b"<v>36</v>", b"<v>" + b"9" * 400 + b"</v>")
        ),
    ),
    "style-attribute-unknown": (
        "msel.xlsx",
        lambda f: _workbook(f["msel"][".xlsx"], _replace("xl/styles.xml", b"fillId=", b"gillId=")),
    ),
    "row-number-not-a-number": (
        "msel.xlsx",
        lambda f: _workbook(f["msel"][".xlsx"], _replace("xl/worksheets/sheet1.xml", b'<row r="2"', b'<row r="2x"')),
    ),
    "workbook-part-undeclared": (
        "msel.xlsx",
        lambda f: _workbook(f["msel"][".xlsx"], _replace("[Content_Types].xml", b"sheet.main+xml", b"sheet.mine+xml")),
    ),
    "rule-id-of-5000-digits": (
        "plan.yaml",
        lambda f: _sub(f["plan"], b"rule: LEVEL-2\n", b"rule: LEVEL-" + b"2" * 5000 + b"\n"),
    ),
    "rule-id-of-60000-digits": ("plan.yaml", lambda f: _sub(f["plan"], b"rule: LEVEL-2\n", b"rule: " + b"9" * 60_000 + b"x\n")),
}
"""Inputs that once raised another exception, took too long or imported into a scenario that did not load,
found by the fuzzing above or by reading the code it led to: by name, the file and how to make it."""


@pytest.mark.parametrize("name", sorted(FOUND))
def test_input_that_once_broke_a_loader(
    name: str, context: Context, plan_file: list[bytes], msel_files: dict[str, bytes]
) -> None:
    file, make = FOUND[name]
    path = context.folder / "found" / file
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(make({"plan": plan_file[0], "msel": msel_files}))
    target = next(t for t in TARGETS if t.file == file)
    start = time.monotonic()
    try:
        target.load(path, context)
    except UserError as exc:
        assert_located(exc, path, target.text)
    assert time.monotonic() - start < TIME_LIMIT_S


def test_a_team_no_run_could_hold_is_refused(context: Context) -> None:
    """A staff of 10^10 once loaded, and the sweep's kernel then failed allocating its per-person arrays."""
    path = context.folder / "found" / "huge_staff.yaml"
    path.parent.mkdir(exist_ok=True)
    original = (scenarios_dir() / "refund_surge.yaml").read_text(encoding="utf-8")
    path.write_text(original.replace("    staff: 3\n", f"    staff: {MAX_STAFF + 1}\n", 1), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_scenario(path, context.plan)
    (problem,) = caught.value.problems
    assert problem.field == "teams.hotline.staff" and problem.location.line is not None
    assert problem.message == f"must be at most {MAX_STAFF}, not {MAX_STAFF + 1}"


def test_a_cell_no_scenario_file_may_hold_is_refused(context: Context) -> None:
    """A NUL in an MSEL cell once went through into the scenario's inject text."""
    path = context.folder / "found" / "nul.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(_msel_csv("36", text_en="te\x00xt"))
    with pytest.raises(UserError, match=r"U\+0000") as caught:
        import_msel(path, context)
    assert caught.value.message.startswith(f"{path}:2:4: ")
