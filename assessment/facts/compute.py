"""One engagement folder in, the readout's facts out: every analysis runs here, once."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from .. import __version__
from ..analyses import business_case as bc
from ..analyses import contract as ct
from ..analyses import decisions as de
from ..analyses import roadmap as rm
from ..analyses import scoring
from ..analyses import sides as sd
from ..analyses import workstreams as wsm
from ..analyses.scoring import IMPROVE, KEEP_DOING, NOT_APPLICABLE, NOT_SCORED, ON_TRACK, SCALE, THRESHOLDS, ranked
from ..checklist import DIMENSIONS, load_checklist
from ..errors import InvalidInput
from ..rules import (BLUE, CONFIDENCE_LABEL, GREEN, AMBER, GREY, LEAD_TIME_COLOUR, LEAD_TIME_LABEL, RENEWAL_ALERTS,
                     RENEWAL_COLOUR, STANCE_BOUNDARIES, evidence_strength, lead_time_need, percent, renewal_status,
                     round_toward, stance)
from ..validate import load_engagement
from . import advice as ad
from . import numbers as nb
from . import types as t

#: The pill colour of each classification (keep doing, improve, on track, n/a, not scored).
CLASS_COLOUR = {KEEP_DOING: GREEN, IMPROVE: AMBER, ON_TRACK: BLUE, NOT_APPLICABLE: GREY, NOT_SCORED: GREY}
FINDING_KINDS = (KEEP_DOING, IMPROVE)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def engagement_path(engagement: str | Path) -> Path:
    path = Path(engagement).resolve()
    return path / "engagement.yaml" if path.is_dir() else path


def load(engagement: str | Path, checklist: str | Path | None = "", branding: str | Path | None = "",
         as_of: str | dt.date | None = "", month: str = "") -> t.Facts:
    """Load an engagement folder (or its engagement.yaml) and compute every fact its readout shows.

    ``as_of``: the date the readout speaks from (default: the assessment date); ``month``: the
    KPI month (default: the latest month up to ``as_of``). Raises InvalidInput for a broken
    engagement, checklist or branding file; a broken CSV is reported in ``numbers.error``.
    """
    from ..report.branding import load_branding   # the branding loader of record (colours checked there)

    path = engagement_path(engagement)
    cl = load_checklist(checklist or None)
    eng = load_engagement(path, cl)
    when = as_of if isinstance(as_of, dt.date) else (dt.date.fromisoformat(as_of) if as_of else eng.assessment.date)
    brand = load_branding(branding or None)
    raw_scores = scoring.score(cl, eng.checklist)
    notice = (ct.renewal_notice_deadline(eng.contract.renewal_date, eng.contract.notice_days)
              if eng.contract.renewal_date else None)
    plan = rm.build(raw_scores, cl, when, eng.contract.hand_off_date, eng.lead_times, notice_deadline=notice,
                    peaks=eng.peaks)

    scores = scores_facts(raw_scores, cl)
    items = {i.id: i for i in scores.items}
    contract = contract_facts(eng, when)
    error = ""
    try:
        raw = nb.collect(path, eng, when, month)
    except InvalidInput as exc:   # a CSV problem: the readout says so rather than dropping the section silently
        raw = nb.Numbers()
        error = "; ".join(str(p) for p in exc.errors[:5])
    kpis = nb.kpi_facts(raw, eng.scorecard.deep_dive_threshold)
    slas = nb.sla_facts(raw)

    # the advice: both sides' part, the business case, the decisions (pure analyses), then the summary
    sc, month_ = raw.scorecard, raw.month
    both = None
    if sc is not None and month_:
        both = sd.both_sides(sd.missed_kpis(sc, month_), {k: v.as_is for k, v in eng.checklist.items()},
                             sd.sides_of(cl), sd.load_drivers(), {i.id: i.title for i in cl.items},
                             {k: v.notes for k, v in eng.checklist.items()}, eng.client.name, eng.outsourcer.name)
    changes = bc.changes_from_coverage(raw.coverage) if raw.coverage is not None else ()
    sl = bc.service_level(sc, month_) if sc is not None and month_ else None
    case = bc.business_case(eng.commercials, bc.contact_data(raw.contacts, eng.coverage) if raw.coverage else None,
                            bc.kpi_months(sc) if sc is not None else None, month_ or None, *(sl or (None, None)),
                            answer_s=nb.STAFFING_ANSWER_S, changes=changes,
                            abandonment_target=abandonment_target(kpis),
                            staffing_target_sl=nb.STAFFING_TARGET, redial_factor=raw.redial_factor,
                            kpi_names={k: getattr(v, "name", k) for k, v in (raw.catalogue or {}).items()})
    situation = de.situation(eng, when, checklist=cl, scorecard=sc, month=month_, coverage=raw.coverage,
                             sla_findings=raw.slas,
                             lead_checks=ct.handoff_feasibility(when, eng.contract.hand_off_date, eng.lead_times),
                             business_case=case, sides=both)
    ranked_decisions = de.decide(situation)
    decisions = ad.decision_facts(ranked_decisions, eng.client.name, eng.outsourcer.name)
    ab = next((e for e in kpis.entries if e.kpi == "abandonment"), None) if kpis else None
    business = ad.business_case_facts(case, eng.client.name, eng.outsourcer.name,
                                      ad.hours_verdicts(ranked_decisions.of(de.COVERAGE), changes),
                                      f"{ab.actual_text} against {ab.target_text}" if ab and ab.status == "green"
                                      else "")
    coverage = nb.coverage_facts(raw, business)
    checks = nb.cross_checks(raw, kpis, coverage, slas, cl, items, ranked_decisions.of(de.COVERAGE)) \
        if not error else ()
    bands = {x.kpi: x.band for x in kpis.series} if kpis else {}
    missed = {e.kpi: e for e in kpis.entries if e.status == "red"
              and not (bands.get(e.kpi) and e.actual < bands[e.kpi][0])} if kpis else {}   # idle capacity: no miss
    against = ad.contradictions([i.id for i in ranked(raw_scores.items, KEEP_DOING)], sd.load_drivers(), missed)
    found = findings(raw_scores, cl, against)
    flags = tuple(t.Flag(iid, items[iid].title, items[iid].as_is, kp_,
                         ad.flag_sentence(items[iid], [missed[k] for k in kp_], kpis.month))
                  for iid, kp_ in against.items())
    texts = {e.kpi: (e.actual_text, e.target_text) for e in kpis.entries} if kpis else {}
    summary = ad.summary(ranked_decisions, decisions, situation, cl, items, both, business, flags)
    steps = ad.all_steps(ranked_decisions, situation, cl, items)

    workstreams, plan_rows = action_plan(plan, cl, raw_scores, eng, kpis, raw.catalogue, business)

    inputs = [t.InputFile("engagement", path.name, _sha256(path))]
    for role, file in raw.files.items():
        inputs.append(t.InputFile(role, file.name, _sha256(file)))
    if checklist:
        inputs.append(t.InputFile("checklist", Path(checklist).name, _sha256(Path(checklist))))
    if branding:
        inputs.append(t.InputFile("branding", Path(branding).name, _sha256(Path(branding))))
    info = t.ChecklistInfo(cl.name, cl.version, cl.source, len(cl))
    return t.Facts(
        schema=t.SCHEMA_ID,
        client=t.Party(eng.client.name, eng.client.industry or None),
        outsourcer=t.Party(eng.outsourcer.name, None, tuple(eng.outsourcer.services), tuple(eng.outsourcer.sites)),
        assessment=t.Assessment(eng.assessment.date, tuple(eng.assessment.consultants)),
        as_of=when,
        checklist=info,
        branding=t.BrandingInfo(brand.firm, brand.primary, brand.accent, bool(brand.logo_data_uri),
                                brand.logo_data_uri),
        scores=scores,
        findings=found,
        evidence=evidence_facts(raw_scores),
        method=t.Method(tuple((k, n, m) for k, (n, m) in SCALE.items()), THRESHOLDS.keep_doing_min,
                        THRESHOLDS.improve_gap, THRESHOLDS.high_priority),
        roadmap=roadmap_facts(plan, contract, cl, plan_rows, eng.peaks),
        contract=contract,
        kpis=kpis,
        coverage=coverage,
        slas=slas,
        numbers=t.Numbers(tuple(raw.skipped), tuple(raw.warnings), error, checks, tuple(raw.to_collect)),
        governance=t.Governance(eng.scorecard.review_cadence, percent(eng.scorecard.deep_dive_threshold), steps),
        provenance=t.Provenance(inputs[0].sha256, "outsourcing-readout", __version__,
                                dt.datetime.now(dt.timezone.utc).replace(microsecond=0), info, tuple(inputs)),
        decisions=decisions,
        business_case=business,
        workstreams=workstreams,
        risks=wsm.risks(plan, eng.client.name, eng.outsourcer.name, plan_rows),
        sides=ad.sides_facts(both, texts),
        summary=summary,
        perception_gaps=perception_facts(path, eng, cl),
        progress=progress_facts(path, eng, cl, when, kpis, raw.catalogue),
    )


def abandonment_target(kpis: t.Kpis | None) -> float | None:
    """The abandonment target of the month as a fraction (0.05), from the scorecard; None without one."""
    if kpis is None:
        return None
    s = next((x for x in kpis.series if x.kpi == "abandonment" and x.band is None), None)
    return s.target / 100 if s is not None and s.unit == "%" else None


# --------------------------------------------------------------------------- scores, rounded once
def _one(v: float | None, thresholds=()) -> float | None:
    return None if v is None else round_toward(v, 1, thresholds)


def _gap(as_is: float | None, to_be: float | None) -> float | None:
    """The gap as printed: the difference of the printed scores (so 2.3 → 3.7 always shows 1.4)."""
    return None if as_is is None or to_be is None else round(to_be - as_is, 1)


def _target(spec, to_be: int | None) -> tuple[int | None, str]:
    if to_be is None or not spec.levels:
        return None, ""
    level = to_be if to_be in spec.levels else min(spec.levels, key=lambda k: (abs(k - to_be), -k))
    return level, spec.levels[level]


def scores_facts(s: scoring.Scores, cl) -> t.Scores:
    items = []
    for i in s.items:
        level, text = _target(cl[i.id], i.to_be)
        priority = None if i.priority is None else round_toward(i.priority, 2, [THRESHOLDS.high_priority])
        items.append(t.ItemFact(i.id, i.dimension, i.title, cl[i.id].theme, i.weight, i.effort, i.as_is, i.to_be,
                                i.gap, priority, i.classification, CLASS_COLOUR.get(i.classification, GREY),
                                i.confidence, CONFIDENCE_LABEL.get(i.confidence, "not recorded"), i.notes, i.evidence,
                                level, text))
    dims = {}
    for key, d in s.dimensions.items():
        a, b = _one(d.as_is), _one(d.to_be)
        dims[key] = t.DimensionFact(key, d.title, str(cl.dimensions.get(key, {}).get("summary", "") or ""), a, b,
                                    _gap(a, b), d.items_scored, d.items_total, d.items_na)
    o = s.overall
    a, b = _one(o["as_is"], STANCE_BOUNDARIES), _one(o["to_be"])
    scored = [d for d in dims.values() if d.as_is is not None]
    return t.Scores(t.Overall(a, b, _gap(a, b), stance(a)), t.frozen_map(dims), tuple(items), s.completeness,
                    scoring.is_draft(s.completeness), scoring.draft_note(s.completeness),
                    strongest(scored), widest(scored))


def _in_order(dims) -> tuple[str, ...]:
    return tuple(d.dimension for d in sorted(dims, key=lambda d: DIMENSIONS.index(d.dimension)))


def strongest(dims: list[t.DimensionFact]) -> t.Standout:
    """Which dimension leads, only when something distinguishes it (as printed)."""
    if not dims:
        return t.Standout("none")
    if len(dims) == 1:
        return t.Standout("only", dims[0].as_is, (dims[0].dimension,))
    if len({d.as_is for d in dims}) == 1:
        return t.Standout("same", dims[0].as_is, _in_order(dims))
    best = max(d.as_is for d in dims)
    top = [d for d in dims if d.as_is == best]
    return t.Standout("tied" if len(top) > 1 else "single", best, _in_order(top))


def widest(dims: list[t.DimensionFact]) -> t.Standout:
    """Which dimension has the widest gap, only when something distinguishes it (as printed)."""
    gaps = [d for d in dims if d.gap is not None and d.gap > 0]
    if not gaps:
        return t.Standout("none")
    if len(dims) == 1:
        return t.Standout("only", dims[0].gap, (dims[0].dimension,))
    if len(gaps) == len(dims) and len({d.gap for d in dims}) == 1:
        return t.Standout("same", dims[0].gap, _in_order(dims))
    most = max(d.gap for d in gaps)
    top = [d for d in gaps if d.gap == most]
    return t.Standout("tied" if len(top) > 1 else "single", most, _in_order(top))


def findings(s: scoring.Scores, cl=None, against: dict | None = None) -> tuple[t.Finding, ...]:
    """Strengths and opportunities, ranked, with whose practice each is and, for a strength, the missed KPIs
    that contradict it (``against``: item id -> KPI keys)."""
    against = against or {}
    out = []
    for kind in FINDING_KINDS:
        out += [t.Finding(kind, n, i.id, i.dimension, cl[i.id].side if cl is not None and i.id in cl else None,
                          tuple(against.get(i.id, ())) if kind == KEEP_DOING else ())
                for n, i in enumerate(ranked(s.items, kind), 1)]
    return tuple(out)


def evidence_facts(s: scoring.Scores) -> t.Evidence:
    """How strong the evidence is: strong only when most scored items are documented or observed *and* name the
    document or observation (an item marked documented with no evidence named does not count)."""
    conf: dict = {}
    named = unnamed = 0
    for i in s.items:
        if i.classification != NOT_SCORED:
            conf[i.confidence] = conf.get(i.confidence, 0) + 1
            if i.confidence in ("documented", "observed"):
                if (i.evidence or "").strip():
                    named += 1
                else:
                    unnamed += 1
    answered = sum(conf.values())
    return t.Evidence(conf.get("documented", 0), conf.get("observed", 0), conf.get("interview", 0), conf.get(None, 0),
                      answered, evidence_strength(named, answered), named, unnamed)


# --------------------------------------------------------------------------- contract dates and the hand-off
def contract_facts(eng, as_of: dt.date) -> t.Contract:
    c = eng.contract
    renewal = None
    if c.renewal_date:
        deadline = ct.renewal_notice_deadline(c.renewal_date, c.notice_days)
        left = ct.days_left(deadline, as_of)
        status = renewal_status(left)
        renewal = t.Renewal(c.renewal_date, c.auto_renewal, c.notice_days, deadline, left, status,
                            RENEWAL_COLOUR[status], status in RENEWAL_ALERTS)
    handoff = tuple(t.LeadTime(h.kind, LEAD_TIME_LABEL[h.kind], h.lo, h.hi, lead_time_need(h.lo, h.hi),
                               h.days_available, h.after, h.latest_start, h.status, LEAD_TIME_COLOUR[h.status],
                               h.sentence, h.then, h.chain_latest_start or h.latest_start, h.chain_status or h.status,
                               LEAD_TIME_COLOUR[h.chain_status or h.status])
                    for h in ct.handoff_feasibility(as_of, c.hand_off_date, eng.lead_times))
    days = (c.hand_off_date - as_of).days if c.hand_off_date else None
    return t.Contract(c.start_date, c.hand_off_date, days, days is not None and days > 0, renewal, handoff,
                      tuple(t.Milestone(m.date, m.label, m.kind) for m in ct.timeline(c, eng.assessment.date)))


# --------------------------------------------------------------------------- the roadmap
def action_plan(plan: rm.Roadmap, cl, raw_scores, eng, kpis: t.Kpis | None, catalogue, business):
    """The workstreams and the rows of the action plan: the schedule, with the client's ``actions:`` block applied
    (validate has already checked it; an entry it would refuse never gets here)."""
    from ..actions import parse_actions

    mine, _ = parse_actions(eng.actions, workstreams=tuple(cl.workstreams) or None)
    return wsm.plan(plan, cl, raw_scores, eng.client.name, eng.outsourcer.name,
                    kpis.entries if kpis else (), {k: getattr(v, "name", k) for k, v in (catalogue or {}).items()},
                    business.all_amounts() if business else (), mine,
                    {k: _target_words(v) for k, v in (catalogue or {}).items()})


def _target_words(kpi) -> str:
    """A catalogue target in words: "at least 80%", "at most 30 s", "between 75% and 85%"."""
    target, unit = getattr(kpi, "target", None), getattr(kpi, "unit", "")
    if isinstance(target, (tuple, list)) and len(target) == 2:
        return f"between {target[0]:g}{unit} and {target[1]:g}{unit}"
    if isinstance(target, (int, float)):
        word = {"higher": "at least ", "lower": "at most "}.get(getattr(kpi, "direction", ""), "")
        return f"{word}{target:g}{unit}"
    return "the catalogue's target"


def roadmap_facts(plan: rm.Roadmap, contract: t.Contract, cl, rows=(), peaks=()) -> t.Roadmap:
    """The schedule from :func:`assessment.analyses.roadmap.build`, as the action plan's rows say (the client's
    owners, dates and status win); a lead-time action carries the sentence of the one hand-off feasibility model
    (:attr:`Contract.handoff`) for its lead time."""
    checks = {h.kind: h.sentence for h in contract.handoff}
    computed = {a.id: a for a in plan.actions}
    actions = []
    for r in rows or [wsm.PlanAction(a.id, a.workstream, a.action, "", "", a.start, a.end, "not started", "", "",
                                     a.id, a.kind, a.reason, False, a.note) for a in plan.actions]:
        a = computed.get(r.item)
        start = r.start or (a.start if a else plan.as_of)
        end = max(start, r.due or (a.end if a else start))
        note = checks.get(a.lead_time or "", "") if a and a.lead_time else r.note
        if a is None:
            actions.append(t.ActionFact(r.ref, r.action, "", "", 0.0, "", "", rm.horizon_of((start - plan.as_of).days),
                                        start, end, (), None, note, r.ref, r.workstream, r.action, 0.0, None,
                                        r.reason, r.kind, r.owner_side, r.owner, r.status, r.success_measure, r.notes))
            continue
        actions.append(t.ActionFact(a.id, a.title, a.dimension, cl.title_of(a.dimension) if a.kind == rm.ITEM else "",
                                    round_toward(a.priority, 2, [plan.high_impact]), a.effort, a.quadrant,
                                    rm.horizon_of((start - plan.as_of).days), start, end, tuple(a.depends_on),
                                    a.lead_time, note, r.ref, r.workstream, r.action, a.effort_score, a.due_by,
                                    r.reason, r.kind, r.owner_side, r.owner, r.status, r.success_measure, r.notes))
    actions_ = tuple(actions)
    horizons = tuple(t.Group(name, tuple(a.id for a in actions_ if a.horizon == name)) for name, _, _ in rm.HORIZONS)
    quadrants = tuple(t.Group(q, tuple(a.id for a in actions_ if a.quadrant == q and a.kind == rm.ITEM))
                      for q in rm.QUADRANTS)
    notice = contract.renewal.deadline if contract.renewal else None
    return t.Roadmap(plan.as_of, actions_, horizons, quadrants,
                     contract.hand_off_date if contract.hand_off_pending else None, notice,
                     plan.high_impact, plan.high_effort, tuple(plan.warnings), plan.fallback,
                     tuple(t.PeakFact(p.name, p.start, p.end) for p in peaks))


# --------------------------------------------------------------------------- both sides' views, and waves
def perception_facts(path: Path, eng, cl):
    """How each side sees it, from responses/ beside the engagement (respondents by role); None without any."""
    from ..analyses.perception import Rules, perception
    from ..responses import display_names, load_responses, show_names

    responses, _ = load_responses(path, cl)   # validate and the build refuse a broken file first
    if not responses:
        return None
    named = show_names(eng)
    labels = display_names([r.respondent for r in responses], named)
    p = eng.perception
    return perception(cl, responses, labels, eng.checklist, Rules(p.gap_at, p.spread_at, p.high_at, p.low_at),
                      named=named)


def progress_facts(path: Path, eng, cl, when: dt.date, kpis, catalogue):
    """Progress since the last closed wave under waves/ (KPIs then from the wave's own CSV); None without one."""
    from ..analyses.progress import Snapshot, progress
    from ..model import Engagement
    from ..waves import load_waves

    waves = [w for w in load_waves(path, cl) if w.date is not None and not w.problems]   # a tampered wave is left out
    if not waves:
        return None
    last = waves[-1]
    then_kpis = ()
    try:
        from ..yamlio import read_yaml, to_plain

        wave_eng = Engagement.model_validate({**to_plain(read_yaml(last.folder / "engagement.yaml")[0]), "checklist": {}})
        raw = nb.collect(last.folder / "engagement.yaml", wave_eng, last.date or when)
        then = nb.kpi_facts(raw, wave_eng.scorecard.deep_dive_threshold)
        then_kpis = then.entries if then else ()
    except Exception:   # a wave this version cannot read is compared on its scores alone
        then_kpis = ()
    lower = {k: getattr(v, "direction", "") == "lower" for k, v in (catalogue or {}).items()}
    return progress(cl, [Snapshot(w.label, w.date, w.answers, w.unknown_items) for w in waves],
                    Snapshot("now", eng.assessment.date, eng.checklist),
                    actions=getattr(eng, "actions", None) if isinstance(getattr(eng, "actions", None), list)
                    else (eng.model_extra or {}).get("actions") or (),
                    kpis_then=then_kpis, kpis_now=kpis.entries if kpis else (), lower_is_better=lower)

