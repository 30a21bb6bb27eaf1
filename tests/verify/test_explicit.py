"""The explicit path (x_1..x_N written out) agrees with the symmetric one.

A user who writes the auction coordinate by coordinate must get the same
verdict and the same bounds as the built-in, which uses the closed-form sums
over agents.
"""
import mpmath
import pytest
import sympy as sp

from irmd.analytic.candidate import make_candidate
from irmd.analytic.environment import Environment, State
from irmd.analytic.information import Information
from irmd.analytic.library import auction
from irmd.analytic.mechanism import Mechanism
from irmd.analytic.outcomes import Interval, Simplex
from irmd.verify import verify

from ..helpers import assert_refuted, assert_verified


def explicit_auction(n, threshold_factor=1):
    theta = auction.theta
    q = [sp.Symbol(f"q_{i}", real=True) for i in range(1, n + 1)]
    t = [sp.Symbol(f"t_{i}", real=True) for i in range(1, n + 1)]
    states = (State.make("0", {theta: 0}), State.make("1", {theta: 1}))
    env = Environment(n, states, (sp.Rational(1, 2),) * 2, (Simplex(tuple(q)),) + tuple(Interval(x) for x in t),
                      tuple(theta * q[i] - t[i] for i in range(n)), sum(t))
    x = env.actions
    total = sum(x)
    built_in = auction.common_value_auction(n, sp.Rational(1, 2))
    threshold = threshold_factor * auction.ybar
    mechanism = Mechanism.make({**{q[i]: x[i] / sp.Max(total, threshold) for i in range(n)},
                                **{t[i]: x[i] / total * auction.T(total) for i in range(n)}})
    value = sp.Min(auction.A * sp.exp(total), 1)
    information = Information.make({"1": sp.exp(-total) * value, "0": sp.exp(-total) * (1 - value)})
    return make_candidate("explicit-auction", env, mechanism, information, built_in.constants, built_in.functions,
                          {"1": auction.L1, "0": auction.L0}, {"N": n}), built_in


@pytest.mark.parametrize("n", [1, 2])
def test_explicit_matches_symmetric(n):
    explicit, built_in = explicit_auction(n)
    a, b = verify(explicit, dps=20), verify(built_in, dps=20)
    assert_verified(a)
    assert a.model == "explicit" and b.model == "symmetric"
    with mpmath.workdps(30):
        assert abs(a.guarantee_lower - b.guarantee_lower) < mpmath.mpf(10) ** -19
        assert abs(a.potential_upper - b.potential_upper) < mpmath.mpf(10) ** -19


def test_explicit_mutant_is_refuted():
    explicit, _ = explicit_auction(2, threshold_factor=sp.Rational(11, 10))
    assert_refuted(verify(explicit, dps=20), "ivo.slackness")
