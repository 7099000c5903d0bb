"""Disposal rates (处置率) per area and category."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from landuse import _parallel
from landuse._disposal import NON_FINAL, lapse_dates
from landuse._errors import (
    DisposalMethodError,
    DuplicateIdError,
    InputError,
    format_ids,
    renamed,
    warn,
)
from landuse._progress import stages
from landuse._tables import RatesTable, display_rates
from landuse._validate import UndatedDisposalWarning, as_date, require_columns
from landuse.areas import add_areas
from landuse.vocab import CATEGORIES, DISPOSAL_METHODS, Lang

__all__ = [
    "OUTSIDE",
    "RATE_COLUMNS",
    "counted_methods",
    "display_rates",
    "disposal_rates",
    "finish_rates",
    "partial_sums",
    "rate_options",
]

RATE_COLUMNS = ("parcels", "area_mu", "disposed_parcels", "disposed_area_mu", "rate", "count_rate")
_ALL = "all"
OUTSIDE = "⟂outside⟂"  # stands for a missing area while grouping (NUL-free: databases too)
_CATEGORY_NAMES = np.asarray(CATEGORIES, dtype=object)


def counted_methods(
    methods: Mapping[str, str | Iterable[str]] | None = None,
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per category: (methods that count as disposed, methods accepted in the data).

    By default every canonical method of a category counts. A category named in ``methods``
    counts only the methods given there; those may include methods of your own.
    """
    methods = dict(methods or {})
    unknown = sorted(set(methods) - set(CATEGORIES))
    if unknown:
        raise InputError(f"methods= names unknown categor(ies) {', '.join(unknown)}")
    out = {}
    for category in CATEGORIES:
        given = methods.get(category)
        if given is None:
            counted = DISPOSAL_METHODS[category]
        else:
            counted = (given,) if isinstance(given, str) else tuple(given)
        accepted = tuple(dict.fromkeys((*DISPOSAL_METHODS[category], *counted)))
        out[category] = (counted, accepted)
    return out


def _disposed(
    frame: pd.DataFrame,
    as_of: Any,
    methods: Mapping[str, Any] | None,
    non_final: Mapping[str, int] | None = NON_FINAL,
    *,
    lapse: bool = True,
    category_code: np.ndarray | None = None,
) -> np.ndarray:
    """Whether each row is disposed as of ``as_of`` (default today for lapses); unknown
    methods raise; a method without a date is reported and not counted.

    ``category_code``: the rows' codes in :data:`CATEGORIES` when the caller has them."""
    if "disposal_method" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    # missing methods are -1; the codes are read once, without making Python strings
    method_code, method_names = pd.factorize(frame["disposal_method"])
    date = frame["disposal_date"]
    if not pd.api.types.is_datetime64_dtype(date.dtype):
        date = pd.to_datetime(date, errors="coerce")
    dated = date.notna().to_numpy()
    undated = (method_code >= 0) & ~dated
    if undated.any():
        warn(
            f"{int(undated.sum())} disposal(s) without a valid disposal_date are not counted: "
            f"{format_ids(frame.loc[undated, 'parcel_id'])}",
            UndatedDisposalWarning,
        )
    # decide once per distinct (category, method) pair, then spread to the rows
    rules = counted_methods(methods)
    if category_code is None:
        category_code = pd.Categorical(frame["category"], categories=list(rules)).codes
    pair = category_code.astype(np.int64) * (len(method_names) + 1) + method_code + 1
    row_pair, pairs = pd.factorize(pair)  # a hash of few pairs: cheaper than sorting rows
    counts_pair = np.zeros(len(pairs), dtype=bool)
    for i in np.argsort(pairs):  # in the order of the pairs (the first bad one is reported)
        code = pairs[i]
        category_index, method_index = divmod(int(code), len(method_names) + 1)
        if category_index < 0 or method_index == 0:
            continue
        category, name = list(rules)[category_index], method_names[method_index - 1]
        counts, accepted = rules[category]
        if name not in accepted:
            bad = row_pair == i
            raise DisposalMethodError(
                f"disposal method {name!r} is not a method of {category} "
                f"(known: {', '.join(accepted)}); pass methods= to accept your own",
                frame.loc[bad, "parcel_id"],
            )
        counts_pair[i] = name in counts
    counted = counts_pair[row_pair] & dated
    # a disposal dated in the future has not happened: without as_of, count up to today
    day = as_date(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    counted &= (date <= day).to_numpy()
    non_final = NON_FINAL if non_final is None else non_final  # None: the legal defaults
    # only rows of a non-final method can lapse (most inventories have none: skip the dates)
    if lapse and any(name in non_final for name in method_names):
        start = frame["actual_start_date"] if "actual_start_date" in frame.columns else None
        ends = lapse_dates(frame["disposal_method"], date, start, non_final)
        counted &= (ends.isna() | (day < ends)).to_numpy()
    return counted


def disposed_by(frame: pd.DataFrame, as_of: Any = None) -> pd.Series:
    """Rows with a disposal recorded on or before ``as_of`` (default: today), non-final
    disposals only until they lapse.

    For drawing; :func:`disposal_rates` also checks that each method counts for its category.
    """
    if "disposal_method" not in frame.columns or "disposal_date" not in frame.columns:
        return pd.Series(False, index=frame.index)
    dates = pd.to_datetime(frame["disposal_date"])
    method = frame["disposal_method"].astype(object)
    recorded = method.notna() & dates.notna()
    # a disposal dated in the future has not happened: without as_of, draw up to today
    day = as_date(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    recorded &= dates <= day
    # a non-final disposal that lapsed (extension, temporary use) is drawn as undisposed
    start = frame["actual_start_date"] if "actual_start_date" in frame.columns else None
    ends = lapse_dates(method, dates, start)
    return recorded & (ends.isna() | (day < ends))


def disposal_rates(
    parcels: pd.DataFrame,
    *,
    by: str | Sequence[str] = "zone",
    as_of: Any = None,
    methods: Mapping[str, str | Iterable[str]] | None = None,
    target: float | None = None,
    non_final: Mapping[str, int] = NON_FINAL,
    lang: Lang = "zh",
    verbose: bool = False,
) -> RatesTable:
    """The in-memory step of :func:`landuse.disposal_rates` (documented there)."""
    if not isinstance(parcels, pd.DataFrame):
        raise InputError(
            f"disposal_rates needs a (Geo)DataFrame, a dask frame or a postgresql:// URL with "
            f"table=, not {type(parcels).__name__}"
        )
    by, target = rate_options(by, target)
    with stages("disposal_rates", 2, verbose=verbose) as stage:
        stage("sums")
        partials = partial_sums(parcels, by=by, as_of=as_of, methods=methods, non_final=non_final)
        stage("rates")
        return finish_rates(partials, by=by, target=target, lang=lang)


def rate_options(by: str | Sequence[str], target: float | None) -> tuple[list[str], float | None]:
    """``by`` as a list and ``target`` checked: the same rules whichever backend computes."""
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise InputError("by must name at least one column")
    if "category" in by:
        raise InputError("by= cannot include 'category': every table is already per category")
    if target is not None and not 0 <= target <= 1:
        raise InputError(f"target is a rate between 0 and 1, not {target!r}")
    return by, target


def _codes(values: Any, *, outside: bool) -> tuple[np.ndarray, np.ndarray]:
    """Codes 1… in order of first appearance with 0 for a missing value, and the values as
    objects (index 0: the placeholder). ``outside``: a value equal to the placeholder is
    missing too (a ``by`` column: both are one group)."""
    codes, uniques = pd.factorize(values)
    labels = np.empty(len(uniques) + 1, dtype=object)
    labels[0] = OUTSIDE
    labels[1:] = pd.Index(uniques).to_numpy(dtype=object)
    codes = codes.astype(np.int64) + 1
    if outside:
        placeholder = np.flatnonzero(labels[1:] == OUTSIDE)
        if len(placeholder):
            codes[codes == placeholder[0] + 1] = 0
    return codes, labels


def _combine(codes: Sequence[np.ndarray], sizes: Sequence[int]) -> np.ndarray:
    """One code 0… per distinct combination of the columns' codes (each in [0, size)), in
    order of first appearance (as a ``groupby(sort=False)``)."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    size = 1
    for column, radix in zip(codes, sizes, strict=True):
        if size * radix >= 2**62:  # re-number what there is before the product overflows
            key, uniques = pd.factorize(key)
            size = len(uniques)
        key = key * radix + column
        size *= radix
    combined, _ = pd.factorize(key)
    return combined.astype(np.int64)


def _distinct(codes: np.ndarray) -> bool:
    """Whether every code of :func:`_combine` appears once."""
    return int(codes.max(initial=-1)) + 1 == len(codes)


def _firsts(key: np.ndarray) -> np.ndarray:
    """The row where each code of :func:`_combine` first appears (codes grow one by one)."""
    seen = np.maximum.accumulate(key)
    return np.flatnonzero(np.diff(seen, prepend=-1) > 0)


def partial_sums(
    parcels: pd.DataFrame,
    *,
    by: list[str],
    as_of: Any = None,
    methods: Mapping[str, str | Iterable[str]] | None = None,
    non_final: Mapping[str, int] = NON_FINAL,
) -> pd.DataFrame:
    """Parcels, 亩 and disposed of one frame per (``by``…, category) and per ``by`` (``"all"``).

    Flat columns, missing ``by`` values as a placeholder. Sums over frames that share no
    parcel (dask partitions) equal the sums over their union.
    """
    hint = "assign zones first with lu.assign_zones" if "zone" in by else ""
    require_columns(parcels, ("parcel_id", "category", *by), hint=hint)
    if "area_mu" not in parcels.columns:
        if not isinstance(parcels, gpd.GeoDataFrame):
            raise InputError("parcels need an area_mu column or geometries to measure")
        parcels = add_areas(parcels)
    # every key as integer codes, read once: the work below is counting on integers. The ids
    # are the costliest (a million distinct strings): the pool hashes them (Arrow, without
    # the GIL) while this thread does the rest
    (all_id_codes,) = _parallel.start([lambda: pd.factorize(parcels["parcel_id"])[0]])
    category_code, category_names = pd.factorize(parcels["category"])
    known = pd.Index(category_names).get_indexer(pd.Index(CATEGORIES))
    lookup = np.full(len(category_names) + 1, -2, dtype=np.int64)  # -2: not a category
    lookup[-1] = -1  # missing: not in the stock
    lookup[known[known >= 0]] = np.flatnonzero(known >= 0)
    category_code = lookup[category_code]
    unknown = category_code == -2
    if unknown.any():
        category = parcels["category"].astype(object)
        raise InputError(
            f"unknown category {', '.join(map(repr, sorted(set(category[unknown]))))}",
            parcels.loc[unknown, "parcel_id"],
        )
    in_stock = category_code >= 0
    frame = parcels if in_stock.all() else parcels.iloc[np.flatnonzero(in_stock)]
    category_code = category_code[in_stock]
    rows = len(frame)
    ids = frame["parcel_id"]
    # as in _codes, without the labels
    id_code = (all_id_codes() if frame is parcels else pd.factorize(ids)[0]).astype(np.int64) + 1
    id_size = int(id_code.max(initial=0)) + 1
    # only a parcel with several rows (pieces) can be twice in a group: look at those alone
    several = np.flatnonzero(np.bincount(id_code, minlength=id_size)[id_code] > 1)
    # pieces of one parcel differ by zone; a roll-up to a coarser `by` sums them
    piece_key = ["parcel_id", *dict.fromkeys([*by, *(["zone"] if "zone" in frame.columns else [])])]
    # parcels outside every zone are grouped too (placeholder, restored to NaN later)
    keys = {c: _codes(frame[c], outside=c in by) for c in piece_key[1:]}
    sizes = {c: len(labels) for c, (_, labels) in keys.items()}
    piece = _combine(
        [id_code[several], *(keys[c][0][several] for c in piece_key[1:])],
        [id_size, *(sizes[c] for c in piece_key[1:])],
    )
    twice = np.bincount(piece)[piece] > 1  # missing zones compare equal here
    if twice.any():
        raise DuplicateIdError(
            "the same parcel appears twice in one area (would count twice)",
            sorted(set(ids.iloc[several[twice]])),
        )
    area = pd.to_numeric(frame["area_mu"]).to_numpy(dtype=float)
    disposed = _disposed(
        pd.DataFrame(
            {
                "parcel_id": ids.array,
                # as objects: an object array would be read into Arrow strings again
                "disposal_method": pd.Series(
                    frame["disposal_method"].to_numpy(dtype=object)
                    if "disposal_method" in frame.columns
                    else np.full(rows, None, dtype=object),
                    index=pd.RangeIndex(rows),
                    dtype=object,
                ),
                "disposal_date": frame["disposal_date"].array
                if "disposal_date" in frame.columns
                else np.full(rows, np.datetime64("NaT", "ns")),
                **(
                    {"actual_start_date": pd.to_datetime(frame["actual_start_date"]).array}
                    if "actual_start_date" in frame.columns
                    else {}
                ),
            },
            index=pd.RangeIndex(rows),
        ),
        as_of,
        methods,
        non_final,
        category_code=category_code,
    )
    area = np.where(np.isnan(area), 0.0, area)  # sums skip a missing area (as pandas does)
    disposed_area = np.where(disposed, area, 0.0)
    named = id_code > 0  # a row without parcel_id is a row, but no parcel to count once
    single = np.ones(rows, dtype=bool)
    single[several] = False  # the parcel's only row: a (group, parcel) pair of its own

    area_key = _combine([keys[c][0] for c in by], [sizes[c] for c in by])
    groups = int(area_key.max(initial=-1)) + 1
    # Where no parcel has two pieces in one group, counting rows is counting parcels; a
    # roll-up above the zones counts each (group, parcel) pair once.
    one_row_per_parcel = set(piece_key) == {"parcel_id", *by} or _distinct(
        _combine([area_key[several], id_code[several]], [groups, id_size])
    )

    def summarise(key: np.ndarray, with_category: bool) -> pd.DataFrame:
        count = int(key.max(initial=-1)) + 1
        if one_row_per_parcel:
            parcels_n = np.bincount(key, minlength=count)
            disposed_n = np.bincount(key[disposed & named], minlength=count)
        else:
            alone = single & named
            parcels_n = np.bincount(key[alone], minlength=count)
            disposed_n = np.bincount(key[alone & disposed], minlength=count)
            pair = _combine([key[several], id_code[several]], [count, id_size])
            starts = _firsts(pair)  # the first row of each (group, parcel) pair
            any_disposed = np.bincount(pair, disposed[several], len(starts)) > 0
            kept = named[several][starts]
            group = key[several][starts]
            parcels_n += np.bincount(group[kept], minlength=count)
            disposed_n += np.bincount(group[kept & any_disposed], minlength=count)
        first_row = _firsts(key)
        sums = pd.DataFrame(
            {
                **{c: keys[c][1][keys[c][0][first_row]] for c in by},
                "parcels": parcels_n.astype(np.int64),
                "area_mu": np.bincount(key, weights=area, minlength=count).astype(float),
                "disposed_parcels": disposed_n.astype(np.int64),
                "disposed_area_mu": np.bincount(key, disposed_area, count).astype(float),
            },
            index=pd.RangeIndex(count),
        )
        names = _CATEGORY_NAMES[category_code[first_row]] if with_category else _ALL
        # the dtype pandas gives text (str or object), even to no rows (dask's meta)
        text = pd.Series([_ALL]).dtype
        sums.insert(len(by), "category", pd.Series(names, index=sums.index, dtype=text))
        return sums

    per_category = summarise(_combine([area_key, category_code], [groups, len(CATEGORIES)]), True)
    return pd.concat([per_category, summarise(area_key, False)], ignore_index=True)


def finish_rates(
    partials: pd.DataFrame, *, by: list[str], target: float | None, lang: Lang = "zh"
) -> RatesTable:
    """Rates from the (summed) output of :func:`partial_sums`: complete grid, rates, target."""
    sums = ["parcels", "area_mu", "disposed_parcels", "disposed_area_mu"]
    combined = partials.groupby([*by, "category"], sort=False, dropna=False)[sums].sum()
    areas = combined.index.droplevel(-1).unique()  # type: ignore[arg-type]  # pandas-stubs bug
    full = pd.MultiIndex.from_tuples(
        [(*(a if isinstance(a, tuple) else (a,)), c) for a in areas for c in (*CATEGORIES, _ALL)],
        names=[*by, "category"],
    )
    result = combined.reindex(full, fill_value=0)
    result = result.astype({"parcels": "int64", "disposed_parcels": "int64"})
    with np.errstate(invalid="ignore", divide="ignore"):
        result["rate"] = result["disposed_area_mu"] / result["area_mu"].where(result["area_mu"] > 0)
        result["count_rate"] = result["disposed_parcels"] / result["parcels"].where(
            result["parcels"] > 0
        )
    if target is not None:
        result["target"] = target
        result["meets_target"] = (
            (result["rate"] >= target).astype("boolean").where(result["rate"].notna())
        )
    result = result.sort_index(level=list(range(len(by))), sort_remaining=False)
    levels = [
        pd.Index(result.index.get_level_values(i).to_numpy(dtype=object)).where(
            result.index.get_level_values(i) != OUTSIDE, None
        )
        for i in range(len(by))
    ]
    result.index = pd.MultiIndex.from_arrays(
        [*levels, result.index.get_level_values("category")], names=[*by, "category"]
    )
    table = RatesTable(result)
    table.attrs["lang"] = lang  # how a notebook shows it (RatesTable._repr_html_)
    return table


def progress(
    parcels: pd.DataFrame,
    *,
    freq: str = "M",
    by: str | Sequence[str] | None = None,
    start: Any = None,
    as_of: Any = None,
    methods: Mapping[str, str | Iterable[str]] | None = None,
    non_final: Mapping[str, int] = NON_FINAL,
    end: Any = None,
) -> pd.DataFrame:
    """Disposal progress period by period: the table behind :func:`landuse.plot_progress`.

    Parameters
    ----------
    parcels
        The task list (or its pieces) with ``category``, ``area_mu`` (measured when absent),
        ``disposal_method`` and ``disposal_date``.
    freq
        Period length: ``"M"`` (month, default), ``"Q"`` or ``"Y"``.
    by
        Optional area column(s); without, one series for the whole task list.
    start, as_of
        The first period, and the reporting date that ends the last one (default: from the
        first disposal that still counts at the last one, to the last disposal). Nothing dated
        after ``as_of`` is counted. ``end`` is the former name of ``as_of``.
    methods, non_final
        As in :func:`disposal_rates`: a non-final disposal (``extended``, ``temporary_use``)
        stops counting in the period it lapses, so the rate can drop.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``by``…, ``category``, ``period``) with category ``"all"`` too; columns
        ``area_mu`` (the stock), ``disposed_area_mu`` (in the period), ``lapsed_area_mu``
        (non-final disposals lapsing in the period), ``cumulative_area_mu`` (counting at the
        period's end), ``disposed_parcels``, ``cumulative_parcels`` and ``rate``
        (cumulative ÷ stock).

    Examples
    --------
    >>> import landuse as lu
    >>> ledger = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> table = lu.progress(ledger)
    >>> table.xs("all", level="category")["rate"].is_monotonic_increasing
    True
    """
    end = renamed("progress", "end", end, "as_of", as_of)
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    if freq not in {"M", "Q", "Y"}:
        raise InputError(f"freq must be 'M', 'Q' or 'Y', not {freq!r}")
    require_columns(parcels, ("parcel_id", "category", *keys))
    if "area_mu" not in parcels.columns:
        parcels = add_areas(parcels)
    frame = parcels[parcels["category"].notna()]
    if frame.empty:
        raise InputError("no parcel has a category: nothing is in the stock")
    dates = (
        pd.to_datetime(frame["disposal_date"])
        if "disposal_date" in frame.columns
        else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    )
    dated = frame.assign(category=frame["category"].astype(object), disposal_date=dates)
    disposed = _disposed(dated, None, methods, lapse=False)
    start_dates = dated["actual_start_date"] if "actual_start_date" in dated.columns else None
    method = dated["disposal_method"] if "disposal_method" in dated.columns else None
    lapses = (
        lapse_dates(method, dates, start_dates, non_final)
        if method is not None
        else pd.Series(pd.NaT, index=dated.index, dtype="datetime64[ns]")
    )
    period = dated["disposal_date"].dt.to_period(freq)
    lapse_period = lapses.dt.to_period(freq)
    # by default from the first disposal that still counts at the last one (a non-final
    # disposal that lapsed long before the campaign does not stretch the axis)
    still = disposed & (lapses.isna() | (lapses > dates[disposed].max())).to_numpy()
    first = (
        pd.Period(as_date(start), freq)
        if start is not None
        else period[still if still.any() else disposed].min()
    )
    last = pd.Period(as_date(end), freq) if end is not None else period[disposed].max()
    if not isinstance(first, pd.Period) or not isinstance(last, pd.Period):
        raise InputError("no disposal is recorded, so there is no progress to show")
    periods = pd.period_range(first, last, freq=freq, name="period")
    table = pd.DataFrame(
        {
            **{
                k: dated[k].astype(object).where(dated[k].notna(), OUTSIDE).to_numpy() for k in keys
            },
            "category": dated["category"].to_numpy(),
            "area_mu": pd.to_numeric(dated["area_mu"]).to_numpy(dtype=float),
            "disposed": disposed,
            "lapsed": disposed & lapses.notna().to_numpy(),
            "period": period.array,
            "lapse_period": lapse_period.array,
        }
    )
    table = pd.concat([table, table.assign(category=_ALL)], ignore_index=True)
    groups = [*keys, "category"]
    stock = table.groupby(groups, sort=False)["area_mu"].sum()
    index = pd.MultiIndex.from_tuples(
        [(*(g if isinstance(g, tuple) else (g,)), p) for g in stock.index for p in periods],
        names=[*groups, "period"],
    )

    def events(flag: str, when: str, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Area and parcels per period in [first, last], and the sums before ``first``."""
        rows = table[table[flag] & table[when].notna()]
        inside = rows[(rows[when] >= first) & (rows[when] <= last)]
        per = inside.groupby([*groups, when], sort=False).agg(
            **{f"{name}_area_mu": ("area_mu", "sum"), f"{name}_parcels": ("area_mu", "size")}
        )
        per.index = per.index.set_names("period", level=-1)
        before = (
            rows[rows[when] < first]
            .groupby(groups)
            .agg(area=("area_mu", "sum"), parcels=("area_mu", "size"))
        )
        return per.reindex(index, fill_value=0), before.reindex(index.droplevel("period")).fillna(0)

    out, before = events("disposed", "period", "disposed")
    lost, lost_before = events("lapsed", "lapse_period", "lapsed")
    out["lapsed_area_mu"] = lost["lapsed_area_mu"].to_numpy()
    out["area_mu"] = stock.reindex(index.droplevel("period")).to_numpy()
    grouped = out.groupby(level=groups, sort=False)
    # disposals before the first period still count; non-final ones stop counting on lapse
    out["cumulative_area_mu"] = (
        grouped["disposed_area_mu"].cumsum()
        - grouped["lapsed_area_mu"].cumsum()
        + (before["area"] - lost_before["area"]).to_numpy()
    )
    lapsed_parcels = lost["lapsed_parcels"].groupby(level=groups, sort=False).cumsum()
    out["cumulative_parcels"] = (
        grouped["disposed_parcels"].cumsum()
        - lapsed_parcels
        + (before["parcels"] - lost_before["parcels"]).to_numpy()
    ).astype("int64")
    out["rate"] = out["cumulative_area_mu"] / out["area_mu"]
    return out[
        [
            "area_mu",
            "disposed_area_mu",
            "lapsed_area_mu",
            "cumulative_area_mu",
            "disposed_parcels",
            "cumulative_parcels",
            "rate",
        ]
    ]
