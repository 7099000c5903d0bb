"""``disposal_rates`` on the pieces of the pipeline benchmark: landuse vs a DuckDB GROUP BY.

Run by hand:  python benchmarks/rates.py [--parcels 1000000] [--repeat 3] [--profile 25]

Builds the same data as ``benchmarks/pipeline.py`` (read → add_areas → assign_zones; the
pieces are cached as Parquet next to the pipeline's files, so reruns start at once), then times
``lu.disposal_rates(pieces, as_of=AS_OF)`` (median of --repeat) and, for reference, the same
sums per zone × category in DuckDB over the frame as an Arrow table (converted inside the
timing; one thread per core). A cProfile
run of one call prints its top entries (by own time). The last line is
``rates_s=X duckdb_s=Y`` (medians).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))  # this checkout's landuse
from pipeline import AS_OF, CACHE, data_paths

import landuse as lu

COLUMNS = ["parcel_id", "zone", "category", "area_mu", "disposal_method", "disposal_date"]


def pieces(n: int) -> pd.DataFrame:
    """The pieces ``assign_zones`` returns for n parcels (geometry dropped: rates never read it)."""
    cached = CACHE / f"pieces_{n}.parquet"
    if cached.exists():
        return pd.read_parquet(cached)
    path, zone_path = data_paths(n)
    parcels = lu.read_parcels(path)
    zones = lu.read_zones(zone_path)
    frame = lu.assign_zones(lu.add_areas(parcels), zones)
    frame = pd.DataFrame(frame[[c for c in frame.columns if c != "geometry"]])
    tmp = cached.with_suffix(".tmp")
    frame.to_parquet(tmp)
    tmp.replace(cached)  # atomic: an interrupted run leaves no half-written cache
    return pd.read_parquet(cached)


def duckdb_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Parcels, 亩 and disposed per zone × category, as a DuckDB GROUP BY (the reference)."""
    import duckdb
    import pyarrow as pa

    con = duckdb.connect()
    con.execute("SET threads = 2")
    # DuckDB scans Arrow at full speed (a pandas frame of Arrow strings is scanned row-wise)
    con.register("pieces", pa.Table.from_pandas(frame[COLUMNS], preserve_index=False))
    return con.execute(
        """
        SELECT zone, category,
               count(*) AS parcels,
               sum(area_mu) AS area_mu,
               count(*) FILTER (WHERE disposed) AS disposed_parcels,
               sum(CASE WHEN disposed THEN area_mu ELSE 0 END) AS disposed_area_mu
        FROM (SELECT *, disposal_method IS NOT NULL AND disposal_date IS NOT NULL
                        AND disposal_date <= CAST(? AS TIMESTAMP) AS disposed
              FROM pieces WHERE category IS NOT NULL)
        GROUP BY GROUPING SETS ((zone, category), (zone))
        """,
        [AS_OF],
    ).df()


def timed(function: Callable[[], object], repeat: int) -> float:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=int, default=20, help="top entries (0: no profile)")
    parser.add_argument("--no-duckdb", action="store_true")
    args = parser.parse_args()
    frame = pieces(args.parcels)
    print(f"{len(frame)} pieces of {args.parcels} parcels")
    rates = timed(lambda: lu.disposal_rates(frame, as_of=AS_OF), args.repeat)
    duck = float("nan")
    if not args.no_duckdb:
        duckdb_rates(frame)  # warm up (import, registration)
        duck = timed(lambda: duckdb_rates(frame), args.repeat)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(lu.disposal_rates, frame, as_of=AS_OF)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
    print(f"rates_s={rates:.3f} duckdb_s={duck:.3f}")


if __name__ == "__main__":
    main()
