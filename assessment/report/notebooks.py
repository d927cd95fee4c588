"""Keep notebooks reviewable: strip outputs and execution counts before committing.

    python -m assessment.report.notebooks strip notebooks/*.ipynb
    python -m assessment.report.notebooks check notebooks/*.ipynb   # exit 1 if any has outputs
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from ..fileio import atomic_write_text


def has_outputs(nb) -> bool:
    return any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def strip(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill", None)
    return nb


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in ("strip", "check"):
        print(__doc__.strip())
        return 2
    dirty = []
    for name in args[1:]:
        nb = nbformat.read(name, as_version=4)
        if has_outputs(nb):
            dirty.append(name)
            if args[0] == "strip":
                atomic_write_text(Path(name), nbformat.writes(strip(nb)) + "\n")
    verb = "stripped" if args[0] == "strip" else "have outputs"
    for name in dirty:
        print(f"{name}: {verb}")
    return 1 if dirty and args[0] == "check" else 0


if __name__ == "__main__":
    raise SystemExit(main())
