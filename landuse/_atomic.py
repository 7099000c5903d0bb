"""Atomic file writes: one writer at a time per file, a temporary name, a rename.

Every file :mod:`landuse` writes goes through :func:`replacing`:

1. the target's lock is taken (a :class:`filelock.FileLock`), so two processes writing the
   same file — e.g. two layers of one GeoPackage — take turns instead of one overwriting the
   other's copy (a lost update);
2. under the lock, temporary files that killed writes of the same target left behind are
   removed (no live writer can own them: a live writer holds the lock);
3. the new file is written under a temporary name beside the target (optionally starting from
   a copy of the existing file: the other layers of a GeoPackage) and renamed over the target.

A rename within one directory is atomic, so a reader (and a write killed at any moment)
sees the old file or the new one, never a mix.

The lock files live in a per-user folder of the system's temporary directory, named by a
hash of the target's real path, so nothing but the data is left beside the target. The lock
therefore orders the writers of one machine and account (notebooks, scripts, the command
line); writers on other machines sharing a network folder are not ordered.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock

__all__ = ["LOCK_TIMEOUT", "lock_for", "remove_orphans", "replacing", "staging_name"]

LOCK_TIMEOUT = 600.0  # seconds a writer waits for another writer of the same file
_TEMP = re.compile(r"^\.(?P<stem>.*)\.[0-9a-f]{8}\.tmp(?P<suffix>\.[^.]*?)(-journal|-wal|-shm)?$")


def _lock_dir() -> Path:
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(tempfile.gettempdir()) / f"landuse-locks-{uid}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def lock_for(path: Path) -> FileLock:
    """The lock that orders the writers of ``path`` (the same lock for every spelling of it)."""
    real = os.path.realpath(path.parent) + os.sep + path.name
    digest = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return FileLock(_lock_dir() / f"{digest}.lock", timeout=LOCK_TIMEOUT)


def staging_name(path: Path, kind: str = "tmp") -> Path:
    """A fresh hidden name beside ``path``: ``.{stem}.{8 hex}.{kind}{suffix}``."""
    return path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.{kind}{path.suffix}")


def remove_orphans(path: Path) -> list[Path]:
    """Remove the temporary files that killed writes of ``path`` left; call under its lock."""
    removed = []
    with contextlib.suppress(FileNotFoundError):
        for entry in path.parent.iterdir():
            match = _TEMP.match(entry.name)
            if (
                match
                and match["stem"] == path.stem
                and match["suffix"].lower() == path.suffix.lower()
                and entry.is_file()
            ):
                entry.unlink(missing_ok=True)
                removed.append(entry)
    return removed


@contextlib.contextmanager
def replacing(path: Path, *, keep: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` in one rename.

    ``keep=True`` starts the temporary file as a copy of the existing ``path`` (GeoPackage:
    the other layers are kept). The whole copy-modify-rename holds the target's lock. On an
    error the temporary file is removed and ``path`` is untouched.
    """
    with lock_for(path):
        remove_orphans(path)
        temp = staging_name(path)
        try:
            if keep and path.exists():
                shutil.copy2(path, temp)
            yield temp
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)
            for extra in ("-journal", "-wal", "-shm"):
                temp.with_name(temp.name + extra).unlink(missing_ok=True)
