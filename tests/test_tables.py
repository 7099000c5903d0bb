"""Result tables in notebooks: RatesTable shows labels in the language it was asked for."""

from __future__ import annotations

import pandas as pd
import pytest

import landuse as lu


@pytest.fixture(scope="module")
def rates(ledger, zones):
    return lu.disposal_rates(lu.assign_zones(ledger, zones), as_of="2022-06-30", target=0.6)


def test_rates_table_in_chinese_by_default_with_formatted_numbers(rates):
    shown = rates._repr_html_()
    assert "处置率" in shown and "批而未供" in shown
    area = float(rates["area_mu"].iloc[0])
    assert f"{area:,.1f}" in shown and f"{area:.6f}" not in shown  # 1,418.7, not 1418.700000


def test_rates_table_respects_lang(rates):
    table = lu._tables.as_rates(pd.DataFrame(rates), lang="en")
    shown = table._repr_html_()
    assert "Approved, unsupplied" in shown and "Rate" in shown and "批而未供" not in shown
    assert "处置率" not in shown
    english_table = lu.display_rates(rates, lang="en")
    assert list(english_table.columns[:2]) == ["Zone", "Category"]
    with pytest.raises(ValueError, match="lang"):
        lu._tables.as_rates(pd.DataFrame(rates), lang="fr")._repr_html_()


def test_quality_report_speaks_chinese_with_units(ledger):
    report = lu.check(ledger, as_of="2021-12-31")
    shown = report._repr_html_()
    assert "早于约定日期开工" in shown and "(early_start)" in shown and "提示" in shown
    early = lu._tables.QualityReport(report[report["code"] == "early_start"])._repr_html_()
    assert "级别" in early and " 天<" in early  # values with their unit
    english = lu._tables.QualityReport(pd.DataFrame(report))
    english.attrs["lang"] = "en"
    assert "started before the agreed start" in english._repr_html_()


def test_rates_shown_in_the_language_asked(ledger, zones):
    pieces = lu.assign_zones(ledger, zones)
    english = lu.disposal_rates(pieces, as_of="2022-06-30", lang="en")
    page = english._repr_html_()
    assert "Approved, not supplied" in page or "Approved" in page
    assert "批而未供" not in page
    chinese = lu.disposal_rates(pieces, as_of="2022-06-30")
    assert "批而未供" in chinese._repr_html_()
    pd.testing.assert_frame_equal(pd.DataFrame(english), pd.DataFrame(chinese))
