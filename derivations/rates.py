r"""The survey's headline numbers, computed.

* :func:`survey_rate`: the auction's value :math:`1 - G_N(\bar y_N)` (35)/(37),
  with :math:`\bar y_N` the root of :math:`G_{N+1}(\bar y) = \mu(0)` (34),
  approaches :math:`\mu(1)` as N grows; the gap is fitted to
  :math:`C N^{-p}` by least squares on log-log scale for N up to ``max_agents``
  (the survey states p = 1/2).
* :func:`bilateral_zero_regime`: the potential bound of bilateral trade, as
  irmd's verifier computes it, vanishes in the limit eps -> 0 when h/g >= 2.
"""
from __future__ import annotations

import mpmath

from irmd.analytic.library import build
from irmd.verify.api import potential_bound
from irmd.verify.limits import potential_limit

DPS = 30


def auction_value(n: int, mu1=mpmath.mpf("0.5")):
    """(ybar, 1 - G_N(ybar)) for N = n at the current precision."""
    # G_{N+1}(t) - mu(0) = mu(1) - (1 - G_{N+1}(t)); the survival function stays accurate for huge N,
    # and the root lies within a few standard deviations sqrt(N+1) of the mean N+1.
    target = lambda t: mpmath.mpf(mu1) - mpmath.gammainc(n + 1, t, mpmath.inf, regularized=True)  # noqa: E731
    spread = 20 * mpmath.sqrt(n + 1) + 20
    lo, hi = max(mpmath.mpf(0), n + 1 - spread), mpmath.mpf(n + 1 + spread)
    for _ in range(200):  # bisection: monotone in ybar, certain
        mid = (lo + hi) / 2
        if target(mid) > 0:
            hi = mid
        else:
            lo = mid
        if hi - lo < mpmath.mpf(10) ** (-DPS + 5) * hi:
            break
    ybar = (lo + hi) / 2
    return ybar, mpmath.gammainc(n, ybar, mpmath.inf, regularized=True)


def survey_rate(max_agents: int = 10**6, mu1: str = "0.5") -> dict:
    """Gap mu(1) - (1 - G_N(ybar_N)) for N = 10^k up to ``max_agents``, and the fitted rate."""
    with mpmath.workdps(DPS):
        m1 = mpmath.mpf(mu1)
        ns, rows = [], []
        n = 1
        while n <= max_agents:
            ns.append(n)
            n *= 10
        for n in ns:
            _, value = auction_value(n, m1)
            rows.append((n, value, m1 - value))
        pts = [(mpmath.log(n), mpmath.log(abs(gap))) for n, _, gap in rows if n >= 10 and gap != 0]
        mx = sum(p[0] for p in pts) / len(pts)
        my = sum(p[1] for p in pts) / len(pts)
        slope = sum((a - mx) * (b - my) for a, b in pts) / sum((a - mx) ** 2 for a, _ in pts)
        scaled = [(n, gap * mpmath.sqrt(n)) for n, _, gap in rows]
    table = [{"N": n, "value": mpmath.nstr(value, 15), "gap": mpmath.nstr(gap, 10)} for n, value, gap in rows]
    exponent = -slope
    summary = (f"1 - G_N(ybar) -> mu(1) = {mu1}: gap {mpmath.nstr(rows[-1][2], 6)} at N = {rows[-1][0]}; "
               f"least-squares fit gap ~ C N^(-p) over N = 10..{rows[-1][0]} gives p = {mpmath.nstr(exponent, 6)} "
               f"(survey: O(1/sqrt N)); sqrt(N) * gap = "
               + ", ".join(f"{mpmath.nstr(s, 6)} (N = {n})" for n, s in scaled[-3:]))
    return {"summary": summary, "exponent": float(exponent), "mu1": mu1, "table": table,
            "sqrtN_gap": [{"N": n, "value": mpmath.nstr(s, 10)} for n, s in scaled]}


def bilateral_zero_regime(ratios=("3/2", "19/10", "2", "3"), dps: int = 15) -> dict:
    """irmd's potential bound (limit eps -> 0) of bilateral trade for several h/g."""
    rows = []
    for ratio in ratios:
        candidate = build("bilateral-trade", {"h": ratio, "g": "1"})
        if candidate.family is not None:
            limit = potential_limit(candidate, dps, lambda member: potential_bound(member, dps))
            value, status = limit.value, limit.status.value
        else:
            value, status, _ = potential_bound(candidate, dps)
            status = status.value
        rows.append({"h/g": ratio, "potential_limit": None if value is None else mpmath.nstr(value, 10),
                     "status": status})
    summary = "bilateral-trade potential bound as eps -> 0: " + ", ".join(
        f"h/g = {r['h/g']}: {r['potential_limit'] if r['potential_limit'] is not None else 'not established'} "
        f"({r['status']})" for r in rows)
    return {"summary": summary, "table": rows}
