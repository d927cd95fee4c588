"""Commands for both sides and over time: consensus, workshop app, waves."""
from __future__ import annotations

HANDLERS: dict = {}


def register(sub, checklist_opt, example, positive_int=int, month=str) -> None:
    """Add this module's sub-commands to the parser; nothing yet."""
