"""add_areas: each parcel in its own Gauss-Krüger zone, against one zone for all (the old way).

Run by hand:  python benchmarks/areas.py [--parcels 1000000] [--repeat 3]

Two fabrics of jittered quadrilaterals in CGCS2000 lon/lat (EPSG:4490), ~60 m parcels:
(a) all in one zone (119.0–121.0°E, zone 40) and (b) spread over three zones (116.6–123.4°E,
zones 39–41). Each is measured by

* ``today``: the previous add_areas (``--ref``, default 3054c43: main before issue #11): one
  GK zone for the whole extent, one PROJ call;
* ``per_parcel``: this add_areas: a parcel's own zone; data in one zone take the same single
  call after a cheap bounds check, data across zones one call per zone.

The projection cache is cleared before every run. Medians of --repeat runs; machines are
noisy, compare the ratios. Also printed: how far one zone for all is off on the three-zone
fabric (max relative area error).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

import landuse as lu

ROOT = Path(__file__).resolve().parent.parent


def fabric(n: int, west: float, east: float, seed: int = 0) -> gpd.GeoDataFrame:
    """n jittered quadrilaterals in rows between two meridians around 36°N."""
    rng = np.random.default_rng(seed)
    step = 0.0006  # degrees, ~55–65 m
    per_row = int((east - west) / step)
    rows = int(np.ceil(n / per_row))
    i = np.arange(n)
    x0 = west + (i % per_row) * step
    y0 = 36.0 + (i // per_row) * step
    corners = np.stack(
        [np.c_[x0, y0], np.c_[x0 + step, y0], np.c_[x0 + step, y0 + step], np.c_[x0, y0 + step]],
        axis=1,
    ) + rng.uniform(-step / 10, step / 10, (n, 4, 2))
    geoms = shapely.polygons(corners)
    assert rows * per_row >= n
    return gpd.GeoDataFrame({"parcel_id": i.astype(str)}, geometry=geoms, crs=4490)


def old_add_areas(ref: str) -> Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]:
    """The add_areas of git ``ref`` (one zone for the whole extent), loaded beside this one."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:landuse/areas.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "areas_main.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("areas_main", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.add_areas  # type: ignore[no-any-return]


def timed(funcs: list[Callable[[], object]], repeat: int) -> list[tuple[float, object]]:
    """Median seconds and last result of each function, run in turns (old, new, old, …) so
    that load from other processes falls on both alike."""
    seconds: list[list[float]] = [[] for _ in funcs]
    results: list[object] = [None] * len(funcs)
    for _ in range(repeat):
        for i, func in enumerate(funcs):
            start = time.perf_counter()
            results[i] = func()
            seconds[i].append(time.perf_counter() - start)
    return [(statistics.median(s), r) for s, r in zip(seconds, results, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ref", default="3054c43", help="git commit of the old add_areas")
    args = parser.parse_args()
    today = old_add_areas(args.ref)
    for label, west, east in (("one zone", 119.0, 121.0), ("three zones", 116.6, 123.4)):
        parcels = fabric(args.parcels, west, east)
        lu.add_areas(parcels.head(10))  # warm up PROJ
        (t_old, old), (t_new, new) = timed(
            [lambda p=parcels: today(p), lambda p=parcels: lu.add_areas(p)], args.repeat
        )
        assert isinstance(old, gpd.GeoDataFrame) and isinstance(new, gpd.GeoDataFrame)
        zones = np.unique(lu.areas.zone_crs_codes(np.asarray(parcels.geometry.array), parcels.crs))
        error = np.abs(old["area_m2"].to_numpy() / new["area_m2"].to_numpy() - 1).max()
        print(
            f"{label:12s} n={len(parcels):,} GK zones {zones.tolist()}: today {t_old:.2f} s, "
            f"per-parcel {t_new:.2f} s (ratio {t_new / t_old:.2f}); "
            f"one zone for all is off by up to {error:.3%}"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
