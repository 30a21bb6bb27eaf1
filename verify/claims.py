r"""Claims about expressions on regions, and how irmd decides them.

Every check reduces to claims of three kinds on a region of a box:

``ZERO``     the expression vanishes identically (a PDE, an SVO level, (25));
``NONNEG``   the expression is non-negative (a density, feasibility, (26));
``BOUNDED``  the expression stays bounded (transfers, as t_max is finite).

:func:`decide` first tries a symbolic proof under a time budget (recording the
intermediate expressions), then evaluates the claim with mpmath at sample
points.  The outcome is never blurred:

* a symbolic zero / sign proof is **proved**;
* agreement at every sample point within the tolerance is **confirmed**, with
  the precision, tolerance and number of points;
* a point where the claim fails by more than the tolerance, and still fails
  after the precision is raised, is **refuted**, with the point and residual;
* no evaluable point, or a failure that disappears only partly, is
  **inconclusive**, with the reason.

Residuals are measured relative to the size of the expression's terms at the
point (``scale``), so an identity among large terms is not refuted by rounding.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Callable

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function
from irmd.analytic.environment import TOTAL
from irmd.analytic.special import (
    EXPAND_MAX_ORDER,
    ErlangCDF,
    ErlangPDF,
    ErlangSF,
    contiguous_1f1,
    erlang_lowest_order_form,
    expand_erlang,
)
from irmd.budget import Budget
from irmd.errors import BudgetExceeded
from irmd.status import Status

from .balls import constant_balls, enclose, precision_bits
from .bounded import bounded_by_enclosure, bounded_by_monotone_quotients, prove_bounded_piece
from .enclosed import certify_violation, decide_by_enclosure
from .local_search import climb, region_test
from .partition import partition, total_form
from .regions import Surface
from .sampling import Box, Point, in_closure, sample


class ClaimKind(str, Enum):
    ZERO = "= 0"
    NONNEG = ">= 0"
    BOUNDED = "bounded"


@dataclass(frozen=True)
class Claim:
    """``expr`` (piece-free, constants as symbols) satisfies ``kind`` on a region of ``box``."""

    label: str
    kind: ClaimKind
    expr: sp.Expr
    box: Box
    region: tuple = ()          # ((Surface, side), ...): the region's sides
    surfaces: tuple = ()        # all surfaces used to classify points
    scales: tuple = ()          # characteristic radii for sampling
    region_text: str = ""       # human description of the region
    lower_bounds: tuple = ()    # ((symbol, expr), ...) known lower bounds for sign proofs
    upper_bounds: tuple = ()    # ((symbol, expr), ...) known upper bounds for sign proofs
    intervals: tuple = ()       # ((lower, upper), ...) of a one-variable region, exact
    exact_region: bool = True   # False: the region was found from sample points (never proved)
    slack_allowed: bool = False  # an enclosure proof may allow an absolute slack (carried into the bracket)

    @property
    def variables(self):
        return self.box.variables


@dataclass(frozen=True)
class Step:
    """One step of a symbolic derivation: what was done and the expression after it."""

    description: str
    expr: sp.Expr


@dataclass(frozen=True)
class Evidence:
    """How a claim was decided."""

    claim: Claim
    status: Status
    method: str
    residual: object = None           # mpmath number (max violation), None if proved
    witness: dict | None = None        # variable -> mpmath value where the claim fails
    steps: tuple[Step, ...] = ()
    points: int = 0
    dps: int | None = None
    tolerance: object = None
    note: str = ""
    slack: object = None               # a proof by enclosure holds up to this (absolute) slack

    def __post_init__(self):
        if self.status is Status.REFUTED and self.witness is None:
            raise ValueError("a refuted claim needs a witness")
        if self.status is Status.CONFIRMED and self.dps is None:
            raise ValueError("a confirmed claim must state its precision")


@dataclass
class DecisionContext:
    """Precision, constants, budget and sample-point cache shared by the claims of one run."""

    dps: int
    values: dict                                  # constant symbol -> mpf at working precision
    budget: Budget
    symbolic: bool = True
    guard: int = 20
    escalate: Callable[[int], dict] | None = None  # dps -> constant values at that precision
    exact: dict = field(default_factory=dict)      # constants with exact rational values
    constants: tuple = ()                          # the candidate's Constant definitions (for balls)
    _points: dict = field(default_factory=dict)
    _balls: object = None

    @property
    def balls(self):
        """Rigorous balls of the constants (:class:`irmd.verify.balls.Balls`), computed once."""
        if self._balls is None:
            self._balls = constant_balls(self.constants, self.values, self.dps + 10)
        return self._balls

    @property
    def working_dps(self) -> int:
        return self.dps + self.guard

    @property
    def tolerance(self):
        return mpmath.mpf(10) ** (-self.dps)

    def points(self, claim: Claim) -> list[Point]:
        key = (claim.box, claim.surfaces, claim.scales)
        if key not in self._points:
            with mpmath.workdps(self.working_dps):
                self._points[key] = sample(claim.box, claim.surfaces, self.values, self.working_dps, claim.scales)
        return self._points[key]


# --------------------------------------------------------------------------- symbolic
def _expandable(expr: sp.Expr) -> bool:
    return all(f.args[0].is_Integer and int(f.args[0]) <= EXPAND_MAX_ORDER
               for f in expr.atoms(ErlangPDF, ErlangCDF, ErlangSF))


def simplify_steps(expr: sp.Expr, budget: Budget) -> tuple[sp.Expr, list[Step]]:
    """Normalise ``expr`` step by step; stops at zero or when the budget runs out.

    Raises BudgetExceeded if the budget is already spent.
    """
    steps: list[Step] = []
    current = expr
    if current.atoms(ErlangPDF, ErlangCDF, ErlangSF):
        if _expandable(current):
            current = expand_erlang(current)
            steps.append(Step("write the Erlang functions G_N, g_N as finite sums (32)-(33)", current))
        else:
            lowest = erlang_lowest_order_form(current)
            if lowest is not None and lowest != current:
                current = lowest
                steps.append(Step("write every Erlang function through those of the lowest order at its point "
                                  "(g_n = y g_{n-1}/(n-1), G_n = G_{n-1} - g_n)", current))
    stages = (
        ("expand", lambda e: sp.expand(e)),
        ("put over a common denominator and cancel", lambda e: sp.cancel(sp.together(e))),
        ("simplify", lambda e: sp.simplify(e)),
    )
    for description, transform in stages:
        if current == 0:
            break
        with budget.step(description):
            new = transform(current)
        if new != current:
            current = new
            steps.append(Step(description, current))
    return current, steps


def _by_known_relations(prover):
    """The prover applied to the claim rewritten with what is known of the constants beyond their
    symbols: the exact values (rational numbers the user gave), and the equation of a root-defined
    constant used to eliminate a function of it (ybar's equation L43(ybar) = L45(ybar) written as
    1F1(...; ybar) = ...).  A proof with constants as free symbols holds for every value; these
    hold for the candidate's values.
    """
    def attempt(claim: Claim, ctx: DecisionContext):
        for description, rewrite in _known_relations(claim, ctx):
            try:
                substituted = replace(claim, expr=rewrite(claim.expr))
            except BudgetExceeded:
                continue
            proved, steps, note = prover(substituted, ctx)
            if proved:
                return proved, [Step(description, substituted.expr)] + steps, note
        return None, [], "not proved with the constants' values and equations either"
    return attempt


def _known_relations(claim: Claim, ctx: DecisionContext):
    """(description, rewrite): exact values, then each root equation solved for a function of its
    root (after writing hypergeometric functions in closed form, where the derivative of a 1F1
    brings in a neighbouring one)."""
    exact = {c: v for c, v in ctx.exact.items() if claim.expr.has(c)}
    if exact:
        yield ("substitute the exact values " + ", ".join(f"{k} = {v}" for k, v in exact.items()),
               lambda expr: expr.xreplace(exact))
    has_neighbours = contiguous_1f1(claim.expr) != claim.expr
    if has_neighbours:
        yield (_CONTIGUOUS, contiguous_1f1)
    for constant in ctx.constants:
        if constant.equation is None or not claim.expr.has(constant.symbol):
            continue
        forms = [(constant.equation, lambda expr: expr, "")]
        if has_neighbours:
            forms.append((contiguous_1f1(constant.equation), contiguous_1f1, "with the contiguous 1F1 relation, "))
        if constant.equation.has(sp.hyper) or claim.expr.has(sp.hyper):
            with ctx.budget.step("hypergeometric functions in closed form"):
                expanded = sp.hyperexpand(constant.equation)
            forms.append((expanded, lambda expr: _hyperexpanded(expr, ctx), "with 1F1 in closed form, "))
        for equation, prepare, how in forms:
            for atom in equation.atoms(sp.Function):
                if not atom.has(constant.symbol):
                    continue
                try:
                    with ctx.budget.step(f"solve the equation of {constant.symbol} for {atom}"):
                        solutions = sp.solve(equation, atom)
                except (BudgetExceeded, NotImplementedError, ValueError, TypeError):
                    continue
                if len(solutions) == 1 and not solutions[0].has(atom):
                    elimination = {atom: solutions[0]}
                    yield (f"use the equation of {constant.symbol} ({how}{equation} = 0): {atom} = {solutions[0]}",
                           lambda expr, prepare=prepare, elimination=elimination: prepare(expr).xreplace(elimination))


_CONTIGUOUS = ("write each 1F1(alpha + k; alpha + k + 1; y) through 1F1(alpha; alpha + 1; y) = M by the contiguous "
               "relation 1F1(alpha + 1; alpha + 2; y) = (alpha + 1)(e^y - M)/y")


def _hyperexpanded(expr: sp.Expr, ctx: DecisionContext) -> sp.Expr:
    with ctx.budget.step("hypergeometric functions in closed form"):
        return sp.hyperexpand(expr)


def _symbolic_form_exists(expr: sp.Expr) -> bool:
    return _expandable(expr) or erlang_lowest_order_form(expr) is not None


def _plain_zero(claim: Claim, ctx: DecisionContext):
    if not _symbolic_form_exists(claim.expr):
        return None, [], "Erlang functions of orders too far apart to be written through one order"
    try:
        result, steps = simplify_steps(claim.expr, ctx.budget)
    except BudgetExceeded as exceeded:
        return None, [], str(exceeded)
    if result == 0:
        return True, steps, ""
    return None, steps, "symbolic simplification did not reach 0"


def _sign_substitutions(claim: Claim):
    """Substitutions that turn the region's bounds into positivity of new symbols."""
    taken = {s.name for s in claim.expr.free_symbols}
    # A plain one-letter name: it is printed in derivations (u_x_1 would be a double subscript).
    u = sp.Symbol(next(name for name in ("u", "v", "w", "u_0", "u_1") if name not in taken), positive=True)
    subs = [{}]
    for var, bound in claim.lower_bounds:
        subs.append({var: bound + u})
    for var, bound in claim.upper_bounds:
        lower = dict(claim.lower_bounds).get(var, sp.S.Zero)
        # var in (lower, bound): var = lower + (bound - lower) / (1 + u)
        subs.append({var: lower + (bound - lower) / (1 + u)})
    return subs


def _signs_in_the_open_box(expr: sp.Expr, claim: Claim, ctx: DecisionContext):
    """``expr`` as a product whose every factor has a known sign, or None.

    The variables become l + u with u > 0 (the open box: a continuous claim there holds on its
    closure), and factors of constants alone (a normaliser 1F1(1/2; 3/2; ybar)) get their sign from
    the constants' balls, which sympy's assumptions cannot give.
    """
    shifted = {v: sp.sympify(l) + sp.Dummy(f"u{k}", positive=True)
               for k, (v, l) in enumerate(zip(claim.variables, claim.box.lower))}
    with ctx.budget.step("signs of the factors"):
        num, den = sp.fraction(sp.factor_terms(sp.together(expr.xreplace(shifted))))
    balls = ctx.balls
    if not balls.ok:
        return None
    dummies = {s for value in shifted.values() for s in value.free_symbols if isinstance(s, sp.Dummy)}

    def with_signs(part):
        factors = []
        for factor in sp.Mul.make_args(part):
            if factor.free_symbols and not factor.free_symbols & dummies and factor.free_symbols <= set(balls.values):
                ball = enclose(factor, balls.values, precision_bits(ctx.dps))
                factor = sp.S.One if ball > 0 else (sp.S.NegativeOne if ball < 0 else factor)
            factors.append(factor)
        return sp.Mul(*factors)

    num, den = with_signs(num), with_signs(den)
    if (num.is_nonnegative and den.is_positive) or (num.is_nonpositive and den.is_negative):
        return num / den
    return None


def _plain_nonneg(claim: Claim, ctx: DecisionContext):
    if not _symbolic_form_exists(claim.expr):
        return None, [], "Erlang functions of orders too far apart to be written through one order"
    try:
        simplified, steps = simplify_steps(claim.expr, ctx.budget)
        if simplified.is_nonnegative:
            steps.append(Step("every factor is non-negative under the symbols' assumptions", simplified))
            return True, steps, ""
        # (sympy's simplification may write real factors with I, erf(I z) for erfi z: the claim's own
        # form is tried first.)
        signed = _signs_in_the_open_box(claim.expr, claim, ctx) or _signs_in_the_open_box(simplified, claim, ctx)
        if signed is not None:
            steps.append(Step("on the open box (x = l + u, u > 0), with the sign of every constant factor "
                              "from its enclosure, every factor is non-negative", signed))
            return True, steps, ""
        for surface, side in claim.region:
            if side == 0 or not isinstance(surface, Surface):
                continue
            # A claim that vanishes on its region's boundary: expr = phi * ratio
            # with phi of known sign there (sigma = e^{-y}(1 - A e^y) on A e^y < 1).
            with ctx.budget.step("divide by the region's boundary"):
                ratio = sp.factor_terms(sp.cancel(sp.together(simplified / surface.phi)))
            if (side < 0 and ratio.is_nonpositive) or (side > 0 and ratio.is_nonnegative):
                steps.append(Step(f"write it as ({surface.phi}) times a factor of sign {'-' if side < 0 else '+'}"
                                  f" (the region has {surface.phi} {'<' if side < 0 else '>'} 0)", ratio))
                return True, steps, ""
        for sub in _sign_substitutions(claim):
            if not sub:
                continue
            with ctx.budget.step("sign analysis"):
                moved = sp.factor_terms(sp.together(sp.expand(simplified.xreplace(sub))))
                num, den = sp.fraction(moved)
                num, den = sp.expand(num), sp.expand(den)
                ok = (num.is_nonnegative and den.is_positive) or (num.is_nonpositive and den.is_negative)
            if ok:
                (var, value), = sub.items()
                steps.append(Step(f"substitute {var} = {value} (the region's bound) and read off signs",
                                  num / den))
                return True, steps, ""
    except BudgetExceeded as exceeded:
        return None, [], str(exceeded)
    return None, steps, "sign not decided symbolically"


_zero_by_relations = _by_known_relations(_plain_zero)
_nonneg_by_relations = _by_known_relations(_plain_nonneg)


def _prove_zero(claim: Claim, ctx: DecisionContext):
    """An identity: symbolically as stated, else with the constants' values and equations."""
    proved, steps, note = _plain_zero(claim, ctx)
    return (proved, steps, note) if proved else _zero_by_relations(claim, ctx)


# --------------------------------------------------------------------------- numeric
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


def _decide_numeric(claim: Claim, ctx: DecisionContext, steps, note, limit: int | None = None) -> Evidence:
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


def _decide_bounded(claim: Claim, ctx: DecisionContext) -> Evidence:
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


# --------------------------------------------------------------------------- entry point
def _prove_bounded(claim: Claim, ctx: DecisionContext):
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
            proved, found = prove_bounded_piece(one, variable, lower, upper, ctx.budget)
            if not proved and ctx.balls.ok:
                proved, found = bounded_by_monotone_quotients(one, variable, lower, upper, ctx.balls.values,
                                                              ctx.dps + 10)
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
    for order in range(1, TOUCHING_ORDERS + 1):
        at_end = replace(claim, kind=ClaimKind.ZERO, expr=derivative.xreplace({variable: upper}), intervals=())
        vanishes, found, _ = _prove_zero(at_end, ctx)
        if not vanishes:
            return None
        end_steps += found
        try:
            with ctx.budget.step("derivative of the claim"):
                derivative = sp.diff(derivative, variable)
        except BudgetExceeded:
            return None
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
        proved, found = _prove_bounded(claim, ctx)
        if proved:
            return Evidence(claim, Status.PROVED, "symbolic: continuous pieces with finite limits at their ends",
                            steps=tuple(found), dps=ctx.dps)
        return replace(_decide_bounded(claim, ctx), note=f"not proved symbolically ({found})")
    steps, note = [], ""
    claim = _constant_conditions_decided(claim, ctx)
    if claim.expr == 0:
        return Evidence(claim, Status.PROVED, "symbolic: identically 0", steps=(Step("identically", sp.S.Zero),))
    plain, with_relations = ((_plain_zero, _zero_by_relations) if claim.kind is ClaimKind.ZERO
                             else (_plain_nonneg, _nonneg_by_relations))
    if ctx.symbolic:
        proved, steps, note = plain(claim, ctx)
        if proved:
            return _spot_checked(claim, ctx, steps)
    # The numeric search comes before the costlier proofs: a wrong claim is refuted in a second
    # instead of exhausting the budgets of proofs that cannot succeed.
    numeric = _numeric_evidence(claim, ctx, steps, note)
    if numeric.status is Status.REFUTED or not ctx.symbolic:
        return numeric
    proved, relation_steps, _ = with_relations(claim, ctx)
    if proved:
        return _spot_checked(claim, ctx, relation_steps)
    enclosed = _by_enclosure(claim, ctx, steps)
    if enclosed is None and numeric.status is Status.CONFIRMED:
        enclosed = _touching_an_end(claim, ctx, steps)
    return enclosed if enclosed is not None else numeric


def _spot_checked(claim: Claim, ctx: DecisionContext, steps) -> Evidence:
    """A symbolic proof, spot-checked numerically: a disagreement would mean a bug in irmd's own
    pipeline, which must never pass silently."""
    spot = _decide_numeric(claim, ctx, steps, "", limit=SPOT_CHECK_POINTS)
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
        evidence = _decide_numeric(replace(claim, expr=remainder), ctx, steps, note)
        if evidence.points:
            return replace(evidence, claim=claim)
    return _decide_numeric(claim, ctx, steps, note)
