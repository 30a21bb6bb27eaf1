"""Numeric evidence: evaluation at sample points, the climb, escalation, certified witnesses; boundedness."""
from __future__ import annotations

from dataclasses import replace

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function
from irmd.status import Status

from ..enclosed import certify_violation, decide_by_enclosure
from ..local_search import climb, region_test
from ..sampling import Point, in_closure
from .model import Claim, ClaimKind, DecisionContext, Evidence


def magnitude(expr: sp.Expr) -> sp.Expr:
    """The expression with every sum made a sum of absolute values.

    Evaluated at a point it is the size of the terms before cancellation, the
    yardstick for rounding: a residual is small only relative to it.  Products and
    positive integer powers propagate it, so ``e^{-y}(1 - e^{y - c})`` has size
    ``e^{-y}(1 + e^{y - c})`` (not its own, possibly tiny, value).
    """
    if expr.is_Add:
        return sp.Add(*[magnitude(a) for a in expr.args])
    if expr.is_Mul:
        return sp.Mul(*[magnitude(a) for a in expr.args])
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        return magnitude(expr.base) ** expr.exp
    if isinstance(expr, sp.Piecewise):
        return sp.Piecewise(*[(magnitude(e), c) for e, c in expr.args])
    return sp.Abs(expr)


def _term_function(expr: sp.Expr, variables, constants):
    return mpmath_function(sp.Tuple(expr, magnitude(expr)), list(variables) + list(constants), cse=True)


def _evaluate(fn, coordinates, numbers, dps: int, interior_step=None):
    """(value, scale) at a point (evaluated at ``dps`` digits); nudges into the domain where the formula is 0/0."""
    attempts = [coordinates]
    if interior_step is not None:
        eta = mpmath.mpf(10) ** (-(dps // 3))
        attempts += [tuple(c + eta * (1 + abs(c)) * s for c, s in zip(coordinates, interior_step))]
    for x in attempts:
        try:
            value, size = fn(*x, *numbers)
            value, size = mpmath.mpmathify(value), mpmath.mpmathify(size)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError, NameError):
            # (NameError: a function sympy introduced that has no numeric implementation)
            continue
        if isinstance(value, mpmath.mpc):
            if abs(value.imag) > 0:
                continue
            value = value.real
        size = abs(size)
        if any(mpmath.isnan(t) or mpmath.isinf(t) for t in (value, size)):
            continue
        return value, size
    return None, None


def _violation(kind: ClaimKind, value, scale, tol):
    """How much a value violates the claim, relative to its scale (0 if it holds).

    The allowance is purely relative to the size of the terms: an absolute floor
    would let a tiny but real violation pass (the auction at N = 60 has IVO terms
    of size e^{-60}).
    """
    allowance = tol * scale
    if kind is ClaimKind.ZERO:
        excess = abs(value) - allowance
    else:  # NONNEG
        excess = -value - allowance
    return excess if excess > 0 else mpmath.mpf(0)


def _numeric_points(claim: Claim, ctx: DecisionContext) -> list[Point]:
    region = dict(claim.region)
    return [p for p in ctx.points(claim) if in_closure(p, region, claim.surfaces)]


SPOT_CHECK_POINTS = 24
#: Orders of contact at an interval's end tried by :func:`_touching_an_end`.
TOUCHING_ORDERS = 3
#: Longest enclosure search for one bounded piece (seconds).
ENCLOSURE_SECONDS = 10.0


def decide_numeric(claim: Claim, ctx: DecisionContext, steps, note, limit: int | None = None) -> Evidence:
    points = _numeric_points(claim, ctx)
    if limit is not None and len(points) > limit:
        stride = len(points) / limit
        points = [points[int(k * stride)] for k in range(limit)]
    constants = list(ctx.values)
    fn = _term_function(claim.expr, claim.variables, constants)
    interior = tuple(mpmath.mpf(1) for _ in claim.variables)
    failures, evaluated, worst, ranked = [], 0, mpmath.mpf(0), []
    with mpmath.workdps(ctx.working_dps):
        numbers = [ctx.values[c] for c in constants]
        tol = ctx.tolerance
        for p in points:
            value, scale = _evaluate(fn, p.coordinates, numbers, ctx.working_dps, interior)
            if value is None:
                continue
            evaluated += 1
            excess = _violation(claim.kind, value, scale, tol)
            residual = abs(value) if claim.kind is ClaimKind.ZERO else max(-value, mpmath.mpf(0))
            if scale > 0:
                worst = max(worst, residual / scale)
                ranked.append((_signed_residual(claim.kind, value) / scale, p))
            if excess > 0:
                failures.append((excess, p, value, scale))
        if not failures and ranked and limit is None:
            failures = _searched_failures(claim, ctx, fn, numbers, ranked)
    method = f"numeric: {evaluated} points at {ctx.working_dps} digits"
    if evaluated == 0:
        if _region_is_empty(claim, ctx):
            return Evidence(claim, Status.PROVED if ctx.symbolic else Status.CONFIRMED,
                            "enclosure: the region is empty (every box of it is excluded by its sides)",
                            steps=tuple(steps), dps=ctx.dps, tolerance=ctx.tolerance)
        return Evidence(claim, Status.INCONCLUSIVE, method, steps=tuple(steps),
                        note=((note + "; " if note else "")
                              + "the expression could not be evaluated at any sample point"))
    if not failures:
        return Evidence(claim, Status.CONFIRMED, method, residual=worst, steps=tuple(steps), points=evaluated,
                        dps=ctx.dps, tolerance=ctx.tolerance, note=note)
    return _escalate(claim, ctx, failures, steps, note, evaluated)


def _signed_residual(kind: ClaimKind, value):
    """What a violation makes large: |value| for an identity, -value for an inequality."""
    return abs(value) if kind is ClaimKind.ZERO else -value


def _searched_failures(claim: Claim, ctx: DecisionContext, fn, numbers, ranked) -> list:
    """Failures found by climbing the residual from the worst sample points (to be re-checked)."""
    constants = list(ctx.values)
    lower = [mpmath.mpf(mpmath_function(sp.sympify(b), constants)(*numbers)) for b in claim.box.lower]
    inside = region_test(claim.variables, lower, claim.region, claim.intervals, constants, numbers)
    if inside is None:
        return []

    def objective(x):
        value, scale = _evaluate(fn, x, numbers, ctx.working_dps)
        return None if value is None or not scale > 0 else _signed_residual(claim.kind, value) / scale

    ranked.sort(key=lambda pair: pair[0], reverse=True)
    found = []
    for _, x in climb(objective, [p for _, p in ranked], inside):
        value, scale = _evaluate(fn, x, numbers, ctx.working_dps)
        if value is not None and (excess := _violation(claim.kind, value, scale, ctx.tolerance)) > 0:
            found.append((excess, Point(x, ()), value, scale))
    return found


def _escalate(claim, ctx, failures, steps, note, evaluated) -> Evidence:
    """Re-evaluate the worst failures at higher precision: rounding vanishes, errors stay."""
    failures.sort(key=lambda f: f[0], reverse=True)
    high = 2 * ctx.dps + ctx.guard
    constants = list(ctx.values)
    values = ctx.escalate(high) if ctx.escalate else ctx.values
    fn = _term_function(claim.expr, claim.variables, constants)
    interior = tuple(mpmath.mpf(1) for _ in claim.variables)
    persisting = []
    with mpmath.workdps(high):
        numbers = [values[c] for c in constants]
        for _excess, p, _low_value, _ in failures[:8]:
            value, scale = _evaluate(fn, p.coordinates, numbers, high, interior)
            if value is None:
                continue
            if _violation(claim.kind, value, scale, ctx.tolerance) > 0:
                persisting.append((p, value, scale))
    certified = [(p, value, scale) for p, value, scale in persisting if _certified(claim, ctx, p)]
    if persisting and not certified:
        p, value, scale = persisting[0]
        text = (f"fails at {len(failures)} of {evaluated} points at {high} digits (residual {mpmath.nstr(value, 8)}"
                f" at {point_text_of(p.as_dict(claim.variables))}), but ball arithmetic does not certify it")
        return Evidence(claim, Status.INCONCLUSIVE, f"numeric: {evaluated} points, not certified", steps=tuple(steps),
                        note=(note + "; " if note else "") + text)
    if certified:
        p, value, scale = certified[0]
        witness = p.as_dict(claim.variables)
        text = (f"fails at {len(failures)} of {evaluated} points; the worst failure persists at {high} digits"
                f" (residual {mpmath.nstr(value, 8)} against terms of size {mpmath.nstr(scale, 8)})")
        return Evidence(claim, Status.REFUTED, f"numeric: {evaluated} points at {ctx.working_dps} digits, "
                        f"re-checked at {high} digits", residual=value, witness=witness, steps=tuple(steps),
                        points=evaluated, dps=ctx.dps, tolerance=ctx.tolerance,
                        note=(note + "; " if note else "") + text)
    text = (f"{len(failures)} of {evaluated} points exceeded the tolerance at {ctx.working_dps} digits "
            f"but agree at {high} digits: rounding, not a failure")
    return Evidence(claim, Status.CONFIRMED, f"numeric: {evaluated} points at {ctx.working_dps} digits, "
                    f"worst re-checked at {high} digits", residual=mpmath.mpf(0), steps=tuple(steps),
                    points=evaluated, dps=ctx.dps, tolerance=ctx.tolerance, note=(note + "; " if note else "") + text)


def _region_is_empty(claim: Claim, ctx: DecisionContext) -> bool:
    """No point satisfies the region's sides: the claim -1 >= 0 holds on it (by enclosure)."""
    balls = ctx.balls     # those that could be proved suffice when the region needs no others
    if not any(side != 0 for _, side in claim.region):
        return False
    vacuous = replace(claim, kind=ClaimKind.NONNEG, expr=sp.S.NegativeOne, slack_allowed=False)
    return decide_by_enclosure(vacuous, ctx, balls.values)[0] == "proved"


def _certified(claim: Claim, ctx: DecisionContext, point: Point) -> bool:
    """A numeric counterexample re-checked in ball arithmetic (relative to the terms' size)."""
    balls = ctx.balls
    return balls.ok and certify_violation(claim, balls.values, point.as_dict(claim.variables), ctx.tolerance,
                                          ctx.dps, magnitude(claim.expr) if claim.kind is ClaimKind.ZERO else None)


def point_text_of(point: dict) -> str:
    return ", ".join(f"{k} = {mpmath.nstr(v, 10)}" for k, v in point.items())


def decide_bounded(claim: Claim, ctx: DecisionContext) -> Evidence:
    """Bounded on the box: the far field and the lower corner must settle down.

    Numeric only (at best *confirmed*): values at radii 10^4, 10^8, 10^16,
    10^32 times the largest scale and at offsets 10^-4 .. 10^-32 from the lower
    corner are compared with the largest value at moderate offsets.  Growth by
    more than three orders of magnitude is refuted with the point; a function
    whose bound is only reached beyond 10^-32 (such as 1/(y + 10^-40)) cannot be
    told apart from an unbounded one and is refuted too.
    """
    constants = list(ctx.values)
    fn = _term_function(claim.expr, claim.variables, constants)
    with mpmath.workdps(ctx.working_dps):
        numbers = [ctx.values[c] for c in constants]
        lower = [mpmath.mpf(mpmath_function(sp.sympify(b), constants)(*numbers)) for b in claim.box.lower]
        scale_values = []
        for s in claim.scales:
            try:
                v = mpmath.mpf(mpmath_function(sp.sympify(s), constants)(*numbers))
            except (TypeError, ValueError, ZeroDivisionError):
                continue
            if mpmath.isfinite(v):
                scale_values.append(abs(v))
        scale = max([mpmath.mpf(1)] + scale_values)
        n = len(claim.variables)
        dirs = [tuple(mpmath.mpf(1) / n for _ in range(n))]
        dirs += [tuple(mpmath.mpf(1) if j == i else mpmath.mpf(0) for j in range(n)) for i in range(n)]
        # The reference size comes from moderate offsets only: near-singular
        # points belong to the corner test below, not to the yardstick.
        mid_points = [p for p in _numeric_points(claim, ctx)
                      if scale / 1000 <= sum(c - l for c, l in zip(p.coordinates, lower)) <= 1000 * scale]
        mids = []
        for p in mid_points:
            v, _ = _evaluate(fn, p.coordinates, numbers, ctx.working_dps, tuple(mpmath.mpf(1) for _ in range(n)))
            if v is not None:
                mids.append(abs(v))
        reference = max(mids) if mids else mpmath.mpf(1)
        for d in dirs:
            for label, radii in (("far field", [scale * mpmath.mpf(10) ** (4 * 2**k) for k in range(4)]),
                                 ("lower corner", [mpmath.mpf(10) ** (-4 * 2**k) for k in range(4)])):
                series = []
                for r in radii:
                    x = tuple(l + r * di for l, di in zip(lower, d))
                    v, _ = _evaluate(fn, x, numbers, ctx.working_dps, tuple(mpmath.mpf(1) for _ in range(n)))
                    if v is not None:
                        series.append((x, abs(v)))
                if len(series) < 2:
                    continue
                x_last, v_last = series[-1]
                if v_last > 1000 * (reference + 1) and v_last > 10 * series[0][1]:
                    witness = dict(zip(claim.variables, x_last))
                    return Evidence(claim, Status.REFUTED, f"numeric: {label} at {ctx.working_dps} digits",
                                    residual=v_last, witness=witness, dps=ctx.dps, tolerance=ctx.tolerance,
                                    note=f"|value| grows to {mpmath.nstr(v_last, 8)} in the {label} "
                                         f"(sampled values stay below {mpmath.nstr(reference, 8)})")
    return Evidence(claim, Status.CONFIRMED, f"numeric: {len(mids)} sample points plus far field and lower corner "
                    f"at {ctx.working_dps} digits", residual=reference, points=len(mids), dps=ctx.dps,
                    tolerance=ctx.tolerance, note=f"largest sampled |value| {mpmath.nstr(reference, 8)}")


