"""Load YAML files with source marks and validate them with pydantic.

Every mapping key and every value node keeps its 1-based (line, column), so each
validation error points at its place in the file, and all errors are reported at
once. Mapping keys are kept as the text written in the file: ``on:`` is ``'on'``.
"""

from __future__ import annotations

import difflib
import enum
import inspect
import math
import re
import types
import typing
from collections import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeAlias, TypeVar, get_args, get_origin

import pydantic
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from ..model import Location, Problem, UserError, ValidationFailed, format_path, read_input

Data: TypeAlias = dict[str, "Data"] | list["Data"] | str | int | float | bool | None
"""Plain data as loaded from YAML."""
LocPath: TypeAlias = tuple[str | int, ...]
"""Keys and list indices leading from the document root to a node."""
Mark: TypeAlias = tuple[int, int]
"""A 1-based (line, column) in the source file."""
M = TypeVar("M", bound=BaseModel)

MAX_BYTES = 2**20
"""The largest plan or scenario file read (the bundled ones are under 40 KiB): PyYAML reads about a
megabyte a second, so the worst file allowed is refused or read in about a second."""
MAX_DEPTH = 64
"""The deepest nesting of mappings and lists a file may have."""
MAX_VALUES = 50_000
"""The most values a file may hold once its aliases are expanded (the bundled plan has about 2,400);
PyYAML builds about 35,000 a second, so a file at the limit is refused in under two seconds."""

_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
EXPONENT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+")
"""A number in exponent notation without a dot (``1e9``), which YAML 1.1 reads as text and this loader as a
number: a writer of files for this loader quotes a text it matches."""
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@dataclass(frozen=True)
class SourceDoc:
    """A loaded YAML document and the source mark of each of its keys and values."""

    data: Data
    path: Path
    value_marks: Mapping[LocPath, Mark] = field(default_factory=dict, repr=False)
    """Mark of the value node at each location path (the root is ``()``)."""
    key_marks: Mapping[LocPath, Mark] = field(default_factory=dict, repr=False)
    """Mark of the mapping key naming each location path."""

    def locate(self, loc: Sequence[str | int], key: bool = False) -> Location:
        """Return where ``loc`` (or else its deepest existing prefix) is in the file.

        With ``key=True`` point at the mapping key naming ``loc``, not at its value.
        """
        loc = tuple(loc)
        if key and loc in self.key_marks:
            return Location(str(self.path), *self.key_marks[loc])
        for end in range(len(loc), -1, -1):
            if (mark := self.value_marks.get(loc[:end])) is not None:
                return Location(str(self.path), *mark)
        return Location(str(self.path))


def problem(doc: SourceDoc, loc: Sequence[str | int], message: str, key: bool = False) -> Problem:
    """Build a Problem about ``loc`` in ``doc``, located at its key or at its value."""
    return Problem(doc.locate(loc, key=key), message, format_path(loc))


def _mark(mark: yaml.Mark) -> Mark:
    return (mark.line + 1, mark.column + 1)


def _mark_after(head: str) -> Mark:
    """Return the mark just after ``head``, a file's opening text."""
    lines = _LINE_BREAK.split(head)
    return (len(lines), len(lines[-1]) + 1)


def _too_many_values() -> str:
    return f"more than {MAX_VALUES} values once aliases are expanded"


class _Builder:
    """Turns composed YAML nodes into plain data, recording marks and problems."""

    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader, self.file = loader, file
        self.value_marks: dict[LocPath, Mark] = {}
        self.key_marks: dict[LocPath, Mark] = {}
        self.problems: list[Problem] = []
        self.active: set[int] = set()  # collections being built: stops alias loops
        self.built = 0  # values built so far, each alias counting as often as it is used

    def complain(self, mark: yaml.Mark, message: str, loc: LocPath) -> None:
        self.problems.append(Problem(Location(self.file, *_mark(mark)), message, format_path(loc)))

    def build(self, node: yaml.Node, loc: LocPath) -> Data:
        self.built += 1
        if self.built > MAX_VALUES:
            where = Location(self.file, *_mark(node.start_mark))
            raise ValidationFailed([Problem(where, _too_many_values())])
        self.value_marks[loc] = _mark(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            try:  # an unknown tag raises a ConstructorError, reported by load_yaml
                value = self.loader.construct_object(node)
            except (ValueError, KeyError, AttributeError):  # e.g. "!!int abc"
                self.complain(node.start_mark, f"cannot read {node.value!r} as {node.tag}", loc)
                return None
            if isinstance(value, str) and node.style is None and EXPONENT.fullmatch(value):
                value = float(value)  # 1e9: a number in YAML 1.2, a string to PyYAML's YAML 1.1
            if isinstance(value, float) and not math.isfinite(value):
                self.complain(node.start_mark, f"expected a finite number, not {node.value}", loc)
                return None
            plain = value is None or isinstance(value, (str, int, float, bool))
            return value if plain else str(node.value)  # e.g. a timestamp, as written
        if node.tag not in (_MAP, _SEQ):
            self.complain(node.start_mark, f"unsupported tag '{node.tag}'", loc)
            return None
        if id(node) in self.active:
            self.complain(node.start_mark, "an alias may not refer to a node containing it", loc)
            return None
        self.active.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: Data = self.mapping(node, loc)
        else:
            result = [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        self.active.discard(id(node))
        return result

    def mapping(self, node: yaml.MappingNode, loc: LocPath) -> dict[str, Data]:
        result: dict[str, Data] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.complain(key_node.start_mark, "merge keys ('<<') are not supported", loc)
            elif not isinstance(key_node, yaml.ScalarNode):
                self.complain(key_node.start_mark, "a mapping key must be a plain value", loc)
            elif (key := str(key_node.value)) in first_line:
                message = f"duplicate key '{key}' (first at line {first_line[key]})"
                self.complain(key_node.start_mark, message, (*loc, key))
            else:
                first_line[key] = key_node.start_mark.line + 1
                self.key_marks[(*loc, key)] = _mark(key_node.start_mark)
                result[key] = self.build(value_node, (*loc, key))
        return result


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing nesting deeper than ``MAX_DEPTH`` and more than ``MAX_VALUES`` values.

    Both are checked as the document is composed, before the rest of it is read: composing is the
    slow part (some 30 µs a node), so a file of a million short values is refused at the limit, not
    after the million. Mapping keys are not counted and an alias counts once here; the builder counts
    each use of an alias, so it alone refuses an alias expansion.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """Compose one node, counting how deep it lies (PyYAML composes recursively) and how many came before."""
        self.depth += 1
        self.nodes += not (isinstance(parent, yaml.MappingNode) and index is None)  # values, as the builder counts
        try:
            if self.depth > MAX_DEPTH or self.nodes > MAX_VALUES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                problem = f"nested more than {MAX_DEPTH} levels deep" if self.depth > MAX_DEPTH else _too_many_values()
                raise yaml.MarkedYAMLError(problem=problem, problem_mark=mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_yaml(path: Path) -> SourceDoc:
    """Read one YAML document, keeping the source mark of every key and value.

    Raises UserError when the file cannot be read as UTF-8 text or is larger than ``MAX_BYTES``,
    and ValidationFailed for syntax errors, duplicate keys, an empty file, nesting deeper than
    ``MAX_DEPTH`` and more than ``MAX_VALUES`` values (aliases expanded).
    """
    file = str(path)
    raw = read_input(path, MAX_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = Location(file, *_mark_after(raw[: exc.start].decode("utf-8-sig")))
        raise UserError(f"{where}: not UTF-8 text (byte 0x{raw[exc.start]:02x})") from None
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        where = Location(file, *_mark_after(text[: exc.position]))
        found = Problem(where, f"{exc.reason} (character #x{exc.character:04x})")
        raise ValidationFailed([found]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ValidationFailed([Problem(Location(file), "file is empty")])
        builder = _Builder(loader, file)
        data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark, message = exc.problem_mark, exc.problem or "invalid YAML"
        if exc.context and message.startswith("but "):  # "expected …, but found …"
            message = f"{exc.context}, {message}"
        elif exc.context and exc.context.startswith("while parsing a ") and exc.context_mark is not None:
            line, column = _mark(exc.context_mark)
            message = f"{message} (in the {exc.context.removeprefix('while parsing a ')} opened at line {line}, column {column})"
        where = Location(file, *_mark(mark)) if mark else Location(file)
        raise ValidationFailed([Problem(where, message)]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise ValidationFailed(builder.problems)
    return SourceDoc(data, path, builder.value_marks, builder.key_marks)


def _members(tp: Any) -> list[Any]:
    """Return the members of a union other than None, or [] when ``tp`` is no union."""
    is_union = get_origin(tp) in (typing.Union, types.UnionType)
    return [arg for arg in get_args(tp) if arg is not type(None)] if is_union else []


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif len(members := _members(tp)) == 1:
            tp = members[0]
        else:
            return tp


def _fields(tp: Any) -> dict[str, FieldInfo]:
    """Return the fields of a pydantic model class, or {} for any other type."""
    return dict(tp.model_fields) if inspect.isclass(tp) and issubclass(tp, BaseModel) else {}


def _tags(member: Any) -> set[str]:
    """Return the names pydantic may give a union member in an error's loc."""
    meta = get_args(member)[1:] if get_origin(member) is Annotated else ()
    tags = {m.tag for m in meta if isinstance(m, pydantic.Tag)}
    member = _unwrap(member)
    if inspect.isclass(member):
        tags.add(member.__name__)
    for info in _fields(member).values():
        if get_origin(info.annotation) is Literal:
            values = get_args(info.annotation)
            tags.update(str(v.value if isinstance(v, enum.Enum) else v) for v in values)
    return tags


def _child(tp: Any, elem: str | int) -> Any:
    """Return the type expected at ``elem`` inside a value of type ``tp``, if known."""
    tp = _unwrap(tp)
    origin, args = get_origin(tp), get_args(tp)
    if members := _members(tp):
        return next((c for m in members if (c := _child(m, elem)) is not None), None)
    if origin in (list, set, frozenset, abc.Sequence, abc.Set) and args:
        return args[0]
    if origin in (dict, abc.Mapping) and len(args) == 2:
        return args[1]
    return next((i.annotation for n, i in _fields(tp).items() if elem in (n, i.alias)), None)


def _field_names(tp: Any) -> list[str]:
    """Return the keys accepted by the model ``tp``, or by any model of a union."""
    tp = _unwrap(tp)
    if members := _members(tp):
        return list(dict.fromkeys(n for m in members for n in _field_names(m)))
    return [info.alias or name for name, info in _fields(tp).items()]


def _fit(member: Any, node: Data) -> int:
    """Score how well ``node`` suits a union member: 1 per known key, 100 per matched tag."""
    score = 0
    for name, info in _fields(_unwrap(member)).items():
        if isinstance(node, dict) and (key := info.alias or name) in node:
            tag = get_origin(info.annotation) is Literal
            score += 100 if tag and node[key] in get_args(info.annotation) else 1
    return score


def _walk(model: Any, doc: SourceDoc, loc: LocPath) -> tuple[LocPath, Any, bool, bool]:
    """Follow a pydantic loc through the data and the model's types together.

    Return the elements of ``loc`` that are in the data, the type holding the last
    of them, whether that is the last of ``loc``, and whether every union member
    named in ``loc`` is one that best fits the data.
    """
    path: LocPath = ()
    node, tp, owner = doc.data, _unwrap(model), None
    found, tag_done, best = False, False, True
    for elem in loc:
        found = False
        if (members := _members(tp)) and not tag_done:  # pydantic names the member it tried
            member = next((m for m in members if str(elem) in _tags(m)), None)
            if member is not None:
                best = best and _fit(member, node) == max(_fit(m, node) for m in members)
                tp = _unwrap(member)
            tag_done = True
        elif (*path, elem) in doc.value_marks:
            if isinstance(node, dict | list):
                node = node[str(elem)] if isinstance(node, dict) else node[int(elem)]
            owner, tp = tp, _unwrap(_child(tp, elem))
            path, found, tag_done = (*path, elem), True, False
    return path, owner, found, best


def _convert(model: type[BaseModel], doc: SourceDoc, err: ErrorDetails) -> tuple[Problem, bool]:
    """Word and locate one pydantic error; tell if it is about best-fitting union members."""
    kind, loc = err["type"], err["loc"]
    path, owner, found_last, best = _walk(model, doc, loc)
    key = (kind == "extra_forbidden" and found_last) or loc[-1:] == ("[key]",)
    if kind == "extra_forbidden" and found_last:
        names = _field_names(owner)
        close = difflib.get_close_matches(str(path[-1]), names, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(names)}"
        message = f"unknown key '{path[-1]}'" + (f"; {hint}" if names else "")
    elif kind == "missing" and loc and not found_last:
        message = f"missing required key '{loc[-1]}'"
    elif kind in _BOUNDS:
        word, name = _BOUNDS[kind]
        message = f"must be {word} {_as_written(err['ctx'][name])}, not {_as_written(err['input'])}"
    elif kind in _EXPECTED:
        message = f"expected {_EXPECTED[kind]}, not {_as_written(err['input'])}"
    elif kind in ("literal_error", "enum"):  # expected reads "'a', 'b' or 'c'"
        expected = ", ".join(str(err.get("ctx", {}).get("expected")).rsplit(" or ", 1))
        message = f"{_as_written(err['input'])} is not one of: {expected}"
    else:
        message = err["msg"]  # errors(include_url=False) keeps links out of it
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        message = f"invalid key: {message}" if key else message
    return problem(doc, path, message, key=key), best


_EXPECTED = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "string_type": "a text",
}
"""Pydantic's type errors, worded as what the file should hold at that place."""


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}
"""Pydantic's range errors: the words for the bound, and the name of the bound in the error's context."""


SHOWN = 60
"""The most characters of a text a message quotes (a 3 MB value would be echoed whole)."""


def _as_written(value: object) -> str:
    """Render a loaded value the way YAML writes it: true, .inf, .nan, 'text' (cut short), a mapping or a list."""
    if isinstance(value, str) and len(value) > SHOWN:
        return f"{value[:SHOWN]!r}… ({len(value)} characters)"
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return repr(value)


def validate(model: type[M], doc: SourceDoc) -> M:
    """Validate the document's data as ``model``.

    Raises ValidationFailed listing every error at once, each located in the file.
    Of a union, only the members that best fit the data have their errors shown.
    """
    try:
        return model.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        found = [_convert(model, doc, err) for err in exc.errors(include_url=False)]
        shown = [p for p, best in found if best] or [p for p, _ in found]
        raise ValidationFailed(dict.fromkeys(shown)) from exc
