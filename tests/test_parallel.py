"""Both cores: the thread pool gives exactly what one thread gives (landuse._parallel)."""

from __future__ import annotations

import threading
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import landuse as lu
from landuse import _parallel


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few rows, so that the bundled sample is cut up as 1M parcels would be."""
    monkeypatch.setattr(_parallel, "MIN_CHUNK", 7)
    monkeypatch.setattr(_parallel, "MIN_CHUNK_HEAVY", 3)


def fresh(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same frame with new geometry objects (nothing remembered about the old ones)."""
    geoms = shapely.from_wkb(shapely.to_wkb(np.asarray(gdf.geometry.array)))
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))


def with_threads(monkeypatch, threads: int, job):
    monkeypatch.setenv("LANDUSE_THREADS", str(threads))
    return job()


def assert_identical(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> None:
    """Same rows, same values bit for bit, same geometries coordinate for coordinate."""
    pd.testing.assert_frame_equal(
        pd.DataFrame(a.drop(columns=a.geometry.name)),
        pd.DataFrame(b.drop(columns=b.geometry.name)),
        check_exact=True,
    )
    assert a.crs == b.crs
    assert (shapely.to_wkb(a.geometry.array) == shapely.to_wkb(b.geometry.array)).all()


def synthetic(n: int = 20_000, seed: int = 1) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """n jittered quadrilaterals near Qingdao in EPSG:4490 and 12 Voronoi zones over them."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    ix, iy = np.meshgrid(np.arange(side), np.arange(side))
    x0, y0 = 480_000 + ix.ravel()[:n] * 120.0, 3_950_000 + iy.ravel()[:n] * 120.0
    corners = np.stack(
        [np.c_[x0, y0], np.c_[x0 + 100, y0], np.c_[x0 + 100, y0 + 100], np.c_[x0, y0 + 100]],
        axis=1,
    ) + rng.uniform(-8, 8, (n, 4, 2))
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": [f"S{i}" for i in range(n)],
            "category": rng.choice(np.array(lu.CATEGORIES, dtype=object), n),
        },
        geometry=shapely.polygons(corners),
        crs=4549,
    )
    extent = shapely.box(*parcels.total_bounds).buffer(200)
    seeds = shapely.multipoints(
        np.c_[rng.uniform(*extent.bounds[::2], 12), rng.uniform(*extent.bounds[1::2], 12)]
    )
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=extent))
    zones = gpd.GeoDataFrame(
        {"name": [f"Z{i}" for i in range(len(cells))]},
        geometry=shapely.intersection(cells, extent),
        crs=4549,
    )
    return parcels.to_crs(4490), zones.to_crs(4490)


def test_thread_count_from_keyword_environment_or_cpus(monkeypatch):
    monkeypatch.delenv("LANDUSE_THREADS", raising=False)
    assert _parallel.thread_count() >= 1
    monkeypatch.setenv("LANDUSE_THREADS", "3")
    assert _parallel.thread_count() == 3
    assert _parallel.thread_count(1) == 1
    monkeypatch.setenv("LANDUSE_THREADS", "two")
    with pytest.raises(ValueError, match="LANDUSE_THREADS"):
        _parallel.thread_count()
    with pytest.raises(ValueError, match="at least 1"):
        _parallel.thread_count(0)


def test_chunks_are_contiguous_and_cover_everything():
    bounds = _parallel.chunk_bounds(10, 3)
    assert bounds == [(0, 3), (3, 7), (7, 10)]
    assert _parallel.chunk_bounds(2, 4) == [(0, 1), (1, 2)]


def test_map_chunks_equals_one_call_and_runs_on_the_pool():
    geoms = shapely.buffer(shapely.points(np.random.default_rng(0).random((50_000, 2))), 0.01)
    import threading

    threads_seen: set[str] = set()
    # both chunks must be running at once to pass the barrier: proves two threads, whatever
    # the pool's scheduling (an idle thread may otherwise take both chunks one after another)
    both_running = threading.Barrier(2, timeout=30)

    def area(chunk):
        threads_seen.add(threading.current_thread().name)
        both_running.wait()
        return shapely.area(chunk)

    parallel = _parallel.map_chunks(area, geoms, threads=2)
    assert (parallel == shapely.area(geoms)).all()
    assert len(threads_seen) == 2 and all(n.startswith("landuse") for n in threads_seen)

    def area_alone(chunk):
        threads_seen.add(threading.current_thread().name)
        return shapely.area(chunk)

    # small inputs stay in the calling thread
    threads_seen.clear()
    _parallel.map_chunks(area_alone, geoms[:100], threads=2)
    assert len(threads_seen) == 1 and not next(iter(threads_seen)).startswith("landuse")
    # tuples are joined item by item
    a, b = _parallel.map_chunks(lambda g: (shapely.area(g), shapely.length(g)), geoms, threads=2)
    assert (a == shapely.area(geoms)).all() and (b == shapely.length(geoms)).all()


def test_nested_calls_run_serially_inside_the_pool():
    x = np.arange(100_000, dtype=float)
    inner = _parallel.map_chunks(
        lambda chunk: _parallel.map_chunks(np.sqrt, chunk, threads=2), x, threads=2
    )
    assert (inner == np.sqrt(x)).all()


def test_an_error_in_a_chunk_reaches_the_caller():
    def fail(chunk):
        if chunk[0] > 0:
            raise lu.InputError("bad chunk")
        return chunk

    with pytest.raises(lu.InputError, match="bad chunk"):
        _parallel.map_chunks(fail, np.arange(100_000), threads=2)


@pytest.mark.parametrize("data", ["sample", "synthetic"])
def test_pipeline_on_two_threads_equals_one_thread(monkeypatch, small_chunks, ledger, data):
    if data == "sample":
        parcels, zones = ledger, lu.read_zones(lu.datasets.get_path("west_coast"))
    else:
        parcels, zones = synthetic()
        monkeypatch.setattr(_parallel, "MIN_CHUNK", 2_000)
        monkeypatch.setattr(_parallel, "MIN_CHUNK_HEAVY", 50)

    def job():
        own = fresh(parcels)
        measured = lu.add_areas(own)
        pieces = lu.assign_zones(measured, fresh(zones))
        largest = lu.assign_zones(fresh(parcels), fresh(zones), how="largest")
        forced = lu.add_areas(fresh(parcels), crs=4549)
        return measured, pieces, largest, forced

    one = with_threads(monkeypatch, 1, job)
    two = with_threads(monkeypatch, 2, job)
    for a, b in zip(one, two, strict=True):
        assert_identical(a, b)
    measured, pieces = one[0], one[1]
    # pieces tile their parcels: the split is real, not everything whole
    assert pieces["parcel_id"].duplicated().any()
    total = pieces.groupby("parcel_id")["area_m2"].sum()
    whole = measured.set_index("parcel_id")["area_m2"]
    assert np.allclose(total.loc[whole.index], whole, rtol=1e-12)
    if "disposal_method" in pieces.columns:
        rates = [lu.disposal_rates(p, as_of="2022-06-30") for p in (one[1], two[1])]
        pd.testing.assert_frame_equal(rates[0], rates[1], check_exact=True)


def test_areas_in_several_zones_on_two_threads(monkeypatch, small_chunks):
    """Parcels spread over three GK zones: zone codes and areas equal on 1 and 2 threads."""
    lon = np.repeat([117.2, 119.9, 122.3], 40) + np.tile(np.linspace(0, 0.5, 40), 3)
    squares = shapely.box(lon, 36.0, lon + 0.002, 36.002)
    frame = gpd.GeoDataFrame(
        {"parcel_id": [f"P{i}" for i in range(len(lon))]}, geometry=squares, crs=4490
    )
    one = with_threads(monkeypatch, 1, lambda: lu.add_areas(fresh(frame)))
    two = with_threads(monkeypatch, 2, lambda: lu.add_areas(fresh(frame)))
    assert_identical(one, two)
    from landuse.areas import zone_crs_codes

    codes = [
        with_threads(monkeypatch, t, lambda: zone_crs_codes(np.asarray(squares), 4490))
        for t in (1, 2)
    ]
    assert (codes[0] == codes[1]).all() and set(codes[0]) == {39, 40, 41}


def test_validation_finds_the_same_rows_on_two_threads(monkeypatch, small_chunks, ledger):
    broken = ledger.copy()
    geoms = np.asarray(broken.geometry.array).copy()
    geoms[5] = shapely.Polygon([(120.0, 36.0), (120.01, 36.01), (120.01, 36.0), (120.0, 36.01)])
    geoms[17] = shapely.Polygon([(120.0, 36.0), (np.nan, 36.01), (120.01, 36.0)])
    broken = broken.set_geometry(gpd.GeoSeries(geoms, index=broken.index, crs=broken.crs))
    kept = []
    for threads in (1, 2):
        monkeypatch.setenv("LANDUSE_THREADS", str(threads))
        own = fresh(broken)
        kept.append(own)
        with pytest.raises(lu.InputError, match="NaN or infinite") as error:
            lu.add_areas(own)
        assert str(broken["parcel_id"].iloc[17]) in str(error.value)
    bowtie = broken.drop(index=broken.index[17])
    repaired, said = [], []
    for threads in (1, 2):
        monkeypatch.setenv("LANDUSE_THREADS", str(threads))
        own = fresh(bowtie)
        kept.append(own)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            repaired.append(lu.add_areas(own))
        said += [str(w.message) for w in caught]
    assert_identical(*repaired)
    assert all(bool(shapely.is_valid(r.geometry.array).all()) for r in repaired)
    assert any("repaired 1 invalid" in text for text in said)


def test_geoparquet_read_on_two_threads_equals_geopandas(monkeypatch, tmp_path, ledger):
    path = lu.write_parcels(ledger, tmp_path / "p.parquet")
    reference = gpd.read_parquet(path)
    for threads in (1, 2):
        monkeypatch.setenv("LANDUSE_THREADS", str(threads))
        back = lu.read_raw(path)
        pd.testing.assert_frame_equal(back, reference, check_exact=True)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_a_forked_child_gets_a_pool_of_its_own():
    import multiprocessing

    x = np.arange(100_000, dtype=float)
    _parallel.map_chunks(np.sqrt, x, threads=2)  # the parent's pool exists
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        total = pool.apply_async(_sum_of_roots, (x,)).get(timeout=60)
    assert total == float(np.sqrt(x).sum())


def _sum_of_roots(x: np.ndarray) -> float:
    return float(_parallel.map_chunks(np.sqrt, x, threads=2).sum())


def test_dask_partitions_run_serially_inside_their_worker(monkeypatch):
    monkeypatch.setenv("LANDUSE_THREADS", "2")
    x = np.arange(200_000, dtype=float)
    seen = []

    def record(chunk):
        seen.append(threading.current_thread().name)
        return np.sqrt(chunk)

    assert (_parallel.map_chunks(record, x) == np.sqrt(x)).all()
    assert any(name.startswith("landuse") for name in seen)  # the pool, outside dask
    seen.clear()
    out = _parallel.serially(lambda: _parallel.map_chunks(record, x))()
    assert (out == np.sqrt(x)).all() and seen == [threading.current_thread().name]
    assert len(_parallel.map_chunks(record, x)) == len(x)  # the pool is back afterwards
