"""Safe writes: temp file + fsync + rename, and timestamped backups.

Nothing a consultant wrote is ever overwritten in place: callers back the old
version up first, and a crash mid-write leaves the previous file intact.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_copy(src: str | os.PathLike, dst: str | os.PathLike) -> Path:
    """Copy a finished file into place atomically (used to publish rendered reports)."""
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return dst


def backup(path: str | os.PathLike, now: dt.datetime | None = None) -> Path | None:
    """Copy ``path`` to ``.backups/<name>.<timestamp>`` beside it; None when there is nothing to keep."""
    path = Path(path)
    if not path.exists():
        return None
    stamp = (now or dt.datetime.now()).strftime("%Y%m%dT%H%M%S%f")
    target = path.parent / ".backups" / f"{path.name}.{stamp}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    return target


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike, wait: float = 120.0) -> Iterator[Path]:
    """Hold an exclusive lock on ``folder`` (created if missing) for one writer at a time.

    Two builds of the same client would otherwise rename their files over each other's.
    The lock is on the folder itself (flock on a directory), so no lock file is left
    behind, and the kernel releases it when the holder dies. Waits up to ``wait`` seconds.
    """
    import fcntl

    from .errors import InvalidInput, Problem

    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise InvalidInput([Problem(str(path), "--out", "a client folder no other build is writing",
                                                f"another build still writing it after {wait:.0f} s")]) from None
                time.sleep(0.2)
        yield path
    finally:
        os.close(fd)
