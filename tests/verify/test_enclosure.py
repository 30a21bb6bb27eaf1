"""Rigorous enclosures (python-flint arb) and the branch and bound built on them."""
import mpmath
import pytest
import sympy as sp
from flint import arb, ctx, fmpq

from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF, erlang_cdf, erlang_pdf, erlang_sf
from irmd.verify.enclosure import (
    Enclosure,
    UnsupportedExpression,
    arb_function,
    count_sign_changes,
    isolate_root,
    prove_on_box,
)

x, y, c = sp.symbols("x y c")
x1, x2 = sp.symbols("x1 x2")


@pytest.fixture(autouse=True)
def _arb_precision_does_not_leak():
    before = ctx.prec
    yield
    assert ctx.prec == before, "arb precision left changed"


def nonneg(expr, variables, lower, upper, **options):
    options.setdefault("slack", 0)
    options.setdefault("tolerance", 0)
    return prove_on_box("nonneg", expr, variables, lower, upper, **options)


def exact_value(expr, witness):
    """The witness's value of expr, evaluated by sympy at 60 digits (independent of arb)."""
    return sp.N(expr.subs(witness), 60)


def ball(lo, hi):
    """[lo, hi] with lo exact (arb.union alone rounds the radius up, past lo)."""
    return arb(0).union(arb(hi) - arb(lo)).nonnegative_part() + arb(lo)


# -- compiling expressions --

def test_enclosures_contain_the_values_and_are_undefined_where_the_expression_is():
    with ctx.workprec(128):
        box = ball(0, 2)
        cases = {x**2 - 2 * x: (-1, 0), sp.exp(-x) * x: (0, 2 * mpmath.exp(-2)), sp.tanh(3 * x): (0, mpmath.tanh(6))}
        for expr, (low, high) in cases.items():
            value = arb_function(expr, [x])(box)
            assert value.lower() <= low and value.upper() >= high and value.is_finite()
        assert arb_function(x**2, [x])(ball(-1, 1)) >= 0  # even power: no negative values
        for undefined in (1 / x, sp.log(x), sp.sqrt(x - 1), (x - 1)**sp.Float(0.5)):
            assert not arb_function(undefined, [x])(box).is_finite()
        assert arb_function(sp.sqrt(x), [x])(box).is_finite()  # defined at 0


def test_floats_are_the_decimals_written_and_constants_are_balls():
    with ctx.workprec(256):
        value = arb_function(sp.Float(0.1) * x, [x])(arb(10))
        assert value.contains(1) and value.rad() < arb(10) ** -70  # the double 0.1 would give 1 + 5.5e-17
        root = arb("1.5 +/- 1e-30")
        assert arb_function(c * x, [x], {c: root})(arb(2)).rad() >= 2 * arb(10) ** -30


@pytest.mark.parametrize("expr", [
    sp.atan(x) + sp.erf(x) - sp.erfc(x), sp.cosh(x) * sp.sinh(x) / sp.tan(x), sp.Abs(x - 2) + sp.sign(x - 1),
    sp.gamma(x) + sp.loggamma(x + 1) + sp.factorial(4) * sp.pi * sp.E, x**sp.Float("1.5", 80) + sp.sqrt(x) * 2**x,
    sp.Piecewise((x, sp.And(x > 0, x < 1)), (-x, sp.Or(sp.Eq(x, 2), sp.Not(x < 3))), (x**2, True)),
])
def test_enclosures_agree_with_sympy_at_points_and_contain_them_on_balls(expr):
    function = arb_function(expr, [x])
    for point in (sp.Rational(1, 3), sp.Rational(3, 2), sp.Integer(2), sp.Rational(7, 2)):
        expected = sp.N(expr.subs(x, point), 60)
        with ctx.workprec(200):
            at_point = function(arb(fmpq(int(point.p), int(point.q))))
            assert at_point.contains(arb(str(expected))) or abs(at_point - arb(str(expected))) < arb(10) ** -50
            near = function(ball(fmpq(int(point.p), int(point.q)) - fmpq(1, 1000), fmpq(int(point.p), int(point.q))))
            assert near.contains(at_point)


def test_unknown_symbols_and_nodes_are_rejected_by_name():
    with pytest.raises(UnsupportedExpression, match="free symbol c"):
        arb_function(x + c, [x])
    with pytest.raises(UnsupportedExpression, match="floor"):
        arb_function(sp.floor(x), [x])
    outcome = nonneg(sp.floor(x), [x], [0], [1])
    assert outcome.status == "undecided" and "unsupported" in outcome.reason


def test_branches_take_the_union_of_what_may_apply():
    with ctx.workprec(64):
        jump = arb_function(sp.Piecewise((1, x < 1), (3, True)), [x])
        assert jump(arb(0)) == 1 and jump(arb(1)) == 3
        value, decided = jump.evaluate(ball(0, 2))
        assert value.lower() <= 1 and value.upper() >= 3 and not decided
        heaviside = arb_function(sp.Heaviside(x), [x])
        assert heaviside(arb(0)) == arb(1) / 2
        straddle = heaviside(ball(-1, 1))
        assert straddle.contains(0) and straddle.contains(1)
        assert arb_function(sp.Min(x, 1 - x), [x]).evaluate(ball(0, arb(1) / 4)) [1]
        assert not arb_function(sp.Max(x, 1 - x), [x]).evaluate(ball(0, 1))[1]
        # a Piecewise that may fall through is undefined there
        assert not arb_function(sp.Piecewise((1, x < 1), (2, x > 1)), [x])(ball(0, 2)).is_finite()


@pytest.mark.parametrize("n", [1, 2, 7, 100, 10**4])
def test_erlang_enclosures_contain_mpmath_values(n):
    points = [fmpq(1, 1000), fmpq(1, 2), fmpq(3), fmpq(n), fmpq(n) * fmpq(99, 100), fmpq(2 * n + 5)]
    with ctx.workprec(256):
        for cls, reference in [(ErlangPDF, erlang_pdf), (ErlangCDF, erlang_cdf), (ErlangSF, erlang_sf)]:
            function = arb_function(cls(n, y), [y])
            for point in points:
                value = function(arb(point))
                with mpmath.workdps(90):
                    expected = reference(n, mpmath.mpf(int(point.p)) / int(point.q))
                    close = abs(value.mid() - arb(mpmath.nstr(expected, 80))) <= value.rad() + abs(expected) * 1e-75
                assert close and value.rad() < abs(value.mid()) * arb(10) ** -60, (cls, n, point, value)
            # a wide ball contains every value inside it, and the pieces for y <= 0
            wide = function(ball(-1, 2 * n))
            for t in (-1, 0, n / 3, n - 1, n, 2 * n):
                with mpmath.workdps(50):
                    assert wide.contains(arb(mpmath.nstr(reference(n, t), 40))), (cls, n, t, wide)


def test_erlang_order_zero_and_undefined_orders():
    with ctx.workprec(64):
        assert arb_function(ErlangCDF(0, y), [y])(arb(3)) == 1
        with pytest.raises(UnsupportedExpression):
            arb_function(ErlangPDF(c, y), [y])


# -- branch and bound --

def test_polynomial_nonnegativity_is_proved():
    outcome = nonneg(x**2 * (x - 1)**2 + sp.Rational(1, 10), [x], [0], [2])
    assert outcome.status == "proved" and outcome.slack == 0


def test_a_violation_is_refuted_with_an_exact_witness():
    outcome = nonneg(x - 1, [x], [0], [2])
    assert outcome.status == "refuted"
    point = outcome.witness[x]
    assert isinstance(point, sp.Rational) and point < 1
    assert outcome.value < 0 and outcome.value.contains(arb(fmpq(int(point.p), int(point.q))) - 1)


def test_a_narrow_dip_is_refuted_never_proved():
    dip = 1 - 0.9 * sp.exp(-((x - 1.15) / 10**-3)**2) * 2
    outcome = nonneg(dip, [x], [0], [2])
    assert outcome.status == "refuted"
    assert abs(outcome.witness[x] - sp.Rational(115, 100)) < sp.Rational(1, 10**3)
    assert exact_value(dip, outcome.witness) < 0


def test_a_tanh_bump_invisible_to_floats_is_found_and_proved_nonnegative_with_slack():
    bump = 1 - sp.tanh(200 * (x - 1.15))**2  # 0.0 in floating point away from 1.15
    refuted = nonneg(sp.Rational(1, 1000) - bump, [x], [0], [2])
    assert refuted.status == "refuted" and exact_value(sp.Rational(1, 1000) - bump, refuted.witness) < 0
    tiny = sp.Rational(1, 10**30)
    assert nonneg(bump, [x], [0], [2], slack=tiny, tolerance=tiny).status == "proved"


def test_a_narrow_band_region():
    band = (((x - 1.15)**2 - 10**-8, -1),)  # |x - 1.15| < 1e-4
    refuted = nonneg(x - 1.2, [x], [0], [2], region=band)
    assert refuted.status == "refuted" and abs(refuted.witness[x] - sp.Rational(115, 100)) < sp.Rational(1, 10**4)
    assert nonneg(x - 1.1, [x], [0], [2], region=band).status == "proved"  # false outside the band


def test_an_empty_region_is_proved_vacuously():
    region = ((x - 1, 1), (x - sp.Rational(1, 2), -1))  # x > 1 and x < 1/2
    outcome = nonneg(-1 + 0 * x, [x], [0], [2], region=region)
    assert outcome.status == "proved" and "no box" in outcome.reason and outcome.boxes < 20


def test_piecewise_with_a_jump_and_min_max():
    assert nonneg(sp.Piecewise((x, x < 1), (x - sp.Rational(1, 2), True)), [x], [0], [2]).status == "proved"
    jump_down = nonneg(sp.Piecewise((1, x < 1), (-1, True)), [x], [0], [2])
    assert jump_down.status == "refuted" and jump_down.witness[x] >= 1
    assert nonneg(sp.Min(x, 2 - x) + sp.Max(x - 1, 1 - x), [x], [0], [2]).status == "proved"
    below = nonneg(sp.Max(x - 1, 1 - x) - sp.Rational(1, 100), [x], [0], [2])
    assert below.status == "refuted" and abs(below.witness[x] - 1) < sp.Rational(1, 100)


def test_a_two_dimensional_wedge_feature_is_refuted():
    wedge = 1 - 2 * sp.exp(-10**4 * (x2 - 2 * x1)**2)  # below 0 only within ~1e-2 of x2 = 2 x1
    outcome = nonneg(wedge, [x1, x2], [sp.Rational(1, 10), 0], [1, 1])
    assert outcome.status == "refuted"
    assert exact_value(wedge, outcome.witness) < 0
    assert abs(outcome.witness[x2] - 2 * outcome.witness[x1]) < sp.Rational(1, 100)


def test_three_variables():
    x3 = sp.Symbol("x3")
    variables, lower, upper = [x1, x2, x3], [-1, -1, -1], [1, 1, 1]
    assert nonneg((x1 - x2)**2 + x3**2 * sp.exp(x1) + sp.Rational(1, 100), variables, lower, upper).status == "proved"
    product = x1 * x2 * x3 + sp.Rational(9, 10)  # below 0 only near the corners with x1 x2 x3 = -1
    outcome = nonneg(product, variables, lower, upper)
    assert outcome.status == "refuted" and exact_value(product, outcome.witness) < 0


def test_zero_claim_proved_with_tiny_slack():
    outcome = prove_on_box("zero", sp.sin(x)**2 + sp.cos(x)**2 - 1, [x], [0], [10],
                           slack=sp.Rational(1, 10**40), tolerance=sp.Rational(1, 10**40), prec=256)
    assert outcome.status == "proved"
    refuted = prove_on_box("zero", sp.sin(x)**2 - sp.cos(x)**2, [x], [0], [10], slack=sp.Rational(1, 10**40),
                           tolerance=sp.Rational(1, 10**6))
    assert refuted.status == "refuted"


def test_bounded_claims():
    outcome = prove_on_box("bounded", x * sp.exp(-x), [x], [0], [5], slack=0, tolerance=0)
    assert outcome.status == "proved" and outcome.bound >= mpmath.exp(-1) and outcome.bound < 10
    unbounded = prove_on_box("bounded", 1 / x, [x], [0], [1], slack=0, tolerance=0)
    assert unbounded.status == "undecided" and "not finite" in unbounded.reason


def test_a_non_finite_enclosure_never_proves():
    outcome = nonneg(1 / x, [x], [0], [1])
    assert outcome.status == "undecided" and "not finite near x = " in outcome.reason


def test_touching_zero_along_a_curve_with_slack_zero_is_undecided_within_the_budget():
    circle = sp.expand((x1**2 + x2**2 - 1)**2)
    outcome = nonneg(circle, [x1, x2], [0, 0], [2, 2], max_boxes=1500)
    assert outcome.status == "undecided" and "budget of 1500" in outcome.reason and outcome.boxes <= 1502


def test_ball_bounds_use_the_outer_hull():
    outcome = nonneg(sp.sqrt(x), [x], [arb("0 +/- 1e-30")], [1])
    assert outcome.status == "undecided" and "not finite" in outcome.reason  # sqrt of the hull's x < 0
    assert nonneg(x - 1, [x], [arb("1 +/- 1e-30")], [2], slack=sp.Rational(1, 10**20),
                  tolerance=sp.Rational(1, 10**20)).status == "proved"


def test_an_unprovable_small_violation_is_reported_from_floating_point():
    outcome = nonneg((x - 1)**2 - sp.Rational(1, 10**12), [x], [0], [2], tolerance=sp.Rational(1, 10**6),
                     max_boxes=300)
    assert outcome.status == "undecided" and "floating point sees f = -1e-12" in outcome.reason


def test_bad_claims_are_rejected():
    with pytest.raises(ValueError, match="tolerance"):
        nonneg(x, [x], [0], [1], slack=sp.Rational(1, 10), tolerance=0)
    with pytest.raises(ValueError, match="kind"):
        prove_on_box("positive", x, [x], [0], [1], slack=0, tolerance=0)


def test_the_deadline_stops_the_search():
    outcome = nonneg(sp.expand((x1**2 + x2**2 - 1)**2), [x1, x2], [0, 0], [2, 2], deadline=0)
    assert outcome.status == "undecided" and "deadline" in outcome.reason


# -- unbounded ranges --

def test_a_rational_tail_is_compactified():
    outcome = nonneg((x + 1) / (x + 2) - sp.Rational(1, 2), [x], [0], [sp.oo])
    assert outcome.status == "proved"
    far_out = (10**5 - x) / (x + 1)  # below 0 beyond x = 1e5, tends to -1
    refuted = nonneg(far_out, [x], [0], [sp.oo])
    assert refuted.status == "refuted" and refuted.witness[x] > 10**5


def test_a_tail_left_to_the_hook():
    calls = []

    def exponential_tail(expr, variable, radius, constants):
        calls.append(radius)
        return arb(0), (-arb(int(radius.p)) / int(radius.q)).exp()  # exp(-x) on [R, oo)

    outcome = nonneg(sp.exp(-x), [x], [0], [sp.oo], tail_prover=exponential_tail)
    assert outcome.status == "proved" and calls == [8]
    without = nonneg(sp.exp(-x), [x], [0], [sp.oo])
    assert without.status == "undecided" and "tail beyond x = " in without.reason
    declined = nonneg(sp.exp(-x), [x], [0], [sp.oo], tail_prover=lambda *args: None)
    assert declined.status == "undecided"


def test_unbounded_in_two_variables():
    assert nonneg((x1 + 1) / (x1 + x2 + 2), [x1, x2], [0, 0], [sp.oo, 1]).status == "proved"
    outcome = nonneg(sp.exp(-x1) * x2, [x1, x2], [0, 0], [sp.oo, 1])
    assert outcome.status == "undecided" and "more than one variable" in outcome.reason


# -- centred form --

def test_the_centred_form_narrows_a_dependent_enclosure():
    with ctx.workprec(128):
        enclosure = Enclosure(x**2 - x, [x])
        box = [ball(arb(1) / 2 - arb(2) ** -10, arb(1) / 2 + arb(2) ** -10)]
        natural = enclosure.function(*box)
        centred = enclosure.enclose(box)
        assert centred.rad() < natural.rad() / 100 and centred.contains(-arb(1) / 4)


def test_the_centred_form_is_not_used_across_a_jump():
    with ctx.workprec(64):
        enclosure = Enclosure(sp.Piecewise((x, x < 1), (x + 5, True)), [x])
        value = enclosure.enclose([ball(arb(1) - arb(2) ** -20, arb(1) + arb(2) ** -20)])
        assert value.contains(1) and value.contains(6)


# -- roots --

def test_root_isolation_with_uniqueness():
    expr = sp.exp(-y) * (1 + y) - sp.Rational(1, 2)
    with mpmath.workdps(40), ctx.workprec(128):
        approx = mpmath.findroot(lambda t: mpmath.exp(-t) * (1 + t) - mpmath.mpf(1) / 2, 1.6)
        found = isolate_root(expr, y, approx, prec=128)
        assert found is not None and found.unique
        assert found.ball.contains(arb(mpmath.nstr(approx, 38)).mid()) and found.ball.rad() < arb(10) ** -30
    from_string = isolate_root(expr, y, "1.678346990016661", prec=128)
    assert from_string is not None and from_string.unique
    assert isolate_root(expr, y, "3", prec=128) is None


def test_count_sign_changes_finds_three_roots():
    cubic = (y - 1) * (y - 2) * (y - 3)
    roots, complete = count_sign_changes(cubic, y, 0, 4, pieces=255)
    assert complete and len(roots) == 3
    assert all(r.contains(k) for r, k in zip(roots, (1, 2, 3)))
    on_grid = count_sign_changes(cubic, y, 0, 4)  # the roots fall on grid points
    assert len(on_grid.roots) == 3 and not on_grid.complete
    double = count_sign_changes((y - 1)**2 - sp.Rational(1, 10**6), y, 0, 2, pieces=64)
    assert len(double.roots) == 2 or not double.complete
