"""The deck's slide for how each side sees it (the facts' ``perception_gaps``): respondents by role only."""
from __future__ import annotations

from typing import Any

from . import fit


def _n(v: Any) -> str:
    return "–" if v is None else (f"{v:.1f}" if isinstance(v, float) and v != int(v) else str(int(v)))


def has_perception(facts: dict) -> bool:
    p = facts.get("perception_gaps")
    return isinstance(p, dict) and bool(p.get("gaps"))


def perception_slide(deck) -> None:
    """The practices the two sides see furthest apart, each side's median view and the consensus."""
    p = deck.f["perception_gaps"]
    gaps = [g for g in p.get("gaps") or [] if isinstance(g, dict)]
    blind = {g.get("id") for g in (p.get("blind_spots_client") or []) + (p.get("blind_spots_provider") or [])
             if isinstance(g, dict)}
    counts = p.get("counts") or {}
    notes = [f"{counts.get('client', 0)} respondents at {deck.client}, {counts.get('provider', 0)} at {deck.provider}, "
             "interviewed separately; a side's view is the median of its respondents' as-is scores. "
             "Respondents are named by role only."]
    for g in gaps:
        said = "; ".join(f"{fit.clean(s.get('label'))} {s.get('as_is')}" for s in g.get("said") or [])
        notes.append(f"{g.get('id')} {fit.clean(g.get('title'))}: {said}")
    n = len(gaps)
    title = (f"How each side sees it: {n} practice{'s' if n != 1 else ''} the two sides see "
             f"{_n(p.get('gap_at'))} or more points apart")
    slide, (rect,) = deck.new("content", title, "\n".join(notes))
    rows = [["Practice", fit.clean(deck.client), fit.clean(deck.provider), "Consensus", "Note"]]
    for g in gaps[:8]:
        rows.append([f"{g.get('id')} {fit.clean(g.get('title'))}", _n(g.get("client")), _n(g.get("provider")),
                     _n(g.get("consensus")), "blind spot" if g.get("id") in blind else ""])
    deck.table(slide, rect, rows, [5.4, 1.8, 1.8, 1.7, 1.5], size=14, name="Perception gaps", fill_height=False)
