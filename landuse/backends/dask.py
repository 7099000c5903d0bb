"""The public functions on dask-geopandas frames, for inventories bigger than memory.

Each function runs its in-memory self on every partition (``map_partitions``): dask does the
parallel and out-of-core work. Only two things need care across partitions:

* one overlay CRS for all partitions (chosen from the whole extent; areas are per parcel), and
* zones sent only to the partitions whose spatial extent they touch (``spatial_partitions``,
  Hilbert-shuffled data keep these small), so a zone join reads every partition once and
  intersects only what is near.

dask is imported inside the functions: ``import landuse`` never needs it.
"""

from __future__ import annotations

import functools
import itertools
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from landuse import _parallel, areas, io, rules, stats, zones
from landuse._bulk import bulk
from landuse._errors import DuplicateIdError, InputError
from landuse._validate import validate_parcels, validate_zones
from landuse.backends._common import only

__all__ = [
    "accepts",
    "add_areas",
    "assign_zones",
    "classify",
    "disposal_rates",
    "is_dask",
    "read_parcels",
]

NAME = "dask"


def is_dask(obj: object) -> bool:
    """Whether ``obj`` is a dask(-geopandas) collection, without importing dask."""
    return type(obj).__module__.split(".")[0] in {
        "dask_geopandas",
        "dask",
        "dask_expr",
    } and hasattr(obj, "map_partitions")


def accepts(data: object, options: dict[str, Any]) -> bool:
    return is_dask(data) or options.get("backend") == "dask"


def _require() -> Any:
    try:
        import dask_geopandas
    except ImportError:
        raise ImportError(
            "dask-geopandas is needed for data bigger than memory: pip install 'landuse[scale]'"
        ) from None
    return dask_geopandas


def read_parcels(path: str | os.PathLike[str], **options: Any) -> Any:
    """A partitioned GeoParquet dataset (or file) as a validated dask-geopandas frame.

    Every partition is validated as :func:`landuse.read_parcels` does; ``parcel_id`` is checked
    for uniqueness across partitions (one pass over that column).
    """
    options.pop("backend", None)
    only(options, {"columns"}, step="read_parcels", where="a dask read (canonical GeoParquet)")
    dask_geopandas = _require()
    columns = options.get("columns")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    ddf = dask_geopandas.read_parquet(path, columns=columns)
    meta = validate_parcels(ddf._meta)
    files = _files(path)
    if columns is None and len(files) == ddf.npartitions:
        # one partition per file, read by landuse's own reader (coordinates from the WKB
        # bytes, convex rings valid without GEOS, projected while read): the same frame as
        # dask-geopandas gives, validated, in a fraction of the time
        from dask import dataframe as dd

        covering = [c for c in meta.columns if c not in ddf._meta.columns or c == "bbox"]
        empty = meta.drop(columns=covering)
        empty.attrs = {}  # no mark on the meta: dask compares attrs
        import dask

        # the partitions' columns as landuse makes them (dask would otherwise re-read every
        # object column into Arrow strings: a task of its own per partition)
        with dask.config.set({"dataframe.convert-string": False}):
            checked = dd.from_map(  # type: ignore[no-untyped-call]
                _read_file, files, meta=empty, label="read-parcels"
            )
    else:
        checked = ddf.map_partitions(_in_partition(validate_parcels), meta=meta)
    checked.spatial_partitions = ddf.spatial_partitions
    repeated = _repeated_ids(path)
    if len(repeated):
        raise DuplicateIdError("parcel_id must be unique; repeated", sorted(repeated))
    return checked


class _in_partition:  # noqa: N801  (used like a function: ``_in_partition(func)(...)``)
    """``func`` on one partition in a dask worker: without landuse's pool (dask's workers use
    the cores) and with the switches every landuse step runs under (``landuse._bulk``: the
    workers call the in-memory steps directly, not through the dispatcher that sets them).

    A class rather than a closure so that dask can hash and pickle it deterministically.
    """

    def __init__(self, func: Any) -> None:
        self.func = _parallel.serially(func)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with bulk():
            return self.func(*args, **kwargs)

    def __dask_tokenize__(self) -> tuple[str, Any]:
        return ("landuse.in_partition", self.func.func)


def _files(path: Path) -> list[str]:
    """The dataset's files in the order dask-geopandas makes its partitions of them."""
    if path.is_file():
        return [str(path)]
    from dask.utils import natural_sort_key

    found = [str(f) for f in path.rglob("*.parquet") if f.is_file()]
    return sorted(found, key=natural_sort_key)


def _read_file(file: str) -> gpd.GeoDataFrame:
    """One file as a validated frame (the pool stays out: dask's workers use the cores)."""
    return _in_partition(io.read_parcels)(file)


def _repeated_ids(path: Path) -> list[str]:
    """The ids found more than once across the whole dataset, reading that column alone
    (Arrow, no geometries) in this process. A dask ``value_counts`` read every partition
    whole and shuffled (7.9 s at 1M against 1.1 s).

    When the files' id ranges (their Parquet statistics) do not overlap, no id can be in two
    files: each file is checked on its own, on the pool. Otherwise one pass over all ids.
    """
    files = _files(path)
    ranges = [_id_range(file) for file in files]
    known = [r for r in ranges if r is not None]
    if len(files) > 1 and len(known) == len(files):
        ordered = sorted(known)
        if all(low[1] < high[0] for low, high in itertools.pairwise(ordered)):
            found = _parallel.run([functools.partial(_repeated_in, [f]) for f in files])
            return sorted({value for values in found for value in values})
    return _repeated_in(files)


def _id_range(file: str) -> tuple[Any, Any] | None:
    """(min, max) of a file's ``parcel_id`` from its Parquet statistics, if written."""
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(file).metadata
    names = [metadata.schema.column(i).name for i in range(metadata.num_columns)]
    if "parcel_id" not in names:
        return None
    column = names.index("parcel_id")
    lows, highs = [], []
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(column).statistics
        if stats is None or not stats.has_min_max:
            return None
        lows.append(stats.min)
        highs.append(stats.max)
    if not lows:
        return None
    try:
        return min(lows), max(highs)
    except TypeError:  # mixed types: no order to trust
        return None


def _repeated_in(files: list[str]) -> list[str]:
    """The ids found more than once in ``files`` taken together."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    ids = ds.dataset(files, format="parquet").to_table(columns=["parcel_id"]).column(0)
    if not (pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)):
        ids = pc.cast(ids, pa.string())  # as validation reads them: text
    ids = pc.drop_null(ids)  # a missing id is refused by the partition's own validation
    if len(pc.unique(ids)) == len(ids):
        return []
    counts = pc.value_counts(ids)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    return [str(value) for value in repeated.to_pylist()]


def _extent_crs(ddf: Any, crs: Any) -> Any:
    """The area CRS of the whole extent (the same for every partition)."""
    if crs is not None:
        from pyproj import CRS

        return CRS.from_user_input(crs)
    if ddf.spatial_partitions is not None:
        bounds = ddf.spatial_partitions.total_bounds
    else:
        bounds = ddf.total_bounds.compute()
    box = gpd.GeoSeries([shapely.box(*bounds)], crs=ddf.crs)
    return areas.area_crs(box)


def add_areas(ddf: Any, **options: Any) -> Any:
    """Per partition: each parcel's own zone does not depend on its partition."""
    options.pop("verbose", None)  # dask shows its own progress (dashboard, ProgressBar)
    only(options, {"crs"}, step="add_areas", where="a dask frame")
    add = areas.add_areas
    out = ddf.map_partitions(_in_partition(add), **options, meta=add(ddf._meta, **options))
    out.spatial_partitions = ddf.spatial_partitions
    return out


def classify(ddf: Any, **options: Any) -> Any:
    options.pop("verbose", None)
    if options.get("per_mu") is not None:
        raise InputError("classify(per_mu=...) needs an in-memory GeoDataFrame, not dask")
    out = ddf.map_partitions(
        _in_partition(rules.classify), **options, meta=rules.classify(ddf._meta, **options)
    )
    out.spatial_partitions = ddf.spatial_partitions
    return out


def assign_zones(ddf: Any, zones_: gpd.GeoDataFrame, **options: Any) -> Any:
    """Zones per partition: only those that touch the partition's extent are sent to it."""
    options.pop("verbose", None)
    assign = zones.assign_zones
    name = options.get("name", "name")
    zones_frame = validate_zones(zones_, name=name)
    if options.get("crs") is None and options.get("overlay_crs") is None:
        options["overlay_crs"] = _extent_crs(ddf, None)  # one overlay CRS for all partitions
    if ddf.spatial_partitions is None:
        ddf = ddf.copy()
        ddf.calculate_spatial_partitions()
    extents = ddf.spatial_partitions.to_crs(zones_frame.crs)
    partition, zone = shapely.STRtree(np.asarray(zones_frame.geometry.array)).query(
        np.asarray(extents.geometry.array), predicate="intersects"
    )
    near = {i: zone[partition == i] for i in range(ddf.npartitions)}

    def per_partition(frame: gpd.GeoDataFrame, partition_info: dict[str, Any] | None = None) -> Any:
        number = partition_info["number"] if partition_info else None
        subset = zones_frame if number is None else zones_frame.iloc[near[number]]
        return _in_partition(assign)(frame, subset, **options)

    meta = assign(ddf._meta, zones_frame.iloc[:0], **options)
    return ddf.map_partitions(per_partition, meta=meta)


def disposal_rates(ddf: Any, **options: Any) -> pd.DataFrame:
    """Partial sums per partition (a parcel and its pieces live in one partition), then rates."""
    only(
        options,
        {"by", "as_of", "methods", "target", "non_final", "lang", "verbose"},
        step="disposal_rates",
        where="a dask frame (table=, schema=, where= are for PostGIS URLs)",
    )
    by, target = stats.rate_options(options.get("by", "zone"), options.get("target"))
    sums = {k: options[k] for k in ("as_of", "methods", "non_final") if k in options}
    meta = stats.partial_sums(ddf._meta, by=by, **sums)
    partials = ddf.map_partitions(_in_partition(stats.partial_sums), by=by, **sums, meta=meta)
    return stats.finish_rates(
        partials.compute(), by=by, target=target, lang=options.get("lang", "zh")
    )
