"""Land-use classification codes: GB/T 21010-2017, its 2007 edition, and 用地用海分类."""

from __future__ import annotations

import pandas as pd

from landuse._errors import InputError

__all__ = [
    "CODES_2007_TO_2017",
    "CODE_SYSTEMS",
    "GBT21010_2017",
    "INDUSTRIAL_PREFIXES",
    "is_industrial",
    "normalize_codes",
]

#: GB/T 21010-2017 second-level classes, plus the working codes of the third national land
#: survey (三调: 05H1, 0508, 08H1, 08H2, 08H2A, 1107A).
GBT21010_2017: dict[str, str] = {
    "0101": "水田",
    "0102": "水浇地",
    "0103": "旱地",
    "0201": "果园",
    "0202": "茶园",
    "0203": "橡胶园",
    "0204": "其他园地",
    "0301": "乔木林地",
    "0302": "竹林地",
    "0303": "红树林地",
    "0304": "森林沼泽",
    "0305": "灌木林地",
    "0306": "灌丛沼泽",
    "0307": "其他林地",
    "0401": "天然牧草地",
    "0402": "沼泽草地",
    "0403": "人工牧草地",
    "0404": "其他草地",
    "0501": "零售商业用地",
    "0502": "批发市场用地",
    "0503": "餐饮用地",
    "0504": "旅馆用地",
    "0505": "商务金融用地",
    "0506": "娱乐用地",
    "0507": "其他商服用地",
    "05H1": "商业服务业设施用地",
    "0508": "物流仓储用地",
    "0601": "工业用地",
    "0602": "采矿用地",
    "0603": "盐田",
    "0604": "仓储用地",
    "0701": "城镇住宅用地",
    "0702": "农村宅基地",
    "0801": "机关团体用地",
    "0802": "新闻出版用地",
    "0803": "教育用地",
    "0804": "科研用地",
    "0805": "医疗卫生用地",
    "0806": "社会福利用地",
    "0807": "文化设施用地",
    "0808": "体育用地",
    "0809": "公用设施用地",
    "0810": "公园与绿地",
    "08H1": "机关团体新闻出版用地",
    "08H2": "科教文卫用地",
    "08H2A": "高教用地",
    "0901": "军事设施用地",
    "0902": "使领馆用地",
    "0903": "监教场所用地",
    "0904": "宗教用地",
    "0905": "殡葬用地",
    "0906": "风景名胜设施用地",
    "1001": "铁路用地",
    "1002": "轨道交通用地",
    "1003": "公路用地",
    "1004": "城镇村道路用地",
    "1005": "交通服务场站用地",
    "1006": "农村道路",
    "1007": "机场用地",
    "1008": "港口码头用地",
    "1009": "管道运输用地",
    "1101": "河流水面",
    "1102": "湖泊水面",
    "1103": "水库水面",
    "1104": "坑塘水面",
    "1105": "沿海滩涂",
    "1106": "内陆滩涂",
    "1107": "沟渠",
    "1107A": "干渠",
    "1108": "沼泽地",
    "1109": "水工建筑用地",
    "1110": "冰川及永久积雪",
    "1201": "空闲地",
    "1202": "设施农用地",
    "1203": "田坎",
    "1204": "盐碱地",
    "1205": "沙地",
    "1206": "裸土地",
    "1207": "裸岩石砾地",
}

#: GB/T 21010-2007 three-digit codes → the nearest 2017 class (some 2007 classes were split).
CODES_2007_TO_2017: dict[str, str] = {
    "011": "0101",
    "012": "0102",
    "013": "0103",
    "021": "0201",
    "022": "0202",
    "023": "0204",
    "031": "0301",
    "032": "0305",
    "033": "0307",
    "041": "0401",
    "042": "0403",
    "043": "0404",
    "051": "0501",
    "052": "0503",
    "053": "0505",
    "054": "0507",
    "061": "0601",
    "062": "0602",
    "063": "0604",
    "071": "0701",
    "072": "0702",
    "081": "0801",
    "082": "0802",
    "083": "0803",
    "084": "0805",
    "085": "0807",
    "086": "0809",
    "087": "0810",
    "088": "0906",
    "091": "0901",
    "092": "0902",
    "093": "0903",
    "094": "0904",
    "095": "0905",
    "101": "1001",
    "102": "1003",
    "103": "1004",
    "104": "1006",
    "105": "1007",
    "106": "1008",
    "107": "1009",
    "111": "1101",
    "112": "1102",
    "113": "1103",
    "114": "1104",
    "115": "1105",
    "116": "1106",
    "117": "1107",
    "118": "1109",
    "119": "1110",
    "121": "1201",
    "122": "1202",
    "123": "1203",
    "124": "1204",
    "125": "1108",
    "126": "1205",
    "127": "1206",
}

#: Land-use code systems :func:`normalize_codes` reads: GB/T 21010-2017 (with its 2007
#: three-digit codes) and the territorial classification 用地用海分类 (2023).
CODE_SYSTEMS: tuple[str, ...] = ("gb21010", "ydyh")

#: Code prefixes of industrial land (工业用地) per code system, after normalisation.
INDUSTRIAL_PREFIXES: dict[str, tuple[str, ...]] = {"gb21010": ("0601",), "ydyh": ("1001",)}


def _normalize_one(value: object, system: str) -> str | None:
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().upper()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # 601.0 from a float column
    if not text or text in {"NAN", "NONE", "<NA>"}:
        return None
    if not text.isdigit():
        return text
    if system == "ydyh":
        return "0" + text if len(text) % 2 else text  # 101 → 0101, 10101 → 010101
    if len(text) == 2:  # a 2007 code that lost its leading zero (061 → 61)
        text = "0" + text
    if len(text) == 3:
        if text[0] in "01" and text in CODES_2007_TO_2017:
            return CODES_2007_TO_2017[text]  # GB/T 21010-2007 three-digit code
        if text[0] != "0":
            return "0" + text  # a 2017 code that lost its leading zero in Excel (601 → 0601)
    return text


def normalize_codes(values: pd.Series, system: str = "gb21010") -> pd.Series:
    """Land-use codes as text in the 2017 (or 用地用海) form; missing stays missing.

    ``system="gb21010"`` (GB/T 21010-2017): integer codes that lost their leading zero
    (``601`` from Excel, ``601.0`` from a float column) become ``0601``; GB/T 21010-2007
    three-digit codes (``061``, and ``61`` without its zero) become their 2017 class
    (``0601``). A three-digit code starting with 1 (``101``–``127``) is read as a 2007 code
    (2017's ``0101``–``0103`` cultivated land is not construction land). ``system="ydyh"``
    (用地用海分类): codes of odd length get their leading zero back (``101`` → ``0101``).

    Examples
    --------
    >>> normalize_codes(pd.Series(["0601", 601, "061", 61.0, "1001", None])).tolist()
    ['0601', '0601', '0601', '0601', '1001', None]
    >>> normalize_codes(pd.Series(["100101", 10101]), system="ydyh").tolist()
    ['100101', '010101']
    """
    if system not in CODE_SYSTEMS:
        raise InputError(f"code_system must be one of {', '.join(CODE_SYSTEMS)}, not {system!r}")
    objects = values.astype(object)
    uniques = pd.unique(objects.to_numpy())
    mapping = {u: _normalize_one(u, system) for u in uniques if u is not None and u == u}
    normalized = [mapping.get(v) if v is not None and v == v else None for v in objects]
    return pd.Series(normalized, index=values.index, dtype=object)


def is_industrial(codes: pd.Series, system: str = "gb21010") -> pd.Series:
    """Whether each normalised code is industrial land (工业用地) in ``system``."""
    prefixes = INDUSTRIAL_PREFIXES[system]
    flags = [isinstance(c, str) and c.startswith(prefixes) for c in codes]
    return pd.Series(flags, index=codes.index, dtype=bool)
