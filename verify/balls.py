r"""Constants and closed forms as rigorous balls (python-flint's arb).

A candidate's constants are solved with mpmath at the working precision
(:func:`irmd.analytic.constants.solve_constants`); here each one becomes a ball
that provably contains the true value:

* a number is the exact rational (or the enclosure of its closed form);
* an expression of other constants is enclosed from their balls;
* a root is the ball :math:`[v - r, v + r]` around the computed value v on whose
  two ends the equation has provably opposite signs (the equation is
  continuous there: its enclosure over the whole ball is finite and it has no
  pieces), so a root lies inside.

Every later enclosure (levels, integrals, surface terms) uses these balls, so a
statement proved with them holds for the true constants.
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp
from flint import arb, ctx, fmpq

from irmd.analytic.constants import Constant, order_constants

from .enclosure import UnsupportedExpression, arb_function

#: Working precision of the balls: the decimal digits asked for plus this margin, in bits.
GUARD_BITS = 64


def precision_bits(dps: int) -> int:
    """arb precision (bits) for ``dps`` decimal digits, with a margin."""
    return int(dps * 3.33) + GUARD_BITS


def exact_rational(value) -> fmpq:
    """An mpmath number as the exact rational it stands for (its binary value)."""
    # No mpmath.mpf(value) here: outside workdps it would round to 53 bits.
    mantissa, exponent = (value if isinstance(value, mpmath.mpf) else mpmath.mpmathify(value)).man_exp
    return fmpq(mantissa * 2 ** exponent) if exponent >= 0 else fmpq(mantissa, 2 ** (-exponent))


@dataclass(frozen=True)
class Balls:
    """Balls of every constant (``values``), or the reason they could not all be proved."""

    values: dict
    failure: str = ""

    @property
    def ok(self) -> bool:
        return not self.failure


def enclose(expr: sp.Expr, balls: dict, prec: int) -> arb:
    """The ball of a closed form of constants (non-finite when it cannot be enclosed)."""
    with ctx.workprec(prec):
        try:
            return arb_function(real_form(sp.sympify(expr)), (), balls)()
        except UnsupportedExpression:
            return arb("nan")


def real_form(expr: sp.Expr) -> sp.Expr:
    """``expr`` with erf(I z) written as I erfi(z): sympy's integrals and simplifications write the
    real erfi that way, and the factors I then cancel."""
    if not expr.has(sp.I):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.erf) and (e.args[0] / sp.I).is_real,
                        lambda e: sp.I * sp.erfi(sp.expand(e.args[0] / sp.I)))


def constant_balls(constants, values: dict, dps: int) -> Balls:
    """Rigorous balls of the candidate's constants around their computed ``values``."""
    prec = precision_bits(dps)
    balls: dict = {}
    failures = []
    for c in order_constants(constants):
        if c.symbol not in values:
            failures.append(f"constant {c.symbol} has no computed value")
            continue
        ball = _number_ball(c, balls, prec) if c.equation is None else _root_ball(c, values[c.symbol], balls, prec)
        if ball is None or not ball.is_finite():
            failures.append(f"constant {c.symbol} could not be enclosed rigorously")
            continue
        balls[c.symbol] = ball
    # The balls that could be proved are kept: a claim that needs none of the others can still use them.
    return Balls(balls, failures[0] if failures else "")


def _number_ball(c: Constant, balls: dict, prec: int):
    if c.value.is_Rational:
        with ctx.workprec(prec):
            return arb(fmpq(int(c.value.p), int(c.value.q)))
    return enclose(c.value, balls, prec)


def _root_ball(c: Constant, value, balls: dict, prec: int):
    """[v - r, v + r] with a proved sign change of the equation across it (r grows until one is seen)."""
    if c.equation.has(sp.Piecewise, sp.Min, sp.Max, sp.Abs, sp.Heaviside, sp.sign):
        return None
    try:
        with ctx.workprec(prec):
            equation = arb_function(c.equation, (c.symbol,), balls)
    except UnsupportedExpression:
        return None
    centre = exact_rational(value)
    radius = fmpq(1, 2 ** (prec - GUARD_BITS // 2)) * (1 + abs(centre))
    with ctx.workprec(prec):
        for _ in range(6):
            low, high = equation(arb(centre - radius)), equation(arb(centre + radius))
            whole = equation(arb(centre, radius))
            if whole.is_finite() and ((low < 0 and high > 0) or (low > 0 and high < 0)):
                return arb(centre, radius)
            radius *= 2 ** 16
    return None


def exact_or_ball(expr, balls: dict, prec: int):
    """A bound of a region: the exact rational it is, or the ball of its closed form (None if not finite)."""
    expr = sp.sympify(expr)
    if expr.is_Rational:
        return expr
    value = enclose(expr, balls, prec)
    return value if value.is_finite() else None
