"""Symbolic proofs of claims under a time budget: simplification, known relations, signs."""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from irmd.analytic.expansion import MAX_EXPANSION_BYTES, largest_expansion
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
from irmd.caching import exact_key
from irmd.errors import BudgetExceeded

from ..balls import enclose, precision_bits
from ..regions import Surface
from .model import Claim, DecisionContext, Step


def _expandable(expr: sp.Expr) -> bool:
    return all(f.args[0].is_Integer and int(f.args[0]) <= EXPAND_MAX_ORDER
               for f in expr.atoms(ErlangPDF, ErlangCDF, ErlangSF))


def memo_key(kind: str, *exprs) -> tuple:
    """A key for :attr:`DecisionContext.memo`: the exact sympy inputs (structural equality; a Float
    also by its printed form and precision, so that 2.0 at two precisions are told apart)."""
    return (kind,) + tuple(exact_key(e) for e in exprs)


def _spent(budget: Budget, what: str) -> None:
    """Raise as the first budget step would when the budget is already spent (a remembered result
    must not let a run go on past its budget where computing it would have stopped)."""
    remaining = budget.remaining()
    if remaining is not None and remaining <= 0:
        raise BudgetExceeded(f"{what}: no time left in the budget")


def simplify_steps(expr: sp.Expr, budget: Budget, memo: dict | None = None) -> tuple[sp.Expr, list[Step]]:
    """Normalise ``expr`` step by step; stops at zero or when the budget runs out.

    ``memo`` (a run's :attr:`DecisionContext.memo`) remembers the outcome for this exact
    expression: the steps are deterministic, so a second prover of the same expression gets
    the same steps without recomputing them.  Raises BudgetExceeded if the budget is already spent.
    """
    key = memo_key("simplify", expr) if memo is not None else None
    if key is not None and key in memo:
        current, steps, first_budgeted = memo[key]
        if first_budgeted is not None:
            _spent(budget, first_budgeted)
        return current, list(steps)
    current, steps, first_budgeted = _simplify_steps(expr, budget)
    if key is not None:
        memo[key] = (current, tuple(steps), first_budgeted)
    return current, steps


def _simplify_steps(expr: sp.Expr, budget: Budget):
    """(result, steps, the description of the first step run under the budget, or None)."""
    steps: list[Step] = []
    current = expr
    first_budgeted = None
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
        # Neighbouring 1F1s (derivatives of the allocation) are related by an exact identity that
        # simplify finds only through erf of an imaginary argument, ten times slower.
        (_CONTIGUOUS + ", and cancel", _contiguous_cancelled),
        ("simplify", lambda e: sp.simplify(e)),
    )
    for description, transform in stages:
        if current == 0:
            break
        largest = largest_expansion(current)
        if largest is not None and largest[0] > MAX_EXPANSION_BYTES:
            # Expanding would exhaust memory before any time budget could stop it: the claim is left
            # to the steps that do not expand (and to the numeric evidence, which proves nothing).
            continue
        if first_budgeted is None:
            first_budgeted = description
        with budget.step(description):
            new = transform(current)
        if new != current:
            current = new
            steps.append(Step(description, current))
    return current, steps, first_budgeted


def _contiguous_cancelled(expr: sp.Expr) -> sp.Expr:
    written = contiguous_1f1(expr)
    return expr if written == expr else sp.cancel(sp.together(written))


def _by_known_relations(prover):
    """The prover applied to the claim rewritten with what is known of the constants beyond their
    symbols: the exact values (rational numbers the user gave), and the equation of a root-defined
    constant used to eliminate a function of it (ybar's equation L43(ybar) = L45(ybar) written as
    1F1(...; ybar) = ...).  A proof with constants as free symbols holds for every value; these
    hold for the candidate's values.

    The prover is deterministic in the claim, and its callers have already tried it on the claim
    as stated (``prove_zero`` and ``decide`` try the plain prover first): a rewrite that leaves the
    expression as it is, or gives one already tried here, would fail the same way again and is
    skipped (relations that do not touch the claim's atoms, equations solved for two atoms).
    """
    def attempt(claim: Claim, ctx: DecisionContext):
        tried = {memo_key("claim", claim.expr)}
        for description, rewrite in _known_relations(claim, ctx):
            try:
                substituted = replace(claim, expr=rewrite(claim.expr))
            except BudgetExceeded:
                continue
            key = memo_key("claim", substituted.expr)
            if key in tried:
                continue
            tried.add(key)
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
            # A neighbouring 1F1 that the plain equation does not eliminate stays: its contiguous
            # form goes first.
            forms.insert(0, (contiguous_1f1(constant.equation), contiguous_1f1, "with the contiguous 1F1 relation, "))
        if constant.equation.has(sp.hyper) or claim.expr.has(sp.hyper):
            try:
                expanded = _hyperexpanded(constant.equation, ctx)
                forms.append((expanded, lambda expr: _hyperexpanded(expr, ctx), "with 1F1 in closed form, "))
            except BudgetExceeded:   # the other forms are still worth trying
                pass
        for equation, prepare, how in forms:
            for atom in equation.atoms(sp.Function):
                if not atom.has(constant.symbol):
                    continue
                try:
                    solutions = _solutions(equation, atom, constant.symbol, ctx)
                except (BudgetExceeded, NotImplementedError, ValueError, TypeError):
                    continue
                if len(solutions) == 1 and not solutions[0].has(atom):
                    elimination = {atom: solutions[0]}
                    yield (f"use the equation of {constant.symbol} ({how}{equation} = 0): {atom} = {solutions[0]}",
                           lambda expr, prepare=prepare, elimination=elimination: prepare(expr).xreplace(elimination))


_CONTIGUOUS = ("write each 1F1(alpha + k; alpha + k + 1; y) through 1F1(alpha; alpha + 1; y) = M by the contiguous "
               "relation 1F1(alpha + 1; alpha + 2; y) = (alpha + 1)(e^y - M)/y")


def _hyperexpanded(expr: sp.Expr, ctx: DecisionContext) -> sp.Expr:
    what = "hypergeometric functions in closed form"
    key = memo_key("hyperexpand", expr)
    if key in ctx.memo:
        _spent(ctx.budget, what)
        return ctx.memo[key]
    with ctx.budget.step(what):
        ctx.memo[key] = result = sp.hyperexpand(expr)
    return result


def _solutions(equation: sp.Expr, atom: sp.Expr, symbol: sp.Symbol, ctx: DecisionContext) -> list:
    """``sp.solve(equation, atom)`` under a budget step, once per run for each equation and atom
    (the same constant's equation is solved for every claim that has the constant).  The errors
    sympy raises for an equation it cannot solve are remembered too; a spent budget is not."""
    what = f"solve the equation of {symbol} for {atom}"
    key = memo_key("solve", equation, atom)
    if key not in ctx.memo:
        try:
            with ctx.budget.step(what):
                ctx.memo[key] = (True, sp.solve(equation, atom))
        except (NotImplementedError, ValueError, TypeError) as error:
            ctx.memo[key] = (False, error)
    else:
        _spent(ctx.budget, what)
    solved, outcome = ctx.memo[key]
    if not solved:
        raise outcome
    return list(outcome)


def _symbolic_form_exists(expr: sp.Expr) -> bool:
    return _expandable(expr) or erlang_lowest_order_form(expr) is not None


def plain_zero(claim: Claim, ctx: DecisionContext):
    if not _symbolic_form_exists(claim.expr):
        return None, [], "Erlang functions of orders too far apart to be written through one order"
    try:
        result, steps = simplify_steps(claim.expr, ctx.budget, ctx.memo)
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
    """The sign analysis below, once per run for each expression, variables and lower corner (all it
    depends on besides the run's constants); a step that ran out of its budget is not remembered."""
    key = memo_key("signs in the open box", expr, claim.variables, tuple(claim.box.lower))
    if key in ctx.memo:
        _spent(ctx.budget, "signs of the factors")
        return ctx.memo[key]
    ctx.memo[key] = signed = _signs_of_factors(expr, claim, ctx)
    return signed


def _signs_of_factors(expr: sp.Expr, claim: Claim, ctx: DecisionContext):
    """``expr`` as a product whose every factor has a known sign, or None.

    The variables become l + u with u > 0 (the open box: a continuous claim there holds on its
    closure), and factors of constants alone (a normaliser 1F1(1/2; 3/2; ybar)) get their sign from
    the constants' balls, which sympy's assumptions cannot give.
    """
    shifted = {v: sp.sympify(l) + sp.Dummy(f"u{k}", positive=True)
               for k, (v, l) in enumerate(zip(claim.variables, claim.box.lower))}
    with ctx.budget.step("signs of the factors"):
        num, den = sp.fraction(sp.factor_terms(sp.together(expr.xreplace(shifted))))
    # The balls that were proved, even where another constant's (one given by an integral) was
    # not: a factor of proved constants gets its sign from them, the others keep their symbols'
    # assumptions, which may still settle the sign.
    balls = ctx.balls.values
    dummies = {s for value in shifted.values() for s in value.free_symbols if isinstance(s, sp.Dummy)}

    def with_signs(part):
        factors = []
        for factor in sp.Mul.make_args(part):
            if _positive_series(factor):
                factor = sp.S.One
            elif (balls and factor.free_symbols and not factor.free_symbols & dummies
                  and factor.free_symbols <= set(balls)):
                ball = enclose(factor, balls, precision_bits(ctx.dps))
                factor = sp.S.One if ball > 0 else (sp.S.NegativeOne if ball < 0 else factor)
            factors.append(factor)
        return sp.Mul(*factors)

    num, den = with_signs(num), with_signs(den)
    if (num.is_nonnegative and den.is_positive) or (num.is_nonpositive and den.is_negative):
        return num / den
    return None


def _open_box(expr: sp.Expr) -> str:
    """The sign argument's description (the hypergeometric rule named where it may have been used)."""
    series = " and of every entire pFq with positive parameters at a point >= 0" if expr.has(sp.hyper) else ""
    return ("on the open box (x = l + u, u > 0), with the sign of every constant factor from its enclosure"
            f"{series}, every factor is non-negative")


def _positive_series(factor: sp.Expr) -> bool:
    """A power of pFq(a; b; z) with p <= q (an entire function), every a and b a positive number
    and z >= 0: every term of its series is >= 0 and the first is 1, so it is positive, which
    sympy's assumptions do not know (1F1(1/2; 3/2; y), the allocation's factor in bilateral trade)."""
    base, exponent = factor.as_base_exp()
    if not isinstance(base, sp.hyper) or not exponent.is_real:
        return False
    parameters = tuple(base.ap) + tuple(base.bq)
    return (len(base.ap) <= len(base.bq) and all(a.is_number and a.is_positive for a in parameters)
            and base.argument.is_nonnegative is True)


def plain_nonneg(claim: Claim, ctx: DecisionContext):
    if not _symbolic_form_exists(claim.expr):
        return None, [], "Erlang functions of orders too far apart to be written through one order"
    try:
        if not claim.expr.is_nonnegative:
            # The claim's own form first: where its factors' signs settle it, simplification (a
            # second on a density with a 1F1) would not be part of the argument.
            signed = _signs_in_the_open_box(claim.expr, claim, ctx)
            if signed is not None:
                return True, [Step(_open_box(claim.expr), signed)], ""
        simplified, steps = simplify_steps(claim.expr, ctx.budget, ctx.memo)
        if simplified.is_nonnegative:
            steps.append(Step("every factor is non-negative under the symbols' assumptions", simplified))
            return True, steps, ""
        # (sympy's simplification may write real factors with I, erf(I z) for erfi z: the claim's own
        # form goes first; its analysis above is remembered, so it is not repeated.)
        signed = _signs_in_the_open_box(claim.expr, claim, ctx) or _signs_in_the_open_box(simplified, claim, ctx)
        if signed is not None:
            steps.append(Step(_open_box(claim.expr), signed))
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


zero_by_relations = _by_known_relations(plain_zero)
nonneg_by_relations = _by_known_relations(plain_nonneg)


def at_defined_constants(claim: Claim, ctx: DecisionContext) -> bool:
    """The claim is a value of constants alone, one of them defined by its equation."""
    return (not claim.expr.free_symbols & set(claim.variables)
            and any(c.equation is not None and claim.expr.has(c.symbol) for c in ctx.constants))


def prove_zero(claim: Claim, ctx: DecisionContext):
    """An identity: symbolically as stated, else with the constants' values and equations.

    A value at a constant defined by its equation (a claim at its end ybar) is zero because of that
    equation, hardly ever as an identity in the constant: there the equations are tried first, and
    the plain simplification (which can take a second on a 1F1 and fail) only if they fail.
    """
    if at_defined_constants(claim, ctx):
        proved, steps, note = zero_by_relations(claim, ctx)
        return (proved, steps, note) if proved else plain_zero(claim, ctx)
    proved, steps, note = plain_zero(claim, ctx)
    return (proved, steps, note) if proved else zero_by_relations(claim, ctx)


