"""Shared fixtures: the bundled data and a builder for small hand-made inventories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import pytest
import shapely

import landuse as lu

GK40 = 4549  # CGCS2000 3-degree GK zone 40, metres: exact areas by construction
ORIGIN = (500_000.0, 3_980_000.0)  # near Qingdao


def square(x: float, y: float, size: float = 100.0) -> shapely.Polygon:
    """A size × size square with its lower-left corner x, y metres from ORIGIN."""
    x0, y0 = ORIGIN[0] + x, ORIGIN[1] + y
    return shapely.box(x0, y0, x0 + size, y0 + size)


def make_parcels(rows: list[dict[str, Any]], crs: Any = GK40) -> gpd.GeoDataFrame:
    """Parcels from dicts; a missing geometry is a 100 m square laid out in a row."""
    records = []
    for i, row in enumerate(rows):
        record = {"parcel_id": f"P{i + 1}", **row}
        record.setdefault("geometry", square(200.0 * i, 0.0))
        records.append(record)
    return gpd.GeoDataFrame(records, geometry="geometry", crs=crs)


@pytest.fixture
def parcels_from() -> Callable[..., gpd.GeoDataFrame]:
    return make_parcels


@pytest.fixture(scope="session")
def west_coast_path():
    return lu.datasets.get_path("west_coast")


@pytest.fixture(scope="session")
def ledger(west_coast_path) -> gpd.GeoDataFrame:
    return lu.read_parcels(west_coast_path)


@pytest.fixture(scope="session")
def zones(west_coast_path) -> gpd.GeoDataFrame:
    return lu.read_zones(west_coast_path)


@pytest.fixture(scope="session")
def renewal(west_coast_path) -> gpd.GeoDataFrame:
    return lu.read_zones(west_coast_path, layer="renewal_zones")
