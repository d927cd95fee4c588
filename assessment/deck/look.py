"""The deck's look: a firm's template (its slide master, layouts and theme) or the built-in one.

Layouts are found by name, with a fallback by index (the positions of PowerPoint's default
"Office Theme"), see :data:`LAYOUTS`. The geometry of every slide comes from its layout's
placeholders: the title placeholder gets the title, and the body placeholders' rectangles are where
the deck draws its text, tables, charts and pictures (the body placeholders themselves are removed,
so an empty "Click to add text" never shows). A layout without a body placeholder gets the area
below its title.

Confidentiality: a template is a file someone made for another deck. Its slides (and their notes),
its document properties (title, author, keywords, the titles listed in ``docProps/app.xml``), its
custom properties and its thumbnail are removed before the deck is built, so nothing from another
client can travel in it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches

from . import fit

#: kind -> (names to look for, case and punctuation ignored; index in the default Office layouts)
LAYOUTS: dict[str, tuple[tuple[str, ...], int]] = {
    "title": (("Title Slide", "Title"), 0),
    "content": (("Title and Content", "Title and Body", "Title, Content", "Title Content"), 1),
    "section": (("Section Header", "Section Title", "Section"), 2),
    "two": (("Two Content", "Two Contents", "Two Columns", "Two Column", "Title and Two Content"), 3),
}

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)     # 16:9
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS = {"a": _A}

# the built-in look's neutral colours (the firm's primary and accent come from the branding)
INK, MUTED, LIGHT, RULE = "#1F2933", "#5F6B7A", "#EEF2F6", "#C9D2DC"


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _hex(value: str | None, default: str) -> str:
    return value if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value) else default


@dataclass(frozen=True)
class Rect:
    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def inset(self, dx: int = 0, dy: int = 0) -> "Rect":
        return Rect(self.left + dx, self.top + dy, max(0, self.width - 2 * dx), max(0, self.height - 2 * dy))

    def split_h(self, *fractions: float, gap: int = 0) -> list["Rect"]:
        """Side by side, widths in proportion to ``fractions``, ``gap`` EMU apart."""
        total = sum(fractions)
        room = self.width - gap * (len(fractions) - 1)
        out, x = [], self.left
        for f in fractions:
            w = int(room * f / total)
            out.append(Rect(x, self.top, w, self.height))
            x += w + gap
        return out

    def split_v(self, *fractions: float, gap: int = 0) -> list["Rect"]:
        total = sum(fractions)
        room = self.height - gap * (len(fractions) - 1)
        out, y = [], self.top
        for f in fractions:
            h = int(room * f / total)
            out.append(Rect(self.left, y, self.width, h))
            y += h + gap
        return out

    def take_top(self, h: int, gap: int = 0) -> tuple["Rect", "Rect"]:
        h = min(h, self.height)
        return Rect(self.left, self.top, self.width, h), Rect(self.left, self.top + h + gap, self.width,
                                                               max(0, self.height - h - gap))

    def take_bottom(self, h: int, gap: int = 0) -> tuple["Rect", "Rect"]:
        h = min(h, self.height)
        return Rect(self.left, self.top, self.width, max(0, self.height - h - gap)), \
            Rect(self.left, self.bottom - h, self.width, h)


class Palette:
    """Colours by role. The built-in look paints with the branding's RGB values; a firm template with its
    theme's colours (so the deck follows the theme when it changes). RAG colours are always fixed."""

    THEME = {"primary": (MSO_THEME_COLOR.ACCENT_1, 0.0), "accent": (MSO_THEME_COLOR.ACCENT_2, 0.0),
             "ink": (MSO_THEME_COLOR.TEXT_1, 0.0), "muted": (MSO_THEME_COLOR.TEXT_1, 0.35),
             "light": (MSO_THEME_COLOR.BACKGROUND_2, 0.0), "rule": (MSO_THEME_COLOR.TEXT_1, 0.75),
             "paper": (MSO_THEME_COLOR.BACKGROUND_1, 0.0)}

    def __init__(self, builtin: bool, primary: str, accent: str) -> None:
        self.builtin = builtin
        self.hex = {"primary": primary, "accent": accent, "ink": INK, "muted": MUTED, "light": LIGHT,
                    "rule": RULE, "paper": "#FFFFFF"}

    def rgb(self, role: str) -> str:
        """The colour as #RRGGBB (the built-in value; for the SVG map and for fixed colours)."""
        return self.hex.get(role, role if role.startswith("#") else INK)

    def solid_fill(self, role: str):
        """An ``a:solidFill`` element for ``role`` (the XML :meth:`apply` would write)."""
        fill = etree.Element(f"{{{_A}}}solidFill")
        if role.startswith("#") or self.builtin or role not in self.THEME:
            etree.SubElement(fill, f"{{{_A}}}srgbClr", val=self.rgb(role).lstrip("#").upper())
            return fill
        theme, brightness = self.THEME[role]
        names = {MSO_THEME_COLOR.ACCENT_1: "accent1", MSO_THEME_COLOR.ACCENT_2: "accent2",
                 MSO_THEME_COLOR.TEXT_1: "tx1", MSO_THEME_COLOR.BACKGROUND_1: "bg1",
                 MSO_THEME_COLOR.BACKGROUND_2: "bg2"}
        clr = etree.SubElement(fill, f"{{{_A}}}schemeClr", val=names[theme])
        if brightness:
            etree.SubElement(clr, f"{{{_A}}}lumMod", val=str(int(round((1 - brightness) * 100000))))
            etree.SubElement(clr, f"{{{_A}}}lumOff", val=str(int(round(brightness * 100000))))
        return fill

    def apply(self, colour_format, role: str) -> None:
        """Set a python-pptx ColorFormat to ``role`` (a role name or a fixed "#RRGGBB")."""
        if role.startswith("#") or self.builtin or role not in self.THEME:
            colour_format.rgb = RGBColor.from_string(self.rgb(role).lstrip("#"))
        else:
            theme, brightness = self.THEME[role]
            colour_format.theme_color = theme
            if brightness:
                colour_format.brightness = brightness


class Look:
    """An opened presentation to build into, its layouts by kind, its font and its palette."""

    def __init__(self, template: Path | None, primary: str, accent: str) -> None:
        self.builtin = template is None
        primary = _hex(primary, "#1F3A5F")
        accent = _hex(accent, "#2A9D8F")
        if template is None:
            self.prs = Presentation()
            _builtin(self.prs, primary, accent)
            self.run_font: str | None = fit.FAMILY        # every run names the font the deck measures with
            self.measure_font: str | None = fit.FAMILY
        else:
            self.prs = Presentation(str(template))
            _scrub(self.prs)
            self.run_font = None                          # the theme's font applies
            self.measure_font = _theme_font(self.prs)
        self.palette = Palette(self.builtin, primary, accent)
        self._layouts = {kind: self._find(kind) for kind in LAYOUTS}

    @property
    def width(self) -> int:
        return self.prs.slide_width

    @property
    def height(self) -> int:
        return self.prs.slide_height

    def _find(self, kind: str):
        names, index = LAYOUTS[kind]
        layouts = list(self.prs.slide_layouts)
        wanted = [_norm(n) for n in names]
        for w in wanted:                      # exact name first, in order of preference
            for layout in layouts:
                if _norm(layout.name) == w:
                    return layout
        if index < len(layouts):
            return layouts[index]
        return layouts[-1]

    def layout(self, kind: str):
        return self._layouts[kind]

    def title_caps(self, kind: str) -> bool:
        """Whether the layout's title shows in capitals (``cap="all"`` in its style or the master's)."""
        layout = self._layouts[kind]
        for ph in layout.placeholders:
            if "TITLE" not in str(ph.placeholder_format.type):
                continue
            for el in ph._element.iter(f"{{{_A}}}defRPr"):
                if el.get("cap"):
                    return el.get("cap") in ("all", "small")
        style = layout.slide_master._element.find(
            ".//{http://schemas.openxmlformats.org/presentationml/2006/main}titleStyle/a:lvl1pPr/a:defRPr", _NS)
        return style is not None and style.get("cap") in ("all", "small")

    def layout_names(self) -> dict[str, str]:
        return {kind: layout.name for kind, layout in self._layouts.items()}


# --------------------------------------------------------------------------- the built-in look
def _set_xfrm(shape, left: float, top: float, width: float, height: float) -> None:
    shape.left, shape.top, shape.width, shape.height = Inches(left), Inches(top), Inches(width), Inches(height)


def _builtin(prs, primary: str, accent: str) -> None:
    """python-pptx's default template made 16:9, with the four layouts the deck uses placed for it and a
    theme in the deck's font and the branding's colours."""
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    keep = {"Title Slide": "title", "Title and Content": "content", "Two Content": "two", "Section Header": "section"}
    for layout in list(prs.slide_layouts):
        if layout.name not in keep:
            prs.slide_layouts.remove(layout)
    geometry = {   # placeholder idx -> (left, top, width, height) in inches
        "title": {0: (0.8, 2.2, 11.7, 1.7), 1: (0.8, 4.05, 11.7, 1.6)},
        "content": {0: (0.6, 0.3, 12.13, 0.95), 1: (0.6, 1.45, 12.13, 5.35)},
        "two": {0: (0.6, 0.3, 12.13, 0.95), 1: (0.6, 1.45, 5.9, 5.35), 2: (6.83, 1.45, 5.9, 5.35)},
        "section": {0: (0.8, 3.1, 11.7, 1.3), 1: (0.8, 4.5, 11.7, 1.0)},
    }
    footer = {10: (0.6, 6.95, 3.0, 0.35), 11: (4.2, 6.95, 4.9, 0.35), 12: (10.73, 6.95, 2.0, 0.35)}
    for layout in prs.slide_layouts:
        spots = {**geometry[keep[layout.name]], **footer}
        for ph in layout.placeholders:
            idx = ph.placeholder_format.idx
            if idx in spots:
                _set_xfrm(ph, *spots[idx])
    for ph in prs.slide_master.placeholders:
        idx = ph.placeholder_format.idx
        spots = {0: geometry["content"][0], 1: geometry["content"][1], **footer}
        if idx in spots:
            _set_xfrm(ph, *spots[idx])
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    root.set("name", "Readout")
    for tag in ("majorFont", "minorFont"):
        latin = root.find(f".//a:fontScheme/a:{tag}/a:latin", _NS)
        if latin is not None:
            latin.set("typeface", fit.FAMILY)
    scheme = root.find(".//a:clrScheme", _NS)
    if scheme is not None:
        scheme.set("name", "Readout")
        for slot, value in (("dk2", primary), ("accent1", primary), ("accent2", accent)):
            el = scheme.find(f"a:{slot}", _NS)
            if el is not None:
                for child in list(el):
                    el.remove(child)
                etree.SubElement(el, f"{{{_A}}}srgbClr", val=value.lstrip("#").upper())
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- a firm's template
_APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            b'<Application>Microsoft Office PowerPoint</Application></Properties>')


def _scrub(prs) -> None:
    """Remove everything of the template that is not its look: slides, properties, thumbnail."""
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):
        prs.part.drop_rel(sld_id.rId)
        sld_ids.remove(sld_id)
    pkg = prs.part.package
    for rel in list(pkg._rels.values()):
        if rel.reltype in (RT.THUMBNAIL, RT.CUSTOM_PROPERTIES):
            pkg._rels.pop(rel.rId)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML
    for section in prs.part._element.findall(".//{http://schemas.microsoft.com/office/powerpoint/2010/main}sectionLst"):
        section.getparent().remove(section)     # sections list the removed slides by id
    for rel in list(prs.part.rels.values()):     # comment authors name people of other decks
        if rel.reltype == RT.COMMENT_AUTHORS:
            prs.part.drop_rel(rel.rId)


def _theme_font(prs) -> str | None:
    """The theme's body (minor) Latin font, which text boxes use when a run names none."""
    try:
        theme = prs.slide_master.part.part_related_by(RT.THEME)
        root = etree.fromstring(theme.blob)
        latin = root.find(".//a:fontScheme/a:minorFont/a:latin", _NS)
        face = latin.get("typeface") if latin is not None else None
        return face or None
    except (KeyError, etree.XMLSyntaxError):
        return None


def placeholder_rect(ph) -> Rect:
    """A slide placeholder's rectangle, inherited from its layout (and master) when the slide has none."""
    return Rect(int(ph.left or 0), int(ph.top or 0), int(ph.width or 0), int(ph.height or 0))

