"""Interpreter settings for bulk work — millions of objects, gigabytes of arrays — scoped to
landuse's steps and restored afterwards.

* Cyclic garbage collection: geometries hold no references and form no cycles, yet each new
  one counts towards the collector's thresholds, so building a million of them runs hundreds
  of collections that scan ever more objects (measured: half the build time).
* Huge pages: numpy asks Linux for transparent huge pages on every large array. Where the
  kernel compacts memory synchronously for such requests (``defrag = madvise``, the usual
  default) a fresh gigabyte took 2.7 s instead of 0.5 s on the machine of the README's "Speed
  and scale" — a fifth of the whole 1M-parcel job. Inside a step numpy does not ask.

Both are process-wide switches. Nested and concurrent steps (threads, dask tasks) share one
count: the first to enter turns the switch, the last to leave puts back what it found.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator

import numpy as np

__all__ = ["bulk", "without_gc"]

_lock = threading.Lock()
_entered: dict[str, int] = {}
_found: dict[str, bool] = {}


def _madvise_switch() -> tuple[Callable[[], bool], Callable[[bool], object]] | None:
    core = getattr(np, "_core", None) or getattr(np, "core", None)
    multiarray = getattr(core, "multiarray", None)
    get = getattr(multiarray, "_get_madvise_hugepage", None)
    put = getattr(multiarray, "_set_madvise_hugepage", None)
    return (get, put) if callable(get) and callable(put) else None


@contextlib.contextmanager
def _switched(name: str, get: Callable[[], bool], put: Callable[[bool], object]) -> Iterator[None]:
    with _lock:
        if _entered.get(name, 0) == 0:
            _found[name] = bool(get())
            put(False)
        _entered[name] = _entered.get(name, 0) + 1
    try:
        yield
    finally:
        with _lock:
            _entered[name] -= 1
            if _entered[name] == 0:
                put(_found.pop(name))


def _put_gc(enabled: bool) -> None:
    if enabled:
        gc.enable()
    else:
        gc.disable()


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """No cyclic garbage collection while a block makes objects by the million.

    Examples
    --------
    >>> import gc
    >>> with without_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    with _switched("gc", gc.isenabled, _put_gc):
        yield


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """A landuse step: numpy asks for no huge pages (where numpy has the switch)."""
    switch = _madvise_switch()
    if switch is None:
        yield
        return
    with _switched("hugepages", *switch):
        yield
