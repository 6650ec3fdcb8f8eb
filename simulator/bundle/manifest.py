"""The manifest of a bundle: what it is of, and the SHA-256 of every file in it.

``manifest.json`` sits at the top of the zip::

    {"bundle": "drillsim", "version": 1, "kind": "drill",
     "files": {"events.jsonl": "<sha256>", "inputs/scenario/refund_surge.yaml": "<sha256>", ...}}

The digests find a file changed or damaged after the bundle was made; they are no signature (whoever
changes a file can rewrite the manifest too).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath
from typing import Literal

from pydantic import ValidationError

from ..model import Strict, UserError, first_problem

MANIFEST = "manifest.json"
VERSION: Literal[1] = 1


class Manifest(Strict):
    """A bundle's manifest."""

    bundle: Literal["drillsim"]
    version: Literal[1]
    kind: Literal["run", "drill"]
    """A batch run or a drill session."""
    files: dict[str, str]
    """Path inside the bundle → SHA-256 of its bytes, hex."""

    def to_bytes(self) -> bytes:
        """The manifest as written: JSON, keys and files in order."""
        data = {"bundle": self.bundle, "version": self.version, "kind": self.kind, "files": dict(sorted(self.files.items()))}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def parse(cls, raw: bytes, where: str) -> Manifest:
        """A manifest from its bytes; a UserError naming ``where`` if it is not one."""
        try:
            return cls.model_validate_json(raw)
        except ValidationError as exc:
            raise UserError(f"{where}: {MANIFEST} is not a drillsim bundle manifest ({first_problem(exc)})") from None


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data``, hex."""
    return hashlib.sha256(data).hexdigest()


def safe_name(name: str) -> bool:
    """Whether a path inside a bundle stays inside the folder it is unpacked into."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and "\\" not in name
        and ":" not in name
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )
