"""Independent analytic values for the bounding-program tests (not irmd's own code paths)."""
import mpmath
import numpy as np
from scipy.integrate import quad
from scipy.optimize import minimize_scalar


def auction_value(n: int, mu1: float) -> float:
    """1 - G_N(ybar) with G_{N+1}(ybar) = mu(0), Erlang CDFs via the regularized gamma."""
    with mpmath.workdps(30):
        cdf = lambda m, y: mpmath.gammainc(m, 0, y, regularized=True)  # noqa: E731
        ybar = mpmath.findroot(lambda y: cdf(n + 1, y) - (1 - mpmath.mpf(mu1)), n + 0.5)
        return float(1 - cdf(n, ybar))


def bilateral_value(h: float, g: float) -> float:
    """min over y of g e^y y^(1-h/g) / int_0^y e^z z^(1-h/g) dz (mu(high) = 1/2, 1 < h/g < 2)."""
    a = 1 - h / g

    def ratio(y):
        integral, _ = quad(lambda z: np.exp(z - y) * (z / y) ** a, 0, y, limit=200)
        return g / integral

    return float(minimize_scalar(ratio, bounds=(0.2, 20), method="bounded", options={"xatol": 1e-10}).fun)
