"""Cells of notebooks/04_parks_and_per_mu.ipynb (written by make_notebooks.py)."""

from __future__ import annotations

PARKS_AND_PER_MU = [
    (
        "md",
        "# 区中园与亩均效益 · Parks and the per-mu evaluation\n\nThe seed's zone runs on **亩均论英雄**: every enterprise is surveyed, graded A–D by what it pays and produces per 亩 of land, and the weakest land is redeveloped; small projects go into the parks within the zone (区中园) — 中电光谷 with 1,900+ market entities, 2021 output 100 亿元 and 利税 10 亿元; 联东U谷 — and big ones get land. The bundled data are synthetic but keep those numbers.",
    ),
    (
        "code",
        'import pandas as pd\n\nimport landuse as lu\n\npath = lu.datasets.get_path("west_coast")\nparcels = lu.read_parcels(path)\nparks = lu.read_zones(path, layer="parks")\nenterprises = lu.read_enterprises(path)\nprint(\n    len(parks),\n    "parks;",\n    enterprises["enterprise_id"].nunique(),\n    "enterprises;",\n    sorted(enterprises["year"].unique()),\n)\nparks[["name", "synthetic", "note"]]',
    ),
    (
        "md",
        "## Grade the enterprises (亩均效益评价)\n\nLand per enterprise is its stated 用地面积, else an equal share of each parcel it uses (measured in the right Gauss-Krüger zone). Each indicator is scored by percentile; weights and grade shares are parameters (defaults: `lu.DEFAULT_WEIGHTS`, A the top 20 %, D the bottom 10 %). A hard floor makes 亩均税收 below 3 万元/亩 a D whatever the rank.",
    ),
    (
        "code",
        'graded = lu.per_mu(enterprises, parcels, year=2021, floors={"tax_per_mu": 3})\nprint(graded["grade"].value_counts().sort_index().to_dict())\ngraded[\n    ["name", "land_mu", "tax_per_mu", "revenue_per_mu", "score", "rank", "grade", "missing"]\n].head()',
    ),
    ("md", "## Per park: 中电光谷 against the seed"),
    (
        "code",
        'by_park = lu.per_mu_by(graded, parcels, by="park")\nzd = by_park.loc["中电光谷"]\nprint(\n    f"中电光谷 2021: {zd.enterprises} 家, 产值 {zd.output / 1e4:.1f} 亿元, 利税 {zd.profit_tax / 1e4:.1f} 亿元, 亩均税收 {zd.tax_per_mu:.1f} 万元/亩"\n)\nassert zd.enterprises >= 1900 and round(zd.output / 1e4) == 100 and round(zd.profit_tax / 1e4) == 10\nby_park.round(1)',
    ),
    (
        "md",
        "## On the map\n\nParcels by the grade holding most of their enterprises' land; parks filled by their 亩均税收; grey: parcels without evaluated enterprises.",
    ),
    (
        "code",
        "lu.parcel_map(parcels, grades=graded, parks=parks, context=True, tiles=None, offline=True)",
    ),
    (
        "md",
        "## The grades feed the task list\n\nParcels held mostly by D-class enterprises are screened as 低效用地 with the reason “亩均效益评价 D 类”.",
    ),
    (
        "code",
        'plain = lu.classify(parcels, as_of="2021-12-31")\ntasks = lu.classify(parcels, as_of="2021-12-31", per_mu=graded)\nadded = tasks["category"].eq("low_efficiency") & plain["category"].isna()\nprint(int(added.sum()), "more low-efficiency parcels")\ntasks.loc[tasks["reason"].str.contains("D 类", na=False), ["parcel_id", "name", "reason"]].head()',
    ),
    (
        "md",
        "## 项目准入: big projects get land, small ones go into a park\n\nChecked against the control indicators (investment intensity, plot ratio, building coverage, promised tax per mu); `lu.AdmissionRules` holds the thresholds.",
    ),
    (
        "code",
        'projects = pd.DataFrame(\n    {\n        "project_id": ["XM-01", "XM-02", "XM-03", "XM-04"],\n        "name": ["智能装备产业化项目", "海洋生物试剂中试", "新材料扩产", "研发楼"],\n        "land_use_code": ["0601", "0601", "0601", "0601"],\n        "land_mu": [120, 15, 60, 25],\n        "investment": [54000, 5400, 12000, None],\n        "tax_per_mu": [35, 28, 15, 30],\n        "far": [1.3, 2.2, 0.9, 2.5],\n        "building_coverage": [0.48, 0.55, 0.33, 0.4],\n    }\n)\nlu.admission(projects)[["project_id", "name", "admitted", "route_label", "reason"]]',
    ),
]
