"""Where a client's outputs go, and the guarantee that an output folder holds one client only.

An engagement's outputs land in ``<out>/<slug>/``. The slug comes from the engagement's
own folder name (unique on disk) or, when the file sets one, from ``client.id``; never
from the display name alone, which two clients can share once transliterated.

Every output folder carries a marker (:data:`MARKER`) naming the client whose outputs it
holds. A build that would write into a folder marked for another client refuses, naming
both. Outputs are written into a staging folder and published together (:func:`staged`),
so an interrupted build leaves the previous set as it was.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import InvalidInput, Problem
from .fileio import atomic_write_text, temp_name

MARKER = ".assessment-client.json"
MARKER_SCHEMA = "outsourcing-readout/output-owner@1"
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
SLUG_MAX = 60
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")


def slugify(text: str, max_len: int = SLUG_MAX) -> str:
    """A safe folder name: ASCII, lower case, hyphens; never '..' or a device name.

    Non-Latin names are transliterated (python-slugify with text-unidecode: "Северный ветер"
    becomes "severnyi-veter", "北京银行" "bei-jing-yin-xing"). A name longer than ``max_len``
    keeps a short hash of the whole, so two long names that share a prefix stay apart.
    """
    from slugify import slugify as transliterate

    text = str(text)
    slug = transliterate(text, lowercase=True, separator="-")
    if len(slug) > max_len:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = slug[: max_len - 9].rstrip("-") + "-" + digest
    if not slug:
        slug = "client"
    if slug in _RESERVED:
        slug = f"{slug}-client"
    return slug


@dataclass(frozen=True)
class Owner:
    """Whose outputs a folder holds: the client's display name and a key that tells clients apart."""

    client: str
    key: str          # "id:<client.id>" or "folder:<engagement folder name>"
    engagement: str   # the engagement file, for the message only

    @property
    def slug(self) -> str:
        return slugify(self.key.split(":", 1)[1])


def client_id_problem(value, file: str = "engagement.yaml") -> Problem | None:
    """A problem with ``client.id`` (None when it is absent or fine). Validation and builds share it."""
    if value is None:
        return None
    if not isinstance(value, str) or not ID_PATTERN.match(value.strip()):
        return Problem(file, "client.id", "a short identifier: letters, digits, '.', '_' or '-' "
                                          "(up to 60, starting with a letter or digit)", repr(value)[:60])
    return None


def client_id(eng) -> str | None:
    """The engagement's ``client.id`` when it sets one (an extra key of ``client``)."""
    extra = getattr(eng.client, "model_extra", None) or {}
    value = extra.get("id")
    if isinstance(value, str):
        return value.strip() or None
    return value


def owner_of(engagement: Path, client_name: str, client_id: str | None = None) -> Owner:
    """The owner of an engagement's outputs: ``client.id`` when set, else the engagement's folder."""
    problem = client_id_problem(client_id, str(engagement))
    if problem:
        raise InvalidInput([problem])
    key = f"id:{client_id.strip()}" if client_id else f"folder:{Path(engagement).resolve().parent.name}"
    return Owner(client_name, key, str(engagement))


def output_dir(out_root: Path, owner: Owner | str) -> Path:
    """``<out_root>/<slug>`` (an owner's slug, or one given), refusing anything that lands outside ``out_root``."""
    root = Path(out_root).resolve()
    target = (root / (owner.slug if isinstance(owner, Owner) else owner)).resolve()
    if root not in target.parents:
        raise InvalidInput([Problem(str(out_root), "--out", "a client folder inside the output folder", str(target))])
    return target


def read_marker(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("key"), str) else None


def check_owner(folder: Path, owner: Owner) -> None:
    """Refuse when ``folder`` holds another client's outputs (or files this project did not write)."""
    marker = read_marker(folder)
    if marker is not None:
        same_key = marker["key"] == owner.key
        # client.id names a client on its own; a folder name only together with the client's name
        if same_key and (owner.key.startswith("id:") or marker.get("client") == owner.client):
            return
        other = str(marker.get("client") or "another client")
        renamed = (f" If {owner.client} is {other} renamed, delete {folder / MARKER} and build again."
                   if same_key else "")
        raise InvalidInput([Problem(
            str(folder), "output folder", f"a folder holding only {owner.client}'s outputs",
            f"the outputs of {other} (from {marker.get('engagement', 'another engagement')}); nothing was written. "
            f"Use another --out, or give each client its own client.id in engagement.yaml.{renamed}")])
    if not folder.is_dir():
        return
    foreign = [p.name for p in folder.iterdir()
               if not p.name.startswith(".") and not p.name.startswith(f"{owner.slug}-")]
    if foreign:
        raise InvalidInput([Problem(
            str(folder), "output folder", f"an empty folder or one holding only {owner.client}'s outputs",
            f"files this workbook did not write for {owner.client} ({', '.join(sorted(foreign)[:3])}"
            f"{', …' if len(foreign) > 3 else ''}); nothing was written. Move them, or use another --out")])


def marker_text(owner: Owner) -> str:
    return json.dumps({"schema": MARKER_SCHEMA, "client": owner.client, "key": owner.key,
                       "engagement": owner.engagement}, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- publishing
@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM/SIGHUP while a handful of renames run, so they happen all or none."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # not on this platform / thread: renames still run
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class Stage:
    """A staging folder inside a client's output folder; :meth:`publish` moves its files into place together."""

    def __init__(self, folder: Path, owner: Owner):
        self.folder, self.owner = folder, owner
        self.path = folder / temp_name()
        self.path.mkdir(parents=True)

    def publish(self, names: list[str], drop: list[str] = ()) -> dict[str, Path]:
        """Rename ``names`` from the stage into the folder, write the marker and remove ``drop``.

        Signals are held for the few renames, so an interrupt or SIGTERM lands before or
        after the whole set, never between two of its files.
        """
        published = {}
        atomic_write_text(self.path / MARKER, marker_text(self.owner))
        with signals_held():
            for name in names:
                os.replace(self.path / name, self.folder / name)
                published[name] = self.folder / name
            os.replace(self.path / MARKER, self.folder / MARKER)
            for name in drop:
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / name).unlink()
        return published

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


@contextlib.contextmanager
def staged(folder: Path, owner: Owner) -> Iterator[Stage]:
    """A :class:`Stage` that is removed whatever happens (what was published stays)."""
    stage = Stage(folder, owner)
    try:
        yield stage
    finally:
        stage.discard()
