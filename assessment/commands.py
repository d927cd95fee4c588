"""Commands that run notebooks (readout, scorecard, batch): registered here to keep cli.py small."""
from __future__ import annotations

HANDLERS: dict = {}


def register(sub, checklist_opt, example) -> None:
    """Add the notebook-running subcommands to the parser."""
