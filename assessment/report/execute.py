"""Run a parameterized notebook with papermill.

Builds run it into their staging folder (:class:`assessment.outputs.Stage`), which publishes
the notebook together with the HTML and PDF, or not at all. On failure the notebook is
kept as ``<name>.failed.ipynb`` so the error can be inspected, and the exception
carries the failing cell and error (like papermill's PapermillExecutionError).

The kernel can be started ahead of time (:class:`Kernel`): it boots in its own
process while the caller validates inputs, and papermill then runs the notebook on it.
When the run ends the kernel is killed at once; its work is already saved.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from ..errors import AssessmentError, NotebookFailed

KERNEL = "python3"
# The kernel listens on 127.0.0.1 only. Its history stays in memory (as nbclient sets it for
# kernels it starts): no client's cells land in a shared ~/.ipython history file.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]
log = logging.getLogger(__name__)


class Kernel:
    """A kernel started ahead of the run, in ``cwd``; hand it to :func:`run_notebook`.

    ``preload`` names modules the kernel imports while it boots (IPython's ``exec_lines``),
    so the notebook's first cell does not wait for pandas and matplotlib. It is only a head
    start: a module that fails to import here fails again, with its message, in the cell.
    """

    def __init__(self, cwd: Path | None = None, name: str = KERNEL, preload: tuple[str, ...] = ()):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        args = list(KERNEL_ARGS)
        if preload:
            args.append(f"--IPKernelApp.exec_lines=import {', '.join(preload)}")
        self._sync = run_sync
        self.manager = AsyncKernelManager(kernel_name=name)
        self._sync(self.manager.start_kernel)(cwd=str(cwd) if cwd else None, extra_arguments=args)

    def shutdown(self) -> None:
        """Kill the kernel process now (idempotent); nothing of value is left in it."""
        km = self.manager
        try:
            if km.has_kernel:
                self._sync(km.shutdown_kernel)(now=True)
        except Exception as exc:  # a kernel that already died is fine
            log.debug("kernel shutdown: %s", exc)

    def __enter__(self) -> "Kernel":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def run_notebook(notebook: Path, output: Path, parameters: dict, client: str, cwd: Path | None = None,
                 timeout: int | None = 600, kernel: Kernel | None = None) -> Path:
    """Execute ``notebook`` with ``parameters`` into ``output``; raise NotebookFailed on a cell error.

    Runs on ``kernel`` when one was started ahead (its own ``cwd`` applies), otherwise on a
    new kernel started in ``cwd``. Either way the kernel is gone when this returns.
    """
    if kernel is None:
        kernel = Kernel(cwd)
    with kernel:
        return _run(notebook, output, parameters, client, timeout, kernel)


def _run(notebook: Path, output: Path, parameters: dict, client: str, timeout: int | None, kernel: Kernel) -> Path:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    # Builds run into a staging folder (assessment.outputs.Stage), which is what makes the
    # output appear whole or not at all; papermill may write ``output`` as it goes.
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output
    failed = output.with_name(output.stem + ".failed.ipynb")
    try:
        pm.execute_notebook(
            str(notebook), str(tmp), parameters=parameters, kernel_name=KERNEL, progress_bar=False,
            execution_timeout=timeout, log_output=False, km=kernel.manager,
            request_save_on_cell_execute=False,  # one save at the end: it is renamed into place anyway
        )
    except PapermillExecutionError as exc:
        os.replace(tmp, failed)
        raise NotebookFailed(client, exc.cell_index, exc.ename, _first_line(exc.evalue), str(failed)) from None
    except BaseException as exc:
        if isinstance(exc, AssessmentError):  # our own stop (the build's deadline): no failed notebook
            tmp.unlink(missing_ok=True)
            raise
        if tmp.exists():
            if isinstance(exc, Exception) and tmp.stat().st_size:
                os.replace(tmp, failed)
            else:
                tmp.unlink()
        if isinstance(exc, Exception):
            raise NotebookFailed(client, None, type(exc).__name__, _first_line(str(exc)),
                                 str(failed) if failed.exists() else None) from None
        raise
    if failed.exists():
        failed.unlink()  # an old failure is no longer current
    return output


def _first_line(text: str) -> str:
    text = str(text).strip()
    return text.splitlines()[0][:300] if text else ""
