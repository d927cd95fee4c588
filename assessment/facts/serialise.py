"""Facts as JSON (``<slug>-readout.json``), its versioned schema, and the glue that carries it out of a notebook.

The readout notebook displays the facts once as an ``application/json`` output in a cell tagged
``remove-cell`` (it never reaches the HTML); :func:`facts_from_notebook` takes it back out of the
executed notebook, so the build writes the JSON without computing anything again.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any, Mapping

from ..resources import SCHEMAS
from .types import SCHEMA_ID

SCHEMA_FILE = "facts-1.schema.json"


def to_plain(value: Any) -> Any:
    """Dataclasses, tuples, read-only mappings and dates as JSON-ready dicts, lists and strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.metadata.get("json", True)}
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value != value:   # NaN has no JSON form
        return None
    return value


def to_json(facts, indent: int | None = 2) -> str:
    return json.dumps(to_plain(facts), ensure_ascii=False, indent=indent)


@functools.lru_cache(maxsize=1)
def schema() -> dict:
    """The JSON Schema of the facts (``assessment/schemas/facts-1.schema.json``, shipped with the package)."""
    return json.loads((SCHEMAS / SCHEMA_FILE).read_text(encoding="utf-8"))


class Glue:
    """The facts as one ``application/json`` display output (scrapbook-style glue)."""

    def __init__(self, facts) -> None:
        self._data = to_plain(facts)

    def _repr_json_(self):
        return self._data, {"schema": SCHEMA_ID}

    def __repr__(self) -> str:
        return f"<readout facts: {SCHEMA_ID}>"


def glued(nb: Any, schema_id: str) -> dict | None:
    """The first ``application/json`` output of an executed notebook whose ``schema`` is ``schema_id``, as a
    plain, independent dict; None when it carries none. ``nb``: a NotebookNode, a plain dict or an .ipynb path.
    Pure: it reads the outputs and computes nothing (the readout's facts, a review's, the options')."""
    if isinstance(nb, (str, Path)):
        nb = json.loads(Path(nb).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("application/json")
            if isinstance(data, str):
                try:
                    data = json.loads(data)
                except ValueError:
                    continue
            if isinstance(data, Mapping) and data.get("schema") == schema_id:
                return json.loads(json.dumps(data))   # a plain, independent copy
    return None


def facts_from_notebook(nb: Any) -> dict | None:
    """The facts JSON (a dict) glued into an executed readout notebook; None when it carries none.

    ``nb``: a NotebookNode, the notebook as a plain dict, or a path to an ``.ipynb`` file. Pure: it reads
    the outputs and computes nothing. The dict validates against :func:`schema`.
    """
    return glued(nb, SCHEMA_ID)
