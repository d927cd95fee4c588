"""A portfolio in one command: every client's report, in parallel, each in its own process.

The unit of work is :func:`run_client`: one client in, one result dict out. It runs the
build in a child process (with its own kernel) under a hard timeout, so a hung or dying
client is marked failed and the others go on. The same function runs on a local
process pool or on a dask.distributed cluster (``Client.get_executor()``), and can be
called per client from Airflow or a Kubernetes job.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import datetime as dt
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import __version__
from .action_plan import file_name as plan_file
from .cells import csv_row
from .engagement import find
from .fileio import atomic_write_text, remove_stale_temp, temp_name
from .outputs import ID_PATTERN, owner_of
from .report.build import NOTEBOOKS, output_stem
from .reviews import resolve_month
from .resources import TEMPLATES

OK, FAILED, SKIPPED = "ok", "failed", "skipped"
BUILD_ENV = {"PYTHONUNBUFFERED": "1", "MPLBACKEND": "Agg"}  # set for every build, forked or fresh
log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- inputs and hashing
def inputs_hash(engagement: Path, kind: str, checklist: str | None, branding: str | None,
                notebooks: str | None = None, formats: str = "pdf,html,ipynb") -> str:
    """Hash of everything that shapes a client's outputs, the formats asked for included; equal hash, equal outputs."""
    chosen = ",".join(sorted({f.strip().lower() for f in formats.split(",") if f.strip()}))
    h = hashlib.sha256(f"{__version__}|{kind}|{chosen}".encode())
    folder = engagement.parent
    inputs = [*sorted(folder.glob("*.csv")),                       # and what sits beside it: respondents,
              *sorted(p for sub in ("responses", "reviews", "waves")  # monthly reviews, closed waves
                      for p in (folder / sub).rglob("*") if p.is_file() and not p.is_symlink())]
    files = [engagement, *inputs, Path(notebooks or NOTEBOOKS) / f"{kind}.ipynb",
             *sorted(p for p in TEMPLATES.rglob("*") if p.is_file())]
    files += [Path(p) for p in (checklist, branding) if p]
    if not checklist:
        from .checklist import builtin_path

        files.append(builtin_path())
    for path in files:
        h.update(str(path.relative_to(folder) if folder in path.parents else path.name).encode())
        h.update(path.read_bytes() if path.is_file() else b"<missing or not a regular file>")
    return h.hexdigest()


def _stamp(out_dir: Path, kind: str) -> Path:
    return out_dir / f".{kind}.inputs.sha256"


def clean_stale_temp(out_root: Path) -> int:
    """Remove temp files and staging folders that killed runs left behind in ``out_root`` and its client folders.

    Only names with the project's temp prefix whose process has ended are touched: a
    running batch's files, and anything the project did not create, stay.
    """
    folders = [out_root, *(p for p in out_root.iterdir() if p.is_dir() and not p.is_symlink())]
    return remove_stale_temp(folders)


def _remove(paths) -> int:
    removed = 0
    for path in paths:
        try:
            os.unlink(path)
            removed += 1
        except OSError:
            pass
    return removed


# --------------------------------------------------------------------------- the unit of work
def run_client(task: dict) -> dict:
    """Build one client's report in a child process with a hard timeout. Never raises.

    ``task`` holds plain data (JSON-able): engagement, out, kind, formats, timeout,
    checklist, branding, notebooks, and optionally slug, hash and stamp from :func:`plan`.
    Returns client, status, seconds, pdf, error (and cpu_s, peak_mb when the build reported them).
    The build answers with a JSON result, never with text to be read back.
    """
    started = time.perf_counter()
    result = {"engagement": task["engagement"], "client": task.get("client") or Path(task["engagement"]).parent.name,
              "status": FAILED, "seconds": 0.0, "pdf": "", "error": ""}
    timeout = task.get("timeout", 300)
    request = {"engagement": task["engagement"], "out": task["out"], "kind": task.get("kind", "readout"),
               "formats": task.get("formats", "pdf,html,ipynb"), "timeout": timeout,
               **{opt: task[opt] for opt in ("checklist", "branding", "notebooks") if task.get(opt)}}
    try:
        proc = BuildProcess(request, scratch=Path(task["out"]))
    except Exception as exc:  # e.g. the output folder is not writable
        result["error"] = f"could not start the build: {type(exc).__name__}: {exc}"
        return result
    with proc:
        try:
            # the build stops itself at its own timeout with a clear message; the grace covers its clean-up
            code = proc.wait(timeout + GRACE_S)
        except BaseException:  # Ctrl-C or a dying worker: the build must not outlive the batch
            proc.kill()
            raise
        answer = proc.result()
        _, err = proc.output()
    folder = Path(task["out"]) / task["slug"] if task.get("slug") else None
    if answer is not None:
        result["status"] = answer.get("status", FAILED)
        result["error"] = answer.get("error", "")
        result["pdf"] = answer.get("outputs", {}).get("pdf", "")
        for key in ("cpu_s", "peak_mb"):
            if key in answer:
                result[key] = answer[key]
    elif code is None:
        result["error"] = f"timed out after {timeout} s"
    elif code < 0:
        result["error"] = f"the build process died ({signal.Signals(-code).name})"
    else:
        lines = [ln for ln in err.splitlines() if ln.strip()]
        result["error"] = lines[-1] if lines else f"the build ended with exit code {code} and no result"
    if result["status"] != OK:
        _clean_client_temp(folder)
    result["seconds"] = round(time.perf_counter() - started, 2)
    if result["status"] == OK and task.get("stamp"):
        atomic_write_text(task["stamp"], task["hash"])
    return result


GRACE_S = 10


def _clean_client_temp(folder: Path | None) -> None:
    """A killed build leaves its temp files and staging folder behind; remove them (never a finished output)."""
    if folder is not None:
        remove_stale_temp([folder])


# --------------------------------------------------------------------------- the build process
class BuildProcess:
    """``assessment <argv>`` in a process and session of its own; stdout and stderr go to temp files.

    In a local pool worker the process is forked from the worker's warm fork server
    (:func:`start_fork_server`), which has imported papermill, nbconvert and WeasyPrint and
    compiled the template, but has never seen a client: a second of CPU saved per client,
    which is what lets two builds share two cores. Elsewhere it runs in a fresh interpreter.
    Either way it runs the same command (:func:`build_main`), gets its own kernel, and is
    killed with its process group on a timeout or interrupt.
    """

    def __init__(self, request: dict, scratch: Path):
        # The build's output and result go to hidden temp files in the output folder: a batch
        # killed outright leaves them where the next batch's clean_stale_temp() removes them.
        scratch.mkdir(parents=True, exist_ok=True)
        self._files, self._proc, self._popen = [], None, None
        try:
            for name in ("out", "err", "res"):
                path = str(scratch / temp_name(f".build-{name}"))
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                self._files.append(path)
            if _SERVER is not None:
                self._proc = _SERVER.Process(target=_forked_build, args=(request, *self._files), daemon=False)
                try:
                    self._proc.start()
                except Exception as exc:  # the fork server died (a broken preload, say): start afresh
                    log.warning("fork server unavailable (%s); starting the build afresh", exc)
                    self._proc = None
            if self._proc is None:
                with open(self._files[0], "w") as out, open(self._files[1], "w") as err:
                    self._popen = subprocess.Popen(
                        [sys.executable, "-c", "import json, sys; from assessment.batch import build_main; "
                         "build_main(json.loads(sys.argv[1]), sys.argv[2])", json.dumps(request), self._files[2]],
                        stdout=out, stderr=err, env={**os.environ, **BUILD_ENV},
                        start_new_session=True,
                        # a hook between fork and exec is only safe in a single-threaded worker
                        preexec_fn=_die_with_parent if threading.active_count() == 1 else None)
        except BaseException:  # Ctrl-C while starting: nothing started may be left behind
            if self.pid is not None:
                self.kill()
            self.__exit__()
            raise

    @property
    def pid(self) -> int | None:
        """The build's pid, which is also its session and process group (None until it starts)."""
        return self._proc.pid if self._proc is not None else self._popen.pid if self._popen is not None else None

    def _join(self, timeout: float | None = None) -> int | None:
        """The exit code once the build has ended (negative: killed by that signal); None if still running."""
        if self._proc is not None:
            self._proc.join(timeout)
            return self._proc.exitcode
        try:
            return self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def wait(self, timeout: float) -> int | None:
        """The exit code, or None if it ran past ``timeout`` (it is then killed)."""
        code = self._join(timeout)
        if code is None:
            self.kill()
        return code

    def kill(self) -> None:
        """SIGKILL the build's process group (the build and anything it started in its session)."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # no group of its own yet: the process alone
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self._join()

    def result(self) -> dict | None:
        """The build's JSON answer (None when it died or was killed before it could give one)."""
        try:
            with open(self._files[2], encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def output(self) -> tuple[str, str]:
        """What the build printed: stdout and stderr (for a log; its result comes from :meth:`result`)."""
        texts = []
        for path in self._files[:2]:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    texts.append(f.read())
            except FileNotFoundError:  # removed by another batch's clean-up of the same folder
                texts.append("")
        return texts[0], texts[1]

    def __enter__(self) -> "BuildProcess":
        return self

    def __exit__(self, *exc) -> None:
        _remove(self._files)


_SERVER = None  # this worker's fork server context, once start_fork_server() has started it


def start_fork_server() -> None:
    """Pool initializer: start this worker's warm fork server, which preloads what a build needs.

    Only pool workers start one; a single call of :func:`run_client` (from Airflow, say)
    gains nothing from it and starts a fresh interpreter instead. A daemonic process
    (a dask worker) may not have children of its own, and some platforms have no fork server.
    """
    global _SERVER
    import multiprocessing

    if multiprocessing.current_process().daemon or "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["assessment.report.preload"])
    try:
        forkserver.ensure_running()
    except Exception:  # builds then start afresh: slower, never wrong
        return
    _SERVER = ctx


def _forked_build(request: dict, out_path: str, err_path: str, result_path: str) -> None:
    """In the forked child: a session of its own, output to the files, then the command itself."""
    from multiprocessing import forkserver

    os.setsid()
    _die_with_parent()  # the parent is the fork server: it goes when its pool worker goes, and so must we
    # Every child the server forks holds a copy of the worker's "alive" pipe, and the server
    # only notices its worker is gone once all copies are closed: close ours.
    alive = getattr(forkserver._forkserver, "_forkserver_alive_fd", None)
    if alive is not None:
        os.close(alive)
        forkserver._forkserver._forkserver_alive_fd = None
    for fd, path in ((1, out_path), (2, err_path)):
        target = os.open(path, os.O_WRONLY | os.O_TRUNC)
        os.dup2(target, fd)
        os.close(target)
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True)  # a killed build still leaves what it printed
    os.environ.update(BUILD_ENV)
    build_main(request, result_path)


def build_main(request: dict, result_path: str) -> None:
    """In the build process: carry out ``request``, write the result as JSON to ``result_path``, and end.

    The result holds status, error (one line), client, slug, outputs, and the CPU seconds of
    the build and its kernel with their peak resident memory added up (an upper bound: the
    peaks need not meet).
    """
    import resource

    from .errors import one_line
    from .process import finish
    from .report.build import BuildRequest, run

    try:
        answer = {"status": OK, **run(BuildRequest.from_dict(request)).to_dict(), "error": ""}
        code = 0
    except KeyboardInterrupt:
        answer, code = {"status": FAILED, "error": "interrupted"}, 130
    except Exception as exc:  # reported as data; the batch goes on with the other clients
        answer, code = {"status": FAILED, "error": one_line(exc)}, 1
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    answer["cpu_s"] = round(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, 2)
    answer["peak_mb"] = round((own.ru_maxrss + kids.ru_maxrss) / 1024)
    atomic_write_text(result_path, json.dumps(answer, ensure_ascii=False))
    print(f"{answer.get('client', request.get('engagement'))}: {answer['status']}"
          + (f": {answer['error']}" if answer["error"] else ""))
    finish(code)


def _prctl():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None


_PRCTL = _prctl()
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In a build: on Linux, ask for SIGKILL when the process that started it dies.

    A batch killed with kill -9 then leaves no build running behind its back, racing a
    re-run for the same client's files; its kernel notices the loss and exits by itself.
    Elsewhere the per-client folder lock still keeps two builds apart.
    """
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL))


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
            self.executor = cf.ProcessPoolExecutor(max_workers=jobs, initializer=start_fork_server)

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
    """Tasks to run and results already known (skipped clients, refused files, output-folder clashes)."""
    root = root.resolve()
    out_real = out.resolve()
    tasks, known, owners = [], [], {}
    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    for path in find(root):
        real = path.resolve()
        if root not in real.parents:
            known.append({"engagement": str(path), "client": path.parent.name, "status": FAILED, "seconds": 0.0,
                          "pdf": "", "error": f"refused: {path} links outside {root}"})
            continue
        name, cid = _client_name(real)
        name = name or path.parent.name
        owner = owner_of(path, name, cid if isinstance(cid, str) and ID_PATTERN.match(cid) else None)
        slug = owner.slug
        if slug in owners:
            first_name, first_path = owners[slug]
            known.append({"engagement": str(path), "client": name, "status": FAILED, "seconds": 0.0, "pdf": "",
                          "error": f"'{name}' ({path}) and '{first_name}' ({first_path}) would both write "
                                   f"{out_real / slug}/; set a distinct client.id in one engagement.yaml"})
            continue
        owners[slug] = (name, path)
        digest = inputs_hash(real, kind, checklist, branding, notebooks, formats)
        folder = out_real / slug
        stamp = _stamp(folder, kind)
        stem = output_stem(slug, kind, resolve_month(real) if kind == "scorecard" else "")
        outputs = [folder / (plan_file(slug) if f == "xlsx" else f"{stem}.{f}") for f in [*chosen, "json"]]
        pdf = folder / f"{stem}.pdf"
        if (not force and stamp.exists() and all(p.is_file() for p in outputs)
                and stamp.read_text().strip() == digest):
            known.append({"engagement": str(path), "client": name, "status": SKIPPED, "seconds": 0.0,
                          "pdf": str(pdf) if pdf in outputs else "", "error": "inputs unchanged since the last good run"})
            continue
        tasks.append({"engagement": str(real), "client": name, "slug": slug, "out": str(out_real), "kind": kind,
                      "formats": formats, "timeout": timeout, "checklist": checklist, "branding": branding,
                      "notebooks": notebooks, "hash": digest, "stamp": str(stamp)})
    return tasks, known


def _client_name(path: Path) -> tuple[str | None, object]:
    """The client's display name and ``client.id`` as the file gives them (None when absent or unreadable)."""
    from .errors import InvalidInput
    from .yamlio import read_yaml

    try:
        data, _ = read_yaml(path)
    except InvalidInput:
        return None, None
    client = data.get("client") if isinstance(data, dict) else None
    if not isinstance(client, dict):
        return None, None
    name = client.get("name")
    return (str(name) if isinstance(name, str) and name.strip() else None), client.get("id")


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


def run_id(now: dt.datetime | None = None) -> str:
    """This run's id: when it started, and a random part so two runs in one second differ."""
    import secrets

    return f"{(now or dt.datetime.now()).strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


def write_manifest(out: Path, results: list[dict], run: str | None = None) -> tuple[Path, Path]:
    """batch-<run id>.json and .csv; every CSV text cell is written as text, never as a formula."""
    run = run or run_id()
    fields = ["client", "status", "seconds", "cpu_s", "peak_mb", "pdf", "error", "engagement"]
    js = atomic_write_text(out / f"batch-{run}.json", json.dumps(results, indent=2, ensure_ascii=False))
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    w.writeheader()
    w.writerows(csv_row(r) for r in results)
    return js, atomic_write_text(out / f"batch-{run}.csv", buf.getvalue())


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
    if not find(root):
        raise InvalidInput([Problem(str(root), "DIR", "a folder whose subfolders hold engagement.yaml files "
                                    "(for example examples/engagements)", "no */engagement.yaml under it")])
    run = run_id()
    out.mkdir(parents=True, exist_ok=True)
    clean_stale_temp(out)
    checklist = str(Path(args.checklist).resolve()) if args.checklist else None
    branding = str(Path(args.branding).resolve()) if args.branding else None
    notebooks = str(Path(args.notebooks).resolve()) if args.notebooks else None
    tasks, known = plan(root, out, args.kind, checklist, branding, args.force, args.timeout, args.format, notebooks)
    print(f"Batch {run}: {len(tasks)} to build, {sum(k['status'] == SKIPPED for k in known)} unchanged, "
          f"{sum(k['status'] == FAILED for k in known)} refused; {args.jobs} at a time ({args.executor}).",
          file=sys.stderr)
    progress = Progress(len(tasks))
    try:
        results = known + execute(tasks, args.executor, args.jobs, args.scheduler, progress)
    finally:
        progress.close()
    js, cs = write_manifest(out, results, run)
    print(summary_table(results))
    ok = sum(r["status"] == OK for r in results)
    failed = sum(r["status"] == FAILED for r in results)
    skipped = sum(r["status"] == SKIPPED for r in results)
    print(f"\n{ok} built, {skipped} skipped (unchanged), {failed} failed. Manifest: {js} and {cs.name}")
    return 1 if failed else 0
