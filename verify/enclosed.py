r"""Claims decided by rigorous enclosure, and refutations certified the same way.

When no symbolic argument settles a claim, branch and bound with arb balls
(:func:`irmd.verify.enclosure.prove_on_box`) decides it over the whole region:
one-dimensional regions over their exact intervals (:mod:`irmd.verify.partition`),
with the unbounded tail enclosed by :func:`irmd.verify.tails.tail_enclosure`;
regions in several variables over the box cut by their surfaces' sides; a claim
*on* a surface over that surface, solved for one variable.  A proof holds up to
an explicit slack (stated, and carried into the bracket); a refutation is a
point with exact rational coordinates where the enclosure of the claim's
violation exceeds the tolerance.

:func:`certify_violation` re-checks a numeric counterexample in ball arithmetic,
so that no claim is refuted by a float evaluation that happened to be large.
"""
from __future__ import annotations

import time

import mpmath
import sympy as sp
from flint import arb, ctx

from irmd.analytic.special import erlang_ratio_form
from irmd.errors import BudgetExceeded

from .balls import exact_or_ball, exact_rational, precision_bits
from .bounded import tail_bounds
from .enclosure import UnsupportedExpression, arb_function, prove_on_box

#: Longest search for one claim (seconds), within what is left of the run's budget.
CLAIM_SECONDS = 10.0
#: Boxes one claim may examine.
CLAIM_BOXES = 20000
#: A proof may allow 10^-(dps + SLACK_MARGIN) absolutely; the bracket absorbs it.
SLACK_MARGIN = 5


def _surface_chart(claim, surfaces_on, budget):
    """(expr, variables, lower, region): the claim on a surface phi = 0, solved for one variable
    (x_k = rho(others)), with x_k >= its lower bound kept as a side; None when phi cannot be solved."""
    (surface,) = surfaces_on
    for k in reversed(range(claim.box.dimension)):
        variable = claim.variables[k]
        try:
            with budget.step("solve the surface for one variable"):
                roots = sp.solve(surface.phi, variable)
        except (BudgetExceeded, NotImplementedError, ValueError, TypeError):
            continue
        if len(roots) != 1 or roots[0].has(sp.I):
            continue
        rho = roots[0]
        others = [v for v in claim.variables if v != variable]
        lower = [b for v, b in zip(claim.variables, claim.box.lower) if v != variable]
        region = [(s.phi.xreplace({variable: rho}), side) for s, side in claim.region
                  if side != 0 and s in claim.surfaces and s != surface]
        region.append((rho - claim.box.lower[k], 1))
        return claim.expr.xreplace({variable: rho}), others, lower, region
    return None


def decide_by_enclosure(claim, ctx_, balls):
    """(status, outcome, what) for a ZERO/NONNEG claim: "proved" / "refuted" / "undecided"."""
    kind = "zero" if claim.kind.value == "= 0" else "nonneg"
    prec = precision_bits(ctx_.dps + 10)
    with ctx.workprec(prec):
        slack = arb(10) ** (-(ctx_.dps + SLACK_MARGIN)) if claim.slack_allowed else arb(0)
        tolerance = arb(10) ** (-ctx_.dps)
    remaining = ctx_.budget.remaining()
    seconds = CLAIM_SECONDS if remaining is None else max(0.0, min(CLAIM_SECONDS, remaining))
    deadline = time.monotonic() + seconds
    on = [s for s, side in claim.region if side == 0 and s in claim.surfaces]
    expr, variables, lower = erlang_ratio_form(claim.expr), list(claim.variables), list(claim.box.lower)
    region = [(s.phi, side) for s, side in claim.region if side != 0 and s in claim.surfaces]
    spans = [(b, sp.oo) for b in lower]
    if on:
        if claim.box.dimension == 1:
            return "undecided", None, "a claim at a point is decided by evaluation"
        chart = _surface_chart(claim, on, ctx_.budget) if len(on) == 1 else None
        if chart is None:
            return "undecided", None, "the surface is not solved for one variable"
        expr, variables, lower, region = chart
        spans = [(b, sp.oo) for b in lower]
    pieces = [spans]
    if not on and claim.intervals:
        if claim.box.dimension == 1:
            pieces, region = [[(a, b)] for a, b in claim.intervals], []
        elif all(b is not sp.oo for _, b in claim.intervals):
            # The region lies below the largest total b: x_i <= b - (the other lower bounds).
            top = sp.Max(*[b for _, b in claim.intervals])
            pieces = [[(l, top - (sum(lower, sp.S.Zero) - l)) for l in lower]]
    if len(pieces) == 1:
        pieces = [_capped(pieces[0], variables, region)]
    try:
        total_boxes, used_slack = 0, None
        for piece in pieces:
            low = [exact_or_ball(a, balls, prec) for a, _ in piece]
            high = [sp.oo if b is sp.oo else exact_or_ball(b, balls, prec) for _, b in piece]
            if any(v is None for v in low + high):
                return "undecided", None, "a bound of the region could not be enclosed"
            outcome = prove_on_box(kind, expr, variables, low, high, balls, region=tuple(region), slack=slack,
                                   tolerance=tolerance, prec=prec, max_boxes=CLAIM_BOXES, deadline=deadline,
                                   tail_prover=tail_bounds if len(variables) == 1 else None)
            total_boxes += outcome.boxes
            if outcome.status != "proved":
                return outcome.status, outcome, outcome.reason
            used_slack = outcome.slack
    except UnsupportedExpression as why:
        return "undecided", None, f"no enclosure ({why})"
    return "proved", used_slack, f"{total_boxes} boxes"


def _capped(spans, variables, region):
    """Spans with an infinite upper end replaced by the cap a side x_k < c of the region gives."""
    capped = list(spans)
    for phi, side in region:
        moving = [v for v in variables if phi.has(v)]
        if len(moving) != 1 or not phi.is_polynomial(moving[0]) or sp.degree(phi, moving[0]) != 1:
            continue
        (v,) = moving
        slope = sp.diff(phi, v)
        if not (slope * side).is_negative:        # the side bounds v from above only when side * slope < 0
            continue
        k = list(variables).index(v)
        if capped[k][1] is sp.oo:
            capped[k] = (capped[k][0], sp.solve(phi, v)[0])
    return capped


def certify_violation(claim, balls, point: dict, tolerance, dps: int, magnitude=None) -> bool:
    """True when ball arithmetic proves that ``claim`` fails at ``point`` by more than the tolerance
    (relative to ``magnitude``, the size of its terms, when given)."""
    prec = precision_bits(dps + 10)
    try:
        with ctx.workprec(prec):
            coordinates = [arb(exact_rational(mpmath.mpf(point[v]))) for v in claim.variables]
            value = arb_function(claim.expr, claim.variables, balls)(*coordinates)
            allowed = arb(exact_rational(mpmath.mpf(tolerance)))
            if magnitude is not None:
                allowed *= abs(arb_function(magnitude, claim.variables, balls)(*coordinates))
            if not (value.is_finite() and allowed.is_finite()):
                return False
            if claim.kind.value == "= 0":
                return bool(abs(value) > allowed)
            return bool(value < -allowed)
    except (UnsupportedExpression, ValueError, TypeError, ZeroDivisionError):
        return False
