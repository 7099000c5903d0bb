"""Both cores for the vectorised geometry kernels: one thread pool, contiguous chunks.

shapely 2 (GEOS) and pyproj (PROJ) release the GIL inside their vectorised calls, so WKB
parsing, projection, STRtree queries, intersections and areas run in parallel on threads with
no copying between processes. The work is cut into contiguous chunks, each chunk is handed to
the same vectorised function, and the results are concatenated in order: an elementwise
function gives exactly (bit for bit) what one call over the whole array gives.

The pool has ``os.cpu_count()`` threads; the environment variable ``LANDUSE_THREADS`` (or the
``threads=`` keyword of :func:`map_chunks`) overrides it, and ``1`` runs everything serially
in the calling thread. Inputs smaller than ``min_chunk`` rows per thread run serially too:
below that the pool costs more than it saves.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

__all__ = [
    "MIN_CHUNK",
    "MIN_CHUNK_HEAVY",
    "chunk_bounds",
    "map_chunks",
    "ranges",
    "run",
    "serially",
    "start",
    "thread_count",
]

MIN_CHUNK = 20_000  # rows per thread below which the pool is not worth it (cheap kernels)
MIN_CHUNK_HEAVY = 2_000  # the same for costly ones (intersections, overlay queries)
_ENV = "LANDUSE_THREADS"
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_lock = threading.Lock()
_local = threading.local()  # set in pool threads: nested calls run serially


def thread_count(threads: int | None = None) -> int:
    """Threads to use: ``threads`` if given, else ``$LANDUSE_THREADS``, else the CPU count."""
    if threads is None:
        value = os.environ.get(_ENV, "").strip()
        if value:
            try:
                threads = int(value)
            except ValueError:
                raise ValueError(f"{_ENV} must be a whole number, not {value!r}") from None
        else:
            threads = os.cpu_count() or 1
    if threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")
    return int(threads)


def _executor(size: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size < size:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(
                max_workers=size, thread_name_prefix="landuse", initializer=_mark_worker
            )
            _pool_size = size
        return _pool


def _mark_worker() -> None:
    _local.worker = True


class serially:  # noqa: N801  (used like a function: ``serially(func)(...)``)
    """``func`` run without the pool in the calling thread — for work that is already parallel
    (a dask partition: dask's workers use the cores, and memory stays one chunk per worker).

    A class rather than a closure so that dask can hash and pickle it deterministically.
    """

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        before = getattr(_local, "worker", False)
        _local.worker = True
        try:
            return self.func(*args, **kwargs)
        finally:
            _local.worker = before

    def __dask_tokenize__(self) -> tuple[str, Callable[..., Any]]:
        return ("landuse.serially", self.func)


def _forget_pool() -> None:
    """In a forked child the pool's threads are gone: start a new pool when needed."""
    global _pool, _pool_size, _lock
    _pool, _pool_size, _lock = None, 0, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def chunk_bounds(n: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` contiguous ``(start, stop)`` ranges covering ``range(n)``, sizes within one."""
    edges = np.linspace(0, n, parts + 1).round().astype(np.int64)
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges.tolist()) if b > a]


def _parts(n: int, threads: int | None, min_chunk: int) -> int:
    if getattr(_local, "worker", False):
        return 1  # already on a pool thread: never wait on the pool from inside it
    count = thread_count(threads)
    return max(1, min(count, n // max(min_chunk, 1)))


def ranges(
    n: int, *, threads: int | None = None, min_chunk: int | None = None, heavy: bool = False
) -> list[tuple[int, int]]:
    """The ``(start, stop)`` row ranges :func:`map_chunks` cuts ``n`` rows into (one range
    when the pool is not worth it), for work that writes its chunks into one output.

    Examples
    --------
    >>> ranges(100_000, threads=2)
    [(0, 50000), (50000, 100000)]
    >>> ranges(10, threads=2)
    [(0, 10)]
    """
    if min_chunk is None:
        min_chunk = MIN_CHUNK_HEAVY if heavy else MIN_CHUNK
    return chunk_bounds(n, _parts(n, threads, min_chunk)) if n else [(0, 0)]


def run(tasks: Sequence[Callable[[], Any]], *, threads: int | None = None) -> list[Any]:
    """Run independent callables on the pool; results in the order given."""
    if len(tasks) <= 1 or getattr(_local, "worker", False) or thread_count(threads) == 1:
        return [task() for task in tasks]
    pool = _executor(thread_count(threads))
    futures = [pool.submit(task) for task in tasks]
    return [future.result() for future in futures]


def start(
    tasks: Sequence[Callable[[], Any]], *, threads: int | None = None
) -> list[Callable[[], Any]]:
    """Start independent callables on the pool and return at once, one function per task
    that waits for its result: the caller works on meanwhile and takes each result when it
    needs it.

    Serially (one thread, or already on a pool thread) a task runs when its result is asked
    for.

    Examples
    --------
    >>> pending = start([lambda: 1, lambda: 2])
    >>> [result() for result in pending]
    [1, 2]
    """
    if getattr(_local, "worker", False) or thread_count(threads) == 1:
        return list(tasks)
    pool = _executor(thread_count(threads))
    return [pool.submit(task).result for task in tasks]


def map_chunks(
    func: Callable[..., Any],
    *arrays: Any,
    threads: int | None = None,
    min_chunk: int | None = None,
    heavy: bool = False,
    combine: Callable[[list[Any]], Any] | None = None,
) -> Any:
    """``func(*arrays)`` computed over contiguous row chunks on the pool, results concatenated.

    ``arrays`` share their first dimension. ``func`` must be elementwise along it (row i of
    the result depends only on row i of the inputs) for the result to equal one serial call;
    ``combine`` joins the chunk results (default :func:`numpy.concatenate`; a tuple result is
    concatenated item by item). Each thread gets at least ``min_chunk`` rows (default
    :data:`MIN_CHUNK`, or :data:`MIN_CHUNK_HEAVY` for a ``heavy`` kernel).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(100_000, dtype=float)
    >>> bool((map_chunks(np.sqrt, x, threads=2) == np.sqrt(x)).all())
    True
    """
    bounds = ranges(len(arrays[0]), threads=threads, min_chunk=min_chunk, heavy=heavy)
    if len(bounds) == 1:
        return func(*arrays)
    results = run(
        [
            (lambda a=a, b=b: func(*(array[a:b] for array in arrays)))  # type: ignore[misc]
            for a, b in bounds
        ],
        threads=threads,
    )
    if combine is not None:
        return combine(results)
    if isinstance(results[0], tuple):
        return tuple(np.concatenate(items) for items in zip(*results, strict=True))
    return np.concatenate(results)
