"""``y_reduce``: a function of the actions' total is written in the total; one that is not is told
apart at two splits of one total before any simplification is paid for."""
import sympy as sp

from irmd.analytic.environment import TOTAL, action_symbols
from irmd.budget import Budget
from irmd.verify import integrate
from irmd.verify.integrate import y_reduce

x1, x2, x3 = action_symbols(3)
ybar = sp.Symbol("ybar", positive=True)


def test_a_function_of_the_total_is_reduced_even_when_it_needs_simplification():
    expr = sp.exp(x1) * sp.exp(x2) * sp.hyper([sp.S.Half], [sp.Rational(3, 2)], x1 + x2) / ybar
    assert sp.simplify(y_reduce(expr, (x1, x2), Budget(10)) - sp.exp(TOTAL) * sp.hyper(
        [sp.S.Half], [sp.Rational(3, 2)], TOTAL) / ybar) == 0
    assert sp.expand(y_reduce(sp.expand((x1 + x2 + x3) ** 2), (x1, x2, x3), Budget(10)) - TOTAL ** 2) == 0


def test_a_function_of_the_split_is_not_reduced_and_costs_no_simplification(monkeypatch):
    def no_simplification(*args, **kwargs):
        raise AssertionError("simplify was called although two splits differ")

    monkeypatch.setattr(integrate.sp, "simplify", no_simplification)
    expr = x2 * sp.exp(x1 + x2) / (sp.sqrt(ybar) * (x1 + x2) ** sp.Rational(5, 2))
    assert y_reduce(expr, (x1, x2), Budget(10)) is None
    assert y_reduce(x1 * x2 * x3 / (x1 + x2 + x3), (x1, x2, x3), Budget(10)) is None


def test_the_shortcut_never_decides_where_evaluation_does_not():
    # A symbol that may not be positive, or a value that is not real, leaves it to simplification.
    a = sp.Symbol("a", negative=True)
    assert not integrate._splits_differ(x2 * a + TOTAL, (x2,))
    assert not integrate._splits_differ(sp.sqrt(x2 - TOTAL), (x2,))
    assert integrate._splits_differ(x2 * ybar + TOTAL, (x2,))
    assert not integrate._splits_differ(TOTAL * ybar, (x2,))
