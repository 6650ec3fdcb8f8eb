"""The SimPy engine: complaint flow, teams, the book of duties, decision makers."""

from .core import Engine
from .obligations import Instance
from .policies import AutoResponder, replay

__all__ = ["AutoResponder", "Engine", "Instance", "replay"]
