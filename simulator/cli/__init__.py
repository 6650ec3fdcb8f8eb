"""The ``drillsim`` command line (``simulator.cli.main:main``) and the helpers its command groups share."""

from .args import add_scenario_args, address, minutes, out_file, out_folder, parse_staff, parse_what_if, port, seed, whole

__all__ = [
    "add_scenario_args",
    "address",
    "minutes",
    "out_file",
    "out_folder",
    "parse_staff",
    "parse_what_if",
    "port",
    "seed",
    "whole",
]
