"""The plan's rules that the SimPy engine and the sweep kernel both apply, each written once."""

from .pulse import Pulse, rose
from .sampling import Sampler, categorical, draw

__all__ = ["Pulse", "Sampler", "categorical", "draw", "rose"]
