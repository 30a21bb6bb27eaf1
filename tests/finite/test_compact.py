"""The compact guarantee LPs (cumulative sums, irmd.verify.finite.compact): exactly the values of the direct
symmetric LP, a certificate that is one of the unreduced LP, the structure decided exactly, sizes planned."""
import importlib
from fractions import Fraction

import numpy as np
import pytest

from irmd.status import Status
from irmd.verify.finite import HiGHS, PayoffTables, first_price_auction, guarantee, standard_auction
from irmd.verify.finite.compact import CompactSymmetricGuarantee2LP, affine_sides, compact_sizes
from irmd.verify.finite.random_instances import random_environment, random_mechanism

from .helpers import assert_proved
from .test_symmetric_guarantee import exact_full_lp_holds

guarantee_module = importlib.import_module("irmd.verify.finite.guarantee")   # the module, not the function

RULES = ["first", "all-pay", "mix:1/2,1/4,1/4"]       # the mixture has second-price's slopes


@pytest.mark.parametrize("coarse", [False, True])
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("n", [2, 3, 5, 8])
def test_compact_values_are_exactly_the_direct_ones(rule, n, coarse):
    env, mechanism = standard_auction(rule, n, 2, Fraction(3, 5))
    direct = guarantee(env, mechanism, coarse=coarse, exact=True, compact=False)
    compact = guarantee(env, mechanism, coarse=coarse, exact=True, compact=True)
    assert_proved(direct)
    assert_proved(compact)
    assert compact.value == direct.value
    assert compact.sizes["variables"] > direct.sizes["variables"]        # the auxiliary sums are there
    # the compact certificate, restricted to sigma, v and alpha, is an exact optimal pair of the unreduced LP
    exact_full_lp_holds(env, mechanism, compact, coarse)


def test_first_price_values_and_three_bidders_coarse():
    for n, value, coarse_value in ((5, Fraction(3, 50), Fraction(1, 30)), (8, Fraction(27, 328), Fraction(1, 24))):
        env, mechanism = first_price_auction(n)
        assert guarantee(env, mechanism, exact=True, compact=True).value == value
        assert guarantee(env, mechanism, coarse=True, exact=True, compact=True).value == coarse_value
    # Gc's compact form is written for any number of agents (the others' marginal over multisets)
    for rule in ("first", "all-pay"):
        env, mechanism = standard_auction(rule, 3, 3)
        direct = guarantee(env, mechanism, coarse=True, exact=True, compact=False)
        compact = guarantee(env, mechanism, coarse=True, exact=True, compact=True)
        assert_proved(compact)
        assert compact.value == direct.value
        exact_full_lp_holds(env, mechanism, compact, True)
        with pytest.raises(ValueError, match="compact=True"):
            guarantee(env, mechanism, compact=True)                    # G of three bidders: not written


@pytest.mark.parametrize("coarse", [False, True])
def test_float_values_agree_at_a_larger_grid(coarse):
    env, mechanism = first_price_auction(40)
    direct = guarantee(env, mechanism, coarse=coarse, compact=False)
    compact = guarantee(env, mechanism, coarse=coarse, compact=True)
    assert str(compact.status) == "confirmed"
    assert compact.sizes["nonzeros"] < direct.sizes["nonzeros"] / 2
    assert float(compact.value) == pytest.approx(float(direct.value), abs=1e-9)
    assert (compact.lam.reshape(-1, 2) >= compact.v - 1e-7).all()


def test_structure_is_decided_exactly():
    for rule in ("first", "second", "all-pay", "mix:1/2,1/4,1/4", "mix:0,1/2,1/2"):
        env, mechanism = standard_auction(rule, 6)
        structure = affine_sides(mechanism.utilities(env).numerators[0])
        assert structure is not None
        assert structure[0] == (rule != "first" and rule != "all-pay")    # slopes: the second-price part pays c
    # a payoff that is not affine below the diagonal (quadratic in the opponent's action)
    values = np.array([[[c * c] for c in range(5)] for _ in range(5)], dtype=object)
    assert affine_sides(values) is None
    assert affine_sides(values * 0) == (False, False)
    # an asymmetric mechanism has no symmetric LP to write compactly: the default solves the full LP
    env = random_environment(5, agents=2, outcomes=3, states=2)
    mechanism = random_mechanism(5, env, actions=(4, 4))
    assert guarantee(env, mechanism).sizes == guarantee(env, mechanism, compact=False).sizes
    with pytest.raises(ValueError, match="compact=True"):
        guarantee(env, mechanism, compact=True)


def test_default_uses_the_compact_lp_for_gc_and_for_large_g(monkeypatch):
    env, mechanism = first_price_auction(5)
    g, gc = guarantee(env, mechanism, exact=True), guarantee(env, mechanism, coarse=True, exact=True)
    direct = guarantee(env, mechanism, exact=True, compact=False)
    assert g.sizes == direct.sizes and g.value == Fraction(3, 50)           # G: direct rows below the threshold
    assert gc.sizes == guarantee(env, mechanism, coarse=True, compact=True).sizes and gc.value == Fraction(1, 30)
    monkeypatch.setattr(guarantee_module, "DIRECT_NONZEROS", 10)
    named = guarantee(env, mechanism, exact=True, solver=HiGHS("simplex"))
    assert named.sizes["variables"] > direct.sizes["variables"] and named.value == Fraction(3, 50)


def test_large_compact_g_goes_to_the_interior_point_unless_a_method_is_named(monkeypatch):
    env, mechanism = first_price_auction(5)
    monkeypatch.setattr(guarantee_module, "DIRECT_NONZEROS", 10)
    large = guarantee(env, mechanism, solver=HiGHS(time_limit=60))
    assert large.solution.solver == "highs-ipm" and large.status is Status.CONFIRMED
    assert abs(float(large.value) - 3 / 50) < 1e-7
    # no basis to reconstruct from: nothing exact is built, and nothing is claimed proved
    unproved = guarantee(env, mechanism, exact=True)
    assert unproved.status is Status.CONFIRMED and not isinstance(unproved.value, Fraction)
    assert unproved.exact.status is Status.INCONCLUSIVE and "returned no basis" in unproved.exact.message
    assert guarantee(env, mechanism, coarse=True).solution.solver == "highs-simplex"     # Gc: not large
    assert guarantee(env, mechanism, solver=HiGHS("simplex")).solution.solver == "highs-simplex"


def test_a_basis_above_the_exact_limit_is_not_reconstructed():
    env, mechanism = first_price_auction(8)
    result = guarantee(env, mechanism, exact=True, max_exact_dimension=5)
    assert result.status is Status.CONFIRMED
    assert result.exact is not None and result.exact.status is Status.INCONCLUSIVE
    assert "not attempted" in result.message and "not certified" in result.exact.message
    assert not isinstance(result.value, Fraction)


# G of three bidders has no compact form: only Gc is sized for them.
@pytest.mark.parametrize("rule, n, agents, coarse", [("first", 7, 2, False), ("first", 7, 2, True),
                                                     ("mix:1/2,1/4,1/4", 6, 2, False), ("mix:1/2,1/4,1/4", 6, 2, True),
                                                     ("all-pay", 4, 3, True)])
def test_sizes_bound_the_lps_built(rule, n, agents, coarse):
    env, mechanism = standard_auction(rule, n, agents)
    structure = True if coarse else affine_sides(mechanism.utilities(env).numerators[0])
    lp, _ = CompactSymmetricGuarantee2LP(coarse, structure).apply(PayoffTables.of(env, mechanism))
    planned = compact_sizes(n + 1, agents, 2, coarse)
    assert lp.nnz <= planned["nonzeros"]
    assert lp.n_rows <= planned["rows"] and lp.n_cols <= planned["columns"]
    assert lp.is_canonical
