from __future__ import annotations

import pytest

import landuse as lu
from landuse import plots
from tests.conftest import ARTIFACTS


def legend_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


@pytest.fixture(scope="module")
def rates(ledger, zones):
    return lu.disposal_rates(lu.assign_zones(ledger, zones), as_of="2022-06-30")


def test_static_map_in_chinese(ledger, zones, renewal, rates):
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (scripts/test.sh installs fonts-noto-cjk)")
    fig = lu.plot_parcels(
        ledger, zones=zones, renewal=renewal, rates=rates, as_of="2022-06-30", title="存量土地"
    )
    texts = legend_texts(fig)
    assert texts[:4] == ["批而未供", "供而未用", "低效用地", "已处置"]
    assert "处置率（合计）" in texts and "80% – 100%" in texts and "城市更新片区" in texts
    ax = fig.axes[0]
    labels = {t.get_text() for t in ax.texts}
    assert {"风河南片区", "王台老工业区", "北"} <= labels
    assert any(t.endswith("km") for t in labels)  # scale bar
    assert any(c.get_hatch() == "////" for c in ax.collections)  # disposed parcels hatched
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    fig.savefig(ARTIFACTS / "static_map.png", dpi=80)


def test_falls_back_to_english_without_a_cjk_font(ledger, monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    with pytest.warns(UserWarning, match="fall back to English"):
        fig = lu.plot_parcels(ledger)
    assert legend_texts(fig)[0] == "Approved, unsupplied"


def test_drawn_in_metres_and_input_untouched(ledger):
    before = ledger.copy()
    fig = lu.plot_parcels(ledger, lang="en", context=False)
    x0, x1 = fig.axes[0].get_xlim()
    assert 400_000 < x0 < x1 < 600_000  # Gauss-Krüger eastings, not degrees
    assert ledger.equals(before)


def test_nice_scale_bar_lengths():
    assert plots._nice_length(12_000) == 2000
    assert plots._nice_length(4_000) == 500
    assert plots._nice_length(900) == 100


def test_bad_input(ledger):
    with pytest.raises(lu.InputError, match="empty"):
        lu.plot_parcels(ledger.head(0))
    with pytest.raises(lu.MissingColumnError, match="category"):
        lu.plot_parcels(ledger.drop(columns="category"))
    with pytest.raises(ValueError, match="lang"):
        lu.plot_parcels(ledger, lang="fr")


def test_rates_chart_structure(ledger, zones):
    rates = lu.disposal_rates(lu.assign_zones(ledger, zones), as_of="2022-06-30", target=0.6)
    fig = lu.plot_rates(rates, lang="en")
    ax = fig.axes[0]
    assert len(ax.patches) == len(zones) * 3
    assert [t.get_text() for t in ax.get_xticklabels()] == sorted(zones["name"])
    target = [line for line in ax.get_lines() if line.get_label().startswith("target")]
    assert len(target) == 1 and target[0].get_ydata()[0] == 0.6
    assert {t.get_text() for t in ax.get_legend().get_texts()} >= {
        "Approved, unsupplied",
        "target 60%",
    }


def test_progress_table_by_hand():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "parcel_id": ["a", "b", "c", "d"],
            "category": ["low_efficiency"] * 3 + ["approved_unsupplied"],
            "area_mu": [10.0, 20.0, 30.0, 40.0],
            "disposal_method": ["upgraded", "cleared", None, "supplied"],
            "disposal_date": pd.to_datetime(["2022-01-15", "2022-03-02", None, "2022-03-31"]),
        }
    )
    table = lu.progress(frame)
    low = table.xs("low_efficiency", level="category")
    assert low["cumulative_area_mu"].tolist() == [10.0, 10.0, 30.0]
    assert low["rate"].iloc[-1] == pytest.approx(0.5)
    overall = table.xs("all", level="category")
    assert overall["cumulative_area_mu"].tolist() == [10.0, 10.0, 70.0]
    assert overall["rate"].iloc[-1] == pytest.approx(0.7)
    assert [str(p) for p in overall.index] == ["2022-01", "2022-02", "2022-03"]


def test_progress_chart_structure(ledger):
    fig = lu.plot_progress(lu.progress(ledger), target=0.6, target_date="2022-12-31", lang="en")
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["All", "target path"]
    assert lines[1].get_ydata()[-1] == 0.6
    assert len(lines[0].get_xdata()) == 12  # months of 2022
