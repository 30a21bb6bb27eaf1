"""Rigorous tail enclosures on [R, oo): each claim is checked against independent values."""
import mpmath
import pytest
import sympy as sp
from flint import arb, ctx

from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF, erlang_cdf, erlang_pdf, erlang_sf
from irmd.errors import ParameterError
from irmd.verify.tails import MAX_ERLANG_ORDER, tail_enclosure, tail_radius_for

y = sp.Symbol("y")
L1, L2, c = sp.symbols("L1 L2 c")
L1_BALL = arb("0.627 +/- 1e-20")
CONSTANTS = {L1: L1_BALL}


def exact(x: arb) -> mpmath.mpf:
    """An exact endpoint (lower()/upper()) as an mpmath number."""
    assert x.is_exact()
    man, exp = x.man_exp()
    with mpmath.workprec(2048):  # mpf() rounds to the working precision
        return mpmath.mpf((int(man), int(exp)))


def bounds(result):
    assert result is not None and not result.grows
    with ctx.workprec(256):  # the call's precision: endpoints rounded at 53 bits would lose digits
        return exact(result.lo.lower()), exact(result.hi.upper())


def assert_contains(result, f, points):
    """The enclosure holds f (an mpmath function) at every sample point
    (f at 100 digits, beyond the enclosure's 256 bits)."""
    lo, hi = bounds(result)
    with mpmath.workdps(100):
        for p in points:
            assert lo <= f(mpmath.mpf(p)) <= hi, p


def test_decaying_exponential_enclosed_by_its_value_at_R():
    result = tail_enclosure(sp.exp(-y) * (1 + y), y, 10, {})
    lo, hi = bounds(result)
    with mpmath.workdps(80):
        assert lo >= 0
        assert hi <= 11 * mpmath.exp(-10) * (1 + mpmath.mpf("1e-60"))
    assert_contains(result, lambda t: mpmath.exp(-t) * (1 + t), [10, 10.5, 13, 40, 300])


def test_tiny_enclosure_far_in_the_tail():
    lo, hi = bounds(tail_enclosure(sp.exp(-y) * y**5, y, 200, {}))
    assert 0 <= lo and hi <= mpmath.mpf("1e-70")


def test_auction_transfer_contains_its_values_and_its_limit():
    result = tail_enclosure((L1 * (1 + y) - 1) / y, y, 1, CONSTANTS)
    for t in [1, 2, 7, 1000, 10**9]:
        value = L1_BALL + (L1_BALL - 1) / t
        assert result.lo.lower() <= value and value <= result.hi.upper()
    assert result.lo.lower() <= L1_BALL <= result.hi.upper()
    lo, hi = bounds(result)
    assert lo > 0.25 and hi < 0.63  # tight: the true range is [2 L1 - 1, L1)


def test_erlang_ratio_contains_mpmath_values():
    expr = (ErlangSF(2, y) * L1 - ErlangSF(1, y)) / ErlangPDF(2, y)
    result = tail_enclosure(expr, y, 1, CONSTANTS)
    level = mpmath.mpf("0.627")
    assert_contains(result, lambda t: (erlang_sf(2, t) * level - erlang_sf(1, t)) / erlang_pdf(2, t),
                    [1, 1.5, 3, 20, 200])
    lo, hi = bounds(result)
    assert lo > 0.25 and hi < 0.63


def test_erlang_cdf_of_order_100_is_one_up_to_1e_60():
    result = tail_enclosure(ErlangCDF(100, y), y, 400, {})
    lo, hi = bounds(result)
    with mpmath.workdps(80):
        assert lo >= 1 - mpmath.mpf("1e-60") and hi <= 1
    assert_contains(result, lambda t: erlang_cdf(100, t), [400, 500])


def test_erlang_beyond_the_expansion_cap_is_not_claimed():
    assert tail_enclosure(ErlangCDF(MAX_ERLANG_ORDER + 1, y), y, 4000, {}) is None


@pytest.mark.parametrize("expr, R", [
    (sp.exp(y) / y**3, 1),
    (sp.log(y), 1),
    (3 * sp.log(y) - 5 + sp.exp(-y), 2),  # c log y + bounded: the bounded part is outgrown
    (y ** sp.Rational(1, 10), 1),
    (y**2 / (y - 5), 10),
    (sp.Abs(1 - y), 2),
])
def test_growth_is_proved(expr, R):
    result = tail_enclosure(expr, y, R, {})
    assert result is not None and result.grows and result.lo is None and result.hi is None


def test_growth_needs_a_coefficient_proved_non_zero():
    assert tail_enclosure(c * sp.log(y) + 1, y, 2, {c: arb("0 +/- 1e-10")}) is None


def test_slowly_decaying_log_ratio_is_bounded_not_growing():
    result = tail_enclosure(sp.log(y) / y, y, 1, {})
    assert_contains(result, lambda t: mpmath.log(t) / t, [1, mpmath.e, 5, 1e6])


def test_pole_free_rational_function():
    lo, hi = bounds(tail_enclosure(1 / (y - 5), y, 10, {}))
    assert lo >= 0 and hi <= mpmath.mpf(1) / 5


def test_piecewise_branch_decided_on_the_whole_tail():
    expr = sp.Piecewise((y, y < 3), (1 / y, True))
    result = tail_enclosure(expr, y, 4, {})
    assert_contains(result, lambda t: 1 / t, [4, 9, 1e5])
    assert bounds(result)[1] <= 0.25
    assert tail_enclosure(expr, y, 2, {}) is None  # the branch changes at 3 > R


def test_min_and_max_resolved_on_the_tail():
    lo, hi = bounds(tail_enclosure(sp.Max(sp.exp(-y), 1 / y), y, 2, {}))
    assert lo >= 0 and hi <= 0.5
    lo, hi = bounds(tail_enclosure(sp.Min(sp.exp(-y), 1 / y), y, 2, {}))
    assert hi <= 1.01 * mpmath.exp(-2)


def test_pole_near_R_is_undecidable():
    assert tail_enclosure(1 / (y - c), y, 10, {c: arb("10 +/- 1e-3")}) is None
    assert tail_enclosure(1 / (y - c), y, 10, {c: arb("5 +/- 1e-3")}) is not None


def test_unsupported_functions_give_none():
    assert tail_enclosure(sp.sin(y), y, 10, {}) is None
    assert tail_enclosure(sp.exp(-y) * sp.sin(y), y, 10, {}) is None
    assert tail_enclosure(sp.log(y + 1), y, 10, {}) is None


@pytest.mark.parametrize("expr, R", [
    (sp.exp(-y) / (1 / (y + 3) + 1 / (y - 3)), 2),  # 0/0 at y = 3: not defined there
    (ErlangCDF(3, y - 5), 2),  # the finite sum is G_3 only where its argument is >= 0
    (1 / (1 - y), 1),
])
def test_points_where_the_expression_is_undefined_give_none(expr, R):
    assert tail_enclosure(expr, y, R, {}) is None


def test_constant_erlang_factors_are_evaluated_with_arb():
    result = tail_enclosure(ErlangCDF(2, c) * sp.exp(-y) + ErlangPDF(3, c), y, 1, {c: arb("1.5 +/- 1e-30")})
    level = mpmath.mpf("1.5")
    assert_contains(result, lambda t: erlang_cdf(2, level) * mpmath.exp(-t) + erlang_pdf(3, level), [1, 2, 50])


def test_rates_that_arb_cannot_order_give_none():
    balls = {L1: arb("1 +/- 1e-10"), L2: arb("1.000000000001 +/- 1e-10")}
    assert tail_enclosure(sp.exp(-L1 * y) - sp.exp(-L2 * y), y, 1, balls) is None
    # The condition holds on the whole tail if L1 <= L2, but the balls also allow L1 = 1 + 1e-10 > L2 = 1,
    # where it fails far out: deciding it would be wrong.
    sign_switch = sp.Piecewise((1, sp.exp(-L1 * y) - sp.exp(-L2 * y) / y > 0), (2, True))
    assert tail_enclosure(sign_switch, y, 2, balls) is None


def test_exact_cancellation_before_ball_arithmetic():
    expr = L1 * sp.exp(-y) + (1 - L1) * sp.exp(-y) - sp.exp(-y)
    lo, hi = bounds(tail_enclosure(expr, y, 1, CONSTANTS))
    assert lo == hi == 0


@pytest.mark.parametrize("expr, f, R", [
    (y ** sp.Rational(3, 2) * sp.exp(-y / 2), lambda t: t**1.5 * mpmath.exp(-t / 2), 1),
    ((y**2 + 1) / (y**2 - 3), lambda t: (t**2 + 1) / (t**2 - 3), 2),
    (ErlangPDF(3, y - 1), lambda t: erlang_pdf(3, t - 1), 3),
    (2 ** (-y) * y + sp.sqrt(y) / (y + 1), lambda t: 2 ** (-t) * t + mpmath.sqrt(t) / (t + 1), 1),
    (ErlangCDF(3, 2 * y) - sp.exp(-y) * sp.log(y), lambda t: erlang_cdf(3, 2 * t) - mpmath.exp(-t) * mpmath.log(t), 2),
])
def test_enclosures_contain_sampled_values(expr, f, R):
    assert_contains(tail_enclosure(expr, y, R, {}), f, [R, R + 0.5, 2 * R + 1, 10 * R + 3, 1e4])


def test_radius_for_a_target():
    R = tail_radius_for(sp.exp(-y) * y**10, y, {}, 1e-40)
    with mpmath.workdps(50):
        assert mpmath.exp(-R) * R**10 < mpmath.mpf("1e-40")
        assert mpmath.exp(-R / 2) * (R / 2) ** 10 > mpmath.mpf("1e-40")  # the smaller 2^k fails
    assert tail_radius_for(sp.log(y), y, {}, 1e-40) is None


def test_precision_is_local_and_bad_input_rejected():
    assert ctx.prec == 53
    tail_enclosure(sp.exp(-y), y, 3, {}, prec=512)
    assert ctx.prec == 53
    with pytest.raises(ParameterError):
        tail_enclosure(sp.exp(-y), y, sp.Rational(1, 2), {})


def test_spent_budget_gives_none():
    assert tail_enclosure(sp.exp(-y), y, 3, {}, budget_seconds=0) is None
