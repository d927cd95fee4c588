"""outsourcing-readout: assess how a client integrates its outsourcing partner.

Data flows one way through the package:

    engagement.yaml --(engagement, model, validate)--> Engagement
        --(analyses: scoring, roadmap, kpis, coverage, contract, slas)--> findings
        --(report: notebook via papermill -> HTML via nbconvert -> PDF via WeasyPrint)--> readout.pdf
"""

__version__ = "0.1.0"
