"""Dual reductions of 002: Theorem 1/Prop. 1/Cor. 1 and Theorem 2/Prop. 2, with negative controls.

The negative controls are the three easy mistakes named in the issue: a chain built from the
transpose of alpha, a flipped sign of the C term, and sigma(x_i - 1) instead of sigma(x_i + 1).
Each must break the inequality that the correct construction satisfies.
"""
import numpy as np
import pytest

from irmd.status import Status
from irmd.verify.finite import (
    InformationTables,
    PayoffTables,
    first_price_auction,
    guarantee,
    potential,
    reduce_information,
    reduce_mechanism,
)
from irmd.verify.finite.information_reduction import (
    expected_highest,
    informational_virtual_objective,
    pooled_distribution,
    pooled_kernel,
    signal_chains,
)
from irmd.verify.finite.mechanism_reduction import (
    expected_lowest,
    level_mixtures,
    reduced_tables,
    strategic_virtual_objective,
    transition_matrices,
)
from irmd.verify.finite.random_instances import random_environment, random_information, random_mechanism

MECHANISM_SEEDS = [0, 2, 3, 5, 6, 7, 10, 11]
INFORMATION_SEEDS = list(range(10))


def fpa(n=10):
    env, mechanism = first_price_auction(n)
    return env, mechanism, guarantee(env, mechanism)


# -- Theorem 1 / Proposition 1 -------------------------------------------------------------

@pytest.mark.parametrize("seed", MECHANISM_SEEDS)
def test_theorem1_on_random_mechanisms(seed):
    env = random_environment(seed)
    mechanism = random_mechanism(seed, env)
    reference = guarantee(env, mechanism)
    for k in (1, 3, 12):
        r = reduce_mechanism(env, mechanism, k, reference=reference)
        assert r.theorem is Status.CONFIRMED, r.message       # lambda*(x, t) >= v(t) on the box
        assert r.weak_duality is Status.CONFIRMED             # bound <= G(truncated mechanism)
        assert r.bound <= float(r.own_guarantee.value) + 1e-7
        # the truncated mechanism keeps action 0 secure and its lotteries are lotteries
        np.testing.assert_allclose(r.lotteries.sum(axis=-1), 1, atol=1e-9)


def test_theorem1_epsilon_vanishes_on_fpa():
    env, mechanism, reference = fpa(10)
    eps = [reduce_mechanism(env, mechanism, k, reference=reference, own_guarantee=False).epsilon for k in (1, 2, 5, 40)]
    assert eps[0] > 0.05                                  # a short chain loses a lot
    assert abs(eps[-1]) < 1e-9                            # Proposition 1: eps_k -> 0
    r = reduce_mechanism(env, mechanism, 5, reference=reference)
    assert r.status is Status.CONFIRMED
    assert float(r.own_guarantee.value) >= r.bound - 1e-9 >= float(reference.value) - 1e-6


@pytest.mark.parametrize("rule", ["agent", "common", "paper"])
def test_every_rule_for_C_is_valid(rule):
    env, mechanism, reference = fpa(6)
    r = reduce_mechanism(env, mechanism, 30, reference=reference, rule=rule)
    assert r.theorem is Status.CONFIRMED
    if rule == "common":
        assert r.C[0] == r.C[1]


def test_per_agent_constants_mix_faster_than_paper_constant():
    env, mechanism, reference = fpa(10)
    fast = reduce_mechanism(env, mechanism, 5, reference=reference, own_guarantee=False)
    slow = reduce_mechanism(env, mechanism, 5, reference=reference, own_guarantee=False, rule="paper")
    assert fast.epsilon < slow.epsilon


def _bound_with(tables, matrices, C, k):
    mixtures = [level_mixtures(P, k + 1) for P in matrices]
    U, W = reduced_tables(tables.U, tables.W, mixtures)
    return expected_lowest(strategic_virtual_objective(U, W, C), tables.mu)


def _transposed(alpha):
    chains = []
    for a in alpha:
        t = np.asarray(a, dtype=float).T.copy()
        rows = t.sum(axis=1, keepdims=True)
        t = np.where(rows > 0, t / np.where(rows > 0, rows, 1), 0)
        t[np.flatnonzero(rows[:, 0] == 0), np.flatnonzero(rows[:, 0] == 0)] = 1.0
        chains.append(t)
    return chains


def _pointwise_gap(tables, matrices, C, k, v):
    """max over states of v(t) - min over {0..k}^N of the untruncated lambda(x, t)."""
    mixtures = [level_mixtures(P, k + 2) for P in matrices]
    U, W = reduced_tables(tables.U, tables.W, mixtures)
    box = tuple(slice(0, k + 1) for _ in matrices)
    svo = strategic_virtual_objective(U, W, C)[box]
    return float(np.max(np.asarray(v, dtype=float) - svo.reshape(-1, svo.shape[-1]).min(axis=0)))


def test_theorem1_negative_controls_on_fpa():
    env, mechanism, reference = fpa(10)
    tables = PayoffTables.of(env, mechanism)
    matrices, C = transition_matrices(reference.alpha)
    value = float(reference.value)
    assert _bound_with(tables, matrices, C, 40) >= value - 1e-9           # the correct chain
    assert _bound_with(tables, _transposed(reference.alpha), C, 40) < value - 1e-3   # chain from alpha^T
    assert _bound_with(tables, matrices, -C, 40) < value - 1e-3           # flipped sign of the C term
    assert _pointwise_gap(tables, matrices, C, 40, reference.v) <= 1e-9
    assert _pointwise_gap(tables, _transposed(reference.alpha), C, 40, reference.v) > 1e-3
    assert _pointwise_gap(tables, matrices, -C, 40, reference.v) > 1e-3


# random instances with non-trivial multipliers, for each control
FLIP_SEEDS = [2, 3, 5, 7, 11]
TRANSPOSE_SEEDS = [4, 6, 8, 9, 13]


@pytest.mark.parametrize("seed, control",
                         [(s, "flip") for s in FLIP_SEEDS] + [(s, "transpose") for s in TRANSPOSE_SEEDS])
def test_theorem1_negative_controls_on_random_mechanisms(seed, control):
    env = random_environment(seed)
    mechanism = random_mechanism(seed, env)
    reference = guarantee(env, mechanism)
    tables = PayoffTables.of(env, mechanism)
    matrices, C = transition_matrices(reference.alpha)
    assert _pointwise_gap(tables, matrices, C, 30, reference.v) <= 1e-9   # Theorem 1, pointwise
    if control == "flip":
        assert _pointwise_gap(tables, matrices, -C, 30, reference.v) > 1e-3
    else:
        assert _pointwise_gap(tables, _transposed(reference.alpha), C, 30, reference.v) > 1e-3


# -- Corollary 1 ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", MECHANISM_SEEDS[:5])
def test_corollary1_two_actions(seed):
    env = random_environment(seed)
    mechanism = random_mechanism(seed, env)
    r = reduce_mechanism(env, mechanism, 4, coarse=True)
    assert r.theorem is Status.CONFIRMED, r.message
    assert r.two_action_gap <= 1e-12                       # every positive level plays level 1
    assert r.bound >= float(r.reference.value) - 1e-9       # >= coarse guarantee


def test_corollary1_common_constant_is_not_two_action():
    env, mechanism = first_price_auction(6)
    reference = guarantee(env, mechanism, coarse=True)
    if sum(float(np.sum(a) > 0) for a in reference.alpha) >= 2:
        r = reduce_mechanism(env, mechanism, 4, coarse=True, rule="paper", reference=reference)
        assert r.two_action_gap > 1e-6


# -- Theorem 2 / Proposition 2 -------------------------------------------------------------

@pytest.mark.parametrize("seed", INFORMATION_SEEDS)
def test_theorem2_on_random_information(seed):
    env = random_environment(seed)
    information = random_information(seed, env)
    reference = potential(env, information)
    results = [reduce_information(env, information, K, reference=reference) for K in (1, 4, 16, 60)]
    values = [r.pooled_value for r in results]
    # pooling coarsens: T_K is non-decreasing in K and never above P(I) (it is below the full sum)
    assert all(a <= b + 1e-9 for a, b in zip(values, values[1:]))
    assert all(v <= float(reference.value) + 1e-7 for v in values)
    assert all(r.pointwise_violation <= 1e-7 for r in results)
    assert all(r.theorem is not Status.REFUTED for r in results)
    assert results[-1].theorem is Status.CONFIRMED, results[-1].message   # the tail bound decides at K = 60
    tails = [r.tail_bound for r in results]
    assert tails[-1] <= tails[0]


def test_pooled_cell_equals_sum_over_the_cell():
    # psi of the pool {>= K} u {inf} equals the sum of psi over the finer pooled structure's cells
    env = random_environment(1)
    information = random_information(1, env)
    reference = potential(env, information)
    tables = InformationTables.of(env, information)
    chains, exits, C = signal_chains(reference.alpha, reference.beta)

    def psi(K):
        kernels = [pooled_kernel(Q, b, K) for Q, b in zip(chains, exits)]
        ups = [pooled_kernel(Q, b, K, +1) for Q, b in zip(chains, exits)]
        sl = pooled_distribution(tables.sigma, kernels)
        sh = [pooled_distribution(tables.sigma, kernels[:i] + [ups[i]] + kernels[i + 1:]) for i in range(2)]
        return informational_virtual_objective(sl, sh, tables.u, tables.w, C)

    coarse, fine = psi(3), psi(5)
    np.testing.assert_allclose(coarse[:3, :3], fine[:3, :3], atol=1e-12)
    np.testing.assert_allclose(coarse[3, 3], fine[3:, 3:].sum(axis=(0, 1)), atol=1e-12)
    np.testing.assert_allclose(coarse[:3, 3], fine[:3, 3:].sum(axis=1), atol=1e-12)


def _pooled_value(tables, chains, exits, C, K, shift=+1):
    kernels = [pooled_kernel(Q, b, K) for Q, b in zip(chains, exits)]
    moved = [pooled_kernel(Q, b, K, shift) for Q, b in zip(chains, exits)]
    sl = pooled_distribution(tables.sigma, kernels)
    sh = [pooled_distribution(tables.sigma, kernels[:i] + [moved[i]] + kernels[i + 1:]) for i in range(len(kernels))]
    return expected_highest(informational_virtual_objective(sl, sh, tables.u, tables.w, C))


def _controls(seed):
    env = random_environment(seed)
    information = random_information(seed, env)
    reference = potential(env, information)
    tables = InformationTables.of(env, information)
    chains, exits, C = signal_chains(reference.alpha, reference.beta)
    return tables, chains, exits, C, float(reference.value)


# seeds whose optimal multipliers are non-trivial (a control needs something to break)
@pytest.mark.parametrize("seed, control", [(s, "flip") for s in (0, 1, 3, 5, 10)]
                         + [(s, "backward") for s in (0, 1, 3, 5, 10)]
                         + [(s, "transpose") for s in (3, 10, 15, 26)])
def test_theorem2_negative_controls(seed, control):
    tables, chains, exits, C, value = _controls(seed)
    assert _pooled_value(tables, chains, exits, C, 40) <= value + 1e-9      # the correct construction
    if control == "flip":
        wrong = _pooled_value(tables, chains, exits, -C, 40)
    elif control == "backward":                                              # sigma(x_i - 1) for sigma(x_i + 1)
        wrong = _pooled_value(tables, chains, exits, C, 40, shift=-1)
    else:                                                                    # chain from alpha^T
        transposed = [(Q.T / np.maximum(Q.T.sum(axis=1, keepdims=True), 1e-300)) * (1 - b)[:, None]
                      for Q, b in zip(chains, exits)]
        wrong = _pooled_value(tables, transposed, exits, C, 40)
    # the pooled value is a lower bound of the full sum, so exceeding P(I) refutes the construction
    assert wrong > value + 1e-3


def test_reduction_to_dict_is_json_ready():
    import json

    env = random_environment(0)
    r = reduce_information(env, random_information(0, env), 10)
    d = r.to_dict()
    json.dumps(d)
    assert d["reduced_information"]["levels"][-1] == ">=10|inf"
    m = reduce_mechanism(*fpa(5)[:2], 3).to_dict()
    json.dumps(m)
    assert m["checks"]["Theorem 1"]["status"] == "confirmed"


# -- random shapes (hypothesis) ------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), actions=st.sampled_from([(2, 2), (3, 2), (2, 3, 2), (4,)]))
def test_hypothesis_theorem1(seed, actions):
    env = random_environment(seed, agents=len(actions), outcomes=4, states=2)
    mechanism = random_mechanism(seed, env, actions=actions)
    r = reduce_mechanism(env, mechanism, 6)
    assert r.theorem is Status.CONFIRMED, r.message
    assert r.weak_duality is Status.CONFIRMED


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), signals=st.sampled_from([(2, 2), (3, 2), (2, 2, 2), (3,)]))
def test_hypothesis_theorem2(seed, signals):
    env = random_environment(seed, agents=len(signals), outcomes=4, states=2)
    information = random_information(seed, env, signals=signals)
    r = reduce_information(env, information, 8)
    assert r.theorem is not Status.REFUTED, r.message
    assert r.pooled_value <= float(r.reference.value) + 1e-7
    assert r.pointwise_violation <= 1e-7
