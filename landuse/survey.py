"""The field survey (现状调查): work packages for the teams, their checklists back, progress.

The seed's pilot sent 60+ staff in ~30 paired groups to survey every low-efficiency
enterprise one by one. :func:`work_packages` cuts the parcels to visit into ``n`` compact,
balanced packages (one per team); :func:`landuse.survey_sheets` prints a map and an Excel
checklist per package; :func:`read_survey` reads the filled checklists back,
:func:`survey_progress` counts what is done and :func:`apply_survey` writes the surveyed values
into the inventory so that :func:`landuse.classify` can decide the parcels it could not.

How the packages are cut
------------------------
Plain k-means (scikit-learn) gives compact groups of very different sizes (±80 % on the
bundled sample); a cut of the Hilbert curve into equal runs gives equal sizes but long,
interleaved packages. Here k-means places the centres, then a *capacitated* assignment moves
each parcel to the centre that costs least once each centre carries a price: the prices are
raised on packages that are too small and lowered on those too large until every package is
within the band (the dual of the balanced transportation problem). Assigning by squared
distance minus a price draws a power diagram, so packages stay convex-ish and do not overlap.
Centres then move to their packages' means and the two steps repeat (Lloyd). A last pass moves
single parcels along the cheapest chain of neighbouring packages when a band is still missed.
"""

from __future__ import annotations

import itertools
import warnings
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from landuse._errors import (
    DuplicateIdError,
    GeometryError,
    InputError,
    MissingColumnError,
    format_ids,
    warn,
)
from landuse._validate import require_crs
from landuse.vocab import CHECKLIST_LABELS, SURVEY_COLUMNS, SURVEY_LABELS

__all__ = [
    "SURVEY_COLUMNS",
    "SurveyError",
    "apply_survey",
    "package_quality",
    "read_survey",
    "survey_progress",
    "work_packages",
]


class SurveyError(InputError):
    """A filled checklist cannot be read back: unknown parcels, duplicated rows, bad values."""


# --- work packages -------------------------------------------------------------------------

_CANDIDATES = 8  # nearest centres a parcel may be assigned to
_LEAF = 6000  # larger inputs are bisected first: the exact assignment stays quick
_RESTART_LIMIT = 2000  # more parcels than this: one start


def _projected_points(parcels: gpd.GeoDataFrame) -> np.ndarray:
    """Representative points of the parcels in metres (the Gauss-Krüger CRS of the areas)."""
    from landuse.areas import area_crs

    crs = area_crs(parcels) if parcels.crs.is_geographic else parcels.crs
    points = parcels.geometry.representative_point()
    if points.crs != crs:
        points = points.to_crs(crs)
    return np.asarray(shapely.get_coordinates(points.array), dtype=float)


def _candidates(xy: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from scipy.spatial import cKDTree

    k = min(_CANDIDATES, len(centres))
    dist, idx = cKDTree(centres).query(xy, k=k)
    if k == 1:
        dist, idx = dist[:, None], idx[:, None]
    return dist**2, idx


def _group_first_reaching(
    groups: np.ndarray, keys: np.ndarray, weights: np.ndarray, needed: np.ndarray, k: int
) -> np.ndarray:
    """Per group g: the smallest key at which the cumulative weight (keys ascending) reaches
    ``needed[g]``; the largest key when it never does; NaN for groups with no rows."""
    out = np.full(k, np.nan)
    if len(groups) == 0:
        return out
    order = np.lexsort((keys, groups))
    g, key, w = groups[order], keys[order], weights[order]
    starts = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    cum = np.cumsum(w)
    base = np.repeat(cum[starts] - w[starts], np.diff(np.r_[starts, len(g)]))
    within = cum - base
    reached = within >= needed[g] - 1e-9
    # first reaching row per group; else the group's last row
    ends = np.r_[starts[1:], len(g)] - 1
    first = np.full(len(starts), -1)
    hit = np.flatnonzero(reached)
    if len(hit):
        grp_of_hit = np.searchsorted(starts, hit, side="right") - 1
        uniq, pos = np.unique(grp_of_hit, return_index=True)
        first[uniq] = hit[pos]
    first = np.where(first < 0, ends, first)
    out[g[starts]] = key[first]
    return out


def _transport(
    xy: np.ndarray, w: np.ndarray, centres: np.ndarray, current: np.ndarray, lo: float, hi: float
) -> np.ndarray:
    """The least-squared-distance assignment with every package's load in [lo, hi].

    A transportation problem solved exactly as a linear program (HiGHS, through scipy) over
    the arcs from each parcel to its nearest centres and to its current package (so a feasible
    assignment always exists). The constraint matrix is totally unimodular: the optimum is
    integral for counts; with weights the few split parcels go where most of them is.
    """
    import scipy.sparse as sp
    from scipy.optimize import linprog

    n, k = len(xy), len(centres)
    _, near = _candidates(xy, centres)
    rows = np.r_[np.repeat(np.arange(n), near.shape[1]), np.arange(n)]
    cols = np.r_[near.ravel(), current]
    key = np.unique(rows.astype(np.int64) * k + cols)
    rows, cols = key // k, key % k
    cost = ((xy[rows] - centres[cols]) ** 2).sum(axis=1)
    cost = cost / (float(np.median(cost)) + 1e-9)
    m = len(rows)
    arcs = np.arange(m)
    each = sp.csr_matrix((np.ones(m), (rows, arcs)), shape=(n, m))
    load = sp.csr_matrix((w[rows], (cols, arcs)), shape=(k, m))
    result = linprog(
        cost,
        A_ub=sp.vstack([load, -load]).tocsr(),
        b_ub=np.r_[np.full(k, hi), np.full(k, -lo)],
        A_eq=each,
        b_eq=np.ones(n),
        bounds=(0, 1),
        method="highs",
    )
    if result.x is None:  # cannot happen: the current assignment is feasible
        return current
    share = result.x
    order = np.argsort(share, kind="stable")
    label = current.copy()
    label[rows[order]] = cols[order]  # the largest share of each parcel wins
    return label


def _repair(
    d2: np.ndarray, idx: np.ndarray, w: np.ndarray, label: np.ndarray, k: int, lo: float, hi: float
) -> np.ndarray:
    """Move single parcels along the cheapest chain of packages until every load is in band."""
    label = label.copy()
    n_cand = idx.shape[1]
    pos = np.argmax(idx == label[:, None], axis=1)
    own = d2[np.arange(len(w)), pos]
    for _ in range(4 * len(w) + 10):
        load = np.bincount(label, w, minlength=k)
        over = np.flatnonzero(load > hi + 1e-9)
        under = np.flatnonzero(load < lo - 1e-9)
        if not len(over) and not len(under):
            break
        # cheapest single move u -> v for every pair of packages that touch
        src = np.repeat(label, n_cand)
        dst = idx.ravel()
        extra = (d2 - own[:, None]).ravel()
        point = np.repeat(np.arange(len(w)), n_cand)
        keep = dst != src
        src, dst, extra, point = src[keep], dst[keep], extra[keep], point[keep]
        order = np.lexsort((extra, dst, src))
        src, dst, extra, point = src[order], dst[order], extra[order], point[order]
        first = np.r_[True, (np.diff(src) != 0) | (np.diff(dst) != 0)]
        edges = {
            (int(a), int(b)): (float(c), int(p))
            for a, b, c, p in zip(src[first], dst[first], extra[first], point[first], strict=True)
        }
        graph: dict[int, list[int]] = {}
        for a, b in edges:
            graph.setdefault(a, []).append(b)
        if len(over):
            room = {int(v) for v in np.flatnonzero(load + 1e-9 < hi)}
            path = _bfs(graph, int(over[0]), room.__contains__)
        else:
            reverse: dict[int, list[int]] = {}
            for a, b in edges:
                reverse.setdefault(b, []).append(a)
            spare = {int(v) for v in np.flatnonzero(load - 1e-9 > lo)}
            back = _bfs(reverse, int(under[0]), spare.__contains__)
            path = back[::-1] if back else None
        if not path:
            break
        for a, b in itertools.pairwise(path):
            _, p = edges[(a, b)]
            label[p] = b
            own[p] = d2[p, np.argmax(idx[p] == b)]
    return label


def _bfs(graph: dict[int, list[int]], start: int, goal: Any) -> list[int] | None:
    seen = {start: -1}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node != start and goal(node):
            path = [node]
            while seen[path[-1]] != -1:
                path.append(seen[path[-1]])
            return path[::-1]
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen[nxt] = node
                queue.append(nxt)
    return None


def _hilbert_cut(xy: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """k runs of equal weight along a Hilbert curve: balanced, not compact."""
    distance = gpd.GeoSeries(shapely.points(xy)).hilbert_distance().to_numpy()
    order = np.argsort(distance, kind="stable")
    before = np.cumsum(w[order]) - w[order]
    label = np.empty(len(xy), dtype=int)
    label[order] = np.minimum((before / w.sum() * k).astype(int), k - 1)
    return label


def _one_run(
    xy: np.ndarray, w: np.ndarray, k: int, seed: int, tolerance: float, iterations: int
) -> np.ndarray:
    from scipy.optimize import linear_sum_assignment
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning

    if k == 1:
        return np.zeros(len(xy), dtype=int)
    local = xy - xy.mean(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        km = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(local, sample_weight=w + 1e-12)
    centres = km.cluster_centers_
    # a balanced start, numbered like the k-means centres: every later assignment may keep a
    # parcel where it is, so a balanced assignment always exists among the candidates
    start = _hilbert_cut(local, w, k)
    start_centres = np.zeros((k, 2))
    np.add.at(start_centres, start, local)
    start_centres /= np.maximum(np.bincount(start, minlength=k), 1)[:, None]
    _, match = linear_sum_assignment(((start_centres[:, None] - centres[None]) ** 2).sum(-1))
    current = match[start]
    target = w.sum() / k
    unit = bool(np.all(w == 1))
    if unit:
        lo, hi = _count_band(target, tolerance)
    else:
        lo, hi = target * (1 - tolerance), target * (1 + tolerance)
    for _ in range(iterations):
        label = _transport(local, w, centres, current, lo, hi)
        if not unit:
            d2, idx = _candidates(local, centres)
            here = (idx == label[:, None]).any(axis=1)
            stay = np.where(here, np.inf, ((local - centres[label]) ** 2).sum(axis=1))
            label = _repair(np.c_[d2, stay], np.c_[idx, label], w, label, k, lo, hi)
        counts = np.bincount(label, minlength=k)
        sums = np.zeros((k, 2))
        np.add.at(sums, label, local)
        centres = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], centres)
        done = bool(np.array_equal(label, current))
        current = label
        if done:
            break
    return np.asarray(current)


def _spread(xy: np.ndarray, label: np.ndarray, k: int) -> float:
    """How spread out packages are: the summed area of their convex hulls (of the parcels'
    points) plus twice the area where hulls overlap; what a team walks, and what it shares."""
    hulls = [shapely.convex_hull(shapely.multipoints(xy[label == g])) for g in range(k)]
    total = float(shapely.area(np.asarray(hulls, dtype=object)).sum())
    union = float(shapely.area(shapely.union_all(np.asarray(hulls, dtype=object))))
    return total + 2 * (total - union)


def _balanced_kmeans(
    xy: np.ndarray,
    w: np.ndarray,
    k: int,
    seed: int,
    tolerance: float,
    iterations: int,
    restarts: int,
) -> np.ndarray:
    """Balanced, compact labels 0…k-1: the best of ``restarts`` runs (least squared distance
    to the package centres); large inputs are first bisected (recursive coordinate bisection
    at the weighted quantile that gives each side its share of packages)."""
    if k == 1:
        return np.zeros(len(xy), dtype=int)
    if len(xy) > _LEAF and k > 1:
        k1 = k // 2
        span = xy.max(axis=0) - xy.min(axis=0)
        axis = int(np.argmax(span))
        order = np.argsort(xy[:, axis], kind="stable")
        cum = np.cumsum(w[order])
        cut = int(np.searchsorted(cum, cum[-1] * k1 / k))
        left = np.zeros(len(xy), dtype=bool)
        left[order[: cut + 1]] = True
        label = np.empty(len(xy), dtype=int)
        label[left] = _balanced_kmeans(xy[left], w[left], k1, seed, tolerance, iterations, 1)
        label[~left] = k1 + _balanced_kmeans(
            xy[~left], w[~left], k - k1, seed, tolerance, iterations, 1
        )
        return label
    if len(xy) > _RESTART_LIMIT:
        restarts = 1
    elif len(xy) <= _RESTART_LIMIT // 4:
        restarts *= 2  # small inputs are cheap: look wider
    runs = [
        _one_run(xy, w, k, seed * 7919 + r, tolerance, iterations) for r in range(max(restarts, 1))
    ]
    return min(runs, key=lambda label: _spread(xy, label, k))


def _count_band(mean: float, tolerance: float) -> tuple[float, float]:
    """Whole-parcel band around the mean: as tight as ``tolerance``, never tighter than
    the nearest whole numbers."""
    lo = min(np.floor(mean), np.ceil(mean * (1 - tolerance)))
    hi = max(np.ceil(mean), np.floor(mean * (1 + tolerance)))
    return float(lo), float(hi)


def _allocate(totals: pd.Series, n: int) -> pd.Series:
    """Packages per group ∝ its total (largest remainder), at least one each."""
    if n < len(totals):
        raise InputError(
            f"n={n} packages cannot keep {len(totals)} groups apart (by=): give n >= {len(totals)}"
        )
    share = totals / totals.sum() * (n - len(totals))
    base = np.floor(share).astype(int) + 1
    left = n - int(base.sum())
    order = np.argsort(-(share - np.floor(share)).to_numpy(), kind="stable")
    base.iloc[order[:left]] += 1
    return pd.Series(base)


def work_packages(
    parcels: gpd.GeoDataFrame,
    n: int,
    *,
    weight: str | None = None,
    seed: int = 0,
    by: str | None = None,
    tolerance: float | None = None,
    iterations: int = 8,
    restarts: int = 4,
) -> gpd.GeoDataFrame:
    """Cut parcels into ``n`` compact, balanced work packages for the survey teams.

    Parameters
    ----------
    parcels
        Parcels to visit (unique ``parcel_id``, polygons with a CRS).
    n
        Number of packages (teams), 1 … number of parcels.
    weight
        A numeric column to balance instead of the count, e.g. ``"area_mu"`` (measured with
        :func:`landuse.add_areas` when absent). Non-negative, no missing values.
    seed
        Seed of the k-means start: the same inputs and seed give the same packages.
    by
        A column (e.g. ``"zone"``) whose groups a package never crosses: each group gets a
        share of the ``n`` packages in proportion to its count (or weight), at least one. A
        missing value is a group of its own.
    tolerance
        Allowed deviation of a package from the mean: default 0.08 for counts (never tighter
        than one parcel) and 0.10 for weights. A single parcel heavier than the band can make
        a weighted band unreachable; then a warning names the packages outside it.
    iterations
        Rounds of centre updates (Lloyd steps) after the k-means start.
    restarts
        Independent starts (k-means seeds derived from ``seed``; twice as many below 500
        parcels, one above 2,000); the one whose package hulls cover the least ground and
        overlap least is kept. Inputs of more than 6,000 parcels are first bisected.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with ``package`` (1 … n, numbered along a Hilbert curve through the package
        centres, so neighbouring numbers are near each other).

    Examples
    --------
    >>> import landuse as lu
    >>> tasks = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> packages = lu.work_packages(tasks[tasks["category"].notna()], 30)
    >>> counts = packages["package"].value_counts()
    >>> len(counts), bool(counts.max() <= 1.1 * counts.mean())
    (30, True)
    """
    require_crs(parcels)
    if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 1:
        raise InputError(f"n must be a positive whole number of packages, not {n!r}")
    if "parcel_id" not in parcels.columns:
        raise MissingColumnError("parcels need a parcel_id column")
    dup = parcels["parcel_id"].duplicated(keep=False)
    if dup.any():
        raise DuplicateIdError(
            "each parcel goes into one package, but parcel_id repeats (pieces from "
            "assign_zones(how='split')? use how='largest')",
            sorted(set(parcels.loc[dup, "parcel_id"].astype(str))),
        )
    if n > len(parcels):
        raise InputError(f"n={n} packages for {len(parcels)} parcels: n must be at most that")
    geoms = parcels.geometry.array
    bad = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if bad.any():
        raise GeometryError("parcels without geometry", parcels.loc[bad, "parcel_id"])
    if weight is None:
        w = np.ones(len(parcels))
    else:
        if weight not in parcels.columns:
            if weight in ("area_mu", "area_m2", "area_ha"):
                from landuse.areas import add_areas

                values = add_areas(parcels)[weight]
            else:
                raise MissingColumnError(f"weight column {weight!r} not found")
        else:
            values = parcels[weight]
        w = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        wrong = ~np.isfinite(w) | (w < 0)
        if wrong.any():
            raise InputError(
                f"weight column {weight!r} must be a number >= 0 on every row",
                parcels.loc[wrong, "parcel_id"],
            )
        if w.sum() <= 0:
            raise InputError(f"weight column {weight!r} sums to zero")
    if tolerance is None:
        tolerance = 0.08 if weight is None else 0.10
    if not 0 < tolerance < 1:
        raise InputError(f"tolerance is a share between 0 and 1, not {tolerance!r}")

    xy = _projected_points(parcels)
    label = np.zeros(len(parcels), dtype=int)
    if by is None:
        codes = np.zeros(len(parcels), dtype=int)
    else:
        if by not in parcels.columns:
            raise MissingColumnError(f"by column {by!r} not found")
        codes = np.asarray(pd.factorize(parcels[by].astype(object), use_na_sentinel=False)[0])
    groups = pd.Series(codes, index=range(len(parcels)))
    totals = pd.Series(w).groupby(groups.to_numpy()).sum()
    counts = groups.value_counts().sort_index()
    quota = _allocate(totals if weight is not None else counts, n)
    quota = quota.clip(upper=counts.reindex(quota.index))
    if int(quota.sum()) < n:  # a group had fewer parcels than its share: give the rest out
        spare = counts.reindex(quota.index) - quota
        for g in spare.sort_values(ascending=False).index:
            while quota.sum() < n and spare[g] > 0:
                quota[g] += 1
                spare[g] -= 1
    offset = 0
    for g, k in quota.items():
        rows = np.flatnonzero(groups.to_numpy() == g)
        sub = _balanced_kmeans(xy[rows], w[rows], int(k), seed, tolerance, iterations, restarts)
        label[rows] = sub + offset
        offset += int(k)

    # number packages along a Hilbert curve through their centres
    centres = np.zeros((n, 2))
    np.add.at(centres, label, xy)
    centres /= np.bincount(label, minlength=n)[:, None]
    order = np.argsort(
        gpd.GeoSeries(shapely.points(centres)).hilbert_distance().to_numpy(), kind="stable"
    )
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(1, n + 1)
    out = parcels.copy()
    out["package"] = rank[label]

    loads = pd.Series(w).groupby(out["package"].to_numpy()).sum()
    if by is None:
        mean = loads.mean()
        if weight is None:
            lo, hi = _count_band(mean, tolerance)
        else:
            lo, hi = mean * (1 - tolerance), mean * (1 + tolerance)
        off = loads[(loads < lo - 1e-9) | (loads > hi + 1e-9)]
        if len(off):
            warn(
                f"packages {format_ids(off.index)} miss the ±{tolerance:.0%} band of "
                f"{mean:,.1f} (single parcels heavier than the band?)",
                UserWarning,
            )
    return out


def package_quality(
    parcels: gpd.GeoDataFrame, package: str = "package", *, weight: str | None = None
) -> dict[str, float]:
    """Balance and compactness of a partition, to compare ways of cutting packages.

    Returns ``balance`` (largest deviation of a package's count, or ``weight``, from the mean,
    as a share), ``mean_hull_km2`` (mean area of the packages' convex hulls, km²) and
    ``overlap`` (share of the summed hull area covered by more than one hull).

    Examples
    --------
    >>> import landuse as lu
    >>> tasks = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> q = package_quality(lu.work_packages(tasks[tasks["category"].notna()], 30))
    >>> sorted(q)
    ['balance', 'mean_hull_km2', 'overlap']
    """
    from landuse.areas import area_crs

    require_crs(parcels)
    projected = parcels.to_crs(area_crs(parcels))
    values = projected[weight] if weight else pd.Series(1.0, index=projected.index)
    loads = values.groupby(projected[package]).sum()
    balance = float((loads / loads.mean() - 1).abs().max())
    hulls = projected.geometry.groupby(projected[package].to_numpy()).agg(
        lambda g: shapely.convex_hull(shapely.union_all(g.array))
    )
    areas = shapely.area(np.asarray(hulls, dtype=object))
    union = shapely.area(shapely.union_all(np.asarray(hulls, dtype=object)))
    total = float(areas.sum())
    return {
        "balance": balance,
        "mean_hull_km2": float(areas.mean()) / 1e6,
        "overlap": (total - union) / total if total else 0.0,
    }


# --- the checklists back ----------------------------------------------------------------------

_YES = {"是", "在产", "y", "yes", "true", "1", "是（在产）", "正常生产"}
_NO = {"否", "停产", "n", "no", "false", "0", "未生产", "停业"}
_PARTIAL = {"部分", "部分在产", "半停产", "partial", "partly"}


def _header_map() -> dict[str, str]:
    """Every header a checklist may carry (Chinese, English, canonical) → canonical name."""
    out = {
        "parcel_id": "parcel_id",
        "地块编号": "parcel_id",
        "编号": "parcel_id",
        "DKBH": "parcel_id",
    }
    out.update({"package": "package", "工作包": "package", "包号": "package", "Package": "package"})
    out.update({"序号": "number", "No.": "number", "number": "number"})
    for column in SURVEY_COLUMNS:
        out[column] = column
        for labels in SURVEY_LABELS.values():
            out[labels[column]] = column
    return {k.strip().lower(): v for k, v in out.items()}


def _read_table(path: Path) -> pd.DataFrame:
    """One checklist as a frame of text: the header row found wherever it is."""
    headers = _header_map()
    if path.suffix.lower() in (".csv", ".txt"):
        raw = pd.read_csv(path, header=None, dtype=object, encoding="utf-8-sig")
        sheets = [raw]
    else:
        try:
            book = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
        except (ValueError, OSError) as error:
            raise SurveyError(f"cannot read {path.name}: {error}") from None
        sheets = list(book.values())
    for raw in sheets:
        for row in range(min(len(raw), 30)):
            cells = [str(v).strip().lower() for v in raw.iloc[row].tolist()]
            if headers.get("parcel_id") and any(headers.get(c) == "parcel_id" for c in cells):
                names = [headers.get(c, str(raw.iat[row, i])) for i, c in enumerate(cells)]
                body = raw.iloc[row + 1 :].copy()
                body.columns = names
                body = body.loc[:, ~pd.Index(names).duplicated()]
                body["source"] = path.name
                body["source_row"] = np.arange(row + 2, row + 2 + len(body))
                return body
    raise SurveyError(f"{path.name}: no header row with a parcel id column (地块编号 / parcel_id)")


def _printed_facts() -> set[str]:
    """Headers of the ledger facts printed on the checklists (not survey results)."""
    return {label for labels in CHECKLIST_LABELS.values() for label in labels.values()}


def _yes_no(values: pd.Series, where: pd.DataFrame) -> pd.Series:
    text = values.astype(object).map(lambda v: str(v).strip().lower(), na_action="ignore")
    out = pd.Series(pd.NA, index=values.index, dtype=object)
    out[text.isin(_YES)] = "yes"
    out[text.isin(_NO)] = "no"
    out[text.isin(_PARTIAL)] = "partial"
    bad = text.notna() & out.isna()
    if bad.any():
        raise SurveyError(
            "是否在产 must be 是 / 否 / 部分",
            [
                f"{s} row {r}"
                for s, r in zip(where.loc[bad, "source"], where.loc[bad, "source_row"], strict=True)
            ],
        )
    return out


def read_survey(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read filled checklists (from :func:`landuse.survey_sheets`) back into one table.

    Tolerant of what field teams do to spreadsheets: rows sorted or reordered, columns moved,
    extra columns (kept), blank lines and a title above the header (skipped), Chinese or
    English headers, dates typed as text. A parcel listed twice (in one file or across files)
    is an error naming it, as is a number that is not one.

    Parameters
    ----------
    paths
        One ``.xlsx`` (or ``.csv``) path, a folder (every ``*.xlsx`` in it), or a list.

    Returns
    -------
    pandas.DataFrame
        One row per parcel: ``parcel_id``, ``package``, the survey columns
        (``current_use`` 现状用途, ``in_production`` 是否在产 as ``"yes"``/``"no"``/``"partial"``,
        ``enterprise`` 企业名称, ``floor_area`` 建筑面积 m², ``surveyed_far`` 实测容积率,
        ``note`` 备注, ``surveyor`` 调查人, ``survey_date`` 调查日期), ``surveyed`` (any survey
        value filled in), ``source`` (file) and any extra columns the teams added.

    Examples
    --------
    >>> import tempfile, pathlib, landuse as lu
    >>> tasks = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> plan = lu.work_packages(tasks[tasks["category"] == "low_efficiency"].head(40), 2)
    >>> files = lu.survey_sheets(plan, pathlib.Path(tempfile.mkdtemp()), maps=False)
    >>> survey = lu.read_survey([f for f in files if f.suffix == ".xlsx"])
    >>> len(survey), int(survey["surveyed"].sum())
    (40, 0)
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            files += sorted(p for p in path.glob("*.xlsx") if not p.name.startswith((".", "~$")))
        elif not path.exists():
            raise FileNotFoundError(f"no such checklist: {path}")
        else:
            files.append(path)
    if not files:
        raise SurveyError("no checklist files given")
    frames = [_read_table(p) for p in files]
    table = pd.concat(frames, ignore_index=True)
    # blank lines: no parcel id and nothing else typed
    ids = table["parcel_id"].astype(object).map(lambda v: str(v).strip(), na_action="ignore")
    ids = ids.where(ids.notna() & (ids != "") & (ids.str.lower() != "nan"))
    content = table.drop(columns=["source", "source_row"]).notna().any(axis=1)
    lost = (
        ids.isna()
        & content
        & table.drop(
            columns=[c for c in ("source", "source_row", "number", "package") if c in table]
        )
        .notna()
        .any(axis=1)
    )
    if lost.any():
        raise SurveyError(
            "rows with survey values but no parcel id",
            [
                f"{s} row {r}"
                for s, r in zip(
                    table.loc[lost, "source"], table.loc[lost, "source_row"], strict=True
                )
            ],
        )
    table = table[ids.notna()].copy()
    table["parcel_id"] = ids[ids.notna()].to_numpy()
    dup = table["parcel_id"].duplicated(keep=False)
    if dup.any():
        raise SurveyError(
            "the same parcel appears on more than one checklist row",
            sorted(set(table.loc[dup, "parcel_id"])),
        )
    for column in SURVEY_COLUMNS:
        if column not in table.columns:
            table[column] = pd.NA
    text_columns = ("current_use", "enterprise", "note", "surveyor")
    for column in text_columns:
        values = table[column].astype(object).map(lambda v: str(v).strip(), na_action="ignore")
        table[column] = values.where(values != "")
    for column in ("floor_area", "surveyed_far"):
        cells = table[column].astype(object)
        typed = np.array(
            [
                not (v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA)
                and str(v).strip() != ""
                for v in cells
            ],
            dtype=bool,
        )
        raw = cells.where(typed)
        numbers = pd.to_numeric(raw, errors="coerce")
        bad = raw.notna() & (numbers.isna() | (numbers < 0))
        if bad.any():
            label = SURVEY_LABELS["zh"][column]
            raise SurveyError(f"{label} must be a number >= 0", table.loc[bad, "parcel_id"])
        table[column] = numbers.astype(float)
    table["in_production"] = _yes_no(table["in_production"], table)
    dates = pd.to_datetime(table["survey_date"], errors="coerce")
    bad = table["survey_date"].notna() & dates.isna()
    if bad.any():
        raise SurveyError("调查日期 must be a date", table.loc[bad, "parcel_id"])
    table["survey_date"] = dates
    if "package" in table.columns:
        table["package"] = pd.to_numeric(table["package"], errors="coerce").astype("Int64")
    else:
        table["package"] = pd.array([pd.NA] * len(table), dtype="Int64")
    filled = [c for c in SURVEY_COLUMNS if c not in ("surveyor", "survey_date")]
    table["surveyed"] = table[filled].notna().any(axis=1).to_numpy(dtype=bool)
    front = ["parcel_id", "package", *SURVEY_COLUMNS, "surveyed", "source"]
    printed = _printed_facts()
    extra = [
        c
        for c in table.columns
        if c not in front and c not in ("source_row", "number") and str(c) not in printed
    ]
    out = table[front + extra].reset_index(drop=True)
    return out


def _check_survey(parcels: pd.DataFrame, survey: pd.DataFrame) -> None:
    for column in ("parcel_id", "surveyed"):
        if column not in survey.columns:
            raise MissingColumnError(f"survey needs {column!r}: read it with lu.read_survey")
    if "parcel_id" not in parcels.columns:
        raise MissingColumnError("parcels need a parcel_id column")
    dup = survey["parcel_id"].duplicated(keep=False)
    if dup.any():
        raise SurveyError("survey rows repeat parcels", sorted(set(survey.loc[dup, "parcel_id"])))
    unknown = ~survey["parcel_id"].astype(str).isin(set(parcels["parcel_id"].astype(str)))
    if unknown.any():
        raise SurveyError(
            "the survey names parcels that are not in the inventory",
            survey.loc[unknown, "parcel_id"],
        )


def survey_progress(
    parcels: pd.DataFrame, survey: pd.DataFrame, *, package: str = "package"
) -> pd.DataFrame:
    """How far each team has got: per package the parcels, those surveyed and the share.

    Parameters
    ----------
    parcels
        The planned parcels with ``package`` (from :func:`work_packages`).
    survey
        From :func:`read_survey`. Parcels missing from it count as not surveyed; a parcel in it
        but not in ``parcels`` is an error naming it.

    Returns
    -------
    pandas.DataFrame
        One row per package, indexed by the package number (also in column ``package``):
        ``parcels``, ``surveyed``, ``share`` (0–1). Sum the columns for the whole survey.

    Examples
    --------
    >>> import pandas as pd, landuse as lu
    >>> tasks = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> plan = lu.work_packages(tasks[tasks["category"].notna()].head(20), 2)
    >>> done = pd.DataFrame({"parcel_id": plan["parcel_id"].head(5), "surveyed": True})
    >>> int(lu.survey_progress(plan, done)["surveyed"].sum())
    5
    """
    if package not in parcels.columns:
        raise MissingColumnError(f"parcels need a {package!r} column: plan with lu.work_packages")
    _check_survey(parcels, survey)
    done = set(survey.loc[survey["surveyed"].astype(bool), "parcel_id"].astype(str))
    flag = parcels["parcel_id"].astype(str).isin(done)
    grouped = pd.DataFrame({"package": parcels[package].to_numpy(), "surveyed": flag.to_numpy()})
    table = grouped.groupby("package").agg(
        parcels=("surveyed", "size"), surveyed=("surveyed", "sum")
    )
    table = table.astype(int)
    table["share"] = table["surveyed"] / table["parcels"].where(table["parcels"] > 0)
    table.insert(0, "package", table.index.to_numpy(dtype=object))
    table.index.name = None
    return table


def apply_survey(
    parcels: gpd.GeoDataFrame, survey: pd.DataFrame, *, overwrite: bool = True
) -> gpd.GeoDataFrame:
    """Write the surveyed values into a copy of the inventory, ready for :func:`classify`.

    - 实测容积率 → ``far``; where only 建筑面积 (m²) is given, ``far`` = floor area ÷ parcel
      area (measured in the Gauss-Krüger CRS).
    - 是否在产 → ``in_production`` (``"yes"``/``"no"``/``"partial"``); 现状用途 →
      ``current_use``; 企业名称 → ``enterprise``; 建筑面积 → ``floor_area``; 调查日期 →
      ``survey_date``; 调查人 → ``surveyor``; 备注 → ``survey_note``.
    - ``surveyed`` is True on the parcels surveyed.

    Blank survey cells never erase a ledger value. With ``overwrite=False`` a surveyed value
    fills only a missing ledger value.

    Examples
    --------
    >>> import pandas as pd, landuse as lu
    >>> tasks = lu.read_parcels(lu.datasets.get_path("west_coast"))
    >>> one = tasks.head(1)
    >>> survey = pd.DataFrame({"parcel_id": one["parcel_id"], "surveyed_far": [0.45], "surveyed": [True]})
    >>> float(lu.apply_survey(one, survey)["far"].iloc[0])
    0.45
    """
    require_crs(parcels)
    _check_survey(parcels, survey)
    out = parcels.copy()
    rows = survey[survey["surveyed"].astype(bool)].set_index(
        survey["parcel_id"].astype(str)[survey["surveyed"].astype(bool)]
    )
    position = pd.Series(np.arange(len(out)), index=out["parcel_id"].astype(str))
    at = position.reindex(rows.index).to_numpy()

    def put(column: str, values: pd.Series) -> None:
        values = values.reset_index(drop=True)
        given = values.notna().to_numpy()
        if column not in out.columns:
            empty = values.iloc[:0].reindex(range(len(out)))
            out[column] = empty.set_axis(out.index).to_numpy()
        if not overwrite:
            given &= out[column].iloc[at].isna().to_numpy()
        target = out.index[at[given]]
        out.loc[target, column] = values[given].to_numpy()

    far = rows.get("surveyed_far", pd.Series(np.nan, index=rows.index)).astype(float)
    if "floor_area" in rows.columns and rows["floor_area"].notna().any():
        from landuse.areas import add_areas

        area_m2 = add_areas(out.iloc[at])["area_m2"].to_numpy()
        derived = rows["floor_area"].astype(float).to_numpy() / np.where(
            area_m2 > 0, area_m2, np.nan
        )
        far = far.fillna(pd.Series(np.round(derived, 3), index=rows.index))
        put("floor_area", rows["floor_area"].astype(float))
    put("far", far)
    for source, column in (
        ("in_production", "in_production"),
        ("current_use", "current_use"),
        ("enterprise", "enterprise"),
        ("survey_date", "survey_date"),
        ("surveyor", "surveyor"),
        ("note", "survey_note"),
    ):
        if source in rows.columns:
            put(column, rows[source])
    flag = np.zeros(len(out), dtype=bool)
    flag[at] = True
    out["surveyed"] = flag
    return out


def survey_columns(lang: str = "zh") -> list[str]:
    """Headers of the blank survey columns of a checklist."""
    return [SURVEY_LABELS[lang][c] for c in SURVEY_COLUMNS]
