"""work_packages against plain k-means and a Hilbert-curve cut: time, balance, compactness.

Run by hand:  python benchmarks/work_packages.py --parcels 100000 --packages 200
Parcels are 60 m squares around points drawn in towns of different sizes (a clustered fabric,
as real stock land is), near Qingdao in EPSG:4549. Prints, per method, the seconds, the
largest deviation of a package's count from the mean (balance), the mean convex-hull area of a
package (km²) and the share of hull area covered by more than one package (overlap).
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import shapely

import landuse as lu
from landuse.survey import _projected_points, package_quality


def fabric(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    towns = 40
    centres = rng.uniform(0, 60_000, (towns, 2))
    sizes = rng.dirichlet(np.full(towns, 1.5)) * n
    counts = np.floor(sizes).astype(int)
    counts[: n - counts.sum()] += 1
    spread = np.sqrt(counts) * 25.0 + 300.0
    xy = np.concatenate(
        [rng.normal(c, s, (k, 2)) for c, s, k in zip(centres, spread, counts, strict=True)]
    )
    xy += (470_000, 3_930_000)
    boxes = shapely.box(xy[:, 0] - 30, xy[:, 1] - 30, xy[:, 0] + 30, xy[:, 1] + 30)
    return gpd.GeoDataFrame({"parcel_id": [f"B{i}" for i in range(n)], "geometry": boxes}, crs=4549)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--packages", type=int, default=200)
    parser.add_argument("--restarts", type=int, default=1)
    args = parser.parse_args()
    parcels = fabric(args.parcels)
    n = args.packages
    rows = []

    started = time.perf_counter()
    plan = lu.work_packages(parcels, n, restarts=args.restarts)
    rows.append(("work_packages", time.perf_counter() - started, plan))

    from sklearn.cluster import KMeans

    started = time.perf_counter()
    labels = KMeans(n, n_init=1, random_state=0).fit(_projected_points(parcels)).labels_
    rows.append(("k-means", time.perf_counter() - started, parcels.assign(package=labels)))

    started = time.perf_counter()
    rank = np.argsort(np.argsort(parcels.hilbert_distance().to_numpy(), kind="stable"))
    rows.append(
        (
            "Hilbert cut",
            time.perf_counter() - started,
            parcels.assign(package=rank * n // len(parcels)),
        )
    )

    print(f"{len(parcels):,} parcels into {n} packages")
    print(f"{'method':<15}{'seconds':>9}{'balance':>10}{'hull km²':>10}{'overlap':>9}")
    for name, seconds, frame in rows:
        q = package_quality(frame)
        print(
            f"{name:<15}{seconds:>9.1f}{q['balance']:>10.1%}{q['mean_hull_km2']:>10.3f}"
            f"{q['overlap']:>9.1%}"
        )


if __name__ == "__main__":
    main()
