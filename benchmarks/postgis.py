"""100k parcels written to and read from PostGIS (run by hand, with a server).

eval "$(bash scripts/postgis.sh start)"; python benchmarks/postgis.py; bash scripts/postgis.sh stop
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pipeline import data_paths

import landuse as lu


def main() -> None:
    url = os.environ["LANDUSE_TEST_PG_URL"]
    parcels = lu.read_parcels(data_paths(100_000)[0])
    writes, reads, upserts = [], [], []
    for _ in range(3):
        start = time.perf_counter()
        lu.write_parcels(parcels, url, table="bench_parcels", mode="replace")
        writes.append(time.perf_counter() - start)
        start = time.perf_counter()
        back = lu.read_parcels(url, table="bench_parcels")
        reads.append(time.perf_counter() - start)
        start = time.perf_counter()
        lu.write_parcels(parcels.head(10_000), url, table="bench_parcels", mode="upsert")
        upserts.append(time.perf_counter() - start)
    n = len(parcels)
    print(
        f"rows={n} write_s={statistics.median(writes):.2f} read_s={statistics.median(reads):.2f} "
        f"upsert_10k_s={statistics.median(upserts):.2f}"
    )
    print(
        f"write_rows_per_s={n / statistics.median(writes):,.0f} "
        f"read_rows_per_s={n / statistics.median(reads):,.0f} "
        f"upsert_rows_per_s={10_000 / statistics.median(upserts):,.0f} rows_back={len(back)}"
    )


if __name__ == "__main__":
    main()
