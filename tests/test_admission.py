"""项目准入: projects against the control indicators; big projects get land, small ones a park."""

from __future__ import annotations

import pandas as pd
import pytest

import landuse as lu


def projects(**changes: list[object]) -> pd.DataFrame:
    base: dict[str, list[object]] = {
        "project_id": ["P1", "P2", "P3", "P4", "P5"],
        "land_use_code": ["0601", "0601", "601", "0505", "0601"],
        "land_mu": [80.0, 12.0, 50.0, 20.0, 40.0],
        "investment": [32_000.0, 4_200.0, 9_000.0, 8_000.0, 16_000.0],
        "tax_per_mu": [30.0, 25.0, 12.0, 40.0, None],
        "far": [1.4, 2.0, 0.8, None, 1.2],
        "building_coverage": [0.45, 0.5, 0.35, None, 0.4],
    }
    base.update(changes)
    return pd.DataFrame(base)


def test_admission_by_the_control_indicators():
    out = lu.admission(projects()).set_index("project_id")
    assert out["admitted"].to_dict() == {
        "P1": True,
        "P2": True,
        "P3": False,
        "P4": True,  # commercial: FAR and coverage are not industrial controls
        "P5": False,
    }
    assert out["route"].to_dict() == {
        "P1": "land",
        "P2": "park",
        "P3": "land",
        "P4": "park",
        "P5": "land",
    }
    assert out.loc["P1", "investment_per_mu"] == pytest.approx(400.0)
    # P3: investment 180 万元/亩 < 300, FAR 0.8 < 1.0, promised tax 12 < 20 ("601" is 0601)
    reason = out.loc["P3", "reason"]
    assert reason.startswith("不予准入")
    for text in ("投资强度 180 万元/亩 < 300", "容积率 0.80 < 1", "承诺亩均税收 12.0"):
        assert text in reason
    assert "入园" in out.loc["P2", "reason"] and "符合准入条件" in out.loc["P2", "reason"]
    assert out.loc["P2", "route_label"] == "入园"
    # missing is never compliant: P5 lacks the promised tax
    assert out.loc["P5", "undetermined"]
    assert "待核查" in out.loc["P5", "reason"] and "承诺亩均税收" in out.loc["P5", "reason"]


def test_thresholds_are_parameters():
    rules = lu.AdmissionRules(min_investment_per_mu=150, min_far=0.8, min_tax_per_mu=10)
    out = lu.admission(projects(), rules=rules).set_index("project_id")
    assert out.loc["P3", "admitted"]
    big_parks = lu.admission(projects(), rules=lu.AdmissionRules(park_below_mu=100))
    assert set(big_parks["route"]) == {"park"}
    english = lu.admission(projects(), lang="en").set_index("project_id")
    assert english.loc["P3", "reason"].startswith("not admitted")
    assert english.loc["P2", "route_label"] == "into a park"


def test_facility_and_green_shares_where_given():
    out = lu.admission(
        projects(
            admin_share=[0.05, 0.12, None, None, None], green_ratio=[0.25, 0.1, None, None, None]
        )
    ).set_index("project_id")
    assert not out.loc["P1", "admitted"] and "绿地率 25% > 20%" in out.loc["P1", "reason"]
    assert not out.loc["P2", "admitted"] and "行政办公" in out.loc["P2", "reason"]


def test_bad_projects():
    with pytest.raises(lu.MissingColumnError, match="investment"):
        lu.admission(projects().drop(columns="investment"))
    with pytest.raises(lu.DuplicateIdError, match="P1"):
        lu.admission(projects(project_id=["P1", "P1", "P3", "P4", "P5"]))
    with pytest.raises(lu.InputError, match=r"'land_mu'.*P2"):
        lu.admission(projects(land_mu=[80.0, -1.0, 50.0, 20.0, 40.0]))
    with pytest.raises(lu.InputError, match=r"ratio.*P1"):
        lu.admission(projects(building_coverage=[45, 0.5, 0.35, None, 0.4]))
    assert lu.admission(projects().iloc[:0]).empty


def test_rules_as_a_mapping():
    out = lu.admission(projects(), rules={"min_far": 0.5, "min_tax_per_mu": 10})
    assert out.set_index("project_id").loc["P3", "reason"].count("<") == 1  # investment only
    with pytest.raises(lu.InputError, match="unknown admission rule"):
        lu.admission(projects(), rules={"max_far": 3})
