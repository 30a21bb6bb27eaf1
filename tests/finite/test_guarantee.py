"""G(M) and Gc(M): exact values, strong duality and brute-force checks of the primal on random instances."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from irmd.verify.finite import HiGHS, PayoffTables, first_price_auction, guarantee, potential, strategic_lagrangian
from irmd.verify.finite.random_instances import random_environment, random_information, random_mechanism

from .helpers import assert_proved, brute_force_coarse_obedience, brute_force_obedience

# (n, G, Gc): proved by the exact certificate
FPA_VALUES = [
    (4, Fraction(0), Fraction(0)),
    (5, Fraction(3, 50), Fraction(1, 30)),
    (6, Fraction(4, 51), Fraction(1, 24)),
    (10, Fraction(159, 2090), Fraction(3, 80)),
]


@pytest.mark.parametrize("n, value, coarse_value", FPA_VALUES)
def test_fpa_guarantee_is_proved_exactly(n, value, coarse_value):
    env, mechanism = first_price_auction(n)
    g = guarantee(env, mechanism, exact=True)
    assert_proved(g)
    assert g.value == value
    gc = guarantee(env, mechanism, coarse=True, exact=True)
    assert_proved(gc)
    assert gc.value == coarse_value
    assert gc.value <= g.value                      # coarse equilibria are more


def test_exact_multipliers_satisfy_the_dual_exactly():
    env, mechanism = first_price_auction(5)
    g = guarantee(env, mechanism, exact=True)
    exact_tables = PayoffTables.of(env, mechanism, exact=True)
    lam = strategic_lagrangian(exact_tables.U, exact_tables.W, g.alpha)
    mu = exact_tables.mu
    lowest = [min(lam[..., t].reshape(-1)) for t in range(2)]
    assert all(isinstance(v, Fraction) for v in g.v)
    assert list(g.v) == lowest                      # v(t) = min_a lambda(a, t)
    assert sum(m * v for m, v in zip(mu, g.v)) == g.value
    assert all(a >= 0 for alpha in g.alpha for a in alpha.reshape(-1))


def test_exact_falls_back_to_confirmed_when_the_basis_is_too_large():
    env, mechanism = first_price_auction(10)
    g = guarantee(env, mechanism, exact=True, max_exact_dimension=5)
    assert str(g.status) == "confirmed"
    # the exact program is not even built for a basis above the limit
    assert "exact reconstruction not attempted" in g.message and "exceeds the exact limit" in g.message
    assert g.exact is not None and str(g.exact.status) == "inconclusive"
    assert g.value == pytest.approx(159 / 2090, abs=1e-9)


def check_guarantee_result(env, mechanism, coarse):
    g = guarantee(env, mechanism, coarse=coarse)
    assert str(g.status) == "confirmed", g.message
    tables = PayoffTables.of(env, mechanism)
    sigma = g.sigma
    # primal, by brute force: a distribution with marginal mu, obedient, with objective = value
    assert sigma.min() >= -1e-9
    np.testing.assert_allclose(sigma.reshape(-1, env.n_states).sum(axis=0), tables.mu, atol=1e-9)
    violation = (brute_force_coarse_obedience if coarse else brute_force_obedience)(tables.U, sigma)
    assert violation <= 1e-7
    assert float((sigma * tables.W).sum()) == pytest.approx(g.value, abs=1e-8)
    # dual: v(t) <= lambda(a, t) everywhere, strong duality sum_t mu(t) v(t) = value
    lam = strategic_lagrangian(tables.U, tables.W, g.alpha, coarse=coarse)
    np.testing.assert_allclose(lam, g.lam, atol=1e-8)
    assert (lam.reshape(-1, env.n_states) >= g.v - 1e-8).all()
    assert float(tables.mu @ g.v) == pytest.approx(g.value, abs=1e-8)
    # complementary slackness: sigma lives where lambda is lowest
    assert float((sigma * (lam - g.v)).sum()) == pytest.approx(0, abs=1e-8)
    return g


@pytest.mark.parametrize("seed", range(8))
def test_random_mechanisms_brute_force(seed):
    env = random_environment(seed, agents=2, outcomes=4, states=2)
    mechanism = random_mechanism(seed, env, actions=(3, 2))
    g = check_guarantee_result(env, mechanism, coarse=False)
    gc = check_guarantee_result(env, mechanism, coarse=True)
    assert gc.value <= g.value + 1e-9


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), agents=st.integers(1, 3), states=st.integers(1, 3))
def test_hypothesis_guarantee_exact_agrees_with_float(seed, agents, states):
    env = random_environment(seed, agents=agents, outcomes=3, states=states)
    mechanism = random_mechanism(seed, env, actions=(2,) * agents)
    g = guarantee(env, mechanism, exact=True)
    assert_proved(g)
    assert float(g.value) == pytest.approx(g.solution.objective, abs=1e-8)
    check_guarantee_result(env, mechanism, coarse=False)


@pytest.mark.parametrize("seed", range(6))
def test_guarantee_never_exceeds_potential(seed):
    # G(M) <= P(I) for every participation-secure M and every I (survey, Section 2)
    env = random_environment(seed)
    g = guarantee(env, random_mechanism(seed, env), exact=True)
    p = potential(env, random_information(seed, env), exact=True)
    assert g.value <= p.value


def test_three_agents_and_three_states():
    env = random_environment(3, agents=3, outcomes=3, states=3)
    mechanism = random_mechanism(3, env, actions=(2, 2, 3))
    check_guarantee_result(env, mechanism, coarse=False)


def test_result_to_dict_is_json_ready():
    import json

    env, mechanism = first_price_auction(5)
    d = guarantee(env, mechanism, exact=True).to_dict()
    json.dumps(d)
    assert d["value"] == "3/50" and d["status"] == "proved"
    assert d["multipliers"]["v"] == ["-6/25", "9/25"]
    assert d["lp"]["status"] == "optimal" and d["exact"]["status"] == "proved"
    assert np.array(d["primal"]["sigma"]).shape == (6, 6, 2)
    float_dict = guarantee(env, mechanism, solver=HiGHS()).to_dict(dps=6)
    assert float_dict["value"] == "0.06" and float_dict["status"] == "confirmed"
