"""Where the package's own files live: notebooks, templates, built-in data, schemas.

All of them ship inside the package (package data), so an installed wheel finds them
wherever it is run from.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
NOTEBOOKS = PACKAGE / "notebooks"
TEMPLATES = PACKAGE / "templates"
DATA = PACKAGE / "data"
SCHEMAS = PACKAGE / "schemas"
