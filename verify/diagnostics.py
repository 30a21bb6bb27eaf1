"""What would have to change: diagnoses of refuted claims.

A refutation already names the claim, the region, the point and the residual.
The diagnosis adds what a designer needs to repair a conjecture: the
derivatives of a non-constant SVO at the point, the formula and value of a
transfer coefficient that should vanish, the outcome the IVO prefers over the
mechanism's.  Each check's ``_diagnose`` composes one from these helpers; all
numbers are evaluated at the refutation's point with the run's constants.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function
from irmd.errors import BudgetExceeded

MAX_FORMULA = 160


def value_at(run, expr: sp.Expr, point: dict):
    """expr at the witness point (variables from ``point``), or None if it cannot be evaluated."""
    variables = [v for v in point if isinstance(v, sp.Symbol)]
    constants = list(run.ctx.values)
    fn = mpmath_function(expr, variables + constants)
    with mpmath.workdps(run.ctx.working_dps):
        numbers = [run.ctx.values[c] for c in constants]
        x = [mpmath.mpf(point[v]) for v in variables]
        # Like the claims themselves, read a 0/0 corner as the limit from inside.
        eta = mpmath.mpf(10) ** (-(run.ctx.working_dps // 3))
        for attempt in (x, [c + eta * (1 + abs(c)) for c in x]):
            try:
                value = mpmath.mpmathify(fn(*attempt, *numbers))
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                continue
            value = value.real if isinstance(value, mpmath.mpc) else value
            if mpmath.isfinite(value):
                return value
    return None


def formula(expr: sp.Expr, budget) -> str:
    """A short printable form of ``expr`` (simplified within the budget, truncated)."""
    try:
        with budget.step("simplify for a diagnosis"):
            expr = sp.simplify(expr)
    except BudgetExceeded:
        pass
    text = sp.sstr(expr)
    return text if len(text) <= MAX_FORMULA else text[:MAX_FORMULA] + " ..."


def number(value, digits: int = 8) -> str:
    return "undefined" if value is None else mpmath.nstr(value, digits)


def gradient_text(run, expr: sp.Expr, point: dict, name: str) -> str:
    """'d name/dx_1 = a, d name/dx_2 = b' at the point (non-zero components first)."""
    parts = []
    for v in [v for v in point if isinstance(v, sp.Symbol)]:
        d = value_at(run, sp.diff(expr, v), point)
        parts.append((abs(d) if d is not None else 0, f"d{name}/d{v} = {number(d)}"))
    parts.sort(key=lambda p: -p[0])
    return ", ".join(text for _, text in parts)


def point_text(point: dict) -> str:
    return ", ".join(f"{k} = {mpmath.nstr(v, 8)}" for k, v in point.items() if isinstance(k, sp.Symbol))
