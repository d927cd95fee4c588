"""Executed notebook -> standalone HTML, through our nbconvert template (templates/readout).

Inputs are excluded (``exclude_input``), and cells tagged ``parameters``,
``injected-parameters`` or ``remove-cell`` are dropped, so no code reaches the client.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
REMOVE_TAGS = {"parameters", "injected-parameters", "remove-cell"}


def template_dir(name: str = "readout") -> Path:
    path = TEMPLATES / name
    if not (path / "index.html.j2").exists():
        raise FileNotFoundError(f"template {name!r} not found under {TEMPLATES}")
    return path


def to_html(notebook: Path | nbformat.NotebookNode, template: str = "readout", extra_css: str = "") -> str:
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb = nbformat.read(str(notebook), as_version=4) if not isinstance(notebook, nbformat.NotebookNode) else notebook
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = REMOVE_TAGS
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    exporter = HTMLExporter(config=c, template_name=template, extra_template_basedirs=[str(TEMPLATES)])
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"branding_css": extra_css})
    return body
