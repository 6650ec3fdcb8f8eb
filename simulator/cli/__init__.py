"""The ``drillsim`` command line (``simulator.cli.main:main``) and the helpers its command groups share."""

from .args import add_scenario_args, minutes, out_file, out_folder, parse_staff, parse_what_if, port, seed, whole
from .texts import default_lang, lang_of, tr

__all__ = [
    "add_scenario_args",
    "default_lang",
    "lang_of",
    "minutes",
    "out_file",
    "out_folder",
    "parse_staff",
    "parse_what_if",
    "port",
    "seed",
    "tr",
    "whole",
]
