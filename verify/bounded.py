r"""Symbolic proofs that an expression of one variable is bounded on its domain.

A function continuous on an open interval (a, b) with finite one-sided limits at
both ends is bounded there (it extends continuously to the compact closure;
b may be :math:`\infty`).  Each exact region of the expression
(:mod:`irmd.verify.partition`) is such an interval, so a piecewise expression is
bounded when every piece is.  Continuity is read off the form: after the Erlang
functions are written out and the piece is put over one denominator, the piece
is built from polynomials, exponentials and integer powers only, and the
denominator has one strict sign on the interval (proved as in the sign proofs:
substitute the interval's ends and read off signs).  Where that argument does not
apply, :func:`bounded_by_monotone_quotients` reads boundedness off sums of Erlang
quotients that are monotone by their series (the auction's transfer for any N), and
:func:`bounded_by_enclosure` encloses the piece by branch and bound in ball
arithmetic instead (quotients G_n/g_n written as entire functions first).
"""
from __future__ import annotations

import time

import sympy as sp
from flint import arb, ctx

from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF, erlang_ratio_form, expand_erlang
from irmd.budget import Budget
from irmd.errors import BudgetExceeded

from .balls import enclose, exact_or_ball, precision_bits
from .enclosure import prove_on_box
from .tails import tail_enclosure

_ELEMENTARY = (sp.Add, sp.Mul, sp.Symbol, sp.Number, sp.NumberSymbol, sp.exp)


def _elementary(expr: sp.Expr, variable: sp.Symbol) -> bool:
    """Built from sums, products, integer powers and exponentials (continuous where defined)."""
    if expr.is_Pow:
        return expr.exp.is_Integer and _elementary(expr.base, variable) or not expr.has(variable)
    if not isinstance(expr, _ELEMENTARY) and expr.has(variable):
        return False
    return all(_elementary(a, variable) for a in expr.args)


def _strict_sign_on(expr: sp.Expr, variable: sp.Symbol, lower, upper) -> bool:
    """expr has one strict sign on (lower, upper): substitute the interval's ends and read off signs."""
    u = sp.Dummy("u", positive=True)
    inside = lower + u if upper is sp.oo else lower + (upper - lower) / (1 + u)
    moved = sp.together(sp.expand(expr.xreplace({variable: inside})))
    num, den = (sp.expand(part) for part in sp.fraction(moved))
    return bool((num.is_positive or num.is_negative) and (den.is_positive or den.is_negative))


def prove_bounded_piece(piece: sp.Expr, variable: sp.Symbol, lower, upper, budget: Budget):
    """(True, steps) when ``piece`` is proved bounded on (lower, upper), else (None, reason)."""
    if not piece.has(variable):
        return (True, ["a constant"]) if piece.is_finite is not False else (None, "not finite")
    try:
        with budget.step("write the piece over one denominator"):
            if piece.has(ErlangPDF, ErlangCDF, ErlangSF):
                piece = expand_erlang(piece)
            combined = sp.cancel(sp.together(piece))
        if not _elementary(combined, variable):
            return None, "the piece is not built from polynomials and exponentials"
        _, den = sp.fraction(combined)
        with budget.step("sign of the denominator"):
            if den.has(variable) and not _strict_sign_on(den, variable, lower, upper):
                return None, "the denominator's sign on the interval is not decided"
        ends = []
        for point, direction in ((lower, "+"), (upper, "-")):
            with budget.step(f"limit at {point}"):
                limit = sp.limit(combined, variable, point, direction)
            if limit.has(sp.oo, -sp.oo, sp.zoo, sp.nan) or limit.is_finite is False:
                return None, f"the limit at {point} is {limit}"
            if isinstance(limit, sp.Limit) or limit.has(sp.Limit, sp.AccumBounds):
                return None, f"the limit at {point} is not found"
            ends.append(limit)
    except BudgetExceeded as exceeded:
        return None, str(exceeded)
    except (NotImplementedError, ValueError, TypeError, sp.PolynomialError) as error:
        return None, f"sympy could not take the limits ({type(error).__name__})"
    return True, [f"continuous on ({lower}, {upper}) with limits {ends[0]} and {ends[1]} at its ends"]


def _monotone_quotient(term: sp.Expr, variable: sp.Symbol):
    r"""("decreasing" | "increasing", coefficient) when ``term`` is a coefficient free of ``variable``
    times a quotient of Erlang functions that is monotone on (0, oo), else None.

    With :math:`\bar G_n(y)/g_m(y) = \sum_{k<n} \frac{(m-1)!}{k!} y^{k-m+1}` every power is
    non-positive when n <= m, so the quotient is positive and non-increasing; with
    :math:`G_n(y)/g_m(y) = \sum_{k \ge n} \frac{(m-1)!}{k!} y^{k-m+1}` every power is positive when
    n >= m, so it is positive and increasing."""
    coefficient, quotient = sp.S.One, sp.S.One
    for factor in sp.Mul.make_args(term):
        if factor.has(variable):
            quotient *= factor
        else:
            coefficient *= factor
    numerator, denominator = quotient.as_numer_denom()
    if not (isinstance(denominator, ErlangPDF) and isinstance(numerator, (ErlangSF, ErlangCDF))):
        return None
    (n, y), (m, y_below) = numerator.args, denominator.args
    if y != variable or y_below != variable or not (n.is_Integer and m.is_Integer and n >= 1 and m >= 1):
        return None
    if isinstance(numerator, ErlangSF) and n <= m:
        return "decreasing", coefficient
    if isinstance(numerator, ErlangCDF) and n >= m:
        return "increasing", coefficient
    return None


def bounded_by_monotone_quotients(piece: sp.Expr, variable: sp.Symbol, lower, upper, balls: dict, dps: int):
    """(True, how) when ``piece`` is a sum of finite constants and finite constants times monotone
    positive Erlang quotients (:func:`_monotone_quotient`), each finite at the end it is largest
    towards: a decreasing one needs lower > 0, an increasing one a finite upper end.  Each term then
    lies between its values at the interval's ends.  Else (None, why)."""
    prec = precision_bits(dps)
    low = enclose(lower, balls, prec)
    with ctx.workprec(prec):
        positive_lower, nonnegative_lower = low > 0, low >= 0
    if not nonnegative_lower:
        return None, f"the interval's lower end {lower} is not proved non-negative"
    terms = sp.Add.make_args(sp.expand(piece, deep=False, power_base=False, power_exp=False, log=False))
    kinds = set()
    for term in terms:
        found = _monotone_quotient(term, variable) if term.has(variable) else ("constant", term)
        if found is None:
            return None, f"{term} is not a constant times a monotone Erlang quotient"
        kind, coefficient = found
        with ctx.workprec(prec):
            if not enclose(coefficient, balls, prec).is_finite():
                return None, f"the coefficient {coefficient} could not be enclosed"
        if kind == "decreasing" and not positive_lower:
            return None, f"{term} is decreasing but the interval's lower end {lower} is not proved positive"
        if kind == "increasing" and upper is sp.oo:
            return None, f"{term} is increasing on an unbounded interval"
        kinds.add(kind)
    return True, [f"on ({lower}, {upper}) a sum of constants times positive Erlang quotients that are "
                  f"monotone by their series ({', '.join(sorted(kinds))}), each between its values at the ends"]


def bounded_by_enclosure(piece: sp.Expr, variable: sp.Symbol, lower, upper, balls: dict, dps: int,
                         seconds: float):
    """(True, how) when branch and bound in ball arithmetic encloses ``piece`` on [lower, upper]
    (the tail beyond a finite point enclosed by :func:`irmd.verify.tails.tail_enclosure`)."""
    from_balls = [exact_or_ball(lower, balls, precision_bits(dps)),
                  sp.oo if upper is sp.oo else exact_or_ball(upper, balls, precision_bits(dps))]
    if any(end is None for end in from_balls):
        return None, "an end of the interval could not be enclosed"
    rewritten = erlang_ratio_form(piece)
    with ctx.workprec(precision_bits(dps)):
        zero = arb(0)
    outcome = prove_on_box("bounded", rewritten, [variable], [from_balls[0]], [from_balls[1]], balls, slack=zero,
                           tolerance=zero, prec=precision_bits(dps), deadline=time.monotonic() + seconds,
                           tail_prover=tail_bounds)
    if outcome.status != "proved":
        return None, outcome.reason
    return True, [f"enclosed in ball arithmetic on ({lower}, {upper}): |value| <= {outcome.bound.str(5)} "
                  f"({outcome.boxes} boxes)"]


def tail_bounds(expr, variable, R, constants):
    """The tail hook of :func:`irmd.verify.enclosure.prove_on_box`: (lo, hi) over [R, oo), or None."""
    found = tail_enclosure(expr, variable, R, constants)
    return None if found is None or found.grows else (found.lo, found.hi)
