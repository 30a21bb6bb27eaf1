"""The common-value auction (survey Section 3.5) verifies, and its value is 1 - G_N(ybar)."""
import mpmath
import pytest
import sympy as sp
from scipy.optimize import brentq
from scipy.special import gammaincc

from irmd.analytic.library import build
from irmd.analytic.library.auction import common_value_auction, ybar
from irmd.analytic.special import ErlangCDF
from irmd.status import Status, Verdict
from irmd.verify import verify

from ..helpers import assert_verified


def independent_value(n, mu1, dps):
    """1 - G_N(ybar) with G_{N+1}(ybar) = mu(0), computed here with mpmath only."""
    # Written with survival functions (1 - G_{N+1}(ybar) = mu(1)), so that mu1 = 1e-20 is not lost in 1 - mu1.
    with mpmath.workdps(dps + 10):
        mu = mpmath.mpf(sp.Rational(mu1).p) / sp.Rational(mu1).q
        guess = brentq(lambda v: gammaincc(n + 1, v) - float(mu), 1e-9, n + 60 * (n + 1) ** 0.5 + 60)
        ybar = mpmath.findroot(lambda v: mpmath.gammainc(n + 1, v, mpmath.inf, regularized=True) - mu, guess)
        return mpmath.gammainc(n, ybar, mpmath.inf, regularized=True)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("mu1", ["1/2", "0.2", "0.85"])
def test_symbolic_range_verifies(n, mu1):
    certificate = verify(build("common-value-auction", {"N": n, "mu1": mu1}), dps=30)
    assert_verified(certificate)
    assert certificate.model == "symmetric"
    expected = independent_value(n, mu1, 30)
    with mpmath.workdps(40):
        assert abs(certificate.guarantee_lower - expected) < mpmath.mpf(10) ** -29
        assert abs(certificate.potential_upper - expected) < mpmath.mpf(10) ** -29


def test_headline_case_at_50_digits():
    certificate = verify(build("common-value-auction", {"N": "2", "mu1": "0.5"}), dps=50)
    assert_verified(certificate)
    expected = independent_value(2, "1/2", 50)
    data = certificate.to_dict()
    assert data["status"] == "verified"
    assert data["guarantee_lower"] == data["potential_upper"] == mpmath.nstr(expected, 50, strip_zeros=False)
    assert data["guarantee_lower"].startswith("0.2534")
    # The symbolic checks are proofs, not just numbers, for small N.
    assert certificate.check("svo.slackness").status.value == "proved"
    assert certificate.check("ivo.transfer_pde").status.value == "proved"
    assert certificate.check("ivo.slackness").status.value == "proved"


@pytest.mark.parametrize("n", [10, 100])
def test_numeric_range_verifies(n):
    certificate = verify(build("common-value-auction", {"N": n, "mu1": "0.5"}), dps=50)
    assert_verified(certificate)
    with mpmath.workdps(60):
        assert abs(certificate.potential_upper - independent_value(n, "1/2", 50)) < mpmath.mpf(10) ** -49


@pytest.mark.parametrize("n", [1000, 10000, 1000000])
def test_large_n_is_proved_through_the_erlang_structure(n):
    # T's boundedness beyond ybar: a sum of Erlang quotients that are monotone by their series.
    certificate = verify(build("common-value-auction", {"N": n, "mu1": "0.5"}), dps=50)
    assert_verified(certificate)
    with mpmath.workdps(60):
        assert abs(certificate.potential_upper - independent_value(n, "1/2", 50)) < mpmath.mpf(10) ** -49


@pytest.mark.parametrize("n", [1000, pytest.param(10000, marks=pytest.mark.slow)])
def test_large_n_with_a_wrong_level_is_not_verified(n):
    # With L_1 off by 10^-30 the constant left over in T's upper piece is c / g_N(y), which grows.
    wrong = n * ErlangCDF(n, ybar) / ybar + 1 - ErlangCDF(n - 1, ybar) + sp.Rational(1, 10**30)
    certificate = verify(common_value_auction(n, "1/2", L1=wrong), dps=50)
    assert certificate.status is not Verdict.VERIFIED, certificate.summary()
    # ... and it is T's boundedness that fails, not some other check
    feasibility = certificate.check("mechanism.feasibility")
    assert feasibility.status in (Status.REFUTED, Status.INCONCLUSIVE), certificate.summary()


def test_precision_does_not_leak_and_is_reported():
    before = mpmath.mp.prec
    certificate = verify(build("common-value-auction", {"N": 1, "mu1": "0.5"}), dps=25)
    assert mpmath.mp.prec == before
    assert certificate.dps == 25
    assert len(certificate.to_dict()["guarantee_lower"].replace("0.", "", 1)) == 25


@pytest.mark.parametrize("mu1, dps", [("1e-20", 50), ("0.999999", 50), ("1/2", 5), ("1/2", 10)])
def test_never_refuted_by_the_precision_chosen(mu1, dps):
    # A value of 3.7e-22 (mu1 = 1e-20) is compared with an absolute tolerance and the quadrature's
    # own error; at 5 or 10 digits far-field rounding is not growth.  The proofs settle both.
    certificate = verify(build("common-value-auction", {"N": 2, "mu1": mu1}), dps=dps)
    assert_verified(certificate)
    with mpmath.workdps(dps + 10):
        assert abs(certificate.potential_upper - independent_value(2, mu1, dps)) < mpmath.mpf(10) ** (1 - dps)
