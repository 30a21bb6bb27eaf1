"""P(I): exact values, strong duality q = max gamma, brute-force truthtelling and participation."""
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from irmd.verify.finite import InformationTables, informational_lagrangian, load_instance, potential
from irmd.verify.finite.random_instances import random_environment, random_information

from .helpers import assert_proved, brute_force_incentives

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "finite"


def test_binary_signals_example_is_proved():
    instance = load_instance(EXAMPLES / "binary_signals.json")
    p = potential(instance.env, instance.information, exact=True)
    assert_proved(p)
    assert p.value == Fraction(15, 32)
    assert [list(b) for b in p.beta] == [[Fraction(5, 4), Fraction(7, 12)]] * 2
    # exact strong duality: q(s) = max_w gamma(s, w) and sum_s q(s) = P(I)
    assert sum(p.q.reshape(-1)) == p.value
    assert (p.gamma.max(axis=-1) == p.q).all()


@pytest.mark.parametrize("seed", range(10))
def test_random_information_brute_force(seed):
    env = random_environment(seed, agents=2, outcomes=4, states=2)
    information = random_information(seed, env, signals=(2, 3))
    p = potential(env, information)
    assert str(p.status) == "confirmed", p.message
    tables = InformationTables.of(env, information)
    m = p.m
    assert m.min() >= -1e-9
    np.testing.assert_allclose(m.sum(axis=-1), 1, atol=1e-9)
    assert brute_force_incentives(tables.sigma, tables.u, m) <= 1e-7
    welfare = float((np.tensordot(tables.sigma, tables.w, axes=([-1], [1])) * m).sum())
    assert welfare == pytest.approx(p.value, abs=1e-8)
    # dual: q(s) >= gamma(s, w) with equality on the support of m; sum q = value
    gamma = informational_lagrangian(tables.sigma, tables.u, tables.w, p.alpha, p.beta)
    np.testing.assert_allclose(gamma, p.gamma, atol=1e-8)
    assert (p.q[..., None] >= gamma - 1e-8).all()
    assert float(p.q.sum()) == pytest.approx(p.value, abs=1e-8)
    assert float((m * (p.q[..., None] - gamma)).sum()) == pytest.approx(0, abs=1e-8)
    assert all(b.min() >= -1e-9 for b in p.beta) and all(a.min() >= -1e-9 for a in p.alpha)


@pytest.mark.parametrize("seed", range(5))
def test_exact_potential_agrees_with_float(seed):
    env = random_environment(seed, agents=2, outcomes=3, states=2)
    information = random_information(seed, env, signals=(2, 2))
    p = potential(env, information, exact=True)
    assert_proved(p)
    assert float(p.value) == pytest.approx(p.solution.objective, abs=1e-8)
    assert sum(p.q.reshape(-1)) == p.value


def test_no_participating_mechanism_is_inconclusive_not_a_crash():
    # every outcome hurts agent 0 in every state: no individually rational mechanism exists
    from irmd.verify.finite import FiniteEnvironment, FiniteInformation, RationalArray

    env = FiniteEnvironment(RationalArray(np.array([1, 1]), 2), RationalArray(-np.ones((1, 2, 2), dtype=np.int64), 1),
                            RationalArray(np.ones((2, 2), dtype=np.int64), 1))
    information = FiniteInformation(RationalArray(np.array([[1, 1]]), 2)).validate(env)
    p = potential(env, information)
    assert str(p.status) == "inconclusive"
    assert "infeasible" in p.message
    assert p.to_dict()["value"] is None
