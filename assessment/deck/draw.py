"""Writing measured text and drawing plain shapes on a slide (python-pptx)."""
from __future__ import annotations

from typing import Sequence

from lxml import etree
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Pt

from . import fit
from .fit import Box, Para
from .look import Look, Rect

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
INSETS = (7.2, 7.2, 3.6, 3.6)          # left, right, top, bottom in points (PowerPoint's defaults)
TIGHT = (2.0, 2.0, 1.0, 1.0)


def box_for(rect: Rect, insets: Sequence[float] = INSETS) -> Box:
    return Box(fit.pt(rect.width), fit.pt(rect.height), *insets)


def _bullet(paragraph, char: str, indent: float) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(fit.emu(indent)))
    ppr.set("indent", str(-fit.emu(indent)))
    for tag in ("buNone", "buAutoNum", "buChar", "buBlip"):
        for el in ppr.findall(f"{{{_A}}}{tag}"):
            ppr.remove(el)
    bu = etree.SubElement(ppr, f"{{{_A}}}buChar")
    bu.set("char", char)


def _no_bullet(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(f"{{{_A}}}buNone") is None and ppr.find(f"{{{_A}}}buChar") is None:
        etree.SubElement(ppr, f"{{{_A}}}buNone")
    ppr.set("marL", "0")
    ppr.set("indent", "0")


def write(tf, paras: Sequence[Para], look: Look, anchor: str = "top", insets: Sequence[float] = INSETS,
          wrap: bool = True) -> None:
    """Put measured paragraphs into a text frame: sizes, bold, colours and spacing explicit, no autofit."""
    tf.clear()
    tf.word_wrap = wrap
    tf.auto_size = MSO_AUTO_SIZE.NONE
    l, r, t, b = insets
    tf.margin_left, tf.margin_right, tf.margin_top, tf.margin_bottom = Pt(l), Pt(r), Pt(t), Pt(b)
    tf.vertical_anchor = ANCHOR[anchor]
    for i, p in enumerate(paras):
        paragraph = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        paragraph.alignment = ALIGN.get(p.align, PP_ALIGN.LEFT)
        paragraph.space_before = Pt(p.space_before)
        paragraph.space_after = Pt(p.space_after)
        if p.line_spacing != 1.0:
            paragraph.line_spacing = p.line_spacing
        if p.bullet:
            _bullet(paragraph, p.bullet, p.indent)
        else:
            _no_bullet(paragraph)
        if not any(r.text for r in p.runs):     # an empty line keeps its size (else 18 pt by default)
            end = paragraph._p.get_or_add_endParaRPr()
            end.set("sz", str(int(round((p.runs[0].size if p.runs else 12) * 100))))
            continue
        for run_spec in p.runs:
            run = paragraph.add_run()
            run.text = fit.clean(run_spec.text)
            font = run.font
            font.size = Pt(run_spec.size)
            font.bold = run_spec.bold
            font.italic = run_spec.italic
            family = run_spec.family or look.run_font
            if family:
                font.name = family
            if run_spec.colour:
                look.palette.apply(font.color, str(run_spec.colour))
            if run_spec.caps:
                font._rPr.set("cap", "all")


def text(slide, rect: Rect, paras: Sequence[Para], look: Look, anchor: str = "top", insets=INSETS,
         min_factor: float = 0.7, name: str | None = None, fill: str | None = None, line: str | None = None,
         shape=None):
    """A text box (or ``shape``) at ``rect`` holding ``paras``, shrunk down to ``min_factor`` then shortened
    so it fits. Returns the shape."""
    box = box_for(rect, insets)
    fitted = fit.fit(paras, box, min_factor, look.measure_font)
    if shape is None:
        shape = slide.shapes.add_textbox(rect.left, rect.top, rect.width, rect.height)
    if name:
        shape.name = name
    if fill:
        shape.fill.solid()
        look.palette.apply(shape.fill.fore_color, fill)
    if line:
        look.palette.apply(shape.line.color, line)
        shape.line.width = Pt(1)
    write(shape.text_frame, fitted, look, anchor, insets)
    return shape


def rectangle(slide, rect: Rect, look: Look, fill: str | None = None, line: str | None = None,
              line_width: float = 1.0, rounded: bool = False, name: str | None = None):
    kind = MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE
    shape = slide.shapes.add_shape(kind, rect.left, rect.top, rect.width, rect.height)
    if rounded:
        shape.adjustments[0] = 0.12
    if fill:
        shape.fill.solid()
        look.palette.apply(shape.fill.fore_color, fill)
    else:
        shape.fill.background()
    if line:
        look.palette.apply(shape.line.color, line)
        shape.line.width = Pt(line_width)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False
    if name:
        shape.name = name
    tf = shape.text_frame
    tf.auto_size = MSO_AUTO_SIZE.NONE
    return shape


def ellipse(slide, rect: Rect, look: Look, fill: str, name: str | None = None):
    shape = slide.shapes.add_shape(MSO_SHAPE.OVAL, rect.left, rect.top, rect.width, rect.height)
    shape.fill.solid()
    look.palette.apply(shape.fill.fore_color, fill)
    shape.line.fill.background()
    shape.shadow.inherit = False
    if name:
        shape.name = name
    return shape


def connector(slide, x1: int, y1: int, x2: int, y2: int, look: Look, role: str, width: float = 1.5,
              dash=None, head: bool = False, tail: bool = False, name: str | None = None):
    """A straight connector from (x1, y1) to (x2, y2) in EMU; ``head`` / ``tail``: an arrowhead at the start
    / at the end."""
    c = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, x1, y1, x2, y2)
    look.palette.apply(c.line.color, role)
    c.line.width = Pt(width)
    if dash is not None:
        c.line.dash_style = dash
    ln = c.line._get_or_add_ln()
    for tag, on in (("headEnd", head), ("tailEnd", tail)):
        for el in ln.findall(f"{{{_A}}}{tag}"):
            ln.remove(el)
        if on:
            end = etree.SubElement(ln, f"{{{_A}}}{tag}")
            end.set("type", "triangle")
            end.set("w", "med")
            end.set("len", "med")
    if name:
        c.name = name
    return c


def notes(slide, text_: str) -> None:
    """Speaker notes: the evidence behind the slide (line breaks kept)."""
    slide.notes_slide.notes_text_frame.text = fit.clean(text_, newlines=True)
