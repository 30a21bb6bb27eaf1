"""What the verifier remembers within a run or for exact inputs gives exactly what computing it again
gives, is keyed on the exact inputs only, and never outlives a spent budget."""
import time

import mpmath
import pytest
import sympy as sp
from flint import arb, ctx

import irmd.verify.claims.symbolic as symbolic
from irmd.analytic.constants import Constant, mpmath_function
from irmd.budget import Budget
from irmd.errors import BudgetExceeded
from irmd.status import Status
from irmd.verify.claims import Claim, ClaimKind, DecisionContext, decide, simplify_steps
from irmd.verify.enclosure import arb_function, prove_on_box
from irmd.verify.enclosure.centred import gradient
from irmd.verify.sampling import Box

y = sp.Symbol("y", real=True, nonnegative=True)
c = sp.Symbol("c", positive=True)


def _context(budget=None):
    with mpmath.workdps(50):
        values = {c: mpmath.sqrt(2)}
    return DecisionContext(30, values, budget or Budget(20, 10), True, guard=20,
                           escalate=lambda d: {c: mpmath.sqrt(2)},
                           constants=(Constant(c, equation=c**2 - 2, bracket=(1, 2)),))


def _same_ball(a: arb, b: arb) -> bool:
    return a.mid() == b.mid() and a.rad() == b.rad()


def _spent_budget():
    budget = Budget(0.01, 0.01)
    time.sleep(0.02)
    assert budget.remaining() == 0
    return budget


# -- simplification, remembered per run ---------------------------------------------------------

def test_remembered_simplification_is_the_computed_one(monkeypatch):
    expr = sp.exp(y) * sp.exp(-y) * (1 + y) ** 2 - y**2 - 2 * y - 1
    fresh, fresh_steps = simplify_steps(expr, Budget(20, 10))
    memo = {}
    first, first_steps = simplify_steps(expr, Budget(20, 10), memo)
    calls = []
    monkeypatch.setattr(symbolic.sp, "simplify", lambda e: calls.append(e) or e)
    monkeypatch.setattr(symbolic.sp, "expand", lambda e: calls.append(e) or e)
    second, second_steps = simplify_steps(expr, Budget(20, 10), memo)
    assert calls == []                                    # nothing recomputed
    assert fresh == first == second == 0
    assert [(s.description, s.expr) for s in fresh_steps] == [(s.description, s.expr) for s in second_steps]
    second_steps.append("changed by a caller")            # a caller's list is its own
    assert len(simplify_steps(expr, Budget(20, 10), memo)[1]) == len(fresh_steps)


def test_remembered_simplification_is_keyed_on_the_exact_expression():
    memo = {}
    inputs = [sp.Rational(1, 2) * y + 1, sp.Float("0.5", 15) * y + 1, sp.Float("0.5", 30) * y + 1,
              sp.Float("0.1", 15) * y + 1, sp.Float("0.1", 30) * y + 1]
    for expr in inputs:
        assert simplify_steps(expr, Budget(20, 10), memo)[0] == simplify_steps(expr, Budget(20, 10))[0]
    assert len(memo) == len(inputs)              # 1/2, 0.5 and 0.5 at another precision are three inputs
    for expr in inputs:                          # and each is found again as itself
        assert simplify_steps(expr, Budget(20, 10), memo)[0] == simplify_steps(expr, Budget(20, 10))[0]
    assert len(memo) == len(inputs)


def test_a_spent_budget_stops_a_remembered_simplification():
    memo = {}
    expr = (y + 1) ** 2 - y**2 - 2 * y - 1
    simplify_steps(expr, Budget(20, 10), memo)
    with pytest.raises(BudgetExceeded):
        simplify_steps(expr, _spent_budget(), memo)


def test_solutions_of_an_equation_are_remembered_with_their_failures(monkeypatch):
    ctx = _context()
    equation, atom = sp.exp(c) - 3 * c, sp.exp(c)
    solved = symbolic._solutions(equation, atom, c, ctx)
    assert solved == [3 * c]
    monkeypatch.setattr(symbolic.sp, "solve", lambda *a: pytest.fail("solved again"))
    assert symbolic._solutions(equation, atom, c, ctx) == [3 * c]
    monkeypatch.undo()

    def cannot(*args):
        raise NotImplementedError("no method")
    monkeypatch.setattr(symbolic.sp, "solve", cannot)
    with pytest.raises(NotImplementedError):
        symbolic._solutions(sp.sin(c) - c, sp.sin(c), c, ctx)
    monkeypatch.setattr(symbolic.sp, "solve", lambda *a: pytest.fail("a failure is remembered"))
    with pytest.raises(NotImplementedError):
        symbolic._solutions(sp.sin(c) - c, sp.sin(c), c, ctx)
    ctx.budget = _spent_budget()
    with pytest.raises(BudgetExceeded):
        symbolic._solutions(equation, atom, c, ctx)


def test_decisions_are_the_same_with_what_the_run_remembers():
    """The same claims decided twice in one context (the second time from what it remembers) and
    in fresh contexts: the same statuses, methods and steps."""
    claims = [Claim("one", ClaimKind.ZERO, (y + c) ** 2 - y**2 - 2 * c * y - c**2, Box((y,), (0,))),
              Claim("two", ClaimKind.NONNEG, sp.exp(-y) * (y + c), Box((y,), (0,))),
              Claim("three", ClaimKind.ZERO, c**2 - 2, Box((y,), (0,))),
              Claim("four", ClaimKind.NONNEG, y - 1, Box((y,), (0,)))]
    shared = _context()
    for claim in claims:
        fresh = decide(claim, _context())
        for _ in range(2):
            again = decide(claim, shared)
            assert (again.status, again.method, [(s.description, s.expr) for s in again.steps]) == \
                   (fresh.status, fresh.method, [(s.description, s.expr) for s in fresh.steps])
    assert [decide(k, shared).status for k in claims] == [Status.PROVED, Status.PROVED, Status.CONFIRMED,
                                                          Status.REFUTED]


# -- compiled enclosures, remembered for exact inputs ---------------------------------------------

def test_compiled_functions_are_shared_only_for_the_same_exact_inputs():
    with ctx.workprec(200):
        ball = arb(2).sqrt()
        f = arb_function(sp.exp(-y) * (y + c), (y,), {c: ball})
        assert arb_function(sp.exp(-y) * (y + c), (y,), {c: ball}) is f
        assert arb_function(sp.exp(-y) * (y + c), (y,), {c: arb(2).sqrt() + arb(10) ** -40}) is not f
        assert arb_function(sp.exp(-y) * (y + 2 * c), (y,), {c: ball}) is not f
        assert arb_function(sp.Float("0.1", 15) * y, (y,)) is not arb_function(sp.Float("0.1", 30) * y, (y,))
        point = arb(3) / 7
        assert f(point).overlaps(point.exp() ** -1 * (point + ball))
    with ctx.workprec(100):
        assert arb_function(sp.exp(-y) * (y + c), (y,), {c: ball}) is not f   # another precision


def test_values_at_exact_points_are_the_ones_computed_there():
    expr = -2 * y * sp.exp(-y) * sp.hyper((sp.S.Half,), (sp.Rational(3, 2),), y) + sp.exp(y) / (1 + y)
    with ctx.workprec(256):
        f = arb_function(expr, (y,))
        for point in (arb(0), arb(1) / 4, arb(3), arb(2) ** -70 * 5, arb(1) / 3):
            remembered = f(point)
            again = f(point)
            fresh = arb_function(expr + 0 * c, (y,), {c: arb(1)})(point)   # compiled anew
            direct = (-2 * point * (-point).exp() * point.hypgeom_1f1(arb(1) / 2, arb(3) / 2)
                      + point.exp() / (1 + point))
            assert _same_ball(remembered, again) and _same_ball(remembered, fresh)
            assert remembered.overlaps(direct)
        wide = arb(1).union(arb(2))
        assert f(wide).contains(f(arb(3) / 2))


def test_gradients_are_reused_and_match_the_derivative():
    expr = sp.exp(-y) * y**2
    with ctx.workprec(200):
        first = gradient(expr, (y,), {})
        second = gradient(expr, (y,), {})
        assert [i for i, _ in first] == [0] and first[0][1] is second[0][1]
        x = arb(5) / 4
        assert first[0][1](x).overlaps((2 * x - x**2) * (-x).exp())


def test_proofs_and_refutations_by_enclosure_are_unchanged_when_repeated():
    """A claim that touches zero at its end is not proved with slack 0, one that holds is, one that
    fails is refuted at the same point -- the first time and again from the remembered functions."""
    holds = sp.exp(-y) * sp.hyper((sp.S.Half,), (sp.Rational(3, 2),), y)
    fails = y - sp.Rational(1, 3)
    touches = 1 - y * sp.exp(1 - y)          # >= 0 with equality at y = 1
    outcomes = []
    for _ in range(2):
        proved = prove_on_box("nonneg", holds, (y,), [0], [4], slack=0, tolerance=sp.Rational(1, 10**30),
                              prec=200, max_boxes=2000)
        refuted = prove_on_box("nonneg", fails, (y,), [0], [4], slack=0, tolerance=sp.Rational(1, 10**30),
                               prec=200, max_boxes=2000)
        undecided = prove_on_box("nonneg", touches, (y,), [0], [1], slack=0, tolerance=sp.Rational(1, 10**30),
                                 prec=200, max_boxes=400)
        outcomes.append((proved.status, proved.boxes, refuted.status, refuted.witness, undecided.status,
                         undecided.boxes))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == "proved" and outcomes[0][2] == "refuted" and outcomes[0][4] == "undecided"
    assert outcomes[0][3][y] < sp.Rational(1, 3)


# -- numeric functions ----------------------------------------------------------------------------

def test_lambdified_functions_are_shared_and_evaluate_at_the_callers_precision():
    expr = sp.Rational(1, 3) * y + sp.exp(-y)
    f = mpmath_function(expr, [y])
    assert mpmath_function(expr, [y]) is f
    assert mpmath_function(expr, [y], cse=True) is not f
    assert mpmath_function(sp.Float("0.1", 15) * y, [y]) is not mpmath_function(sp.Float("0.1", 30) * y, [y])
    with mpmath.workdps(60):
        value = f(mpmath.mpf(2))
        assert abs(value - (mpmath.mpf(2) / 3 + mpmath.exp(-2))) < mpmath.mpf(10) ** -58
    with mpmath.workdps(15):
        assert abs(f(mpmath.mpf(2)) - (mpmath.mpf(2) / 3 + mpmath.exp(-2))) < 1e-14
    assert mpmath_function(sp.Integer(3), [])() == 3
