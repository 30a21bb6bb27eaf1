r"""Check 5: the guarantee lower bound equals the potential upper bound.

.. math::
    \underline G = \sum_\theta \mu(\theta)\inf_x \lambda(x,\theta), \qquad
    \overline P = \int \max_c \gamma(x,c)\,dx + \text{surface terms}

The guarantee bound uses the SVO levels established by ``svo.slackness``
(:math:`\inf_x\lambda(\cdot,\theta) = L_\theta`); the potential bound integrates the
maximised IVO over the signal space and adds the singular terms of density
jumps (:mod:`irmd.verify.jumps`).  Both are evaluated with mpmath at the working
precision; they must agree to the stated tolerance.  A guarantee bound *above*
the potential bound contradicts weak duality and is reported as such: some
condition behind one of the bounds fails (a dropped surface term, for instance).
"""
from __future__ import annotations

import mpmath
import sympy as sp
from flint import arb, ctx

from irmd.analytic.constants import mpmath_function
from irmd.analytic.piecewise import to_piecewise
from irmd.status import PASSING, Status

from ..balls import precision_bits
from ..bracket import ball_of, integral_ball, point_ball
from ..jumps import density_jump, singular_maximum
from ..signal_integrals import integrate_over_signals, surface_integral, surface_term_form
from .base import Check, register_check, zero_piece
from .pde import density_surfaces
from .slackness import ivo_pieces, levels


@register_check
class SaddleBounds(Check):
    name = "bounds.saddle"
    title = "guarantee lower bound = potential upper bound"
    priority = 90

    def _run(self, run):
        guarantee, g_note, g_status = guarantee_lower(run)
        potential, p_error, p_note, p_status = potential_upper(run)
        run.guarantee_lower, run.potential_upper = guarantee, potential
        values = {}
        if guarantee is not None:
            values["guarantee_lower"] = guarantee
        if potential is not None:
            values["potential_upper"] = potential
        notes = [n for n in (g_note, p_note) if n]
        limit = run.potential_limit
        if limit is not None:
            # The saddle-point claim is about the limit of the family: compare with it.
            parameter = run.candidate.family_parameter
            notes.append(f"potential bound at {parameter} = {run.candidate.parameter_values.get(parameter)}: "
                         f"{mpmath.nstr(potential, 15) if potential is not None else 'not computed'}; {limit.detail}")
            potential, p_error, p_status = limit.value, mpmath.mpf(0), limit.status
            if potential is not None:
                values["potential_upper_limit"] = potential
        if (guarantee is None or potential is None
                or g_status is not Status.CONFIRMED or p_status is not Status.CONFIRMED):
            return self.result(run, [], values, Status.INCONCLUSIVE, "; ".join(notes) or "bounds not established")
        with mpmath.workdps(run.ctx.working_dps):
            gap = potential - guarantee
            # The bracket's tolerance is absolute (P_upper - G_lower <= 10^-dps); the quadrature's own
            # error is added, so that a tiny value (mu1 = 1e-20) is not "different" by its rounding.
            allowance = run.ctx.tolerance * max(abs(potential), abs(guarantee), 1) + abs(p_error)
            equal = abs(gap) <= allowance
        values["gap"] = gap
        if limit is None:
            # A proved bracket settles the claim whatever the quadrature said.
            bracket, why = prove_bracket(run)
            if bracket is not None:
                values.update(bracket)
                detail = (f"proved: G(M) >= {outward(bracket['guarantee_lower_proved'], 20, -1)} and "
                          f"P(I) <= {outward(bracket['potential_upper_proved'], 20, 1)}, a bracket of width "
                          f"<= {outward(bracket['bracket_width'], 3, 1)} <= 1e-{run.ctx.dps} (ball arithmetic)")
                return self.result(run, [], values, Status.PROVED, "; ".join([detail] + notes))
        if equal:
            if limit is not None:
                detail = (f"both bounds agree with {mpmath.nstr(guarantee, 20)} to tolerance 1e-{run.ctx.dps} in "
                          f"the limit {run.candidate.family_parameter} -> {run.candidate.limit_value} "
                          f"({'extrapolated' if 'extrapolated' in limit.detail else 'computed'}, not proved)")
                return self.result(run, [], values, Status.CONFIRMED, "; ".join([detail] + notes))
            detail = (f"both bounds equal {mpmath.nstr(guarantee, 20)} to tolerance 1e-{run.ctx.dps} numerically "
                      f"(|gap| = {mpmath.nstr(abs(gap), 3)}); not proved: {why}")
            return self.result(run, [], values, Status.CONFIRMED, "; ".join([detail] + notes))
        if not mpmath.isfinite(gap):
            certified = "the potential bound is infinite"
        else:   # (along a family the balls would be the member's, not the limit's)
            certified = _certified_gap(run) if limit is None else None
        if certified is None:
            detail = (f"the bounds differ numerically (potential upper bound {mpmath.nstr(potential, 15)}, "
                      f"guarantee lower bound {mpmath.nstr(guarantee, 15)}), but ball arithmetic does not certify "
                      "the difference")
            return self.result(run, [], values, Status.INCONCLUSIVE, "; ".join([detail] + notes))
        notes.append(certified)
        if gap < 0:
            detail = ("weak duality violated: the guarantee lower bound exceeds the potential upper bound by "
                      f"{mpmath.nstr(-gap, 8)}, so a condition behind one of the bounds fails")
        else:
            detail = (f"the bounds differ: potential upper bound {mpmath.nstr(potential, 15)} exceeds the guarantee "
                      f"lower bound {mpmath.nstr(guarantee, 15)} by {mpmath.nstr(gap, 8)}: not a saddle point "
                      f"certificate")
        counterexample = {"guarantee_lower": guarantee, "potential_upper": potential}
        return self.result(run, [], values, Status.REFUTED, "; ".join([detail] + notes), counterexample, gap)

    def _diagnose(self, run, evidence, counterexample):
        g, p = counterexample["guarantee_lower"], counterexample["potential_upper"]
        if g > p:
            return ("a valid pair of bounds never has G > P: a condition behind one of them is wrong; check surface "
                    "terms of density jumps and singular terms of mechanism jumps")
        return ("every other condition holds but the bounds differ: this mechanism and information structure are "
                "not a saddle point; move the constants that trade the two off (a threshold such as ybar, the SVO "
                "levels) or change the functional forms")


def guarantee_lower(run):
    """(value, note, status): sum_theta mu(theta) L_theta when svo.slackness holds."""
    model = run.model
    lv = levels(run)
    if not run.passed("svo.slackness"):
        status = run.results.get("svo.slackness")
        return None, ("guarantee bound not established: svo.slackness is "
                      f"{status.status.value if status else 'missing'}"), Status.INCONCLUSIVE
    if not run.passed("svo.jumps"):
        return None, "guarantee bound not established: svo.jumps does not hold", Status.INCONCLUSIVE
    constants = list(run.ctx.values)
    total = mpmath.mpf(0)
    with mpmath.workdps(run.ctx.working_dps):
        numbers = [run.ctx.values[c] for c in constants]
        for state, prior in zip(model.states, model.prior):
            level, _ = lv[state.label]
            if prior == 0:
                continue
            if level is None:
                return None, f"no SVO level for state {state.label}", Status.INCONCLUSIVE
            p = mpmath.mpf(mpmath_function(prior, constants)(*numbers))
            total += p * mpmath.mpf(mpmath_function(level, constants)(*numbers))
    return total, "", Status.CONFIRMED


def maximised_ivo(run) -> sp.Expr:
    """max_c gamma as one piecewise expression, with each IVO coefficient simplified
    on each of the candidate's own regions first.  A coefficient that vanishes
    identically on a region (the PDE holds there) then contributes max(0, 0) = 0
    instead of a degenerate surface {coefficient = 0} covering the whole region."""
    model = run.model
    pieces = []
    for region, coefficients in ivo_pieces(run):
        piece = region.restrict(model.ivo_constant) + sum((f.maximum(coefficients) for f in model.factors), sp.S.Zero)
        pieces.append((to_piecewise(piece), region.condition))
    if len(pieces) == 1:
        return pieces[0][0]
    return sp.Piecewise(*pieces, (sp.S.Zero, True))


def singular_terms(run):
    """(surface, F): the density jumps' singular terms int delta(phi) F of the potential bound."""
    model = run.model
    out = []
    for surface, region, sides in density_surfaces(run):
        const, coefficients = density_jump(model, surface, sides)
        if all(zero_piece(e) for e in [const, *coefficients.values()]):
            continue
        out.append((surface, to_piecewise(region.restrict(singular_maximum(model, const, coefficients)))))
    return out


#: Checks whose claims the bracket rests on: the guarantee side and the potential side.
GUARANTEE_CHECKS = ("svo.slackness", "svo.jumps", "mechanism.feasibility", "mechanism.participation")
POTENTIAL_CHECKS = ("information.distribution", "ivo.transfer_pde")


def prove_bracket(run):
    """(values, None) with the proved ends of the bracket, or (None, why not).

    G(M) >= sum_theta mu(theta) (L_theta - s) where s is the largest slack of the
    SVO claims, and P(I) <= the enclosure of the potential bound's integral and
    surface terms; proved when the bracket is at most the tolerance wide.
    """
    for name in GUARANTEE_CHECKS + POTENTIAL_CHECKS:
        result = run.results.get(name)
        if result is not None and result.status is not Status.PROVED:
            return None, f"{name} is {result.status.value}"
    if not run.options.include_jump_terms:
        return None, "the surface terms were left out"
    slack = max((e.slack or 0 for e in run.results["svo.slackness"].evidence), default=0) \
        if "svo.slackness" in run.results else 0
    guarantee, potential, why = bound_balls(run)
    if guarantee is None:
        return None, why
    with ctx.workprec(precision_bits(run.ctx.dps + 10)):   # endpoints round at the precision in force
        lower, upper = guarantee.lower() - slack, potential.upper()
        width = (upper - lower).upper()
        if not width <= arb(10) ** (-run.ctx.dps):
            return None, f"the proved bracket is {width.str(3, radius=False)} wide, more than the tolerance"
    return {"guarantee_lower_proved": _exact(lower), "potential_upper_proved": _exact(upper),
            "bracket_width": _exact(width)}, None


def bound_balls(run):
    """(guarantee ball, potential ball, why): both bounds' formulas enclosed in ball arithmetic (what they
    are bounds of depends on the checks; this only encloses the numbers), or (None, None, why not).
    Computed once per run: the proved bracket and the certified gap read the same balls."""
    if run.bound_balls is None:
        run.bound_balls = _enclosed_bounds(run)
    return run.bound_balls


def _enclosed_bounds(run):
    model, lv = run.model, levels(run)
    guarantee_expr = sum((prior * lv[state.label][0] for state, prior in zip(model.states, model.prior)
                          if prior != 0 and lv[state.label][0] is not None), sp.S.Zero)
    guarantee, why = ball_of(run, guarantee_expr)
    if guarantee is None:
        return None, None, f"guarantee bound: {why}"
    potential, why = integral_ball(run, maximised_ivo(run))
    if potential is None:
        return None, None, f"potential integral: {why}"
    terms = []
    # The balls are of the bounds as computed: without the jump terms when they were left out.
    for surface, F in singular_terms(run) if run.options.include_jump_terms else ():
        G, roots, why = surface_term_form(run, surface, F)
        if G is None:
            return None, None, f"surface term: {why}"
        for root, _ in roots:
            term, why = point_ball(run, G, root)
            if term is None:
                return None, None, f"surface term on {surface.phi} = 0: {why}"
            terms.append(term)
    with ctx.workprec(precision_bits(run.ctx.dps + 10)):   # sums round at the precision in force
        return guarantee, sum(terms, potential), ""


def _certified_gap(run) -> str | None:
    """Why the difference of the bounds is certified to exceed the tolerance, or None."""
    guarantee, potential, _ = bound_balls(run)
    if guarantee is None:
        return None
    with ctx.workprec(precision_bits(run.ctx.dps + 10)):
        tolerance = arb(10) ** (-run.ctx.dps)
        gap = potential - guarantee
        if abs(gap) > tolerance:
            return f"certified in ball arithmetic: P_upper - G_lower is in {gap.str(8)}"
    return None


def _exact(point: arb):
    """An exact arb point (an endpoint) as the mpf of the same binary value."""
    mantissa, exponent = (int(part) for part in point.mid().man_exp())
    with mpmath.workprec(max(53, mantissa.bit_length() + 1)):   # exactly, not rounded to 53 bits
        return +mpmath.mpf((mantissa, exponent))


def outward(value, digits: int, direction: int) -> str:
    """``value`` printed with ``digits`` significant digits, rounded away from the inside of the
    bracket (down for a lower end, ``direction`` = -1; up for an upper end, +1)."""
    with mpmath.workdps(digits + 10):
        nudge = abs(value) * mpmath.mpf(10) ** (1 - digits)   # more than the rounding to digits
        return mpmath.nstr(value + direction * nudge, digits)


def potential_upper(run):
    """(value, error, note, status): integral of max_c gamma plus surface terms."""
    pde = run.results.get("ivo.transfer_pde")
    if pde is not None and pde.status is Status.REFUTED:
        return mpmath.inf, mpmath.mpf(0), "potential bound is infinite: a free transfer has a non-zero coefficient", \
            Status.CONFIRMED
    note, status = "", Status.CONFIRMED
    if pde is not None and pde.status not in PASSING:
        note, status = "transfer PDE not established", Status.INCONCLUSIVE
    integral = integrate_over_signals(run, maximised_ivo(run))
    if not integral.ok:
        return None, None, f"potential integral not computed: {integral.reason}", Status.INCONCLUSIVE
    value, error = integral.value, integral.error
    terms = []
    if run.options.include_jump_terms:
        for surface, F in singular_terms(run):
            term, roots, how = surface_integral(run, surface, F)
            if term is None:
                return None, None, f"surface term not computed: {how}", Status.INCONCLUSIVE
            with mpmath.workdps(run.ctx.working_dps):
                value += term
                negligible = abs(term) <= run.ctx.tolerance * max(abs(value), 1)
            if not negligible:  # a continuous density has jumps that vanish on the surface
                terms.append(f"{mpmath.nstr(term, 12)} on {surface.phi} = 0")
    elif density_surfaces(run):
        note = (note + "; " if note else "") + "surface terms of density jumps were left out (include_jump_terms=False)"
    if terms:
        note = (note + "; " if note else "") + "surface terms: " + ", ".join(terms)
    return value, error, note, status
