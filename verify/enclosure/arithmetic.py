"""Arb ball helpers: joins, hulls of monotone pieces, signs, sums and products; the unsupported-expression error."""
from __future__ import annotations

import functools
import operator
from typing import Callable, Sequence

from flint import arb

#: Seconds of sympy work (differentiation, cancelling) spent on one expression before giving up.
SYMBOLIC_SECONDS = 2.0


#: The exact zero, made once (the hull below starts from it).
_ZERO = arb(0)


class UnsupportedExpression(ValueError):
    """The expression contains a node (or a free symbol) that cannot be enclosed."""


def nan_ball() -> arb:
    return arb("nan")


def three_way(holds: bool, fails: bool):
    """True / False / None (undecided) from two one-sided arb comparisons."""
    return True if holds else (False if fails else None)


def join(*balls: arb) -> arb:
    """A ball containing every ball given, built so that an exact lower end stays exact.

    ``arb.union`` (and the ``arb(mid, rad)`` constructor) round the radius up by a relative 2^-30,
    so the hull of 0 and 1 would reach -1e-9 and sqrt of it would be undefined; shifting an
    exact-zero-based span by the exact lower end keeps it, whenever that sum is exact."""
    if len(balls) == 2:   # the common case, without generators (the same operations in the same order)
        first, second = balls
        if not (first.is_finite() and second.is_finite()):
            return nan_ball()
        low = arb.min(first.lower(), second.lower())
        high = arb.max(first.upper(), second.upper())
    else:
        if not all(b.is_finite() for b in balls):
            return nan_ball()
        low = functools.reduce(arb.min, (b.lower() for b in balls))
        high = functools.reduce(arb.max, (b.upper() for b in balls))
    hull = _ZERO.union(high - low).nonnegative_part() + low
    # when the sum was inexact, at least keep the sign of a hull that is one-signed
    if low >= _ZERO and not hull >= _ZERO:
        hull = hull.nonnegative_part()
    elif high <= _ZERO and not hull <= _ZERO:
        hull = -(-hull).nonnegative_part()
    return hull


def hull_of_values(ball: arb, fn: Callable[[arb], arb], turning=None) -> arb:
    """Hull of ``fn`` over ``ball`` for ``fn`` monotone on each side of ``turning`` (None: monotone).

    Evaluating at the exact endpoints is much tighter than arb's midpoint-radius propagation on wide
    balls (arb gives tanh([0, 10]) = [-1, 1] and [0, 10]**2 = [-50, 100])."""
    if not ball.is_finite():
        return nan_ball()
    if ball.is_exact():
        return fn(ball)
    low, high = ball.lower(), ball.upper()
    values = [fn(low), fn(high)]
    if turning is not None and low < turning < high:
        values.append(fn(arb(turning)))
    return join(*values)


def with_sign(value: arb, sign: int | None) -> arb:
    """``value`` clipped to the sign known from the operands (midpoint-radius rounding can make
    the product of two non-negative balls reach -1e-80, which would fail a proof with slack 0)."""
    if sign == 1 and not value >= _ZERO:
        return value.nonnegative_part()
    if sign == -1 and not value <= _ZERO:
        return -(-value).nonnegative_part()
    return value


def sign_of(ball: arb) -> int | None:
    """0 for an exact zero, 1 / -1 for a ball provably >= 0 / <= 0, None when it straddles 0."""
    if ball.is_zero():
        return 0
    return 1 if ball >= _ZERO else (-1 if ball <= _ZERO else None)


def common_sign(balls) -> int | None:
    """The sign every ball has (exact zeros fit any), or None."""
    common = 0
    for ball in balls:
        sign = sign_of(ball)
        if sign is None:
            return None
        if sign:
            if common and sign != common:
                return None
            common = sign
    return common or None


def intersect(a: arb, b: arb) -> arb:
    """a ∩ b for two enclosures of one value (so they overlap), keeping a sign either one proves."""
    signs = {sign_of(a), sign_of(b)} - {None, 0}
    return with_sign(a.intersection(b), signs.pop() if len(signs) == 1 else None)


def ball_sum(terms: Sequence[arb]) -> arb:
    return with_sign(functools.reduce(operator.add, terms), common_sign(terms))


def product(factors: Sequence[arb]) -> arb:
    sign = 1
    for factor in factors:
        known = sign_of(factor)
        if known is None:
            sign = None
            break
        sign *= known
    return with_sign(functools.reduce(operator.mul, factors), sign)


def positive_only(fn):
    """``fn`` where its argument is provably > 0, else a non-finite ball."""
    return lambda ball: fn(ball) if ball > 0 else nan_ball()


# -- Erlang functions at exact points (the wide-ball hull comes from monotonicity / unimodality) --

