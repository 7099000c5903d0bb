"""Canonical ids and display labels: categories, disposal methods, units.

The ids are what the data hold; labels are for display, Chinese by default.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "DISPOSAL_METHODS",
    "M2_PER_MU",
    "METHOD_LABELS",
    "Lang",
    "category_label",
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
