"""The SimPy engine: complaint flow, teams, the book of duties, decision makers."""

from .core import EVENT_OPEN, Engine
from .obligations import Instance
from .policies import AutoResponder, replay
from .teams import staffed_team

__all__ = ["EVENT_OPEN", "AutoResponder", "Engine", "Instance", "replay", "staffed_team"]
