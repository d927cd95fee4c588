"""Every rule the readout applies to a number or a date, each written once.

A leaf module: it imports nothing of the project, so the analyses, the checklist, the facts
and the report all import from here and never define a rule of their own.

* **Colours and labels.** RAG colours (by name, with the hex the charts draw; the pills in
  ``templates/readout/readout.css`` use the same values), the KPI status labels, the colour of
  a renewal, lead-time and SLA status, the trend and confidence labels.
* **Renewal.** The notice deadline's status: overdue once passed, urgent within
  :data:`URGENT_DAYS`, soon within :data:`SOON_DAYS`, else ok.
* **Lead times.** The one hand-off feasibility model: the days available against the lead
  time (too late below its minimum, tight up to its maximum, else ok), and its sentence.
* **Links from the checklist to the numbers** (``kpi_links`` on a checklist item).
* **Printing numbers.** :func:`round_toward`: a value is rounded once, and never onto or across a
  threshold it sits on the other side of (79.99 % against an 80 % target prints 79.9 %, not 80.0 %).
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Iterable

# --------------------------------------------------------------------------- colours
GREEN, AMBER, RED, GREY, BLUE = "green", "amber", "red", "grey", "blue"
#: What the charts draw for each colour name: the same values as ``--green``, ``--amber`` and ``--red`` in
#: readout.css, so a dot in a chart and the pill beside it are one colour (tests/test_facts.py checks).
PALETTE = {GREEN: "#2E7D32", AMBER: "#B26A00", RED: "#C62828", GREY: "#8a96a3"}

# --------------------------------------------------------------------------- KPI status (RAG)
#: The label always printed beside a KPI's colour (analyses/kpis.py decides the colour).
RAG_LABEL = {GREEN: "Met", AMBER: "Within tolerance", RED: "Missed"}
RAG_ORDER = (GREEN, AMBER, RED)
TREND_LABEL = {"improving": "↗ improving", "worsening": "↘ worsening", "flat": "→ flat"}
DEEP_DIVE_LABEL = {"over": "over target", "under": "under target", None: "–"}

# --------------------------------------------------------------------------- the renewal notice deadline
URGENT_DAYS = 30    # within this many days of the deadline: urgent
SOON_DAYS = 90      # within this many days: on the agenda of the next reviews
OVERDUE, URGENT, SOON, OK = "overdue", "urgent", "soon", "ok"
RENEWAL_COLOUR = {OVERDUE: RED, URGENT: RED, SOON: AMBER, OK: GREEN}
RENEWAL_ALERTS = (OVERDUE, URGENT, SOON)   # statuses the executive summary calls out


def renewal_status(days_left: int) -> str:
    """'overdue' once the deadline has passed, 'urgent' within 30 days, 'soon' within 90, else 'ok'."""
    if days_left < 0:
        return OVERDUE
    if days_left <= URGENT_DAYS:
        return URGENT
    if days_left <= SOON_DAYS:
        return SOON
    return OK


# --------------------------------------------------------------------------- lead times before the hand-off
LEAD_TIME_KINDS = ("telecom", "hiring", "training", "crm")
LEAD_TIME_LABEL = {"telecom": "Telecom and data lines", "hiring": "Agent hiring", "training": "Agent training",
                   "crm": "CRM set-up"}
_LEAD_PLURAL = {"telecom"}   # "telecom and data lines need", "agent hiring needs"
LEAD_OK, LEAD_TIGHT, LEAD_TOO_LATE = "ok", "tight", "too late"
LEAD_TIME_COLOUR = {LEAD_OK: GREEN, LEAD_TIGHT: AMBER, LEAD_TOO_LATE: RED}
LEAD_TIME_AFTER = {"training": "hiring"}   # training starts once hiring is done (training precedes go-live)


def lead_time_status(days_available: int, lo: int, hi: int) -> str:
    """THE hand-off feasibility rule: 'too late' with fewer days than the shortest lead time, 'tight' up to
    the longest, else 'ok'."""
    if days_available < lo:
        return LEAD_TOO_LATE
    if days_available <= hi:
        return LEAD_TIGHT
    return LEAD_OK


def lead_time_need(lo: int, hi: int) -> str:
    return f"{lo}–{hi} days" if lo != hi else f"{lo} days"


def lead_time_sentence(kind: str, lo: int, hi: int, days_available: int, status: str, after: str = "",
                       latest_start: str = "", then: tuple[str, int, int] | None = None) -> str:
    """One sentence for one lead time: what it needs, what is left, the verdict and what to do.

    ``then``: (kind, lo, hi) of the work that waits for this one (training after hiring): the need and the
    verdict are then those of both together."""
    label = LEAD_TIME_LABEL.get(kind, kind)
    verb = "need" if kind in _LEAD_PLURAL else "needs"
    left = f"{max(days_available, 0)} days are left" + (f" once {after} is done" if after else "")
    if then:
        nxt, tlo, thi = then
        verdicts = {
            LEAD_OK: "both can be ready" + (f" if it starts by {latest_start}" if latest_start else "") + ".",
            LEAD_TIGHT: "this only just fits, with no slack"
                        + (f" (at the longer lead times it had to start by {latest_start})" if latest_start else "")
                        + ". Start at once.",
            LEAD_TOO_LATE: "they cannot be ready in time. Move the hand-off date or secure an expedited or interim "
                           "arrangement now.",
        }
        return (f"{label} {verb} {lead_time_need(lo, hi)} and {LEAD_TIME_LABEL.get(nxt, nxt).lower()} "
                f"{lead_time_need(tlo, thi)} after it, {lead_time_need(lo + tlo, hi + thi)} in all; {left}: "
                + verdicts[status])
    verdict = {LEAD_OK: "it can be ready" + (f" if started by {latest_start}" if latest_start else "") + ".",
               LEAD_TIGHT: "this only just fits, with no slack. Start at once.",
               LEAD_TOO_LATE: "it cannot be ready in time. Move the hand-off date or secure an expedited or interim "
                              "arrangement now."}[status]
    return f"{label} {verb} {lead_time_need(lo, hi)}; {left}: {verdict}"


# --------------------------------------------------------------------------- SLA alignment
SLA_COLOUR = {"ok": GREEN, "unbacked": RED, "under-capacity": RED, "availability": AMBER,
              "unit-mismatch": AMBER, "unknown-it-sla": AMBER}

# --------------------------------------------------------------------------- evidence and stance
CONFIDENCE_LABEL = {"documented": "documented", "observed": "observed", "interview": "interview only",
                    None: "not recorded"}
STRONG_EVIDENCE = 0.6     # share of answers documented or observed for "strong" evidence
MODERATE_EVIDENCE = 0.3   # ... for "moderate"; below it, "mostly interview-based"


def evidence_strength(strong: int, answered: int) -> str:
    if answered and strong / answered >= STRONG_EVIDENCE:
        return "strong"
    if answered and strong / answered >= MODERATE_EVIDENCE:
        return "moderate"
    return "mostly interview-based"


#: How the client treats its provider, from the overall as-is score: (below this score, the words).
STANCES = ((1.5, "an arm's-length vendor"), (2.5, "a vendor with some shared practices, not yet a partner"),
           (3.5, "a partner in most respects, and an extension of the team in places"))
STANCE_TOP = "a seamless extension of its own team"


def stance(as_is: float | None) -> str:
    """How the client treats its provider, in the articles' words, from the overall as-is score."""
    if as_is is None:
        return "not yet assessed"
    for below, words in STANCES:
        if as_is < below:
            return words
    return STANCE_TOP


STANCE_BOUNDARIES = tuple(b for b, _ in STANCES)

# --------------------------------------------------------------------------- links from the checklist to the numbers
# A checklist item lists, under ``kpi_links``, the numbers that bear on it. Each link is one of:
LINK_SCORECARD = "scorecard"   # the balanced scorecard: several KPIs missed in the month
LINK_COVERAGE = "coverage"     # the hours of coverage: the data recommends extending or trimming the window
LINK_SLAS = "slas"             # the SLA alignment: a business SLA not backed by IT
# ... or a KPI key of the catalogue (``service_level``): deep dives due on that KPI while the item scores
# at most LINK_KPI_MAX_SCORE, so the numbers support a low score for the item.
LINK_NAMES = (LINK_SCORECARD, LINK_COVERAGE, LINK_SLAS)
LINK_KPI_MAX_SCORE = 3
LINK_MISSED_KPIS = 3           # a scorecard link speaks when at least this many KPIs missed target in the month


# --------------------------------------------------------------------------- printing numbers
def round_toward(value: float, digits: int = 1, thresholds: Iterable[float] = ()) -> float:
    """``value`` rounded to ``digits`` decimals, never onto or across a threshold it is not on.

    79.99 against 80 prints 79.9 (not 80.0); 80.04 against 80 prints 80.1; 80 itself prints 80.0.
    This is the one place a printed number is rounded: the facts call it, the templates only format.
    """
    value = float(value)
    printed = round(value, digits)
    scale = 10 ** digits
    for t in thresholds:
        if t is None:
            continue
        if value < t <= printed:
            printed = math.floor(value * scale) / scale
        elif printed <= t < value:
            printed = math.ceil(value * scale) / scale
    return round(printed, digits)


def percent(share: float, digits: int = 1, thresholds: Iterable[float] = ()) -> float:
    """A share (0-1) as a printed percentage, rounded once (thresholds are shares too)."""
    return round_toward(share * 100, digits, [t * 100 for t in thresholds])


# --------------------------------------------------------------------------- serving a notice
NOTICE_DAYS = 7   # a notice must be received by the deadline: serve it this many days before, with proof of receipt


def notice_by(deadline: dt.date | None, as_of: dt.date) -> dt.date | None:
    """The day to serve a notice so that it is received by the notice deadline (never before ``as_of``)."""
    return max(deadline - dt.timedelta(days=NOTICE_DAYS), as_of) if deadline else None
