"""The fast replication kernel for sweeps: the engine's model with an exact queue recursion."""

from .core import run_kernel

__all__ = ["run_kernel"]
