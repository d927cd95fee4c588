"""Problems found in a consultant's input, and the exceptions that carry them.

Validation is lazy (pandera style): every check appends a :class:`Problem` and the
caller fails once, with all of them, so a consultant can fix a file in one pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    file: str
    field: str
    expected: str
    found: str
    line: int | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.field}: expected {self.expected}, found {self.found}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def show(value: object, limit: int = 60) -> str:
    """Render a found value for a message: quoted strings, short, on one line."""
    if isinstance(value, str):
        text = repr(value)
    elif value is None:
        text = "nothing (null)"
    else:
        text = repr(value)
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AssessmentError(Exception):
    """Base class for every error the workbook reports to a person (never a traceback)."""


@dataclass
class InvalidInput(AssessmentError):
    """One or more inputs are invalid. Carries every problem found, errors and warnings."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def summary(self) -> str:
        n = len(self.errors)
        return f"{n} problem{'s' if n != 1 else ''} found"

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


@dataclass
class NotebookFailed(AssessmentError):
    """A readout notebook raised. Carries where and what, like papermill's PapermillExecutionError."""

    client: str
    cell_index: int | None
    error_name: str
    error_value: str
    executed_notebook: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        cell = f"cell {self.cell_index}" if self.cell_index is not None else "a cell"
        msg = f"readout for {self.client!r} failed in {cell}: {self.error_name}: {self.error_value}"
        if self.executed_notebook:
            msg += f" (executed notebook kept at {self.executed_notebook})"
        return msg


@dataclass
class SaveConflict(AssessmentError):
    """A save was refused so that nothing is lost: the file changed on disk, or another save is running."""

    path: str
    reason: str
    diff: str = ""

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}: not saved: {self.reason}"


def one_line(exc: BaseException) -> str:
    """An exception as one line for a person: a batch's manifest, a log. Never a traceback."""
    if isinstance(exc, InvalidInput):
        errors = exc.errors or exc.problems
        if not errors:
            return exc.summary()
        return str(errors[0]) + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else "")
    if isinstance(exc, AssessmentError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f" {exc.filename}:" if exc.filename else ""
        return f"could not read or write{where} {exc.strerror or exc}"
    return f"internal error: {type(exc).__name__}: {exc}"
