"""Safe writes: temp file + fsync + rename, and timestamped backups.

Nothing a consultant wrote is ever overwritten in place: callers back the old
version up first, and a crash mid-write leaves the previous file intact.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import shutil
import socket
import stat
import time
from pathlib import Path
from typing import Iterator


# Every temporary file or folder the project creates starts with this; clean-up removes
# nothing else, and only when the process that made it (on this machine) is gone.
TEMP_PREFIX = ".assessment-tmp-"
_TEMP_RE = re.compile(re.escape(TEMP_PREFIX) + r"(?P<host>[A-Za-z0-9_.]*)-(?P<pid>\d+)-[0-9a-f]{8}")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_.]", "_", socket.gethostname())[:40]


def temp_name(tag: str = "") -> str:
    """A temp name clean-up can recognise and tie to its process: prefix, host, pid, random."""
    return f"{TEMP_PREFIX}{_host()}-{os.getpid()}-{secrets.token_hex(4)}{tag}"


def _alive(pid: int) -> bool:
    """True while process ``pid`` runs; a zombie (dead, not yet reaped) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):  # no /proc: trust kill(0)
        return True


def is_stale_temp(path: Path) -> bool:
    """True for a temp file or folder of ours whose process on this machine has ended."""
    m = _TEMP_RE.match(Path(path).name)
    return bool(m) and m["host"] == _host() and not _alive(int(m["pid"]))


def remove_stale_temp(folders) -> int:
    """Remove dead processes' temp files and folders directly inside ``folders``; nothing else."""
    removed = 0
    for folder in folders:
        try:
            entries = list(Path(folder).iterdir())
        except OSError:
            continue
        for path in entries:
            if not is_stale_temp(path):
                continue
            with contextlib.suppress(OSError):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed += 1
    return removed


def _mode_for(path: Path) -> int:
    """The mode a replacement should have: the old file's, or what a new file gets under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_target(path: str | os.PathLike) -> Path:
    """Where writing ``path`` really lands: a symlink's target (the link itself is kept)."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half.

    A symlink stays a link (its target is replaced), and the file keeps its mode.
    Returns ``path`` as given.
    """
    given = Path(path)
    path = write_target(given)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    tmp = path.parent / temp_name(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return given


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_copy(src: str | os.PathLike, dst: str | os.PathLike) -> Path:
    """Copy a finished file into place atomically."""
    return atomic_write_bytes(dst, Path(src).read_bytes())


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
