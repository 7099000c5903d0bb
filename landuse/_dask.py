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

import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from landuse._errors import DuplicateIdError

__all__ = ["is_dask", "read_parcels"]


def is_dask(obj: object) -> bool:
    """Whether ``obj`` is a dask(-geopandas) collection, without importing dask."""
    return type(obj).__module__.split(".")[0] in {
        "dask_geopandas",
        "dask",
        "dask_expr",
    } and hasattr(obj, "map_partitions")


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
    dask_geopandas = _require()
    from landuse._validate import validate_parcels

    columns = options.pop("columns", None)
    if options:
        raise TypeError(f"backend='dask' reads GeoParquet only; unsupported: {', '.join(options)}")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    ddf = dask_geopandas.read_parquet(path, columns=columns)
    checked = ddf.map_partitions(validate_parcels, meta=validate_parcels(ddf._meta))
    checked.spatial_partitions = ddf.spatial_partitions
    counts = ddf["parcel_id"].value_counts()
    repeated = counts[counts > 1].compute()
    if len(repeated):
        raise DuplicateIdError(
            "parcel_id must be unique; repeated", sorted(map(str, repeated.index))
        )
    return checked


def _extent_crs(ddf: Any, crs: Any) -> Any:
    """The area CRS of the whole extent (the same for every partition)."""
    from landuse.areas import area_crs

    if crs is not None:
        from pyproj import CRS

        return CRS.from_user_input(crs)
    if ddf.spatial_partitions is not None:
        bounds = ddf.spatial_partitions.total_bounds
    else:
        bounds = ddf.total_bounds.compute()
    box = gpd.GeoSeries([shapely.box(*bounds)], crs=ddf.crs)
    return area_crs(box)


def add_areas(ddf: Any, *, crs: Any = None) -> Any:
    """Per partition: each parcel's own zone does not depend on its partition."""
    from landuse.areas import add_areas as add

    out = ddf.map_partitions(add, crs=crs, meta=add(ddf._meta, crs=crs))
    out.spatial_partitions = ddf.spatial_partitions
    return out


def classify(ddf: Any, **options: Any) -> Any:
    from landuse.rules import classify as rules

    out = ddf.map_partitions(rules, **options, meta=rules(ddf._meta, **options))
    out.spatial_partitions = ddf.spatial_partitions
    return out


def assign_zones(ddf: Any, zones: gpd.GeoDataFrame, **options: Any) -> Any:
    """Zones per partition: only those that touch the partition's extent are sent to it."""
    from landuse._validate import validate_zones
    from landuse.zones import assign_zones as assign

    name = options.get("name", "name")
    zones = validate_zones(zones, name=name)
    if options.get("crs") is None and options.get("overlay_crs") is None:
        options["overlay_crs"] = _extent_crs(ddf, None)  # one overlay CRS for all partitions
    if ddf.spatial_partitions is None:
        ddf = ddf.copy()
        ddf.calculate_spatial_partitions()
    extents = ddf.spatial_partitions.to_crs(zones.crs)
    partition, zone = shapely.STRtree(np.asarray(zones.geometry.array)).query(
        np.asarray(extents.geometry.array), predicate="intersects"
    )
    near = {i: zone[partition == i] for i in range(ddf.npartitions)}

    def per_partition(frame: gpd.GeoDataFrame, partition_info: dict[str, Any] | None = None) -> Any:
        number = partition_info["number"] if partition_info else None
        subset = zones if number is None else zones.iloc[near[number]]
        return assign(frame, subset, **options)

    meta = assign(ddf._meta, zones.iloc[:0], **options)
    return ddf.map_partitions(per_partition, meta=meta)


def disposal_rates(
    ddf: Any, *, by: list[str], as_of: Any, methods: Any, target: float | None, non_final: Any
) -> pd.DataFrame:
    """Partial sums per partition (a parcel and its pieces live in one partition), then rates."""
    from landuse.stats import finish_rates, partial_sums

    options = {"by": by, "as_of": as_of, "methods": methods, "non_final": non_final}
    meta = partial_sums(ddf._meta, **options)
    partials = ddf.map_partitions(partial_sums, **options, meta=meta)
    return finish_rates(partials.compute(), by=by, target=target)
