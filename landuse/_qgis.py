"""QGIS layer styles stored in the GeoPackages we write, so a layer opens styled in QGIS.

QGIS reads a layer's default style from the GeoPackage's ``layer_styles`` table (the same table
its "Save style → In database" writes). The QML is built with ElementTree, so every label and
value from the data is XML-escaped, never markup.

- parcels (a ``category`` column): categorised by category with the Chinese (or English)
  legend and the map colours; disposed parcels (a disposal method dated on or before today)
  are hatched;
- zones (a ``rate`` column): graduated by rate in the classes and colours of the maps, labelled
  with their names.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from landuse._style import CATEGORY_COLORS, RATE_BINS, RATE_COLORS
from landuse.vocab import CATEGORIES, Lang, category_label

__all__ = ["add_default_style", "parcel_style", "style_for", "zone_style"]

_QGIS_VERSION = "3.22.0"
_DISPOSED = (
    '"disposal_method" IS NOT NULL AND "disposal_date" IS NOT NULL '
    'AND to_date("disposal_date") <= now()'
)
_OUTLINE = "51,51,51,255"


def _rgba(color: str, alpha: int = 255) -> str:
    color = color.lstrip("#")
    r, g, b = (int(color[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{alpha}"


def _options(parent: ET.Element, values: dict[str, str]) -> ET.Element:
    """``<Option type="Map">`` of string options, as QGIS 3 writes symbol-layer properties."""
    node = ET.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        ET.SubElement(node, "Option", name=name, type="QString", value=value)
    return node


def _enabled_when(layer: ET.Element, expression: str) -> None:
    """A symbol layer drawn only where ``expression`` holds (data-defined "enabled")."""
    defined = ET.SubElement(layer, "data_defined_properties")
    collection = ET.SubElement(defined, "Option", type="Map")
    ET.SubElement(collection, "Option", name="name", type="QString", value="")
    properties = ET.SubElement(collection, "Option", name="properties", type="Map")
    enabled = ET.SubElement(properties, "Option", name="enabled", type="Map")
    ET.SubElement(enabled, "Option", name="active", type="bool", value="true")
    ET.SubElement(enabled, "Option", name="expression", type="QString", value=expression)
    ET.SubElement(enabled, "Option", name="type", type="int", value="3")
    ET.SubElement(collection, "Option", name="type", type="QString", value="collection")


def _fill_symbol(parent: ET.Element, name: str, color: str, *, hatched: bool) -> None:
    symbol = ET.SubElement(
        parent, "symbol", name=name, type="fill", alpha="1", clip_to_extent="1", force_rhr="0"
    )
    fill = ET.SubElement(symbol, "layer", attrib={"class": "SimpleFill", "pass": "0"}, enabled="1")
    _options(
        fill,
        {
            "color": _rgba(color, 200),
            "outline_color": _OUTLINE,
            "outline_style": "solid",
            "outline_width": "0.2",
            "outline_width_unit": "MM",
            "style": "solid",
        },
    )
    if not hatched:
        return
    hatch = ET.SubElement(
        symbol, "layer", attrib={"class": "LinePatternFill", "pass": "0"}, enabled="1"
    )
    _options(hatch, {"angle": "45", "distance": "1.2", "distance_unit": "MM"})
    _enabled_when(hatch, _DISPOSED)
    line = ET.SubElement(
        hatch, "symbol", name=f"@{name}@1", type="line", alpha="1", clip_to_extent="1"
    )
    stroke = ET.SubElement(line, "layer", attrib={"class": "SimpleLine", "pass": "0"}, enabled="1")
    _options(
        stroke,
        {"line_color": "255,255,255,230", "line_width": "0.35", "line_width_unit": "MM"},
    )


def _document() -> ET.Element:
    return ET.Element(
        "qgis", version=_QGIS_VERSION, styleCategories="Symbology|Labeling|AllStyleCategories"
    )


def _labels(root: ET.Element, field: str) -> None:
    labeling = ET.SubElement(root, "labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    ET.SubElement(
        settings,
        "text-style",
        fieldName=field,
        isExpression="0",
        fontFamily="Noto Sans CJK SC",
        fontSize="10",
        fontSizeUnit="Point",
        textColor="40,40,40,255",
        textOpacity="1",
        namedStyle="Bold",
        fontWeight="75",
    )
    buffer = ET.SubElement(settings, "text-buffer")
    buffer.attrib.update(
        bufferDraw="1", bufferSize="1", bufferSizeUnits="MM", bufferColor="255,255,255,255"
    )
    ET.SubElement(settings, "placement", placement="1", dist="0")
    ET.SubElement(settings, "rendering", obstacle="1", scaleVisibility="0", drawLabels="1")
    ET.SubElement(root, "labelsEnabled").text = "1"


def _qml(root: ET.Element) -> str:
    text = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + text


def parcel_style(lang: Lang = "zh", categories: Sequence[str] = CATEGORIES) -> str:
    """QML: parcels by category with the legend in ``lang``; disposed parcels hatched."""
    root = _document()
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        type="categorizedSymbol",
        attr="category",
        symbollevels="0",
        enableorderby="0",
        forceraster="0",
    )
    listed = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, category in enumerate(categories):
        ET.SubElement(
            listed,
            "category",
            value=category,
            label=category_label(category, lang),
            symbol=str(i),
            render="true",
        )
        _fill_symbol(symbols, str(i), CATEGORY_COLORS[category], hatched=True)
    # value "" is QGIS's "all other values": parcels outside the stock, in grey
    other = len(categories)
    ET.SubElement(
        listed,
        "category",
        value="",
        label="其他地块" if lang == "zh" else "Other parcels",
        symbol=str(other),
        render="true",
    )
    _fill_symbol(symbols, str(other), "#d9d9d9", hatched=False)
    return _qml(root)


def zone_style(bins: Sequence[float] = RATE_BINS, label_field: str = "name") -> str:
    """QML: zones graduated by ``rate`` in the map's classes and colours, labelled by name."""
    root = _document()
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        type="graduatedSymbol",
        attr="rate",
        graduatedMethod="GraduatedColor",
        symbollevels="0",
        enableorderby="0",
        forceraster="0",
    )
    ranges = ET.SubElement(renderer, "ranges")
    symbols = ET.SubElement(renderer, "symbols")
    lower = [0.0, *bins[:-1]]
    colors = list(RATE_COLORS) if len(bins) == len(RATE_COLORS) else _spread(len(bins))
    for i, (lo, hi) in enumerate(zip(lower, bins, strict=True)):
        ET.SubElement(
            ranges,
            "range",
            lower=f"{lo:.15f}",
            upper=f"{hi:.15f}",
            label=f"{lo:.0%} – {hi:.0%}",
            symbol=str(i),
            render="true",
        )
        _fill_symbol(symbols, str(i), colors[i], hatched=False)
    _labels(root, label_field)
    return _qml(root)


def _spread(n: int) -> list[str]:
    from landuse._style import rate_colors

    return rate_colors(n)


def style_for(frame: pd.DataFrame, lang: Lang = "zh") -> tuple[str, str] | None:
    """(style name, QML) for a frame we know how to style, else ``None``."""
    if "category" in frame.columns:
        return ("landuse parcels", parcel_style(lang))
    if "rate" in frame.columns and "name" in frame.columns:
        return ("landuse disposal rate", zone_style())
    return None


_CREATE = """
CREATE TABLE IF NOT EXISTS layer_styles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
    f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
    useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME
)"""


def add_default_style(gpkg: str | Path, layer: str, name: str, qml: str) -> None:
    """Make ``qml`` the default QGIS style of ``layer`` in ``gpkg`` (replacing ours, not others').

    The table is not registered in ``gpkg_contents``: QGIS finds it by name, and readers that
    list a GeoPackage's layers (GDAL, ``read_parcels``) see only the data.
    """
    with sqlite3.connect(gpkg) as db:
        found = db.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
        ).fetchone()
        geometry_column = found[0] if found else "geom"
        db.execute(_CREATE)
        db.execute("UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name = ?", (layer,))
        db.execute(
            "DELETE FROM layer_styles WHERE f_table_name = ? AND styleName = ?", (layer, name)
        )
        db.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
            "owner, ui, update_time) VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', '', ?)",
            (
                layer,
                geometry_column,
                name,
                qml,
                "written by landuse",
                datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            ),
        )
    db.close()
