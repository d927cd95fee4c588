"""The as-is / to-be operating model: the two organisations side by side and the links between them.

The links are data (``assessment/data/flows.yaml``, or a firm's own file of the same shape, see
:func:`load_flows`): the functions on each side, and per flow the checklist items that measure it,
its from- and to-function, its direction and its label. A link's score is the mean of its items'
scores in the facts (``scores.items``; n/a and unscored items left out), as-is for today and to-be
for the target, and the picture draws it by level (:func:`level_of`):

* **integrated** (3 or more): a solid line in the primary colour, labelled with its score;
* **ad hoc** (1 to under 3): a dashed amber line, labelled;
* **missing** (under 1): no line, a red "✕ ... missing" mark where it would run;
* **not assessed** (none of its items scored, e.g. a firm checklist without them): a grey mark.

One geometry (:func:`picture`, in points) is drawn twice: as native shapes and connectors on a slide
(:func:`draw_pptx`) and as an SVG string for the PDF (:func:`model_map_svg`), with every text
XML-escaped.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape, quoteattr

from ..errors import InvalidInput, Problem, show
from ..rules import PALETTE, AMBER, GREY, RED
from . import fit
from .fit import Box, Para, Run

INTEGRATED, AD_HOC, MISSING, NOT_ASSESSED = "integrated", "ad hoc", "missing", "not assessed"
LEVELS = (INTEGRATED, AD_HOC, MISSING, NOT_ASSESSED)
INTEGRATED_MIN = 3.0      # level 3 of the scale: "Defined & integrated"
AD_HOC_MIN = 1.0          # level 1: "Ad hoc"
SIDES = ("client", "provider")
DIRECTIONS = ("one-way", "two-way")
STATES = {"as_is": "Today", "to_be": "Target"}
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_ITEM = re.compile(r"^[A-Z]{2,5}-\d{2,3}$")
LEVEL_ROLE = {INTEGRATED: "primary", AD_HOC: PALETTE[AMBER], MISSING: PALETTE[RED], NOT_ASSESSED: PALETTE[GREY]}


# --------------------------------------------------------------------------- the data
@dataclass(frozen=True)
class Function:
    side: str
    id: str
    label: str


@dataclass(frozen=True)
class Flow:
    id: str
    label: str
    items: tuple[str, ...]
    source: tuple[str, str]          # (side, function id)
    target: tuple[str, str]
    two_way: bool = False


@dataclass(frozen=True)
class Flows:
    functions: dict[str, tuple[Function, ...]]       # side -> functions, top to bottom
    flows: tuple[Flow, ...]
    version: str = ""
    source: str = "flows.yaml"

    def row(self, side: str, fid: str) -> int:
        return next(i for i, f in enumerate(self.functions[side]) if f.id == fid)

    @property
    def items(self) -> set[str]:
        return {i for f in self.flows for i in f.items}


def load_flows(path: str | Path | None = None) -> Flows:
    """The built-in ``flows.yaml``, or a firm's own file of the same shape (validated; every problem at once)."""
    from ..yamlio import read_packaged_yaml, read_yaml, to_plain
    from ..resources import DATA

    if path:
        data, _ = read_yaml(path)
        return parse_flows(to_plain(data), str(path))
    builtin = DATA / "flows.yaml"
    data, _ = read_packaged_yaml(builtin)
    return parse_flows(data, str(builtin))


def _end(value: Any, field_: str, where: str, functions: dict, problems: list, src: str) -> tuple[str, str] | None:
    if not isinstance(value, str) or "." not in value:
        problems.append(Problem(src, f"{where}.{field_}", 'side.function, e.g. "client.product"', show(value)))
        return None
    side, _, fid = value.partition(".")
    if side not in SIDES or fid not in {f.id for f in functions.get(side, ())}:
        problems.append(Problem(src, f"{where}.{field_}", "a function declared under functions", show(value)))
        return None
    return side, fid


def parse_flows(data: Any, source: str = "flows.yaml") -> Flows:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidInput([Problem(source, "(top level)", "a mapping with functions and flows", show(data))])
    functions: dict[str, tuple[Function, ...]] = {}
    raw_fn = data.get("functions")
    if not isinstance(raw_fn, dict):
        problems.append(Problem(source, "functions", "a mapping with client and provider lists", show(raw_fn)))
        raw_fn = {}
    for side in SIDES:
        entries = raw_fn.get(side)
        if not isinstance(entries, list) or not entries or len(entries) > 12:
            problems.append(Problem(source, f"functions.{side}", "a list of 1-12 functions", show(entries)))
            functions[side] = ()
            continue
        seen, out = set(), []
        for n, e in enumerate(entries):
            where = f"functions.{side}[{n}]"
            if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not _ID.match(e["id"]) \
                    or not isinstance(e.get("label"), str) or not e["label"].strip():
                problems.append(Problem(source, where, "{id: lower-case id, label: text}", show(e)))
                continue
            if e["id"] in seen:
                problems.append(Problem(source, where, "a function id used once per side", show(e["id"])))
                continue
            seen.add(e["id"])
            out.append(Function(side, e["id"], e["label"].strip()))
        functions[side] = tuple(out)
    flows: list[Flow] = []
    raw = data.get("flows")
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(source, "flows", "a list of flows", show(raw)))
        raw = []
    ids = set()
    for n, f in enumerate(raw):
        where = f"flows[{n}]"
        if not isinstance(f, dict):
            problems.append(Problem(source, where, "a mapping", show(f)))
            continue
        fid, label, items = f.get("id"), f.get("label"), f.get("items")
        if not isinstance(fid, str) or not _ID.match(fid) or fid in ids:
            problems.append(Problem(source, f"{where}.id", "a unique lower-case id", show(fid)))
        else:
            ids.add(fid)
        if not isinstance(label, str) or not label.strip():
            problems.append(Problem(source, f"{where}.label", "the link's label as text", show(label)))
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and _ITEM.match(i) for i in items):
            problems.append(Problem(source, f"{where}.items", "a list of checklist item ids such as PEO-02", show(items)))
            items = []
        a = _end(f.get("from"), "from", where, functions, problems, source)
        b = _end(f.get("to"), "to", where, functions, problems, source)
        if a and b and a[0] == b[0]:
            problems.append(Problem(source, f"{where}.to", "a function on the other side than from", show(f.get("to"))))
        direction = f.get("direction", "one-way")
        if direction not in DIRECTIONS:
            problems.append(Problem(source, f"{where}.direction", "one-way or two-way", show(direction)))
        if a and b and isinstance(label, str) and items and isinstance(fid, str):
            flows.append(Flow(fid, label.strip(), tuple(items), a, b, direction == "two-way"))
    if problems:
        raise InvalidInput(problems)
    return Flows(functions, tuple(flows), str(data.get("version", "")), source)


# --------------------------------------------------------------------------- scores -> levels
@dataclass(frozen=True)
class LinkState:
    flow: Flow
    score: float | None
    level: str
    items: tuple[tuple[str, Any], ...]      # (item id, its score or None)

    @property
    def score_text(self) -> str:
        if self.score is None:
            return "n/a"
        return f"{self.score:.0f}" if float(self.score).is_integer() else f"{self.score:.1f}"


def level_of(score: float | None) -> str:
    if score is None:
        return NOT_ASSESSED
    if score >= INTEGRATED_MIN:
        return INTEGRATED
    if score >= AD_HOC_MIN:
        return AD_HOC
    return MISSING


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None


def link_states(facts: dict, flows: Flows, when: str = "as_is") -> list[LinkState]:
    """Each flow's score (the mean of its items' ``when`` scores) and level, from the facts alone."""
    items = {i.get("id"): i for i in (facts.get("scores") or {}).get("items") or [] if isinstance(i, dict)}
    out = []
    for f in flows.flows:
        found = tuple((iid, _number((items.get(iid) or {}).get(when))) for iid in f.items)
        scored = [s for _, s in found if s is not None]
        score = round(sum(scored) / len(scored), 1) if scored else None
        out.append(LinkState(f, score, level_of(score), found))
    return out


# --------------------------------------------------------------------------- the geometry (points)
@dataclass
class TextItem:
    x: float
    y: float
    w: float
    h: float
    paras: list[Para]
    kind: str                        # heading | name | function | label | legend
    fill: str | None = None          # colour role or "#RRGGBB"
    line: str | None = None
    anchor: str = "middle"
    insets: tuple[float, float, float, float] = (4.0, 4.0, 2.0, 2.0)
    data: dict = field(default_factory=dict)


@dataclass
class LineItem:
    x1: float
    y1: float
    x2: float
    y2: float
    role: str
    width: float
    dashed: bool
    head: bool                       # arrowhead at (x1, y1)
    tail: bool                       # arrowhead at (x2, y2)
    data: dict = field(default_factory=dict)


@dataclass
class Picture:
    x: float
    y: float
    w: float
    h: float
    texts: list[TextItem]
    lines: list[LineItem]
    states: list[LinkState]


def _fit_text(text: str, w: float, h: float, size: float, bold: bool, colour: str | None, align: str,
              insets, min_factor: float = 0.75, family: str | None = None) -> list[Para]:
    p = Para((Run(fit.clean(text), size, bold, colour=colour),), align=align)
    return fit.fit([p], Box(w, h, *insets), min_factor, family)


def _overlaps(a: tuple, b: tuple, pad: float = 1.0) -> bool:
    return not (a[0] + a[2] + pad <= b[0] or b[0] + b[2] + pad <= a[0] or a[1] + a[3] + pad <= b[1]
                or b[1] + b[3] + pad <= a[1])


def picture(facts: dict, flows: Flows, when: str, x: float, y: float, w: float, h: float,
            family: str | None = None, label_size: float = 8.5) -> Picture:
    """The map of ``when`` (as_is / to_be) laid out in the rectangle (x, y, w, h), in points."""
    states = link_states(facts, flows, when)
    texts: list[TextItem] = []
    lines: list[LineItem] = []
    heading_h = 20.0
    name_h = 26.0
    texts.append(TextItem(x, y, w, heading_h,
                          _fit_text(f"{STATES.get(when, when)} ({when.replace('_', '-')})", w, heading_h, 13, True,
                                    "ink", "center", (2, 2, 1, 1), family=family), "heading", anchor="middle",
                          insets=(2, 2, 1, 1)))
    cw = max(70.0, w * 0.26)
    gap_x0, gap_x1 = x + cw, x + w - cw
    names = {"client": ((facts.get("client") or {}).get("name") or "Client"),
             "provider": ((facts.get("outsourcer") or {}).get("name") or "Provider")}
    col_x = {"client": x, "provider": x + w - cw}
    top = y + heading_h + 2
    for side in SIDES:
        texts.append(TextItem(col_x[side], top, cw, name_h,
                              _fit_text(names[side], cw, name_h, 10, True, "primary" if side == "client" else "accent",
                                        "center", (2, 2, 1, 1), min_factor=0.8, family=family),
                              "name", anchor="bottom", insets=(2, 2, 1, 1), data={"side": side}))
    rows_top = top + name_h + 4
    rows = max(len(flows.functions["client"]), len(flows.functions["provider"]), 1)
    row_h = (y + h - rows_top) / rows
    box_h = min(row_h * 0.8, 52.0)
    boxes: dict[tuple[str, str], tuple[float, float, float, float]] = {}
    for side in SIDES:
        fns = flows.functions[side]
        for i, fn in enumerate(fns):
            by = rows_top + i * row_h + (row_h - box_h) / 2
            boxes[(side, fn.id)] = (col_x[side], by, cw, box_h)
            texts.append(TextItem(col_x[side], by, cw, box_h,
                                  _fit_text(fn.label, cw, box_h, 10, False, "ink", "center", (4, 4, 2, 2),
                                            min_factor=0.75, family=family),
                                  "function", fill="light", line="primary" if side == "client" else "accent",
                                  data={"side": side, "function": fn.id}))
    # anchor points: the links at each box spread down its edge, ordered by the other end's height
    ends: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for k, st in enumerate(states):
        c_end = st.flow.source if st.flow.source[0] == "client" else st.flow.target
        p_end = st.flow.target if c_end is st.flow.source else st.flow.source
        ends.setdefault(c_end, []).append((boxes[p_end][1], k))
        ends.setdefault(p_end, []).append((boxes[c_end][1], k))
    anchor: dict[tuple[int, str], float] = {}
    for key, lst in ends.items():
        lst.sort()
        bx = boxes[key]
        for j, (_, k) in enumerate(lst):
            anchor[(k, key[0])] = bx[1] + bx[3] * (j + 1) / (len(lst) + 1)
    placed = [b for b in boxes.values()]
    labels: list[tuple[float, float, float, float]] = []
    for k, st in enumerate(states):
        f = st.flow
        c_end = f.source if f.source[0] == "client" else f.target
        x1, y1 = gap_x0, anchor[(k, "client")]
        x2, y2 = gap_x1, anchor[(k, "provider")]
        forward = c_end is f.source               # the flow runs client -> provider
        role = LEVEL_ROLE[st.level]
        data = {"flow": f.id, "level": st.level, "score": st.score_text}
        if st.level in (INTEGRATED, AD_HOC):
            lines.append(LineItem(x1 + 2, y1, x2 - 2, y2, role, 2.25 if st.level == INTEGRATED else 1.5,
                                  st.level == AD_HOC, head=f.two_way or not forward, tail=f.two_way or forward,
                                  data=data))
        if st.level == MISSING:
            text_ = f"✕ {f.label}: missing"
        elif st.level == NOT_ASSESSED:
            text_ = f"{f.label}: not assessed"
        else:
            text_ = f"{f.label} · {st.score_text}"
        size = label_size
        max_w = (gap_x1 - gap_x0) - 16
        lw = min(max_w, fit.text_width(text_, size, st.level == INTEGRATED, family) + 8)
        lh = size * fit.LINE_SPACING + 3
        best = None
        for t in (0.5, 0.36, 0.64, 0.24, 0.76, 0.5):
            cx, cy = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
            rect = (cx - lw / 2, cy - lh / 2, lw, lh)
            if not any(_overlaps(rect, o) for o in labels) and not any(_overlaps(rect, b, 0) for b in placed):
                best = rect
                break
        if best is None:
            cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
            best = (cx - lw / 2, cy - lh / 2, lw, lh)
        labels.append(best)
        paras = _fit_text(text_, best[2], best[3], size, st.level == INTEGRATED, role, "center", (3, 3, 0, 0),
                          min_factor=0.85, family=family)
        texts.append(TextItem(best[0], best[1], best[2], best[3], paras, "label", fill="paper",
                              insets=(3, 3, 0, 0), data=data))
    return Picture(x, y, w, h, texts, lines, states)


def legend_items(x: float, y: float, w: float, h: float, family: str | None = None) -> tuple[list[TextItem], list[LineItem]]:
    """The key: what a solid line, a dashed line and a red mark mean."""
    entries = [(INTEGRATED, "Integrated (3 or more)"), (AD_HOC, "Ad hoc (1–2)"), (MISSING, "✕ Missing (0)")]
    texts, lines = [], []
    slot = w / len(entries)
    for i, (level, label) in enumerate(entries):
        sx = x + i * slot
        role = LEVEL_ROLE[level]
        if level != MISSING:
            lines.append(LineItem(sx + 4, y + h / 2, sx + 40, y + h / 2, role, 2.25 if level == INTEGRATED else 1.5,
                                  level == AD_HOC, False, True, data={"legend": level}))
        tx = sx + (44 if level != MISSING else 0)
        tw = slot - (44 if level != MISSING else 0) - 4
        texts.append(TextItem(tx, y, tw, h, _fit_text(label, tw, h, 10, False, role if level == MISSING else "ink",
                                                       "left", (2, 2, 0, 0), family=family),
                              "legend", anchor="middle", insets=(2, 2, 0, 0), data={"legend": level}))
    return texts, lines


# --------------------------------------------------------------------------- pptx
def draw_pptx(slide, pic: Picture, look, extra_texts: Sequence[TextItem] = (), extra_lines: Sequence[LineItem] = ()) -> None:
    """Native shapes: rectangles for functions, connectors for links (dashed for ad hoc), text boxes for labels."""
    from pptx.enum.dml import MSO_LINE_DASH_STYLE

    from . import draw
    from .look import Rect

    E = fit.emu
    for ln in list(pic.lines) + list(extra_lines):
        name = f"link {ln.data.get('flow')} {ln.data.get('level')}" if "flow" in ln.data else f"key {ln.data.get('legend')}"
        draw.connector(slide, E(ln.x1), E(ln.y1), E(ln.x2), E(ln.y2), look, ln.role, ln.width,
                       MSO_LINE_DASH_STYLE.DASH if ln.dashed else None, ln.head, ln.tail, name=name)
    for t in list(pic.texts) + list(extra_texts):
        rect = Rect(E(t.x), E(t.y), E(t.w), E(t.h))
        if t.kind == "function":
            shape = draw.rectangle(slide, rect, look, fill=t.fill, line=t.line, rounded=True,
                                   name=f"function {t.data.get('side')} {t.data.get('function')}")
            draw.write(shape.text_frame, t.paras, look, t.anchor, t.insets)
        else:
            shape = slide.shapes.add_textbox(rect.left, rect.top, rect.width, rect.height)
            shape.name = f"{t.kind} {t.data.get('flow', '')}".strip()
            if t.fill:
                shape.fill.solid()
                look.palette.apply(shape.fill.fore_color, t.fill)
            draw.write(shape.text_frame, t.paras, look, t.anchor, t.insets)


# --------------------------------------------------------------------------- SVG
def _colour(role: str, palette: dict[str, str]) -> str:
    return role if role.startswith("#") else palette.get(role, "#1F2933")


def _svg_text(t: TextItem, palette: dict[str, str], family: str) -> list[str]:
    out = []
    inner_w = t.w - t.insets[0] - t.insets[1]
    lines: list[tuple[str, float, bool, str, str]] = []
    for p in t.paras:
        for line in fit.wrap(p, inner_w, family):
            text_ = "".join(s for s, _ in line)
            run = line[0][1] if line else (p.runs[0] if p.runs else Run("", 10))
            lines.append((text_, run.size, run.bold, str(run.colour or "ink"), p.align))
    total = sum(s * fit.LINE_SPACING for _, s, _, _, _ in lines)
    if t.anchor == "top":
        y = t.y + t.insets[2]
    elif t.anchor == "bottom":
        y = t.y + t.h - t.insets[3] - total
    else:
        y = t.y + (t.h - total) / 2
    for text_, size, bold, colour, align in lines:
        y += size * fit.LINE_SPACING
        if align == "center":
            tx, anchor = t.x + t.w / 2, "middle"
        elif align == "right":
            tx, anchor = t.x + t.w - t.insets[1], "end"
        else:
            tx, anchor = t.x + t.insets[0], "start"
        base = y - size * (fit.LINE_SPACING - 1) / 2 - size * 0.22
        weight = ' font-weight="bold"' if bold else ""
        out.append(f'<text x="{tx:.1f}" y="{base:.1f}" font-size="{size:g}" text-anchor="{anchor}"{weight} '
                   f"fill={quoteattr(_colour(colour, palette))}>{escape(text_)}</text>")
    return out


def _arrow(x1: float, y1: float, x2: float, y2: float, colour: str, size: float = 7.0) -> str:
    """A filled triangle pointing at (x2, y2) along the line from (x1, y1)."""
    ang = math.atan2(y2 - y1, x2 - x1)
    bx, by = x2 - size * math.cos(ang), y2 - size * math.sin(ang)
    px, py = -math.sin(ang) * size * 0.45, math.cos(ang) * size * 0.45
    pts = [(x2, y2), (bx + px, by + py), (bx - px, by - py)]
    return f'<polygon points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in pts)}" fill={quoteattr(colour)}/>'


def _svg_line(ln: LineItem, palette: dict[str, str]) -> str:
    colour = _colour(ln.role, palette)
    attrs = " ".join(f"data-{k}={quoteattr(str(v))}" for k, v in ln.data.items())
    dash = ' stroke-dasharray="5 3"' if ln.dashed else ""
    parts = [f'<g class="link" {attrs}>',
             f'<line x1="{ln.x1:.1f}" y1="{ln.y1:.1f}" x2="{ln.x2:.1f}" y2="{ln.y2:.1f}" stroke={quoteattr(colour)} '
             f'stroke-width="{ln.width:g}"{dash}/>']
    if ln.tail:
        parts.append(_arrow(ln.x1, ln.y1, ln.x2, ln.y2, colour))
    if ln.head:
        parts.append(_arrow(ln.x2, ln.y2, ln.x1, ln.y1, colour))
    parts.append("</g>")
    return "".join(parts)


def model_map_svg(facts: dict, flows: Flows | None = None, width: float = 640.0, height: float = 380.0) -> str:
    """The as-is and to-be maps side by side with their key, as a standalone SVG string: a ``viewBox`` of
    ``width`` x ``height`` points and ``width="100%"``, so it scales to the box it is placed in (the text
    is laid out for the viewBox: at 180 mm wide, a portrait page's text width, its 8.5-point labels print at
    about 7 points). Every text from the facts or the flows file is XML-escaped; the SVG fetches nothing."""
    flows = flows or load_flows()
    family = fit.FAMILY
    brand = facts.get("branding") or {}
    palette = {"primary": _hex(brand.get("primary"), "#1F3A5F"), "accent": _hex(brand.get("accent"), "#2A9D8F"),
               "ink": "#1F2933", "muted": "#5F6B7A", "light": "#EEF2F6", "paper": "#FFFFFF", "rule": "#C9D2DC"}
    key_h = 22.0
    gap = 24.0
    pw = (width - gap) / 2
    pics = [picture(facts, flows, when, i * (pw + gap), 0, pw, height - key_h - 8, family)
            for i, when in enumerate(("as_is", "to_be"))]
    key_texts, key_lines = legend_items(width * 0.12, height - key_h, width * 0.76, key_h, family)
    client = (facts.get("client") or {}).get("name") or "the client"
    title = f"How {client} and its provider work together: today and target"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
           f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
           f'font-family="{family}, sans-serif" aria-label={quoteattr(fit.clean(title))}>',
           f"<title>{escape(fit.clean(title))}</title>"]
    for pic, when in zip(pics, ("as_is", "to_be")):
        out.append(f'<g class="map" data-state="{when}">')
        for ln in pic.lines:
            out.append(_svg_line(ln, palette))
        for t in pic.texts:
            attrs = " ".join(f"data-{k}={quoteattr(str(v))}" for k, v in t.data.items())
            out.append(f'<g class="{t.kind}" {attrs}>'.replace(" >", ">"))
            if t.fill or t.line:
                rx = ' rx="5"' if t.kind == "function" else ""
                stroke = f" stroke={quoteattr(_colour(t.line, palette))}" if t.line else ""
                out.append(f'<rect x="{t.x:.1f}" y="{t.y:.1f}" width="{t.w:.1f}" height="{t.h:.1f}"{rx} '
                           f'fill={quoteattr(_colour(t.fill or "paper", palette))}{stroke}/>')
            out.extend(_svg_text(t, palette, family))
            out.append("</g>")
        out.append("</g>")
    out.append('<g class="key">')
    for ln in key_lines:
        out.append(_svg_line(ln, palette))
    for t in key_texts:
        out.extend(_svg_text(t, palette, family))
    out.append("</g></svg>")
    return "\n".join(out)


def _hex(value: Any, default: str) -> str:
    return value if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value) else default


def describe(states: Sequence[LinkState]) -> list[str]:
    """One line per link for the speaker notes: label, level, score and the items behind it."""
    out = []
    for st in states:
        items = ", ".join(f"{i} {('n/a' if s is None else f'{s:g}')}" for i, s in st.items)
        out.append(f"{st.flow.label}: {st.level} ({st.score_text}; {items})")
    return out
