r"""The reduced model in the papers' notation, and readable reductions of claims.

The verifier works with every definition substituted (constants by their
formulas, :math:`T(y)` by its closed form), which is what makes its proofs
mechanical and its expressions long.  A derivation shows the same model built by
the same code (:func:`irmd.verify.model.build_model`) from a resolution that
keeps constants as symbols (:math:`L_1`, :math:`A`, :math:`\bar y`) and defined
functions as functions (:math:`T(y)`, :math:`T'(y)`): the SVO of the
proportional auction then reads :math:`T(y) - \tfrac{N-1}{y}T(y) - T'(y) + \dots`,
as in the paper.

:func:`reduce_claim` rewrites such an expression step by step -- substitute a
function's ODE, simplify, substitute a constant's definition -- recording each
step with its reason.  Every step is an identity (an algebraic rewrite, a
definition, or the ODE that ``svo.transfer_ode`` checks); the *status* of a
claim always comes from the certificate, never from these steps.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from irmd.analytic.constants import order_constants, symbolic_substitution
from irmd.analytic.piecewise import to_piecewise
from irmd.analytic.resolve import Resolution, ResolvedFunction
from irmd.budget import Budget
from irmd.errors import BudgetExceeded
from irmd.verify.model import ReducedModel, build_model
from irmd.verify.regions import restrict

from .printer import latex, latex_width

#: Seconds of symbolic work for one readable reduction (it is presentation only).
STEP_SECONDS = 8.0


def display_model(candidate) -> ReducedModel | None:
    """The candidate's reduced model with constants and defined functions kept as symbols."""
    kept = {d.function: ResolvedFunction(d, d.applied, "kept as a function") for d in candidate.functions}
    resolution = Resolution(candidate, {}, kept)
    try:
        return build_model(resolution, Budget(60.0, 20.0))
    except Exception:  # noqa: BLE001 - the derivation then shows the verifier's forms only
        return None


@dataclass(frozen=True)
class Reduction:
    """(expression, reason) pairs: the first is the claim's expression as displayed."""

    steps: tuple

    @property
    def final(self) -> sp.Expr:
        return self.steps[-1][0]


def _simplified(expr: sp.Expr, budget: Budget) -> sp.Expr:
    try:
        with budget.step("readable simplification"):
            candidates = [sp.cancel(sp.together(sp.expand(expr))), sp.simplify(expr)]
    except BudgetExceeded:
        return expr
    except Exception:  # noqa: BLE001 - sympy failing to simplify only means "keep it"
        return expr
    # sympy's simplify likes to trade real special functions for erf(i ...): keep
    # the real forms the reader can check.
    candidates = [e for e in candidates if expr.has(sp.I) or not e.has(sp.I)] or [expr]
    best = min(candidates, key=lambda e: (sp.count_ops(e), len(str(e))))
    # A "simplification" the reader would find longer (an expanded hypergeometric
    # product, say) is not shown: only zero or a narrower form is a step forward.
    if best == 0 or _width(best) < _width(expr):
        return best
    return expr


def _width(expr) -> float:
    try:
        return latex_width(latex(expr))
    except Exception:  # noqa: BLE001
        return float("inf")


def _ode_substitution(candidate) -> dict:
    """T'(y) -> its value from the linear ODE a T' + b T + c = 0, for every defined function."""
    out = {}
    for d in candidate.functions:
        if d.ode is None:
            continue
        ode = d.linear_ode()
        derivative = sp.Derivative(d.applied, d.variable)
        out[derivative] = -(ode.value_coefficient * d.applied + ode.source) / ode.derivative_coefficient
    return out


def _resolved_conditions(expr: sp.Expr, candidate) -> sp.Expr:
    """Piecewise conditions with expression-defined constants substituted.

    The verifier's regions are stated with the constants' definitions
    substituted (``e^y e^{-ybar} >= 1`` where the candidate wrote ``A e^y >= 1``);
    only the conditions are rewritten, so the pieces keep the readable symbols
    and the region decides them.
    """
    subs = symbolic_substitution(candidate.constants)
    if not subs or not expr.has(sp.Piecewise):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Piecewise),
                        lambda e: sp.Piecewise(*[(a, c.xreplace(subs)) for a, c in e.args]))


def reduce_claim(expr: sp.Expr, candidate, sides: dict | None = None, seconds: float = STEP_SECONDS,
                 substitute: bool = True) -> Reduction:
    """Readable reduction of ``expr`` (display form) on the region ``sides``.

    With ``substitute=False`` only algebraic simplification is done (no ODE, no
    constant definitions).
    """
    budget = Budget(seconds * 4, seconds)
    current = restrict(_resolved_conditions(to_piecewise(sp.sympify(expr)), candidate), dict(sides or {}))
    steps = [(current, "")]

    def push(new, reason):
        nonlocal current
        # A substituted definition may bring its own pieces (the ODE's div q):
        # they are decided by the same region.
        new = restrict(_resolved_conditions(to_piecewise(new), candidate), dict(sides or {}))
        if new != current:
            current = new
            steps.append((new, reason))

    push(_simplified(current, budget), "expand and simplify")
    if not substitute:
        return Reduction(tuple(steps))
    ode = {k: v for k, v in _ode_substitution(candidate).items() if current.has(k)}
    if ode:
        names = ", ".join(f"{k.expr.func.__name__}'" for k in ode)
        push(current.xreplace(ode), f"substitute ${names}$ from the ODE that defines it "
                                    r"(check \texttt{svo.transfer\_ode})")
        push(_simplified(current, budget), "simplify")
    # Substitute expression-defined constants, last-defined first, until the
    # expression is zero or no defined constant is left in it.
    for c in reversed(order_constants(candidate.constants)):
        if current == 0:
            break
        if c.kind != "expression" or not current.has(c.symbol):
            continue
        push(current.xreplace({c.symbol: c.value}), "substitute the definition of $%s$" % _symbol_tex(c.symbol))
        push(_simplified(current, budget), "simplify")
    return Reduction(tuple(steps))


def _symbol_tex(symbol) -> str:
    return latex(symbol)
