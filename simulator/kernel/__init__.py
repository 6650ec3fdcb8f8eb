"""The fast replication kernel for sweeps: the engine's model with an exact queue recursion."""

from .control import kernel_refusal
from .core import KernelRun, Registered, Walked, queue_bound, run_kernel, walk
from .walks import Walks

__all__ = ["KernelRun", "Registered", "Walked", "Walks", "kernel_refusal", "queue_bound", "run_kernel", "walk"]
