r"""Checks 3a and 4a: the transfer equations.

``ivo.transfer_pde``
    In :math:`\gamma(x, c)` the coefficient of every free (unbounded) transfer
    must vanish, or the potential bound is infinite: for the auction this is
    (27), :math:`\sum_\theta (\sigma + \partial_i\sigma) = 0`.  A coordinate with one
    infinite end needs a coefficient of the right sign.  On a surface where the
    density jumps, the singular term's transfer coefficients must vanish too.
``svo.transfer_ode``
    A defined function (such as the auction's total transfer T) given with an
    ODE must satisfy it, and its initial condition (as a one-sided limit).
"""
from __future__ import annotations

import mpmath
import sympy as sp
from flint import arb, ctx, fmpq

from irmd.analytic.constants import mpmath_function
from irmd.analytic.piecewise import to_piecewise
from irmd.analytic.special import erlang_ratio_form, expand_erlang
from irmd.budget import time_budget
from irmd.errors import BudgetExceeded
from irmd.status import Status

from ..balls import precision_bits
from ..claims import Claim, ClaimKind, Evidence, Step
from ..diagnostics import formula, number, point_text
from ..enclosure import UnsupportedExpression, arb_function
from ..jumps import density_jump
from ..sampling import Box
from ..subjects import Subject
from .base import Check, register_check


@register_check
class TransferPDE(Check):
    name = "ivo.transfer_pde"
    title = "IVO: coefficients of unbounded transfers vanish (PDE (27))"
    priority = 30

    def _applies(self, run):
        return bool(run.model.free_coefficients() or run.model.half_open_coefficients())

    def _run(self, run):
        model = run.model
        box = model.signal_box
        evidence = []
        for coordinate, coefficient in model.free_coefficients().items():
            evidence += run.decide_by_region(f"coefficient of {coordinate} in gamma", ClaimKind.ZERO, coefficient, box,
                                             Subject("ivo-coefficient", coordinate=str(coordinate)))
        for coordinate, signed, _ in model.half_open_coefficients():
            evidence += run.decide_by_region(f"signed coefficient of {coordinate} in gamma", ClaimKind.NONNEG,
                                             signed, box)
        for surface, region, sides in density_surfaces(run):
            const, coefficients = density_jump(model, surface, sides)
            for coordinate in model.free_coefficients():
                expr = region.restrict(coefficients.get(coordinate, sp.S.Zero))
                claim = run.claim(f"singular coefficient of {coordinate}", ClaimKind.ZERO, expr, box, region,
                                  on_surface=surface)
                evidence.append(run.decide(claim))
        return self.result(run, evidence)

    def _diagnose(self, run, evidence, counterexample):
        expr = evidence.claim.expr
        return (f"{evidence.claim.label} = {formula(expr, run.ctx.budget)}, which is {number(evidence.residual)} at "
                f"{point_text(evidence.witness)}; with unbounded transfers it must vanish identically, or "
                "max_c gamma is infinite. For a transfer paid to the designer this is sum_theta (sigma + "
                "d sigma/dx_i) = 0 (27): the marginal density must be exponential in x_i")


def density_surfaces(run):
    """(surface, region, other sides) for every surface piece of the densities in the signal space."""
    return run.surface_regions(list(run.model.density.values()), run.model.signal_box)


@register_check
class TransferODE(Check):
    name = "svo.transfer_ode"
    title = "SVO: defined transfer functions satisfy their ODE and initial condition"
    priority = 35

    def _applies(self, run):
        return any(r.definition.ode is not None for r in run.resolution.functions.values())

    def _run(self, run):
        evidence = []
        for resolved in run.resolution.functions.values():
            definition = resolved.definition
            if definition.ode is None:
                continue
            if resolved.closed_form is None:
                return self.result(run, evidence, extra_status=Status.INCONCLUSIVE,
                                   extra_detail=f"the ODE of {definition.name} could not be solved symbolically "
                                                "within the budget; give closed_form=")
            y = definition.variable
            ode = definition.linear_ode()
            subs = run.resolution.substitution
            T = resolved.closed_form
            residual = (ode.derivative_coefficient * sp.diff(T, y) + ode.value_coefficient * T
                        + ode.source).xreplace(subs)
            y0, value0 = definition.initial
            box = Box((y,), (y0,))

            residual = to_piecewise(run.resolution.apply(residual))
            evidence += run.decide_by_region(f"ODE residual of {definition.name}", ClaimKind.ZERO, residual, box)
            evidence.append(initial_condition(run, definition.name, to_piecewise(T), y, y0, value0.xreplace(subs)))
        return self.result(run, evidence)

    def _diagnose(self, run, evidence, counterexample):
        if evidence is None:
            return ""
        if "ODE residual" in evidence.claim.label:
            return (f"the closed form does not solve its stated ODE: residual {number(evidence.residual)} at "
                    f"{point_text(evidence.witness)}; fix the closed form or the ODE (a sign, a coefficient)")
        return (f"{evidence.claim.label}: the closed form does not meet its initial condition (value "
                f"{number(evidence.residual)} next to the initial point); only the regular solution of the ODE "
                "keeps participation secure and transfers bounded")


def initial_condition(run, name, T, y, y0, value0) -> Evidence:
    """Limit of T at y0 from the right equals value0: symbolic limit, else evaluation next to y0."""
    label = f"{name}({y0}+) - {value0}"
    claim = Claim(label, ClaimKind.ZERO, T - value0, Box((y,), (y0,)), region_text=f"{y} -> {y0}+")
    # The limit only sees the piece next to y0: the region whose first interval starts there.
    first = next((r for r in run.regions([T], claim.box) if r.exact and r.intervals
                  and any(sp.sympify(lower) == sp.sympify(y0) for lower, _ in r.intervals)), None)
    piece = first.restrict(T) if first is not None else T
    right = piece.xreplace({y: y0 + sp.Symbol("eta_", positive=True)})
    try:
        with time_budget(run.ctx.budget.remaining(), f"limit of {name}"):
            limit = sp.limit(expand_erlang(right), sp.Symbol("eta_", positive=True), 0, "+")
        if limit.is_number and limit.is_finite:
            if sp.simplify(limit - value0) == 0:
                return Evidence(claim, Status.PROVED, "symbolic: one-sided limit",
                                steps=(Step(f"lim {y} -> {y0}+ of {name}", limit),), dps=run.ctx.dps)
    except (BudgetExceeded, NotImplementedError, ValueError, TypeError, sp.PolynomialError):
        pass
    continuous = limit_by_continuity(run, piece - value0, y, y0)
    if continuous is not None:
        return Evidence(claim, Status.PROVED, "enclosure: continuous at the initial point, value there exactly 0",
                        steps=(Step(continuous, sp.S.Zero),), dps=run.ctx.dps)
    constants = list(run.ctx.values)
    fn = mpmath_function(T - value0, [y] + constants)
    with mpmath.workdps(run.ctx.working_dps):
        numbers = [run.ctx.values[c] for c in constants]
        start = mpmath.mpf(mpmath_function(sp.sympify(y0), constants)(*numbers))
        etas = [mpmath.mpf(10) ** (-k) for k in (run.ctx.dps // 4, run.ctx.dps // 2, run.ctx.dps)]
        values = []
        for eta in etas:
            try:
                values.append(mpmath.re(fn(start + eta, *numbers)))
            except (ZeroDivisionError, ValueError):
                values.append(mpmath.nan)
    last = values[-1]
    method = f"numeric: {name} at {y0} + 1e-{run.ctx.dps // 4}, 1e-{run.ctx.dps // 2}, 1e-{run.ctx.dps} " \
             f"({run.ctx.working_dps} digits)"
    if mpmath.isnan(last):
        return Evidence(claim, Status.INCONCLUSIVE, method, note=f"{name} cannot be evaluated next to {y0}")
    if abs(last) <= mpmath.mpf(10) ** (-(run.ctx.dps // 2)) * (1 + abs(value0)):
        return Evidence(claim, Status.CONFIRMED, method, residual=abs(last), points=len(values), dps=run.ctx.dps,
                        tolerance=mpmath.mpf(10) ** (-(run.ctx.dps // 2)),
                        note="difference from the initial value shrinks to the tolerance")
    return Evidence(claim, Status.REFUTED, method, residual=last, witness={y: start + etas[-1]},
                    dps=run.ctx.dps, tolerance=mpmath.mpf(10) ** (-(run.ctx.dps // 2)),
                    note=f"{name} does not approach its initial value {value0}")


def limit_by_continuity(run, difference: sp.Expr, y: sp.Symbol, y0) -> str | None:
    """A description when ``difference`` -> 0 as y -> y0+ is proved by continuity, else None.

    With G_N/g_N written as the entire (y/N) 1F1(1; N+1; y), the enclosure of the
    difference over [y0, y0 + 2^-20] is finite with no branch undecided (so it is
    continuous there: every operation irmd encloses is continuous where it is
    finite and decided), and its value at the exact point y0 is exactly 0.
    """
    balls = run.ctx.balls
    start = sp.sympify(y0)
    if not balls.ok or not start.is_Rational:
        return None
    prec = precision_bits(run.ctx.dps + 10)
    try:
        with ctx.workprec(prec):
            function = arb_function(erlang_ratio_form(difference), (y,), balls.values)
            point = arb(fmpq(int(start.p), int(start.q)))
            near, decided = function.evaluate(point + arb(0).union(arb(2) ** -20))
            at = function(point)
    except (UnsupportedExpression, ValueError, ZeroDivisionError):
        return None
    if near.is_finite() and decided and at.is_zero():
        return (f"with G_N/g_N = (y/N) 1F1(1; N+1; y) the difference is continuous on [{y0}, {y0} + 2^-20] "
                f"(finite enclosure {near.str(5)}) and exactly 0 at {y0}")
    return None
