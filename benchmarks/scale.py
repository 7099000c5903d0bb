"""10M parcels out of core: the dask-geopandas backend on a LocalCluster (run by hand).

    python benchmarks/scale.py --parcels 10000000 --workers 2 --memory-limit 6GiB

Writes a partitioned GeoParquet dataset (250k parcels per file, built chunk by chunk, so the
whole inventory is never in memory), then times read_parcels(backend="dask") → add_areas →
assign_zones → disposal_rates on the cluster and prints wall time and each worker's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import landuse as lu

CHUNK = 250_000
SIZE = 120.0


def write_dataset(n: int, folder: Path) -> gpd.GeoDataFrame:
    """n parcels in strips of CHUNK rows, one GeoParquet file each; returns 50 zones."""
    side = int(np.ceil(np.sqrt(CHUNK)))
    rows_per_chunk = CHUNK // side
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(int(np.ceil(n / CHUNK))):
        path = folder / f"part.{k:03d}.parquet"
        if path.exists():
            continue
        rng = np.random.default_rng(k)
        count = min(CHUNK, n - k * CHUNK)
        ix, iy = np.meshgrid(np.arange(side), np.arange(rows_per_chunk + 1))
        ix, iy = ix.ravel()[:count], iy.ravel()[:count] + k * (rows_per_chunk + 1)
        x0, y0 = 400_000 + ix * SIZE, 3_700_000 + iy * SIZE
        corners = np.stack(
            [
                np.c_[x0, y0],
                np.c_[x0 + SIZE, y0],
                np.c_[x0 + SIZE, y0 + SIZE],
                np.c_[x0, y0 + SIZE],
            ],
            axis=1,
        ) + rng.uniform(-15, 15, (count, 4, 2))
        centre = corners.mean(axis=1, keepdims=True)
        geoms = shapely.polygons(centre + (corners - centre) * 0.85)
        frame = gpd.GeoDataFrame(
            {
                "parcel_id": [f"{k:03d}{i:07d}" for i in range(count)],
                "category": rng.choice(np.array(lu.CATEGORIES, dtype=object), count),
            },
            geometry=geoms,
            crs=4549,
        ).to_crs(4490)
        disposed = rng.random(count) < 0.5
        first = {c: lu.DISPOSAL_METHODS[c][0] for c in lu.CATEGORIES}
        frame["disposal_method"] = frame["category"].map(first).where(disposed, None)
        days = pd.to_datetime("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, count), unit="D")
        frame["disposal_date"] = pd.Series(days).where(disposed).to_numpy()
        frame.to_parquet(path, index=False, write_covering_bbox=True, schema_version="1.1.0")
        print(f"wrote {path.name}", flush=True)
    extent = shapely.box(
        400_000,
        3_700_000,
        400_000 + side * SIZE,
        3_700_000 + int(np.ceil(n / CHUNK)) * (rows_per_chunk + 1) * SIZE,
    )
    rng = np.random.default_rng(0)
    seeds = shapely.points(
        rng.uniform(*extent.bounds[::2], 50), rng.uniform(*extent.bounds[1::2], 50)
    )
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=extent)
    )
    return gpd.GeoDataFrame(
        {"name": [f"Z{i}" for i in range(len(cells))]},
        geometry=shapely.intersection(cells, extent),
        crs=4549,
    ).to_crs(4490)


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    from distributed import Client, LocalCluster

    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="6GiB")
    parser.add_argument("--folder", default=str(Path(tempfile.gettempdir()) / "landuse-scale"))
    args = parser.parse_args()
    folder = Path(args.folder) / f"parcels_{args.parcels}"
    zones = write_dataset(args.parcels, folder)
    with (
        LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            memory_limit=args.memory_limit,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        start = time.perf_counter()
        parcels = lu.read_parcels(folder, backend="dask")
        pieces = lu.assign_zones(lu.add_areas(parcels), zones)
        rates = lu.disposal_rates(pieces, as_of="2022-06-30")
        seconds = time.perf_counter() - start
        worker_peaks = client.run(peak_rss_gb)
    total = rates.xs("all", level="category")["parcels"].sum()
    print(rates.xs("all", level="category").head())
    print(
        f"parcels={args.parcels} partitions={parcels.npartitions} workers={args.workers} "
        f"seconds={seconds:.1f} parcels_counted={total} "
        f"peak_rss_per_worker_gb={max(worker_peaks.values()):.2f} client_peak_gb={peak_rss_gb():.2f}"
    )


if __name__ == "__main__":
    main()
