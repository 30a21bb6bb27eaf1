"""Roots proved by sign changes of enclosures: :func:`isolate_root`, :func:`count_sign_changes`."""
from __future__ import annotations

from typing import Mapping, NamedTuple

import sympy as sp
from flint import arb, ctx, fmpq

from .arithmetic import join
from .centred import gradient
from .compiler import ArbFunction, arb_function, ball_of, fmpq_of, rational_interval


class IsolatedRoot(NamedTuple):
    """A ball proved to contain a root (f changes sign between its exact end points and is
    continuous on it); ``unique`` when f' excludes 0 on the ball, so the root is its only one."""

    ball: arb
    unique: bool


class SignChanges(NamedTuple):
    """Balls (closed grid cells, interiors disjoint) each proved to contain a root; ``complete``
    when every root in the interval lies in one of them (every grid point has a decided sign and
    every cell without a sign change provably has no root)."""

    roots: list
    complete: bool


def _sign_at(function: ArbFunction, point: fmpq) -> int | None:
    value = function(arb(point))
    return 1 if value > 0 else (-1 if value < 0 else None)


def _continuous_on(function: ArbFunction, ball: arb) -> bool:
    """Whether f is continuous on the ball: a finite enclosure excludes poles (division, log, tan,
    gamma) and decided branches exclude jumps (Piecewise, sign, Heaviside, g_1 at 0)."""
    value, decided = function.evaluate(ball)
    return decided and value.is_finite()


def _exact_point(value) -> fmpq:
    """An exact rational for an approximation (mpf, string, number or ball: its midpoint)."""
    exact = fmpq_of(value)
    if exact is None and isinstance(value, str):
        exact = fmpq_of(sp.Rational(value))
    return exact if exact is not None else fmpq_of(ball_of(value).mid())


def isolate_root(f_expr, symbol: sp.Symbol, approx, constants: Mapping[sp.Symbol, arb] | None = None,
                 prec: int = 256) -> IsolatedRoot | None:
    """A ball [c - r, c + r] around ``approx`` (mpf, string or number) proved to contain a root of
    ``f_expr`` by a sign change at its exact end points, with r = 2^-(prec-20) (1 + |c|) growing by
    2^8 while r < (1 + |c|)/2^8; None if no radius works.  Computes at ``prec`` bits."""
    with ctx.workprec(prec):
        function = arb_function(f_expr, [symbol], constants)
        centre = fmpq_of(arb(_exact_point(approx)).mid())  # a dyadic: exact end points
        scale = 1 + abs(centre)
        radius = scale / 2 ** (prec - 20)
        while radius < scale / 2 ** 8:
            low, high = centre - radius, centre + radius
            ball = join(arb(low), arb(high))
            signs = _sign_at(function, low), _sign_at(function, high)
            if None not in signs and signs[0] != signs[1] and _continuous_on(function, ball):
                partials = gradient(function.expr, function.variables, constants)
                slope = partials[0][1](ball) if partials else None
                return IsolatedRoot(ball, slope is not None and (slope > 0 or slope < 0))
            radius *= 2 ** 8
        return None


def count_sign_changes(f_expr, symbol: sp.Symbol, lo, hi, constants: Mapping[sp.Symbol, arb] | None = None,
                       prec: int = 256, pieces: int = 256) -> SignChanges:
    """Roots of ``f_expr`` in [lo, hi] proved by sign changes on a grid of ``pieces`` cells with exact
    rational points: between two consecutive points of decided sign, a sign change on a span where f
    is continuous contains a root.  Computes at ``prec`` bits."""
    with ctx.workprec(prec):
        function = arb_function(f_expr, [symbol], constants)
        low, high = rational_interval(lo)[0], rational_interval(hi)[1]
        grid = [low + (high - low) * k / pieces for k in range(pieces + 1)]
        signs = [_sign_at(function, g) for g in grid]
        complete = None not in signs
        decided = [k for k, s in enumerate(signs) if s is not None]
        roots = []
        for a, b in zip(decided, decided[1:]):
            if signs[a] != signs[b]:
                span = join(arb(grid[a]), arb(grid[b]))
                if _continuous_on(function, span):
                    roots.append(span)
                else:
                    complete = False
            elif not all(_excludes_zero(function(join(arb(grid[k]), arb(grid[k + 1])))) for k in range(a, b)):
                complete = False
        return SignChanges(roots, complete)


def _excludes_zero(value: arb) -> bool:
    return value > 0 or value < 0
