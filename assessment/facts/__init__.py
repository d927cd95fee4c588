"""The facts of a readout, computed once.

:func:`load` reads an engagement folder (engagement.yaml, kpis.csv, contacts.csv, the checklist,
the branding, the as-of date and the KPI month), runs every analysis and returns an immutable
:class:`Facts` holding every number, finding and table the readout shows, each number rounded
once, as it is printed. The readout, the scorecard and any later output render from it and
compute nothing themselves.

The facts serialise to JSON (:func:`to_json`) against a versioned schema shipped with the package
(``assessment/schemas/facts-1.schema.json``, ``"schema": "outsourcing-readout/facts@1"``); the
readout notebook glues them into its output (:class:`Glue`) and :func:`facts_from_notebook`
reads them back from an executed notebook.
"""
from __future__ import annotations

from .compute import load
from .numbers import collect
from .serialise import Glue, facts_from_notebook, schema, to_json, to_plain
from .types import SCHEMA_ID, Facts

__all__ = ["Facts", "SCHEMA_ID", "Glue", "collect", "facts_from_notebook", "load", "schema", "to_json", "to_plain"]
