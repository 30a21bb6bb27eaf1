r"""The common-value auction: proportional auction and exponential signals.

Survey (000), Section 3.5.  N bidders, a common value :math:`\theta \in \{0, 1\}`
with :math:`\mu(1) = \mu_1`, allocation q_i and transfer t_i;
:math:`u_i = \theta q_i - t_i`, :math:`w = \sum_i t_i`.

Information :math:`\bar I`: independent standard exponential signals,
:math:`\bar\rho(x) = e^{-y}` with :math:`y = \sum_i x_i`, and interim value
:math:`\bar v = \min(A e^{y}, 1)`, :math:`A = e^{-\bar y}`:
:math:`\bar\sigma(x,1) = \bar\rho\bar v`, :math:`\bar\sigma(x,0) = \bar\rho(1-\bar v)`,
with :math:`\bar y` the root of :math:`G_{N+1}(\bar y) = \mu(0)` (34).

Mechanism :math:`\bar M`: :math:`\bar q_i = x_i/\max(y, \bar y)` and
:math:`\bar t_i = (x_i/y)\,T(y)`, where T solves the SVO equation
:math:`T - \tfrac{N-1}{y}T - T' = L_1 - \nabla\cdot\bar q` with T(0) = 0, i.e.
:math:`T g_N = \int_0^y (\nabla\cdot\bar q - L_1) g_N`.  Integrating the two pieces of
:math:`\nabla\cdot\bar q` (N/ybar below ybar, (N-1)/y above, and
:math:`\tfrac{N-1}{y} g_N = g_{N-1}`):

.. math::
    T(y) = \begin{cases}
      (N/\bar y - L_1)\, G_N(y)/g_N(y) & y \le \bar y, \\
      \big[\tfrac{N}{\bar y}G_N(\bar y) - G_{N-1}(\bar y) + 1 - L_1
           + L_1 \bar G_N(y) - \bar G_{N-1}(y)\big]/g_N(y) & y > \bar y,
    \end{cases}

written with survival functions :math:`\bar G = 1 - G` so that the far tail is
evaluated without cancellation.  The levels are (36)
:math:`L_1 = \tfrac{N}{\bar y}G_N(\bar y) + 1 - G_{N-1}(\bar y)` and
:math:`L_0 = L_1 - N/\bar y`; with this L_1 the constant term above vanishes and T
stays bounded.  The value is :math:`1 - G_N(\bar y)` (35), (37).
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from scipy.special import gammainc, gammaincc, gammaln, hyp1f1

from irmd.analytic.candidate import make_candidate
from irmd.analytic.constants import Constant
from irmd.analytic.environment import OWN, TOTAL, State, SymmetricEnvironment, allocation, transfers
from irmd.analytic.functions import DefinedFunction
from irmd.analytic.information import SymmetricInformation
from irmd.analytic.mechanism import SymmetricMechanism
from irmd.analytic.shapes import ClosedForms, ShapeModel, safe_ratio
from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF, erlang_cdf, erlang_pdf, erlang_sf

from . import Builtin, Parameter, register

theta = sp.Symbol("theta", real=True)
ybar = sp.Symbol("ybar", positive=True)
L1 = sp.Symbol("L_1", real=True)
L0 = sp.Symbol("L_0", real=True)
A = sp.Symbol("A", positive=True)
T = sp.Function("T")


def auction_environment(N: int, mu1) -> SymmetricEnvironment:
    states = (State.make("0", {theta: 0}), State.make("1", {theta: 1}))
    q, t = allocation("q"), transfers("t")
    return SymmetricEnvironment(N, states, (1 - mu1, mu1), (q, t), theta * q.symbol - t.symbol, t.symbol)


def common_value_auction(N, mu1, **overrides):
    """The proportional auction and exponential signals (survey Section 3.5).

    ``overrides`` replace parts of the construction by name (``ybar_equation``,
    ``L1``, ``L0``, ``A``, ``allocation``, ``transfer``, ``T_closed``, ``T_initial``, ``T_ode``,
    ``density_1``, ``density_0``, ``level_1``, ``level_0``, ``prior_1``) -- used to build
    deliberately wrong candidates.
    """
    N = int(N)
    mu1 = sp.Rational(mu1)
    y, s = TOTAL, OWN
    env = auction_environment(N, sp.Rational(overrides.get("prior_1", mu1)))
    q, t = env.family_symbols

    def part(name, default):
        return overrides.get(name, default)

    divergence = sp.Piecewise((N / ybar, y <= ybar), ((N - 1) / y, True))
    T_closed = part("T_closed", sp.Piecewise(
        ((N / ybar - L1) * ErlangCDF(N, y) / ErlangPDF(N, y), y <= ybar),
        ((N / ybar * ErlangCDF(N, ybar) - ErlangCDF(N - 1, ybar) + 1 - L1
          + L1 * ErlangSF(N, y) - ErlangSF(N - 1, y)) / ErlangPDF(N, y), True),
    ))
    transfer_function = DefinedFunction(
        T, y,
        closed_form=T_closed,
        ode=part("T_ode", sp.Derivative(T(y), y) - (1 - (N - 1) / y) * T(y) + L1 - divergence),
        initial=(0, part("T_initial", 0)),
        description="total transfer: T - (N-1)/y T - T' = L_1 - div q, T(0) = 0",
    )
    mechanism = SymmetricMechanism.make({
        q: part("allocation", s / sp.Max(y, ybar)),
        t: part("transfer", s / y * T(y)),
    })
    value = sp.Min(A * sp.exp(y), 1)
    information = SymmetricInformation.make({
        "1": part("density_1", sp.exp(-y) * value),
        "0": part("density_0", sp.exp(-y) * (1 - value)),
    })
    constants = [
        Constant(ybar, equation=part("ybar_equation", ErlangCDF(N + 1, ybar) - (1 - mu1)),
                 bracket=(0, N + 1 + 40 * sp.sqrt(N + 1) + 40),
                 description="G_{N+1}(ybar) = mu(0)  (34)"),
        Constant(L1, value=part("L1", N * ErlangCDF(N, ybar) / ybar + 1 - ErlangCDF(N - 1, ybar)),
                 description="(36)"),
        Constant(L0, value=part("L0", L1 - N / ybar), description="L_0 = L_1 - N/ybar"),
        Constant(A, value=part("A", sp.exp(-ybar)), description="A = e^{-ybar}"),
    ]
    return make_candidate(
        "common-value-auction", env, mechanism, information, constants, [transfer_function],
        svo_levels={"1": part("level_1", L1), "0": part("level_0", L0)},
        parameters={"N": N, "mu1": mu1},
        description="proportional auction with exponential signals (survey Section 3.5)",
        headline=("ybar",),
    )


# --------------------------------------------------------------------------- the survey's closed forms
def auction_ybar(N: int, mu1, dps: int = 30) -> mpmath.mpf:
    """ybar with G_{N+1}(ybar) = mu(0) (34), by mpmath's root finder from the mean N + 1."""
    with mpmath.workdps(dps):
        target = 1 - mpmath.mpf(sp.Rational(mu1).p) / sp.Rational(mu1).q
        return mpmath.findroot(lambda v: erlang_cdf(N + 1, v) - target, mpmath.mpf(N) + mpmath.mpf(1) / 2)


def auction_transfer_scale(N: int, ybar, dps: int = 30) -> float:
    r"""sup |T(y)| over samples of [0, ybar + 100]: per-agent transfers x_i T / y are smaller."""
    with mpmath.workdps(dps):
        l1 = erlang_cdf(N, ybar) * N / ybar + erlang_sf(N - 1, ybar)

        def total(v):
            if v <= ybar:
                return (N / ybar - l1) * erlang_cdf(N, v) / erlang_pdf(N, v)
            return (l1 * erlang_sf(N, v) - erlang_sf(N - 1, v)) / erlang_pdf(N, v)

        samples = [ybar * j / 64 for j in range(1, 65)] + [ybar + mpmath.mpf(j) / 4 for j in range(1, 400)]
        return float(max(abs(total(v)) for v in samples))


def auction_shapes(N: int, ybar: float) -> ShapeModel:
    """The pair written out with scipy: q_i = x_i / max(y, ybar), t_i = x_i T(y)/y, rho = e^-y,
    v = min(e^(y - ybar), 1) -- the survey's formulas, independent of irmd's resolution of T."""
    gN = lambda v: np.exp((N - 1) * np.log(np.maximum(v, 1e-300)) - v - gammaln(N))  # noqa: E731
    upper = (lambda v: gammaincc(N - 1, v)) if N > 1 else (lambda v: 0.0 * v)
    l1 = gammainc(N, ybar) * N / ybar + float(upper(np.array(ybar)))

    def total_transfer(v):
        below = (N / ybar - l1) * gammainc(N, v)
        above = l1 * gammaincc(N, v) - upper(v)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            T = np.where(v <= ybar, below, above) / gN(v)
            # Below ybar, G_N/g_N = (y/N) 1F1(1; N+1; y): finite where g_N underflows (small y, large N).
            T_below = (N / ybar - l1) * (v / N) * hyp1f1(1.0, N + 1.0, v)
        T = np.where((v <= ybar) & ~np.isfinite(T), T_below, T)
        # The ratio is 0/0 at y = 0 (T(0) = 0) and underflows far out, where T tends to L1.
        return np.where(v <= 0, 0.0, np.where(np.isfinite(T), T, l1))

    def outcome(X):
        totals = X.sum(axis=1)
        transfer = total_transfer(totals)
        out = {}
        for i in range(N):
            out[f"q_{i + 1}"] = X[:, i] / np.maximum(totals, ybar)
            out[f"t_{i + 1}"] = safe_ratio(X[:, i] * transfer, totals)
        return out

    def posterior(X):
        value = np.minimum(np.exp(X.sum(axis=1) - ybar), 1.0)
        return np.stack([1 - value, value])

    return ShapeModel(f"common-value auction N={N}", outcome, lambda X: np.exp(-X.sum(axis=1)), posterior, ybar,
                      ("0", "1"))


def auction_closed_forms(N, mu1) -> ClosedForms:
    """Value 1 - G_N(ybar) (35), (37), the transfer scale and the shapes, from the survey's formulas."""
    N = int(N)
    with mpmath.workdps(30):
        ybar_value = auction_ybar(N, mu1)
        value = 1 - erlang_cdf(N, ybar_value)
    return ClosedForms(value, ybar_value, auction_transfer_scale(N, ybar_value),
                       auction_shapes(N, float(ybar_value)))


def _agents(value):
    return None if value >= 1 else "needs an integer N >= 1"


def _probability(value):
    return None if 0 < value < 1 else "needs 0 < mu1 < 1"


register(Builtin(
    "common-value-auction",
    "proportional auction with exponential signals for the common-value auction (survey Section 3.5)",
    (Parameter("N", "integer", "2", "number of bidders (integer >= 1)", _agents),
     Parameter("mu1", "number", "1/2", "prior probability that the value is 1 (0 < mu1 < 1)", _probability)),
    common_value_auction,
    "Brooks & Du, survey (000), equations (21)-(37)",
    auction_closed_forms,
))
