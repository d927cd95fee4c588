"""``python -m assessment`` is the same as the ``assessment`` command."""
import sys

from .cli import main

sys.exit(main())
