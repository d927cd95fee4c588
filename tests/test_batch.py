"""Portfolio batch: parallel clients, failure isolation, incremental runs, dask, confidentiality."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from assessment import batch
from conftest import EXAMPLES, parent_pid

SOURCE = (EXAMPLES / "kestrel-insurance" / "engagement.yaml").read_text(encoding="utf-8")


def make_client(root: Path, i: int, canary: str | None = None) -> Path:
    """A synthetic client: the Kestrel story under another name, with a unique canary in a note."""
    name = f"Client {i:02d} Holdings"
    text = SOURCE.replace("Kestrel Insurance", name).replace("Kestrel", name)
    if canary:
        text = text.replace('"Apex\'s management could not name', f'"{canary}: Apex\'s management could not name')
        assert canary in text
    d = root / f"client-{i:02d}"
    d.mkdir(parents=True)
    (d / "engagement.yaml").write_text(text, encoding="utf-8")
    return d / "engagement.yaml"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assessment", *args], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONIOENCODING="utf-8"))


def text_of(path: Path) -> str:
    if path.suffix == ".pdf":
        return " ".join((p.extract_text() or "") for p in PdfReader(str(path)).pages)
    if path.suffix == ".pptx":   # every slide's text and every speaker note
        from pptx import Presentation

        deck = Presentation(str(path))
        texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
        texts += [slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide]
        return " ".join(texts)
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- no kernel needed
def test_symlink_outside_root_is_refused_and_output_clash_reported(tmp_path):
    root = tmp_path / "engagements"
    make_client(root, 1)
    outside = tmp_path / "elsewhere"
    make_client(outside, 2)
    (root / "linked").symlink_to(outside / "client-02")
    # a copy under another folder name is another output folder, not a clash ...
    copy = root / "client-01-copy"
    copy.mkdir()
    (copy / "engagement.yaml").write_text((root / "client-01" / "engagement.yaml").read_text())
    # ... but two engagements claiming one client.id are
    for folder in ("a-wave", "b-wave"):
        (root / folder).mkdir()
        text = (root / "client-01" / "engagement.yaml").read_text()
        (root / folder / "engagement.yaml").write_text(
            text.replace("client: {name:", "client: {id: shared, name:", 1))
    out = tmp_path / "out"
    tasks, known = batch.plan(root, out, "readout", None, None, False, 60, "pdf")
    assert [Path(t["engagement"]).parent.name for t in tasks] == ["a-wave", "client-01", "client-01-copy"]
    assert [t["slug"] for t in tasks] == ["shared", "client-01", "client-01-copy"]
    errors = sorted(k["error"] for k in known)
    assert any("refused" in e and "links outside" in e for e in errors), errors
    clash = [e for e in errors if "would both write" in e]
    assert clash and str(out.resolve() / "shared") in clash[0] and "set a distinct client.id" in clash[0], errors


def test_inputs_hash_changes_with_engagement_and_csv(tmp_path):
    path = make_client(tmp_path, 1)
    h1 = batch.inputs_hash(path, "readout", None, None)
    assert h1 == batch.inputs_hash(path, "readout", None, None)
    (path.parent / "kpis.csv").write_text("month,kpi,actual,target\n")
    h2 = batch.inputs_hash(path, "readout", None, None)
    path.write_text(path.read_text() + "\n# edited\n")
    h3 = batch.inputs_hash(path, "readout", None, None)
    assert len({h1, h2, h3}) == 3


def test_inputs_hash_covers_respondents_reviews_and_waves(tmp_path):
    # A readout shows perception gaps (responses/) and progress (waves/); the service review reads
    # reviews/YYYY-MM.yaml: a batch must not skip a client whose files there changed.
    path = make_client(tmp_path, 1)
    seen = {batch.inputs_hash(path, "readout", None, None)}
    for sub, name in (("responses", "client-a.yaml"), ("reviews", "2026-10.yaml"), ("waves/2026-H1", "engagement.yaml")):
        (path.parent / sub).mkdir(parents=True, exist_ok=True)
        (path.parent / sub / name).write_text("a: 1\n")
        seen.add(batch.inputs_hash(path, "readout", None, None))
    (path.parent / "responses" / "client-a.yaml").write_text("a: 2\n")
    seen.add(batch.inputs_hash(path, "readout", None, None))
    assert len(seen) == 5


def test_a_service_review_is_skipped_by_its_monthly_file_name(tmp_path):
    from assessment.report.build import output_stem

    path = make_client(tmp_path, 1)
    (path.parent / "kpis.csv").write_text("month,kpi,actual,target\n2026-09,x,1,1\n")
    out = tmp_path / "out"
    tasks, known = batch.plan(tmp_path, out, "scorecard", None, None, False, 60, "pdf")
    assert len(tasks) == 1 and not known
    stem = output_stem(tasks[0]["slug"], "scorecard", "2026-09")
    folder = out / tasks[0]["slug"]
    folder.mkdir(parents=True)
    for ext in ("pdf", "json"):
        (folder / f"{stem}.{ext}").write_text("x")
    Path(tasks[0]["stamp"]).write_text(tasks[0]["hash"])
    tasks, known = batch.plan(tmp_path, out, "scorecard", None, None, False, 60, "pdf")
    assert not tasks and [k["status"] for k in known] == [batch.SKIPPED]
    assert known[0]["pdf"].endswith(f"{stem}.pdf")


def test_summary_table_and_manifest(tmp_path):
    results = [{"client": "A", "status": "ok", "seconds": 3.2, "cpu_s": 4.1, "peak_mb": 180, "pdf": "/r/a.pdf",
                "error": "", "engagement": "a"},
               {"client": "Bé", "status": "failed", "seconds": 1.0, "pdf": "", "error": "x: error: boom",
                "engagement": "b"}]
    table = batch.summary_table(results)
    assert table.splitlines()[1].startswith("Bé") and "x: error: boom" in table
    js, cs = batch.write_manifest(tmp_path, results)
    assert json.loads(js.read_text(encoding="utf-8"))[1]["client"] == "Bé"
    lines = cs.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "client,status,seconds,cpu_s,peak_mb,pdf,error,engagement"
    assert lines[1] == "A,ok,3.2,4.1,180,/r/a.pdf,,a"
    assert lines[2] == "Bé,failed,1.0,,,,x: error: boom,b"   # a client that failed early has no usage


# --------------------------------------------------------------------------- how a build process starts
CHECK_KESTREL = {"engagement": str(EXAMPLES / "kestrel-insurance"), "out": "reports", "check_only": True}


def _preloaded() -> None:
    preload = sys.modules.get("assessment.report.preload")
    sys.exit(0 if preload is not None and preload.READY and "weasyprint" in sys.modules else 3)


def _start_build_in_pool_worker(scratch: str) -> tuple[bool, bool, int, str]:
    probe = batch._SERVER.Process(target=_preloaded)  # what a forked build finds already imported
    probe.start()
    probe.join(60)
    with batch.BuildProcess(CHECK_KESTREL, Path(scratch)) as proc:
        code = proc.wait(60)
        return proc._popen is None, probe.exitcode == 0, code, proc.result()["slug"]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_pool_workers_fork_builds_from_a_warm_server_and_single_calls_start_afresh(tmp_path):
    import concurrent.futures as cf

    with cf.ProcessPoolExecutor(1, initializer=batch.start_fork_server) as pool:
        forked, preloaded, code, out = pool.submit(_start_build_in_pool_worker, str(tmp_path)).result(timeout=120)
    assert forked and preloaded and code == 0 and "kestrel-insurance" in out, out
    # called directly (an Airflow task, say) there is no fork server: a fresh interpreter runs the build
    assert batch._SERVER is None
    with batch.BuildProcess(CHECK_KESTREL, tmp_path) as proc:
        assert parent_pid(proc.pid) == os.getpid()
        assert proc.wait(60) == 0
        assert proc.result()["slug"] == "kestrel-insurance"
    assert list(tmp_path.iterdir()) == []  # its output files are gone with it


def test_a_dead_fork_server_falls_back_to_a_fresh_build(tmp_path, monkeypatch):
    class DeadServer:
        class Process:
            pid = None

            def __init__(self, **kwargs):
                pass

            def start(self):
                raise EOFError("unexpected EOF")  # what multiprocessing raises when the server is gone

    monkeypatch.setattr(batch, "_SERVER", DeadServer())
    with batch.BuildProcess(CHECK_KESTREL, tmp_path) as proc:
        assert proc._popen is not None and proc.wait(60) == 0
        assert proc.result()["slug"] == "kestrel-insurance"


# --------------------------------------------------------------------------- real batches
@pytest.mark.slow
def test_ten_clients_in_parallel_keep_their_own_data(tmp_path):
    root, out = tmp_path / "engagements", tmp_path / "reports"
    canaries = {i: f"CANARY-{i:02d}-{os.urandom(4).hex()}" for i in range(10)}
    for i, c in canaries.items():
        make_client(root, i, c)
    formats = "pdf,html,ipynb,pptx"
    r = run_cli("batch", str(root), "--jobs", "2", "--out", str(out), "--format", formats)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "[10/10]" in r.stderr                      # plain progress lines when not on a terminal
    assert "10 built, 0 skipped (unchanged), 0 failed" in r.stdout
    for i, canary in canaries.items():
        slug = f"client-{i:02d}"
        files = [out / slug / f"{slug}-readout.{ext}" for ext in ("pdf", "html", "ipynb", "pptx", "json")]
        for f in files:
            text = text_of(f)
            assert canary in text, (f.name, canary)
            others = [c for j, c in canaries.items() if j != i]
            assert not [c for c in others if c in text], f.name
    manifests = sorted(out.glob("batch-*.json"))
    rows = json.loads(manifests[-1].read_text(encoding="utf-8"))
    assert len(rows) == 10 and {r["status"] for r in rows} == {"ok"}
    # each build reports what it used, its kernel included: seconds of CPU and a peak of tens of MB at least
    assert all(r["cpu_s"] > 0.5 and 50 < r["peak_mb"] < 2000 for r in rows), rows
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]

    # incremental: nothing changed, nothing rebuilt; one edit rebuilds one client; --force rebuilds all
    r = run_cli("batch", str(root), "--jobs", "2", "--out", str(out), "--format", formats)
    assert r.returncode == 0 and "0 built, 10 skipped (unchanged), 0 failed" in r.stdout, r.stdout
    edited = root / "client-03" / "engagement.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("as_is: 0,", "as_is: 1,", 1), encoding="utf-8")
    r = run_cli("batch", str(root), "--jobs", "2", "--out", str(out), "--format", formats)
    assert r.returncode == 0 and "1 built, 9 skipped (unchanged), 0 failed" in r.stdout, r.stdout


@pytest.mark.slow
def test_twelve_clients_three_broken(tmp_path):
    """Invalid YAML, a failing cell and a hang: 9 PDFs, 3 clear failures, the others unaffected."""
    root, out = tmp_path / "engagements", tmp_path / "reports"
    for i in range(11):
        make_client(root, i)
    bad = root / "broken-yaml" / "engagement.yaml"
    bad.parent.mkdir()
    bad.write_text("client: {name: 'Broken Ltd'\nassessment: [\n", encoding="utf-8")

    def notebook_dir(name: str, source: str) -> str:
        d = tmp_path / name
        d.mkdir()
        nb = nbformat.read(batch.NOTEBOOKS / "readout.ipynb", as_version=4)
        nb.cells.insert(3, nbformat.v4.new_code_cell(source))
        nbformat.write(nb, d / "readout.ipynb")
        return str(d)

    tasks, known = batch.plan(root, out, "readout", None, None, False, 240, "pdf")
    assert len(tasks) == 12 and not known
    by_dir = {Path(t["engagement"]).parent.name: t for t in tasks}
    by_dir["client-09"]["notebooks"] = notebook_dir("raising", "raise ValueError('cell 4 went wrong')")
    by_dir["client-10"]["notebooks"] = notebook_dir("hanging", "import time\ntime.sleep(600)")
    by_dir["client-10"]["timeout"] = 25
    results = {r["client"]: r for r in batch.execute(tasks, jobs=2)}
    failed = {k: r["error"] for k, r in results.items() if r["status"] == batch.FAILED}
    assert set(failed) == {"broken-yaml", "Client 09 Holdings", "Client 10 Holdings"}, failed
    assert "broken-yaml" in failed["broken-yaml"] or "engagement.yaml" in failed["broken-yaml"]
    assert "ValueError" in failed["Client 09 Holdings"] and "cell 4 went wrong" in failed["Client 09 Holdings"]
    assert "timed out after 25 s" in failed["Client 10 Holdings"]
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == 9
    assert all(PdfReader(str(p)).pages for p in pdfs)
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    # and the CLI's exit code is 1 when any client failed
    r = run_cli("batch", str(root), "--jobs", "2", "--out", str(out))
    assert r.returncode == 1 and "broken-yaml" in r.stdout


@pytest.mark.slow
def test_dask_local_cluster(tmp_path):
    root, out = tmp_path / "engagements", tmp_path / "reports"
    for i in range(2):
        make_client(root, i, f"DASK-CANARY-{i}")
    r = run_cli("batch", str(root), "--executor", "dask", "--jobs", "2", "--out", str(out), "--format", "pdf,html")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "(dask)" in r.stderr and "2 built" in r.stdout
    for i in range(2):
        slug = f"client-{i:02d}"
        assert f"DASK-CANARY-{i}" in text_of(out / slug / f"{slug}-readout.html")
    # dask workers are daemons and may not fork: their builds start afresh and still report their usage
    rows = json.loads(sorted(out.glob("batch-*.json"))[-1].read_text(encoding="utf-8"))
    assert all(r["cpu_s"] > 0.5 and r["peak_mb"] > 50 for r in rows), rows
