"""Page-quality checks measured from a rendered PDF (pdfplumber): what a partner would not sign.

Reading a PDF (:func:`read_pages`) is the only part that touches pdfplumber; everything else
works on plain :class:`Page` values, so each rule is a small pure function:

* (a) :func:`near_empty`: the page's content ends in the top third of its body;
* (b) :func:`stranded_heading`: a heading is the last thing on the page (or has at most two lines
  of text after it there, its chart, table or list overleaf);
* (c) :func:`lone_table_rows`: a table split across pages leaves one body row on a page
  (carried over onto the next page, or left behind before the rest), repeated header aside;
* (d) :func:`separated_caption`: a figure caption opens a page, away from its figure.

How things are recognised (readout.css): headings are bold lines of 9.5 pt or more (h4 9.5,
h3 11.5, h2.sc 13, h2.section 17; body text is 9 pt, bold runs in it too); captions are
non-bold lines of 7.5 pt in --muted starting at the body's left edge; table rows are
separated by collapsed borders, drawn as stroked horizontal lines (th 0.8 pt, td 0.4 pt).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MM = 72 / 25.4
# @page margins of readout.css (top, right, bottom, left), in pt; see margins_from_css.
DEFAULT_MARGINS = (22 * MM, 18 * MM, 20 * MM, 18 * MM)
MUTED = (0x5F / 255, 0x6B / 255, 0x7A / 255)   # --muted: captions

HEADING_MIN_SIZE = 9.4      # h4 is 9.5 pt; body text and its bold runs are 9 pt, p.lead 10.5 pt but not all bold
CAPTION_SIZE = 7.5          # figcaption
HEADER_RULE_MIN = 0.7       # th border-bottom: .8pt; td: .4pt
ROW_GAP = 7.0               # a row's first text starts within this of the rule above it (td padding 1.3 mm)
WIDE = 0.8                  # a table rule spans at least this share of the body width (tables are 100 % wide)
NEAR_EMPTY = 1 / 3


@dataclass(frozen=True)
class Line:
    """A line of text: its box (pt, from the page's top), text, largest size, weight and colour."""

    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    bold: bool
    color: tuple = ()


@dataclass(frozen=True)
class Shape:
    """A graphic: an image, a filled box or a stroked line (kind "image", "rect" or "line")."""

    top: float
    bottom: float
    x0: float
    x1: float
    kind: str
    width: float = 0.0      # stroke width of a line


@dataclass
class Page:
    number: int
    width: float
    height: float
    body_top: float
    body_bottom: float
    body_left: float
    body_right: float
    lines: list[Line] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)

    @property
    def items(self) -> list:
        """Everything in the body, top to bottom."""
        return sorted([*self.lines, *self.shapes], key=lambda i: (i.top, i.bottom))

    @property
    def content_top(self) -> float | None:
        return min((i.top for i in self.items), default=None)

    @property
    def content_bottom(self) -> float | None:
        return max((i.bottom for i in self.items), default=None)


@dataclass(frozen=True)
class Offence:
    file: str
    page: int
    rule: str
    detail: str
    hint: str

    def __str__(self) -> str:
        return f"{self.file} p.{self.page}: ({self.rule}) {self.detail}. Hint: {self.hint}"


RULES = {
    "a": ("near-empty page", "a forced page break (break-before: page) or a block too tall to fit follows; "
                             "let short sections flow"),
    "b": ("heading stranded at the foot of the page", "keep the heading with what follows (break-after: "
          "avoid on the heading and on its introduction, or a break-inside: avoid group of heading and first block)"),
    "c": ("lone table row", "keep table rows together (tr break-inside: avoid; the first and last rows "
                            "break-after/break-before: avoid)"),
    "d": ("caption away from its figure", "keep figure and figcaption together (figure break-inside: avoid)"),
}


# ---- reading a PDF (the only impure part) -------------------------------------------------------

def margins_from_css(css: str) -> tuple[float, float, float, float]:
    """The first ``@page { margin: ... }`` of a stylesheet, in pt (mm, pt, cm, in or px)."""
    m = re.search(r"@page\s*\{[^}]*?margin\s*:\s*([^;}]+)", css)
    if not m:
        return DEFAULT_MARGINS
    units = {"mm": MM, "cm": 10 * MM, "in": 72.0, "pt": 1.0, "px": 0.75}
    values = []
    for token in m.group(1).split():
        num = re.fullmatch(r"([\d.]+)(mm|cm|in|pt|px)?", token)
        if not num:
            return DEFAULT_MARGINS
        values.append(float(num.group(1)) * units[num.group(2) or "px"])
    # CSS shorthand: 1 value (all), 2 (vertical, horizontal), 3 (top, horizontal, bottom), 4 (t r b l)
    expand = {1: lambda v: v * 4, 2: lambda v: v * 2, 3: lambda v: [v[0], v[1], v[2], v[1]], 4: lambda v: v}
    if len(values) not in expand:
        return DEFAULT_MARGINS
    t, r, b, l = expand[len(values)](values)
    return t, r, b, l


def _bold(fontname: str) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold|demibold", fontname, re.I))


def _color(value) -> tuple:
    if isinstance(value, (list, tuple)):
        return tuple(float(v) for v in value)
    if isinstance(value, (int, float)):
        return (float(value),) * 3
    return ()


def read_pages(pdf_path: str | Path, margins: tuple[float, float, float, float] = DEFAULT_MARGINS) -> list[Page]:
    """Every page of a PDF as :class:`Page`: its body's lines of text and graphics (margins left out)."""
    import pdfplumber

    top_m, right_m, bottom_m, left_m = margins
    pages = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for number, p in enumerate(pdf.pages, start=1):
            page = Page(number, float(p.width), float(p.height), top_m, float(p.height) - bottom_m,
                        left_m, float(p.width) - right_m)

            def in_body(top, bottom):
                return bottom > page.body_top and top < page.body_bottom

            # Upright characters only: a rotated DRAFT watermark is not content.
            chars = [c for c in p.chars if c.get("upright", True) and in_body(c["top"], c["bottom"])]
            for tl in _text_lines(chars):
                page.lines.append(tl)
            for img in p.images:
                if in_body(img["top"], img["bottom"]):
                    page.shapes.append(Shape(img["top"], img["bottom"], img["x0"], img["x1"], "image"))
            for r in [*p.rects, *p.curves]:
                if in_body(r["top"], r["bottom"]) and (r.get("fill") or r.get("stroke")):
                    page.shapes.append(Shape(r["top"], r["bottom"], r["x0"], r["x1"], "rect"))
            for ln in p.lines:
                if in_body(ln["top"], ln["bottom"]):
                    page.shapes.append(Shape(ln["top"], ln["bottom"], ln["x0"], ln["x1"], "line",
                                             float(ln.get("linewidth") or 0)))
            pages.append(page)
    return pages


def _text_lines(chars: list[dict]) -> list[Line]:
    """Group characters into lines: same baseline (within 1 pt), in reading order."""
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["bottom"], 0), c["x0"])):
        if rows and abs(rows[-1][-1]["bottom"] - c["bottom"]) <= 1.0:
            rows[-1].append(c)
        else:
            rows.append([c])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        ink = [c for c in row if c["text"].strip()]
        if not ink:
            continue
        lines.append(Line(top=min(c["top"] for c in ink), bottom=max(c["bottom"] for c in ink),
                          x0=min(c["x0"] for c in ink), x1=max(c["x1"] for c in ink),
                          text="".join(c["text"] for c in row).strip(),
                          size=round(max(c["size"] for c in ink), 2),
                          bold=all(_bold(c["fontname"]) for c in ink),
                          color=_color(ink[0].get("non_stroking_color"))))
    return lines


# ---- what things are ---------------------------------------------------------------------------

def is_heading(line: Line) -> bool:
    """A heading: bold throughout, 9.5 pt or larger, with words (a score tile's "2.8" is not one)."""
    return line.bold and line.size >= HEADING_MIN_SIZE and any(ch.isalpha() for ch in line.text)


def is_caption(line: Line, page: Page) -> bool:
    """A figure caption: 7.5 pt, not bold, in --muted, starting at the body's left edge."""
    muted = bool(line.color) and len(line.color) >= 3 and all(abs(a - b) < 0.06 for a, b in zip(line.color, MUTED))
    return (abs(line.size - CAPTION_SIZE) < 0.15 and not line.bold and muted
            and abs(line.x0 - page.body_left) < 2.5 and not line.text.isupper())


def is_rule(shape: Shape) -> bool:
    """A collapsed table border: WeasyPrint strokes it as a horizontal line (box borders are filled rects)."""
    return shape.kind == "line" and shape.bottom - shape.top < 0.5


def table_rules(page: Page) -> list[Shape]:
    """Row borders, the segments of one row (one per cell) joined; header rules keep their width."""
    segments = sorted((s for s in page.shapes if is_rule(s)), key=lambda s: (s.top, s.x0))
    joined: list[Shape] = []
    for s in segments:
        last = joined[-1] if joined else None
        if last and abs(last.top - s.top) < 0.3 and s.x0 <= last.x1 + 2:
            joined[-1] = Shape(last.top, max(last.bottom, s.bottom), last.x0, max(last.x1, s.x1), "line",
                               max(last.width, s.width))
        else:
            joined.append(s)
    body = page.body_right - page.body_left
    return [s for s in joined if s.x1 - s.x0 >= WIDE * body]


# ---- the rules ---------------------------------------------------------------------------------

def near_empty(page: Page, share: float = NEAR_EMPTY) -> bool:
    """(a) The page's content ends before ``share`` of its body height (a blank page counts)."""
    bottom = page.content_bottom
    if bottom is None:
        return True
    return (bottom - page.body_top) < share * (page.body_bottom - page.body_top)


def fill(page: Page) -> float:
    """How far down the body the content reaches, 0 to 1."""
    bottom = page.content_bottom
    if bottom is None:
        return 0.0
    return max(0.0, min(1.0, (bottom - page.body_top) / (page.body_bottom - page.body_top)))


def stranded_heading(page: Page, lines_after: int = 2) -> Line | None:
    """(b) A heading stranded at the foot of the page: nothing after it on the page but at most
    ``lines_after`` lines of text (no table, chart or list), the rest of its section overleaf.

    With ``lines_after=0`` only a heading that is the very last thing counts. Its own rules
    (h2.section's border-bottom, thin lines just under it) are not something after it.
    """
    headings = [ln for ln in page.lines if is_heading(ln)]
    if not headings:
        return None
    last = max(headings, key=lambda ln: ln.bottom)
    text_after = 0
    for item in page.items:
        if item is last or item.bottom <= last.bottom + 0.5:
            continue
        if isinstance(item, Line):
            if item.top >= last.bottom - 1:
                text_after += 1
                if text_after > lines_after:
                    return None
            continue
        decoration = item.bottom - item.top < 3 and item.top < last.bottom + 12
        if not decoration and item.top >= last.top:
            return None
    return last


def separated_caption(page: Page) -> Line | None:
    """(d) A caption that opens the page: its figure (before it in the flow) is on an earlier page."""
    items = page.items
    if not items:
        return None
    first = items[0]
    if isinstance(first, Line) and is_caption(first, page):
        return first
    return None


@dataclass(frozen=True)
class TableRun:
    """One stretch of a table on one page: header rule (if repeated), body rows, where it sits."""

    page: int
    header: bool
    rows: int
    at_top: bool        # the first thing on the page
    at_bottom: bool     # the last thing on the page


def table_runs(page: Page) -> list[TableRun]:
    """The tables (or parts of tables) on a page, read from their row borders."""
    rules = table_rules(page)
    lines = sorted(page.lines, key=lambda ln: ln.top)
    items = page.items
    runs: list[TableRun] = []
    used: set[int] = set()
    for i, rule in enumerate(rules):
        if i in used:
            continue
        if not any(ln.bottom <= rule.top + 0.5 for ln in lines):
            continue   # a rule with no row above it is no table border
        header = rule.width >= HEADER_RULE_MIN
        # rows continue while each next rule is reached through text that starts right under the previous rule
        count, j, current = (0 if header else 1), i, rule
        used.add(i)
        while j + 1 < len(rules):
            nxt = rules[j + 1]
            between = [ln for ln in lines if ln.top >= current.bottom - 0.5 and ln.bottom <= nxt.top + 0.5]
            if nxt.width >= HEADER_RULE_MIN or not between or between[0].top - current.bottom > ROW_GAP:
                break
            if any(is_heading(ln) for ln in between):
                break
            count += 1
            j += 1
            used.add(j)
            current = nxt
        # where the run starts: the header row's text, or the first row's text
        first_block = _block_above(rule, lines)
        start = first_block.top if first_block else rule.top
        at_top = not any(it.bottom <= start - 0.5 for it in items)
        at_bottom = not any(it.top >= current.bottom + 0.5 for it in items)
        runs.append(TableRun(page.number, header, count, at_top, at_bottom))
    return runs


def _block_above(rule: Shape, lines: list[Line]) -> Line | None:
    """The first line of the row that ends at ``rule`` (lines stacked without a gap above it)."""
    above = sorted((ln for ln in lines if ln.bottom <= rule.top + 0.5), key=lambda ln: ln.bottom, reverse=True)
    if not above or rule.top - above[0].bottom > ROW_GAP:
        return None
    first = above[0]
    for ln in above[1:]:
        if first.top - ln.bottom > 4:
            break
        first = ln
    return first


def lone_table_rows(pages: list[Page]) -> list[tuple[int, str]]:
    """(c) Pages where a table split across pages has a single body row: (page, how)."""
    found = []
    runs = {p.number: table_runs(p) for p in pages}
    for p in pages:
        prev = runs.get(p.number - 1, [])
        nxt = runs.get(p.number + 1, [])
        for run in runs[p.number]:
            if run.rows != 1:
                continue
            if run.at_top and prev and prev[-1].at_bottom:
                found.append((p.number, "a single body row carried over from the page before"))
            elif run.at_bottom and nxt and nxt[0].at_top:
                found.append((p.number, "a single body row left behind, the rest of its table on the next page"))
    return found


# ---- all together ------------------------------------------------------------------------------

def check_pages(pages: list[Page], name: str, cover: bool = True) -> list[Offence]:
    """Every offence in one document; the cover (page 1) is exempt, the last page only from (a)."""
    offences = []
    first = 2 if cover else 1
    body = [p for p in pages if p.number >= first]
    for p in body:
        if p.number != len(pages) and near_empty(p):
            offences.append(Offence(name, p.number, "a", f"{RULES['a'][0]}: content ends at {fill(p):.0%} "
                                    "of the body height", RULES["a"][1]))
        heading = stranded_heading(p)
        if heading is not None:
            offences.append(Offence(name, p.number, "b", f"{RULES['b'][0]}: {heading.text[:60]!r}", RULES["b"][1]))
        caption = separated_caption(p)
        if caption is not None:
            offences.append(Offence(name, p.number, "d", f"{RULES['d'][0]}: {caption.text[:60]!r} opens the page",
                                    RULES["d"][1]))
    for number, how in lone_table_rows(pages):
        if number >= first:
            offences.append(Offence(name, number, "c", f"{RULES['c'][0]}: {how}", RULES["c"][1]))
    return sorted(offences, key=lambda o: (o.page, o.rule))


def check_pdf(path: str | Path, margins=DEFAULT_MARGINS, cover: bool = True) -> list[Offence]:
    return check_pages(read_pages(path, margins), Path(path).name, cover)


def report(offences: list[Offence]) -> str:
    return "\n".join(str(o) for o in offences)
