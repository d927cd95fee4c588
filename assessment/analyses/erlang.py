"""Erlang C for voice queues (Poisson arrivals, no abandonment). Pure.

Offered load A = arrival rate x AHT (in Erlangs); N agents with N > A.
C(N, A) = probability that a contact waits; SL(t) = 1 - C * exp(-(N - A) t / AHT);
ASA = C * AHT / (N - A); occupancy = A / N. With N <= A the queue grows without
bound: service level 0 and ASA infinite.

C comes from the Erlang B recursion B(n) = A B(n-1) / (n + A B(n-1)), which stays in
[0, 1] (no factorials, no overflow), and C = N B / (N - A (1 - B)). Finding the agents
for a target walks n upwards once, carrying B along: O(N) in all. N is capped at
``MAX_AGENTS`` and A at ``MAX_LOAD`` (an Erlang C table for more is not a staffing
question for one queue); past them :class:`ErlangLimit` says so. ``inputs.check_contacts``
rejects such intervals first, so a readout never meets the cap.

Hand-worked checks (domain brief): 120 calls an hour, AHT 240 s, t = 20 s, so A = 8:
10 agents give SL 65.4 % and ASA 49.1 s; 11 agents give SL 80.9 %. And 100 calls in
30 minutes at 180 s (A = 10): 13 agents give 79.6 %, 14 give 88.8 % (80/20 needs 14).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import AssessmentError

MAX_AGENTS = 10_000      # the largest table we compute
MAX_LOAD = 5_000.0       # Erlangs; 80/20 at this load needs about 5,050 agents, well inside MAX_AGENTS
DEFAULT_AHT = 300.0      # seconds, when contacts.csv gives no handle time for an interval


class ErlangLimit(AssessmentError, ValueError):
    """An Erlang C question outside the bounds we answer (load, agents, handle time or target)."""


def _check(a: float, aht_s: float | None = None) -> None:
    if not (a == a and 0 <= a <= MAX_LOAD):
        raise ErlangLimit(f"Erlang C: expected an offered load from 0 to {MAX_LOAD:,.0f} Erlangs "
                          f"(about {MAX_AGENTS:,} agents), found {a:,.6g}")
    if aht_s is not None and not (aht_s == aht_s and 0 < aht_s < math.inf):
        raise ErlangLimit(f"Erlang C: expected an average handle time above 0 seconds, found {aht_s!r}")


def load(calls: float, aht_s: float, interval_s: float = 3600) -> float:
    """Offered load in Erlangs for ``calls`` arriving in ``interval_s`` seconds."""
    if not interval_s > 0:
        raise ErlangLimit(f"Erlang C: expected an interval above 0 seconds, found {interval_s!r}")
    return calls * aht_s / interval_s


def _b_step(b: float, n: int, a: float) -> float:
    return a * b / (n + a * b)


def _c_from_b(agents: int, a: float, b: float) -> float:
    return agents * b / (agents - a * (1 - b))


def erlang_c(agents: int, a: float) -> float:
    """Probability of waiting, via the numerically stable Erlang B recursion."""
    _check(a)
    if agents <= a:
        return 1.0
    if agents > MAX_AGENTS:
        raise ErlangLimit(f"Erlang C: expected at most {MAX_AGENTS:,} agents, found {agents:,}")
    b = 1.0
    for n in range(1, agents + 1):
        b = _b_step(b, n, a)
    return _c_from_b(agents, a, b)


def _sl(agents: int, a: float, c: float, aht_s: float, t_s: float) -> float:
    return max(0.0, 1 - c * math.exp(-(agents - a) * t_s / aht_s))


def service_level(agents: int, a: float, aht_s: float, t_s: float) -> float:
    _check(a, aht_s)
    if agents <= a:
        return 0.0
    return _sl(agents, a, erlang_c(agents, a), aht_s, t_s)


def asa(agents: int, a: float, aht_s: float) -> float:
    _check(a, aht_s)
    if agents <= a:
        return math.inf
    return erlang_c(agents, a) * aht_s / (agents - a)


def occupancy(agents: int, a: float) -> float:
    return min(1.0, a / agents) if agents else 1.0


@dataclass(frozen=True)
class Staffing:
    agents: int
    p_wait: float
    service_level: float
    asa: float
    occupancy: float


def row(agents: int, a: float, aht_s: float, t_s: float) -> Staffing:
    return Staffing(agents, erlang_c(agents, a), service_level(agents, a, aht_s, t_s), asa(agents, a, aht_s),
                    occupancy(agents, a))


def agents_for(target_sl: float, t_s: float, calls: float, aht_s: float, interval_s: float = 3600) -> int:
    """The fewest agents that reach ``target_sl`` (0-1, exclusive of 1) within ``t_s`` seconds.

    One pass of the Erlang B recursion: every step costs O(1), so the answer costs O(agents).
    """
    if not (0 < target_sl < 1):
        raise ErlangLimit(f"Erlang C: expected a target service level above 0 and below 1, found {target_sl!r}")
    if not (t_s == t_s and 0 <= t_s < math.inf):
        raise ErlangLimit(f"Erlang C: expected a target answer time of 0 seconds or more, found {t_s!r}")
    a = load(calls, aht_s, interval_s)
    _check(a, aht_s)
    b = 1.0
    for n in range(1, MAX_AGENTS + 1):
        b = _b_step(b, n, a)
        if n > a and _sl(n, a, _c_from_b(n, a, b), aht_s, t_s) >= target_sl:
            return n
    raise ErlangLimit(f"Erlang C: {target_sl:.0%} in {t_s:g} s at {a:,.1f} Erlangs needs more than "
                      f"{MAX_AGENTS:,} agents")


def staffing_table(calls: float, aht_s: float, interval_s: float = 3600, t_s: float = 20, target_sl: float = 0.80,
                   around: int = 2) -> list[Staffing]:
    """Rows from a little under to a little over the agents needed for the target."""
    a = load(calls, aht_s, interval_s)
    need = agents_for(target_sl, t_s, calls, aht_s, interval_s)
    lo = max(math.floor(a) + 1, need - around)
    return [row(n, a, aht_s, t_s) for n in range(lo, min(need + around, MAX_AGENTS) + 1)]
