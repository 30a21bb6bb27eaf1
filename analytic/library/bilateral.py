r"""Bilateral trade with proportional prices (survey Section 3.6, (38)-(45)).

Seller 1 and buyer 2; states low :math:`\theta = (0, g)` and high :math:`(h, h+g)`,
gains from trade g > 0 and h > g; outcome (q, t): trade probability and transfer
from buyer to seller; :math:`u_1 = t - \theta_1 q`, :math:`u_2 = -t + \theta_2 q`,
:math:`w = (\theta_2 - \theta_1) q = g q`.  Write :math:`b = h/g` and
:math:`a = b - 1 = (h-g)/g`, and

.. math:: F(y) = \int_0^y e^z z^{-a}\,dz = \frac{y^{1-a}}{1-a}\,{}_1F_1(1-a; 2-a; y)
          \qquad (a < 1),

a closed form that stays accurate as :math:`a \to 1` (quadrature of the singular
integrand does not).

Information :math:`\bar I_\epsilon` on :math:`[\epsilon/2, \infty)^2`:
:math:`\bar\rho(y) = A e^{y} y^{-b}` for :math:`y = x_1 + x_2 \le \bar y` and 0 above,
:math:`\bar\sigma(x, high) = \bar\rho\, x_2/y`, :math:`\bar\sigma(x, low) = \bar\rho\, x_1/y`,
with A normalising the mass.  The jump of :math:`\bar\rho` to 0 at :math:`y = \bar y`
is a singular line term of the potential, which irmd computes from the jump.

Mechanism :math:`\bar M` on :math:`\mathbb R^2_+`:
:math:`\bar q(y) = (L/g) e^{-y} y^{a} F(y)` for :math:`y \le \bar y` and 1 above (44),
:math:`\bar t = \bar q\,(g + (h-g) x_2/y)`.

Constants: :math:`L = g - (h-g)/\bar y` (43) and :math:`\bar y` where (43) agrees with
(45), :math:`L = g e^{\bar y}\bar y^{-a}/F(\bar y)` -- the minimiser of the potential
bound (41).  Equivalently :math:`\bar q(\bar y) = 1`.

Regimes: for :math:`h/g \ge 2` the potential of :math:`\bar I_\epsilon` tends to 0
as :math:`\epsilon \to 0` (the density is not integrable at the origin), so the
no-trade mechanism (guarantee 0) is optimal: irmd builds that pair and reports the
*zero regime*.  :math:`h \le g` is excluded by the paper (a price between h and g
always trades) and is rejected as bad input.
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from scipy.integrate import quad
from scipy.special import hyp1f1

from irmd.analytic.candidate import make_candidate
from irmd.analytic.constants import Constant
from irmd.analytic.environment import Environment, State, action_symbols
from irmd.analytic.information import Information
from irmd.analytic.mechanism import Mechanism
from irmd.analytic.outcomes import Interval
from irmd.analytic.shapes import ClosedForms, ShapeModel, safe_ratio
from irmd.errors import ParameterError

from . import Builtin, Parameter, register

theta1, theta2 = sp.symbols("theta_1 theta_2", real=True)
q, t = sp.symbols("q t", real=True)
ybar = sp.Symbol("ybar", positive=True)
L = sp.Symbol("L", real=True)
A = sp.Symbol("A", positive=True)
z = sp.Symbol("z", positive=True)

#: y-bar used in the zero regime, where any truncation point gives a vanishing bound.
ZERO_REGIME_YBAR = sp.Integer(1)


def trade_environment(h, g, mu) -> Environment:
    states = (State.make("low", {theta1: 0, theta2: g}), State.make("high", {theta1: h, theta2: h + g}))
    return Environment(2, states, (1 - mu, mu), (Interval(q, 0, 1), Interval(t)),
                       (t - theta1 * q, -t + theta2 * q), (theta2 - theta1) * q)


def _F(a, u):
    """int_0^u e^z z^{-a} dz for a < 1, as a hypergeometric closed form."""
    return u ** (1 - a) / (1 - a) * sp.hyper([1 - a], [2 - a], u)


def _normaliser(a, b, eps):
    """1 / int_eps^ybar (y - eps) e^y y^{-b} dy."""
    if a < 1:
        bulk = _F(a, ybar) - _F(a, eps)
        if eps == 0:
            return 1 / bulk
        # int_eps^ybar e^y y^{-b} by parts: a e^y y^{-b} = e^y y^{-a} - (e^y y^{-a})'
        inner = (bulk - (sp.exp(ybar) * ybar ** (-a) - sp.exp(eps) * eps ** (-a))) / a
        return 1 / (bulk - eps * inner)
    return 1 / sp.Integral((z - eps) * sp.exp(z) * z ** (-b), (z, eps, ybar))


def bilateral_trade(h, g, mu=sp.Rational(1, 2), eps=None, **overrides):
    """Proportional-price bilateral trade (survey Section 3.6).

    ``eps`` defaults to 0 (the limit structure) when h/g < 2 and to 1/100 in the
    zero regime h/g >= 2, where eps = 0 is not a distribution.  ``overrides``
    replace named parts (``exponent``, ``nu_high``, ``ybar_equation``, ``ybar_value``,
    ``price``, ``truncate``, ``L``, ``allocation``) to build deliberately wrong
    candidates.
    """
    h, g, mu = sp.Rational(h), sp.Rational(g), sp.Rational(mu)
    if g <= 0:
        raise ParameterError(f"parameter g = {g}: gains from trade must be positive")
    if h <= g:
        raise ParameterError(f"parameter h = {h}: needs h > g = {g} (for h <= g a price between h and g always "
                             "trades, the trivial case the paper excludes)")
    b = h / g
    a = b - 1
    zero_regime = b >= 2
    if eps is None:
        eps = sp.Rational(1, 100) if zero_regime else sp.S.Zero
    eps = sp.Rational(eps)
    if eps < 0:
        raise ParameterError(f"parameter eps = {eps}: must be >= 0")
    if zero_regime and eps == 0:
        raise ParameterError(f"parameter eps = 0 with h/g = {b} >= 2: the density e^y y^(-h/g) is not integrable at "
                             "the origin; give eps > 0 (irmd reports the limit eps -> 0)")
    part = overrides.get
    env = trade_environment(h, g, mu)
    x1, x2 = action_symbols(2)
    y = x1 + x2

    exponent = part("exponent", b)
    rho = sp.Piecewise((A * sp.exp(y) * y ** (-exponent), y <= ybar), (0, True)) if part("truncate", True) \
        else A * sp.exp(y) * y ** (-exponent)
    nu_high = part("nu_high", x2 / y)
    information = Information.make({"high": rho * nu_high, "low": rho * (1 - nu_high)}, lower=eps / 2)

    if zero_regime:
        mechanism = Mechanism.make({q: 0, t: 0})
        constants = [Constant(ybar, value=ZERO_REGIME_YBAR, description="any truncation point: the bound vanishes"),
                     Constant(A, value=_normaliser(a, b, eps), description="normalises the mass of I_eps"),
                     Constant(L, value=0, description="SVO level of the no-trade mechanism")]
        regime = "zero"
    else:
        q_bar = (L / g) * sp.exp(-y) * y**a * _F(a, y)
        allocation = part("allocation", sp.Piecewise((q_bar, y <= ybar), (1, True)))
        price = part("price", g + (h - g) * x2 / y)
        mechanism = Mechanism.make({q: allocation, t: allocation * price})
        L43 = g - (h - g) / ybar
        L45 = g * sp.exp(ybar) * ybar ** (-a) / _F(a, ybar)
        ybar_constant = (Constant(ybar, value=part("ybar_value")) if part("ybar_value") is not None else
                         Constant(ybar, equation=part("ybar_equation", L43 - L45), bracket=(a, 50 + 10 / a),
                                  description="(43) = (45): the minimiser of the potential bound (41)"))
        constants = [ybar_constant,
                     Constant(L, value=part("L", L43), description="(43)"),
                     Constant(A, value=_normaliser(a, b, eps), description="normalises the mass of I_eps")]
        regime = "interior"

    candidate = make_candidate(
        "bilateral-trade", env, mechanism, information, constants, (),
        svo_levels={"low": L, "high": L},
        parameters={"h": h, "g": g, "mu": mu, "eps": eps},
        description="proportional-price bilateral trade (survey Section 3.6)"
        + (" -- zero regime h/g >= 2: no-trade mechanism" if zero_regime else ""),
        headline=("ybar",) if not zero_regime else (),
    )
    limit = None
    if zero_regime or eps != 0:
        def limit(value, h=h, g=g, mu=mu, overrides=overrides):
            return bilateral_trade(h, g, mu, value, **overrides)
    excluded = ()
    if zero_regime:
        excluded = (("ivo.slackness", "zero regime: the claim is G(no trade) = 0 = lim P(I_eps); complementary "
                                      "slackness (25) on the line y = ybar holds only in the limit eps -> 0"),)
    return candidate.with_family(limit, "eps" if limit else "", sp.S.Zero if limit else None, regime, excluded)


# --------------------------------------------------------------------------- the survey's closed forms
def bilateral_value(h, g, dps: int = 30):
    r"""(L, ybar) for mu(high) = 1/2 and 1 < h/g < 2: L = min_y g e^y y^a / F(y), a = h/g - 1, at
    the ybar where (43) holds, L = g - (h - g)/ybar; (0, None) in the zero regime h/g >= 2.

    By quadrature, independent of the hypergeometric closed form the candidate uses: with
    z = y u^(1/(1-a)), e^-y y^a F(y) = y/(1-a) int_0^1 e^(y(u^(1/(1-a)) - 1)) du, whose integrand is
    smooth (no z^-a singularity at 0)."""
    with mpmath.workdps(dps):
        h, g = mpmath.mpf(sp.N(h, dps + 5)), mpmath.mpf(sp.N(g, dps + 5))
        if h >= 2 * g:
            return mpmath.mpf(0), None
        a = h / g - 1

        def foc(v):
            # (1 - a/v) F(v) = e^v v^-a, the first-order condition of the minimum
            return (1 - a / v) * v / (1 - a) * mpmath.quad(lambda u: mpmath.exp(v * (u ** (1 / (1 - a)) - 1)),
                                                           [0, 1]) - 1

        upper = mpmath.mpf(4)
        while foc(upper) <= 0:
            upper *= 2
        ybar_value = mpmath.findroot(foc, (a + mpmath.mpf(10) ** -6, upper), solver="illinois",
                                     tol=mpmath.mpf(10) ** (10 - 2 * dps), verify=False)
        if abs(foc(ybar_value)) > mpmath.mpf(10) ** (5 - dps):
            raise ArithmeticError(f"bilateral trade: no ybar found for h={h}, g={g}")
        return g - (h - g) / ybar_value, ybar_value


def bilateral_shapes(h: float, g: float, ybar: float, value: float) -> ShapeModel:
    """The pair of (39)-(44) written out with scipy (eps -> 0): rho = A e^y y^(-h/g) below ybar,
    posterior of high x_2/y, q = (L/g) e^-y y^a F(y) below ybar and 1 above, t = q (g + (h - g) x_2/y)."""
    a = h / g - 1

    def integral(v):  # F(v) = int_0^v e^z z^-a dz = v^(1-a) 1F1(1-a; 2-a; v)/(1-a)
        return np.power(v, 1 - a) * hyp1f1(1 - a, 2 - a, v) / (1 - a)

    # A normalises the density over the triangle: int_0^ybar y A e^y y^(-h/g) dy = 1.
    mass, _ = quad(lambda v: v * np.exp(v) * v ** (-h / g), 0, ybar)
    normaliser = 1.0 / mass

    def density(X):
        totals = X.sum(axis=1)
        with np.errstate(divide="ignore", over="ignore"):
            rho = normaliser * np.exp(totals) * np.power(np.where(totals > 0, totals, 1.0), -h / g)
        # Singular at the origin (the survey moves the signals to [eps/2, oo)^2): no value there.
        return np.where(totals <= 0, np.nan, np.where(totals <= ybar, rho, 0.0))

    def allocation_of(v):
        with np.errstate(divide="ignore", invalid="ignore"):
            below = value / g * np.exp(-v) * np.power(v, a) * integral(v)
        return np.where(v > ybar, 1.0, np.where(v > 0, below, 0.0))

    def outcome(X):
        totals = X.sum(axis=1)
        trade = allocation_of(totals)
        return {"q": trade, "t": trade * (g + (h - g) * safe_ratio(X[:, 1], totals))}

    def posterior(X):
        totals = X.sum(axis=1)
        high = np.where(totals > 0, safe_ratio(X[:, 1], totals), np.nan)
        return np.stack([1 - high, high])

    return ShapeModel(f"bilateral trade h={h:g} g={g:g}", outcome, density, posterior, ybar, ("low", "high"))


def bilateral_closed_forms(h, g, mu, eps=None) -> ClosedForms:
    """The survey's saddle value for mu(high) = 1/2 (with its shapes when 1 < h/g < 2); eps does not
    enter (the value is the limit eps -> 0)."""
    scale = float(max(h, g))
    if sp.Rational(mu) != sp.Rational(1, 2):
        return ClosedForms(None, None, scale, note="the analytic saddle value is known for mu = 1/2 only")
    value, ybar_value = bilateral_value(h, g)
    shapes = None if ybar_value is None else bilateral_shapes(float(h), float(g), float(ybar_value), float(value))
    return ClosedForms(value, ybar_value, scale, shapes)


def _positive(value):
    return None if value > 0 else "must be positive"


def _nonnegative(value):
    return None if value >= 0 else "must be >= 0"


def _probability(value):
    return None if 0 < value < 1 else "needs 0 < mu < 1"


register(Builtin(
    "bilateral-trade",
    "proportional-price bilateral trade (survey Section 3.6); h/g >= 2 reports the zero regime",
    (Parameter("h", "number", "3/2", "seller's value in the high state (h > g)", _positive),
     Parameter("g", "number", "1", "gains from trade (g > 0)", _positive),
     Parameter("mu", "number", "1/2", "prior probability of the high state", _probability),
     Parameter("eps", "number", None, "signal space [eps/2, oo)^2 (default 0; 1/100 in the zero regime)",
               _nonnegative)),
    bilateral_trade,
    "Brooks & Du, survey (000), equations (38)-(45)",
    bilateral_closed_forms,
))
