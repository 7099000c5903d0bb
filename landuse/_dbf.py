"""Text encoding of a shapefile's .dbf when no .cpg says it (Chinese exports are often GBK)."""

from __future__ import annotations

import struct
from pathlib import Path

__all__ = ["detect_dbf_encoding"]

# dBase language-driver ids that name a Chinese code page
_CHINESE_LDID = {0x4D: "gb18030", 0x7A: "gb18030", 0x4E: "cp949", 0x4F: "big5", 0x78: "big5"}


def _text_fields(header: bytes) -> list[tuple[int, int]]:
    """(offset within the record, length) of every character field."""
    fields, offset = [], 1  # byte 0 of a record is the deletion flag
    for start in range(32, len(header) - 31, 32):
        if header[start] == 0x0D:
            break
        kind, length = chr(header[start + 11]), header[start + 16]
        if kind in "CM":
            fields.append((offset, length))
        offset += length
    return fields


def detect_dbf_encoding(shp: Path) -> tuple[str, str]:
    """Guess the encoding of ``shp``'s attribute text: (encoding, reason for the warning).

    UTF-8 when every text value decodes as UTF-8, else GB18030 (a superset of GBK and GB2312)
    when that decodes, else the code page named in the .dbf header.
    """
    dbf = next((p for p in (shp.with_suffix(".dbf"), shp.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        return "utf-8", "no .dbf file"
    data = dbf.read_bytes()
    if len(data) < 32:
        return "utf-8", "empty .dbf"
    records, header_size, record_size = struct.unpack("<IHH", data[4:12])
    fields = _text_fields(data[:header_size])
    values = b"".join(
        data[
            header_size + r * record_size + offset : header_size + r * record_size + offset + length
        ]
        for r in range(records)
        for offset, length in fields
    )
    try:
        values.decode("utf-8")
        return "utf-8", "its text is valid UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        values.decode("gb18030")
        return "gb18030", "its text is not UTF-8 but valid GB18030/GBK"
    except UnicodeDecodeError:
        pass
    ldid = data[29]
    if ldid in _CHINESE_LDID:
        return _CHINESE_LDID[ldid], f"the .dbf header names code page {ldid:#x}"
    return "latin-1", "its text is neither UTF-8 nor GB18030; pass encoding= to read it right"
