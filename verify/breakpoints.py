r"""Exact breakpoints of one-dimensional piecewise structure.

In one variable a surface :math:`\{\varphi(y) = 0\}` is a set of points.  Which
regions exist must come from the expressions, never from where sample points
land (a band :math:`(y - 1.15)^2 < 10^{-8}` lies between any two fixed sample
radii), so the points are found by sympy's ``solveset`` over the domain: its
answer is the complete solution set or it says it cannot tell (then nothing is
decided here).  Roots are ordered by their values at the working precision;
two roots that agree numerically are merged only when sympy proves them equal
(``y = ybar`` and ``e^y e^{-ybar} = 1`` are one point), and left undecided
otherwise.  The intervals between consecutive breakpoints then have one fixed
sign for every surface, read off at an interior point.
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function
from irmd.budget import Budget
from irmd.errors import BudgetExceeded


@dataclass(frozen=True)
class Breakpoint:
    """One point where a surface meets the line: its exact form and its value."""

    expr: sp.Expr
    value: object          # mpf at the working precision


@dataclass(frozen=True)
class Interval:
    """An open interval (lower, upper) of the line, ``upper`` may be sympy.oo; ``sides``
    gives the sign of every surface on it (in the order they were asked for)."""

    lower: sp.Expr
    upper: sp.Expr
    sides: tuple


class Undecided(Exception):
    """The breakpoints could not be established exactly (the reason is the message)."""


def _numeric(expr: sp.Expr, values: dict, dps: int):
    constants = list(values)
    with mpmath.workdps(dps):
        value = mpmath.mpmathify(mpmath_function(expr, constants)(*[values[c] for c in constants]))
    if isinstance(value, mpmath.mpc):
        if abs(value.imag) > mpmath.mpf(10) ** (-dps // 2) * (1 + abs(value.real)):
            return None
        value = value.real
    return value if mpmath.isfinite(value) else None


def _solution_points(phi: sp.Expr, variable: sp.Symbol, budget: Budget) -> list[sp.Expr]:
    """The complete list of real solutions of phi = 0, or Undecided."""
    try:
        with budget.step(f"solve {phi} = 0"):
            solutions = sp.solveset(phi, variable, sp.S.Reals)
    except BudgetExceeded as exceeded:
        raise Undecided(f"the points where {phi} = 0 were not found in time ({exceeded})") from None
    except (NotImplementedError, ValueError, TypeError) as error:
        raise Undecided(f"sympy cannot solve {phi} = 0 ({type(error).__name__})") from None
    if isinstance(solutions, sp.Intersection):
        finite = [s for s in solutions.args if isinstance(s, sp.FiniteSet)]
        if len(finite) == 1 and all(isinstance(s, (sp.FiniteSet, sp.Interval)) for s in solutions.args):
            solutions = finite[0]
    if isinstance(solutions, sp.Union) and all(isinstance(s, sp.FiniteSet) for s in solutions.args):
        solutions = sp.FiniteSet(*[p for s in solutions.args for p in s])
    if solutions is sp.S.EmptySet:
        return []
    if not isinstance(solutions, sp.FiniteSet):
        raise Undecided(f"the solutions of {phi} = 0 are not a finite list ({type(solutions).__name__})")
    return list(solutions)


def breakpoints(phis, variable: sp.Symbol, lower: sp.Expr, values: dict, dps: int,
                budget: Budget) -> list[Breakpoint]:
    """The distinct points above ``lower`` where some phi vanishes, sorted; raises Undecided."""
    lower_value = _numeric(sp.sympify(lower), values, dps)
    found: list[Breakpoint] = []
    separation = mpmath.mpf(10) ** (-(dps * 2) // 3)
    for phi in phis:
        for root in _solution_points(phi, variable, budget):
            value = _numeric(root, values, dps)
            if value is None:
                continue        # not real at these constants
            if value <= lower_value + separation * (1 + abs(lower_value)):
                if abs(value - lower_value) <= separation * (1 + abs(lower_value)) and not _equal(root, lower,
                                                                                                   budget):
                    raise Undecided(f"cannot tell whether the point {root} of {phi} = 0 lies in the domain")
                continue
            twin = next((b for b in found if abs(b.value - value) <= separation * (1 + abs(value))), None)
            if twin is None:
                found.append(Breakpoint(root, value))
            elif not _equal(twin.expr, root, budget):
                raise Undecided(f"the points {twin.expr} and {root} agree to {dps * 2 // 3} digits but are not "
                                "proved equal")
    return sorted(found, key=lambda b: b.value)


def _equal(a: sp.Expr, b: sp.Expr, budget: Budget) -> bool:
    if a == b:
        return True
    try:
        with budget.step("compare two breakpoints"):
            return sp.simplify(a - b) == 0
    except BudgetExceeded:
        return False


def intervals(phis, variable: sp.Symbol, lower: sp.Expr, values: dict, dps: int,
              budget: Budget) -> list[Interval]:
    """The open intervals between consecutive breakpoints, with every surface's sign on each."""
    points = breakpoints(phis, variable, lower, values, dps, budget)
    edges = [Breakpoint(sp.sympify(lower), _numeric(sp.sympify(lower), values, dps))] + points
    constants = list(values)
    functions = [mpmath_function(phi, [variable] + constants) for phi in phis]
    out = []
    with mpmath.workdps(dps):
        numbers = [values[c] for c in constants]
        for k, start in enumerate(edges):
            end = edges[k + 1] if k + 1 < len(edges) else None
            inside = (start.value + end.value) / 2 if end else start.value + 1 + abs(start.value)
            sides = []
            for phi, fn in zip(phis, functions):
                v = mpmath.mpmathify(fn(inside, *numbers))
                v = v.real if isinstance(v, mpmath.mpc) else v
                if not mpmath.isfinite(v) or v == 0:
                    raise Undecided(f"the sign of {phi} between its zeros is not defined at {mpmath.nstr(inside, 8)}")
                sides.append(1 if v > 0 else -1)
            out.append(Interval(start.expr, end.expr if end else sp.oo, tuple(sides)))
    return out
