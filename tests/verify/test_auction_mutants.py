"""Deliberately wrong auction candidates: each must be refuted, never verified,
and the refutation must name the failing check."""
import pytest
import sympy as sp

from irmd.analytic.environment import OWN as s
from irmd.analytic.environment import TOTAL as y
from irmd.analytic.library.auction import L1, A, T, common_value_auction, ybar
from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF
from irmd.errors import CandidateError
from irmd.verify import verify

from ..helpers import assert_refuted

HALF = sp.Rational(1, 2)


def mutants(n):
    value = sp.Min(A * sp.exp(y), 1)
    regular = sp.Piecewise(
        ((n / ybar - L1) * ErlangCDF(n, y) / ErlangPDF(n, y), y <= ybar),
        ((n / ybar * ErlangCDF(n, ybar) - ErlangCDF(n - 1, ybar) + 1 - L1 + L1 * ErlangSF(n, y)
          - ErlangSF(n - 1, y)) / ErlangPDF(n, y), True))
    divergence = sp.Piecewise((n / ybar, y <= ybar), ((n - 1) / y, True))
    return {
        # name: (overrides, checks that must be refuted)
        "ybar off by 1%": (dict(ybar_equation=ErlangCDF(n + 1, ybar / sp.Rational(101, 100)) - HALF),
                           ["information.distribution"]),
        "L_1 off by a constant": (dict(L1=n * ErlangCDF(n, ybar) / ybar + 1 - ErlangCDF(n - 1, ybar)
                                       + sp.Rational(1, 10)), ["mechanism.feasibility"]),
        "density not exponential": (dict(density_1=2 * sp.exp(-2 * y) * value,
                                         density_0=2 * sp.exp(-2 * y) * (1 - value)), ["ivo.transfer_pde"]),
        "v-bar with the wrong A": (dict(A=sp.Rational(11, 10) * sp.exp(-ybar)),
                                   ["information.distribution", "ivo.slackness"]),
        "allocation short of 1 above ybar": (dict(allocation=sp.Rational(9, 10) * s / sp.Max(y, ybar)),
                                             ["ivo.slackness"]),
        "T with the wrong initial condition": (dict(T_initial=sp.Rational(1, 10)), ["svo.transfer_ode"]),
        "T plus a homogeneous solution": (dict(T_closed=regular + sp.Rational(1, 100) / ErlangPDF(n, y)),
                                          ["svo.transfer_ode", "mechanism.feasibility"]),
        "mu does not match the marginal": (dict(prior_1=sp.Rational(6, 10)), ["information.distribution"]),
        "SVO sign flipped in L_0": (dict(L0=L1 + n / ybar), ["svo.slackness"]),
        "declared level L_1 off": (dict(level_1=L1 + sp.Rational(1, 100)), ["svo.slackness"]),
        "threshold of the allocation wrong": (dict(allocation=s / sp.Max(y, sp.Rational(11, 10) * ybar)),
                                              ["ivo.slackness"]),
        "transfer ODE with a sign flipped": (dict(T_ode=sp.Derivative(T(y), y) + (1 - (n - 1) / y) * T(y)
                                                  + L1 - divergence), ["svo.transfer_ode"]),
        "transfer share scaled": (dict(transfer=sp.Rational(11, 10) * s / y * T(y)), ["svo.slackness"]),
        "density of state 0 scaled": (dict(density_0=sp.Rational(11, 10) * sp.exp(-y) * (1 - value)),
                                      ["information.distribution", "ivo.transfer_pde"]),
    }


@pytest.mark.parametrize("n", [1, 2, 4])
@pytest.mark.parametrize("name", list(mutants(2)))
def test_mutant_is_refuted(n, name):
    overrides, failing = mutants(n)[name]
    certificate = verify(common_value_auction(n, HALF, **overrides), dps=20)
    assert_refuted(certificate, *failing)


@pytest.mark.parametrize("name", ["L_1 off by a constant", "threshold of the allocation wrong",
                                  "density not exponential", "ybar off by 1%"])
def test_mutant_is_refuted_on_the_numeric_path(name):
    # N = 60 is beyond symbolic expansion: every claim is decided numerically.
    overrides, failing = mutants(60)[name]
    certificate = verify(common_value_auction(60, HALF, **overrides), dps=20)
    assert_refuted(certificate, *failing)


def test_negative_density_is_bad_input():
    with pytest.raises(CandidateError, match="negative"):
        verify(common_value_auction(2, HALF, density_0=sp.exp(-y) * (HALF - value_of())), dps=20)


def test_negative_density_check_can_fail_on_its_own():
    certificate = verify(common_value_auction(2, HALF, density_0=sp.exp(-y) * (HALF - value_of())), dps=20,
                         reject_negative_density=False)
    assert_refuted(certificate, "information.distribution")


def value_of():
    return sp.Min(A * sp.exp(y), 1)
