"""HTML -> PDF with WeasyPrint, fetching nothing but our own template's files.

Consultants' notes may mention ``file:///etc/passwd`` or a tracking pixel; they are
escaped before they get here, and even if markup slipped through, the fetcher below
refuses every URL except inline ``data:`` URIs and files inside the template folder. Every
refused URL is logged as a warning (logger ``assessment.report.pdf``) and returned to the caller.
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..fileio import atomic_write_bytes
from .html import template_dir

log = logging.getLogger(__name__)


def _fetcher_base():
    from weasyprint.urls import URLFetcher

    return URLFetcher


class SafeFetcher:
    """Factory for a WeasyPrint URL fetcher restricted to data: URIs and ``allowed`` folders."""

    def __new__(cls, allowed: list[Path]):
        base = _fetcher_base()

        class _Fetcher(base):
            def __init__(self):
                super().__init__(allowed_protocols={"data", "file"}, timeout=1, allow_redirects=False)
                self.allowed = [Path(p).resolve() for p in allowed]
                self.blocked: list[str] = []

            def fetch(self, url, headers=None):
                scheme = url.split(":", 1)[0].lower()
                if scheme == "data":
                    return super().fetch(url, headers)
                if scheme == "file":
                    target = Path(unquote(urlparse(url).path)).resolve()
                    if any(target == a or a in target.parents for a in self.allowed):
                        return super().fetch(url, headers)
                if url not in self.blocked:
                    log.warning("blocked a fetch while rendering the PDF: %s (the readout fetches nothing "
                                "outside its template)", url[:200])
                self.blocked.append(url)
                raise ValueError(f"blocked: the readout fetches nothing outside its template ({url[:80]})")

        return _Fetcher()


def write_pdf(html: str, output: Path, base_dir: Path | None = None) -> tuple[Path, list[str]]:
    """Render ``html`` to ``output`` atomically (through :mod:`assessment.fileio`); return the path and
    any URLs that were blocked."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    base = base_dir or template_dir()
    fetcher = SafeFetcher([base])
    data = HTML(string=html, base_url=str(base) + "/", url_fetcher=fetcher).write_pdf()
    atomic_write_bytes(output, data)
    return output, list(fetcher.blocked)
