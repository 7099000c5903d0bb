"""Plain polygons — one closed 2-D ring each, as nearly every parcel is — as flat coordinates.

Most steps need no shapely object per parcel: the projection, the areas and the bounding
boxes work on the coordinates alone, in PROJ and numpy, which release the GIL and so use
both cores. Shapely geometries, whose construction holds the GIL, are built only where a
predicate or an intersection needs them (parcels near a zone border).

Areas follow GEOS's own formula in GEOS's order of operations (``Area::ofRingSigned``: the
shoelace sum with x taken relative to the first vertex, added vertex by vertex), so they equal
``shapely.area`` bit for bit.

WKB is parsed here too: a GeoParquet row group of plain polygons (little-endian, 2-D, one ring
each) becomes coordinates in a few numpy passes over its bytes, with no GEOS call.
"""

from __future__ import annotations

import functools
import itertools
import warnings
from typing import Any

import numpy as np
import shapely

from landuse import _parallel
from landuse._bulk import without_gc

__all__ = ["Rings", "extent", "parse_wkb", "plain_polygons"]

_LONG_RING = 4096  # vertices beyond which a ring's area is left to GEOS (a loop per vertex)
_SMALL_RING = 16  # rings up to this many vertices are measured in buckets of equal size
_BLOCK = 65_536  # vertices per block of work: temporaries stay a few MB, whatever the size


class Rings:
    """The plain polygons among ``size`` rows: ring ``k`` (of row ``rows[k]``) has
    ``counts[k]`` vertices, ``xy[starts[k]:starts[k + 1]]``.

    Examples
    --------
    >>> import shapely
    >>> squares = np.array([shapely.box(0, 0, 2, 2), shapely.Point(1, 1), shapely.box(5, 5, 6, 6)])
    >>> rings = Rings.of(squares)
    >>> rings.rows.tolist(), rings.areas().tolist(), rings.bounds()[1].tolist()
    ([0, 2], [4.0, 1.0], [5.0, 5.0, 6.0, 6.0])
    """

    __slots__ = ("_bounds", "counts", "rows", "size", "starts", "xy")

    def __init__(
        self,
        xy: np.ndarray,
        counts: np.ndarray,
        rows: np.ndarray,
        size: int,
        starts: np.ndarray | None = None,
    ) -> None:
        self.xy = np.ascontiguousarray(xy, dtype=float).reshape(-1, 2)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.rows = np.asarray(rows, dtype=np.intp)
        self.size = int(size)
        if starts is None:
            starts = np.zeros(len(self.counts) + 1, dtype=np.int64)
            np.cumsum(self.counts, out=starts[1:])
        self.starts = starts
        self._bounds: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.counts)

    @property
    def complete(self) -> bool:
        """Whether every row is a plain polygon."""
        return len(self.counts) == self.size

    @classmethod
    def of(cls, geoms: np.ndarray) -> Rings:
        """The plain polygons among ``geoms`` (one pass on the pool)."""
        geoms = np.asarray(geoms, dtype=object)

        def chunk(part: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            plain = plain_polygons(part)
            chosen = part[plain]
            return plain, shapely.get_num_coordinates(chosen), shapely.get_coordinates(chosen)

        plain, counts, xy = _parallel.map_chunks(chunk, geoms)
        return cls(xy, counts, np.flatnonzero(plain), len(geoms))

    @classmethod
    def concatenate(cls, parts: list[Rings]) -> Rings:
        """Rings of consecutive blocks of rows, as one (with their bounds, where all have
        them)."""
        if not parts:
            return cls(np.zeros((0, 2)), np.zeros(0, np.int64), np.zeros(0, np.intp), 0)
        offsets = np.cumsum([0, *(part.size for part in parts)])
        out = cls(
            np.concatenate([p.xy for p in parts]),
            np.concatenate([p.counts for p in parts]),
            np.concatenate([p.rows + o for p, o in zip(parts, offsets, strict=False)]),
            int(offsets[-1]),
        )
        if all(p._bounds is not None for p in parts):
            out._bounds = np.concatenate([p._bounds for p in parts if p._bounds is not None])
        return out

    def take(self, select: np.ndarray) -> Rings:
        """The rings at positions ``select`` (into this object's rings), rows unchanged."""
        select = np.asarray(select, dtype=np.intp)
        counts = self.counts[select]
        return Rings(self.xy[self._vertices(select, counts)], counts, self.rows[select], self.size)

    def _vertices(self, select: np.ndarray, counts: np.ndarray) -> np.ndarray:
        first = self.starts[select]
        before = np.zeros(len(counts), dtype=np.int64)
        np.cumsum(counts[:-1], out=before[1:])
        return np.repeat(first - before, counts) + np.arange(int(counts.sum()), dtype=np.int64)

    def polygons(self, first: int = 0, last: int | None = None) -> np.ndarray:
        """Rings ``first`` to ``last`` (all by default) as shapely polygons: one
        ``from_ragged_array``, which holds the GIL throughout."""
        last = len(self.counts) if last is None else last
        starts = self.starts[first : last + 1]
        parts = np.arange(last - first + 1, dtype=np.int64)
        with without_gc():
            return np.asarray(
                shapely.from_ragged_array(
                    shapely.GeometryType.POLYGON,
                    self.xy[starts[0] : starts[-1]],
                    (starts - starts[0], parts),
                ),
                dtype=object,
            )

    def polygons_in_turns(self, batch: int = 8_192) -> np.ndarray:
        """:meth:`polygons` in batches, letting other threads take the GIL in between (a
        thread waiting to start a GEOS check gets its turn after one batch, not after all)."""
        edges = [*range(0, len(self.counts), batch), len(self.counts)]
        if len(edges) <= 2:
            return self.polygons()
        return np.concatenate([self.polygons(a, b) for a, b in itertools.pairwise(edges)])

    def bounds(self, *, keep: bool = True) -> np.ndarray:
        """(minx, miny, maxx, maxy) per ring, as ``shapely.bounds`` gives them (kept for
        the next call unless ``keep`` is false)."""
        if self._bounds is not None:
            return self._bounds
        bounds = self._per_ring(_ring_bounds) if len(self) else np.zeros((0, 4))
        if keep:
            self._bounds = bounds
        return np.asarray(bounds)

    def total_bounds(self) -> np.ndarray:
        """(minx, miny, maxx, maxy) of all rings."""
        return extent(self.bounds())

    def _per_ring(self, func: Any) -> Any:
        """``func(xy, starts)`` over blocks of whole rings of about :data:`_BLOCK` vertices,
        on the pool (``starts``: the block's ring offsets from 0), results concatenated."""
        total = int(self.starts[-1])
        # the ring holding every _BLOCK-th vertex starts a block
        firsts = np.searchsorted(self.starts, np.arange(0, total, _BLOCK), side="right") - 1
        edges = np.unique(np.r_[0, firsts, len(self.counts)])

        def block(first: int, last: int) -> Any:
            offsets = self.starts[first : last + 1]
            return func(self.xy[offsets[0] : offsets[-1]], offsets - offsets[0])

        parts = _parallel.run(
            [functools.partial(block, int(a), int(b)) for a, b in itertools.pairwise(edges)]
        )
        return np.concatenate(parts)

    def areas(self) -> np.ndarray:
        """Area per ring, equal to ``shapely.area`` of its polygon bit for bit."""
        out = np.empty(len(self.counts))
        width = np.where(
            self.counts <= _SMALL_RING,
            self.counts,
            2 ** np.ceil(np.log2(np.maximum(self.counts, 1))).astype(np.int64),
        )
        tasks, places = [], []
        for size in np.unique(width):
            select = np.flatnonzero(width == size)
            if size > _LONG_RING:
                out[select] = shapely.area(self.take(select).polygons())
                continue
            step = max(_BLOCK // int(size), 1)  # rings per block
            for first in range(0, len(select), step):
                chosen = select[first : first + step]
                places.append(chosen)
                tasks.append(
                    functools.partial(
                        _ring_areas, self.xy, self.starts[chosen], self.counts[chosen], int(size)
                    )
                )
        for chosen, area in zip(places, _parallel.run(tasks), strict=True):
            out[chosen] = area
        return out

    def convex(self) -> np.ndarray:
        """Per ring, whether it is certainly a strictly convex polygon — and so certainly
        valid, as ``shapely.is_valid`` would say, without asking GEOS.

        Every corner must turn the same way, by Shewchuk's error bound beyond doubt (a
        straight or doubtful corner, a repeated vertex or a NaN answers "not certain"), and
        the turns must add up to one full turn (a star turns twice). A ring that is not
        certain may still be valid: GEOS decides those.
        """
        if not len(self):
            return np.zeros(0, dtype=bool)
        return np.asarray(self._per_ring(_convex_rings), dtype=bool)

    def transformed(self, transformer: Any) -> tuple[Rings, bool]:
        """The rings through ``transformer`` (pyproj, ``always_xy``), on the pool; and whether
        every coordinate came out finite."""
        moved = np.empty_like(self.xy)

        def block(first: int, last: int) -> bool:
            x, y = np.array(self.xy[first:last, 0]), np.array(self.xy[first:last, 1])
            transformer.transform(x, y, inplace=True)
            moved[first:last, 0], moved[first:last, 1] = x, y
            return bool(np.isfinite(x).all() and np.isfinite(y).all())

        parts = _parallel.ranges(len(self.xy))
        finite = _parallel.run([functools.partial(block, a, b) for a, b in parts])
        return Rings(moved, self.counts, self.rows, self.size, self.starts), all(finite)


def extent(bounds: np.ndarray) -> np.ndarray:
    """(minx, miny, maxx, maxy) of boxes given one per row; NaN rows are left out (all NaN:
    NaN).

    Examples
    --------
    >>> extent(np.array([[0.0, 1.0, 2.0, 3.0], [-1.0, 2.0, 1.0, 5.0], [np.nan] * 4])).tolist()
    [-1.0, 1.0, 2.0, 5.0]
    """
    with warnings.catch_warnings():  # an all-NaN column: NaN, said by the caller
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.array(
            [
                np.nanmin(bounds[:, 0]),
                np.nanmin(bounds[:, 1]),
                np.nanmax(bounds[:, 2]),
                np.nanmax(bounds[:, 3]),
            ]
        )


def plain_polygons(geoms: np.ndarray) -> np.ndarray:
    """Mask of the plain polygons: one ring, no z, not empty."""
    return np.asarray(
        (shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON)
        & (shapely.get_num_interior_rings(geoms) == 0)
        & (shapely.get_num_coordinates(geoms) >= 4)
        & ~shapely.has_z(geoms),
        dtype=bool,
    )


_CCW_ERROR_BOUND = (3.0 + 16.0 * np.finfo(float).eps / 2) * np.finfo(float).eps / 2
_TINY = 1e-280  # products below this may have lost bits to underflow


def _convex_rings(xy: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """:meth:`Rings.convex` for a block of rings (``starts``: ring offsets from 0)."""
    counts = np.diff(starts)
    x, y = np.array(xy[:, 0]), np.array(xy[:, 1])
    # the edges out of every vertex but each ring's closing one
    mine = np.ones(len(x), dtype=bool)
    mine[starts[1:] - 1] = False
    dx, dy = (x[1:] - x[:-1])[mine[:-1]], (y[1:] - y[:-1])[mine[:-1]]
    first = np.r_[0, np.cumsum(counts - 1)[:-1]]  # each ring's first edge
    # corner k: from edge k − 1 into edge k (the first corner comes from the ring's last edge)
    previous = np.arange(len(dx)) - 1
    previous[first] = first + counts - 2
    pdx, pdy = dx[previous], dy[previous]
    # Shewchuk's orient2d (fast path) on the corner's three vertices: its sign is certain
    # beyond the error bound; a straight corner or a repeated vertex is never certain
    left, right = pdx * dy, pdy * dx
    turn = left - right
    magnitude = np.abs(left) + np.abs(right)
    # (the bound assumes normal floats: products near underflow are doubtful too)
    certain = (np.abs(turn) > _CCW_ERROR_BOUND * magnitude) & (magnitude > _TINY)
    positive = turn > 0
    same = np.logical_and.reduceat(
        certain & (positive == positive[first].repeat(counts - 1)), first
    )
    # turning one way, the edges' direction passes angle 0 and angle π once per full turn:
    # count the changes of half-plane (exact: the sign of a difference of floats is exact)
    upper = (dy > 0) | ((dy == 0) & (dx > 0))
    changes = np.add.reduceat((upper != upper[previous]).astype(np.int64), first)
    return np.asarray(same & (changes == 2) & (counts >= 4), dtype=bool)


def _ring_bounds(xy: np.ndarray, starts: np.ndarray) -> np.ndarray:
    first = starts[:-1]
    x, y = xy[:, 0], xy[:, 1]
    return np.column_stack(
        [
            np.minimum.reduceat(x, first),
            np.minimum.reduceat(y, first),
            np.maximum.reduceat(x, first),
            np.maximum.reduceat(y, first),
        ]
    )


def _ring_areas(xy: np.ndarray, starts: np.ndarray, counts: np.ndarray, width: int) -> np.ndarray:
    """GEOS's ring area for rings of at most ``width`` vertices: the sum of
    (x[i] − x[0]) · (y[i−1] − y[i+1]) for i = 1 … n−2, added in that order, halved."""
    vertex = np.minimum(np.arange(width)[:, np.newaxis], counts - 1)  # (width, rings)
    x, y = xy[starts + vertex, 0], xy[starts + vertex, 1]
    terms = (x[1:-1] - x[0]) * (y[:-2] - y[2:])  # row i − 1: the term of vertex i
    terms[np.arange(1, width - 1)[:, np.newaxis] > counts - 2] = 0.0  # past the ring's end
    # row after row, as GEOS adds them (numpy's own reductions may add pairwise)
    total = np.zeros(len(counts))
    for row in terms:
        total += row
    return np.asarray(np.abs(total / 2.0))


def parse_wkb(offsets: np.ndarray, data: np.ndarray) -> Rings | None:
    """Rings from WKB values ``data[offsets[i]:offsets[i + 1]]`` when every value is a plain
    polygon (little-endian, 2-D, one ring of at least 4 closed vertices); else ``None`` (the
    caller parses with GEOS, which also names what is wrong).

    Examples
    --------
    >>> import shapely
    >>> wkb = shapely.to_wkb([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 4, 3)])
    >>> data = np.frombuffer(b"".join(wkb), dtype=np.uint8)
    >>> rings = parse_wkb(np.cumsum([0, *map(len, wkb)]), data)
    >>> rings.counts.tolist(), rings.areas().tolist()
    ([5, 5], [1.0, 2.0])
    >>> parse_wkb(np.array([0, 21]), np.frombuffer(shapely.to_wkb(shapely.Point(1, 2)), np.uint8))
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    n = len(offsets) - 1
    start = offsets[:-1]
    length = np.diff(offsets)
    if n == 0 or (length < 13).any() or offsets[-1] > len(data):
        return None
    if not (data[start] == 1).all():  # big-endian
        return None
    header = data[start[:, np.newaxis] + np.arange(1, 13)].copy().view("<u4")  # (n, 3)
    counts = header[:, 2].astype(np.int64)
    if not (
        (header[:, 0] == 3).all()  # Polygon, 2-D, no SRID
        and (header[:, 1] == 1).all()  # one ring
        and (counts >= 4).all()
        and (length == 13 + 16 * counts).all()
    ):
        return None
    # the coordinate bytes: every value but its 13-byte header
    spans = np.column_stack([np.full(n, 13), 16 * counts]).ravel()
    keep = np.repeat(np.tile(np.array([False, True]), n), spans)
    xy = data[offsets[0] : offsets[-1]][keep].view(np.float64).reshape(-1, 2)
    rings = Rings(xy, counts, np.arange(n), n)
    first, last = rings.starts[:-1], rings.starts[1:] - 1
    if not (xy[first] == xy[last]).all():  # unclosed (or NaN) rings: GEOS decides
        return None
    return rings
