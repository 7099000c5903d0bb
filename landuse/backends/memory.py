"""In memory: GeoDataFrames, read from and written to files (pyogrio, pyarrow, openpyxl).

The default backend: it takes whatever no other backend claims.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from landuse import areas as _areas
from landuse import io, rules, stats, zones
from landuse.backends._common import only

__all__ = [
    "accepts",
    "add_areas",
    "assign_zones",
    "classify",
    "disposal_rates",
    "read_parcels",
    "read_zones",
    "write_parcels",
]

NAME = "memory"
_READ = {"layer", "fields", "encoding", "crs", "central_meridian", "columns", "bbox", "verbose"}
_WHERE = "a file or GeoDataFrame (table=, schema=, where= and mode= are for PostGIS URLs)"


def accepts(data: object, options: dict[str, Any]) -> bool:
    return options.get("backend", "pandas") in ("pandas", "memory")


def read_parcels(path: Any, **options: Any) -> gpd.GeoDataFrame:
    options.pop("backend", None)
    only(options, _READ, step="read_parcels", where=_WHERE)
    return io.read_parcels(path, **options)


def read_zones(path: Any, **options: Any) -> gpd.GeoDataFrame:
    options.pop("backend", None)
    only(
        options,
        {"layer", "name", "crs", "encoding", "central_meridian"},
        step="read_zones",
        where=_WHERE,
    )
    return io.read_zones(path, **options)


def write_parcels(gdf: gpd.GeoDataFrame, path: Any, **options: Any) -> Any:
    only(options, {"layer", "lang"}, step="write_parcels", where=_WHERE)
    return io.write_parcels(gdf, path, **options)


def classify(parcels: gpd.GeoDataFrame, **options: Any) -> gpd.GeoDataFrame:
    return rules.classify(parcels, **options)


def add_areas(gdf: gpd.GeoDataFrame, **options: Any) -> gpd.GeoDataFrame:
    return _areas.add_areas(gdf, **options)


def assign_zones(
    parcels: gpd.GeoDataFrame, zones_: gpd.GeoDataFrame, **options: Any
) -> gpd.GeoDataFrame:
    return zones.assign_zones(parcels, zones_, **options)


def disposal_rates(parcels: pd.DataFrame, **options: Any) -> pd.DataFrame:
    only(
        options,
        {"by", "as_of", "methods", "target", "non_final", "lang", "verbose"},
        step="disposal_rates",
        where=_WHERE,
    )
    return stats.disposal_rates(parcels, **options)
