import pytest
import sympy as sp

from irmd.analytic.environment import (
    Environment,
    State,
    SymmetricEnvironment,
    allocation,
    transfers,
)
from irmd.analytic.outcomes import Interval, Simplex
from irmd.errors import CandidateError

theta = sp.Symbol("theta", real=True)


def auction_env(n=2, mu1=sp.Rational(1, 2)):
    states = (State.make("0", {theta: 0}), State.make("1", {theta: 1}))
    q, t = allocation("q"), transfers("t")
    return SymmetricEnvironment(n, states, (1 - mu1, mu1), (q, t), theta * q.symbol - t.symbol, t.symbol)


def test_symmetric_expands_to_explicit():
    env = auction_env(3).expand()
    assert env.agents == 3
    assert isinstance(env.factors[0], Simplex) and len(env.factors[0].coordinates) == 3
    assert all(isinstance(f, Interval) and f.free for f in env.factors[1:])
    U0, U, W0, W = env.coefficient_arrays()
    # u_2 = theta q_2 - t_2 in state theta = 1
    k_q2, k_t2 = env.coordinates.index(sp.Symbol("q_2", real=True)), env.coordinates.index(sp.Symbol("t_2", real=True))
    assert U[1, 1, k_q2] == 1 and U[1, 1, k_t2] == -1 and U[1, 0, k_q2] == 0
    assert W[0].tolist() == [0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize("prior", [(sp.Rational(1, 2), sp.Rational(1, 3)), (sp.Rational(3, 2), -sp.Rational(1, 2))])
def test_bad_prior_is_rejected(prior):
    with pytest.raises(CandidateError):
        auction_env(2).__class__(2, auction_env().states, prior, auction_env().families,
                                 auction_env().utility, auction_env().objective_per_agent)


def test_non_affine_utility_is_rejected():
    q, t = sp.symbols("q t", real=True)
    states = (State.make("0", {theta: 0}), State.make("1", {theta: 1}))
    with pytest.raises(CandidateError, match="not affine"):
        Environment(1, states, (sp.Rational(1, 2),) * 2, (Simplex((q,)), Interval(t)), (theta * q**2 - t,), t)


@pytest.mark.parametrize("n", [0, 2.5, -1])
def test_agents_must_be_positive_integer(n):
    with pytest.raises(CandidateError):
        auction_env(n)
