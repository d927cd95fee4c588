"""The workshop notebook in a real JupyterLab, driven through Debian's Chromium with Playwright.

Skipped, with the reason, on a machine without /usr/bin/chromium or the playwright package.
`.ci/run` installs chromium so CI runs these.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import EXAMPLES, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.slow]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

if not os.path.exists(CHROMIUM):
    pytestmark.append(pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium); .ci/run installs it"))
elif sync_playwright is None:
    pytestmark.append(pytest.mark.skip(reason="the playwright package is not installed (pip install playwright)"))

SHOTS = Path(os.environ.get("WORKSHOP_SCREENSHOTS", ROOT / "reports" / "screenshots"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on 127.0.0.1 with a token, rooted in a temporary folder holding one engagement and notebook."""
    work = tmp_path / "lab"
    work.mkdir()
    eng = work / "engagement.yaml"
    shutil.copy(EXAMPLES / "harbour-lane-bank" / "engagement.yaml", eng)
    nb = nbformat.read(ROOT / "assessment" / "notebooks" / "workshop.ipynb", as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace("../../examples/engagements/alpenrose-telecom/engagement.yaml", str(eng))
            assert str(eng) in cell.source, "the notebook's default engagement path changed"
    nbformat.write(nb, work / "workshop.ipynb")
    port, token = free_port(), os.urandom(12).hex()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "ws"))
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
                             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
                             "--ServerApp.open_browser=False", "--allow-root"],
                            stdout=subprocess.DEVNULL, stderr=(tmp_path / "lab.log").open("w"), env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                json.load(r)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text()[-2000:])
    yield {"url": f"{base}/lab/tree/workshop.ipynb?token={token}", "eng": eng, "work": work}
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def open_and_run(page, url: str):
    """Open the notebook, wait for an idle kernel, run all cells; retry once on a slow machine."""
    page.goto(url)
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_function("document.body.innerText.includes('Idle')", timeout=90_000)
    for attempt in range(2):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:
            page.wait_for_selector(".wk-PEO-07-as_is select", timeout=60_000)
            return
        except Exception:
            if attempt:
                raise
            page.keyboard.press("Escape")


def test_fill_in_and_save_in_jupyterlab(lab):
    before = lab["eng"].read_text(encoding="utf-8").splitlines()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        open_and_run(page, lab["url"])
        assert page.locator(".wk-PEO-07-as_is select").input_value() != ""      # pre-filled from the file
        page.select_option(".wk-PEO-07-as_is select", label="3")
        page.locator(".wk-PEO-07-notes textarea").fill("Plan révisé avec Zoë — wave 2 dated ✓")
        page.wait_for_function("document.body.innerText.includes('Unsaved changes')", timeout=10_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "workshop-people.png"))
        page.locator(".jupyter-widgets button", has_text="Save").first.click()
        page.wait_for_function("document.body.innerText.includes('Saved the agreed consensus')", timeout=20_000)
        page.screenshot(path=str(SHOTS / "workshop-people-saved.png"))
        browser.close()
    after = lab["eng"].read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(after) == len(before) and len(changed) == 1, changed
    assert changed[0][1].startswith("  PEO-07: {as_is: 3,") and "Plan révisé avec Zoë — wave 2 dated ✓" in changed[0][1]
    assert [l for l in after if l.lstrip().startswith("#")] == [l for l in before if l.lstrip().startswith("#")]
    backups = list((lab["work"] / ".backups").iterdir())
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8").splitlines() == before


def test_save_refused_when_file_edited_on_disk(lab):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        open_and_run(page, lab["url"])
        # someone edits the file in an editor after the form loaded it
        edited_text = lab["eng"].read_text(encoding="utf-8").replace("Tom Okafor", "Tom Okafor (editor)")
        lab["eng"].write_text(edited_text, encoding="utf-8")
        page.locator(".wk-PEO-02-notes textarea").fill("typed during the workshop")
        page.locator(".jupyter-widgets button", has_text="Save").first.click()
        page.wait_for_function("document.body.innerText.includes('changed on disk')", timeout=20_000)
        assert page.locator(".jupyter-widgets button", has_text="Reload from disk").first.is_visible()
        assert "typed during the workshop" in page.locator(".wk-PEO-02-notes textarea").input_value()  # not lost
        browser.close()
    assert lab["eng"].read_text(encoding="utf-8") == edited_text
    assert not (lab["work"] / ".backups").exists()
