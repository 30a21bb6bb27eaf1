"""Boundedness read off monotone Erlang quotients, and the table antiderivative of y^p e^(k y)."""
import mpmath
import pytest
import sympy as sp

from irmd.analytic.environment import TOTAL
from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF
from irmd.budget import Budget
from irmd.verify.bounded import bounded_by_monotone_quotients
from irmd.verify.bracket import _antiderivative

y = TOTAL
c = sp.Symbol("c", positive=True)
BALLS = {}


@pytest.mark.parametrize("piece, lower, upper", [
    (3 * ErlangSF(10**4, y) / ErlangPDF(10**4, y) - ErlangSF(10**4 - 1, y) / ErlangPDF(10**4, y) + 5, 1, sp.oo),
    (ErlangCDF(7, y) / ErlangPDF(7, y), 0, 40),
    (ErlangCDF(9, y) / ErlangPDF(4, y) - 2 * ErlangSF(2, y) / ErlangPDF(4, y), sp.Rational(1, 3), 40),
])
def test_monotone_quotients_are_bounded(piece, lower, upper):
    proved, how = bounded_by_monotone_quotients(piece, y, lower, upper, BALLS, 30)
    assert proved, how


@pytest.mark.parametrize("piece, lower, upper", [
    # grows like y / N: the numerator's order is above the denominator's
    (ErlangSF(51, y) / ErlangPDF(50, y), 1, sp.oo),
    # ~ 1/y near 0: a decreasing quotient needs a lower end > 0
    (ErlangSF(3, y) / ErlangPDF(4, y), 0, 1),
    # increasing without bound on an unbounded interval
    (ErlangCDF(4, y) / ErlangPDF(4, y), 1, sp.oo),
    # a constant over g_N: grows like e^y / y^(N-1)
    (ErlangSF(5, y) / ErlangPDF(5, y) + sp.Rational(1, 10**30) / ErlangPDF(5, y), 1, sp.oo),
    # not of the form at all
    (sp.log(y) * ErlangSF(5, y) / ErlangPDF(5, y), 1, sp.oo),
])
def test_growing_or_unrecognised_pieces_are_not_proved(piece, lower, upper):
    proved, _ = bounded_by_monotone_quotients(piece, y, lower, upper, BALLS, 30)
    assert not proved


@pytest.mark.parametrize("power", [sp.Rational(-1, 100), sp.Rational(-99, 100), sp.Rational(1, 2), sp.Rational(5, 3)])
@pytest.mark.parametrize("rate", [1, -2])
def test_table_antiderivative_differentiates_back_and_integrates_correctly(power, rate):
    integrand = c * y ** power * sp.exp(rate * y)
    antiderivative, reason = _antiderivative(integrand, Budget(30, 10))
    assert antiderivative is not None, reason
    value = antiderivative.xreplace({y: 2, c: 3}) - sp.limit(antiderivative.xreplace({c: 3}), y, 0, "+")
    with mpmath.workdps(30):
        # term by term: int_0^2 v^(p+j) dv = 2^(p+j+1)/(p+j+1) (quadrature is poor at v^-0.99)
        p = mpmath.mpf(power.p) / power.q
        want = 3 * mpmath.nsum(lambda j: mpmath.mpf(rate) ** j / mpmath.factorial(j) * 2 ** (p + j + 1) / (p + j + 1),
                               [0, mpmath.inf])
        assert abs(sp.N(value, 30) - want) < mpmath.mpf(10) ** -20
