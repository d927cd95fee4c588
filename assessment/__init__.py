"""outsourcing-readout: assess how a client integrates its outsourcing partner.

Data flows one way through the package:

    engagement.yaml --(engagement, model, validate)--> Engagement
        --(analyses: scoring, roadmap, kpis, coverage, contract, slas)--> findings
        --(report: notebook via papermill -> HTML via nbconvert -> PDF via WeasyPrint)--> readout.pdf
"""

__version__ = "0.1.0"

import sys as _sys

# nbformat validates notebooks with jsonschema, and jsonschema imports the optional
# rfc3987_syntax package (pulled in by JupyterLab) just to check "iri" strings. Building
# its grammar costs 1.5 s in every process; notebooks have no IRI fields, so skip it.
_sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
