r"""Integrals over the signal space, reduced to one dimension.

Integrals :math:`\int f(x)\,dx` over a box :math:`[l,\infty)^N` are computed as
:math:`\int_{Nl}^\infty F(y)\,dy` over the total :math:`y = \sum_i x_i`, where
:math:`F(y)` integrates ``f`` over the slice :math:`\{\sum_i x_i = y\}`:

* if ``f`` depends on ``x`` only through ``y`` (checked symbolically), then
  :math:`F = f \cdot V(y)` with the slice volume
  :math:`V(y) = (y - Nl)^{N-1}/(N-1)!` -- this is the Erlang/Gamma structure
  that makes N = 10,000 cheap;
* for N = 2 the slice is a segment and ``F`` is found by symbolic integration
  over :math:`x_1 \in [l, y - l]` (e.g. the bilateral-trade density
  :math:`\bar\rho(y) x_2/y`);
* symmetric models are already written in ``y`` with the measure attached.

The one-dimensional integral is done by mpmath's tanh-sinh quadrature at the
working precision, split at region boundaries and around the bulk of the
measure (tanh-sinh handles integrable endpoint singularities such as
:math:`y^{-a}` at 0, which naive quadrature gets wrong).  Every result carries
the quadrature's own error estimate.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function
from irmd.analytic.environment import TOTAL
from irmd.analytic.special import ErlangPDF
from irmd.budget import Budget
from irmd.caching import RecentCache, exact_key
from irmd.errors import BudgetExceeded


@dataclass(frozen=True)
class Integral:
    value: object          # mpf, or None when it could not be computed
    error: object          # quadrature error estimate
    method: str
    reason: str = ""
    diverges: bool = False  # the integral is infinite (value None, reason says where)

    @property
    def ok(self) -> bool:
        return self.value is not None


def y_reduce(expr: sp.Expr, actions, budget: Budget) -> sp.Expr | None:
    """``expr`` as a function of TOTAL if it depends on the actions only through their sum.

    The outcome is remembered for the exact ``expr`` and actions (a Float also by its printed form
    and precision): regions, claims and integrals ask for the same surfaces and densities again.
    A reduction that ran out of its budget is not remembered, and a remembered one that needed a
    budget step is not given once the budget is spent (the step would have stopped there)."""
    actions = list(actions)
    if not expr.free_symbols & set(actions):
        return expr
    last, rest = actions[-1], actions[:-1]
    moved = expr.xreplace({last: TOTAL - sum(rest, sp.S.Zero)})
    if not moved.free_symbols & set(rest):
        return moved
    key = (exact_key(expr), tuple(actions))
    found = _REDUCED.get(key)
    if found is not None:
        remaining = budget.remaining()
        return None if remaining is not None and remaining <= 0 else found[0]
    if _splits_differ(moved, rest):
        _REDUCED.put(key, (None,))
        return None
    try:
        with budget.step("reduce to a function of the total"):
            simplified = sp.cancel(sp.expand(moved))
            if simplified.free_symbols & set(rest):
                simplified = sp.simplify(moved)
    except BudgetExceeded:
        return None
    reduced = None if simplified.free_symbols & set(rest) else simplified
    _REDUCED.put(key, (reduced,))
    return reduced


def _splits_differ(moved: sp.Expr, rest) -> bool:
    """True if ``moved`` (a function of the total and of ``rest``) takes clearly different values at
    two splits of one total, with every other symbol at one positive value: then it is not a
    function of the total for every value of its symbols, which is what simplification would have
    to show, and the costly attempt is skipped.  False whenever that is not clear (an evaluation
    that fails, is not real, or a symbol that must not be positive)."""
    others = moved.free_symbols - set(rest)
    if len(rest) > 16 or any(s.is_positive is False or s.is_integer for s in moved.free_symbols):
        return False
    values = {s: sp.Rational(83 + 7 * j, 100) for j, s in enumerate(sorted(others - {TOTAL}, key=str))}
    values[TOTAL] = sp.Rational(137, 100)
    found = []
    for fractions in ((sp.Rational(31, 100), sp.Rational(23, 100)), (sp.Rational(17, 100), sp.Rational(41, 100))):
        at = dict(values)
        # Each of the others below half the total over their number: the last action stays positive.
        at.update({x: values[TOTAL] * fractions[j % 2] / len(rest) for j, x in enumerate(rest)})
        try:
            value = complex(moved.evalf(30, subs=at))
        except (TypeError, ValueError, ArithmeticError):
            return False
        if value.imag != 0 or not math.isfinite(value.real):
            return False
        found.append(value.real)
    return abs(found[0] - found[1]) > 1e-9 * max(1.0, abs(found[0]), abs(found[1]))


#: Reductions to the total remembered (exact inputs -> (expr or None,)).
_REDUCED = RecentCache(256)


def slice_volume(agents: int, lower) -> sp.Expr:
    """(y - N l)^(N-1) / (N-1)!, the (N-1)-volume of {x >= l, sum x = y} in dx_1..dx_{N-1}."""
    if agents == 1:
        return sp.S.One
    offset = TOTAL - agents * lower
    return ErlangPDF(agents, offset) * sp.exp(offset)


def slice_integrand(expr: sp.Expr, actions, lower, budget: Budget):
    """(F(y), method) with F the integral of ``expr`` over the slice sum x = y, or (None, reason)."""
    n = len(actions)
    reduced = y_reduce(expr, actions, budget)
    if reduced is not None:
        return reduced * slice_volume(n, lower), "depends on the total only: times the slice volume"
    if n == 2:
        x1, x2 = actions
        t = sp.Dummy("t", real=True)
        inner = expr.xreplace({x1: t, x2: TOTAL - t})
        try:
            with budget.step("integrate over the slice"):
                F = sp.integrate(inner, (t, lower, TOTAL - lower))
        except (BudgetExceeded, NotImplementedError, ValueError, TypeError):
            F = None
        if F is not None and not F.has(sp.Integral):
            return F, "integrated symbolically over the segment x_1 + x_2 = y"
        return None, "the slice integral has no closed form within the budget"
    return None, f"the integrand depends on more than the total of {n} actions"


def breakpoints(lower, upper, scales, dps) -> list:
    """Interior split points: given scales and the bulk of an Erlang-like measure."""
    pts = set()
    for s in scales:
        if s is None:
            continue
        s = mpmath.mpf(s)
        if mpmath.isfinite(s) and lower < s < upper:
            pts.add(s)
    return sorted(pts)


def quad_1d(F: sp.Expr, lower, upper, values: dict, dps: int, splits=(), singular_ends=()) -> Integral:
    """Integral of F(TOTAL) over [lower, upper] (upper may be mpmath.inf) at ``dps`` digits."""
    constants = list(values)
    fn = mpmath_function(F, [TOTAL] + constants)
    with mpmath.workdps(dps):
        numbers = [values[c] for c in constants]

        def f(y):
            try:
                v = fn(y, *numbers)
            except ZeroDivisionError:
                return mpmath.mpf(0) if F.free_symbols == set() else mpmath.nan
            return mpmath.re(v)

        lower, upper = mpmath.mpf(lower), (mpmath.mpf(upper) if upper != mpmath.inf else mpmath.inf)
        if upper != mpmath.inf and upper <= lower:
            return Integral(mpmath.mpf(0), mpmath.mpf(0), "empty interval")
        points = [lower] + [p for p in splits if lower < p < upper] + [upper]
        power = endpoint_power(f, lower, points[1], dps)
        note = ""
        try:
            if power is not None and power <= -1:
                return Integral(None, None, "tanh-sinh quadrature",
                                f"the integral diverges at {mpmath.nstr(lower, 8)} (integrand ~ (y - l)^"
                                f"{mpmath.nstr(power, 4)})", diverges=True)
            if upper == mpmath.inf and tail_diverges(f, max(points[-2], mpmath.mpf(1))):
                return Integral(None, None, "tanh-sinh quadrature",
                                "the integral diverges at infinity (y |integrand| does not decay)", diverges=True)
            if power is not None and power < -mpmath.mpf(1) / 4:
                # Strong endpoint singularity (y - l)^p: substitute y = l + u^m with
                # m = 1/(1 + p), which makes the integrand bounded near u = 0.
                m = 1 / (1 + power)
                head_end = points[1]
                span = (head_end - lower) ** (1 / m)
                head, head_error = mpmath.quad(
                    lambda u: m * u ** (m - 1) * f(lower + u**m), [0, span], error=True, maxdegree=10)
                tail, tail_error = (mpmath.quad(f, points[1:], error=True, maxdegree=10)
                                    if len(points) > 2 else (mpmath.mpf(0), mpmath.mpf(0)))
                value, error = head + tail, head_error + tail_error
                note = f"; endpoint singularity ~ (y - l)^{mpmath.nstr(power, 4)} removed by substitution"
            else:
                value, error = mpmath.quad(f, points, error=True, maxdegree=10)
        except (ZeroDivisionError, ValueError) as failure:
            return Integral(None, None, "tanh-sinh quadrature", f"quadrature failed: {failure}")
        if mpmath.isnan(value) or mpmath.isinf(value):
            return Integral(None, None, "tanh-sinh quadrature", "the integral diverges or the integrand is undefined")
        if abs(error) > mpmath.mpf(10) ** (-(dps // 3)) * max(1, abs(value)):
            return Integral(None, None, "tanh-sinh quadrature",
                            f"quadrature did not converge (estimate {mpmath.nstr(value, 8)}, error estimate "
                            f"{mpmath.nstr(error, 3)})")
        return Integral(value, error, f"tanh-sinh quadrature at {dps} digits on {len(points) - 1} intervals{note}")


def tail_diverges(f, start) -> bool:
    """True when y |f(y)| grows along y = start * 10^(2^k): the integral to infinity diverges."""
    try:
        values = [abs(f(start * mpmath.mpf(10) ** (2**k))) * start * mpmath.mpf(10) ** (2**k) for k in range(1, 5)]
    except (ZeroDivisionError, ValueError, OverflowError):
        return False
    if any(not mpmath.isfinite(v) for v in values):
        return True
    return values[-1] > 1 and all(b >= a for a, b in zip(values, values[1:]))


def endpoint_power(f, lower, next_point, dps: int):
    """Exponent p of f(y) ~ c (y - lower)^p at the lower endpoint, or None if f is regular there.

    Read off from two points very close to the endpoint (log-log slope); used to
    remove integrable singularities such as y^{-h/g + 1} in bilateral trade.
    """
    width = (next_point - lower) if next_point != mpmath.inf else mpmath.mpf(1)
    d1 = width * mpmath.mpf(10) ** (-(dps // 4))
    d2 = d1 * mpmath.mpf(10) ** (-(dps // 4))
    try:
        f1, f2 = abs(f(lower + d1)), abs(f(lower + d2))
    except (ZeroDivisionError, ValueError, OverflowError):
        return None
    if not (mpmath.isfinite(f1) and mpmath.isfinite(f2)) or f1 == 0 or f2 == 0:
        return None
    p = mpmath.log(f1 / f2) / mpmath.log(d1 / d2)
    return p if p < 0 else None


def bulk_splits(agents: int, lower) -> list:
    """Split points around the Erlang bulk N +- k sqrt(N) (where the measure lives for large N)."""
    if agents <= 1:
        return []
    n, root = mpmath.mpf(agents), mpmath.sqrt(agents)
    return [lower + n + k * root for k in (-64, -32, -16, -8, -4, -2, -1, 0, 1, 2, 4, 8, 16, 32, 64, 128)]
