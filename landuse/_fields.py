"""Field presets: source column names → canonical snake_case columns."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FIELD_PRESETS", "resolve_fields"]

_CN_LEDGER: dict[str, str] = {
    # pinyin initials used by Chinese land-management systems (DOMAIN.md)
    "DKBH": "parcel_id",
    "DKMC": "name",
    "DKMJ": "stated_area",
    "XZQDM": "district_code",
    "XZQMC": "district_name",
    "PCMC": "batch_id",
    "PZWH": "approval_no",
    "PZSJ": "approval_date",
    "GDSJ": "supply_date",
    "GDFS": "supply_method",
    "YDKGSJ": "agreed_start_date",
    "SJKGSJ": "actual_start_date",
    "YDJGSJ": "agreed_completion_date",
    "SJJGSJ": "actual_completion_date",
    "DLBM": "land_use_code",
    "RJL": "far",
    "JZMD": "building_coverage",
    "SFXZ": "is_idle",
    "CZFS": "disposal_method",
    "CZSJ": "disposal_date",
    # the same fields under their Chinese headers (Excel ledgers)
    "地块编号": "parcel_id",
    "地块名称": "name",
    "地块面积": "stated_area",
    "行政区代码": "district_code",
    "行政区名称": "district_name",
    "批次名称": "batch_id",
    "批准文号": "approval_no",
    "批准时间": "approval_date",
    "供地时间": "supply_date",
    "供地方式": "supply_method",
    "约定开工时间": "agreed_start_date",
    "实际开工时间": "actual_start_date",
    "约定竣工时间": "agreed_completion_date",
    "实际竣工时间": "actual_completion_date",
    "地类编码": "land_use_code",
    "容积率": "far",
    "建筑密度": "building_coverage",
    "建筑系数": "building_coverage",
    "是否闲置": "is_idle",
    "处置方式": "disposal_method",
    "处置时间": "disposal_date",
    "亩均税收": "tax_per_mu",
    "亩均产值": "output_per_mu",
}

#: Named presets accepted by ``read_parcels(fields=...)``.
FIELD_PRESETS: dict[str, dict[str, str]] = {"cn-ledger": _CN_LEDGER}


def resolve_fields(columns: list[str], fields: str | Mapping[str, str] | None) -> dict[str, str]:
    """Return the ``{source: canonical}`` renames that apply to ``columns``.

    A preset matches source names case-insensitively; an explicit mapping matches exactly.
    """
    if fields is None:
        return {}
    if isinstance(fields, str):
        try:
            preset = FIELD_PRESETS[fields]
        except KeyError:
            raise ValueError(
                f"unknown field preset {fields!r}; known: {', '.join(FIELD_PRESETS)}"
            ) from None
        by_upper = {k.upper(): v for k, v in preset.items()}
        return {c: by_upper[c.upper()] for c in columns if c.upper() in by_upper}
    return {c: fields[c] for c in columns if c in fields}
