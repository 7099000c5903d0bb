"""Canonical ids and display labels: categories, disposal methods, units.

The ids are what the data hold; labels are for display, Chinese by default.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "CHECKLIST_LABELS",
    "CURRENT_USES",
    "DISPOSAL_METHODS",
    "IN_PRODUCTION",
    "M2_PER_MU",
    "METHOD_LABELS",
    "STAGES",
    "STAGE_LABELS",
    "SURVEY_COLUMNS",
    "SURVEY_LABELS",
    "Lang",
    "category_label",
    "stage_label",
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


#: The blank columns of a survey checklist (现状调查表), in order.
SURVEY_COLUMNS: tuple[str, ...] = (
    "current_use",
    "in_production",
    "enterprise",
    "floor_area",
    "surveyed_far",
    "note",
    "surveyor",
    "survey_date",
)
SURVEY_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "current_use": "现状用途",
        "in_production": "是否在产",
        "enterprise": "企业名称",
        "floor_area": "建筑面积",
        "surveyed_far": "实测容积率",
        "note": "备注",
        "surveyor": "调查人",
        "survey_date": "调查日期",
    },
    "en": {
        "current_use": "Current use",
        "in_production": "In production",
        "enterprise": "Enterprise",
        "floor_area": "Floor area (m2)",
        "surveyed_far": "Measured FAR",
        "note": "Note",
        "surveyor": "Surveyor",
        "survey_date": "Survey date",
    },
}
#: Headers of the ledger facts printed on a survey checklist.
CHECKLIST_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "number": "序号",
        "package": "工作包",
        "parcel_id": "地块编号",
        "name": "地块名称",
        "category": "类别",
        "land_use_code": "地类编码",
        "area_mu": "面积（亩）",
        "far": "台账容积率",
        "building_coverage": "建筑系数",
        "tax_per_mu": "亩均税收",
        "output_per_mu": "亩均产值",
        "reason": "认定依据",
    },
    "en": {
        "number": "No.",
        "package": "Package",
        "parcel_id": "parcel_id",
        "name": "Name",
        "category": "Category",
        "land_use_code": "Land-use code",
        "area_mu": "Area (mu)",
        "far": "Ledger FAR",
        "building_coverage": "Coverage",
        "tax_per_mu": "Tax per mu",
        "output_per_mu": "Output per mu",
        "reason": "Reason",
    },
}
#: Drop-down choices of the coded survey columns (现状用途 follows GB/T 21010 first-level classes).
CURRENT_USES: dict[str, tuple[str, ...]] = {
    "zh": ("工业", "仓储", "商业服务", "住宅", "公共管理与公共服务", "在建", "空闲地", "其他"),
    "en": (
        "industrial",
        "warehousing",
        "commercial",
        "residential",
        "public services",
        "under construction",
        "vacant",
        "other",
    ),
}
IN_PRODUCTION: dict[str, tuple[str, ...]] = {
    "zh": ("是", "否", "部分"),
    "en": ("yes", "no", "partial"),
}

#: Stages of a renewal zone (城市更新片区), in order (API.md ``renewal_progress``).
STAGES: tuple[str, ...] = (
    "planning",
    "acquisition",
    "clearance",
    "supply",
    "construction",
    "complete",
)
STAGE_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "planning": "规划",
        "acquisition": "征收",
        "clearance": "拆迁清场",
        "supply": "供地",
        "construction": "建设",
        "complete": "完成",
        "not_started": "未启动",
    },
    "en": {
        "planning": "Planning",
        "acquisition": "Acquisition",
        "clearance": "Clearance",
        "supply": "Land supply",
        "construction": "Construction",
        "complete": "Complete",
        "not_started": "Not started",
    },
}


def stage_label(stage: str | None, lang: Lang = "zh") -> str:
    """Display label of a renewal stage (``None``: not started yet).

    Examples
    --------
    >>> stage_label("clearance")
    '拆迁清场'
    >>> stage_label(None, lang="en")
    'Not started'
    """
    try:
        return STAGE_LABELS[lang][stage or "not_started"]
    except KeyError:
        raise ValueError(f"unknown stage {stage!r} or language {lang!r}") from None
