"""How a command's process ends: at once, once its outputs are in place."""
from __future__ import annotations

import os
import sys


def finish(code: int) -> None:
    """End this process with ``code`` at once, skipping the interpreter's teardown.

    After a readout the process holds WeasyPrint's font caches, pandas and matplotlib;
    freeing them one by one takes a third of a second and serves nothing. Every output is
    already renamed into place and every temp file removed, so once the exit handlers have
    run and the streams are flushed the process can end at once.
    """
    import threading

    mp = sys.modules.get("multiprocessing")
    busy = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if busy or (mp is not None and mp.active_children()):
        sys.exit(code)  # a pool or a thread is still winding down: let the interpreter join it
    import atexit
    import logging

    logging.shutdown()
    getattr(atexit, "_run_exitfuncs", lambda: None)()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head) is not worth a traceback
            pass
    os._exit(code if isinstance(code, int) else 1)
