r"""Resolve a candidate's definitions into plain sympy expressions.

* Expression-defined constants are replaced by their definitions, so symbolic
  checks see the relations between constants (root-defined and numeric constants
  stay symbols: an identity proved with them holds for every value).
* Defined functions are replaced by their closed form; a function given only by
  its linear ODE is solved here with the integrating factor

  .. math:: T(y) = \frac{T_0 \mu(y_0) + \int_{y_0}^{y} r(z)\mu(z)\,dz}{\mu(y)},
            \qquad \mu = e^{\int p}, \quad T' + pT = r,

  under the symbolic time budget.  When the integrating factor vanishes or blows
  up at :math:`y_0` (the auction's :math:`\mu = y^{N-1}e^{-y}` at 0), only the
  regular solution is kept and the initial condition is checked as a limit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sympy as sp

from irmd.budget import Budget
from irmd.errors import BudgetExceeded, CandidateError

from .constants import symbolic_substitution
from .functions import DefinedFunction
from .piecewise import to_piecewise

if TYPE_CHECKING:
    from .candidate import Candidate


@dataclass
class ResolvedFunction:
    definition: DefinedFunction
    closed_form: sp.Expr | None          # in definition.variable, constants substituted
    source: str                          # "closed form" | "solved from its ODE"
    steps: list = field(default_factory=list)


@dataclass
class Resolution:
    candidate: Candidate
    substitution: dict
    functions: dict                      # FunctionClass -> ResolvedFunction

    def apply(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with defined functions replaced by closed forms and constants substituted."""
        expr = sp.sympify(expr)
        replacements = {}
        for application in expr.atoms(sp.core.function.AppliedUndef):
            resolved = self.functions.get(application.func)
            if resolved is None or resolved.closed_form is None:
                raise CandidateError(f"function {application.func} has no closed form and its ODE could not be solved")
            arg = self.apply(application.args[0])
            replacements[application] = resolved.closed_form.xreplace({resolved.definition.variable: arg})
        if replacements:
            expr = expr.xreplace(replacements)
        return expr.xreplace(self.substitution) if self.substitution else expr


def resolve(candidate: Candidate, budget: Budget) -> Resolution:
    substitution = symbolic_substitution(candidate.constants)
    functions = {}
    for definition in candidate.functions:
        if definition.closed_form is not None:
            closed = definition.closed_form.xreplace(substitution)
            functions[definition.function] = ResolvedFunction(definition, closed, "closed form")
        else:
            closed, steps = solve_linear_ode(definition, substitution, budget)
            functions[definition.function] = ResolvedFunction(definition, closed, "solved from its ODE", steps)
    # Closed forms may use other defined functions: resolve them in order.
    resolution = Resolution(candidate, substitution, functions)
    for resolved in functions.values():
        if resolved.closed_form is not None and resolved.closed_form.atoms(sp.core.function.AppliedUndef):
            resolved.closed_form = resolution.apply(resolved.closed_form)
    return resolution


def solve_linear_ode(definition: DefinedFunction, substitution: dict, budget: Budget):
    """Integrating-factor solution of the definition's ODE, or (None, steps) when it fails."""
    ode = definition.linear_ode()
    y = definition.variable
    z = sp.Dummy("z", positive=True)
    a, b, c = (e.xreplace(substitution) for e in (ode.derivative_coefficient, ode.value_coefficient, ode.source))
    steps = []
    try:
        with budget.step(f"integrating factor of {definition.name}"):
            p = sp.simplify(b / a)
            r = sp.simplify(-c / a)
            mu = sp.simplify(sp.exp(sp.integrate(p, y)))
        steps.append(("integrating factor mu(y) = exp(int p)", mu))
        y0, value0 = definition.initial
        with budget.step(f"integral for {definition.name}"):
            integral = sp.integrate((r * mu).xreplace({y: z}), (z, y0, y))
            if integral.has(sp.Integral):
                return None, steps
            mu0 = sp.limit(mu, y, y0, dir="+")
        if mu0 == 0 or mu0.is_infinite:
            closed = integral / mu
            steps.append((f"regular solution (mu({y0}) = {mu0}): T = int_{{y0}}^y r mu / mu", closed))
        else:
            closed = (value0 * mu0 + integral) / mu
            steps.append(("T = (T0 mu(y0) + int r mu) / mu", closed))
        simplified = _simplify_pieces(closed, budget)
        if simplified is not closed:
            closed = simplified
            steps.append(("simplify piece by piece (cancels e^y against e^-y exactly, which numerics cannot)",
                          closed))
        return closed, steps
    except BudgetExceeded:
        return None, steps
    except (NotImplementedError, ValueError, TypeError, sp.PolynomialError):
        return None, steps


def _simplify_pieces(expr: sp.Expr, budget: Budget) -> sp.Expr:
    """Fold Min/Max/Piecewise to the top and simplify each piece within the budget.

    The integrating-factor solution is a difference of large terms times a large
    factor (e^y times a combination that vanishes); left as is, it is exact but
    evaluates to rounding noise times e^y far out.
    """
    try:
        with budget.step("simplify the ODE solution"):
            folded = sp.piecewise_fold(to_piecewise(expr))
            if isinstance(folded, sp.Piecewise):
                return sp.Piecewise(*[(sp.simplify(e), c) for e, c in folded.args])
            return sp.simplify(folded)
    except BudgetExceeded:
        return expr
