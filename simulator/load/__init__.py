"""Where plans and scenarios come from: YAML files with source marks, the bundled library, built scenarios."""

from .library import Entry, catalogue
from .loader import DEFAULT_PLAN, check_scenario, fits, iter_atoms, load_plan, load_scenario, resolve_scenario, scenarios_dir
from .yamlsource import EXPONENT, Data, LocPath, Mark, SourceDoc, load_yaml, validate

__all__ = [
    "DEFAULT_PLAN",
    "EXPONENT",
    "Data",
    "Entry",
    "LocPath",
    "Mark",
    "SourceDoc",
    "catalogue",
    "check_scenario",
    "fits",
    "iter_atoms",
    "load_plan",
    "load_scenario",
    "load_yaml",
    "resolve_scenario",
    "scenarios_dir",
    "validate",
]
