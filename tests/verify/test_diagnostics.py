"""A refutation says what would have to change, with numbers from the failing point."""
import sympy as sp

from irmd.analytic.environment import OWN as s
from irmd.analytic.environment import TOTAL as y
from irmd.analytic.library.auction import L1, A, common_value_auction
from irmd.verify import verify

HALF = sp.Rational(1, 2)


def hint(certificate, name):
    return certificate.check(name).hint


def test_wrong_level_is_diagnosed_as_a_level():
    c = verify(common_value_auction(2, HALF, level_1=L1 + sp.Rational(1, 100)), dps=20)
    text = hint(c, "svo.slackness")
    assert "flat" in text and "-0.01" in text


def test_non_exponential_density_names_the_pde():
    value = sp.Min(A * sp.exp(y), 1)
    c = verify(common_value_auction(2, HALF, density_1=2 * sp.exp(-2 * y) * value,
                                    density_0=2 * sp.exp(-2 * y) * (1 - value)), dps=20)
    text = hint(c, "ivo.transfer_pde")
    assert "exp(-2*y)" in text and "exponential" in text


def test_ivo_slackness_shows_coefficients_and_outcome():
    c = verify(common_value_auction(2, HALF,
                                    allocation=sp.Rational(9, 10) * s / sp.Max(y, sp.Symbol("ybar", positive=True))),
               dps=20)
    text = hint(c, "ivo.slackness")
    assert "coefficients" in text and "q: 0.9" in text


def test_hints_are_in_json_and_summary():
    c = verify(common_value_auction(2, HALF, level_1=L1 + sp.Rational(1, 100)), dps=20)
    data = c.to_dict()
    assert any("hint" in check for check in data["checks"])
    assert "what would have to change" in c.summary()
