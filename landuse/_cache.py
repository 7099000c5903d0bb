"""Work that consecutive calls would repeat on the same geometries: validation and projection.

``read_parcels → add_areas → assign_zones`` each need valid polygons in the area CRS. The key
is the identity of the geometry objects themselves: shapely geometries are immutable, and an
entry holds references to them, so their ids cannot be reused while it lives. Replacing any
geometry (even in place, ``gdf.loc[i, "geometry"] = …``) changes the key. A copied frame shares
its geometry objects, so it hits the same entry.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

import numpy as np

__all__ = ["fingerprint", "lookup", "remember"]

_MAX_GEOMETRIES = 2_500_000  # ~ one million parcels, valid and projected; bounds the memory held
_MIN_SIZE = 1_000  # small arrays are cheap to redo; keep the room for big ones
_entries: OrderedDict[tuple[bytes, str], tuple[np.ndarray, Any]] = OrderedDict()


def fingerprint(geoms: np.ndarray) -> bytes:
    """A digest of the identities of the geometry objects (~50 ms per million)."""
    ids = np.fromiter(map(id, geoms), dtype=np.uint64, count=len(geoms))
    return hashlib.blake2b(ids.tobytes(), digest_size=16).digest()


def lookup(key: bytes, kind: str) -> Any | None:
    entry = _entries.get((key, kind))
    if entry is None:
        return None
    _entries.move_to_end((key, kind))
    return entry[1]


def remember(geoms: np.ndarray, key: bytes, kind: str, value: Any) -> None:
    if len(geoms) < _MIN_SIZE:
        return
    _entries[(key, kind)] = (np.array(geoms, dtype=object, copy=True), value)
    while sum(len(g) for g, _ in _entries.values()) > _MAX_GEOMETRIES and len(_entries) > 1:
        _entries.popitem(last=False)


def clear() -> None:
    """Forget everything (tests use it; users never need to)."""
    _entries.clear()
