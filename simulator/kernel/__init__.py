"""The fast replication kernel for sweeps: the engine's model with an exact queue recursion."""

from .control import kernel_refusal
from .core import run_kernel
from .walks import Walks

__all__ = ["Walks", "kernel_refusal", "run_kernel"]
