"""Where plans and scenarios come from: YAML files with source marks, the bundled library, built scenarios."""

from .library import catalogue, render_catalogue
from .loader import DEFAULT_PLAN, check_scenario, fits, iter_atoms, load_plan, load_scenario, resolve_scenario, scenarios_dir
from .yamlsource import EXPONENT, Data, LocPath, Mark, SourceDoc, load_yaml, validate

__all__ = [
    "DEFAULT_PLAN",
    "EXPONENT",
    "Data",
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
    "render_catalogue",
    "resolve_scenario",
    "scenarios_dir",
    "validate",
]
