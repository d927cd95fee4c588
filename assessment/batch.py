"""A portfolio in one command: every client's report, in parallel, each in its own process.

The unit of work is :func:`run_client`: one client in, one result dict out. It runs the
build in a child process (with its own kernel) under a hard timeout, so a hung or dying
client is marked failed and the others go on. The same function runs on a local
process pool or on a dask.distributed cluster (``Client.get_executor()``), and can be
called per client from Airflow or a Kubernetes job.
"""
from __future__ import annotations

import concurrent.futures as cf
import csv
import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import __version__
from .engagement import find, slugify
from .fileio import atomic_write_text
from .report.build import NOTEBOOKS, ROOT

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
TEMPLATES = ROOT / "templates"


# --------------------------------------------------------------------------- inputs and hashing
def inputs_hash(engagement: Path, kind: str, checklist: str | None, branding: str | None,
                notebooks: str | None = None) -> str:
    """Hash of everything that shapes a client's report; equal hash, equal report."""
    h = hashlib.sha256(f"{__version__}|{kind}".encode())
    files = [engagement, *sorted(engagement.parent.glob("*.csv")), Path(notebooks or NOTEBOOKS) / f"{kind}.ipynb",
             *sorted(p for p in TEMPLATES.rglob("*") if p.is_file())]
    files += [Path(p) for p in (checklist, branding) if p]
    if not checklist:
        from .checklist import builtin_path

        files.append(builtin_path())
    for path in files:
        h.update(str(path.name).encode())
        h.update(path.read_bytes() if path.is_file() else b"<missing or not a regular file>")
    return h.hexdigest()


def _stamp(out_dir: Path, kind: str) -> Path:
    return out_dir / f".{kind}.inputs.sha256"


def clean_stale_temp(out_root: Path) -> int:
    """Remove temp files a killed run left behind (our temp files all start with '.' and hold '.tmp')."""
    removed = 0
    for path in out_root.glob("*/.*tmp*"):
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed


# --------------------------------------------------------------------------- the unit of work
def run_client(task: dict) -> dict:
    """Build one client's report in a child process with a hard timeout. Never raises.

    ``task`` holds plain data (JSON-able): engagement, out, kind, formats, timeout,
    checklist, branding. Returns client, status, seconds, pdf, error.
    """
    started = time.perf_counter()
    result = {"engagement": task["engagement"], "client": task.get("client") or Path(task["engagement"]).parent.name,
              "status": FAILED, "seconds": 0.0, "pdf": "", "error": ""}
    cmd = [sys.executable, "-m", "assessment", task.get("kind", "readout"), task["engagement"],
           "--out", task["out"], "--format", task.get("formats", "pdf,html,ipynb"),
           "--timeout", str(task.get("timeout", 300))]
    for opt in ("checklist", "branding", "notebooks"):
        if task.get(opt):
            cmd += [f"--{opt}", task[opt]]
    env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True,
                            # a hook between fork and exec is only safe in a single-threaded worker
                            preexec_fn=_die_with_parent if threading.active_count() == 1 else None)
    try:
        out, err = proc.communicate(timeout=task.get("timeout", 300))
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        result["error"] = f"timed out after {task.get('timeout', 300)} s"
        _clean_client_temp(Path(task["out"]) / slugify(result["client"]))
    except BaseException:  # Ctrl-C or a dying worker: the build must not outlive the batch
        _kill_group(proc)
        raise
    else:
        if proc.returncode == 0:
            result["status"] = OK
            for line in out.splitlines():
                if line.strip().startswith("pdf:"):
                    result["pdf"] = line.split(":", 1)[1].strip()
        elif proc.returncode < 0:
            result["error"] = f"the build process died ({signal.Signals(-proc.returncode).name})"
            _clean_client_temp(Path(task["out"]) / slugify(result["client"]))
        else:
            lines = [ln for ln in err.splitlines() if ln.strip()]
            result["error"] = lines[-1] if lines else f"exit code {proc.returncode}"
            problems = [ln for ln in lines if ": error: " in ln]
            if problems:
                result["error"] = problems[0] + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else "")
    result["seconds"] = round(time.perf_counter() - started, 2)
    if result["status"] == OK and task.get("stamp"):
        atomic_write_text(task["stamp"], task["hash"])
    return result


def _clean_client_temp(folder: Path) -> None:
    """A killed build leaves its hidden temp files behind; remove them (never a finished output)."""
    for path in folder.glob(".*tmp*"):
        try:
            path.unlink()
        except OSError:
            pass


def _prctl():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None


_PRCTL = _prctl()
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, ask for SIGKILL when the worker that started it dies.

    A batch killed with kill -9 then leaves no build running behind its back, racing a
    re-run for the same client's files; its kernel notices the loss and exits by itself.
    Elsewhere the per-client folder lock still keeps two builds apart.
    """
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL))


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


# --------------------------------------------------------------------------- executors
class Executors:
    """One concurrent.futures-style interface over a local process pool or a dask cluster."""

    def __init__(self, kind: str, jobs: int, scheduler: str | None = None):
        self.kind, self._cluster, self._client = kind, None, None
        if kind == "dask":
            from dask.distributed import Client, LocalCluster

            if scheduler:
                self._client = Client(scheduler)
            else:
                self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self._client = Client(self._cluster)
            self.executor = self._client.get_executor(pure=False)
        else:
            self.executor = cf.ProcessPoolExecutor(max_workers=jobs)

    def __enter__(self):
        return self.executor

    def __exit__(self, *exc):
        if self.kind == "dask":
            self._client.close()
            if self._cluster is not None:
                self._cluster.close()
        else:
            self.executor.shutdown(wait=exc[0] is None, cancel_futures=True)
        return False


# --------------------------------------------------------------------------- planning
def plan(root: Path, out: Path, kind: str, checklist, branding, force: bool, timeout: int, formats: str,
         notebooks: str | None = None):
    """Tasks to run and results already known (skipped clients, refused files, slug clashes)."""
    root = root.resolve()
    tasks, known, slugs = [], [], {}
    for path in find(root):
        real = path.resolve()
        if root not in real.parents:
            known.append({"engagement": str(path), "client": path.parent.name, "status": FAILED, "seconds": 0.0,
                          "pdf": "", "error": f"refused: {path} links outside {root}"})
            continue
        name = _client_name(real) or path.parent.name
        slug = slugify(name)
        if slug in slugs:
            known.append({"engagement": str(path), "client": name, "status": FAILED, "seconds": 0.0, "pdf": "",
                          "error": f"'{name}' and '{slugs[slug]}' would both write reports/{slug}/; rename one client"})
            continue
        slugs[slug] = name
        digest = inputs_hash(real, kind, checklist, branding, notebooks)
        stamp = _stamp(out.resolve() / slug, kind)
        pdf = out.resolve() / slug / f"{slug}-{kind}.pdf"
        if not force and stamp.exists() and pdf.exists() and stamp.read_text().strip() == digest:
            known.append({"engagement": str(path), "client": name, "status": SKIPPED, "seconds": 0.0,
                          "pdf": str(pdf), "error": "inputs unchanged since the last good run"})
            continue
        tasks.append({"engagement": str(real), "client": name, "out": str(out.resolve()), "kind": kind,
                      "formats": formats, "timeout": timeout, "checklist": checklist, "branding": branding,
                      "notebooks": notebooks, "hash": digest, "stamp": str(stamp)})
    return tasks, known


def _client_name(path: Path) -> str | None:
    from .errors import InvalidInput
    from .yamlio import read_yaml

    try:
        data, _ = read_yaml(path)
    except InvalidInput:
        return None
    client = data.get("client") if isinstance(data, dict) else None
    name = client.get("name") if isinstance(client, dict) else None
    return str(name) if isinstance(name, str) and name.strip() else None


# --------------------------------------------------------------------------- running
def execute(tasks: list[dict], executor: str = "local", jobs: int = 2, scheduler: str | None = None,
            progress=None) -> list[dict]:
    results = []
    if not tasks:
        return results
    with Executors(executor, jobs, scheduler) as pool:
        futures = {pool.submit(run_client, t): t for t in tasks}
        for fut in cf.as_completed(futures):
            try:
                res = fut.result()
            except Exception as exc:  # the worker itself died: still a result, not a crash
                t = futures[fut]
                res = {"engagement": t["engagement"], "client": t["client"], "status": FAILED, "seconds": 0.0,
                       "pdf": "", "error": f"worker failed: {type(exc).__name__}: {exc}"}
            results.append(res)
            if progress:
                progress(res)
    return results


class Progress:
    """tqdm bar on a terminal; plain log lines otherwise."""

    def __init__(self, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.total, self.done, self.failed = total, 0, 0
        self.bar = None
        if self.stream.isatty() and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="client", file=self.stream, dynamic_ncols=True)

    def __call__(self, res: dict) -> None:
        self.done += 1
        self.failed += res["status"] == FAILED
        if self.bar is not None:
            self.bar.set_postfix_str(f"ok {self.done - self.failed}, failed {self.failed}")
            self.bar.update(1)
        else:
            print(f"[{self.done}/{self.total}] {res['status']:<6} {res['client']} ({res['seconds']:.1f} s)"
                  + (f": {res['error']}" if res["error"] else ""), file=self.stream, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def write_manifest(out: Path, results: list[dict], now: dt.datetime | None = None) -> tuple[Path, Path]:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    fields = ["client", "status", "seconds", "pdf", "error", "engagement"]
    js = atomic_write_text(out / f"batch-{stamp}.json", json.dumps(results, indent=2, ensure_ascii=False))
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    w.writeheader()
    w.writerows(results)
    return js, atomic_write_text(out / f"batch-{stamp}.csv", buf.getvalue())


def summary_table(results: list[dict]) -> str:
    width = max([len(r["client"]) for r in results] + [6])
    lines = [f"{'client':<{width}}  {'status':<7} {'seconds':>7}  pdf / error"]
    for r in sorted(results, key=lambda r: (r["status"] != FAILED, r["client"])):
        detail = r["error"] if r["status"] == FAILED else r["pdf"] + (f" ({r['error']})" if r["error"] else "")
        lines.append(f"{r['client']:<{width}}  {r['status']:<7} {r['seconds']:>7.1f}  {detail}")
    return "\n".join(lines)


def run_batch(args) -> int:
    from .errors import InvalidInput, Problem

    root, out = Path(args.dir), Path(args.out)
    if not root.is_dir():
        raise InvalidInput([Problem(str(root), "DIR", "a folder holding <client>/engagement.yaml", "no such folder")])
    if args.jobs < 1:
        raise InvalidInput([Problem("--jobs", "--jobs", "a number of at least 1", str(args.jobs))])
    out.mkdir(parents=True, exist_ok=True)
    clean_stale_temp(out)
    checklist = str(Path(args.checklist).resolve()) if args.checklist else None
    branding = str(Path(args.branding).resolve()) if args.branding else None
    notebooks = str(Path(args.notebooks).resolve()) if args.notebooks else None
    tasks, known = plan(root, out, args.kind, checklist, branding, args.force, args.timeout, args.format, notebooks)
    print(f"Batch: {len(tasks)} to build, {sum(k['status'] == SKIPPED for k in known)} unchanged, "
          f"{sum(k['status'] == FAILED for k in known)} refused; {args.jobs} at a time ({args.executor}).",
          file=sys.stderr)
    progress = Progress(len(tasks))
    try:
        results = known + execute(tasks, args.executor, args.jobs, args.scheduler, progress)
    finally:
        progress.close()
    js, cs = write_manifest(out, results)
    print(summary_table(results))
    ok = sum(r["status"] == OK for r in results)
    failed = sum(r["status"] == FAILED for r in results)
    skipped = sum(r["status"] == SKIPPED for r in results)
    print(f"\n{ok} built, {skipped} skipped (unchanged), {failed} failed. Manifest: {js} and {cs.name}")
    return 1 if failed else 0
