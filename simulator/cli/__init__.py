"""The ``drillsim`` command line (``simulator.cli.main:main``) and the helpers its command groups share."""

from .args import add_scenario_args, parse_staff

__all__ = ["add_scenario_args", "parse_staff"]
