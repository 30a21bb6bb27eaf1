"""A transfer given only by its linear ODE is solved by irmd (integrating factor) and verified."""
import sympy as sp

from irmd.analytic import (
    Candidate,
    Constant,
    DefinedFunction,
    Environment,
    Information,
    Interval,
    Mechanism,
    Simplex,
    State,
)
from irmd.analytic.resolve import resolve
from irmd.budget import Budget
from irmd.verify import verify

from ..helpers import assert_refuted, assert_verified


def one_bidder(initial=0):
    theta = sp.Symbol("theta")
    q, t = sp.symbols("q t", real=True)
    env = Environment(1, (State.make("0", {theta: 0}), State.make("1", {theta: 1})),
                      (sp.Rational(1, 2), sp.Rational(1, 2)), (Simplex((q,)), Interval(t)), (theta * q - t,), t)
    x, = env.actions
    ybar, L1, L0 = sp.Symbol("ybar", positive=True), sp.Symbol("L_1"), sp.Symbol("L_0")
    y = sp.Symbol("y", positive=True)
    T = sp.Function("T")
    divq = sp.Piecewise((1 / ybar, y <= ybar), (0, True))
    v = sp.Min(sp.exp(x - ybar), 1)
    return Candidate(
        "one-bidder-ode", env, Mechanism.make({q: x / sp.Max(x, ybar), t: T(x)}),
        Information.make({"1": sp.exp(-x) * v, "0": sp.exp(-x) * (1 - v)}),
        constants=(Constant(ybar, equation=1 - sp.exp(-ybar) * (1 + ybar) - sp.Rational(1, 2), bracket=(0, 20)),
                   Constant(L1, value=(1 - sp.exp(-ybar)) / ybar), Constant(L0, value=L1 - 1 / ybar)),
        # SVO at theta = 1: T - T' + div q = L_1, with T(0) = 0
        functions=(DefinedFunction(T, y, ode=sp.Derivative(T(y), y) - T(y) + L1 - divq, initial=(0, initial)),),
        svo_levels={"1": L1, "0": L0})


def test_ode_is_solved_in_closed_form():
    candidate = one_bidder()
    resolved = next(iter(resolve(candidate, Budget(60, 30)).functions.values()))
    assert resolved.source == "solved from its ODE"
    ybar = sp.Symbol("ybar", positive=True)
    y = sp.Symbol("y", positive=True)
    above = resolved.closed_form.subs(y, 2 * ybar)
    assert sp.simplify(above - (1 - sp.exp(-ybar)) / ybar) == 0  # T = L_1 above ybar: bounded


def test_ode_only_candidate_verifies():
    assert_verified(verify(one_bidder(), dps=30))


def test_wrong_initial_condition_is_refuted():
    # With T(0) = 1/10 the regular solution is e^y (1/10 + ...): unbounded.
    assert_refuted(verify(one_bidder(initial=sp.Rational(1, 10)), dps=20), "mechanism.feasibility")
