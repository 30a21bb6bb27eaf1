"""Boundedness proofs of claims piece by piece (enclosures, monotone quotients, homogeneous shares)."""
from __future__ import annotations

import sympy as sp

from irmd.analytic.environment import TOTAL

from ..bounded import bounded_by_enclosure, bounded_by_monotone_quotients, prove_bounded_piece
from ..partition import partition, total_form
from .model import Claim, DecisionContext, Step
from .numeric import ENCLOSURE_SECONDS


def prove_bounded(claim: Claim, ctx: DecisionContext):
    """(True, steps) when every piece of the claim is proved bounded on its region, else (None, reason)."""
    if not ctx.symbolic:
        return None, "symbolic proofs are off"
    steps = []
    for region in partition([claim.expr], claim.box, ctx, claim.scales):
        if not region.exact:
            return None, "the regions of the expression are not established exactly"
        spans = region.intervals or ((sum((sp.sympify(b) for b in claim.box.lower), sp.S.Zero), sp.oo),)
        proved, found = _bounded_piece(region.restrict(claim.expr), claim, spans, ctx)
        if not proved:
            return None, found
        steps += found
    return True, steps


def _bounded_piece(piece: sp.Expr, claim: Claim, spans, ctx: DecisionContext):
    """One piece on a region whose totals lie in ``spans``: in one variable by continuity and limits or
    by enclosure; in several as sums and products of bounded parts -- functions of the total (bounded
    on the spans) and shares x_S / x_T of non-negative variables (in [0, 1] scaled) -- or (None, why)."""
    variables = claim.variables
    if not piece.has(*variables):
        return (True, []) if not piece.has(sp.oo, -sp.oo, sp.zoo, sp.nan) else (None, f"{piece} is not finite")
    if len(variables) == 1 or (h := total_form(piece, variables, ctx.budget)) is not None:
        variable = variables[0] if len(variables) == 1 else TOTAL
        one = piece if len(variables) == 1 else h
        steps = []
        for lower, upper in spans:
            # The monotone Erlang quotients first: read off the form, they cost nothing, where the
            # limits of the written-out piece take sympy seconds from N = 10 on (8 s at N = 10).
            proved = None
            if ctx.balls.ok:
                proved, found = bounded_by_monotone_quotients(one, variable, lower, upper, ctx.balls.values,
                                                              ctx.dps + 10)
            if not proved:
                proved, found = prove_bounded_piece(one, variable, lower, upper, ctx.budget)
            if not proved and ctx.balls.ok:
                remaining = ctx.budget.remaining()
                proved, found = bounded_by_enclosure(one, variable, lower, upper, ctx.balls.values, ctx.dps + 10,
                                                     ENCLOSURE_SECONDS if remaining is None else
                                                     max(0.0, min(ENCLOSURE_SECONDS, remaining)))
            if not proved:
                return None, f"{one} on ({lower}, {upper}): {found}"
            steps += [Step(text, one) for text in found]
        return True, steps
    if piece.is_Mul:
        total_part = _homogeneous_share(piece, variables, claim.box.lower, ctx)
        if total_part is not None:
            proved, found = _bounded_piece(total_part, claim, spans, ctx)
            if proved:
                return True, [Step("a homogeneous polynomial of non-negative variables with non-negative "
                                   "coefficients over (sum x)^d lies between 0 and its largest coefficient",
                                   piece)] + found
    if piece.is_Add or piece.is_Mul or (piece.is_Pow and piece.exp.is_Integer and piece.exp > 0):
        parts = piece.args if not piece.is_Pow else (piece.base,)
        steps = []
        for part in parts:
            proved, found = _bounded_piece(part, claim, spans, ctx)
            if not proved:
                return None, found
            steps += found
        return True, steps
    return None, f"{piece} is not a sum or product of parts proved bounded"


def _homogeneous_share(piece: sp.Expr, variables, lower, ctx: DecisionContext):
    """For piece = P(x) * rest with P homogeneous of degree d, non-negative coefficients and rest a
    function of the total, the function of the total rest * (sum x)^d (P / (sum x)^d is bounded on
    the non-negative orthant); None when the piece has no such form."""
    if any(not sp.sympify(b).is_nonnegative for b in lower):
        return None
    polynomial, rest = sp.S.One, sp.S.One
    for factor in sp.Mul.make_args(piece):
        if factor.has(*variables) and total_form(factor, variables, ctx.budget) is None:
            polynomial *= factor
        else:
            rest *= factor
    if polynomial == 1 or not polynomial.is_polynomial(*variables):
        return None
    poly = sp.Poly(sp.expand(polynomial), *variables)
    degrees = {sum(monomial) for monomial in poly.monoms()}
    if len(degrees) != 1 or not all(c.is_nonnegative for c in poly.coeffs()):
        return None
    (degree,) = degrees
    return total_form(rest * sum(variables, sp.S.Zero) ** degree, variables, ctx.budget)


