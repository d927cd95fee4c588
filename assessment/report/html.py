"""Executed notebook -> standalone HTML, through our nbconvert template (templates/readout).

Inputs are excluded (``exclude_input``), and cells tagged ``parameters``,
``injected-parameters`` or ``remove-cell`` are dropped, so no code reaches the client.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat

from ..resources import TEMPLATES  # noqa: E402
REMOVE_TAGS = {"parameters", "injected-parameters", "remove-cell"}
# extra_css goes verbatim into a <style> block: it may not close the block, fetch or import anything.
_UNSAFE_CSS = re.compile(r"<|url\s*\(|@import|image\s*\(|image-set|\\", re.I)


def template_dir(name: str = "readout") -> Path:
    path = TEMPLATES / name
    if not (path / "index.html.j2").exists():
        raise FileNotFoundError(f"template {name!r} not found under {TEMPLATES}")
    return path


@functools.lru_cache(maxsize=4)
def _exporter(template: str):
    """One exporter per template and process: Jinja compiles the template on first use."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = REMOVE_TAGS
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    exporter = HTMLExporter(config=c, template_name=template, extra_template_basedirs=[str(TEMPLATES)])
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    return exporter


def warm(template: str = "readout") -> None:
    """Compile the template now (a sixth of a second), e.g. while a kernel runs the notebook."""
    _exporter(template).from_notebook_node(nbformat.v4.new_notebook(), resources={"branding_css": ""})


def to_html(notebook: Path | nbformat.NotebookNode, template: str = "readout", extra_css: str = "") -> str:
    """The notebook's outputs as one HTML page. ``extra_css`` (the branding's CSS variables) is checked:
    CSS that could end its ``<style>`` block or load a URL raises ValueError."""
    if _UNSAFE_CSS.search(extra_css):
        raise ValueError(f"refusing extra CSS that could load a URL or end its style block: {extra_css[:120]!r}")
    nb = nbformat.read(str(notebook), as_version=4) if not isinstance(notebook, nbformat.NotebookNode) else notebook
    body, _ = _exporter(template).from_notebook_node(nb, resources={"branding_css": extra_css})
    return body
