"""Shapefiles written and read so that a reader never sees the parts of two writes.

A shapefile is several files (``.shp`` geometry, ``.shx`` index, ``.dbf`` attributes,
``.prj``, ``.cpg``) that only make sense together: a ``.shp`` from one write and a ``.dbf``
from another read without any error, with every geometry attached to the wrong parcel. A
rename is atomic for one file only, so a write is a small journaled transaction:

1. **stage** — under the target's lock (:func:`landuse._atomic.lock_for`) the new parts are
   written into a fresh hidden folder beside the target, ``.{stem}.{8 hex}.landuse-shp``. The
   ``.shp``, ``.shx`` and ``.dbf`` headers carry the same random write stamp in bytes the
   format leaves unused (``.shp``/``.shx`` bytes 4–7, ``.dbf`` bytes 16–19).
2. **commit** — a ``COMMIT`` record (the parts to move, in order, and stale sidecars of the
   old file to remove, e.g. a spatial index ``.qix``) is written to a temporary name, flushed
   to disk and renamed into the folder. Before this point the target is untouched: a killed
   write leaves the old shapefile, and its folder is removed by the next write.
3. **swap** — stale sidecars are removed and the parts are renamed over the target's, the
   ``.shp`` last; then the folder is removed.

Whoever comes next — the next write, or a read — first **rolls forward** every committed
folder of the target (finishing the renames of a write killed during the swap), so after a
kill at any moment a read gives the old data or the new data. A read also compares the write
stamps of the ``.shp``, ``.shx`` and ``.dbf`` it read, before and after reading: parts of two
different writes (a read racing a live swap) are read again, and if they still differ the
read fails with a clear error instead of returning mixed data. Parts written by other tools
carry no stamp (zero) and are not compared.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from landuse._atomic import lock_for
from landuse._errors import InputError

__all__ = ["MixedShapefileError", "read_consistent", "settle", "write_atomic"]

T = TypeVar("T")
_ORDER = (".cpg", ".prj", ".dbf", ".shx", ".shp")  # .shp last
_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".fix")
_COMMIT = "COMMIT"
_FOLDER = re.compile(r"^\.(?P<stem>.*)\.[0-9a-f]{8}\.landuse-shp$")
_STAMPED = {".shp": 4, ".shx": 4, ".dbf": 16}  # byte offset of the 4-byte write stamp


class MixedShapefileError(InputError):
    """The parts of a shapefile come from different writes."""


def _folders(path: Path) -> list[Path]:
    try:
        entries = list(path.parent.iterdir())
    except FileNotFoundError:
        return []
    found = []
    for entry in entries:
        match = _FOLDER.match(entry.name)
        if match and match["stem"] == path.stem and entry.is_dir():
            found.append(entry)
    return sorted(found, key=_mtime)


def _mtime(folder: Path) -> float:
    """When a staging folder was made; 0 when its writer removed it meanwhile (a live race)."""
    try:
        return folder.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _roll_forward(folder: Path, path: Path, record: dict[str, list[str]] | None = None) -> None:
    if record is None:
        try:
            record = json.loads((folder / _COMMIT).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return  # finished meanwhile by its writer (or by another reader)
    for name in record["remove"]:
        (path.parent / name).unlink(missing_ok=True)
    for name in record["parts"]:
        with contextlib.suppress(FileNotFoundError):  # moved already (before a kill)
            os.replace(folder / name, path.parent / name)
    shutil.rmtree(folder, ignore_errors=True)


def settle(path: Path, *, writer: bool) -> None:
    """Finish the committed writes of ``path`` that were cut short; a writer (holding the lock)
    also removes the staging folders of writes killed before their commit."""
    for folder in _folders(path):
        if (folder / _COMMIT).exists():
            try:
                _roll_forward(folder, path)
            except (OSError, ValueError, KeyError):
                if writer:
                    raise
                # a live writer is finishing this very swap; the stamps below catch a mix
        elif writer:
            shutil.rmtree(folder, ignore_errors=True)


def _stamp(staged: Path, stamp: int) -> None:
    for suffix, offset in _STAMPED.items():
        part = _part(staged, suffix)
        if part is not None:
            with open(part, "r+b") as f:
                f.seek(offset)
                f.write(stamp.to_bytes(4, "big"))


def _part(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return None


def stamps(path: Path) -> tuple[int, ...]:
    """The write stamps of the ``.shp``, ``.shx`` and ``.dbf`` (0: none or missing)."""
    found = []
    for suffix, offset in _STAMPED.items():
        part = _part(path, suffix)
        value = 0
        if part is not None:
            with contextlib.suppress(OSError), open(part, "rb") as f:
                f.seek(offset)
                raw = f.read(4)
                value = int.from_bytes(raw, "big") if len(raw) == 4 else 0
        found.append(value)
    return tuple(found)


def _consistent(found: tuple[int, ...]) -> bool:
    return len({s for s in found if s}) <= 1


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write a shapefile at ``path`` by ``write(staged_path)``, atomically (see module doc)."""
    with lock_for(path):
        settle(path, writer=True)
        folder = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.landuse-shp")
        folder.mkdir()
        committed = False
        try:
            staged = folder / path.name
            write(staged)
            _stamp(staged, secrets.randbits(31) + 1)
            parts = sorted(
                (p.name for p in folder.iterdir()),
                key=lambda n: (
                    _ORDER.index(Path(n).suffix.lower()) if Path(n).suffix.lower() in _ORDER else -1
                ),
            )
            for name in parts:
                _fsync(folder / name)
            fresh = {Path(n).suffix.lower() for n in parts}
            remove = [
                p.name
                for s in _SIDECARS
                for p in {path.with_suffix(s), path.with_suffix(s.upper())}
                if s not in fresh and p.exists()
            ]
            pending = folder / f"{_COMMIT}.tmp"
            record = {"parts": parts, "remove": remove}
            pending.write_text(json.dumps(record), encoding="utf-8")
            _fsync(pending)
            os.replace(pending, folder / _COMMIT)
            _fsync(folder)
            committed = True
            _roll_forward(folder, path, record)
        finally:
            if not committed:
                shutil.rmtree(folder, ignore_errors=True)


def read_consistent(path: Path, read: Callable[[], T], attempts: int = 3) -> T:
    """``read()`` a shapefile whose parts all come from one write (see module doc)."""
    for _ in range(attempts):
        settle(path, writer=False)
        before = stamps(path)
        result = read()
        if before == stamps(path) and _consistent(before):
            return result
    raise MixedShapefileError(
        f"{path.name}: its .shp, .shx and .dbf come from different writes (write stamps "
        f"{', '.join(f'{s:08x}' for s in stamps(path))}); write the shapefile again"
    )
