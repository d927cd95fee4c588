"""Writing measured text and drawing plain shapes on a slide (python-pptx)."""
from __future__ import annotations

from typing import Sequence

from lxml import etree
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.util import Pt

from . import fit
from .fit import Box, Para
from .look import Look, Rect

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
INSETS = (7.2, 7.2, 3.6, 3.6)          # left, right, top, bottom in points (PowerPoint's defaults)
TIGHT = (2.0, 2.0, 1.0, 1.0)


def box_for(rect: Rect, insets: Sequence[float] = INSETS) -> Box:
    return Box(fit.pt(rect.width), fit.pt(rect.height), *insets)


_ALGN = {"left": "l", "center": "ctr", "right": "r"}
_ANCHOR = {"top": "t", "middle": "ctr", "bottom": "b"}


def _el(parent, tag: str, **attrs):
    el = etree.SubElement(parent, f"{{{_A}}}{tag}")
    for k, v in attrs.items():
        el.set(k, v)
    return el


def _paragraph(p: Para, look: Look):
    """An ``a:p`` for a measured paragraph, written directly (python-pptx's setters cost a second a deck)."""
    el = etree.Element(f"{{{_A}}}p")
    ppr = _el(el, "pPr", algn=_ALGN.get(p.align, "l"))
    if p.bullet:
        ppr.set("marL", str(fit.emu(p.indent)))
        ppr.set("indent", str(-fit.emu(p.indent)))
    else:
        ppr.set("marL", "0")
        ppr.set("indent", "0")
    if p.line_spacing != 1.0:
        _el(_el(ppr, "lnSpc"), "spcPct", val=str(int(round(p.line_spacing * 100000))))
    _el(_el(ppr, "spcBef"), "spcPts", val=str(int(round(p.space_before * 100))))
    _el(_el(ppr, "spcAft"), "spcPts", val=str(int(round(p.space_after * 100))))
    if p.bullet:
        _el(ppr, "buChar", char=p.bullet)
    else:
        _el(ppr, "buNone")
    if not any(r.text for r in p.runs):     # an empty line keeps its size (else 18 pt by default)
        _el(el, "endParaRPr", sz=str(int(round((p.runs[0].size if p.runs else 12) * 100))))
        return el
    for r in p.runs:
        run = _el(el, "r")
        rpr = _el(run, "rPr", lang="en-GB", sz=str(int(round(r.size * 100))), b="1" if r.bold else "0",
                  i="1" if r.italic else "0", dirty="0")
        if r.caps:
            rpr.set("cap", "all")
        if r.colour:
            rpr.append(look.palette.solid_fill(str(r.colour)))
        family = r.family or look.run_font
        if family:
            _el(rpr, "latin", typeface=family)
        t = _el(run, "t")
        t.text = fit.clean(r.text)
    return el


def write(tf, paras: Sequence[Para], look: Look, anchor: str | None = "top", insets: Sequence[float] = INSETS,
          wrap: bool = True) -> None:
    """Put measured paragraphs into a text frame: sizes, bold, colours and spacing explicit, no autofit."""
    body = tf._txBody
    body_pr = body.find(f"{{{_A}}}bodyPr")
    for tag in ("spAutoFit", "normAutofit", "noAutofit"):
        for el in body_pr.findall(f"{{{_A}}}{tag}"):
            body_pr.remove(el)
    body_pr.insert(0, etree.Element(f"{{{_A}}}noAutofit"))
    body_pr.set("wrap", "square" if wrap else "none")
    for name, value in zip(("lIns", "rIns", "tIns", "bIns"), insets):
        body_pr.set(name, str(fit.emu(value)))
    if anchor:
        body_pr.set("anchor", _ANCHOR[anchor])
    for el in body.findall(f"{{{_A}}}p"):
        body.remove(el)
    for p in paras or [Para((fit.Run("", 12),))]:
        body.append(_paragraph(p, look))


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
