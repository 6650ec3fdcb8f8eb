"""Whole-exercise bundles: a run or drill-session folder as one zip, with a SHA-256 manifest, and back."""

from .pack import export_bundle
from .unpack import Imported, import_bundle

__all__ = ["Imported", "export_bundle", "import_bundle"]
