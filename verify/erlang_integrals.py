r"""Exact integrals of exponential polynomials against Erlang densities, for any order.

Over the total y of N exponential signals the integrands of masses and of the
potential bound are sums of terms :math:`c\,y^k e^{\kappa y} g_n(y)` (a term
without an Erlang density is one with :math:`g_1 = e^{-y}` and κ raised by 1).
With :math:`m = n + k` and :math:`\lambda = 1 - \kappa`,

.. math::
    \int_a^b y^k e^{\kappa y} g_n(y)\,dy =
    \begin{cases}
      \frac{(m-1)!}{(n-1)!\,\lambda^m}\,\big(\bar G_m(\lambda a) - \bar G_m(\lambda b)\big) & \lambda > 0,\\
      \frac{(m-1)!}{(n-1)!}\,\big(e^{b} g_{m+1}(b) - e^{a} g_{m+1}(a)\big) & \lambda = 0,
    \end{cases}

(from :math:`\int_a^b z^{m-1}e^{-z}dz/(m-1)! = \bar G_m(a) - \bar G_m(b)`; :math:`\bar G_m(\infty) = 0`),
exact identities for every order, so N = 10^4 costs what N = 2 does.  The ratio
of factorials is the product of the few factors between n and m, never n! itself.
"""
from __future__ import annotations

import sympy as sp

from irmd.analytic.environment import TOTAL
from irmd.analytic.special import ErlangPDF, ErlangSF

#: Largest |k| (power of y beside the Erlang density) written out.
MAX_POWER_SHIFT = 64


def _factorial_ratio(m: int, n: int) -> sp.Rational:
    """(m-1)!/(n-1)! as the product of the factors between them."""
    if m >= n:
        return sp.prod([sp.Integer(j) for j in range(n, m)])
    return 1 / sp.prod([sp.Integer(j) for j in range(m, n)])


def _term_shape(term: sp.Expr, y: sp.Symbol):
    """(coefficient, k, kappa, n) with term = coefficient y^k e^{kappa y} g_n(y), or None."""
    coefficient, k, kappa, n = sp.S.One, 0, sp.S.Zero, None
    for factor in sp.Mul.make_args(sp.powsimp(term, combine="exp")):
        if not factor.has(y):
            coefficient *= factor
        elif factor == y:
            k += 1
        elif factor.is_Pow and factor.base == y and factor.exp.is_Integer:
            k += int(factor.exp)
        elif isinstance(factor, sp.exp):
            argument = sp.expand(factor.args[0])
            slope = argument.coeff(y)
            rest = sp.expand(argument - slope * y)
            if rest.has(y) or slope.has(y):
                return None
            kappa += slope
            coefficient *= sp.exp(rest)
        elif isinstance(factor, ErlangPDF) and factor.args[1] == y and factor.args[0].is_Integer and n is None:
            n = int(factor.args[0])
        else:
            return None
    if n is None:                      # e^{kappa y} = e^{(kappa + 1) y} g_1(y)
        n, kappa = 1, kappa + 1
    return coefficient, k, kappa, n


def erlang_segment_integral(F: sp.Expr, lower: sp.Expr, upper: sp.Expr, y: sp.Symbol = TOTAL):
    """The exact value of int_lower^upper F(y) dy as a closed form of the constants, or None."""
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(F)):
        shape = _term_shape(term, y)
        if shape is None:
            return None
        coefficient, k, kappa, n = shape
        m = n + k
        if abs(k) > MAX_POWER_SHIFT or m < 1:
            return None
        rate = sp.nsimplify(1 - kappa) if (1 - kappa).is_number else 1 - kappa
        if rate.is_positive:
            def survival(point):
                return sp.S.Zero if point is sp.oo else ErlangSF(m, rate * point)
            value = _factorial_ratio(m, n) / rate ** m * (survival(lower) - survival(upper))
        elif rate.is_zero and upper is not sp.oo:
            def primitive(point):
                return sp.exp(point) * ErlangPDF(m + 1, point)
            value = _factorial_ratio(m, n) * (primitive(upper) - primitive(lower))
        else:
            return None
        total += coefficient * value
    return total
