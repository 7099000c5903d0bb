"""Renewal-zone stages and the two redevelopment plots of the bundled sample (SYNTHETIC).

Called from ``make_west_coast.py``. The stages follow the seed article (mid-2022):
双珠公园片区 finished and open to the public; 人才公寓 with 拆迁清场 (clearance) under way;
原海滨工业园 and 湿地公园 just starting (加快破题); 风河南岸滨海公园 and its facilities in full use;
王台老工业区 being rebuilt as the "芯屏产业新城"; the pilot area 风河南片区 past its land-use
survey. The plots 阳煤集团恒源化工 and 明天澳普兰 are low-efficiency parcels in the Marine
High-tech Zone next to 风河南片区, to be redeveloped together with the renewal.
The dates are invented.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import shapely

STAGES = ("planning", "acquisition", "clearance", "supply", "construction", "complete")

# new zones: name -> (lon, lat, width m, height m, kind)
EXTRA = {
    "风河南岸滨海公园": (120.091, 35.897, 1300, 450, "城市更新片区"),
    "人才公寓": (120.049, 35.889, 520, 380, "城市更新片区"),
}
# name -> (stage dates in order, target date, plan, status)
TIMELINE: dict[str, tuple[tuple[str | None, ...], str | None, str, str]] = {
    "双珠公园片区": (
        ("2019-03-01", "2019-09-15", "2020-02-01", "2020-06-10", "2020-09-01", "2022-04-28"),
        "2022-06-30",
        "公园提升，已向社会开放",
        "已完成",
    ),
    "人才公寓": (
        ("2021-03-01", "2021-08-20", "2022-01-10", None, None, None),
        "2023-06-30",
        "人才公寓",
        "拆迁清场",
    ),
    "原海滨工业园": (
        ("2021-06-01", "2022-04-15", None, None, None, None),
        "2022-03-31",
        "城市更新",
        "征收",
    ),
    "湿地公园": (
        ("2021-11-20", None, None, None, None, None),
        "2024-12-31",
        "湿地公园提升",
        "规划",
    ),
    "风河南岸滨海公园": (
        ("2019-05-01", "2019-10-01", "2020-03-01", "2020-07-01", "2020-10-15", "2021-12-20"),
        "2021-12-31",
        "滨海公园和综合配套设施，全面投用",
        "已完成",
    ),
    "王台老工业区": (
        ("2020-01-15", "2020-06-01", "2020-10-15", "2021-03-20", "2021-09-01", None),
        "2023-12-31",
        "芯屏产业新城",
        "建设",
    ),
    "风河南片区": (
        ("2021-04-01", "2021-10-01", "2022-03-15", None, None, None),
        "2023-12-31",
        "土地高效利用试点（现状调查完成）",
        "拆迁清场",
    ),
}
SEED_PLOTS = ("阳煤集团恒源化工有限公司", "明天澳普兰（青岛）有限公司")


def renewal_zones(
    renewal: gpd.GeoDataFrame,
    land: shapely.Geometry,
    rect: Callable[[float, float, float, float], shapely.Polygon],
    to_work: Callable[[float, float], tuple[float, float]],
) -> gpd.GeoDataFrame:
    """The renewal layer (work CRS) with the extra zones and the stage and target dates."""
    rows = [renewal]
    taken = shapely.union_all(renewal.geometry.array)
    for name, (lon, lat, width, height, kind) in EXTRA.items():
        shape = rect(*to_work(lon, lat), width, height).intersection(land).difference(taken)
        if shape.area < 0.5 * width * height:
            raise SystemExit(f"renewal zone {name} falls mostly outside the land or on a zone")
        taken = taken.union(shape)
        rows.append(
            gpd.GeoDataFrame(
                [{"name": name, "kind": kind, "status": "", "geometry": shape}], crs=renewal.crs
            )
        )
    out = pd.concat(rows, ignore_index=True)
    for i, stage in enumerate(STAGES):
        out[f"{stage}_date"] = pd.to_datetime(
            [TIMELINE[n][0][i] if n in TIMELINE else None for n in out["name"]]
        )
    out["target_date"] = pd.to_datetime([TIMELINE[n][1] for n in out["name"]])
    out["plan"] = [TIMELINE[n][2] for n in out["name"]]
    out["status"] = [TIMELINE[n][3] for n in out["name"]]
    columns = ["name", "kind", "status", "plan", *(f"{s}_date" for s in STAGES), "target_date"]
    return gpd.GeoDataFrame(out[[*columns, "geometry"]], geometry="geometry", crs=renewal.crs)


def place_seed_plots(
    parcels: gpd.GeoDataFrame, renewal: gpd.GeoDataFrame, marine_streets: set[str]
) -> None:
    """Name the two seed plots: the low-efficiency parcels of the Marine High-tech Zone
    nearest to 风河南片区, outside it (in place)."""
    pilot = renewal.loc[renewal["name"] == "风河南片区"].geometry.iloc[0]
    points = parcels.geometry.representative_point()
    candidates = (
        (parcels["status"] == "low_efficiency")
        & parcels["street"].isin(marine_streets)
        & ~points.within(pilot)
    )
    distance = points[candidates].distance(pilot)
    chosen = distance.sort_values(kind="stable").index[: len(SEED_PLOTS)]
    if len(chosen) < len(SEED_PLOTS) or float(distance.loc[chosen].max()) > 2000:
        raise SystemExit("no low-efficiency parcels near 风河南片区 for the seed plots")
    for row, name in zip(chosen, SEED_PLOTS, strict=True):
        parcels.at[row, "name"] = name


__all__ = ["SEED_PLOTS", "TIMELINE", "place_seed_plots", "renewal_zones"]
