"""User text is data, never code: hostile names in every text field of maps, report and charts.

branca renders each element's output again as Jinja source, so before the fix a zone named
``{{ 7*7 }}`` printed 49 and ``{{ cycler.__init__.__globals__.os.getcwd() }}`` ran Python.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

import landuse as lu

#: one payload per way text could become code: Jinja expressions, statements, comments and
#: broken delimiters; HTML and script breaking; mathtext; an Excel formula
PAYLOADS = [
    "A{{ 7*7 }}Z",
    "{{ cycler.__init__.__globals__.os.getcwd() }}",
    "东区{#1",
    "西区{{",
    "{% raw %}南区",
    "{%- endmacro %}",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"'><svg onload=alert(2)>",
    "$\\nosuchmacro{1}$ ${x",
    '=HYPERLINK("http://example.invalid","x")',
]


def _leaks(page: str) -> list[str]:
    """Signs that a payload was evaluated: Jinja output, the working directory, live markup."""
    found = []
    if "A49Z" in page:
        found.append("jinja expression evaluated")
    if os.getcwd() in page:
        found.append("os.getcwd() ran")
    for live in ("<img src=x onerror", "<svg onload", "<script>alert(1)"):
        if live in page:
            found.append(f"live markup {live!r}")
    return found


@pytest.fixture(scope="module")
def hostile(ledger, zones, renewal):
    """The sample with a payload in every text field: zones, renewal zones, parcels."""
    zones = zones.copy()
    renewal = renewal.copy()
    parcels = ledger[ledger["category"].notna()].head(60).copy()
    zones["name"] = [PAYLOADS[i % len(PAYLOADS)] + f"#{i}" for i in range(len(zones))]
    renewal["name"] = [PAYLOADS[-i - 1] + f"#{i}" for i in range(len(renewal))]
    renewal["status"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(renewal))]
    parcels["name"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(parcels))]
    parcels["kind"] = [PAYLOADS[i % 6] for i in range(len(parcels))]
    return parcels, zones, renewal


def _render(m) -> str:
    return m.get_root().render()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_zone_and_renewal_names_render_as_text(ledger, zones, renewal, payload):
    named = zones.assign(name=[f"{payload}{i}" for i in range(len(zones))])
    outlined = renewal.assign(name=[f"{payload}{i}" for i in range(len(renewal))], status=payload)
    rates = lu.disposal_rates(lu.assign_zones(ledger, named), as_of="2022-06-30", target=0.6)
    m = lu.parcel_map(ledger, zones=named, renewal=outlined, rates=rates, tiles=None)
    page = _render(m)
    assert _leaks(page) == []
    m._repr_html_()  # the notebook path renders too


@pytest.mark.parametrize("payload", PAYLOADS)
def test_column_values_and_tooltip_names_render_as_text(ledger, payload):
    parcels = ledger[ledger["category"].notna()].head(50)
    parcels = parcels.assign(kind=np.where(np.arange(len(parcels)) % 2, payload, "普通"))
    parcels = parcels.rename(columns={"name": payload})
    m = lu.parcel_map(parcels, column="kind", tooltip=["parcel_id", payload], tiles=None)
    page = _render(m)
    assert _leaks(page) == []


def test_report_with_hostile_names_and_title(hostile, tmp_path):
    parcels, zones, renewal = hostile
    out = lu.report(
        parcels,
        zones,
        renewal=renewal,
        as_of="2022-06-30",
        out=tmp_path / "report.html",
        title="{{ 7*7 }} A{{ 7*7 }}Z <script>alert(1)</script>",
    )
    page = out.read_text(encoding="utf-8")
    assert _leaks(page) == []
    assert "A{{ 7*7 }}Z" in page  # the title is shown as written


def test_rates_table_in_a_notebook_escapes_names(ledger, zones):
    named = zones.assign(name=[f"<b>{p}</b>{i}" for i, p in enumerate(PAYLOADS[: len(zones)])])
    pieces = lu.assign_zones(ledger, named)
    rates = lu.disposal_rates(pieces, as_of="2022-06-30", target=0.6)
    shown = rates._repr_html_()
    assert _leaks(shown) == [] and "<b>" not in shown
    assert "&lt;b&gt;" in shown


def test_charts_draw_mathtext_and_braces_as_text(ledger, zones):
    pytest.importorskip("matplotlib")
    named = zones.assign(name=[f"$\\nosuchmacro{{1}}$ {i}" for i in range(len(zones))])
    rates = lu.disposal_rates(lu.assign_zones(ledger, named), as_of="2022-06-30", target=0.6)
    fig = lu.plot_rates(rates, target=0.6, title="$\\frac{1}{0}$ is a name")
    fig.canvas.draw()  # mathtext would raise on an unbalanced "$"
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert all(label.startswith("$\\nosuchmacro{1}$") for label in labels)


def test_hostile_map_in_chromium_shows_the_text(open_map, hostile):
    parcels, zones, renewal = hostile
    m = lu.parcel_map(
        parcels, zones=zones, renewal=renewal, column="kind", tiles=None, offline=True
    )
    opened = open_map(m)
    page = opened.page
    legend = page.inner_text(".landuse-legend")
    for payload in PAYLOADS[:6]:
        assert payload in legend  # column values, as written
    control = page.inner_text(".leaflet-control-layers")
    assert "A{{ 7*7 }}Z" in control
    labels = page.locator(".landuse-label").all_inner_texts()
    assert sorted(labels) == sorted([*renewal["name"], *zones["name"]])  # as written
    assert opened.dialogs == [] and opened.errors == []
    assert page.evaluate("document.querySelectorAll('img[src=x], svg[onload]').length") == 0
    opened.screenshot("map_hostile_names.png")


def test_hostile_report_in_chromium(browser, hostile, tmp_path):
    parcels, zones, renewal = hostile
    out = lu.report(parcels, zones, renewal=renewal, as_of="2022-06-30", out=tmp_path / "r.html")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route(
        "**/*",
        lambda r: (
            r.continue_() if r.request.url.startswith(("file:", "data:", "about:")) else r.abort()
        ),
    )
    page.goto(out.as_uri())
    page.wait_for_timeout(1500)
    text = page.inner_text("#rates")
    shown = lu.disposal_rates(lu.assign_zones(parcels, zones)).index.get_level_values("zone")
    for name in shown.dropna().unique():
        assert name in text  # every zone name as written, none evaluated
    assert dialogs == []
    page.close()


def test_template_source_is_never_built_from_data():
    """No landuse module hands text to jinja2.Template/branca Element at run time but its own."""
    import inspect

    import landuse._webmap as webmap
    import landuse.maps as maps

    for module in (webmap, maps):
        source = inspect.getsource(module)
        assert not re.search(r"\bTemplate\(", source), module.__name__
        assert not re.search(r"(?<!Raw)Element\(f?[\"']", source), module.__name__


def test_tile_urls_keys_and_attributions_are_data(ledger):
    import xyzservices

    stock = ledger[ledger["category"].notna()].head(20)
    page = _render(lu.parcel_map(stock, tiles="tianditu", tk="A{{ 7*7 }}Z"))
    assert _leaks(page) == [] and "A%7B%7B%207%2A7%20%7D%7DZ" in page  # the key, URL-quoted
    intranet = "http://tiles.intranet/{z}/{x}/{y}.png?q=A{{ 7*7 }}Z"
    with pytest.raises(lu.InputError, match="placeholders Leaflet cannot fill"):
        lu.parcel_map(stock, tiles=intranet)  # refused before any page is made
    intranet = "http://tiles.intranet/{z}/{x}/{y}.png?q=A%7B%7B7*7%7D%7DZ"
    assert _leaks(_render(lu.parcel_map(stock, tiles=intranet))) == []
    provider = xyzservices.TileProvider(
        name="A{{ 7*7 }}Z",
        url="http://tiles.intranet/{z}/{x}/{y}.png",
        attribution="© A{{ 7*7 }}Z",  # HTML by design (links): config, not ledger data
    )
    assert _leaks(_render(lu.parcel_map(stock, tiles=provider))) == []


def test_park_names_and_grades_render_as_text(ledger, west_coast_path):
    parks = lu.read_zones(west_coast_path, layer="parks")
    parks = parks.assign(name=[f"{PAYLOADS[i % len(PAYLOADS)]}#{i}" for i in range(len(parks))])
    enterprises = lu.read_enterprises(west_coast_path)
    enterprises = enterprises.assign(name="A{{ 7*7 }}Z <script>alert(1)</script>")
    graded = lu.per_mu(enterprises, ledger)
    m = lu.parcel_map(ledger, grades=graded, parks=parks, context=True, tiles=None)
    assert _leaks(_render(m)) == []


def test_csv_outputs_defuse_formulas(ledger, zones, tmp_path):
    named = zones.assign(name=[f'=HYPERLINK("x","{i}")' for i in range(len(zones))])
    path = tmp_path / "ledger.gpkg"
    lu.write_parcels(ledger, path)
    named.to_file(path, layer="zones")
    from landuse.cli import main

    out = tmp_path / "rates.csv"
    assert (
        main(
            [
                "rates",
                str(path),
                "--zones",
                str(path),
                "--zones-layer",
                "zones",
                "--out",
                str(out),
                "--as-of",
                "2022-06-30",
            ]
        )
        == 0
    )
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert not any(line.startswith("=") or ",=" in line for line in text.splitlines())


def test_rates_table_in_a_notebook_rounds_areas(ledger, zones):
    rates = lu.disposal_rates(lu.assign_zones(ledger, zones), as_of="2022-06-30")
    shown = rates._repr_html_()
    assert not re.search(r">\d+\.\d{3,}<", shown)  # 1,418.7 亩, not 1418.700000
