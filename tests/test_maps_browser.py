"""Maps drawn in a real browser: Chromium, offline, every network request blocked."""

from __future__ import annotations

import pytest

import landuse as lu
from landuse._assets import LEAFLET_CDN, leaflet_css, leaflet_js

XSS = "<img src=x onerror=alert(1)>"
CANVAS_PIXELS = """() => {
  const canvas = document.querySelector(".leaflet-overlay-pane canvas");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0) painted++;
  return painted;
}"""
LAYER_COUNT = """(name) => {
  let n = 0;
  window[name].eachLayer(l => { if (l.landuseIndex !== undefined) n++; });
  return n;
}"""


@pytest.fixture(scope="module")
def stock(ledger):
    return ledger[ledger["category"].notna()]


def outside_renewal(stock, renewal):
    """A stock parcel away from renewal-zone labels, and its representative point."""
    labels = renewal.to_crs(stock.crs).union_all().buffer(0.01)
    row = stock[~stock.intersects(labels)].iloc[0]
    point = row.geometry.representative_point()
    return row, point


def test_offline_map_draws_with_legend_and_tooltips(open_map, ledger, stock, zones, renewal):
    rates = lu.disposal_rates(lu.assign_zones(ledger, zones), as_of="2022-06-30", target=0.6)
    m = lu.parcel_map(
        ledger,
        zones=zones,
        renewal=renewal,
        rates=rates,
        tiles=None,
        offline=True,
        as_of="2022-06-30",
    )
    opened = open_map(m)
    page = opened.page
    assert page.evaluate(LAYER_COUNT, opened.map_name) == len(stock)
    assert page.evaluate(CANVAS_PIXELS) > 100_000
    legend = page.inner_text(".landuse-legend")
    for label in ("批而未供", "供而未用", "低效用地", "已处置", "处置率"):
        assert label in legend
    control = page.inner_text(".leaflet-control-layers")
    assert "城市更新片区" in control and "片区" in control
    assert page.locator(".landuse-label", has_text="风河南片区").count() == 1
    opened.screenshot("map_offline_overview.png")

    row, point = outside_renewal(stock, renewal)
    x, y = opened.point_of(point.x, point.y, zoom=17)
    page.wait_for_timeout(300)
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip .landuse-tip")
    tooltip.wait_for(timeout=5_000)
    text = tooltip.inner_text()
    assert row["parcel_id"] in text and row["name"] in text
    assert lu.category_label(row["category"]) in text
    opened.screenshot("map_offline_tooltip.png")
    assert opened.blocked == [] and opened.errors == [] and opened.dialogs == []


def test_hostile_text_stays_inert(open_map, stock, renewal):
    sample = stock.head(40).copy()
    sample.iloc[0, sample.columns.get_loc("name")] = XSS
    zones = renewal.head(1).assign(name=XSS)
    m = lu.parcel_map(
        sample, zones=zones, renewal=renewal.head(1).assign(name=XSS), tiles=None, offline=True
    )
    opened = open_map(m)
    page = opened.page
    point = sample.geometry.iloc[0].representative_point()
    x, y = opened.point_of(point.x, point.y, zoom=18)
    page.wait_for_timeout(300)
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip .landuse-tip")
    tooltip.wait_for(timeout=5_000)
    assert XSS in tooltip.inner_text()  # shown as text …
    assert (
        page.locator(".leaflet-tooltip img, .landuse-label img").count() == 0
    )  # … never as markup
    page.wait_for_timeout(300)
    assert opened.dialogs == [] and opened.errors == []


def test_cdn_map_with_leaflet_served_locally(open_map, stock):
    m = lu.parcel_map(stock.head(200), tiles=None, lang="en")
    routes = {
        LEAFLET_CDN["js"]: (leaflet_js(), "application/javascript"),
        LEAFLET_CDN["css"]: (leaflet_css(), "text/css"),
    }
    opened = open_map(m, routes=routes)
    assert opened.page.evaluate(LAYER_COUNT, opened.map_name) == 200
    assert "Approved, unsupplied" in opened.page.inner_text(".landuse-legend")
    assert opened.blocked == [] and opened.errors == []


def test_gaode_tiles_are_requested_and_parcels_shifted(open_map, stock):
    m = lu.parcel_map(stock.head(50), tiles="gaode", offline=True)
    opened = open_map(m)
    assert any("autonavi.com" in url for url in opened.blocked)  # tiles are the only network use
    assert all("autonavi.com" in url for url in opened.blocked)
