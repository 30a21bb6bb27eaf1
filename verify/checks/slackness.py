r"""Checks 3b, 4b, 4c: complementary slackness and jumps.

``ivo.slackness`` (25)
    Wherever :math:`\sigma(x,\cdot) > 0`, the mechanism's outcome maximises the
    IVO: :math:`\max_c \gamma(x,c) - \gamma(x,c(x)) = 0`; on a surface where the
    density jumps, the outcome maximises the singular term as well.
``svo.slackness`` (26)
    :math:`\lambda(\cdot,\theta) = L_\theta` on the support of
    :math:`\sigma(\cdot,\theta)` and :math:`\lambda(\cdot,\theta) \ge L_\theta`
    elsewhere on the action space, so :math:`\inf_x \lambda(x,\theta) = L_\theta`.
    The levels are the candidate's declared :math:`L_\theta`, or read off the SVO
    at a support point when not declared.
``svo.jumps``
    Where the mechanism jumps, the singular SVO term is non-negative (otherwise
    :math:`\inf_x\lambda = -\infty`).
"""
from __future__ import annotations

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function
from irmd.analytic.piecewise import to_piecewise
from irmd.analytic.special import expand_erlang
from irmd.errors import BudgetExceeded
from irmd.status import Status

from ..claims import ClaimKind
from ..diagnostics import gradient_text, number, point_text, value_at
from ..jumps import density_jump, mechanism_jump, singular_at_mechanism, singular_maximum
from ..regions import restrict
from ..subjects import Subject
from .base import Check, register_check, zero_piece
from .pde import density_surfaces


@register_check
class IVOSlackness(Check):
    name = "ivo.slackness"
    title = "IVO complementary slackness (25): the mechanism maximises gamma where sigma > 0"
    priority = 40

    def _run(self, run):
        model = run.model
        box = model.signal_box
        support = sum(model.density.values(), sp.S.Zero)
        evidence, skipped = [], 0
        for region, coefficients in ivo_pieces(run):
            if zero_piece(region.restrict(support)):
                skipped += 1
                continue
            outcome = {c: region.restrict(e) for c, e in model.outcome.items()}
            gap = (sum((f.maximum(coefficients) for f in model.factors), sp.S.Zero)
                   - sum((a * outcome[c] for c, a in coefficients.items()), sp.S.Zero))
            claim = run.claim("max_c gamma - gamma(x, c(x))", ClaimKind.ZERO, gap, box, region)
            evidence.append(run.decide(claim))
        for surface, region, sides in density_surfaces(run):
            const, coefficients = density_jump(model, surface, sides)
            if all(zero_piece(e) for e in [const, *coefficients.values()]):
                continue
            on = dict(sides)
            on[surface] = 0
            outcome = {c: restrict(e, on) for c, e in model.outcome.items()}
            singular_gap = to_piecewise(singular_maximum(model, const, coefficients)
                                        - singular_at_mechanism(model, const, coefficients, outcome))
            claim = run.claim(f"singular term on {surface.phi} = 0: max_c - value at c(x)", ClaimKind.ZERO,
                              region.restrict(singular_gap), box, region, on_surface=surface)
            evidence.append(run.decide(claim))
        note = f"{skipped} region(s) outside the support skipped" if skipped else ""
        return self.result(run, evidence, extra_detail=note)

    def _diagnose(self, run, evidence, counterexample):
        if evidence.claim.label.startswith("singular"):
            return (f"on the surface where the density jumps, the outcome must maximise the singular IVO term "
                    f"(e.g. trade with probability 1 on the line in bilateral trade); it falls short by "
                    f"{number(evidence.residual)} at {point_text(evidence.witness)}")
        model, sides = run.model, dict(evidence.claim.region)

        point = evidence.witness
        coefficients = {c: value_at(run, restrict(a, sides), point) for c, a in model.ivo_coefficients.items()}
        chosen = {c: value_at(run, restrict(e, sides), point) for c, e in model.outcome.items()}
        per_agent = " (per agent)" if model.kind == "symmetric" else ""
        coefs = ", ".join(f"{c}: {number(v, 6)}" for c, v in coefficients.items())
        outcome = ", ".join(f"{c}: {number(v, 6)}" for c, v in chosen.items())
        return (f"at {point_text(point)} the IVO gamma(x, c) = gamma_0 + sum_k a_k c_k has coefficients{per_agent} "
                f"{{{coefs}}}, but the mechanism's outcome{' (sums over agents)' if per_agent else ''} is "
                f"{{{outcome}}}: it falls short of max_c gamma by {number(evidence.residual)}; where sigma > 0 the "
                "mechanism must put its allocation on the coordinates with the largest non-negative coefficient "
                "(25), or the density must make those coefficients zero")


def light_simplify(expr: sp.Expr, budget) -> sp.Expr:
    """Expand and cancel under the budget (exact Erlang sums for small orders); unchanged on timeout."""
    if expr == 0:
        return expr
    try:
        with budget.step("simplify a coefficient"):
            reduced = sp.cancel(sp.expand(expand_erlang(expr)))
    except BudgetExceeded:
        return expr
    return sp.S.Zero if reduced == 0 else expr


def ivo_pieces(run):
    """(region, IVO coefficients) on each of the candidate's own regions (density and
    mechanism pieces), every coefficient simplified there first: a coefficient that
    vanishes identically on a region then gives max(0, 0) = 0, not a degenerate
    surface {coefficient = 0} covering the region."""
    if run.ivo_pieces is None:  # shared by ivo.slackness and the potential bound
        model = run.model
        regions = run.regions([*model.density.values(), *model.outcome.values()], model.signal_box)
        run.ivo_pieces = [
            (region, {c: light_simplify(region.restrict(a), run.ctx.budget) for c, a in model.ivo_coefficients.items()})
            for region in regions]
    return run.ivo_pieces


def support_surfaces(run):
    """Surfaces bounding the signal space inside the action space (when they differ)."""
    model = run.model
    out = []
    for x, la, ls in zip(model.action_box.variables, model.action_box.lower, model.signal_box.lower):
        if sp.simplify(ls - la) != 0:
            out.append(x - ls)
    return out


def levels(run) -> dict:
    """SVO levels L_theta as expressions in the constants (declared or read off a support point)."""
    if run.levels is not None:
        return run.levels
    model = run.model
    declared = {k: run.resolution.apply(v) for k, v in run.candidate.levels.items()}
    out = {}
    for state in model.states:
        if state.label in declared:
            out[state.label] = (declared[state.label], "declared")
            continue
        out[state.label] = _read_level(run, state.label)
    run.levels = out
    return out


def _read_level(run, label):
    model = run.model
    sigma, lam = model.density[label], to_piecewise(model.svo[label])
    box = model.signal_box
    for region in run.regions([sigma, lam], box):
        if zero_piece(region.restrict(sigma)):
            continue
        points = [p for p in run.ctx.points(run.claim("", ClaimKind.ZERO, sp.S.Zero, box, region))
                  if all(side == dict(region.sides).get(s) for s, side in zip(region.surfaces, p.sides))]
        if not points:
            continue
        point = points[len(points) // 2]
        at = {v: sp.Rational(str(mpmath.nstr(c, 30))) for v, c in zip(box.variables, point.coordinates)}
        return region.restrict(lam).xreplace(at), f"read off the SVO at {tuple(str(v) for v in at.values())}"
    return None, "the density of this state vanishes everywhere"


@register_check
class SVOSlackness(Check):
    name = "svo.slackness"
    title = "SVO complementary slackness (26): lambda = L_theta on supp sigma(., theta), >= L_theta elsewhere"
    priority = 50
    carries_slack = True   # lambda >= L_theta - s gives G >= sum mu (L_theta - s)

    def _run(self, run):
        model = run.model
        box = model.action_box
        boundary = support_surfaces(run)
        evidence, values = [], {}
        with mpmath.workdps(run.ctx.working_dps):
            constants = list(run.ctx.values)
            numbers = [run.ctx.values[c] for c in constants]
            for label, (level, _how) in levels(run).items():
                if level is None:
                    continue
                values[f"L[{label}]"] = mpmath.mpf(mpmath_function(level, constants)(*numbers))
        for state in model.states:
            level, how = levels(run)[state.label]
            if level is None:
                continue
            lam = to_piecewise(model.svo[state.label]) - level
            sigma = model.density[state.label]
            markers = [sp.Piecewise((1, phi >= 0), (0, True)) for phi in boundary]
            for region in run.regions([lam, sigma, *markers], box):
                inside = all(region.restrict(marker) == 1 for marker in markers)
                in_support = inside and not zero_piece(region.restrict(sigma))
                kind = ClaimKind.ZERO if in_support else ClaimKind.NONNEG
                text = f"lambda(x, theta={state.label}) - L_{state.label}"
                evidence.append(run.decide(run.claim(text, kind, region.restrict(lam), box, region,
                                                     subject=Subject("svo-gap", state=state.label))))
        result = self.result(run, evidence, values)
        return result

    def _diagnose(self, run, evidence, counterexample):
        label = evidence.claim.label
        point = evidence.witness
        value = value_at(run, evidence.claim.expr, point)
        slopes = gradient_text(run, evidence.claim.expr, point, "lambda")
        flat = all(value_at(run, sp.diff(evidence.claim.expr, v), point) is not None
                   and abs(value_at(run, sp.diff(evidence.claim.expr, v), point)) <= mpmath.sqrt(run.ctx.tolerance)
                   for v in point if isinstance(v, sp.Symbol))
        if evidence.claim.kind is ClaimKind.ZERO and flat:
            return (f"{label} = {number(value)} at {point_text(point)} and lambda is flat there ({slopes}): the SVO is "
                    "constant on the support but the declared level differs from it by that amount; "
                    "declare the level the SVO actually takes, or change the transfers")
        if evidence.claim.kind is ClaimKind.ZERO:
            return (f"{label} = {number(value)} at {point_text(point)} on the support of sigma(., theta): by (26) "
                    f"the SVO must equal its level there; it is not constant ({slopes}): the transfers must solve "
                    "the SVO equation on the support")
        return (f"{label} = {number(value)} < 0 at {point_text(point)} outside the support: by (26) the SVO must "
                f"not fall below its level anywhere ({slopes})")


@register_check
class MechanismJumps(Check):
    name = "svo.jumps"
    title = "SVO at mechanism discontinuities: singular terms are non-negative"
    priority = 55

    def _run(self, run):
        model = run.model
        box = model.action_box
        evidence = []
        for surface, region, others in run.surface_regions(list(model.outcome.values()), box):
            for state in model.states:
                jump = mechanism_jump(model, surface, state.label, others)
                claim = run.claim(f"singular lambda(x, theta={state.label}) on {surface.phi} = 0",
                                  ClaimKind.NONNEG, region.restrict(jump), box, region, on_surface=surface)
                evidence.append(run.decide(claim))
        if not evidence:
            return self.result(run, [], extra_status=Status.PROVED,
                               extra_detail="the mechanism has no region boundaries: no singular terms")
        return self.result(run, evidence)

    def _diagnose(self, run, evidence, counterexample):
        return (f"the mechanism jumps across the surface and the jump lowers utility ({evidence.claim.label} = "
                f"{number(evidence.residual)} at {point_text(evidence.witness)}): lambda then has a -infinity "
                "singular part and inf lambda = -infinity; make the mechanism continuous there (e.g. an allocation "
                "that reaches its upper value exactly at the threshold)")
