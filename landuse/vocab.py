"""Canonical ids and display labels: categories, disposal methods, units.

The ids are what the data hold; labels are for display, Chinese by default.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "DISPOSAL_METHODS",
    "FIELD_LABELS",
    "IDLE_ACTION_LABELS",
    "IDLE_CAUSE_LABELS",
    "M2_PER_MU",
    "METHOD_LABELS",
    "Lang",
    "category_label",
    "field_label",
]

Lang = Literal["zh", "en"]

#: Square metres in one 亩 (mu): exactly 10000/15.
M2_PER_MU = 10000 / 15

CATEGORIES: tuple[str, ...] = ("approved_unsupplied", "supplied_unused", "low_efficiency")

CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "approved_unsupplied": "批而未供",
        "supplied_unused": "供而未用",
        "low_efficiency": "低效用地",
        "all": "合计",
    },
    "en": {
        "approved_unsupplied": "Approved, unsupplied",
        "supplied_unused": "Supplied, unused (idle)",
        "low_efficiency": "Low-efficiency",
        "all": "All",
    },
}

#: Disposal methods that count as disposed, by category (API.md).
DISPOSAL_METHODS: dict[str, tuple[str, ...]] = {
    "approved_unsupplied": ("supplied", "withdrawn", "written_down", "adjusted", "reserved"),
    "supplied_unused": (
        "started",
        "completed",
        "extended",
        "use_changed",
        "temporary_use",
        "recovered",
        "swapped",
    ),
    "low_efficiency": ("redeveloped", "acquired", "upgraded", "converted", "cleared"),
}

METHOD_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "supplied": "已供应",
        "withdrawn": "撤回",
        "written_down": "核减",
        "adjusted": "调整/置换",
        "reserved": "纳入储备",
        "started": "动工开发",
        "completed": "竣工",
        "extended": "延长动工期限",
        "use_changed": "调整用途/规划条件",
        "temporary_use": "临时使用",
        "recovered": "收回",
        "swapped": "置换",
        "redeveloped": "再开发",
        "acquired": "收储",
        "upgraded": "提升改造",
        "converted": "转型",
        "cleared": "拆除清场",
    },
    "en": {m: m.replace("_", " ") for ms in DISPOSAL_METHODS.values() for m in ms},
}


#: Ledger fields named in reasons and reports (e.g. the values an undetermined parcel lacks).
FIELD_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "far": "容积率",
        "building_coverage": "建筑系数",
        "tax_per_mu": "亩均税收",
        "output_per_mu": "亩均产值",
        "developed_ratio": "已开发比例",
        "invested_ratio": "已投资比例",
        "land_use_code": "地类编码",
        "approval_date": "批准时间",
        "supply_date": "供地时间",
        "delivery_date": "交地时间",
        "agreed_start_date": "约定开工时间",
        "actual_start_date": "实际开工时间",
        "actual_completion_date": "实际竣工时间",
        "stopped_date": "停工时间",
        "disposal_date": "处置时间",
        "land_price": "土地价款",
        "idle_cause": "闲置原因",
    },
    "en": {},  # English shows the column names themselves
}

#: Who caused the idleness (53号令 Art. 8): the holder, or the government.
IDLE_CAUSE_LABELS: dict[str, dict[str, str]] = {
    "zh": {"holder": "用地者原因", "government": "政府原因"},
    "en": {"holder": "holder", "government": "government"},
}

#: What idle land brings (53号令 Art. 12, 14).
IDLE_ACTION_LABELS: dict[str, dict[str, str]] = {
    "zh": {"fee": "征缴闲置费", "recover": "无偿收回", "negotiate": "协商处置"},
    "en": {
        "fee": "collect the idle fee",
        "recover": "recover without compensation",
        "negotiate": "dispose by agreement",
    },
}


def field_label(field: str, lang: Lang = "zh") -> str:
    """Display name of a ledger column (the column name itself in English or when unknown).

    Examples
    --------
    >>> field_label("far"), field_label("far", lang="en")
    ('容积率', 'far')
    """
    return FIELD_LABELS.get(lang, {}).get(field, field)


def category_label(category: str, lang: Lang = "zh") -> str:
    """Display label of a category id.

    Examples
    --------
    >>> category_label("supplied_unused")
    '供而未用'
    >>> category_label("low_efficiency", lang="en")
    'Low-efficiency'
    """
    try:
        return CATEGORY_LABELS[lang][category]
    except KeyError:
        raise ValueError(f"unknown category {category!r} or language {lang!r}") from None
