"""Every input the Hardening 2 review tried, once more, end to end: each one is refused with a clear
message, or accepted and then computed completely (every fact of its readout). Never a traceback."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

KESTREL = EXAMPLES / "kestrel-insurance"


def folder(tmp_path: Path, yaml_edit=None, kpis_extra: str = "", contacts_extra: str = "",
           contacts_replace: str | None = None) -> Path:
    d = tmp_path / "eng"
    shutil.copytree(KESTREL, d)
    path = d / "engagement.yaml"
    if yaml_edit:
        before = path.read_text(encoding="utf-8")
        after = yaml_edit(before)
        assert after != before, "the case's edit did not apply"
        path.write_text(after, encoding="utf-8")
    if kpis_extra:
        with open(d / "kpis.csv", "a", encoding="utf-8") as fh:
            fh.write(kpis_extra)
    if contacts_replace is not None:
        (d / "contacts.csv").write_text(contacts_replace, encoding="utf-8")
    elif contacts_extra:
        with open(d / "contacts.csv", "a", encoding="utf-8") as fh:
            fh.write(contacts_extra)
    return d


def first_contact_row() -> tuple[str, str]:
    lines = (KESTREL / "contacts.csv").read_text(encoding="utf-8").splitlines()
    return lines[0], lines[1]


def contacts_with(row_edit) -> str:
    header, row = first_contact_row()
    cols = header.split(",")
    values = dict(zip(cols, row.split(",")))
    row_edit(values)
    return header + "\n" + ",".join(str(values[c]) for c in cols) + "\n"


CASES = {
    "duplicated timestamp": dict(contacts_replace=None, contacts_extra="DUP"),
    "aht zero": dict(contacts_replace=contacts_with(lambda v: v.update(aht_seconds=0))),
    "offered 1e12": dict(contacts_replace=contacts_with(lambda v: v.update(offered="1e12"))),
    "aht 1e9": dict(contacts_replace=contacts_with(lambda v: v.update(aht_seconds="1e9"))),
    "inf in contacts": dict(contacts_replace=contacts_with(lambda v: v.update(offered="inf"))),
    "inf in kpis": dict(kpis_extra="2026-10,service_level,inf,80,\n"),
    "renewal 9999": dict(yaml_edit=lambda t: t.replace("renewal_date: 2027-07-01", "renewal_date: 9999-12-31")),
    "year 1": dict(yaml_edit=lambda t: t.replace("renewal_date: 2027-07-01", "renewal_date: 0001-01-01")),
    "extra cell": dict(kpis_extra="2026-10,service_level,70,80,,surplus\n"),
    "mars timezone": dict(yaml_edit=lambda t: t.replace("timezone: Europe/London", "timezone: Mars/Phobos")),
    "future month": dict(kpis_extra="2099-12,service_level,70,80,\n"),
    "formula client": dict(yaml_edit=lambda t: t.replace('name: "Kestrel Insurance"', 'name: "=HYPERLINK(\\"http://x\\",\\"c\\")"')),
    "css client": dict(yaml_edit=lambda t: t.replace('name: "Kestrel Insurance"',
                                                     'name: "Acme\\"; background-image: url(http://127.0.0.1:9/x); color: \\"x"')),
    "escape in name": dict(yaml_edit=lambda t: t.replace('name: "Kestrel Insurance"', 'name: "Acme\\e[31m"')),
    "all zero": dict(yaml_edit=lambda t: __import__("re").sub(r"as_is: \d", "as_is: 0", __import__("re").sub(r"to_be: \d", "to_be: 0", t))),
    "all n/a": dict(yaml_edit=lambda t: __import__("re").sub(r"as_is: \d", 'as_is: "n/a"', t)),
    "unscored": dict(yaml_edit=lambda t: __import__("re").sub(r"as_is: \d", "as_is: null", t)),
}


OUTCOMES: dict[str, int] = {}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_clearly_or_computed_completely(tmp_path, case):
    spec = dict(CASES[case])
    if spec.get("contacts_extra") == "DUP":
        header, row = first_contact_row()
        spec["contacts_extra"] = row + "\n"
    d = folder(tmp_path, **spec)
    r = subprocess.run([sys.executable, "-m", "assessment", "validate", str(d)], capture_output=True, text=True)
    OUTCOMES[case] = r.returncode
    assert "Traceback" not in r.stdout + r.stderr and "internal error" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert r.returncode in (0, 1), r.stdout + r.stderr
    if r.returncode == 1:
        assert ": error: " in r.stdout, r.stdout          # refused: file, field, expected, found
        return
    from assessment.facts import load, to_json

    facts = json.loads(to_json(load(d)))                 # accepted: every fact of the readout computes
    assert facts["schema"] == "outsourcing-readout/facts@1"


def test_the_cases_the_review_saw_crash_are_now_refused():
    """The inputs that crashed or hung a build before are refused by validate now (not silently accepted)."""
    refused = {"aht 1e9", "offered 1e12", "inf in contacts", "inf in kpis", "renewal 9999", "year 1", "extra cell",
               "mars timezone", "duplicated timestamp"}
    seen = {case: code for case, code in OUTCOMES.items() if case in refused}
    if len(seen) < len(refused):
        pytest.skip("run with the whole module")
    assert all(code == 1 for code in seen.values()), seen
