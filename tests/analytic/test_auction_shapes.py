"""The auction's closed-form shapes (scipy) against mpmath, also where g_N underflows (large N, small y)."""
import mpmath
import numpy as np
import pytest

from irmd.analytic.library.auction import auction_closed_forms


def _total_transfer(N, ybar, y):
    """T(y) of the survey's (36) at 40 digits: (N/ybar - L1) G_N/g_N below ybar, (L1 Q_N - Q_{N-1})/g_N above."""
    with mpmath.workdps(40):
        y, ybar = mpmath.mpf(y), mpmath.mpf(ybar)
        P = lambda k, v: mpmath.gammainc(k, 0, v, regularized=True)  # noqa: E731
        Q = lambda k, v: mpmath.gammainc(k, v, mpmath.inf, regularized=True) if k > 0 else 0  # noqa: E731
        g = lambda k, v: v ** (k - 1) * mpmath.exp(-v) / mpmath.gamma(k)  # noqa: E731
        level = P(N, ybar) * N / ybar + Q(N - 1, ybar)
        if y <= ybar:
            return float((N / ybar - level) * P(N, y) / g(N, y))
        return float((level * Q(N, y) - Q(N - 1, y)) / g(N, y))


@pytest.mark.parametrize("N", [1, 2, 200, 2000])
def test_total_transfer_matches_mpmath_near_zero_and_beyond_ybar(N):
    forms = auction_closed_forms(N, "1/2")
    ybar = float(forms.ybar)
    totals = np.array([1e-3, 0.5, ybar / 2, 0.99 * ybar, 1.01 * ybar, 2 * ybar])
    X = np.zeros((len(totals), N))
    X[:, 0] = totals                       # t_1 = x_1 T(y) / y = T(y) when the total is x_1
    T = forms.shapes.outcome(X)["t_1"]
    expected = [_total_transfer(N, forms.ybar, y) for y in totals]
    np.testing.assert_allclose(T, expected, rtol=1e-9, atol=1e-300)
