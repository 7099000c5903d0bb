"""Reading and writing parcel inventories and zones: any OGR format, GeoParquet, Excel."""

from __future__ import annotations

import functools
import json
import os
import threading
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from landuse import _parallel, _shapefile
from landuse._atomic import replacing
from landuse._bulk import without_gc
from landuse._crs import CRSGuessWarning, fits, guess_crs
from landuse._dbf import detect_dbf_encoding
from landuse._errors import InputError, MissingColumnError, SourceError, warn
from landuse._excel import write_workbook
from landuse._fields import CN_LEDGER, FieldPreset, resolve_preset
from landuse._progress import stages
from landuse._projection import Projection, one_zone_crs
from landuse._rings import Rings, parse_wkb
from landuse._rings import extent as ring_extent
from landuse._urls import is_url, safe_url
from landuse._validate import (
    Inspection,
    inspect,
    require_crs,
    validate_parcels,
    validate_zones,
)

__all__ = [
    "EncodingWarning",
    "apply_fields",
    "name_zones",
    "read_parcels",
    "read_raw",
    "read_zones",
    "write_parcels",
]

PathLike = str | os.PathLike[str]
Fields = str | FieldPreset | Mapping[str, str] | None
_SHAPEFILE_SUFFIXES = {".shp", ".shx", ".dbf"}
_PARQUET_SUFFIXES = {".parquet", ".geoparquet", ".pq"}
_ZONE_NAME_GUESSES = ("name", "NAME", "Name", "名称", "zone", "ZONE", "zone_name", "MC")


class EncodingWarning(UserWarning):
    """The text encoding of a source was guessed (a shapefile without ``.cpg``)."""


def _shapefile_encoding(path: Path, encoding: str | None) -> str | None:
    if encoding is not None or path.suffix.lower() not in {".shp", ".dbf"}:
        return encoding
    if any(path.with_suffix(s).exists() for s in (".cpg", ".CPG")):
        return None
    guessed, reason = detect_dbf_encoding(path)
    warn(
        f"{path.name} has no .cpg file; reading its text as {guessed.upper()} because {reason} "
        "(pass encoding= to choose)",
        EncodingWarning,
    )
    return guessed


def _read_frame(
    path: PathLike,
    *,
    layer: str | None,
    preferred_layer: str,
    encoding: str | None,
    columns: list[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> tuple[gpd.GeoDataFrame, Inspection | None]:
    """The source as a frame, and its geometries' validation facts where the reader took them."""
    path = Path(path)
    if path.suffix.lower() in _SHAPEFILE_SUFFIXES:
        # first finish a shapefile write that was killed after its commit (landuse._shapefile)
        _shapefile.settle(path.with_suffix(".shp"), writer=False)
    _check_source(path)
    if path.suffix.lower() in _PARQUET_SUFFIXES or path.is_dir():
        # GeoParquet 1.1 files written with a bbox covering let pyarrow skip row groups
        try:
            return _read_geoparquet(path, columns=_with_geometry(columns), bbox=bbox)
        except (pa.ArrowException, OSError) as error:
            raise SourceError(
                f"{path} is not a readable GeoParquet file or dataset: {error}"
            ) from None
    try:
        # layer_styles holds QGIS styles (ours among them), not data
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0] if n != "layer_styles"]
    except pyogrio.errors.DataSourceError as error:
        raise SourceError(
            f"{path.name} cannot be read (truncated, corrupt or not a GIS file): {error}"
        ) from None
    if layer is None:
        if preferred_layer in names:
            layer = preferred_layer
        elif len(names) > 1:
            raise InputError(
                f"{path.name} has {len(names)} layers ({', '.join(names)}); pass layer= to choose"
            )
    elif isinstance(layer, str) and layer not in names:
        raise SourceError(f"{path.name} has no layer {layer!r}; its layers: {', '.join(names)}")
    options: dict[str, Any] = {"layer": layer, "engine": "pyogrio", "use_arrow": True}
    if columns is not None:
        options["columns"] = [c for c in columns if c != "geometry"]
    if bbox is not None:
        options["bbox"] = bbox
    encoding = _shapefile_encoding(path, encoding)
    if encoding is not None:
        options["encoding"] = encoding
    with warnings.catch_warnings():
        # GDAL's own note on a missing .prj; we say more below
        warnings.filterwarnings("ignore", message=".*has no CRS.*")
        try:
            if path.suffix.lower() in _SHAPEFILE_SUFFIXES:
                # never the .shp of one write with the .dbf of another (landuse._shapefile)
                gdf = _shapefile.read_consistent(
                    path.with_suffix(".shp"), lambda: gpd.read_file(path, **options)
                )
            else:
                gdf = gpd.read_file(path, **options)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
            raise SourceError(
                f"{path.name} cannot be read (truncated or corrupt?): {error}"
            ) from None
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise SourceError(
            f"{path.name} has no geometries (columns: {', '.join(map(str, gdf.columns))}); "
            "read a table without shapes with lu.read_ledger and join it with lu.join_ledger"
        )
    return gdf, None


def _check_source(path: Path) -> None:
    """Say plainly what is wrong with a path before a driver says it cryptically."""
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    if path.is_dir():
        others = sorted(
            p.name
            for p in path.iterdir()
            if p.is_file() and p.suffix.lower() not in _PARQUET_SUFFIXES
        )
        parquet = [p for p in path.rglob("*") if p.suffix.lower() in _PARQUET_SUFFIXES]
        if not parquet:
            shown = ", ".join(others[:5]) or "nothing"
            raise SourceError(
                f"{path} is a folder, read as a partitioned GeoParquet dataset, but it holds "
                f"no .parquet files ({shown}); pass one file instead"
            )
        return
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name} is empty (0 bytes)")
    if path.suffix.lower() == ".shp":
        lost = [
            suffix
            for suffix in (".shx", ".dbf")
            if not any(path.with_suffix(s).exists() for s in (suffix, suffix.upper()))
        ]
        if lost:
            raise SourceError(
                f"{path.name} is missing its {' and '.join(lost)} file(s): a shapefile is "
                ".shp + .shx + .dbf (+ .prj, .cpg); copy them all"
            )


def _with_geometry(columns: list[str] | None) -> list[str] | None:
    return None if columns is None else list(dict.fromkeys([*columns, "geometry"]))


def _settle_crs(
    gdf: gpd.GeoDataFrame,
    crs: Any,
    central_meridian: float | None,
    path: Path,
    inspection: Inspection | None = None,
) -> gpd.GeoDataFrame:
    """Apply ``crs=``; otherwise check the declared CRS against the coordinates, or guess
    (``inspection``: the reader's facts, whose coordinates give the extent without GEOS)."""
    if crs is not None:
        try:
            wanted = CRS.from_user_input(crs)
        except CRSError as error:
            raise InputError(f"crs={crs!r} is not a coordinate reference system: {error}") from None
        if gdf.crs is not None and not CRS.from_user_input(gdf.crs).equals(wanted):
            warn(
                f"{path.name} declares {gdf.crs.to_string()}; using crs={wanted.to_string()} "
                "as you asked (coordinates are not transformed)",
                CRSGuessWarning,
            )
        return gdf.set_crs(wanted, allow_override=True)
    if len(gdf) == 0 or gdf.geometry.isna().all():
        return gdf
    if gdf.crs is None:
        return guess_crs(gdf, central_meridian=central_meridian, source=f"{path.name} (no .prj)")
    declared = CRS.from_user_input(gdf.crs)
    bounds = inspection.source_bounds() if inspection is not None else None
    known = bounds is not None and len(bounds) > 0
    extent = ring_extent(bounds) if known and bounds is not None else gdf.total_bounds
    if fits(declared, extent):
        return gdf
    return guess_crs(
        gdf,
        central_meridian=central_meridian,
        source=f"{path.name} (its declared {declared.name} does not fit the coordinates)",
    )


def read_raw(
    path: PathLike,
    *,
    layer: str | None = None,
    fields: Fields = None,
    encoding: str | None = None,
    crs: Any = None,
    central_meridian: float | None = None,
    columns: list[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    preferred_layer: str = "parcels",
) -> gpd.GeoDataFrame:
    """Read a source into canonical columns without validating it (for :func:`landuse.check`).

    Encoding and CRS are settled as in :func:`read_parcels`; nothing else is checked.
    """
    return _read_raw(
        path,
        layer=layer,
        fields=fields,
        encoding=encoding,
        crs=crs,
        central_meridian=central_meridian,
        columns=columns,
        bbox=bbox,
        preferred_layer=preferred_layer,
    )[0]


def _read_raw(
    path: PathLike,
    *,
    layer: str | None,
    fields: Fields,
    encoding: str | None,
    crs: Any,
    central_meridian: float | None,
    columns: list[str] | None,
    bbox: tuple[float, float, float, float] | None,
    preferred_layer: str,
) -> tuple[gpd.GeoDataFrame, Inspection | None]:
    if is_url(path):
        raise InputError(
            f"{safe_url(path)} is a database, not a file: read its parcels with "
            "read_parcels(url, table=...)"
        )
    path = Path(path)
    gdf, inspection = _read_frame(
        path,
        layer=layer,
        preferred_layer=preferred_layer,
        encoding=encoding,
        columns=columns,
        bbox=bbox,
    )
    return _settle_crs(
        apply_fields(gdf, fields), crs, central_meridian, path, inspection
    ), inspection


def apply_fields(gdf: gpd.GeoDataFrame, fields: Fields) -> gpd.GeoDataFrame:
    """Rename source columns and translate values by a preset (or mapping)."""
    preset = resolve_preset(fields)
    if preset is None:
        return gdf
    gdf = gdf.rename(columns=preset.renames([str(c) for c in gdf.columns]))
    duplicated = gdf.columns[gdf.columns.duplicated()].tolist()
    if duplicated:
        raise InputError(
            f"several source columns map to {', '.join(map(str, duplicated))}; "
            "pass a fields= mapping that names one"
        )
    return preset.translate_values(gdf)


def read_parcels(
    path: PathLike,
    *,
    layer: str | None = None,
    fields: Fields = None,
    encoding: str | None = None,
    crs: Any = None,
    central_meridian: float | None = None,
    columns: list[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    verbose: bool = False,
) -> gpd.GeoDataFrame:
    """The in-memory step of :func:`landuse.read_parcels` (documented there)."""
    with stages("read_parcels", 2, verbose=verbose) as stage:
        stage("read")
        gdf, inspection = _read_raw(
            path,
            layer=layer,
            fields=fields,
            encoding=encoding,
            crs=crs,
            central_meridian=central_meridian,
            columns=columns,
            bbox=bbox,
            preferred_layer="parcels",
        )
        stage("validate")
        return validate_parcels(gdf, inspection=inspection)


def read_zones(
    path: PathLike,
    *,
    layer: str | None = None,
    name: str | None = None,
    crs: Any = None,
    encoding: str | None = None,
    central_meridian: float | None = None,
) -> gpd.GeoDataFrame:
    """The in-memory step of :func:`landuse.read_zones` (documented there)."""
    gdf = read_raw(
        path,
        layer=layer,
        encoding=encoding,
        crs=crs,
        central_meridian=central_meridian,
        preferred_layer="zones",
    )
    return validate_zones(name_zones(gdf, name))


def name_zones(gdf: gpd.GeoDataFrame, name: str | None) -> gpd.GeoDataFrame:
    """The zones with their names in ``name`` (from ``name=`` or a common name column)."""
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
    return gdf


# --- writing -----------------------------------------------------------------------------------

_AREA_HEADERS = {"area_m2": "面积（平方米）", "area_mu": "面积（亩）", "area_ha": "面积（公顷）"}
_MORE_HEADERS = {
    "zone": "片区",
    "functional_zone": "功能区",
    "reason": "认定依据",
    "zone_share": "面积占比",
    "approval_lapsed": "批准满两年未实施",
    "district_code": "行政区代码",
    "district_name": "行政区名称",
    "stated_area": "地块面积",
    **_AREA_HEADERS,
}
_SHAPEFILE_NAMES = {
    "area_m2": "AREA_M2",
    "area_mu": "AREA_MU",
    "area_ha": "AREA_HA",
    "zone": "PQ",
    "functional_zone": "GNQ",
    "reason": "RDYJ",
    "developed_ratio": "YKFBL",
    "invested_ratio": "YTZBL",
}


def chinese_headers() -> dict[str, str]:
    """Canonical column → the Chinese header used in Excel ledgers."""
    headers: dict[str, str] = {}
    for source, canonical in CN_LEDGER.columns.items():
        if not source.isascii():
            headers.setdefault(canonical, source)
    return {**headers, **_MORE_HEADERS}


def _shapefile_names(columns: list[str]) -> dict[str, str]:
    """Names of at most 10 characters: pinyin initials for ledger fields, else shortened."""
    pinyin: dict[str, str] = {**_SHAPEFILE_NAMES}
    for source, canonical in CN_LEDGER.columns.items():
        if source.isascii():
            pinyin.setdefault(canonical, source)
    out: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        name = pinyin.get(column, column)
        name = name if len(name.encode()) <= 10 else name[:10]
        stem, n = name, 1
        while name.upper() in used:
            suffix = str(n)
            name, n = stem[: 10 - len(suffix)] + suffix, n + 1
        used.add(name.upper())
        out[column] = name
    return out


def _write_excel(gdf: gpd.GeoDataFrame, target: Path, lang: str) -> None:
    from landuse.areas import add_areas
    from landuse.vocab import CATEGORIES, category_label, method_label

    frame = gdf if "area_mu" in gdf.columns else add_areas(gdf)
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if "disposal_method" in table.columns:
        table["disposal_method"] = table["disposal_method"].map(
            lambda m: method_label(m, "zh"), na_action="ignore"
        )
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            table[column] = table[column].dt.date
    headers = chinese_headers() if lang == "zh" else {}
    category = (
        table["category"] if "category" in table.columns else pd.Series(None, index=table.index)
    )
    sheets = [(category_label(c, "zh"), category == c) for c in CATEGORIES]
    sheets.append(("其他", category.isna()))
    parts = {}
    for sheet, rows in sheets:
        part = table[rows.to_numpy()].copy()
        if "category" in part.columns:
            part["category"] = part["category"].map(
                lambda c: category_label(c, "zh"), na_action="ignore"
            )
        parts[sheet] = part.rename(columns=headers)
    write_workbook(target, parts, freeze_header=True, fit_widths=True)


def write_parcels(
    gdf: gpd.GeoDataFrame,
    path: PathLike,
    *,
    layer: str | None = None,
    lang: str = "zh",
) -> Path:
    """The in-memory step of :func:`landuse.write_parcels` (documented there)."""
    require_crs(gdf)
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".shp":
        _write_shapefile(gdf, path)
        return path
    if suffix == ".xlsx":
        _write_excel(gdf, path, lang)  # atomic, text cells as strings (landuse._excel)
        return path
    if suffix not in {".gpkg", *_PARQUET_SUFFIXES}:
        raise InputError(f"cannot write {path.name}: use .gpkg, .parquet, .shp or .xlsx")
    # copy-modify-rename under the file's lock: a second writer (another layer of the same
    # GeoPackage) waits and then starts from this one's result, so no update is lost
    with replacing(path, keep=suffix == ".gpkg") as temp:
        if suffix == ".gpkg":
            pyogrio.write_dataframe(gdf, temp, layer=layer or "parcels", driver="GPKG")
            _add_qgis_style(gdf, temp, layer or "parcels", lang)
        else:
            _write_geoparquet(gdf, temp)
    return path


def _add_qgis_style(gdf: gpd.GeoDataFrame, gpkg: Path, layer: str, lang: str) -> None:
    """Parcels open in QGIS by category (hatched when disposed); zones by rate."""
    from landuse._qgis import add_default_style, style_for

    style = style_for(gdf, "en" if lang == "en" else "zh")
    if style is not None:
        add_default_style(gpkg, layer, *style)


def _read_geoparquet(
    path: Path,
    *,
    columns: list[str] | None,
    bbox: tuple[float, float, float, float] | None,
) -> tuple[gpd.GeoDataFrame, Inspection | None]:
    """GeoParquet into a GeoDataFrame, as ``geopandas.read_parquet`` reads it, on both cores;
    and the validation facts of its geometries (``None`` when geopandas read the file).

    Building shapely objects holds the GIL; reading, parsing and projecting coordinates do
    not. So the pool reads each row group's WKB (one task per row group: the whole file's WKB
    never sits in memory as Python bytes) and parses it — plain polygons (one 2-D ring each,
    as nearly every parcel is) by numpy straight from the WKB bytes, anything else by GEOS —
    and, for plain polygons in longitude/latitude within one Gauss-Krüger zone, projects
    their coordinates into that zone, where :func:`landuse.add_areas` will measure them.
    Meanwhile this thread reads the ledger columns, then builds each row group's polygons
    (one ``shapely.from_ragged_array`` per batch) and takes the facts validation needs
    (convex rings are valid without asking GEOS). Files this fast path does not know
    (datasets, bbox filters, several geometry columns, GeoArrow encodings) go to
    ``geopandas.read_parquet``.
    """

    def fallback() -> tuple[gpd.GeoDataFrame, None]:
        return gpd.read_parquet(path, columns=columns, bbox=bbox), None

    if bbox is not None or path.is_dir():
        return fallback()
    parquet = pq.ParquetFile(path)
    schema = parquet.schema_arrow
    try:
        geo = json.loads((schema.metadata or {})[b"geo"])
        primary = geo["primary_column"]
        meta = geo["columns"][primary]
        encoding = meta["encoding"]
    except (KeyError, TypeError, ValueError):
        return fallback()  # geopandas says what is wrong with the metadata
    if len(geo["columns"]) != 1 or encoding != "WKB":
        return fallback()
    covering = {
        part[0]
        for part in (meta.get("covering", {}).get("bbox", {}) or {}).values()
        if isinstance(part, list) and part
    }
    names = [n for n in schema.names if n not in covering] if columns is None else list(columns)
    if primary not in names or any(n not in schema.names for n in names):
        return fallback()
    crs: Any = meta.get("crs", "OGC:CRS84")  # GeoParquet: no crs key means OGC:CRS84
    if isinstance(crs, dict):
        crs = json.loads(json.dumps(crs))
        for member in crs.get("datum_ensemble", {}).get("members", []):
            member.pop("id", None)  # as geopandas does: older PROJ refuses these ids

    source = _geographic(crs)
    transformers: dict[str, Any] = {}
    made = threading.Lock()

    def read_group(
        group: int,
    ) -> tuple[np.ndarray | None, Rings, np.ndarray | None, Rings | None, CRS | None]:
        one = pq.ParquetFile(path)  # a reader per task: ParquetFile is not shared by threads
        wkb = one.read_row_group(group, columns=[primary], use_threads=False).column(0)
        values = wkb.combine_chunks()
        rings = _plain_rings(values)
        if rings is None:
            geoms = np.asarray(shapely.from_wkb(np.asarray(values)))
            return geoms, Rings.of(geoms), None, None, None
        convex = rings.convex()  # valid without asking GEOS (see inspect)
        # Plain polygons in longitude/latitude: while the reading thread builds their
        # geometries (holding the GIL), project their coordinates into the GK zone
        # add_areas will measure them in (PROJ does not need the GIL), when the row group
        # lies in one zone
        zone = one_zone_crs(source, rings.total_bounds()) if source and len(rings) else None
        if zone is None:
            return None, rings, convex, None, None
        with made:
            key = zone.to_wkt()
            if key not in transformers:
                transformers[key] = Transformer.from_crs(source, zone, always_xy=True)
        moved, finite = rings.transformed(transformers[key])
        moved.bounds()  # kept: assign_zones looks at them
        return None, rings, convex, moved if finite else None, zone

    groups = parquet.metadata.num_row_groups
    reads = _parallel.start([functools.partial(read_group, g) for g in range(groups)])
    table = parquet.read(
        columns=[n for n in names if n != primary], use_threads=True, use_pandas_metadata=True
    )
    # where geopandas puts the geometry: its place among the columns pandas makes of the file
    # (an index stored as a column is not one of them)
    stored_index = [n for n in table.column_names if n not in names]
    placed = list(schema.empty_table().select(names + stored_index).to_pandas().columns)
    position = placed.index(primary) if primary in placed else len(placed)
    frame = table.to_pandas()
    del table
    # this thread builds row group after row group (in batches) and checks it, while the
    # pool reads, parses and projects the next ones
    parts, projected, zones = [], [], set()
    with without_gc():  # a million new objects: see without_gc
        for result in reads:
            geoms, rings, convex, moved, zone = result()
            projected.append(moved)
            zones.add(None if zone is None else zone.to_wkt())
            if geoms is None:
                geoms = rings.polygons_in_turns()
            parts.append(_parallel.serially(inspect)(geoms, rings, convex))
    if not parts:
        parts = [inspect(np.empty(0, dtype=object), Rings.of(np.empty(0, dtype=object)))]
    projection = _projected(source, projected, zones)
    found = [p.rings for p in parts if p.rings is not None]
    if projection is not None:
        # projected: the source coordinates are not needed again, their bounds are
        rings, bounds = None, np.concatenate([ring.bounds() for ring in found])
    else:
        rings, bounds = Rings.concatenate(found), None
    inspection = Inspection(
        np.concatenate([p.geoms for p in parts]),
        np.concatenate([p.empty for p in parts]),
        np.concatenate([p.types for p in parts]),
        np.concatenate([p.valid for p in parts]),
        rings,
        projection,
        bounds,
    )
    del parts
    geoms = inspection.geoms
    if len(geoms) != len(frame):
        return fallback()
    frame.insert(min(position, frame.shape[1]), primary, gpd.array.from_shapely(geoms, crs=crs))
    return gpd.GeoDataFrame(frame, geometry=primary), inspection


def _geographic(crs: Any) -> CRS | None:
    """The file's CRS when it is geographic (longitude/latitude), else ``None``."""
    try:
        found = CRS.from_user_input(crs)
    except CRSError:
        return None
    return found if found.is_geographic else None


def _projected(
    source: CRS | None, parts: list[Rings | None], zones: set[str | None]
) -> tuple[CRS, Projection] | None:
    """Every row group's plain polygons, projected into one and the same zone, as one
    projection (else ``None``: add_areas projects them itself)."""
    if source is None or not parts or len(zones) != 1 or None in zones:
        return None
    if any(part is None for part in parts):
        return None
    rings = Rings.concatenate([part for part in parts if part is not None])
    if not rings.complete:
        return None
    zone = CRS.from_wkt(next(iter(zones)))  # type: ignore[arg-type]
    return source, Projection(rings, np.empty(0, dtype=object), zone)


def _plain_rings(values: pa.Array) -> Rings | None:
    """A row group's WKB as rings, when every value is a plain polygon (see ``parse_wkb``)."""
    if values.null_count or not (
        pa.types.is_binary(values.type) or pa.types.is_large_binary(values.type)
    ):
        return None
    _, offsets, data = values.buffers()
    if offsets is None or data is None:
        return None
    width = np.int32 if pa.types.is_binary(values.type) else np.int64
    where = np.frombuffer(offsets, dtype=width)[values.offset : values.offset + len(values) + 1]
    return parse_wkb(where, np.frombuffer(data, dtype=np.uint8))


def _row_group_size(rows: int) -> int:
    """Rows per GeoParquet row group: readers split their work by row group (pyarrow, DuckDB,
    dask, our own reader), so even a modest file gets a few balanced groups, and a big one
    groups of at most 131,072 rows (1M parcels: 8 groups of 125,000)."""
    groups = max(-(-rows // 131_072), min(4, -(-rows // 16_384)), 1)
    return max(-(-rows // groups), 1)


def _write_geoparquet(
    gdf: gpd.GeoDataFrame, target: Path, row_group_size: int | None = None
) -> None:
    """GeoParquet 1.1 with a bbox covering, rows in Hilbert order: a later bbox read touches
    only the row groups near the box, and parallel readers get balanced row groups."""
    if len(gdf):
        gdf = gdf.iloc[np.argsort(gdf.hilbert_distance().to_numpy(), kind="stable")]
    gdf.to_parquet(
        target,
        index=False,
        write_covering_bbox=True,
        schema_version="1.1.0",
        row_group_size=row_group_size or _row_group_size(len(gdf)),
    )


def _write_shapefile(gdf: gpd.GeoDataFrame, path: Path) -> None:
    names = _shapefile_names([str(c) for c in gdf.columns if c != gdf.geometry.name])
    renamed = {c: n for c, n in names.items() if c != n}
    data = gdf.rename(columns=names)
    for column in data.columns:
        if pd.api.types.is_datetime64_any_dtype(data[column]):
            # shapefiles hold dates, not date-times: Arrow's date32 becomes a Date field
            data[column] = data[column].astype(pd.ArrowDtype(pa.date32()))

    def write(staged: Path) -> None:
        pyogrio.write_dataframe(
            data, staged, driver="ESRI Shapefile", encoding="UTF-8", use_arrow=True
        )

    # staged, committed, then swapped part by part; a reader rolls a cut-short swap forward
    _shapefile.write_atomic(path, write)
    if renamed:
        warn(
            f"shapefile field names are 10 characters at most; renamed "
            f"{', '.join(f'{c} → {n}' for c, n in renamed.items())}",
            UserWarning,
        )
