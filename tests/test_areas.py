from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

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
    with pytest.raises(lu.InputError, match="outside longitude ±180° / latitude ±90°"):
        lu.add_areas(gdf, crs=4549)


# --- each parcel in its own Gauss-Krüger zone (DOMAIN.md, "Areas across zones") ------------


def gk_square(central_meridian: float, lat: float, size: float = 300.0, x_offset: float = 0.0):
    """A size × size square built in the GK zone of the meridian, as CGCS2000 lon/lat."""
    crs = lu.areas.gk_zone_crs(central_meridian)
    x, y = shapely.get_coordinates(
        gpd.GeoSeries([shapely.Point(central_meridian, lat)], crs=4490).to_crs(crs).iloc[0]
    )[0]
    square_ = shapely.box(x + x_offset, y, x + x_offset + size, y + size)
    return gpd.GeoSeries([square_], crs=crs).to_crs(4490).iloc[0]


def test_qingdao_data_in_another_zone_is_measured_in_its_own_zone():
    # data that arrive in EPSG:4550 (CM 123°E) although they lie at 120.2°E (zone 40)
    metres = gpd.GeoDataFrame(
        {"parcel_id": ["a"]}, geometry=[gk_square(120, 36.0, x_offset=20_000)], crs=4490
    ).to_crs(4549)
    exact = metres.area.iloc[0]
    in_4550 = metres.to_crs(4550)
    assert in_4550.area.iloc[0] / exact - 1 > 0.001  # measured there: ~0.16 % off
    assert lu.add_areas(in_4550)["area_m2"].iloc[0] == pytest.approx(exact, rel=1e-9)
    assert lu.area_crs(in_4550).to_epsg() == 4549


def test_one_far_away_parcel_moves_nothing():
    near = [gk_square(120, 36.0, x_offset=20_000 + 400 * i) for i in range(5)]
    alone = lu.add_areas(gpd.GeoDataFrame({"parcel_id": list("abcde")}, geometry=near, crs=4490))
    far = gpd.GeoDataFrame(
        {"parcel_id": [*"abcde", "far"]}, geometry=[*near, gk_square(126, 45.8)], crs=4490
    )
    measured = lu.add_areas(far)
    np.testing.assert_allclose(measured["area_m2"].iloc[:5], alone["area_m2"], rtol=1e-12)
    assert measured["area_m2"].iloc[5] == pytest.approx(90_000.0, rel=1e-9)
    assert lu.area_crs(far).to_epsg() == 4549  # the median parcel, not the extent's centre


@pytest.mark.parametrize("source", [4490, 4549, 3857])
def test_a_province_across_three_zones(source):
    meridians = (117, 120, 123)
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["w", "c", "e"]},
        geometry=[gk_square(m, 36.0, x_offset=30_000) for m in meridians],
        crs=4490,
    ).to_crs(source)
    measured = lu.add_areas(parcels)
    np.testing.assert_allclose(measured["area_m2"], 90_000.0, rtol=1e-8)
    one_zone = lu.add_areas(parcels, crs=4549)["area_m2"]  # crs= still forces one CRS
    assert one_zone.iloc[1] == pytest.approx(90_000.0, rel=1e-8)
    assert abs(one_zone.iloc[0] / 90_000 - 1) > 5e-4 and abs(one_zone.iloc[2] / 90_000 - 1) > 5e-4
    codes = lu.areas.zone_crs_codes(np.asarray(parcels.geometry.array), parcels.crs)
    assert codes.tolist() == [39, 40, 41]


@pytest.mark.parametrize(("west", "zone"), [(118.499, 40), (118.4705, 39)])
def test_a_parcel_across_a_zone_border_goes_by_its_representative_point(west, zone):
    # a 0.03° wide strip across 118.5°E: the representative point decides
    strip = shapely.box(west, 36.0, west + 0.03, 36.002)
    codes = lu.areas.zone_crs_codes(np.array([strip]), 4490)
    middle = west + 0.015
    assert codes.tolist() == [zone] and (middle >= 118.5) == (zone == 40)
    parcels = gpd.GeoDataFrame({"parcel_id": ["s"]}, geometry=[strip], crs=4490)
    expected = parcels.to_crs(lu.areas.gk_zone_crs(3 * zone)).area.iloc[0]
    assert lu.add_areas(parcels)["area_m2"].iloc[0] == pytest.approx(expected, rel=1e-12)


def test_pieces_are_measured_in_their_parcels_zone():
    meridians = (117, 120, 123)
    squares = [gk_square(m, 36.0, size=1000.0, x_offset=30_000) for m in meridians]
    parcels = gpd.GeoDataFrame({"parcel_id": ["w", "c", "e"]}, geometry=squares, crs=4490)
    # zones cutting every square in half (north / south)
    halves = []
    for name, south in (("S", True), ("N", False)):
        box = shapely.box(110, 30 if south else 36.0045, 130, 36.0045 if south else 40)
        halves.append({"name": name, "geometry": box})
    zones = gpd.GeoDataFrame(halves, crs=4490)
    pieces = lu.assign_zones(parcels, zones)
    whole = lu.add_areas(parcels).set_index("parcel_id")["area_m2"]
    summed = pieces.groupby("parcel_id")["area_m2"].sum()
    np.testing.assert_allclose(summed[whole.index], whole, rtol=1e-12)
    np.testing.assert_allclose(whole, 1e6, rtol=1e-8)
    for _, piece in pieces.iterrows():
        own = lu.areas.gk_zone_crs(3 * {"w": 39, "c": 40, "e": 41}[piece["parcel_id"]])
        direct = gpd.GeoSeries([piece.geometry], crs=4490).to_crs(own).area.iloc[0]
        assert piece["area_m2"] == pytest.approx(direct, rel=1e-6)


def test_parcels_outside_china_get_their_utm_zone():
    paris = gpd.GeoSeries([shapely.box(2.35, 48.86, 2.352, 48.862)], crs=4490)
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["qd", "paris"]},
        geometry=[gk_square(120, 36.0, x_offset=20_000), paris.iloc[0]],
        crs=4490,
    )
    measured = lu.add_areas(parcels)["area_m2"]
    assert measured.iloc[0] == pytest.approx(90_000.0, rel=1e-8)
    assert measured.iloc[1] == pytest.approx(paris.to_crs(32631).area.iloc[0], rel=1e-12)


# --- the safety net for the redesign (issue 12) -------------------------------------------


def lonlat_square(lon: float, lat: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"parcel_id": ["a"]}, geometry=[shapely.box(lon, lat, lon + 0.01, lat + 0.01)], crs=4490
    )


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (113.3, 23.1, 4547),  # Guangzhou: south China is China too (CM 114°E)
        (110.3, 20.0, 4546),  # Haikou (CM 111°E)
        (87.6, 43.8, 4538),  # Ürümqi (CM 87°E)
        (139.7, 35.7, 32654),  # Tokyo: east of China's zones, UTM 54N
        (120.0, 60.0, 32651),  # north of China's extent at 120°E: UTM 51N
        (151.2, -33.9, 32756),  # Sydney: a southern UTM zone
    ],
)
def test_gauss_kruger_in_china_and_utm_outside(lon, lat, epsg):
    parcel = lonlat_square(lon, lat)
    assert lu.area_crs(parcel).to_epsg() == epsg
    measured = lu.add_areas(parcel)["area_m2"].iloc[0]
    assert measured == pytest.approx(parcel.to_crs(epsg).area.iloc[0], rel=1e-12)


@pytest.mark.parametrize("central_meridian", [72, 138])
def test_no_gauss_kruger_code_is_invented_outside_chinas_zones(central_meridian):
    # EPSG:4533/4555 next to the range are other CRSs: refuse rather than guess a code
    with pytest.raises(lu.InputError, match="outside China's GK zones"):
        lu.areas.gk_zone_crs(central_meridian)
    assert lu.areas.gk_zone_crs(75).to_epsg() == 4534
    assert lu.areas.gk_zone_crs(135).to_epsg() == 4554


def test_coordinates_with_no_place_in_the_target_crs_are_refused():
    # 30°E lies 90° from the central meridian of EPSG:4549: it projects to infinity
    with pytest.raises(lu.InputError, match="area of use"):
        lu.add_areas(lonlat_square(30.0, 0.0), crs=4549)


def test_measured_in_the_crs_forced_for_all():
    parcel = lonlat_square(120.2, 36.0)
    forced = lu.add_areas(parcel, crs=4550)["area_m2"].iloc[0]
    assert forced == pytest.approx(parcel.to_crs(4550).area.iloc[0], rel=1e-12)
    assert forced != pytest.approx(lu.add_areas(parcel)["area_m2"].iloc[0], rel=1e-4)
    with pytest.raises(lu.InputError, match="projected"):
        lu.add_areas(parcel, crs=4490)


def test_an_empty_inventory_has_empty_area_columns():
    out = lu.add_areas(lonlat_square(120.2, 36.0).iloc[:0])
    assert len(out) == 0
    assert {"area_m2", "area_mu", "area_ha"} <= set(out.columns)
    with pytest.raises(lu.InputError, match="empty"):
        lu.area_crs(lonlat_square(120.2, 36.0).iloc[:0])


def test_data_on_both_sides_of_a_zone_border_each_measured_in_their_zone():
    # two parcels, 118.45°E (zone 39) and 118.55°E (zone 40): not the one-zone fast path
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["w", "e"]},
        geometry=[
            shapely.box(118.45, 36.0, 118.46, 36.01),
            shapely.box(118.55, 36.0, 118.56, 36.01),
        ],
        crs=4490,
    )
    measured = lu.add_areas(parcels)["area_m2"]
    assert measured.iloc[0] == pytest.approx(parcels.iloc[[0]].to_crs(4548).area.iloc[0], rel=1e-12)
    assert measured.iloc[1] == pytest.approx(parcels.iloc[[1]].to_crs(4549).area.iloc[0], rel=1e-12)
    assert lu.areas.zone_crs_codes(np.asarray(parcels.geometry.array), 4490).tolist() == [39, 40]


def test_a_parcel_outside_china_is_not_measured_with_its_neighbours_in_china():
    # same 3-degree band as Qingdao, but far north of China: its own UTM zone
    parcels = pd.concat([lonlat_square(120.2, 36.0), lonlat_square(120.2, 60.0)])
    parcels["parcel_id"] = ["qd", "north"]
    measured = lu.add_areas(parcels)["area_m2"]
    assert measured.iloc[0] == pytest.approx(parcels.iloc[[0]].to_crs(4549).area.iloc[0], rel=1e-12)
    north = parcels.iloc[[1]].to_crs(32651).area.iloc[0]
    assert measured.iloc[1] == pytest.approx(north, rel=1e-12)


@pytest.mark.parametrize(
    ("bounds", "epsg"),
    [((179.99, -16.5, 180.01, -16.49), 32760), ((-180.01, -16.5, -179.99, -16.49), 32701)],
)
def test_data_on_the_antimeridian_are_on_earth(bounds, epsg):
    # Fiji: a centre exactly on ±180° is a longitude like any other
    assert lu.area_crs(gpd.GeoSeries([shapely.box(*bounds)], crs=4326)).to_epsg() == epsg


@pytest.mark.parametrize("lat", [90.5, -90.5])
def test_data_beyond_a_pole_are_not_on_earth(lat):
    data = gpd.GeoSeries([shapely.box(120, lat - 0.1, 120.01, lat + 0.1)], crs=4326)
    with pytest.raises(lu.GeometryError, match="not on Earth"):
        lu.area_crs(data)


@pytest.mark.parametrize(("lon", "epsg"), [(5.95, 32631), (6.05, 32632)])
def test_outside_china_each_parcel_gets_the_utm_zone_of_its_longitude(lon, epsg):
    # 6°E is the border of UTM zones 31 and 32 (Germany)
    parcel = gpd.GeoDataFrame(
        {"parcel_id": ["a"]}, geometry=[shapely.box(lon - 0.005, 50, lon + 0.005, 50.01)], crs=4326
    )
    assert lu.areas.zone_crs_codes(np.asarray(parcel.geometry.array), 4326).tolist() == [epsg]
    measured = lu.add_areas(parcel)["area_m2"].iloc[0]
    assert measured == pytest.approx(parcel.to_crs(epsg).area.iloc[0], rel=1e-12)


def test_parcels_delivered_in_gk_metres_north_of_china_get_utm():
    # the zone test reads the latitude of each parcel's corners, in degrees
    lonlat = gpd.GeoDataFrame(
        {"parcel_id": ["qd", "north"]},
        geometry=[shapely.box(120.2, 36, 120.21, 36.01), shapely.box(120.2, 55, 120.21, 55.01)],
        crs=4490,
    )
    metres = lonlat.to_crs(4549)
    codes = lu.areas.zone_crs_codes(np.asarray(metres.geometry.array), 4549)
    assert codes.tolist() == [40, 32651]
    measured = lu.add_areas(metres)["area_m2"]
    assert measured.iloc[1] == pytest.approx(lonlat.iloc[[1]].to_crs(32651).area.iloc[0], rel=1e-9)


def test_only_the_parcels_that_cross_a_zone_border_are_settled_by_their_point():
    # one parcel well inside zone 39, one across 118.5°E whose representative point is in 40
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["inside", "across"]},
        geometry=[
            shapely.box(117.0, 36.0, 117.01, 36.01),
            shapely.box(118.499, 36.0, 118.529, 36.002),
        ],
        crs=4490,
    )
    codes = lu.areas.zone_crs_codes(np.asarray(parcels.geometry.array), 4490)
    assert codes.tolist() == [39, 40]
    measured = lu.add_areas(parcels)["area_m2"]
    assert measured.iloc[1] == pytest.approx(parcels.iloc[[1]].to_crs(4549).area.iloc[0], rel=1e-12)


def test_area_crs_needs_a_crs_and_coordinates_on_earth():
    with pytest.raises(lu.MissingCRSError, match="no CRS"):
        lu.area_crs(gpd.GeoSeries([shapely.box(120, 36, 120.01, 36.01)]))
    for lon in (180.5, -180.51):  # past the antimeridian: a wrong CRS, not a place
        data = gpd.GeoSeries([shapely.box(lon, 10, lon + 0.01, 10.01)], crs=4326)
        with pytest.raises(lu.GeometryError, match="not on Earth"):
            lu.area_crs(data)


def test_area_crs_looks_past_an_empty_geometry():
    data = gpd.GeoSeries([shapely.box(120.2, 36, 120.21, 36.01), shapely.Polygon()], crs=4490)
    assert lu.area_crs(data).to_epsg() == 4549
    with pytest.raises(lu.InputError, match="no finite coordinates"):
        lu.area_crs(gpd.GeoSeries([shapely.Polygon()], crs=4490))


@pytest.mark.parametrize(
    ("bounds", "epsg"),
    [
        ((179.98, -16.5, 179.99, -16.49), 32760),  # Fiji, west of the antimeridian: zone 60
        ((32.58, 0.35, 32.59, 0.36), 32636),  # Kampala, just north of the equator
        ((32.58, -0.36, 32.59, -0.35), 32736),  # just south of it
    ],
)
def test_each_parcel_outside_china_is_measured_in_its_utm_zone(bounds, epsg):
    parcel = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[shapely.box(*bounds)], crs=4326)
    assert lu.areas.zone_crs_codes(np.asarray(parcel.geometry.array), 4326).tolist() == [epsg]
    measured = lu.add_areas(parcel)["area_m2"].iloc[0]
    assert measured == pytest.approx(parcel.to_crs(epsg).area.iloc[0], rel=1e-12)


def test_a_bad_geometry_is_named_by_its_parcel_id():
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["DK-7", "DK-8"]},
        geometry=[shapely.box(120, 36, 120.01, 36.01), shapely.Point(120, 36)],
        crs=4490,
        index=[10, 11],
    )
    with pytest.raises(lu.GeometryError, match=r"found Point: DK-8$"):
        lu.add_areas(parcels)


def test_projection_rebuilds_every_kind_of_polygon_with_the_same_coordinates():
    from landuse.areas import _with_coordinates as with_coordinates
    from landuse.areas import project

    holed = shapely.Polygon(
        [(120.0, 30.0), (120.01, 30.0), (120.01, 30.01), (120.0, 30.01)],
        [[(120.004, 30.004), (120.006, 30.004), (120.006, 30.006)]],
    )
    multi = shapely.MultiPolygon([shapely.box(120.02, 30.0, 120.03, 30.01), holed])
    plain = shapely.box(120.05, 30.05, 120.06, 30.06)
    with_z = shapely.Polygon([(120.1, 30.1, 5), (120.2, 30.1, 5), (120.2, 30.2, 5)])
    geoms = np.array([plain, holed, multi, shapely.Polygon(), with_z, plain], dtype=object)
    before = shapely.to_wkb(geoms)
    projected = project(geoms, 4490, 4549)
    x, y = shapely.get_coordinates(geoms).T
    xy = np.column_stack(Transformer.from_crs(4490, 4549, always_xy=True).transform(x, y))
    expected = shapely.set_coordinates(np.array(geoms, copy=True), xy)
    assert list(shapely.get_type_id(projected)) == list(shapely.get_type_id(geoms))
    assert shapely.equals_exact(projected, expected, tolerance=0).all()
    assert (shapely.area(projected) == shapely.area(expected)).all()
    assert list(shapely.to_wkb(geoms)) == list(before)  # the input is never changed
    # plain polygons only (the fast path): the same as cloning and setting coordinates
    plains = np.array([plain, shapely.box(120.0, 30.0, 120.001, 30.002)], dtype=object)
    moved = with_coordinates(plains, shapely.get_coordinates(plains) * 2)
    doubled = shapely.get_coordinates(plains) * 2
    assert shapely.equals_exact(
        moved, shapely.set_coordinates(np.array(plains, copy=True), doubled), tolerance=0
    ).all()


def test_rebuilding_coordinates_behaves_as_set_coordinates_on_odd_input():
    from landuse.areas import _with_coordinates

    squares = np.array([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 7, 7)], dtype=object)
    xyz = shapely.get_coordinates(squares, include_z=True)
    sliced = xyz[:, :2]  # not C-contiguous
    assert shapely.equals_exact(_with_coordinates(squares, sliced), squares, tolerance=0).all()
    fortran = np.asfortranarray(shapely.get_coordinates(squares) + 1)
    assert shapely.equals_exact(
        _with_coordinates(squares, fortran),
        shapely.set_coordinates(np.array(squares, copy=True), fortran + 0),
        tolerance=0,
    ).all()
    opened = shapely.get_coordinates(squares)
    opened[4] = (9, 9)  # the first ring no longer closes
    with pytest.raises(shapely.errors.GEOSException):
        _with_coordinates(squares, opened)
    with pytest.raises(shapely.errors.GEOSException):
        shapely.set_coordinates(np.array(squares, copy=True), opened)
