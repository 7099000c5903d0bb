"""Renewal zones (城市更新片区) through their stages, and the stock land inside them.

A renewal zone moves through 规划 planning → 征收 acquisition → 拆迁清场 clearance → 供地 supply →
建设 construction → 完成 complete. The zones layer records the day each stage began in a
``<stage>_date`` column (``planning_date`` … ``complete_date``) and may set a ``target_date``
for completion.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse._errors import DateOrderError, InputError, MissingColumnError
from landuse._validate import as_date, require_crs
from landuse.vocab import CATEGORIES, STAGES, Lang, category_label, stage_label

__all__ = ["STAGE_DATE_COLUMNS", "display_renewal", "renewal_progress", "renewal_stages"]

#: The date column of each stage, in order.
STAGE_DATE_COLUMNS: tuple[str, ...] = tuple(f"{stage}_date" for stage in STAGES)


def _stage_dates(renewal: pd.DataFrame) -> pd.DataFrame:
    """The stage dates as datetimes (missing columns: no date), checked for order."""
    dates = pd.DataFrame(index=renewal.index)
    for column in (*STAGE_DATE_COLUMNS, "target_date"):
        if column in renewal.columns:
            parsed = pd.to_datetime(renewal[column], errors="coerce")
            bad = renewal[column].notna() & parsed.isna()
            if bad.any():
                raise InputError(f"{column} must be a date", renewal.loc[bad, "name"])
            dates[column] = parsed.dt.tz_localize(None) if parsed.dt.tz is not None else parsed
        else:
            dates[column] = pd.NaT
    ordered = dates[list(STAGE_DATE_COLUMNS)]
    latest_so_far = ordered.cummax(axis=1, skipna=True)
    wrong = (ordered < latest_so_far).any(axis=1)
    if wrong.any():
        raise DateOrderError(
            "renewal stage dates out of order (planning → acquisition → clearance → supply → "
            "construction → complete)",
            renewal.loc[wrong, "name"],
        )
    return dates


def renewal_stages(renewal: pd.DataFrame, *, as_of: Any) -> pd.DataFrame:
    """Each zone's stage on a date: ``stage``, ``stage_date``, ``days_in_stage``, ``overdue``.

    The stage is the latest one whose ``<stage>_date`` is on or before ``as_of``; a zone with
    no stage begun by then has ``stage`` missing. ``overdue`` is True when the zone is not
    complete and ``as_of`` is past its ``target_date``.

    Examples
    --------
    >>> import pandas as pd
    >>> zones = pd.DataFrame({"name": ["A"], "planning_date": ["2021-01-01"],
    ...                       "acquisition_date": ["2022-03-01"], "target_date": ["2022-06-01"]})
    >>> renewal_stages(zones, as_of="2022-06-30")[["stage", "days_in_stage", "overdue"]]
             stage  days_in_stage  overdue
    A  acquisition            121     True
    """
    if "name" not in renewal.columns:
        raise MissingColumnError("renewal zones need a name column")
    day = as_date(as_of)
    dates = _stage_dates(renewal)
    reached = (dates[list(STAGE_DATE_COLUMNS)] <= day).to_numpy()
    any_reached = reached.any(axis=1)
    last = np.where(any_reached, len(STAGES) - 1 - np.argmax(reached[:, ::-1], axis=1), -1)
    stage = pd.Series(
        [STAGES[i] if i >= 0 else None for i in last], index=renewal.index, dtype=object
    )
    values = dates[list(STAGE_DATE_COLUMNS)].to_numpy(dtype="datetime64[ns]")
    since = pd.Series(
        [values[r, i] if i >= 0 else np.datetime64("NaT") for r, i in enumerate(last)],
        index=renewal.index,
        dtype="datetime64[ns]",
    )
    days = (day - since).dt.days.astype("Int64")
    overdue = (stage != "complete") & dates["target_date"].notna() & (dates["target_date"] < day)
    out = pd.DataFrame(
        {
            "stage": stage.to_numpy(dtype=object),
            "stage_date": since.to_numpy(),
            "days_in_stage": days.array,
            "target_date": dates["target_date"].to_numpy(),
            "overdue": overdue.to_numpy(dtype=bool),
        },
        index=pd.Index(renewal["name"].astype(str).to_numpy()),
    )
    return out


def renewal_progress(
    renewal: gpd.GeoDataFrame,
    parcels: gpd.GeoDataFrame,
    *,
    as_of: Any,
    methods: Any = None,
) -> pd.DataFrame:
    """Where each renewal zone stands, and the stock land inside it.

    Parameters
    ----------
    renewal
        Renewal zones with ``name`` and stage dates ``planning_date``, ``acquisition_date``,
        ``clearance_date``, ``supply_date``, ``construction_date``, ``complete_date`` (any may
        be missing or absent) and optionally ``target_date``.
    parcels
        The task list (with ``category``; rows without one are not stock). A parcel crossing
        the zone's edge counts with the part inside (as :func:`landuse.assign_zones` splits).
    as_of
        The reporting date: the stage and disposals are taken as of this day.
    methods
        As in :func:`landuse.disposal_rates`.

    Returns
    -------
    pandas.DataFrame
        One row per zone, indexed by the zone name (also the column ``name``): ``stage`` (the
        latest stage whose date is on or before ``as_of``; missing before planning),
        ``stage_date``, ``days_in_stage``, ``target_date``, ``overdue`` (not complete and
        past ``target_date``), ``area_mu`` (the zone), ``stock_parcels``, ``stock_area_mu``,
        ``disposed_area_mu``, ``rate`` (disposed ÷ stock area; NaN without stock), and per
        category ``<category>_parcels``, ``<category>_area_mu``,
        ``<category>_disposed_area_mu``, ``<category>_rate``.

    Examples
    --------
    >>> import landuse as lu
    >>> path = lu.datasets.get_path("west_coast")
    >>> tasks = lu.read_parcels(path)
    >>> renewal = lu.read_zones(path, layer="renewal_zones")
    >>> table = lu.renewal_progress(renewal, tasks, as_of="2022-06-30")
    >>> table.loc["双珠公园片区", "stage"], table.loc["人才公寓", "stage"]
    ('complete', 'clearance')
    """
    from landuse.areas import add_areas
    from landuse.stats import disposal_rates
    from landuse.zones import assign_zones

    require_crs(renewal, "renewal zones")
    require_crs(parcels)
    if "name" not in renewal.columns:
        raise MissingColumnError("renewal zones need a name column")
    dup = renewal["name"].astype(str).duplicated(keep=False)
    if dup.any():
        raise InputError("renewal zone names repeat", sorted(set(renewal.loc[dup, "name"])))
    if "category" not in parcels.columns:
        raise MissingColumnError("parcels need a category column; derive it with lu.classify")
    table = renewal_stages(renewal, as_of=as_of)
    table.insert(0, "name", table.index.to_numpy())
    table["area_mu"] = add_areas(renewal)["area_mu"].to_numpy()

    stock = parcels[parcels["category"].notna()]
    columns = ["parcels", "area_mu", "disposed_area_mu", "rate"]
    numbers = pd.DataFrame(
        0.0,
        index=table.index,
        columns=[f"stock_{c}" if c in ("parcels", "area_mu") else c for c in columns]
        + [f"{cat}_{c}" for cat in CATEGORIES for c in columns],
    )
    for c in numbers.columns:
        if c.endswith("rate"):
            numbers[c] = np.nan
    for position, name in enumerate(table.index):
        zone = renewal.iloc[[position]][["name", renewal.geometry.name]]
        if len(stock) == 0:
            break
        pieces = assign_zones(stock, zone.assign(name=str(name)))
        pieces = pieces[pieces["zone"].notna()]
        if pieces.empty:
            continue
        rates = pd.DataFrame(disposal_rates(pieces, by="zone", as_of=as_of, methods=methods))
        per = rates.xs(str(name), level="zone")
        for category in ("all", *CATEGORIES):
            if category not in per.index:
                continue
            row = per.loc[category]
            prefix = "stock_" if category == "all" else f"{category}_"
            numbers.loc[name, f"{prefix}parcels"] = row["parcels"]
            numbers.loc[name, f"{prefix}area_mu"] = row["area_mu"]
            extra = "" if category == "all" else f"{category}_"
            numbers.loc[name, f"{extra}disposed_area_mu"] = row["disposed_area_mu"]
            numbers.loc[name, f"{extra}rate"] = row["rate"]
    for c in numbers.columns:
        if c.endswith("parcels"):
            numbers[c] = numbers[c].astype(int)
    return pd.concat([table, numbers], axis=1)


def display_renewal(table: pd.DataFrame, *, lang: Lang = "zh") -> pd.DataFrame:
    """The table of :func:`renewal_progress` with labels and rounded numbers, for reports."""
    zh = lang == "zh"
    out = pd.DataFrame(
        {
            ("片区" if zh else "Zone"): table["name"].astype(str),
            ("阶段" if zh else "Stage"): [stage_label(s, lang) for s in table["stage"]],
            ("本阶段天数" if zh else "Days in stage"): table["days_in_stage"].astype(object),
            ("目标日期" if zh else "Target"): table["target_date"].dt.strftime("%Y-%m-%d"),
            ("逾期" if zh else "Overdue"): [
                ("是" if zh else "yes") if o else "" for o in table["overdue"]
            ],
            ("面积（亩）" if zh else "Area (mu)"): table["area_mu"].round(0),
            ("存量地块" if zh else "Stock parcels"): table["stock_parcels"],
            ("存量面积（亩）" if zh else "Stock (mu)"): table["stock_area_mu"].round(1),
            ("已处置（亩）" if zh else "Disposed (mu)"): table["disposed_area_mu"].round(1),
            ("处置率" if zh else "Rate"): table["rate"].map(
                lambda r: "" if pd.isna(r) else f"{r:.1%}"
            ),
        }
    )
    for category in CATEGORIES:
        out[category_label(category, lang)] = table[f"{category}_rate"].map(
            lambda r: "" if pd.isna(r) else f"{r:.0%}"
        )
    return out.fillna("").reset_index(drop=True)
