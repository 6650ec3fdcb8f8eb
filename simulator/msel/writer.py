"""Write an MSEL back into a scenario file: the ``injects`` list replaced, the rest kept.

When the scenario's top-level ``injects:`` block can be found in the text, only that block is
rewritten, so the file's other comments, anchors and layout stay as they were (comments inside
the old block are lost). Otherwise the whole document is dumped again — with every comment lost.
The result is checked as a scenario before anything is written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from ..load import EXPONENT, load_scenario, load_yaml
from ..model import Inject, Plan, UserError, ValidationFailed


class _Flow(dict[str, Any]):
    """A mapping dumped in flow style: ``{a: 1}``."""


class _FlowList(list[str]):
    """A list dumped in flow style: ``[a, b]``."""


class _Dumper(yaml.SafeDumper):
    """Indents block sequences under their key and writes flow-style markers inline."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Never indentless: ``- item`` sits two spaces under its key."""
        super().increase_indent(flow, False)


# A text such as "1e5" is a number to the loader: quote it, as PyYAML quotes "true" or "1.5".
_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT, list("-+.0123456789"))
_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def inject_data(inj: Inject) -> dict[str, Any]:
    """One inject as plain data in the bundled scenarios' layout (defaults left out)."""
    out: dict[str, Any] = {"id": inj.id} if inj.id is not None else {}
    out["at_h"] = int(inj.at_h) if inj.at_h.is_integer() else inj.at_h
    if inj.synopsis:
        out["synopsis"] = inj.synopsis
    out["kind"] = inj.kind
    if inj.player is not None:
        out["player"] = inj.player
    out["text"] = {"zh": inj.text.zh, "en": inj.text.en}
    if inj.set:
        out["set"] = _Flow(inj.set)
    if inj.expected:
        out["expected"] = _FlowList(inj.expected)
    if inj.when is not None:
        out["when"] = _Flow(inj.when.model_dump(by_alias=True, exclude_defaults=True))
    if inj.after is not None:
        out["after"] = _Flow(inj.after.model_dump(exclude_defaults=True))
    if inj.notes:
        out["notes"] = inj.notes
    return out


def dump(data: Any) -> str:
    """YAML text for ``data``: Unicode kept, keys in order, long lines not folded."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)


def replace_injects(path: Path, injects: Sequence[Inject]) -> str:
    """The text of scenario file ``path`` with its injects replaced by ``injects``."""
    doc = load_yaml(path)
    text = path.read_text(encoding="utf-8-sig")
    block = dump({"injects": [inject_data(i) for i in injects]})
    tops = sorted(mark for loc, mark in doc.key_marks.items() if len(loc) == 1)
    mark = doc.key_marks.get(("injects",))
    if not isinstance(doc.data, dict) or any(col != 1 for _, col in tops):
        data = dict(doc.data) if isinstance(doc.data, dict) else {}
        data["injects"] = [inject_data(i) for i in injects]
        return dump(data)
    lines = text.splitlines(keepends=True)
    if mark is None:
        tail = "" if not lines or lines[-1].endswith("\n") else "\n"
        return text + tail + "\n" + block
    start = mark[0] - 1
    end = next((line - 1 for line, _ in tops if line > mark[0]), len(lines))
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return "".join(lines[:start]) + block + "".join(lines[end:])


def write_injects(path: Path, injects: Sequence[Inject], plan: Plan, out: Path | None = None) -> Path:
    """Replace the injects of scenario ``path`` and write it to ``out`` (default: in place).

    The new text is loaded and checked against ``plan`` first; the file is replaced atomically.
    """
    target = out or path
    text = replace_injects(path, injects)
    folder = target.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".yaml", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            load_scenario(Path(tmp), plan)
        except ValidationFailed as exc:
            raise UserError(f"{target}: the rewritten scenario does not load:\n{exc}") from None
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
