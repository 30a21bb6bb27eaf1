"""Integrals over the plane (N = 2) when boundaries are not functions of x_1 + x_2."""
import mpmath
import pytest
import sympy as sp

from irmd.analytic.environment import action_symbols
from irmd.analytic.library.bilateral import bilateral_trade
from irmd.verify import verify
from irmd.verify.api import _prepare
from irmd.verify.checks.base import RunOptions
from irmd.verify.regions import Surface
from irmd.verify.signal_integrals import integrate_over_signals, surface_integral

x1, x2 = action_symbols(2)


@pytest.fixture(scope="module")
def run():
    return _prepare(bilateral_trade(sp.Rational(3, 2), 1), 20, True, 60, 20, RunOptions())


def test_region_off_the_diagonal(run):
    expr = sp.Piecewise((sp.exp(-x1 - x2), x1 < 2 * x2), (0, True))
    integral = integrate_over_signals(run, expr)
    assert integral.ok and "plane" in integral.method
    with mpmath.workdps(30):
        assert abs(integral.value - mpmath.mpf(2) / 3) < mpmath.mpf(10) ** -18


def test_line_term_on_a_slanted_line(run):
    value, _, method = surface_integral(run, Surface(sp.expand(x1 - 2 * x2)), sp.exp(-x1 - x2))
    assert "quadrature along" in method
    with mpmath.workdps(30):
        assert abs(value - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -18


@pytest.mark.slow
def test_plane_integrals_agree_with_the_reduction_in_bilateral_trade():
    candidate = bilateral_trade(sp.Rational(3, 2), 1, sp.Rational(1, 2), sp.Rational(1, 10))
    checks = ("information.distribution", "ivo.transfer_pde", "svo.slackness", "svo.jumps", "bounds.saddle")
    reduced = verify(candidate, dps=15, only=checks)
    plane = verify(candidate, dps=15, only=checks, plane_integrals=True)
    with mpmath.workdps(20):
        assert abs(reduced.potential_upper - plane.potential_upper) < mpmath.mpf(10) ** -13
