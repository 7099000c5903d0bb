"""Canonical ids and display labels: categories, disposal methods, units.

The ids are what the data hold; labels are for display, Chinese by default.
"""

from __future__ import annotations

from typing import Any, Literal

from landuse._errors import InputError

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "CHART_WORDS",
    "CHECKLIST_LABELS",
    "CHECK_LABELS",
    "CURRENT_USES",
    "DISPOSAL_METHODS",
    "ENTERPRISE_LABELS",
    "FIELD_LABELS",
    "GRADE_LABELS",
    "IDLE_ACTION_LABELS",
    "IDLE_CAUSE_LABELS",
    "IDLE_REASONS",
    "INDICATOR_LABELS",
    "IN_PRODUCTION",
    "M2_PER_MU",
    "METHOD_LABELS",
    "PER_MU_INDICATORS",
    "RATE_HEADERS",
    "REASON_TEXT",
    "ROUTE_LABELS",
    "SEVERITY_LABELS",
    "STAGES",
    "STAGE_LABELS",
    "SURVEY_COLUMNS",
    "SURVEY_LABELS",
    "Lang",
    "category_label",
    "check_label",
    "field_label",
    "grade_label",
    "method_label",
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

#: Reasons of the idle-land actions (:func:`landuse.idle_actions`).
IDLE_REASONS: dict[str, dict[str, str]] = {
    "zh": {
        "fee": "自 {since} 闲置{days}天（约定动工满1年未动工），征缴闲置费：{fee}（53号令第十四条）",
        "fee_amount": "土地价款 {price} 万元的{rate}，计 {fee} 万元",
        "fee_unknown": "按土地价款的{rate}计征，土地价款缺失，待核算",
        "recover": "自 {since} 闲置{days}天（约定动工满2年未动工），无偿收回（53号令第十四条）",
        "negotiate": "政府原因闲置（53号令第八条）：不征缴闲置费、不无偿收回，协商处置"
        "（延长动工期限、调整用途、临时使用、置换等，第十二条）",
        "since_unknown": "闲置起始日期不明（待核查），",
    },
    "en": {
        "fee": "idle since {since} ({days} days; not started a full year past the due start): "
        "collect the idle fee, {fee} (MLR Order 53 Art. 14)",
        "fee_amount": "{rate} of the land price {price} (10k yuan) = {fee} (10k yuan)",
        "fee_unknown": "{rate} of the land price, which the ledger lacks",
        "recover": "idle since {since} ({days} days; not started two full years past the due "
        "start): recover without compensation (MLR Order 53 Art. 14)",
        "negotiate": "idle through the government's doing (Art. 8): no fee, no recovery; "
        "dispose by agreement (extension, change of use, temporary use, swap; Art. 12)",
        "since_unknown": "start of idleness unknown (to check); ",
    },
}

#: Words drawn on charts and static maps (:mod:`landuse.plots`).
CHART_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "disposed": "已处置",
        "context": "其他地块",
        "rate": "处置率",
        "renewal": "城市更新片区",
        "no_data": "无存量",
        "north": "北",
    },
    "en": {
        "disposed": "Disposed",
        "context": "Other parcels",
        "rate": "Disposal rate",
        "renewal": "Renewal zone",
        "no_data": "No stock",
        "north": "N",
    },
}

#: The sentences of ``reason`` written by :func:`landuse.classify`.
REASON_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "unsupplied": "批而未供：{approval} 批准，截至 {as_of} 未供应",
        "lapsed": "；批准满{years}年未实施，依国发〔2004〕28号可能失效，撤回前仍计入存量",
        "outside_window": "批准于 {approval}，早于{years}年统计窗口，不计入",
        "not_approved": "截至 {as_of} 尚未批准（{approval} 批准），不计入任何类别",
        "not_supplied_yet": "截至 {as_of} 尚未供应（{supply} 供地），不计入任何类别",
        "idle_not_started": "闲置土地：约定 {due} 开工，满{years}年未动工（53号令第二条）",
        "idle_no_agreed": "闲置土地：未约定开工日期，{base} {basis}，视为 {due} 应开工（53号令"
        "第二十八条），满{years}年未动工（53号令第二条）",
        "delivered": "交地",
        "supplied": "供地（无交地日期）",
        "idle_stopped": "闲置土地：已动工但开发不足（已开发 {developed}，已投资 {invested}），"
        "自 {stopped} 停工满{years}年（53号令第二条）",
        "late_start": "逾期未动工：应于 {due} 开工，未满{years}年，尚不构成闲置",
        "not_due": "已供应，应于 {due} 开工，尚未到期",
        "building": "在建：{start} 开工，尚未竣工，不作低效用地筛查",
        "stopped_ok": "在建（停工）：开发、投资已达标，不构成闲置，不作低效用地筛查",
        "undetermined_stopped": "待核查：已动工、自 {stopped} 停工满{years}年，缺少{fields}，"
        "无法判定是否闲置",
        "undetermined_low": "待核查：缺少{fields}，无法判定是否低效用地",
        "relapsed": "{method}（{date}）已于 {lapse} 届满未动工，重新计入存量；",
        "low": "低效用地：{which}",
        "far": "容积率 {value} < {limit}",
        "coverage": "建筑系数 {value} < {limit}",
        "tax": "亩均税收 {value} < {limit} 万元/亩",
        "output": "亩均产值 {value} < {limit} 万元/亩",
        "disposed": "截至 {as_of} 已处置（{method}，{date}）",
        "per_mu_d": "亩均效益评价 D 类",
        "per_mu_d_share": "亩均效益评价 D 类（D 类企业用地占 {share}）",
        "in_use": "已供应开发，指标达标",
        "no_record": "无批准、供地记录，指标达标",
        "not_screened": "在用土地，无适用的低效用地指标",
        "no_rule": "无法认定：所需列缺失（{columns}）",
        "sep": "；",
        "list": "、",
    },
    "en": {
        "unsupplied": "approved {approval}, not supplied by {as_of}",
        "lapsed": "; approval over {years} years old and not implemented: may lapse "
        "(State Council 2004 No. 28), kept in the stock until withdrawn",
        "outside_window": "approved {approval}, before the {years}-year window: not counted",
        "not_approved": "not approved by {as_of} (approved {approval}): no category",
        "not_supplied_yet": "not supplied by {as_of} (supplied {supply}): no category",
        "idle_not_started": "idle: agreed start {due}, not started after {years} full year(s) "
        "(MLR Order 53 Art. 2)",
        "idle_no_agreed": "idle: no agreed start; {basis} {base}, start deemed due {due} "
        "(MLR Order 53 Art. 28), not started after {years} full year(s) (Art. 2)",
        "delivered": "delivered",
        "supplied": "supplied (no delivery date)",
        "idle_stopped": "idle: started but under-developed (developed {developed}, invested "
        "{invested}), stopped since {stopped} for {years}+ year(s) (MLR Order 53 Art. 2)",
        "late_start": "late start: start due {due}, less than {years} year(s) ago; not idle yet",
        "not_due": "supplied; start due {due}, not yet",
        "building": "under construction since {start}, not completed: not screened for low "
        "efficiency",
        "stopped_ok": "stopped site, developed and invested enough: not idle; not screened",
        "undetermined_stopped": "undetermined: started, stopped since {stopped} for {years}+ "
        "year(s), missing {fields}: cannot tell whether idle",
        "undetermined_low": "undetermined: missing {fields}: cannot tell whether low-efficiency",
        "relapsed": "{method} ({date}) lapsed on {lapse} without a start: back in the stock; ",
        "low": "low efficiency: {which}",
        "far": "plot ratio {value} < {limit}",
        "coverage": "building coverage {value} < {limit}",
        "tax": "tax per mu {value} < {limit} (10k yuan/mu)",
        "output": "output per mu {value} < {limit} (10k yuan/mu)",
        "disposed": "disposed by {as_of} ({method}, {date})",
        "per_mu_d": "per-mu evaluation grade D",
        "per_mu_d_share": "per-mu evaluation grade D ({share} of the enterprises' land)",
        "in_use": "supplied and developed; indicators met",
        "no_record": "no approval or supply record; indicators met",
        "not_screened": "land in use; no low-efficiency indicator applies",
        "no_rule": "cannot classify: columns missing ({columns})",
        "sep": "; ",
        "list": ", ",
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
        raise InputError(f"unknown category {category!r} or language {lang!r}") from None


# --- 亩均效益评价 (per-mu evaluation) and 项目准入 (project admission) -----------------------------

#: Indicators of the per-mu evaluation, in the order they are shown.
PER_MU_INDICATORS: tuple[str, ...] = (
    "tax_per_mu",
    "revenue_per_mu",
    "value_added_per_mu",
    "value_added_per_tce",
    "rd_intensity",
    "labour_productivity",
)

INDICATOR_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "tax_per_mu": "亩均税收（万元/亩）",
        "revenue_per_mu": "亩均营业收入（万元/亩）",
        "value_added_per_mu": "亩均增加值（万元/亩）",
        "value_added_per_tce": "单位能耗增加值（万元/吨标煤）",
        "rd_intensity": "研发经费投入强度",
        "labour_productivity": "全员劳动生产率（万元/人）",
        "output_per_mu": "亩均产值（万元/亩）",
    },
    "en": {
        "tax_per_mu": "Tax per mu (10k yuan)",
        "revenue_per_mu": "Revenue per mu (10k yuan)",
        "value_added_per_mu": "Value added per mu (10k yuan)",
        "value_added_per_tce": "Value added per tce (10k yuan)",
        "rd_intensity": "R&D intensity",
        "labour_productivity": "Labour productivity (10k yuan/person)",
        "output_per_mu": "Output per mu (10k yuan)",
    },
}

#: Column headers of enterprise tables (the ledger fields and the evaluation's results).
ENTERPRISE_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "enterprise_id": "统一社会信用代码",
        "name": "企业名称",
        "year": "年度",
        "parcels": "地块数",
        "land_mu": "用地面积（亩）",
        "tax": "实缴税金（万元）",
        "revenue": "营业收入（万元）",
        "output": "工业总产值（万元）",
        "value_added": "工业增加值（万元）",
        "profit": "利润总额（万元）",
        "profit_tax": "利税（万元）",
        "energy_tce": "综合能耗（吨标煤）",
        "rd_spend": "研发经费（万元）",
        "employees": "从业人员（人）",
        "score": "综合得分",
        "rank": "排名",
        "grade": "评价类别",
        "missing": "缺失指标",
        "missing_fields": "未报送项",
        "unmatched_parcels": "地块不在图中",
        "reason": "说明",
        "enterprises": "企业数",
        "park": "园区",
        "zone": "片区",
        **INDICATOR_LABELS["zh"],
    },
    "en": {
        "enterprise_id": "Credit code",
        "name": "Enterprise",
        "year": "Year",
        "parcels": "Parcels",
        "land_mu": "Land (mu)",
        "tax": "Tax (10k yuan)",
        "revenue": "Revenue (10k yuan)",
        "output": "Output (10k yuan)",
        "value_added": "Value added (10k yuan)",
        "profit": "Profit (10k yuan)",
        "profit_tax": "Profit + tax (10k yuan)",
        "energy_tce": "Energy (tce)",
        "rd_spend": "R&D (10k yuan)",
        "employees": "Employees",
        "score": "Score",
        "rank": "Rank",
        "grade": "Grade",
        "missing": "Indicators missing",
        "missing_fields": "Not reported",
        "unmatched_parcels": "Parcels not in the inventory",
        "reason": "Note",
        "enterprises": "Enterprises",
        "park": "Park",
        "zone": "Zone",
        **INDICATOR_LABELS["en"],
    },
}

#: The four classes of the provincial per-mu evaluations (亩均论英雄).
GRADE_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "A": "A 类（优先发展）",
        "B": "B 类（鼓励提升）",
        "C": "C 类（转型升级）",
        "D": "D 类（倒逼整治）",
    },
    "en": {
        "A": "A (develop first)",
        "B": "B (encourage)",
        "C": "C (upgrade)",
        "D": "D (enforce renewal)",
    },
}

#: 项目准入 routes: 大项目供地、小项目入园.
ROUTE_LABELS: dict[str, dict[str, str]] = {
    "zh": {"land": "供地", "park": "入园"},
    "en": {"land": "land supply", "park": "into a park"},
}


def grade_label(grade: str, lang: Lang = "zh") -> str:
    """Display label of a grade (other grades than A–D are shown as they are).

    Examples
    --------
    >>> grade_label("D")
    'D 类（倒逼整治）'
    """
    if lang not in GRADE_LABELS:
        raise InputError(f"unknown language {lang!r}")
    return GRADE_LABELS[lang].get(grade, str(grade))


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
        raise InputError(f"unknown stage {stage!r} or language {lang!r}") from None


# --- data-quality report (landuse.check) -------------------------------------------------------

SEVERITY_LABELS: dict[str, dict[str, str]] = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}

#: What each ``check`` code means, for people.
CHECK_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "missing_crs": "缺少坐标系",
        "missing_geometry": "缺少图形",
        "empty_geometry": "空图形",
        "not_polygon": "不是面",
        "nonfinite_coordinates": "坐标含无效值",
        "off_earth": "坐标超出经纬度范围",
        "invalid_geometry": "图形无效（已自动修复）",
        "missing_id": "缺少地块编号",
        "duplicate_id": "地块编号重复",
        "missing_column": "缺少字段",
        "overlap": "地块重叠",
        "area_mismatch": "面积与台账不符",
        "outside_zones": "不在任何片区内",
        "sliver": "碎小图斑",
        "not_a_date": "日期无法识别",
        "future_date": "日期晚于今天",
        "date_order": "日期先后矛盾",
        "early_start": "早于约定日期开工",
        "undated_disposal": "有处置方式无处置时间",
        "unknown_category": "类别无法识别",
        "unknown_method": "处置方式与类别不符",
        "ratio_range": "比例超出 0–1",
        "unknown_land_use_code": "地类编码无法识别",
        "land_use_code_2007": "2007 版地类编码",
        "land_use_code_padded": "地类编码缺前导零",
        "rule_cannot_run": "缺少字段，规则无法执行",
        "undetermined": "待核查（缺少判定所需数据）",
    },
    "en": {
        "missing_crs": "no CRS",
        "missing_geometry": "no geometry",
        "empty_geometry": "empty geometry",
        "not_polygon": "not a polygon",
        "nonfinite_coordinates": "NaN or infinite coordinates",
        "off_earth": "coordinates beyond ±180°/±90°",
        "invalid_geometry": "invalid geometry (repaired)",
        "missing_id": "no parcel id",
        "duplicate_id": "parcel id repeated",
        "missing_column": "missing column",
        "overlap": "parcels overlap",
        "area_mismatch": "area differs from the ledger",
        "outside_zones": "outside every zone",
        "sliver": "sliver",
        "not_a_date": "not a date",
        "future_date": "date after today",
        "date_order": "dates out of order",
        "early_start": "started before the agreed start",
        "undated_disposal": "disposal method without a date",
        "unknown_category": "unknown category",
        "unknown_method": "method not of its category",
        "ratio_range": "ratio outside 0–1",
        "unknown_land_use_code": "unknown land-use code",
        "land_use_code_2007": "2007 land-use code",
        "land_use_code_padded": "land-use code lost its leading zero",
        "rule_cannot_run": "a rule cannot run (columns missing)",
        "undetermined": "undetermined (values missing)",
    },
}


def check_label(code: str, lang: Lang = "zh") -> str:
    """Display label of a :func:`landuse.check` code (unknown codes are shown as they are).

    Examples
    --------
    >>> check_label("duplicate_id")
    '地块编号重复'
    """
    return CHECK_LABELS["en" if lang == "en" else "zh"].get(code, code)


#: Column headers of a disposal-rate table (:func:`landuse.display_rates`, CSV, Excel).
RATE_HEADERS: dict[str, dict[str, str]] = {
    "zh": {
        "category": "类别",
        "zone": "片区",
        "parcels": "宗数",
        "area_mu": "面积（亩）",
        "disposed_parcels": "已处置（宗）",
        "disposed_area_mu": "已处置（亩）",
        "rate": "处置率",
        "count_rate": "处置率（宗数）",
        "target": "目标",
        "meets_target": "达标",
        "functional_zone": "功能区",
    },
    "en": {
        "category": "Category",
        "zone": "Zone",
        "parcels": "Parcels",
        "area_mu": "Area (mu)",
        "disposed_parcels": "Disposed (parcels)",
        "disposed_area_mu": "Disposed (mu)",
        "rate": "Rate",
        "count_rate": "Rate (count)",
        "target": "Target",
        "meets_target": "Met",
        "functional_zone": "Functional zone",
    },
}


def method_label(method: str, lang: Lang = "zh") -> str:
    """Display label of a disposal method id (unknown ids are shown as they are)."""
    return METHOD_LABELS[lang].get(method, method)


# === issue 16: the report's words (landuse.report) and the CLI's tables (landuse.cli) =========
# One contiguous block: every label the report page, its workbook and the CLI's rate files use.

__all__ += [
    "CHECK_UNITS",
    "QUALITY_HEADERS",
    "REPORT_PERMU_WORDS",
    "REPORT_WORDS",
    "check_value",
]

#: Words of :func:`landuse.report` (page and workbook), by language.
REPORT_WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "map": "地图",
        "rates": "各片区处置率",
        "rates_by": "按“{by}”分组的处置率",
        "functional": "分功能区处置率",
        "functional_note": "各功能区三类存量及合计；末组为全区合计。",
        "district": "全区合计",
        "pilot": "试点片区处置率",
        "pilot_note": "试点片区内三类存量的处置率（按面积）。",
        "target_line": "目标：处置率（按面积）≥ {target}。达标列：✓ 达标，✗ 未达标；"
        "“合计”行为三类存量之和。",
        "met_badge": "✓ 达标",
        "missed_badge": "✗ 未达标",
        "charts": "图表",
        "quality": "数据质量",
        "no_problems": "未发现问题。",
        "no_stock": "没有存量地块。",
        "renewal": "城市更新片区进度",
        "survey": "现状调查进度",
        "package": "工作包",
        "parcels": "地块",
        "surveyed": "已调查",
        "share": "完成比例",
        "all": "合计",
        "stock": "存量地块（宗）",
        "area": "存量面积（亩）",
        "disposed": "已处置面积（亩）",
        "rate": "总体处置率",
        "met": "达标片区",
        "title": "存量土地处置情况报告",
        "as_of": "截至",
        "target": "目标",
        "footer": "由 landuse 生成。",
        "severity": "级别",
        "code": "问题",
        "count": "数量",
        "idle": "闲置土地处置（53号令）",
        "idle_summary": "截至 {day}，未处置的闲置土地 {n} 宗：征缴闲置费 {fee} 宗，应征 {fees} 万元"
        "{unpriced}；无偿收回 {recover} 宗；政府原因协商处置 {negotiate} 宗。",
        "unpriced": "（另 {n} 宗缺少土地价款，待核算）",
        "undetermined": "待核查地块",
        "undetermined_summary": "{n} 宗地块适用认定规则但缺少所需数据，既不计为达标也不计入存量，"
        "需实地核查补齐。",
        "undetermined_card": "待核查地块（宗）",
        "fees_card": "应征闲置费（万元）",
        "recover_card": "应无偿收回（宗）",
        "idle_header": [
            "地块编号",
            "名称",
            "闲置起始",
            "闲置天数",
            "原因",
            "处置",
            "闲置费（万元）",
            "依据",
        ],
        "undetermined_header": ["地块编号", "名称", "待核查原因"],
        "renewal_sheet_header": [
            "片区",
            "类型",
            "阶段",
            "本阶段天数",
            "目标日期",
            "逾期",
            "面积（亩）",
            "存量地块（宗）",
            "存量面积（亩）",
            "已处置（亩）",
            "处置率",
        ],
        "overdue": "逾期",
        "sheets": {
            "rates": "处置率",
            "functional": "分功能区处置率",
            "pilot": "试点片区",
            "renewal": "城市更新片区",
            "idle": "闲置土地处置",
            "undetermined": "待核查",
            "survey": "现状调查",
            "quality_summary": "数据质量汇总",
            "quality_details": "数据质量明细",
        },
        "map_title": "地图",
    },
    "en": {
        "map": "Map",
        "rates": "Disposal rates by zone",
        "rates_by": "Disposal rates by {by}",
        "functional": "Disposal rates by functional zone",
        "functional_note": "The three categories and their total per functional zone; the last "
        "group is the district total.",
        "district": "District total",
        "pilot": "Pilot areas",
        "pilot_note": "Disposal rates (by area) of the stock inside the pilot areas.",
        "target_line": "Target: disposal rate (by area) ≥ {target}. Met column: ✓ met, "
        "✗ missed; the All rows sum the three categories.",
        "met_badge": "✓ met",
        "missed_badge": "✗ missed",
        "charts": "Charts",
        "quality": "Data quality",
        "no_problems": "No problems found.",
        "no_stock": "No parcel is in the stock.",
        "renewal": "Renewal zones",
        "survey": "Field survey progress",
        "package": "Package",
        "parcels": "Parcels",
        "surveyed": "Surveyed",
        "share": "Share",
        "all": "All",
        "stock": "Parcels in stock",
        "area": "Stock area (mu)",
        "disposed": "Disposed (mu)",
        "rate": "Overall rate",
        "met": "Zones meeting the target",
        "title": "Stock-land disposal report",
        "as_of": "as of",
        "target": "target",
        "footer": "Made with landuse.",
        "severity": "Severity",
        "code": "Problem",
        "count": "Count",
        "idle": "Idle land: what it brings (MLR Order 53)",
        "idle_summary": "As of {day}, {n} idle parcels not disposed: idle fee on {fee}, "
        "{fees} (10k yuan) due{unpriced}; {recover} to recover without compensation; "
        "{negotiate} idle through the government's doing, to settle by agreement.",
        "unpriced": " ({n} more without a land price: to be assessed)",
        "undetermined": "Parcels to check (undetermined)",
        "undetermined_summary": "{n} parcels fall under a rule but lack values it needs: neither "
        "compliant nor in the stock until surveyed.",
        "undetermined_card": "Parcels to check",
        "fees_card": "Idle fees due (10k yuan)",
        "recover_card": "To recover",
        "idle_header": [
            "Parcel",
            "Name",
            "Idle since",
            "Days",
            "Cause",
            "Action",
            "Fee (10k yuan)",
            "Reason",
        ],
        "undetermined_header": ["Parcel", "Name", "Why"],
        "renewal_sheet_header": [
            "Zone",
            "Kind",
            "Stage",
            "Days in stage",
            "Target date",
            "Overdue",
            "Area (mu)",
            "Stock parcels",
            "Stock (mu)",
            "Disposed (mu)",
            "Rate",
        ],
        "overdue": "overdue",
        "sheets": {
            "rates": "Rates",
            "functional": "Rates by functional zone",
            "pilot": "Pilot areas",
            "renewal": "Renewal zones",
            "idle": "Idle land",
            "undetermined": "To check",
            "survey": "Field survey",
            "quality_summary": "Quality summary",
            "quality_details": "Quality details",
        },
        "map_title": "Map",
    },
}

#: Words of the report's "亩均效益" section.
REPORT_PERMU_WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "亩均效益",
        "subtitle": "{year} 年度 · {n} 家企业 · A 类前 {a}、D 类后 {d}（按综合得分排名）",
        "enterprises": "参评企业",
        "land": "用地面积（亩）",
        "tax_per_mu": "亩均税收（万元/亩）",
        "revenue_per_mu": "亩均营业收入（万元/亩）",
        "by_area": "分园区",
        "by_zone": "分片区",
        "grades": "评价类别",
        "grade": "类别",
        "count": "企业数",
        "share": "占比",
        "d_list": "D 类企业（倒逼整治）",
        "first": "仅列前 {n} 家，全部见 Excel。",
        "outside": "园区外",
        "sheets": ("亩均效益-园区", "亩均效益-等级", "亩均效益-企业", "亩均效益-D类"),
    },
    "en": {
        "title": "Per-mu evaluation",
        "subtitle": "{year} · {n} enterprises · A the top {a}, D the bottom {d} (by score)",
        "enterprises": "Enterprises",
        "land": "Land (mu)",
        "tax_per_mu": "Tax per mu (10k yuan)",
        "revenue_per_mu": "Revenue per mu (10k yuan)",
        "by_area": "By park",
        "by_zone": "By zone",
        "grades": "Grades",
        "grade": "Grade",
        "count": "Enterprises",
        "share": "Share",
        "d_list": "Grade D enterprises",
        "first": "First {n} only; all in the Excel workbook.",
        "outside": "outside the parks",
        "sheets": ("Per-mu by park", "Per-mu grades", "Per-mu enterprises", "Per-mu grade D"),
    },
}

#: Headers of the data-quality tables (report sheets, ``landuse check`` output).
QUALITY_HEADERS: dict[str, dict[str, str]] = {
    "zh": {
        "severity": "级别",
        "code": "问题",
        "count": "数量",
        "parcel_id": "地块编号",
        "message": "说明",
        "value": "值",
    },
    "en": {
        "severity": "Severity",
        "code": "Problem",
        "count": "Count",
        "parcel_id": "Parcel",
        "message": "Message",
        "value": "Value",
    },
}

#: The unit of ``value`` in a :func:`landuse.check` row, by code: days, m², or a share.
CHECK_UNITS: dict[str, str] = {
    "date_order": "days",
    "early_start": "days",
    "overlap": "m2",
    "sliver": "m2",
    "area_mismatch": "share",
    "ratio_range": "share",
}


def check_value(code: str, value: Any, lang: Lang = "zh") -> str:
    """A :func:`landuse.check` value with its unit, for people (blank when there is none).

    Examples
    --------
    >>> check_value("early_start", 12.0), check_value("sliver", 3.25, lang="en")
    ('12 天', '3.2 m²')
    >>> check_value("area_mismatch", 0.125), check_value("duplicate_id", float("nan"))
    ('+12.5%', '')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    unit = CHECK_UNITS.get(code)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if unit == "days":
        return f"{number:,.0f} 天" if lang == "zh" else f"{number:,.0f} days"
    if unit == "m2":
        return f"{number:,.1f} m²"
    if unit == "share":
        return f"{number:+.1%}"
    return f"{number:,.4g}"
