r"""The survey's two examples as environments, with their analytic values.

A private stand-in for :mod:`irmd.analytic.library` (which builds the same
environments as full candidates): the bounding programs only need the
environment, the analytic saddle value and the transfer scale of the analytic
mechanism.

Common-value auction (Section 3.5): states :math:`\theta \in \{0, 1\}` with prior
:math:`(1 - \mu_1, \mu_1)`, :math:`u_i = \theta q_i - t_i`, :math:`w = \sum_i t_i`.
The saddle value is :math:`1 - G_N(\bar y)` with :math:`G_{N+1}(\bar y) = \mu(0)`
(Erlang CDFs).

Bilateral trade (Section 3.6): seller 1, buyer 2, states :math:`(0, g)` and
:math:`(h, h + g)`, :math:`u_1 = t - \theta_1 q`, :math:`u_2 = -t + \theta_2 q`,
:math:`w = g q`.  With :math:`\mu(\text{high}) = 1/2` and :math:`1 < h/g < 2` the
saddle value is :math:`L = \min_y g e^y y^a / \int_0^y e^z z^a dz` with
:math:`a = 1 - h/g`, attained at :math:`\bar y` with :math:`L = g - (h - g)/\bar y`
(the first-order condition of that minimum is (43)); it is 0 for :math:`h/g \ge 2`
and :math:`g` for :math:`h \le g` (a fixed price in :math:`[h, g]` always trades).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import mpmath
import sympy as sp

from irmd.analytic.environment import Environment, State, SymmetricEnvironment, allocation, transfers
from irmd.analytic.outcomes import Interval, Simplex
from irmd.errors import ParameterError, UnknownNameError
from irmd.numbers import parse_exact  # noqa: F401  (re-exported for tests)


@dataclass(frozen=True)
class Example:
    """A built-in environment with its analytic value (``None`` when unknown)."""

    name: str
    params: Mapping[str, sp.Rational]
    environment: object
    value: mpmath.mpf | None
    transfer_scale: float
    ybar: mpmath.mpf | None
    note: str = ""


def _erlang_cdf(n: int, y):
    return mpmath.gammainc(n, 0, y, regularized=True)


def auction_environment(agents: int, mu1) -> SymmetricEnvironment:
    theta = sp.Symbol("theta", real=True)
    states = (State.make("0", {theta: 0}), State.make("1", {theta: 1}))
    q, t = allocation("q"), transfers("t")
    return SymmetricEnvironment(agents, states, (1 - mu1, mu1), (q, t), theta * q.symbol - t.symbol, t.symbol)


def auction_ybar(agents: int, mu0, dps: int = 30):
    with mpmath.workdps(dps):
        target = mpmath.mpf(sp.N(mu0, dps + 5))
        return mpmath.findroot(lambda y: _erlang_cdf(agents + 1, y) - target, agents + 0.5)


def auction_value(agents: int, mu1, dps: int = 30):
    """:math:`1 - G_N(\\bar y)` with :math:`G_{N+1}(\\bar y) = \\mu(0)`."""
    with mpmath.workdps(dps):
        ybar = auction_ybar(agents, 1 - mu1, dps)
        return 1 - _erlang_cdf(agents, ybar), ybar


def auction_transfer_scale(agents: int, mu1, dps: int = 30) -> float:
    r"""sup of :math:`|T(y)|`, the total transfer of the proportional auction.

    :math:`T(y) = (N/\bar y - L_1) G_N(y)/g_N(y)` for :math:`y \le \bar y`, and
    :math:`T(y) = (L_1 (1 - G_N(y)) - (1 - G_{N-1}(y)))/g_N(y)` above (the integral
    of section 3.5.2 from the other end, since the whole integral vanishes by the
    choice of :math:`L_1`).  Per-agent transfers :math:`x_i T/\Sigma x` are smaller.
    """
    with mpmath.workdps(dps):
        _, ybar = auction_value(agents, mu1, dps)
        n = agents
        upper = lambda y: 1 - _erlang_cdf(n - 1, y) if n > 1 else mpmath.mpf(0)  # noqa: E731
        l1 = _erlang_cdf(n, ybar) * n / ybar + upper(ybar)
        density = lambda y: y ** (n - 1) * mpmath.exp(-y) / mpmath.factorial(n - 1)  # noqa: E731

        def total(y):
            if y <= ybar:
                return (n / ybar - l1) * _erlang_cdf(n, y) / density(y)
            return (l1 * (1 - _erlang_cdf(n, y)) - upper(y)) / density(y)

        samples = [ybar * j / 64 for j in range(1, 65)] + [ybar + j / 4 for j in range(1, 400)]
        return float(max(abs(total(y)) for y in samples))


def bilateral_environment(h, g, mu) -> Environment:
    th1, th2 = sp.symbols("theta_1 theta_2", real=True)
    q, t = sp.Symbol("q", real=True), sp.Symbol("t", real=True)
    states = (State.make("low", {th1: 0, th2: g}), State.make("high", {th1: h, th2: h + g}))
    return Environment(2, states, (1 - mu, mu), (Simplex((q,)), Interval(t)), (t - th1 * q, -t + th2 * q), g * q)


def bilateral_value(h, g, dps: int = 30):
    """Saddle value and :math:`\\bar y` for :math:`\\mu(\\text{high}) = 1/2` (``ybar=None`` when trivial)."""
    with mpmath.workdps(dps):
        h, g = mpmath.mpf(sp.N(h, dps + 5)), mpmath.mpf(sp.N(g, dps + 5))
        if h <= g:
            return g, None
        if h >= 2 * g:
            return mpmath.mpf(0), None
        a = 1 - h / g

        def foc(y):
            # (1 + a/y) F(y) = e^y y^a, the first-order condition of the minimum; with
            # z = y u^(1/(1+a)) the integral e^-y y^-a F(y) is y/(1+a) int_0^1 e^(y(u^(1/(1+a)) - 1)) du,
            # whose integrand is smooth (no z^a singularity at 0).
            return (1 + a / y) * y / (1 + a) * mpmath.quad(lambda u: mpmath.exp(y * (u ** (1 / (1 + a)) - 1)),
                                                           [0, 1]) - 1

        upper = mpmath.mpf(4)
        while foc(upper) <= 0:
            upper *= 2
        ybar = mpmath.findroot(foc, (-a + mpmath.mpf(10) ** -6, upper), solver="illinois",
                                tol=mpmath.mpf(10) ** (10 - 2 * dps), verify=False)
        if abs(foc(ybar)) > mpmath.mpf(10) ** (5 - dps):
            raise ArithmeticError(f"bilateral trade: no ybar found for h={h}, g={g}")
        return g - (h - g) / ybar, ybar


def _params(given: Mapping[str, str], defaults: Mapping[str, str], name: str) -> dict[str, sp.Rational]:
    unknown = set(given) - set(defaults)
    if unknown:
        raise ParameterError(f"{name}: unknown parameter(s) {sorted(unknown)}; known: {sorted(defaults)}")
    return {key: parse_exact(given.get(key, default), f"{name} parameter {key}") for key, default in defaults.items()}


def _auction(params: Mapping[str, str]) -> Example:
    p = _params(params, {"N": "2", "mu1": "1/2"}, "common-value-auction")
    n = p["N"]
    if not n.is_Integer or n < 1:
        raise ParameterError(f"common-value-auction parameter N must be a positive integer, got {n}")
    if not 0 < p["mu1"] < 1:
        raise ParameterError(f"common-value-auction parameter mu1 must lie in (0, 1), got {p['mu1']}")
    n = int(n)
    value, ybar = auction_value(n, p["mu1"])
    return Example("common-value-auction", p, auction_environment(n, p["mu1"]), value,
                   auction_transfer_scale(n, p["mu1"]), ybar)


def _bilateral(params: Mapping[str, str]) -> Example:
    params = dict(params)
    if str(params.get("eps", "")).strip() == "auto":  # the library's default; eps does not enter the grid programs
        params.pop("eps")
    p = _params(params, {"h": "3/2", "g": "1", "mu": "1/2", "eps": "0"}, "bilateral-trade")
    if p["g"] <= 0 or p["h"] <= 0:
        raise ParameterError(f"bilateral-trade parameters h and g must be positive, got h={p['h']}, g={p['g']}")
    if not 0 < p["mu"] < 1:
        raise ParameterError(f"bilateral-trade parameter mu must lie in (0, 1), got {p['mu']}")
    if p["eps"] < 0:
        raise ParameterError(f"bilateral-trade parameter eps must be >= 0, got {p['eps']}")
    value, ybar, note = None, None, ""
    if p["mu"] == sp.Rational(1, 2):
        value, ybar = bilateral_value(p["h"], p["g"])
    else:
        note = "the analytic saddle value is known for mu = 1/2 only"
    return Example("bilateral-trade", p, bilateral_environment(p["h"], p["g"], p["mu"]), value,
                   float(max(p["h"], p["g"])), ybar, note)


BUILDERS: dict[str, Callable[[Mapping[str, str]], Example]] = {
    "common-value-auction": _auction,
    "bilateral-trade": _bilateral,
}


def names() -> list[str]:
    return sorted(BUILDERS)


def build(name: str, params: Mapping[str, str] | None = None) -> Example:
    """The built-in example ``name`` with string parameters (exact numbers)."""
    if name not in BUILDERS:
        raise UnknownNameError(f"unknown candidate {name!r}; known: {', '.join(names())}")
    return BUILDERS[name](dict(params or {}))
