"""Run a parameterized notebook with papermill, into a file that appears only when complete.

papermill saves the output notebook as it goes, so it runs into a hidden temp file
beside the final one. On success that file is renamed into place; on failure it is
kept as ``<name>.failed.ipynb`` so the error can be inspected, and the exception
carries the failing cell and error (like papermill's PapermillExecutionError).
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from ..errors import NotebookFailed

KERNEL = "python3"
log = logging.getLogger(__name__)


def run_notebook(notebook: Path, output: Path, parameters: dict, client: str, cwd: Path | None = None,
                 timeout: int | None = 600) -> Path:
    """Execute ``notebook`` with ``parameters`` into ``output``; raise NotebookFailed on a cell error."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.stem}.tmp-", suffix=".ipynb", dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    failed = output.with_name(output.stem + ".failed.ipynb")
    try:
        pm.execute_notebook(
            str(notebook), str(tmp), parameters=parameters, kernel_name=KERNEL, progress_bar=False,
            cwd=str(cwd) if cwd else None, execution_timeout=timeout, log_output=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # the kernel listens on 127.0.0.1 only
            request_save_on_cell_execute=False,  # one save at the end: it is renamed into place anyway
        )
    except PapermillExecutionError as exc:
        os.replace(tmp, failed)
        raise NotebookFailed(client, exc.cell_index, exc.ename, _first_line(exc.evalue), str(failed)) from None
    except BaseException as exc:
        if tmp.exists():
            if isinstance(exc, Exception) and tmp.stat().st_size:
                os.replace(tmp, failed)
            else:
                tmp.unlink()
        if isinstance(exc, Exception):
            raise NotebookFailed(client, None, type(exc).__name__, _first_line(str(exc)),
                                 str(failed) if failed.exists() else None) from None
        raise
    os.replace(tmp, output)
    if failed.exists():
        failed.unlink()  # an old failure is no longer current
    return output


def _first_line(text: str) -> str:
    text = str(text).strip()
    return text.splitlines()[0][:300] if text else ""
