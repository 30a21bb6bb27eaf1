"""Outcome spaces in reduced form: products of simple polytopes.

The papers' outcomes are lotteries over a finite set, but utilities and the
designer's objective only depend on a few expected coordinates (allocation
probabilities, expected transfers).  Those coordinates range over a product of
simple factors:

``Simplex``   coordinates c_1..c_m with c_k >= 0 and sum c_k <= 1 (the slack is
              "nobody gets the good", q_0 = 1 - sum q_i);
``Interval``  one coordinate in [lower, upper]; either end may be infinite, and a
              coordinate that is infinite on both ends is *free* (a transfer with
              t_max -> infinity).

The maximum of an affine function over such a product splits into one maximum per
factor (:func:`factor_maximum`), which is what turns the IVO's ``max_c`` into a
formula.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import mpmath
import sympy as sp

from irmd.errors import CandidateError


@dataclass(frozen=True)
class Simplex:
    """Coordinates that are non-negative and sum to at most one."""

    coordinates: tuple[sp.Symbol, ...]

    def __post_init__(self):
        if not self.coordinates:
            raise CandidateError("a simplex needs at least one coordinate")
        for c in self.coordinates:
            if not isinstance(c, sp.Symbol):
                raise CandidateError(f"simplex coordinate {c!r} is not a sympy Symbol")

    @property
    def bounded(self) -> bool:
        return True

    def describe(self) -> str:
        names = ", ".join(str(c) for c in self.coordinates)
        return f"{names} >= 0, sum <= 1"


@dataclass(frozen=True)
class Interval:
    """One coordinate in ``[lower, upper]``; infinite ends are allowed."""

    coordinate: sp.Symbol
    lower: sp.Expr = sp.S.NegativeInfinity
    upper: sp.Expr = sp.S.Infinity

    def __post_init__(self):
        if not isinstance(self.coordinate, sp.Symbol):
            raise CandidateError(f"interval coordinate {self.coordinate!r} is not a sympy Symbol")
        object.__setattr__(self, "lower", sp.sympify(self.lower))
        object.__setattr__(self, "upper", sp.sympify(self.upper))
        if (self.lower - self.upper).is_positive:
            raise CandidateError(
                f"interval for {self.coordinate}: lower bound {self.lower} exceeds upper bound {self.upper}"
            )

    @property
    def coordinates(self) -> tuple[sp.Symbol, ...]:
        return (self.coordinate,)

    @property
    def free(self) -> bool:
        return self.lower == sp.S.NegativeInfinity and self.upper == sp.S.Infinity

    @property
    def bounded(self) -> bool:
        return self.lower.is_finite is True and self.upper.is_finite is True

    def describe(self) -> str:
        if self.free:
            return f"{self.coordinate} free"
        return f"{self.lower} <= {self.coordinate} <= {self.upper}"


Factor = Union[Simplex, Interval]


def transfer(name: str) -> Interval:
    """A free transfer coordinate (t_max -> infinity, as in the papers)."""
    return Interval(sp.Symbol(name, real=True))


def factor_maximum(factor: Factor, coefficients: dict) -> sp.Expr:
    """``max`` over the factor of ``sum_k coefficients[c_k] * c_k`` as a sympy expression.

    For a free interval the maximum is infinite unless the coefficient is zero; the
    caller checks that coefficient separately (it is the transfer PDE), so here a
    free coordinate contributes ``0`` only when its coefficient is literally zero and
    ``oo`` otherwise.
    """
    if isinstance(factor, Simplex):
        return sp.Max(sp.S.Zero, *[coefficients.get(c, sp.S.Zero) for c in factor.coordinates])
    a = coefficients.get(factor.coordinate, sp.S.Zero)
    if factor.free:
        return sp.S.Zero if a == 0 else sp.S.Infinity
    if factor.lower == sp.S.NegativeInfinity:
        return sp.Piecewise((factor.upper * a, a >= 0), (sp.S.Infinity, True))
    if factor.upper == sp.S.Infinity:
        return sp.Piecewise((factor.lower * a, a <= 0), (sp.S.Infinity, True))
    return sp.Max(factor.lower * a, factor.upper * a)


def factor_maximum_numeric(factor: Factor, coefficients: dict, bounds: dict | None = None):
    """``max`` over the factor of a linear function with numeric coefficients.

    ``coefficients`` maps coordinate symbols to mpmath/float numbers; ``bounds`` may
    give numeric interval ends (defaults to the factor's own, converted with float
    semantics by mpmath).  Returns ``(value, maximiser)`` where the maximiser maps each
    coordinate to a value attaining the maximum (``inf``/``-inf`` for unbounded).
    """
    if isinstance(factor, Simplex):
        values = [coefficients.get(c, 0) for c in factor.coordinates]
        best = max(values) if values else 0
        if best <= 0:
            return mpmath.mpf(0), {c: 0 for c in factor.coordinates}
        k = values.index(best)
        return best, {c: (1 if j == k else 0) for j, c in enumerate(factor.coordinates)}
    a = coefficients.get(factor.coordinate, 0)
    lower, upper = (bounds or {}).get(factor.coordinate, (factor.lower, factor.upper))
    lower = mpmath.mpf(-mpmath.inf) if lower == sp.S.NegativeInfinity else mpmath.mpf(sp.N(lower, mpmath.mp.dps))
    upper = mpmath.mpf(mpmath.inf) if upper == sp.S.Infinity else mpmath.mpf(sp.N(upper, mpmath.mp.dps))
    if a > 0:
        return a * upper, {factor.coordinate: upper}
    if a < 0:
        return a * lower, {factor.coordinate: lower}
    return mpmath.mpf(0), {factor.coordinate: 0 if lower <= 0 <= upper else lower}
