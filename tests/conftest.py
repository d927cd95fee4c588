from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from assessment.checklist import load_checklist

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
EXAMPLES = ROOT / "examples" / "engagements"


@pytest.fixture(scope="session")
def builtin():
    return load_checklist()


@pytest.fixture(scope="session")
def mini():
    return load_checklist(DATA / "mini-checklist.yaml")


@pytest.fixture
def write(tmp_path):
    """Write dedented YAML text to a file under tmp_path and return its path."""

    def _write(text: str, name: str = "engagement.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return _write


VALID_HEAD = """\
client: {name: "Acme Retail", industry: "Retail"}
assessment: {date: 2026-11-02, consultants: ["A. Consultant"]}
outsourcer: {name: "Contoso CX", services: ["customer care"], sites: ["Manila"]}
contract: {start_date: 2025-03-01, renewal_date: 2027-03-01, notice_days: 90, hand_off_date: 2025-05-15}
"""


def proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process from Linux /proc; None once it is gone. State "Z": a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def parent_pid(pid: int) -> int | None:
    """The parent of a living process, or None once it is gone."""
    stat = proc_stat(pid)
    return stat[1] if stat else None
