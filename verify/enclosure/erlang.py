"""Erlang density, distribution and survival functions on arb balls, memoised at exact points."""
from __future__ import annotations

import functools

from flint import arb, ctx

from irmd.analytic.special import ErlangCDF, ErlangSF

from .arithmetic import hull_of_values, intersect, join


def _memoized_at_exact_points(fn):
    """fn(n, y) cached for exact y: arb's incomplete gamma takes ~0.4 ms for n = 10^4, and the same
    points recur (a box's ends are its parent's ends and middle, where a witness was tried)."""
    @functools.lru_cache(maxsize=1 << 14)
    def at(n, mantissa, exponent, prec):
        return fn(n, arb(mantissa) * arb(2) ** exponent)

    @functools.wraps(fn)
    def memoized(n, y):
        if not y.is_exact():
            return fn(n, y)
        mantissa, exponent = y.man_exp()
        return at(n, int(mantissa), int(exponent), ctx.prec)
    return memoized


@_memoized_at_exact_points
def _erlang_pdf_at(n: int, y: arb) -> arb:
    if n == 0 or y < 0:
        return arb(0)
    if y == 0:
        return arb(1 if n == 1 else 0)
    return ((n - 1) * y.log() - y - arb(n).lgamma()).exp()


@_memoized_at_exact_points
def _erlang_sf_at(n: int, y: arb) -> arb:
    if n == 0:
        return arb(0)
    return y.gamma_upper(n, regularized=1) if y > 0 else arb(1)


def _lower_tail_series(n: int, y: arb) -> arb:
    """P(n, y) for 0 < y < n + 1, accurate in relative terms where 1 - Q is only absolutely so:
    P = g_{n+1}(y) sum_j t_j with t_0 = 1, t_{j+1} = t_j y/(n+j+1); a partial sum plus the
    geometric bound t_j r/(1 - r), r = y/(n+j+1) < 1, of the rest (at most prec terms)."""
    term = total = arb(1)
    for j in range(1, ctx.prec + 1):
        term = term * y / (n + j)
        total += term
        if term < total * arb(2) ** -ctx.prec:
            break
    ratio = y / (n + j + 1)
    return _erlang_pdf_at(n + 1, y) * (total + join(arb(0), term * ratio / (1 - ratio)))


@_memoized_at_exact_points
def _erlang_cdf_at(n: int, y: arb) -> arb:
    if n == 0:
        return arb(1)
    if not y > 0:
        return arb(0)
    if 2 * y < n + 1:  # the series converges at least geometrically with ratio 1/2
        return _lower_tail_series(n, y)
    # arb's own gamma_lower is slow and inaccurate here for large n
    complement = 1 - y.gamma_upper(n, regularized=1)
    if not y < n + 1 or complement.rel_accuracy_bits() > ctx.prec - 32:
        return complement
    return intersect(complement, _lower_tail_series(n, y))


def erlang_ball(kind, n: int, ball: arb, evaluation) -> arb:
    if n == 0:
        return arb(1 if kind is ErlangCDF else 0)
    if kind is ErlangCDF:
        return hull_of_values(ball, lambda y: _erlang_cdf_at(n, y))
    if kind is ErlangSF:
        return hull_of_values(ball, lambda y: _erlang_sf_at(n, y))
    # g_1 jumps from 0 to 1 at y = 0; g_n (n >= 2) is continuous there.
    if n == 1 and ball.is_finite() and ball.lower() < 0 <= ball.upper():
        evaluation.decided = False
    return hull_of_values(ball, lambda y: _erlang_pdf_at(n, y), turning=n - 1)


# -- the compiler --

