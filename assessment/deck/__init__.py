"""The readout as an editable PowerPoint deck, rendered from the facts file alone.

Entry point: :func:`render_deck` ``(facts, target, template=None, branding=None) -> Path`` takes the
facts dict as read from ``<slug>-readout.json`` and writes ``<slug>-readout.pptx`` atomically
(16:9, 12-20 slides, native charts with their data embedded, speaker notes on every slide). It loads
no engagement and recomputes nothing. :func:`model_map_svg` ``(facts, flows=None) -> str`` draws the
as-is / to-be operating model as a standalone SVG for the PDF.

**The firm's template** (``pptx_template: firm.pptx`` in branding.yaml, or ``template=``): the deck
uses that file's slide master, layouts and theme (fonts and colours). It needs four layouts, found by
name (case, spaces and punctuation ignored), else by position:

=================  ==========================================================  ========
deck use           layout names looked for                                      fallback
=================  ==========================================================  ========
title slide        "Title Slide", "Title"                                       index 0
one-area slides    "Title and Content", "Title and Body", "Title, Content"      index 1
appendix divider   "Section Header", "Section Title", "Section"                 index 2
two-column slides  "Two Content", "Two Contents", "Two Columns", "Two Column"    index 3
=================  ==========================================================  ========

(the indices are those of PowerPoint's default "Office Theme"). Each layout should have a title
placeholder and body placeholders (one; two for "Two Content"): the deck writes its title into the
title placeholder and draws its text, tables and charts inside the body placeholders' rectangles,
removing the empty placeholders. A layout without body placeholders gets the area below its title.
Shapes and charts take the theme's colours (accent 1 for the main colour, accent 2 for the second,
text 1 for text); text takes the theme's fonts and is measured with that font's file when the machine
has it, else with DejaVu Sans (wider than the usual presentation fonts, so the estimate errs on the
safe side). The template's own slides, document properties, custom properties and thumbnail are
removed, so nothing of another deck travels with it.

Without a template the deck uses a built-in look: python-pptx's default master made 16:9, the
theme's fonts set to DejaVu Sans (the font every text is measured with) and its colours to the
branding's ``primary`` and ``accent``.

**The flows** of the operating model are data: ``assessment/data/flows.yaml`` (see
:mod:`assessment.deck.model_map` for the format).
"""
from __future__ import annotations

from .model_map import Flows, load_flows, model_map_svg


def __getattr__(name: str):
    """python-pptx loads only when a deck is built (the PDF's operating map needs none of it)."""
    if name in ("build", "render_deck"):
        from . import render

        return getattr(render, name)
    raise AttributeError(name)


__all__ = ["Flows", "build", "load_flows", "model_map_svg", "render_deck"]
