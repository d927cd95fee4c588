"""Faults mid-run: dead kernels, raising cells, full disks, read-only folders, killed batches, concurrent saves.

After each: no partial or corrupt output, previous outputs intact, and the next run recovers.
"""
from __future__ import annotations

import errno
import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from assessment import engagement as eng_mod
from assessment import fileio
from assessment.checklist import load_checklist
from assessment.engagement import fingerprint, save, slugify
from assessment.errors import InvalidInput, NotebookFailed, SaveConflict
from assessment.report import build as build_mod
from assessment.fileio import TEMP_PREFIX
from assessment.outputs import output_dir
from assessment.report.build import build
from assessment.yamlio import read_yaml
from conftest import EXAMPLES, parent_pid, proc_stat

KESTREL = EXAMPLES / "kestrel-insurance" / "engagement.yaml"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".tmp" in p.name or p.name.startswith(TEMP_PREFIX))


def notebooks_with(tmp_path: Path, source: str) -> Path:
    d = tmp_path / "nb"
    d.mkdir(exist_ok=True)
    nb = nbformat.read(build_mod.NOTEBOOKS / "readout.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(source))
    nbformat.write(nb, d / "readout.ipynb")
    return d


# --------------------------------------------------------------------------- paths
@pytest.mark.parametrize("name, slug", [("../../etc", "etc"), ("CON", "con-client"), ("a/b", "a-b"),
                                        ("..", "client"), ("Ünïcödé  Ltd.", "unicode-ltd"), ("nul", "nul-client")])
def test_client_names_become_safe_slugs(name, slug):
    assert slugify(name) == slug


def test_output_never_escapes_the_output_folder(tmp_path):
    from assessment.errors import InvalidInput

    assert output_dir(tmp_path, "acme") == (tmp_path / "acme").resolve()
    for bad in ("../outside", "/etc", "a/../../b"):
        with pytest.raises(InvalidInput):
            output_dir(tmp_path, bad)


# --------------------------------------------------------------------------- faults while rendering
@pytest.mark.slow
def test_kernel_killed_mid_run_keeps_previous_pdf(tmp_path):
    out = tmp_path / "out"
    first = build(KESTREL, out, formats=("pdf",))
    before = first.outputs["pdf"].read_bytes()
    nbs = notebooks_with(tmp_path, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    with pytest.raises(NotebookFailed) as exc:
        build(KESTREL, out, formats=("pdf",), notebooks=nbs, timeout=60)
    assert "kernel" in str(exc.value).lower() or "Dead" in exc.value.error_name
    assert first.outputs["pdf"].read_bytes() == before
    assert leftovers(out) == []
    again = build(KESTREL, out, formats=("pdf",))            # and the next run recovers
    assert len(PdfReader(str(again.outputs["pdf"])).pages) > 10


@pytest.mark.slow
def test_full_disk_while_writing_pdf(tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = build(KESTREL, out, formats=("pdf", "html"))
    before = {k: p.read_bytes() for k, p in first.outputs.items()}
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()
            return False

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

    class OsWithFullDisk:                              # only fileio's view of os changes
        def __getattr__(self, name):
            return getattr(os, name)

        @staticmethod
        def fdopen(fd, mode, *a, **k):
            return FullDisk(real_fdopen(fd, mode, *a, **k))

    monkeypatch.setattr(fileio, "os", OsWithFullDisk())
    with pytest.raises(OSError) as exc:
        build(KESTREL, out, formats=("pdf", "html"))
    assert exc.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert {k: p.read_bytes() for k, p in first.outputs.items()} == before
    assert leftovers(out) == []


def test_full_disk_message_via_cli(tmp_path):
    """Through the CLI the same fault is one line, exit 1, no traceback."""
    code = (
        "import errno, sys\n"
        "from assessment import fileio\n"
        "def boom(*a, **k): raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "fileio.atomic_write_bytes = boom\n"
        "import assessment.engagement as e; e.atomic_write_text = boom\n"
        "from assessment.cli import main\n"
        f"sys.exit(main(['new', 'Acme', '--root', {str(tmp_path)!r}]))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and "No space left on device" in r.stderr
    assert not (tmp_path / "acme").exists() or not any((tmp_path / "acme").iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions; covered by the monkeypatch test")
def test_read_only_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    r = subprocess.run([sys.executable, "-m", "assessment", "readout", str(KESTREL), "--out", str(out)],
                       capture_output=True, text=True)
    out.chmod(0o755)
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_read_only_output_folder_simulated(tmp_path, monkeypatch):
    """Permission denied when publishing: the error propagates, nothing half-written remains."""
    target = tmp_path / "out" / "x.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF-previous")

    def deny(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    class OsDenying:
        def __getattr__(self, name):
            return getattr(os, name)

        replace = staticmethod(deny)

    monkeypatch.setattr(fileio, "os", OsDenying())
    with pytest.raises(PermissionError):
        fileio.atomic_write_bytes(target, b"%PDF-new")
    monkeypatch.undo()
    assert target.read_bytes() == b"%PDF-previous"
    assert leftovers(target.parent) == []


# --------------------------------------------------------------------------- batch interrupted
@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_batch_interrupted_then_rerun_finishes(tmp_path, sig):
    root, out = tmp_path / "engagements", tmp_path / "reports"
    text = KESTREL.read_text(encoding="utf-8")
    for i in range(4):
        d = root / f"c{i}"
        d.mkdir(parents=True)
        (d / "engagement.yaml").write_text(text.replace("Kestrel Insurance", f"Client {i}"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "assessment", "batch", str(root), "--jobs", "2", "--out", str(out),
                             "--format", "pdf"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and not list(out.glob("*/*.pdf")):
        time.sleep(0.2)
    assert list(out.glob("*/*.pdf")), "no client finished in time"
    os.killpg(proc.pid, sig)
    proc.communicate(timeout=60)
    for pdf in out.glob("*/*.pdf"):                 # whatever exists is complete
        assert PdfReader(str(pdf)).pages
    r = subprocess.run([sys.executable, "-m", "assessment", "batch", str(root), "--jobs", "2", "--out", str(out),
                        "--format", "pdf"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(list(out.glob("*/*-readout.pdf"))) == 4
    assert "skipped (unchanged)" in r.stdout
    assert leftovers(out) == []


# --------------------------------------------------------------------------- concurrent saves
def _save_worker(path: str, note: str, start, results) -> None:
    data, _ = read_yaml(path)
    expected = fingerprint(path)
    data["checklist"]["PEO-01"]["notes"] = note
    start.wait()
    try:
        save(path, data, load_checklist(), expected=expected)
        results.put(("saved", note))
    except SaveConflict as exc:
        results.put(("refused", exc.reason))


def test_two_processes_save_at_once_one_wins(tmp_path):
    path = tmp_path / "engagement.yaml"
    shutil.copy(KESTREL, path)
    ctx = mp.get_context("fork")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_save_worker, args=(str(path), f"note from writer {i}", start, results))
             for i in range(2)]
    for p in procs:
        p.start()
    time.sleep(0.3)
    start.set()
    for p in procs:
        p.join(30)
    outcomes = sorted(results.get(timeout=5) for _ in procs)
    assert [o[0] for o in outcomes] == ["refused", "saved"], outcomes
    winner = [o[1] for o in outcomes if o[0] == "saved"][0]
    text = path.read_text(encoding="utf-8")
    assert winner in text and text.count("note from writer") == 1
    read_yaml(path)                                   # still valid YAML: nothing interleaved
    assert len(list((tmp_path / ".backups").iterdir())) == 1


def test_save_refused_when_file_changed_on_disk(tmp_path):
    path = tmp_path / "engagement.yaml"
    shutil.copy(KESTREL, path)
    data, _ = read_yaml(path)
    expected = fingerprint(path)
    path.write_text(path.read_text(encoding="utf-8").replace("A. Lindqvist", "B. Editor"), encoding="utf-8")
    edited = path.read_bytes()
    data["checklist"]["PEO-01"]["notes"] = "typed in the workshop"
    with pytest.raises(SaveConflict) as exc:
        save(path, data, load_checklist(), expected=expected)
    assert "changed on disk" in exc.value.reason
    assert "B. Editor" in exc.value.diff and "typed in the workshop" in exc.value.diff
    assert path.read_bytes() == edited                # the editor's change is kept
    assert not (tmp_path / ".backups").exists()


# --------------------------------------------------------------------------- one build per client folder
def _hold_lock(folder: str, ready, release) -> None:
    with fileio.folder_lock(folder):
        ready.set()
        release.wait(30)


def test_a_second_build_of_the_same_client_waits_for_the_first(tmp_path):
    ctx = mp.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(tmp_path / "client"), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        started = time.monotonic()
        with pytest.raises(InvalidInput) as exc:
            with fileio.folder_lock(tmp_path / "client", wait=0.6):
                pass
        assert time.monotonic() - started >= 0.6
        assert "another build still writing it" in str(exc.value.problems[0])
        release.set()
        holder.join(30)
        with fileio.folder_lock(tmp_path / "client", wait=5) as folder:   # free again
            assert folder.is_dir()
    finally:
        release.set()
        holder.join(5)
    assert list((tmp_path / "client").iterdir()) == []                  # no lock file left behind


def _descendants(pid: int) -> dict[int, str]:
    """Every living process below ``pid`` (children, their children, ...), with its command line."""
    parents, cmds = {}, {}
    for proc in Path("/proc").iterdir():
        stat = proc_stat(int(proc.name)) if proc.name.isdigit() else None
        if stat is None or stat[0] == "Z":  # a zombie is already dead, only not yet reaped
            continue
        try:
            cmds[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="ignore")
        except OSError:
            continue
        parents[int(proc.name)] = stat[1]
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found[child] = cmds.get(child, "")
                frontier.append(child)
    return found


def _alive(pids) -> list[int]:
    return [pid for pid in pids if (proc_stat(pid) or ("Z",))[0] != "Z"]


@pytest.mark.slow
@pytest.mark.parametrize("victim", ["batch", "workers"])
def test_a_batch_killed_with_sigkill_leaves_no_build_running(tmp_path, victim):
    """Builds run in sessions of their own (so a terminal's Ctrl-C reaches only the batch), yet
    none of them, and none of their kernels, outlives a batch killed with SIGKILL, nor a pool
    worker killed on its own (by the OOM killer, say)."""
    root, out = tmp_path / "engagements", tmp_path / "reports"
    for i in range(2):
        d = root / f"c{i}"
        d.mkdir(parents=True)
        (d / "engagement.yaml").write_text(KESTREL.read_text(encoding="utf-8").replace("Kestrel Insurance", f"Client {i}"),
                                           encoding="utf-8")
    slow = notebooks_with(tmp_path, "import time\ntime.sleep(120)")  # builds that would outlive the test
    proc = subprocess.Popen([sys.executable, "-m", "assessment", "batch", str(root), "--jobs", "2", "--out", str(out),
                             "--format", "pdf", "--notebooks", str(slow)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    started = {}
    deadline = time.time() + 60
    while time.time() < deadline and sum("ipykernel" in cmd for cmd in started.values()) < 2:
        started.update(_descendants(proc.pid))  # kernels run below the builds, which run below the workers
        time.sleep(0.1)
    assert sum("ipykernel" in cmd for cmd in started.values()) == 2, f"two builds did not start: {started}"
    if victim == "batch":
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        workers = [pid for pid, cmd in _descendants(proc.pid).items()
                   if parent_pid(pid) == proc.pid and "assessment batch" in cmd]
        assert len(workers) == 2, workers
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
    proc.wait(30)
    if victim == "workers":
        assert proc.returncode == 1   # both clients reported failed, the batch itself ends normally
    deadline = time.time() + 10
    while time.time() < deadline and _alive(started):
        time.sleep(0.2)
    assert {pid: started[pid] for pid in _alive(started)} == {}
