"""Shared fixtures: the bundled data and a builder for small hand-made inventories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
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


# --- a real PostGIS (scripts/test.sh starts a throwaway cluster) ------------------------------

PG_URL = os.environ.get("LANDUSE_TEST_PG_URL")
needs_pg = pytest.mark.skipif(
    PG_URL is None and not os.environ.get("CI"), reason="no PostgreSQL (LANDUSE_TEST_PG_URL)"
)


@pytest.fixture
def scratch_table():
    """A function giving fresh PostGIS table names; every table it named is dropped afterwards."""
    if PG_URL is None:
        pytest.fail("CI needs LANDUSE_TEST_PG_URL (scripts/test.sh starts PostGIS)")
    import uuid

    sa = pytest.importorskip("sqlalchemy")
    names: list[str] = []

    def fresh(prefix: str) -> str:
        names.append(f"{prefix}_{uuid.uuid4().hex[:10]}")
        return names[-1]

    yield fresh
    engine = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        for name in names:
            connection.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))
    engine.dispose()


# --- a real browser (Debian's Chromium driven by Playwright) ---------------------------------

ARTIFACTS = Path(
    os.environ.get("LANDUSE_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts")
)
LOCAL = ("file:", "data:", "blob:", "about:")


def _need(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI (scripts/test.sh installs it)")
    pytest.skip(f"{what} not available on this machine; scripts/test.sh installs it")


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        _need("Chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("Playwright")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@dataclass
class MapPage:
    """A map opened in Chromium, with everything the page tried and complained about."""

    page: Any
    map_name: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path

    def point_of(self, lon: float, lat: float, zoom: int | None = None) -> tuple[float, float]:
        """Container pixel of a lon/lat, after optionally zooming there."""
        return tuple(
            self.page.evaluate(
                """([name, lon, lat, zoom]) => {
                const map = window[name];
                if (zoom !== null) map.setView([lat, lon], zoom, {animate: false});
                const p = map.latLngToContainerPoint([lat, lon]);
                return [p.x, p.y];
            }""",
                [self.map_name, lon, lat, zoom],
            )
        )


@pytest.fixture
def open_map(browser, tmp_path):
    """Save a folium map, open it with every non-local request aborted, wait until drawn."""
    pages = []

    def opener(m, *, routes: dict[str, tuple[str, str]] | None = None) -> MapPage:
        path = tmp_path / f"{m.get_name()}.html"
        m.save(str(path))
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        opened = MapPage(page, m.get_name())

        def route(request_route):
            url = request_route.request.url
            if routes and url in routes:
                body, content_type = routes[url]
                return request_route.fulfill(status=200, body=body, content_type=content_type)
            if url.startswith(LOCAL):
                return request_route.continue_()
            opened.blocked.append(url)
            return request_route.abort()

        page.route("**/*", route)
        page.on("console", lambda msg: msg.type == "error" and opened.errors.append(msg.text))
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_function("window.landuse && window.landuse.ready > 0", timeout=60_000)
        pages.append(page)
        return opened

    yield opener
    for page in pages:
        page.close()


# --- markers: select or skip the slow families (`pytest -m "not slow"` for a quick run) ------

_BROWSER_FIXTURES = {"browser", "open_map"}


def pytest_collection_modifyitems(config, items):
    """Mark tests by what they need, so a quick run can deselect them (markers in pyproject)."""
    for item in items:
        path = str(item.path)
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if item.path.name == "test_postgis.py" or "pg_url" in fixtures:
            item.add_marker(pytest.mark.postgis)
        if path.endswith(".ipynb"):
            item.add_marker(pytest.mark.notebook)
        if item.path.name == "test_scale.py" and "client" in fixtures:
            item.add_marker(pytest.mark.dask)
        slow = ("browser", "postgis", "notebook", "dask", "qgis")
        if any(item.get_closest_marker(m) for m in slow) or _end_to_end(item):
            item.add_marker(pytest.mark.slow)


# The quick run (`pytest -m "not slow"`, < 30 s) covers the core: reading, validation, rules,
# areas, zones, rates, backends and their docstring examples. End-to-end outputs (report, CLI,
# survey packages, maps, fault injection, property tests) run in the full suite.
_QUICK_MODULES = {
    "test_admission.py",
    "test_areas.py",
    "test_backends.py",
    "test_bad_input.py",
    "test_coords.py",
    "test_datasets.py",
    "test_idle.py",
    "test_io.py",
    "test_ledger.py",
    "test_quality.py",
    "test_rules.py",
    "test_stats.py",
    "test_zones.py",
}
_QUICK_DOCTESTS = {
    "__init__.py",
    "_validate.py",
    "_tables.py",
    "_urls.py",
    "areas.py",
    "coords.py",
    "idle.py",
    "io.py",
    "rules.py",
    "stats.py",
    "vocab.py",
    "zones.py",
}
_SLOW_NAMES = (
    "test_property_",
    "test_excel_",
    "xlsx",
    "shapefile",
    "_cli",
    "command",
    "report",
    "hundred_thousand",
    "empty_in_empty_out",
    "core_imports",
    "row_groups",  # writes and reads 300k parcels
)


def _end_to_end(item: pytest.Item) -> bool:
    name = item.path.name
    if item.path.suffix == ".py" and "tests" not in item.path.parts:  # a docstring example
        in_backends = "backends" in item.path.parts
        return not (in_backends or name in _QUICK_DOCTESTS)
    if name not in _QUICK_MODULES:
        return True
    return any(part in item.name for part in _SLOW_NAMES)
