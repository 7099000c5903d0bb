"""Excel output that keeps data as data."""

from __future__ import annotations

from typing import Any

__all__ = ["keep_text"]


def keep_text(workbook: Any) -> None:
    """Store every cell openpyxl took for a formula (text starting with ``=``) as a string.

    User text such as a company name ``=HYPERLINK(...)`` must never become a formula.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
