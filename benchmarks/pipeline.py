"""The whole path at 10k / 100k / 1M parcels: landuse vs naive geopandas vs the raw GEOS/PROJ cost.

Run by hand:  python benchmarks/pipeline.py --parcels 10000 100000 1000000 [--repeat 3]

(a) landuse: read_parcels → add_areas → assign_zones(how="split") → disposal_rates
(b) naive:   geopandas.read_parquet → to_crs → geopandas.overlay(parcels, zones) → groupby
(c) raw:     pyarrow read → pyproj on the coordinate array → one STRtree query → intersect only
             the parcels that cross a zone boundary → bincount

Each path runs in a fresh process (so peak RSS is its own), --repeat times; medians are printed
with peak RSS, and the areas per zone × category of (a) and (b) are compared. The last line is
``ratio_vs_raw=X speedup_vs_naive=Y peak_rss_gb=Z`` for the largest N.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CACHE = Path(tempfile.gettempdir()) / "landuse-bench"
AS_OF = "2022-06-30"


def data_paths(n: int) -> tuple[Path, Path]:
    """The cached fabric for n parcels (built on first use): CGCS2000 GeoParquet + zones."""
    parcels, zones = CACHE / f"parcels_{n}.parquet", CACHE / f"zones_{n}.parquet"
    if parcels.exists() and zones.exists():
        return parcels, zones
    sys.path.insert(0, str(Path(__file__).parent))
    from zones import fabric

    import landuse as lu

    CACHE.mkdir(parents=True, exist_ok=True)
    frame, zone_frame = fabric(n, 50)
    rng = np.random.default_rng(n)
    frame["category"] = rng.choice(np.array(lu.CATEGORIES, dtype=object), n)
    disposed = rng.random(n) < 0.5
    first = {c: lu.DISPOSAL_METHODS[c][0] for c in lu.CATEGORIES}
    frame["disposal_method"] = frame["category"].map(first).where(disposed, None)
    days = pd.to_datetime("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    frame["disposal_date"] = pd.Series(days).where(disposed).to_numpy()
    frame.to_crs(4490).to_parquet(parcels, index=False)
    zone_frame.to_crs(4490).to_parquet(zones, index=False)
    return parcels, zones


def run_landuse(parcels_path: Path, zones_path: Path) -> pd.Series:
    import landuse as lu

    parcels = lu.read_parcels(parcels_path)
    zones = lu.read_zones(zones_path)
    parcels = lu.add_areas(parcels)
    pieces = lu.assign_zones(parcels, zones)
    rates = lu.disposal_rates(pieces, as_of=AS_OF)
    return rates["area_mu"].drop("all", level="category") * lu.M2_PER_MU


def run_naive(parcels_path: Path, zones_path: Path) -> pd.Series:
    import geopandas as gpd

    parcels = gpd.read_parquet(parcels_path).to_crs(4549)
    zones = gpd.read_parquet(zones_path).to_crs(4549)
    pieces = gpd.overlay(parcels[["parcel_id", "category", "geometry"]], zones, how="intersection")
    pieces["area"] = pieces.area
    return pieces.groupby(["name", "category"])["area"].sum()


def run_raw(parcels_path: Path, zones_path: Path) -> pd.Series:
    import pyarrow.parquet as pq
    import shapely
    from pyproj import Transformer

    table = pq.read_table(parcels_path, columns=["category", "geometry"])
    zone_table = pq.read_table(zones_path, columns=["name", "geometry"])
    transformer = Transformer.from_crs(4490, 4549, always_xy=True)

    def project(wkb: object) -> np.ndarray:
        geoms = shapely.from_wkb(np.asarray(wkb))
        return shapely.transform(
            geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )

    geoms = project(table.column("geometry").to_numpy(zero_copy_only=False))
    zones = project(zone_table.column("geometry").to_numpy(zero_copy_only=False))
    categories, category_of = np.unique(
        table.column("category").to_numpy(zero_copy_only=False), return_inverse=True
    )
    shapely.prepare(zones)
    zone_pos, parcel_pos = shapely.STRtree(geoms).query(zones, predicate="intersects")
    inside = shapely.covers(zones[zone_pos], geoms[parcel_pos])
    area = np.empty(len(zone_pos))
    area[inside] = shapely.area(geoms[parcel_pos[inside]])
    area[~inside] = shapely.area(
        shapely.intersection(geoms[parcel_pos[~inside]], zones[zone_pos[~inside]])
    )
    key = zone_pos * len(categories) + category_of[parcel_pos]
    sums = np.bincount(key, area, minlength=len(zones) * len(categories))
    names = zone_table.column("name").to_pylist()
    index = pd.MultiIndex.from_product([names, categories], names=["name", "category"])
    return pd.Series(sums, index=index)


PATHS = {"landuse": run_landuse, "naive": run_naive, "raw": run_raw}


def child(path: str, n: int) -> None:
    parcels, zones = data_paths(n)
    start = time.perf_counter()
    result = PATHS[path](parcels, zones)
    seconds = time.perf_counter() - start
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    out = CACHE / f"result_{path}_{n}.pkl"
    result.to_pickle(out)
    print(json.dumps({"seconds": seconds, "rss_gb": rss_gb}))


def measure(path: str, n: int, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--child", path, "--parcels", str(n)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return statistics.median(r["seconds"] for r in runs), max(r["rss_gb"] for r in runs)


def compare(n: int) -> float:
    """Largest relative difference of areas per zone × category, landuse vs naive."""
    ours = pd.read_pickle(CACHE / f"result_landuse_{n}.pkl")
    naive = pd.read_pickle(CACHE / f"result_naive_{n}.pkl")
    ours.index = ours.index.set_names(["name", "category"])
    joined = pd.concat([ours.rename("ours"), naive.rename("naive")], axis=1).fillna(0)
    joined = joined[(joined["ours"] > 0) | (joined["naive"] > 0)]
    return float((joined["ours"] - joined["naive"]).abs().div(joined["naive"]).max())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.parcels[0])
        return
    print(f"{'parcels':>9} {'path':>8} {'median_s':>9} {'peak_rss_gb':>12}")
    summary = ""
    for n in args.parcels:
        data_paths(n)
        times = {}
        for path in ("raw", "landuse", "naive"):
            seconds, rss = measure(path, n, args.repeat)
            times[path] = (seconds, rss)
            print(f"{n:>9} {path:>8} {seconds:>9.2f} {rss:>12.2f}", flush=True)
        difference = compare(n)
        ratio = times["landuse"][0] / times["raw"][0]
        speedup = times["naive"][0] / times["landuse"][0]
        print(
            f"{n:>9} landuse/raw {ratio:.2f}  naive/landuse {speedup:.1f}  "
            f"max relative area difference vs naive {difference:.1e}",
            flush=True,
        )
        summary = f"ratio_vs_raw={ratio:.2f} speedup_vs_naive={speedup:.1f} peak_rss_gb={times['landuse'][1]:.2f}"
    print(summary)


if __name__ == "__main__":
    main()
