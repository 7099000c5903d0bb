from __future__ import annotations

import itertools
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import landuse as lu
from landuse.areas import projection_of
from tests.conftest import GK40, ORIGIN, make_parcels, square


def two_zones(crs=GK40) -> gpd.GeoDataFrame:
    """West (x < 1000 m) and East (1000–2000 m), 1000 m tall."""
    x0, y0 = ORIGIN
    return gpd.GeoDataFrame(
        {"name": ["West", "East"], "district": ["D1", "D2"]},
        geometry=[
            shapely.box(x0, y0 - 500, x0 + 1000, y0 + 500),
            shapely.box(x0 + 1000, y0 - 500, x0 + 2000, y0 + 500),
        ],
        crs=GK40,
    ).to_crs(crs)


def test_split_straddler_into_pieces():
    parcels = make_parcels(
        [
            {"geometry": square(100, 0)},  # wholly West
            {"geometry": square(970, 0)},  # 30 m West, 70 m East
            {"geometry": square(5000, 0)},  # outside every zone
            {"geometry": square(1950, 0)},  # 50 m East, 50 m outside
        ]
    )
    out = lu.assign_zones(parcels, two_zones(), columns=["district"])
    assert out["parcel_id"].tolist() == ["P1", "P2", "P2", "P3", "P4", "P4"]
    assert out["zone"].fillna("-").tolist() == ["West", "West", "East", "-", "East", "-"]
    assert out["district"].fillna("-").tolist() == ["D1", "D1", "D2", "-", "D2", "-"]
    np.testing.assert_allclose(out["area_m2"], [10_000, 3_000, 7_000, 10_000, 5_000, 5_000])
    np.testing.assert_allclose(out["zone_share"], [1, 0.3, 0.7, 1, 0.5, 0.5])
    assert list(out.index) == [0, 1, 1, 2, 3, 3]  # aligned to the input rows
    assert out.crs == parcels.crs


def test_largest_and_centroid():
    parcels = make_parcels([{"geometry": square(970, 0)}, {"geometry": square(5000, 0)}])
    largest = lu.assign_zones(parcels, two_zones(), how="largest")
    assert largest["zone"].fillna("-").tolist() == ["East", "-"]
    np.testing.assert_allclose(largest["area_m2"], [10_000, 10_000])
    centroid = lu.assign_zones(parcels, two_zones(), how="centroid")
    assert centroid["zone"].fillna("-").tolist() == ["East", "-"]
    assert len(largest) == len(centroid) == 2


def test_zones_in_another_crs_are_reprojected():
    parcels = make_parcels([{"geometry": square(970, 0)}])
    out = lu.assign_zones(parcels, two_zones(crs=4490))
    np.testing.assert_allclose(sorted(out["area_m2"]), [3_000, 7_000], rtol=1e-6)


def test_shared_edges_make_no_slivers():
    # a parcel exactly on the zone boundary, and zones coming through a CRS round trip
    parcels = make_parcels([{"geometry": square(900, 0)}]).to_crs(4490)
    out = lu.assign_zones(parcels, two_zones(crs=4490))
    assert out["zone"].tolist() == ["West"]


def test_overlapping_zones_are_refused():
    x0, y0 = ORIGIN
    zones = gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        geometry=[
            shapely.box(x0, y0, x0 + 1000, y0 + 1000),
            shapely.box(x0 + 900, y0, x0 + 2000, y0 + 1000),
        ],
        crs=GK40,
    )
    with pytest.raises(lu.ZoneError, match=r"zones overlap.*A & B"):
        lu.assign_zones(make_parcels([{}]), zones)


def test_slight_zone_overlap_goes_to_the_first_zone():
    x0, y0 = ORIGIN
    zones = gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        geometry=[
            shapely.box(x0, y0, x0 + 1000, y0 + 1000),
            shapely.box(x0 + 999.9995, y0, x0 + 2000, y0 + 1000),
        ],
        crs=GK40,
    )
    parcels = make_parcels([{"geometry": square(950, 100)}])
    with pytest.warns(UserWarning, match="slight zone overlap"):
        out = lu.assign_zones(parcels, zones)
    assert out["area_m2"].sum() == pytest.approx(10_000, rel=1e-12)


def test_bad_arguments():
    parcels = make_parcels([{}])
    with pytest.raises(ValueError, match="how must be"):
        lu.assign_zones(parcels, two_zones(), how="nearest")
    with pytest.raises(lu.InputError, match="nope"):
        lu.assign_zones(parcels, two_zones(), columns=["nope"])
    with pytest.raises(lu.MissingColumnError, match="name"):
        lu.assign_zones(parcels, two_zones().rename(columns={"name": "mc"}))


def test_bundled_split_conserves_area_and_keeps_every_parcel(ledger, zones):
    pieces = lu.assign_zones(ledger, zones)
    whole = lu.add_areas(ledger)
    assert set(pieces["parcel_id"]) == set(ledger["parcel_id"])
    per_parcel = pieces.groupby("parcel_id")["area_m2"].sum()
    np.testing.assert_allclose(
        per_parcel.loc[whole["parcel_id"]].to_numpy(), whole["area_m2"].to_numpy(), rtol=1e-9
    )
    crossing = pieces["parcel_id"].duplicated(keep=False)
    assert 10 <= pieces.loc[crossing, "parcel_id"].nunique() < len(ledger) * 0.1
    assert pieces["zone"].notna().all()
    assert not ledger.columns.isin(["zone"]).any()  # the caller's frame is untouched


# --- properties --------------------------------------------------------------------------------

boxes = st.lists(
    st.tuples(st.floats(-300, 2300), st.floats(-700, 600), st.floats(5, 400), st.floats(5, 400)),
    min_size=1,
    max_size=25,
)


def parcels_of(spec) -> gpd.GeoDataFrame:
    return make_parcels(
        [
            {
                "geometry": shapely.box(
                    ORIGIN[0] + x, ORIGIN[1] + y, ORIGIN[0] + x + w, ORIGIN[1] + y + h
                )
            }
            for x, y, w, h in spec
        ]
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boxes, st.sampled_from(["split", "largest", "centroid"]))
def test_property_area_is_conserved_and_nothing_dropped(spec, how):
    parcels = parcels_of(spec)
    out = lu.assign_zones(parcels, two_zones(), how=how)
    assert set(out["parcel_id"]) == set(parcels["parcel_id"])
    total = shapely.area(parcels.geometry.array).sum()
    assert out["area_m2"].sum() == pytest.approx(total, rel=1e-9)
    if how != "split":
        assert len(out) == len(parcels)


@settings(max_examples=30, deadline=None)
@given(boxes, st.randoms(use_true_random=False))
def test_property_independent_of_row_order(spec, random):
    parcels = parcels_of(spec)
    order = list(range(len(parcels)))
    random.shuffle(order)
    a = lu.assign_zones(parcels, two_zones())
    b = lu.assign_zones(parcels.iloc[order], two_zones())
    key = ["parcel_id", "zone"]
    a = (
        pd.DataFrame(a[[*key, "area_m2"]])
        .fillna({"zone": "-"})
        .sort_values(key)
        .reset_index(drop=True)
    )
    b = (
        pd.DataFrame(b[[*key, "area_m2"]])
        .fillna({"zone": "-"})
        .sort_values(key)
        .reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)


def test_progress_only_when_asked(capsys, ledger, zones):
    lu.assign_zones(ledger, zones)
    assert capsys.readouterr().err == ""
    lu.assign_zones(ledger, zones, verbose=True)
    assert "assign_zones" in capsys.readouterr().err


# --- boundaries the mutation run found unguarded ---------------------------------------------


def test_slivers_along_a_border_join_the_largest_piece():
    x0, y0 = ORIGIN
    # the parcel pokes 5 mm into East: a 0.5 m² sliver, below min_piece_m2 = 1 m²
    parcel = shapely.box(x0 + 900, y0, x0 + 1000.005, y0 + 100)
    out = lu.assign_zones(make_parcels([{"geometry": parcel}]), two_zones(), min_piece_m2=1.0)
    assert out["zone"].tolist() == ["West"]
    assert out["area_m2"].iloc[0] == pytest.approx(shapely.area(parcel), rel=1e-12)
    split = lu.assign_zones(make_parcels([{"geometry": parcel}]), two_zones(), min_piece_m2=0.1)
    assert sorted(split["zone"]) == ["East", "West"]


def test_a_slight_zone_overlap_is_trimmed_so_nothing_counts_twice():
    x0, y0 = ORIGIN
    zones = gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        geometry=[
            shapely.box(x0, y0, x0 + 1000, y0 + 1000),
            shapely.box(x0 + 999.5, y0, x0 + 2000, y0 + 1000),  # 500 m² overlap
        ],
        crs=GK40,
    )
    parcel = shapely.box(x0 + 950, y0 + 100, x0 + 1050, y0 + 200)  # 5 000 m² in A, 5 000 in B
    with pytest.warns(UserWarning, match="slight zone overlap"):
        out = lu.assign_zones(
            make_parcels([{"geometry": parcel}]), zones, overlap_tolerance_m2=1_000
        )
    areas = out.set_index("zone")["area_m2"]
    assert areas["A"] == pytest.approx(5_000, rel=1e-9)
    assert areas["B"] == pytest.approx(5_000, rel=1e-9)
    assert areas.sum() == pytest.approx(10_000, rel=1e-12)


# --- the safety net for the redesign (issue 12) -------------------------------------------


def test_a_parcel_smaller_than_the_sliver_size_is_never_dropped():
    x0, y0 = ORIGIN
    # 1 m × 0.5 m straddling the West/East border: 0.15 m² West, 0.35 m² East
    tiny = shapely.box(x0 + 999.7, y0, x0 + 1000.7, y0 + 0.5)
    out = lu.assign_zones(make_parcels([{"geometry": tiny}]), two_zones(), min_piece_m2=1.0)
    assert out["zone"].tolist() == ["East"]  # the zone holding most of it
    assert out["area_m2"].iloc[0] == pytest.approx(0.5, rel=1e-9)
    assert out["zone_share"].iloc[0] == pytest.approx(1.0)


def test_a_sliver_poking_out_of_every_zone_stays_with_its_parcel():
    x0, y0 = ORIGIN
    # the parcel pokes 5 mm above the zones' northern edge: 0.5 m² outside every zone
    parcel = shapely.box(x0 + 900, y0 + 400, x0 + 1000, y0 + 500.005)
    out = lu.assign_zones(make_parcels([{"geometry": parcel}]), two_zones(), min_piece_m2=1.0)
    assert out["zone"].tolist() == ["West"]
    assert out.geometry.iloc[0].area == pytest.approx(parcel.area, rel=1e-12)  # whole parcel
    assert out["area_m2"].iloc[0] == pytest.approx(parcel.area, rel=1e-12)
    split = lu.assign_zones(make_parcels([{"geometry": parcel}]), two_zones(), min_piece_m2=0.1)
    assert split["zone"].fillna("-").tolist() == ["West", "-"]
    assert split["area_m2"].iloc[1] == pytest.approx(0.5, rel=1e-6)


def overlapping_zones(overlap_m: float) -> gpd.GeoDataFrame:
    x0, y0 = ORIGIN
    return gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        geometry=[
            shapely.box(x0, y0, x0 + 1000, y0 + 1000),
            shapely.box(x0 + 1000 - overlap_m, y0, x0 + 2000, y0 + 1000),
        ],
        crs=GK40,
    )


def test_an_overlap_of_exactly_the_tolerance_is_trimmed_not_refused():
    parcels = make_parcels([{"geometry": square(950, 100)}])
    zones = overlapping_zones(0.5)  # 0.5 m × 1000 m = 500 m² exactly
    with pytest.warns(UserWarning, match="slight zone overlap"):
        out = lu.assign_zones(parcels, zones, overlap_tolerance_m2=500)
    assert out["area_m2"].sum() == pytest.approx(10_000, rel=1e-12)
    with pytest.raises(lu.ZoneError, match=r"A & B \(500 m²\)"):
        lu.assign_zones(parcels, zones, overlap_tolerance_m2=499)


def test_zones_that_only_share_an_edge_are_not_an_overlap():
    parcels = make_parcels([{"geometry": square(950, 100)}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "slight zone overlap" warning for a shared edge
        out = lu.assign_zones(parcels, two_zones(), overlap_tolerance_m2=0)
    assert sorted(out["zone"]) == ["East", "West"]


def test_pieces_are_polygons_where_a_zone_touches_the_parcel_along_a_line():
    x0, y0 = ORIGIN
    # zone Z is two blocks; the parcel covers half of the first and touches the second along
    # its western edge: the raw intersection is a polygon plus a line
    zone = shapely.union(
        shapely.box(x0, y0, x0 + 100, y0 + 100), shapely.box(x0 + 150, y0, x0 + 250, y0 + 100)
    )
    zones = gpd.GeoDataFrame({"name": ["Z"]}, geometry=[zone], crs=GK40)
    parcel = shapely.box(x0 + 50, y0, x0 + 150, y0 + 100)
    out = lu.assign_zones(make_parcels([{"geometry": parcel}]), zones)
    assert out["zone"].fillna("-").tolist() == ["Z", "-"]
    assert set(out.geom_type) <= {"Polygon", "MultiPolygon"}
    np.testing.assert_allclose(out["area_m2"], [5_000, 5_000])


def test_largest_and_centroid_give_the_first_zone_when_it_holds_most():
    parcels = make_parcels([{"geometry": square(930, 0)}])  # 70 m West, 30 m East
    for how in ("largest", "centroid"):
        out = lu.assign_zones(parcels, two_zones(), how=how, columns=["district"])
        assert out["zone"].tolist() == ["West"], how
        assert out["district"].tolist() == ["D1"], how
        assert out["area_m2"].iloc[0] == pytest.approx(10_000), how
        assert out.geometry.iloc[0].equals(parcels.geometry.iloc[0]), how


def test_an_empty_inventory_gives_an_empty_result_with_the_zone_columns():
    parcels = make_parcels([{}]).iloc[:0]
    out = lu.assign_zones(parcels, two_zones(), columns=["district"])
    assert len(out) == 0
    for column in ("zone", "district", "zone_share", "area_m2", "area_mu", "area_ha"):
        assert column in out.columns


def test_one_crs_for_everything_must_be_projected():
    parcels = make_parcels([{"geometry": square(970, 0)}])
    with pytest.raises(lu.InputError, match="projected"):
        lu.assign_zones(parcels, two_zones(), crs=4490)
    with pytest.raises(lu.InputError, match="projected"):
        lu.assign_zones(parcels, two_zones(), overlay_crs=4490)
    out = lu.assign_zones(parcels.to_crs(4490), two_zones(), crs=GK40)
    np.testing.assert_allclose(out["area_m2"], [3_000, 7_000], rtol=1e-9)
    overlaid = lu.assign_zones(parcels, two_zones(), overlay_crs=4550)
    assert overlaid["zone"].tolist() == ["West", "East"]
    np.testing.assert_allclose(overlaid["area_m2"].sum(), 10_000, rtol=1e-12)


def test_a_middle_zone_overlapping_both_neighbours_loses_only_the_overlaps():
    x0, y0 = ORIGIN
    # A | B | C, each 1000 m wide, each overlapping the next by 0.5 m (500 m²)
    zones = gpd.GeoDataFrame(
        {"name": ["A", "B", "C"]},
        geometry=[
            shapely.box(x0, y0, x0 + 1000, y0 + 1000),
            shapely.box(x0 + 999.5, y0, x0 + 2000, y0 + 1000),
            shapely.box(x0 + 1999.5, y0, x0 + 3000, y0 + 1000),
        ],
        crs=GK40,
    )
    parcels = make_parcels([{"geometry": square(1500, 100)}, {"geometry": square(1950, 100)}])
    with pytest.warns(UserWarning, match="2 slight zone overlap"):
        out = lu.assign_zones(parcels, zones, overlap_tolerance_m2=1_000)
    assert out.loc[out["parcel_id"] == "P1", "zone"].tolist() == ["B"]
    split = out[out["parcel_id"] == "P2"].set_index("zone")["area_m2"]
    assert split["B"] == pytest.approx(5_000, rel=1e-9)  # B keeps the overlap with C
    assert split["C"] == pytest.approx(5_000, rel=1e-9)


def test_the_piece_that_takes_a_sliver_takes_its_land_too():
    x0, y0 = ORIGIN
    # 5 mm into East (0.5 m², a sliver): the West piece is the whole parcel, not West ∩ parcel
    parcel = shapely.box(x0 + 900, y0, x0 + 1000.005, y0 + 100)
    out = lu.assign_zones(make_parcels([{"geometry": parcel}]), two_zones(), min_piece_m2=1.0)
    assert out["zone"].tolist() == ["West"]
    assert out.geometry.iloc[0].area == pytest.approx(parcel.area, rel=1e-12)
    assert out.geometry.iloc[0].symmetric_difference(parcel).area < 1e-6


def test_a_parcel_inside_one_zone_keeps_its_exact_geometry():
    # whole parcels are never cut or round-tripped through the overlay CRS
    parcels = make_parcels([{"geometry": square(100, 100)}]).to_crs(4490)
    out = lu.assign_zones(parcels, two_zones(crs=4490))
    assert out["zone"].tolist() == ["West"]
    assert shapely.equals_exact(out.geometry.iloc[0], parcels.geometry.iloc[0], tolerance=0)


def test_a_parcel_touching_a_zone_from_outside_stays_outside():
    x0, y0 = ORIGIN
    parcel = shapely.box(x0 - 100, y0, x0, y0 + 100)  # shares West's western edge
    out = lu.assign_zones(make_parcels([{"geometry": parcel}]), two_zones())
    assert len(out) == 1 and out["zone"].isna().all()
    assert out["area_m2"].iloc[0] == pytest.approx(10_000)


def test_overlaps_are_judged_pair_by_pair_among_touching_zones():
    x0, y0 = ORIGIN
    a = shapely.box(x0, y0, x0 + 1000, y0 + 1000)
    c = shapely.box(x0 + 2000, y0, x0 + 3000, y0 + 1000)  # touches B's eastern edge
    parcels = make_parcels([{"geometry": square(950, 100)}])
    slight = gpd.GeoDataFrame(
        {"name": ["A", "B", "C"]},
        geometry=[a, shapely.box(x0 + 999.5, y0, x0 + 2000, y0 + 1000), c],
        crs=GK40,
    )
    with pytest.warns(UserWarning, match="1 slight zone overlap"):
        out = lu.assign_zones(parcels, slight, overlap_tolerance_m2=1_000)
    areas = out.set_index("zone")["area_m2"]
    assert areas["A"] == pytest.approx(5_000, rel=1e-9) and areas.sum() == pytest.approx(10_000)
    large = slight.set_geometry([a, shapely.box(x0 + 900, y0, x0 + 2000, y0 + 1000), c], crs=GK40)
    with pytest.raises(lu.ZoneError, match="A & B"):
        lu.assign_zones(parcels, large, overlap_tolerance_m2=1_000)


def test_parcels_need_their_ids_to_be_split():
    parcels = make_parcels([{"geometry": square(970, 0)}]).drop(columns="parcel_id")
    with pytest.raises(lu.MissingColumnError, match="parcel_id"):
        lu.assign_zones(parcels, two_zones())


def test_split_pieces_carry_their_own_geometry():
    parcels = make_parcels([{"geometry": square(970, 0)}])  # 30 m West, 70 m East
    out = lu.assign_zones(parcels, two_zones())
    np.testing.assert_allclose(out.geometry.area, out["area_m2"], rtol=1e-12)
    assert out.geometry.iloc[0].union(out.geometry.iloc[1]).area == pytest.approx(10_000)


def test_by_default_zones_overlapping_more_than_a_square_metre_are_refused():
    zones = overlapping_zones(0.005)  # 0.005 m × 1000 m = 5 m²
    with pytest.raises(lu.ZoneError, match=r"more than 1\.0 m²"):
        lu.assign_zones(make_parcels([{"geometry": square(950, 100)}]), zones)


def _strips(edges: list[float], top: float = 100.0) -> gpd.GeoDataFrame:
    """Side-by-side zones Z0, Z1, … between the given x edges (metres from ORIGIN)."""
    x0, y0 = ORIGIN
    boxes = [shapely.box(x0 + a, y0, x0 + b, y0 + top) for a, b in itertools.pairwise(edges)]
    names = [f"Z{i}" for i in range(len(boxes))]
    return gpd.GeoDataFrame({"name": names}, geometry=boxes, crs=GK40)


def _piece_areas(pieces: gpd.GeoDataFrame) -> dict[object, float]:
    zones = [None if pd.isna(z) else z for z in pieces["zone"]]
    return {z: float(a) for z, a in zip(zones, shapely.area(pieces.geometry.array), strict=True)}


def test_the_largest_of_several_pieces_takes_a_sliver_and_only_it():
    zones = _strips([0, 100, 250, 300, 400])
    x0, y0 = ORIGIN  # the parcel crosses Z0, Z1, Z2 and pokes 5 mm (0.5 m²) into Z3
    parcel = shapely.box(x0 + 20, y0, x0 + 300.005, y0 + 100)
    pieces = lu.assign_zones(make_parcels([{"geometry": parcel}]), zones, min_piece_m2=1.0)
    areas = _piece_areas(pieces)
    assert set(areas) == {"Z0", "Z1", "Z2"}  # no 0.5 m² piece of Z3
    assert areas["Z1"] == pytest.approx(15_000.5, abs=1e-6)  # the largest took the sliver
    assert areas["Z0"] == pytest.approx(8_000, abs=1e-6)
    assert areas["Z2"] == pytest.approx(5_000, abs=1e-6)
    assert sum(areas.values()) == pytest.approx(parcel.area, rel=1e-12)
    assert pieces["area_m2"].sum() == pytest.approx(parcel.area, rel=1e-9)


def test_the_part_outside_every_zone_is_one_piece_with_its_own_land():
    zones = _strips([0, 100, 250, 300], top=80.0)
    x0, y0 = ORIGIN  # 20 m of the parcel's height lie north of every zone
    parcel = shapely.box(x0 + 20, y0, x0 + 300, y0 + 100)
    pieces = lu.assign_zones(make_parcels([{"geometry": parcel}]), zones)
    areas = _piece_areas(pieces)
    assert areas[None] == pytest.approx(280 * 20, abs=1e-6)
    assert areas["Z0"] == pytest.approx(80 * 80, abs=1e-6)
    assert sum(areas.values()) == pytest.approx(parcel.area, rel=1e-12)
    assert pieces.loc[pieces["zone"].isna(), "area_m2"].iloc[0] == pytest.approx(5_600, rel=1e-6)


def _brute_force_pairs(
    parcels: np.ndarray, zones: np.ndarray
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(zone, parcel) pairs by testing every pair: the zones covering each parcel, and those
    meeting a parcel no zone covers."""
    z_all, p_all = np.meshgrid(np.arange(len(zones)), np.arange(len(parcels)), indexing="ij")
    z_all, p_all = z_all.ravel(), p_all.ravel()
    covers = shapely.covers(zones[z_all], parcels[p_all])
    covered = np.isin(p_all, p_all[covers])
    meets = shapely.intersects(zones[z_all], parcels[p_all]) & ~covered
    return (
        set(zip(z_all[covers].tolist(), p_all[covers].tolist(), strict=True)),
        set(zip(z_all[meets].tolist(), p_all[meets].tolist(), strict=True)),
    )


def _as_projected(geoms: np.ndarray) -> object:
    """Geometries already in metres, as ``_zone_pairs`` takes them (no transformation)."""
    return projection_of(geoms, GK40, GK40)


def test_zone_pairs_equal_the_full_predicates_on_every_parcel():
    """The border shortcut (a point test for parcels far from every border) finds exactly
    the pairs that testing covers/intersects on every parcel finds."""
    from landuse.zones import _zone_pairs

    rng = np.random.default_rng(7)
    x, y = rng.uniform(0, 2_000, 20_000), rng.uniform(0, 2_000, 20_000)
    w, h = rng.uniform(5, 60, 20_000), rng.uniform(5, 60, 20_000)
    parcels = shapely.box(x, y, x + w, y + h)
    parcels[::97] = shapely.buffer(shapely.points(x[::97], y[::97]), 25)  # round ones too
    holed = shapely.Polygon(
        [(0, 0), (1_000, 0), (1_000, 1_000), (0, 1_000)],
        [[(300, 300), (700, 300), (700, 700), (300, 700)]],
    )
    diagonal = shapely.Polygon([(1_000, 0), (2_100, 0), (1_000, 1_900)])  # long slanted edge
    scattered = shapely.MultiPolygon(
        [shapely.box(1_200, 1_500, 1_600, 1_900), shapely.box(100, 1_200, 600, 1_800)]
    )
    zones = np.array([holed, diagonal, scattered], dtype=object)
    shapely.prepare(zones)

    (zone_pos, parcel_pos), (hit_zone, hit_pos) = _zone_pairs(_as_projected(parcels), zones)

    expected_covered, expected_hits = _brute_force_pairs(parcels, zones)

    assert set(zip(zone_pos.tolist(), parcel_pos.tolist(), strict=True)) == expected_covered
    assert set(zip(hit_zone.tolist(), hit_pos.tolist(), strict=True)) == expected_hits
    assert len(expected_covered) > 5_000 and len(expected_hits) > 500  # both kinds occur
    # sorted by zone, then parcel
    assert (np.lexsort((parcel_pos, zone_pos)) == np.arange(len(zone_pos))).all()


def test_tiny_parcels_against_long_borders_make_a_bounded_border_index(monkeypatch):
    """Boxes are never many more than the parcels, however small the parcels are."""
    from landuse import zones as zones_module

    made: list[int] = []
    real = zones_module._border_boxes

    def counting(zones, step):
        boxes = real(zones, step)
        made.append(len(boxes))
        return boxes

    monkeypatch.setattr(zones_module, "_FEW_PARCELS", 0)
    monkeypatch.setattr(zones_module, "_border_boxes", counting)
    zones = np.array(
        [shapely.box(x, y, x + 20_000, y + 20_000) for x in (0, 20_000) for y in (0, 20_000)],
        dtype=object,
    )
    shapely.prepare(zones)
    x = np.array([100.0, 19_999.99, 30_000.0])
    parcels = shapely.box(x, 500.0, x + 0.05, 500.05)  # 5 cm squares, one across a border
    (zone_pos, parcel_pos), (hit_zone, hit_pos) = zones_module._zone_pairs(
        _as_projected(parcels), zones
    )
    assert made and made[0] <= 2 * len(parcels) + 16 + 4  # ~2 per parcel, + one per segment
    assert list(zip(zone_pos, parcel_pos, strict=True)) == [(0, 0), (2, 2)]
    assert sorted(zip(hit_zone, hit_pos, strict=True)) == [(0, 1), (2, 1)]


def test_zone_pairs_where_the_parcels_cover_a_corner_of_large_zones():
    """The grid spans only the parcels' box (a dask partition of a large inventory): what
    lies beyond stands in the edge cells, and the pairs stay exact."""
    from landuse.zones import _zone_pairs

    rng = np.random.default_rng(11)
    x, y = rng.uniform(9_000, 11_500, 8_000), rng.uniform(-600, 1_500, 8_000)
    w, h = rng.uniform(5, 40, 8_000), rng.uniform(5, 40, 8_000)
    parcels = shapely.box(x, y, x + w, y + h)  # some south of every zone, in no zone
    zones = np.array(
        [
            shapely.box(0, 0, 10_000, 20_000),
            shapely.Polygon([(10_000, 0), (30_000, 0), (10_000, 20_000)]),
            shapely.box(0, 0, 40_000, 30_000).difference(
                shapely.Polygon(
                    [(0, 0), (30_000, 0), (10_000, 20_000), (10_000, 30_000), (0, 30_000)]
                )
            ),
        ],
        dtype=object,
    )
    shapely.prepare(zones)
    (zone_pos, parcel_pos), (hit_zone, hit_pos) = _zone_pairs(_as_projected(parcels), zones)
    expected_covered, expected_hits = _brute_force_pairs(parcels, zones)
    assert set(zip(zone_pos.tolist(), parcel_pos.tolist(), strict=True)) == expected_covered
    assert set(zip(hit_zone.tolist(), hit_pos.tolist(), strict=True)) == expected_hits
    covered = {p for _, p in expected_covered}
    crossing = {p for _, p in expected_hits}
    assert len(covered) > 3_000 and len(expected_hits) > 100
    assert len(set(range(len(parcels))) - covered - crossing) > 100  # outside every zone
