"""options.yaml: the inputs of the sourcing options evaluation, read, checked and started.

The key names are a contract (README, "The sourcing options evaluation"). :func:`load` checks the
whole file and reports every problem at once, each as ``file:line: severity: field: expected ...,
found ...``; :func:`new_text` is the starter file ``assessment options new "Client"`` writes, with
suggested defaults and where they come from.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .analyses import options as model
from .errors import InvalidInput, Problem, show

FILE = "options.yaml"
KNOWN_KEYS = ("client", "question", "currency", "decision_date", "horizon_years", "discount_rate", "demand",
              "service_target", "staffing", "options", "criteria", "scores", "end_customer_gain", "uncertainty_band")
OPTION_KEYS = ("id", "label", "status_quo", "cost_per_paid_hour", "aht_factor", "year1_aht_factor",
               "transition_cost", "governance_pct", "lead_time_days", "note")
ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_OPTIONS = 6
MAX_HORIZON = 5               # years: a sourcing contract's usual term, and what one page of costs can show


@dataclass
class OptionsFile:
    """A checked options.yaml: the model's inputs plus what the report says around them."""

    path: Path
    inputs: model.Inputs
    client: str
    client_id: str | None
    question: str
    currency: str
    decided: dt.date
    interval_profile: bool
    notes: dict            # option id -> the consultant's note on it
    warnings: list[Problem]
    planned_hand_off: dt.date | None = None   # engagement.yaml's contract.hand_off_date, when still ahead


def options_file(arg: str | Path) -> Path:
    """PATH: an options.yaml or the engagement folder holding one."""
    p = Path(arg)
    return p / FILE if p.is_dir() else p


class _Checker:
    def __init__(self, src: str, lines):
        self.src, self.lines, self.problems = src, lines, []

    def add(self, path: tuple, expected: str, found: str, severity: str = "error") -> None:
        field = ".".join(str(k) if not isinstance(k, int) else f"[{k}]" for k in path).replace(".[", "[")
        self.problems.append(Problem(self.src, field, expected, found, self.lines(path), severity))

    def number(self, data, path: tuple, lo: float, hi: float, required: bool = True, default=None,
               integer: bool = False, lo_open: bool = False, hi_open: bool = False, what: str = ""):
        value = data.get(path[-1]) if isinstance(data, dict) else None
        what = what or ("a whole number" if integer else "a number")
        if value is None:
            if required:
                self.add(path, f"{what} from {lo:g} to {hi:g}", "nothing")
            return default
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type or not math.isfinite(value):
            self.add(path, f"{what} from {lo:g} to {hi:g}", show(value))
            return default
        if value < lo or value > hi or (lo_open and value == lo) or (hi_open and value == hi):
            rng = (f"above {lo:g} and at most {hi:g}" if lo_open and not hi_open else
                   f"{'above' if lo_open else 'from'} {lo:g} {'and below' if hi_open else 'to'} {hi:g}")
            self.add(path, f"{what} {rng}", show(value))
            return default
        return float(value) if not integer else int(value)

    def mapping(self, data, key: str, required: bool = True) -> dict:
        value = data.get(key)
        if value is None:
            if required:
                self.add((key,), "a mapping (key: value lines)", "nothing")
            return {}
        if not isinstance(value, dict):
            self.add((key,), "a mapping (key: value lines)", show(value))
            return {}
        return value

    def text(self, data, path: tuple, required: bool = False, limit: int = 2000) -> str:
        value = data.get(path[-1]) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.add(path, "text", "nothing")
            return ""
        if not isinstance(value, str):
            self.add(path, "text (in quotes)", show(value))
            return ""
        if len(value) > limit:
            self.add(path, f"text of at most {limit:,} characters", f"{len(value):,} characters")
            return value[:limit]
        return value.strip()


def _read_engagement(folder: Path) -> dict:
    """The client, currency and assessment date of an engagement.yaml beside options.yaml (if any)."""
    from .yamlio import read_yaml, to_plain

    path = folder / "engagement.yaml"
    if not path.is_file():
        return {}
    try:
        data, _ = read_yaml(path)
    except InvalidInput:
        return {}
    data = to_plain(data) if isinstance(data, dict) else {}
    client = data.get("client") if isinstance(data.get("client"), dict) else {}
    commercials = data.get("commercials") if isinstance(data.get("commercials"), dict) else {}
    assessment = data.get("assessment") if isinstance(data.get("assessment"), dict) else {}
    contract = data.get("contract") if isinstance(data.get("contract"), dict) else {}
    return {"name": client.get("name"), "id": client.get("id"), "currency": commercials.get("currency"),
            "date": assessment.get("date"), "hand_off": contract.get("hand_off_date")}


def load(arg: str | Path, today: dt.date | None = None) -> OptionsFile:
    """Read and check options.yaml. Raises InvalidInput with every error; warnings ride along."""
    from .yamlio import read_yaml, to_plain

    path = options_file(arg)
    raw, lines = read_yaml(path)
    src = str(path)
    if not isinstance(raw, dict):
        raise InvalidInput([Problem(src, "(file)", "a mapping of the options keys (see README)",
                                    type(raw).__name__, 1)])
    data = to_plain(raw)
    c = _Checker(src, lines)
    for key in data:
        if key not in KNOWN_KEYS:
            c.add((key,), f"one of the keys {', '.join(KNOWN_KEYS)}", repr(key), "warning")
    eng = _read_engagement(path.parent)

    client_map = data.get("client") if isinstance(data.get("client"), dict) else {}
    if data.get("client") is not None and not isinstance(data.get("client"), dict):
        c.add(("client",), "a mapping such as {name: \"Acme Retail\"}", show(data.get("client")))
    client = c.text(client_map, ("client", "name")) or (eng.get("name") or "")
    if not client:
        c.add(("client",), "client: {name: ...} (or an engagement.yaml beside options.yaml naming the client)",
              "no client name")
    client_id = client_map.get("id") or eng.get("id")
    question = c.text(data, ("question",), limit=300)
    currency = data.get("currency") if data.get("currency") is not None else (eng.get("currency") or "GBP")
    if not isinstance(currency, str) or not CURRENCY.match(currency):
        c.add(("currency",), "a three-letter ISO currency code such as GBP, EUR or USD", show(currency))
        currency = "GBP"
    decided = data.get("decision_date") if data.get("decision_date") is not None else eng.get("date")
    if isinstance(decided, str):
        try:
            decided = dt.date.fromisoformat(decided)
        except ValueError:
            c.add(("decision_date",), "a date YYYY-MM-DD", show(decided))
            decided = None
    elif decided is not None and not isinstance(decided, dt.date):
        c.add(("decision_date",), "a date YYYY-MM-DD", show(decided))
        decided = None
    decided = decided or today or dt.date.today()

    horizon = c.number(data, ("horizon_years",), 1, MAX_HORIZON, integer=True, default=3)
    rate = c.number(data, ("discount_rate",), 0, 0.3, what="a rate (0.08 for 8 %)", default=0.08)
    band = c.number(data, ("uncertainty_band",), 0, 2, required=False, default=model.BAND,
                    what="weighted-total points")
    demand = c.mapping(data, "demand")
    contacts = c.number(demand, ("demand", "annual_contacts"), 1, 1e9, default=1.0, lo_open=False)
    aht = c.number(demand, ("demand", "aht_seconds"), 1, 86_400, default=300.0, what="seconds")
    growth = c.number(demand, ("demand", "growth"), -0.5, 1, required=False, default=0.0,
                      what="a yearly growth rate (0.03 for 3 %)")
    profile = demand.get("interval_profile", True)
    if not isinstance(profile, bool):
        c.add(("demand", "interval_profile"), "true or false", show(profile))
        profile = True
    target = c.mapping(data, "service_target")
    sl_pct = c.number(target, ("service_target", "percent"), 1, 99, default=80.0, what="a percent")
    sl_s = c.number(target, ("service_target", "seconds"), 0, 3600, default=20.0, what="seconds")
    staffing = c.mapping(data, "staffing")
    shrinkage = c.number(staffing, ("staffing", "shrinkage"), 0, 0.9, default=0.3, what="a share (0.30 for 30 %)")
    paid_h = c.number(staffing, ("staffing", "paid_hours_per_fte"), 100, 3000, default=1720.0, what="hours")
    occupancy = c.number(staffing, ("staffing", "occupancy"), 0.3, 1, default=0.85, what="a share (0.85 for 85 %)")

    opts, notes = [], {}
    raw_opts = data.get("options")
    if not isinstance(raw_opts, list) or not (2 <= len(raw_opts) <= MAX_OPTIONS):
        c.add(("options",), f"a list of 2 to {MAX_OPTIONS} options (one of them status_quo: true)",
              show(raw_opts) if not isinstance(raw_opts, list) else f"{len(raw_opts)} option(s)")
        raw_opts = raw_opts if isinstance(raw_opts, list) else []
    seen = {}
    for i, o in enumerate(raw_opts[:MAX_OPTIONS]):
        p = ("options", i)
        if not isinstance(o, dict):
            c.add(p, "an option {id: ..., label: ..., cost_per_paid_hour: ...}", show(o))
            continue
        for key in o:
            if key not in OPTION_KEYS:
                c.add((*p, key), f"one of the option keys {', '.join(OPTION_KEYS)}", repr(key), "warning")
        oid = o.get("id")
        if not isinstance(oid, str) or not ID.match(oid):
            c.add((*p, "id"), "a short id: lower-case letters, digits, '-' or '_' (such as in-house)", show(oid))
            oid = None
        elif oid in seen:
            c.add((*p, "id"), "an id used once", f"{oid!r} again (first in options[{seen[oid]}])")
        else:
            seen[oid] = i
        label = c.text(o, (*p, "label"), required=True, limit=80)
        sq = o.get("status_quo", False)
        if not isinstance(sq, bool):
            c.add((*p, "status_quo"), "true or false", show(sq))
            sq = False
        price = c.number(o, (*p, "cost_per_paid_hour"), 0, 10_000, lo_open=True, default=1.0,
                         what="a price per paid hour")
        f = c.number(o, (*p, "aht_factor"), 0.5, 3, required=False, default=1.0, what="a handle-time factor")
        f1 = c.number(o, (*p, "year1_aht_factor"), 0.5, 3, required=False, default=f, what="a handle-time factor")
        trans = c.number(o, (*p, "transition_cost"), 0, 1e10, required=False, default=0.0, what="an amount")
        gov = c.number(o, (*p, "governance_pct"), 0, 0.5, required=False, default=0.0,
                       what="a share of run cost (0.04 for 4 %)")
        lead = c.number(o, (*p, "lead_time_days"), 0, 1000, required=False, default=0, integer=True)
        notes[oid] = c.text(o, (*p, "note"), limit=400)
        if oid:
            opts.append(model.Option(oid, label or oid, price, sq, f, f1, trans, gov, lead))
    n_sq = sum(1 for o in opts if o.status_quo)
    if raw_opts and n_sq != 1:
        c.add(("options",), "exactly one option with status_quo: true (what happens if nothing changes)",
              f"{n_sq} marked status_quo")

    criteria = {}
    raw_crit = c.mapping(data, "criteria")
    for key, w in raw_crit.items():
        v = c.number(raw_crit, ("criteria", key), 0, 100, what="a weight")
        if v is not None:
            criteria[str(key)] = v
    if raw_crit and model.COST not in raw_crit:
        c.add(("criteria", "cost"), "a weight for cost (scored from the NPV)", "nothing")
    if criteria and not math.isclose(sum(criteria.values()), 100, abs_tol=1e-6):
        c.add(("criteria",), "weights that sum to 100", f"{sum(criteria.values()):g}")

    scores: dict = {}
    raw_scores = c.mapping(data, "scores")
    ids = [o.id for o in opts]
    for oid, per in raw_scores.items():
        if oid not in ids:
            c.add(("scores", oid), f"an option id ({', '.join(ids)})", repr(oid))
            continue
        if not isinstance(per, dict):
            c.add(("scores", oid), "a mapping of criterion: score (1-5)", show(per))
            continue
        for crit, s in per.items():
            if crit == model.COST:
                c.add(("scores", oid, crit), "no cost score (it is computed from the NPV)", show(s))
            elif crit not in raw_crit:
                c.add(("scores", oid, crit), f"a criterion named in criteria ({', '.join(map(str, raw_crit))})",
                      repr(crit))
            else:
                v = c.number(per, ("scores", oid, crit), 1, 5, what="a score")
                if v is not None:
                    scores.setdefault(oid, {})[crit] = v
    for oid in ids:
        for crit in raw_crit:
            if crit != model.COST and crit not in (raw_scores.get(oid) or {}) and isinstance(raw_scores.get(oid, {}), dict):
                c.add(("scores", oid, crit) if oid in raw_scores else ("scores",),
                      f"a score from 1 to 5 for {oid}: {crit}", "nothing")

    gain = c.text(data, ("end_customer_gain",), limit=600)
    if not gain:
        c.add(("end_customer_gain",), "what the end customer stands to gain, in the client's words "
              "(the report asks the question in bold until it is answered)", "nothing", "warning")

    errors = [p for p in c.problems if p.is_error]
    if errors:
        raise InvalidInput(c.problems)
    inputs = model.Inputs(horizon, rate, contacts, aht, growth, sl_pct, sl_s, shrinkage, paid_h, occupancy,
                          tuple(opts), criteria, scores, gain, band)
    planned = eng.get("hand_off")
    planned = planned if isinstance(planned, dt.date) and planned > decided else None
    return OptionsFile(path, inputs, client, client_id, question or "Should we outsource?", currency,
                       decided, profile, notes, [p for p in c.problems if not p.is_error], planned)


def profile_for(path: Path):
    """The interval profile from contacts.csv beside options.yaml (or None), and any warnings.

    Raises InvalidInput when contacts.csv is broken (the same checks as the readout's).
    """
    from .analyses.coverage import interval_seconds
    from .inputs import check_contacts, find_inputs

    found = find_inputs(path.parent).get("contacts")
    if found is None:
        return None, []
    rows, warnings = check_contacts(found)
    stamps = [r["timestamp"] for r in rows if r["timestamp"] is not None]
    if not stamps:
        return None, warnings
    step = interval_seconds(stamps)
    days = ((max(stamps) - min(stamps)).total_seconds() + step) / 86_400
    volumes = tuple(float(r["offered"] or 0) for r in rows)
    if not sum(volumes) or days <= 0:
        return None, warnings
    return model.Profile(volumes, step, days), warnings


# --------------------------------------------------------------------------- the starter file
def new_text(client: str) -> str:
    """The starter options.yaml for ``client``: every key, suggested defaults and their sources."""
    import json

    quoted = json.dumps(client, ensure_ascii=False)   # a JSON string is a valid double-quoted YAML string
    question = json.dumps(f"Should {client} outsource its customer contact?", ensure_ascii=False)
    heading = " ".join(client.split())
    return f'''# The sourcing options evaluation for {heading}: should it outsource, and to whom?
# Fill in the figures, score each option 1-5 on each criterion, then run:
#   assessment options <this folder> --out reports/
# The key names are a contract (README, "The sourcing options evaluation").
client: {{name: {quoted}}}
question: {question}
currency: GBP
horizon_years: 3              # years compared
discount_rate: 0.08           # the client's cost of capital (ask finance); 8 % is a common planning rate
demand:
  annual_contacts: 1200000    # contacts a year today (from the telephony or CRM reports)
  aht_seconds: 360            # average handle time in house today, seconds
  growth: 0.03                # yearly growth in contacts
  # interval_profile: true    # with contacts.csv beside this file, staff each interval by Erlang C
service_target: {{percent: 80, seconds: 20}}   # answer 80 % of contacts within 20 seconds
staffing:
  shrinkage: 0.30             # share of paid time not on the phones (leave, training, meetings)
  paid_hours_per_fte: 1720    # paid hours a year per full-time agent
  occupancy: 0.85             # share of logged-in time spent handling contacts (no contacts.csv)
options:
  # status_quo: what happens if nothing changes. Exactly one option is the status quo.
  # Hidden costs that published outsourcing studies keep finding (industry outsourcing surveys and
  # the retained-organisation guidance of sourcing advisers put governance at a few per cent of the
  # contract). These are planning assumptions: replace them with the partner's quote and the
  # client's own budget before the numbers go to a finance team.
  # - governance_pct: the client's retained team that manages the partner, 3-6 % of the run cost;
  # - year1_aht_factor: the year-one productivity dip of a new team (1.20: handle time 20 % longer);
  # - transition_cost: knowledge transfer, parallel running, travel, telecom and data lines, CRM access.
  # lead_time_days: from decision to hand-off. Source: the integration article (customer-centricity
  # series): telecom and data lines typically take 45-60 days to install; agents are hired, then
  # trained; the CRM must capture every contact; the hand-off date is planned back from these.
  - {{id: in-house, label: "Keep in house", status_quo: true, cost_per_paid_hour: 46.0,
     aht_factor: 1.0, year1_aht_factor: 1.0, transition_cost: 0, governance_pct: 0.0, lead_time_days: 0}}
  - {{id: nearshore, label: "Nearshore partner", cost_per_paid_hour: 29.0,
     aht_factor: 1.05, year1_aht_factor: 1.20, transition_cost: 450000, governance_pct: 0.04, lead_time_days: 120}}
criteria:                     # weights, summing to 100; cost is scored from the NPV (lowest 5, highest 1)
  cost: 30
  quality: 20                 # leave the work to the professionals
  control: 10                 # the loss of control outsourcing brings
  customer_connection: 15     # staying connected with customers
  customer_risk: 10           # alienating customers who call already agitated (5 = safest)
  flexibility: 10             # global and seasonal cover
  focus: 5                    # focus on core competencies
scores:                       # 1 (poor) to 5 (excellent), agreed in the workshop; not cost
  in-house: {{quality: 3, control: 5, customer_connection: 5, customer_risk: 4, flexibility: 2, focus: 2}}
  nearshore: {{quality: 3, control: 3, customer_connection: 3, customer_risk: 3, flexibility: 4, focus: 4}}
# What does the end customer stand to gain? In the client's words. Blank: the report asks the question.
end_customer_gain: ""
'''


def create(root: str | Path, client: str, slug: str | None = None) -> Path:
    """Write ``<root>/<slug>/options.yaml`` for a client, never over an existing one."""
    from .fileio import atomic_write_text
    from .outputs import slugify

    if not client or not client.strip():
        raise InvalidInput([Problem("options new", "client", "the client's name", "nothing")])
    folder = Path(root) / (slug or slugify(client))
    path = folder / FILE
    if path.exists():
        raise InvalidInput([Problem(str(path), FILE, "no options.yaml yet (nothing is overwritten)",
                                    "an existing file; edit it, or move it away first")])
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, new_text(client.strip()))
    return path
