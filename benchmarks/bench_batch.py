"""Benchmark: one readout against the usual recipe and a floor, and batch scaling.

    .venv/bin/python benchmarks/bench_batch.py                 # N = 10, then 40 for linearity
    .venv/bin/python benchmarks/bench_batch.py --sizes 10 --repeat 3

Prints times and ratios, which stay stable on a noisy machine:

* ours / floor: one readout (papermill + HTML + PDF) against papermill running a
  notebook that only imports pandas and matplotlib. Target: at most 1.5x.
* the deck: one readout with --format pdf,pptx against the same without; what the
  deck adds, as a share of the floor. Target: at most 0.3x.
* ours / recipe: against `papermill` + `jupyter nbconvert --to pdf --no-input` (LaTeX),
  measured only when xelatex is installed. Target: at most 0.5x.
* throughput --jobs 2 / --jobs 1 on 2 cores. Target: at least 1.8x.
* peak memory per worker: a pool worker with everything under it (its fork server, the
  build, the build's kernel), sampled as PSS while the batch runs. Target: < 400 MB.
* time at 40 clients / time at 10 clients. Target: about 4x (linear).

This is a script, not a test: timings do not belong in the test suite.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assessment.checklist import DIMENSIONS, load_checklist  # noqa: E402

PY = sys.executable
EXAMPLE = ROOT / "examples" / "engagements" / "alpenrose-telecom" / "engagement.yaml"


def synthetic(root: Path, n: int, seed: int = 20261124) -> None:
    """n engagements with random but plausible scores, from a fixed seed."""
    rng = random.Random(seed)
    cl = load_checklist()
    for i in range(n):
        d = root / f"client-{i:03d}"
        d.mkdir(parents=True)
        lines = [f'client: {{name: "Synthetic Client {i:03d}", industry: "Benchmark"}}',
                 'assessment: {date: 2026-11-02, consultants: ["Bench Mark"]}',
                 'outsourcer: {name: "Provider", services: ["care"], sites: ["Site"]}',
                 f"contract: {{start_date: 2025-01-01, renewal_date: 2027-0{rng.randint(1, 9)}-01, notice_days: 90, "
                 f"hand_off_date: 2027-0{rng.randint(1, 6)}-15}}",
                 "checklist:"]
        for dim in DIMENSIONS:
            for item in cl.in_dimension(dim):
                a = rng.randint(0, 4)
                b = min(5, a + rng.choice([0, 0, 1, 1, 2, 3]))
                lines.append(f'  {item.id}: {{as_is: {a}, to_be: {b}, confidence: observed, '
                             f'notes: "Note {rng.random():.6f}", evidence: ""}}')
        (d / "engagement.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return time.perf_counter() - t


def floor_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import pandas, matplotlib\nmatplotlib.use('Agg')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def single(tmp: Path, repeat: int) -> dict:
    floor_nb = tmp / "floor.ipynb"
    floor_notebook(floor_nb)
    nb = ROOT / "assessment" / "notebooks" / "readout.ipynb"
    latex = shutil.which("xelatex") is not None
    ours, floor, recipe, deck = [], [], [], []
    for _ in range(repeat):   # interleaved, so a machine that slows down mid-run slows all three alike
        ours.append(timed([PY, "-m", "assessment", "readout", str(EXAMPLE), "--out", str(tmp / "single"),
                           "--format", "pdf"]))
        floor.append(timed([PY, "-m", "papermill", "--no-progress-bar", "--log-level", "ERROR", str(floor_nb),
                            str(tmp / "floor-out.ipynb")]))
        deck.append(timed([PY, "-m", "assessment", "readout", str(EXAMPLE), "--out", str(tmp / "single-deck"),
                           "--format", "pdf,pptx"]))
        if latex:
            t = timed([PY, "-m", "papermill", "--no-progress-bar", "--log-level", "ERROR", str(nb),
                       str(tmp / "recipe.ipynb"), "-p", "engagement", str(EXAMPLE)], cwd=ROOT / "notebooks")
            t += timed([PY, "-m", "jupyter", "nbconvert", "--to", "pdf", "--no-input", str(tmp / "recipe.ipynb")])
            recipe.append(t)
    res = {"ours_median_s": statistics.median(ours), "floor_median_s": statistics.median(floor),
           "with_deck_median_s": statistics.median(deck)}
    if recipe:
        res["recipe_median_s"] = statistics.median(recipe)
    return res


def _processes() -> dict[int, int]:
    """pid -> parent pid of every process (Linux /proc)."""
    parents = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            parents[int(proc.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    return parents


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def worker_memory_mb(batch_pid: int) -> float:
    """The largest memory of one pool worker with everything under it (fork server, resource
    tracker, build, kernel), as PSS: pages the fork server shares with its builds count once."""
    parents = _processes()
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    largest = 0.0
    for worker in children.get(batch_pid, []):
        tree, frontier = [worker], [worker]
        while frontier:
            kids = children.get(frontier.pop(), [])
            tree += kids
            frontier += kids
        largest = max(largest, sum(_pss_mb(pid) for pid in tree))
    return largest


def batch(tmp: Path, n: int, jobs: int) -> dict:
    root = tmp / f"eng-{n}"
    if not root.exists():
        synthetic(root, n)
    out = tmp / f"out-{n}-{jobs}"
    cmd = [PY, "-m", "assessment", "batch", str(root), "--jobs", str(jobs), "--out", str(out), "--format", "pdf",
           "--force"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    reader = threading.Thread(target=lambda: setattr(proc, "text", proc.stdout.read()), daemon=True)
    reader.start()
    worker_mb = 0.0
    while proc.poll() is None:  # sample every worker's memory while the batch runs
        worker_mb = max(worker_mb, worker_memory_mb(proc.pid) if Path("/proc").is_dir() else 0.0)
        time.sleep(0.25)
    seconds = time.perf_counter() - t
    reader.join()
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(cmd)}\n{proc.text[-3000:]}")
    rows = json.loads(sorted(out.glob("batch-*.json"))[-1].read_text())
    # each build reports its own CPU and peak memory, its kernel included (the manifest's cpu_s, peak_mb)
    return {"clients": n, "jobs": jobs, "seconds": seconds,
            "per_client_median_s": statistics.median(r["seconds"] for r in rows),
            "throughput_per_min": n / seconds * 60, "peak_rss_mb": max(r["peak_mb"] for r in rows),
            "worker_pss_mb": worker_mb, "cpu_per_client_s": statistics.median(r["cpu_s"] for r in rows)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,40", help="batch sizes to time; 0 times one readout only "
                                                     "(default: %(default)s)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of the single-readout comparison (default: 5)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip() and int(s) > 0]   # --sizes 0: single readout only
    with tempfile.TemporaryDirectory(prefix="bench-") as t:
        tmp = Path(t)
        s = single(tmp, args.repeat)
        print(f"one readout (median of {args.repeat}): {s['ours_median_s']:.2f} s")
        print(f"floor, papermill importing pandas+matplotlib: {s['floor_median_s']:.2f} s")
        print(f"  ours / floor  = {s['ours_median_s'] / s['floor_median_s']:.2f}   (target <= 1.5)")
        added = s["with_deck_median_s"] - s["ours_median_s"]
        print(f"one readout with its deck (pdf,pptx): {s['with_deck_median_s']:.2f} s; the deck adds {added:.2f} s")
        print(f"  deck / floor  = {added / s['floor_median_s']:.2f}   (target <= 0.3)")
        if "recipe_median_s" in s:
            print(f"recipe, papermill + nbconvert --to pdf (LaTeX): {s['recipe_median_s']:.2f} s")
            print(f"  ours / recipe = {s['ours_median_s'] / s['recipe_median_s']:.2f}   (target <= 0.5)")
        else:
            print("recipe: xelatex is not installed, so the LaTeX recipe cannot run here (skipped)")
        if not sizes:
            return
        runs = {}
        for n in sizes:
            for jobs in (1, 2):
                if n > sizes[0] and jobs == 1:
                    continue   # the linearity check needs only --jobs 2 at the larger size
                r = batch(tmp, n, jobs)
                runs[(n, jobs)] = r
                print(f"batch {n:>3} clients --jobs {jobs}: {r['seconds']:.1f} s, per client {r['per_client_median_s']:.2f} s, "
                      f"{r['throughput_per_min']:.1f} clients/min, peak build + kernel {r['peak_rss_mb']:.0f} MB")
        n0 = sizes[0]
        speedup = runs[(n0, 2)]["throughput_per_min"] / runs[(n0, 1)]["throughput_per_min"]
        print(f"  throughput --jobs 2 / --jobs 1 = {speedup:.2f}   (target >= 1.8)")
        one = runs[(n0, 1)]
        cores = one["cpu_per_client_s"] / one["per_client_median_s"]
        print(f"  cpu per client {one['cpu_per_client_s']:.2f} s in {one['per_client_median_s']:.2f} s: one build keeps "
              f"{cores:.2f} cores busy, so 2 cores allow at most {min(2.0, 2 / cores):.2f}x")
        print(f"  peak memory per worker = {max(r['worker_pss_mb'] for r in runs.values()):.0f} MB   (target < 400; PSS of "
              f"a pool worker, its fork server, the build and its kernel; the largest build + kernel alone: "
              f"{max(r['peak_rss_mb'] for r in runs.values()):.0f} MB RSS)")
        if len(sizes) > 1:
            n1 = sizes[1]
            growth = runs[(n1, 2)]["seconds"] / runs[(n0, 2)]["seconds"]
            print(f"  time {n1} / time {n0} clients = {growth:.2f}   (linear: {n1 / n0:.1f})")


if __name__ == "__main__":
    main()
