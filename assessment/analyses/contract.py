"""Contract dates: the renewal notice deadline and how close it is. Pure functions.

An agreement that renews automatically can only be left or renegotiated if notice of
non-renewal is given before the deadline (renewal date minus the notice period,
typically 90 days). Missing it commits the client to another term.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

URGENT_DAYS = 30    # within this many days of the deadline: urgent
SOON_DAYS = 90      # within this many days: on the agenda of the next reviews

OVERDUE, URGENT, SOON, OK = "overdue", "urgent", "soon", "ok"


def renewal_notice_deadline(renewal_date: dt.date, notice_days: int) -> dt.date:
    """The last day on which notice of non-renewal can be given."""
    return renewal_date - dt.timedelta(days=notice_days)


def days_left(deadline: dt.date, as_of: dt.date) -> int:
    return (deadline - as_of).days


def renewal_alert(deadline: dt.date, as_of: dt.date) -> str:
    """'overdue' once the deadline has passed, 'urgent' within 30 days, 'soon' within 90, else 'ok'."""
    left = days_left(deadline, as_of)
    if left < 0:
        return OVERDUE
    if left <= URGENT_DAYS:
        return URGENT
    if left <= SOON_DAYS:
        return SOON
    return OK


# --------------------------------------------------------------------------- hand-off feasibility
LEAD_NAMES = {"telecom": "Telecom and data lines", "hiring": "Agent hiring", "training": "Agent training",
              "crm": "CRM set-up"}


@dataclass(frozen=True)
class LeadTimeCheck:
    kind: str
    lo: int
    hi: int
    latest_start: dt.date      # hand-off minus the longer lead time
    status: str                # ok | tight | too late
    sentence: str


def handoff_feasibility(as_of: dt.date, hand_off: dt.date | None, lead_times) -> list[LeadTimeCheck]:
    """Each lead time against the days left before the hand-off (training follows hiring)."""
    if hand_off is None or hand_off <= as_of:
        return []
    left = (hand_off - as_of).days
    out = []
    for kind in ("telecom", "hiring", "training", "crm"):
        lo, hi = lead_times.days(kind)
        avail = left
        extra = ""
        if kind == "training":
            avail = left - lead_times.days("hiring")[1]
            extra = " once hiring is done"
        status = "too late" if avail < lo else "tight" if avail <= hi else "ok"
        need = f"{lo}–{hi} days" if lo != hi else f"{lo} days"
        verdict = {"ok": "can be ready", "tight": "only just fits, with no slack",
                   "too late": "cannot be ready in time"}[status]
        out.append(LeadTimeCheck(kind, lo, hi, hand_off - dt.timedelta(days=hi), status,
                                 f"{LEAD_NAMES[kind]} need {need}; {max(avail, 0)} days are left{extra}: {verdict}."))
    return out


@dataclass(frozen=True)
class Milestone:
    date: dt.date
    label: str
    kind: str


def timeline(contract, assessed: dt.date) -> list[Milestone]:
    out = [Milestone(assessed, "Assessment", "assessment")]
    if contract.start_date:
        out.append(Milestone(contract.start_date, "Contract start", "start"))
    if contract.hand_off_date:
        out.append(Milestone(contract.hand_off_date, "Hand-off", "hand-off"))
    if contract.renewal_date:
        out.append(Milestone(renewal_notice_deadline(contract.renewal_date, contract.notice_days),
                             "Renewal notice deadline", "notice"))
        out.append(Milestone(contract.renewal_date, "Renewal", "renewal"))
    return sorted(out, key=lambda m: m.date)
