"""Serve the workshop notebook as a Voilà app: the form and its charts, no code, no Jupyter menus.

``assessment workshop PATH`` writes a copy of ``notebooks/workshop.ipynb`` with the engagement,
the dimension and the respondent filled in (as papermill injects parameters; nothing executed)
into a private temporary folder, and runs Voilà on it, bound to 127.0.0.1 with a random token.
Voilà runs the notebook in a kernel per browser tab and shows only its outputs
(``strip_sources``), without tracebacks: the workshop form from :mod:`assessment.workshop`.
"""
from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .resources import NOTEBOOKS


@dataclass
class App:
    folder: Path            # the private temporary folder holding the parameterised notebook
    notebook: Path
    port: int
    token: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def command(self, open_browser: bool = False) -> list[str]:
        return [sys.executable, "-m", "voila", str(self.notebook), f"--port={self.port}", "--Voila.ip=127.0.0.1",
                f"--Voila.token={self.token}", "--Voila.port_retries=0", "--strip_sources=True",
                "--show_tracebacks=False", "--theme=light", "--template=lab",
                "--Voila.open_browser=" + ("True" if open_browser else "False")]

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(engagement: str | Path, dimension: str = "people", respondent: str | Path | None = None,
            checklist: str | Path | None = None, port: int | None = None) -> App:
    """The parameterised notebook in a new private folder, and how to serve it."""
    import nbformat

    nb = nbformat.read(NOTEBOOKS / "workshop.ipynb", as_version=4)
    params = {"engagement": str(Path(engagement).resolve()), "dimension": dimension,
              "checklist": str(Path(checklist).resolve()) if checklist else "",
              "respondent": str(Path(respondent).resolve()) if respondent else "", "interactive": True,
              "blank": False}
    # papermill's convention, without papermill's run: the values as Python literals in a cell
    # tagged injected-parameters right after the parameters cell (repr of str and bool only).
    injected = nbformat.v4.new_code_cell("\n".join(f"{k} = {v!r}" for k, v in params.items()))
    injected.metadata["tags"] = ["injected-parameters"]
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue                                            # instructions are for JupyterLab users
        cells.append(cell)
        if "parameters" in cell.metadata.get("tags", []):
            cells.append(injected)
    nb.cells = cells
    folder = Path(tempfile.mkdtemp(prefix="assessment-workshop-"))   # private: mode 0700
    path = folder / "Workshop.ipynb"
    nbformat.write(nb, path)
    return App(folder, path, port or free_port(), secrets.token_hex(16))


def wait_until_listening(port: int, proc: subprocess.Popen, timeout: float = 120.0) -> bool:
    """True once something accepts connections on 127.0.0.1:port; False if ``proc`` ends or time runs out."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def serve(app: App, open_browser: bool = True, ready=None) -> int:
    """Run Voilà in the foreground until Ctrl-C (or SIGTERM); stop it and remove the temporary folder."""
    import signal

    def stop(*_):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    proc = subprocess.Popen(app.command(open_browser), stdout=subprocess.DEVNULL)
    try:
        if wait_until_listening(app.port, proc) and ready is not None:
            ready(app)                                          # e.g. print the address
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        app.remove()
