"""Commands for the action plan: `assessment actions import` (the roadmap's spreadsheet, read back)."""
from __future__ import annotations

HANDLERS: dict = {}


def register(sub, checklist_opt, example, positive_int=int, month=str) -> None:
    """Add this module's sub-commands to the parser; nothing yet."""
