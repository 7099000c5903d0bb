"""Where each step runs, decided in one place: in memory, on dask partitions, or in PostGIS.

A backend is a module in this package with ``NAME``, ``accepts(data, options)`` and the steps
it can run — ``read_parcels``, ``read_zones``, ``write_parcels``, ``classify``, ``add_areas``,
``assign_zones``, ``disposal_rates`` — each taking the data and the options the caller gave.
The public functions below hand every call to the first backend in :data:`BACKENDS` that
accepts the data; :mod:`~landuse.backends.memory` (GeoDataFrames and files) accepts the rest.
A backend refuses options that do not apply to it rather than ignoring them.

Adding a backend (DuckDB, Sedona) is one module here and one entry in :data:`BACKENDS`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import geopandas as gpd
import pandas as pd

from landuse._bulk import bulk
from landuse._disposal import NON_FINAL
from landuse._errors import InputError, renamed
from landuse.backends import dask, memory, postgis
from landuse.rules import IdleRules, LowEfficiencyRules
from landuse.vocab import Lang

if TYPE_CHECKING:
    import dask_geopandas

    from landuse._fields import FieldPreset
    from landuse._tables import RatesTable

    DaskFrame: TypeAlias = dask_geopandas.GeoDataFrame
else:
    DaskFrame: TypeAlias = Any

__all__ = [
    "BACKENDS",
    "add_areas",
    "assign_zones",
    "backend_for",
    "classify",
    "disposal_rates",
    "read_parcels",
    "read_zones",
    "write_parcels",
]

#: Tried in order; the first whose ``accepts`` is true runs the step (memory takes the rest).
BACKENDS: tuple[ModuleType, ...] = (postgis, dask, memory)

Frame: TypeAlias = "gpd.GeoDataFrame | DaskFrame"
_IDLE, _LOW = IdleRules(), LowEfficiencyRules()


def backend_for(data: object, options: Mapping[str, Any] | None = None) -> ModuleType:
    """The backend that runs a step on ``data`` (and ``options``, e.g. ``backend="dask"``)."""
    given = dict(options or {})
    for backend in BACKENDS:
        if backend.accepts(data, given):
            return backend
    names = ", ".join(repr(b.NAME) for b in BACKENDS)
    raise InputError(f"backend must be one of {names} (or 'pandas'), not {given.get('backend')!r}")


def _run(step: str, data: object, *args: Any, **options: Any) -> Any:
    """Run ``step`` where ``data`` lives, with only the options the caller set."""
    given = {k: v for k, v in options.items() if v is not None and v is not False}
    backend = backend_for(data, given)
    function = getattr(backend, step, None)
    if function is None:
        raise InputError(f"{step} does not run on the {backend.NAME} backend")
    with bulk():  # see landuse._bulk
        return function(*args, **given) if args else function(data, **given)


def read_parcels(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    fields: str | FieldPreset | Mapping[str, str] | None = None,
    encoding: str | None = None,
    crs: Any = None,
    central_meridian: float | None = None,
    columns: list[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    backend: Literal["pandas", "dask"] | None = None,
    verbose: bool = False,
    table: str | None = None,
    schema: str | None = None,
    where: str | Mapping[str, Any] | None = None,
) -> Frame:
    """Read and validate a parcel inventory.

    Parameters
    ----------
    path
        Any file OGR reads (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, …), a GeoParquet
        file (``.parquet``), or a PostGIS URL (``postgresql://user@host/db``; credentials may
        come from the ``PG*`` environment variables) with ``table=``.
    layer
        Layer to read from a multi-layer source. Default: the layer named ``parcels`` when
        there is one, else the only layer.
    table, schema, where
        For PostGIS: the table, its schema, and a filter — ``{"zone": ["甲", "乙"]}``
        (parameterised) or a trusted SQL condition. The CRS comes from the column's SRID.
    fields
        How the source names things: a preset name — ``"cn-ledger"`` maps pinyin initials
        (DKBH, PZSJ, GDSJ, …, any case), Chinese headers (地块编号, 批准时间, …) and Chinese
        values (批而未供, 出让, 收回, …) — a :class:`landuse.FieldPreset` (e.g.
        ``lu.CN_LEDGER.extend(columns={"ZDBH": "parcel_id"})``), or a plain
        ``{source column: canonical column}`` mapping.
    encoding
        Text encoding of the source. A shapefile without ``.cpg`` is read as UTF-8 when its
        text is valid UTF-8, else as GB18030 (GBK), with a warning saying which.
    crs
        CRS of the coordinates. Without it a missing or impossible CRS is guessed from the
        coordinates, with a warning: lon/lat in China → EPSG:4490; eastings with a zone prefix
        → EPSG:4513–4533; swapped axes are put right.
    central_meridian
        For Gauss-Krüger coordinates without zone prefix and without ``.prj``: the zone's
        central meridian (e.g. 120 → EPSG:4549).
    columns
        Read only these source columns (the geometry always comes along): GeoParquet and
        GeoPackage read just those.
    bbox
        ``(minx, miny, maxx, maxy)`` in the file's CRS: read only the parcels that intersect
        it. GeoParquet files written by :func:`write_parcels` carry a bbox covering and
        Hilbert-sorted rows, so whole row groups are skipped.
    backend
        ``"pandas"`` (default), or ``"dask"`` for a (partitioned) GeoParquet dataset bigger
        than memory: a lazy ``dask_geopandas.GeoDataFrame`` that :func:`add_areas`,
        :func:`classify`, :func:`assign_zones` and :func:`disposal_rates` accept as they accept
        a GeoDataFrame (extra ``scale``).
    verbose
        Show a progress bar of the stages (read, validate).

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
    return _run(
        "read_parcels",
        path,
        layer=layer,
        fields=fields,
        encoding=encoding,
        crs=crs,
        central_meridian=central_meridian,
        columns=columns,
        bbox=bbox,
        backend=None if backend == "pandas" else backend,
        verbose=verbose,
        table=table,
        schema=schema,
        where=where,
    )


def read_zones(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    name: str | None = None,
    crs: Any = None,
    encoding: str | None = None,
    central_meridian: float | None = None,
    table: str | None = None,
    schema: str | None = None,
    where: str | Mapping[str, Any] | None = None,
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
    crs, encoding, central_meridian
        As in :func:`read_parcels`.

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
    return _run(
        "read_zones",
        path,
        layer=layer,
        name=name,
        crs=crs,
        encoding=encoding,
        central_meridian=central_meridian,
        table=table,
        schema=schema,
        where=where,
    )


def write_parcels(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    lang: Lang | None = None,
    table: str | None = None,
    schema: str | None = None,
    mode: Literal["create", "replace", "append", "upsert"] | None = None,
) -> Path | str:
    """Write parcels to GeoPackage, GeoParquet, Shapefile, Excel or PostGIS, atomically.

    The file is first written next to its destination under a temporary name and then renamed
    into place, so a failure — or the process killed at any moment — never leaves a
    half-written file (nor a damaged GeoPackage: other layers of an existing one are kept).
    Writers of one file take turns (a lock per file, :mod:`landuse._atomic`): two processes
    writing different layers of one GeoPackage both land. The temporary files of a killed
    write are removed by the next write of the same file.

    - ``.gpkg``: layer ``layer`` (default ``parcels``), with a default QGIS style in the
      ``layer_styles`` table: parcels by category with the legend in ``lang``, disposed ones
      hatched; zones (a ``rate`` column) as the rate choropleth, labelled by name.
    - ``.parquet``: GeoParquet 1.1 with a bbox covering, rows in Hilbert order (fast bbox reads
      with ``read_parcels(..., bbox=)``).
    - ``.shp``: UTF-8 with a ``.cpg``; columns renamed to at most 10 characters (the pinyin
      initials of the ledger fields: ``parcel_id`` → ``DKBH``, …). Its parts are staged in a
      hidden folder, committed, then swapped in with the ``.shp`` last; a read or the next
      write finishes a swap that was cut short, so a read never pairs the geometry of one
      write with the attributes of another (:mod:`landuse._shapefile`).
    - ``postgresql://…`` with ``table=``: one transaction; ``mode`` ``"create"`` (canonical
      schema, SRID 4490, GiST index, primary key ``parcel_id``), ``"replace"``, ``"append"``
      or ``"upsert"`` (update disposal and ledger fields by ``parcel_id``, insert new ones). A
      failure leaves the table exactly as it was.
    - ``.xlsx``: one sheet per category (批而未供, 供而未用, 低效用地, 其他), Chinese headers
      and labels, areas in m², 亩 and 公顷; no geometry. Text is stored as text: a name
      ``=1+1`` is a string cell, never a formula.

    Examples
    --------
    >>> import tempfile, pathlib, landuse as lu
    >>> parcels = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> out = lu.write_parcels(parcels.head(5), pathlib.Path(tempfile.mkdtemp()) / "p.gpkg")
    >>> len(lu.read_parcels(out))
    5
    """
    written: Path | str = _run(
        "write_parcels",
        path,
        gdf,
        path,
        layer=layer,
        lang=lang,
        table=table,
        schema=schema,
        mode=mode,
    )
    return written


def classify(
    parcels: Frame,
    *,
    as_of: Any,
    code_system: str = "gb21010",
    window_years: int | None = None,
    lapse_years: int = 2,
    idle: IdleRules = _IDLE,
    low: LowEfficiencyRules = _LOW,
    non_final: Mapping[str, int] = NON_FINAL,
    lang: Lang = "zh",
    per_mu: pd.DataFrame | None = None,
    verbose: bool = False,
) -> Frame:
    """Derive ``category``, ``reason``, ``undetermined`` and ``idle_since`` as of a date.

    Rules, in order (the first that applies wins):

    0. A parcel whose disposal counts on ``as_of`` has left the stock: no category.
       Non-final disposals lapse (53号令 Art. 12): ``extended`` (延长动工期限) counts for
       one year from its date and ``temporary_use`` (临时使用) for two (``non_final``),
       after that only if construction started by then; a lapsed parcel is classified
       again. Land not yet approved (``approval_date`` after ``as_of``) has no category,
       whatever its indicators say.
    1. **批而未供** ``approved_unsupplied`` — ``approval_date <= as_of`` and no supply by then.
       ``window_years`` keeps only approvals of the last N years (the ministry often looks back
       5; default: no window). Approvals ``lapse_years`` (2) or more old are flagged in
       ``approval_lapsed`` and in the reason (国发〔2004〕28号) but stay in the stock until
       withdrawn.
    2. **闲置土地** ``supplied_unused`` — supplied, not completed, and either not started
       (``actual_start_date``: foundations above ±0.00) ``idle.not_started_years`` full years
       after the due start (53号令 Art. 2): ``agreed_start_date``, or where none was agreed
       ``idle.deemed_start_years`` after delivery (``delivery_date``, else ``supply_date``;
       Art. 28), so two years after delivery; or started with ``developed_ratio < 1/3`` or
       ``invested_ratio < 0.25`` and stopped (``stopped_date``) for a full year. On the
       anniversary itself the parcel is idle; ``idle_since`` is that day. A parcel past its
       due start but inside the year is a late start (逾期未动工): no category, said so in
       ``reason``. A stopped site whose ratios are missing is ``undetermined``.
    3. **低效用地** ``low_efficiency`` — land in use (completed on or before ``as_of``, or with
       no approval/supply record at all; a site under construction is not screened) below
       any control value of ``low``: plot ratio and building coverage on industrial land, tax
       and output per mu. Land-use codes are read in ``code_system``: ``"gb21010"`` (GB/T
       21010-2017, default: ``0601`` is industrial, ``1001`` railway; integer codes get their
       leading zero back, 2007 three-digit codes are mapped) or ``"ydyh"`` (用地用海分类:
       ``1001``, ``100101``–``100103`` industrial). A parcel that fails an indicator it has
       is low-efficiency; one that passes those it has but lacks others it needs is
       ``undetermined`` (待核查), never compliant.

    A rule whose columns are absent from the inventory altogether cannot run: a
    :class:`RuleWarning` names them and the category the rule leaves empty.

    With ``per_mu`` (a :func:`landuse.per_mu` table), land in use whose enterprises are graded
    D — by area: D-class enterprises hold more than ``low.per_mu_d_share`` of the land of the
    enterprises on the parcel — is 低效用地 too, with the reason "亩均效益评价 D 类" (added to
    the reason of a parcel that also fails an indicator).

    Parameters
    ----------
    parcels
        Parcel inventory with the ledger columns the rules read.
    as_of
        The date of the task list (a baseline), e.g. ``"2021-12-31"``.
    code_system
        ``"gb21010"`` (default) or ``"ydyh"``, see above.
    window_years, lapse_years, idle, low, non_final
        Rule parameters, see above.
    lang
        Language of ``reason``: ``"zh"`` (default) or ``"en"``.
    per_mu
        Graded enterprises (:func:`landuse.per_mu`) whose D class screens their parcels.
    verbose
        Show a progress bar of the stages (validate, rules).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with ``category`` (missing when none applies), ``reason``, ``undetermined``
        (bool), ``idle_since`` (the day idle land became idle) and ``approval_lapsed``.

    Examples
    --------
    >>> import landuse as lu
    >>> ledger = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> task_list = lu.classify(ledger, as_of="2021-12-31")
    >>> task_list["category"].value_counts().sort_index().index.tolist()
    ['approved_unsupplied', 'low_efficiency', 'supplied_unused']
    >>> bool((task_list["category"].fillna("-") == ledger["category"].fillna("-")).all())
    True
    >>> int(task_list["undetermined"].sum()) > 0
    True
    """
    return _run(
        "classify",
        parcels,
        as_of=as_of,
        code_system=code_system,
        window_years=window_years,
        lapse_years=lapse_years,
        idle=idle,
        low=low,
        non_final=non_final,
        lang=lang,
        per_mu=per_mu,
        verbose=verbose,
    )


def add_areas(gdf: Frame, *, crs: Any = None, verbose: bool = False) -> Frame:
    """Return a copy with ``area_m2``, ``area_mu`` and ``area_ha``.

    Parameters
    ----------
    gdf
        Polygons with a CRS. Geometries stay in their CRS; only the measurement is projected.
    crs
        One projected CRS to measure every parcel in. Default: each parcel in the CGCS2000
        3-degree Gauss-Krüger zone (EPSG:4534–4554) that holds the longitude of its
        representative point, whatever CRS the data arrive in (a UTM zone outside China): a
        province spans several zones, and one zone for all misstates areas by up to ~0.2 %
        three degrees away. A geographic CRS is refused: areas are never measured in
        degrees.

    Examples
    --------
    >>> import landuse as lu
    >>> parcels = lu.add_areas(lu.read_parcels(lu.datasets.get_path("west_coast")))
    >>> row = parcels.iloc[0]
    >>> float(row.area_mu / row.area_m2 * 10_000), float(row.area_ha * 15 / row.area_mu)
    (15.0, 1.0)
    """
    return _run("add_areas", gdf, crs=crs, verbose=verbose)


def assign_zones(
    parcels: Frame,
    zones: gpd.GeoDataFrame,
    *,
    how: Literal["split", "largest", "centroid"] = "split",
    name: str = "name",
    columns: Sequence[str] = (),
    crs: Any = None,
    overlap_tolerance_m2: float = 1.0,
    min_piece_m2: float = 1e-4,
    verbose: bool = False,
    overlay_crs: Any = None,
    sliver_m2: float | None = None,
) -> Frame:
    """Return a copy of ``parcels`` with the ``zone`` each parcel (or piece) lies in.

    Parameters
    ----------
    parcels
        Parcel inventory.
    zones
        Zones with a name column; any CRS (they are compared in the area CRS).
    how
        ``"split"`` (default): a parcel crossing zones becomes one row per piece, with the same
        ``parcel_id`` and the piece's geometry and areas; pieces add up to the parcel.
        ``"largest"``: the whole parcel goes to the zone holding most of it.
        ``"centroid"``: the zone holding the parcel's representative point.
        A parcel outside every zone keeps ``zone`` missing; none is ever dropped.
    name
        Column of ``zones`` holding the names copied to ``zone``.
    columns
        More zone columns to copy (e.g. ``["functional_zone"]`` for a roll-up).
    crs
        One projected CRS for the overlay and every area. Default: the overlay runs in
        :func:`landuse.area_crs` of the parcels (or ``overlay_crs``) and each parcel is
        measured in its own Gauss-Krüger zone, as :func:`landuse.add_areas` does; its pieces
        share that area in proportion to their overlay areas.
    overlap_tolerance_m2
        Zones overlapping by more than this are refused (the land would count twice); smaller
        overlaps go to the zone listed first, with a warning.
    verbose
        Show a progress bar of the stages (useful from a million parcels up).
    min_piece_m2
        Pieces smaller than this (coordinate noise along shared edges) join the parcel's
        largest piece (``sliver_m2`` is its former name).
    verbose
        Show a progress bar of the stages (validate, measure).

    Returns
    -------
    geopandas.GeoDataFrame
        Rows in input order with the input index (repeated for pieces), the zone columns,
        ``zone_share`` (piece area ÷ parcel area) and fresh ``area_m2``/``area_mu``/``area_ha``.

    Notes
    -----
    Only parcels that cross a zone boundary are intersected: a single STRtree query of the
    zones against the parcels finds the candidates, and a prepared ``covers`` test settles
    every parcel that lies wholly inside one zone.

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> parcels, zones = lu.read_parcels(path), lu.read_zones(path)
    >>> pieces = lu.assign_zones(parcels, zones, columns=["functional_zone"])
    >>> bool(pieces["parcel_id"].isin(parcels["parcel_id"]).all())
    True
    >>> whole = lu.add_areas(parcels)
    >>> bool(abs(pieces["area_m2"].sum() / whole["area_m2"].sum() - 1) < 1e-9)
    True
    """
    return _run(
        "assign_zones",
        parcels,
        parcels,
        zones,
        how=how,
        name=name,
        columns=columns,
        crs=crs,
        overlap_tolerance_m2=overlap_tolerance_m2,
        min_piece_m2=renamed(
            "assign_zones", "sliver_m2", sliver_m2, "min_piece_m2", min_piece_m2, 1e-4
        ),
        verbose=verbose,
        overlay_crs=overlay_crs,
    )


def disposal_rates(
    parcels: pd.DataFrame | DaskFrame | str,
    *,
    by: str | Sequence[str] = "zone",
    as_of: Any = None,
    methods: Mapping[str, str | Iterable[str]] | None = None,
    target: float | None = None,
    table: str | None = None,
    schema: str | None = None,
    where: str | Mapping[str, Any] | None = None,
    non_final: Mapping[str, int] = NON_FINAL,
    lang: Lang = "zh",
    verbose: bool = False,
) -> RatesTable:
    """Disposal rate per area and category: disposed area ÷ area of the stock to dispose.

    Parameters
    ----------
    parcels
        The task list: parcels (or the pieces from :func:`landuse.assign_zones`) with
        ``category``, ``parcel_id``, the ``by`` columns, ``disposal_method``/``disposal_date``
        and ``area_mu`` (measured with :func:`landuse.add_areas` when absent). Rows without a
        category are not in the stock and are not counted.
    by
        Column, or list of columns for a roll-up (e.g. ``["functional_zone", "zone"]``).
        Rows whose ``by`` value is missing (outside every zone) form their own group.
    as_of
        Reporting date: a parcel is disposed when its method counts and
        ``disposal_date <= as_of``. Default: today (a disposal dated in the future has not
        happened yet, and :func:`landuse.check` reports it); non-final disposals count until
        they lapse. A method without a date is not counted (with a warning naming the
        parcels).
    methods
        ``{category: methods that count}``; other categories keep their full canonical list.
        A method outside its category's list is an error unless named here.
    non_final
        Non-final disposals and the years they count (闲置土地处置办法 Art. 12; default
        ``{"extended": 1, "temporary_use": 2}``): after that the parcel is back in the stock,
        undisposed, unless construction started (``actual_start_date``) by then.
    target
        Target rate (e.g. ``0.6``): adds ``target`` and ``meets_target`` (``rate >= target``).
    table, schema, where
        When ``parcels`` is a PostGIS URL: the table of pieces (with ``area_mu`` and the ``by``
        columns) and an optional filter (``{"zone": [...]}`` or trusted SQL). The database
        does the grouping; only the sums are fetched. Results equal the in-memory ones.
    lang
        Language the table is shown in by a notebook (``"zh"`` default, ``"en"``); the data are
        the same. :func:`landuse.display_rates` formats it for print in either language.
    verbose
        Show a progress bar of the stages (sums, rates).

    Returns
    -------
    pandas.DataFrame
        Indexed by (``by``…, ``category``): one row per area and category, plus category
        ``"all"``; columns ``parcels``, ``area_mu``, ``disposed_parcels``,
        ``disposed_area_mu``, ``rate`` (by area, 0–1; NaN where the stock is empty) and
        ``count_rate``. A parcel split between zones counts once in each zone and once in
        ``"all"``. ``rates.xs("all", level="category")`` is keyed by zone, ready to join.

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> parcels = lu.read_parcels(path)
    >>> pilot = lu.read_zones(path, layer="renewal_zones")
    >>> pilot = pilot[pilot["name"] == "风河南片区"]
    >>> pieces = lu.assign_zones(parcels, pilot)
    >>> rates = lu.disposal_rates(pieces, as_of="2022-06-30", target=0.6)
    >>> rates.loc["风河南片区", "meets_target"].tolist()
    [True, True, True, True]
    """
    rates: RatesTable = _run(
        "disposal_rates",
        parcels,
        by=by,
        as_of=as_of,
        methods=methods,
        target=target,
        table=table,
        schema=schema,
        where=where,
        non_final=non_final,
        lang=lang,
        verbose=verbose,
    )
    return rates
