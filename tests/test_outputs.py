"""Hardening 2, items 1, 7 and 8: output folders that cannot collide, files the project did not
create left alone, outputs replaced together, and the small things a new user trips on."""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import batch
from assessment.errors import InvalidInput
from assessment.fileio import TEMP_PREFIX, atomic_write_text, remove_stale_temp, temp_name
from assessment.outputs import MARKER, Owner, check_owner, marker_text, owner_of, slugify

from conftest import EXAMPLES

KESTREL = EXAMPLES / "kestrel-insurance" / "engagement.yaml"


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "assessment", *args], capture_output=True, text=True, cwd=cwd)


def client(root: Path, folder: str, name: str, client_id: str | None = None) -> Path:
    """Kestrel's engagement under another folder and client name."""
    text = KESTREL.read_text(encoding="utf-8")
    ident = f"id: {json.dumps(client_id)}, " if client_id else ""
    text = text.replace('client: {name: "Kestrel Insurance"', f"client: {{{ident}name: {json.dumps(name, ensure_ascii=False)}", 1)
    d = root / folder
    d.mkdir(parents=True)
    (d / "engagement.yaml").write_text(text, encoding="utf-8")
    for csv_file in KESTREL.parent.glob("*.csv"):
        (d / csv_file.name).write_bytes(csv_file.read_bytes())
    return d / "engagement.yaml"


# --------------------------------------------------------------------------- 1. folders that cannot collide
def test_non_latin_names_are_transliterated_not_collapsed():
    assert slugify("Северный ветер") == "severnyi-veter"
    assert slugify("Южная звезда") == "iuzhnaia-zvezda"
    assert slugify("北京银行") == "bei-jing-yin-xing"


def test_long_names_sharing_a_prefix_get_different_slugs():
    a, b = "A" * 70 + " North", "A" * 70 + " South"
    assert slugify(a) != slugify(b) and len(slugify(a)) <= 60


def test_output_folder_comes_from_the_engagement_folder_or_client_id(tmp_path):
    one = client(tmp_path, "acme-2025", "Acme")
    two = client(tmp_path, "acme-2026", "Acme")
    assert owner_of(one, "Acme").slug == "acme-2025" and owner_of(two, "Acme").slug == "acme-2026"
    assert owner_of(one, "Acme", "ACME-Group").slug == "acme-group"
    with pytest.raises(InvalidInput) as exc:
        owner_of(one, "Acme", "../../etc")
    assert "client.id" in str(exc.value)


def test_a_folder_marked_for_another_client_is_refused_naming_both(tmp_path):
    folder = tmp_path / "out" / "acme"
    folder.mkdir(parents=True)
    first = Owner("Acme Ltd", "folder:acme", "/a/acme/engagement.yaml")
    (folder / MARKER).write_text(marker_text(first))
    check_owner(folder, first)  # its own folder: fine
    with pytest.raises(InvalidInput) as exc:
        check_owner(folder, Owner("ACME GmbH", "folder:ACME", "/b/ACME/engagement.yaml"))
    text = str(exc.value)
    assert "Acme Ltd" in text and "ACME GmbH" in text and "client.id" in text


def test_a_folder_with_files_we_did_not_write_is_refused(tmp_path):
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "acme-readout.pdf").write_bytes(b"%PDF")   # an earlier version's output for this slug: adopted
    check_owner(folder, Owner("Acme", "folder:acme", "x"))
    (folder / "board-pack.pdf").write_bytes(b"%PDF")     # someone else's file
    with pytest.raises(InvalidInput) as exc:
        check_owner(folder, Owner("Acme", "folder:acme", "x"))
    assert "board-pack.pdf" in str(exc.value)


@pytest.mark.slow
def test_two_non_latin_clients_never_share_an_output_folder(tmp_path):
    out = tmp_path / "o"
    north = client(tmp_path / "eng", "severnyi-veter", "Северный ветер")
    south = client(tmp_path / "eng", "iuzhnaia-zvezda", "Южная звезда")
    for path in (north, south):
        r = run_cli("readout", str(path), "--out", str(out), "--format", "html")
        assert r.returncode == 0, r.stderr
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in out.glob("*/*-readout.html")}
    assert set(pages) == {"severnyi-veter", "iuzhnaia-zvezda"}
    assert "Северный ветер" in pages["severnyi-veter"] and "Южная звезда" not in pages["severnyi-veter"]
    assert "Южная звезда" in pages["iuzhnaia-zvezda"] and "Северный ветер" not in pages["iuzhnaia-zvezda"]
    # the facts file is written beside every readout, validates against the shipped schema, and is its client's
    import jsonschema

    from assessment.facts import schema
    for slug, name in (("severnyi-veter", "Северный ветер"), ("iuzhnaia-zvezda", "Южная звезда")):
        facts = json.loads((out / slug / f"{slug}-readout.json").read_text(encoding="utf-8"))
        jsonschema.validate(facts, schema())
        assert facts["schema"] == "outsourcing-readout/facts@1" and name in json.dumps(facts, ensure_ascii=False)


@pytest.mark.slow
def test_a_build_refuses_another_clients_folder_and_keeps_its_outputs(tmp_path):
    out = tmp_path / "o"
    first = client(tmp_path / "a", "acme", "Acme Ltd")
    second = client(tmp_path / "b", "acme", "Acme Holdings")   # same folder name, another client
    assert run_cli("readout", str(first), "--out", str(out), "--format", "html").returncode == 0
    page = out / "acme" / "acme-readout.html"
    before = page.read_bytes()
    r = run_cli("readout", str(second), "--out", str(out), "--format", "html")
    assert r.returncode == 1
    assert "Acme Ltd" in r.stderr and "Acme Holdings" in r.stderr and "client.id" in r.stderr
    assert "Traceback" not in r.stderr
    assert page.read_bytes() == before


# --------------------------------------------------------------------------- 7. files the project did not create
def test_clean_up_removes_only_our_dead_processes_temp_files(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine_dead = tmp_path / temp_name(".tmp").replace(f"-{os.getpid()}-", f"-{dead.pid}-")
    mine_alive = tmp_path / temp_name(".tmp")
    theirs = [tmp_path / ".env.tmpl", tmp_path / ".tmp-notes", tmp_path / "x.tmp"]
    for p in [mine_dead, mine_alive, *theirs]:
        p.write_text("x")
    stage = tmp_path / temp_name().replace(f"-{os.getpid()}-", f"-{dead.pid}-")
    stage.mkdir()
    (stage / "half.pdf").write_text("x")
    assert remove_stale_temp([tmp_path]) == 2
    assert not mine_dead.exists() and not stage.exists()
    assert mine_alive.exists() and all(p.exists() for p in theirs)


def test_saving_through_a_symlink_keeps_the_link_and_the_mode(tmp_path):
    real = tmp_path / "store" / "engagement.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    os.chmod(real, 0o664)
    link = tmp_path / "engagement.yaml"
    link.symlink_to(real)
    atomic_write_text(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"
    assert oct(real.stat().st_mode & 0o777) == "0o664"
    assert not [p for p in real.parent.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_two_runs_write_separate_manifests_and_cells_stay_text(tmp_path):
    rows = [{"client": '=HYPERLINK("http://x/?"&A1,"Click")', "status": "ok", "seconds": 1.0, "pdf": "",
             "error": "-2+3", "engagement": "@SUM(1)"}]
    a = batch.write_manifest(tmp_path, rows)
    b = batch.write_manifest(tmp_path, rows)
    assert a[0] != b[0] and a[1] != b[1]
    with open(a[1], newline="", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert row["client"].startswith("'=") and row["error"] == "'-2+3" and row["engagement"] == "'@SUM(1)"
    assert row["seconds"] == "1.0"


def test_skip_hash_covers_formats_and_every_output(tmp_path):
    root = tmp_path / "eng"
    path = client(root, "acme", "Acme")
    out = tmp_path / "out"
    folder = out / "acme"
    folder.mkdir(parents=True)
    (folder / "acme-readout.html").write_text("x")
    (folder / "acme-readout.json").write_text("{}")   # the facts file goes with every readout
    (folder / MARKER).write_text(marker_text(owner_of(path, "Acme")))
    html_hash = batch.inputs_hash(path.resolve(), "readout", None, None, None, "html")
    (folder / ".readout.inputs.sha256").write_text(html_hash)
    tasks, known = batch.plan(root, out, "readout", None, None, False, 60, "html")
    assert not tasks and known[0]["status"] == batch.SKIPPED
    tasks, known = batch.plan(root, out, "readout", None, None, False, 60, "pdf,html,ipynb")
    assert len(tasks) == 1   # the PDF was never built: not "current"
    (folder / "acme-readout.html").unlink()
    tasks, _ = batch.plan(root, out, "readout", None, None, False, 60, "html")
    assert len(tasks) == 1   # an output gone missing is rebuilt


SIGTERM_IN_PDF = """
import os, signal, sys
import assessment.report.pdf as pdf
def dying(html, output, base_dir=None):
    output.write_bytes(b"")          # the stage's half-written PDF
    os.kill(os.getpid(), signal.SIGTERM)
pdf.write_pdf = dying
from assessment.report.build import build
build(sys.argv[1], sys.argv[2])
"""


@pytest.mark.slow
def test_sigterm_while_rendering_the_pdf_leaves_the_previous_set(tmp_path):
    out = tmp_path / "o"
    assert run_cli("readout", str(KESTREL), "--out", str(out)).returncode == 0
    folder = out / "kestrel-insurance"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    r = subprocess.run([sys.executable, "-c", SIGTERM_IN_PDF, str(KESTREL), str(out)], capture_output=True)
    assert r.returncode == -signal.SIGTERM
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before                       # old HTML, notebook and PDF, together; no 0-byte PDF
    assert run_cli("readout", str(KESTREL), "--out", str(out), "--format", "html").returncode == 0
    assert not [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]   # the next build cleans up


# --------------------------------------------------------------------------- 8. small things
def test_new_refuses_control_characters_and_accepts_a_slug(tmp_path):
    r = run_cli("new", "Acme\x1b[31m", "--root", str(tmp_path))
    assert r.returncode == 1 and "control characters" in r.stderr and "Traceback" not in r.stderr
    assert not list(tmp_path.iterdir())
    r = run_cli("new", "Северный ветер", "--root", str(tmp_path))
    assert r.returncode == 0 and (tmp_path / "severnyi-veter" / "engagement.yaml").is_file()
    r = run_cli("new", "Северный ветер", "--root", str(tmp_path), "--slug", "sv-2026")
    assert r.returncode == 0 and (tmp_path / "sv-2026" / "engagement.yaml").is_file()
    from assessment.yamlio import read_yaml
    data, _ = read_yaml(tmp_path / "sv-2026" / "engagement.yaml")
    assert data["client"]["name"] == "Северный ветер"
    r = run_cli("new", "X", "--root", str(tmp_path), "--slug", "Not A Slug")
    assert r.returncode == 1 and "--slug" in r.stderr


@pytest.mark.parametrize("args", [("readout", str(KESTREL), "--timeout", "0"),
                                  ("readout", str(KESTREL), "--timeout", "-5"),
                                  ("batch", str(EXAMPLES), "--jobs", "0"),
                                  ("scorecard", str(KESTREL), "--month", "2026-13"),
                                  ("scorecard", str(KESTREL), "--month", "foo")])
def test_bad_numbers_and_months_are_usage_errors(args):
    r = run_cli(*args)
    assert r.returncode == 2 and "expected" in r.stderr, r.stderr


def test_batch_on_an_empty_or_wrong_folder_fails(tmp_path):
    r = run_cli("batch", str(tmp_path), "--out", str(tmp_path / "o"))
    assert r.returncode == 1 and "engagement.yaml" in r.stderr
    assert not (tmp_path / "o").exists()


def test_validate_counts_errors_found_in_csvs(tmp_path):
    path = client(tmp_path, "acme", "Acme")
    (path.parent / "kpis.csv").write_text("month,kpi,actual\nnot-a-month,service_level,abc\n", encoding="utf-8")
    r = run_cli("validate", str(path))
    assert r.returncode == 1
    summary = r.stdout.strip().splitlines()[-1]
    assert "INVALID" in summary and " 0 error(s)" not in summary, summary


@pytest.mark.slow
def test_timeout_covers_the_pdf_stage(tmp_path, monkeypatch):
    """A PDF stage that never ends is stopped at --timeout, with a message; the folder keeps no stage."""
    import time

    import assessment.report.pdf as pdf_mod
    from assessment.report.build import BuildTimedOut, build

    def endless(html, output, base_dir=None):
        time.sleep(600)

    monkeypatch.setattr(pdf_mod, "write_pdf", endless)
    started = time.monotonic()
    with pytest.raises(BuildTimedOut) as exc:
        build(KESTREL, tmp_path / "o", formats=("pdf",), timeout=40)
    assert time.monotonic() - started < 60
    assert "timed out after 40 s" in str(exc.value)
    assert not [p for p in (tmp_path / "o" / "kestrel-insurance").iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_csv_linking_outside_the_engagement_folder_is_refused_and_never_read(tmp_path):
    from assessment.inputs import check_inputs, find_inputs

    secret = tmp_path / "secret.csv"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    path = client(tmp_path, "acme", "Acme")
    (path.parent / "kpis.csv").unlink()
    (path.parent / "kpis.csv").symlink_to(secret)
    assert find_inputs(path.parent)["kpis"] is None
    problems = check_inputs(path)
    assert any(p.is_error and "link" in p.found and "kpis.csv" in p.field for p in problems)
    r = run_cli("validate", str(path))
    assert r.returncode == 1 and "root:x" not in r.stdout + r.stderr


def test_a_bad_client_id_is_a_validation_error(tmp_path):
    path = client(tmp_path, "acme", "Acme", client_id="../../etc")
    r = run_cli("validate", str(path))
    assert r.returncode == 1 and "client.id" in r.stdout, r.stdout


def test_a_draft_readout_is_announced(tmp_path):
    import re

    from assessment import facts
    from assessment.report.build import _draft_warning

    assert _draft_warning(facts.to_plain(facts.load(KESTREL))) == []
    path = client(tmp_path, "acme", "Acme")
    path.write_text(re.sub(r"as_is: \d", "as_is: null", path.read_text(encoding="utf-8")), encoding="utf-8")
    warning = _draft_warning(facts.to_plain(facts.load(path)))
    assert warning and "not yet scored" in warning[0] and "DRAFT" in warning[0]


def test_a_month_after_the_assessment_is_never_the_default(tmp_path):
    import datetime as dt

    from assessment.report.numbers import collect
    from assessment.checklist import load_checklist
    from assessment.validate import load_engagement

    path = client(tmp_path, "acme", "Acme")
    kpis = path.parent / "kpis.csv"
    kpis.write_text(kpis.read_text() + "2099-12,service_level,99,80,\n")
    eng = load_engagement(path, load_checklist())
    n = collect(path, eng, eng.assessment.date)
    assert n.month and n.month < "2099-12" and n.month <= eng.assessment.date.strftime("%Y-%m")
