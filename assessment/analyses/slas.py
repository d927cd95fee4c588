"""Do the IT service levels back the business service levels? Pure.

Every business SLA should name the IT SLAs it depends on (``backed_by``). Those form a
chain: a transaction passes through each system, so the chain is as strong as its
weakest link. We therefore compare the business demand with the *smallest* capacity
among the backing IT SLAs in the same unit, and the business availability with the
*compound* availability of the chain (the product of the availabilities).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import SLAs

OK, UNBACKED, UNDER_CAPACITY, AVAILABILITY, UNIT_MISMATCH, UNKNOWN = (
    "ok", "unbacked", "under-capacity", "availability", "unit-mismatch", "unknown-it-sla")


@dataclass(frozen=True)
class Finding:
    kind: str
    business_id: str
    business_name: str
    it_ids: tuple[str, ...]
    sentence: str
    required: float | None = None
    supported: float | None = None

    @property
    def ok(self) -> bool:
        return self.kind == OK


def _n(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def align(slas: SLAs) -> list[Finding]:
    it = {s.id: s for s in slas.it}
    out: list[Finding] = []
    for b in slas.business:
        label = f"{b.name} ({b.id})"
        if not b.backed_by:
            out.append(Finding(UNBACKED, b.id, b.name, (), f"{label}: no IT service level backs it; the business "
                               f"promises {_n(b.demand)} {b.unit} with nothing underneath."))
            continue
        missing = [i for i in b.backed_by if i not in it]
        if missing:
            out.append(Finding(UNKNOWN, b.id, b.name, tuple(missing), f"{label}: backed by {', '.join(missing)}, "
                               "which is not among the IT SLAs recorded."))
        chain = [it[i] for i in b.backed_by if i in it]
        if not chain:
            continue
        found = False
        same_unit = [s for s in chain if s.unit.strip().lower() == b.unit.strip().lower()]
        if not same_unit:
            found = True
            out.append(Finding(UNIT_MISMATCH, b.id, b.name, tuple(s.id for s in chain),
                               f"{label}: demand is in {b.unit or 'no unit'} but the IT SLAs measure "
                               f"{', '.join(sorted({s.unit or 'no unit' for s in chain}))}; capacity cannot be compared."))
        else:
            weakest = min(same_unit, key=lambda s: s.capacity)
            if weakest.capacity < b.demand:
                short = b.demand - weakest.capacity
                found = True
                out.append(Finding(UNDER_CAPACITY, b.id, b.name, (weakest.id,),
                                   f"{label}: the business needs {_n(b.demand)} {b.unit} but IT SLA {weakest.id} "
                                   f"({weakest.name}) supports {_n(weakest.capacity)}: a shortfall of {_n(short)} "
                                   f"({short / b.demand:.0%}).", b.demand, weakest.capacity))
        avails = [s.availability for s in chain if s.availability is not None]
        if b.availability is not None and avails:
            compound = 1.0
            for a in avails:
                compound *= a / 100
            if compound * 100 < b.availability - 1e-9:
                found = True
                out.append(Finding(AVAILABILITY, b.id, b.name, tuple(s.id for s in chain),
                                   f"{label}: the business needs {b.availability:g} % availability; the IT chain "
                                   f"({', '.join(s.id for s in chain)}) delivers {compound * 100:.2f} % at best.",
                                   b.availability, round(compound * 100, 2)))
        if not found and not missing:
            out.append(Finding(OK, b.id, b.name, tuple(s.id for s in chain),
                               f"{label}: backed by {', '.join(s.id for s in chain)} with enough capacity and "
                               "availability."))
    return out
