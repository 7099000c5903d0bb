"""Areas per zone × category at 1M parcels: landuse vs DuckDB spatial vs raw shapely vs geopandas.

Run by hand:  python benchmarks/pipeline.py --parcels 1000000 [--repeat 3] [--paths ...]
              python benchmarks/pipeline.py --parcels 300000 --profile   (landuse, per step)

The job: read a GeoParquet file → project EPSG:4490 → EPSG:4549 → split parcels at zone borders →
sum the area per zone × category. Every path reads the SAME file, written by
``lu.write_parcels`` (Hilbert order, bbox covering, row groups for parallel readers).

(a) landuse:   read_parcels → add_areas → assign_zones(how="split") → disposal_rates (both cores)
(b) raw:       the strongest single-thread shapely/pyproj path we can write: pyarrow reads two
               columns → WKB → one pyproj call over all coordinates, polygons rebuilt with one
               ``shapely.from_ragged_array`` → parcels whose bounding box meets no zone border
               settled by one ``contains_xy`` of the box's centre (trees of border segments and
               of zones queried by the parcels) → near a border: one prepared ``intersects``
               query, ``covers`` for parcels hit once, the rest intersected → bincount
(b') raw_query: (b) as issue #15 defined it: ``shapely.set_coordinates`` and the ``intersects``
               query + ``covers`` on every parcel
(c) duckdb:    DuckDB + spatial (loaded from the ``duckdb-extension-spatial`` wheel by path,
               no network), ``SET threads=2``: ST_GeomFromWKB → ST_Transform → ST_Intersects
               join → CASE ST_Within … ST_Intersection → GROUP BY zone, category
(d) geopandas: read_parquet → to_crs → geopandas.overlay → groupby

Each path runs in a fresh process (peak RSS is its own), the paths alternate, --repeat rounds;
medians are printed with the largest peak RSS, and the totals per zone × category of every
path are compared with landuse's (relative 1e-9). The last line is
``ratio_vs_raw=X ratio_vs_duckdb=Y peak_rss_gb=Z`` (landuse ÷ raw, landuse ÷ duckdb, landuse
peak) for the largest N. Needs the ``bench`` extra (duckdb, duckdb-extension-spatial).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CACHE = Path(tempfile.gettempdir()) / "landuse-bench-v2"
AS_OF = "2022-06-30"
TARGET = 4549


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
    lu.write_parcels(frame.to_crs(4490), parcels)
    zone_frame.to_crs(4490).to_parquet(zones, index=False)
    return parcels, zones


def run_landuse(parcels_path: Path, zones_path: Path) -> pd.Series:
    import landuse as lu

    parcels = lu.read_parcels(parcels_path)
    zones = lu.read_zones(zones_path)
    parcels = lu.add_areas(parcels)
    pieces = lu.assign_zones(parcels, zones)
    del parcels
    rates = lu.disposal_rates(pieces, as_of=AS_OF)
    return rates["area_mu"].drop("all", level="category") * lu.M2_PER_MU


def run_geopandas(parcels_path: Path, zones_path: Path) -> pd.Series:
    import geopandas as gpd

    parcels = gpd.read_parquet(parcels_path, columns=["category", "geometry"]).to_crs(TARGET)
    zones = gpd.read_parquet(zones_path).to_crs(TARGET)
    pieces = gpd.overlay(parcels, zones, how="intersection")
    pieces["area"] = pieces.area
    return pieces.groupby(["name", "category"])["area"].sum()


def _raw_project(geoms: np.ndarray, transformer: object, *, ragged: bool = False) -> np.ndarray:
    """Every coordinate through one pyproj call, written back with one ``set_coordinates`` —
    or, ``ragged`` (one-ring polygons only), rebuilt with one ``from_ragged_array``, about
    twice as fast."""
    import shapely

    xy = shapely.get_coordinates(geoms)
    x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
    del xy
    transformer.transform(x, y, inplace=True)  # type: ignore[attr-defined]
    if not ragged:
        return shapely.set_coordinates(geoms, np.column_stack([x, y]))
    assert (shapely.get_type_id(geoms) == 3).all()
    assert (shapely.get_num_interior_rings(geoms) == 0).all()
    rings = np.zeros(len(geoms) + 1, dtype=np.int64)
    np.cumsum(shapely.get_num_coordinates(geoms), out=rings[1:])
    parts = np.arange(len(geoms) + 1, dtype=np.int64)
    return shapely.from_ragged_array(
        shapely.GeometryType.POLYGON, np.column_stack([x, y]), (rings, parts)
    )


def _raw_read(
    parcels_path: Path, zones_path: Path, *, ragged: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """(categories, category code per parcel, projected parcels, projected prepared zones,
    zone names): two columns of each file, WKB parsed, everything in EPSG:4549."""
    import pyarrow.parquet as pq
    import shapely
    from pyproj import Transformer

    transformer = Transformer.from_crs(4490, TARGET, always_xy=True)
    table = pq.read_table(parcels_path, columns=["category", "geometry"])
    categories, category_of = np.unique(
        table.column("category").to_numpy(zero_copy_only=False), return_inverse=True
    )
    geoms = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    del table
    geoms = _raw_project(geoms, transformer, ragged=ragged)
    zone_table = pq.read_table(zones_path, columns=["name", "geometry"])
    zones = _raw_project(
        shapely.from_wkb(zone_table.column("geometry").to_numpy(zero_copy_only=False)),
        transformer,
    )
    shapely.prepare(zones)
    return categories, category_of, geoms, zones, zone_table.column("name").to_pylist()


def run_raw(parcels_path: Path, zones_path: Path) -> pd.Series:
    """The strongest single-thread path: ragged-array projection, and parcels whose bounding
    box meets no zone border settled by one point-in-polygon test of the box's centre (a
    tree of border segments, a tree of zones, both queried by the parcels); only parcels near
    a border meet the zones' full predicates and are cut. No cyclic garbage collection while
    it runs (a million geometries would trigger hundreds)."""
    import gc

    gc.disable()
    try:
        return _raw(parcels_path, zones_path)
    finally:
        gc.enable()


def _raw(parcels_path: Path, zones_path: Path) -> pd.Series:
    import shapely

    categories, category_of, geoms, zones, names = _raw_read(parcels_path, zones_path, ragged=True)
    bounds = shapely.bounds(geoms)
    step = 4 * float(
        np.median(np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]))
    )
    # border segments, long ones cut to about `step`, as boxes (padded against rounding)
    xy, ring = shapely.get_coordinates(
        shapely.get_rings(shapely.get_parts(zones)), return_index=True
    )
    same = ring[:-1] == ring[1:]
    a, b = xy[:-1][same], xy[1:][same]
    cuts = np.maximum(np.ceil(np.hypot(*(b - a).T) / step), 1).astype(np.int64)
    seg = np.repeat(np.arange(len(a)), cuts)
    k = np.arange(len(seg)) - np.repeat(np.cumsum(cuts) - cuts, cuts)
    p0 = a[seg] + (k / cuts[seg])[:, None] * (b - a)[seg]
    p1 = a[seg] + ((k + 1) / cuts[seg])[:, None] * (b - a)[seg]
    lo, hi = np.minimum(p0, p1) - 1e-6, np.maximum(p0, p1) + 1e-6
    near = np.zeros(len(geoms), dtype=bool)
    near[shapely.STRtree(shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1])).query(geoms)[0]] = (
        True
    )
    parcel_pos, zone_pos = shapely.STRtree(zones).query(geoms)
    far = ~near[parcel_pos]
    fp, fz = parcel_pos[far], zone_pos[far]
    inside = shapely.contains_xy(
        zones[fz], (bounds[fp, 0] + bounds[fp, 2]) / 2, (bounds[fp, 1] + bounds[fp, 3]) / 2
    )
    whole_parcel, whole_zone = [fp[inside]], [fz[inside]]
    # near a border: intersecting pairs; a parcel hit once and covered is whole, else cut
    checked = np.flatnonzero(near)
    zp, pp = shapely.STRtree(geoms[checked]).query(zones, predicate="intersects")
    pp = checked[pp]
    hits = np.bincount(pp, minlength=len(geoms))
    single = hits[pp] == 1
    covered = np.zeros(len(pp), dtype=bool)
    covered[single] = shapely.covers(zones[zp[single]], geoms[pp[single]])
    whole_parcel.append(pp[covered])
    whole_zone.append(zp[covered])
    cut = ~covered
    cut_area = shapely.area(shapely.intersection(geoms[pp[cut]], zones[zp[cut]]))
    parcel = np.concatenate([*whole_parcel, pp[cut]])
    zone = np.concatenate([*whole_zone, zp[cut]])
    area = np.concatenate([shapely.area(geoms[np.concatenate(whole_parcel)]), cut_area])
    key = zone * len(categories) + category_of[parcel]
    sums = np.bincount(key, area, minlength=len(zones) * len(categories))
    index = pd.MultiIndex.from_product([names, categories], names=["name", "category"])
    return pd.Series(sums, index=index)


def run_raw_query(parcels_path: Path, zones_path: Path) -> pd.Series:
    """The raw path as issue #15 defined it: ``set_coordinates`` projection, one prepared
    ``intersects`` query of every parcel, ``covers`` for the parcels hit by one zone."""
    import shapely

    categories, category_of, geoms, zones, names = _raw_read(parcels_path, zones_path, ragged=False)
    zone_pos, parcel_pos = shapely.STRtree(geoms).query(zones, predicate="intersects")
    hits = np.bincount(parcel_pos, minlength=len(geoms))
    area = np.empty(len(zone_pos))
    single = hits[parcel_pos] == 1
    # a parcel hit by one zone only: inside it (whole area) unless it sticks out of every zone
    inside = np.zeros(len(zone_pos), dtype=bool)
    inside[single] = shapely.covers(zones[zone_pos[single]], geoms[parcel_pos[single]])
    area[inside] = shapely.area(geoms[parcel_pos[inside]])
    cut = ~inside
    area[cut] = shapely.area(shapely.intersection(geoms[parcel_pos[cut]], zones[zone_pos[cut]]))
    key = zone_pos * len(categories) + category_of[parcel_pos]
    sums = np.bincount(key, area, minlength=len(zones) * len(categories))
    index = pd.MultiIndex.from_product([names, categories], names=["name", "category"])
    return pd.Series(sums, index=index)


def duckdb_connection(threads: int = 2, memory_limit: str | None = None) -> object:
    """DuckDB with the spatial extension loaded from its wheel by path (no network)."""
    import duckdb
    import duckdb_extension_spatial

    folder = Path(duckdb_extension_spatial.__file__).parent / "extensions"
    found = sorted(folder.glob(f"v{duckdb.__version__}/spatial.duckdb_extension"))
    if not found:
        raise RuntimeError(
            f"no spatial extension for duckdb {duckdb.__version__} under {folder}: "
            "install duckdb-extension-spatial at the same version"
        )
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    con.execute(f"LOAD '{found[0]}'")
    con.execute(f"SET threads={threads}")
    con.execute("SET enable_geoparquet_conversion=false")
    if memory_limit:
        con.execute(f"SET memory_limit='{memory_limit}'")
    return con


DUCKDB_SQL = """
WITH p AS (
    SELECT category,
           ST_Transform(ST_GeomFromWKB(geometry), 'EPSG:4490', 'EPSG:{target}',
                        always_xy := true) AS g
    FROM read_parquet({parcels})
), z AS (
    SELECT name,
           ST_Transform(ST_GeomFromWKB(geometry), 'EPSG:4490', 'EPSG:{target}',
                        always_xy := true) AS g
    FROM read_parquet({zones})
)
SELECT z.name AS name, p.category AS category,
       sum(CASE WHEN ST_Within(p.g, z.g) THEN ST_Area(p.g)
                ELSE ST_Area(ST_Intersection(p.g, z.g)) END) AS area
FROM p JOIN z ON ST_Intersects(p.g, z.g)
GROUP BY z.name, p.category
"""


def run_duckdb(parcels_path: Path, zones_path: Path) -> pd.Series:
    con = duckdb_connection()
    sql = DUCKDB_SQL.format(
        target=TARGET,
        parcels="'" + str(parcels_path).replace("'", "''") + "'",
        zones="'" + str(zones_path).replace("'", "''") + "'",
    )
    frame = con.execute(sql).df()  # type: ignore[attr-defined]
    return frame.set_index(["name", "category"])["area"].sort_index()


PATHS = {
    "raw": run_raw,
    "raw_query": run_raw_query,
    "duckdb": run_duckdb,
    "landuse": run_landuse,
    "geopandas": run_geopandas,
}


IMPORTS = {
    "raw": ("pyarrow.parquet", "shapely", "pyproj"),
    "raw_query": ("pyarrow.parquet", "shapely", "pyproj"),
    "duckdb": ("duckdb", "duckdb_extension_spatial"),
    "landuse": ("landuse",),
    "geopandas": ("geopandas", "pyarrow.parquet"),
}


def child(path: str, n: int) -> None:
    import importlib

    parcels, zones = data_paths(n)
    for module in IMPORTS[path]:  # the job is timed, not the interpreter's imports
        importlib.import_module(module)
    start = time.perf_counter()
    cpu = time.process_time()
    result = PATHS[path](parcels, zones)
    seconds = time.perf_counter() - start
    cpu_share = (time.process_time() - cpu) / seconds
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    result.to_pickle(CACHE / f"result_{path}_{n}.pkl")
    print(json.dumps({"seconds": seconds, "rss_gb": rss_gb, "cpu": cpu_share}))


def checkout_env() -> dict[str, str]:
    """The environment for a child: this checkout's landuse first on the path, and numpy
    asking Linux for no huge pages in every path (landuse turns that off inside its steps;
    where the kernel compacts memory for them, the raw paths would otherwise pay seconds)."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH", "")
    return {
        **os.environ,
        "PYTHONPATH": root + (os.pathsep + path if path else ""),
        "NUMPY_MADVISE_HUGEPAGE": "0",
    }


def run_child(path: str, n: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", path, "--parcels", str(n)],
        capture_output=True,
        text=True,
        check=False,
        env=checkout_env(),
    )
    if done.returncode:
        raise RuntimeError(f"{path} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(n: int, paths: list[str]) -> dict[str, float]:
    """Largest relative difference of area per zone × category, each path vs landuse."""
    results = {p: pd.read_pickle(CACHE / f"result_{p}_{n}.pkl") for p in paths}
    base_name = "landuse" if "landuse" in results else paths[0]
    base = results[base_name]
    base.index = base.index.set_names(["name", "category"])
    out = {}
    for path, other in results.items():
        if path == base_name:
            continue
        other.index = other.index.set_names(["name", "category"])
        joined = pd.concat([base.rename("a"), other.rename("b")], axis=1).fillna(0)
        joined = joined[(joined["a"] > 0) | (joined["b"] > 0)]
        out[path] = float((joined["a"] - joined["b"]).abs().div(joined["b"]).max())
    return out


def current_rss_gb() -> float:
    """Resident memory now (Linux), in GB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024**3


def profile(n: int) -> None:
    """landuse per step at n parcels: wall seconds inside each step's functions, one process.

    The functions are wrapped where the pipeline looks them up; a step's time excludes the
    wrapped steps it calls (``measure_m2`` calling ``project``: projection, not areas).
    """
    import threading

    import shapely

    import landuse as lu
    from landuse import _validate, areas, io, stats, zones

    parcels, zone_path = data_paths(n)
    spent: dict[str, float] = {}
    cpu: dict[str, float] = {}
    rss: dict[str, float] = {}
    main_thread = threading.main_thread()
    stack: list[list[float]] = []

    def wrap(owner: object, name: str, step: str) -> None:
        original = getattr(owner, name, None)
        if original is None or getattr(original, "_step", None):
            return

        def timed(*args: object, **kwargs: object) -> object:
            if threading.current_thread() is not main_thread:
                return original(*args, **kwargs)
            stack.append([0.0, 0.0])
            start, start_cpu = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                elapsed_cpu = time.process_time() - start_cpu
                nested, nested_cpu = stack.pop()
                spent[step] = spent.get(step, 0.0) + elapsed - nested
                cpu[step] = cpu.get(step, 0.0) + elapsed_cpu - nested_cpu
                rss[step] = max(rss.get(step, 0.0), current_rss_gb())
                if stack:
                    stack[-1][0] += elapsed
                    stack[-1][1] += elapsed_cpu

        timed._step = step  # type: ignore[attr-defined]
        setattr(owner, name, timed)

    for module in (io, areas, zones, stats, _validate):
        for name, step in (
            ("_read_frame", "read"),
            ("validate_parcels", "validate"),
            ("validate_polygons", "validate"),
            ("validate_zones", "validate"),
            ("project", "project"),
            ("projected", "project"),
            ("measure_m2", "areas"),
            ("_zone_pairs", "zone query"),
            ("_overlay_query", "zone query"),
            ("_disjoint_zones", "zone query"),
            ("_split_pieces", "intersections"),
            ("partial_sums", "rates"),
        ):
            wrap(module, name, step)
    wrap(shapely.STRtree, "query", "zone query")
    wrap(lu, "disposal_rates", "rates")
    start, start_cpu = time.perf_counter(), time.process_time()
    run_landuse(parcels, zone_path)
    total, total_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(f"{'step':>14} {'wall_s':>7} {'cpu_s':>7} {'rss_after_gb':>12}")
    for step in ("read", "validate", "project", "areas", "zone query", "intersections", "rates"):
        print(
            f"{step:>14} {spent.get(step, 0.0):7.2f} {cpu.get(step, 0.0):7.2f} "
            f"{rss.get(step, 0.0):12.2f}"
        )
    other, other_cpu = total - sum(spent.values()), total_cpu - sum(cpu.values())
    print(f"{'other':>14} {other:7.2f} {other_cpu:7.2f}  (frames, copies, pieces back in order)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"{'total':>14} {total:7.2f} {total_cpu:7.2f}  peak_rss_gb={rss:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--paths", nargs="+", default=list(PATHS), choices=list(PATHS))
    parser.add_argument("--child")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        data_paths(args.parcels[0])
        return
    if args.child:
        child(args.child, args.parcels[0])
        return
    if args.profile:
        import landuse  # noqa: F401  (imports are not a step)

        profile(args.parcels[0])
        return
    print(f"{'parcels':>9} {'path':>10} {'median_s':>9} {'peak_rss_gb':>12} {'cpu':>6}")
    summary = ""
    for n in args.parcels:
        # built in a child too: Linux carries a process's peak RSS across fork and exec, so a
        # parent that built 1M parcels would lend its peak to every path it starts
        prepared = subprocess.run(
            [sys.executable, __file__, "--prepare", "--parcels", str(n)],
            check=False,
            env=checkout_env(),
        )
        if prepared.returncode:
            raise SystemExit(f"building the data for {n} parcels failed")
        runs: dict[str, list[dict[str, float]]] = {p: [] for p in args.paths}
        for _ in range(args.repeat):  # alternate the paths, round by round
            for path in args.paths:
                runs[path].append(run_child(path, n))
        times = {}
        for path in args.paths:
            seconds = statistics.median(r["seconds"] for r in runs[path])
            rss = max(r["rss_gb"] for r in runs[path])
            cpu = statistics.median(r["cpu"] for r in runs[path])
            times[path] = (seconds, rss)
            print(f"{n:>9} {path:>10} {seconds:>9.2f} {rss:>12.2f} {cpu:>5.0%}", flush=True)
        differences = compare(n, args.paths)
        print(
            f"{n:>9} max relative difference of area per zone × category vs landuse: "
            + ", ".join(f"{p} {d:.1e}" for p, d in differences.items()),
            flush=True,
        )
        bad = {p: d for p, d in differences.items() if not d <= 1e-9}
        if bad:
            print(f"totals DISAGREE (> 1e-9): {bad}", flush=True)
        if {"landuse", "raw", "duckdb"} <= set(times):
            summary = (
                f"ratio_vs_raw={times['landuse'][0] / times['raw'][0]:.2f} "
                f"ratio_vs_duckdb={times['landuse'][0] / times['duckdb'][0]:.2f} "
                f"peak_rss_gb={times['landuse'][1]:.2f}"
            )
    if summary:
        print(summary)


if __name__ == "__main__":
    main()
