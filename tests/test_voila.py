"""The workshop as a Voilà app (`assessment workshop PATH`), driven through Debian's Chromium with Playwright.

The command is started as a consultant would (a subprocess, printing its address), the page is opened,
a respondent is chosen, scored and saved, and the respondent's file is checked; then the consensus view
saves into engagement.yaml. Screenshots go to reports/screenshots/ (WORKSHOP_SCREENSHOTS overrides).
Skipped, with the reason, on a machine without /usr/bin/chromium or the playwright package.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.slow]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

try:
    import voila  # noqa: F401
except ImportError:  # pragma: no cover
    voila = None

if not os.path.exists(CHROMIUM):
    pytestmark.append(pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium); .ci/run installs it"))
elif sync_playwright is None:
    pytestmark.append(pytest.mark.skip(reason="the playwright package is not installed (pip install playwright)"))
elif voila is None:
    pytestmark.append(pytest.mark.skip(reason="voila is not installed (pip install -e .)"))

SHOTS = Path(os.environ.get("WORKSHOP_SCREENSHOTS", ROOT / "reports" / "screenshots"))
RESPONDENT = "client-sabine-keller.yaml"     # Head of Customer Operations, client side; has not scored PEO-04


@pytest.fixture
def app(tmp_path):
    """`assessment workshop` on a copy of Alpenrose (engagement and responses), opened on the consensus."""
    folder = tmp_path / "alpenrose"
    folder.mkdir()
    shutil.copy(EXAMPLES / "alpenrose-telecom" / "engagement.yaml", folder / "engagement.yaml")
    shutil.copytree(EXAMPLES / "alpenrose-telecom" / "responses", folder / "responses")
    log = (tmp_path / "app.log").open("w")
    existing = set(Path(tempfile.gettempdir()).glob("assessment-workshop-*"))
    proc = subprocess.Popen([sys.executable, "-u", "-m", "assessment", "workshop", str(folder), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=log, text=True, cwd=tmp_path)
    first = proc.stdout.readline()                          # "Workshop for alpenrose: http://127.0.0.1:PORT/?token=..."
    if "http://127.0.0.1:" not in first:
        proc.kill()
        pytest.fail(f"assessment workshop did not start: {first!r}\n" + (tmp_path / "app.log").read_text()[-2000:])
    url = first.split(": ", 1)[1].strip()
    made = set(Path(tempfile.gettempdir()).glob("assessment-workshop-*")) - existing
    yield {"url": url, "folder": folder, "proc": proc, "log": tmp_path / "app.log", "made": made}
    proc.send_signal(signal.SIGTERM)                          # stops Voilà and removes the temporary notebook
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_workshop_app_select_respondent_score_save(app):
    folder = app["folder"]
    answers = folder / "responses" / RESPONDENT
    before = answers.read_text(encoding="utf-8")
    assert "PEO-04" not in before
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app["url"])
        page.wait_for_selector(".wk-who select", timeout=120_000)
        page.wait_for_selector(".wk-PEO-07-as_is select", timeout=60_000)
        text = page.locator("body").inner_text()
        # the form only: no code, no Jupyter menus, no news pop-up, no respondent's name
        assert "from assessment import" not in text and "interactive" not in text
        assert page.locator(".jp-MenuBar, .jp-InputArea, .jp-Notification-Toast, .Toastify").count() == 0
        assert "Jupyter news" not in text
        assert "Sabine" not in text and "Keller" not in text
        assert "Workshop · Alpenrose" in text and "The agreed consensus" in text and "engagement.yaml" not in text

        page.select_option(".wk-who select", label="Client · Head of Customer Operations")
        page.wait_for_function("document.body.innerText.includes('Answers of the Head of Customer Operations')",
                               timeout=60_000)
        page.select_option(".wk-PEO-04-as_is:visible select", label="2")
        page.select_option(".wk-PEO-04-to_be:visible select", label="4")
        page.locator(".wk-PEO-04-notes:visible textarea").fill("Our VP has not met their COO in a year — « à revoir »")
        page.wait_for_function("document.body.innerText.includes('Unsaved changes')", timeout=10_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "workshop-app-respondent.png"))
        page.locator(".jupyter-widgets button:visible", has_text="Save").first.click()
        page.wait_for_function(
            "document.body.innerText.includes('Saved the answers of the Head of Customer Operations')", timeout=30_000)
        assert "sabine" not in page.locator("body").inner_text().lower()   # the status names the role, not the file
        page.screenshot(path=str(SHOTS / "workshop-app-saved.png"))

        # the consensus view writes into engagement.yaml
        eng = folder / "engagement.yaml"
        eng_before = eng.read_text(encoding="utf-8")
        page.select_option(".wk-who select", label="Agreed consensus")
        page.wait_for_function("document.body.innerText.includes('The agreed consensus')", timeout=30_000)
        page.locator(".wk-PEO-04-notes:visible textarea").fill("Agreed in the workshop: executive pairing by March")
        page.locator(".jupyter-widgets button:visible", has_text="Save").first.click()
        page.wait_for_function("document.body.innerText.includes('Saved the agreed consensus. The previous version is kept.')", timeout=30_000)
        browser.close()

    after = answers.read_text(encoding="utf-8")
    assert "  PEO-04: {as_is: 2, to_be: 4, notes: \"Our VP has not met their COO in a year — « à revoir »\"}" in after \
        or "PEO-04: {as_is: 2, to_be: 4, notes: Our VP has not met their COO in a year — « à revoir »}" in after, after
    assert after.splitlines()[:2] == before.splitlines()[:2]                       # comment and respondent kept
    assert [l for l in after.splitlines() if "PEO-04" not in l] == before.splitlines()   # nothing else changed
    backups = list((folder / "responses" / ".backups").iterdir())
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == before
    eng_after = eng.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(eng_before.splitlines(), eng_after.splitlines()) if a != b]
    assert len(changed) == 1 and "PEO-04" in changed[0][1] and "executive pairing by March" in changed[0][1]
    assert (folder / ".backups").is_dir()


def test_workshop_app_stops_cleanly_and_leaves_no_notebook(app):
    assert len(app["made"]) == 1 and (next(iter(app["made"])) / "Workshop.ipynb").exists()
    app["proc"].send_signal(signal.SIGTERM)
    assert app["proc"].wait(20) == 0
    assert not any(d.exists() for d in app["made"])
