from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from landuse import coords


def published_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """The widely published scalar GCJ-02 formula, written out independently."""
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (
        (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    )
    rad = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad) ** 2
    dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = (dlon * 180.0) / (a / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


@pytest.mark.parametrize(
    "point", [(120.2, 35.95), (116.397, 39.909), (87.6, 43.8), (121.47, 31.23)]
)
def test_matches_the_published_formula(point):
    assert coords.wgs84_to_gcj02(*point) == pytest.approx(published_gcj02(*point), abs=1e-12)


def test_shift_in_qingdao_is_about_460_m_east():
    lon, lat = coords.wgs84_to_gcj02(120.2, 35.95)
    east = (float(lon) - 120.2) * 111_320 * math.cos(math.radians(35.95))
    north = (float(lat) - 35.95) * 110_950
    assert 440 < east < 480 and 5 < north < 30


def test_vectorised_and_outside_china_unchanged():
    lon = np.array([120.2, 2.35, -74.0])
    lat = np.array([35.95, 48.86, 40.7])
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    assert glon[0] != lon[0]
    np.testing.assert_array_equal(glon[1:], lon[1:])
    np.testing.assert_array_equal(glat[1:], lat[1:])
    back = coords.gcj02_to_wgs84(glon, glat)
    np.testing.assert_array_equal(back[0][1:], lon[1:])


def test_inverses_are_accurate_to_a_centimetre():
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(74, 134, 2000), rng.uniform(18, 53, 2000)
    back_lon, back_lat = coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(lon, lat))
    assert np.abs(back_lon - lon).max() < 1e-7 and np.abs(back_lat - lat).max() < 1e-7  # ~1 cm
    back_lon, back_lat = coords.bd09_to_gcj02(*coords.gcj02_to_bd09(lon, lat))
    assert np.abs(back_lon - lon).max() < 1e-7 and np.abs(back_lat - lat).max() < 1e-7


def test_bd09_offset_is_about_a_kilometre_scale():
    lon, lat = coords.gcj02_to_bd09(120.2, 35.95)
    assert 0.005 < float(lon) - 120.2 < 0.008 and 0.004 < float(lat) - 35.95 < 0.008


def test_to_gcj02_keeps_holes_and_rows():
    ring = shapely.Point(120.2, 35.95).buffer(0.01)
    donut = ring.difference(shapely.Point(120.2, 35.95).buffer(0.004))
    gdf = gpd.GeoDataFrame({"k": [1, 2]}, geometry=[donut, shapely.Point(120.3, 36.0)], crs=4490)
    out = coords.to_gcj02(gdf)
    assert len(out.geometry.iloc[0].interiors) == 1
    assert out.geometry.iloc[0].centroid.x == pytest.approx(120.2 + 0.00509, abs=2e-5)
    assert gdf.geometry.iloc[0].centroid.x == pytest.approx(120.2, abs=1e-9)  # input untouched
