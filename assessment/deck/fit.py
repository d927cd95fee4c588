"""Text that fits its box: measured with the font's own metrics, then shrunk, shortened or carried over.

Every text box of the deck is laid out here before it is written, and :func:`overflows` reads a saved
deck back and measures every text frame (text boxes, placeholders, table cells) the same way, so a
test can check that no text runs past its box.

**The font.** The built-in look sets every run to :data:`FAMILY` (DejaVu Sans) and measures with the
same TrueType file through Pillow (``ImageFont``): the system's copy (found in the usual font folders)
or, failing that, the copy matplotlib ships (a dependency of the project), so measuring never depends
on what happens to be installed. A firm template keeps its theme font: it is measured with that font's
file when the machine has it (``fc-match``), else with DejaVu Sans, which is wider than the usual
presentation fonts (Calibri, Arial, Aptos), so the estimate errs on the safe side.

**The model.** A paragraph is a list of runs (text, size in points, bold, italic); a box has a width,
a height and insets. Lines break at spaces, as PowerPoint and LibreOffice do (a word wider than the
line breaks between characters); a line is :data:`LINE_SPACING` times its largest font size high;
widths are measured without kerning (PowerPoint does not kern body text by default) and padded by
:data:`WIDTH_SAFETY`. East Asian wide characters count at least one em (DejaVu has no CJK glyphs;
the renderer falls back to a font where they are one em wide).
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from PIL import ImageFont

FAMILY = "DejaVu Sans"
LINE_SPACING = 1.2        # a line is this many times its font size high (PowerPoint's single spacing)
WIDTH_SAFETY = 1.03       # measured widths are padded by 3 % (hinting, renderer differences)
REF_PX = 200              # fonts are measured at this pixel size and scaled (advances are linear)
EMU_PER_PT = 12700
EMU_PER_IN = 914400
ELLIPSIS = "…"

_FILES = {  # (bold, italic) -> DejaVu file name
    (False, False): "DejaVuSans.ttf", (True, False): "DejaVuSans-Bold.ttf",
    (False, True): "DejaVuSans-Oblique.ttf", (True, True): "DejaVuSans-BoldOblique.ttf",
}
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
              "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")
# Characters XML 1.0 cannot carry (python-pptx would refuse them): C0 controls but tab and newline.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object, newlines: bool = False) -> str:
    """Text safe for the deck: C0 control characters dropped, CRLF normalised; newlines become spaces
    unless ``newlines`` (a slide line is one paragraph; speaker notes keep the consultant's breaks)."""
    s = "" if text is None else str(text)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _XML_BAD.sub("", s)
    if not newlines:
        s = re.sub(r"\s*\n\s*", " ", s)
    return s


# --------------------------------------------------------------------------- fonts
def _mpl_font_dir() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf"
    return path if path.is_dir() else None


@functools.lru_cache(maxsize=None)
def dejavu_file(bold: bool = False, italic: bool = False) -> Path:
    """The DejaVu Sans TrueType file of this style: the system's, else matplotlib's copy."""
    name = _FILES[(bold, italic)]
    for folder in _FONT_DIRS:
        root = Path(os.path.expanduser(folder))
        if not root.is_dir():
            continue
        direct = root / "truetype" / "dejavu" / name
        if direct.is_file():
            return direct
        for found in root.rglob(name):
            return found
    mpl = _mpl_font_dir()
    if mpl is not None and (mpl / name).is_file():
        return mpl / name
    raise FileNotFoundError(f"{FAMILY} ({name}) is neither installed nor shipped with matplotlib")


@functools.lru_cache(maxsize=64)
def font_file(family: str | None, bold: bool = False, italic: bool = False) -> Path:
    """The TrueType file to measure ``family`` with: DejaVu Sans for itself, for no family and for a
    family this machine does not have (a conservative stand-in); else what fontconfig finds."""
    if not family or family.strip().lower() == FAMILY.lower() or family.startswith("+"):
        return dejavu_file(bold, italic)
    exe = shutil.which("fc-match")
    if exe:
        style = ":".join(s for s, on in (("bold", bold), ("italic", italic)) if on)
        pattern = f"{family}:{style}" if style else family
        try:
            out = subprocess.run([exe, "--format=%{family}|%{file}", pattern], capture_output=True, text=True,
                                 timeout=5, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        fams, _, file = out.partition("|")
        if file and family.lower() in [f.strip().lower() for f in fams.split(",")] and Path(file).is_file() \
                and Path(file).suffix.lower() in (".ttf", ".otf", ".ttc"):
            return Path(file)
    return dejavu_file(bold, italic)


class Face:
    """One font file, measured at :data:`REF_PX` and scaled to any size in points."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._font = ImageFont.truetype(str(path), REF_PX, layout_engine=ImageFont.Layout.BASIC)
        self._cache: dict[str, float] = {}

    def em(self, text: str) -> float:
        """Advance width of ``text`` in ems (no kerning), wide East Asian characters at least 1 em."""
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        width = self._font.getlength(text) / REF_PX
        wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))
        if wide:
            narrow = "".join(ch for ch in text if unicodedata.east_asian_width(ch) not in ("W", "F"))
            width = max(width, self._font.getlength(narrow) / REF_PX + wide)
        if len(self._cache) < 200_000:
            self._cache[text] = width
        return width

    def width(self, text: str, size: float) -> float:
        """Width in points at ``size`` points, with the safety pad."""
        return self.em(text) * size * WIDTH_SAFETY


@functools.lru_cache(maxsize=64)
def face(family: str | None = FAMILY, bold: bool = False, italic: bool = False) -> Face:
    return Face(font_file(family, bold, italic))


# --------------------------------------------------------------------------- the text model
@dataclass(frozen=True)
class Run:
    text: str
    size: float = 12.0                 # points
    bold: bool = False
    italic: bool = False
    colour: object = None              # a palette colour (the renderer's business; not measured)
    family: str | None = None          # None: the deck's font
    caps: bool = False                 # shown in capitals (a template's title style): measured in capitals


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    space_before: float = 0.0          # points
    space_after: float = 0.0
    align: str = "left"                # left | center | right
    bullet: str = ""                   # a hanging bullet character, "" for none
    indent: float = 0.0                # points: left margin of the text (the bullet hangs in it)
    line_spacing: float = 1.0          # multiple of single spacing

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def para(*runs: Run | str, size: float = 12.0, bold: bool = False, **kw) -> Para:
    """A paragraph from runs or plain strings (plain strings take ``size`` and ``bold``)."""
    rs = tuple(r if isinstance(r, Run) else Run(clean(r), size, bold) for r in runs)
    return Para(rs, **kw)


@dataclass(frozen=True)
class Box:
    width: float                       # points
    height: float
    inset_l: float = 7.2               # PowerPoint's defaults: 0.1 in left/right, 0.05 in top/bottom
    inset_r: float = 7.2
    inset_t: float = 3.6
    inset_b: float = 3.6
    wrap: bool = True

    @property
    def inner_w(self) -> float:
        return max(0.0, self.width - self.inset_l - self.inset_r)

    @property
    def inner_h(self) -> float:
        return max(0.0, self.height - self.inset_t - self.inset_b)


_BREAK = re.compile(r"(\s+)")


def _tokens(p: Para, family: str | None) -> list[tuple[str, Run]]:
    """Words and spaces of a paragraph with the run each belongs to ("\\v" is a forced line break)."""
    out: list[tuple[str, Run]] = []
    for r in p.runs:
        text = r.text.upper() if r.caps else r.text
        for part in _BREAK.split(text.replace("\n", "\v")):
            if not part:
                continue
            if "\v" in part:
                for i, piece in enumerate(part.split("\v")):
                    if i:
                        out.append(("\v", r))
                    if piece:
                        out.append((piece, r))
            else:
                out.append((part, r))
    return out


def _face_of(r: Run, family: str | None) -> Face:
    return face(r.family or family or FAMILY, r.bold, r.italic)


def wrap(p: Para, width: float, family: str | None = None, wrap_lines: bool = True) -> list[list[tuple[str, Run]]]:
    """Break a paragraph into lines no wider than ``width`` points; each line a list of (text, run)."""
    lines: list[list[tuple[str, Run]]] = [[]]
    used = 0.0
    first_width = width

    def avail() -> float:
        return first_width if len(lines) == 1 else width

    for text, r in _tokens(p, family):
        if text == "\v":
            lines.append([])
            used = 0.0
            continue
        f = _face_of(r, family)
        w = f.width(text, r.size)
        if text.isspace():
            if lines[-1]:
                lines[-1].append((text, r))
                used += w
            continue
        if not wrap_lines or used + w <= avail() or not lines[-1] and w <= avail():
            lines[-1].append((text, r))
            used += w
            continue
        if lines[-1]:                                  # drop trailing spaces, start a new line
            while lines[-1] and lines[-1][-1][0].isspace():
                lines[-1].pop()
            lines.append([])
            used = 0.0
        if w <= avail():
            lines[-1].append((text, r))
            used = w
            continue
        piece = ""                                     # a word wider than the line: break between characters
        for ch in text:
            cw = f.width(piece + ch, r.size)
            if piece and cw > avail():
                lines[-1].append((piece, r))
                lines.append([])
                piece = ch
            else:
                piece += ch
        lines[-1].append((piece, r))
        used = f.width(piece, r.size)
    for line in lines:
        while line and line[-1][0].isspace():
            line.pop()
    return lines


def line_width(line: list[tuple[str, Run]], family: str | None = None) -> float:
    return sum(_face_of(r, family).width(t, r.size) for t, r in line)


@functools.lru_cache(maxsize=50_000)
def para_height(p: Para, width: float, family: str | None = None, wrap_lines: bool = True) -> tuple[float, float]:
    """(height, widest line) of a paragraph set in ``width`` points (cached: the deck asks again and again)."""
    text_w = max(1.0, width - p.indent)
    lines = wrap(p, text_w, family, wrap_lines)
    sizes = [r.size for r in p.runs] or [12.0]
    h = 0.0
    widest = 0.0
    for line in lines:
        size = max((r.size for _, r in line), default=max(sizes))
        h += size * LINE_SPACING * p.line_spacing
        widest = max(widest, line_width(line, family) + p.indent)
    return h + p.space_before + p.space_after, widest


def measure(paras: Sequence[Para], box: Box, family: str | None = None) -> tuple[float, float]:
    """(height, widest line) the paragraphs need inside ``box`` (insets excluded)."""
    h = 0.0
    widest = 0.0
    for i, p in enumerate(paras):
        ph, pw = para_height(p, box.inner_w, family, box.wrap)
        if i == 0:
            ph -= p.space_before      # PowerPoint ignores space before the first paragraph of a frame
        h += ph
        widest = max(widest, pw)
    return h, widest


def fits(paras: Sequence[Para], box: Box, family: str | None = None) -> bool:
    h, w = measure(paras, box, family)
    return h <= box.inner_h + 0.01 and w <= box.inner_w + 0.01


def scaled(paras: Sequence[Para], factor: float) -> list[Para]:
    """Every run's size (and paragraph spacing) times ``factor``, rounded to half points."""
    def sz(v: float) -> float:
        return max(1.0, round(v * factor * 2) / 2)

    return [replace(p, runs=tuple(replace(r, size=sz(r.size)) for r in p.runs),
                    space_before=round(p.space_before * factor, 1), space_after=round(p.space_after * factor, 1),
                    indent=round(p.indent * factor, 1))
            for p in paras]


def shrink_to_fit(paras: Sequence[Para], box: Box, min_factor: float = 0.7, family: str | None = None,
                  step: float = 0.05) -> tuple[list[Para], bool]:
    """The paragraphs at the largest scale from 1.0 down to ``min_factor`` that fit; (at the smallest, False)."""
    factor = 1.0
    while True:
        trial = scaled(paras, factor) if factor < 1.0 else list(paras)
        if fits(trial, box, family):
            return trial, True
        if factor <= min_factor + 1e-9:
            return trial, False
        factor = max(min_factor, factor - step)


def _cut(text: str, keep: int) -> str:
    """``text`` cut to about ``keep`` characters at a word boundary, with an ellipsis."""
    if keep <= 0:
        return ELLIPSIS
    cut = text[:keep]
    space = cut.rfind(" ")
    if space > keep * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def shorten(paras: Sequence[Para], box: Box, family: str | None = None) -> list[Para]:
    """Cut the longest paragraphs (their last run first) with an ellipsis until the text fits; drop
    trailing paragraphs that cannot fit at all. Always returns text that fits (possibly nothing)."""
    out = list(paras)
    for _ in range(400):
        if fits(out, box, family) or not out:
            return out
        h, w = measure(out, box, family)
        # the paragraph to cut: the longest one; when one line is too wide without wrapping, that one
        i = max(range(len(out)), key=lambda k: len(out[k].text))
        p = out[i]
        runs = list(p.runs)
        j = max(range(len(runs)), key=lambda k: len(runs[k].text))
        text = runs[j].text.rstrip(ELLIPSIS)
        if len(text) <= 1 and len(p.text) <= 2:
            out.pop(i if i == len(out) - 1 else len(out) - 1)
            continue
        over = max(h / max(box.inner_h, 1), w / max(box.inner_w, 1), 1.05)
        keep = int(len(text) / over) if over < 2 else len(text) // 2
        keep = min(keep, len(text) - 1)
        runs[j] = replace(runs[j], text=_cut(text, keep))
        out[i] = replace(p, runs=tuple(runs))
    return out if fits(out, box, family) else []


def fit(paras: Sequence[Para], box: Box, min_factor: float = 0.7, family: str | None = None) -> list[Para]:
    """Shrink within limits (down to ``min_factor`` of the sizes asked for), then shorten."""
    trial, ok = shrink_to_fit(paras, box, min_factor, family)
    return trial if ok else shorten(trial, box, family)


def paginate(blocks: Sequence[Sequence[Para]], box: Box, family: str | None = None) -> list[list[int]]:
    """Indices of ``blocks`` per page, in order, each page filling ``box`` without splitting a block.
    A block taller than a page gets a page of its own (the caller shortens it)."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for i, block in enumerate(blocks):
        sizes = [para_height(p, box.inner_w, family, box.wrap) for p in block]
        h = sum(x for x, _ in sizes)
        first = block[0].space_before if block else 0.0     # not counted at the top of a page
        if pages[-1] and used + h > box.inner_h + 0.01:
            pages.append([])
            used = 0.0
        if not pages[-1]:
            h -= first
        pages[-1].append(i)
        used += h
    return [p for p in pages if p]


def wrap_text(text: str, size: float, width: float, bold: bool = False, family: str | None = None) -> list[str]:
    """Plain lines of ``text`` set at ``size`` in ``width`` points (for the SVG map)."""
    p = Para((Run(clean(text), size, bold),))
    return ["".join(t for t, _ in line) for line in wrap(p, width, family)]


def text_width(text: str, size: float, bold: bool = False, family: str | None = None) -> float:
    return face(family or FAMILY, bold, False).width(text, size)


# --------------------------------------------------------------------------- reading a saved deck back
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@dataclass
class Overflow:
    slide: int                      # 1-based
    shape: str
    text: str
    need_h: float
    have_h: float
    need_w: float
    have_w: float

    def __str__(self) -> str:
        return (f"slide {self.slide}, {self.shape}: needs {self.need_h:.1f} x {self.need_w:.1f} pt, "
                f"has {self.have_h:.1f} x {self.have_w:.1f} pt: {self.text[:60]!r}")


def _emu_attr(el, name: str, default: int) -> int:
    v = el.get(name) if el is not None else None
    return int(v) if v is not None else default


def _paras_from_txbody(txbody, theme_font: str | None) -> list[Para]:
    """The text model of an ``a:txBody`` / ``p:txBody``: sizes, bold, italic, spacing, indent."""
    paras = []
    for p in txbody.iter(f"{_A}p"):
        ppr = p.find(f"{_A}pPr")
        runs = []
        end = p.find(f"{_A}endParaRPr")
        for child in p:
            tag = child.tag
            if tag in (f"{_A}r", f"{_A}fld"):
                rpr = child.find(f"{_A}rPr")
                t = child.find(f"{_A}t")
                size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else 18.0
                bold = rpr is not None and rpr.get("b") in ("1", "true")
                italic = rpr is not None and rpr.get("i") in ("1", "true")
                latin = rpr.find(f"{_A}latin") if rpr is not None else None
                fam = latin.get("typeface") if latin is not None else theme_font
                caps = rpr is not None and rpr.get("cap") in ("all", "small")
                runs.append(Run(t.text or "" if t is not None else "", size, bold, italic, family=fam, caps=caps))
            elif tag == f"{_A}br":
                size = runs[-1].size if runs else 18.0
                runs.append(Run("\v", size))
        if not runs:
            size = int(end.get("sz")) / 100 if end is not None and end.get("sz") else 18.0
            runs = [Run("", size)]
        def pts(name: str) -> float:
            el = ppr.find(f"{_A}{name}/{_A}spcPts") if ppr is not None else None
            return int(el.get("val")) / 100 if el is not None else 0.0
        ln = ppr.find(f"{_A}lnSpc/{_A}spcPct") if ppr is not None else None
        spacing = int(ln.get("val")) / 100000 if ln is not None else 1.0
        mar = _emu_attr(ppr, "marL", 0) / EMU_PER_PT
        paras.append(Para(tuple(runs), pts("spcBef"), pts("spcAft"), indent=mar, line_spacing=spacing))
    return paras


def _box_of(body_pr, width_emu: int, height_emu: int, defaults=(91440, 91440, 45720, 45720)) -> Box:
    l = _emu_attr(body_pr, "lIns", defaults[0])
    r = _emu_attr(body_pr, "rIns", defaults[1])
    t = _emu_attr(body_pr, "tIns", defaults[2])
    b = _emu_attr(body_pr, "bIns", defaults[3])
    wrap_lines = body_pr is None or body_pr.get("wrap") != "none"
    return Box(width_emu / EMU_PER_PT, height_emu / EMU_PER_PT, l / EMU_PER_PT, r / EMU_PER_PT,
               t / EMU_PER_PT, b / EMU_PER_PT, wrap_lines)


def _check(paras, box, family, slide_no, name, found, empty_counts: bool = False):
    """``empty_counts``: an empty frame still takes a line (a table cell: its row grows to hold it)."""
    if not empty_counts and not any(p.text.strip() for p in paras):
        return
    h, w = measure(paras, box, family)
    if h > box.inner_h + 0.01 or w > box.inner_w + 0.01:
        found.append(Overflow(slide_no, name, " / ".join(p.text for p in paras), h, box.inner_h, w, box.inner_w))


def _shapes(shapes) -> Iterable:
    for sh in shapes:
        if sh.shape_type is not None and getattr(sh, "shapes", None) is not None and sh.shape_type == 6:  # group
            yield from _shapes(sh.shapes)
        else:
            yield sh


def frames(prs) -> Iterable[tuple[int, object]]:
    """(slide number, shape) for every shape of every slide, groups opened."""
    for n, slide in enumerate(prs.slides, 1):
        for sh in _shapes(slide.shapes):
            yield n, sh


def overflows(prs, family: str | None = None) -> list[Overflow]:
    """Every text frame of ``prs`` (text boxes, shapes, placeholders, table cells) whose text runs past
    its box by :func:`measure`. ``family``: the font of runs that name none (the deck's theme font)."""
    found: list[Overflow] = []
    for n, sh in frames(prs):
        if getattr(sh, "has_text_frame", False) and sh.has_text_frame:
            tx = sh.text_frame._txBody
            body_pr = tx.find(f"{_A}bodyPr")
            box = _box_of(body_pr, sh.width or 0, sh.height or 0)
            _check(_paras_from_txbody(tx, family), box, family, n, sh.name, found)
        if getattr(sh, "has_table", False) and sh.has_table:
            table = sh.table
            widths = [c.width for c in table.columns]
            for ri, row in enumerate(table.rows):
                for ci, cell in enumerate(row.cells):
                    if cell.is_spanned:
                        continue
                    w = sum(widths[ci:ci + cell.span_width])
                    h = sum(table.rows[k].height for k in range(ri, ri + cell.span_height))
                    tc = cell._tc
                    tcpr = tc.find(f"{_A}tcPr")
                    box = _box_of(None, w, h, (_emu_attr(tcpr, "marL", 91440), _emu_attr(tcpr, "marR", 91440),
                                               _emu_attr(tcpr, "marT", 45720), _emu_attr(tcpr, "marB", 45720)))
                    _check(_paras_from_txbody(tc.find(f"{_A}txBody"), family), box, family, n,
                           f"{sh.name} r{ri + 1}c{ci + 1}", found, empty_counts=True)
    return found


def slide_text(slide) -> str:
    """All the text of a slide's shapes and tables, one string (for tests and checks)."""
    parts = []
    for sh in _shapes(slide.shapes):
        if getattr(sh, "has_text_frame", False) and sh.has_text_frame:
            parts.append(sh.text_frame.text)
        if getattr(sh, "has_table", False) and sh.has_table:
            parts.extend(c.text for row in sh.table.rows for c in row.cells)
    return "\n".join(parts)


def pt(emu: int) -> float:
    return emu / EMU_PER_PT


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


__all__ = ["FAMILY", "Box", "Face", "Overflow", "Para", "Run", "clean", "face", "fit", "fits", "font_file",
           "measure", "overflows", "paginate", "para", "shorten", "shrink_to_fit", "slide_text", "wrap", "wrap_text"]
