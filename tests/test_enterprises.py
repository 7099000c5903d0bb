"""亩均效益评价: read_enterprises, per_mu, per_mu_by, and the sample's parks."""

from __future__ import annotations

import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landuse as lu
from landuse._permu import land_table
from landuse.enterprises import grade_by_rank, land_shares, score_indicators
from tests.conftest import make_parcels, square

MU = lu.M2_PER_MU


def five_parcels() -> gpd.GeoDataFrame:
    """Five 100 m squares (10000 m² = 15 亩 each) in GK zone 40."""
    return make_parcels([{} for _ in range(5)])


def five_enterprises() -> pd.DataFrame:
    """Five enterprises, one per 15-亩 parcel; E5 reports no energy."""
    return pd.DataFrame(
        {
            "enterprise_id": ["E1", "E2", "E3", "E4", "E5"],
            "name": ["甲", "乙", "丙", "丁", "戊"],
            "parcel_id": ["P1", "P2", "P3", "P4", "P5"],
            "year": 2021,
            "tax": [150.0, 300.0, 450.0, 600.0, 750.0],
            "revenue": [1500.0, 3000.0, 4500.0, 6000.0, 7500.0],
            "value_added": [300.0, 600.0, 900.0, 1200.0, 1500.0],
            "energy_tce": [100.0, 100.0, 100.0, 100.0, None],
            "rd_spend": [75.0, 30.0, 45.0, 60.0, 75.0],
            "employees": [10.0, 10.0, 10.0, 10.0, 10.0],
        }
    )


# --- the hand-computed case -------------------------------------------------------------------


def test_five_enterprises_by_hand():
    weights = {"tax_per_mu": 0.5, "value_added_per_tce": 0.3, "rd_intensity": 0.2}
    graded = lu.per_mu(
        five_enterprises(),
        five_parcels(),
        weights=weights,
        grades={"A": 0.2, "B": 0.4, "C": 0.2, "D": 0.2},
    )
    by_id = graded.set_index("enterprise_id").sort_index()
    # land: each parcel is exactly 15 亩
    assert by_id["land_mu"].tolist() == pytest.approx([15.0] * 5)
    # tax per mu 10, 20, 30, 40, 50 → percentiles 1/5 … 5/5
    assert by_id["tax_per_mu"].tolist() == pytest.approx([10, 20, 30, 40, 50])
    # value added per tce 3, 6, 9, 12 (E5 has no energy) → 1/4 … 4/4, E5 scores 0
    assert by_id.loc["E5", "value_added_per_tce"] != by_id.loc["E5", "value_added_per_tce"]
    # R&D intensity 5 %, 1 %, 1 %, 1 %, 1 % → E1 best (1), the tied four share rank 2.5 → 0.5
    assert by_id["rd_intensity"].tolist() == pytest.approx([0.05, 0.01, 0.01, 0.01, 0.01])
    expected = {
        "E1": 100 * (0.5 * 1 / 5 + 0.3 * 1 / 4 + 0.2 * 1.0),  # 32.5
        "E2": 100 * (0.5 * 2 / 5 + 0.3 * 2 / 4 + 0.2 * 0.5),  # 45
        "E3": 100 * (0.5 * 3 / 5 + 0.3 * 3 / 4 + 0.2 * 0.5),  # 62.5
        "E4": 100 * (0.5 * 4 / 5 + 0.3 * 4 / 4 + 0.2 * 0.5),  # 80
        "E5": 100 * (0.5 * 5 / 5 + 0.3 * 0 + 0.2 * 0.5),  # 60
    }
    assert by_id["score"].to_dict() == pytest.approx(expected)
    assert by_id["rank"].to_dict() == {"E4": 1, "E3": 2, "E5": 3, "E2": 4, "E1": 5}
    # A = best 20 % (1), B next 40 % (2), C next 20 % (1), D last 20 % (1)
    assert by_id["grade"].to_dict() == {"E4": "A", "E3": "B", "E5": "B", "E2": "C", "E1": "D"}
    assert by_id.loc["E5", "missing"] == "value_added_per_tce"  # the indicator it lacks
    assert by_id.loc["E5", "missing_fields"] == "energy_tce"  # what it did not report
    assert by_id.loc["E1", "missing"] == "" and by_id.loc["E1", "missing_fields"] == ""
    assert graded["enterprise_id"].tolist() == ["E4", "E3", "E5", "E2", "E1"]  # best first


def test_default_weights_and_grades_are_documented():
    assert sum(lu.DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert lu.DEFAULT_GRADE_SHARES == {"A": 0.2, "B": 0.4, "C": 0.3, "D": 0.1}
    assert max(lu.DEFAULT_WEIGHTS, key=lu.DEFAULT_WEIGHTS.get) == "tax_per_mu"
    graded = lu.per_mu(five_enterprises(), five_parcels()).set_index("enterprise_id")
    # E4: .35·4/5 + .15·4/5 + .15·4/5 + .15·4/4 + .10·(2.5/5) + .10·4/5 = 0.80
    # E5: .35·1 + .15·1 + .15·1 + .15·0 (no energy) + .10·(2.5/5) + .10·1 = 0.80: a tie
    assert graded.loc[["E4", "E5"], "score"].tolist() == pytest.approx([80.0, 80.0])
    # 5 enterprises: A = round(20 % of 5) = 1 rank, shared by the tie; D = 5 − round(4.5) = 0
    assert graded["rank"].to_dict() == {"E4": 1, "E5": 1, "E3": 3, "E2": 4, "E1": 5}
    assert graded["grade"].to_dict() == {"E4": "A", "E5": "A", "E3": "B", "E2": "C", "E1": "C"}


def test_missing_indicator_scores_below_every_reporter():
    ents = five_enterprises()
    ents.loc[4, "tax"] = None  # the best taxpayer stops reporting tax
    graded = lu.per_mu(ents, five_parcels(), weights={"tax_per_mu": 1.0})
    by_id = graded.set_index("enterprise_id")
    assert by_id.loc["E5", "score"] == 0
    assert (by_id.drop("E5")["score"] > 0).all()
    assert by_id.loc["E5", "rank"] == 5
    assert by_id.loc["E5", "missing"] == "tax_per_mu, value_added_per_tce"
    assert by_id.loc["E5", "missing_fields"] == "tax, energy_tce"
    assert "未报送" in by_id.loc["E5", "reason"]


def test_hard_floor_makes_grade_d_whatever_the_rank():
    ents = five_enterprises()
    graded = lu.per_mu(ents, five_parcels(), floors={"tax_per_mu": 25.0})
    by_id = graded.set_index("enterprise_id")
    assert by_id.loc[["E1", "E2"], "grade"].tolist() == ["D", "D"]
    assert "底线" in by_id.loc["E1", "reason"]
    assert by_id.loc["E3", "grade"] != "D"


def test_year_defaults_to_the_latest_and_can_be_chosen():
    ents = pd.concat([five_enterprises(), five_enterprises().assign(year=2022, tax=1.0)])
    latest = lu.per_mu(ents, five_parcels())
    assert set(latest["year"]) == {2022}
    assert latest["tax"].tolist() == [1.0] * 5
    assert set(lu.per_mu(ents, five_parcels(), year=2021)["year"]) == {2021}
    with pytest.raises(lu.InputError, match="2019"):
        lu.per_mu(ents, five_parcels(), year=2019)


# --- land shares ------------------------------------------------------------------------------


def test_land_shares_conserve_each_parcels_area():
    parcels = make_parcels([{"geometry": square(0, 0, 100)}, {"geometry": square(300, 0, 60)}])
    ents = pd.DataFrame(
        {
            "enterprise_id": ["A", "B", "C", "C", "D"],
            "parcel_id": ["P1", "P1", "P1", "P2", "P2"],
            "tax": [1.0, 2.0, 3.0, 3.0, 4.0],
        }
    )
    graded = lu.per_mu(ents, parcels)
    long = land_table(graded)
    per_parcel = long.groupby("parcel_id")["land_mu"].sum()
    assert per_parcel["P1"] == pytest.approx(10_000 / MU)
    assert per_parcel["P2"] == pytest.approx(3_600 / MU)
    land = graded.set_index("enterprise_id")["land_mu"]
    assert land["A"] == pytest.approx(10_000 / MU / 3)
    # C: a third of P1 plus half of P2, summed over its parcels
    assert land["C"] == pytest.approx(10_000 / MU / 3 + 3_600 / MU / 2)
    assert graded.set_index("enterprise_id").loc["C", "parcels"] == 2


def test_stated_land_is_used_and_the_rest_shared():
    ents = pd.DataFrame(
        {"enterprise_id": ["A", "B", "C"], "parcel_id": "P1", "land_area_mu": [6.0, None, None]}
    )
    shares = land_shares(lu.enterprises.validate_enterprises(ents), pd.Series({"P1": 15.0}))
    assert shares.tolist() == pytest.approx([6.0, 4.5, 4.5])


def test_areas_are_measured_in_metres_not_degrees():
    gk = five_parcels()
    graded_gk = lu.per_mu(five_enterprises(), gk)
    graded_geo = lu.per_mu(five_enterprises(), gk.to_crs(4490))
    assert graded_geo["land_mu"].to_numpy() == pytest.approx(graded_gk["land_mu"].to_numpy())


@settings(max_examples=20, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=6),
    st.lists(st.floats(min_value=20, max_value=400), min_size=6, max_size=6),
)
def test_property_land_shares_add_up_to_the_parcel(counts, sizes):
    rows, parcels = [], []
    for i, count in enumerate(counts):
        parcels.append({"geometry": square(500.0 * i, 0.0, sizes[i])})
        rows += [{"enterprise_id": f"E{i}-{k}", "parcel_id": f"P{i + 1}"} for k in range(count)]
    gdf = make_parcels(parcels)
    graded = lu.per_mu(pd.DataFrame(rows), gdf)
    per_parcel = land_table(graded).groupby("parcel_id")["land_mu"].sum()
    expected = lu.add_areas(gdf).set_index("parcel_id")["area_mu"]
    assert per_parcel.reindex(expected.index).to_numpy() == pytest.approx(expected.to_numpy())


# --- grades respect the rank order (property) -------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(min_value=-5, max_value=500)),
            st.one_of(st.none(), st.floats(min_value=0, max_value=5000)),
            st.one_of(st.none(), st.floats(min_value=0.1, max_value=50)),
        ),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from(
        [None, {"A": 0.1, "B": 0.5, "C": 0.35, "D": 0.05}, {"A": 0.5, "D": 0.5}],
    ),
)
def test_property_grades_follow_the_scores(values, shares):
    n = len(values)
    ents = pd.DataFrame(
        {
            "enterprise_id": [f"E{i}" for i in range(n)],
            "parcel_id": [f"P{i + 1}" for i in range(n)],
            "tax": [v[0] for v in values],
            "revenue": [v[1] for v in values],
            "value_added": [v[1] for v in values],
            "energy_tce": [v[2] for v in values],
        }
    )
    parcels = make_parcels([{} for _ in range(n)])
    graded = lu.per_mu(ents, parcels, grades=shares)
    order = list(shares or lu.DEFAULT_GRADE_SHARES)
    position = graded["grade"].map(order.index)
    score = graded["score"].to_numpy()
    # a better score never gets a worse grade; equal scores get the same grade and rank
    for i in range(n):
        for j in range(n):
            if score[i] > score[j]:
                assert position.iloc[i] <= position.iloc[j]
                assert graded["rank"].iloc[i] < graded["rank"].iloc[j]
            elif score[i] == score[j]:
                assert position.iloc[i] == position.iloc[j]
    assert graded["rank"].min() == 1
    # the first grade holds exactly the ranks within its share (rounded half up)
    bound = math.floor((shares or lu.DEFAULT_GRADE_SHARES)[order[0]] * n + 0.5)
    assert ((graded["grade"] == order[0]) == (graded["rank"] <= bound)).all()


def test_grade_by_rank_boundaries():
    ranks = pd.Series(range(1, 11))
    assert grade_by_rank(ranks, lu.DEFAULT_GRADE_SHARES).tolist() == list("AABBBBCCCD")
    scores = score_indicators(pd.DataFrame({"tax_per_mu": [1.0, None, 3.0]}), {"tax_per_mu": 1})
    assert scores["score"].tolist() == pytest.approx([50.0, 0.0, 100.0])


# --- bad input --------------------------------------------------------------------------------


def test_bad_input_names_the_rows():
    parcels = five_parcels()
    ents = five_enterprises()
    with pytest.raises(lu.MissingColumnError, match="enterprise_id"):
        lu.per_mu(ents.drop(columns="enterprise_id"), parcels)
    bad = ents.copy()
    bad.loc[2, "enterprise_id"] = " "
    with pytest.raises(lu.InputError, match="no enterprise_id: row 2"):
        lu.per_mu(bad, parcels)
    bad = ents.astype({"tax": object})
    bad.loc[3, "tax"] = "很多"
    with pytest.raises(lu.InputError, match=r"'tax'.*'很多'.*E4"):
        lu.per_mu(bad, parcels)
    bad = ents.copy()
    bad.loc[1, "employees"] = -3
    with pytest.raises(lu.InputError, match="negative: E2"):
        lu.per_mu(bad, parcels)
    with pytest.raises(lu.DuplicateIdError, match="E1"):
        lu.per_mu(pd.concat([ents, ents.iloc[[0]]]), parcels)
    conflicting = pd.concat([ents, ents.iloc[[0]].assign(parcel_id="P2", tax=999.0)])
    with pytest.raises(lu.InputError, match=r"tax differ.*E1"):
        lu.per_mu(conflicting, parcels)
    with pytest.raises(lu.InputError, match="unknown indicator"):
        lu.per_mu(ents, parcels, weights={"emissions": 1.0})
    with pytest.raises(lu.InputError, match="add up to 1"):
        lu.per_mu(ents, parcels, grades={"A": 0.5, "B": 0.3, "C": 0.3, "D": 0.4})
    with pytest.raises(lu.MissingCRSError):
        lu.per_mu(ents, parcels.set_crs(None, allow_override=True))


def test_enterprise_on_a_parcel_not_in_the_inventory_is_reported_not_dropped():
    ents = five_enterprises()
    ents.loc[1, "parcel_id"] = "P404"
    ents["land_area_mu"] = [None, None, None, None, None]
    with pytest.warns(lu.UnmatchedParcelWarning, match=r"E2 \(P404\)"):
        graded = lu.per_mu(ents, five_parcels())
    assert len(graded) == 5
    e2 = graded.set_index("enterprise_id").loc["E2"]
    assert e2["unmatched_parcels"] == "P404"
    assert math.isnan(e2["land_mu"]) and math.isnan(e2["tax_per_mu"])
    assert "land_mu" in e2["missing_fields"]
    assert {"tax_per_mu", "revenue_per_mu", "value_added_per_mu"} <= set(e2["missing"].split(", "))
    # with its land stated, it is evaluated like the others
    ents.loc[1, "land_area_mu"] = 15.0
    with pytest.warns(lu.UnmatchedParcelWarning):
        graded = lu.per_mu(ents, five_parcels())
    assert graded.set_index("enterprise_id").loc["E2", "tax_per_mu"] == pytest.approx(20.0)
    # per area it lands in the row of no area, not lost
    table = lu.per_mu_by(graded, five_parcels().assign(park="园"), by="park")
    assert table["enterprises"].sum() == 5
    assert pd.isna(table.index[-1])


def test_read_enterprises_with_chinese_headers(tmp_path):
    ledger = pd.DataFrame(
        {
            "统一社会信用代码": ["91370211MA0000001X", "91370211MA0000002Y"],
            "企业名称": ["青岛甲有限公司", "青岛<b>乙</b>有限公司"],
            "地块编号": [370211000001, 370211000002],
            "用地面积（亩）": [12.5, None],
            "年度": ["2021年", "2021"],
            "实缴税金（万元）": ["1,250.5", "300"],
            "营业收入（万元）": [10000, 5000],
            "工业增加值（万元）": [2000, 900],
            "综合能耗（吨标煤）": [800, 400],
            "研发经费（万元）": [300, "—"],
            "从业人员（人）": [120, 60],
        }
    )
    path = tmp_path / "企业台账.xlsx"
    ledger.to_excel(path, index=False)
    ents = lu.read_enterprises(path, fields="cn-ledger")
    assert ents["parcel_id"].tolist() == ["370211000001", "370211000002"]
    assert ents["year"].tolist() == [2021, 2021]
    assert ents["tax"].tolist() == [1250.5, 300.0]
    assert ents["land_area_mu"].iloc[0] == 12.5
    assert math.isnan(ents["rd_spend"].iloc[1])
    csv = tmp_path / "ledger.csv"
    ledger.assign(企业名称=['=HYPERLINK("http://x")', "青岛<b>乙</b>有限公司"]).to_csv(
        csv, index=False, encoding="gb18030"
    )
    from_csv = lu.read_enterprises(csv, fields="cn-ledger")
    assert from_csv["name"].tolist() == ['=HYPERLINK("http://x")', "青岛<b>乙</b>有限公司"]


def test_read_enterprises_reports_parcels_missing_from_the_inventory(west_coast_path, ledger):
    ents = lu.read_enterprises(west_coast_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lu.read_enterprises(west_coast_path, parcels=ledger)  # the sample is complete
    with pytest.warns(lu.UnmatchedParcelWarning, match="not in the inventory"):
        lu.read_enterprises(west_coast_path, parcels=ledger.iloc[10:])
    assert {"enterprise_id", "name", "parcel_id", "year", "tax", "revenue"} <= set(ents.columns)
    with pytest.raises(lu.InputError, match=r"no layer 'firms'.*enterprises"):
        lu.read_enterprises(west_coast_path, layer="firms")


# --- the sample -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(west_coast_path):
    parcels = lu.read_parcels(west_coast_path)
    ents = lu.read_enterprises(west_coast_path)
    return parcels, ents, lu.per_mu(ents, parcels, year=2021)


def test_sample_has_parks_and_enterprises(west_coast_path, zones, sample):
    parcels, ents, _ = sample
    parks = lu.read_zones(west_coast_path, layer="parks")
    assert len(parks) == 8
    assert {"中电光谷", "联东U谷"} <= set(parks["name"])
    assert parks.set_index("name").loc[["中电光谷", "联东U谷"], "synthetic"].tolist() == [0, 0]
    assert parks["synthetic"].sum() == 6
    marine = zones[zones["functional_zone"] == "青岛海洋高新区"].union_all()
    assert parks.representative_point().within(marine).all()
    assert set(ents["year"]) == {2020, 2021, 2022}
    assert ents["enterprise_id"].nunique() >= 2500
    per_parcel = ents[ents["year"] == 2021].groupby("parcel_id")["enterprise_id"].nunique()
    assert (per_parcel > 1).sum() > 100  # shared parcels
    per_firm = ents[ents["year"] == 2021].groupby("enterprise_id")["parcel_id"].nunique()
    assert (per_firm > 1).sum() > 10  # enterprises on several parcels
    assert set(ents["parcel_id"]) <= set(parcels["parcel_id"])
    # the park column is the park holding each parcel's representative point
    derived = lu.per_mu_by(sample[2], parcels.drop(columns="park"), by="park", areas=parks)
    assert (
        derived.loc["中电光谷", "enterprises"]
        == lu.per_mu_by(sample[2], parcels, by="park").loc["中电光谷", "enterprises"]
    )


def test_sample_zhongdian_optics_valley_matches_the_seed(sample):
    parcels, _, graded = sample
    parks = lu.per_mu_by(graded, parcels, by="park")
    zd = parks.loc["中电光谷"]
    assert zd["enterprises"] >= 1900
    assert zd["output"] / 1e4 == pytest.approx(100, rel=0.01)  # 产值 100 亿元
    assert zd["profit_tax"] / 1e4 == pytest.approx(10, rel=0.01)  # 利税 10 亿元
    assert zd["tax_per_mu"] == pytest.approx(zd["tax"] / zd["land_mu"])
    assert zd[["A", "B", "C", "D"]].sum() == zd["enterprises"]
    assert "联东U谷" in parks.index
    assert parks["enterprises"].sum() >= len(graded)
    counts = graded["grade"].value_counts()
    n = len(graded)
    assert counts["A"] == math.floor(0.2 * n + 0.5)
    assert counts["D"] == n - math.floor(0.9 * n + 0.5)


def test_sample_classify_screens_d_class_parcels(sample):
    parcels, _, graded = sample
    plain = lu.classify(parcels, as_of="2021-12-31")
    screened = lu.classify(parcels, as_of="2021-12-31", per_mu=graded)
    new = screened["category"].eq("low_efficiency") & plain["category"].isna()
    assert new.any()
    assert screened.loc[new, "reason"].str.contains("亩均效益评价 D 类").all()
    # where parcels already failed an indicator, the evaluation is added to the reason
    both = plain["category"].eq("low_efficiency") & screened["reason"].str.contains("D 类")
    assert both.any()
    # every other parcel keeps its category
    other = ~new
    assert (
        screened.loc[other, "category"].fillna("-") == plain.loc[other, "category"].fillna("-")
    ).all()


def test_classify_per_mu_is_area_weighted(parcels_from):
    parcels = parcels_from([{"land_use_code": "0601"}, {"land_use_code": "0601"}])
    graded = pd.DataFrame(
        {
            "enterprise_id": ["A", "B", "C", "D"],
            "grade": ["D", "A", "D", "B"],
            "land_by_parcel": [{"P1": 10.0}, {"P1": 5.0}, {"P2": 4.0}, {"P2": 11.0}],
        }
    )
    out = lu.classify(parcels, as_of="2021-12-31", per_mu=graded)
    assert out["category"].tolist() == ["low_efficiency", None]
    assert "亩均效益评价 D 类" in out.loc[0, "reason"] and "67%" in out.loc[0, "reason"]
    english = lu.classify(parcels, as_of="2021-12-31", per_mu=graded, lang="en")
    assert "grade D" in english.loc[0, "reason"]


def test_per_mu_by_zone_with_split_parcels(parcels_from):
    parcels = parcels_from([{"geometry": square(0, 0, 100)}])
    west, east = square(-50, 0, 100), square(50, 0, 100)  # the parcel straddles both
    zones = gpd.GeoDataFrame({"name": ["西", "东"]}, geometry=[west, east], crs=parcels.crs)
    pieces = lu.assign_zones(parcels, zones)
    ents = pd.DataFrame({"enterprise_id": ["A"], "parcel_id": ["P1"], "tax": [150.0]})
    graded = lu.per_mu(ents, pieces)
    assert graded["land_mu"].iloc[0] == pytest.approx(15.0)
    table = lu.per_mu_by(graded, pieces, by="zone")
    assert table["land_mu"].to_dict() == pytest.approx({"东": 7.5, "西": 7.5})
    assert table["tax"].to_dict() == pytest.approx({"东": 75.0, "西": 75.0})
    assert table["tax_per_mu"].tolist() == pytest.approx([10.0, 10.0])
    assert table["enterprises"].tolist() == [1, 1]


def test_per_mu_by_needs_the_column_or_areas(sample):
    parcels, _, graded = sample
    with pytest.raises(lu.MissingColumnError, match="areas="):
        lu.per_mu_by(graded, parcels, by="street")
    assert np.isfinite(lu.per_mu_by(graded, parcels, by="park")["tax_per_mu"]).all()


def test_partial_grade_shares_keep_the_other_proportions():
    graded = lu.per_mu(five_enterprises(), five_parcels(), grades={"A": 0.2, "D": 0.2})
    assert sorted(graded["grade"]) == ["A", "A", "B", "C", "D"]  # B, C split 60 % as 4 : 3
    with pytest.raises(lu.InputError, match="add up to 1"):
        lu.per_mu(five_enterprises(), five_parcels(), grades={"A": 0.7, "D": 0.5})
