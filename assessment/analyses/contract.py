"""Contract dates: the renewal notice deadline and how close it is. Pure functions.

An agreement that renews automatically can only be left or renegotiated if notice of
non-renewal is given before the deadline (renewal date minus the notice period,
typically 90 days). Missing it commits the client to another term.
"""
from __future__ import annotations

import datetime as dt

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
