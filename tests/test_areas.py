from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import landuse as lu
from tests.conftest import square


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (120.2, 35.95, 4549),  # Qingdao: CM 120°E
        (121.47, 31.23, 4549),  # Shanghai: nearest CM 120°E
        (116.40, 39.90, 4548),  # Beijing: CM 117°E
        (87.62, 43.83, 4538),  # Urumqi: CM 87°E
        (126.53, 45.80, 4551),  # Harbin: CM 126°E
        (2.35, 48.86, 32631),  # Paris: UTM 31N
        (-74.0, 40.7, 32618),  # New York: UTM 18N
    ],
)
def test_area_crs_picks_the_nearest_zone(lon, lat, epsg):
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat).buffer(0.01)], crs=4490)
    assert lu.area_crs(gdf).to_epsg() == epsg


def test_area_crs_keeps_gk_and_drops_the_zone_prefix():
    plain = gpd.GeoDataFrame(geometry=[square(0, 0)], crs=4549)
    assert lu.area_crs(plain).to_epsg() == 4549
    prefixed = plain.set_geometry(plain.translate(xoff=40_000_000)).set_crs(
        4528, allow_override=True
    )
    assert lu.area_crs(prefixed).to_epsg() == 4549


def test_area_crs_from_web_mercator():
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(120.2, 35.95).buffer(0.01)], crs=4326).to_crs(
        3857
    )
    assert lu.area_crs(gdf).to_epsg() == 4549


def test_units_are_exact():
    gdf = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[square(0, 0, 100.0)], crs=4549)
    row = lu.add_areas(gdf).iloc[0]
    assert row.area_m2 == pytest.approx(10_000.0, rel=1e-12)
    assert row.area_mu == pytest.approx(15.0, rel=1e-12)
    assert row.area_ha == pytest.approx(1.0, rel=1e-12)
    assert lu.M2_PER_MU == 10000 / 15


def test_areas_of_geographic_data_are_measured_projected():
    metres = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[square(0, 0, 300.0)], crs=4549)
    degrees = metres.to_crs(4490)
    measured = lu.add_areas(degrees)
    assert measured["area_m2"].iloc[0] == pytest.approx(90_000.0, rel=1e-7)
    assert measured.crs == degrees.crs  # geometry stays in its CRS
    assert shapely.equals_exact(measured.geometry.iloc[0], degrees.geometry.iloc[0], 0)


def test_prefixed_and_plain_zones_measure_the_same():
    plain = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[square(0, 0, 123.0)], crs=4549)
    prefixed = plain.set_geometry(plain.translate(xoff=40_000_000)).set_crs(
        4528, allow_override=True
    )
    assert lu.add_areas(prefixed)["area_m2"].iloc[0] == pytest.approx(123.0**2, rel=1e-9)


def test_refuses_degrees():
    gdf = gpd.GeoDataFrame(geometry=[square(0, 0)], crs=4549)
    with pytest.raises(lu.InputError, match="projected CRS"):
        lu.add_areas(gdf, crs=4490)


def test_does_not_mutate(ledger):
    before = ledger.copy()
    lu.add_areas(ledger)
    pd.testing.assert_frame_equal(ledger, before)


def test_explicit_crs_is_used():
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(120.2, 35.95).buffer(0.01)], crs=4490)
    gk, albers = lu.add_areas(gdf), lu.add_areas(gdf, crs="ESRI:102025")  # Asia North Albers
    assert gk["area_m2"].iloc[0] == pytest.approx(albers["area_m2"].iloc[0], rel=1e-3)
    assert not np.isclose(gk["area_m2"].iloc[0], albers["area_m2"].iloc[0], rtol=1e-9)


def test_bundled_areas_are_plausible(ledger):
    areas = lu.add_areas(ledger)
    assert areas["area_mu"].between(0.3, 500).all()


# --- boundaries the mutation run found unguarded ---------------------------------------------


@pytest.mark.parametrize(
    ("lon", "plain", "prefixed"),
    [(75.0, 4534, 4513), (76.4, 4534, 4513), (135.0, 4554, 4533), (133.6, 4554, 4533)],
)
def test_edge_gauss_kruger_zones(lon, plain, prefixed):
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(lon, 40.0).buffer(0.01)], crs=4490)
    assert lu.area_crs(gdf).to_epsg() == plain
    projected = gdf.to_crs(prefixed)
    assert lu.area_crs(projected).to_epsg() == plain


def test_coordinates_that_project_to_infinity_are_refused():
    # latitudes past the pole (swapped or mistyped columns) project to inf, not to an area
    gdf = gpd.GeoDataFrame(
        {"parcel_id": ["far"]}, geometry=[shapely.box(120, 91, 120.01, 91.01)], crs=4490
    )
    with pytest.raises(lu.InputError, match="outside the area of use"):
        lu.add_areas(gdf, crs=4549)
