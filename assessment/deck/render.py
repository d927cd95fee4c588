"""The readout as an editable deck, from the facts file alone: :func:`render_deck`.

The slides, in order (12 to 20 of them; optional ones only when the facts hold their data):

1. title;
2. the decision: the facts' own one-page summary when they hold one (``summary``: headline, findings,
   each side's causes, the decision with its date, recommendation and money), else the top decision's
   headline, else a headline chosen from the dates and numbers (an urgent renewal notice, a hand-off
   without slack, most KPIs missed, or the stance), with where the relationship stands and the dates ahead;
3. decisions in detail (when the facts hold ``decisions``);
4. the as-is / to-be operating model (:mod:`assessment.deck.model_map`);
5. as-is against to-be by dimension (chart);
6. one slide per dimension: keep doing, and the opportunities with their evidence (a continuation
   slide when they do not fit and the deck has room, else the rest named and in the notes);
7. the relationship in numbers: KPI trends against target (a chart per KPI), then opening hours
   against demand and the SLA chain;
8. the dates that force a decision (contract timeline, hand-off lead times);
9. the business case (when the facts hold ``business_case``; chart of the amounts a year);
10. the roadmap timeline: the workstreams when the facts hold them, else the highest-priority actions
    of the roadmap, with the renewal notice deadline and the hand-off as milestones;
11. risks (when the facts hold ``risks``);
12. next steps (the summary's steps with dates and owners when the facts hold them);
13. appendix: a section header and the checklist, item by item.

Every slide carries speaker notes with the evidence behind it: the numbers, the item ids and the
consultant's notes. Nothing is computed here beyond choosing, ordering and wording what the facts
hold (and counting days between two dates of the facts to place them on a timeline).
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Callable, Sequence

from pptx.util import Inches, Pt

from ..fileio import atomic_write_bytes
from ..rules import AMBER, GREEN, GREY, PALETTE, RED
from . import charts, draw, fit, model_map
from .fit import Para, Run
from .look import Look, Rect

MIN_SLIDES, MAX_SLIDES = 12, 20
RAG = {GREEN: PALETTE[GREEN], AMBER: PALETTE[AMBER], RED: PALETTE[RED], GREY: PALETTE[GREY], "grey": PALETTE[GREY]}
DIMENSION_ORDER = ("people", "process", "product", "technology")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SLA_LABEL = {"ok": "Backed", "under-capacity": "Short of capacity", "unbacked": "No IT service level",
             "availability": "Availability short", "unit-mismatch": "Cannot be compared"}
LEAD_LABEL = {"ok": "Fits", "tight": "No slack", "too late": "Too late"}
_SYMBOL = {"EUR": "€", "GBP": "£", "USD": "$"}
BODY = 14.0          # body text size (points); shrunk to at most MIN_FACTOR of it before anything is cut
MIN_FACTOR = 0.75
CONTINUE_FACTOR = 0.85   # opportunities that fit only below this scale go on to a second slide, when there is room
MAX_CONTINUATIONS = 2
MIN_CONTINUED = 4        # fewer opportunities left over than this are squeezed onto the slide instead


# --------------------------------------------------------------------------- words and numbers
def _date(iso: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(iso)[:10])
    except (TypeError, ValueError):
        return None


def day(iso: Any) -> str:
    """2 April 2027 (the text as given when it is not a date)."""
    d = _date(iso)
    return f"{d.day} {d:%B %Y}" if d else fit.clean(iso)


def short_day(iso: Any) -> str:
    d = _date(iso)
    return f"{d.day} {d:%b %Y}" if d else fit.clean(iso)


def month_name(month: Any) -> str:
    d = _date(f"{month}-01")
    return f"{d:%B %Y}" if d else fit.clean(month)


def num(v: Any, decimals: int = 1) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return "n/a"
    return f"{v:.{decimals}f}"


def score(v: Any) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return "n/a"
    return f"{v:g}"


def money(v: Any, currency: str | None) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return "n/a"
    cur = fit.clean(currency or "")
    text = f"{abs(v):,.0f}"
    sign = "−" if v < 0 else ""
    sym = _SYMBOL.get(cur)
    return f"{sign}{sym}{text}" if sym else f"{sign}{cur} {text}".strip()


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def listing(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _get(d: Any, *keys: str, default: Any = None) -> Any:
    for k in keys:
        if isinstance(d, dict) and d.get(k) not in (None, "", [], {}):
            return d[k]
    return default


def R(text: Any, size: float = BODY, bold: bool = False, colour: str | None = None, italic: bool = False) -> Run:
    return Run(fit.clean(text), size, bold, italic, colour)


def P(*runs: Run, before: float = 0.0, after: float = 0.0, bullet: str = "", indent: float = 0.0,
      align: str = "left") -> Para:
    return Para(tuple(runs), before, after, align, bullet, indent)


def bullet(*runs: Run, before: float = 6.0) -> Para:
    return P(*runs, before=before, bullet="•", indent=14.0)


def heading(text: str, size: float = 15.0, colour: str = "primary", before: float = 0.0) -> Para:
    return P(R(text, size, True, colour), before=before, after=2.0)


def headed(title: Para, blocks: list[list[Para]]) -> list[list[Para]]:
    """``blocks`` with ``title`` joined to the first, so a heading never stands alone at a column's foot."""
    return [[title] + blocks[0]] + blocks[1:] if blocks else []


# --------------------------------------------------------------------------- the deck
class Deck:
    """One deck being built: the facts, the look, the slide budget and the helpers every slide uses."""

    def __init__(self, facts: dict, look: Look, branding: Any = None) -> None:
        self.f = facts
        self.look = look
        self.prs = look.prs
        brand = facts.get("branding") or {}
        self.firm = fit.clean(getattr(branding, "firm", None) or brand.get("firm") or "")
        self.logo = getattr(branding, "logo_data_uri", None)
        self.client = fit.clean(_get(facts.get("client"), "name", default="the client"))
        self.provider = fit.clean(_get(facts.get("outsourcer"), "name", default="the provider"))
        self.as_of = fit.clean(facts.get("as_of") or _get(facts.get("assessment"), "date", default=""))
        self.items = {i.get("id"): i for i in (facts.get("scores") or {}).get("items") or [] if isinstance(i, dict)}
        self.dims = (facts.get("scores") or {}).get("dimensions") or {}
        self.flows = model_map.load_flows()
        self._dim_fit: dict[tuple[str, float], tuple] = {}

    # ------------------------------------------------------------------ slide frames
    def frame(self, kind: str) -> tuple[Rect | None, list[Rect]]:
        """The title rectangle and the body rectangles of a layout (from its placeholders)."""
        layout = self.look.layout(kind)
        title, bodies = None, []
        for ph in layout.placeholders:
            t = ph.placeholder_format.type
            name = str(t).split(".")[-1].split(" ")[0] if t is not None else ""
            rect = Rect(int(ph.left or 0), int(ph.top or 0), int(ph.width or 0), int(ph.height or 0))
            if name in ("TITLE", "CENTER_TITLE", "VERTICAL_TITLE"):
                title = rect
            elif name in ("DATE", "FOOTER", "SLIDE_NUMBER", "HEADER", "SLIDE_IMAGE"):
                continue
            elif rect.width > 0 and rect.height > 0:
                bodies.append(rect)
        W, H = self.look.width, self.look.height
        margin = int(W * 0.045)
        if title is None:
            title = Rect(margin, int(H * 0.04), W - 2 * margin, int(H * 0.13))
        bodies.sort(key=lambda r: (r.left, r.top))
        if kind == "two":
            bodies = sorted(sorted(bodies, key=lambda r: -r.width * r.height)[:2], key=lambda r: r.left)
        if not bodies:
            top = title.bottom + int(H * 0.03)
            bodies = [Rect(margin, top, W - 2 * margin, int(H * 0.92) - top)]
        if kind == "two" and len(bodies) == 1:
            bodies = bodies[0].split_h(1, 1, gap=int(Inches(0.3)))
        return title, bodies

    def content_rect(self) -> Rect:
        return self.frame("content")[1][0]

    def new(self, kind: str, title: str, notes: str, size: float = 26.0) -> tuple[Any, list[Rect]]:
        """A slide of layout ``kind`` with its title set and fitted; returns it and its body rectangles
        (the body placeholders removed)."""
        layout = self.look.layout(kind)
        slide = self.prs.slides.add_slide(layout)
        title_rect, bodies = self.frame(kind)
        ph_title = slide.shapes.title
        colour = "primary" if self.look.builtin and kind != "title" else None
        if self.look.builtin and kind == "title":
            colour = "paper"
        paras = [P(Run(fit.clean(title), size, self.look.builtin, colour=colour, caps=self.look.title_caps(kind)))]
        if ph_title is not None:
            ph_title.left, ph_title.top, ph_title.width, ph_title.height = (title_rect.left, title_rect.top,
                                                                            title_rect.width, title_rect.height)
            draw.text(slide, title_rect, paras, self.look, anchor="middle" if kind != "section" else "bottom",
                      min_factor=0.6, shape=ph_title)
        else:
            draw.text(slide, title_rect, paras, self.look, anchor="middle", min_factor=0.6, name="Title")
        keep = ph_title._element if ph_title is not None else None
        for ph in list(slide.placeholders):
            if ph._element is not keep:
                ph._element.getparent().remove(ph._element)
        draw.notes(slide, notes)
        if self.look.builtin and kind in ("content", "two"):
            bar = Rect(title_rect.left - int(Inches(0.22)), title_rect.top + int(title_rect.height * 0.22),
                       int(Inches(0.07)), int(title_rect.height * 0.56))
            draw.rectangle(slide, bar, self.look, fill="accent", name="accent bar")
        return slide, bodies

    def text(self, slide, rect: Rect, paras: Sequence[Para], anchor: str = "top", min_factor: float = MIN_FACTOR,
             **kw):
        return draw.text(slide, rect, paras, self.look, anchor=anchor, min_factor=min_factor, **kw)

    # ------------------------------------------------------------------ fitting lists of blocks
    def _capped(self, blocks: list[list[Para]], box: fit.Box, share: float = 0.5) -> list[list[Para]]:
        """Each block shortened to take at most ``share`` of the box at full size (a note of a page does not
        belong on a slide; the speaker notes keep it whole)."""
        part = fit.Box(box.width, box.inset_t + box.inset_b + box.inner_h * share, box.inset_l, box.inset_r,
                       box.inset_t, box.inset_b)
        fam = self.look.measure_font
        return [b if fit.fits(b, part, fam) else fit.shorten(b, part, fam) for b in blocks]

    def blocks_fit(self, rect: Rect, head: list[Para], blocks: list[list[Para]],
                   tail: Callable[[list[int]], list[Para]], min_factor: float = MIN_FACTOR) -> tuple[list[Para], list[int]]:
        """``head`` and as many ``blocks`` as fit in ``rect`` (shrinking down to ``min_factor``), then
        ``tail(rest)`` naming the blocks left out. Returns the paragraphs and the indices left out."""
        box = draw.box_for(rect)
        fam = self.look.measure_font
        blocks = self._capped(blocks, box)
        every = head + [p for b in blocks for p in b]
        trial, ok = fit.shrink_to_fit(every, box, min_factor, fam)
        if ok:
            return trial, []
        for k in range(len(blocks) - 1, -1, -1):
            rest = list(range(k, len(blocks)))
            paras = head + [p for b in blocks[:k] for p in b] + tail(rest)
            small = fit.scaled(paras, min_factor)
            if fit.fits(small, box, fam):
                return small, rest
        return fit.shorten(fit.scaled(head + tail(list(range(len(blocks)))), min_factor), box, fam), \
            list(range(len(blocks)))

    # ------------------------------------------------------------------ the slides
    def title_slide(self) -> None:
        a = self.f.get("assessment") or {}
        consultants = listing([fit.clean(c) for c in a.get("consultants") or []])
        notes = (f"Readout of the outsourcing assessment for {self.client} (provider: {self.provider}), "
                 f"as of {day(self.as_of)}. Consultants: {consultants or 'not named'}. "
                 f"Checklist: {_get(self.f.get('checklist'), 'name', default='')} "
                 f"{_get(self.f.get('checklist'), 'version', default='')}; "
                 f"{_get(self.f.get('checklist'), 'items', default='?')} items.")
        if self.look.builtin:
            slide = self.prs.slides.add_slide(self.look.layout("title"))
            W, H = self.look.width, self.look.height
            draw.rectangle(slide, Rect(0, 0, W, H), self.look, fill="primary", name="background")
            draw.rectangle(slide, Rect(int(Inches(0.8)), int(Inches(3.98)), int(Inches(1.6)), int(Inches(0.06))),
                           self.look, fill="accent", name="rule")
            # the background goes behind the placeholders
            tree = slide.shapes._spTree
            for k, sp in enumerate(list(tree)[-2:]):
                tree.remove(sp)
                tree.insert(2 + k, sp)
            title_rect, bodies = self.frame("title")
            ph = slide.shapes.title
            ph.left, ph.top, ph.width, ph.height = title_rect.left, title_rect.top, title_rect.width, title_rect.height
            draw.text(slide, title_rect, [P(R(self.client, 40, True, "paper"))], self.look, anchor="bottom",
                      min_factor=0.55, shape=ph)
            for p in list(slide.placeholders):
                if p.placeholder_format.idx != 0:
                    p._element.getparent().remove(p._element)
            sub_rect = bodies[0] if bodies else Rect(title_rect.left, title_rect.bottom, title_rect.width, int(Inches(1.6)))
            draw.notes(slide, notes)
            colour = "paper"
        else:
            slide, bodies = self.new("title", self.client, notes, size=40)
            sub_rect = bodies[0]
            colour = None
        lines = [P(R(f"Working with {self.provider}: how the partnership works today, and where it should go",
                     20, False, colour), after=8),
                 P(R(" · ".join(x for x in (day(self.as_of), consultants, self.firm) if x), 14, False, colour))]
        self.text(slide, sub_rect, lines, min_factor=0.6, name="Subtitle")
        if self.look.builtin and self.logo:
            self._logo(slide)

    def _logo(self, slide) -> None:
        m = re.match(r"data:image/(png|jpeg);base64,(.*)$", self.logo or "", re.S)
        if not m:
            return          # an SVG logo cannot go into a deck; the firm's name stands instead
        try:
            blob = base64.b64decode(m.group(2))
            pic = slide.shapes.add_picture(io.BytesIO(blob), self.look.width - int(Inches(2.6)), int(Inches(0.5)),
                                           height=int(Inches(0.8)))
            if pic.width > int(Inches(2.2)):
                ratio = int(Inches(2.2)) / pic.width
                pic.width, pic.height = int(Inches(2.2)), int(pic.height * ratio)
            pic.name = "logo"
        except Exception:   # a logo that is not a readable image: the deck goes out without it
            return

    # ..................................................................... the decision
    def headline(self) -> tuple[str, str]:
        """(title, kicker): the one message of the summary, decided by the facts in a fixed order."""
        f = self.f
        overall = (f.get("scores") or {}).get("overall") or {}
        stance = fit.clean(overall.get("stance") or "")
        stance_line = (f"{self.client} works with {self.provider} as {stance}" if stance
                       else f"{self.client} and {self.provider}")
        scores_line = f"Overall {num(overall.get('as_is'))} of 5 today, against a target of {num(overall.get('to_be'))}."
        decisions = [d for d in f.get("decisions") or [] if isinstance(d, dict)]
        renewal = (f.get("contract") or {}).get("renewal") or {}
        kpis = f.get("kpis") or {}
        red = (kpis.get("counts") or {}).get("red", 0) or 0
        n = len(kpis.get("entries") or [])
        handoff_risk = [h for h in (f.get("contract") or {}).get("handoff") or [] if h.get("status") in ("tight", "too late")]
        days_left = renewal.get("days_left")
        if decisions:
            top = decisions[0]
            return fit.clean(_get(top, "headline", "title", default="The decision")), f"{stance_line}. {scores_line}"
        if renewal.get("alert") and renewal.get("deadline"):
            if isinstance(days_left, int) and days_left < 0:
                t = f"The renewal notice deadline passed on {day(renewal['deadline'])}"
            else:
                t = f"Renewal notice due by {day(renewal['deadline'])}: {plural(days_left or 0, 'day')} after the assessment"
            return t, f"{stance_line}. {scores_line}"
        if (f.get("contract") or {}).get("hand_off_pending") and handoff_risk:
            hd = (f.get("contract") or {}).get("hand_off_date")
            return (f"The hand-off on {day(hd)} leaves no slack: {plural(len(handoff_risk), 'lead time')} of "
                    f"{len((f.get('contract') or {}).get('handoff') or [])} at risk", f"{stance_line}. {scores_line}")
        if n and red * 2 >= n:
            share = f"All {n}" if red == n else f"{red} of {n}"
            t = f"{share} KPIs missed target in {month_name(kpis.get('month'))}"
            if isinstance(days_left, int) and 0 <= days_left <= 365 and renewal.get("deadline"):
                t += f", with the renewal notice due by {day(renewal['deadline'])}"
            return t, f"{stance_line}. {scores_line}"
        return stance_line, scores_line

    def standing(self) -> list[tuple[list[Run], str]]:
        """Where the relationship stands: (runs, evidence for the notes), most telling first."""
        f = self.f
        out: list[tuple[list[Run], str]] = []
        kpis = f.get("kpis") or {}
        entries = kpis.get("entries") or []
        if entries:
            red = (kpis.get("counts") or {}).get("red", 0)
            share = f"All {red}" if red == len(entries) and red > 1 else f"{red} of {len(entries)}"
            text = f"{share} KPIs missed target in {month_name(kpis.get('month'))}"
            series = {s.get("kpi"): s for s in kpis.get("series") or []}
            sl = series.get("service_level")
            extra = ""
            if sl and sl.get("actual") and len(sl["actual"]) > 1 and sl["actual"][0] is not None:
                unit = sl.get("unit") or ""
                extra = (f"; service level {score(sl['actual'][0])}{unit} in {month_name(sl['months'][0])}, "
                         f"{sl.get('last_text')} in {month_name(sl['months'][-1])} (target {score(sl.get('target'))}{unit})")
            over = [e for e in entries if e.get("kpi") == "service_level" and e.get("deep_dive") == "over"]
            if over:
                extra += "; service level far above target: a possible over-staffing cost"
            out.append(([R(text, bold=True), R(extra)], "; ".join(kpis.get("dives") or [])))
        bad = [s for s in f.get("slas") or [] if not s.get("ok")]
        if bad:
            first = fit.clean(bad[0].get("sentence"))
            more = f" (and {plural(len(bad) - 1, 'more business service level')})" if len(bad) > 1 else ""
            out.append(([R("IT backing: ", bold=True), R(first + more)], " ".join(s.get("sentence", "") for s in bad)))
        elif f.get("slas"):
            out.append(([R("IT backing: ", bold=True), R("every business service level is backed by IT.")], ""))
        cov = f.get("coverage") or {}
        decided = coverage_decision(f)
        if cov and decided:   # the decision weighs the service level inside today's hours too
            out.append(([R("Opening hours: ", bold=True), R(fit.clean(decided.get("headline")) + ".")],
                        " ".join(cov.get("recommendations") or [])))
        elif cov:
            out.append(([R("Opening hours: ", bold=True),
                         R(f"{num(cov.get('off_hours_pct'))}% of contact attempts fall outside them; the data says "
                           f"{fit.clean(cov.get('action'))} the window.")],
                        " ".join(cov.get("recommendations") or [])))
        widest = (f.get("scores") or {}).get("widest") or {}
        wd = [self.dims.get(d) or {} for d in widest.get("dimensions") or []]
        if wd:
            parts = "; ".join(f"{fit.clean(d.get('title'))}, {num(d.get('as_is'))} today against {num(d.get('to_be'))}"
                              for d in wd)
            out.append(([R("Widest gap: ", bold=True), R(f"{parts}.")], ""))
        keep = [self.items.get(x.get("id")) or {} for x in f.get("findings") or [] if x.get("kind") == "keep doing"]
        if keep:
            titles = listing([fit.clean(k.get("title")) for k in keep[:3]])
            more = f" and {len(keep) - 3} more" if len(keep) > 3 else ""
            out.append(([R("Keep doing: ", bold=True), R(f"{titles}{more}.")],
                        ", ".join(f"{k.get('id')} ({score(k.get('as_is'))})" for k in keep)))
        return out

    def dates(self) -> list[tuple[list[Run], str]]:
        """The decisions and dates ahead (the decisions when the facts hold them, else the contract's dates),
        soonest first."""
        f = self.f
        out: list[tuple[str, list[Run], str]] = []
        for d in [d for d in f.get("decisions") or [] if isinstance(d, dict)][:4]:
            when = _get(d, "decide_by", "deadline")
            head = f"By {day(when)}: " if when else ""
            out.append((str(when or "9999"), [R(head, bold=True, colour="primary"), R(_get(d, "title", default=""), bold=True),
                         R(" " + fit.clean(_get(d, "recommendation", default="")))],
                        fit.clean(_get(d, "stakes_text", default=""))))
        c = f.get("contract") or {}
        renewal = c.get("renewal") or {}
        if renewal.get("deadline") and not any(_get(d, "kind") == "renewal" for d in f.get("decisions") or []):
            dl = renewal.get("days_left")
            when = (f"{plural(abs(dl), 'day')} before the assessment" if isinstance(dl, int) and dl < 0
                    else f"{plural(dl, 'day')} after the assessment" if isinstance(dl, int) else "")
            follow = (f"Without notice the agreement renews on {day(renewal.get('date'))}." if renewal.get("auto_renewal")
                      else f"The agreement ends on {day(renewal.get('date'))} unless renewed.")
            out.append((str(renewal["deadline"]), [R(f"{day(renewal['deadline'])}: ", bold=True, colour="primary"),
                         R("the renewal decision ", bold=True),
                         R(f"(notice deadline, {when}; {renewal.get('notice_days')} days' notice). {follow}")],
                        f"Renewal status: {renewal.get('status')}, {renewal.get('days_left')} days left."))
        if c.get("hand_off_pending") and c.get("hand_off_date"):
            risky = [h for h in c.get("handoff") or [] if h.get("status") in ("tight", "too late")]
            detail = "; ".join(f"{fit.clean(h.get('label'))}: {LEAD_LABEL.get(h.get('status'), h.get('status'))} "
                               f"({h.get('need')} needed, {h.get('days_available')} days left)" for h in risky)
            out.append((str(c["hand_off_date"]), [R(f"{day(c['hand_off_date'])}: ", bold=True, colour="primary"),
                         R("the hand-off ", bold=True),
                         R(f"({plural(c.get('hand_off_days') or 0, 'day')} after the assessment). "
                           + (detail + "." if detail else "Every lead time fits."))],
                        " ".join(h.get("sentence", "") for h in c.get("handoff") or [])))
        out.sort(key=lambda x: x[0])
        return [(runs, ev) for _, runs, ev in out]

    def side_name(self, side: Any) -> str:
        return {"client": self.client, "provider": self.provider, "joint": "Both sides"}.get(str(side or ""), "")

    def fitted_sentences(self, rect: Rect, before: list[Para], text: str, make: Callable[[str], Para],
                         after: list[Para], min_factor: float = 0.9) -> list[Para]:
        """``before``, as many whole sentences of ``text`` as fit (at least the first), then ``after`` when it
        still fits: a summary never ends mid-sentence on an ellipsis it could avoid."""
        box = draw.box_for(rect)
        fam = self.look.measure_font
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9£€$])", fit.clean(text).strip())
        for tail in (after, []):
            for n in range(len(sentences), 0, -1):
                paras = before + [make(" ".join(sentences[:n]))] + tail
                trial, ok = fit.shrink_to_fit(paras, box, min_factor, fam)
                if ok:
                    return paras
        return before + [make(sentences[0])]

    def summary_from_facts(self, s: dict) -> None:
        """The one-page summary the facts already wrote (``summary``): headline, findings, both sides' causes,
        the decision with its date, recommendation and money."""
        f = self.f
        overall = (f.get("scores") or {}).get("overall") or {}
        stance = fit.clean(overall.get("stance") or "")
        kicker = (f"{self.client} works with {self.provider} as {stance}. " if stance else "") + \
            f"Overall {num(overall.get('as_is'))} of 5 today, against a target of {num(overall.get('to_be'))}."
        findings = [x for x in s.get("findings") or [] if isinstance(x, dict) and x.get("text")]
        causes = [x for x in s.get("causes") or [] if isinstance(x, dict) and x.get("text")]
        money = [x for x in s.get("money_lines") or [] if isinstance(x, dict) and x.get("text")]
        notes = [f"Headline: {fit.clean(s.get('headline'))}", kicker, "", "Findings:"]
        notes += [f"- {fit.clean(x.get('text'))} (source: {fit.clean(x.get('source'))}; side: {x.get('side') or '-'})"
                  for x in findings]
        notes += ["", "Causes on both sides:"]
        notes += [f"- {self.side_name(c.get('side'))}: {fit.clean(c.get('text'))}"
                  + (f" ({c.get('item')}, scored {c.get('score')})" if c.get("item") else "")
                  + (f". {fit.clean(c.get('note'))}" if c.get("note") else "") for c in causes]
        notes += ["", f"Decision ({s.get('kind')}), {fit.clean(s.get('date_label'))} {s.get('date')}: "
                      f"{fit.clean(s.get('recommendation'))}", fit.clean(s.get("money"))]
        slide, (left, right) = self.new("two", fit.clean(s.get("headline")), "\n".join(notes))
        k_rect, left = left.take_top(int(Inches(0.55)), gap=int(Inches(0.08)))
        k_rect = Rect(k_rect.left, k_rect.top, right.right - k_rect.left, k_rect.height)
        right = Rect(right.left, left.top, right.width, left.height)
        self.text(slide, k_rect, [P(R(kicker, 15, False, "muted"))], anchor="middle", name="Kicker")

        def tagged(x: dict, size: float = 13) -> Para:
            who = self.side_name(x.get("side"))
            runs = [R(f"{who}: ", size, True, "accent" if x.get("side") == "client" else "primary")] if who else []
            runs.append(R(x.get("text"), size))
            if x.get("item"):
                runs.append(R(f" ({x['item']}, scored {x.get('score')})", size - 1, False, "muted"))
            return bullet(*runs, before=4)

        blocks = headed(heading("What we found", 14), [[tagged(x)] for x in findings])
        if causes:
            why: list[list[Para]] = []
            for side in ("client", "provider", "joint", ""):
                mine = [c for c in causes if (c.get("side") or "") == side]
                if not mine:
                    continue
                who = self.side_name(side) or "Other"
                runs = [R(f"{who}: ", 12, True, "accent" if side == "client" else "primary")]
                for k, c in enumerate(mine):
                    text_ = fit.clean(c.get("text"))
                    runs.append(R(("; " if k else "") + (text_[:1].lower() + text_[1:] if k else text_), 12))
                    if c.get("item"):
                        runs.append(R(f" ({c['item']})", 11, False, "muted"))
                why.append([bullet(*runs, before=4)])
            blocks += headed(heading("Why: each side's part", 14, before=8), why)
        paras, _ = self.blocks_fit(left, [], blocks, lambda rest: [], min_factor=0.85)
        self.text(slide, left, paras, name="Findings")
        when = P(R(day(s.get("date")) if s.get("date") else "", 15, True, "primary"),
                 R(f"  {fit.clean(s.get('date_label'))}" if s.get("date_label") else "", 12, False, "muted"), after=4)
        after = [heading("What is at stake", 13, before=8)] if money else []
        after += [bullet(R(f"{fit.clean(m.get('text'))} {fit.clean(m.get('period'))}: ", 12, True),
                         R(m.get("label"), 12), before=3) for m in money]
        paras = self.fitted_sentences(right, [heading("The decision", 14), when], s.get("recommendation") or "",
                                      lambda t: P(R(t, 13)), after)
        self.text(slide, right, paras, name="Decision", fill="light")

    def summary_slide(self) -> None:
        s = self.f.get("summary")
        if isinstance(s, dict) and s.get("headline") and (s.get("findings") or s.get("recommendation")):
            return self.summary_from_facts(s)
        title, kicker = self.headline()
        standing = self.standing()
        dates = self.dates()
        f = self.f
        notes = [f"Headline: {title}.", kicker, "", "Where the relationship stands:"]
        notes += [f"- {''.join(r.text for r in runs)} {('Evidence: ' + ev) if ev else ''}" for runs, ev in standing]
        notes += ["", "Decisions and dates:"]
        notes += [f"- {''.join(r.text for r in runs)} {ev}" for runs, ev in dates]
        checks = (f.get("numbers") or {}).get("cross_checks") or []
        if checks:
            notes += ["", "The numbers against the scores:"] + [f"- {c.get('sentence')}" for c in checks]
        ev = f.get("evidence") or {}
        notes += ["", f"Evidence behind the scores: {ev.get('documented')} documented, {ev.get('observed')} observed, "
                      f"{ev.get('interview')} from interviews only, of {ev.get('answered')} answered."]
        slide, (left, right) = self.new("two", title, "\n".join(notes))
        k_rect, left = left.take_top(int(Inches(0.55)), gap=int(Inches(0.08)))
        k_rect = Rect(k_rect.left, k_rect.top, right.right - k_rect.left, k_rect.height)
        right = Rect(right.left, left.top, right.width, left.height)
        self.text(slide, k_rect, [P(R(kicker, 16, False, "muted"))], anchor="middle", name="Kicker")
        body = [heading("Where the relationship stands")]
        body += [bullet(*runs) for runs, _ in standing] or [bullet(R("The scores below are all the readout holds."))]
        self.text(slide, left, body, name="Standing")
        side = [heading("Decisions and dates ahead")]
        side += [bullet(*runs) for runs, _ in dates] or [bullet(R("No contract date falls due in the next twelve months."))]
        horizons = (f.get("roadmap") or {}).get("horizons") or []
        if horizons and horizons[0].get("actions"):
            first = horizons[0]
            side.append(heading(f"To start in the first {fit.clean(first.get('name')).replace('0-', '')}", 13,
                                before=10))
            side += [bullet(R(f"{(self.items.get(i) or {}).get('title') or i} ", 12), R(str(i), 11, False, "muted"),
                            before=2) for i in first["actions"]]
        self.text(slide, right, side, name="Dates", fill="light")

    def decisions_slide(self) -> None:
        """The top decision in full (recommendation, why, the client's part; its options side by side), the
        others named with their dates."""
        decisions = [d for d in self.f.get("decisions") or [] if isinstance(d, dict)]
        top = decisions[0]
        notes = []
        for d in decisions:
            notes.append(f"{fit.clean(d.get('title'))} (rank {d.get('rank')}, urgency {d.get('urgency')}, decide by "
                         f"{d.get('decide_by')}, {fit.clean(d.get('deadline_label'))} {d.get('deadline')}, at stake "
                         f"{fit.clean(d.get('stakes_text'))}): {fit.clean(d.get('recommendation'))}")
            for o in d.get("options") or []:
                if isinstance(o, dict):
                    notes.append(f"  option {fit.clean(o.get('label'))}: {fit.clean(o.get('consequence'))}")
            for e in d.get("evidence") or []:
                if isinstance(e, dict):
                    notes.append(f"  evidence ({fit.clean(e.get('source'))}{', ' + e['side'] if e.get('side') else ''}): "
                                 f"{fit.clean(e.get('text'))}")
            for st in d.get("critical_path") or []:
                if isinstance(st, dict):
                    notes.append(f"  critical path: {fit.clean(st.get('work'))} from {st.get('start')}, ready "
                                 f"{st.get('ready_lo')} to {st.get('ready_hi')}, slack {st.get('slack_days')} days")
        slide, (left, right) = self.new("two", "The decision, its options and the one we recommend", "\n".join(notes))
        opts = [o for o in top.get("options") or [] if isinstance(o, dict)]
        rec = top.get("recommended")
        chosen = next((o for o in opts if o.get("key") == rec), None)
        meta = " · ".join(x for x in (
            f"Decide by {day(top['decide_by'])}" if top.get("decide_by") else "",
            f"{fit.clean(top.get('deadline_label')).capitalize()} {day(top['deadline'])}" if top.get("deadline") else "",
            f"at stake {fit.clean(top.get('stakes_text'))}" if top.get("stakes_text") else "") if x)
        label = _get(top, "recommended_label") or (chosen or {}).get("label")
        head = [P(R(_get(top, "title", default="The decision"), 17, True, "primary")),
                P(R(meta, 12, False, "muted"), after=4)]
        if label:
            head.append(P(R("We recommend: ", BODY, True), R(f"{fit.clean(label)}.", BODY, True), before=4))
        head = self.fitted_sentences(Rect(left.left, left.top, left.width, int(left.height * 0.6)), head,
                                     top.get("recommendation") or "", lambda t: P(R(t, 13), before=3), [])
        blocks: list[list[Para]] = []
        evidence = [e for e in top.get("evidence") or [] if isinstance(e, dict) and e.get("text")]
        blocks += headed(heading("Why", 14, before=8), [[bullet(R(e.get("text"), 12), before=3)] for e in evidence])
        blocks += headed(heading(f"{self.client}'s own part", 14, before=8),
                         [[bullet(R(x, 12), before=3)] for x in top.get("client_part") or []])
        paras, _ = self.blocks_fit(left, head, blocks, lambda rest: [], min_factor=0.85)
        self.text(slide, left, paras, name="Decision")
        others = decisions[1:]
        table_rect, rest = right.take_top(int(right.height * (0.62 if others else 1.0)), gap=int(Inches(0.2)))
        if opts:
            rows = [["Option", "What follows"]] + [
                [("✓ " if o is chosen else "") + fit.clean(o.get("label")), fit.clean(o.get("consequence"))] for o in opts]
            colours = {0: ["primary" if o is chosen else None for o in opts]}
            gf = self.table(slide, table_rect, rows, [2.0, 3.6], size=13, colours=colours, name="Options",
                            fill_height=False)
            below = gf.top + gf.height + int(Inches(0.25))
            if below < rest.top:
                rest = Rect(rest.left, below, rest.width, right.bottom - below)
        if others:
            ps = [heading("Also to decide", 14)]
            for d in others[:4]:
                when = _get(d, "decide_by", "deadline")
                ps.append(bullet(R(f"{short_day(when)}: " if when else "", 13, True, "primary"),
                                 R(_get(d, "title", default=""), 13), before=3))
            self.text(slide, rest, ps, name="Also to decide")

    # ..................................................................... the operating model
    def model_slide(self) -> None:
        fam = self.look.measure_font
        lines = ["How to read the map: each line is a link the checklist measures, scored as the mean of its "
                 "items (as-is on the left, to-be on the right). Solid: integrated (3 or more). Dashed: ad hoc "
                 "(1 to under 3). A red cross: missing (under 1).", ""]
        for when in ("as_is", "to_be"):
            lines.append(f"{model_map.STATES[when]}:")
            lines += [f"- {x}" for x in model_map.describe(model_map.link_states(self.f, self.flows, when))]
        slide, (left, right) = self.new("two", "How the two organisations connect: today and the target",
                                        "\n".join(lines))
        key_h = int(Inches(0.34))
        left, key_l = left.take_bottom(key_h, gap=int(Inches(0.08)))
        right, _ = right.take_bottom(key_h, gap=int(Inches(0.08)))
        for rect, when in ((left, "as_is"), (right, "to_be")):
            pic = model_map.picture(self.f, self.flows, when, fit.pt(rect.left), fit.pt(rect.top), fit.pt(rect.width),
                                    fit.pt(rect.height), fam)
            model_map.draw_pptx(slide, pic, self.look)
        kx, kw = fit.pt(left.left) + fit.pt(right.right - left.left) * 0.15, fit.pt(right.right - left.left) * 0.7
        texts, key_lines = model_map.legend_items(kx, fit.pt(key_l.top), kw, fit.pt(key_h), fam)
        model_map.draw_pptx(slide, model_map.Picture(0, 0, 0, 0, [], [], []), self.look, texts, key_lines)

    # ..................................................................... scores
    def scores_slide(self) -> None:
        dims = [d for d in DIMENSION_ORDER if d in self.dims] + [d for d in self.dims if d not in DIMENSION_ORDER]
        overall = (self.f.get("scores") or {}).get("overall") or {}
        cats = [fit.clean(self.dims[d].get("title") or d) for d in dims] + ["Overall"]
        as_is = [self.dims[d].get("as_is") for d in dims] + [overall.get("as_is")]
        to_be = [self.dims[d].get("to_be") for d in dims] + [overall.get("to_be")]
        ev = self.f.get("evidence") or {}
        notes = [f"{c}: as-is {num(a)}, to-be {num(b)}" for c, a, b in zip(cats, as_is, to_be)]
        notes += [f"{fit.clean(self.dims[d].get('title'))}: {self.dims[d].get('items_scored')} of "
                  f"{self.dims[d].get('items_total')} items scored, {self.dims[d].get('items_na')} n/a" for d in dims]
        notes.append("Scale: 0 absent, 1 ad hoc, 2 repeatable, 3 defined and integrated, 4 measured, 5 optimising "
                     "partnership. A dimension's score is the weighted mean of its items; overall is the mean of the "
                     "four dimensions.")
        slide, (rect,) = self.new("content", f"As-is against to-be: {num(overall.get('as_is'))} today, "
                                             f"{num(overall.get('to_be'))} the target", "\n".join(notes))
        chart_rect, side = rect.split_h(2.1, 1, gap=int(Inches(0.3)))
        charts.bars_by_dimension(slide, chart_rect, self.look, cats, as_is, to_be).name = "chart scores"
        paras = [heading("The gap by dimension")]
        for c, a, b, d in zip(cats, as_is, to_be, dims + ["overall"]):
            gap = (self.dims.get(d) or overall).get("gap")
            paras.append(bullet(R(f"{c}: ", bold=True), R(f"{num(a)} → {num(b)} (gap {num(gap)})")))
        strength = fit.clean(ev.get("strength") or "")
        paras.append(P(R("Evidence: ", 12, True, "muted"),
                       R(f"{ev.get('documented')} documented, {ev.get('observed')} observed, {ev.get('interview')} "
                         f"from interviews only ({strength}).", 12, False, "muted"), before=14))
        self.text(slide, side, paras, name="Gaps")

    # ..................................................................... dimensions
    def _item_block(self, it: dict, size: float = BODY) -> list[Para]:
        head = P(R(f"{it.get('id')} ", size, True, "primary"), R(it.get("title"), size, True),
                 R(f"  {score(it.get('as_is'))} → {score(it.get('to_be'))}", size, False, "muted"), before=7)
        out = [head]
        note = fit.clean(it.get("notes"))
        evidence = fit.clean(it.get("evidence"))
        detail = []
        if note:
            detail.append(R(note, size - 2))
        if evidence:
            detail.append(R(f"{' ' if note else ''}Evidence: {evidence}", size - 2, False, "muted", italic=True))
        elif it.get("confidence_label"):
            detail.append(R(f"{' ' if note else ''}({fit.clean(it.get('confidence_label'))})", size - 2, False, "muted"))
        if detail:
            out.append(P(*detail))
        return out

    def _item_note(self, it: dict) -> str:
        return (f"{it.get('id')} {fit.clean(it.get('title'))}: as-is {score(it.get('as_is'))}, to-be "
                f"{score(it.get('to_be'))}, gap {score(it.get('gap'))}, weight {score(it.get('weight'))}, priority "
                f"{score(it.get('priority'))}, confidence {fit.clean(it.get('confidence_label'))}. Notes: "
                f"{fit.clean(it.get('notes')) or '-'} Evidence: {fit.clean(it.get('evidence')) or '-'}")

    def dimension_items(self, dim: str) -> tuple[list[dict], list[dict]]:
        """(keep doing, improve) items of a dimension, in the findings' order (improve: by rank)."""
        found = [x for x in self.f.get("findings") or [] if x.get("dimension") == dim]
        keep = [self.items[x["id"]] for x in found if x.get("kind") == "keep doing" and x.get("id") in self.items]
        imp = sorted([x for x in found if x.get("kind") == "improve" and x.get("id") in self.items],
                     key=lambda x: x.get("rank") or 0)
        return keep, [self.items[x["id"]] for x in imp]

    def flow(self, cols: list[Rect], blocks: list[list[Para]], tail: Callable[[list[int]], list[Para]],
             min_factor: float = MIN_FACTOR) -> tuple[list[list[Para]], list[int], float]:
        """``blocks`` flowed down ``cols`` (newspaper columns, a block never split) at the largest scale down to
        ``min_factor`` at which they all fit; else as many as fit with ``tail(rest)`` closing the last column.
        Returns the paragraphs of each column and the indices of the blocks left out."""
        fam = self.look.measure_font
        box = min((draw.box_for(c) for c in cols), key=lambda b: b.height)
        blocks = self._capped(blocks, box)

        def lay(bs: list[list[Para]]) -> list[list[Para]] | None:
            pages = fit.paginate(bs, box, fam)
            if len(pages) > len(cols):
                return None
            out = [[p for i in page for p in bs[i]] for page in pages]
            return out if all(fit.fits(ps, box, fam) for ps in out) else None

        factor = 1.0
        while True:
            got = lay([fit.scaled(b, factor) for b in blocks])
            if got is not None:
                return got + [[] for _ in range(len(cols) - len(got))], [], factor
            if factor <= min_factor + 1e-9:
                break
            factor = max(min_factor, factor - 0.05)
        for k in range(len(blocks) - 1, -1, -1):
            rest = list(range(k, len(blocks)))
            got = lay([fit.scaled(b, min_factor) for b in blocks[:k]] + [fit.scaled(tail(rest), min_factor)])
            if got is not None:
                return got + [[] for _ in range(len(cols) - len(got))], rest, min_factor - 0.01 * len(rest)
        return [fit.shorten(fit.scaled(tail(list(range(len(blocks)))), min_factor), box, fam)] + \
            [[] for _ in range(len(cols) - 1)], list(range(len(blocks))), 0.0

    def dimension_layout(self, dim: str, keep_cols: int = 1) -> tuple[Rect, Rect, Rect, list[Rect], list[Rect]]:
        """(summary band, keep heading, opportunities heading, keep columns, opportunity columns)."""
        rect = self.content_rect()
        band, rest = rect.take_top(int(Inches(0.5)), gap=int(Inches(0.05)))
        heads, body = rest.take_top(int(Inches(0.36)))
        cols = body.split_h(1, 1, 1, gap=int(Inches(0.3)))
        k = keep_cols
        hk = Rect(cols[0].left, heads.top, cols[k - 1].right - cols[0].left, heads.height)
        hi = Rect(cols[k].left, heads.top, cols[-1].right - cols[k].left, heads.height)
        return band, hk, hi, cols[:k], cols[k:]

    def dimension_fit(self, dim: str, min_factor: float) -> tuple[int, list, list, list[int]]:
        """The split of the three columns between keep doing and opportunities that keeps the text largest:
        (keep columns, keep column paragraphs, opportunity column paragraphs, opportunities left out)."""
        key = (dim, min_factor)
        if key not in self._dim_fit:
            self._dim_fit[key] = self._dimension_fit(dim, min_factor)
        return self._dim_fit[key]

    def _dimension_fit(self, dim: str, min_factor: float) -> tuple[int, list, list, list[int]]:
        keep, imp = self.dimension_items(dim)
        kb = [self._item_block(i) for i in keep]
        ib = [self._item_block(i) for i in imp]
        best = None
        for k in ((1, 2) if keep and imp else (2,) if keep else (1,)):
            _, _, _, kcols, icols = self.dimension_layout(dim, k)
            kc, _, kf = self.flow(kcols, kb, lambda r: [P(R(f"Also: {', '.join(str(keep[i].get('id')) for i in r)}.",
                                                            12, False, "muted"), before=8)], MIN_FACTOR) if kb else ([], [], 1.0)
            ic, rest, f_ = self.flow(icols, ib, lambda r: self._also(r, imp), min_factor) if ib else ([], [], 1.0)
            score_ = min(kf, f_)
            if best is None or score_ > best[0] + 1e-9:
                best = (score_, k, kc, ic, rest)
        _, k, kc, ic, rest = best
        return k, kc, ic, rest

    def dimension_plan(self, dim: str) -> list[int]:
        """Indices of the opportunities that would not fit on the dimension's slide at a comfortable size."""
        rest = self.dimension_fit(dim, CONTINUE_FACTOR)[3]
        return rest if len(rest) >= MIN_CONTINUED else []

    def _also(self, rest: list[int], imp: list[dict], continued: bool = False) -> list[Para]:
        ids = ", ".join(str(imp[i].get("id")) for i in rest)
        where = "next slide" if continued else "see the appendix"
        return [P(R(f"Also to improve ({where}): ", 12, True, "muted"), R(ids + ".", 12, False, "muted"), before=8)]

    def dimension_slide(self, dim: str, continuation: bool) -> None:
        d = self.dims.get(dim) or {}
        keep, imp = self.dimension_items(dim)
        name = fit.clean(d.get("title") or dim)
        title = f"{name}: {num(d.get('as_is'))} today, {num(d.get('to_be'))} the target"
        others = [i for i in self.items.values() if i.get("dimension") == dim and i.get("classification") not in
                  ("keep doing", "improve")]
        notes = [title, fit.clean(d.get("summary")), "", "Keep doing:"] + [f"- {self._item_note(i)}" for i in keep]
        notes += ["", "Opportunities, highest priority first:"] + [f"- {self._item_note(i)}" for i in imp]
        if others:
            notes += ["", "Other items:"] + [f"- {i.get('id')} {fit.clean(i.get('title'))}: as-is "
                                             f"{score(i.get('as_is'))}, to-be {score(i.get('to_be'))} "
                                             f"({fit.clean(i.get('classification'))})" for i in others]
        slide, _ = self.new("content", title, "\n".join(notes))
        k, kparas, iparas, rest = self.dimension_fit(dim, CONTINUE_FACTOR if continuation else MIN_FACTOR)
        if rest and continuation:     # the opportunities that do not fit at a comfortable size go on
            _, imp_cols = self.dimension_layout(dim, k)[3:]
            iparas, rest, _ = self.flow(imp_cols, [self._item_block(i) for i in imp],
                                        lambda r: self._also(r, imp, True), CONTINUE_FACTOR)
        band, hk, hi, kcols, icols = self.dimension_layout(dim, k)
        self.text(slide, band, [P(R(d.get("summary"), 13, False, "muted"))], anchor="top", name="Summary")
        self.text(slide, hk, [P(R(f"Keep doing ({len(keep)})", 15, True, "accent"))], anchor="bottom",
                  name="Keep doing heading")
        self.text(slide, hi, [P(R(f"Opportunities ({len(imp)})", 15, True, "primary"))], anchor="bottom",
                  name="Opportunities heading")
        if not keep:
            kparas = [[P(R("No practice in this dimension scores 3 or more and is at its target yet.", BODY - 1,
                           False, "muted"), before=4)]]
        if not imp:
            iparas = [[P(R("Every item is at or above its target.", BODY, False, "muted"), before=4)]]
        for col, ps in list(zip(kcols, kparas)) + list(zip(icols, iparas)):
            if ps:
                self.text(slide, col, ps, name="Keep doing" if col in kcols else "Opportunities")
        if rest and continuation:
            more = [imp[i] for i in rest]
            s2, (rect,) = self.new("content", f"{name}: more opportunities",
                                   "\n".join(f"- {self._item_note(i)}" for i in more))
            cols = rect.split_h(1, 1, 1, gap=int(Inches(0.3)))
            columns, _, _ = self.flow(cols, [self._item_block(i) for i in more], lambda r: self._also(r, more))
            for col, ps in zip(cols, columns):
                if ps:
                    self.text(s2, col, ps, name="Opportunities (continued)")

    # ..................................................................... numbers
    def kpi_slide(self) -> None:
        kpis = self.f.get("kpis") or {}
        series = [s for s in kpis.get("series") or [] if isinstance(s, dict)]
        entries = {e.get("kpi"): e for e in kpis.get("entries") or []}
        order = {"red": 0, "amber": 1, "green": 2}
        if len(series) > 12:      # a large custom catalogue: the twelve most off target
            series = sorted(series, key=lambda s: order.get((entries.get(s.get("kpi")) or {}).get("colour"), 3))[:12]
        counts = kpis.get("counts") or {}
        n = len(entries)
        red = counts.get("red", 0)
        share = f"all {n}" if red == n and n > 1 else f"{red} of {n}"
        title = f"KPIs against target: {share} missed in {month_name(kpis.get('month'))}"
        notes = [f"{fit.clean(e.get('name'))}: {e.get('actual_text')} against {e.get('target_text')}, "
                 f"{e.get('label')}, {e.get('trend_label')}, missed {e.get('missed_months')} of "
                 f"{e.get('months_reported')} months. {fit.clean(e.get('reason'))}" for e in entries.values()]
        notes += ["", "Deep dives due:"] + [f"- {fit.clean(x)}" for x in kpis.get("dives") or []]
        notes.append("Markers are coloured by the month's status (green met, amber within tolerance, red missed); "
                     "the dashed line is the target (or the two edges of a band).")
        slide, (rect,) = self.new("content", title, "\n".join(notes))
        key, rect = rect.take_top(int(Inches(0.3)), gap=int(Inches(0.05)))
        self.text(slide, key, [P(R("Each chart: the KPI month by month (", 11, False, "muted"),
                                 R("● met ", 11, True, RAG[GREEN]), R("● within tolerance ", 11, True, RAG[AMBER]),
                                 R("● missed", 11, True, RAG[RED]),
                                 R("), the dashed line the target.", 11, False, "muted"))], name="Key")
        cols = 3 if len(series) <= 9 else 4
        rows = max(1, -(-len(series) // cols))
        gap = int(Inches(0.18))
        cw = (rect.width - gap * (cols - 1)) // cols
        rh = (rect.height - gap * (rows - 1)) // rows
        for i, s in enumerate(series):
            r, c = divmod(i, cols)
            cell = Rect(rect.left + c * (cw + gap), rect.top + r * (rh + gap), cw, rh)
            head, body = cell.take_top(int(min(Inches(0.46), rh * 0.3)))
            e = entries.get(s.get("kpi")) or {}
            colour = RAG.get(e.get("colour"), RAG[GREY])
            self.text(slide, head, [P(R(s.get("name"), 12, True), R(f"  {fit.clean(e.get('label'))}", 11, True, colour)),
                                    P(R(f"{fit.clean(s.get('last_text'))} against {fit.clean(e.get('target_text'))} · "
                                        f"{fit.clean(e.get('trend_label'))}", 10, False, "muted"))],
                      insets=draw.TIGHT, min_factor=0.7, name=f"KPI {s.get('kpi')}")
            charts.kpi_line(slide, body, self.look, s.get("months") or [], s.get("actual") or [], s.get("target"),
                            s.get("band"), s.get("status") or [], RAG, s.get("unit") or "").name = f"chart kpi {s.get('kpi')}"

    def hours_slide(self) -> None:
        f = self.f
        cov = f.get("coverage") or {}
        slas = [s for s in f.get("slas") or [] if isinstance(s, dict)]
        numbers = f.get("numbers") or {}
        notes = []
        if cov:
            notes += [f"Coverage: {cov.get('attempts')} attempts over {cov.get('days')} days; {cov.get('in_window')} "
                      f"inside the opening hours, {cov.get('off_hours')} outside ({num(cov.get('off_hours_pct'))}%). "
                      f"First hour {num(cov.get('first_hour_pct'))}%, last hour {num(cov.get('last_hour_pct'))}% of "
                      f"the in-window volume."]
            notes += [f"- {fit.clean(r)}" for r in cov.get("recommendations") or []]
            st = cov.get("staffing") or {}
            for b in st.get("busiest") or []:
                notes.append(f"Busiest interval {b.get('timestamp')}: {b.get('offered')} offered, AHT {b.get('aht_s')} s, "
                             f"{b.get('agents_needed')} agents needed for {num(st.get('target'))}% in {st.get('answer_s')} s.")
        notes += [f"SLA {fit.clean(s.get('business_id'))}: {fit.clean(s.get('sentence'))}" for s in slas]
        notes += [f"Not analysed: {fit.clean(x)}" for x in numbers.get("skipped") or []]
        if numbers.get("error"):
            notes.append(f"Data problem: {fit.clean(numbers.get('error'))}")
        title = "Opening hours against demand, and IT backing for the service levels"
        decided = coverage_decision(f)
        if cov and decided:
            title = fit.clean(decided.get("headline"))
        elif cov and cov.get("action") in ("extend", "trim"):
            title = (f"{num(cov.get('off_hours_pct'))}% of attempts fall outside opening hours: the data says "
                     f"{fit.clean(cov.get('action'))} the window")
        slide, (left, right) = self.new("two", title, "\n".join(notes))
        if cov and cov.get("profile"):
            cap, chart_rect = left.take_top(int(Inches(0.62)))
            windows = cov.get("windows") or []
            open_text = "; ".join(f"{DAY_NAMES[i]} {self._hhmm(w[0])}–{self._hhmm(w[1])}" for i, w in enumerate(windows)
                                  if w and i < 7)
            closed = [DAY_NAMES[i] for i, w in enumerate(windows) if not w and i < 7]
            self.text(slide, cap, [P(R("Contact attempts by hour of day, average per day", 13, True)),
                                   P(R(f"Open: {self._compress(open_text)}" + (f"; closed {', '.join(closed)}" if closed else ""),
                                       11, False, "muted"))], name="Chart caption")
            charts.hour_profile(slide, chart_rect, self.look, cov["profile"], DAY_NAMES[:len(cov["profile"])]).name = \
                "chart hours"
        else:
            self.text(slide, left, [heading("Opening hours"),
                                    P(R("No contact data by interval was provided, so the opening hours could not be "
                                        "checked against demand.", BODY, False, "muted"), before=4)], name="Hours")
        paras = []
        if cov:
            paras.append(heading("What the hours data says"))
            paras += [bullet(R(r, 13)) for r in cov.get("recommendations") or []] or [
                bullet(R("Keep the window: the first and last hours carry their share of the volume.", 13))]
        paras.append(heading("Business service levels backed by IT", before=10))
        if slas:
            for s in slas:
                colour = RAG.get(s.get("colour"), RAG[GREY])
                paras.append(bullet(R(SLA_LABEL.get(s.get("kind"), fit.clean(s.get("kind"))) + ": ", 13, True, colour),
                                    R(s.get("sentence"), 13)))
        else:
            paras.append(P(R("No business service levels were recorded for this assessment.", 13, False, "muted")))
        if not (self.f.get("kpis") or {}).get("entries"):
            paras.append(P(R("Monthly KPI results were not part of this assessment, so KPI trends are not shown.",
                             12, False, "muted"), before=10))
        self.text(slide, right, paras, name="Hours and SLAs")

    @staticmethod
    def _hhmm(h: Any) -> str:
        try:
            h = float(h)
        except (TypeError, ValueError):
            return "?"
        return f"{int(h):02d}:{int(round((h - int(h)) * 60)):02d}"

    @staticmethod
    def _compress(text: str) -> str:
        """"Mon 09:00–17:00; Tue 09:00–17:00; ..." -> "Mon–Fri 09:00–17:00; ..." for runs of equal hours."""
        parts = [p.split(" ", 1) for p in text.split("; ") if " " in p]
        out, i = [], 0
        while i < len(parts):
            j = i
            while j + 1 < len(parts) and parts[j + 1][1] == parts[i][1]:
                j += 1
            out.append(f"{parts[i][0]}–{parts[j][0]} {parts[i][1]}" if j > i else f"{parts[i][0]} {parts[i][1]}")
            i = j + 1
        return "; ".join(out)

    # ..................................................................... dates
    def dates_slide(self) -> None:
        c = self.f.get("contract") or {}
        renewal = c.get("renewal") or {}
        ms = sorted([m for m in c.get("milestones") or [] if _date(m.get("date"))], key=lambda m: m["date"])
        notes = [f"{m.get('label')}: {day(m.get('date'))}" for m in ms]
        notes += [fit.clean(h.get("sentence")) for h in c.get("handoff") or []]
        notes.append(f"Renewal: notice deadline {renewal.get('deadline')}, {renewal.get('days_left')} days after the "
                     f"assessment; status {renewal.get('status')}; auto-renewal {renewal.get('auto_renewal')}.")
        title = "The dates that force a decision"
        if renewal.get("deadline"):
            title = f"The renewal decision is due by {day(renewal['deadline'])}"
        if c.get("hand_off_pending") and c.get("hand_off_date"):
            title = f"Hand-off on {day(c['hand_off_date'])}; renewal decision by {day(renewal.get('deadline'))}"
        slide, (rect,) = self.new("content", title, "\n".join(notes))
        line_rect, below = rect.take_top(int(rect.height * (0.5 if c.get("handoff") else 0.62)), gap=int(Inches(0.15)))
        self._timeline(slide, line_rect, ms)
        handoff = [h for h in c.get("handoff") or [] if isinstance(h, dict)]
        if handoff:
            rows = [["Before the hand-off", "Needs", "Days left", "Verdict", "Latest start"]]
            roles = []
            for h in handoff:
                rows.append([fit.clean(h.get("label")), fit.clean(h.get("need")), str(h.get("days_available")),
                             LEAD_LABEL.get(h.get("status"), fit.clean(h.get("status"))), short_day(h.get("latest_start"))])
                roles.append(RAG.get(h.get("colour"), RAG[GREY]))
            self.table(slide, below, rows, [3.2, 1.6, 1.3, 1.5, 1.6], size=13, colours={3: roles}, name="Lead times")
        else:
            dl = renewal.get("days_left")
            text = [P(R("The renewal notice deadline ", BODY), R(day(renewal.get("deadline")), BODY, True),
                      R(f" is the last day to give notice: {plural(dl, 'day')} after the assessment. " if isinstance(dl, int)
                        and dl >= 0 else " has passed. ", BODY),
                      R("Without notice the agreement renews automatically on " if renewal.get("auto_renewal")
                        else "The agreement ends on ", BODY), R(day(renewal.get("date")), BODY, True), R(".", BODY))]
            text.append(P(R("The evidence for the decision (KPI history, cost, the gaps in this readout) has to be ready "
                            "before that day, with time to negotiate.", BODY, False, "muted"), before=8))
            self.text(slide, below, text, name="Renewal")

    def _timeline(self, slide, rect: Rect, ms: list[dict]) -> None:
        if not ms:
            self.text(slide, rect, [P(R("The contract has no dates on record.", BODY, False, "muted"))])
            return
        n = len(ms)
        y = rect.top + rect.height // 2
        x0, x1 = rect.left + int(Inches(0.3)), rect.right - int(Inches(0.3))
        draw.connector(slide, x0, y, x1, y, self.look, "rule", 2.0, name="timeline")
        slot = (x1 - x0) // max(n, 1)
        as_of = _date(self.as_of)
        colour_of = {"notice": "accent", "renewal": "primary", "hand-off": "primary", "assessment": "muted",
                     "start": "muted"}
        renewal_colour = ((self.f.get("contract") or {}).get("renewal") or {}).get("colour")
        for i, m in enumerate(ms):
            cx = x0 + slot * i + slot // 2
            role = colour_of.get(m.get("kind"), "primary")
            if m.get("kind") == "notice" and renewal_colour in (RED, AMBER):
                role = RAG[renewal_colour]
            r = int(Inches(0.11))
            draw.ellipse(slide, Rect(cx - r, y - r, 2 * r, 2 * r), self.look, role, name=f"milestone {m.get('kind')}")
            d = _date(m.get("date"))
            rel = ""
            if as_of and d and m.get("kind") != "assessment" and d > as_of:
                rel = f"in {plural((d - as_of).days, 'day')}"
            label = [P(R(m.get("label"), 13, True, role if role.startswith("#") else "ink"), align="center"),
                     P(R(day(m.get("date")), 12), align="center")]
            if rel:
                label.append(P(R(rel, 11, False, "muted"), align="center"))
            h = int(rect.height * 0.42)
            w = slot - int(Inches(0.08))
            top = y - r - int(Inches(0.08)) - h if i % 2 == 0 else y + r + int(Inches(0.08))
            self.text(slide, Rect(cx - w // 2, top, w, h), label, anchor="bottom" if i % 2 == 0 else "top",
                      insets=draw.TIGHT, min_factor=0.7, name=f"milestone label {i + 1}")

    # ..................................................................... business case
    def business_case_slide(self) -> None:
        bc = self.f.get("business_case") or {}
        cur = bc.get("currency")
        amounts = [a for a in bc.get("amounts") or [] if isinstance(a, dict) and isinstance(a.get("annual"), (int, float))]
        cases = [c for c in bc.get("coverage") or [] if isinstance(c, dict)]
        missing = [m for m in bc.get("missing") or [] if isinstance(m, dict)]
        notes = []
        for a in amounts:
            notes.append(f"{fit.clean(a.get('label'))}: {money(a.get('value'), a.get('currency') or cur)} "
                         f"{fit.clean(a.get('period'))} ({money(a.get('annual'), a.get('currency') or cur)} a year). "
                         f"Formula: {fit.clean(a.get('formula'))}. Working: {fit.clean(a.get('working'))}. "
                         f"{fit.clean(a.get('note'))}")
        for c in cases:
            ch = c.get("change") or {}
            notes.append(f"Hours change {fit.clean(ch.get('label'))}: net {money(c.get('net_annual'), cur)} a year.")
        notes += [f"Not priced: {fit.clean(m.get('sentence'))}" for m in missing]
        title = "The business case in money"
        top = self._headline_amount(amounts, (self.f.get("summary") or {}).get("money_lines"))
        if top:
            title = f"The business case: {self._headline_phrase(top, cur)}"
        slide, (rect,) = self.new("content", title, "\n".join(notes))
        chart_rect, side = rect.split_h(1.5, 1, gap=int(Inches(0.3)))
        if amounts:
            charts.amounts(slide, chart_rect, self.look, [a.get("label") or a.get("key") for a in amounts],
                           [a["annual"] for a in amounts], cur or "",
                           ["primary" if a["annual"] >= 0 else "accent" for a in amounts]).name = "chart business case"
        else:
            side = rect
        paras = [heading("A year, and how each figure is made")]
        for a in amounts:
            value = fit.clean(a.get("text")) or money(a.get("value"), a.get("currency") or cur)
            paras.append(bullet(R(f"{fit.clean(a.get('label'))}: ", 13, True),
                                R(f"{value} {fit.clean(a.get('period'))}. ", 13),
                                R(fit.clean(a.get("note")), 12, False, "muted")))
        for c in cases:
            ch = c.get("change") or {}
            if isinstance(c.get("net_annual"), (int, float)):
                paras.append(bullet(R(f"{fit.clean(ch.get('label'))}: ", 13, True),
                                    R(f"net {money(c['net_annual'], cur)} a year.", 13)))
        if missing:
            paras.append(heading("Not yet priced", size=13, colour="muted", before=8))
            paras += [bullet(R(m.get("sentence"), 12, False, "muted"), before=3) for m in missing]
        self.text(slide, side, paras, name="Business case")

    # the order the written summary states the business case's figures in (its headline figure first)
    _HEADLINE_ORDER = ("over_delivery", "service_credits", "under_delivery", "under_staffing")
    _HEADLINE_PHRASE = {
        "over_delivery": "{text} a year pays for agent-hours beyond what the service level target needs",
        "service_credits": "{text} in service credits due for the last 12 months",
        "under_delivery": "up to {text} a year at risk in contacts abandoned in the queue",
        "under_staffing": "about {text} a year more in agent-hours to meet the service level target",
    }

    @classmethod
    def _headline_amount(cls, amounts: list[dict], lines: Any) -> dict | None:
        """The figure the written summary leads with: never one within target (not a shortfall) or nil, and
        only those the written summary lists when there is one; in the summary's order, then the largest."""
        def within(a: dict) -> bool:
            words = f"{a.get('label') or ''} {a.get('note') or ''}".lower()
            return "within target" in words or "not a shortfall" in words
        keep = [a for a in amounts if a["annual"] and not within(a)]
        if isinstance(lines, list):     # the summary's own figures: one it leaves out is not a headline
            keys = {ln.get("key") for ln in lines if isinstance(ln, dict)}
            keep = [a for a in keep if a.get("key") in keys]
        order = {k: i for i, k in enumerate(cls._HEADLINE_ORDER)}
        return min(keep, key=lambda a: (order.get(a.get("key"), len(order)), -abs(a["annual"])), default=None)

    def _headline_phrase(self, a: dict, cur: Any) -> str:
        """The headline figure in words, an upper bound said as "up to"."""
        key = a.get("key")
        if key == "service_credits" and a.get("period") != "a year":
            text = fit.clean(a.get("text")) or money(a.get("value"), a.get("currency") or cur)
        else:
            text = self._annual(a, cur)
        if key in self._HEADLINE_PHRASE:
            return self._HEADLINE_PHRASE[key].format(text=text)
        what = fit.clean(a.get("label")).split(": ", 1)[-1]
        what = what[:1].lower() + what[1:]
        bound = "upper bound" in f"{a.get('label') or ''} {a.get('note') or ''}".lower()
        return f"{'up to ' if bound else ''}{text} a year in {what}"

    @staticmethod
    def _annual(a: dict, cur: Any) -> str:
        """The amount a year as the facts print it (``annual_text`` when the period is a year), else formatted."""
        if a.get("annual_text") and a.get("period") == "a year":
            return fit.clean(a["annual_text"])
        return money(a.get("annual"), a.get("currency") or cur)

    # ..................................................................... roadmap
    def roadmap_slide(self) -> None:
        f = self.f
        rm = f.get("roadmap") or {}
        c = f.get("contract") or {}
        ws = [w for w in f.get("workstreams") or [] if isinstance(w, dict)]
        rows: list[tuple[str, str, str, str]] = []          # label, start, end, role
        notes: list[str] = []
        if ws:
            for w in ws:
                label = fit.clean(_get(w, "title", "name", default="Workstream"))
                owner = fit.clean(_get(w, "owner", default=""))
                start, end = _get(w, "start"), _get(w, "end")
                notes.append(f"{label}: owner {owner or 'not named'}, {start} to {end}. "
                             f"{fit.clean(_get(w, 'measure', 'success_measure', default=''))} "
                             f"Items: {', '.join(map(str, _get(w, 'items', 'actions', default=[])))}")
                if _date(start) and _date(end):
                    rows.append((f"{label} ({owner})" if owner else label, start, end, "primary"))
            title = f"The roadmap: {plural(len(ws), 'workstream')}"
        else:
            actions = [a for a in rm.get("actions") or [] if isinstance(a, dict) and _date(a.get("start")) and _date(a.get("end"))]
            for a in actions:
                notes.append(f"{a.get('id')} {fit.clean(a.get('title'))}: {a.get('horizon')}, {a.get('start')} to "
                             f"{a.get('end')}, priority {score(a.get('priority'))}, effort {a.get('effort')}"
                             + (f", after {', '.join(a.get('depends_on'))}" if a.get("depends_on") else "")
                             + (f". {fit.clean(a.get('note'))}" if a.get("note") else ""))
            shown = sorted(actions, key=lambda a: -(a.get("priority") or 0))[:12]
            n_shown, n_all = len(shown), len(actions)
            shown.sort(key=lambda a: (a["start"], -(a.get("priority") or 0)))
            for a in shown:
                rows.append((f"{fit.clean(a.get('title'))} ({a.get('id')})", a["start"], a["end"], "primary"))
            horizons = [(h.get("name"), len(h.get("actions") or [])) for h in rm.get("horizons") or []]
            title = (f"The roadmap: {plural(len(actions), 'action')}, "
                     + ", ".join(f"{k} in {fit.clean(n).replace('-', '–')}" for n, k in horizons if k))
        last = max((_date(r[2]) for r in rows), default=None)
        beyond = []
        for label, when in (("Renewal notice deadline", (c.get("renewal") or {}).get("deadline")),
                            ("Hand-off", c.get("hand_off_date") if c.get("hand_off_pending") else None)):
            if _date(when) and last and _date(when) > last + dt.timedelta(days=60):
                beyond.append(f"{label.lower()} {short_day(when)}")
                continue
            if _date(when) and _date(self.as_of) and _date(when) >= _date(self.as_of):
                end = (_date(when) + dt.timedelta(days=3)).isoformat()
                rows.append((f"◆ {label}, {short_day(when)}", when, end, RAG[RED] if "notice" in label else "accent"))
        slide, (rect,) = self.new("content", title, "\n".join(notes) or "No dated actions in the roadmap.")
        if not rows:
            self.text(slide, rect, [P(R("No dated work is on the roadmap yet.", BODY, False, "muted"))])
            return
        cap, chart_rect = rect.take_top(int(Inches(0.32)))
        diamonds = sum(1 for r in rows if r[0].startswith("◆"))
        milestones = {0: "", 1: " The diamond marks a date the contract sets."}.get(
            diamonds, " The diamonds mark the dates the contract sets.")
        if beyond:
            milestones += f" Later: the {listing(beyond)}."
        shown_note = ("Each bar runs from the start to the end of the work." if ws else
                      f"The {n_shown} highest-priority actions of {n_all}, by start date.") + milestones
        self.text(slide, cap, [P(R(shown_note, 11, False, "muted"))], name="Roadmap key")
        starts = [charts.excel_date(r[1]) for r in rows]
        ends = [charts.excel_date(r[2]) for r in rows]
        base = [charts.excel_date(self.as_of)] if _date(self.as_of) else []
        lo = min(base + starts)
        charts.gantt(slide, chart_rect, self.look, [r[0] for r in rows], starts, [e - s for s, e in zip(starts, ends)],
                     [r[3] for r in rows], axis_min=lo, axis_max=max(ends) + 7).name = "chart roadmap"

    # ..................................................................... risks
    RISK_COLUMNS = (("title", "Risk", 3.4), ("likelihood", "Likelihood", 1.3), ("impact", "Impact", 1.2),
                    ("mitigation", "Mitigation and contingency", 4.6), ("owner", "Owner", 1.6))

    def risks_slide(self) -> None:
        risks = [r for r in self.f.get("risks") or [] if isinstance(r, dict)]
        alias = {"title": ("title", "risk", "name", "description"), "mitigation": ("mitigation", "contingency",
                                                                                    "response", "action"),
                 "likelihood": ("likelihood", "probability"), "impact": ("impact", "severity"), "owner": ("owner",)}
        cols = [(k, label, w) for k, label, w in self.RISK_COLUMNS
                if k == "title" or any(_get(r, *alias[k]) for r in risks)]
        notes = ["; ".join(f"{k}: {fit.clean(v)}" for k, v in r.items()) for r in risks]
        slide, (rect,) = self.new("content", f"Risks and contingency: {plural(len(risks), 'risk')} to manage",
                                  "\n".join(notes))
        rows = [[label for _, label, _ in cols]]
        for r in risks[:10]:
            rows.append([fit.clean(_get(r, *alias[k], default="")) for k, _, _ in cols])
        self.table(slide, rect, rows, [w for _, _, w in cols], size=13, name="Risks", fill_height=False)

    # ..................................................................... next steps
    def next_steps(self) -> list[tuple[str, str, str]]:
        """(when, what, evidence) rows, dated ones first by date."""
        f = self.f
        rows: list[tuple[str, str, str, str]] = []   # sort key, when, what, evidence
        for d in [d for d in f.get("decisions") or [] if isinstance(d, dict)]:
            when = _get(d, "decide_by", "deadline")
            rows.append((str(when or "9999"), f"By {short_day(when)}" if when else "Open",
                         f"Decide: {fit.clean(_get(d, 'title', default=''))}", fit.clean(d.get("recommendation"))))
        c = f.get("contract") or {}
        renewal = c.get("renewal") or {}
        if renewal.get("deadline") and not any(_get(d, "kind") == "renewal" for d in f.get("decisions") or []):
            rows.append((renewal["deadline"], f"By {short_day(renewal['deadline'])}",
                         "Take the renewal decision (the notice deadline), with the evidence of this readout ready "
                         "well before", f"status {renewal.get('status')}"))
        if c.get("hand_off_pending") and c.get("hand_off_date"):
            risky = [fit.clean(h.get("label")).lower() for h in c.get("handoff") or [] if h.get("status") != "ok"]
            what = "Hand-off readiness: " + (f"start {listing(risky)} at once" if risky else "track every lead time")
            rows.append((c["hand_off_date"], f"Before {short_day(c['hand_off_date'])}", what, ""))
        rm = f.get("roadmap") or {}
        horizons = rm.get("horizons") or []
        if horizons and horizons[0].get("actions"):
            first = horizons[0]
            titles = [fit.clean((self.items.get(i) or {}).get("title") or i) for i in first["actions"]]
            start = _date(self.as_of)
            key = (start + dt.timedelta(days=90)).isoformat() if start else "~"
            rows.append((key, f"Next {fit.clean(first.get('name')).replace('0-', '')}",
                         f"Start {plural(len(titles), 'action')}: " + "; ".join(titles), ", ".join(first["actions"])))
        kpis = f.get("kpis") or {}
        if kpis.get("dives"):
            rows.append(("~1", "Every month", f"Service review with a deep dive on "
                         f"{plural(len(kpis['dives']), 'KPI')} far from target, with owners and actions", "; ".join(kpis["dives"])))
        cov = f.get("coverage") or {}
        if cov.get("action") in ("extend", "trim"):
            rows.append(("~2", "Next review", f"Agree the opening hours: {fit.clean((cov.get('recommendations') or [''])[0])}",
                         ""))
        bad = [s for s in f.get("slas") or [] if not s.get("ok")]
        if bad:
            rows.append(("~3", "Next review", "Close the IT backing gaps: " + listing([fit.clean(s.get("business_name"))
                                                                                       for s in bad]), ""))
        rows.sort(key=lambda r: r[0])
        return [(w, what, ev) for _, w, what, ev in rows]

    def next_slide(self) -> None:
        s = self.f.get("summary")
        steps_ = [x for x in (s.get("steps") or [] if isinstance(s, dict) else []) if isinstance(x, dict) and x.get("text")]
        if steps_:
            steps_.sort(key=lambda x: str(x.get("date") or "9999"))
            notes = [f"{x.get('date') or 'no date'}: {fit.clean(x.get('text'))} (owner: {fit.clean(x.get('owner'))}; "
                     f"side: {x.get('side') or '-'}; decision: {x.get('decision') or '-'})" for x in steps_]
            slide, (rect,) = self.new("content", "Next steps, with owners", "\n".join(notes))
            rows = [["By", "What", "Owner"]] + [[short_day(x.get("date")) if x.get("date") else "Ongoing",
                                                  fit.clean(x.get("text")), fit.clean(x.get("owner"))]
                                                 for x in steps_[:9]]
            self.table(slide, rect, rows, [1.6, 7.6, 2.9], size=14, name="Next steps", fill_height=False)
            return
        steps = self.next_steps()
        notes = [f"{w}: {what}. {ev}" for w, what, ev in steps]
        slide, (rect,) = self.new("content", "Next steps", "\n".join(notes) or "No next steps recorded.")
        rows = [["When", "What"]] + [[w, what] for w, what, _ in steps[:8]]
        if len(rows) == 1:
            rows.append(["Next review", "Agree owners and dates for the roadmap's first actions"])
        self.table(slide, rect, rows, [2.2, 9.9], size=15, name="Next steps", fill_height=False)

    # ..................................................................... appendix
    def appendix_divider(self, pages: int) -> None:
        n = len(self.items)
        slide, bodies = self.new("section", "Appendix: the checklist, item by item",
                                 f"{n} items on {plural(pages, 'slide')}: as-is and to-be on the 0–5 scale, the "
                                 f"confidence of the evidence and the consultant's notes (full notes in each slide's notes).",
                                 size=34)
        self.text(slide, bodies[0], [P(R(f"{n} items scored as-is and to-be (0–5), with the confidence of the evidence "
                                        f"and the notes.", 16, False, "muted"))], name="Subtitle")

    ROW_H = Inches(0.205)
    HEAD_H = Inches(0.3)

    def checklist_rows(self) -> list[dict]:
        order = {d: i for i, d in enumerate(DIMENSION_ORDER)}
        return sorted(self.items.values(), key=lambda i: (order.get(i.get("dimension"), 9), str(i.get("id"))))

    def checklist_pages(self, per_page: int | None = None) -> list[list[dict]]:
        rows = self.checklist_rows()
        rect = self.content_rect()
        per = per_page or max(1, int((rect.height - self.HEAD_H) // self.ROW_H))
        return [rows[i:i + per] for i in range(0, len(rows), per)] or [[]]

    def checklist_slide(self, page: list[dict], k: int, pages: int) -> None:
        notes = [f"{i.get('id')} {fit.clean(i.get('title'))}: as-is {score(i.get('as_is'))}, to-be "
                 f"{score(i.get('to_be'))}, {fit.clean(i.get('classification'))}, confidence "
                 f"{fit.clean(i.get('confidence_label'))}. Notes: {fit.clean(i.get('notes')) or '-'} "
                 f"Evidence: {fit.clean(i.get('evidence')) or '-'}" for i in page]
        first, last = (page[0].get("id"), page[-1].get("id")) if page else ("", "")
        slide, (rect,) = self.new("content", f"The checklist ({k} of {pages}): {first} to {last}", "\n".join(notes),
                                  size=22)
        rows = [["Item", "", "As-is", "To-be", "Confidence", "Notes and evidence"]]
        for i in page:
            note = fit.clean(i.get("notes"))
            ev = fit.clean(i.get("evidence"))
            rows.append([str(i.get("id")), fit.clean(i.get("title")), score(i.get("as_is")), score(i.get("to_be")),
                         fit.clean(i.get("confidence_label")), " ".join(x for x in (note, f"Evidence: {ev}" if ev else "") if x)])
        self.table(slide, rect, rows, [0.85, 3.9, 0.65, 0.65, 1.35, 4.73], size=9, row_h=self.ROW_H,
                   head_h=self.HEAD_H, single_line=True, name="Checklist", fill_height=False)

    # ..................................................................... tables
    def table(self, slide, rect: Rect, rows: list[list[str]], widths_in: Sequence[float], size: float = 12,
              colours: dict[int, list[str]] | None = None, row_h: int | None = None, head_h: int | None = None,
              single_line: bool = False, name: str = "Table", fill_height: bool = True):
        """A native table whose every cell is fitted (one line each when ``single_line``, cut with an ellipsis)."""
        total = sum(widths_in)
        widths = [int(rect.width * w / total) for w in widths_in]
        n = len(rows)
        fam = self.look.measure_font
        ins = (3.0, 3.0, 1.0, 1.0) if single_line else (5.0, 5.0, 3.0, 3.0)
        if row_h is None:
            # rows as tall as their tallest cell needs, within the rectangle
            heights = []
            for r in rows:
                need = 0.0
                for text_, w in zip(r, widths):
                    box = fit.Box(fit.pt(w), 10_000, *ins)
                    need = max(need, fit.measure([P(R(text_, size))], box, fam)[0])
                heights.append(need + ins[2] + ins[3] + 2)
            scale = min(1.0, fit.pt(rect.height) / max(sum(heights), 1))
            hs = [int(fit.emu(h * scale)) for h in heights]
            if fill_height is False:
                hs = [max(h, int(Inches(0.3))) for h in hs]
        else:
            hs = [int(head_h or row_h)] + [int(row_h)] * (n - 1)
        gf = slide.shapes.add_table(n, len(widths), rect.left, rect.top, sum(widths), sum(hs))
        gf.name = name
        table = gf.table
        for j, w in enumerate(widths):
            table.columns[j].width = w
        for i, h in enumerate(hs):
            table.rows[i].height = h
        for i, r in enumerate(rows):
            for j, text_ in enumerate(r):
                cell = table.cell(i, j)
                cell.margin_left, cell.margin_right = Pt(ins[0]), Pt(ins[1])
                cell.margin_top, cell.margin_bottom = Pt(ins[2]), Pt(ins[3])
                colour = None
                if colours and j in colours and i > 0 and i - 1 < len(colours[j]):
                    colour = colours[j][i - 1]
                bold = i == 0 or colour is not None or (single_line and j == 0)
                paras = [P(R(text_, size, bold, colour if i > 0 else None))]
                box = fit.Box(fit.pt(widths[j]), fit.pt(hs[i]), *ins, wrap=not single_line)
                fitted = fit.fit(paras, box, 1.0 if single_line else 0.8, fam)
                tf = cell.text_frame
                draw.write(tf, fitted, self.look, "middle", ins, wrap=not single_line)
                cell.vertical_anchor = draw.ANCHOR["middle"]
        return gf

    # ..................................................................... footer
    def footers(self) -> None:
        if not self.look.builtin:
            return
        total = len(self.prs.slides)
        W, H = self.look.width, self.look.height
        for n, slide in enumerate(self.prs.slides, 1):
            if n == 1:
                continue
            left = Rect(int(Inches(0.6)), H - int(Inches(0.42)), W - int(Inches(2.4)), int(Inches(0.3)))
            right = Rect(W - int(Inches(1.7)), H - int(Inches(0.42)), int(Inches(1.1)), int(Inches(0.3)))
            who = " · ".join(x for x in (self.firm, self.client, day(self.as_of)) if x)
            self.text(slide, left, [P(R(who, 9, False, "muted"))], anchor="middle", insets=draw.TIGHT, min_factor=0.9,
                      name="Footer")
            self.text(slide, right, [P(R(f"{n} / {total}", 9, False, "muted"), align="right")], anchor="middle",
                      insets=draw.TIGHT, min_factor=0.9, name="Page number")


# --------------------------------------------------------------------------- the plan and the entry point
def _has(facts: dict, key: str) -> bool:
    v = facts.get(key)
    return bool(v) and (not isinstance(v, dict) or any(v.get(k) for k in ("amounts", "coverage", "missing")))


def build(facts: dict, template: str | Path | None = None, branding: Any = None):
    """The deck as a python-pptx Presentation (not saved). See :func:`render_deck`."""
    if not isinstance(facts, dict):
        raise TypeError("render_deck needs the facts as a dict (the JSON of <slug>-readout.json)")
    if template is None and branding is not None and getattr(branding, "pptx_template", None):
        template = branding.pptx_template
    brand = facts.get("branding") or {}
    primary = getattr(branding, "primary", None) or brand.get("primary")
    accent = getattr(branding, "accent", None) or brand.get("accent")
    look = Look(Path(template) if template else None, primary, accent)
    deck = Deck(facts, look, branding)

    dims = [d for d in DIMENSION_ORDER if d in deck.dims] + [d for d in deck.dims if d not in DIMENSION_ORDER]
    has_kpis = bool((facts.get("kpis") or {}).get("series"))
    plan: list[tuple[str, Callable[[], None]]] = [("title", deck.title_slide), ("summary", deck.summary_slide)]
    if _has(facts, "decisions"):
        plan.append(("decisions", deck.decisions_slide))
    plan += [("model", deck.model_slide), ("scores", deck.scores_slide)]
    dim_at = len(plan)
    if has_kpis:
        plan.append(("kpis", deck.kpi_slide))
    from .sides import has_perception, perception_slide   # how each side sees it (respondents by role)

    if has_perception(facts):
        plan.append(("perception", lambda: perception_slide(deck)))
    plan.append(("hours", deck.hours_slide))
    plan.append(("dates", deck.dates_slide))
    if _has(facts, "business_case"):
        plan.append(("business case", deck.business_case_slide))
    plan.append(("roadmap", deck.roadmap_slide))
    if _has(facts, "risks"):
        plan.append(("risks", deck.risks_slide))
    plan.append(("next", deck.next_slide))
    pages = deck.checklist_pages()
    fixed = len(plan) + len(dims) + len(pages) + 1          # + the appendix divider
    divider = True
    if fixed > MAX_SLIDES:
        divider = False
        fixed -= 1
    while fixed > MAX_SLIDES and len(pages) > 1:           # denser checklist pages, then fewer rows shown
        per = -(-len(deck.checklist_rows()) // (len(pages) - 1))
        rect = deck.content_rect()
        room = int((rect.height - deck.HEAD_H) // Inches(0.17))
        if per <= room:
            deck.ROW_H = Inches(0.17)
            pages = deck.checklist_pages(per)
        else:
            pages = pages[:-1]
        fixed = len(plan) + len(dims) + len(pages)
    spare = MAX_SLIDES - fixed
    overflow = sorted(((len(deck.dimension_plan(d)), d) for d in dims), reverse=True)
    continued = {d for k, d in overflow[:max(min(spare, MAX_CONTINUATIONS), 0)] if k > 0}
    dim_steps = [(f"dimension {d}", (lambda d=d: deck.dimension_slide(d, d in continued))) for d in dims]
    plan[dim_at:dim_at] = dim_steps
    plan += [("appendix", lambda: deck.appendix_divider(len(pages)))] if divider else []
    plan += [(f"checklist {k}", (lambda page=page, k=k: deck.checklist_slide(page, k, len(pages))))
             for k, page in enumerate(pages, 1)]
    for _, step in plan:
        step()
    deck.footers()
    _properties(look.prs, deck)
    return look.prs


def _properties(prs, deck: Deck) -> None:
    """Document properties that name this client only (a template's are replaced)."""
    cp = prs.core_properties
    cp.title = fit.clean(f"{deck.client}: outsourcing readout")[:250]
    cp.subject = fit.clean(f"How {deck.client} works with {deck.provider}")[:250]
    cp.author = deck.firm[:250] or "outsourcing-readout"
    cp.last_modified_by = deck.firm[:250] or "outsourcing-readout"
    cp.keywords = ""
    cp.comments = ""
    cp.category = ""
    cp.content_status = ""
    cp.identifier = ""
    cp.language = ""
    cp.version = ""
    cp.revision = 1
    generated = (deck.f.get("provenance") or {}).get("generated")
    try:
        when = dt.datetime.fromisoformat(str(generated)).replace(tzinfo=None)
    except (TypeError, ValueError):
        when = dt.datetime(2000, 1, 1)
    cp.created = when
    cp.modified = when
    cp.last_printed = when


def deck_bytes(facts: dict, template: str | Path | None = None, branding: Any = None) -> bytes:
    prs = build(facts, template, branding)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def render_deck(facts: dict, target: Path, template: Path | None = None, branding: Any = None) -> Path:
    """Write the readout deck for ``facts`` (the dict of ``<slug>-readout.json``) to ``target`` atomically.

    ``template``: a firm's .pptx whose slide master, layouts and theme the deck uses (default: the
    branding's ``pptx_template``, else the built-in look). ``branding``: an
    :class:`assessment.report.branding.Branding` (firm, colours, logo); default: the facts' own branding.
    Reads nothing but the facts, the template and the built-in flows file; returns ``target``.
    """
    data = deck_bytes(facts, template, branding)
    atomic_write_bytes(target, data)
    return Path(target)


def coverage_decision(facts: dict) -> dict | None:
    """The facts' decision on opening hours, when there is one: the deck says what the readout recommends."""
    return next((d for d in facts.get("decisions") or [] if d.get("kind") == "coverage" and d.get("headline")), None)
