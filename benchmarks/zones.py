"""assign_zones(how="split") against geopandas.overlay and the raw shapely cost, in one run.

Run by hand:  python benchmarks/zones.py --parcels 100000
Prints medians of --repeat runs and the ratios (machines are noisy: compare ratios, not seconds).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely

import landuse as lu


def fabric(n: int, zones: int, seed: int = 0) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """n jittered quadrilateral parcels near Qingdao (EPSG:4549) and Voronoi zones over them."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    size = 120.0
    ix, iy = np.meshgrid(np.arange(side), np.arange(side))
    x0 = 480_000 + ix.ravel()[:n] * size
    y0 = 3_950_000 + iy.ravel()[:n] * size
    jitter = rng.uniform(-15, 15, (n, 4, 2))
    corners = (
        np.stack(
            [
                np.c_[x0, y0],
                np.c_[x0 + size, y0],
                np.c_[x0 + size, y0 + size],
                np.c_[x0, y0 + size],
            ],
            axis=1,
        )
        + jitter
    )
    corners *= 1  # parcels shrink by a road margin so they do not touch
    centre = corners.mean(axis=1, keepdims=True)
    corners = centre + (corners - centre) * 0.85
    parcels = gpd.GeoDataFrame(
        {"parcel_id": np.arange(n).astype(str)}, geometry=shapely.polygons(corners), crs=4549
    )
    extent = shapely.box(*parcels.total_bounds).buffer(500)
    seeds = shapely.points(
        rng.uniform(*extent.bounds[::2], zones), rng.uniform(*extent.bounds[1::2], zones)
    )
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=extent)
    )
    zone_frame = gpd.GeoDataFrame(
        {"name": [f"Z{i}" for i in range(len(cells))]},
        geometry=shapely.intersection(cells, extent),
        crs=4549,
    )
    return parcels, zone_frame


def median_seconds(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def raw(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> np.ndarray:
    geoms, zone_geoms = parcels.geometry.array, zones.geometry.array
    shapely.prepare(zone_geoms)
    z, p = shapely.STRtree(geoms).query(zone_geoms, predicate="intersects")
    inside = shapely.covers(zone_geoms[z], geoms[p])
    crossing = ~inside
    pieces = shapely.intersection(geoms[p[crossing]], zone_geoms[z[crossing]])
    return np.bincount(z[crossing], shapely.area(pieces), len(zone_geoms)) + np.bincount(
        z[inside], shapely.area(geoms[p[inside]]), len(zone_geoms)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--zones", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    parcels, zones = fabric(args.parcels, args.zones)
    t_raw = median_seconds(lambda: raw(parcels, zones), args.repeat)
    t_lu = median_seconds(lambda: lu.assign_zones(parcels, zones), args.repeat)
    t_overlay = median_seconds(lambda: gpd.overlay(parcels, zones, how="intersection"), args.repeat)
    pieces = lu.assign_zones(parcels, zones)
    split = int(pieces["parcel_id"].duplicated(keep=False).sum())
    per_zone = pieces.groupby("zone")["area_m2"].sum()
    expected = raw(parcels, zones)
    assert np.allclose(per_zone.reindex(zones["name"]).fillna(0).to_numpy(), expected, rtol=1e-9)
    print(f"parcels={args.parcels} zones={args.zones} pieces_of_split_parcels={split}")
    print(f"raw shapely (query + covers + straddler intersection + bincount): {t_raw:.2f} s")
    print(f"lu.assign_zones(how='split') incl. validation and areas:           {t_lu:.2f} s")
    print(f"geopandas.overlay(how='intersection'):                              {t_overlay:.2f} s")
    print(f"ratio_vs_raw={t_lu / t_raw:.2f} speedup_vs_overlay={t_overlay / t_lu:.1f}")


if __name__ == "__main__":
    main()
