r"""Rigorous enclosures of the two bounds and of the masses (the bracket a certificate states).

Each number here is an arb ball that provably contains the true value, given
the constants' balls (:mod:`irmd.verify.balls`):

* the guarantee lower bound :math:`\sum_\theta \mu(\theta) L_\theta` from the levels;
* integrals over the signal space (masses, the potential bound): every exact
  segment of the total (:func:`irmd.verify.signal_integrals.signal_segments`)
  is integrated in closed form against the Erlang density
  (:mod:`irmd.verify.erlang_integrals`, any order), or by an antiderivative that
  sympy finds *and* that is checked by differentiating it back (so sympy's
  integrator is not trusted; powers times exponentials, c y^p e^{k y} with p > -1
  not an integer, from the table :math:`\frac{y^{p+1}}{p+1}\,{}_1F_1(p+1; p+2; k y)`,
  checked the same way), the integral being :math:`A(b^-) - A(a^+)`
  (one-sided limits, the ends may be infinite);
* surface terms :math:`F(y^*) V(y^*)/|h'(y^*)|` at the exact crossing points.

Where any step fails the caller gets ``(None, reason)`` and the bound is only
numerically established (*confirmed*).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from flint import arb

from irmd.analytic.environment import TOTAL
from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF, contiguous_1f1, expand_erlang, has_erlang
from irmd.budget import time_budget
from irmd.errors import BudgetExceeded

from .balls import enclose, precision_bits
from .erlang_integrals import erlang_segment_integral
from .signal_integrals import signal_segments
from .tails import tail_enclosure

#: Longest search for one antiderivative (seconds).
ANTIDERIVATIVE_SECONDS = 5.0


def ball_of(run, expr: sp.Expr):
    """(ball, reason) of a closed form of the constants."""
    balls = run.ctx.balls
    if not balls.ok:
        return None, balls.failure
    value = enclose(expr, balls.values, precision_bits(run.ctx.dps + 10))
    return (value, "") if value.is_finite() else (None, f"{expr} could not be enclosed")


def _antiderivative(F: sp.Expr, budget):
    """(A, reason): an antiderivative of F in TOTAL, checked by differentiation, or (None, why)."""
    if has_erlang(F):
        F = expand_erlang(F)
        if F.has(ErlangPDF, ErlangCDF, ErlangSF):
            return None, "Erlang functions of large order have no antiderivative written out"
    try:
        A = _power_exponential_antiderivative(F)
        if A is None:
            # sympy's integrator can search long for integrals it never finds: a shorter allowance.
            remaining = budget.remaining()
            with time_budget(ANTIDERIVATIVE_SECONDS if remaining is None else min(ANTIDERIVATIVE_SECONDS, remaining),
                             "antiderivative of a slice integrand"):
                A = sp.integrate(sp.expand(F), TOTAL)
        if A.has(sp.Integral):
            return None, "sympy found no antiderivative"
        with budget.step("differentiate the antiderivative back"):
            if sp.simplify(contiguous_1f1(sp.diff(A, TOTAL)) - F) != 0:
                return None, "the antiderivative sympy found does not differentiate back to the integrand"
    except BudgetExceeded as exceeded:
        return None, str(exceeded)
    except Exception as error:  # noqa: BLE001 - sympy's integrator fails in many ways; none proves anything
        return None, f"sympy could not integrate ({type(error).__name__})"
    return A, ""


def _power_exponential_antiderivative(F: sp.Expr):
    """The table antiderivative when F is a sum of c * y^p * e^(k y) with p > -1 rational and not an
    integer, k != 0 and c free of y (sympy writes these as incomplete gamma functions of complex
    arguments, or not at all), else None."""
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(F, deep=False)):
        coefficient, power, rate = sp.S.One, sp.S.Zero, sp.S.Zero
        for factor in sp.Mul.make_args(term):
            if not factor.has(TOTAL):
                coefficient *= factor
            elif factor == TOTAL:
                power += 1
            elif factor.is_Pow and factor.base == TOTAL and not factor.exp.has(TOTAL):
                power += factor.exp
            elif isinstance(factor, sp.exp) and (rate_here := sp.expand(factor.args[0]).coeff(TOTAL)) != 0 \
                    and sp.expand(factor.args[0] - rate_here * TOTAL) == 0:
                rate += rate_here
            else:
                return None
        if not (power.is_Rational and not power.is_Integer and power > -1 and rate.is_number and rate != 0):
            return None
        total += coefficient * TOTAL ** (power + 1) / (power + 1) * sp.hyper([power + 1], [power + 2], rate * TOTAL)
    return total if total != 0 else None


def _one_sided(A: sp.Expr, point, direction: str, budget):
    """lim A at ``point`` from one side: a finite closed form, sympy.oo / -sympy.oo, or None (not found)."""
    if point is not sp.oo:
        direct = A.xreplace({TOTAL: point})
        if not direct.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return direct
    with budget.step(f"limit of the antiderivative at {point}"):
        limit = sp.limit(A, TOTAL, point, direction)
    if limit in (sp.oo, -sp.oo):
        return limit
    if limit.has(sp.Limit, sp.AccumBounds, sp.nan, sp.zoo, sp.oo, -sp.oo) or limit.is_finite is False:
        return None
    return limit


@dataclass(frozen=True)
class Enclosed:
    """A rigorous integral: its ball, or why there is none; ``diverges`` when an antiderivative
    (checked by differentiation) is proved to go to +oo at an upper end or -oo at a lower end."""

    value: object = None
    reason: str = ""
    diverges: bool = False


def integral_ball(run, expr: sp.Expr):
    """(ball, reason): a rigorous enclosure of the integral of ``expr`` over the signal space."""
    found = enclose_integral(run, expr)
    return found.value, found.reason


def enclose_integral(run, expr: sp.Expr) -> Enclosed:
    """The integral of ``expr`` over the signal space, enclosed (see the module docstring)."""
    segments, reason = signal_segments(run, expr)
    if segments is None:
        return Enclosed(reason=reason)
    total = sp.S.Zero
    for segment in segments:
        if segment.upper is sp.oo and _grows_without_bound(run, segment):
            return Enclosed(reason=f"the integrand on ({segment.lower}, oo) is proved to stay away from 0 or grow "
                                   "in the far field (its tail enclosure)", diverges=True)
        closed = erlang_segment_integral(segment.integrand, segment.lower, segment.upper)
        if closed is not None:
            total += closed
            continue
        A, why = _antiderivative(segment.integrand, run.ctx.budget)
        if A is None:
            return Enclosed(reason=why)
        try:
            upper = _one_sided(A, segment.upper, "-", run.ctx.budget)
            lower = _one_sided(A, segment.lower, "+", run.ctx.budget)
        except BudgetExceeded as exceeded:
            return Enclosed(reason=str(exceeded))
        except Exception as error:  # noqa: BLE001 - a failing limit only means no closed form here
            return Enclosed(reason=f"sympy could not take the limits of the antiderivative ({type(error).__name__})")
        if upper is sp.oo or lower is -sp.oo:
            return Enclosed(reason=f"an antiderivative of the integrand on ({segment.lower}, {segment.upper}) is "
                                   f"{A}, which tends to {upper if upper is sp.oo else lower} at an end",
                            diverges=True)
        if upper is None or lower is None or upper is -sp.oo or lower is sp.oo:
            return Enclosed(reason=f"the antiderivative has no finite limit at an end of "
                                   f"({segment.lower}, {segment.upper})")
        total += upper - lower
    if total == 0:
        return Enclosed(arb(0))
    value, why = ball_of(run, total)
    return Enclosed(value, why)


def _grows_without_bound(run, segment) -> bool:
    """The integrand provably does not decay at infinity: |F| -> oo, or F >= c > 0 on a tail."""
    balls = dict(run.ctx.balls.values)
    # Functions of the constants alone (a normaliser 1F1(...; ybar)) enter as balls of their own.
    integrand, prec = segment.integrand, precision_bits(run.ctx.dps + 10)
    for k, atom in enumerate(sorted(integrand.atoms(sp.Function), key=sp.default_sort_key)):
        if not atom.has(TOTAL) and atom.free_symbols <= set(balls):
            ball = enclose(atom, balls, prec)
            if ball.is_finite():
                stand_in = sp.Dummy(f"c{k}")
                balls[stand_in] = ball
                integrand = integrand.xreplace({atom: stand_in})
    for R in (2 ** 6, 2 ** 12):
        found = tail_enclosure(integrand, TOTAL, R, balls)
        if found is not None and (found.grows or found.lo > 0):
            return True
    return False


def point_ball(run, expr: sp.Expr, point: sp.Expr):
    """(ball, reason) of an expression of TOTAL at an exact point."""
    return ball_of(run, expr.xreplace({TOTAL: point}))
