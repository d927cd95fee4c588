"""What the readout says: one method per section, each returning escaped HTML.

The notebook ``notebooks/readout.ipynb`` is a list of calls to these methods; the
wording adapts to the data (a dimension with no gaps gets no boilerplate
opportunities; an empty section says why it is empty).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..analyses import roadmap as rm
from ..analyses import scoring
from ..analyses.scoring import (IMPROVE, KEEP_DOING, NOT_APPLICABLE, NOT_SCORED, SCALE, THRESHOLDS, Scores, ranked,
                                score)
from ..checklist import DIMENSIONS, Checklist, load_checklist
from ..model import Engagement
from ..validate import load_engagement
from . import charts
from .branding import Branding, load_branding
from .markup import APPENDIX_LIMIT, Html, css_colour, esc, fmt, join_words, pill, plural, prose, table, tag

SECTIONS = [
    ("executive-summary", "Executive summary"),
    ("scope-and-method", "Scope and method"),
    ("as-is-to-be", "As-is and to-be"),
    *[(f"dimension-{d}", None) for d in DIMENSIONS],
    ("numbers", "The relationship in numbers"),
    ("prioritisation", "Prioritisation"),
    ("roadmap", "Roadmap"),
    ("governance", "Governance and next steps"),
    ("appendix", "Appendix: the full checklist"),
]
CONFIDENCE_LABEL = {"documented": "documented", "observed": "observed", "interview": "interview only", None: "not recorded"}
CLASS_PILL = {KEEP_DOING: "green", IMPROVE: "amber", "on track": "blue", NOT_APPLICABLE: "grey", NOT_SCORED: "grey"}


def stance(as_is: float | None) -> str:
    """How the client treats its provider, in the articles' words, from the overall as-is score."""
    if as_is is None:
        return "not yet assessed"
    if as_is < 1.5:
        return "an arm's-length vendor"
    if as_is < 2.5:
        return "a vendor with some shared practices, not yet a partner"
    if as_is < 3.5:
        return "a partner in most respects, and an extension of the team in places"
    return "a seamless extension of its own team"


def is_draft(scores: Scores) -> bool:
    """The readout is a draft (:func:`assessment.analyses.scoring.is_draft` on its completeness)."""
    return scoring.is_draft(scores.completeness)


def draft_note(scores: Scores) -> str:
    """Why the readout is a draft, in one sentence ("" when it is not)."""
    return scoring.draft_note(scores.completeness)


def _printed(v: float) -> float:
    """A score as the reader sees it (one decimal, as :func:`fmt` prints it): what cannot be told apart is not ranked."""
    return round(v, 1)


def _same(values: list[float]) -> bool:
    return len({_printed(v) for v in values}) == 1


COUNT_WORDS = {2: "Both", 3: "All three", 4: "All four"}
NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four"}


@dataclass
class Readout:
    path: Path
    engagement: Engagement
    checklist: Checklist
    scores: Scores
    roadmap: rm.Roadmap
    branding: Branding
    as_of: dt.date
    file_sha256: str
    generated: dt.datetime
    month: str = ""

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, engagement: str, checklist: str = "", branding: str = "", as_of: str = "",
             month: str = "") -> "Readout":
        path = Path(engagement).resolve()
        cl = load_checklist(checklist or None)
        eng = load_engagement(path, cl)
        when = dt.date.fromisoformat(as_of) if as_of else eng.assessment.date
        scores = score(cl, eng.checklist)
        plan = rm.build(scores, cl, when, eng.contract.hand_off_date, eng.lead_times)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return cls(path, eng, cl, scores, plan, load_branding(branding or None), when, digest,
                   dt.datetime.now(dt.timezone.utc).replace(microsecond=0), month)

    @property
    def client(self) -> str:
        return self.engagement.client.name

    @property
    def outsourcer(self) -> str:
        return self.engagement.outsourcer.name

    def _chart(self, fig, caption: str) -> str:
        from .markup import figure

        return figure(svg=charts.to_svg(fig), caption=caption)

    def _heading(self, key: str, title: str | None = None, cls: str = "section") -> str:
        number = [k for k, _ in SECTIONS].index(key) + 1 if key in [k for k, _ in SECTIONS] else None
        title = title or dict(SECTIONS).get(key) or key
        return f'<h2 class="{cls}" id="{esc(key)}">{esc(title)}</h2>'

    def _dimension_title(self, key: str) -> str:
        return self.checklist.title_of(key)

    # ------------------------------------------------------------------ cover and contents
    def cover(self) -> Html:
        e = self.engagement
        logo = f'<img class="logo" src="{self.branding.logo_data_uri}" alt="logo"/>' if self.branding.logo_data_uri else ""
        rows = [("Client", esc(self.client) + (f" · {esc(e.client.industry)}" if e.client.industry else "")),
                ("Outsourcing partner", esc(self.outsourcer) + (f" · {esc(join_words(e.outsourcer.sites))}" if e.outsourcer.sites else "")),
                ("Assessment date", esc(e.assessment.date.strftime("%-d %B %Y"))),
                ("Consultants", esc(join_words(e.assessment.consultants)) or "–")]
        dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
        note = draft_note(self.scores).removeprefix("Draft: ")
        draft = f'<div class="draft-note"><strong>DRAFT</strong> {esc(note[:1].upper() + note[1:])}</div>' if note else ""
        return Html(
            f'<section class="cover">{self._draft_mark()}<div class="running"><span class="firm-name">{esc(self.branding.firm)}</span>'
            f'<span class="client-name">{esc(self.client)}</span></div>'
            f'{logo}<div class="firm">{esc(self.branding.firm)}</div>'
            f'<div class="kicker">Outsourcing partnership readout</div>'
            f'<h1>{esc(self.client)}</h1>'
            f'<div class="subtitle">How {esc(self.client)} works with {esc(self.outsourcer)}: what to keep doing, '
            f'what to improve, and a roadmap to close the gap.</div>'
            f'{draft}<div class="band"></div><dl>{dl}</dl>'
            f'<div class="confidential">Confidential. Prepared for {esc(self.client)} only.</div></section>'
        )

    def _draft_mark(self) -> str:
        """The watermark: a fixed element, which WeasyPrint repeats on every page, and the page header's text."""
        return '<div class="draft-mark">DRAFT</div>' if is_draft(self.scores) else ""

    def contents(self) -> Html:
        items = []
        for key, title in SECTIONS:
            title = title or self._dimension_title(key.removeprefix("dimension-"))
            items.append(f'<li><a href="#{esc(key)}">{esc(title)}</a></li>')
        return Html(f'<nav class="toc"><h2 class="section continue">Contents</h2><ol>{"".join(items)}</ol></nav>')

    # ------------------------------------------------------------------ 1. executive summary
    def _tiles(self) -> str:
        o = self.scores.overall
        tiles = [f'<div class="tile overall"><div class="label">Overall</div><div class="value">{fmt(o["as_is"])}'
                 f' <small>→ {fmt(o["to_be"])}</small></div></div>']
        for d in self.scores.dimensions.values():
            tiles.append(f'<div class="tile"><div class="label">{esc(d.title)}</div><div class="value">{fmt(d.as_is)}'
                         f' <small>→ {fmt(d.to_be)}</small></div></div>')
        return f'<div class="tiles">{"".join(tiles)}</div><p class="note">As-is → to-be on the 0–5 scale (weighted means; n/a excluded).</p>'

    def _headline(self) -> str:
        o = self.scores.overall
        dims = [d for d in self.scores.dimensions.values() if d.as_is is not None]
        if not dims:
            reason = self.scores.completeness.empty_reason() or "No checklist item has been scored yet."
            return f"<p class='lead'>{esc(reason)} There is no assessment to summarise yet.</p>"
        text = (f"Today {esc(self.client)} treats {esc(self.outsourcer)} as <strong>{esc(stance(o['as_is']))}</strong>. "
                f"Integration scores {fmt(o['as_is'])} of 5 against a target of {fmt(o['to_be'])}, a gap of {fmt(o['gap'])}. ")
        return f"<p class='lead'>{text}{self._strongest(dims)}; {self._widest(dims)}.</p>"

    @staticmethod
    def _titles(dims) -> str:
        """Titles in checklist order with a serial comma, since titles hold "and" themselves."""
        titles = [esc(d.title) for d in sorted(dims, key=lambda d: DIMENSIONS.index(d.dimension))]
        return ", ".join(titles[:-1]) + ", and " + titles[-1]

    def _strongest(self, dims) -> str:
        """Which dimension leads, only when something distinguishes it (as printed, to one decimal)."""
        if len(dims) == 1:
            return f"Only {esc(dims[0].title)} has been scored so far ({fmt(dims[0].as_is)})"
        if _same([d.as_is for d in dims]):
            which = "All four dimensions" if len(dims) == 4 else f"{COUNT_WORDS[len(dims)]} scored dimensions"
            return f"{which} score {fmt(dims[0].as_is)}, so none stands out as a strength"
        best = max(_printed(d.as_is) for d in dims)
        top = [d for d in dims if _printed(d.as_is) == best]
        if len(top) > 1:
            return f"{NUMBER_WORDS[len(top)]} dimensions are jointly the strongest ({fmt(best)}): {self._titles(top)}"
        return f"{esc(top[0].title)} is the strongest dimension ({fmt(best)})"

    def _widest(self, dims) -> str:
        """Which dimension has the widest gap, only when something distinguishes it."""
        gaps = [d for d in dims if d.gap is not None and d.gap > 0]
        if not gaps:
            return "no dimension has a gap to close"
        if len(dims) == 1:
            d = dims[0]
            return f"its gap is {fmt(d.gap)} ({fmt(d.as_is)} → {fmt(d.to_be)})"
        if len(gaps) == len(dims) and _same([d.gap for d in dims]):
            which = "every dimension" if len(dims) == 4 else "every scored dimension"
            return f"{which} has the same gap to close ({fmt(dims[0].gap)})"
        widest = max(_printed(d.gap) for d in gaps)
        top = [d for d in gaps if _printed(d.gap) == widest]
        if len(top) > 1:
            return (f"{NUMBER_WORDS[len(top)].lower()} dimensions share the widest gap ({fmt(widest)}): "
                    f"{self._titles(top)}")
        d = top[0]
        return f"{esc(d.title)} has the widest gap ({fmt(d.as_is)} → {fmt(d.to_be)})"

    def _item_line(self, i, show_gap: bool = True) -> str:
        score_txt = (f"{i.as_is} → {i.to_be}" if show_gap else f"{i.as_is} of 5")
        note = f'<div class="quote">{prose(i.notes, 280)}</div>' if i.notes else ""
        return (f"<li><strong>{esc(i.title)}</strong> <span class='meta'>{esc(i.id)} · "
                f"{esc(self._dimension_title(i.dimension))} · {score_txt}</span>{note}</li>")

    def executive_summary(self) -> Html:
        s = self.scores
        out = [self._heading("executive-summary"), self._headline(), self._tiles()]
        if draft_note(s):
            out.append(f'<div class="callout warn"><strong>{esc(draft_note(s))}</strong></div>')
        out += self._alerts()
        strengths = ranked(s.items, KEEP_DOING, 3)
        out.append("<h3>What is working well: keep doing</h3>")
        if strengths:
            out.append('<ul class="findings">' + "".join(self._item_line(i, False) for i in strengths) + "</ul>")
        else:
            out.append("<p class='empty'>No item is yet both strong (3 or more) and at its target, so nothing "
                       "qualifies as 'keep doing' without reservation.</p>")
        gaps = ranked(s.items, IMPROVE, 4)
        out.append("<h3>The biggest opportunities</h3>")
        if gaps:
            out.append('<ul class="findings gaps">' + "".join(self._item_line(i) for i in gaps) + "</ul>")
        else:
            out.append("<p class='empty'>Every scored item is at or above its target: there is no gap to close. "
                       "The priority is to hold these standards through governance.</p>")
        out.append("<h3>The roadmap in brief</h3>" + self._roadmap_brief())
        return Html("".join(out))

    def _alerts(self) -> list[str]:
        from ..analyses import contract as ct

        out = []
        c = self.engagement.contract
        if c.renewal_date:
            deadline = ct.renewal_notice_deadline(c.renewal_date, c.notice_days)
            left = (deadline - self.as_of).days
            level = ct.renewal_alert(deadline, self.as_of)
            if level in ("overdue", "urgent", "soon"):
                cls = {"overdue": "warn", "urgent": "warn", "soon": "urgent"}[level]
                when = (f"passed {plural(-left, 'day')} ago" if left < 0 else f"is in {plural(left, 'day')}")
                out.append(f'<div class="callout {cls}"><strong>Renewal notice deadline {esc(deadline.isoformat())} '
                           f"{when}.</strong> The agreement renews on {esc(c.renewal_date.isoformat())} unless notice "
                           f"of non-renewal is given {c.notice_days} days ahead. This is the chance to renegotiate "
                           f"the points in this readout, or to change provider without penalty.</div>")
        for w in self.roadmap.warnings:
            out.append(f'<div class="callout warn"><strong>Hand-off risk.</strong> {esc(w)}</div>')
        return out

    def _roadmap_brief(self) -> str:
        if not self.roadmap.actions:
            return "<p class='empty'>No roadmap is needed: there are no gaps between as-is and to-be.</p>"
        rows = []
        for name, _, _ in rm.HORIZONS:
            acts = self.roadmap.in_horizon(name)
            if acts:
                titles = join_words([esc(a.title) for a in acts[:3]]) + (f" and {len(acts) - 3} more" if len(acts) > 3 else "")
                rows.append([f"<strong>{esc(name)}</strong>", titles, str(len(acts))])
        return table(["Horizon", "Focus", "Actions"], rows, ["22%", "66%", "12%"], num={2})

    # ------------------------------------------------------------------ 2. scope and method
    def scope_and_method(self) -> Html:
        e = self.engagement
        s = self.scores
        conf = {}
        for i in s.items:
            if i.classification not in (NOT_SCORED,):
                conf[i.confidence] = conf.get(i.confidence, 0) + 1
        answered = sum(conf.values())
        parts = [f"{plural(conf.get(k, 0), 'item')} {CONFIDENCE_LABEL[k]}" for k in ("documented", "observed", "interview")]
        if conf.get(None):
            parts.append(f"{plural(conf[None], 'item')} with no confidence recorded")
        strong = conf.get("documented", 0) + conf.get("observed", 0)
        strength = ("strong" if answered and strong / answered >= 0.6 else "moderate" if answered and strong / answered >= 0.3
                    else "mostly interview-based")
        out = [self._heading("scope-and-method"),
               f"<p>We assessed how {esc(self.client)} integrates {esc(self.outsourcer)}"
               + (f" ({esc(join_words(e.outsourcer.services))}" + (f"; sites: {esc(join_words(e.outsourcer.sites))}" if e.outsourcer.sites else "") + ")" if e.outsourcer.services else "")
               + f" across four dimensions: people and structure, process, product and service, and technology. "
               f"The assessment was carried out on {esc(e.assessment.date.strftime('%-d %B %Y'))} by "
               f"{esc(join_words(e.assessment.consultants) or 'the engagement team')}.</p>",
               f"<p>Each of the {len(self.checklist)} items of the checklist ({esc(self.checklist.name)}, version "
               f"{esc(self.checklist.version)}) was scored for today (as-is) and for the agreed target (to-be). "
               f"{s.items_scored} of {s.items_total} items were answered.</p>",
               f"<h3>Strength of the evidence: {esc(strength)}</h3><p>{esc('; '.join(parts))}.</p>",
               "<p class='note'>Documented: seen in a document or system. Observed: seen in operation or on a site "
               "visit. Interview only: stated in a workshop and not yet corroborated.</p>",
               "<h3>The 0–5 scale</h3>",
               table(["Level", "Name", "What it looks like"],
                     [[str(k), f"<strong>{esc(n)}</strong>", esc(m)] for k, (n, m) in SCALE.items()],
                     ["9%", "25%", "66%"], cls="scale"),
               f"<p class='note'>A dimension's score is the weighted mean of its items; items marked n/a are left out. "
               f"The gap is to-be minus as-is, and an item's priority is its gap times its weight. An item is "
               f"'keep doing' when it scores {THRESHOLDS.keep_doing_min} or more and is already at target, and "
               f"'improve' when its gap is {THRESHOLDS.improve_gap} or more. The scale is inspired by public "
               f"sourcing-capability models; it is not a certification.</p>"]
        return Html("".join(out))

    # ------------------------------------------------------------------ 3. model overview
    def model_overview(self) -> Html:
        out = [self._heading("as-is-to-be"),
               "<p>The as-is and to-be model side by side: where the partnership stands today and where the client "
               "wants it to be.</p>",
               self._chart(charts.radar(self.scores), "Figure 1. As-is against to-be by dimension (0–5)."),
               self._chart(charts.dumbbell(self.scores), "Figure 2. The items with the largest gaps, by priority."),
               self._heat_table("Figure 3. Every item: as-is, to-be and gap.")]
        return Html("".join(out))

    def _heat_table(self, caption: str) -> str:
        """The heatmap as a table: crisp at any zoom, searchable, and cheap to print."""
        body = []
        for title, colour, items in charts.heat_rows(self.scores):
            body.append(f'<tr class="dim"><td colspan="4" style="color:{css_colour(colour)}">{esc(title)}</td></tr>')
            for item_id, item_title, cells in items:
                tds = "".join(f'<td class="v" style="background:{css_colour(fill)};color:{css_colour(ink)}">'
                              f'{esc(text)}</td>'
                              for text, fill, ink in cells)
                body.append(f'<tr><td class="label"><b>{esc(item_id)}</b> {esc(item_title)}</td>{tds}</tr>')
        head = "".join(f"<th>{esc(c)}</th>" for c in ("Item", *charts.HEAT_COLUMNS))
        return (f'<figure class="heat"><table class="heat"><colgroup><col style="width:64%"><col><col><col></colgroup>'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
                f"<figcaption>{esc(caption)}</figcaption></figure>")

    # ------------------------------------------------------------------ 4. dimensions
    def dimension(self, key: str) -> Html:
        d = self.scores.dimensions[key]
        items = [i for i in self.scores.items if i.dimension == key]
        keep = ranked(items, KEEP_DOING)
        gaps = ranked(items, IMPROVE)
        na = [i for i in items if i.classification == NOT_APPLICABLE]
        unscored = [i for i in items if i.classification == NOT_SCORED]
        summary = self.checklist.dimensions.get(key, {}).get("summary", "")
        out = [self._heading(f"dimension-{key}", d.title)]
        if summary:
            out.append(f"<p class='note'>{esc(summary)}</p>")
        if d.as_is is None:
            out.append("<p class='empty'>No item in this dimension has been scored, so there is nothing to report yet.</p>")
        else:
            out.append(f'<div class="tiles"><div class="tile"><div class="label">As-is</div><div class="value">{fmt(d.as_is)}</div></div>'
                       f'<div class="tile"><div class="label">To-be</div><div class="value">{fmt(d.to_be)}</div></div>'
                       f'<div class="tile"><div class="label">Gap</div><div class="value">{fmt(d.gap)}</div></div>'
                       f'<div class="tile"><div class="label">Answered</div><div class="value">{d.items_scored}'
                       f' <small>of {d.items_total}</small></div></div></div>')
        out.append("<h3>What is working well</h3>")
        if keep:
            out.append('<ul class="findings">' + "".join(self._finding(i) for i in keep) + "</ul>")
        else:
            out.append("<p class='empty'>No item in this dimension is yet both strong and at its target.</p>")
        out.append("<h3>Opportunities for improvement</h3>")
        if gaps:
            out.append('<ul class="findings gaps">' + "".join(self._finding(i, True) for i in gaps) + "</ul>")
        elif d.as_is is not None:
            out.append(f"<p class='empty'>None: every scored item in {esc(d.title.lower())} is at or above its "
                       f"target, so we suggest no changes here.</p>")
        on_track = [i for i in items if i.classification == "on track"]
        if on_track:
            out.append("<h4>On track</h4><p class='note'>" + esc("; ".join(f"{i.id} {i.title} ({i.as_is} → {i.to_be})"
                                                                          for i in on_track)) + ".</p>")
        if na:
            out.append("<h4>Not applicable</h4><ul class='findings'>" + "".join(
                f"<li><strong>{esc(i.title)}</strong> <span class='meta'>{esc(i.id)}</span>"
                + (f"<div class='quote'>{prose(i.notes, 280)}</div>" if i.notes else "") + "</li>" for i in na) + "</ul>")
        if unscored:
            out.append("<p class='note'>Not scored yet: " + esc(", ".join(i.id for i in unscored)) + ".</p>")
        return Html("".join(out))

    def _finding(self, i, gap: bool = False) -> str:
        spec = self.checklist[i.id]
        meta = [i.id, f"as-is {i.as_is}", f"to-be {i.to_be}"]
        if gap:
            meta += [f"priority {i.priority:g}", f"effort {i.effort}"]
        meta.append(CONFIDENCE_LABEL.get(i.confidence, "not recorded"))
        body = ""
        if i.notes:
            body += f'<div class="quote"><span class="label">Notes</span> {prose(i.notes)}</div>'
        if i.evidence:
            body += f'<div class="quote"><span class="label">Evidence</span> {prose(i.evidence)}</div>'
        if gap and i.to_be in spec.levels:
            body += f'<div class="quote"><span class="label">Target looks like</span> {esc(spec.levels[i.to_be])}</div>'
        elif gap:
            nearest = min(spec.levels, key=lambda k: (abs(k - i.to_be), -k))
            body += f'<div class="quote"><span class="label">Towards level {nearest}</span> {esc(spec.levels[nearest])}</div>'
        return f"<li><strong>{esc(i.title)}</strong> <span class='meta'>{esc(' · '.join(meta))}</span>{body}</li>"

    # ------------------------------------------------------------------ 5. prioritisation
    def prioritisation(self) -> Html:
        out = [self._heading("prioritisation")]
        acts = self.roadmap.actions
        if not acts:
            out.append("<p class='empty'>There is nothing to prioritise: no item has a gap of "
                       f"{THRESHOLDS.improve_gap} or more.</p>")
            return Html("".join(out))
        out.append(f"<p>Each opportunity is placed by its impact (priority: gap × weight; high from "
                   f"{THRESHOLDS.high_priority:g}) and the effort to close it.</p>")
        out.append(self._chart(charts.impact_effort(self.roadmap), "Figure 4. Impact against effort."))
        rows = []
        for q in rm.QUADRANTS:
            chosen = self.roadmap.by_quadrant(q)
            rows.append([f"<strong>{esc(q.capitalize())}s</strong>" if not q.endswith("s") else esc(q),
                         esc(", ".join(f"{a.id} {a.title}" for a in chosen)) or "<span class='muted'>none</span>",
                         str(len(chosen))])
        out.append(table(["Quadrant", "Items", "Count"], rows, ["20%", "70%", "10%"], num={2}))
        return Html("".join(out))

    # ------------------------------------------------------------------ 6. roadmap
    def roadmap_section(self) -> Html:
        out = [self._heading("roadmap")]
        plan = self.roadmap
        if not plan.actions:
            out.append("<p class='empty'>No roadmap is needed: every scored item is at its target.</p>")
            return Html("".join(out))
        c = self.engagement.contract
        notice = None
        if c.renewal_date:
            from ..analyses.contract import renewal_notice_deadline
            notice = renewal_notice_deadline(c.renewal_date, c.notice_days)
        out.append("<p>Actions are placed in three horizons by priority and effort. Items with lead times before "
                   "the hand-off (telecom and data lines, hiring, training, CRM) are pulled forward, and each "
                   "action starts only after the items it depends on.</p>")
        out += [f'<div class="callout warn"><strong>Honest dates.</strong> {esc(w)}</div>' for w in plan.warnings]
        hand_off = c.hand_off_date if c.hand_off_date and c.hand_off_date > self.as_of else None
        out.append(self._chart(charts.gantt(plan, hand_off=hand_off, renewal_notice=notice),
                               "Figure 5. Roadmap by dimension; hatched bars carry a lead time before the hand-off."))
        for name, _, _ in rm.HORIZONS:
            acts = plan.in_horizon(name)
            out.append(f"<h3>{esc(name)}</h3>")
            if not acts:
                out.append("<p class='empty'>Nothing is scheduled in this horizon.</p>")
                continue
            rows = [[f"<span class='id'>{esc(a.id)}</span>", esc(a.title) + (f"<div class='quote'>{esc(a.note)}</div>" if a.note else ""),
                     esc(self._dimension_title(a.dimension)), esc(a.start.strftime('%-d %b %Y')), esc(a.end.strftime('%-d %b %Y')),
                     esc(", ".join(a.depends_on)) or "–"] for a in acts]
            out.append(table(["Item", "Action", "Dimension", "Start", "Finish", "After"], rows,
                             ["9%", "41%", "16%", "12%", "12%", "10%"]))
        return Html("".join(out))

    # ------------------------------------------------------------------ 7. governance
    def governance(self) -> Html:
        from ..analyses import contract as ct

        e = self.engagement
        c = e.contract
        out = [self._heading("governance")]
        cadence = e.scorecard.review_cadence
        out.append(f"<p>Review the provider's performance {esc(cadence)} against a balanced scorecard of the "
                   "contractual KPIs, and take a deep dive whenever a measure is dramatically over- or under-achieved "
                   f"(more than {e.scorecard.deep_dive_threshold:.0%} from target): over-achievement usually "
                   "means over-staffing and cost, under-achievement needs its cause found.</p>")
        rows = [["Monthly", "Service review: balanced scorecard, deep dives, actions", "Both parties' service owners"],
                ["Quarterly", "Roadmap progress and benefits realisation against this readout", "Sponsors and programme lead"],
                ["Yearly", "Re-assessment with this checklist, as-is against the new to-be", "Consultants with both teams"]]
        out.append(table(["Cadence", "Forum", "Who"], rows, ["16%", "54%", "30%"]))
        out.append("<h3>Key dates</h3>")
        dates = []
        if c.hand_off_date:
            days = (c.hand_off_date - self.as_of).days
            dates.append(["Hand-off", esc(c.hand_off_date.isoformat()),
                          f"in {plural(days, 'day')}" if days >= 0 else "done"])
        if c.renewal_date:
            deadline = ct.renewal_notice_deadline(c.renewal_date, c.notice_days)
            level = ct.renewal_alert(deadline, self.as_of)
            colour = {"overdue": "red", "urgent": "red", "soon": "amber"}.get(level, "green")
            left = (deadline - self.as_of).days
            dates.append(["Renewal notice deadline", esc(deadline.isoformat()),
                          pill(level, colour) + f" {plural(left, 'day')} left" if left >= 0 else pill(level, colour)])
            dates.append(["Renewal date", esc(c.renewal_date.isoformat()),
                          f"automatic renewal unless notice is given {c.notice_days} days ahead"])
        if dates:
            out.append(table(["What", "Date", "Status"], dates, ["30%", "20%", "50%"]))
        else:
            out.append("<p class='empty'>The engagement file records no hand-off or renewal date.</p>")
        out.append("<h3>Next steps</h3><ol>")
        first = self.roadmap.in_horizon(rm.HORIZONS[0][0])[:3]
        steps = []
        if c.renewal_date:
            deadline = ct.renewal_notice_deadline(c.renewal_date, c.notice_days)
            level = ct.renewal_alert(deadline, self.as_of)
            if level in ("soon", "urgent"):
                steps.append(f"Decide before {deadline:%-d %B %Y} whether to renew as is, renegotiate using this "
                             "readout, or give notice of non-renewal.")
            elif level == "overdue":
                steps.append(f"The notice deadline passed on {deadline:%-d %B %Y}: check with legal whether notice "
                             f"can still be given, and plan the renegotiation for the term that starts "
                             f"{c.renewal_date:%-d %B %Y}.")
        if self.roadmap.warnings:
            steps.append("Resolve the hand-off risks this week: confirm the order and install dates for every item "
                         "with a lead time, or move the hand-off date.")
        steps.append(f"Agree owners and dates for the {plural(len(self.roadmap.actions), 'roadmap action')}."
                     if self.roadmap.actions else "Confirm that today's practices are written into the operating model.")
        steps += [f"Start {a.id}: {a.title}." for a in first]
        steps.append("Put the balanced scorecard on the agenda of the next monthly service review.")
        out.append("".join(f"<li>{esc(s)}</li>" for s in steps) + "</ol>")
        return Html("".join(out))

    # ------------------------------------------------------------------ 8. appendix
    def appendix(self) -> Html:
        rows = []
        for i in self.scores.items:
            a = "n/a" if i.classification == NOT_APPLICABLE else ("–" if i.as_is is None else str(i.as_is))
            b = "n/a" if i.classification == NOT_APPLICABLE else ("–" if i.to_be is None else str(i.to_be))
            text = prose(i.notes, APPENDIX_LIMIT) + (f"<br/><span class='muted'>Evidence:</span> {prose(i.evidence, APPENDIX_LIMIT)}" if i.evidence else "")
            rows.append([f"<span class='id'>{esc(i.id)}</span>", esc(i.title), a, b,
                         pill(i.classification, CLASS_PILL.get(i.classification, "grey")), text,
                         esc(CONFIDENCE_LABEL.get(i.confidence, "–"))])
        prov = (f"Generated {self.generated.isoformat()} by outsourcing-readout {__version__} · checklist "
                f"{esc(self.checklist.version)} ({esc(self.checklist.source)}) · engagement file sha256 "
                f"{self.file_sha256[:16]}")
        return Html(self._heading("appendix") + '<div class="appendix">'
                    + table(["Item", "Title", "As-is", "To-be", "Class", "Notes and evidence", "Confidence"], rows,
                            ["8%", "19%", "6%", "6%", "12%", "37%", "12%"], num={2, 3})
                    + f'<p class="provenance">Provenance: {prov}</p></div>')

    def numbers(self) -> Html:
        from .numbers import numbers_section

        return Html(self._heading("numbers") + numbers_section(self))
