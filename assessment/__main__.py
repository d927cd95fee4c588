"""``python -m assessment`` is the same as the ``assessment`` command."""
from .cli import run

run()
