"""10M parcels out of core: the dask-geopandas backend on a LocalCluster beside DuckDB spatial.

    python benchmarks/scale.py --parcels 10000000 --workers 2 --memory-limit 2GiB

Writes a partitioned GeoParquet dataset (250k parcels per file, built chunk by chunk, so the
whole inventory is never in memory) and its zones, then times on the SAME files
(1) read_parcels(backend="dask") → add_areas → assign_zones → disposal_rates on a cluster of
    --workers single-threaded workers of --memory-limit each, and
(2) DuckDB with the spatial extension (``SET threads=<workers>``, loaded from its wheel by path;
    a fresh process): ST_Transform to EPSG:4549, ST_Intersects join, CASE ST_Within …
    ST_Intersection, area by zone × category (``bench`` extra),
and prints both times, the peak RSS of each worker, and how far the totals per zone × category
agree. Last line: ``parcels=… dask_seconds=… duckdb_seconds=… ratio_vs_duckdb=…``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

# this checkout's landuse, here and in the workers the cluster starts
ROOT = str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, ROOT)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p)

import landuse as lu  # noqa: E402

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


def duckdb_child(folder: Path, zones_path: Path, threads: int, out: Path) -> None:
    """DuckDB's job on the dataset, in this (fresh) process; prints seconds and peak RSS."""
    sys.path.insert(0, str(Path(__file__).parent))
    from pipeline import DUCKDB_SQL, duckdb_connection

    start = time.perf_counter()
    con = duckdb_connection(threads=threads)
    sql = DUCKDB_SQL.format(
        target=4549,
        parcels="'" + str(folder / "*.parquet").replace("'", "''") + "'",
        zones="'" + str(zones_path).replace("'", "''") + "'",
    )
    frame = con.execute(sql).df()  # type: ignore[attr-defined]
    seconds = time.perf_counter() - start
    frame.to_pickle(out)
    print(json.dumps({"seconds": seconds, "rss_gb": peak_rss_gb()}))


def main() -> None:
    from distributed import Client, LocalCluster

    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="2GiB")
    parser.add_argument("--folder", default=str(Path(tempfile.gettempdir()) / "landuse-scale"))
    parser.add_argument("--duckdb-child", nargs=3, metavar=("FOLDER", "ZONES", "OUT"))
    parser.add_argument("--no-duckdb", action="store_true")
    args = parser.parse_args()
    if args.duckdb_child:
        folder_arg, zones_arg, out_arg = args.duckdb_child
        duckdb_child(Path(folder_arg), Path(zones_arg), args.workers, Path(out_arg))
        return
    folder = Path(args.folder) / f"parcels_{args.parcels}"
    zones = write_dataset(args.parcels, folder)
    zones_path = folder.parent / f"zones_{args.parcels}.parquet"
    zones.to_parquet(zones_path, index=False)
    duck: dict[str, float] | None = None
    duck_out = folder.parent / f"duckdb_{args.parcels}.pkl"
    if not args.no_duckdb:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--workers",
                str(args.workers),
                "--duckdb-child",
                str(folder),
                str(zones_path),
                str(duck_out),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"DuckDB failed:\n{done.stderr[-3000:]}")
        duck = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"duckdb threads={args.workers} seconds={duck['seconds']:.1f} peak_rss_gb={duck['rss_gb']:.2f}",
            flush=True,
        )
    # one thread per worker process, as dask is told: landuse's own pool would only oversubscribe
    os.environ.setdefault("LANDUSE_THREADS", "1")
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
        f"dask parcels={args.parcels} partitions={parcels.npartitions} workers={args.workers} "
        f"seconds={seconds:.1f} parcels_counted={total} "
        f"peak_rss_per_worker_gb={max(worker_peaks.values()):.2f} client_peak_gb={peak_rss_gb():.2f}"
    )
    if duck is not None:
        ours = rates["area_mu"].drop("all", level="category") * lu.M2_PER_MU
        theirs = pd.read_pickle(duck_out).set_index(["name", "category"])["area"]
        ours.index = ours.index.set_names(["name", "category"])
        # pieces outside every zone have no zone name; DuckDB's inner join has no such rows
        ours = ours[ours.index.get_level_values("name").notna()]
        joined = pd.concat([ours.rename("a"), theirs.rename("b")], axis=1).fillna(0)
        joined = joined[(joined["a"] > 0) | (joined["b"] > 0)]
        difference = float((joined["a"] - joined["b"]).abs().div(joined["b"]).max())
        print(
            f"max relative difference of area per zone × category, dask vs duckdb: {difference:.1e}"
        )
        print(
            f"parcels={args.parcels} dask_seconds={seconds:.1f} duckdb_seconds={duck['seconds']:.1f} "
            f"ratio_vs_duckdb={seconds / duck['seconds']:.2f}"
        )


if __name__ == "__main__":
    main()
