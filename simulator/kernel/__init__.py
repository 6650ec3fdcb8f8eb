"""The fast replication kernel for sweeps: the engine's model with an exact queue recursion."""

from .control import roster
from .core import run_kernel

__all__ = ["roster", "run_kernel"]
