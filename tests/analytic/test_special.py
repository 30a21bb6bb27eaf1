import mpmath
import pytest
import sympy as sp

from irmd.analytic.special import (
    ErlangCDF,
    ErlangPDF,
    ErlangSF,
    contiguous_1f1,
    erlang_cdf,
    erlang_pdf,
    erlang_sf,
    expand_erlang,
)

y = sp.Symbol("y", positive=True)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_expansion_matches_definition(n):
    G = expand_erlang(ErlangCDF(n, y))
    g = expand_erlang(ErlangPDF(n, y))
    assert sp.simplify(sp.diff(G, y) - g) == 0
    assert sp.simplify(expand_erlang(ErlangSF(n, y)) + G - 1) == 0
    # G_N = 1 - sum_{l=1}^{N} g_l   (33)
    assert sp.simplify(G - (1 - sum(expand_erlang(ErlangPDF(l, y)) for l in range(1, n + 1)))) == 0


def test_derivatives_are_exact():
    n = sp.Symbol("n", positive=True, integer=True)
    assert sp.diff(ErlangCDF(n, y), y) == ErlangPDF(n, y)
    assert sp.diff(ErlangPDF(n, y), y) == ErlangPDF(n - 1, y) - ErlangPDF(n, y)
    assert sp.diff(ErlangSF(n, y), y) == -ErlangPDF(n, y)
    assert ErlangPDF(0, y) == 0 and ErlangCDF(0, y) == 1 and ErlangSF(0, y) == 0


def test_huge_order_stays_unevaluated_and_evaluates_with_mpmath():
    expr = ErlangCDF(10000, y)
    assert expr.func is ErlangCDF
    with mpmath.workdps(40):
        value = erlang_cdf(10000, mpmath.mpf(10000))
        tail = erlang_sf(10000, mpmath.mpf(10000))
        assert abs(value + tail - 1) < mpmath.mpf(10) ** -38
        # density from logs: no overflow, matches the ratio definition at moderate n
        assert abs(erlang_pdf(5, mpmath.mpf(2)) - mpmath.mpf(2) ** 4 * mpmath.exp(-2) / 24) < mpmath.mpf(10) ** -38


def test_latex_names():
    assert sp.latex(ErlangCDF(3, y)) == r"G_{3}\left(y\right)"
    assert sp.latex(ErlangPDF(3, y)) == r"g_{3}\left(y\right)"


@pytest.mark.parametrize("alpha", [sp.Rational(1, 100), sp.Rational(1, 2), sp.Rational(99, 100), sp.Rational(7, 3)])
@pytest.mark.parametrize("shift", [1, 2, 3])
def test_contiguous_relation_agrees_with_mpmath(alpha, shift):
    expr = sp.hyper([alpha + shift], [alpha + shift + 1], 3 * y) + sp.hyper([alpha], [alpha + 1], 3 * y)
    rewritten = contiguous_1f1(expr)
    assert rewritten.atoms(sp.hyper) == {sp.hyper([alpha], [alpha + 1], 3 * y)}
    for point in (sp.Rational(1, 7), 2, 11):
        with mpmath.workdps(40):
            want = (mpmath.hyp1f1(alpha + shift, alpha + shift + 1, 3 * point)
                    + mpmath.hyp1f1(alpha, alpha + 1, 3 * point))
            got = sp.N(rewritten.xreplace({y: point}), 40)
            assert abs(got - want) < mpmath.mpf(10) ** -30 * abs(want)


def test_contiguous_relation_leaves_other_families_alone():
    # Parameters that differ by a non-integer, other arguments, or b - a != 1 are not related.
    expr = sp.hyper([sp.Rational(1, 3)], [sp.Rational(4, 3)], y) + sp.hyper([sp.Rational(1, 2)], [sp.Rational(3, 2)], y)
    assert contiguous_1f1(expr) == expr
    other = (sp.hyper([sp.Rational(1, 3)], [sp.Rational(4, 3)], y)
             + sp.hyper([sp.Rational(4, 3)], [sp.Rational(7, 3)], 2 * y))
    assert contiguous_1f1(other) == other
    wider = (sp.hyper([sp.Rational(1, 3)], [sp.Rational(5, 3)], y)
             + sp.hyper([sp.Rational(4, 3)], [sp.Rational(8, 3)], y))
    assert contiguous_1f1(wider) == wider
