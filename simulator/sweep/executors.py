"""Where replications run: in this process, in a local process pool, or on a Dask cluster.

Every choice is a :class:`concurrent.futures.Executor`, so a sweep submits its jobs the same way
everywhere and its numbers depend only on the seeds. The pool's workers end themselves when the
process that made the pool dies, however it died. Dask (``distributed``) is an optional extra,
``drillsim[dask]``, imported only when asked for.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from ..model import UserError

P = ParamSpec("P")
R = TypeVar("R")

_METHOD = "distributed.worker.multiprocessing-method"

LOCAL = "local"
"""The ``--dask`` value that starts a Dask cluster on this machine for the run."""

WATCH_SECONDS = 0.5
"""How often a pool worker checks that the process that made the pool is still its parent."""


class SerialExecutor(Executor):
    """Runs each job at once in the calling process (one worker, no pickling)."""

    def submit(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> Future[R]:
        """Run ``fn(*args, **kwargs)`` now and return its finished future."""
        future: Future[R] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to the caller through the future, as a pool would
            future.set_exception(exc)
        return future


class PinnedPool(Executor):
    """Local worker processes, each a pool of its own; a job goes to the process its ``route`` names.

    The jobs of the same replications land in the same process at every staffing point, where the
    kernel keeps the control walks of their seeds (:class:`simulator.kernel.Walks`), so a search
    or a sweep over staffings walks each seed once per process. A job without a route goes to the
    processes in turn.
    """

    def __init__(self, workers: int) -> None:
        self._pools = [
            ProcessPoolExecutor(max_workers=1, initializer=_exit_with_parent, initargs=(os.getpid(),)) for _ in range(workers)
        ]
        self._turn = 0

    def submit(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> Future[R]:
        """Run ``fn(*args, **kwargs)`` in the process the first argument's ``route`` picks."""
        route = getattr(args[0], "route", None) if args else None
        if route is None:
            route, self._turn = self._turn, self._turn + 1
        return self._pools[route % len(self._pools)].submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Shut every process's pool down."""
        for pool in self._pools:
            pool.shutdown(wait, cancel_futures=cancel_futures)


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def open_executor(workers: int | None = None, dask: str | None = None) -> Iterator[Executor]:
    """An executor for a sweep, shut down on exit.

    ``dask`` is a scheduler address (``tcp://host:8786``) or ``local`` for a cluster of
    ``workers`` single-threaded worker processes on this machine; without it, ``workers`` = 1
    runs in this process and more use that many worker processes (default: one per core), each job
    pinned to a process by its route.
    """
    if dask is not None:
        with _dask(dask, workers) as ex:
            yield ex
        return
    count = workers or default_workers()
    if count < 1:
        raise UserError(f"--workers must be at least 1 (got {count})")
    if count == 1:
        yield SerialExecutor()
        return
    with PinnedPool(count) as pool:
        yield pool


def _exit_with_parent(parent: int) -> None:
    """Pool worker initializer: end this worker once ``parent`` is no longer its parent.

    A pool's workers otherwise outlive a main process that is killed outright (SIGKILL, OOM):
    nothing tells them, and they wait on the job queue for ever. A killed parent's children are
    handed to another process, so a changed ``os.getppid()`` means the parent is gone.
    """
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


@contextmanager
def _dask(address: str, workers: int | None) -> Iterator[Executor]:
    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise UserError("--dask needs the optional Dask extra: pip install 'drillsim[dask]'") from None
    cluster: Any = None
    if address == LOCAL:
        # On Linux the worker processes are forked: they inherit the loaded modules, which cuts the
        # cluster's start-up from seconds to well under one (Dask's default, spawn, re-imports all).
        method = "fork" if sys.platform.startswith("linux") else importlib.import_module("dask").config.get(_METHOD)
        with importlib.import_module("dask").config.set({_METHOD: method}):
            cluster = distributed.LocalCluster(
                n_workers=workers or default_workers(), threads_per_worker=1, processes=True, dashboard_address=None
            )
        client = distributed.Client(cluster)
    else:
        try:
            client = distributed.Client(address, timeout=10)
        except (OSError, ValueError) as exc:
            raise UserError(f"--dask: cannot reach the scheduler at '{address}' ({exc})") from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
