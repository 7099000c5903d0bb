"""Map content, checked by decoding what the page carries (the browser tests draw it)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import xyzservices

import landuse as lu
from landuse._webmap import decode_parcels, unpack

XSS = "<img src=x onerror=alert(1)>"


def page(m) -> str:
    """The rendered page with folium's JSON \\uXXXX escapes decoded."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), m.get_root().render())


def payloads(m) -> list[dict]:
    """The packed parcel layers of a map, decoded as the page's script does."""
    found = re.findall(r'landuse\.decode\("([A-Za-z0-9+/=]+)"\)', m.get_root().render())
    return [decode_parcels(unpack(b)) for b in found]


@pytest.fixture(scope="module")
def tasks(ledger):
    return lu.add_areas(ledger)


def test_map_has_categories_legend_zones_and_renewal(tasks, zones, renewal):
    rates = lu.disposal_rates(lu.assign_zones(tasks, zones), as_of="2022-06-30", target=0.6)
    m = lu.parcel_map(
        tasks, zones=zones, renewal=renewal, rates=rates, tiles=None, as_of="2022-06-30"
    )
    html = page(m)
    for label in (
        "批而未供",
        "供而未用",
        "低效用地",
        "风河南片区",
        "王台老工业区",
        "处置率",
        "80% – 100%",
    ):
        assert label in html
    assert "灵山卫街道" in html and "目标 60%" in html
    assert "tile.openstreetmap.org" not in html  # tiles=None
    (data,) = payloads(m)
    stock = tasks[tasks["category"].notna()]
    assert len(data["group"]) == len(stock)  # every stock parcel drawn, no other
    disposed = stock["disposal_date"] <= "2022-06-30"
    # an extension (延长动工期限) that lapsed unstarted is no disposal any more (53号令 Art. 12)
    lapsed = (stock["disposal_method"] == "extended") & (
        stock["disposal_date"] + pd.DateOffset(years=1) <= "2022-06-30"
    )
    assert lapsed.sum() >= 1
    disposed &= ~lapsed
    assert sum(s % 2 for s in data["style"]) == int(disposed.sum())  # disposed drawn light


def test_geometry_round_trip_is_within_a_decimetre(tasks):
    sample = tasks[tasks["category"].notna()].head(50)
    (data,) = payloads(lu.parcel_map(sample, tiles=None))
    decoded = data["geoms"][0].exterior.coords[:-1]
    original = sample.to_crs(4326).geometry.iloc[0].exterior.coords[:-1]
    np.testing.assert_allclose(np.asarray(decoded), np.asarray(original), atol=0.6e-6)


def test_holes_and_multipolygons_survive(tasks):
    import shapely

    sample = tasks[tasks["category"].notna()].head(2).copy()
    first, second = sample.geometry.iloc[0], sample.geometry.iloc[1]
    donut = first.difference(first.centroid.buffer(0.0001))
    sample.iloc[0, sample.columns.get_loc("geometry")] = donut
    sample.iloc[1, sample.columns.get_loc("geometry")] = shapely.MultiPolygon([second, donut])
    (data,) = payloads(lu.parcel_map(sample, tiles=None))
    one, two = data["geoms"]
    assert one.geom_type == "Polygon" and len(one.interiors) == 1  # holes kept
    assert two.geom_type == "MultiPolygon" and [len(p.interiors) for p in two.geoms] == [0, 1]
    expected = sample.to_crs(4326).geometry
    assert shapely.hausdorff_distance(one, expected.iloc[0]) < 1e-6  # within the quantisation
    assert shapely.hausdorff_distance(two, expected.iloc[1]) < 1e-6


def test_user_text_is_escaped(tasks):
    sample = tasks[tasks["category"].notna()].head(5).copy()
    sample.iloc[0, sample.columns.get_loc("name")] = XSS
    m = lu.parcel_map(sample, tiles=None)
    assert XSS not in page(m)
    (data,) = payloads(m)
    assert "&lt;img src=x onerror=alert(1)&gt;" in data["tips"][1]


def test_escaped_zone_and_renewal_names(tasks, zones, renewal):
    zones = zones.copy()
    renewal = renewal.copy()
    zones.loc[0, "name"] = XSS
    renewal.loc[0, "name"] = "<b>更新</b>"
    html = page(lu.parcel_map(tasks, zones=zones, renewal=renewal, tiles=None))
    assert XSS not in html and "<b>更新</b>" not in html
    assert "&lt;b&gt;更新&lt;/b&gt;" in html


def test_basemaps(tasks):
    sample = tasks[tasks["category"].notna()].head(20)
    assert "tile.openstreetmap.org" in page(lu.parcel_map(sample))
    tdt = page(lu.parcel_map(sample, tiles="tianditu", tk="KEY123"))
    assert "T=vec_w" in tdt and "T=cva_w" in tdt and "tk=KEY123" in tdt
    img = page(lu.parcel_map(sample, tiles="tianditu-satellite", tk="KEY123"))
    assert "T=img_w" in img and "T=cia_w" in img
    with pytest.raises(lu.InputError, match="tk="):
        lu.parcel_map(sample, tiles="tianditu")
    with pytest.raises(lu.InputError, match="unknown tiles"):
        lu.parcel_map(sample, tiles="googel")
    provider = xyzservices.providers.OpenTopoMap
    assert "opentopomap.org" in page(lu.parcel_map(sample, tiles=provider))
    custom = "http://10.1.2.3/tiles/{z}/{x}/{y}.png"
    assert custom in page(lu.parcel_map(sample, tiles=custom))
    assert "autonavi.com" in page(lu.parcel_map(sample, tiles="gaode-satellite"))


def test_gaode_draws_every_layer_in_gcj02(tasks, zones):
    sample = tasks[tasks["category"].notna()].head(3)
    (plain,) = payloads(lu.parcel_map(sample, tiles=None))
    (shifted,) = payloads(lu.parcel_map(sample, tiles="gaode"))
    shift = (np.asarray(shifted["header"]["o"]) - plain["header"]["o"]) / 1e6
    assert 0.0045 < shift[0] < 0.0056 and 0 < shift[1] < 0.0003  # ≈ 460 m east, ≈ 15 m north
    zone_plain = re.search(
        r'"coordinates":\s*\[+([0-9.]+)', page(lu.parcel_map(sample, zones=zones, tiles=None))
    )
    zone_gcj = re.search(
        r'"coordinates":\s*\[+([0-9.]+)', page(lu.parcel_map(sample, zones=zones, tiles="gaode"))
    )
    assert 0.0045 < float(zone_gcj.group(1)) - float(zone_plain.group(1)) < 0.0056


def test_offline_inlines_leaflet_with_its_licence_and_nothing_external(tasks):
    html = page(lu.parcel_map(tasks.head(30), tiles=None, offline=True))
    assert "Leaflet 1.9.4" in html and "BSD 2-Clause License" in html
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html)
    assert "url(images/" not in html  # the layer-control icons are inlined
    cdn = page(lu.parcel_map(tasks.head(30), tiles=None))
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js" in cdn
    assert "jquery" not in cdn and "bootstrap" not in cdn


def test_explore_style_options(tasks):
    numeric = lu.parcel_map(
        tasks.head(300),
        column="area_mu",
        scheme="quantiles",
        k=4,
        tiles=None,
        tooltip=["parcel_id", "area_mu"],
        style_kwds={"weight": 3},
        lang="en",
    )
    html = page(numeric)
    assert "area_mu" in html and '"weight":3' in html
    (data,) = payloads(numeric)
    assert sorted(set(data["group"])) == [0, 1, 2, 3]
    assert len(data["tips"]) == 2
    coded = lu.parcel_map(
        tasks.head(300), column="land_use_code", cmap={"0601": "#ff0000"}, tiles=None
    )
    assert "#ff0000" in page(coded)
    with pytest.raises(lu.InputError, match="distinct values"):
        lu.parcel_map(tasks, column="parcel_id", tiles=None)
    with pytest.raises(lu.MissingColumnError, match="nope"):
        lu.parcel_map(tasks.head(5), tooltip=["nope"], tiles=None)


def test_context_parcels_in_grey(tasks):
    (data,) = payloads(lu.parcel_map(tasks, context=True, tiles=None, tooltip=False))
    assert len(data["group"]) == len(tasks) and data["tips"] == []
    assert "其他地块" in page(lu.parcel_map(tasks, context=True, tiles=None))


def test_bad_input(tasks):
    with pytest.raises(lu.InputError, match="empty"):
        lu.parcel_map(tasks.head(0))
    with pytest.raises(lu.InputError, match="classify"):
        lu.parcel_map(tasks.drop(columns="category"))
    with pytest.raises(lu.MissingCRSError):
        lu.parcel_map(tasks.set_crs(None, allow_override=True))
    with pytest.raises(lu.InputError, match="no parcel has"):
        lu.parcel_map(tasks.assign(category=None))
    with pytest.raises(ValueError, match="lang"):
        lu.parcel_map(tasks, lang="fr")


def test_scale_bar_is_metric_only(ledger):
    html = lu.parcel_map(ledger[ledger["category"].notna()].head(20), tiles=None)
    rendered = html.get_root().render()
    assert '"imperial":false' in rendered and '"metric":true' in rendered
