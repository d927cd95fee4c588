"""Erlang C for voice queues (Poisson arrivals, no abandonment). Pure.

Offered load A = arrival rate x AHT (in Erlangs); N agents with N > A.
C(N, A) = probability that a contact waits; SL(t) = 1 - C * exp(-(N - A) t / AHT);
ASA = C * AHT / (N - A); occupancy = A / N. With N <= A the queue grows without
bound: service level 0 and ASA infinite.

Hand-worked check (domain brief): 120 calls an hour, AHT 240 s, t = 20 s, so A = 8:
10 agents give SL 65.4 % and ASA 49.1 s; 11 agents give SL 80.9 %.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


def load(calls: float, aht_s: float, interval_s: float = 3600) -> float:
    """Offered load in Erlangs for ``calls`` arriving in ``interval_s`` seconds."""
    return calls * aht_s / interval_s


def erlang_c(agents: int, a: float) -> float:
    """Probability of waiting, via the numerically stable Erlang B recursion."""
    if agents <= a:
        return 1.0
    b = 1.0
    for n in range(1, agents + 1):
        b = a * b / (n + a * b)
    return agents * b / (agents - a * (1 - b))


def service_level(agents: int, a: float, aht_s: float, t_s: float) -> float:
    if agents <= a:
        return 0.0
    return max(0.0, 1 - erlang_c(agents, a) * math.exp(-(agents - a) * t_s / aht_s))


def asa(agents: int, a: float, aht_s: float) -> float:
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
    """The fewest agents that reach ``target_sl`` (0-1) within ``t_s`` seconds."""
    a = load(calls, aht_s, interval_s)
    n = max(1, math.floor(a) + 1)
    while service_level(n, a, aht_s, t_s) < target_sl:
        n += 1
    return n


def staffing_table(calls: float, aht_s: float, interval_s: float = 3600, t_s: float = 20, target_sl: float = 0.80,
                   around: int = 2) -> list[Staffing]:
    """Rows from a little under to a little over the agents needed for the target."""
    a = load(calls, aht_s, interval_s)
    need = agents_for(target_sl, t_s, calls, aht_s, interval_s)
    lo = max(math.floor(a) + 1, need - around)
    return [row(n, a, aht_s, t_s) for n in range(lo, need + around + 1)]
