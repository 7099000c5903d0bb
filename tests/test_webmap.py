"""The compact parcel payload and the level-of-detail canvas layer (landuse._webmap).

Structural tests decode the page's payload with the Python reference decoder; browser tests
draw large maps in Chromium (offline, every request blocked) and look at the pixels.
"""

from __future__ import annotations

import io
import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

import landuse as lu
from landuse._webmap import (
    LOD_THRESHOLD,
    _from_varints,
    _varints,
    decode_parcels,
    encode_parcels,
    geometry_arrays,
    unpack,
)

CATEGORY_RGB = {"approved_unsupplied": (0xE6, 0x9F, 0x00), "low_efficiency": (0x00, 0x72, 0xB2)}


def synthetic(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """n jittered square parcels (100 m, 20 m apart) near Qingdao in CGCS2000 / GK zone 40."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    ix, iy = np.divmod(np.arange(n), side)
    x0 = 480_000 + ix * 120.0
    y0 = 3_950_000 + iy * 120.0
    corners = np.stack(
        [np.c_[x0, y0], np.c_[x0 + 100, y0], np.c_[x0 + 100, y0 + 100], np.c_[x0, y0 + 100]], axis=1
    )
    corners += rng.uniform(-8, 8, corners.shape)
    frame = gpd.GeoDataFrame(
        {
            "parcel_id": [f"P{i:06d}" for i in range(n)],
            "name": [f"青岛企业{i % 97}号" for i in range(n)],
            "category": rng.choice(lu.CATEGORIES, n),
        },
        geometry=shapely.polygons(corners),
        crs=4549,
    )
    return frame


def payload(m) -> dict:
    (found,) = re.findall(r'landuse\.decode\("([A-Za-z0-9+/=]+)"\)', m.get_root().render())
    return decode_parcels(unpack(found))


def test_varints_round_trip():
    values = np.array([0, 1, -1, 63, -64, 64, 8191, -8192, 2**31, -(2**33), 123456789])
    assert _from_varints(_varints(values), len(values)).tolist() == values.tolist()
    assert len(_varints(np.array([5, -5, 60]))) == 3  # small deltas take one byte


def test_geometry_arrays_split_parts_and_rings_in_order():
    square = shapely.box(0, 0, 1, 1)
    donut = shapely.box(10, 10, 14, 14).difference(shapely.box(11, 11, 12, 12))
    multi = shapely.MultiPolygon([shapely.box(20, 0, 21, 1), donut])
    arrays = geometry_arrays(np.array([square, multi, donut, square]))
    assert arrays["f"].tolist() == [1, 2, 1, 1]
    assert arrays["g"].tolist() == [1, 1, 2, 2, 1]  # rings per part: holes kept
    assert arrays["r"].tolist() == [5, 5, 5, 5, 5, 5, 5]
    everything = shapely.get_coordinates(np.array([square, multi, donut, square]))
    np.testing.assert_array_equal(arrays["xy"], everything)


def test_payload_decodes_to_the_same_geometry_and_text():
    parcels = synthetic(300)
    geoms = np.asarray(parcels.geometry.array).copy()
    geoms[5] = shapely.MultiPolygon([geoms[5], geoms[6].difference(geoms[6].centroid.buffer(10))])
    lonlat = gpd.GeoSeries(geoms, crs=4549).to_crs(4326).to_numpy()
    import pyproj

    transformer = pyproj.Transformer.from_crs(4549, 4326, always_xy=True)
    block, bounds = encode_parcels(
        geoms,
        group_of=np.arange(300) % 3,
        style_of=np.arange(300) % 6,
        tips=[parcels["parcel_id"].tolist(), ["<b>&</b>"] * 300],
        to_lonlat=lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])),
    )
    data = decode_parcels(block)
    assert data["n"] == 300 and data["group"].tolist() == (np.arange(300) % 3).tolist()
    assert data["style"].tolist() == (np.arange(300) % 6).tolist()
    assert data["tips"][0] == parcels["parcel_id"].tolist() and data["tips"][1][0] == "<b>&</b>"
    assert data["header"]["t"] == [{"dict": False}, {"dict": True}]
    distance = shapely.hausdorff_distance(data["geoms"], lonlat)
    assert distance.max() < 1e-6  # within the 1e-6° quantisation
    assert data["geoms"][5].geom_type == "MultiPolygon"
    assert len(data["geoms"][5].geoms[1].interiors) == 1
    np.testing.assert_allclose(bounds, shapely.total_bounds(lonlat), atol=1e-6)


def test_large_maps_use_the_level_of_detail_layer_in_spatial_order():
    parcels = synthetic(LOD_THRESHOLD + 1)
    m = lu.parcel_map(parcels, tiles=None, tooltip=["parcel_id", "category"])
    html = m.get_root().render()
    assert '"lod":true' in html and '"min":5' in html
    data = payload(m)
    assert data["n"] == len(parcels)
    # reordered along a Hilbert curve, each parcel still carries its own id and category
    ids = data["tips"][0]
    assert ids != parcels["parcel_id"].tolist() and sorted(ids) == sorted(parcels["parcel_id"])
    original = parcels.set_index("parcel_id").loc[ids]
    expected = original.to_crs(4326).geometry.to_numpy()
    assert shapely.hausdorff_distance(data["geoms"], expected).max() < 1e-6
    labels = [lu.category_label(c) for c in original["category"]]
    assert data["tips"][1] == labels
    # consecutive parcels are neighbours: the payload's deltas stay small
    centres = shapely.get_coordinates(shapely.centroid(data["geoms"]))
    steps = np.hypot(*np.diff(centres, axis=0).T)
    assert np.median(steps) < 0.002  # about one parcel (≈ 120 m)
    small = lu.parcel_map(parcels.head(500), tiles=None)
    assert '"lod":false' in small.get_root().render()
    assert (
        '"lod":true' in lu.parcel_map(parcels.head(500), tiles=None, lod=True).get_root().render()
    )


def test_map_fits_every_parcel():
    parcels = synthetic(400)
    west = parcels.geometry.iloc[0].centroid
    far_west = shapely.affinity.translate(parcels.geometry.iloc[0], xoff=-20_000)
    parcels.loc[parcels.index[0], "geometry"] = far_west
    m = lu.parcel_map(parcels, tiles=None)
    html = m.get_root().render()
    (bounds,) = re.findall(r"landuse\.fit\(\w+, (\[\[[^\]]*\],\s*\[[^\]]*\]\])", html)
    (south, west_lon), (north, east) = json.loads(bounds)
    lonlat = parcels.to_crs(4326).total_bounds
    assert west_lon <= lonlat[0] + 1e-6 and east >= lonlat[2] - 1e-6  # to the quantisation
    assert south <= lonlat[1] + 1e-6 and north >= lonlat[3] - 1e-6
    assert west.x > far_west.centroid.x


# --- in Chromium -------------------------------------------------------------------------

PAINTED = """() => {
  const canvas = document.querySelector("canvas.landuse-parcels");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return painted;
}"""
STATS = "() => landuse.layers.map(l => ({count: l.count, ...l.stats}))"


@pytest.fixture(scope="module")
def large():
    return synthetic(30_000, seed=1)


def test_large_map_draws_hovers_and_redraws_when_zoomed(open_map, large):
    # a zone under every parcel: its canvas lies beneath the parcels' and has its own tooltip
    zone = gpd.GeoDataFrame(
        {"name": ["西海岸新区"]}, geometry=[shapely.box(*large.total_bounds).buffer(500)], crs=4549
    )
    m = lu.parcel_map(large, zones=zone, tiles=None, offline=True)
    opened = open_map(m)
    page = opened.page
    (stats,) = page.evaluate(STATS)
    assert stats["count"] == len(large) and stats["dots"] + stats["shapes"] == len(large)
    assert page.evaluate(PAINTED) > 100_000
    opened.screenshot("map_lod_overview.png")

    row = large.iloc[12_345]
    point = large.to_crs(4326).geometry.iloc[12_345].representative_point()
    x, y = opened.point_of(point.x, point.y, zoom=17)
    page.wait_for_timeout(200)
    (zoomed,) = page.evaluate(STATS)
    assert zoomed["frames"] > stats["frames"] and zoomed["zoom"] == 17
    assert zoomed["shapes"] > 0 and zoomed["dots"] == 0  # full outlines when zoomed in
    assert zoomed["shapes"] < len(large) // 10  # only what is in view
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip .landuse-tip")
    tooltip.wait_for(timeout=5_000)
    text = tooltip.inner_text()
    assert row["parcel_id"] in text and row["name"] in text
    assert lu.category_label(row["category"]) in text
    visible = page.locator(".leaflet-tooltip:visible").all_inner_texts()
    assert len(visible) == 1 and row["parcel_id"] in visible[0]  # the zone's tooltip hides
    opened.screenshot("map_lod_tooltip.png")
    other = large.iloc[12_346]
    near = large.to_crs(4326).geometry.iloc[12_346].representative_point()
    page.mouse.move(*opened.point_of(near.x, near.y))  # the next parcel: its own tooltip
    page.wait_for_function(
        "(id) => document.querySelector('.landuse-tip').innerText.includes(id)",
        arg=other["parcel_id"],
        timeout=5_000,
    )
    empty_x, empty_y = opened.point_of(point.x - 0.5, point.y, zoom=17)  # no parcel there
    # two moves after the jump, so that at least one mousemove reaches the map in its new
    # view whatever a loaded CI box does with the first; the tooltip closes on it
    page.mouse.move(empty_x + 40, empty_y + 40)
    page.mouse.move(empty_x, empty_y)
    page.wait_for_function(
        "() => document.querySelectorAll('.leaflet-tooltip .landuse-tip').length === 0",
        timeout=5_000,
    )
    assert page.locator(".leaflet-tooltip .landuse-tip").count() == 0

    # switching a category off in the layer control takes its parcels off the canvas
    opened.point_of(point.x, point.y, zoom=14)
    page.wait_for_timeout(200)
    before = page.evaluate(PAINTED)
    page.locator(".leaflet-control-layers label", has_text="批而未供").locator("input").click()
    page.wait_for_timeout(200)
    assert page.evaluate(PAINTED) < before
    assert opened.blocked == [] and opened.errors == [] and opened.dialogs == []


@pytest.mark.parametrize("lod", [False, True])
def test_tiny_parcel_is_painted_at_the_opening_zoom(open_map, lod):
    """A 3 m parcel among 500 m ones, tens of km apart: at least a few pixels, in its colour."""
    from PIL import Image

    big = shapely.box(480_000, 3_950_000, 480_500, 3_950_500)
    tiny = shapely.box(440_000, 3_930_000, 440_003, 3_930_003)  # the westmost parcel
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": ["big-1", "big-2", "tiny"],
            "category": ["low_efficiency", "low_efficiency", "approved_unsupplied"],
        },
        geometry=[big, shapely.affinity.translate(big, 30_000, 20_000), tiny],
        crs=4549,
    )
    opened = open_map(lu.parcel_map(parcels, tiles=None, offline=True, lod=lod))
    page = opened.page
    centre = parcels.to_crs(4326).geometry.iloc[2].centroid
    x, y = opened.point_of(centre.x, centre.y)
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    assert 0 < x < width and 0 < y < height  # the view holds the westmost parcel
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    opened.screenshot(f"map_tiny_parcel_{'lod' if lod else 'leaflet'}.png")
    amber = np.array(CATEGORY_RGB["approved_unsupplied"])
    box = np.asarray(shot)[int(y) - 4 : int(y) + 5, int(x) - 4 : int(x) + 5].reshape(-1, 3)
    background = np.asarray(shot)[5, width // 2]
    close = np.abs(box.astype(int) - amber).sum(axis=1) < 120  # amber over the grey map
    assert close.sum() >= 9, (box, background)  # at least a 3 x 3 pixel patch in its colour
    assert opened.errors == []
