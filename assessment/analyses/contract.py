"""Contract dates: the renewal notice deadline and how close it is, and whether the hand-off is feasible. Pure.

An agreement that renews automatically can only be left or renegotiated if notice of
non-renewal is given before the deadline (renewal date minus the notice period,
typically 90 days). Missing it commits the client to another term.

The status rules (how close is urgent, when a lead time is too late) live in
:mod:`assessment.rules`; this module applies them to an engagement's dates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..rules import (LEAD_TIME_AFTER, LEAD_TIME_KINDS, LEAD_TIME_LABEL, OK, OVERDUE, SOON, SOON_DAYS, URGENT,
                     URGENT_DAYS, lead_time_sentence, lead_time_status, renewal_status)

__all__ = ["URGENT_DAYS", "SOON_DAYS", "OVERDUE", "URGENT", "SOON", "OK", "LEAD_NAMES", "renewal_notice_deadline",
           "days_left", "renewal_alert", "LeadTimeCheck", "handoff_feasibility", "Milestone", "timeline"]


def renewal_notice_deadline(renewal_date: dt.date, notice_days: int) -> dt.date:
    """The last day on which notice of non-renewal can be given."""
    return renewal_date - dt.timedelta(days=notice_days)


def days_left(deadline: dt.date, as_of: dt.date) -> int:
    return (deadline - as_of).days


def renewal_alert(deadline: dt.date, as_of: dt.date) -> str:
    """'overdue' once the deadline has passed, 'urgent' within 30 days, 'soon' within 90, else 'ok'
    (:func:`assessment.rules.renewal_status`)."""
    return renewal_status(days_left(deadline, as_of))


# --------------------------------------------------------------------------- hand-off feasibility
LEAD_NAMES = LEAD_TIME_LABEL   # the one set of labels (assessment.rules)


@dataclass(frozen=True)
class LeadTimeCheck:
    kind: str
    lo: int
    hi: int
    latest_start: dt.date      # hand-off minus the longer lead time
    status: str                # ok | tight | too late
    sentence: str
    days_available: int = 0    # days left before the hand-off once the work can start
    after: str = ""            # what the work waits for ("hiring" for training)
    then: str = ""             # the work that waits for this one ("training" for hiring)
    chain_status: str = ""     # the verdict for this work and what waits for it together (status when nothing waits)
    chain_latest_start: dt.date | None = None   # the latest start that leaves time for what waits for it too


def handoff_feasibility(as_of: dt.date, hand_off: dt.date | None, lead_times) -> list[LeadTimeCheck]:
    """THE hand-off feasibility model: each lead time against the days left before the hand-off.

    Training starts once hiring is done, so it has the days left less hiring's longer lead time; and hiring is
    judged with the training that waits for it (``chain_status``, ``chain_latest_start``: it had to start early
    enough for both). An empty list when there is no hand-off ahead.
    """
    if hand_off is None or hand_off <= as_of:
        return []
    left = (hand_off - as_of).days
    waits = {v: k for k, v in LEAD_TIME_AFTER.items()}     # hiring -> training
    out = []
    for kind in LEAD_TIME_KINDS:
        lo, hi = lead_times.days(kind)
        after = LEAD_TIME_AFTER.get(kind, "")
        avail = left - lead_times.days(after)[1] if after else left
        status = lead_time_status(avail, lo, hi)
        latest = hand_off - dt.timedelta(days=hi)
        then = waits.get(kind, "")
        if then:   # training waits for hiring: hiring is judged with it, and had to start early enough for both
            tlo, thi = lead_times.days(then)
            chain = lead_time_status(avail, lo + tlo, hi + thi)
            chain_latest = hand_off - dt.timedelta(days=hi + thi)
            sentence = lead_time_sentence(kind, lo, hi, avail, chain, after, chain_latest.isoformat(),
                                          (then, tlo, thi))
        else:
            chain, chain_latest = status, latest
            sentence = lead_time_sentence(kind, lo, hi, avail, status, after, latest.isoformat())
        out.append(LeadTimeCheck(kind, lo, hi, latest, status, sentence, avail, after, then, chain, chain_latest))
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
