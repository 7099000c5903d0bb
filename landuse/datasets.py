"""Bundled sample data."""

from __future__ import annotations

import os
from pathlib import Path

from landuse._errors import InputError

__all__ = ["available", "get_path", "make_messy_example"]

_FILES = {"west_coast": "west_coast.gpkg"}

# Installed wheels carry the data inside the package; a source checkout keeps it in data/geo.
_SEARCH = (
    Path(__file__).parent / "_data" / "geo",
    Path(__file__).resolve().parent.parent / "data" / "geo",
)


def available() -> list[str]:
    """Names of the bundled data sets.

    Examples
    --------
    >>> available()
    ['west_coast']
    """
    return sorted(_FILES)


def get_path(name: str) -> Path:
    """Path of a bundled data set.

    ``"west_coast"`` is a **synthetic** parcel inventory placed on the real Qingdao West Coast
    New Area (黄岛区): a GeoPackage in CGCS2000 (EPSG:4490) with layers ``parcels``
    (the 2021-12-31 task list with its ledger through 2022, and the ``park`` each parcel lies
    in), ``zones`` (streets of the two functional zones), ``renewal_zones`` (城市更新片区 and
    the pilot area 风河南片区), ``parks`` (the 8 区中园 of the Marine High-tech Zone: 中电光谷 and
    联东U谷 as the seed names them, six marked ``synthetic``) and ``enterprises`` (the 2020–2022
    enterprise ledger for :func:`landuse.read_enterprises`: 中电光谷 hosts 1,900+ entities with
    2021 output 100 亿元 and 利税 10 亿元).

    Examples
    --------
    >>> get_path("west_coast").name
    'west_coast.gpkg'
    """
    try:
        filename = _FILES[name]
    except KeyError:
        raise InputError(
            f"unknown data set {name!r}; available: {', '.join(available())}"
        ) from None
    for folder in _SEARCH:
        path = folder / filename
        if path.exists():
            return path
    raise FileNotFoundError(f"{filename} is missing from the installation (looked in {_SEARCH})")


def make_messy_example(folder: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write the kind of files a bureau sends, made from the bundled sample.

    A shapefile as exported from a land-management system — GBK text without ``.cpg``, no
    ``.prj``, Gauss-Krüger eastings with the zone prefix, pinyin field names — and an Excel
    ledger (台账) with Chinese headers, Chinese dates and values, a repeated row, a parcel the
    shapefile lacks, and a shape the ledger lacks. Returns (shapefile, ledger) paths.

    Examples
    --------
    >>> import tempfile
    >>> shp, xlsx = make_messy_example(tempfile.mkdtemp())
    >>> shp.suffix, xlsx.suffix, shp.with_suffix(".cpg").exists()
    ('.shp', '.xlsx', False)
    """
    import pandas as pd
    import pyogrio

    from landuse._excel import write_workbook
    from landuse.io import read_parcels
    from landuse.vocab import method_label

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ledger = read_parcels(get_path("west_coast")).head(400)
    shapes = ledger[["parcel_id", "name", "geometry"]].to_crs(4528)
    shapes = shapes.rename(columns={"parcel_id": "DKBH", "name": "DKMC"}).iloc[:-1]  # one short
    shp = folder / "bureau_export.shp"
    pyogrio.write_dataframe(shapes, shp, encoding="GBK")
    for sidecar in (".cpg", ".prj"):
        shp.with_suffix(sidecar).unlink(missing_ok=True)

    def chinese(dates: pd.Series) -> list[object]:
        return [f"{d.year}年{d.month}月{d.day}日" if pd.notna(d) else None for d in dates]

    table = pd.DataFrame(
        {
            "地块编号": ledger["parcel_id"],
            "地块名称": ledger["name"],
            "批准时间": chinese(ledger["approval_date"]),
            "供地时间": [
                d.strftime("%Y.%m.%d") if pd.notna(d) else None for d in ledger["supply_date"]
            ],
            "约定开工时间": chinese(ledger["agreed_start_date"]),
            "实际开工时间": chinese(ledger["actual_start_date"]),
            "实际竣工时间": chinese(ledger["actual_completion_date"]),
            "停工时间": chinese(ledger["stopped_date"]),
            "已开发比例": ledger["developed_ratio"],
            "已投资比例": ledger["invested_ratio"],
            "地类编码": ledger["land_use_code"],
            "容积率": ledger["far"],
            "建筑系数": ledger["building_coverage"],
            "亩均税收": ledger["tax_per_mu"],
            "亩均产值": ledger["output_per_mu"],
            "处置方式": ledger["disposal_method"].map(
                lambda m: method_label(m, "zh"), na_action="ignore"
            ),
            "处置时间": chinese(ledger["disposal_date"]),
        }
    )
    extra = table.iloc[[0]].assign(地块编号="370211999999", 地块名称="台账有、图上无")
    table = pd.concat([table, table.iloc[[5]], extra], ignore_index=True)  # a repeat, a stray
    xlsx = folder / "台账.xlsx"
    write_workbook(xlsx, {"Sheet1": table})
    return shp, xlsx
