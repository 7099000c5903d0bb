"""Reading parcel inventories and zones from files (any OGR format, GeoParquet)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
from pyproj import CRS

from landuse._errors import InputError, MissingColumnError
from landuse._fields import resolve_fields
from landuse._validate import validate_parcels, validate_zones

__all__ = ["read_parcels", "read_zones"]

PathLike = str | os.PathLike[str]
_PARQUET_SUFFIXES = {".parquet", ".geoparquet", ".pq"}
_ZONE_NAME_GUESSES = ("name", "NAME", "Name", "名称", "zone", "ZONE", "zone_name", "MC")


def _read_frame(
    path: PathLike, *, layer: str | None, preferred_layer: str, encoding: str | None
) -> gpd.GeoDataFrame:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    if path.suffix.lower() in _PARQUET_SUFFIXES:
        return gpd.read_parquet(path)
    if layer is None:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
        if preferred_layer in names:
            layer = preferred_layer
        elif len(names) > 1:
            raise InputError(
                f"{path.name} has {len(names)} layers ({', '.join(names)}); pass layer= to choose"
            )
    options: dict[str, Any] = {"layer": layer, "engine": "pyogrio", "use_arrow": True}
    if encoding is not None:
        options["encoding"] = encoding
    return gpd.read_file(path, **options)


def _apply_crs(gdf: gpd.GeoDataFrame, crs: Any, path: PathLike) -> gpd.GeoDataFrame:
    if crs is None:
        return gdf
    wanted = CRS.from_user_input(crs)
    if gdf.crs is not None and not gdf.crs.equals(wanted):
        warnings.warn(
            f"{Path(path).name} declares {gdf.crs.to_string()}; using crs={wanted.to_string()} "
            "as you asked (coordinates are not transformed)",
            UserWarning,
            stacklevel=3,
        )
    return gdf.set_crs(wanted, allow_override=True)


def read_parcels(
    path: PathLike,
    *,
    layer: str | None = None,
    fields: str | Mapping[str, str] | None = None,
    encoding: str | None = None,
    crs: Any = None,
) -> gpd.GeoDataFrame:
    """Read and validate a parcel inventory.

    Parameters
    ----------
    path
        Any file OGR reads (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, …) or a GeoParquet
        file (``.parquet``).
    layer
        Layer to read from a multi-layer source. Default: the layer named ``parcels`` when
        there is one, else the only layer.
    fields
        Renames from source columns to canonical ones: a mapping ``{"DKBH": "parcel_id", …}``
        or a preset name — ``"cn-ledger"`` maps pinyin initials (DKBH, PZSJ, GDSJ, …, any case)
        and Chinese headers (地块编号, 批准时间, …).
    encoding
        Text encoding of the source (e.g. ``"gbk"`` for a shapefile without ``.cpg``).
    crs
        CRS of the coordinates, for sources without one (or with a wrong one: a warning says
        that the declared CRS was overridden).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per parcel, canonical columns, dates as ``datetime64``, CRS set.

    Raises
    ------
    landuse.InputError
        A ``ValueError`` subclass naming the problem and the offending ``parcel_id`` values.

    Examples
    --------
    >>> import landuse as lu
    >>> parcels = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> parcels.crs.to_epsg(), parcels["parcel_id"].is_unique
    (4490, True)
    """
    gdf = _read_frame(path, layer=layer, preferred_layer="parcels", encoding=encoding)
    renames = resolve_fields(list(gdf.columns), fields)
    if renames:
        gdf = gdf.rename(columns=renames)
    duplicated = gdf.columns[gdf.columns.duplicated()].tolist()
    if duplicated:
        raise InputError(f"several source columns map to {', '.join(map(str, duplicated))}")
    gdf = _apply_crs(gdf, crs, path)
    return validate_parcels(gdf)


def read_zones(
    path: PathLike,
    *,
    layer: str | None = None,
    name: str | None = None,
    crs: Any = None,
) -> gpd.GeoDataFrame:
    """Read zones (functional zones, streets, renewal areas) with a ``name`` column.

    Parameters
    ----------
    path
        Any OGR-readable file or GeoParquet.
    layer
        Layer to read; default the layer named ``zones`` when there is one.
    name
        Column holding the zone names; it is copied to ``name``. Default: ``name`` or a common
        alternative (``NAME``, ``名称``, ``zone``, ``MC``).
    crs
        CRS for sources that lack one.

    Examples
    --------
    >>> import landuse as lu
    >>> zones = lu.read_zones(lu.datasets.get_path("west_coast"))
    >>> "灵山卫街道" in set(zones["name"])
    True
    >>> renewal = lu.read_zones(lu.datasets.get_path("west_coast"), layer="renewal_zones")
    >>> "风河南片区" in set(renewal["name"])
    True
    """
    gdf = _read_frame(path, layer=layer, preferred_layer="zones", encoding=None)
    gdf = _apply_crs(gdf, crs, path)
    if name is None:
        name = next((c for c in _ZONE_NAME_GUESSES if c in gdf.columns), None)
        if name is None:
            raise MissingColumnError(
                f"no zone name column among {', '.join(map(str, gdf.columns))}; pass name="
            )
    elif name not in gdf.columns:
        raise MissingColumnError(f"zone name column {name!r} not found")
    if name != "name":
        gdf = gdf.assign(name=gdf[name])
    return validate_zones(gdf)
