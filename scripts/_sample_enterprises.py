"""Parks (区中园) and the enterprise ledger (企业台账) of the bundled sample (deterministic).

SYNTHETIC DATA, called from ``make_west_coast.py`` once the parcels are final. The seed article
names 8 parks within the Marine High-tech Zone; two by name: 中电光谷 (1,900+ market entities,
2021 output 100 亿元 and 利税 10 亿元) and 联东U谷. The other six here are invented and marked
``synthetic``. Every park is a group of parcels in the 海洋高新区 streets; the parcels get a
``park`` column (the park holding their representative point, as ``per_mu_by(..., areas=parks)``
derives it).

Enterprises sit on built industrial and warehousing parcels (0601, 0604; any non-housing use in parks):
one or a few per parcel outside the parks, dozens per parcel inside them (small tenants of
standard factory buildings), some on several parcels. Their 2021 tax and output add up to the
parcel ledger's ``tax_per_mu`` and ``output_per_mu`` outside the parks (so the enterprises on
low-efficiency land score low); inside the parks the parcel ledger is set from the enterprises.
Figures for 2020 and 2022 follow from 2021 with growth; a few enterprises enter or leave.
Money in 万元, energy in 吨标煤 (tce), land in 亩.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import landuse as lu

SEED = 13_2021
YEARS = (2020, 2021, 2022)
MARINE_STREETS = ("灵山卫街道", "珠海街道", "隐珠街道")
# name: (lon, lat, target area 亩, 2021 entities, synthetic, opened)
PARKS = {
    "中电光谷": (120.112, 35.922, 1500, 2130, False, 2016),
    "联东U谷": (120.082, 35.906, 520, 190, False, 2017),
    "海洋新材料产业园": (120.122, 35.905, 360, 60, True, 2015),
    "智能装备产业园": (120.088, 35.928, 360, 55, True, 2014),
    "海洋生物医药产业园": (120.040, 35.872, 320, 70, True, 2018),
    "电子信息孵化园": (120.020, 35.890, 260, 120, True, 2019),
    "港航物流园": (119.990, 35.900, 340, 35, True, 2013),
    "科创企业加速器": (120.000, 35.888, 220, 90, True, 2020),
}
ZHONGDIAN_OUTPUT_2021 = 1_000_000.0  # 万元 = 100 亿元
ZHONGDIAN_PROFIT_TAX_2021 = 100_000.0  # 万元 = 10 亿元 (利税: profit + tax)
PARK_CODES = ("0601", "0604", "0505", "0501", "0809")  # every use but housing
FIRM_CODES = ("0601", "0604")
WORDS = (
    "海纳", "瑞丰", "中科", "博远", "海源", "泰和", "恒信", "鑫达", "华通", "金港", "蓝海",
    "东方", "汇智", "万顺", "明德", "青云", "海晟", "正阳", "嘉禾", "卓越", "润泽", "弘业",
    "启航", "智汇", "星辰", "远航", "聚力", "天成", "宏图", "鼎盛",
)  # fmt: skip
TRADES = (
    "电子", "机械", "新材料", "智能装备", "海洋生物", "化工", "物流", "食品", "光电",
    "船舶配套", "软件", "检测", "医疗器械", "数字科技",
)  # fmt: skip
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(serial: int) -> str:
    """A well-formed 统一社会信用代码 (GB 32100-2015 check character) for 黄岛区, synthetic."""
    body = "91370211MA" + np.base_repr(serial + 36**6, 36)[-7:].replace("I", "J").replace(
        "O", "P"
    ).replace("S", "T").replace("V", "W").replace("Z", "Y")
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(body, _CODE_WEIGHTS, strict=True))
    return body + _CODE_CHARS[(31 - total % 31) % 31]


def _grow(seed_xy: tuple[float, float], pool: gpd.GeoDataFrame, target_mu: float) -> list[int]:
    """Parcels nearest the seed point until the target area (亩) is reached."""
    distance = pool.geometry.centroid.distance(shapely.Point(seed_xy))
    chosen, area = [], 0.0
    for row in distance.sort_values(kind="stable").index:
        chosen.append(row)
        area += float(pool.at[row, "area_mu"])
        if area >= target_mu:
            break
    return chosen


def parks_layer(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 8 parks as groups of parcels in the Marine High-tech Zone streets."""
    work = lu.add_areas(parcels).to_crs(4549)
    marine = zones[zones["name"].isin(MARINE_STREETS)].to_crs(4549)
    inside = work.geometry.representative_point().within(shapely.union_all(marine.geometry.array))
    pool = work[inside & (work["land_use_code"] != "0701")]  # parks hold no housing
    rows = []
    taken = shapely.Polygon()
    for name, (lon, lat, target, _, synthetic, opened) in PARKS.items():
        x, y = gpd.GeoSeries.from_xy([lon], [lat], crs=4490).to_crs(4549).iloc[0].coords[0]
        members = _grow((x, y), pool, target)
        pool = pool.drop(index=members)
        # closing (+30 m, −30 m) joins the parcels across the roads into one park
        shape = shapely.union_all(work.geometry.loc[members].buffer(30.0).array).buffer(-30.0)
        shape = shapely.make_valid(shape.difference(taken))
        taken = taken.union(shape)
        rows.append(
            {
                "name": name,
                "synthetic": synthetic,
                "opened": opened,
                "note": "示例园区（合成）" if synthetic else "原文所列园区，边界与数据为合成",
                "geometry": shape,
            }
        )
    parks = gpd.GeoDataFrame(rows, crs=4549)
    parks["geometry"] = parks.geometry.segmentize(10.0)
    parks = parks.to_crs(4490)
    rounded = shapely.transform(parks.geometry.array, lambda xy: np.round(xy, 7))
    parks["geometry"] = shapely.buffer(rounded, 0)  # valid again after rounding
    return parks


def park_of(parcels: gpd.GeoDataFrame, parks: gpd.GeoDataFrame) -> pd.Series:
    """The park holding each parcel's representative point (missing outside every park)."""
    points = gpd.GeoDataFrame(geometry=parcels.geometry.representative_point(), crs=parcels.crs)
    joined = gpd.sjoin(points, parks[["name", "geometry"]], predicate="within", how="left")
    joined = joined[~joined.index.duplicated()]
    return joined["name"].reindex(parcels.index).astype(object).where(joined["name"].notna(), None)


def _names(rng: np.random.Generator, n: int) -> list[str]:
    out, seen = [], set()
    for _ in range(n):
        name = f"青岛{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司"
        k = 2
        while name in seen:
            name = name.replace("有限公司", f"{k}号有限公司") if k == 2 else name
            k += 1
            if name in seen:
                name = f"青岛{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(WORDS)}科技有限公司"
        seen.add(name)
        out.append(name)
    return out


def enterprises_table(
    parcels: gpd.GeoDataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The 2020–2022 ledger, and the parcels' new tax_per_mu / output_per_mu inside parks."""
    area = lu.add_areas(parcels)["area_mu"]
    built = parcels["actual_completion_date"].notna() | (
        parcels["approval_date"].isna() & parcels["supply_date"].isna()
    )
    healthy = built & parcels["category"].isna()
    in_use = healthy | (built & (parcels["category"] == "low_efficiency"))
    in_park = parcels["park"].notna()
    rows: list[dict[str, object]] = []
    serial = 0
    tax_mu = parcels["tax_per_mu"].copy()
    output_mu = parcels["output_per_mu"].copy()

    def entity(parcel_rows: list[int], weight: float, base: dict[str, float]) -> None:
        nonlocal serial
        serial += 1
        rows.append({"serial": serial, "parcels": parcel_rows, "weight": weight, **base})

    # --- outside the parks: the parcel ledger's per-mu figures, split among its occupants
    outside = parcels.index[in_use & ~in_park & parcels["land_use_code"].isin(FIRM_CODES)]
    outside = outside[parcels.loc[outside, "tax_per_mu"].notna().to_numpy()]
    taken: set[int] = set()
    order = parcels.loc[outside].to_crs(4549).geometry.centroid
    for row in outside:
        if row in taken:
            continue
        occupants = int(rng.choice([1, 1, 1, 1, 1, 1, 2, 3]))
        group = [row]
        if occupants == 1 and rng.random() < 0.07:  # one firm on two or three neighbours
            near = order.drop(index=list(taken | {row})).distance(order[row]).nsmallest(2)
            group += [int(i) for i in near.index[near < 400][: int(rng.integers(1, 3))]]
        taken.update(group)
        tax_total = sum(float(parcels.at[r, "tax_per_mu"]) * float(area[r]) for r in group)
        out_total = sum(float(parcels.at[r, "output_per_mu"]) * float(area[r]) for r in group)
        weights = rng.dirichlet(np.full(occupants, 2.0)) if occupants > 1 else np.ones(1)
        stated = rng.random() < 0.35  # the ledger states its land (用地面积)
        for w in weights:
            entity(
                group,
                float(w),
                {
                    "tax": tax_total * w,
                    "output": out_total * w,
                    "stated_share": float(w) if stated else np.nan,
                    "park": None,
                },
            )

    # --- inside the parks: many small tenants, totals set per park
    for name, (_, _, _, entities, _, _) in PARKS.items():
        members = parcels.index[
            (parcels["park"] == name) & healthy & parcels["land_use_code"].isin(PARK_CODES)
        ]
        if len(members) == 0:
            continue
        if name == "中电光谷":
            output_total, tax_share = ZHONGDIAN_OUTPUT_2021, 0.45
        else:
            output_total = float(area[members].sum()) * rng.uniform(380, 720)
            tax_share = rng.uniform(0.4, 0.55)
        # each parcel's output in proportion to its area (±20 %), shared by its tenants
        capacity = area[members].to_numpy() * rng.uniform(0.8, 1.2, len(members))
        capacity /= capacity.sum()
        tenants = 1 + rng.multinomial(entities - len(members), capacity)
        for h, parcel_share, count in zip(members, capacity, tenants, strict=True):
            size = rng.lognormal(0.0, 1.1, count)
            if count >= 20:
                size[0] *= 12  # an anchor firm in the bigger buildings
            for s_ in size / size.sum():
                parcels_of = [int(h)]
                if rng.random() < 0.01:  # a tenant in two buildings
                    parcels_of = sorted({int(h), int(rng.choice(members.to_numpy()))})
                entity(
                    parcels_of,
                    1.0,
                    {
                        "output": output_total * parcel_share * s_,
                        "profit_margin": float(rng.uniform(0.07, 0.14)),
                        "tax_share": tax_share,
                        "stated_share": np.nan,
                        "park": name,
                    },
                )
    table = pd.DataFrame(rows)
    n = len(table)
    first = np.where(rng.random(n) < 0.05, 2022, np.where(rng.random(n) < 0.04, 2021, 2020))
    last = np.where((first == 2020) & (rng.random(n) < 0.03), 2020, 2022)
    present_2021 = (first <= 2021) & (last >= 2021)
    zhongdian = (table["park"] == "中电光谷").to_numpy()
    # the seed's 2021 figures for 中电光谷, over the entities present that year
    table.loc[zhongdian, "output"] *= (
        ZHONGDIAN_OUTPUT_2021 / table.loc[zhongdian & present_2021, "output"].sum()
    )

    # 中电光谷: profit + tax = 10 亿 exactly in 2021; other parks: tax ≈ a share of 利税
    park_rows = table["park"].notna()
    revenue_ratio = rng.uniform(0.92, 1.08, len(table))
    table["revenue"] = table["output"] * revenue_ratio
    profit_tax = table["output"] * table["profit_margin"].fillna(0.0)
    for name in PARKS:
        rows_of = table["park"] == name
        if name == "中电光谷":
            profit_tax[rows_of] *= (
                ZHONGDIAN_PROFIT_TAX_2021 / profit_tax[rows_of & present_2021].sum()
            )
    table.loc[park_rows, "tax"] = (profit_tax * table["tax_share"])[park_rows]
    table["profit"] = np.where(
        park_rows,
        profit_tax - table["tax"].fillna(0.0),
        table["revenue"] * rng.uniform(-0.03, 0.1, len(table)),
    )
    table["value_added"] = table["output"] * rng.uniform(0.18, 0.36, len(table))
    table["energy_tce"] = table["value_added"] / rng.lognormal(np.log(1.6), 0.5, len(table))
    table["rd_spend"] = table["revenue"] * rng.uniform(0.0, 0.07, len(table))
    productivity = rng.lognormal(np.log(90.0), 0.45, len(table))  # output per worker, 万元
    table["employees"] = np.maximum(np.round(table["output"] / productivity), 3)

    # park parcels' ledger from their tenants (2021), so parcel and enterprise ledgers agree
    park_tax: dict[int, float] = {}
    park_output: dict[int, float] = {}
    for parcel_rows, tax, output in zip(
        table.loc[park_rows, "parcels"],
        table.loc[park_rows, "tax"],
        table.loc[park_rows, "output"],
        strict=True,
    ):
        for r in parcel_rows:
            park_tax[r] = park_tax.get(r, 0.0) + tax / len(parcel_rows)
            park_output[r] = park_output.get(r, 0.0) + output / len(parcel_rows)
    for r, tax in park_tax.items():
        tax_mu[r] = round(tax / float(area[r]), 1)
        output_mu[r] = round(park_output[r] / float(area[r]), 0)

    # --- ids, names, gaps in reporting, years
    table["enterprise_id"] = [credit_code(int(i) * 7919 + 12345) for i in table["serial"]]
    table["name"] = _names(rng, n)
    for column, share in (("energy_tce", 0.03), ("rd_spend", 0.05), ("employees", 0.02)):
        table.loc[rng.random(n) < share, column] = np.nan  # not reported (未报送)
    growth = {2020: rng.uniform(0.82, 0.98, n), 2021: np.ones(n), 2022: rng.uniform(0.97, 1.16, n)}
    money = ("tax", "revenue", "output", "value_added", "profit", "energy_tce", "rd_spend")

    ledger_rows: list[dict[str, object]] = []
    area_by_row = area.to_dict()
    for i, record in enumerate(table.itertuples(index=False)):
        parcel_rows = list(record.parcels)
        for year in YEARS:
            if not first[i] <= year <= last[i]:
                continue
            g = float(growth[year][i])
            for r in parcel_rows:
                stated = record.stated_share
                land = (
                    round(float(stated) * float(area_by_row[r]), 2)
                    if not pd.isna(stated)
                    else np.nan
                )
                row: dict[str, object] = {
                    "enterprise_id": record.enterprise_id,
                    "name": record.name,
                    "parcel_id": parcels.at[r, "parcel_id"],
                    "land_area_mu": land,
                    "year": year,
                }
                for column in money:
                    value = getattr(record, column)
                    row[column] = np.nan if pd.isna(value) else round(float(value) * g, 1)
                employees = record.employees
                row["employees"] = (
                    np.nan if pd.isna(employees) else float(max(round(employees * g), 1))
                )
                ledger_rows.append(row)
    ledger = pd.DataFrame(ledger_rows)
    return ledger, tax_mu, output_mu


def add_layers(
    parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, list[tuple[str, pd.DataFrame]]]:
    """Parcels with ``park`` (and park parcels' per-mu ledger), plus the parks and enterprises
    layers to write."""
    rng = np.random.default_rng(SEED)
    parks = parks_layer(parcels, zones)
    out = parcels.copy()
    out["park"] = park_of(out, parks)
    ledger, tax_mu, output_mu = enterprises_table(out, rng)
    before = lu.classify(out, as_of="2021-12-31")["category"]
    out["tax_per_mu"], out["output_per_mu"] = tax_mu, output_mu
    after = lu.classify(out, as_of="2021-12-31")["category"]
    changed = before.fillna("-") != after.fillna("-")
    if changed.any():
        raise SystemExit(f"park ledger changed the task list of {int(changed.sum())} parcels")
    summary(out, ledger)
    return out, [("parks", parks), ("enterprises", ledger)]


def summary(parcels: gpd.GeoDataFrame, ledger: pd.DataFrame) -> None:
    """Print and check the seed's numbers."""
    joined = ledger.merge(parcels[["parcel_id", "park"]], on="parcel_id", how="left")
    y2021 = joined[joined["year"] == 2021].drop_duplicates(["enterprise_id"])
    zd = y2021[y2021["park"] == "中电光谷"]
    entities = zd["enterprise_id"].nunique()
    output = zd["output"].sum() / 1e4
    profit_tax = (zd["profit"] + zd["tax"]).sum() / 1e4
    print(
        f"enterprises: {ledger['enterprise_id'].nunique()} ({len(ledger)} rows); 中电光谷 2021: "
        f"{entities} entities, 产值 {output:.2f} 亿元, 利税 {profit_tax:.2f} 亿元"
    )
    print(y2021.groupby("park")["enterprise_id"].nunique().to_string())
    if ledger["enterprise_id"].nunique() < 2500 or entities < 1900:
        raise SystemExit("too few enterprises")
    if not (99 <= output <= 101 and 9.9 <= profit_tax <= 10.1):
        raise SystemExit(f"中电光谷 2021 off the seed: 产值 {output:.2f}, 利税 {profit_tax:.2f}")
