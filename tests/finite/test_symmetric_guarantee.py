"""The guarantee LP restricted to symmetric (coarse) BCE: same values as the full LP, and its certificate
mapped back (alpha_i = alpha_0 / N, sigma constant on orbits) is an exact optimal pair of the full LP."""
from fractions import Fraction

import numpy as np
import pytest

from irmd.verify.finite import (
    Guarantee2LP,
    PayoffTables,
    first_price_auction,
    guarantee,
    standard_auction,
    strategic_lagrangian,
)
from irmd.verify.finite.random_instances import random_environment, random_mechanism
from irmd.verify.finite.standard_auctions import auction_sizes
from irmd.verify.finite.symmetry import SymmetricGuarantee2LP, is_symmetric, symmetric_tables

from .helpers import assert_proved

RULES = ["first", "second", "all-pay", "mix:1/2,1/4,1/4", "mix:0,1/2,1/2"]


def exact_full_lp_holds(env, mechanism, result, coarse):
    """sigma is feasible for the unreduced exact LP, (v, alpha) dual feasible for it, and both objectives
    equal the value: checked row by row in Fractions."""
    tables = PayoffTables.of(env, mechanism, exact=True)
    lp, _ = Guarantee2LP(coarse).apply(tables, exact=True)
    x = result.sigma.reshape(-1)
    for r in range(lp.n_rows):
        lo, hi = lp.indptr[r], lp.indptr[r + 1]
        activity = sum((lp.data[k] * x[lp.indices[k]] for k in range(lo, hi)), Fraction(0))
        if r < lp.n_equalities:
            assert activity == lp.row_lower[r]
        else:
            assert activity >= lp.row_lower[r]
    assert all(s >= 0 for s in x)
    assert sum(c * s for c, s in zip(lp.cost, x)) == result.value
    lam = strategic_lagrangian(tables.U, tables.W, result.alpha, coarse)
    for t in range(env.n_states):
        assert min(lam[..., t].reshape(-1)) >= result.v[t]
    assert sum(m * v for m, v in zip(tables.mu, result.v)) == result.value
    assert all(a >= 0 for alpha in result.alpha for a in np.asarray(alpha).reshape(-1))


@pytest.mark.parametrize("coarse", [False, True])
@pytest.mark.parametrize("n, value, coarse_value", [(4, Fraction(0), Fraction(0)),
                                                    (5, Fraction(3, 50), Fraction(1, 30)),
                                                    (6, Fraction(4, 51), Fraction(1, 24)),
                                                    (10, Fraction(159, 2090), Fraction(3, 80))])
def test_fpa_values_are_those_of_the_full_lp(n, value, coarse_value, coarse):
    env, mechanism = first_price_auction(n)
    full = guarantee(env, mechanism, coarse=coarse, exact=True, symmetric=False)
    reduced = guarantee(env, mechanism, coarse=coarse, exact=True, symmetric=True, compact=False)
    assert_proved(full)
    assert_proved(reduced)
    assert full.value == reduced.value == (coarse_value if coarse else value)
    assert reduced.sizes["variables"] < full.sizes["variables"]
    assert reduced.sizes["constraints"] < full.sizes["constraints"]
    exact_full_lp_holds(env, mechanism, reduced, coarse)


@pytest.mark.parametrize("coarse", [False, True])
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("n, bidders", [(5, 2), (3, 3)])
def test_standard_auctions_match_the_full_lp_exactly(rule, n, bidders, coarse):
    env, mechanism = standard_auction(rule, n, bidders, Fraction(3, 5))
    assert symmetric_tables(env, mechanism)
    full = guarantee(env, mechanism, coarse=coarse, exact=True, symmetric=False)
    reduced = guarantee(env, mechanism, coarse=coarse, exact=True, symmetric=True)
    assert_proved(full)
    assert_proved(reduced)
    assert reduced.value == full.value
    exact_full_lp_holds(env, mechanism, reduced, coarse)


@pytest.mark.parametrize("coarse", [False, True])
def test_float_values_agree_at_a_larger_grid(coarse):
    env, mechanism = first_price_auction(30)
    full = guarantee(env, mechanism, coarse=coarse, symmetric=False)
    reduced = guarantee(env, mechanism, coarse=coarse, compact=False)   # symmetric=None: detected
    assert str(reduced.status) == "confirmed"
    assert reduced.sizes["variables"] == 31 * 32 // 2 * 2
    assert float(reduced.value) == pytest.approx(float(full.value), abs=1e-8)
    # lambda (full Lagrangian of the mapped-back alpha) is symmetric and >= v up to the solver's tolerance
    np.testing.assert_allclose(reduced.lam, np.swapaxes(reduced.lam, 0, 1), atol=1e-9)
    assert (reduced.lam.reshape(-1, 2) >= reduced.v - 1e-7).all()


def test_orbit_layout_three_bidders():
    env, mechanism = standard_auction("first", 4, 3)
    lp, inverse = SymmetricGuarantee2LP().apply(PayoffTables.of(env, mechanism))
    assert lp.n_cols == 35 * 2                                     # multisets of 3 bids out of 5, two states
    assert lp.n_rows == 2 + 5 * 4                                  # marginals, agent 0's obedience rows
    assert np.bincount(inverse["orbit_of"]).sum() == 5 ** 3


def test_asymmetric_mechanisms_use_the_full_lp():
    env = random_environment(3, agents=2, outcomes=4, states=2)
    mechanism = random_mechanism(3, env, actions=(3, 3))
    assert not symmetric_tables(env, mechanism)
    with pytest.raises(ValueError, match="not symmetric"):
        guarantee(env, mechanism, symmetric=True)
    auto = guarantee(env, mechanism)
    assert auto.sizes["variables"] == 3 * 3 * 2
    assert not is_symmetric(np.zeros((2, 2, 3, 1)), np.zeros((2, 3, 1)))   # unequal action sets


@pytest.mark.parametrize("rule, n, bidders", [("first", 6, 2), ("all-pay", 4, 3), ("mix:1/2,1/4,1/4", 5, 2)])
def test_size_estimate_bounds_the_lps_built(rule, n, bidders):
    # standard_auctions refuses grids by this estimate before building: it must not undercount
    env, mechanism = standard_auction(rule, n, bidders)
    sizes = auction_sizes(rule, n, bidders)
    for coarse in (False, True):
        built = guarantee(env, mechanism, coarse=coarse).sizes       # the LP guarantee() builds (compact or not)
        assert built["nonzeros"] <= sizes["lp_nonzeros"]
        assert built["constraints"] <= sizes["lp_rows"] and built["variables"] <= sizes["lp_columns"]
