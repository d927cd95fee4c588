"""The monthly governance scorecard: 2-4 pages for the monthly service review.

Same engagement file, same analyses, same template as the readout; only the sections differ.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..checklist import load_checklist
from ..validate import load_engagement
from . import numbers as nb
from .branding import Branding, load_branding
from .markup import Html, esc, plural, running_client


@dataclass
class Scorecard:
    path: Path
    engagement: object
    branding: Branding
    as_of: dt.date
    numbers: nb.Numbers

    @classmethod
    def load(cls, engagement: str, checklist: str = "", branding: str = "", month: str = "",
             as_of: str = "") -> "Scorecard":
        path = Path(engagement).resolve()
        eng = load_engagement(path, load_checklist(checklist or None))
        when = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        n = nb.collect(path, eng, when, month)
        return cls(path, eng, load_branding(branding or None), when, n)

    def header(self) -> Html:
        e, n = self.engagement, self.numbers
        month = n.month or "no KPI data"
        return Html(
            f'<section class="pack-cover scorecard-head"><div class="kicker">Monthly service review · '
            f"{esc(self.branding.firm)}</div><h1>{esc(e.client.name)}</h1>"
            f"<p>Balanced scorecard for <strong>{esc(month)}</strong> · provider {esc(e.outsourcer.name)} · "
            f"prepared {esc(self.as_of.strftime('%-d %B %Y'))}</p>"
            f"{running_client(e.client.name)}</section>")

    def summary(self) -> Html:
        n = self.numbers
        out = ['<h2 class="sc" id="summary">This month</h2>']
        if n.scorecard is None:
            out.append("<p class='empty'>No KPI data: add kpis.csv beside the engagement file "
                       "(month, kpi, actual, target, optional tolerance).</p>")
        else:
            entries = n.scorecard.for_month(n.month)
            counts = {s: sum(1 for e in entries if e.status == s) for s in ("green", "amber", "red")}
            out.append(f"<p>{plural(len(entries), 'KPI')} reported for {esc(n.month)}: {counts['green']} met, "
                       f"{counts['amber']} within tolerance, {counts['red']} missed; "
                       f"{plural(len(n.scorecard.dives(n.month)), 'deep dive')} due.</p>")
        out += [f"<div class='callout warn'>{esc(w)}</div>" for w in n.warnings[:5]]
        if n.skipped:
            out.append("<div class='callout'><strong>Not covered this month.</strong><ul>" + "".join(
                f"<li>{esc(s)}</li>" for s in n.skipped) + "</ul></div>")
        return Html("".join(out))

    def kpis(self) -> Html:
        n = self.numbers
        if n.scorecard is None:
            return Html("")
        return Html('<h2 class="sc" id="kpis">KPIs against target</h2>' + nb.kpi_table(n) + nb.dives_html(n)
                    + nb.kpi_chart(n, "Twelve months of each KPI against its target; point colours are the status "
                                      "labels in the table."))

    def coverage(self) -> Html:
        n = self.numbers
        if n.coverage is None:
            return Html("")
        return Html('<h2 class="sc" id="coverage">Hours of coverage</h2>' + nb.coverage_html(n))

    def contract(self) -> Html:
        return Html('<h2 class="sc" id="contract">Contract dates and SLAs</h2>'
                    + nb.contract_html(self.numbers, self.engagement, self.as_of) + nb.slas_html(self.numbers))
