"""Spreadsheet cells that are always data, never formulas (OWASP CSV-injection guidance).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula. Every CSV or XLSX writer in
the project passes its text values through :func:`csv_text` or :func:`set_xlsx_cell`,
and every reader passes them back through :func:`from_csv_text`, so a value reads back
exactly as it was written.

In CSV the guard is a leading apostrophe (what spreadsheets themselves use to mark
"this is text"). A value that already starts with an apostrophe gets one more, so the
mapping is reversible for every string. In XLSX the cell is stored as a string with
Excel's ``quotePrefix`` style: no apostrophe is added to the value at all.
"""
from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula."""
    return text.startswith(TRIGGERS)


def csv_text(value: Any) -> Any:
    """``value`` ready for a CSV cell: strings that could run as formulas get a leading apostrophe."""
    if not isinstance(value, str):
        return value
    if is_formula_like(value) or value.startswith(GUARD):
        return GUARD + value
    return value


def from_csv_text(value: Any) -> Any:
    """The inverse of :func:`csv_text`: the value as it was before it was guarded."""
    if isinstance(value, str) and value.startswith(GUARD):
        rest = value[1:]
        if is_formula_like(rest) or rest.startswith(GUARD):
            return rest
    return value


def csv_row(row: dict) -> dict:
    """Every value of a CSV row guarded."""
    return {key: csv_text(value) for key, value in row.items()}


def set_xlsx_cell(cell, value: Any) -> None:
    """Write ``value`` into an openpyxl cell; text is always stored as text, never as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if is_formula_like(value):
            cell.quotePrefix = True  # Excel keeps it text when someone edits the cell
