from __future__ import annotations

import re

import pytest
import xyzservices

import landuse as lu

XSS = "<img src=x onerror=alert(1)>"


def page(m) -> str:
    """The rendered page with folium's JSON \\uXXXX escapes decoded, as the browser sees it."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), m.get_root().render())


@pytest.fixture(scope="module")
def tasks(ledger):
    return lu.add_areas(ledger)


def test_map_has_categories_legend_zones_and_renewal(tasks, zones, renewal):
    rates = lu.disposal_rates(lu.assign_zones(tasks, zones), as_of="2022-06-30")
    m = lu.parcel_map(
        tasks, zones=zones, renewal=renewal, rates=rates, tiles=None, as_of="2022-06-30"
    )
    html = page(m)
    for label in ("批而未供", "供而未用", "低效用地", "风河南片区", "王台老工业区", "处置率"):
        assert label in html
    assert "tile.openstreetmap.org" not in html  # tiles=None


def test_user_text_is_escaped(tasks):
    sample = tasks[tasks["category"].notna()].head(5).copy()
    sample.iloc[0, sample.columns.get_loc("name")] = XSS
    html = page(lu.parcel_map(sample, tiles=None))
    assert XSS not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_basemaps(tasks):
    sample = tasks[tasks["category"].notna()].head(20)
    assert "tile.openstreetmap.org" in page(lu.parcel_map(sample))
    tdt = page(lu.parcel_map(sample, tiles="tianditu", tk="KEY123"))
    assert "T=vec_w" in tdt and "T=cva_w" in tdt and "tk=KEY123" in tdt
    with pytest.raises(lu.InputError, match="tk="):
        lu.parcel_map(sample, tiles="tianditu")
    with pytest.raises(lu.InputError, match="unknown tiles"):
        lu.parcel_map(sample, tiles="googel")
    provider = xyzservices.providers.OpenTopoMap
    assert "opentopomap.org" in page(lu.parcel_map(sample, tiles=provider))
    custom = "http://intranet.example/tiles/{z}/{x}/{y}.png"
    assert custom in page(lu.parcel_map(sample, tiles=custom))


def first_lon(html: str) -> float:
    return float(re.search(r'"coordinates": \[\[\[([0-9.]+),', html).group(1))


def test_gaode_draws_in_gcj02(tasks):
    sample = tasks[tasks["category"].notna()].head(3)
    plain = first_lon(page(lu.parcel_map(sample, tiles=None)))
    shifted = first_lon(page(lu.parcel_map(sample, tiles="gaode")))
    assert 0.004 < shifted - plain < 0.006  # ≈ 460 m east in Qingdao


def test_bad_input(tasks):
    with pytest.raises(lu.InputError, match="empty"):
        lu.parcel_map(tasks.head(0))
    with pytest.raises(lu.InputError, match="classify"):
        lu.parcel_map(tasks.drop(columns="category"))
    with pytest.raises(lu.MissingCRSError):
        lu.parcel_map(tasks.set_crs(None, allow_override=True))
