"""Build tests/data/: small bad or messy input files, each with its expected result.

Every case is a file (or a shapefile with its sidecars) plus an entry in manifest.json:
how to read it (``reader`` and keyword arguments) and what must happen — ``"error"`` with the
exception class and a message pattern, or ``"ok"`` with the rows expected and the warning that
must be raised. Deterministic; run:  python scripts/make_test_corpus.py
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

OUT = Path(__file__).resolve().parent.parent / "tests" / "data"
GK40 = 4549
ORIGIN = (500_000.0, 3_980_000.0)  # near Qingdao, CGCS2000 GK zone 40 without prefix


def squares(n: int, size: float = 80.0) -> list[shapely.Polygon]:
    return [
        shapely.box(ORIGIN[0] + i * 100, ORIGIN[1], ORIGIN[0] + i * 100 + size, ORIGIN[1] + size)
        for i in range(n)
    ]


def base(n: int = 4, **columns: list[Any]) -> gpd.GeoDataFrame:
    data = {
        "parcel_id": [f"3702110{i:05d}" for i in range(1, n + 1)],
        "name": [
            "青岛海纳电子有限公司",
            "黄岛区批而未供地块",
            "明天澳普兰（青岛）有限公司",
            "风河南片区3号",
        ][:n],
        **columns,
    }
    return gpd.GeoDataFrame(data, geometry=squares(n), crs=GK40)


def lonlat(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.to_crs(4490)


def shapefile(
    gdf: gpd.GeoDataFrame,
    name: str,
    *,
    encoding: str = "UTF-8",
    cpg: bool = True,
    prj: bool = True,
    crs: Any = None,
) -> str:
    path = OUT / f"{name}.shp"
    data = gdf if crs is None else gdf.set_crs(crs, allow_override=True)
    pyogrio.write_dataframe(data, path, driver="ESRI Shapefile", encoding=encoding)
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    if not prj:
        path.with_suffix(".prj").unlink(missing_ok=True)
    return path.name


def gpkg(gdf: gpd.GeoDataFrame, name: str) -> str:
    path = OUT / f"{name}.gpkg"
    pyogrio.write_dataframe(gdf, path, driver="GPKG", layer="parcels")
    return path.name


def swap(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    flipped = shapely.transform(gdf.geometry.array, lambda xy: xy[:, ::-1])
    return gdf.set_geometry(gpd.GeoSeries(flipped, index=gdf.index, crs=gdf.crs))


def prefixed(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    moved = gdf.translate(xoff=40_000_000).set_crs(4528, allow_override=True)
    return gdf.set_geometry(moved)


def build() -> list[dict[str, Any]]:
    """Write every file; return the manifest."""
    manifest = []

    def add(file: str, expect: dict[str, Any], reader: str = "read_parcels", **kwargs: Any) -> None:
        manifest.append({"file": file, "reader": reader, "kwargs": kwargs, **expect})

    ok: dict[str, Any] = {"expect": "ok"}
    # --- encodings --------------------------------------------------------------------------
    add(
        shapefile(base(), "gbk_no_cpg", encoding="GBK", cpg=False),
        {
            **ok,
            "rows": 4,
            "warning": "EncodingWarning",
            "match": "GB18030",
            "text": "青岛海纳电子有限公司",
        },
    )
    add(
        shapefile(base(), "utf8_no_cpg", cpg=False),
        {**ok, "rows": 4, "warning": "EncodingWarning", "match": "UTF-8", "text": "风河南片区3号"},
    )
    add(
        shapefile(base(), "gbk_no_cpg_override", encoding="GBK", cpg=False),
        {**ok, "rows": 4, "text": "黄岛区批而未供地块"},
        encoding="gbk",
    )
    # --- CRS --------------------------------------------------------------------------------
    add(
        shapefile(lonlat(base()), "no_prj_lonlat", prj=False),
        {**ok, "rows": 4, "warning": "CRSGuessWarning", "match": "EPSG:4490", "epsg": 4490},
    )
    add(
        shapefile(prefixed(base()), "no_prj_prefixed_gk", prj=False),
        {**ok, "rows": 4, "warning": "CRSGuessWarning", "match": "zone prefix 40", "epsg": 4528},
    )
    add(
        shapefile(base(), "no_prj_plain_gk", prj=False),
        {"expect": "error", "error": "MissingCRSError", "match": "central_meridian"},
    )
    add(
        shapefile(base(), "no_prj_plain_gk_with_meridian", prj=False),
        {
            **ok,
            "rows": 4,
            "warning": "CRSGuessWarning",
            "match": "central meridian 120",
            "epsg": 4549,
        },
        central_meridian=120,
    )
    add(
        shapefile(swap(lonlat(base())), "swapped_lonlat", prj=False),
        {**ok, "rows": 4, "warning": "CRSGuessWarning", "match": "swapped", "epsg": 4490},
    )
    add(
        shapefile(swap(prefixed(base())), "swapped_prefixed_gk", prj=False),
        {**ok, "rows": 4, "warning": "CRSGuessWarning", "match": "swapped", "epsg": 4528},
    )
    add(
        shapefile(prefixed(base()), "wrong_prj", crs=4490),
        {**ok, "rows": 4, "warning": "CRSGuessWarning", "match": "does not fit", "epsg": 4528},
    )
    add(
        shapefile(
            base().set_geometry(
                gpd.GeoSeries(squares(4), crs=None).translate(xoff=-400_000, yoff=-3_900_000)
            ),
            "no_prj_nonsense",
            prj=False,
        ),
        {"expect": "error", "error": "MissingCRSError", "match": "neither lon/lat"},
    )
    # --- field names and values ------------------------------------------------------------
    pinyin = (
        base()
        .rename(columns={"parcel_id": "dkbh", "name": "DKMC"})
        .assign(
            PZSJ=["2019-03-01", "2019-03-01", "2018-05-20", "2020-01-02"],
            DKLB=["批而未供", "闲置土地", "低效用地", None],
            CZFS=["出让", "收回", None, None],
            CZSJ=["2022-03-01", "2022-04-01", None, None],
            GDSJ=[None, "2019-06-01", "2018-09-01", None],
        )
    )
    add(
        shapefile(pinyin, "pinyin_fields"),
        {
            **ok,
            "rows": 4,
            "categories": ["approved_unsupplied", "supplied_unused", "low_efficiency", None],
            "methods": ["supplied", "recovered", None, None],
        },
        fields="cn-ledger",
    )
    chinese = (
        base()
        .rename(columns={"parcel_id": "地块编号", "name": "地块名称"})
        .assign(批准时间=["2020年3月1日", "2020.3.1", "20200301", "2020/03/01"])
    )
    add(
        gpkg(chinese, "chinese_headers_dates"),
        {**ok, "rows": 4, "dates": "2020-03-01"},
        fields="cn-ledger",
    )
    # --- bad rows -----------------------------------------------------------------------------
    dup = base()
    dup.loc[3, "parcel_id"] = dup.loc[0, "parcel_id"]
    add(
        gpkg(dup, "duplicate_ids"),
        {"expect": "error", "error": "DuplicateIdError", "match": "repeated: 370211000001"},
    )
    bowtie = base()
    x0, y0 = ORIGIN
    bowtie.loc[1, "geometry"] = shapely.Polygon(
        [(x0, y0), (x0 + 50, y0 + 50), (x0 + 50, y0), (x0, y0 + 50)]
    )
    add(
        gpkg(bowtie, "invalid_bowtie"),
        {**ok, "rows": 4, "warning": "UserWarning", "match": "repaired 1 invalid"},
    )
    empty = base()
    empty.loc[2, "geometry"] = shapely.Polygon()
    add(
        gpkg(empty, "empty_geometry"),
        {"expect": "error", "error": "GeometryError", "match": "empty geometry"},
    )
    points = base().set_geometry(base().centroid)
    add(gpkg(points, "points"), {"expect": "error", "error": "GeometryError", "match": "Point"})
    add(
        gpkg(base(category=["批而未供", "idle", None, None]), "unknown_category"),
        {"expect": "error", "error": "UnknownCategoryError", "match": "'idle'"},
    )
    early = base(
        approval_date=["2021-01-01"] * 4,
        disposal_method=["withdrawn", None, None, None],
        disposal_date=["2020-12-31", None, None, None],
    )
    add(
        gpkg(early, "disposal_before_approval"),
        {"expect": "error", "error": "DateOrderError", "match": "before approval_date"},
    )
    undated = base(disposal_method=["recovered", None, None, None])
    add(
        gpkg(undated, "method_without_date"),
        {  # read with a warning naming the row; not counted as disposed (API.md, Bad input)
            "expect": "ok",
            "warning": "UndatedDisposalWarning",
            "match": "no disposal_date",
            "rows": 4,
            "methods": ["recovered", None, None, None],
        },
    )
    percent = base(developed_ratio=[30.0, 12.5, None, None])
    add(
        gpkg(percent, "percent_ratios"),
        {"expect": "error", "error": "InputError", "match": "between 0 and 1"},
    )
    add(
        gpkg(base().drop(columns="parcel_id"), "no_parcel_id"),
        {"expect": "error", "error": "MissingColumnError", "match": "parcel_id"},
    )
    add(
        gpkg(base(approval_date=["soon", "2020-01-01", None, None]), "not_a_date"),
        {"expect": "error", "error": "DateOrderError", "match": "not dates"},
    )
    # --- ledgers --------------------------------------------------------------------------------
    ledger = pd.DataFrame(
        {
            "地块编号": [370211000001, 370211000002, 370211000003, "370211000099"],
            "地块名称": ["甲", "乙", "丙", "丁"],
            "批准时间": ["2022年6月30日", 44742, "2022.6.30", "20220630"],
            "类别": ["批而未供", "批而未供", "闲置", "低效用地"],
            "处置方式": ["核减", None, "置换", None],
            "处置时间": ["2022-09-01", None, "2022年10月8日", None],
        }
    )
    ledger.to_excel(OUT / "ledger.xlsx", index=False)
    add(
        "ledger.xlsx",
        {
            **ok,
            "rows": 4,
            "dates": "2022-06-30",
            "methods": ["written_down", None, "swapped", None],
        },
        reader="read_ledger",
    )
    ledger.to_csv(OUT / "ledger_gbk.csv", index=False, encoding="gbk")
    add(
        "ledger_gbk.csv",
        {**ok, "rows": 4, "warning": "EncodingWarning", "match": "GB18030"},
        reader="read_ledger",
    )
    bad_dates = ledger.assign(批准时间=["2022年13月1日", None, None, None])
    bad_dates.to_csv(OUT / "ledger_bad_date.csv", index=False)
    add(
        "ledger_bad_date.csv",
        {"expect": "error", "error": "DateOrderError", "match": "not dates"},
        reader="read_ledger",
    )
    return manifest


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    manifest = build()
    (OUT / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(f"wrote {len(manifest)} cases to {OUT}")


if __name__ == "__main__":
    main()
