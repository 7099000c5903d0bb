"""Field presets: source column names and values → canonical columns and ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

__all__ = [
    "CN_ENTERPRISE_LEDGER",
    "CN_LEDGER",
    "ENTERPRISE_PRESETS",
    "FIELD_PRESETS",
    "FieldPreset",
    "resolve_enterprise_preset",
    "resolve_preset",
]

_COLUMNS: dict[str, str] = {
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
    "JDSJ": "delivery_date",
    "TDJK": "land_price",
    "XZYY": "idle_cause",
    "YDKGSJ": "agreed_start_date",
    "SJKGSJ": "actual_start_date",
    "YDJGSJ": "agreed_completion_date",
    "SJJGSJ": "actual_completion_date",
    "TGSJ": "stopped_date",
    "DLBM": "land_use_code",
    "RJL": "far",
    "JZMD": "building_coverage",
    "JZXS": "building_coverage",
    "SFXZ": "is_idle",
    "DKLB": "category",
    "CZFS": "disposal_method",
    "CZSJ": "disposal_date",
    "MJSS": "tax_per_mu",
    "MJCZ": "output_per_mu",
    "YKFBL": "developed_ratio",
    "YTZBL": "invested_ratio",
    "PQ": "zone",
    "GNQ": "functional_zone",
    "RDYJ": "reason",
    "AREA_M2": "area_m2",
    "AREA_MU": "area_mu",
    "AREA_HA": "area_ha",
    # the same fields under their Chinese headers (Excel ledgers)
    "地块编号": "parcel_id",
    "宗地编号": "parcel_id",
    "地块名称": "name",
    "项目名称": "name",
    "地块面积": "stated_area",
    "行政区代码": "district_code",
    "行政区名称": "district_name",
    "批次名称": "batch_id",
    "批准文号": "approval_no",
    "批准时间": "approval_date",
    "批准日期": "approval_date",
    "供地时间": "supply_date",
    "供地日期": "supply_date",
    "供地方式": "supply_method",
    "交地时间": "delivery_date",
    "交地日期": "delivery_date",
    "土地价款": "land_price",
    "出让价款": "land_price",
    "闲置原因": "idle_cause",
    "约定开工时间": "agreed_start_date",
    "约定开工日期": "agreed_start_date",
    "实际开工时间": "actual_start_date",
    "实际开工日期": "actual_start_date",
    "约定竣工时间": "agreed_completion_date",
    "实际竣工时间": "actual_completion_date",
    "停工时间": "stopped_date",
    "已开发比例": "developed_ratio",
    "已投资比例": "invested_ratio",
    "地类编码": "land_use_code",
    "容积率": "far",
    "建筑密度": "building_coverage",
    "建筑系数": "building_coverage",
    "亩均税收": "tax_per_mu",
    "亩均产值": "output_per_mu",
    "是否闲置": "is_idle",
    "地块类别": "category",
    "类别": "category",
    "处置方式": "disposal_method",
    "处置时间": "disposal_date",
    "处置日期": "disposal_date",
}

_CATEGORIES: dict[str, str] = {
    "批而未供": "approved_unsupplied",
    "供而未用": "supplied_unused",
    "闲置": "supplied_unused",
    "闲置土地": "supplied_unused",
    "低效用地": "low_efficiency",
    "低效": "low_efficiency",
    "低效工业用地": "low_efficiency",
}

# Disposal methods by their Chinese names; a few names mean different things per category.
_METHODS: dict[str, str] = {
    "供应": "supplied",
    "已供应": "supplied",
    "出让": "supplied",
    "划拨": "supplied",
    "撤回": "withdrawn",
    "撤销": "withdrawn",
    "核减": "written_down",
    "调整": "adjusted",
    "调整/置换": "adjusted",
    "纳入储备": "reserved",
    "动工": "started",
    "开工": "started",
    "动工开发": "started",
    "竣工": "completed",
    "延长动工期限": "extended",
    "延期开工": "extended",
    "调整用途": "use_changed",
    "调整规划条件": "use_changed",
    "改变用途": "use_changed",
    "临时使用": "temporary_use",
    "收回": "recovered",
    "有偿收回": "recovered",
    "无偿收回": "recovered",
    "置换": "swapped",
    "再开发": "redeveloped",
    "收储": "acquired",
    "提升改造": "upgraded",
    "改造提升": "upgraded",
    "转型": "converted",
    "转型升级": "converted",
    "拆除": "cleared",
    "拆除清场": "cleared",
}
_METHODS_BY_CATEGORY: dict[str, dict[str, str]] = {
    "approved_unsupplied": {"置换": "adjusted", "收储": "reserved", "收回": "withdrawn"},
    "low_efficiency": {"纳入储备": "acquired", "收回": "acquired"},
}
_BOOLEANS = {
    "是": True,
    "否": False,
    "Y": True,
    "N": False,
    "1": True,
    "0": False,
    "true": True,
    "false": False,
    "闲置": True,
    "非闲置": False,
}


@dataclass(frozen=True)
class FieldPreset:
    """How a source names its columns and values.

    Attributes
    ----------
    columns
        ``{source column: canonical column}``, matched case-insensitively.
    categories
        ``{source value: category id}`` for the ``category`` column (批而未供 → ``approved_unsupplied``).
    methods
        ``{source value: method id}`` for ``disposal_method`` (收回 → ``recovered``).
    methods_by_category
        Overrides of ``methods`` per category, for names that differ in meaning
        (置换 is ``adjusted`` for 批而未供 but ``swapped`` for 闲置土地).

    Examples
    --------
    >>> import landuse as lu
    >>> mine = lu.CN_LEDGER.extend(columns={"ZDBH": "parcel_id"}, methods={"依法收回": "recovered"})
    >>> mine.columns["ZDBH"], mine.methods["依法收回"], mine.methods["出让"]
    ('parcel_id', 'recovered', 'supplied')
    """

    columns: Mapping[str, str]
    categories: Mapping[str, str] = field(default_factory=dict)
    methods: Mapping[str, str] = field(default_factory=dict)
    methods_by_category: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def extend(
        self,
        *,
        columns: Mapping[str, str] | None = None,
        categories: Mapping[str, str] | None = None,
        methods: Mapping[str, str] | None = None,
    ) -> FieldPreset:
        """A copy with more (or overriding) column names and values."""
        return replace(
            self,
            columns={**self.columns, **(columns or {})},
            categories={**self.categories, **(categories or {})},
            methods={**self.methods, **(methods or {})},
        )

    def renames(self, source_columns: list[str]) -> dict[str, str]:
        """The renames that apply to these source columns (case-insensitive)."""
        by_upper = {k.upper(): v for k, v in self.columns.items()}
        return {
            c: by_upper[c.strip().upper()] for c in source_columns if c.strip().upper() in by_upper
        }

    def translate_values(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Map Chinese category, method and yes/no values to canonical ones (others kept)."""
        out = frame.copy()
        if "category" in out.columns and self.categories:
            out["category"] = _map_text(out["category"], self.categories)
        if "disposal_method" in out.columns and self.methods:
            method = out["disposal_method"]
            translated = _map_text(method, self.methods)
            if "category" in out.columns:
                for category, overrides in self.methods_by_category.items():
                    rows = out["category"] == category
                    translated = translated.where(
                        ~rows, _map_text(method, {**self.methods, **overrides})
                    )
            out["disposal_method"] = translated
        if "is_idle" in out.columns:
            out["is_idle"] = _map_text(out["is_idle"].astype(object), _BOOLEANS)
        return out


def _map_text(values: pd.Series, mapping: Mapping[str, object]) -> pd.Series:
    text = values.astype(object).where(values.notna(), None)
    stripped = text.map(lambda v: v.strip() if isinstance(v, str) else v)
    return stripped.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v).astype(object)


#: Pinyin-initial fields (DKBH, PZSJ, …) and Chinese headers (地块编号, 批准时间, …) with Chinese
#: category and disposal-method values.
CN_LEDGER = FieldPreset(_COLUMNS, _CATEGORIES, _METHODS, _METHODS_BY_CATEGORY)

#: Named presets accepted by ``read_parcels(fields=...)``.
FIELD_PRESETS: dict[str, FieldPreset] = {"cn-ledger": CN_LEDGER}


def resolve_preset(fields: str | FieldPreset | Mapping[str, str] | None) -> FieldPreset | None:
    """A preset from a name, a preset, or a plain ``{source: canonical}`` mapping."""
    if fields is None or isinstance(fields, FieldPreset):
        return fields
    if isinstance(fields, str):
        try:
            return FIELD_PRESETS[fields]
        except KeyError:
            raise ValueError(
                f"unknown field preset {fields!r}; known: {', '.join(FIELD_PRESETS)}"
            ) from None
    return FieldPreset(dict(fields))


# --- enterprise ledgers (企业台账 of the 亩均效益评价) ---------------------------------------------
_ENTERPRISE_COLUMNS: dict[str, str] = {
    "TYSHXYDM": "enterprise_id",
    "QYMC": "name",
    "DKBH": "parcel_id",
    "YDMJ": "land_area_mu",
    "ND": "year",
    "统一社会信用代码": "enterprise_id",
    "社会信用代码": "enterprise_id",
    "纳税人识别号": "enterprise_id",
    "企业代码": "enterprise_id",
    "企业名称": "name",
    "单位名称": "name",
    "纳税人名称": "name",
    "地块编号": "parcel_id",
    "宗地编号": "parcel_id",
    "用地面积": "land_area_mu",
    "用地面积（亩）": "land_area_mu",
    "用地面积(亩)": "land_area_mu",
    "占地面积（亩）": "land_area_mu",
    "占地面积(亩)": "land_area_mu",
    "用地面积（平方米）": "land_area_m2",
    "用地面积(平方米)": "land_area_m2",
    "年度": "year",
    "年份": "year",
    "评价年度": "year",
    "实缴税金": "tax",
    "实缴税收": "tax",
    "税收实际贡献": "tax",
    "税收": "tax",
    "营业收入": "revenue",
    "主营业务收入": "revenue",
    "工业总产值": "output",
    "产值": "output",
    "工业增加值": "value_added",
    "增加值": "value_added",
    "利润总额": "profit",
    "利润": "profit",
    "综合能耗": "energy_tce",
    "能耗": "energy_tce",
    "研发经费": "rd_spend",
    "研发经费支出": "rd_spend",
    "R&D经费支出": "rd_spend",
    "从业人员": "employees",
    "从业人员数": "employees",
    "年平均职工人数": "employees",
    "职工人数": "employees",
    "所属行业": "industry",
    "行业代码": "industry_code",
    "园区": "park",
    "所在园区": "park",
}

#: Enterprise ledgers with Chinese headers (企业名称, 统一社会信用代码, 地块编号, 用地面积, 实缴税金,
#: 营业收入, 工业增加值, 综合能耗, 研发经费, 从业人员, …); units in brackets after a header
#: (``实缴税金（万元）``) are allowed. Used by ``read_enterprises(fields="cn-ledger")``.
CN_ENTERPRISE_LEDGER = FieldPreset(_ENTERPRISE_COLUMNS)

#: Named presets accepted by ``read_enterprises(fields=...)``.
ENTERPRISE_PRESETS: dict[str, FieldPreset] = {"cn-ledger": CN_ENTERPRISE_LEDGER}


def resolve_enterprise_preset(
    fields: str | FieldPreset | Mapping[str, str] | None,
) -> FieldPreset | None:
    """An enterprise-ledger preset from a name, a preset or a mapping."""
    if isinstance(fields, str):
        try:
            return ENTERPRISE_PRESETS[fields]
        except KeyError:
            raise ValueError(
                f"unknown field preset {fields!r}; known: {', '.join(ENTERPRISE_PRESETS)}"
            ) from None
    return resolve_preset(fields)
