"""Installable as users install tools: the built wheel, in a fresh venv outside the repository, writes a readout.

The fresh venv gets the project's dependencies from the test venv's site-packages (a plain
path entry, so the editable install of this checkout is *not* picked up) and our package
from the wheel alone, with its own kernel. The readout then runs from a folder that is
neither the repository nor the venv: notebooks, templates, checklist, KPI catalogue and
schema must all come from the wheel's package data.
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)])
    return next(dist.glob("outsourcing_readout-*.whl"))


def test_the_wheel_carries_its_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("assessment/notebooks/readout.ipynb", "assessment/notebooks/scorecard.ipynb",
                   "assessment/notebooks/workshop.ipynb", "assessment/templates/readout/conf.json",
                   "assessment/templates/readout/index.html.j2", "assessment/templates/readout/readout.css",
                   "assessment/templates/readout/sections/executive_summary.html.j2",
                   "assessment/data/checklist.yaml", "assessment/data/kpis.yaml"):
        assert needed in names, needed
    assert any(n.startswith("assessment/schemas/") and n.endswith(".json") for n in names), "no schema in the wheel"


def test_a_fresh_venv_with_the_wheel_writes_a_readout(wheel, tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    py = venv / "bin" / "python"
    site = Path(run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # dependencies from the test venv, as a plain path: its .pth files (our editable install) are not run
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)]
        if _pip_has_python_option() else
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JUPYTER"))}
    # the fresh venv's kernel first; nbconvert's base templates are data files of the shared dependencies
    env["JUPYTER_PATH"] = os.pathsep.join([str(venv / "share" / "jupyter"), str(Path(sys.prefix) / "share" / "jupyter")])
    run([str(py), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"], env=env)
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = run([str(py), "-c", "import assessment; print(assessment.__file__)"], cwd=work, env=env).stdout
    assert str(ROOT) not in where and str(site) in where, where
    out = work / "reports"
    run([str(py), "-m", "assessment", "readout", str(EXAMPLES / "kestrel-insurance"), "--out", str(out),
         "--format", "pdf"], cwd=work, env=env)
    pdf = out / "kestrel-insurance" / "kestrel-insurance-readout.pdf"
    text = " ".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages)
    assert "Kestrel Insurance" in text and "Executive summary" in text


def _pip_has_python_option() -> bool:
    r = subprocess.run([sys.executable, "-m", "pip", "--python", sys.executable, "--version"], capture_output=True)
    return r.returncode == 0
