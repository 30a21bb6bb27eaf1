"""The centred (mean-value) form: :class:`Enclosure` tightens the natural enclosure with the gradient."""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

import sympy as sp
from flint import arb

from irmd.budget import time_budget
from irmd.caching import RecentCache
from irmd.errors import BudgetExceeded

from .arithmetic import SYMBOLIC_SECONDS, ball_sum, intersect, product
from .compiler import arb_function, compile_key


def gradient(expr: sp.Expr, variables, constants, seconds: float = SYMBOLIC_SECONDS):
    """[(index, compiled partial derivative)] for the non-zero partials, or None when sympy cannot
    differentiate within ``seconds`` or a derivative has a node that cannot be enclosed.

    A gradient found is reused for the same exact expression, variables, constants and precision
    (the branch and bound encloses one claim over several pieces of its region)."""
    key = compile_key(expr, variables, constants)
    if key is not None:
        found = _GRADIENTS.get(key)
        if found is not None:
            return list(found)
    partials = _gradient(expr, variables, constants, seconds)
    if key is not None and partials is not None:   # (None may mean a spent time budget: not kept)
        _GRADIENTS.put(key, tuple(partials))
    return partials


_GRADIENTS = RecentCache(256)


def _gradient(expr: sp.Expr, variables, constants, seconds: float):
    real = [sp.Dummy(str(v), real=True) for v in variables]  # Abs' derivative is sign only for reals
    expr = expr.xreplace(dict(zip(variables, real)))
    try:
        with time_budget(seconds, "derivative for a centred form"):
            partials = [sp.diff(expr, r) for r in real]
            return [(i, arb_function(d, real, constants)) for i, d in enumerate(partials) if d != 0]
    except (BudgetExceeded, ValueError, TypeError, NotImplementedError):  # incl. UnsupportedExpression
        return None


class Enclosure:
    """Enclosures of one expression over boxes (one ball per variable): the natural enclosure,
    intersected with mean-value forms f(c) + sum_i f_i(X) (X_i - c_i) when those are valid.

    The centre c is the box's middle, then its lower and its upper corner (a corner where f is
    exactly 0 proves a one-signed claim with slack 0 there).  The derivatives are computed on first
    need.  The mean-value form is used only when every branch of f (and of its derivatives) is
    decided on the box: across an undecided Piecewise condition f may jump, and the derivative knows
    nothing of the jump."""

    def __init__(self, expr, variables, constants: Mapping[sp.Symbol, arb] | None = None):
        self.function = arb_function(expr, variables, constants)
        self._constants = constants
        self._partials = None  # not computed yet; then a list, or False when unavailable

    def enclose(self, box: Sequence[arb], good_enough: Callable[[arb], bool] = lambda value: False) -> arb:
        """Enclosure of f over ``box``; each narrowing is tried only while ``good_enough`` fails."""
        best, decided = self.function.evaluate(*box)
        if not decided or good_enough(best):
            return best
        slopes = self._slopes(box)
        if slopes is None:
            return best
        centres = ([ball.mid() for ball in box], [ball.lower() for ball in box], [ball.upper() for ball in box])
        for centre in centres:
            value = ball_sum([self.function(*centre)] + [product([slope, box[i] - centre[i]]) for i, slope in slopes])
            if value.is_finite():
                best = value if not best.is_finite() else intersect(best, value)
                if good_enough(best):
                    break
        return best

    def _slopes(self, box) -> list | None:
        """[(index, enclosure of f_index over the box)], or None when unavailable or undecided."""
        if self._partials is None:
            partials = gradient(self.function.expr, self.function.variables, self._constants)
            self._partials = False if partials is None else partials
        if self._partials is False:
            return None
        slopes = []
        for index, partial in self._partials:
            slope, decided = partial.evaluate(*box)
            if not decided or not slope.is_finite():
                return None
            slopes.append((index, slope))
        return slopes


# -- exact numbers --

