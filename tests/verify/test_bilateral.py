"""Bilateral trade with proportional prices (survey Section 3.6)."""
import mpmath
import pytest
import sympy as sp

from irmd.analytic.environment import action_symbols
from irmd.analytic.library import build
from irmd.analytic.library.bilateral import bilateral_trade, ybar
from irmd.errors import ParameterError
from irmd.status import Status, Verdict
from irmd.verify import verify
from irmd.verify.discrete import discrete_ivo_sum

from ..helpers import assert_refuted, assert_verified


def independent_value(h, g, dps):
    """min over ybar of the bound (41), g e^y y^(1-h/g) / int_0^y e^z z^(1-h/g) dz, by quadrature.

    No hypergeometric closed form: the singular integrand is made smooth by
    z = u^(1/(1-a)), and the minimiser is where the derivative of the log vanishes,
    which is g (1 - a/y) = bound(y).
    """
    with mpmath.workdps(dps + 15):
        h, g = mpmath.mpf(sp.Rational(h).p) / sp.Rational(h).q, mpmath.mpf(sp.Rational(g).p) / sp.Rational(g).q
        a = h / g - 1
        m = 1 / (1 - a)

        def integral(y):
            return mpmath.quad(lambda u: m * mpmath.exp(u**m), [0, y ** (1 - a)])

        def bound(y):
            return g * mpmath.exp(y) * y ** (-a) / integral(y)

        def gap(y):
            return g * (1 - a / y) - bound(y)

        lo, hi = a + mpmath.mpf("1e-3"), 60 + 10 / a   # gap < 0 at lo, > 0 at hi
        while hi - lo > mpmath.mpf(10) ** (-dps - 10) * hi:
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if gap(mid) < 0 else (lo, mid)
        return bound((lo + hi) / 2)


def _matches_the_independent_value(certificate, h):
    expected = independent_value(h, 1, 50)
    with mpmath.workdps(60):
        assert abs(certificate.guarantee_lower - expected) < mpmath.mpf(10) ** -48
        assert abs(certificate.potential_upper - expected) < mpmath.mpf(10) ** -48
    assert certificate.regime == "interior"
    assert "ybar" in certificate.to_dict()


def test_verified_at_50_digits():
    certificate = verify(build("bilateral-trade", {"h": "1.5", "g": "1"}), dps=50)
    assert_verified(certificate)
    assert certificate.check("bounds.saddle").status is Status.PROVED
    _matches_the_independent_value(certificate, "1.5")


@pytest.mark.parametrize("h", [pytest.param("1.01", marks=pytest.mark.slow), "1.99"])
def test_near_the_ends_of_the_interior_regime_is_verified(h):
    # Exponent h/g - 1 = 1/100 or 99/100: 1F1 has no elementary form; the SVO identity is proved by the
    # contiguous relation and the masses by the table antiderivative y^(p+1)/(p+1) 1F1(p+1; p+2; y).
    certificate = verify(build("bilateral-trade", {"h": h, "g": "1"}), dps=50)
    assert_verified(certificate)
    _matches_the_independent_value(certificate, h)


@pytest.mark.slow
@pytest.mark.parametrize("h", ["1.2", "1.9"])
def test_verified_at_50_digits_more(h):
    certificate = verify(build("bilateral-trade", {"h": h, "g": "1"}), dps=50)
    assert_verified(certificate)
    _matches_the_independent_value(certificate, h)


@pytest.mark.slow
def test_positive_eps_reports_the_bound_and_its_limit():
    certificate = verify(build("bilateral-trade", {"h": "1.5", "g": "1", "eps": "1/10"}), dps=30)
    # The saddle point holds in the limit eps -> 0: numeric evidence of a limit, never a proof.
    assert certificate.status is Verdict.CONFIRMED
    assert certificate.check("bounds.saddle").status is Status.CONFIRMED
    assert "in the limit eps -> 0" in certificate.check("bounds.saddle").detail
    with mpmath.workdps(40):
        assert certificate.potential_upper > certificate.guarantee_lower + mpmath.mpf("0.1")
        assert abs(certificate.potential_limit - certificate.guarantee_lower) < mpmath.mpf(10) ** -29
    data = certificate.to_dict()
    assert "potential_upper_limit" in data and data["potential_upper"] != data["potential_upper_limit"]


@pytest.mark.slow
def test_line_term_matches_the_discrete_ivo():
    # The singular line term is what the discrete IVO (23) sums to on fine grids.
    candidate = bilateral_trade(sp.Rational(3, 2), 1, sp.Rational(1, 2), sp.Rational(1, 10))
    continuum = float(verify(candidate, dps=20, only=("information.distribution", "ivo.transfer_pde",
                                                      "svo.slackness", "svo.jumps", "bounds.saddle")
                             ).potential_upper)
    errors = [abs(discrete_ivo_sum(candidate, k, top=3).total - continuum) for k in (50, 100, 200, 400)]
    assert all(b < a for a, b in zip(errors, errors[1:]))
    assert errors[-1] < 0.01 * continuum
    # Without the line term the continuum bound would be 0: the discrete sums say otherwise.
    assert discrete_ivo_sum(candidate, 400, top=3).total > 0.9 * continuum


def test_zero_regime_is_reported():
    certificate = verify(build("bilateral-trade", {"h": "2.5", "g": "1"}), dps=30)
    assert certificate.regime == "zero"
    # The limit eps -> 0 is extrapolated from five members: confirmed, and it says so.
    assert certificate.status is Verdict.CONFIRMED
    assert "extrapolated" in certificate.check("bounds.saddle").detail
    assert certificate.guarantee_lower == 0 and certificate.potential_limit == 0
    assert certificate.potential_upper > 0  # at eps = 1/100 the bound is still positive
    assert [name for name, _ in certificate.skipped] == ["ivo.slackness"]


def test_h_not_above_g_is_rejected():
    with pytest.raises(ParameterError, match="h > g"):
        build("bilateral-trade", {"h": "1", "g": "1"})


x1, x2 = action_symbols(2)
H, G = sp.Rational(3, 2), sp.Integer(1)
A_ = H / G - 1


def _F(u):
    return u ** (1 - A_) / (1 - A_) * sp.hyper([1 - A_], [2 - A_], u)


def _shifted_equation(factor):
    y = ybar / factor
    return (G - (H - G) / y) - G * sp.exp(y) * y ** (-A_) / _F(y)


MUTANTS = {
    "wrong exponent in rho": (dict(exponent=H / G + sp.Rational(1, 10)), {}, ["ivo.slackness"]),
    "nu = x1/(x1+x2)": (dict(nu_high=x1 / (x1 + x2)), {}, ["ivo.slackness"]),
    "ybar off by 1%": (dict(ybar_equation=_shifted_equation(sp.Rational(101, 100))), {}, ["svo.jumps"]),
    "transfer with g and h swapped": (dict(price=H + (G - H) * x2 / (x1 + x2)), {}, ["mechanism.participation"]),
    "missing truncation": (dict(truncate=False), {}, ["information.distribution"]),
    "L from (43) with the wrong sign": (dict(L=G + (H - G) / ybar), {}, ["svo.slackness"]),
    "mu = 0.6": (dict(), dict(mu=sp.Rational(3, 5)), ["information.distribution"]),
}


@pytest.mark.parametrize("name", list(MUTANTS))
def test_mutant_is_refuted(name):
    overrides, kwargs, failing = MUTANTS[name]
    certificate = verify(bilateral_trade(H, G, **kwargs, **overrides), dps=20)
    assert_refuted(certificate, *failing)


def test_dropping_the_line_term_is_caught():
    certificate = verify(bilateral_trade(H, G), dps=20, include_jump_terms=False)
    assert_refuted(certificate, "bounds.saddle")
    assert "weak duality" in certificate.check("bounds.saddle").detail
