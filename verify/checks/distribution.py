r"""Check 1: the information structure is a distribution.

:math:`\sigma(x,\theta) \ge 0` on every region, and
:math:`\int \sigma(x,\theta)\,dx = \mu(\theta)` for every state (hence total mass 1).
"""
from __future__ import annotations

import mpmath
import sympy as sp
from flint import arb, ctx

from irmd.status import Status

from ..balls import precision_bits
from ..bracket import ball_of, integral_ball
from ..claims import ClaimKind
from ..diagnostics import number, point_text
from ..signal_integrals import integrate_over_signals
from .base import Check, register_check


@register_check
class InformationDistribution(Check):
    name = "information.distribution"
    title = "information structure is a distribution: sigma >= 0, mass 1, marginal on theta equals mu"
    priority = 10

    def _run(self, run):
        model = run.model
        box = model.signal_box
        evidence = []
        for state in model.states:
            sigma = model.density[state.label]
            evidence += run.decide_by_region(f"sigma(x, theta={state.label})", ClaimKind.NONNEG, sigma, box)
        masses, problems, counterexample = {}, [], None
        status = Status.CONFIRMED
        total = mpmath.mpf(0)
        with mpmath.workdps(run.ctx.working_dps):
            for state, prior in zip(model.states, model.prior):
                integral = integrate_over_signals(run, model.density[state.label])
                if integral.diverges:
                    status = Status.REFUTED
                    problems.append(f"mass of state {state.label} is infinite: {integral.reason}")
                    if counterexample is None:
                        counterexample = {"state": state.label, "mass": mpmath.inf, "prior": prior}
                    continue
                if not integral.ok:
                    status = Status.INCONCLUSIVE if status is not Status.REFUTED else status
                    problems.append(f"mass of state {state.label} not computed: {integral.reason}")
                    continue
                masses[f"mass[{state.label}]"] = integral.value
                total += integral.value
                target = mpmath.mpf(prior.p) / prior.q if prior.is_Rational else mpmath.mpf(str(prior.evalf(run.ctx.working_dps)))
                gap = integral.value - target
                allowance = run.ctx.tolerance * (1 + abs(target)) + abs(integral.error)
                if abs(gap) > allowance:
                    status = Status.REFUTED
                    problems.append(f"marginal of state {state.label} is {mpmath.nstr(integral.value, 12)}, "
                                    f"prior is {mpmath.nstr(target, 12)}")
                    if counterexample is None:
                        counterexample = {"state": state.label, "mass": integral.value, "prior": target}
            masses["total mass"] = total
        if problems:
            detail = "; ".join(problems)
        else:
            proved, why = _masses_proved(run)
            status = Status.PROVED if proved else status
            detail = (f"masses equal the prior to within 1e-{run.ctx.dps}, proved ({why})" if proved else
                      f"masses equal the prior to tolerance 1e-{run.ctx.dps} (quadrature at "
                      f"{run.ctx.working_dps} digits); not proved: {why}")
        residual = None
        if counterexample is not None:
            with mpmath.workdps(run.ctx.working_dps):
                residual = counterexample["mass"] - mpmath.mpf(sp.N(counterexample["prior"], run.ctx.working_dps))
        return self.result(run, evidence, masses, status, detail, counterexample, residual=residual)

    def _diagnose(self, run, evidence, counterexample):
        if evidence is not None and evidence.claim.label.startswith("sigma("):
            return (f"{evidence.claim.label} is {number(evidence.residual)} < 0 at {point_text(evidence.witness)}: "
                    "a density must be non-negative everywhere on its region")
        if counterexample and "mass" in counterexample:
            return (f"the mass of state {counterexample['state']} is {number(counterexample['mass'])} but "
                    f"mu({counterexample['state']}) = {number(counterexample['prior'])}: rescale that state's "
                    "density or move the constant that sets the marginal (e.g. the point where the interim value "
                    "reaches 1), so that the marginal on theta equals the prior")
        return ""



def _masses_proved(run):
    """(True, how) when every state's mass is enclosed within the tolerance of its prior."""
    model = run.model
    tolerance = arb(10) ** (-run.ctx.dps)
    for state, prior in zip(model.states, model.prior):
        mass, why = integral_ball(run, model.density[state.label])
        if mass is None:
            return False, why
        target, why = ball_of(run, prior)
        if target is None:
            return False, why
        with ctx.workprec(precision_bits(run.ctx.dps + 10)):
            within = abs(mass - target) <= tolerance
        if not within:
            return False, f"the enclosure of the mass of state {state.label} minus its prior is {(mass - target).str(5)}"
    return True, "antiderivatives checked by differentiation, closed forms in ball arithmetic"
