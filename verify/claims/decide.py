"""The entry point: :func:`decide` tries proofs first, then numeric evidence, and never blurs the outcome."""
from __future__ import annotations

from dataclasses import replace

import mpmath
import sympy as sp

from irmd.errors import BudgetExceeded
from irmd.status import Status

from ..balls import enclose, precision_bits
from ..enclosed import decide_by_enclosure
from .bounded import prove_bounded
from .model import Claim, ClaimKind, DecisionContext, Evidence, Step
from .numeric import SPOT_CHECK_POINTS, TOUCHING_ORDERS, decide_bounded, decide_numeric
from .symbolic import (
    at_defined_constants,
    nonneg_by_relations,
    plain_nonneg,
    plain_zero,
    prove_zero,
    zero_by_relations,
)


def decide(claim: Claim, ctx: DecisionContext) -> Evidence:
    """Decide one claim: a symbolic proof, else a rigorous enclosure, else numeric search (at best
    confirmed).  On a region found only from sample points nothing is proved."""
    evidence = _decide(claim, ctx)
    if evidence.status is Status.PROVED and not claim.exact_region:
        return replace(evidence, status=Status.CONFIRMED, dps=ctx.dps, tolerance=ctx.tolerance,
                       method=f"{evidence.method}, but on a region found from sample points only",
                       note="proved on a region that was found from sample points only, so not proved")
    return evidence


def _by_enclosure(claim: Claim, ctx: DecisionContext, steps) -> Evidence | None:
    """A proof or a certified counterexample by branch and bound in ball arithmetic, or None."""
    balls = ctx.balls
    if not (ctx.symbolic and balls.ok):
        return None
    if claim.kind is ClaimKind.ZERO and not claim.slack_allowed:
        # An identity that simplification did not reach cannot be enclosed within a zero slack, and
        # an absolute slack would pass violations among tiny terms (IVO terms of size e^-60).
        return None
    status, found, what = decide_by_enclosure(claim, ctx, balls.values)
    if status == "proved":
        slack = mpmath.mpf(found.mid().str(20, radius=False)) if found is not None else mpmath.mpf(0)
        return Evidence(claim, Status.PROVED, f"enclosure: ball arithmetic over the whole region ({what}), "
                        f"slack {mpmath.nstr(slack, 3)}", steps=tuple(steps), dps=ctx.dps, slack=slack)
    if status == "refuted":
        witness = {v: mpmath.mpf(sp.Rational(c).p) / sp.Rational(c).q for v, c in found.witness.items()}
        residual = mpmath.mpf(found.value.mid().str(20, radius=False))
        return Evidence(claim, Status.REFUTED, "enclosure: a certified counterexample (ball arithmetic at an "
                        "exact point)", residual=residual, witness=witness, steps=tuple(steps), dps=ctx.dps,
                        tolerance=ctx.tolerance, note=f"the enclosure at the point is {found.value.str(8)}")
    return None


def _touching_an_end(claim: Claim, ctx: DecisionContext, steps) -> Evidence | None:
    """f >= 0 on (a, e) in one variable where f vanishes at the end e (q <= 1 where q reaches 1 at ybar).

    No enclosure proves f >= 0 up to e with zero slack.  But if f and its first k - 1 derivatives
    vanish at e exactly (symbolically, with the constants' equations) and (-1)^k f^(k) >= 0 on
    [e - d, e] (by enclosure), Taylor's theorem f(y) = f^(k)(xi) (y - e)^k / k! gives f >= 0 there,
    and f >= 0 on (a, e - d] is enclosed away from the zero.
    """
    if (claim.kind is not ClaimKind.NONNEG or claim.box.dimension != 1 or len(claim.intervals) != 1
            or not ctx.symbolic or not ctx.balls.ok):
        return None
    (variable,), (lower, upper) = claim.variables, claim.intervals[0]
    if upper is sp.oo:
        return None
    derivative, end_steps = claim.expr, []
    width = sp.sympify(upper) - sp.sympify(lower)
    at_end = derivative.xreplace({variable: upper})
    sign = _sign_at_end(at_end, ctx)
    for order in range(1, TOUCHING_ORDERS + 1):
        if sign != 0:   # provably not zero: no proof of vanishing can succeed
            return None
        vanishes, found, _ = prove_zero(replace(claim, kind=ClaimKind.ZERO, expr=at_end, intervals=()), ctx)
        if not vanishes:
            return None
        end_steps += found
        try:
            with ctx.budget.step("derivative of the claim"):
                derivative = sp.diff(derivative, variable)
        except BudgetExceeded:
            return None
        at_end = derivative.xreplace({variable: upper})
        sign = _sign_at_end(at_end, ctx)
        if sign == 0:
            # The next derivative may vanish at the end too: no enclosure of it near the end has a
            # sign, so go straight to the next order.
            continue
        if sign != (-1) ** order:
            return None   # the claim is negative just inside the end: nothing to prove
        for k in (4, 8, 12, 16):
            cut = upper - width / 2 ** k
            signed = replace(claim, expr=(-1) ** order * derivative, intervals=((cut, upper),))
            if decide_by_enclosure(signed, ctx, ctx.balls.values)[0] != "proved":
                continue
            if decide_by_enclosure(replace(claim, intervals=((lower, cut),)), ctx, ctx.balls.values)[0] != "proved":
                return None
            return Evidence(claim, Status.PROVED, f"symbolic and enclosure: the claim and {order - 1} derivative(s) "
                            f"vanish at {variable} = {upper}, (-1)^{order} times derivative {order} is >= 0 on "
                            f"[{upper} - ({width})/2^{k}, {upper}], the claim is enclosed below that",
                            steps=tuple(steps) + tuple(end_steps), dps=ctx.dps, slack=mpmath.mpf(0))
    return None


def _sign_at_end(value: sp.Expr, ctx: DecisionContext) -> int:
    """The sign of a constant expression (a claim or a derivative at an end) where its enclosure
    decides it; 0 where the enclosure contains 0 or cannot be computed.  Only a shortcut: a decided
    sign rules out a vanishing that a proof would then look for in vain."""
    try:
        ball = enclose(value, ctx.balls.values, precision_bits(ctx.dps))
    except Exception:  # noqa: BLE001 - any expression the enclosure cannot evaluate: no shortcut
        return 0
    return 1 if ball > 0 else -1 if ball < 0 else 0


def _constant_conditions_decided(claim: Claim, ctx: DecisionContext) -> Claim:
    """The claim with Piecewise conditions on constants alone replaced by their truth, decided
    by the constants' balls (left as they are where the enclosure does not decide)."""
    if not claim.expr.has(sp.Piecewise) or not ctx.balls.ok:
        return claim
    balls, decided = ctx.balls.values, {}
    for relation in claim.expr.atoms(sp.Rel):
        if relation.free_symbols and relation.free_symbols <= set(balls) and not isinstance(relation, (sp.Eq, sp.Ne)):
            difference = enclose(relation.lhs - relation.rhs, balls, precision_bits(ctx.dps))
            strict = isinstance(relation, (sp.StrictLessThan, sp.StrictGreaterThan))
            less = isinstance(relation, (sp.StrictLessThan, sp.LessThan))
            if difference < 0 or difference > 0:
                decided[relation] = sp.true if (difference < 0) == less else sp.false
            elif difference.is_zero() and not strict:
                decided[relation] = sp.true
    return replace(claim, expr=claim.expr.xreplace(decided)) if decided else claim


def _decide(claim: Claim, ctx: DecisionContext) -> Evidence:
    if claim.kind is ClaimKind.BOUNDED:
        proved, found = prove_bounded(claim, ctx)
        if proved:
            return Evidence(claim, Status.PROVED, "symbolic: continuous pieces with finite limits at their ends",
                            steps=tuple(found), dps=ctx.dps)
        return replace(decide_bounded(claim, ctx), note=f"not proved symbolically ({found})")
    steps, note = [], ""
    claim = _constant_conditions_decided(claim, ctx)
    if claim.expr == 0:
        return Evidence(claim, Status.PROVED, "symbolic: identically 0", steps=(Step("identically", sp.S.Zero),))
    plain, with_relations = ((plain_zero, zero_by_relations) if claim.kind is ClaimKind.ZERO
                             else (plain_nonneg, nonneg_by_relations))
    # A claim about constants alone, one defined by its equation, holds through that equation
    # rather than for every value of the constant: the equations go first.
    relations_first = ctx.symbolic and at_defined_constants(claim, ctx)
    if relations_first:
        proved, relation_steps, _ = with_relations(claim, ctx)
        if proved:
            return _spot_checked(claim, ctx, relation_steps)
    if ctx.symbolic:
        proved, steps, note = plain(claim, ctx)
        if proved:
            return _spot_checked(claim, ctx, steps)
    # The numeric search comes before the costlier proofs: a wrong claim is refuted in a second
    # instead of exhausting the budgets of proofs that cannot succeed.
    numeric = _numeric_evidence(claim, ctx, steps, note)
    if numeric.status is Status.REFUTED or not ctx.symbolic:
        return numeric
    if not relations_first:
        proved, relation_steps, _ = with_relations(claim, ctx)
        if proved:
            return _spot_checked(claim, ctx, relation_steps)
    # A claim that vanishes at an end of its interval is not enclosed with zero slack: the Taylor
    # argument goes first (it gives up at once where the claim is provably non-zero at the end).
    enclosed = _touching_an_end(claim, ctx, steps) if numeric.status is Status.CONFIRMED else None
    if enclosed is None:
        enclosed = _by_enclosure(claim, ctx, steps)
    return enclosed if enclosed is not None else numeric


def _spot_checked(claim: Claim, ctx: DecisionContext, steps) -> Evidence:
    """A symbolic proof, spot-checked numerically: a disagreement would mean a bug in irmd's own
    pipeline, which must never pass silently."""
    spot = decide_numeric(claim, ctx, steps, "", limit=SPOT_CHECK_POINTS)
    if spot.status is Status.REFUTED:
        return Evidence(claim, Status.INCONCLUSIVE, "symbolic proof contradicted numerically",
                        residual=spot.residual, witness=spot.witness, steps=tuple(steps),
                        note="internal inconsistency: the symbolic proof disagrees with evaluation at "
                             f"{spot.witness}; please report this")
    return Evidence(claim, Status.PROVED, "symbolic: " + (steps[-1].description if steps else "identity"),
                    steps=tuple(steps), points=spot.points, dps=ctx.dps)


def _numeric_evidence(claim: Claim, ctx: DecisionContext, steps, note) -> Evidence:
    """The numeric search (at best confirmed; a refutation is certified in ball arithmetic)."""
    # Residuals are measured against the simplified remainder's own terms: an
    # identity among huge terms that simplification already cancelled (K sin^2 +
    # K cos^2 - K) must not hide a real violation next to it.
    # (A remainder sympy wrote with complex intermediate values, erf(I y) for
    # erfi, may not evaluate as a real number: then the claim's own form is used.)
    remainder = sp.unpolarify(steps[-1].expr) if steps else claim.expr
    if remainder is not claim.expr:
        evidence = decide_numeric(replace(claim, expr=remainder), ctx, steps, note)
        if evidence.points:
            return replace(evidence, claim=claim)
    return decide_numeric(claim, ctx, steps, note)
