r"""Named functions of one variable, given by a closed form and/or a linear ODE.

A mechanism may use an auxiliary function such as the proportional auction's
total transfer :math:`T(y)`, written in the mechanism as ``T(y)`` with
``T = sympy.Function("T")``.  Its definition is one of

* a closed form: ``DefinedFunction(T, y, closed_form=...)``;
* a first-order linear ODE with an initial condition, which irmd solves by the
  integrating factor: ``DefinedFunction(T, y, ode=residual, initial=(0, 0))``
  where ``residual`` is an expression in ``T(y)``, ``T(y).diff(y)`` and ``y`` that
  must vanish;
* both: then the closed form is what the mechanism uses, and the ODE and initial
  condition become checks (``svo.transfer_ode``) that the closed form must pass.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from irmd.errors import CandidateError


@dataclass(frozen=True)
class LinearODE:
    r"""The ODE :math:`a(y) f'(y) + b(y) f(y) + c(y) = 0` in normal form."""

    derivative_coefficient: sp.Expr
    value_coefficient: sp.Expr
    source: sp.Expr

    def residual(self, f: sp.Expr, df: sp.Expr) -> sp.Expr:
        return self.derivative_coefficient * df + self.value_coefficient * f + self.source


@dataclass(frozen=True)
class DefinedFunction:
    """A function ``function(variable)`` defined by a closed form and/or a linear ODE."""

    function: sp.FunctionClass
    variable: sp.Symbol
    closed_form: sp.Expr | None = None
    ode: sp.Expr | None = None
    initial: tuple | None = None
    description: str = ""

    def __post_init__(self):
        if not isinstance(self.function, sp.FunctionClass):
            raise CandidateError(f"{self.function!r} must be an undefined sympy Function such as Function('T')")
        if not isinstance(self.variable, sp.Symbol):
            raise CandidateError(f"variable of {self.name} must be a sympy Symbol")
        if self.closed_form is None and self.ode is None:
            raise CandidateError(f"function {self.name}: give closed_form= or ode=")
        if self.closed_form is not None:
            expr = sp.sympify(self.closed_form)
            object.__setattr__(self, "closed_form", expr)
            if expr.has(self.function):
                raise CandidateError(f"closed form of {self.name} refers to {self.name} itself")
        if self.ode is not None:
            ode = sp.sympify(self.ode)
            if isinstance(ode, sp.Equality):
                ode = ode.lhs - ode.rhs
            object.__setattr__(self, "ode", ode)
            self.linear_ode()  # validates
            if self.initial is None:
                raise CandidateError(f"function {self.name}: an ODE needs initial=(point, value)")
        if self.initial is not None:
            if len(self.initial) != 2:
                raise CandidateError(f"function {self.name}: initial must be (point, value)")
            object.__setattr__(self, "initial", tuple(sp.sympify(v) for v in self.initial))

    @property
    def name(self) -> str:
        return str(self.function)

    @property
    def applied(self) -> sp.Expr:
        return self.function(self.variable)

    def linear_ode(self) -> LinearODE:
        """The ODE in normal form; raises CandidateError unless it is first-order linear."""
        f = self.applied
        df = sp.Derivative(f, self.variable)
        F, dF = sp.Dummy("F"), sp.Dummy("dF")
        expr = sp.expand(self.ode.subs(df, dF).subs(f, F))
        if expr.has(self.function):
            raise CandidateError(f"ODE of {self.name} uses {self.name} other than as {f} and its first derivative")
        poly_vars = (F, dF)
        a, b = sp.diff(expr, dF), sp.diff(expr, F)
        if a.has(*poly_vars) or b.has(*poly_vars):
            raise CandidateError(f"ODE of {self.name} is not linear in {f} and its derivative")
        if a == 0:
            raise CandidateError(f"ODE of {self.name} does not contain the derivative of {f}")
        c = sp.expand(expr.subs({F: 0, dF: 0}))
        return LinearODE(a, b, c)
