"""Write the three example engagements, deterministically.

    python examples/generate.py            # rewrites examples/engagements/*

Each example tells a different story:

* Harbour Lane Bank: a new transition, hand-off 60 days after the assessment, telecom
  lines not yet ordered. No KPI history yet (the service is not live); the in-house
  contact data is used to check the planned coverage window. It leads with a go / no-go
  on the hand-off: hiring then training cannot finish by 15 January, so a phased go-live.
* Alpenrose Télécom AG: a mature relationship; service level is over-achieved month
  after month (an over-staffing cost the client pays), the first opening hour is nearly
  empty, and the renewal notice deadline falls within 45 days of the assessment. It leads
  with protective notice by 15 December, then a renegotiation of target and price.
* Kestrel Insurance: a troubled relationship, weak on people and technology; every KPI
  is missed, customers call after closing, and IT capacity does not back the online
  claims service level before the winter storm season. It leads with the renewal: a
  short renewal with a joint remediation plan, Kestrel fixing its own practices first.

Each has a ``commercials`` block (currency, loaded agent-hour cost, monthly fee, service
credits, value of a lost contact) sized to its contact volumes, for the business case.

The scores, notes and numbers are fictional. The random parts use a fixed seed, so
running this twice gives identical files.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from assessment.checklist import DIMENSIONS, load_checklist  # noqa: E402

OUT = HERE / "engagements"
CONF = {"d": "documented", "o": "observed", "i": "interview"}


def q(text) -> str:
    return json.dumps(str(text), ensure_ascii=False)


# --------------------------------------------------------------------------- stories
# item: (as_is, to_be, confidence, notes, evidence). Scores may be "n/a".
HARBOUR = {
    "client": {"name": "Harbour Lane Bank", "industry": "Retail banking"},
    "assessment": {"date": "2026-11-16", "consultants": ["Priya Raman", "Tom Okafor"]},
    "outsourcer": {"name": "Meridian Contact Solutions", "services": ["card services", "collections"],
                   "sites": ["Cape Town", "Belfast"]},
    "contract": {"start_date": "2026-10-01", "renewal_date": "2029-10-01", "notice_days": 180,
                 "hand_off_date": "2027-01-15"},
    # 85 agents planned at about 150 staffed hours a month each; card activations lost are re-contacts or churn
    "commercials": {"currency": "GBP", "agent_hour_cost": 24.0, "monthly_fee": 330000,
                    "service_credits": [{"kpi": "service_level", "percent": 2.0}, {"kpi": "abandonment", "percent": 1.0}],
                    "value_per_lost_contact": 12.0},
    "peaks": [],
    "coverage": {"timezone": "Europe/London", "mon": "08:00-20:00", "tue": "08:00-20:00", "wed": "08:00-20:00",
                 "thu": "08:00-20:00", "fri": "08:00-20:00", "sat": "09:00-17:00", "sun": "closed"},
    "slas": {
        "business": [
            {"id": "BUS-01", "name": "Card activation by phone", "demand": 4000, "unit": "activations/day",
             "availability": 99.5, "backed_by": ["IT-01", "IT-02"]},
            {"id": "BUS-02", "name": "Lost-card blocking", "demand": 600, "unit": "blocks/day",
             "availability": 99.9, "backed_by": ["IT-01"]},
        ],
        "it": [
            {"id": "IT-01", "name": "Card management platform", "capacity": 20000, "unit": "transactions/day",
             "availability": 99.95},
            {"id": "IT-02", "name": "Telephony IVR", "capacity": 6000, "unit": "activations/day",
             "availability": 99.5},
        ],
    },
    "items": {
        "PEO-01": (3, 4, "d", "Strategy deck shared at kick-off; the 2027 growth targets were redacted.", "Kick-off pack, 2026-10-03"),
        "PEO-02": (2, 4, "i", "The contactless card relaunch in March is not yet on any shared calendar.", ""),
        "PEO-03": (3, 4, "o", "Meridian raised its Belfast hiring risk openly at the steering group.", "Steering minutes 2026-11-04"),
        "PEO-04": (3, 4, "d", "Executive and operations counterparts named; team-lead level not yet.", "Relationship map v0.3"),
        "PEO-05": (3, 4, "d", "Two visits to Cape Town during selection; none planned after go-live.", "Visit log"),
        "PEO-06": (3, 4, "o", "", ""),
        "PEO-07": (2, 4, "d", "Hiring plan has a headcount (85) but no attrition allowance and no dates for wave 2.", "Hiring plan v1"),
        "PEO-08": (4, 5, "i", "The COO sponsors the move as part of the retention strategy, not only for cost.", ""),
        "PEO-09": (2, 4, "i", "Card operations and IT have not been briefed on what changes for customers.", ""),
        "PEO-10": (4, 5, "d", "A transition manager with two previous bank transitions leads the work.", "CV and plan"),
        "PEO-11": (1, 3, "i", "", ""),
        "PRC-01": (2, 4, "d", "In-house service level is known (76 % in 20 s) but the target for Meridian is still being argued.", "In-house MI pack"),
        "PRC-02": (1, 4, "d", "The draft scorecard has service level and ASA only.", "Schedule 4 draft"),
        "PRC-03": (1, 4, "i", "No review rhythm has been designed for after go-live.", ""),
        "PRC-04": (2, 4, "d", "The 20:00 close was copied from the in-house centre without checking evening demand.", ""),
        "PRC-05": (3, 4, "d", "Renewal in 2029 with 180 days' notice; recorded in the contract register.", "Contract register"),
        "PRC-06": (1, 4, "d", "Hand-off of 15 January was fixed by the board before telecom and hiring lead times were known.", "Board minute 2026-09-12"),
        "PRC-07": (2, 4, "i", "", ""),
        "PRC-08": (3, 4, "d", "PRINCE2 status reports weekly during transition; no benefits register after go-live.", "Status report #7"),
        "PRC-09": (2, 4, "o", "", ""),
        "PRC-10": (2, 4, "i", "Policy changes still go out by email from three different teams.", ""),
        "PRC-11": ("n/a", "n/a", "i", "Card services scope is fixed by regulation; no discretionary requests are in scope.", ""),
        "PRC-12": (2, 4, "d", "", ""),
        "PRD-01": (2, 4, "d", "The bank's product and conduct modules exist but no trainer is assigned for wave 1.", "Training plan draft"),
        "PRD-02": (4, 4, "d", "Meridian's skills curriculum is strong and reviewed by the bank.", "Curriculum v2"),
        "PRD-03": ("n/a", "n/a", "i", "Card services have no stock or availability questions.", ""),
        "PRD-04": (2, 4, "o", "Knowledge articles are being migrated; 40 % reviewed so far.", "KB migration tracker"),
        "PRD-05": (3, 3, "o", "", ""),
        "PRD-06": (2, 4, "i", "", ""),
        "PRD-07": (2, 4, "d", "Fee refunds up to £25 are agreed for in-house staff; Meridian's limit is still £0.", "Authority matrix draft"),
        "PRD-08": (3, 4, "i", "", ""),
        "PRD-09": (2, 3, "i", "", ""),
        "PRD-10": (2, 4, "i", "", ""),
        "PRD-11": (3, 4, "o", "", ""),
        "TEC-01": (0, 4, "d", "Carrier order for the Belfast lines has not been placed; procurement is waiting for a signature.", "Procurement tracker"),
        "TEC-02": (1, 4, "d", "CRM access for Meridian is designed but the build slot is in January.", "Change request CR-2231"),
        "TEC-03": (2, 4, "d", "Account data feed designed as a nightly batch; no alerting.", "Interface spec"),
        "TEC-04": (2, 3, "i", "", ""),
        "TEC-05": (3, 4, "d", "Business and IT SLAs are mapped for card activation and lost-card blocking.", "SLA mapping sheet"),
        "TEC-06": (3, 4, "d", "", ""),
        "TEC-07": (1, 4, "i", "Reporting will be assembled by hand in the first months.", ""),
        "TEC-08": (2, 4, "d", "", ""),
        "TEC-09": (3, 4, "d", "In-house interval data is available for the coverage check.", "ACD export"),
        "TEC-10": (2, 4, "o", "", ""),
        "TEC-11": (2, 3, "i", "", ""),
    },
}

ALPENROSE = {
    "client": {"name": "Alpenrose Télécom AG", "industry": "Telecommunications"},
    "assessment": {"date": "2026-11-10", "consultants": ["Zoë Müller", "José Núñez"]},
    "outsourcer": {"name": "Nordlicht Services GmbH", "services": ["customer care", "technical support", "retention"],
                   "sites": ["Zürich", "Lisboa"]},
    "contract": {"start_date": "2022-03-15", "renewal_date": "2027-03-15", "notice_days": 90,
                 "hand_off_date": "2022-06-01"},
    # about 25,000 staffed agent-hours a month across Zürich and Lisboa; a lost contact risks a retention case
    "commercials": {"currency": "CHF", "agent_hour_cost": 48.0, "monthly_fee": 1450000,
                    "service_credits": [{"kpi": "service_level", "percent": 1.5}, {"kpi": "fcr", "percent": 1.0}],
                    "value_per_lost_contact": 25.0},
    "peaks": [],
    "coverage": {"timezone": "Europe/Zurich", "mon": "07:00-21:00", "tue": "07:00-21:00", "wed": "07:00-21:00",
                 "thu": "07:00-21:00", "fri": "07:00-21:00", "sat": "08:00-20:00", "sun": "08:00-20:00"},
    "slas": {
        "business": [
            {"id": "BUS-01", "name": "Fault reporting", "demand": 9000, "unit": "tickets/day", "availability": 99.5,
             "backed_by": ["IT-01"]},
            {"id": "BUS-02", "name": "Online contract changes", "demand": 2500, "unit": "orders/day",
             "availability": 99.0, "backed_by": ["IT-02", "IT-03"]},
        ],
        "it": [
            {"id": "IT-01", "name": "Ticketing platform", "capacity": 15000, "unit": "tickets/day", "availability": 99.9},
            {"id": "IT-02", "name": "Order management", "capacity": 4000, "unit": "orders/day", "availability": 99.7},
            {"id": "IT-03", "name": "Customer portal", "capacity": 6000, "unit": "orders/day", "availability": 99.5},
        ],
    },
    "items": {
        "PEO-01": (5, 5, "d", "Nordlicht's account lead sits on Alpenrose's customer-strategy board.", "Board membership list"),
        "PEO-02": (4, 5, "d", "The launch calendar is shared twelve weeks ahead; the Glasfaser Pro launch was handled without a spike in repeat calls.", "Launch calendar 2026"),
        "PEO-03": (4, 4, "d", "Joint risk log reviewed every quarter.", "Risk log Q3"),
        "PEO-04": (4, 4, "d", "", "Relationship map 2026"),
        "PEO-05": (4, 4, "d", "Quarterly visits both ways; Lisboa team leads spent a week in Zürich in May.", "Visit log"),
        "PEO-06": (4, 4, "o", "", ""),
        "PEO-07": ("n/a", "n/a", "d", "Transition finished in 2022; hiring is now steady-state and covered by attrition KPIs.", ""),
        "PEO-08": (4, 5, "i", "Leadership describes Nordlicht as part of the retention strategy; the save desk is outsourced.", ""),
        "PEO-09": (3, 4, "i", "IT and billing know the customer impact of their changes; finance does not yet.", ""),
        "PEO-10": (4, 4, "d", "", ""),
        "PEO-11": (4, 4, "o", "Nordlicht agents received the Alpenrose service award 2026 — Lisboa team “Atlântico” ✓.", "Award announcement"),
        "PRC-01": (4, 4, "d", "", "Service charter v3"),
        "PRC-02": (4, 5, "d", "Balanced scorecard with service, quality, cost and satisfaction; cost per contact is not yet on it.", "Scorecard Oct 2026"),
        "PRC-03": (3, 5, "d", "Monthly reviews happen, but twelve months of service level around 91 % against an 80 % target never triggered a deep dive into staffing cost.", "Review minutes"),
        "PRC-04": (2, 4, "i", "Opening at 07:00 has not been questioned since 2022.", ""),
        "PRC-05": (2, 4, "i", "The notice deadline of 15 December is not in anyone's calendar; procurement assumed the agreement runs to 2028.", "Contract §14.2"),
        "PRC-06": ("n/a", "n/a", "d", "Hand-off completed in June 2022.", ""),
        "PRC-07": (4, 5, "d", "Contact reasons and verbatims are reviewed with product owners every month.", "Insight report"),
        "PRC-08": (3, 4, "d", "Status reporting continues; the benefits register stopped being updated in 2025.", "Benefits register"),
        "PRC-09": (4, 4, "d", "", ""),
        "PRC-10": (4, 4, "d", "", ""),
        "PRC-11": (4, 4, "o", "", ""),
        "PRC-12": (4, 4, "d", "Forecast accuracy within 6 % for ten of twelve months.", "WFM report"),
        "PRD-01": (5, 5, "d", "Alpenrose product trainers deliver the brand and product modules to every new hire.", "Curriculum"),
        "PRD-02": (4, 4, "d", "", ""),
        "PRD-03": (4, 4, "o", "Network outage and handset stock shown live in the agent desktop.", ""),
        "PRD-04": (4, 5, "o", "One knowledge base; quality sampling finds consistent answers in 94 % of contacts.", "QA sample Sep 2026"),
        "PRD-05": (4, 4, "o", "", ""),
        "PRD-06": (4, 5, "d", "", "Readiness checklists"),
        "PRD-07": (4, 4, "d", "Agents can waive fees up to CHF 50, the same as in-house staff.", "Authority matrix"),
        "PRD-08": (4, 4, "d", "", ""),
        "PRD-09": (3, 4, "d", "", ""),
        "PRD-10": (4, 4, "d", "Customer comments are routed to agents weekly.", ""),
        "PRD-11": (4, 5, "o", "", ""),
        "TEC-01": (4, 4, "d", "", ""),
        "TEC-02": (4, 4, "d", "", ""),
        "TEC-03": (4, 4, "d", "", ""),
        "TEC-04": (4, 4, "d", "", ""),
        "TEC-05": (4, 4, "d", "Every business SLA is mapped to IT SLAs with headroom.", "SLA map"),
        "TEC-06": (4, 4, "d", "", ""),
        "TEC-07": (3, 4, "d", "KPIs come from source systems; the satisfaction survey is still merged by hand.", ""),
        "TEC-08": (4, 4, "d", "", ""),
        "TEC-09": (4, 4, "d", "", ""),
        "TEC-10": (4, 4, "d", "", ""),
        "TEC-11": (3, 4, "i", "Nordlicht proposed a chatbot for roaming questions; no cost-benefit review yet.", ""),
    },
}

KESTREL = {
    "client": {"name": "Kestrel Insurance", "industry": "Insurance"},
    "assessment": {"date": "2026-11-18", "consultants": ["A. Lindqvist"]},
    "outsourcer": {"name": "Apex Outsource Partners", "services": ["claims first notice of loss", "policy servicing"],
                   "sites": ["Manila"]},
    "contract": {"start_date": "2024-07-01", "renewal_date": "2027-07-01", "notice_days": 90,
                 "hand_off_date": "2024-09-02"},
    # about 5,500 staffed agent-hours a month in Manila; credits exist in the contract but are rarely applied
    "commercials": {"currency": "GBP", "agent_hour_cost": 26.0, "monthly_fee": 185000,
                    "service_credits": [{"kpi": "service_level", "percent": 2.0}, {"kpi": "abandonment", "percent": 1.0}],
                    "value_per_lost_contact": 18.0},
    # claims registrations peak with the winter storms (the portal slowed on the storm days of October 2026)
    "peaks": [{"name": "Winter storm season 2026-27", "start": "2026-12-01", "end": "2027-03-31"},
              {"name": "Winter storm season 2027-28", "start": "2027-12-01", "end": "2028-03-31"}],
    "coverage": {"timezone": "Europe/London", "mon": "09:00-17:00", "tue": "09:00-17:00", "wed": "09:00-17:00",
                 "thu": "09:00-17:00", "fri": "09:00-17:00", "sat": "closed", "sun": "closed"},
    "slas": {
        "business": [
            {"id": "BUS-01", "name": "Online claims registrations", "demand": 3000, "unit": "registrations/day",
             "availability": 99.5, "backed_by": ["IT-01"]},
            {"id": "BUS-02", "name": "Policy payments by phone", "demand": 1200, "unit": "payments/day",
             "availability": 99.5, "backed_by": []},
            {"id": "BUS-03", "name": "Claims status lookups", "demand": 5000, "unit": "lookups/day",
             "availability": 99.5, "backed_by": ["IT-02"]},
        ],
        "it": [
            {"id": "IT-01", "name": "Claims portal", "capacity": 2500, "unit": "registrations/day", "availability": 99.5},
            {"id": "IT-02", "name": "Policy administration system", "capacity": 8000, "unit": "lookups/day",
             "availability": 98.0},
        ],
    },
    "items": {
        "PEO-01": (1, 4, "i", "Apex's management could not name Kestrel's goals for 2026.", ""),
        "PEO-02": (0, 4, "d", "The pet-insurance launch in September reached Apex through customers' calls on launch day.", "Complaint log 2026-09"),
        "PEO-03": (1, 3, "i", "", ""),
        "PEO-04": (1, 4, "d", "A single vendor manager is the only contact; no executive sponsor on either side.", "Org chart"),
        "PEO-05": (1, 4, "d", "No site visit since the contract was signed in 2024.", "Travel records"),
        "PEO-06": (2, 4, "o", "", ""),
        "PEO-07": (2, 3, "d", "Attrition of 60 % a year means constant hiring; no joint plan.", "Attrition report"),
        "PEO-08": (1, 4, "i", "The only benefit anyone named was cost savings.", ""),
        "PEO-09": (1, 3, "i", "", ""),
        "PEO-10": (1, 4, "i", "The relationship owner left in June and was not replaced.", ""),
        "PEO-11": (0, 3, "i", "", ""),
        "PRC-01": (2, 4, "d", "", "Contract schedule 2"),
        "PRC-02": (1, 4, "d", "Only the contractual service level is reported; penalties are rarely applied.", "Monthly pack"),
        "PRC-03": (1, 4, "d", "Service level has been missed for ten months running and no deep dive was ever requested.", "Review minutes (three in 2026)"),
        "PRC-04": (1, 4, "i", "Customers complain they cannot reach anyone after 17:00.", ""),
        "PRC-05": (3, 4, "d", "", "Contract register"),
        "PRC-06": ("n/a", "n/a", "d", "Hand-off took place in September 2024.", ""),
        "PRC-07": (1, 4, "i", "", ""),
        "PRC-08": (1, 3, "i", "", ""),
        "PRC-09": (1, 3, "i", "", ""),
        "PRC-10": (2, 4, "d", "", ""),
        "PRC-11": (2, 3, "i", "", ""),
        "PRC-12": (2, 4, "d", "The forecast is sent two weeks late and misses campaign mailings.", "WFM report"),
        "PRD-01": (2, 4, "d", "Kestrel delivered product training at launch in 2024 only.", ""),
        "PRD-02": (3, 3, "d", "", ""),
        "PRD-03": (2, 3, "i", "", ""),
        "PRD-04": (2, 4, "o", "Three different answers to the same excess question in ten sampled calls.", "Call sample Oct 2026"),
        "PRD-05": (2, 3, "o", "", ""),
        "PRD-06": (1, 4, "i", "", ""),
        "PRD-07": (1, 4, "d", "Apex agents cannot waive the £15 admin fee; every request becomes a callback.", "Authority matrix"),
        "PRD-08": (2, 3, "i", "", ""),
        "PRD-09": (2, 3, "i", "", ""),
        "PRD-10": (2, 4, "i", "", ""),
        "PRD-11": (2, 4, "o", "", ""),
        "TEC-01": (3, 3, "d", "", ""),
        "TEC-02": (1, 4, "d", "Apex records contacts in its own ticketing tool; Kestrel sees nothing.", ""),
        "TEC-03": (1, 4, "d", "Policy data reaches Apex in a weekly export.", "Interface spec"),
        "TEC-04": (0, 4, "d", "Nothing comes back except the invoice.", ""),
        "TEC-05": (1, 4, "d", "The claims portal's IT SLA supports 2,500 registrations a day; the business plans for 3,000.", "SLA documents"),
        "TEC-06": (1, 4, "o", "The portal slowed down on the storm days in October.", "Incident INC-5521"),
        "TEC-07": (1, 4, "o", "", ""),
        "TEC-08": (1, 4, "d", "", ""),
        "TEC-09": (2, 4, "d", "", ""),
        "TEC-10": (1, 4, "o", "", ""),
        "TEC-11": (1, 3, "i", "", ""),
    },
}

STORIES = {"harbour-lane-bank": HARBOUR, "alpenrose-telecom": ALPENROSE, "kestrel-insurance": KESTREL}


# --------------------------------------------------------------------------- engagement.yaml
def _flow(d: dict) -> str:
    parts = []
    for k, v in d.items():
        if isinstance(v, list):
            parts.append(f"{k}: [{', '.join(q(x) if isinstance(x, str) else str(x) for x in v)}]")
        elif isinstance(v, str) and not (k.endswith("date") or k == "date"):
            parts.append(f"{k}: {q(v)}")
        else:
            parts.append(f"{k}: {v}")
    return "{" + ", ".join(parts) + "}"


def commercials_lines(c: dict) -> list[str]:
    """The commercials block, one key a line with what it means."""
    credits = ", ".join(f"{{kpi: {x['kpi']}, percent: {x['percent']}}}" for x in c["service_credits"])
    return ["commercials:   # the business case: what the service costs and what a lost contact is worth",
            f"  currency: {c['currency']}",
            f"  agent_hour_cost: {c['agent_hour_cost']}   # loaded cost of one staffed agent hour",
            f"  monthly_fee: {c['monthly_fee']}   # paid to the provider per month",
            f"  service_credits: [{credits}]   # share of the monthly fee per KPI-month missed",
            f"  value_per_lost_contact: {c['value_per_lost_contact']}   # revenue or cost at risk per abandoned contact"]


def engagement_text(slug: str, story: dict) -> str:
    cl = load_checklist()
    lines = [f"# Example engagement: {story['client']['name']} (fictional). Generated by examples/generate.py.",
             "# Scores: as_is and to_be are 0-5 or \"n/a\". confidence: documented | observed | interview.",
             f"client: {_flow(story['client'])}",
             f"assessment: {_flow(story['assessment'])}",
             f"outsourcer: {_flow(story['outsourcer'])}",
             f"contract: {_flow(story['contract'])}",
             "coverage:"]
    lines += [f"  {k}: {q(v) if k != 'timezone' else v}" for k, v in story["coverage"].items()]
    lines.append("slas:")
    for side in ("business", "it"):
        lines.append(f"  {side}:")
        lines += [f"    - {_flow(s)}" for s in story["slas"][side]]
    lines += commercials_lines(story["commercials"])
    if story["peaks"]:
        lines.append("peaks:   # seasons of peak demand: capacity must be ready before each starts")
        lines += [f"  - {{name: {q(pk['name'])}, start: {pk['start']}, end: {pk['end']}}}" for pk in story["peaks"]]
    lines.append("checklist:")
    for dim in DIMENSIONS:
        lines.append(f"  # ---- {cl.title_of(dim)} " + "-" * max(4, 60 - len(cl.title_of(dim))))
        for item in cl.in_dimension(dim):
            a, b, c, note, ev = story["items"][item.id]
            fmt = lambda s: q(s) if isinstance(s, str) else str(s)  # noqa: E731
            lines.append(f"  # {item.id} {item.title}: {item.question}")
            lines.append(f"  {item.id}: {{as_is: {fmt(a)}, to_be: {fmt(b)}, confidence: {CONF[c]}, "
                         f"notes: {q(note)}, evidence: {q(ev)}}}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- contacts.csv
# Intraday shape of demand (share of a day's contacts per hour, 0-23), a typical
# service-desk curve with a morning peak and a smaller early-evening one.
SHAPE = [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 2.5, 6.5, 9.0, 9.2, 8.6, 7.4, 7.6, 7.8, 7.2, 6.6, 6.0, 5.2, 4.4,
         3.6, 2.4, 1.3, 0.6]
DAY_FACTOR = [1.15, 1.05, 1.0, 1.0, 0.95, 0.55, 0.3]  # mon..sun


def contacts_rows(story: dict, seed: int, daily: int, aht: int, abandon: float, shape: list[float],
                  start: dt.date = dt.date(2026, 10, 5), days: int = 28, minutes: int = 30) -> list[list]:
    rng = random.Random(seed)
    cov = story["coverage"]
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    total_shape = sum(shape)
    rows = []
    for d in range(days):
        day = start + dt.timedelta(days=d)
        window = cov[names[day.weekday()]]
        lo, hi = (None, None) if window == "closed" else (int(window[:2]), int(window[6:8]))
        for slot in range(24 * 60 // minutes):
            hour = slot * minutes // 60
            mean = daily * DAY_FACTOR[day.weekday()] * shape[hour] / total_shape * minutes / 60
            offered = max(0, int(round(rng.gauss(mean, math.sqrt(mean) + 0.01))))
            open_now = lo is not None and lo <= hour < hi
            if open_now:
                abandoned = sum(1 for _ in range(offered) if rng.random() < abandon)
                answered = offered - abandoned
                handle = int(round(rng.gauss(aht, aht * 0.04))) if answered else ""
            else:
                answered, abandoned, handle = 0, offered, ""
            ts = dt.datetime.combine(day, dt.time(hour, slot * minutes % 60))
            rows.append([ts.isoformat(timespec="minutes"), offered, answered, abandoned, handle])
    return rows


# --------------------------------------------------------------------------- kpis.csv
MONTHS = [f"{y}-{m:02d}" for y, m in [(2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 11)]]


def kpi_rows(seed: int, spec: dict[str, tuple[float, float, float, float, float]]) -> list[list]:
    """spec: kpi -> (start, end, noise, target, tolerance); a linear drift plus noise."""
    rng = random.Random(seed)
    rows = []
    for i, month in enumerate(MONTHS):
        for kpi, (a, b, noise, target, tol) in spec.items():
            value = a + (b - a) * i / (len(MONTHS) - 1) + rng.uniform(-noise, noise)
            rows.append([month, kpi, round(value, 1), target, tol])
    return rows


ALPENROSE_KPIS = {
    "service_level": (90.5, 92.0, 1.2, 80, 5), "asa": (13, 11, 2, 30, 10), "abandonment": (2.2, 1.9, 0.4, 5, 1),
    "fcr": (77, 79, 1.5, 75, 5), "csat": (87, 89, 1.0, 85, 3), "aht": (372, 365, 6, 380, 20),
    "occupancy": (70, 68, 1.5, 80, 5), "attrition": (29, 27, 2, 40, 5), "forecast_accuracy": (6.5, 5.5, 1.2, 10, 2),
}
KESTREL_KPIS = {
    "service_level": (74, 61, 2.5, 80, 5), "asa": (45, 98, 6, 30, 10), "abandonment": (6.5, 11.5, 0.8, 5, 1),
    "fcr": (68, 60, 2, 75, 5), "csat": (80, 70, 1.5, 85, 3), "aht": (410, 455, 8, 400, 20),
    "occupancy": (88, 93, 1, 80, 5), "attrition": (48, 63, 2, 45, 5), "forecast_accuracy": (12, 19, 1.5, 10, 2),
}

EVENING_SHAPE = SHAPE[:17] + [7.0, 6.8, 5.4, 3.6, 2.4, 1.3, 0.6]   # Kestrel: demand carries on after 17:00
LATE_START_SHAPE = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.6, 5.5, 9.0, 9.2, 8.6, 7.4, 7.6, 7.8, 7.2, 6.6, 6.0, 5.2,
                    3.0, 1.6, 0.8, 0.4, 0.2]  # Alpenrose: almost nobody calls 07:00-08:00 or after 20:00


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def main() -> None:
    for slug, story in STORIES.items():
        d = OUT / slug
        d.mkdir(parents=True, exist_ok=True)
        (d / "engagement.yaml").write_text(engagement_text(slug, story), encoding="utf-8")
    header = ["timestamp", "offered", "answered", "abandoned", "aht_seconds"]
    write_csv(OUT / "harbour-lane-bank" / "contacts.csv", header,
              contacts_rows(HARBOUR, 11, daily=3600, aht=300, abandon=0.06, shape=SHAPE))
    write_csv(OUT / "alpenrose-telecom" / "contacts.csv", header,
              contacts_rows(ALPENROSE, 22, daily=8200, aht=370, abandon=0.02, shape=LATE_START_SHAPE))
    write_csv(OUT / "kestrel-insurance" / "contacts.csv", header,
              contacts_rows(KESTREL, 33, daily=2600, aht=440, abandon=0.11, shape=EVENING_SHAPE))
    kh = ["month", "kpi", "actual", "target", "tolerance"]
    write_csv(OUT / "alpenrose-telecom" / "kpis.csv", kh, kpi_rows(44, ALPENROSE_KPIS))
    write_csv(OUT / "kestrel-insurance" / "kpis.csv", kh, kpi_rows(55, KESTREL_KPIS))
    print(f"wrote {len(STORIES)} example engagements under {OUT}")


if __name__ == "__main__":
    main()
