"""Every messy input under tests/data either reads with the promised warning or fails clearly."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import landuse as lu

DATA = Path(__file__).parent / "data"
MANIFEST = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))


def test_corpus_is_big_enough():
    assert len(MANIFEST) >= 20
    assert {case["expect"] for case in MANIFEST} == {"ok", "error"}


@pytest.mark.parametrize("case", MANIFEST, ids=[c["file"] for c in MANIFEST])
def test_case(case):
    reader = getattr(lu, case["reader"])
    path = DATA / case["file"]
    if case["expect"] == "error":
        error = getattr(lu, case["error"])
        assert issubclass(error, ValueError)
        with pytest.raises(error, match=case["match"]):
            reader(path, **case["kwargs"])
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = reader(path, **case["kwargs"])
    if "warning" in case:
        kind = getattr(lu, case["warning"], UserWarning)
        relevant = [w for w in caught if issubclass(w.category, kind)]
        assert relevant, f"expected a {case['warning']}, got {[str(w.message) for w in caught]}"
        assert any(
            pd.Series([str(w.message)]).str.contains(case["match"]).iloc[0] for w in relevant
        )
    assert len(result) == case["rows"]  # nothing dropped
    if "text" in case:
        assert case["text"] in set(result["name"])
    if "epsg" in case:
        assert result.crs.to_epsg() == case["epsg"]
        assert lu.add_areas(result)["area_m2"].round(3).tolist() == [6400.0] * case["rows"]
    if "categories" in case:
        assert (
            result["category"].where(result["category"].notna(), None).tolist()
            == case["categories"]
        )
    if "methods" in case:
        methods = result["disposal_method"]
        assert methods.where(methods.notna(), None).tolist() == case["methods"]
    if "dates" in case:
        assert set(result["approval_date"].dt.strftime("%Y-%m-%d")) == {case["dates"]}
