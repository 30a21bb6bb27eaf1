r"""Check 1: the information structure is a distribution.

:math:`\sigma(x,\theta) \ge 0` on every region, and
:math:`\int \sigma(x,\theta)\,dx = \mu(\theta)` for every state (hence total mass 1).
"""
from __future__ import annotations

import mpmath
import sympy as sp
from flint import arb, ctx

from irmd.status import Status, combine

from ..balls import precision_bits
from ..bracket import Enclosed, ball_of, enclose_integral
from ..claims import ClaimKind
from ..diagnostics import number, point_text
from ..signal_integrals import integrate_over_signals
from ..subjects import Subject
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
            evidence += run.decide_by_region(f"sigma(x, theta={state.label})", ClaimKind.NONNEG, sigma, box,
                                             Subject("density", state=state.label))
        masses, problems, counterexample, statuses = {}, [], None, []
        total = mpmath.mpf(0)
        for state, prior in zip(model.states, model.prior):
            signed = all(e.status is Status.PROVED for e in evidence if e.claim.label.endswith(f"={state.label})"))
            status, mass, problem = _mass(run, state.label, model.density[state.label], prior, signed)
            statuses.append(status)
            if problem:
                problems.append(problem)
                if status is Status.REFUTED and counterexample is None:
                    counterexample = {"state": state.label, "mass": mass, "prior": prior}
            if mass is not None and mpmath.isfinite(mass):
                masses[f"mass[{state.label}]"] = mass
                with mpmath.workdps(run.ctx.working_dps):
                    total += mass
        masses["total mass"] = total
        status = combine(statuses)
        if status is Status.PROVED:
            detail = f"masses equal the prior to within 1e-{run.ctx.dps}, proved (closed forms in ball arithmetic)"
        elif not problems:
            detail = (f"masses equal the prior to tolerance 1e-{run.ctx.dps} (quadrature at "
                      f"{run.ctx.working_dps} digits)")
        else:
            detail = "; ".join(problems)
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



def _mass(run, label, density, prior, signed: bool):
    """(status, mass, problem) for one state's mass against its prior.

    Proved or refuted from the rigorous enclosure of the integral; where there is none, the
    quadrature confirms a match but cannot refute a mismatch or a divergence (it is evidence,
    not a certificate), which is then inconclusive.
    """
    tolerance = arb(10) ** (-run.ctx.dps)
    enclosed = Enclosed(reason="numbers only") if run.options.numeric_masses else enclose_integral(run, density)
    target, _ = ball_of(run, prior)
    if enclosed.diverges and signed:
        return Status.REFUTED, mpmath.inf, f"mass of state {label} is infinite: {enclosed.reason}"
    if enclosed.value is not None and target is not None:
        with ctx.workprec(precision_bits(run.ctx.dps + 10)):
            gap = enclosed.value - target
            within, beyond = abs(gap) <= tolerance, abs(gap) > tolerance
            mass = mpmath.mpf(enclosed.value.mid().str(run.ctx.working_dps, radius=False))
        if within:
            return Status.PROVED, mass, ""
        if beyond:
            return Status.REFUTED, mass, (f"marginal of state {label} is {mpmath.nstr(mass, 12)} (enclosed "
                                          f"{enclosed.value.str(8)}), prior is {prior}")
    integral = integrate_over_signals(run, density)
    why = enclosed.reason or "the enclosure does not decide"
    if integral.diverges:
        return Status.INCONCLUSIVE, None, (f"mass of state {label}: the quadrature suggests it is infinite "
                                           f"({integral.reason}), not certified ({why})")
    if not integral.ok:
        return Status.INCONCLUSIVE, None, f"mass of state {label} not computed: {integral.reason}"
    with mpmath.workdps(run.ctx.working_dps):
        expected = mpmath.mpf(sp.N(prior, run.ctx.working_dps))
        matches = abs(integral.value - expected) <= run.ctx.tolerance * (1 + abs(expected)) + abs(integral.error)
    if matches:
        return Status.CONFIRMED, integral.value, ""
    return Status.INCONCLUSIVE, integral.value, (f"marginal of state {label} is {mpmath.nstr(integral.value, 12)} "
                                                 f"by quadrature, prior is {prior}: not certified ({why})")
