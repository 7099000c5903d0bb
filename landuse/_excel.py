"""The one place :mod:`landuse` writes Excel workbooks: text is always text.

openpyxl (and so ``DataFrame.to_excel``) stores a string that starts with ``=`` as a live
formula: a parcel named ``=HYPERLINK("http://…","点击")`` would become a link, ``=1+1`` a 2.
:func:`write_workbook` stores every text cell — values and headers — as a string cell
(``data_type == "s"``), so Excel shows ``=1+1`` as those four characters, whatever it starts
with (``=``, ``+``, ``-``, ``@``). Control characters, which the file format cannot hold raw,
are written in its escaped form (``_x0007_``), which Excel shows as the character. The
workbook is written atomically (see :mod:`landuse._atomic`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from landuse._atomic import replacing

__all__ = ["text_cells", "write_csv", "write_workbook"]


def _escape_controls(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text))


def text_cells(worksheet: Any) -> None:
    """Make every formula or text cell of an openpyxl worksheet a plain string cell."""
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = _escape_controls(cell.value)
                cell.data_type = "s"  # openpyxl guessed "f" for text starting with "="


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Control characters escaped in text values and headers (openpyxl refuses them raw)."""
    out = frame.rename(columns=lambda c: _escape_controls(c) if isinstance(c, str) else c)
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: _escape_controls(v) if isinstance(v, str) else v
            )
    return out


def _width(value: Any) -> int:
    """Columns a value takes in Excel: CJK characters count two, numbers as shown (1,234.5)."""
    import unicodedata

    if isinstance(value, float):
        text = "" if value != value else f"{value:,.2f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_workbook(
    path: Path,
    sheets: Mapping[str, pd.DataFrame],
    *,
    freeze_header: bool = False,
    fit_widths: bool = False,
    autofilter: bool = False,
    number_formats: Mapping[str, str] | None = None,
) -> Path:
    """Write ``{sheet name: table}`` to ``path`` atomically, every text cell a string.

    Parameters
    ----------
    path
        The ``.xlsx`` file; replaced in one rename, so readers see the old or the new workbook.
    sheets
        Sheet name → table (written without its index, headers in the first row).
    freeze_header
        Keep the header row visible while scrolling.
    fit_widths
        Size the columns to their text (at most 60 characters).
    autofilter
        Filter buttons on the header row.
    number_formats
        ``{column header: Excel number format}`` (e.g. ``{"处置率": "0.0%"}``), applied on every
        sheet that has the column; numbers stay numbers.

    Examples
    --------
    >>> import pathlib, tempfile, openpyxl, pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> _ = write_workbook(path, {"地块": pd.DataFrame({"name": ["=1+1", "东区"]})})
    >>> cell = openpyxl.load_workbook(path)["地块"]["A2"]
    >>> cell.value, cell.data_type
    ('=1+1', 's')
    """
    path = Path(path)
    with replacing(path) as temp, pd.ExcelWriter(temp, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            part = _safe_frame(pd.DataFrame(frame))
            part.to_excel(writer, sheet_name=name, index=False)
            worksheet = writer.sheets[name]
            text_cells(worksheet)
            if freeze_header:
                worksheet.freeze_panes = "A2"
            if autofilter and worksheet.max_row > 1:
                worksheet.auto_filter.ref = worksheet.dimensions
            for i, column in enumerate(part.columns, start=1):
                style = (number_formats or {}).get(str(column))
                if style is not None:
                    for (cell,) in worksheet.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.number_format = style
            if fit_widths:
                for i, column in enumerate(part.columns, start=1):
                    width = max(
                        [
                            _width(column) + 2,  # room for the filter button
                            *(_width(v) for v in part[column].head(200)),
                        ]
                    )
                    letter = worksheet.cell(1, i).column_letter
                    worksheet.column_dimensions[letter].width = min(width + 2, 60)
    return path


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value: Any) -> Any:
    """``'=1+1`` for ``=1+1``: Excel opens a CSV cell starting with ``'`` as text (OWASP)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: Path, *, index: bool = False) -> Path:
    """Write a CSV that Excel opens safely: UTF-8 with a BOM (Chinese text shows on Chinese
    Windows), text that Excel would run as a formula prefixed with ``'``; atomically.

    Examples
    --------
    >>> import pathlib, tempfile, pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_csv(pd.DataFrame({"name": ["=1+1", "东区", -3]}), path)
    >>> path.read_text(encoding="utf-8-sig").splitlines()
    ['name', "'=1+1", '东区', '-3']
    """
    path = Path(path)
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_defuse)
    if index:
        safe.index = safe.index.map(_defuse) if safe.index.nlevels == 1 else safe.index
    safe.columns = [_defuse(c) for c in safe.columns]
    with replacing(path) as temp:
        safe.to_csv(temp, index=index, encoding="utf-8-sig")
    return path
