"""The plan's rules that the SimPy engine and the sweep kernel both apply, each written once."""

from .duties import EVENT_OPEN, is_target
from .pulse import Pulse, rose
from .roster import roster
from .sampling import Sampler, categorical, draw

__all__ = ["EVENT_OPEN", "Pulse", "Sampler", "categorical", "draw", "is_target", "rose", "roster"]
