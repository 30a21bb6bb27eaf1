r"""Closed-form shapes of the built-in candidates, evaluated on grid points.

The shape comparison (:mod:`.shapes`) only needs a few vectorised functions of
the points ``X`` (shape ``(P, N)``); a :class:`ShapeModel` bundles them.  This
module provides them for the survey's two examples (Sections 3.5-3.6); any other
candidate is compared through a small adapter returning the same object.

Common-value auction: :math:`\bar q_i = x_i/\max(\Sigma x, \bar y)`,
:math:`\bar t_i = x_i T(\Sigma x)/\Sigma x`, :math:`\bar\rho = e^{-\Sigma x}`,
:math:`\bar v = \min(e^{\Sigma x - \bar y}, 1)` (so :math:`A = e^{-\bar y}`).

Bilateral trade (:math:`\epsilon \to 0`): :math:`\bar\rho(y) = A e^y y^{-h/g}` for
:math:`y \le \bar y`, posterior of the high state :math:`x_2/\Sigma x`,
:math:`\bar q(y) = (L/g) e^{-y} y^{-a} \int_0^y e^z z^{a} dz` below
:math:`\bar y` (with :math:`a = 1 - h/g`) and 1 above, and
:math:`\bar t = \bar q (g + (h - g) x_2/\Sigma x)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp
from scipy.integrate import quad
from scipy.special import gammainc, gammaincc, gammaln, hyp1f1

from irmd.analytic.constants import solve_constants
from irmd.analytic.environment import OWN, TOTAL
from irmd.analytic.resolve import resolve
from irmd.budget import Budget


@dataclass(frozen=True)
class ShapeModel:
    """A candidate's shapes as functions of points ``X`` (P x N).

    ``outcome(X)`` maps coordinate names to arrays; ``density(X)`` is the marginal
    density of σ; ``posterior(X)`` is ``(S, P)``, the conditional probability of
    each state.  ``region(X)`` (optional) marks where the candidate is claimed
    to match the grid solution (default: everywhere).
    """

    name: str
    outcome: Callable[[np.ndarray], dict]
    density: Callable[[np.ndarray], np.ndarray]
    posterior: Callable[[np.ndarray], np.ndarray]
    ybar: float | None = None
    labels: tuple[str, ...] = ()  # state labels of the rows of posterior(X)


def _safe_ratio(num, den):
    return np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den > 0)


def auction_shapes(agents: int, ybar: float) -> ShapeModel:
    n = agents
    gN = lambda y: np.exp((n - 1) * np.log(np.maximum(y, 1e-300)) - y - gammaln(n))  # noqa: E731
    upper = (lambda y: 1 - gammainc(n - 1, y)) if n > 1 else (lambda y: 0.0 * y)
    l1 = gammainc(n, ybar) * n / ybar + float(upper(np.array(ybar)))

    def total_transfer(y):
        below = (n / ybar - l1) * gammainc(n, y)
        above = l1 * (1 - gammainc(n, y)) - upper(y)
        with np.errstate(divide="ignore", invalid="ignore"):
            T = np.where(y <= ybar, below, above) / gN(y)
        # The ratio is 0/0 at y = 0 (T(0) = 0) and underflows far out, where T tends to L1.
        return np.where(y <= 0, 0.0, np.where(np.isfinite(T), T, l1))

    def outcome(X):
        total = X.sum(axis=1)
        out = {}
        T = total_transfer(total)
        for i in range(n):
            out[f"q_{i + 1}"] = X[:, i] / np.maximum(total, ybar)
            out[f"t_{i + 1}"] = _safe_ratio(X[:, i] * T, total)
        return out

    def posterior(X):
        v = np.minimum(np.exp(X.sum(axis=1) - ybar), 1.0)
        return np.stack([1 - v, v])

    return ShapeModel(f"common-value auction N={n}", outcome, lambda X: np.exp(-X.sum(axis=1)), posterior, ybar,
                      ("0", "1"))


def bilateral_shapes(h: float, g: float, ybar: float, value: float) -> ShapeModel:
    a = 1 - h / g

    def integral(y):  # int_0^y e^z z^a dz = y^(a+1) 1F1(a+1; a+2; y)/(a+1)
        return np.power(y, a + 1) * hyp1f1(a + 1, a + 2, y) / (a + 1)

    # A normalises the density over the triangle: int_0^ybar y A e^y y^(-h/g) dy = 1.

    mass, _ = quad(lambda y: y * np.exp(y) * y ** (-h / g), 0, ybar)
    A = 1.0 / mass

    def density(X):
        y = X.sum(axis=1)
        with np.errstate(divide="ignore", over="ignore"):
            rho = A * np.exp(y) * np.power(np.where(y > 0, y, 1.0), -h / g)
        # Singular at the origin (the survey moves the signals to [eps/2, oo)^2): no value there.
        return np.where(y <= 0, np.nan, np.where(y <= ybar, rho, 0.0))

    def q(y):
        with np.errstate(divide="ignore", invalid="ignore"):
            below = value / g * np.exp(-y) * np.power(y, -a) * integral(y)
        return np.where(y > ybar, 1.0, np.where(y > 0, below, 0.0))

    def outcome(X):
        y = X.sum(axis=1)
        qq = q(y)
        return {"q": qq, "t": qq * (g + (h - g) * _safe_ratio(X[:, 1], y))}

    def posterior(X):
        y = X.sum(axis=1)
        high = np.where(y > 0, _safe_ratio(X[:, 1], y), np.nan)
        return np.stack([1 - high, high])

    return ShapeModel(f"bilateral trade h={h:g} g={g:g}", outcome, density, posterior, ybar, ("low", "high"))


def builtin_shapes(example) -> ShapeModel | None:
    """Shapes of a built-in :class:`~.environments.Example` (None when the saddle is not known)."""
    if example.ybar is None or example.value is None:
        return None
    if example.name == "common-value-auction":
        return auction_shapes(int(example.params["N"]), float(example.ybar))
    if example.name == "bilateral-trade":
        return bilateral_shapes(float(example.params["h"]), float(example.params["g"]), float(example.ybar),
                                float(example.value))
    return None


def _numpy_modules():
    """numpy implementations of irmd's special functions for lambdify."""
    def erlang_pdf(n, y):
        n = int(n)
        if n == 0:
            return np.zeros_like(np.asarray(y, dtype=float))
        y = np.asarray(y, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y > 0, np.exp((n - 1) * np.log(np.where(y > 0, y, 1.0)) - y - gammaln(n)),
                            1.0 if n == 1 else 0.0)

    def hyper(ap, bq, z):
        if len(ap) == 1 and len(bq) == 1:
            return hyp1f1(float(ap[0]), float(bq[0]), z)
        raise NotImplementedError("only 1F1 hypergeometric functions are evaluated on grids")

    return {"ErlangPDF": erlang_pdf,
            "ErlangCDF": lambda n, y: gammainc(int(n), y) if int(n) > 0 else np.ones_like(y),
            "ErlangSF": lambda n, y: gammaincc(int(n), y) if int(n) > 0 else np.zeros_like(y),
            "hyper": hyper}


def candidate_shapes(candidate, dps: int = 20) -> ShapeModel:
    """The :class:`ShapeModel` of any irmd candidate, evaluated from its own expressions.

    The same resolved expressions the verifier checks (constants solved at ``dps``,
    defined functions by their closed forms), vectorised with numpy; so a user's
    conjecture is compared with the grid solutions exactly as the built-ins are.
    """
    values = solve_constants(candidate.constants, dps)
    numbers = {s: sp.Float(v, dps) for s, v in values.items()}
    resolution = resolve(candidate, Budget(30, 10))
    modules = [_numpy_modules(), "numpy"]

    def compile_(expr, variables):
        expr = resolution.apply(expr).xreplace(numbers)
        fn = sp.lambdify(variables, expr, modules=modules)

        def call(*args):
            with np.errstate(all="ignore"):
                return np.asarray(fn(*args), dtype=float) * np.ones_like(args[0], dtype=float)
        return call

    labels = tuple(candidate.environment.state_labels)   # rows in the environment's state order
    by_label = candidate.information.mapping
    if candidate.symmetric:
        env = candidate.environment
        outcome_fns = {f: compile_(candidate.mechanism.mapping[f.symbol], (OWN, TOTAL)) for f in env.families}
        density_fns = [compile_(by_label[label], (TOTAL,)) for label in labels]

        def outcome(X):
            total = X.sum(axis=1)
            return {str(f.member(i + 1)): np.nan_to_num(fn(X[:, i], total))
                    for f, fn in outcome_fns.items() for i in range(X.shape[1])}

        def densities(X):
            total = X.sum(axis=1)
            return np.stack([fn(total) for fn in density_fns])
    else:
        xs = candidate.environment.actions
        outcome_fns = {str(c): compile_(e, xs) for c, e in candidate.mechanism.outcome}
        density_fns = [compile_(by_label[label], xs) for label in labels]

        def outcome(X):
            return {c: np.nan_to_num(fn(*X.T)) for c, fn in outcome_fns.items()}

        def densities(X):
            return np.stack([fn(*X.T) for fn in density_fns])

    def density(X):
        return densities(X).sum(axis=0)

    def posterior(X):
        d = densities(X)
        return np.stack([_safe_ratio(row, d.sum(axis=0)) for row in d])

    ybar = next((float(values[c.symbol]) for c in candidate.constants if c.symbol.name == "ybar"), None)
    return ShapeModel(candidate.name, outcome, density, posterior, ybar, labels)
