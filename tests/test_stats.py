from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landuse as lu

ROWS = [  # zone, category, area (mu), method, date
    ("A", "approved_unsupplied", 30.0, "supplied", "2022-03-01"),
    ("A", "approved_unsupplied", 10.0, None, None),
    ("A", "supplied_unused", 20.0, "started", "2022-08-01"),
    ("A", "low_efficiency", 40.0, "upgraded", "2022-05-01"),
    ("B", "approved_unsupplied", 50.0, "reserved", "2022-01-15"),
    ("B", None, 99.0, None, None),  # not in the stock
]


def table(rows=ROWS) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "parcel_id": [f"P{i}" for i in range(len(rows))],
            "zone": [r[0] for r in rows],
            "category": [r[1] for r in rows],
            "area_mu": [r[2] for r in rows],
            "disposal_method": [r[3] for r in rows],
            "disposal_date": pd.to_datetime([r[4] for r in rows]),
        }
    )


def test_hand_computed_rates():
    rates = lu.disposal_rates(table(), as_of="2022-06-30")
    a = rates.loc["A"]
    assert a.loc["approved_unsupplied", "rate"] == pytest.approx(30 / 40)
    assert a.loc["approved_unsupplied", "count_rate"] == pytest.approx(1 / 2)
    assert a.loc["supplied_unused", "rate"] == 0  # disposed after the reporting date
    assert a.loc["low_efficiency", "rate"] == 1
    assert a.loc["all", "area_mu"] == 100
    assert a.loc["all", "disposed_area_mu"] == 70
    assert a.loc["all", "rate"] == pytest.approx(0.7)
    assert a.loc["all", "parcels"] == 4
    b = rates.loc["B"]
    assert b.loc["all", "area_mu"] == 50  # the parcel without a category is not stock
    assert np.isnan(b.loc["supplied_unused", "rate"])  # no stock: no rate
    assert list(rates.columns) == list(
        ["parcels", "area_mu", "disposed_parcels", "disposed_area_mu", "rate", "count_rate"]
    )
    assert rates.index.names == ["zone", "category"]


def test_without_as_of_every_disposal_counts():
    rates = lu.disposal_rates(table())
    assert rates.loc[("A", "supplied_unused"), "rate"] == 1


def test_methods_choose_what_counts():
    rates = lu.disposal_rates(table(), methods={"approved_unsupplied": ["supplied"]})
    assert rates.loc[("B", "approved_unsupplied"), "rate"] == 0  # reserved no longer counts
    assert rates.loc[("A", "approved_unsupplied"), "rate"] == pytest.approx(0.75)


def test_unknown_method_is_an_error_unless_named():
    rows = [*ROWS, ("B", "low_efficiency", 5.0, "demolished_by_fire", "2022-02-01")]
    with pytest.raises(lu.DisposalMethodError, match=r"demolished_by_fire.*P6"):
        lu.disposal_rates(table(rows))
    rates = lu.disposal_rates(table(rows), methods={"low_efficiency": ["demolished_by_fire"]})
    assert rates.loc[("B", "low_efficiency"), "rate"] == 1


def test_method_of_another_category_is_an_error():
    rows = [("A", "low_efficiency", 5.0, "supplied", "2022-02-01")]
    with pytest.raises(lu.DisposalMethodError, match="not a method of low_efficiency"):
        lu.disposal_rates(table(rows))


def test_target_and_roll_up():
    frame = table().assign(district=["D1", "D1", "D1", "D1", "D2", "D2"])
    rates = lu.disposal_rates(frame, by=["district", "zone"], as_of="2022-06-30", target=0.6)
    assert rates.index.names == ["district", "zone", "category"]
    assert bool(rates.loc[("D1", "A", "all"), "meets_target"]) is True
    assert bool(rates.loc[("D1", "A", "supplied_unused"), "meets_target"]) is False
    assert pd.isna(rates.loc[("D2", "B", "low_efficiency"), "meets_target"])


def test_missing_zone_is_its_own_group():
    frame = table()
    frame.loc[0, "zone"] = None
    rates = lu.disposal_rates(frame)
    outside = rates[rates.index.get_level_values("zone").isna()]
    assert outside.loc[outside.index.get_level_values("category") == "all", "area_mu"].iloc[0] == 30


def test_split_parcel_counts_once_per_zone_and_once_overall():
    frame = table(
        [("A", "low_efficiency", 6.0, None, None), ("B", "low_efficiency", 4.0, None, None)]
    )
    frame["parcel_id"] = "same"
    by_zone = lu.disposal_rates(frame)
    assert by_zone.loc[("A", "all"), "parcels"] == 1 and by_zone.loc[("B", "all"), "parcels"] == 1
    overall = lu.disposal_rates(frame.assign(city="X"), by="city")
    assert overall.loc[("X", "all"), "parcels"] == 1
    assert overall.loc[("X", "all"), "area_mu"] == 10


def test_errors():
    with pytest.raises(lu.MissingColumnError, match="assign_zones"):
        lu.disposal_rates(table().drop(columns="zone"))
    with pytest.raises(lu.InputError, match="unknown category 'idle'"):
        lu.disposal_rates(table().assign(category="idle"))
    duplicated = pd.concat([table(), table().iloc[[0]]])
    with pytest.raises(lu.DuplicateIdError, match="twice"):
        lu.disposal_rates(duplicated)
    # a method without a date is read and reported, and does not count (API.md, Bad input)
    with pytest.warns(UserWarning, match=r"without a valid disposal_date.*P0"):
        undated = lu.disposal_rates(table().assign(disposal_date=pd.NaT))
    assert (undated["disposed_parcels"] == 0).all()
    with pytest.raises(ValueError, match="target"):
        lu.disposal_rates(table(), target=60)


def test_pilot_area_reproduces_the_seed(ledger, renewal):
    pilot = renewal[renewal["name"] == "风河南片区"]
    rates = lu.disposal_rates(lu.assign_zones(ledger, pilot), as_of="2022-06-30")
    pilot_rates = rates.loc["风河南片区", "rate"]
    assert (pilot_rates > 0.6).all(), pilot_rates
    assert (rates.loc["风河南片区", "parcels"] >= 10).all()


def test_other_zones_vary(ledger, zones):
    rates = lu.disposal_rates(lu.assign_zones(ledger, zones), as_of="2022-06-30")
    overall = rates.xs("all", level="category")["rate"]
    assert len(overall) == len(zones)
    assert overall.max() - overall.min() > 0.2
    joined = zones.merge(overall, left_on="name", right_index=True)  # ready to join
    assert len(joined) == len(zones)


def test_display_rates_english():
    shown = lu.display_rates(lu.disposal_rates(table(), target=0.5), lang="en")
    assert "Approved, unsupplied" in set(shown["Category"])
    assert shown["Rate"].iloc[0].endswith("%")
    assert set(shown["Met"]) <= {"yes", "no", "—"}


# --- non-final disposals lapse (53号令 Art. 12) -------------------------------------------


def lapsing(method, start=None):
    frame = table([("A", "supplied_unused", 10.0, method, "2021-03-15")])
    return frame.assign(actual_start_date=pd.to_datetime([start]))


@pytest.mark.parametrize(
    ("method", "as_of", "rate"),
    [
        ("extended", "2021-03-14", 0.0),  # before the disposal
        ("extended", "2021-03-15", 1.0),
        ("extended", "2022-03-14", 1.0),  # the last day of the extension year
        ("extended", "2022-03-15", 0.0),  # lapsed without a start: back in the stock
        ("temporary_use", "2023-03-14", 1.0),
        ("temporary_use", "2023-03-15", 0.0),
        ("recovered", "2030-01-01", 1.0),  # final
    ],
)
def test_non_final_disposals_lapse_in_rates(method, as_of, rate):
    rates = lu.disposal_rates(lapsing(method), as_of=as_of)
    assert rates.loc[("A", "supplied_unused"), "rate"] == rate


@pytest.mark.parametrize(("start", "rate"), [("2022-03-15", 1.0), ("2022-03-16", 0.0)])
def test_extension_counts_when_started_by_its_end(start, rate):
    rates = lu.disposal_rates(lapsing("extended", start), as_of="2022-06-30")
    assert rates.loc[("A", "supplied_unused"), "rate"] == rate


def test_lapse_is_a_parameter():
    rates = lu.disposal_rates(lapsing("extended"), as_of="2022-06-30", non_final={})
    assert rates.loc[("A", "supplied_unused"), "rate"] == 1.0


def test_progress_drops_when_an_extension_lapses():
    frame = pd.concat(
        [
            lapsing("extended"),
            table([("A", "supplied_unused", 30.0, "started", "2021-05-02")]).assign(parcel_id="Q1"),
        ],
        ignore_index=True,
    )
    table_ = lu.progress(frame, as_of="2022-04-30").xs("supplied_unused", level="category")
    rate = table_["rate"]
    assert rate[pd.Period("2021-03", "M")] == pytest.approx(10 / 40)
    assert rate[pd.Period("2021-05", "M")] == pytest.approx(40 / 40)
    assert rate[pd.Period("2022-02", "M")] == pytest.approx(40 / 40)
    assert rate[pd.Period("2022-03", "M")] == pytest.approx(30 / 40)  # lapsed on 2022-03-15
    assert table_.loc[pd.Period("2022-03", "M"), "lapsed_area_mu"] == 10
    assert table_.loc[pd.Period("2022-04", "M"), "cumulative_parcels"] == 1
    later = lu.progress(frame, start="2022-06-01", as_of="2022-06-30")
    assert later.xs("supplied_unused", level="category")["cumulative_area_mu"].iloc[0] == 30


# --- properties ---------------------------------------------------------------------------

stock_rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from(lu.CATEGORIES),
        st.floats(0.01, 500),
        st.booleans(),
        st.dates(
            min_value=pd.Timestamp("2022-01-01").date(), max_value=pd.Timestamp("2022-12-31").date()
        ),
    ),
    min_size=1,
    max_size=40,
)


def frame_of(rows) -> pd.DataFrame:
    return table(
        [
            (z, c, a, lu.DISPOSAL_METHODS[c][0] if d else None, str(day) if d else None)
            for z, c, a, d, day in rows
        ]
    )


@settings(max_examples=80, deadline=None)
@given(stock_rows)
def test_property_rates_between_zero_and_one(rows):
    rates = lu.disposal_rates(frame_of(rows), as_of="2022-06-30")
    for column in ("rate", "count_rate"):
        values = rates[column].dropna()
        assert ((values >= 0) & (values <= 1 + 1e-12)).all()
    assert (rates.xs("all", level="category")["area_mu"] > 0).all()


@settings(max_examples=50, deadline=None)
@given(stock_rows, st.randoms(use_true_random=False))
def test_property_independent_of_row_order(rows, random):
    frame = frame_of(rows)
    order = list(range(len(frame)))
    random.shuffle(order)
    a = lu.disposal_rates(frame, as_of="2022-06-30")
    b = lu.disposal_rates(frame.iloc[order], as_of="2022-06-30")
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)


# --- boundaries the mutation run found unguarded ---------------------------------------------


def test_a_disposal_on_the_reporting_day_counts_and_the_day_after_does_not():
    frame = table([("A", "supplied_unused", 10.0, "started", "2022-06-30")])
    assert lu.disposal_rates(frame, as_of="2022-06-30").loc[("A", "all"), "rate"] == 1
    assert lu.disposal_rates(frame, as_of="2022-06-29").loc[("A", "all"), "rate"] == 0


def test_exactly_on_target_meets_it():
    frame = table(
        [
            ("A", "low_efficiency", 60.0, "upgraded", "2022-01-01"),
            ("A", "low_efficiency", 40.0, None, None),
        ]
    )
    rates = lu.disposal_rates(frame, as_of="2022-06-30", target=0.6)
    assert rates.loc[("A", "all"), "rate"] == pytest.approx(0.6)
    assert bool(rates.loc[("A", "all"), "meets_target"]) is True
    below = lu.disposal_rates(frame, as_of="2022-06-30", target=0.6000001)
    assert bool(below.loc[("A", "all"), "meets_target"]) is False


def test_count_rate_counts_the_disposed_parcels():
    frame = table(
        [
            ("A", "approved_unsupplied", 90.0, "supplied", "2022-01-01"),
            ("A", "approved_unsupplied", 5.0, None, None),
            ("A", "approved_unsupplied", 5.0, None, None),
        ]
    )
    rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert rates.loc[("A", "all"), "count_rate"] == pytest.approx(1 / 3)
    assert rates.loc[("A", "all"), "rate"] == pytest.approx(0.9)
    assert rates.loc[("A", "all"), "disposed_parcels"] == 1


def test_a_disposed_parcel_split_across_zones_counts_once_in_a_roll_up():
    frame = table(
        [
            ("A", "low_efficiency", 6.0, "upgraded", "2022-01-01"),
            ("B", "low_efficiency", 4.0, "upgraded", "2022-01-01"),
            ("B", "low_efficiency", 5.0, None, None),
        ]
    )
    frame.loc[:1, "parcel_id"] = "split"
    overall = lu.disposal_rates(frame.assign(city="X"), by="city", as_of="2022-06-30")
    row = overall.loc[("X", "all")]
    assert (row["parcels"], row["disposed_parcels"]) == (2, 1)
    assert row["count_rate"] == pytest.approx(0.5)
    assert row["disposed_area_mu"] == pytest.approx(10.0)


# --- the safety net for the redesign (issue 12): behaviours the mutation run found loose -----


def test_a_disposal_date_without_a_method_is_not_a_disposal():
    # a parcel is disposed when it has a method that counts *and* a date (API.md, Data model)
    frame = table(
        [
            ("A", "approved_unsupplied", 10.0, None, "2022-01-01"),
            ("A", "approved_unsupplied", 30.0, "supplied", "2022-01-01"),
        ]
    )
    rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert rates.loc[("A", "approved_unsupplied"), "disposed_parcels"] == 1
    assert rates.loc[("A", "approved_unsupplied"), "rate"] == pytest.approx(0.75)


def test_an_inventory_without_disposal_columns_has_nothing_disposed():
    frame = table().drop(columns=["disposal_method", "disposal_date"])
    rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert (rates["disposed_parcels"] == 0).all()
    assert (rates["disposed_area_mu"] == 0).all()
    assert rates.loc[("A", "all"), "area_mu"] == 100
    assert rates.loc[("A", "all"), "rate"] == 0


def test_a_disposal_dated_in_the_future_does_not_count_without_as_of():
    frame = table(
        [
            ("A", "low_efficiency", 10.0, "upgraded", "2022-01-01"),
            ("A", "low_efficiency", 30.0, "upgraded", "2999-01-01"),
        ]
    )
    rates = lu.disposal_rates(frame)  # as of today
    assert rates.loc[("A", "low_efficiency"), "rate"] == pytest.approx(0.25)


def test_one_method_may_be_given_as_a_string():
    rates = lu.disposal_rates(
        table(), as_of="2022-06-30", methods={"approved_unsupplied": "reserved"}
    )
    assert rates.loc[("A", "approved_unsupplied"), "rate"] == 0  # supplied no longer counts
    assert rates.loc[("B", "approved_unsupplied"), "rate"] == 1
    assert rates.loc[("A", "low_efficiency"), "rate"] == 1  # other categories keep their list


def test_bad_by_methods_and_sources_are_refused():
    with pytest.raises(lu.InputError, match=r"unknown categor.*idle"):
        lu.disposal_rates(table(), methods={"idle": ["started"]})
    with pytest.raises(lu.InputError, match="at least one column"):
        lu.disposal_rates(table(), by=[])
    with pytest.raises(lu.InputError, match="cannot include 'category'"):
        lu.disposal_rates(table(), by=["zone", "category"])
    with pytest.raises(lu.InputError, match="postgresql"):
        lu.disposal_rates("parcels.gpkg")
    with pytest.raises(lu.InputError, match="area_mu"):
        lu.disposal_rates(table().drop(columns="area_mu"))
    for target in (-0.1, 1.1):
        with pytest.raises(lu.InputError, match="target"):
            lu.disposal_rates(table(), target=target)
    for target in (0.0, 1.0):  # the ends of the range are rates too
        assert "meets_target" in lu.disposal_rates(table(), target=target).columns


def test_areas_are_measured_when_the_task_list_has_none(parcels_from):
    # 100 m squares in EPSG:4549: 10 000 m² = 15 亩 each
    parcels = parcels_from(
        [
            {
                "zone": "A",
                "category": "low_efficiency",
                "disposal_method": "upgraded",
                "disposal_date": pd.Timestamp("2022-01-01"),
            },
            {
                "zone": "A",
                "category": "low_efficiency",
                "disposal_method": None,
                "disposal_date": pd.NaT,
            },
        ]
    )
    rates = lu.disposal_rates(parcels, as_of="2022-06-30")
    assert rates.loc[("A", "all"), "area_mu"] == pytest.approx(30.0, rel=1e-9)
    assert rates.loc[("A", "all"), "disposed_area_mu"] == pytest.approx(15.0, rel=1e-9)


def test_every_zone_gets_every_category_and_zones_come_sorted():
    rates = lu.disposal_rates(table(list(reversed(ROWS))), as_of="2022-06-30")
    assert rates.index.get_level_values("zone").unique().tolist() == ["A", "B"]
    assert rates.loc["B"].index.tolist() == [*lu.CATEGORIES, "all"]
    empty = rates.loc[("B", "low_efficiency")]
    assert (empty["parcels"], empty["area_mu"]) == (0, 0)
    assert rates["parcels"].dtype == "int64" and rates["disposed_parcels"].dtype == "int64"


def test_display_rates_in_chinese_for_people():
    frame = table()
    frame.loc[4, "zone"] = None  # outside every zone
    shown = lu.display_rates(lu.disposal_rates(frame, as_of="2022-06-30", target=0.6), digits=0)
    assert list(shown.columns[:2]) == ["片区", "类别"]
    a_all = shown[(shown["片区"] == "A") & (shown["类别"] == "合计")].iloc[0]
    assert a_all["处置率"] == "70%"
    assert a_all["达标"] == "是"
    a_idle = shown[(shown["片区"] == "A") & (shown["类别"] == "供而未用")].iloc[0]
    assert a_idle["达标"] == "否" and a_idle["处置率"] == "0%"
    outside = shown[shown["片区"] == "（区外）"]
    assert len(outside) == 4  # the parcel outside every zone is shown, labelled
    assert outside["处置率"].tolist() == ["100%", "—", "—", "100%"]  # no stock: no rate
    assert outside["达标"].tolist() == ["是", "—", "—", "是"]
    b = lu.display_rates(lu.disposal_rates(table(), as_of="2022-06-30"), lang="en")
    low = b[(b["Zone"] == "B") & (b["Category"] == lu.category_label("low_efficiency", "en"))]
    assert low["Rate"].iloc[0] == "—"


def test_display_rates_as_numbers_for_a_spreadsheet():
    rates = lu.disposal_rates(table(), as_of="2022-06-30")
    shown = lu.display_rates(rates, as_numbers=True)
    assert shown["处置率"].iloc[0] == pytest.approx(rates["rate"].iloc[0])
    rounded = lu.display_rates(rates.assign(area_mu=rates["area_mu"] + 0.04), digits=1)
    assert rounded["面积（亩）"].iloc[0] == pytest.approx(round(rates["area_mu"].iloc[0] + 0.04, 1))
    unrounded = lu.display_rates(rates.assign(area_mu=rates["area_mu"] + 0.04), as_numbers=True)
    assert unrounded["面积（亩）"].iloc[0] == rates["area_mu"].iloc[0] + 0.04


def test_display_rates_default_to_one_decimal():
    rates = lu.disposal_rates(table(), as_of="2022-06-30")
    shown = lu.display_rates(rates.assign(area_mu=rates["area_mu"] + 0.04))
    first = shown.iloc[0]  # zone A, 批而未供: 30 of 40 亩
    assert (first["片区"], first["类别"]) == ("A", "批而未供")
    assert first["处置率"] == "75.0%"
    assert first["面积（亩）"] == pytest.approx(40.0)


def test_progress_by_zone_per_quarter():
    frame = table(
        [
            ("A", "low_efficiency", 10.0, "upgraded", "2022-01-15"),
            ("A", "low_efficiency", 30.0, "upgraded", "2022-05-01"),
            ("B", "low_efficiency", 60.0, "upgraded", "2022-02-01"),
            ("B", "low_efficiency", 40.0, None, None),
        ]
    )
    table_ = lu.progress(frame, freq="Q", by="zone")
    a = table_.loc[("A", "low_efficiency")]
    assert a.index.tolist() == [pd.Period("2022Q1", "Q"), pd.Period("2022Q2", "Q")]
    assert a["disposed_area_mu"].tolist() == [10.0, 30.0]
    assert a["cumulative_area_mu"].tolist() == [10.0, 40.0]
    assert a["cumulative_parcels"].tolist() == [1, 2]
    assert a["rate"].tolist() == [pytest.approx(0.25), pytest.approx(1.0)]
    b = table_.loc[("B", "all")]
    assert b["area_mu"].tolist() == [100.0, 100.0]
    assert b["rate"].tolist() == [pytest.approx(0.6), pytest.approx(0.6)]


def test_progress_counts_disposals_before_its_first_period():
    frame = table(
        [
            ("A", "approved_unsupplied", 20.0, "supplied", "2021-06-10"),
            ("A", "approved_unsupplied", 30.0, "supplied", "2022-02-10"),
            ("A", "approved_unsupplied", 50.0, None, None),
        ]
    )
    table_ = lu.progress(frame, start="2022-01-01").xs("all", level="category")
    assert table_.index[0] == pd.Period("2022-01", "M")
    assert table_["cumulative_area_mu"].tolist() == [20.0, 50.0]
    assert table_["cumulative_parcels"].tolist() == [1, 2]
    assert table_["rate"].iloc[-1] == pytest.approx(0.5)
    whole = lu.progress(frame).xs("all", level="category")
    assert whole.index[0] == pd.Period("2021-06", "M") and len(whole) == 9


def test_progress_refuses_what_it_cannot_show():
    with pytest.raises(lu.InputError, match="freq"):
        lu.progress(table(), freq="W")
    with pytest.raises(lu.InputError, match="no parcel has a category"):
        lu.progress(table().assign(category=None))
    with pytest.raises(lu.InputError, match="no disposal"):
        lu.progress(table().assign(disposal_method=None, disposal_date=pd.NaT))


def test_only_a_method_without_a_date_is_reported():
    # parcels with neither method nor date are simply not disposed: no warning for them
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lu.disposal_rates(table(), as_of="2022-06-30")
    frame = table()
    frame.loc[0, "disposal_date"] = pd.NaT  # P0: supplied, but when?
    with pytest.warns(lu.UndatedDisposalWarning, match=r"^1 disposal\(s\) .*: P0$"):
        rates = lu.disposal_rates(frame, as_of="2022-06-30")
    assert rates.loc[("A", "approved_unsupplied"), "disposed_parcels"] == 0


def test_one_unknown_category_among_good_ones_is_named():
    frame = table()
    frame.loc[2, "category"] = "idle_land"
    with pytest.raises(lu.InputError, match=r"unknown category 'idle_land'.*P2"):
        lu.disposal_rates(frame, as_of="2022-06-30")


def test_progress_axis_starts_at_the_first_disposal_that_still_counts():
    frame = table(
        [
            ("A", "supplied_unused", 10.0, "extended", "2015-01-10"),  # lapsed in 2016
            ("A", "supplied_unused", 30.0, "started", "2022-03-01"),
            ("A", "supplied_unused", 60.0, "started", "2022-04-30"),
        ]
    )
    table_ = lu.progress(frame).xs("all", level="category")
    assert table_.index[0] == pd.Period("2022-03", "M")
    assert table_.index[-1] == pd.Period("2022-04", "M")
    assert table_["cumulative_area_mu"].tolist() == [30.0, 90.0]  # the lapsed one no longer


def test_progress_includes_disposals_in_its_last_period():
    frame = table(
        [
            ("A", "low_efficiency", 10.0, "upgraded", "2022-01-01"),
            ("A", "low_efficiency", 30.0, "upgraded", "2022-03-31"),
            ("A", "low_efficiency", 60.0, "upgraded", "2022-04-01"),
        ]
    )
    table_ = lu.progress(frame, start="2022-01-01", as_of="2022-03-31").xs("all", level="category")
    assert table_.index.tolist() == [pd.Period(f"2022-0{m}", "M") for m in (1, 2, 3)]
    assert table_["disposed_area_mu"].tolist() == [10.0, 0.0, 30.0]
    assert table_["rate"].iloc[-1] == pytest.approx(0.4)


def test_a_zone_with_one_small_parcel_has_a_rate():
    # 0.6 亩 (400 m²) and a single parcel are a stock like any other: rate 1, not "no stock"
    frame = table([("A", "low_efficiency", 0.6, "cleared", "2022-01-01")])
    row = lu.disposal_rates(frame, as_of="2022-06-30").loc[("A", "low_efficiency")]
    assert (row["rate"], row["count_rate"]) == (1.0, 1.0)


def test_a_target_is_reported_beside_each_rate():
    rates = lu.disposal_rates(table(), as_of="2022-06-30", target=0.6)
    assert (rates["target"] == 0.6).all()
    assert list(rates.columns[-2:]) == ["target", "meets_target"]


def test_progress_counts_only_the_methods_that_count():
    frame = table(
        [
            ("A", "supplied_unused", 10.0, "extended", "2022-01-10"),
            ("A", "supplied_unused", 30.0, "started", "2022-02-10"),
            ("A", "supplied_unused", 60.0, None, None),
        ]
    )
    table_ = lu.progress(frame, methods={"supplied_unused": ["started"]}, as_of="2023-06-30")
    idle = table_.xs("supplied_unused", level="category")
    # the extension does not count, so it neither adds to the progress nor lapses from it
    assert idle["disposed_area_mu"].sum() == 30.0
    assert idle["lapsed_area_mu"].sum() == 0.0
    assert idle["cumulative_area_mu"].iloc[-1] == 30.0
    assert idle.index[0] == pd.Period("2022-02", "M")


def test_progress_keeps_an_extension_whose_site_started_in_time():
    frame = table([("A", "supplied_unused", 10.0, "extended", "2021-03-15")]).assign(
        actual_start_date=pd.to_datetime(["2022-01-10"])
    )
    idle = lu.progress(frame, as_of="2022-06-30").xs("supplied_unused", level="category")
    assert idle["lapsed_area_mu"].sum() == 0.0
    assert idle["rate"].iloc[-1] == 1.0


def test_progress_needs_its_columns_and_a_disposal():
    with pytest.raises(lu.MissingColumnError, match="zone"):
        lu.progress(table().drop(columns="zone"), by="zone")
    with pytest.raises(lu.InputError, match="no disposal"):
        lu.progress(table().assign(disposal_method=None, disposal_date=pd.NaT), start="2022-01-01")


def test_a_database_needs_a_url_and_a_table():
    with pytest.raises(lu.InputError, match="table="):
        lu.disposal_rates("postgresql://user@localhost:1/landuse")  # no table: never connects
    with pytest.raises(lu.InputError, match="table="):
        lu.disposal_rates("parcels.gpkg", table="pieces")


def test_progress_axis_ignores_an_extension_that_lapsed_on_the_last_disposal_day():
    frame = table(
        [
            ("A", "supplied_unused", 10.0, "extended", "2021-03-15"),  # lapses 2022-03-15
            ("A", "supplied_unused", 30.0, "started", "2022-03-15"),
        ]
    )
    table_ = lu.progress(frame).xs("all", level="category")
    assert table_.index[0] == pd.Period("2022-03", "M")
