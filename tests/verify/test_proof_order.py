"""Which proof is tried first changes only the time and the derivation, never the verdict: each
shortcut below is checked to prove what it should and to let nothing false through."""
import importlib

import mpmath
import sympy as sp

from irmd.analytic.constants import Constant
from irmd.budget import Budget
from irmd.status import Status
from irmd.verify.claims import Claim, ClaimKind, decide, simplify_steps
from irmd.verify.claims.symbolic import _positive_series
from irmd.verify.sampling import Box

from .test_claims import c, context, y

decide_module = importlib.import_module("irmd.verify.claims.decide")
HALF, THREE_HALVES, FIVE_HALVES = sp.S.Half, sp.Rational(3, 2), sp.Rational(5, 2)
M = sp.hyper([HALF], [THREE_HALVES], y)          # 1F1(1/2; 3/2; y)
NEIGHBOUR = sp.hyper([THREE_HALVES], [FIVE_HALVES], y)


def nonneg(expr, upper=sp.oo):
    intervals = () if upper is sp.oo else ((0, upper),)
    return Claim("test", ClaimKind.NONNEG, expr, Box((y,), (0,)), intervals=intervals,
                 upper_bounds=() if upper is sp.oo else ((y, upper),))


def test_an_entire_1f1_with_positive_parameters_is_a_positive_factor():
    # The bilateral trade's allocation: positive without simplification or enclosure.
    evidence = decide(nonneg(2 * y * (1 - 1 / (2 * c)) * sp.exp(-y) * M), context())
    assert evidence.status is Status.PROVED
    assert "pFq with positive parameters" in evidence.method and len(evidence.steps) == 1


def test_a_1f1_that_changes_sign_is_not_taken_positive():
    # 1F1(-1/2; 3/2; y) = 1 - y/3 - y^2/30 - ... turns negative near y = 2.6.
    assert not _positive_series(sp.hyper([-HALF], [THREE_HALVES], y))
    evidence = decide(nonneg(sp.hyper([-HALF], [THREE_HALVES], y)), context())
    assert evidence.status is Status.REFUTED


def test_only_entire_series_at_non_negative_points_are_taken_positive():
    u = sp.Symbol("u", positive=True)
    assert _positive_series(M.subs(y, u)) and _positive_series(M.subs(y, u) ** -2)
    assert not _positive_series(sp.hyper([HALF, HALF], [THREE_HALVES], u))   # 2F1: not entire
    assert not _positive_series(sp.hyper([HALF], [THREE_HALVES], -u))
    assert not _positive_series(sp.hyper([HALF], [THREE_HALVES], sp.Symbol("z", real=True)))


def test_neighbouring_1f1s_cancel_by_the_contiguous_relation():
    # lambda - L of bilateral trade: zero through M_{3/2} = (3/2)(e^y - M_{1/2})/y.
    expr = (4 * y * c * NEIGHBOUR - 2 * y * NEIGHBOUR - 6 * c * sp.exp(y) + 6 * c * M + 3 * sp.exp(y) - 3 * M) \
        * sp.exp(-y) / (6 * c)
    result, steps = simplify_steps(expr, Budget(20))
    assert result == 0
    assert "contiguous relation" in steps[-1].description


def test_the_taylor_argument_gives_up_at_once_where_the_claim_is_not_zero_at_its_end(monkeypatch):
    def no_proof(*args, **kwargs):
        raise AssertionError("a vanishing was looked for although the end value is provably non-zero")

    monkeypatch.setattr(decide_module, "prove_zero", no_proof)
    assert decide_module._touching_an_end(nonneg(1 - y / 2, 1), context(), []) is None


def test_the_taylor_argument_still_proves_a_claim_that_touches_zero_at_its_end():
    # f = (1 - y) e^-y M: f(1) = 0 and -f'(1) = e^-1 M(1) > 0; no enclosure reaches 0 with zero slack.
    evidence = decide_module._touching_an_end(nonneg((1 - y) * sp.exp(-y) * M, 1), context(), [])
    assert evidence is not None and evidence.status is Status.PROVED
    # ... and gives up where the derivative has the wrong sign (f negative just inside the end).
    assert decide_module._touching_an_end(nonneg((y - 1) * sp.exp(-y) * M, 1), context(), []) is None


def test_signs_are_read_without_the_ball_of_a_constant_that_has_none():
    # A constant given by an integral has no ball; its symbol's positivity still gives the sign.  A
    # false claim is found by the numeric search, but without A's ball its witness cannot be
    # certified: inconclusive, never proved.
    a = sp.Symbol("A", positive=True)
    integral = sp.Integral(sp.exp(-y), (y, 0, 1))
    constants = (Constant(a, value=integral),)

    def values(dps):
        with mpmath.workdps(dps):
            return {a: 1 - mpmath.exp(-1)}

    ctx = context(values=values(50), constants=constants, escalate=values)
    assert not ctx.balls.ok
    assert decide(nonneg(a * y * sp.exp(y) / (1 + y) ** 3), ctx).status is Status.PROVED
    ctx = context(values=values(50), constants=constants, escalate=values)
    assert decide(nonneg(a * (y - 1) * sp.exp(y)), ctx).status is Status.INCONCLUSIVE
